//! Input files, read once and kept for the whole run (templates are borrowed
//! from them; diagnostics quote them).

use std::path::{Path, PathBuf};

use crate::diag::{Diagnostic, Location};

/// One input file and its text.
#[derive(Debug)]
pub struct SourceFile {
    /// Path as given (or derived from what was given).
    pub path: PathBuf,
    /// UTF-8 contents.
    pub text: String,
}

/// Index of a file in [`Sources`].
pub type FileId = usize;

/// Every file read during a run.
#[derive(Debug, Default)]
pub struct Sources {
    files: Vec<SourceFile>,
}

impl Sources {
    /// Read `path` (once; later calls return the same id).
    pub fn read(&mut self, path: &Path) -> Result<FileId, Diagnostic> {
        if let Some(id) = self.files.iter().position(|f| f.path == path) {
            return Ok(id);
        }
        let bytes = std::fs::read(path).map_err(|e| read_error(path, &e))?;
        let text = String::from_utf8(bytes).map_err(|e| {
            let offset = e.utf8_error().valid_up_to();
            let text = String::from_utf8_lossy(e.as_bytes()).into_owned();
            Diagnostic::error("input::encoding", "file is not valid UTF-8").at(Location::at_span(
                path,
                &text,
                offset..offset + 1,
            ))
        })?;
        Ok(self.add(path.to_path_buf(), text))
    }

    /// Add a file whose text is already known.
    pub fn add(&mut self, path: PathBuf, text: String) -> FileId {
        self.files.push(SourceFile { path, text });
        self.files.len() - 1
    }

    /// The file with this id.
    pub fn get(&self, id: FileId) -> &SourceFile {
        &self.files[id]
    }

    /// The file read from `path`, if any.
    pub fn find(&self, path: &Path) -> Option<&SourceFile> {
        self.files.iter().find(|f| f.path == path)
    }

    /// All files, in reading order.
    pub fn iter(&self) -> impl Iterator<Item = &SourceFile> {
        self.files.iter()
    }
}

fn read_error(path: &Path, error: &std::io::Error) -> Diagnostic {
    let reason = match error.kind() {
        std::io::ErrorKind::NotFound => "no such file".to_string(),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
        _ if path.is_dir() => "is a directory, expected a file".to_string(),
        _ => error.to_string(),
    };
    Diagnostic::error("input::read", format!("cannot read `{}`: {reason}", path.display())).at(Location::file(path))
}

//! Input files, read once and kept for the whole run: templates are borrowed
//! from them, diagnostics point into them by [`FileId`] and byte span, and
//! line and column are computed only when a diagnostic is rendered.

use std::collections::HashMap;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard, OnceLock, PoisonError};

use crate::diag::{Code, Diagnostic, Location};

/// Which file of a [`Sources`] a location is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FileId(u32);

impl FileId {
    fn index(self) -> usize {
        self.0 as usize
    }

    /// An id for unit tests that need one without a [`Sources`].
    #[cfg(test)]
    pub(crate) fn for_tests() -> FileId {
        FileId(0)
    }
}

/// One input file and its text.
#[derive(Debug)]
pub struct SourceFile {
    path: PathBuf,
    text: String,
    /// False for a file that is only named (it could not be read, or is an output).
    read: bool,
    line_starts: OnceLock<Vec<usize>>,
    /// Byte ranges holding secrets, masked wherever the text is quoted.
    secrets: Mutex<Vec<Range<usize>>>,
    masked: OnceLock<String>,
}

impl SourceFile {
    fn new(path: PathBuf, text: String, read: bool) -> Self {
        SourceFile {
            path,
            text,
            read,
            line_starts: OnceLock::new(),
            secrets: Mutex::default(),
            masked: OnceLock::new(),
        }
    }

    /// Path as given (or derived from what was given).
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// UTF-8 contents (empty for a file that was only named).
    pub fn text(&self) -> &str {
        &self.text
    }

    /// Mark a byte range as a secret: quotes of the file show `*` there.
    pub fn mark_secret(&self, span: Range<usize>) {
        self.secrets().push(span);
    }

    /// The secret spans (stages checked on several threads mark them concurrently).
    fn secrets(&self) -> MutexGuard<'_, Vec<Range<usize>>> {
        // A thread that panicked while pushing left a valid list.
        self.secrets.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The text as diagnostics may quote it: secrets replaced by `*` (one per
    /// byte, so every offset stays valid). Fixed at first use.
    pub fn quotable_text(&self) -> &str {
        if self.secrets().is_empty() {
            return &self.text;
        }
        self.masked.get_or_init(|| {
            let mut bytes = self.text.clone().into_bytes();
            for span in self.secrets().iter() {
                for b in bytes.get_mut(span.clone()).into_iter().flatten() {
                    // Keep line breaks (a quoted value can span lines).
                    if *b != b'\n' && *b != b'\r' {
                        *b = b'*';
                    }
                }
            }
            String::from_utf8(bytes).unwrap_or_else(|_| self.text.clone())
        })
    }

    /// Whether the text was read (a named-only file has none to quote).
    pub fn has_text(&self) -> bool {
        self.read
    }

    /// Byte offsets where the lines of the text start, indexed on first use.
    pub fn line_starts(&self) -> &[usize] {
        self.line_starts.get_or_init(|| {
            std::iter::once(0)
                .chain(self.text.bytes().enumerate().filter(|(_, b)| *b == b'\n').map(|(i, _)| i + 1))
                .collect()
        })
    }

    /// 0-based line index of a byte offset.
    pub fn line_index(&self, offset: usize) -> usize {
        self.line_starts().partition_point(|&s| s <= offset).saturating_sub(1)
    }

    /// Byte range of a 0-based line, without its line terminator.
    pub fn line_range(&self, line: usize) -> Range<usize> {
        let starts = self.line_starts();
        let start = starts.get(line).copied().unwrap_or(self.text.len());
        let end = starts.get(line + 1).map_or(self.text.len(), |next| next - 1);
        let end =
            if self.text.as_bytes().get(end.saturating_sub(1)) == Some(&b'\r') && end > start { end - 1 } else { end };
        start..end.max(start)
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = floor_char_boundary(&self.text, offset.min(self.text.len()));
        let line = self.line_index(offset);
        let start = self.line_starts()[line];
        (line + 1, self.text[start..offset].chars().count() + 1)
    }
}

fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// Every file read (or named) during a run.
#[derive(Debug, Default)]
pub struct Sources {
    files: Vec<SourceFile>,
    /// Path → id (a folder export reads thousands of files).
    by_path: HashMap<PathBuf, FileId>,
}

impl Sources {
    /// An empty set.
    pub fn new() -> Self {
        Self::default()
    }

    /// Read `path` (once; later calls return the same id).
    pub fn read(&mut self, path: &Path) -> Result<FileId, Diagnostic> {
        if let Some(id) = self.find(path).filter(|id| self.get(*id).read) {
            return Ok(id);
        }
        let bytes = match std::fs::read(path) {
            Ok(bytes) => bytes,
            Err(e) => {
                let reason = read_error(path, &e);
                let at = Location::file(self.name(path));
                return Err(
                    Diagnostic::error(Code::InputRead, format!("cannot read `{}`: {reason}", path.display())).at(at)
                );
            }
        };
        if is_utf16(&bytes) {
            let id = self.add(path.to_path_buf(), String::new());
            return Err(Diagnostic::error(Code::InputEncoding, "file is UTF-16, not UTF-8")
                .at(Location::file(id))
                .note("Excel's \"Unicode text\" is UTF-16: save it as \"CSV UTF-8 (Comma delimited)\" instead"));
        }
        match String::from_utf8(bytes) {
            Ok(text) => Ok(self.add(path.to_path_buf(), text)),
            Err(e) => Err(self.encoding_error(path, e)),
        }
    }

    fn encoding_error(&mut self, path: &Path, e: std::string::FromUtf8Error) -> Diagnostic {
        let offset = e.utf8_error().valid_up_to();
        let bytes = e.as_bytes();
        let utf16 = bytes.starts_with(&[0xff, 0xfe]) || bytes.starts_with(&[0xfe, 0xff]);
        let text = String::from_utf8_lossy(bytes).into_owned();
        let id = self.add(path.to_path_buf(), text);
        let d = Diagnostic::error(Code::InputEncoding, "file is not valid UTF-8")
            .at(Location::span(id, offset..offset + 1));
        if utf16 {
            d.note("this file is UTF-16 (Excel's \"Unicode text\"): save it as \"CSV UTF-8\" instead")
        } else {
            d
        }
    }

    /// Add a file whose text is already known (replacing a named-only entry of that path).
    pub fn add(&mut self, path: PathBuf, text: String) -> FileId {
        let file = SourceFile::new(path, text, true);
        match self.find(&file.path).filter(|id| !self.get(*id).read) {
            Some(id) => {
                self.files[id.index()] = file;
                id
            }
            None => self.push(file),
        }
    }

    /// A file that diagnostics name but whose text is not read (a missing
    /// input, an output path); the same path gives the same id.
    pub fn name(&mut self, path: &Path) -> FileId {
        if let Some(id) = self.find(path) {
            return id;
        }
        self.push(SourceFile::new(path.to_path_buf(), String::new(), false))
    }

    fn push(&mut self, file: SourceFile) -> FileId {
        let id = FileId(u32::try_from(self.files.len()).unwrap_or(u32::MAX));
        self.by_path.entry(file.path.clone()).or_insert(id);
        self.files.push(file);
        id
    }

    /// The file with this id.
    pub fn get(&self, id: FileId) -> &SourceFile {
        &self.files[id.index()]
    }

    /// The file read from or named by `path`, if any.
    pub fn find(&self, path: &Path) -> Option<FileId> {
        self.by_path.get(path).copied()
    }

    /// All files, in reading order.
    pub fn iter(&self) -> impl Iterator<Item = (FileId, &SourceFile)> {
        self.files.iter().enumerate().map(|(i, f)| (FileId(i as u32), f))
    }

    /// Move every file of `other` after this set's files (for a run that read
    /// two sides on two threads); `other`'s ids are renumbered by the result.
    pub fn append(&mut self, other: Sources) -> Renumber {
        let offset = u32::try_from(self.files.len()).unwrap_or(u32::MAX);
        self.files.extend(other.files);
        Renumber(offset)
    }

    /// Byte offset of `slice` in file `id`, when the slice borrows that file's text.
    pub fn offset_of(&self, id: FileId, slice: &str) -> Option<usize> {
        let text = &self.get(id).text;
        let base = text.as_ptr() as usize;
        let at = (slice.as_ptr() as usize).checked_sub(base)?;
        (at + slice.len() <= text.len()).then_some(at)
    }
}

/// How the ids of a set of files moved by [`Sources::append`] changed.
#[derive(Debug, Clone, Copy)]
pub struct Renumber(u32);

impl Renumber {
    /// The id a file of the appended set has now.
    pub fn id(self, id: FileId) -> FileId {
        FileId(id.0.saturating_add(self.0))
    }
}

/// UTF-16 text: a UTF-16 byte order mark, or NUL bytes in every other position
/// of the first characters (ASCII text in UTF-16 without a mark).
fn is_utf16(bytes: &[u8]) -> bool {
    if bytes.starts_with(&[0xff, 0xfe]) || bytes.starts_with(&[0xfe, 0xff]) {
        return true;
    }
    let head = &bytes[..bytes.len().min(64)];
    head.len() >= 8 && (head.iter().skip(1).step_by(2).all(|b| *b == 0) || head.iter().step_by(2).all(|b| *b == 0))
}

fn read_error(path: &Path, error: &std::io::Error) -> String {
    match error.kind() {
        std::io::ErrorKind::NotFound => "no such file".to_string(),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
        _ if path.is_dir() => "is a directory, expected a file".to_string(),
        _ => error.to_string(),
    }
}

#[cfg(test)]
#[path = "source_tests.rs"]
mod tests;

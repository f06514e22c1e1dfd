//! Writing output files into the output folder, all or nothing.

use std::path::{Path, PathBuf};

use crate::diag::{Code, Diagnostic, Location};
use crate::source::Sources;

/// One file to write, relative to the output folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    /// Relative path.
    pub name: PathBuf,
    /// Contents.
    pub text: String,
}

/// Flush every staged file to disk before any is renamed into place. A linked
/// export can have a thousand parts: their syncs run on a few threads, since
/// each one mostly waits for the device.
fn sync_all(staged: &[(tempfile::NamedTempFile, PathBuf)]) -> Result<(), (&PathBuf, std::io::Error)> {
    const WORKERS: usize = 8;
    let chunk = staged.len().div_ceil(WORKERS).max(1);
    std::thread::scope(|scope| {
        let workers: Vec<_> = staged
            .chunks(chunk)
            .map(|files| {
                scope.spawn(move || {
                    files.iter().try_for_each(|(temp, target)| temp.as_file().sync_all().map_err(|e| (target, e)))
                })
            })
            .collect();
        workers.into_iter().try_for_each(|w| w.join().unwrap_or(Ok(())))
    })
}

/// Write files into `out_dir` atomically: all are written to temporary files
/// first and renamed into place only when every one succeeded. Refuses to
/// overwrite any input file.
pub fn write_all(out_dir: &Path, files: &[OutputFile], sources: &mut Sources) -> Result<(), Diagnostic> {
    let inputs: std::collections::HashSet<PathBuf> =
        sources.iter().filter(|(_, f)| f.has_text()).filter_map(|(_, f)| f.path().canonicalize().ok()).collect();
    let mut io_error = |path: &Path, e: std::io::Error| {
        Diagnostic::error(Code::OutputWrite, format!("cannot write `{}`: {e}", path.display()))
            .at(Location::file(sources.name(path)))
    };
    let mut staged = Vec::new();
    for file in files {
        let target = out_dir.join(&file.name);
        let dir = target.parent().unwrap_or(out_dir);
        std::fs::create_dir_all(dir).map_err(|e| io_error(dir, e))?;
        if target.canonicalize().is_ok_and(|t| inputs.contains(&t)) {
            return Err(Diagnostic::error(
                Code::OutputOverwriteInput,
                format!("refusing to overwrite the input file `{}`: choose another --out-dir", target.display()),
            ));
        }
        let mut temp = tempfile::NamedTempFile::new_in(dir).map_err(|e| io_error(dir, e))?;
        use std::io::Write;
        temp.write_all(file.text.as_bytes()).map_err(|e| io_error(&target, e))?;
        staged.push((temp, target));
    }
    sync_all(&staged).map_err(|(target, e)| io_error(target, e))?;
    for (temp, target) in staged {
        temp.persist(&target).map_err(|e| io_error(&target, e.error))?;
    }
    Ok(())
}

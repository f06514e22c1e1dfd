//! Writing output files into the output folder, all or nothing.
//!
//! Every target is checked before anything is written (two outputs with one
//! name, an output that is a folder or an input file); then every file is
//! written to a temporary file beside its target, and only when all of them
//! are written are they renamed into place. Renames happen under an exclusive
//! lock on the output folder, so two runs writing one folder at the same time
//! leave one run's complete output, never a mix. Files get the mode a new file
//! gets from the umask (like `cp`). Outputs are not fsynced: like compilers
//! and build tools, adfc leaves flushing to the operating system (a crash
//! right after a build may lose the files, never leave a half-written one in
//! place of a target).

use std::collections::BTreeMap;
use std::fs::File;
use std::path::{Path, PathBuf};

use crate::diag::{Code, Diagnostic, Errors, Location, Report};
use crate::source::Sources;

/// One file to write, relative to the output folder (an absolute name is
/// written there: scripts that go beside the output folder).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    /// Relative path.
    pub name: PathBuf,
    /// What the file is.
    pub role: Role,
    /// Contents.
    pub text: String,
}

/// What an output file is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Role {
    /// A single-file template.
    Template,
    /// The master of a linked layout.
    Master,
    /// A part of a linked layout.
    Part,
    /// The parameters file.
    Parameters,
    /// The global parameters side file.
    GlobalParameters,
    /// The trigger and deletion plan.
    Plan,
    /// A bash script (written executable).
    ShellScript,
    /// An Az PowerShell script.
    PowerShellScript,
    /// A diff report.
    Diff,
}

impl Role {
    /// How the summary names files of this role (`master`, `parts`…).
    pub fn describe(self, count: usize) -> String {
        let (one, many) = match self {
            Role::Template => ("template", "templates"),
            Role::Master => ("master", "masters"),
            Role::Part => ("part", "parts"),
            Role::Parameters => ("parameters", "parameters files"),
            Role::GlobalParameters => ("global parameters", "global parameters files"),
            Role::Plan => ("plan", "plans"),
            Role::ShellScript => ("bash script", "bash scripts"),
            Role::PowerShellScript => ("PowerShell script", "PowerShell scripts"),
            Role::Diff => ("diff", "diffs"),
        };
        if count == 1 { one.to_string() } else { format!("{} {many}", crate::render::thousands(count)) }
    }
}

/// Write `files` into `out_dir`: all of them or, on any error, none.
pub fn write_all(out_dir: &Path, files: &[OutputFile], sources: &mut Sources) -> Result<(), Errors> {
    let targets = check_targets(out_dir, files, sources)?;
    let mut io_error = |path: &Path, e: std::io::Error| {
        Errors::from(
            Diagnostic::error(Code::OutputWrite, format!("cannot write `{}`: {e}", path.display()))
                .at(Location::file(sources.name(path))),
        )
    };
    std::fs::create_dir_all(out_dir).map_err(|e| io_error(out_dir, e))?;
    let _lock = lock(out_dir).map_err(|e| io_error(out_dir, e))?;
    let mut staged = Vec::with_capacity(files.len());
    for (file, target) in files.iter().zip(&targets) {
        let dir = target.parent().unwrap_or(out_dir);
        std::fs::create_dir_all(dir).map_err(|e| io_error(dir, e))?;
        let temp = stage(dir, file).map_err(|e| io_error(target, e))?;
        staged.push((temp, target));
    }
    for (temp, target) in staged {
        temp.persist(target).map_err(|e| io_error(target, e.error))?;
    }
    Ok(())
}

/// The target path of every file, after checking that all can be written.
fn check_targets(out_dir: &Path, files: &[OutputFile], sources: &mut Sources) -> Result<Vec<PathBuf>, Errors> {
    let inputs: std::collections::HashSet<PathBuf> =
        sources.iter().filter(|(_, f)| f.has_text()).filter_map(|(_, f)| f.path().canonicalize().ok()).collect();
    let mut report = Report::default();
    let mut seen: BTreeMap<String, &Path> = BTreeMap::new();
    let mut folders_checked: std::collections::HashSet<PathBuf> = std::collections::HashSet::new();
    let mut targets = Vec::with_capacity(files.len());
    for file in files {
        // Most targets do not exist yet (a fresh --out-dir): one stat says so.
        let exists = std::fs::symlink_metadata(out_dir.join(&file.name)).is_ok();
        let target = out_dir.join(&file.name);
        // Names are compared ignoring case: on Windows and macOS they are one file.
        let key = file.name.to_string_lossy().to_lowercase();
        if let Some(first) = seen.insert(key, &file.name) {
            report.push(Diagnostic::error(
                Code::OutputDuplicate,
                format!(
                    "two outputs would be written to `{}` (`{}` and `{}`): nothing was written",
                    target.display(),
                    first.display(),
                    file.name.display()
                ),
            ));
        } else if exists && target.canonicalize().is_ok_and(|t| inputs.contains(&t)) {
            report.push(Diagnostic::error(
                Code::OutputOverwriteInput,
                format!("refusing to overwrite the input file `{}`: choose another --out-dir", target.display()),
            ));
        } else if exists && target.is_dir() {
            report.push(
                Diagnostic::error(Code::OutputWrite, format!("cannot write `{}`: it is a folder", target.display()))
                    .at(Location::file(sources.name(&target))),
            );
        } else if let Some(blocker) = target
            .parent()
            .filter(|p| folders_checked.insert(p.to_path_buf()))
            .and_then(|_| file_in_the_way(out_dir, &target))
        {
            report.push(
                Diagnostic::error(
                    Code::OutputWrite,
                    format!("cannot write `{}`: `{}` is a file, not a folder", target.display(), blocker.display()),
                )
                .at(Location::file(sources.name(&blocker))),
            );
        }
        targets.push(target);
    }
    report.check()?;
    Ok(targets)
}

/// An existing file where a folder on the way to `target` must be.
fn file_in_the_way(out_dir: &Path, target: &Path) -> Option<PathBuf> {
    let mut dir = target.parent();
    while let Some(d) = dir {
        if d.is_file() {
            return Some(d.to_path_buf());
        }
        if d == out_dir {
            break;
        }
        dir = d.parent();
    }
    None
}

/// A temporary file in `dir` holding the file's text, created with the mode
/// the umask gives a new file (an executable one for a shell script).
fn stage(dir: &Path, file: &OutputFile) -> std::io::Result<tempfile::NamedTempFile> {
    let mut builder = tempfile::Builder::new();
    builder.prefix(".adfc-").suffix(".tmp");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = if file.role == Role::ShellScript { 0o777 } else { 0o666 };
        builder.permissions(std::fs::Permissions::from_mode(mode));
    }
    let mut temp = builder.tempfile_in(dir)?;
    use std::io::Write;
    temp.write_all(file.text.as_bytes())?;
    Ok(temp)
}

/// Hold an exclusive lock on the output folder until dropped.
fn lock(out_dir: &Path) -> std::io::Result<File> {
    #[cfg(unix)]
    let file = File::open(out_dir)?;
    #[cfg(not(unix))]
    let file = std::fs::OpenOptions::new().create(true).truncate(false).write(true).open(out_dir.join(".adfc.lock"))?;
    file.lock()?;
    Ok(file)
}

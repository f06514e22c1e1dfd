//! Which config files apply: `--config` files in order, then the stage's
//! `deployment/config-<stage>.csv` (or `.json`) found under the root.

use std::path::{Path, PathBuf};

use crate::diag::{Code, Diagnostic};

/// Which config files apply.
#[derive(Debug, Clone, Default)]
pub struct ConfigOptions {
    /// `--stage S`: use `deployment/config-S.csv` (or `.json`).
    pub stage: Option<String>,
    /// `--root`: the folder holding `deployment/` (default: searched).
    pub root: Option<PathBuf>,
    /// `--config FILE`, in order.
    pub configs: Vec<PathBuf>,
}

/// `--config` files, then the stage file found under the root.
pub fn config_files(options: &ConfigOptions, template: &Path) -> Result<Vec<PathBuf>, Diagnostic> {
    let mut files = options.configs.clone();
    if let Some(stage) = &options.stage {
        files.push(stage_file(stage, options.root.as_deref(), template)?);
    }
    Ok(files)
}

/// Folders searched for `deployment/config-<stage>.csv`, in order: the
/// template's folder, its parent, then the current folder (each once).
pub fn stage_roots(root: Option<&Path>, template: &Path) -> Vec<PathBuf> {
    if let Some(root) = root {
        return vec![root.to_path_buf()];
    }
    let dir = template.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let parent = match dir.parent().filter(|p| !p.as_os_str().is_empty()) {
        Some(parent) => Some(parent.to_path_buf()),
        None => dir.canonicalize().ok().and_then(|d| d.parent().map(Path::to_path_buf)),
    };
    let mut roots: Vec<PathBuf> = Vec::new();
    let key = |p: &Path| {
        let p = if p.as_os_str().is_empty() { Path::new(".") } else { p };
        p.canonicalize().unwrap_or_else(|_| p.to_path_buf())
    };
    for candidate in [Some(dir.to_path_buf()), parent, Some(PathBuf::new())].into_iter().flatten() {
        if !roots.iter().any(|r| key(r) == key(&candidate)) {
            roots.push(candidate);
        }
    }
    roots
}

fn stage_file(stage: &str, root: Option<&Path>, template: &Path) -> Result<PathBuf, Diagnostic> {
    let roots = stage_roots(root, template);
    let names = [format!("config-{stage}.csv"), format!("config-{stage}.json")];
    for dir in &roots {
        let found: Vec<PathBuf> =
            names.iter().map(|n| dir.join("deployment").join(n)).filter(|p| p.is_file()).collect();
        match found.as_slice() {
            [] => continue,
            [one] => return Ok(one.clone()),
            [csv, json, ..] => {
                return Err(Diagnostic::error(
                    Code::InputStageConflict,
                    format!("two config files for stage `{stage}`: `{}` and `{}`", csv.display(), json.display()),
                )
                .note("keep one of them, or name the one to use with --config FILE"));
            }
        }
    }
    let searched: Vec<String> = roots.iter().map(|r| r.join("deployment").display().to_string()).collect();
    Err(Diagnostic::error(Code::InputNoStageConfig, format!("no config file for stage `{stage}`"))
        .note(format!("looked for {} in: {}", names.join(" / "), searched.join(", ")))
        .note("use --root DIR or --config FILE"))
}

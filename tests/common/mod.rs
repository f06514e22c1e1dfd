//! Helpers shared by the end-to-end tests.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use assert_cmd::Command;

/// The repository root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `../shared` beside the repository, if present.
pub fn shared() -> Option<PathBuf> {
    let dir = root().join("../shared");
    dir.is_dir().then_some(dir)
}

/// A path under `fixtures/`.
pub fn fixture(rel: &str) -> PathBuf {
    root().join("fixtures").join(rel)
}

/// The adfc binary with a clean environment (no colour, no stray variables), run from the repo root.
pub fn adfc() -> Command {
    let mut cmd = Command::cargo_bin("adfc").expect("adfc binary");
    cmd.env_clear().env("PATH", std::env::var_os("PATH").unwrap_or_default()).env("NO_COLOR", "1");
    cmd.current_dir(root());
    cmd
}

/// Read a JSON file into a Value.
pub fn json(path: &Path) -> serde_json::Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The resource of type suffix `kind` (e.g. "pipelines") named `name` in a template Value.
pub fn resource<'v>(template: &'v serde_json::Value, kind: &str, name: &str) -> &'v serde_json::Value {
    let suffix = format!("'/{name}')]");
    template["resources"]
        .as_array()
        .expect("resources")
        .iter()
        .find(|r| {
            r["type"].as_str().is_some_and(|t| t.to_lowercase().ends_with(&kind.to_lowercase()))
                && r["name"].as_str().is_some_and(|n| n.ends_with(&suffix))
        })
        .unwrap_or_else(|| panic!("no {kind} {name}"))
}

/// Files in a directory (sorted names), to assert "nothing was written".
pub fn listing(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .map(|d| d.filter_map(Result::ok).map(|e| e.file_name().to_string_lossy().into_owned()).collect())
        .unwrap_or_default();
    names.sort();
    names
}

//! Helpers shared by the end-to-end tests.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use assert_cmd::Command;

/// The repository root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `../shared` beside the repository (or beside the folder of its worktrees,
/// `../../shared`, or where `ADFC_SHARED` says). When it is absent, tests that
/// need it are skipped with a message locally, and fail when `CI` is set (CI
/// always has it: a missing folder there must not pass silently).
pub fn shared() -> Option<PathBuf> {
    let from_env = std::env::var_os("ADFC_SHARED").map(PathBuf::from);
    let candidates = from_env.into_iter().chain([root().join("../shared"), root().join("../../shared")]);
    if let Some(dir) = candidates.into_iter().find(|d| d.is_dir()) {
        return Some(dir);
    }
    let dir = root().join("../shared");
    if std::env::var_os("CI").is_some_and(|v| !v.is_empty()) {
        panic!("CI is set but {} is absent: the corpus and compat tests cannot run", dir.display());
    }
    eprintln!("SKIPPED: {} is absent (real exports and compat configs live there)", dir.display());
    None
}

/// `../shared/corpus`: real ADF exports (see its SOURCES.md).
pub fn corpus() -> Option<PathBuf> {
    shared().map(|s| s.join("corpus"))
}

/// `../shared/compat/BigFactorySample2`: the PowerShell tool's test configs on an ARM version of its sample factory.
pub fn compat() -> Option<PathBuf> {
    shared().map(|s| s.join("compat/BigFactorySample2"))
}

/// `../shared/folderpairs`: real factories as ADF's Git folder beside the template ADF exported from it.
pub fn folderpairs() -> Option<PathBuf> {
    shared().map(|s| s.join("folderpairs"))
}

/// The lines removed and added from `old` to `new` (split on `\n`, so a lost or
/// added final newline shows too), in order, as (`-` or `+`, line).
pub fn line_changes<'t>(old: &'t str, new: &'t str) -> Vec<(char, &'t str)> {
    let a: Vec<&str> = old.split('\n').collect();
    let b: Vec<&str> = new.split('\n').collect();
    let mut changes = Vec::new();
    for op in similar::capture_diff_slices(similar::Algorithm::Myers, &a, &b) {
        let (tag, old_range, new_range) = op.as_tag_tuple();
        if tag == similar::DiffTag::Equal {
            continue;
        }
        changes.extend(a[old_range].iter().map(|line| ('-', *line)));
        changes.extend(b[new_range].iter().map(|line| ('+', *line)));
    }
    changes
}

/// [`line_changes`] as `<sign><leading tabs>|<rest>` strings (`+5|"timeout": "0.02:00:00",`).
pub fn line_diff(old: &str, new: &str) -> Vec<String> {
    line_changes(old, new)
        .into_iter()
        .map(|(sign, line)| {
            let rest = line.trim_start_matches('\t');
            format!("{sign}{}|{rest}", line.len() - rest.len())
        })
        .collect()
}

/// [`line_changes`] as (removed lines, added lines), each trimmed.
pub fn removed_added(old: &str, new: &str) -> (Vec<String>, Vec<String>) {
    let (mut removed, mut added) = (Vec::new(), Vec::new());
    for (sign, line) in line_changes(old, new) {
        if sign == '-' { removed.push(line.trim().to_string()) } else { added.push(line.trim().to_string()) }
    }
    (removed, added)
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

/// Single-file templates under `dir` (each linked part is a valid template
/// too; linked masters are covered by tests/linked.rs), sorted.
pub fn corpus_templates(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else { return found };
    for path in entries.filter_map(Result::ok).map(|e| e.path()) {
        if path.is_dir() {
            found.extend(corpus_templates(&path));
        } else if is_template(&path) {
            found.push(path);
        }
    }
    found.sort();
    found
}

fn is_template(path: &Path) -> bool {
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let template_name = name.ends_with("ARMTemplateForFactory.json")
        || name.ends_with("arm_template.json")
        || (name.starts_with("ArmTemplate_") && name != "ArmTemplate_master.json");
    template_name && std::fs::read_to_string(path).is_ok_and(|t| t.contains("\"resources\""))
}

/// Parameters file adfc picks for a template (mirrors its own lookup).
pub fn parameters_of(template: &Path) -> Option<PathBuf> {
    let name =
        template.file_name()?.to_string_lossy().replace("ARMTemplateForFactory", "ARMTemplateParametersForFactory");
    let name = name.replace("arm_template.json", "arm_template_parameters.json");
    let candidate = template.with_file_name(name);
    (candidate != template && candidate.is_file()).then_some(candidate)
}

/// The template file name of an ADF export.
pub const TEMPLATE: &str = "ARMTemplateForFactory.json";
/// The parameters file name of an ADF export.
pub const PARAMETERS: &str = "ARMTemplateParametersForFactory.json";

/// A copy of a fixture factory (template and parameters) in a temporary
/// folder, where a test writes configs and runs adfc.
pub struct Case {
    pub dir: tempfile::TempDir,
}

/// What one adfc run printed and returned.
pub struct Run {
    /// The command, for messages (`adfc build …`).
    pub what: String,
    /// The folder it ran in.
    pub dir: PathBuf,
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

impl Case {
    /// A copy of `fixtures/<name>`'s template and parameters file.
    pub fn of(name: &str) -> Self {
        let dir = tempfile::tempdir().expect("tempdir");
        for file in [TEMPLATE, PARAMETERS] {
            std::fs::copy(fixture(name).join(file), dir.path().join(file))
                .unwrap_or_else(|e| panic!("copy {name}/{file}: {e}"));
        }
        Case { dir }
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    /// Write a file (and its folders) in the case folder.
    pub fn write(&self, rel: &str, text: impl AsRef<[u8]>) -> PathBuf {
        let path = self.path(rel);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(&path, text).expect("write");
        path
    }

    /// Write a config CSV made of `rows` under the header.
    pub fn config(&self, rel: &str, rows: &str) -> PathBuf {
        self.write(rel, format!("type,name,path,value\n{rows}\n"))
    }

    /// Edit the template as JSON (written back pretty-printed).
    pub fn edit_template(&self, edit: impl FnOnce(&mut serde_json::Value)) {
        let mut template = json(&self.path(TEMPLATE));
        edit(&mut template);
        self.write(TEMPLATE, serde_json::to_string_pretty(&template).expect("json"));
    }

    /// Run adfc in the case folder with `env` added to its (cleared) environment.
    pub fn run(&self, args: &[&str], env: &[(&str, &str)]) -> Run {
        let mut cmd = adfc();
        cmd.current_dir(self.dir.path()).args(args);
        for (k, v) in env {
            cmd.env(k, v);
        }
        let output = cmd.output().expect("run adfc");
        let run = Run {
            what: format!("adfc {}", args.join(" ")),
            dir: self.dir.path().to_path_buf(),
            code: output.status.code(),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        };
        for bad in ["panicked", "RUST_BACKTRACE", "Error: Os", "Os {", "stack backtrace"] {
            let output = format!("{}{}", run.stdout, run.stderr);
            assert!(!output.contains(bad), "{}: output has {bad:?}\n{output}", run.what);
        }
        run
    }
}

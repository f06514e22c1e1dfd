//! Which files `check` looks at, and how they group into stages: a stage is
//! what `build --stage S` applies (`config-S.csv` or `.json`), with the rules
//! file named after it (`S.rules`, `filter.S.txt`).

use std::path::{Path, PathBuf};

use crate::config::stage::stage_roots;

/// The files one stage is checked with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stage {
    /// The stage name (`prod`), or the file's stem for a file of no stage.
    pub name: String,
    /// Its config file, if it has one.
    pub config: Option<PathBuf>,
    /// Rules files that go with it.
    pub rules: Vec<PathBuf>,
}

/// What a file given to `check` is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Config,
    Rules,
}

/// Group `files` (or, when there are none, the `deployment/` files found where
/// `--stage` looks) into stages, in a stable order.
pub fn stages(files: &[PathBuf], root: Option<&Path>, template: &Path) -> Vec<Stage> {
    let files = if files.is_empty() { discover(root, template) } else { with_siblings(files) };
    let mut stages: Vec<Stage> = Vec::new();
    let mut rules: Vec<PathBuf> = Vec::new();
    for file in files {
        match kind(&file) {
            Kind::Config => stages.push(Stage { name: stage_name(&file), config: Some(file), rules: Vec::new() }),
            Kind::Rules => rules.push(file),
        }
    }
    name_apart(&mut stages);
    for file in rules {
        let owner = stages.iter_mut().find(|s| rules_of(&file, &s.name));
        match owner {
            Some(stage) => stage.rules.push(file),
            None => stages.push(Stage { name: stem_of(&file), config: None, rules: vec![file] }),
        }
    }
    stages
}

/// Whether rules file `file` goes with stage `stage` (`prod.rules`,
/// `filter.prod.txt`, `prod.filter.txt`).
fn rules_of(file: &Path, stage: &str) -> bool {
    let (stem, name) = (stem_of(file).to_lowercase(), stage.to_lowercase());
    stem == name || stem.ends_with(&format!(".{name}")) || stem.starts_with(&format!("{name}."))
}

/// The files given, and the files of the same stages beside them: a stage is
/// checked with its config and its rules together even when only one of them
/// is given (pre-commit passes only the files that changed).
fn with_siblings(files: &[PathBuf]) -> Vec<PathBuf> {
    let mut all = files.to_vec();
    for file in files {
        let Some(dir) = file.parent() else { continue };
        let listing: Vec<PathBuf> = std::fs::read_dir(if dir.as_os_str().is_empty() { Path::new(".") } else { dir })
            .map(|entries| entries.filter_map(Result::ok).map(|e| dir.join(e.file_name())).collect())
            .unwrap_or_default();
        let mut siblings: Vec<PathBuf> = match kind(file) {
            Kind::Config => {
                let stage = stage_name(file);
                listing
                    .into_iter()
                    .filter(|p| is_stage_file(p) && kind(p) == Kind::Rules && rules_of(p, &stage))
                    .collect()
            }
            Kind::Rules => listing
                .into_iter()
                .filter(|p| is_stage_file(p) && kind(p) == Kind::Config && rules_of(file, &stage_name(p)))
                .collect(),
        };
        siblings.sort();
        for sibling in siblings {
            if !all.iter().any(|f| same_file(f, &sibling)) {
                all.push(sibling);
            }
        }
    }
    all
}

fn same_file(a: &Path, b: &Path) -> bool {
    a == b || matches!((a.canonicalize(), b.canonicalize()), (Ok(a), Ok(b)) if a == b)
}

/// Stages of one name from two files (`config-prod.csv` and `config-prod.json`)
/// are told apart by their file names.
fn name_apart(stages: &mut [Stage]) {
    let names: Vec<String> = stages.iter().map(|s| s.name.to_lowercase()).collect();
    for stage in stages.iter_mut() {
        if names.iter().filter(|n| **n == stage.name.to_lowercase()).count() > 1
            && let Some(file) = stage.config.as_ref().and_then(|c| c.file_name())
        {
            stage.name = format!("{} ({})", stage.name, file.to_string_lossy());
        }
    }
}

/// `deployment/config-*.csv|json`, `deployment/*.rules` and `deployment/filter*.txt`
/// in the first folder `--stage` would search that has a `deployment/` folder.
fn discover(root: Option<&Path>, template: &Path) -> Vec<PathBuf> {
    let Some(dir) = stage_roots(root, template).into_iter().map(|r| r.join("deployment")).find(|d| d.is_dir()) else {
        return Vec::new();
    };
    let mut found: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map(|entries| entries.filter_map(Result::ok).map(|e| e.path()).filter(|p| is_stage_file(p)).collect())
        .unwrap_or_default();
    found.sort();
    found
}

fn is_stage_file(path: &Path) -> bool {
    let name = path.file_name().map(|n| n.to_string_lossy().to_lowercase()).unwrap_or_default();
    let config = name.starts_with("config-") && (name.ends_with(".csv") || name.ends_with(".json"));
    let rules = name.ends_with(".rules") || (name.starts_with("filter") && name.ends_with(".txt"));
    path.is_file() && (config || rules)
}

/// Config by extension (`.csv`, `.json`); rules by extension (`.rules`,
/// `.txt`) or, for anything else, by content (a CSV header means config).
fn kind(path: &Path) -> Kind {
    let extension = path.extension().map(|e| e.to_string_lossy().to_lowercase()).unwrap_or_default();
    match extension.as_str() {
        "csv" | "json" => Kind::Config,
        "rules" | "txt" => Kind::Rules,
        _ => {
            let head = std::fs::read_to_string(path).unwrap_or_default();
            let first =
                head.trim_start_matches('\u{feff}').lines().next().unwrap_or("").replace(' ', "").to_lowercase();
            if first == "type,name,path,value" { Kind::Config } else { Kind::Rules }
        }
    }
}

/// `config-prod.csv` → `prod`; any other file → its stem.
fn stage_name(path: &Path) -> String {
    let stem = stem_of(path);
    match stem.get(..7) {
        Some(prefix) if prefix.eq_ignore_ascii_case("config-") => stem[7..].to_string(),
        _ => stem,
    }
}

fn stem_of(path: &Path) -> String {
    path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default()
}

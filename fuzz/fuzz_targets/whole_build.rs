//! The whole `build` (library entry) on a small template with a fuzzed
//! config file and a fuzzed rules file: it succeeds or fails with
//! diagnostics, never panics, and what it writes is valid JSON.
//!
//! The input is the config text, a NUL byte, then the rules text.
#![no_main]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use adfc::config::env::Environment;
use adfc::input::TemplateOptions;
use adfc::select::SelectOptions;
use adfc::{BuildOptions, CompileOptions};
use libfuzzer_sys::fuzz_target;

const TEMPLATE: &str = include_str!("../../fixtures/config/mini/ARMTemplateForFactory.json");
const PARAMETERS: &str = include_str!("../../fixtures/config/mini/ARMTemplateParametersForFactory.json");

fn workdir() -> &'static Path {
    static DIR: OnceLock<tempfile::TempDir> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::write(dir.path().join("ARMTemplateForFactory.json"), TEMPLATE).expect("template");
        std::fs::write(dir.path().join("ARMTemplateParametersForFactory.json"), PARAMETERS).expect("parameters");
        dir
    })
    .path()
}

fn options(dir: &Path, config: PathBuf, rules: PathBuf) -> BuildOptions {
    let env = BTreeMap::from([("SECRET".to_string(), "s3cr3t".to_string()), ("URL".to_string(), "https://x".into())]);
    let mut compile = CompileOptions {
        template: TemplateOptions { template: dir.join("ARMTemplateForFactory.json"), ..TemplateOptions::default() },
        select: SelectOptions { rules_files: vec![rules], ..SelectOptions::default() },
        env: Environment::Vars(env),
        ..CompileOptions::default()
    };
    compile.config.configs = vec![config];
    BuildOptions { compile, out_dir: None, plan: None, diff: None }
}

fuzz_target!(|data: &[u8]| {
    let mut parts = data.splitn(2, |b| *b == 0);
    let config = parts.next().unwrap_or_default();
    let rules = parts.next().unwrap_or_default();
    let dir = workdir();
    let (config_path, rules_path) = (dir.join("config-fuzz.csv"), dir.join("rules.txt"));
    std::fs::write(&config_path, config).expect("config");
    std::fs::write(&rules_path, rules).expect("rules");
    if let Ok(build) = adfc::build(&options(dir, config_path, rules_path)) {
        for file in &build.files {
            if let Err(e) = serde_json::from_str::<serde_json::Value>(&file.text) {
                panic!("{} is not JSON ({e}):\n{}", file.name.display(), file.text);
            }
        }
    }
});

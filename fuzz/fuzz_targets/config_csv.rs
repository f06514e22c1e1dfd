//! The CSV config reader (`config-<stage>.csv`): any bytes read as a config
//! file yield rows and diagnostics, never a panic.
#![no_main]

use std::collections::BTreeMap;
use std::path::PathBuf;

use adfc::config::env::Environment;
use adfc::config::{ReadOptions, UnsetEnv, read_file};
use adfc::diag::Report;
use adfc::source::Sources;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let env = Environment::Vars(BTreeMap::from([("SET".to_string(), "value".to_string())]));
    let mut sources = Sources::new();
    let id = sources.add(PathBuf::from("config-fuzz.csv"), text.to_string());
    for unset in [UnsetEnv::Error, UnsetEnv::Warning] {
        let options = ReadOptions { env: &env, unset, literal_secrets_are_warnings: true };
        let mut report = Report::default();
        let _ = read_file(&sources, id, options, &mut report);
    }
});

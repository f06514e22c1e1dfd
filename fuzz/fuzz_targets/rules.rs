//! The selection rules parser (rules files and `--include`/`--exclude`
//! arguments): any text yields rules and errors, never a panic.
#![no_main]

use std::path::PathBuf;

use adfc::select::rules::{decide, parse_cli, parse_file};
use adfc::source::Sources;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let mut sources = Sources::new();
    let id = sources.add(PathBuf::from("rules.txt"), text.to_string());
    let (rules, _errors) = parse_file(id, text);
    for rule in &rules {
        let _ = rule.matches("pipeline", "PL_Copy", Some("ETL/Daily"));
    }
    let _ = decide(&rules, "dataset", "DS [x]*", None);
    for exclude in [false, true] {
        if let Ok(rules) = parse_cli(exclude, text) {
            let _ = decide(&rules, "linkedService", "LS_Sql", None);
        }
    }
});

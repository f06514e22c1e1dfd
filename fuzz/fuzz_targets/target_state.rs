//! The target-state reader (`--target-state`: az CLI, Az PowerShell or a
//! trigger map): any file yields objects and diagnostics, never a panic.
#![no_main]

use std::path::PathBuf;

use adfc::diag::Report;
use adfc::source::Sources;
use adfc::target_state::read;
use adfc::template::ObjectType;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let mut sources = Sources::new();
    let id = sources.add(PathBuf::from("state.json"), text.to_string());
    let mut report = Report::default();
    let state = read(&[id], &sources, &mut report);
    let _ = state.get(ObjectType::Trigger, "TR_Daily");
    let _ = state.knows_triggers();
    for object in state.of_type(ObjectType::Pipeline) {
        let _ = object.id();
    }
});

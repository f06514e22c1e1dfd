//! The config path grammar (`+typeProperties.a["b c"][0]`, `$.properties.x`):
//! any text parses or is an error, never a panic, and
//! every step's span is a slice of the text.
#![no_main]

use adfc::config::path::{Path, display_steps, parse};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    if let Ok(path) = parse(text) {
        let _ = path.secret_key();
        if let Path::Steps { steps, .. } = &path {
            for step in steps {
                assert!(text.get(step.span.clone()).is_some(), "step span {:?} is not within {text:?}", step.span);
            }
            let segments: Vec<_> = steps.iter().map(|s| s.segment.clone()).collect();
            let _ = display_steps(&segments);
        }
    }
});

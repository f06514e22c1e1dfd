//! The ARM expression parser: any string classifies and parses or is an
//! error, never a panic; a parsed expression renders back to text that
//! parses to an equal tree; escaping a literal always round-trips.
#![no_main]

use adfc::template::expr::{self, NoVariables, StrKind};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    if let Ok(parsed) = expr::parse(text) {
        let rendered = parsed.to_string();
        let again = expr::parse(&rendered).expect("a rendered expression parses");
        assert_eq!(parsed, again, "rendered as {rendered:?}");
    }
    let _ = expr::parse_value(text);
    let _ = expr::refs_in_value(text, &mut |_, _| {});
    let _ = expr::eval_value(text, &NoVariables);
    let _ = expr::resource_name_segments(text, "factoryName", &NoVariables);
    let _ = expr::dependency_target(text, "factoryName", &NoVariables);
    let escaped = expr::escape_literal(text);
    match expr::classify(&escaped) {
        StrKind::Literal(back) => assert_eq!(back, text),
        StrKind::Expression(inner) => panic!("escaped literal {text:?} read as expression {inner:?}"),
    }
});

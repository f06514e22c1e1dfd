//! The lossless JSON scanner and writer: invalid input is an error, never a
//! panic; valid input written back unexpanded is byte-identical, written
//! back fully expanded is the same JSON (and a second write changes
//! nothing); the scanner agrees with serde_json on what is invalid (but for keys given twice,
//! which adfc rejects).
#![no_main]

use adfc::json::Node;
use adfc::json::scan::{self, SyntaxErrorKind};
use adfc::json::write::{Style, write_node};
use libfuzzer_sys::fuzz_target;

fn expand_all(node: &mut Node<'_>) {
    node.expand().expect("a validated value expands");
    match node {
        Node::Object(members) => members.iter_mut().for_each(|m| expand_all(&mut m.value)),
        Node::Array(items) => items.iter_mut().for_each(expand_all),
        Node::Raw(_) => {}
    }
}

fn write(node: &Node<'_>, style: &Style) -> String {
    let mut out = String::new();
    write_node(node, 0, style, &mut out);
    out
}

fuzz_target!(|text: &str| {
    let range = match scan::validate(text) {
        Ok(range) => range,
        // Stricter than serde_json on purpose: a key given twice.
        Err(e) if matches!(e.kind, SyntaxErrorKind::DuplicateKey { .. }) => return,
        Err(_) => {
            assert!(serde_json::from_str::<serde_json::Value>(text).is_err(), "serde_json accepts {text:?}");
            return;
        }
    };
    let value = &text[range];
    let style = Style::detect(text);
    assert_eq!(write(&Node::raw(value), &style), value);
    let mut node = Node::raw(value);
    expand_all(&mut node);
    let written = write(&node, &style);
    let mut again = Node::raw(&written);
    expand_all(&mut again);
    assert_eq!(write(&again, &style), written, "writing is not idempotent");
    if let Ok(expected) = serde_json::from_str::<serde_json::Value>(value) {
        let got: serde_json::Value = serde_json::from_str(&written).expect("written JSON parses");
        assert_eq!(got, expected);
    }
    let _ = scan::object_members(text);
    let _ = scan::array_elements(text);
    let _ = scan::document(text);
});

//! Unit tests of `stringify`.

use serde_json::json;

use super::*;

#[test]
fn writes_like_json_stringify_with_four_spaces() {
    let value = json!({"a": [1, {"b": "x/y"}], "e": {}, "f": [], "g": null, "h": true});
    let expected = "{\n    \"a\": [\n        1,\n        {\n            \"b\": \"x/y\"\n        }\n    ],\n    \"e\": {},\n    \"f\": [],\n    \"g\": null,\n    \"h\": true\n}";
    assert_eq!(stringify(&value, "    "), expected);
}

#[test]
fn escapes_only_quotes_backslashes_and_control_characters() {
    let value = json!("é \"q\" \\ \u{1f}\u{0}\n\t\u{8}\u{c}");
    assert_eq!(stringify(&value, "\t"), "\"é \\\"q\\\" \\\\ \\u001f\\u0000\\n\\t\\b\\f\"");
}

#[test]
fn numbers_print_as_javascript_does() {
    let value: Value = serde_json::from_str("[3306, -1, 1.5, 2.0, 0.25]").unwrap();
    assert_eq!(stringify(&value, ""), "[\n3306,\n-1,\n1.5,\n2,\n0.25\n]");
}

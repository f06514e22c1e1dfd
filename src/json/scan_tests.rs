//! Unit tests of `scan`.

use super::*;

#[test]
fn validates_good_documents() {
    for text in ["{}", "[]", " {\"a\": [1, -2.5e3, true, false, null, \"x\\u00e9\\n\"]}\n", "\u{feff}{}"] {
        assert!(validate(text).is_ok(), "{text}");
    }
}

#[test]
fn rejects_bad_documents_with_offsets() {
    let cases = [
        ("{\"a\": }", 6),
        ("{\"a\" 1}", 5),
        ("[1,]", 2),
        ("{\"a\": 1,\n}", 7),
        ("[01]", 1),
        ("\"abc", 0),
        ("{} x", 3),
        ("[\"\\q\"]", 3),
        ("", 0),
    ];
    for (text, offset) in cases {
        let err = validate(text).unwrap_err();
        assert_eq!(err.offset, offset, "{text}: {err}");
    }
}

#[test]
fn deep_nesting_is_an_error_not_a_crash() {
    let text = "[".repeat(100_000);
    assert!(validate(&text).unwrap_err().to_string().contains("nesting"));
}

#[test]
fn splits_members_and_elements() {
    let members = object_members("{ \"a\" : 1 , \"b\\\"\": {\"c\": [2]} }").unwrap();
    assert_eq!(members, vec![("\"a\"", "1"), ("\"b\\\"\"", "{\"c\": [2]}")]);
    assert_eq!(array_elements("[ 1, \"x\" ,{} ]").unwrap(), vec!["1", "\"x\"", "{}"]);
}

#[test]
fn fast_string_skip_finds_every_special_byte() {
    for text in ["abcdefghijklmnop\"", "ab\\\"cdefghijk\"", "abcdefgh\u{1}ij", "é€𝄞abcdefgh\"", "short\""] {
        let bytes = text.as_bytes();
        let slow = bytes.iter().position(|&b| b == b'"' || b == b'\\' || b < 0x20).unwrap_or(bytes.len());
        assert_eq!(skip_plain(bytes, 0), slow, "{text:?}");
    }
}

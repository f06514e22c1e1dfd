//! Unit tests of `write`.

use super::*;

fn round_trip(text: &str) -> String {
    let mut node = Node::raw(text);
    node.expand().unwrap();
    if let Node::Object(members) = &mut node {
        for m in members {
            m.value.expand().unwrap();
        }
    }
    let mut out = String::new();
    write_node(&node, 0, &Style::detect(text), &mut out);
    out
}

#[test]
fn expanded_containers_come_out_byte_identical() {
    for text in [
        "{\n\t\"a\": {\n\t\t\"b\": [\n\t\t\t1,\n\t\t\t{}\n\t\t]\n\t},\n\t\"c\": []\n}",
        "{\n    \"a\": [\n        \"x\"\n    ]\n}",
        "{\r\n  \"a\": {\r\n    \"b\": true\r\n  }\r\n}",
        "{\"a\":{\"b\":[1,2]}}",
    ] {
        assert_eq!(round_trip(text), text);
    }
}

#[test]
fn the_colon_style_is_read_after_the_first_key_even_when_the_key_holds_colons() {
    // Found by fuzz/json_roundtrip: the key's own `":` was taken for the separator.
    let text = "{\n  \"::::L:`::Se\\tof\" : [\n    {}\n  ]\n}";
    assert_eq!(Style::detect(text).colon, " : ");
    assert_eq!(round_trip(text), text);
    assert_eq!(Style::detect("{\"a\\\"\":1}").colon, ":");
    assert_eq!(Style::detect("{\"a\"").colon, ":");
}

#[test]
fn the_colon_style_comes_from_the_first_key_not_the_first_string() {
    assert_eq!(Style::detect("[\n  \"a\",\n  {\n    \"b\" : 1\n  }\n]").colon, " : ");
}

//! Unit tests of `node`.

use super::*;

#[test]
fn expands_one_level_and_keeps_siblings_raw() {
    let mut node = Node::raw("{\"a\": {\"b\": 1}, \"c\": [1, 2]}");
    let a = node.get_mut("a").unwrap().unwrap();
    assert_eq!(*a, Node::raw("{\"b\": 1}"));
    a.insert("b", Node::Raw("2".into())).unwrap();
    let Node::Object(members) = &node else { panic!() };
    assert_eq!(members[1].value, Node::raw("[1, 2]"));
}

#[test]
fn insert_appends_and_remove_keeps_order() {
    let mut node = Node::raw("{\"a\": 1, \"b\": 2, \"c\": 3}");
    node.remove("a").unwrap();
    node.insert("d", Node::string("x")).unwrap();
    assert_eq!(node.keys(), vec!["b", "c", "d"]);
}

#[test]
fn strings_round_trip() {
    for s in ["plain", "quote \" back \\ nl \n tab \t nul \u{0} é ¦ 名"] {
        assert_eq!(decode_str(&encode_str(s)).unwrap(), s);
    }
    assert!(key_is("\"a\\u0062\"", "ab"));
}

#[test]
fn owned_values_keep_number_text() {
    let node = Node::parse_owned("{\"n\": 2.50, \"a\": [1e3]}").unwrap();
    let mut out = String::new();
    write_compact(&node, &mut out);
    assert_eq!(out, "{\"n\":2.50,\"a\":[1e3]}");
}

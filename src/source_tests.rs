//! Unit tests of `source`.

use super::*;

fn file(text: &str) -> (Sources, FileId) {
    let mut sources = Sources::new();
    let id = sources.add(PathBuf::from("f.json"), text.to_string());
    (sources, id)
}

#[test]
fn line_and_column() {
    let (sources, id) = file("ab\ncé\nx");
    assert_eq!(sources.get(id).line_col(6), (2, 3));
    assert_eq!(sources.get(id).line_col(0), (1, 1));
    assert_eq!(sources.get(id).line_col(99), (3, 2));
}

#[test]
fn line_ranges_exclude_terminators() {
    let (sources, id) = file("ab\r\ncd\n\nx");
    let f = sources.get(id);
    let lines: Vec<&str> = (0..4).map(|l| &f.text()[f.line_range(l)]).collect();
    assert_eq!(lines, ["ab", "cd", "", "x"]);
}

#[test]
fn named_files_are_replaced_when_read() {
    let mut sources = Sources::new();
    let named = sources.name(Path::new("x.csv"));
    assert!(!sources.get(named).has_text());
    let added = sources.add(PathBuf::from("x.csv"), "a".into());
    assert_eq!(named, added);
    assert!(sources.get(added).has_text());
}

#[test]
fn offsets_of_borrowed_slices() {
    let (sources, id) = file("{\"a\": 1}");
    let text = sources.get(id).text();
    assert_eq!(sources.offset_of(id, &text[6..7]), Some(6));
    assert_eq!(sources.offset_of(id, "elsewhere"), None);
}

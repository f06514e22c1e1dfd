use super::*;

#[test]
fn short_values_are_kept_whole() {
    assert_eq!(shorten_pair("\"a\"", "\"b\"", 80), ("\"a\"".to_string(), "\"b\"".to_string()));
}

#[test]
fn long_values_are_shortened_around_the_difference() {
    let head = "x".repeat(100);
    let tail = "y".repeat(100);
    let (old, new) = shorten_pair(&format!("{head}OLD{tail}"), &format!("{head}NEW{tail}"), 40);
    assert!(old.starts_with('…') && old.ends_with('…'), "{old}");
    assert!(old.contains("OLD") && new.contains("NEW"), "{old} / {new}");
    assert!(old.chars().count() <= 42 && new.chars().count() <= 42, "{old} / {new}");
}

#[test]
fn a_difference_at_the_start_keeps_the_start() {
    let (old, new) = shorten_pair(&format!("a{}", "z".repeat(200)), &format!("b{}", "z".repeat(200)), 20);
    assert!(old.starts_with('a') && new.starts_with('b'), "{old} / {new}");
    assert!(old.ends_with('…'));
}

#[test]
fn one_value_is_cut_at_its_end() {
    assert_eq!(shorten("abcdef", 4), "abc…");
    assert_eq!(shorten("abc", 4), "abc");
}

#[test]
fn counts_name_only_what_is_there() {
    let counts = Counts { changed: 2, unchanged: 1, ..Counts::default() };
    assert_eq!(counts_line(&counts), "3 objects: 2 changed, 1 unchanged");
    assert_eq!(counts_line(&Counts::default()), "0 objects");
}

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

fn big_diff(objects: usize) -> Diff {
    use crate::diff::{ObjectDiff, Status};
    let change = PropertyChange {
        path: "typeProperties.url".into(),
        kind: ChangeKind::Changed,
        old: Some(Shown::Value(serde_json::json!("x".repeat(60)))),
        new: Some(Shown::Value(serde_json::json!("y".repeat(60)))),
        parameter: None,
        old_parameter: None,
        origins: Vec::new(),
    };
    Diff {
        mode: Mode::Templates,
        old: "old".into(),
        new: "new".into(),
        objects: (0..objects)
            .map(|i| ObjectDiff {
                otype: crate::template::ObjectType::Pipeline,
                name: format!("PL_{i}"),
                label: format!("pipeline.PL_{i}"),
                status: Status::Changed,
                reason: None,
                changes: vec![change.clone(); 3],
                texts: None,
            })
            .collect(),
        unchanged: 0,
        parameters: Vec::new(),
        not_compared: Vec::new(),
        warnings: Vec::new(),
        sources: crate::source::Sources::new(),
    }
}

#[test]
fn markdown_keeps_within_the_comment_limit_and_says_what_it_left_out() {
    let text = markdown::markdown(&big_diff(2_000), markdown::COMMENT_LIMIT);
    assert!(text.len() <= markdown::COMMENT_LIMIT, "{} bytes", text.len());
    assert!(text.contains("more object(s) not shown"), "{}", &text[text.len() - 300..]);
    let small = markdown::markdown(&big_diff(3), markdown::COMMENT_LIMIT);
    assert!(!small.contains("not shown") && small.matches("<details>").count() == 3, "{small}");
}

#[test]
fn unified_caps_each_object() {
    let long: String = (0..2_000).map(|i| format!("line {i}\n")).collect();
    let capped = unified::cap(&long, 10);
    assert_eq!(capped.lines().count(), 11);
    assert!(capped.ends_with("# … 1,990 more line(s) of this object's diff not shown\n"), "{capped}");
}

use serde_json::json;

use super::*;

fn found(old: Value, new: Value) -> Vec<Found> {
    diff(&old, &ParameterValues::default(), &new, &ParameterValues::default())
}

/// `path kind old new` per difference.
fn lines(old: Value, new: Value) -> Vec<String> {
    found(old, new)
        .into_iter()
        .map(|f| {
            let value = |v: Option<Value>| v.map_or_else(|| "-".to_string(), |v| v.to_string());
            let kind = match f.kind {
                ChangeKind::Moved { from, to } => format!("moved {from}->{to}"),
                other => other.as_str().to_string(),
            };
            format!("{} {kind} {} {}", crate::config::path::display_steps(&f.path), value(f.old), value(f.new))
        })
        .collect()
}

fn activity(name: &str, wait: u32) -> Value {
    json!({"name": name, "type": "Wait", "typeProperties": {"waitTimeInSeconds": wait}})
}

#[test]
fn objects_compare_key_by_key() {
    let old = json!({"a": 1, "b": {"c": "x", "gone": true}});
    let new = json!({"b": {"c": "y", "new": null}, "a": 1});
    assert_eq!(lines(old, new), ["b.c changed \"x\" \"y\"", "b.gone removed true -", "b.new added - null"]);
}

#[test]
fn named_elements_match_by_name_so_a_move_is_one_entry() {
    let old = json!({"activities": [activity("A", 1), activity("B", 2), activity("C", 3), activity("D", 4)]});
    let new = json!({"activities": [activity("B", 2), activity("C", 3), activity("A", 1), activity("D", 5)]});
    assert_eq!(
        lines(old, new),
        ["activities[\"A\"] moved 0->2 - -", "activities[\"D\"].typeProperties.waitTimeInSeconds changed 4 5"]
    );
}

#[test]
fn a_renamed_element_is_one_entry() {
    let old = json!([activity("Wait 1", 1), activity("Wait 2", 2)]);
    let new = json!([activity("Wait one", 1), activity("Wait 2", 2)]);
    assert_eq!(lines(old, new), ["[\"Wait one\"] renamed \"Wait 1\" \"Wait one\""]);
}

#[test]
fn a_renamed_and_edited_element_of_the_same_type_is_a_rename_with_changes() {
    let old = json!([activity("Wait 1", 1), activity("Wait 2", 2)]);
    let new = json!([activity("Wait 2", 2), activity("Pause", 9)]);
    assert_eq!(
        lines(old, new),
        [
            "[\"Wait 2\"] moved 1->0 - -",
            "[\"Pause\"] renamed \"Wait 1\" \"Pause\"",
            "[\"Pause\"].typeProperties.waitTimeInSeconds changed 1 9"
        ]
    );
}

#[test]
fn added_and_removed_elements_by_name() {
    let old = json!([activity("A", 1), json!({"name": "B", "type": "Copy"})]);
    let new = json!([activity("A", 1), json!({"name": "C", "type": "Wait"})]);
    assert_eq!(
        lines(old, new),
        ["[\"B\"] removed {\"name\":\"B\",\"type\":\"Copy\"} -", "[\"C\"] added - {\"name\":\"C\",\"type\":\"Wait\"}"]
    );
}

#[test]
fn short_scalar_lists_are_one_value_and_long_ones_a_sequence() {
    assert_eq!(lines(json!({"h": [2]}), json!({"h": [1, 13]})), ["h changed [2] [1,13]"]);
    let long: Vec<String> = (0..20).map(|i| format!("line number {i}")).collect();
    let mut longer = long.clone();
    longer.insert(5, "inserted".into());
    longer.remove(15);
    assert_eq!(lines(json!(long), json!(longer)), ["[5] added - \"inserted\"", "[14] removed \"line number 14\" -"]);
}

#[test]
fn parameter_references_compare_by_value() {
    let mut old_params = ParameterValues::default();
    old_params.declare("U", Some("string"), None, Some("\"https://dev\""));
    let mut new_params = ParameterValues::default();
    new_params.declare("U", Some("securestring"), None, Some("\"https://prod\""));
    let reference = json!({"url": "[parameters('U')]"});
    let found = diff(&reference, &old_params, &reference, &new_params);
    assert_eq!(found.len(), 1);
    assert_eq!((found[0].parameter.as_deref(), found[0].old_secure, found[0].new_secure), (Some("U"), false, true));
    let literal = json!({"url": "https://dev"});
    assert!(diff(&literal, &old_params, &reference, &old_params).is_empty(), "a value moved to the parameters file");
    let moved_out = diff(&reference, &old_params, &json!({"url": "https://prod"}), &new_params);
    assert_eq!((moved_out[0].parameter.as_deref(), moved_out[0].old_parameter.as_deref()), (None, Some("U")));
}

#[test]
fn longest_increasing_keeps_the_most_elements_in_place() {
    assert_eq!(longest_increasing(&[1, 2, 0, 3]), [true, true, false, true]);
    assert_eq!(longest_increasing(&[]), Vec::<bool>::new());
    assert_eq!(longest_increasing(&[3, 2, 1]).iter().filter(|b| **b).count(), 1);
}

#[test]
fn row_paths_are_normalized_to_names() {
    let value = json!({"properties": {"activities": [activity("Copy Data", 1)], "list": [1, 2]}});
    let steps = |s: &[Segment]| display_steps_of(&normalize(s, &value));
    let key = |k: &str| Segment::Key(k.into());
    assert_eq!(
        steps(&[key("properties"), key("activities"), Segment::Index(0), key("name")]),
        "properties.activities[\"Copy Data\"].name"
    );
    assert_eq!(steps(&[key("properties"), key("list"), Segment::Index(1)]), "properties.list[1]");
    assert_eq!(steps(&[key("properties"), key("gone"), Segment::Index(3)]), "properties.gone[3]");
}

fn display_steps_of(steps: &[Segment]) -> String {
    crate::config::path::display_steps(steps)
}

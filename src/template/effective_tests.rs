use std::collections::HashSet;

use super::*;

fn params(entries: &[(&str, Option<&str>, Option<&str>)]) -> ParameterValues {
    let mut values = ParameterValues::default();
    for (name, default, value) in entries {
        values.declare(name, Some("string"), *default, *value);
    }
    values
}

#[test]
fn exact_parameter_references_only() {
    assert_eq!(parameter_reference("[parameters('P')]").as_deref(), Some("P"));
    assert_eq!(parameter_reference("[ Parameters( 'a b' ) ]").as_deref(), Some("a b"));
    assert_eq!(parameter_reference("[[parameters('P')]"), None);
    assert_eq!(parameter_reference("[concat(parameters('P'), 'x')]"), None);
    assert_eq!(parameter_reference("parameters('P')"), None);
}

#[test]
fn values_come_from_the_file_then_the_default() {
    let p = params(&[("A", Some("\"d\""), Some("\"v\"")), ("B", Some("\"d\""), None), ("C", None, None)]);
    assert_eq!(p.get("a").and_then(|v| v.value.clone()), Some(Value::from("v")));
    assert_eq!(p.get("B").and_then(|v| v.value.clone()), Some(Value::from("d")));
    assert_eq!(p.get("C").and_then(|v| v.value.clone()), None);
    let names: Vec<&str> = p.iter().map(|v| v.name.as_str()).collect();
    assert_eq!(names, ["A", "B", "C"]);
}

#[test]
fn identical_text_differs_only_through_a_changed_parameter() {
    let text = r#"{"properties": {"url": "[parameters('U')]", "x": "[concat('a')]"}}"#;
    let old = params(&[("U", None, Some("\"https://dev\""))]);
    let new = params(&[("U", None, Some("\"https://prod\""))]);
    let differing = old.differing(&new);
    assert!(!same_resource((text, &old), (text, &new), &differing, &[]));
    assert!(same_resource((text, &old), (text, &old), &HashSet::new(), &[]));
    let other = params(&[("U", None, Some("\"https://dev\"")), ("V", None, Some("1"))]);
    assert!(same_resource((text, &old), (text, &other), &old.differing(&other), &[]));
}

#[test]
fn a_value_moved_to_the_parameters_file_is_the_same() {
    let p = params(&[("U", None, Some("\"https://x\""))]);
    let old = r#"{"properties": {"url": "https://x"}, "dependsOn": ["a"]}"#;
    let new = "{\n\t\"dependsOn\": [],\n\t\"properties\": {\"url\": \"[parameters('U')]\"}\n}";
    assert!(same_resource((old, &p), (new, &p), &HashSet::new(), &["dependsOn"]));
    assert!(!same_resource((old, &p), (new, &p), &HashSet::new(), &[]));
}

#[test]
fn escaped_references_are_found_in_text() {
    let found: Vec<String> =
        referenced_parameters(r#"{"a": "[parameters('x')]", "b": "q\"[parameters('y')]"}"#).collect();
    assert_eq!(found, ["x"]);
}

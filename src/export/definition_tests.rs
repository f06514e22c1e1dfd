//! Unit tests of the parameterization-definition grammar.

use super::*;

fn spec(text: &str) -> Spec {
    parse_spec(text).unwrap_or_else(|e| panic!("{text}: {e}"))
}

#[test]
fn actions() {
    assert_eq!(spec("=").action, Action::KeepDefault);
    assert_eq!(spec("-").action, Action::NoDefault);
    assert_eq!(spec("|").action, Action::Secret);
}

#[test]
fn names_path_short_and_last_segment() {
    assert_eq!(spec("=").name, ParamName::Path);
    assert_eq!(spec("=::int").name, ParamName::Path);
    assert_eq!(spec("=:-freq").name, ParamName::Short("freq".into()));
    assert_eq!(spec("=:triggerSuffix:int").name, ParamName::Last("triggerSuffix".into()));
    assert_eq!(spec("|:-connectionString:secureString").name, ParamName::Short("connectionString".into()));
}

#[test]
fn types_are_case_insensitive_and_written_as_arm_spells_them() {
    assert_eq!(spec("-::secureString").ptype, Some(ParamType::SecureString));
    assert_eq!(spec("-::SECURESTRING").ptype.map(ParamType::as_str), Some("secureString"));
    assert_eq!(spec("=::object").ptype, Some(ParamType::Object));
    assert_eq!(spec("=::secureobject").ptype.map(ParamType::as_str), Some("secureObject"));
    assert_eq!(spec("=:-webUrl:string").ptype, Some(ParamType::String));
    assert_eq!(spec("=").ptype, None);
}

#[test]
fn bad_specs_say_what_is_wrong() {
    assert_eq!(parse_spec("x"), Err(SpecError::Action("x".into())));
    assert_eq!(parse_spec(""), Err(SpecError::Action(String::new())));
    assert_eq!(parse_spec("=::text"), Err(SpecError::Type("text".into())));
    assert_eq!(parse_spec("=:a:int:b"), Err(SpecError::Parts("=:a:int:b".into())));
}

#[test]
fn explicit_keys_win_over_star() {
    let text = r#"{"Microsoft.DataFactory/factories/triggers": {"properties": {"typeProperties": {"recurrence": {"*": "=", "interval": "=:triggerSuffix:int"}}}}}"#;
    let definition = parse(text, crate::source::FileId::for_tests()).expect("valid");
    let rule = definition.rule_for("microsoft.datafactory/factories/TRIGGERS", None).expect("trigger rule");
    let recurrence =
        rule.member("properties").and_then(|r| r.member("typeProperties")).and_then(|r| r.member("recurrence"));
    let recurrence = recurrence.expect("recurrence");
    assert_eq!(recurrence.member("interval"), Some(&Rule::Leaf(spec("=:triggerSuffix:int"))));
    assert_eq!(recurrence.member("frequency"), Some(&Rule::Leaf(spec("="))));
}

#[test]
fn linked_services_are_keyed_by_their_type_and_a_specific_type_replaces_star() {
    let text = r#"{"Microsoft.DataFactory/factories/linkedServices": {
        "*": {"properties": {"typeProperties": {"url": "="}}},
        "RestService": {"properties": {"typeProperties": {"authHeaders": "="}}}}}"#;
    let definition = parse(text, crate::source::FileId::for_tests()).expect("valid");
    let ls = "Microsoft.DataFactory/factories/linkedServices";
    let typed = |t| definition.rule_for(ls, Some(t)).and_then(|r| r.member("properties")?.member("typeProperties"));
    assert!(typed("RestService").and_then(|r| r.member("url")).is_none());
    assert!(typed("RestService").and_then(|r| r.member("authHeaders")).is_some());
    assert!(typed("AzureBlobFS").and_then(|r| r.member("url")).is_some());
}

#[test]
fn arrays_carry_the_element_rule_and_the_naming_path() {
    let text = r#"{"Microsoft.DataFactory/factories/triggers": {"properties": {"pipelines": [{"parameters": {"*": "="}}, "pipelineReference.referenceName"]}}}"#;
    let definition = parse(text, crate::source::FileId::for_tests()).expect("valid");
    let rule =
        definition.rule_for("Microsoft.DataFactory/factories/triggers", None).and_then(|r| r.member("properties"));
    let Some(Rule::Array(element, namer)) = rule.and_then(|r| r.member("pipelines")) else { panic!("array rule") };
    assert_eq!(namer.as_deref(), Some(&["pipelineReference".to_string(), "referenceName".to_string()][..]));
    assert!(element.member("parameters").is_some());
}

#[test]
fn every_problem_is_reported_with_its_span() {
    let text = r#"{"Microsoft.DataFactory/factories/pipelines": {"a": "?", "b": "=::nope", "c": []}}"#;
    let problems = parse(text, crate::source::FileId::for_tests()).expect_err("invalid");
    assert_eq!(problems.len(), 3);
    let spans: Vec<&str> = problems.iter().map(|d| &text[d.location.as_ref().unwrap().span.clone().unwrap()]).collect();
    assert_eq!(spans, ["\"?\"", "\"=::nope\"", "[]"]);
}

#[test]
fn the_default_definition_parses() {
    let definition = default_definition();
    let ls = definition.rule_for("Microsoft.DataFactory/factories/linkedServices", Some("AzureBlobFS"));
    let url = ls.and_then(|r| r.member("properties")?.member("typeProperties")?.member("url").cloned());
    assert_eq!(url, Some(Rule::Leaf(spec("="))));
    assert!(parse(DEFAULT, crate::source::FileId::for_tests()).is_ok());
}

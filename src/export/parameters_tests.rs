//! Unit tests of applying a parameterization definition.

use serde_json::json;

use super::*;
use crate::export::definition::{parse, parse_spec};
use crate::source::FileId;

/// Apply the definition `definition` (for ARM type `rtype`) to `properties` of `object`.
fn run(definition: &str, rtype: &str, object: &str, properties: Value) -> (Value, Vec<(String, Value)>) {
    let definition = parse(definition, FileId::for_tests()).expect("valid definition");
    let object_type = properties.get("type").and_then(Value::as_str).map(str::to_string);
    let rule = definition.rule_for(rtype, object_type.as_deref()).expect("a rule").clone();
    let mut root = Map::new();
    root.insert("properties".into(), properties);
    let mut parameters = Parameters::default();
    apply(&rule, &mut root, object, &mut parameters);
    let declared = parameters.iter().map(|p| (p.name.clone(), p.declaration.clone())).collect();
    (root.remove("properties").unwrap_or_default(), declared)
}

const LS: &str = "Microsoft.DataFactory/factories/linkedServices";
const TRIGGERS: &str = "Microsoft.DataFactory/factories/triggers";

#[test]
fn keep_default_names_by_path_and_keeps_the_value() {
    let definition = r#"{"Microsoft.DataFactory/factories/linkedServices": {"*": {"properties": {"typeProperties": {"url": "="}}}}}"#;
    let (out, declared) =
        run(definition, LS, "LS_A", json!({"type": "AzureBlobFS", "typeProperties": {"url": "https://a"}}));
    assert_eq!(out["typeProperties"]["url"], json!("[parameters('LS_A_properties_typeProperties_url')]"));
    assert_eq!(
        declared,
        [("LS_A_properties_typeProperties_url".into(), json!({"type": "string", "defaultValue": "https://a"}))]
    );
}

#[test]
fn secret_on_a_key_vault_reference_parameterizes_its_secret_name() {
    let definition = r#"{"Microsoft.DataFactory/factories/linkedServices": {"*": {"properties": {"typeProperties": {"connectionString": "|:-connectionString:secureString"}}}}}"#;
    let akv = json!({"type": "AzureKeyVaultSecret", "store": {"referenceName": "KV", "type": "LinkedServiceReference"}, "secretName": "sql"});
    let (out, declared) =
        run(definition, LS, "LS", json!({"type": "AzureSqlDatabase", "typeProperties": {"connectionString": akv}}));
    let name = "LS_properties_typeProperties_connectionString_secretName";
    assert_eq!(out["typeProperties"]["connectionString"]["secretName"], json!(format!("[parameters('{name}')]")));
    assert_eq!(declared, [(name.into(), json!({"type": "string", "defaultValue": "sql"}))]);
}

#[test]
fn secret_on_a_plain_value_is_a_secure_parameter_without_default() {
    let definition = r#"{"Microsoft.DataFactory/factories/linkedServices": {"*": {"properties": {"typeProperties": {"sasUri": "|:-sasUri:secureString", "sasToken": "|"}}}}}"#;
    let (out, declared) =
        run(definition, LS, "ADLS", json!({"type": "AzureBlobFS", "typeProperties": {"sasUri": "https://x"}}));
    assert_eq!(out["typeProperties"]["sasUri"], json!("[parameters('ADLS_sasUri')]"));
    assert_eq!(
        declared,
        [("ADLS_sasUri".into(), json!({"type": "secureString", "metadata": "Secure string for 'sasUri' of 'ADLS'"}))]
    );
}

#[test]
fn wrappers_are_parameterized_inside_and_named_after_the_property() {
    let definition = r#"{"Microsoft.DataFactory/factories/datasets": {"*": {"properties": {"typeProperties": {"fileName": "="}}}},
        "Microsoft.DataFactory/factories/integrationRuntimes": {"properties": {"typeProperties": {"pw": {"value": "-::secureString"}}}}}"#;
    let (out, declared) = run(
        definition,
        "Microsoft.DataFactory/factories/datasets",
        "DS",
        json!({"type": "Json", "typeProperties": {"fileName": {"value": "@dataset().f", "type": "Expression"}}}),
    );
    assert_eq!(
        out["typeProperties"]["fileName"],
        json!({"value": "[parameters('DS_properties_typeProperties_fileName')]", "type": "Expression"})
    );
    assert_eq!(declared[0].1, json!({"type": "string", "defaultValue": "@dataset().f"}));
    let (out, declared) = run(
        definition,
        "Microsoft.DataFactory/factories/integrationRuntimes",
        "IR",
        json!({"type": "Managed", "typeProperties": {"pw": {"type": "SecureString", "value": "**"}}}),
    );
    assert_eq!(out["typeProperties"]["pw"]["value"], json!("[parameters('IR_properties_typeProperties_pw')]"));
    assert_eq!(declared, [("IR_properties_typeProperties_pw".into(), json!({"type": "secureString"}))]);
}

#[test]
fn arrays_name_elements_by_index_or_by_the_naming_path() {
    let definition = r#"{"Microsoft.DataFactory/factories/triggers": {"properties": {
        "pipelines": [{"parameters": {"*": "="}}, "pipelineReference.referenceName"],
        "typeProperties": {"list": [{"x": "="}]}}}}"#;
    let trigger = json!({
        "pipelines": [{"pipelineReference": {"referenceName": "PL A", "type": "PipelineReference"}, "parameters": {"p": "@trigger().x", "n": 3}}],
        "type": "ScheduleTrigger",
        "typeProperties": {"list": [{"y": 1}, {"x": true}]}
    });
    let (_, declared) = run(definition, TRIGGERS, "TR", trigger);
    let names: Vec<&str> = declared.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names,
        ["TR_properties_PL A_parameters_p", "TR_properties_PL A_parameters_n", "TR_properties_typeProperties_1_x"]
    );
    assert_eq!(declared[1].1, json!({"type": "int", "defaultValue": 3}));
    assert_eq!(declared[2].1, json!({"type": "bool", "defaultValue": true}));
}

#[test]
fn types_come_from_the_value_unless_given() {
    let definition = r#"{"Microsoft.DataFactory/factories/managedVirtualNetworks/managedPrivateEndpoints": {"properties": {"*": "=", "groupId": "=::object"}}}"#;
    let (_, declared) = run(
        definition,
        "Microsoft.DataFactory/factories/managedVirtualNetworks/managedPrivateEndpoints",
        "mpe",
        json!({"privateLinkResourceId": "/subscriptions/x", "groupId": "blob", "fqdns": ["a.b"]}),
    );
    let types: Vec<&str> = declared.iter().map(|(_, d)| d["type"].as_str().unwrap_or("")).collect();
    assert_eq!(types, ["string", "object", "array"]);
}

#[test]
fn short_and_last_segment_names() {
    assert_eq!(
        parameter_name("T", &["properties".into(), "a".into(), "b".into()], &parse_spec("=:-freq").unwrap().name),
        "T_freq"
    );
    assert_eq!(
        parameter_name("T", &["properties".into(), "a".into(), "b".into()], &parse_spec("=:suffix").unwrap().name),
        "T_properties_a_suffix"
    );
}

#[test]
fn values_that_are_already_expressions_are_left_alone() {
    let definition = r#"{"Microsoft.DataFactory/factories/linkedServices": {"*": {"properties": {"typeProperties": {"connectionString": "|:-connectionString:secureString", "url": "="}}}}}"#;
    let properties = json!({"type": "AzureSqlDatabase", "typeProperties": {"connectionString": "[parameters('LS_connectionString')]", "url": "[[literal]"}});
    let (out, declared) = run(definition, LS, "LS", properties);
    assert_eq!(out["typeProperties"]["connectionString"], json!("[parameters('LS_connectionString')]"));
    assert_eq!(
        declared,
        [("LS_properties_typeProperties_url".into(), json!({"type": "string", "defaultValue": "[[literal]"}))]
    );
}

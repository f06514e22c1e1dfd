//! Unit tests of resources, dependsOn and ordering.

use serde_json::json;

use super::*;
use crate::source::FileId;

fn object(otype: ObjectType, name: &str, file_name: &str) -> FolderObject {
    FolderObject {
        otype,
        name: name.into(),
        parent: None,
        file: FileId::for_tests(),
        file_name: file_name.into(),
        name_span: 0..0,
        properties: None,
        references: Vec::new(),
        streams: Vec::new(),
    }
}

fn names(refs: &[(ObjectType, String)]) -> Vec<String> {
    refs.iter().map(|(t, n)| format!("{t}.{n}")).collect()
}

#[test]
fn connect_via_inputs_and_outputs_come_first() {
    let ls = json!({"typeProperties": {"linkedServiceName": {"referenceName": "Store", "type": "LinkedServiceReference"}},
        "connectVia": {"referenceName": "IR", "type": "IntegrationRuntimeReference"}});
    assert_eq!(names(&references(&ls)), ["integrationRuntime.IR", "linkedService.Store"]);
    let copy = json!({"activities": [{"name": "C", "type": "Copy",
        "typeProperties": {"stagingSettings": {"linkedServiceName": {"referenceName": "Blob", "type": "LinkedServiceReference"}}},
        "inputs": [{"referenceName": "In", "type": "DatasetReference"}], "outputs": [{"referenceName": "Out", "type": "DatasetReference"}]}]});
    assert_eq!(names(&references(&copy)), ["dataset.In", "dataset.Out", "linkedService.Blob"]);
}

#[test]
fn inner_activities_come_after_the_level_above() {
    let pipeline = json!({"activities": [
        {"name": "Loop", "type": "ForEach", "typeProperties": {"activities": [
            {"name": "Inner", "type": "Lookup", "typeProperties": {"dataset": {"referenceName": "Deep", "type": "DatasetReference"}}}]}},
        {"name": "Top", "type": "Lookup", "typeProperties": {"dataset": {"referenceName": "Shallow", "type": "DatasetReference"}}},
        {"name": "Again", "type": "Lookup", "typeProperties": {"dataset": {"referenceName": "shallow", "type": "DatasetReference"}}}]});
    assert_eq!(names(&references(&pipeline)), ["dataset.Shallow", "dataset.Deep"]);
}

#[test]
fn switch_cases_and_power_query_sinks_come_a_level_later() {
    let pipeline = json!({"activities": [
        {"name": "S", "type": "Switch", "typeProperties": {"cases": [{"value": "a", "activities": [
            {"name": "InCase", "type": "Lookup", "typeProperties": {"dataset": {"referenceName": "CaseDs", "type": "DatasetReference"}}}]}]}},
        {"name": "PQ", "type": "ExecuteWranglingDataflow", "typeProperties": {
            "dataflow": {"referenceName": "Wrangle", "type": "DataFlowReference"},
            "queries": [{"queryName": "q", "dataflowSinks": [{"name": "s", "dataset": {"referenceName": "SinkDs", "type": "DatasetReference"}}]}]}},
        {"name": "F", "type": "ForEach", "typeProperties": {"activities": [
            {"name": "InLoop", "type": "Lookup", "typeProperties": {"dataset": {"referenceName": "LoopDs", "type": "DatasetReference"}}}]}},
        {"name": "Top", "type": "Lookup", "typeProperties": {"dataset": {"referenceName": "TopDs", "type": "DatasetReference"}}}]});
    assert_eq!(
        names(&references(&pipeline)),
        ["dataflow.Wrangle", "dataset.TopDs", "dataset.SinkDs", "dataset.LoopDs", "dataset.CaseDs"]
    );
}

#[test]
fn dependency_entries_and_names_quote_arm_literals() {
    assert_eq!(dependency(ObjectType::Dataset, None, "DS_In"), "[concat(variables('factoryId'), '/datasets/DS_In')]");
    assert_eq!(dependency(ObjectType::Pipeline, None, "it's"), "[concat(variables('factoryId'), '/pipelines/it''s')]");
    assert_eq!(resource_name(Some("default"), "mpe"), "[concat(parameters('factoryName'), '/default/mpe')]");
    let r = resource(ObjectType::LinkedService, None, "LS", json!({}), vec![]);
    assert_eq!(r["type"], "Microsoft.DataFactory/factories/linkedServices");
    let keys: Vec<&String> = r.as_object().unwrap().keys().collect();
    assert_eq!(keys, ["name", "type", "apiVersion", "properties", "dependsOn"]);
}

#[test]
fn order_is_by_type_then_by_file_name_bytes() {
    let mut objects = vec![
        object(ObjectType::LinkedService, "LS", "LS.json"),
        object(ObjectType::Pipeline, "Tableau", "Tableau.json"),
        object(ObjectType::Pipeline, "Tableau Refresh Status", "Tableau Refresh Status.json"),
        object(ObjectType::Pipeline, "abc", "abc.json"),
        object(ObjectType::Dataset, "DS", "DS.json"),
    ];
    sort(&mut objects);
    let order: Vec<&str> = objects.iter().map(|o| o.name.as_str()).collect();
    assert_eq!(order, ["Tableau Refresh Status", "Tableau", "abc", "DS", "LS"]);
}

#[test]
fn the_template_text_is_what_json_stringify_writes() {
    let mut parameters = Parameters::default();
    parameters.declare("p".into(), json!({"type": "string", "defaultValue": "x"}));
    let mut resources = ResourcesText::new("    ");
    resources.push(&resource(ObjectType::Pipeline, None, "PL", json!({"activities": []}), vec![]));
    let text = template("F", &parameters, &resources);
    let value: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(text, crate::json::stringify::stringify(&value, "    "));
    let empty = template("F", &Parameters::default(), &ResourcesText::new("    "));
    assert!(empty.ends_with("\"resources\": []\n}"), "{empty}");
}

#[test]
fn parameters_file_values_are_unescaped_defaults() {
    let mut parameters = Parameters::default();
    parameters.declare("a".into(), json!({"type": "string", "defaultValue": "[[dbo].[x]"}));
    parameters.declare("b".into(), json!({"type": "secureString"}));
    let file = parameters_file("F", &parameters);
    assert_eq!(
        file["parameters"],
        json!({"factoryName": {"value": "F"}, "a": {"value": "[dbo].[x]"}, "b": {"value": ""}})
    );
}

struct Names;

impl Lookup for Names {
    fn canonical(&self, _: ObjectType, name: &str) -> Option<&str> {
        match name.to_lowercase().as_str() {
            "kv" => Some("KV"),
            "default" => Some("default"),
            _ => None,
        }
    }

    fn dataflow_streams(&self, _: &str) -> Vec<String> {
        Vec::new()
    }
}

#[test]
fn depends_on_uses_exact_names_and_builds_parameterized_entries() {
    let folder = json!({"connectVia": {"referenceName": "ir", "type": "IntegrationRuntimeReference"},
        "typeProperties": {"password": {"store": {"referenceName": "kv", "type": "LinkedServiceReference"}}}});
    let refs = reference_paths(&folder);
    assert_eq!(refs[0].pointer, "/connectVia");
    assert_eq!(refs[1].pointer, "/typeProperties/password/store");
    // A definition made the runtime's name, and its type, parameters.
    let mut properties = folder.clone();
    properties["connectVia"] = json!({"referenceName": "[parameters('LS_properties_connectVia_referenceName')]",
        "type": "[parameters('LS_properties_connectVia_type')]"});
    assert_eq!(
        depends_on((ObjectType::LinkedService, "LS", None), &refs, &properties, &Names),
        [
            "[concat(variables('factoryId'), '/integrationRuntimes/', parameters('LS_properties_connectVia_referenceName'))]",
            "[concat(variables('factoryId'), '/linkedServices/KV')]"
        ]
    );
    let endpoint = depends_on((ObjectType::ManagedPrivateEndpoint, "mpe", Some("default")), &[], &json!({}), &Names);
    assert_eq!(endpoint, ["[concat(variables('factoryId'), '/managedVirtualNetworks/default')]"]);
}

//! Unit tests of the rewrites: one per difference seen between a folder file and ADF's export.

use serde_json::json;

use super::*;

/// A folder with integration runtime `IntegrationRuntime` and data flow `DF` (sources `src`, sink `out`).
struct Folder;

impl Lookup for Folder {
    fn canonical(&self, otype: ObjectType, name: &str) -> Option<&str> {
        match otype {
            ObjectType::IntegrationRuntime if name.eq_ignore_ascii_case("IntegrationRuntime") => {
                Some("IntegrationRuntime")
            }
            ObjectType::Dataflow if name.eq_ignore_ascii_case("DF") => Some("DF"),
            _ => None,
        }
    }

    fn dataflow_streams(&self, name: &str) -> Vec<String> {
        if name == "DF" { vec!["src".into(), "out".into()] } else { Vec::new() }
    }
}

fn keys(value: &Value) -> Vec<String> {
    value.as_object().map(|m| m.keys().cloned().collect()).unwrap_or_default()
}

fn object(value: Value) -> Map<String, Value> {
    value.as_object().cloned().unwrap_or_default()
}

#[test]
fn literal_strings_starting_with_a_bracket_are_escaped() {
    let mut value = json!({"sp": "[dbo].[usp]", "list": ["[x]", "y"], "already": "[[z]", "plain": "a[b]"});
    escape_literals(&mut value);
    assert_eq!(value, json!({"sp": "[[dbo].[usp]", "list": ["[[x]", "y"], "already": "[[[z]", "plain": "a[b]"}));
}

#[test]
fn references_take_the_exact_case_of_their_target() {
    let mut value =
        json!({"connectVia": {"referenceName": "integrationRuntime", "type": "IntegrationRuntimeReference"}});
    reference_case(&mut value, &Folder);
    assert_eq!(value["connectVia"]["referenceName"], "IntegrationRuntime");
}

#[test]
fn a_pipeline_without_policy_gets_elapsed_time_metric_after_its_activities() {
    let mut members = object(json!({"activities": [], "folder": {"name": "x"}, "annotations": []}));
    pipeline_policy(&mut members);
    assert_eq!(keys(&Value::Object(members.clone())), ["activities", "policy", "folder", "annotations"]);
    assert_eq!(members["policy"], json!({"elapsedTimeMetric": {}}));
    let mut with_concurrency = object(json!({"activities": [], "concurrency": 1, "parameters": {}}));
    pipeline_policy(&mut with_concurrency);
    assert_eq!(keys(&Value::Object(with_concurrency)), ["activities", "concurrency", "policy", "parameters"]);
}

#[test]
fn activities_get_empty_depends_on_and_user_properties() {
    let mut activity = object(json!({"name": "A", "type": "Wait", "typeProperties": {}}));
    activity_defaults(&mut activity);
    assert_eq!(keys(&Value::Object(activity)), ["name", "type", "dependsOn", "userProperties", "typeProperties"]);
}

#[test]
fn dataset_references_get_empty_parameters() {
    let mut activity = object(json!({
        "inputs": [{"referenceName": "A", "type": "DatasetReference"}],
        "outputs": [{"referenceName": "B", "type": "DatasetReference", "parameters": {"p": 1}}],
        "typeProperties": {"dataset": {"referenceName": "C", "type": "DatasetReference"}}
    }));
    dataset_reference_parameters(&mut activity);
    assert_eq!(activity["inputs"][0]["parameters"], json!({}));
    assert_eq!(activity["outputs"][0]["parameters"], json!({"p": 1}));
    assert_eq!(activity["typeProperties"]["dataset"]["parameters"], json!({}));
}

#[test]
fn execute_pipeline_gets_empty_parameters_last() {
    let mut pipeline = json!({"activities": [{"name": "E", "type": "ExecutePipeline", "dependsOn": [], "userProperties": [],
        "typeProperties": {"pipeline": {"referenceName": "P", "type": "PipelineReference"}, "waitOnCompletion": true}}]});
    normalize(ObjectType::Pipeline, &mut pipeline, &Folder);
    assert_eq!(keys(&pipeline["activities"][0]["typeProperties"]), ["pipeline", "waitOnCompletion", "parameters"]);
}

#[test]
fn execute_data_flow_passes_every_stream_and_has_staging() {
    let mut tp = object(json!({"dataflow": {"referenceName": "DF", "type": "DataFlowReference",
        "datasetParameters": {"src": {"fileName": "x"}}}, "compute": {"coreCount": 8}}));
    execute_dataflow_defaults(&mut tp, &Folder);
    let value = Value::Object(tp);
    assert_eq!(keys(&value), ["dataflow", "staging", "compute"]);
    assert_eq!(keys(&value["dataflow"]), ["referenceName", "type", "parameters", "datasetParameters"]);
    assert_eq!(value["dataflow"]["datasetParameters"], json!({"src": {"fileName": "x"}, "out": {}}));
}

#[test]
fn web_activities_get_headers_and_a_body_unless_get() {
    let mut post = object(json!({"method": "POST", "headers": {"a": "b"}, "url": "u", "authentication": {}}));
    web_activity_defaults(&mut post);
    assert_eq!(keys(&Value::Object(post)), ["method", "headers", "url", "body", "authentication"]);
    let mut get = object(json!({"method": "GET", "url": "u"}));
    web_activity_defaults(&mut get);
    assert_eq!(keys(&Value::Object(get)), ["method", "headers", "url"]);
}

#[test]
fn a_synapse_sink_using_copy_gets_copy_command_settings() {
    let mut tp = object(json!({"sink": {"type": "SqlDWSink", "allowCopyCommand": true}}));
    copy_command_settings(&mut tp);
    assert_eq!(tp["sink"], json!({"type": "SqlDWSink", "allowCopyCommand": true, "copyCommandSettings": {}}));
    let mut polybase = object(json!({"sink": {"type": "SqlDWSink", "allowPolyBase": true}}));
    copy_command_settings(&mut polybase);
    assert_eq!(polybase["sink"], json!({"type": "SqlDWSink", "allowPolyBase": true}));
}

#[test]
fn triggers_pass_empty_parameters_to_their_pipelines() {
    let mut schedule =
        object(json!({"pipelines": [{"pipelineReference": {"referenceName": "P", "type": "PipelineReference"}}]}));
    trigger_pipeline_parameters(&mut schedule);
    assert_eq!(schedule["pipelines"][0]["parameters"], json!({}));
    let mut tumbling = object(json!({"pipeline": {"pipelineReference": {}, "parameters": {"a": 1}}}));
    trigger_pipeline_parameters(&mut tumbling);
    assert_eq!(tumbling["pipeline"]["parameters"], json!({"a": 1}));
}

#[test]
fn datasets_runtimes_and_credentials_get_empty_type_properties() {
    let mut dataset =
        object(json!({"linkedServiceName": {}, "annotations": [], "type": "AzureSqlTable", "schema": []}));
    type_properties_default(&mut dataset);
    assert_eq!(keys(&Value::Object(dataset)), ["linkedServiceName", "annotations", "type", "schema", "typeProperties"]);
    let mut credential = object(json!({"type": "ManagedIdentity"}));
    type_properties_default(&mut credential);
    assert_eq!(Value::Object(credential), json!({"type": "ManagedIdentity", "typeProperties": {}}));
}

#[test]
fn linked_service_members_follow_the_model_order() {
    let mut members = object(json!({"typeProperties": {}, "type": "AzureBlobFS", "connectVia": {}, "annotations": []}));
    linked_service_order(&mut members);
    assert_eq!(keys(&Value::Object(members)), ["annotations", "type", "typeProperties", "connectVia"]);
}

#[test]
fn hdinsight_on_demand_drops_empty_additional_linked_services() {
    let mut members =
        object(json!({"type": "HDInsightOnDemand", "typeProperties": {"a": 1, "additionalLinkedServiceNames": []}}));
    hdinsight_additional_linked_services(&mut members);
    assert_eq!(members["typeProperties"], json!({"a": 1}));
}

#[test]
fn annotations_go_before_the_type() {
    let mut dataset = object(json!({"linkedServiceName": {}, "parameters": {}, "type": "Json", "typeProperties": {}}));
    annotations_default(&mut dataset);
    assert_eq!(
        keys(&Value::Object(dataset)),
        ["linkedServiceName", "parameters", "annotations", "type", "typeProperties"]
    );
    let mut trigger = object(json!({"runtimeState": "Started", "pipelines": [], "type": "ScheduleTrigger"}));
    annotations_default(&mut trigger);
    assert_eq!(keys(&Value::Object(trigger)), ["annotations", "runtimeState", "pipelines", "type"]);
}

#[test]
fn activities_inside_containers_are_rewritten_too() {
    let mut pipeline = json!({"activities": [{"name": "F", "type": "ForEach", "typeProperties": {"activities": [
        {"name": "S", "type": "Switch", "typeProperties": {"cases": [{"value": "a", "activities": [{"name": "W", "type": "Wait"}]}],
         "defaultActivities": [{"name": "D", "type": "Wait"}]}}]}}]});
    normalize(ObjectType::Pipeline, &mut pipeline, &Folder);
    let switch = &pipeline["activities"][0]["typeProperties"]["activities"][0]["typeProperties"];
    assert_eq!(switch["cases"][0]["activities"][0]["userProperties"], json!([]));
    assert_eq!(switch["defaultActivities"][0]["dependsOn"], json!([]));
}

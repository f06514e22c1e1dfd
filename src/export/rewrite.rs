//! The small rewrites ADF's exporter applies to an object on its way from
//! the Git folder to the template. ADF serializes objects through its own
//! models, which fill in empty defaults and put members in model order; each
//! function below is one difference seen between a folder file and ADF's
//! export of it (`../shared/folderpairs`), and each has a unit test.

use serde_json::{Map, Value, json};

use super::secrets::insert_after;
use crate::template::ObjectType;
use crate::template::expr::escape_literal;

/// What a rewrite needs to know about the other objects of the folder.
pub trait Lookup {
    /// The exact name of the object `name` names (references may differ in case).
    fn canonical(&self, otype: ObjectType, name: &str) -> Option<&str>;
    /// The source and sink names of data flow `name`, in its order.
    fn dataflow_streams(&self, name: &str) -> Vec<String>;
}

/// Every rewrite that applies to an object of `otype` (properties already escaped).
pub fn normalize(otype: ObjectType, properties: &mut Value, lookup: &dyn Lookup) {
    reference_case(properties, lookup);
    let Some(members) = properties.as_object_mut() else { return };
    match otype {
        ObjectType::Pipeline => pipeline(members, lookup),
        ObjectType::Trigger => trigger_pipeline_parameters(members),
        ObjectType::LinkedService => linked_service(members),
        ObjectType::Dataset | ObjectType::IntegrationRuntime | ObjectType::Credential => {
            type_properties_default(members)
        }
        _ => {}
    }
    if matches!(otype, ObjectType::Pipeline | ObjectType::Dataset | ObjectType::LinkedService | ObjectType::Trigger) {
        annotations_default(members);
    }
}

/// Strings that start with `[` are ARM expressions to ARM: a literal one is written `[[…`.
pub fn escape_literals(value: &mut Value) {
    match value {
        Value::String(s) if s.starts_with('[') => *s = escape_literal(s).into_owned(),
        Value::Array(items) => items.iter_mut().for_each(escape_literals),
        Value::Object(members) => members.values_mut().for_each(escape_literals),
        _ => {}
    }
}

/// A reference names its target with the target's exact case (`integrationRuntime` → `IntegrationRuntime`).
pub fn reference_case(value: &mut Value, lookup: &dyn Lookup) {
    match value {
        Value::Object(members) => {
            let target = reference_target(members);
            if let Some((otype, name)) = target
                && let Some(exact) = lookup.canonical(otype, &name)
                && exact != name
            {
                members.insert("referenceName".into(), Value::String(exact.to_string()));
            }
            members.values_mut().for_each(|v| reference_case(v, lookup));
        }
        Value::Array(items) => items.iter_mut().for_each(|v| reference_case(v, lookup)),
        _ => {}
    }
}

/// `{"referenceName": "X", "type": "<Type>Reference"}` → (type, name).
pub fn reference_target(members: &Map<String, Value>) -> Option<(ObjectType, String)> {
    let name = members.get("referenceName")?.as_str()?;
    let otype = ObjectType::from_reference_type(members.get("type")?.as_str()?)?;
    Some((otype, name.to_string()))
}

fn pipeline(members: &mut Map<String, Value>, lookup: &dyn Lookup) {
    if let Some(Value::Array(activities)) = members.get_mut("activities") {
        for_each_activity(activities, &mut |a| activity(a, lookup));
    }
    pipeline_policy(members);
}

/// Call `f` on every activity, inside containers too (ForEach, Until, If, Switch).
pub fn for_each_activity(activities: &mut [Value], f: &mut dyn FnMut(&mut Map<String, Value>)) {
    for activity in activities.iter_mut().filter_map(Value::as_object_mut) {
        f(activity);
        let Some(tp) = activity.get_mut("typeProperties").and_then(Value::as_object_mut) else { continue };
        for key in ["activities", "ifTrueActivities", "ifFalseActivities", "defaultActivities"] {
            if let Some(Value::Array(inner)) = tp.get_mut(key) {
                for_each_activity(inner, f);
            }
        }
        if let Some(Value::Array(cases)) = tp.get_mut("cases") {
            for case in cases.iter_mut() {
                if let Some(Value::Array(inner)) = case.get_mut("activities") {
                    for_each_activity(inner, f);
                }
            }
        }
    }
}

fn activity(activity: &mut Map<String, Value>, lookup: &dyn Lookup) {
    activity_defaults(activity);
    dataset_reference_parameters(activity);
    let kind = activity.get("type").and_then(Value::as_str).unwrap_or("").to_string();
    let Some(tp) = activity.get_mut("typeProperties").and_then(Value::as_object_mut) else { return };
    match kind.as_str() {
        "ExecutePipeline" => empty_member(tp, "parameters", &[]),
        "ExecuteDataFlow" => execute_dataflow_defaults(tp, lookup),
        "WebActivity" => web_activity_defaults(tp),
        "Copy" => copy_command_settings(tp),
        _ => {}
    }
}

/// Every activity has `dependsOn` and `userProperties`, even empty.
pub fn activity_defaults(activity: &mut Map<String, Value>) {
    if !activity.contains_key("dependsOn") {
        insert_after(activity, "dependsOn", json!([]), &["name", "type"]);
    }
    if !activity.contains_key("userProperties") {
        insert_after(activity, "userProperties", json!([]), &["name", "type", "dependsOn", "policy"]);
    }
}

/// A dataset reference always has `parameters` (`inputs`, `outputs`, `typeProperties.dataset`).
pub fn dataset_reference_parameters(activity: &mut Map<String, Value>) {
    for key in ["inputs", "outputs"] {
        if let Some(Value::Array(refs)) = activity.get_mut(key) {
            refs.iter_mut().filter_map(Value::as_object_mut).for_each(|r| empty_member(r, "parameters", &[]));
        }
    }
    let dataset =
        activity.get_mut("typeProperties").and_then(|tp| tp.get_mut("dataset")).and_then(Value::as_object_mut);
    if let Some(dataset) = dataset {
        empty_member(dataset, "parameters", &[]);
    }
}

/// An Execute Data Flow activity passes `parameters` and one `datasetParameters`
/// entry per source and sink of the data flow, and has a `staging` object.
pub fn execute_dataflow_defaults(tp: &mut Map<String, Value>, lookup: &dyn Lookup) {
    if let Some(dataflow) = tp.get_mut("dataflow").and_then(Value::as_object_mut) {
        empty_member(dataflow, "parameters", &["referenceName", "type"]);
        let name = dataflow.get("referenceName").and_then(Value::as_str).unwrap_or("").to_string();
        let streams = lookup.dataflow_streams(&name);
        if !streams.is_empty() || dataflow.contains_key("datasetParameters") {
            empty_member(dataflow, "datasetParameters", &[]);
        }
        if let Some(Value::Object(passed)) = dataflow.get_mut("datasetParameters") {
            for stream in streams {
                passed.entry(stream).or_insert_with(|| json!({}));
            }
        }
    }
    empty_member(tp, "staging", &["dataflow"]);
}

/// A Web activity has `headers`, and a `body` unless it is a GET.
pub fn web_activity_defaults(tp: &mut Map<String, Value>) {
    empty_member(tp, "headers", &["method"]);
    let get = tp.get("method").and_then(Value::as_str).is_some_and(|m| m.eq_ignore_ascii_case("GET"));
    if !get {
        empty_member(tp, "body", &["method", "headers", "url"]);
    }
}

/// A Synapse sink that uses COPY has `copyCommandSettings`.
pub fn copy_command_settings(tp: &mut Map<String, Value>) {
    let Some(sink) = tp.get_mut("sink").and_then(Value::as_object_mut) else { return };
    let copy = sink.get("type").and_then(Value::as_str) == Some("SqlDWSink")
        && sink.get("allowCopyCommand").and_then(Value::as_bool) == Some(true);
    if copy {
        empty_member(sink, "copyCommandSettings", &["allowCopyCommand"]);
    }
}

/// A pipeline has a `policy` (`{"elapsedTimeMetric": {}}` when the folder has none).
pub fn pipeline_policy(members: &mut Map<String, Value>) {
    if !members.contains_key("policy") {
        insert_after(
            members,
            "policy",
            json!({"elapsedTimeMetric": {}}),
            &["description", "activities", "concurrency"],
        );
    }
}

/// A trigger passes `parameters` to each pipeline it starts.
pub fn trigger_pipeline_parameters(members: &mut Map<String, Value>) {
    if let Some(Value::Array(pipelines)) = members.get_mut("pipelines") {
        pipelines.iter_mut().filter_map(Value::as_object_mut).for_each(|p| empty_member(p, "parameters", &[]));
    }
    if let Some(pipeline) = members.get_mut("pipeline").and_then(Value::as_object_mut) {
        empty_member(pipeline, "parameters", &[]);
    }
}

/// Datasets, integration runtimes and credentials have `typeProperties`, even empty.
pub fn type_properties_default(members: &mut Map<String, Value>) {
    let before = ["description", "linkedServiceName", "parameters", "annotations", "type", "schema", "structure"];
    empty_member(members, "typeProperties", &before);
}

fn linked_service(members: &mut Map<String, Value>) {
    linked_service_order(members);
    hdinsight_additional_linked_services(members);
}

/// Linked service members in model order: description, parameters,
/// annotations, type, version, typeProperties, connectVia (others after).
pub fn linked_service_order(members: &mut Map<String, Value>) {
    const ORDER: [&str; 7] =
        ["description", "parameters", "annotations", "type", "version", "typeProperties", "connectVia"];
    let rank = |k: &str| ORDER.iter().position(|o| *o == k).unwrap_or(ORDER.len());
    let mut entries: Vec<(String, Value)> = std::mem::take(members).into_iter().collect();
    entries.sort_by_key(|(k, _)| rank(k));
    members.extend(entries);
}

/// An on-demand HDInsight linked service drops an empty `additionalLinkedServiceNames`.
pub fn hdinsight_additional_linked_services(members: &mut Map<String, Value>) {
    if members.get("type").and_then(Value::as_str) != Some("HDInsightOnDemand") {
        return;
    }
    let Some(tp) = members.get_mut("typeProperties").and_then(Value::as_object_mut) else { return };
    if tp.get("additionalLinkedServiceNames").and_then(Value::as_array).is_some_and(Vec::is_empty) {
        tp.shift_remove("additionalLinkedServiceNames");
    }
}

/// Pipelines, datasets, linked services and triggers have `annotations`, even empty.
pub fn annotations_default(members: &mut Map<String, Value>) {
    if members.contains_key("annotations") {
        return;
    }
    let next = ["runtimeState", "type", "pipeline", "pipelines", "typeProperties", "connectVia", "lastPublishTime"];
    let index = members.keys().position(|k| next.contains(&k.as_str())).unwrap_or(members.len());
    members.shift_insert(index, "annotations".into(), json!([]));
}

/// Add `key` as an empty object (after the last of `after`, else at the end) when absent.
fn empty_member(members: &mut Map<String, Value>, key: &str, after: &[&str]) {
    if !members.contains_key(key) {
        insert_after(members, key, json!({}), after);
    }
}

#[cfg(test)]
#[path = "rewrite_tests.rs"]
mod tests;

//! Object definitions as the plan compares and orders them: template values
//! with `[parameters('x')]` resolved and `[[` literals unescaped, trigger
//! definitions normalized (no `runtimeState`, `typeProperties` flattened as
//! `az` prints them, no nulls), references and trigger dependencies.

use std::collections::HashMap;

use serde_json::{Map, Value};

use crate::target_state::{RuntimeState, without_nulls};
use crate::template::expr::{self, StrKind};
use crate::template::{ObjectRef, ObjectType};

/// Values of template parameters by lower-case name (the parameters file's
/// value, else the declared default).
#[derive(Debug, Clone, Default)]
pub(crate) struct ParameterValues(HashMap<String, Value>);

impl FromIterator<(String, Value)> for ParameterValues {
    fn from_iter<I: IntoIterator<Item = (String, Value)>>(pairs: I) -> Self {
        ParameterValues(pairs.into_iter().map(|(name, value)| (name.to_lowercase(), value)).collect())
    }
}

impl ParameterValues {
    /// Values from (name, value JSON text) pairs; texts that do not parse are left out.
    pub(crate) fn from_texts<'t>(pairs: impl Iterator<Item = (&'t str, Option<&'t str>)>) -> Self {
        let values =
            pairs.filter_map(|(name, text)| Some((name.to_lowercase(), serde_json::from_str(text?).ok()?))).collect();
        ParameterValues(values)
    }

    /// A parameter's value.
    fn get(&self, name: &str) -> Option<&Value> {
        self.0.get(&name.to_lowercase())
    }
}

/// Turn template strings into the values ARM deploys: `[[x` → `[x`, and
/// `[parameters('P')]` → P's value when known. Other expressions stay as written.
pub(crate) fn resolve_template_values(value: &mut Value, parameters: &ParameterValues) {
    match value {
        Value::String(s) => {
            if let Some(resolved) = resolve_string(s, parameters) {
                *value = resolved;
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|v| resolve_template_values(v, parameters)),
        Value::Object(map) => map.values_mut().for_each(|v| resolve_template_values(v, parameters)),
        _ => {}
    }
}

fn resolve_string(s: &str, parameters: &ParameterValues) -> Option<Value> {
    match expr::classify(s) {
        StrKind::Literal(text) => (text.len() != s.len()).then(|| Value::String(text.into_owned())),
        StrKind::Expression(_) => {
            let parsed = expr::parse_value(s).ok()??;
            parameters.get(parsed.as_parameter()?).cloned()
        }
    }
}

/// What a trigger's `runtimeState` says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum StateValue {
    /// A state.
    Known(RuntimeState),
    /// Something that is not a state (an expression without a known value).
    Unreadable(String),
    /// No `runtimeState` (ADF treats the trigger as stopped).
    Missing,
}

impl StateValue {
    /// Is it `Started`?
    pub(crate) fn is_started(&self) -> bool {
        *self == StateValue::Known(RuntimeState::Started)
    }
}

/// A trigger's definition, ready to compare and order.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct TriggerDefinition {
    /// Its `runtimeState`.
    pub(crate) state: StateValue,
    /// Its properties, normalized.
    pub(crate) body: Value,
    /// Triggers it depends on (TumblingWindow `dependsOn[].referenceTrigger`).
    pub(crate) depends_on: Vec<String>,
}

impl TriggerDefinition {
    /// Read a trigger's `properties` (already resolved when they come from a template).
    pub(crate) fn new(properties: Value) -> Self {
        let state = match properties.get("runtimeState") {
            None | Some(Value::Null) => StateValue::Missing,
            Some(Value::String(s)) => {
                RuntimeState::parse(s).map_or(StateValue::Unreadable(s.clone()), StateValue::Known)
            }
            Some(other) => StateValue::Unreadable(other.to_string()),
        };
        let body = normalize(properties);
        let depends_on = trigger_dependencies(&body);
        TriggerDefinition { state, body, depends_on }
    }
}

/// Drop `runtimeState` and nulls, and lift `typeProperties` members up (the az
/// CLI prints triggers that way), so that two forms of one definition compare equal.
fn normalize(properties: Value) -> Value {
    let Value::Object(mut map) = without_nulls(properties) else { return Value::Null };
    map.shift_remove("runtimeState");
    if let Some(Value::Object(inner)) = map.get("typeProperties")
        && inner.keys().all(|k| !map.contains_key(k))
        && let Some(Value::Object(inner)) = map.shift_remove("typeProperties")
    {
        map.extend(inner);
    }
    Value::Object(map)
}

/// `dependsOn[].referenceTrigger.referenceName` of a normalized trigger body.
fn trigger_dependencies(body: &Value) -> Vec<String> {
    let Some(Value::Array(entries)) = body.get("dependsOn") else { return Vec::new() };
    entries
        .iter()
        .filter_map(|e| e.get("referenceTrigger")?.get("referenceName")?.as_str().map(str::to_string))
        .collect()
}

/// Every `{"referenceName": "X", "type": "<Type>Reference"}` at any depth
/// (references whose name is not a plain string are dynamic: left out).
pub(crate) fn references(value: &Value) -> Vec<ObjectRef> {
    let mut found = Vec::new();
    collect_references(value, &mut found);
    found.sort();
    found.dedup();
    found
}

fn collect_references(value: &Value, found: &mut Vec<ObjectRef>) {
    match value {
        Value::Object(map) => {
            found.extend(reference(map));
            map.values().for_each(|v| collect_references(v, found));
        }
        Value::Array(items) => items.iter().for_each(|v| collect_references(v, found)),
        _ => {}
    }
}

fn reference(map: &Map<String, Value>) -> Option<ObjectRef> {
    let name = map.get("referenceName")?.as_str()?;
    let otype = ObjectType::from_reference_type(map.get("type")?.as_str()?)?;
    Some(ObjectRef { otype, name: name.to_string() })
}

#[cfg(test)]
#[path = "definition_tests.rs"]
mod tests;

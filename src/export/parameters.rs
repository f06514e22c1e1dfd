//! Template parameters the exporter declares, and applying a parameterization
//! definition to a resource (the second pass, after the secrets of linked
//! services): each matched property is replaced by `[parameters('name')]`.

use std::collections::HashSet;

use serde_json::{Map, Value, json};

use super::definition::{Action, ParamName, ParamType, Rule, Spec};
use crate::template::expr::quote;

/// One declared parameter.
#[derive(Debug, Clone, PartialEq)]
pub struct Parameter {
    /// Its name.
    pub name: String,
    /// Its declaration (`{"type": …, "metadata"?: …, "defaultValue"?: …}`).
    pub declaration: Value,
}

/// The parameters of an export, in declaration order.
#[derive(Debug, Clone, Default)]
pub struct Parameters {
    list: Vec<Parameter>,
    names: HashSet<String>,
}

impl Parameters {
    /// Declare `name` unless it is declared already (the first declaration wins).
    pub fn declare(&mut self, name: String, declaration: Value) {
        if self.names.insert(name.clone()) {
            self.list.push(Parameter { name, declaration });
        }
    }

    /// Add `other`'s parameters after these (those already declared are skipped).
    pub fn append(&mut self, other: Parameters) {
        for p in other.list {
            self.declare(p.name, p.declaration);
        }
    }

    /// Every parameter, in declaration order.
    pub fn iter(&self) -> impl Iterator<Item = &Parameter> {
        self.list.iter()
    }

    /// How many.
    pub fn len(&self) -> usize {
        self.list.len()
    }

    /// None declared.
    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }
}

/// `[parameters('name')]`.
pub fn reference(name: &str) -> Value {
    Value::String(format!("[parameters({})]", quote(name)))
}

/// The declaration of a secure parameter holding `property` of `object`.
pub fn secure_declaration(property: &str, object: &str) -> Value {
    json!({"type": "secureString", "metadata": format!("Secure string for '{property}' of '{object}'")})
}

/// Where a rule is being applied: the object's name and its parameters.
struct Scope<'p> {
    object: &'p str,
    parameters: &'p mut Parameters,
}

/// Apply `rule` to a resource whose members are `root` (`properties`, …).
pub fn apply(rule: &Rule, root: &mut Map<String, Value>, object: &str, parameters: &mut Parameters) {
    let mut scope = Scope { object, parameters };
    walk_members(rule, root, &mut Vec::new(), &mut scope);
}

fn walk_members(rule: &Rule, members: &mut Map<String, Value>, path: &mut Vec<String>, scope: &mut Scope<'_>) {
    let wrapper = is_wrapper(members);
    let keys: Vec<String> = members.keys().cloned().collect();
    for key in keys {
        let (Some(sub), Some(value)) = (rule.member(&key), members.get_mut(&key)) else { continue };
        if let Rule::Array(element, namer) = sub {
            walk_elements(element, namer.as_deref(), value, path, scope);
            continue;
        }
        // `{"type": "SecureString", "value": …}`: the parameter is named after the wrapper.
        let segment = !(wrapper && key == "value");
        if segment {
            path.push(key.clone());
        }
        match (sub, value) {
            (Rule::Leaf(spec), value) => parameterize(value, &key, spec, path, scope),
            (Rule::Object(_), Value::Object(inner)) => walk_members(sub, inner, path, scope),
            _ => {}
        }
        if segment {
            path.pop();
        }
    }
}

/// Elements are named by their index (or by the value at `namer`) in place of the array's key.
fn walk_elements(
    element: &Rule,
    namer: Option<&[String]>,
    array: &mut Value,
    path: &mut Vec<String>,
    scope: &mut Scope<'_>,
) {
    let Value::Array(items) = array else { return };
    for (i, item) in items.iter_mut().enumerate() {
        let label = namer.and_then(|keys| string_at(item, keys)).unwrap_or_else(|| i.to_string());
        path.push(label);
        match (element, item) {
            (Rule::Leaf(spec), item) => parameterize(item, "", spec, path, scope),
            (_, Value::Object(members)) => walk_members(element, members, path, scope),
            _ => {}
        }
        path.pop();
    }
}

fn string_at(value: &Value, keys: &[String]) -> Option<String> {
    keys.iter().try_fold(value, |v, k| v.get(k)).and_then(Value::as_str).map(str::to_string)
}

/// Replace `value` (property `key`, at `path`) by a parameter reference, declaring the parameter.
fn parameterize(value: &mut Value, key: &str, spec: &Spec, path: &mut Vec<String>, scope: &mut Scope<'_>) {
    if spec.action == Action::Secret && is_key_vault_secret(value) {
        if let Some(secret) = value.get_mut("secretName") {
            path.push("secretName".into());
            let keep = Spec { action: Action::KeepDefault, name: ParamName::Path, ptype: None };
            parameterize(secret, "secretName", &keep, path, scope);
            path.pop();
        }
        return;
    }
    let target = if value.as_object().is_some_and(is_wrapper) { &mut value["value"] } else { value };
    if is_expression(target) {
        return;
    }
    let name = parameter_name(scope.object, path, &spec.name);
    let declaration = declaration(spec, target, key, scope.object);
    scope.parameters.declare(name.clone(), declaration);
    *target = reference(&name);
}

fn declaration(spec: &Spec, value: &Value, key: &str, object: &str) -> Value {
    let ptype =
        spec.ptype.unwrap_or(if spec.action == Action::Secret { ParamType::SecureString } else { infer(value) });
    match spec.action {
        Action::KeepDefault => json!({"type": ptype.as_str(), "defaultValue": value}),
        Action::NoDefault => json!({"type": ptype.as_str()}),
        Action::Secret => {
            json!({"type": ptype.as_str(), "metadata": format!("Secure string for '{key}' of '{object}'")})
        }
    }
}

/// `<object>_<path…>`, `<object>_<short>` or the path with its last segment replaced.
pub fn parameter_name(object: &str, path: &[String], name: &ParamName) -> String {
    let mut parts = vec![object.to_string()];
    match name {
        ParamName::Path => parts.extend(path.iter().cloned()),
        ParamName::Short(short) => parts.push(short.clone()),
        ParamName::Last(last) => {
            parts.extend(path.iter().take(path.len().saturating_sub(1)).cloned());
            parts.push(last.clone());
        }
    }
    parts.join("_")
}

/// The parameter type of a value: `int` for integers, `bool`, `array`, `object`, else `string`.
fn infer(value: &Value) -> ParamType {
    match value {
        Value::Bool(_) => ParamType::Bool,
        Value::Number(n) if n.is_i64() || n.is_u64() => ParamType::Int,
        Value::Array(_) => ParamType::Array,
        Value::Object(_) | Value::Null => ParamType::Object,
        _ => ParamType::String,
    }
}

/// `{"type": "Expression" | "SecureString", "value": …}`: the value is what gets parameterized.
fn is_wrapper(members: &Map<String, Value>) -> bool {
    members.contains_key("value")
        && members.get("type").and_then(Value::as_str).is_some_and(|t| t == "Expression" || t == "SecureString")
}

fn is_key_vault_secret(value: &Value) -> bool {
    value.get("type").and_then(Value::as_str) == Some("AzureKeyVaultSecret")
}

/// An ARM expression (already a parameter reference); escaped literals start with `[[`.
fn is_expression(value: &Value) -> bool {
    value.as_str().is_some_and(|s| s.starts_with('[') && !s.starts_with("[["))
}

#[cfg(test)]
#[path = "parameters_tests.rs"]
mod tests;

//! A resource as ARM deploys it: a string that is exactly `[parameters('P')]`
//! stands for P's value (the parameters file's, else the declared default).
//! Two outputs are compared this way (`adfc diff`, `build --changed-since`),
//! so a value moved between the template and its parameters file is not a
//! difference, and a new value in the parameters file is one.

use std::collections::HashMap;

use serde_json::Value;

use super::expr;
use super::factory::Factory;
use super::id::TemplateId;
use crate::json::Node;

/// What one template parameter is set to.
#[derive(Debug, Clone, PartialEq)]
pub struct ParameterValue {
    /// Its name as declared.
    pub name: String,
    /// The value (parameters file, else default); `None` when neither is given.
    pub value: Option<Value>,
    /// Declared `secureString` / `secureObject`.
    pub secure: bool,
}

/// Every declared parameter of a template and its value, by name (ARM
/// compares parameter names ignoring case).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ParameterValues {
    by_name: HashMap<String, ParameterValue>,
    order: Vec<String>,
}

impl ParameterValues {
    /// Add a declared parameter: its declared type, default and value as JSON text.
    pub fn declare(&mut self, name: &str, declared_type: Option<&str>, default: Option<&str>, value: Option<&str>) {
        let parse = |text: Option<&str>| text.and_then(|t| serde_json::from_str::<Value>(t).ok());
        let entry = ParameterValue {
            name: name.to_string(),
            value: parse(value).or_else(|| parse(default)),
            secure: declared_type.is_some_and(crate::secret::is_secure_type),
        };
        let key = name.to_lowercase();
        if self.by_name.insert(key.clone(), entry).is_none() {
            self.order.push(key);
        }
    }

    /// The declared parameters of `factory`'s main template, with the values of its parameters file.
    pub fn of_factory(factory: &Factory<'_>) -> ParameterValues {
        let mut values = ParameterValues::default();
        let Some(declared) = factory.template(TemplateId::MAIN).doc().root.get("parameters") else { return values };
        let given = factory.parameters_file().and_then(|d| d.root.get("parameters"));
        for (name, declaration) in declared.members() {
            let text = |node: Option<Node<'_>>| node.map(|n| compact(&n));
            let value = given.as_ref().and_then(|g| g.get(&name)).and_then(|entry| text(entry.get("value")));
            let declared_type = declaration.get("type").and_then(|t| t.as_str().map(|t| t.into_owned()));
            values.declare(
                &name,
                declared_type.as_deref(),
                text(declaration.get("defaultValue")).as_deref(),
                value.as_deref(),
            );
        }
        values
    }

    /// A parameter, by name (any case).
    pub fn get(&self, name: &str) -> Option<&ParameterValue> {
        self.by_name.get(&name.to_lowercase())
    }

    /// Every parameter, in declaration order.
    pub fn iter(&self) -> impl Iterator<Item = &ParameterValue> {
        self.order.iter().filter_map(|k| self.by_name.get(k))
    }

    /// Names (lower case) of parameters whose value or secrecy differs between `self` and `other`.
    pub fn differing(&self, other: &ParameterValues) -> std::collections::HashSet<String> {
        let mut names: std::collections::HashSet<String> = std::collections::HashSet::new();
        for key in self.order.iter().chain(&other.order) {
            if self.by_name.get(key) != other.by_name.get(key) {
                names.insert(key.clone());
            }
        }
        names
    }

    /// The value a string stands for: P's value when it is exactly
    /// `[parameters('P')]` and P has one, with P's name.
    pub fn resolve<'v>(&'v self, value: &'v Value) -> (&'v Value, Option<&'v ParameterValue>) {
        let Value::String(text) = value else { return (value, None) };
        let Some(parameter) = parameter_reference(text).and_then(|name| self.get(&name)) else { return (value, None) };
        match &parameter.value {
            Some(resolved) => (resolved, Some(parameter)),
            None => (value, Some(parameter)),
        }
    }
}

fn compact(node: &Node<'_>) -> String {
    let mut out = String::new();
    crate::json::node::write_compact(node, &mut out);
    out
}

/// `P` when `text` (a decoded JSON string) is exactly `[parameters('P')]`.
pub fn parameter_reference(text: &str) -> Option<String> {
    let inner = text.strip_prefix('[')?;
    if inner.starts_with('[') || !inner.ends_with(']') || !inner.to_ascii_lowercase().contains("parameters") {
        return None;
    }
    expr::parse_value(text).ok()??.as_parameter().map(str::to_string)
}

/// Parameters read by `[parameters('P')]` strings of a resource's JSON text
/// (found by a text search, without parsing: used on resources whose text
/// is identical on both sides).
fn referenced_parameters(json: &str) -> impl Iterator<Item = String> + '_ {
    json.match_indices("\"[").filter_map(|(at, _)| {
        // A quote after a backslash is inside a string, not the start of one.
        if at > 0 && json.as_bytes().get(at - 1) == Some(&b'\\') {
            return None;
        }
        let rest = json.get(at + 1..)?;
        let end = string_end(rest)?;
        let body = rest.get(..end)?;
        if body.contains('\\') {
            let decoded: String = serde_json::from_str(json.get(at..at + 2 + end)?).ok()?;
            parameter_reference(&decoded)
        } else {
            parameter_reference(body)
        }
    })
}

/// Byte offset of the closing quote of a JSON string body.
fn string_end(body: &str) -> Option<usize> {
    let mut escaped = false;
    body.bytes().position(|b| {
        let end = b == b'"' && !escaped;
        escaped = b == b'\\' && !escaped;
        end
    })
}

/// Does a resource whose JSON text is the same on both sides deploy the
/// same thing? Yes unless it reads one of the `differing` parameters
/// (lower-case names, from [`ParameterValues::differing`]).
pub fn same_text(json: &str, differing: &std::collections::HashSet<String>) -> bool {
    differing.is_empty() || referenced_parameters(json).all(|p| !differing.contains(&p.to_lowercase()))
}

/// Do two resources deploy the same thing? Equal JSON text whose parameter
/// references have the same values on both sides, or equal values once
/// parsed (key order and formatting ignored, parameter references resolved).
/// Top-level members named in `ignore` (e.g. `dependsOn`) are not compared.
pub fn same_resource(
    old: (&str, &ParameterValues),
    new: (&str, &ParameterValues),
    differing: &std::collections::HashSet<String>,
    ignore: &[&str],
) -> bool {
    if old.0 == new.0 {
        return same_text(old.0, differing);
    }
    let (Ok(mut a), Ok(mut b)) = (serde_json::from_str::<Value>(old.0), serde_json::from_str::<Value>(new.0)) else {
        return false;
    };
    for key in ignore {
        for v in [&mut a, &mut b] {
            if let Value::Object(map) = v {
                map.shift_remove(*key);
            }
        }
    }
    same_value(&a, old.1, &b, new.1)
}

/// Deep equality of two values with parameter references resolved on each side.
pub fn same_value(a: &Value, pa: &ParameterValues, b: &Value, pb: &ParameterValues) -> bool {
    let ((a, _), (b, _)) = (pa.resolve(a), pb.resolve(b));
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| same_value(v, pa, w, pb)))
        }
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(v, w)| same_value(v, pa, w, pb))
        }
        _ => a == b,
    }
}

#[cfg(test)]
#[path = "effective_tests.rs"]
mod tests;

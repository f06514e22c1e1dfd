//! Turning the folder's objects into ARM resources the way ADF's exporter
//! does: resource names and types, `dependsOn` from every reference, ADF's
//! resource order, and the template and parameters file around them.
//!
//! Order, as every real export shows: by type (pipelines, datasets, linked
//! services, triggers, integration runtimes, data flows, credentials, change
//! data captures, managed virtual networks, managed private endpoints, global
//! parameters), then by file name, byte by byte (`Tableau Refresh Status.json`
//! before `Tableau.json`). The linked layout deploys them in dependency order
//! instead (see `layout`).
//!
//! `dependsOn` lists each referenced object once, in the order ADF visits
//! them: members in file order except `connectVia`, `inputs` and `outputs`
//! first, and the activities of containers (a Switch's cases, a Power Query's
//! queries) after those of the level above (breadth first by activity, depth
//! first within one). This gives ADF's `dependsOn` for every resource of the
//! folder pairs and of the corpus, but the few `tests/export.rs` lists.

use serde_json::{Map, Value, json};

use super::folder::FolderObject;
use super::parameters::Parameters;
use super::rewrite::{Lookup, reference_target};
use crate::json::stringify::{line_break, write_value};
use crate::template::ObjectType;
use crate::template::expr::{parse_value, quote};

/// The API version of every ADF resource.
pub const API_VERSION: &str = "2018-06-01";
/// `$schema` of a template.
pub const TEMPLATE_SCHEMA: &str = "http://schema.management.azure.com/schemas/2015-01-01/deploymentTemplate.json#";
/// `$schema` of a parameters file.
pub const PARAMETERS_SCHEMA: &str = "https://schema.management.azure.com/schemas/2015-01-01/deploymentParameters.json#";
/// The `factoryId` variable.
pub const FACTORY_ID: &str = "[concat('Microsoft.DataFactory/factories/', parameters('factoryName'))]";
/// The integration runtime every factory has, whether or not the folder holds a file for it.
pub const AUTO_RESOLVE_IR: &str = "AutoResolveIntegrationRuntime";

/// ADF's order of resource types.
const TYPE_ORDER: [ObjectType; 10] = [
    ObjectType::Pipeline,
    ObjectType::Dataset,
    ObjectType::LinkedService,
    ObjectType::Trigger,
    ObjectType::IntegrationRuntime,
    ObjectType::Dataflow,
    ObjectType::Credential,
    ObjectType::Adfcdc,
    ObjectType::ManagedVirtualNetwork,
    ObjectType::ManagedPrivateEndpoint,
];

/// Position of a type in ADF's resource order (the factory's own resources last).
pub fn type_rank(otype: ObjectType) -> usize {
    TYPE_ORDER.iter().position(|t| *t == otype).unwrap_or(TYPE_ORDER.len())
}

/// The ARM resource type path below the factory (`linkedServices`).
pub fn type_path(otype: ObjectType) -> &'static str {
    match otype {
        ObjectType::Pipeline => "pipelines",
        ObjectType::Dataset => "datasets",
        ObjectType::LinkedService => "linkedServices",
        ObjectType::Trigger => "triggers",
        ObjectType::IntegrationRuntime => "integrationRuntimes",
        ObjectType::Dataflow => "dataflows",
        ObjectType::Credential => "credentials",
        ObjectType::Adfcdc => "adfcdcs",
        ObjectType::ManagedVirtualNetwork => "managedVirtualNetworks",
        ObjectType::ManagedPrivateEndpoint => "managedVirtualNetworks/managedPrivateEndpoints",
        ObjectType::Factory => "globalparameters",
    }
}

/// Sort objects into ADF's resource order.
pub fn sort(objects: &mut [FolderObject]) {
    objects.sort_by(|a, b| {
        (type_rank(a.otype), &a.parent, a.file_name.as_bytes()).cmp(&(
            type_rank(b.otype),
            &b.parent,
            b.file_name.as_bytes(),
        ))
    });
}

/// A reference found in an object's properties.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reference {
    /// The type of the referenced object.
    pub otype: ObjectType,
    /// Its name, as written.
    pub name: String,
    /// JSON pointer to the reference object (`/activities/0/inputs/0`).
    pub pointer: String,
}

/// Objects referenced by `properties`, once each, in ADF's order (names as written).
pub fn references(properties: &Value) -> Vec<(ObjectType, String)> {
    reference_paths(properties).into_iter().map(|r| (r.otype, r.name)).collect()
}

/// [`references`] with where each one is.
pub fn reference_paths(properties: &Value) -> Vec<Reference> {
    let mut found = Vec::new();
    let mut queue: Vec<(&Value, String)> = Vec::new();
    visit(properties, String::new(), &mut found, &mut queue);
    let mut next = 0;
    while let Some((activity, pointer)) = queue.get(next).cloned() {
        visit(activity, pointer, &mut found, &mut queue);
        next += 1;
    }
    let mut seen = std::collections::HashSet::new();
    found.retain(|r: &Reference| seen.insert((r.otype, r.name.to_lowercase())));
    found
}

/// Members whose references come first, in this order.
const FIRST: [&str; 3] = ["connectVia", "inputs", "outputs"];
/// Members holding activities (or what holds them: a Switch's cases; or a
/// Power Query activity's queries), visited after the current level.
const ACTIVITY_LISTS: [&str; 6] =
    ["activities", "ifTrueActivities", "ifFalseActivities", "defaultActivities", "cases", "queries"];

fn visit<'v>(value: &'v Value, at: String, found: &mut Vec<Reference>, queue: &mut Vec<(&'v Value, String)>) {
    match value {
        Value::Object(members) => {
            if let Some((otype, name)) = reference_target(members) {
                found.push(Reference { otype, name, pointer: at.clone() });
            }
            let first = FIRST.iter().filter_map(|k| members.get_key_value(*k));
            let rest = members.iter().filter(|(k, _)| !FIRST.contains(&k.as_str()));
            for (key, value) in first.chain(rest) {
                let at = format!("{at}/{}", key.replace('~', "~0").replace('/', "~1"));
                match value {
                    Value::Array(items) if ACTIVITY_LISTS.contains(&key.as_str()) => {
                        queue.extend(items.iter().enumerate().map(|(i, item)| (item, format!("{at}/{i}"))));
                    }
                    _ => visit(value, at, found, queue),
                }
            }
        }
        Value::Array(items) => items.iter().enumerate().for_each(|(i, v)| visit(v, format!("{at}/{i}"), found, queue)),
        _ => {}
    }
}

/// A `dependsOn` entry: `[concat(variables('factoryId'), '/datasets/DS_In')]`.
pub fn dependency(otype: ObjectType, parent: Option<&str>, name: &str) -> String {
    let path = match (otype, parent) {
        (ObjectType::ManagedPrivateEndpoint, Some(vnet)) => {
            format!("/managedVirtualNetworks/{vnet}/managedPrivateEndpoints/{name}")
        }
        _ => format!("/{}/{name}", type_path(otype)),
    };
    format!("[concat(variables('factoryId'), {})]", quote(&path))
}

/// The `dependsOn` of an object: its references (found before
/// parameterization) to their targets' exact names — or, when a definition
/// made a reference's name a parameter in `properties`, an entry built from
/// that parameter — and a managed private endpoint's network.
pub fn depends_on(
    owner: (ObjectType, &str, Option<&str>),
    refs: &[Reference],
    properties: &Value,
    lookup: &dyn Lookup,
) -> Vec<String> {
    let (owner_type, owner_name, parent) = owner;
    let mut entries = Vec::new();
    for reference in refs {
        let written = properties.pointer(&format!("{}/referenceName", reference.pointer)).and_then(Value::as_str);
        if let Some(parameter) = written.and_then(parameter_name) {
            let path = quote(&format!("/{}/", type_path(reference.otype)));
            entries.push(format!("[concat(variables('factoryId'), {path}, parameters({}))]", quote(&parameter)));
            continue;
        }
        let exact = lookup.canonical(reference.otype, &reference.name);
        let own = reference.otype == owner_type && exact == Some(owner_name);
        if let (Some(exact), false) = (exact, own) {
            entries.push(dependency(reference.otype, None, exact));
        }
    }
    if let Some(vnet) = parent {
        let exact = lookup.canonical(ObjectType::ManagedVirtualNetwork, vnet).unwrap_or(vnet);
        entries.push(dependency(ObjectType::ManagedVirtualNetwork, None, exact));
    }
    entries
}

/// `P` when `text` is exactly the expression `[parameters('P')]`.
fn parameter_name(text: &str) -> Option<String> {
    parse_value(text).ok().flatten()?.as_parameter().map(str::to_string)
}

/// The resource name expression: `[concat(parameters('factoryName'), '/PL_Copy')]`.
pub fn resource_name(parent: Option<&str>, name: &str) -> String {
    let path = match parent {
        Some(parent) => format!("/{parent}/{name}"),
        None => format!("/{name}"),
    };
    format!("[concat(parameters('factoryName'), {})]", quote(&path))
}

/// One ARM resource.
pub fn resource(
    otype: ObjectType,
    parent: Option<&str>,
    name: &str,
    properties: Value,
    depends_on: Vec<String>,
) -> Value {
    json!({
        "name": resource_name(parent, name),
        "type": format!("Microsoft.DataFactory/factories/{}", type_path(otype)),
        "apiVersion": API_VERSION,
        "properties": properties,
        "dependsOn": depends_on,
    })
}

/// The `resources` of a template as text, written one resource at a time
/// (a whole factory as `Value`s would cost ten times its size).
#[derive(Debug, Clone)]
pub struct ResourcesText {
    text: String,
    count: usize,
    indent: &'static str,
}

impl ResourcesText {
    /// An empty list, to be indented with `indent`.
    pub fn new(indent: &'static str) -> Self {
        ResourcesText { text: String::new(), count: 0, indent }
    }

    /// Append one resource.
    pub fn push(&mut self, resource: &Value) {
        if self.count > 0 {
            self.text.push(',');
        }
        line_break(2, self.indent, &mut self.text);
        write_value(resource, 2, self.indent, &mut self.text);
        self.count += 1;
    }
}

/// The template's text: `factoryName`, the parameters, `factoryId`, the resources.
pub fn template(factory: &str, parameters: &Parameters, resources: &ResourcesText) -> String {
    let head = [
        ("$schema", Value::String(TEMPLATE_SCHEMA.into())),
        ("contentVersion", Value::String("1.0.0.0".into())),
        ("parameters", declarations(factory, parameters)),
        ("variables", json!({"factoryId": FACTORY_ID})),
    ];
    let indent = resources.indent;
    let mut out = String::with_capacity(resources.text.len() + 4096);
    out.push('{');
    for (key, value) in &head {
        line_break(1, indent, &mut out);
        out.push_str(&format!("\"{key}\": "));
        write_value(value, 1, indent, &mut out);
        out.push(',');
    }
    line_break(1, indent, &mut out);
    out.push_str("\"resources\": [");
    if resources.count > 0 {
        out.push_str(&resources.text);
        line_break(1, indent, &mut out);
    }
    out.push(']');
    line_break(0, indent, &mut out);
    out.push('}');
    out
}

/// The template's `parameters`: `factoryName`, then the export's.
fn declarations(factory: &str, parameters: &Parameters) -> Value {
    let mut declared = Map::new();
    declared.insert(
        "factoryName".into(),
        json!({"type": "string", "metadata": "Data Factory name", "defaultValue": factory}),
    );
    for p in parameters.iter() {
        declared.insert(p.name.clone(), p.declaration.clone());
    }
    Value::Object(declared)
}

/// The parameters file: each parameter's default (unescaped: values here are
/// never read as expressions), `""` for those without one.
pub fn parameters_file(factory: &str, parameters: &Parameters) -> Value {
    let mut values = Map::new();
    values.insert("factoryName".into(), json!({"value": factory}));
    for p in parameters.iter() {
        let value = p.declaration.get("defaultValue").map_or(json!(""), unescape);
        values.insert(p.name.clone(), json!({"value": value}));
    }
    json!({"$schema": PARAMETERS_SCHEMA, "contentVersion": "1.0.0.0", "parameters": values})
}

/// Undo the `[[` escaping of literals.
pub fn unescape(value: &Value) -> Value {
    match value {
        Value::String(s) if s.starts_with("[[") => Value::String(s[1..].to_string()),
        Value::Array(items) => Value::Array(items.iter().map(unescape).collect()),
        Value::Object(members) => Value::Object(members.iter().map(|(k, v)| (k.clone(), unescape(v))).collect()),
        other => other.clone(),
    }
}

#[cfg(test)]
#[path = "arm_tests.rs"]
mod tests;

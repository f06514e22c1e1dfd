//! Single template → ADF's linked layout: resources in dependency order, cut
//! into parts of at most 20 that keep only the `dependsOn` entries within the
//! part; each part declares the parameters it uses (`factoryName`, then the
//! linked services' secure strings, then the rest in order of use), and the
//! master deploys part N after part N-1, passing each only what it uses.

use std::borrow::Cow;

use serde_json::{Value, json};

use super::Written;
use super::input::push_global_parameters;
use super::order::{PART_SIZE, dependency_order, depends_on_entries, target};
use crate::input::{MASTER, MASTER_PARAMETERS};
use crate::json::text::{encode_str, key_is};
use crate::json::{Member, Node};
use crate::output::{OutputFile, Role};
use crate::template::doc::Doc;
use crate::template::expr::{RefKind, quote, refs_in_value};
use crate::template::factory::FACTORY_PARAM;
use crate::template::{Factory, ResourceId, TemplateId};

/// The folder of the linked layout's files.
pub const FOLDER: &str = "linkedTemplates";
/// The API version ADF's exporter gives the part deployments.
pub const DEPLOYMENT_API_VERSION: &str = "2024-03-01";
const CONTAINER_PARAMETERS: [(&str, &str); 2] = [
    ("containerUri", "URI to storage account containing linked ARM templates"),
    ("containerSasToken", "Sas token to storage account containing linked ARM templates"),
];

/// The files of a single-template `factory` in the linked layout.
pub fn write(factory: &Factory<'_>) -> Written {
    let main = factory.template(TemplateId::MAIN).doc();
    let kept: Vec<ResourceId> = factory.resources().filter(|(_, r)| r.is_deployed()).map(|(id, _)| id).collect();
    let order = dependency_order(factory, &kept);
    let mut chunks: Vec<&[ResourceId]> = order.chunks(PART_SIZE).collect();
    if chunks.is_empty() {
        chunks.push(&[]);
    }
    let declared = declarations(main);
    let parts: Vec<Part<'_>> = chunks.iter().map(|chunk| part(factory, chunk, &declared)).collect();
    let mut written = Written::new(factory.resources().count(), true);
    master(factory, main, &declared, &parts, &mut written);
    for (i, part) in parts.iter().enumerate() {
        let doc = new_doc(main, root(main, selected(&declared, &part.used), Node::Array(Vec::new())));
        let name = format!("{FOLDER}/ArmTemplate_{i}.json").into();
        written.push_template(name, &doc, &part.resources, part.used.len(), Role::Part);
    }
    written.files.push(master_parameters(factory, main));
    push_global_parameters(factory, &mut written.files);
    written
}

/// One part: its resources (with their `dependsOn` cut to the part) and the parameters it uses.
struct Part<'f> {
    resources: Vec<(Option<ResourceId>, Node<'f>)>,
    used: Vec<String>,
}

fn part<'f>(factory: &Factory<'f>, chunk: &[ResourceId], declared: &[Member<'_>]) -> Part<'f> {
    let resources: Vec<(Option<ResourceId>, Node<'f>)> =
        chunk.iter().map(|&r| (Some(r), part_node(factory, r, chunk))).collect();
    let nodes: Vec<&Node<'f>> = resources.iter().map(|(_, n)| n).collect();
    let used = used_parameters(&nodes, declared);
    Part { resources, used }
}

/// The main template's parameter declarations.
fn declarations<'d>(main: &'d Doc<'_>) -> Vec<Member<'d>> {
    let Some(mut parameters) = main.root.get("parameters") else { return Vec::new() };
    let _ = parameters.expand();
    match parameters {
        Node::Object(members) => members,
        _ => Vec::new(),
    }
}

fn name_of(member: &Member<'_>) -> String {
    crate::json::text::decode_str(&member.key).map(|k| k.into_owned()).unwrap_or_default()
}

/// A resource of a part: its `dependsOn` keeps only the entries naming resources of the same part.
fn part_node<'f>(factory: &Factory<'f>, resource: ResourceId, part: &[ResourceId]) -> Node<'f> {
    let node = factory.resource(resource).node().clone();
    let entries = depends_on_entries(&node);
    let outside = |entry: &String| target(factory, resource, entry).is_some_and(|t| !part.contains(&t));
    let keep: Vec<bool> = entries.iter().map(|e| !outside(e)).collect();
    if keep.iter().all(|k| *k) {
        return node;
    }
    let mut node = node;
    if let Ok(Some(list)) = node.get_mut("dependsOn") {
        let mut kept = keep.into_iter();
        let _ = list.expand();
        if let Node::Array(items) = list {
            items.retain(|_| kept.next().unwrap_or(true));
        }
    }
    node
}

/// The declared parameters a part uses: `factoryName`, the leading secure
/// strings of linked services, then the others in order of first use.
fn used_parameters(nodes: &[&Node<'_>], declared: &[Member<'_>]) -> Vec<String> {
    let names: Vec<String> = declared.iter().map(name_of).collect();
    let mut first_use: Vec<String> = Vec::new();
    for node in nodes {
        node.for_each_string(&mut |s| {
            let _ = refs_in_value(s, &mut |kind, name| {
                if kind == RefKind::Parameter && !first_use.iter().any(|n| n == name) && names.iter().any(|n| n == name)
                {
                    first_use.push(name.to_string());
                }
            });
        });
    }
    let lead = leading_secrets(declared);
    let mut used = vec![FACTORY_PARAM.to_string()];
    used.extend(lead.iter().filter(|n| first_use.contains(n)).cloned());
    used.extend(first_use.into_iter().filter(|n| n != FACTORY_PARAM && !lead.contains(n)));
    used.retain(|n| names.contains(n));
    used
}

/// The secure strings ADF declares first (a linked service's secrets), right after `factoryName`.
fn leading_secrets(declared: &[Member<'_>]) -> Vec<String> {
    let secret = |m: &&Member<'_>| {
        let text = |key| m.value.get(key).and_then(|v| v.as_str().map(Cow::into_owned)).unwrap_or_default();
        text("type").eq_ignore_ascii_case("securestring") && text("metadata").starts_with("Secure string for '")
    };
    declared.iter().skip_while(|m| key_is(&m.key, FACTORY_PARAM)).take_while(secret).map(name_of).collect()
}

fn selected<'d>(declared: &[Member<'d>], used: &[String]) -> Vec<Member<'d>> {
    used.iter().filter_map(|n| declared.iter().find(|m| key_is(&m.key, n)).cloned()).collect()
}

/// A template root in ADF's member order, taking `$schema`, `contentVersion` and `variables` from `main`.
fn root<'d>(main: &'d Doc<'_>, parameters: Vec<Member<'d>>, resources: Node<'d>) -> Node<'d> {
    let mut members = Vec::new();
    let copy = |key: &str, members: &mut Vec<Member<'d>>| {
        if let Some(value) = main.root.get(key) {
            members.push(Member { key: Cow::Owned(encode_str(key)), value });
        }
    };
    copy("$schema", &mut members);
    copy("contentVersion", &mut members);
    members.push(Member { key: Cow::Owned(encode_str("parameters")), value: Node::Object(parameters) });
    copy("variables", &mut members);
    members.push(Member { key: Cow::Owned(encode_str("resources")), value: resources });
    Node::Object(members)
}

/// A new file in `main`'s style.
fn new_doc<'d>(main: &'d Doc<'_>, root: Node<'d>) -> Doc<'d> {
    Doc {
        source: None,
        path: main.path.clone(),
        style: main.style.clone(),
        prefix: main.prefix,
        suffix: main.suffix,
        root,
    }
}

/// The master: the main template's parameters and the container ones, one deployment per part.
fn master(factory: &Factory<'_>, main: &Doc<'_>, declared: &[Member<'_>], parts: &[Part<'_>], written: &mut Written) {
    let mut parameters = declared.to_vec();
    for (name, metadata) in CONTAINER_PARAMETERS {
        parameters.push(owned_member(name, &json!({"type": "string", "metadata": metadata})));
    }
    let count = parameters.len();
    let doc = new_doc(main, root(main, parameters, Node::Array(Vec::new())));
    let deployments: Vec<(Option<ResourceId>, Node<'_>)> =
        parts.iter().enumerate().map(|(i, part)| (None, owned(&deployment(factory.name(), i, &part.used)))).collect();
    written.push_template(format!("{FOLDER}/{MASTER}").into(), &doc, &deployments, count, Role::Master);
}

/// The master's deployment of part `index`.
fn deployment(factory: &str, index: usize, used: &[String]) -> Value {
    let passed: serde_json::Map<String, Value> =
        used.iter().map(|n| (n.clone(), json!({"value": format!("[parameters({})]", quote(n))}))).collect();
    let depends_on: Vec<String> = match index {
        0 => Vec::new(),
        _ => vec![format!(
            "[resourceId('Microsoft.Resources/deployments', {})]",
            quote(&deployment_name(factory, index - 1))
        )],
    };
    json!({
        "name": deployment_name(factory, index),
        "type": "Microsoft.Resources/deployments",
        "apiVersion": DEPLOYMENT_API_VERSION,
        "properties": {
            "mode": "incremental",
            "templateLink": {
                "uri": format!("[concat(parameters('containerUri'), {}, parameters('containerSasToken'))]", quote(&format!("/ArmTemplate_{index}.json"))),
                "contentVersion": "1.0.0.0"
            },
            "parameters": passed
        },
        "dependsOn": depends_on
    })
}

fn deployment_name(factory: &str, index: usize) -> String {
    format!("{factory}_ArmTemplate_{index}")
}

/// `ArmTemplateParameters_master.json`: the parameters file plus empty container values.
fn master_parameters(factory: &Factory<'_>, main: &Doc<'_>) -> OutputFile {
    const NEW_FILE: &str = r#"{"$schema": "https://schema.management.azure.com/schemas/2015-01-01/deploymentParameters.json#", "contentVersion": "1.0.0.0", "parameters": {}}"#;
    let mut doc = match factory.parameters_file() {
        Some(doc) => doc.clone(),
        None => Doc::new_empty(
            &main.path,
            main.style.clone(),
            Node::parse_owned(NEW_FILE).unwrap_or(Node::Object(Vec::new())),
        ),
    };
    if let Ok(Some(parameters)) = doc.root.get_mut("parameters") {
        for (name, _) in CONTAINER_PARAMETERS {
            let _ = parameters.insert(name, owned(&json!({"value": ""})));
        }
    }
    OutputFile { name: format!("{FOLDER}/{MASTER_PARAMETERS}").into(), role: Role::Parameters, text: doc.write() }
}

fn owned(value: &Value) -> Node<'static> {
    Node::parse_owned(&value.to_string()).unwrap_or(Node::Object(Vec::new()))
}

fn owned_member(key: &str, value: &Value) -> Member<'static> {
    Member { key: Cow::Owned(encode_str(key)), value: owned(value) }
}

//! Linked layout → one template: the parts' resources in ADF's
//! single-template order, each with the `dependsOn` entries the split had
//! dropped restored (recomputed from its references, as ADF's exporter
//! computes them), and the master's parameters without the container ones.

use super::Written;
use super::input::push_global_parameters;
use super::order::{depends_on_entries, single_order, target};
use crate::export::arm::{dependency, references};
use crate::input::TEMPLATE_NAMES;
use crate::json::Node;
use crate::json::text::key_is;
use crate::output::{OutputFile, Role};
use crate::template::doc::Doc;
use crate::template::{Factory, ObjectType, ResourceId, TemplateId};

/// The parameters a master adds for the part files' location.
const CONTAINER_PARAMETERS: [&str; 2] = ["containerUri", "containerSasToken"];
/// The single layout's parameters file.
const PARAMETERS_FILE: &str = "ARMTemplateParametersForFactory.json";

/// The files of a linked `factory` as one template.
pub fn write(factory: &Factory<'_>) -> Written {
    let master = factory.template(TemplateId::MAIN).doc();
    let kept: Vec<ResourceId> = factory
        .resources()
        .filter(|(_, r)| r.is_deployed() && r.template() != TemplateId::MAIN)
        .map(|(id, _)| id)
        .collect();
    let order = single_order(factory, &kept);
    let resources: Vec<(Option<ResourceId>, Node<'_>)> =
        order.iter().map(|&r| (Some(r), with_dependencies(factory, r, &order))).collect();
    let root = single_root(master);
    let parameters = count_parameters(&root);
    let doc = Doc { root, source: None, path: master.path.clone(), style: master.style.clone(), ..*master };
    let mut written = Written::new(factory.resources().count(), false);
    written.push_template(TEMPLATE_NAMES[0].into(), &doc, &resources, parameters, Role::Template);
    written.files.extend(parameters_file(factory));
    push_global_parameters(factory, &mut written.files);
    written
}

/// The master's root without the container parameters (its `resources` are replaced when written).
fn single_root<'d>(master: &'d Doc<'_>) -> Node<'d> {
    let Node::Object(members) = &master.root else { return master.root.clone() };
    let mut members = members.clone();
    for member in members.iter_mut().filter(|m| key_is(&m.key, "parameters")) {
        remove_container_parameters(&mut member.value);
    }
    Node::Object(members)
}

fn remove_container_parameters(parameters: &mut Node<'_>) {
    for name in CONTAINER_PARAMETERS {
        let _ = parameters.remove(name);
    }
}

fn count_parameters(root: &Node<'_>) -> usize {
    root.get("parameters").map_or(0, |p| p.keys().len())
}

/// A part's resource with every `dependsOn` entry ADF would write for the
/// whole factory: its references to kept resources, in ADF's order, then the
/// entries it already had that name something else.
fn with_dependencies<'f>(factory: &Factory<'f>, resource: ResourceId, kept: &[ResourceId]) -> Node<'f> {
    let node = factory.resource(resource).node().clone();
    let existing = depends_on_entries(&node);
    let mut entries = computed(factory, resource, kept);
    let covered: Vec<Option<ResourceId>> = entries.iter().map(|e| target(factory, resource, e)).collect();
    for entry in &existing {
        let t = target(factory, resource, entry);
        if t.is_none() || !covered.contains(&t) {
            entries.push(entry.clone());
        }
    }
    if entries == existing {
        return node;
    }
    let mut node = node;
    let list = Node::Array(entries.iter().map(|e| Node::string(e)).collect());
    match node.get_mut("dependsOn") {
        Ok(Some(slot)) => *slot = list,
        _ => {
            let _ = node.insert("dependsOn", list);
        }
    }
    node
}

/// dependsOn entries from the resource's references (and a private endpoint's network).
fn computed(factory: &Factory<'_>, resource: ResourceId, kept: &[ResourceId]) -> Vec<String> {
    let Some(object) = factory.resource(resource).object().map(|o| factory.object(o)) else { return Vec::new() };
    let properties = factory.resource(resource).node().get("properties").map(|p| p.to_value()).unwrap_or_default();
    let mut targets = references(&properties);
    if let Some(vnet) = object.parent() {
        targets.push((ObjectType::ManagedVirtualNetwork, vnet.to_string()));
    }
    let mut entries = Vec::new();
    for (otype, name) in targets {
        let found =
            factory.lookup(otype, &name).iter().map(|&o| factory.object(o)).find(|o| kept.contains(&o.resource()));
        if let Some(o) = found.filter(|o| o.resource() != resource) {
            entries.push(dependency(otype, None, o.name()));
        }
    }
    entries
}

/// `ARMTemplateParametersForFactory.json`: the master's parameters file without the container values.
fn parameters_file(factory: &Factory<'_>) -> Option<OutputFile> {
    let mut doc = factory.parameters_file()?.clone();
    if let Ok(Some(parameters)) = doc.root.get_mut("parameters") {
        remove_container_parameters(parameters);
    }
    Some(OutputFile { name: PARAMETERS_FILE.into(), role: Role::Parameters, text: doc.write() })
}

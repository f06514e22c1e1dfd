//! The two orders of ADF's exports. A single template lists resources by type
//! (pipelines, datasets, linked services, …) then by name; the linked layout
//! deploys them in dependency order: rounds of every resource whose
//! dependencies are all in earlier rounds, each round in single-template
//! order, cut into parts of 20. (Checked against every linked export of the
//! corpus and the folder pairs.)

use std::collections::{HashMap, HashSet};

use crate::export::arm::type_rank;
use crate::json::text::decode_str;
use crate::json::{Node, scan};
use crate::template::{Factory, ResourceId};

/// Resources per linked part.
pub const PART_SIZE: usize = 20;

/// `resources` (kept, of one template file) in ADF's single-template order;
/// resources that are not ADF objects go last, in input order.
pub fn single_order(factory: &Factory<'_>, resources: &[ResourceId]) -> Vec<ResourceId> {
    let mut sorted = resources.to_vec();
    sorted.sort_by_cached_key(|id| {
        let object = factory.resource(*id).object().map(|o| factory.object(o));
        match object {
            Some(o) => {
                let parent = o.parent().unwrap_or("").as_bytes().to_vec();
                (0, type_rank(o.otype()), parent, format!("{}.json", o.name()).into_bytes())
            }
            None => (1, 0, Vec::new(), Vec::new()),
        }
    });
    sorted
}

/// `resources` (in single-template order) in ADF's deployment order.
pub fn dependency_order(factory: &Factory<'_>, resources: &[ResourceId]) -> Vec<ResourceId> {
    let present: HashSet<ResourceId> = resources.iter().copied().collect();
    let needs: HashMap<ResourceId, Vec<ResourceId>> = resources
        .iter()
        .map(|&r| (r, dependencies(factory, r).into_iter().filter(|d| present.contains(d)).collect()))
        .collect();
    let mut done: HashSet<ResourceId> = HashSet::new();
    let mut remaining = resources.to_vec();
    let mut order = Vec::with_capacity(resources.len());
    while !remaining.is_empty() {
        let ready = |r: &ResourceId| needs.get(r).is_none_or(|d| d.iter().all(|x| done.contains(x) || x == r));
        let mut round: Vec<ResourceId> = remaining.iter().copied().filter(ready).collect();
        if round.is_empty() {
            // A cycle (which ARM would reject anyway): keep the rest as it is.
            round = remaining.clone();
        }
        done.extend(round.iter().copied());
        remaining.retain(|r| !done.contains(r));
        order.extend(round);
    }
    order
}

/// The resources a resource's `dependsOn` entries name (unresolvable entries are skipped).
pub fn dependencies(factory: &Factory<'_>, resource: ResourceId) -> Vec<ResourceId> {
    depends_on_entries(factory.resource(resource).node())
        .iter()
        .filter_map(|entry| target(factory, resource, entry))
        .collect()
}

/// The decoded strings of a resource's `dependsOn`.
pub fn depends_on_entries(node: &Node<'_>) -> Vec<String> {
    let Some(list) = node.get("dependsOn") else { return Vec::new() };
    match list {
        Node::Raw(text) => scan::array_elements(&text)
            .unwrap_or_default()
            .into_iter()
            .filter_map(|raw| decode_str(raw).map(|s| s.into_owned()))
            .collect(),
        Node::Array(items) => items.iter().filter_map(|n| n.as_str().map(|s| s.into_owned())).collect(),
        Node::Object(_) => Vec::new(),
    }
}

/// The deployed resource a `dependsOn` entry of `resource` names.
pub fn target(factory: &Factory<'_>, resource: ResourceId, entry: &str) -> Option<ResourceId> {
    let template = factory.resource(resource).template();
    let object = factory.dependency_object(template, entry)?;
    factory
        .lookup(object.otype, &object.name)
        .iter()
        .map(|&o| factory.object(o).resource())
        .find(|&r| factory.resource(r).is_deployed())
}

//! Editing the template so that ARM accepts it without the objects that are
//! not deployed: their resources go, and so does every dependsOn entry naming them.

use std::collections::BTreeSet;

use super::decide::Selection;
use crate::json::{Node, scan};
use crate::template::{Factory, ObjectRef, ResourceId};

/// Remove the resources of objects that are not deployed, and every dependsOn
/// entry that names one of them.
pub fn remove_excluded(factory: &mut Factory<'_>, selection: &Selection) {
    let excluded: Vec<_> = selection.objects.iter().filter(|s| !s.deployed).map(|s| factory.object(s.object)).collect();
    let removed: BTreeSet<ObjectRef> = excluded.iter().map(|o| o.to_ref()).collect();
    if removed.is_empty() {
        return;
    }
    let resources: Vec<ResourceId> = excluded.iter().map(|o| o.resource()).collect();
    for r in resources {
        factory.exclude(r);
    }
    let kept: Vec<ResourceId> = factory.resources().filter(|(_, r)| r.is_deployed()).map(|(id, _)| id).collect();
    for r in kept {
        drop_depends_on(factory, r, &removed);
    }
}

fn drop_depends_on(factory: &mut Factory<'_>, resource: ResourceId, removed: &BTreeSet<ObjectRef>) {
    let template = factory.resource(resource).template();
    let names_removed = |entry: &Node<'_>| {
        let text = entry.as_str().map(|s| s.into_owned()).unwrap_or_default();
        factory.dependency_object(template, &text).is_some_and(|o| removed.contains(&o))
    };
    let Some(Node::Raw(list)) = factory.resource(resource).node().get("dependsOn") else { return };
    let Ok(entries) = scan::array_elements(&list) else { return };
    let doomed: Vec<bool> = entries.iter().map(|raw| names_removed(&Node::raw(raw))).collect();
    if !doomed.contains(&true) {
        return;
    }
    let mut node = factory.take_node(resource);
    let mut dropped = Vec::new();
    if let Ok(Some(depends_on)) = node.get_mut("dependsOn") {
        let _ = depends_on.expand();
        if let Node::Array(items) = depends_on {
            let mut i = 0;
            items.retain(|item| {
                let keep = !doomed.get(i).copied().unwrap_or(false);
                i += 1;
                if !keep {
                    dropped.push(item.clone());
                }
                keep
            });
        }
    }
    for item in &dropped {
        factory.count_refs(template, item, -1);
    }
    factory.put_node(resource, node);
    factory.mark_changed(resource);
}

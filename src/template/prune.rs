//! Removing parameters and variables that adfc's edits left unused, keeping a
//! linked layout consistent (a parameter pruned from a part is no longer passed
//! to it by the master, and goes from the master once nothing passes it on).

use std::collections::BTreeSet;

use super::expr::RefKind;
use super::factory::Factory;
use crate::json::Node;

/// Names removed by [`prune`].
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Pruned {
    /// Parameters removed from the main (or master) template and the parameters file.
    pub parameters: Vec<String>,
    /// Variables removed, from any template file.
    pub variables: Vec<String>,
}

/// Remove parameters and variables that were used in the input but are used
/// by nothing that is kept. Declarations that were already unused in the input
/// are left alone, so a run without changes writes its input back unchanged.
pub fn prune(factory: &mut Factory<'_>) -> Pruned {
    let mut pruned = Pruned::default();
    let used_at_load = used_at_load(factory);
    let parts = if factory.linked { 1..factory.files.len() } else { 1..1 };
    for file in (0..factory.files.len()).rev() {
        prune_variables(factory, file, &used_at_load[file], &mut pruned);
    }
    for file in parts {
        for name in newly_unused(factory, file, RefKind::Parameter, &used_at_load[file]) {
            remove_declaration(factory, file, "parameters", &name);
            stop_passing(factory, file, &name);
        }
    }
    prune_variables(factory, 0, &used_at_load[0], &mut pruned);
    for name in newly_unused(factory, 0, RefKind::Parameter, &used_at_load[0]) {
        remove_declaration(factory, 0, "parameters", &name);
        if let Some(doc) = &mut factory.parameters
            && let Ok(Some(params)) = doc.root.get_mut("parameters")
        {
            let _ = params.remove(&name);
        }
        pruned.parameters.push(name);
    }
    pruned
}

/// Per file: the (kind, name) pairs used at load time.
fn used_at_load(factory: &Factory<'_>) -> Vec<Vec<(RefKind, String)>> {
    let mut per_file = vec![Vec::new(); factory.files.len()];
    for ((file, kind, name), count) in &factory.initial_usage {
        if *count > 0
            && let Some(list) = per_file.get_mut(*file)
        {
            list.push((*kind, name.clone()));
        }
    }
    per_file
}

fn prune_variables(factory: &mut Factory<'_>, file: usize, used: &[(RefKind, String)], pruned: &mut Pruned) {
    loop {
        let unused = newly_unused(factory, file, RefKind::Variable, used);
        if unused.is_empty() {
            return;
        }
        for name in unused {
            if let Some(definition) = remove_declaration(factory, file, "variables", &name) {
                factory.count_refs(file, &definition, -1);
            }
            if !pruned.variables.contains(&name) {
                pruned.variables.push(name);
            }
        }
    }
}

/// Names used in `file` at load time, unused now, and still declared there.
fn newly_unused(factory: &Factory<'_>, file: usize, kind: RefKind, used: &[(RefKind, String)]) -> Vec<String> {
    let names: BTreeSet<&String> = used
        .iter()
        .filter(|(k, name)| *k == kind && factory.uses(file, kind, name) <= 0)
        .map(|(_, name)| name)
        .collect();
    let section = if kind == RefKind::Parameter { "parameters" } else { "variables" };
    let declared = factory.files[file].root.get(section);
    names.into_iter().filter(|n| declared.as_ref().is_some_and(|s| s.get(n).is_some())).cloned().collect()
}

fn remove_declaration<'a>(factory: &mut Factory<'a>, file: usize, section: &str, name: &str) -> Option<Node<'a>> {
    let root = &mut factory.files[file].root;
    root.get_mut(section).ok().flatten()?.remove(name).ok().flatten()
}

/// Remove `name` from what the master passes to part `file`.
fn stop_passing(factory: &mut Factory<'_>, file: usize, name: &str) {
    let Some(Some(deployment)) = factory.deployments.get(file).copied() else { return };
    let mut node = std::mem::replace(&mut factory.resources[deployment].node, Node::raw("null"));
    let removed = node
        .get_mut("properties")
        .ok()
        .flatten()
        .and_then(|p| p.get_mut("parameters").ok().flatten())
        .and_then(|p| p.remove(name).ok().flatten());
    if let Some(passed) = removed {
        factory.count_refs(0, &passed, -1);
        factory.resources[deployment].changed = true;
    }
    factory.resources[deployment].node = node;
}

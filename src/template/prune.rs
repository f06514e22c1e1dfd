//! Removing parameters and variables that adfc's edits left unused.

use std::collections::BTreeSet;

use super::expr::RefKind;
use super::factory::Factory;
use crate::json::Node;

/// Names removed by [`prune`].
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Pruned {
    /// Template parameters removed (also from the parameters file).
    pub parameters: Vec<String>,
    /// Template variables removed.
    pub variables: Vec<String>,
}

/// Remove parameters and variables that were used in the input but are used
/// by nothing that is kept. Declarations that were already unused in the input
/// are left alone, so a run without changes writes its input back unchanged.
pub fn prune(factory: &mut Factory<'_>) -> Pruned {
    let mut pruned = Pruned::default();
    loop {
        let newly_unused = unused(factory, RefKind::Variable, &pruned.variables);
        if newly_unused.is_empty() {
            break;
        }
        for name in newly_unused {
            if let Some(definition) = remove_declaration(factory, "variables", &name) {
                factory.count_refs(&definition, -1);
            }
            pruned.variables.push(name);
        }
    }
    for name in unused(factory, RefKind::Parameter, &[]) {
        remove_declaration(factory, "parameters", &name);
        if let Some(doc) = &mut factory.parameters
            && let Ok(Some(params)) = doc.root.get_mut("parameters")
        {
            let _ = params.remove(&name);
        }
        pruned.parameters.push(name);
    }
    pruned
}

fn unused(factory: &Factory<'_>, kind: RefKind, already: &[String]) -> Vec<String> {
    let names: BTreeSet<String> = factory
        .initial_usage
        .iter()
        .filter(|((k, name), count)| *k == kind && **count > 0 && !already.contains(name))
        .filter(|((k, name), _)| factory.usage.get(&(*k, name.clone())).copied().unwrap_or(0) <= 0)
        .map(|((_, name), _)| name.clone())
        .collect();
    names.into_iter().filter(|n| declared(factory, kind, n)).collect()
}

fn declared(factory: &Factory<'_>, kind: RefKind, name: &str) -> bool {
    let section = if kind == RefKind::Parameter { "parameters" } else { "variables" };
    factory.files[0].root.get(section).is_some_and(|s| s.get(name).is_some())
}

fn remove_declaration<'a>(factory: &mut Factory<'a>, section: &str, name: &str) -> Option<Node<'a>> {
    let root = &mut factory.files[0].root;
    root.get_mut(section).ok().flatten()?.remove(name).ok().flatten()
}

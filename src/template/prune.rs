//! Removing parameters and variables that adfc's edits left unused, keeping a
//! linked layout consistent (a parameter pruned from a part is no longer passed
//! to it by the master, and goes from the master once nothing passes it on).

use std::collections::BTreeSet;

use super::expr::RefKind;
use super::factory::Factory;
use super::id::TemplateId;
use crate::json::Node;

/// Names removed by [`Factory::prune`].
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Pruned {
    /// Parameters removed from the main (or master) template and the parameters file.
    pub parameters: Vec<String>,
    /// Variables removed, from any template file.
    pub variables: Vec<String>,
}

impl<'a> Factory<'a> {
    /// Remove parameters and variables that were used in the input but are used
    /// by nothing that is kept. Declarations that were already unused in the input
    /// are left alone, so a run without changes writes its input back unchanged.
    pub fn prune(&mut self) -> Pruned {
        let mut pruned = Pruned::default();
        let used_at_load = self.used_at_load();
        let parts: Vec<TemplateId> =
            if self.linked { self.templates().skip(1).map(|(id, _)| id).collect() } else { Vec::new() };
        for (id, used) in used_at_load.iter().enumerate().rev() {
            self.prune_variables(TemplateId::from_index(id), used, &mut pruned);
        }
        for part in parts {
            for name in self.newly_unused(part, RefKind::Parameter, &used_at_load[part.index()]) {
                self.remove_declaration(part, "parameters", &name);
                self.stop_passing(part, &name);
            }
        }
        let main = TemplateId::MAIN;
        self.prune_variables(main, &used_at_load[main.index()], &mut pruned);
        for name in self.newly_unused(main, RefKind::Parameter, &used_at_load[main.index()]) {
            self.remove_declaration(main, "parameters", &name);
            if let Some(doc) = &mut self.parameters
                && let Ok(Some(params)) = doc.root.get_mut("parameters")
            {
                let _ = params.remove(&name);
            }
            pruned.parameters.push(name);
        }
        pruned
    }

    /// Per template: the (kind, name) pairs used at load time.
    fn used_at_load(&self) -> Vec<Vec<(RefKind, String)>> {
        let mut per_template = vec![Vec::new(); self.templates.len()];
        for ((template, kind, name), count) in &self.initial_usage {
            if *count > 0
                && let Some(list) = per_template.get_mut(template.index())
            {
                list.push((*kind, name.clone()));
            }
        }
        for (template, name) in &self.added_parameters {
            if let Some(list) = per_template.get_mut(template.index()) {
                list.push((RefKind::Parameter, name.clone()));
            }
        }
        per_template
    }

    fn prune_variables(&mut self, template: TemplateId, used: &[(RefKind, String)], pruned: &mut Pruned) {
        loop {
            let unused = self.newly_unused(template, RefKind::Variable, used);
            if unused.is_empty() {
                return;
            }
            for name in unused {
                if let Some(definition) = self.remove_declaration(template, "variables", &name) {
                    self.count_refs(template, &definition, -1);
                }
                if !pruned.variables.contains(&name) {
                    pruned.variables.push(name);
                }
            }
        }
    }

    /// Names used in `template` at load time, unused now, and still declared there.
    fn newly_unused(&self, template: TemplateId, kind: RefKind, used: &[(RefKind, String)]) -> Vec<String> {
        let names: BTreeSet<&String> = used
            .iter()
            .filter(|(k, name)| *k == kind && self.uses(template, kind, name) <= 0)
            .map(|(_, name)| name)
            .collect();
        let section = if kind == RefKind::Parameter { "parameters" } else { "variables" };
        let declared = self.template(template).doc.root.get(section);
        names.into_iter().filter(|n| declared.as_ref().is_some_and(|s| s.get(n).is_some())).cloned().collect()
    }

    fn remove_declaration(&mut self, template: TemplateId, section: &str, name: &str) -> Option<Node<'a>> {
        if template == TemplateId::MAIN && section == "parameters" {
            self.parameter_types.remove(name);
        }
        let root = &mut self.templates[template.index()].doc.root;
        root.get_mut(section).ok().flatten()?.remove(name).ok().flatten()
    }

    /// Remove `name` from what the master passes to part `part`.
    fn stop_passing(&mut self, part: TemplateId, name: &str) {
        let Some(deployment) = self.template(part).deployment else { return };
        let mut node = self.take_node(deployment);
        let removed = node
            .get_mut("properties")
            .ok()
            .flatten()
            .and_then(|p| p.get_mut("parameters").ok().flatten())
            .and_then(|p| p.remove(name).ok().flatten());
        if let Some(passed) = removed {
            self.count_refs(TemplateId::MAIN, &passed, -1);
            self.mark_changed(deployment);
        }
        self.put_node(deployment, node);
    }
}

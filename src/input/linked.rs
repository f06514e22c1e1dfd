//! The parts a linked master deploys, read from its `templateLink` uris.

use crate::json::{Node, scan};
use crate::template::expr::{self, Expr};

/// A part the master deploys.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartLink {
    /// Position of the deploying resource in the master's `resources`.
    pub master_resource: usize,
    /// The part's file name (`ArmTemplate_0.json`).
    pub file: String,
}

/// Every part the master text deploys, in the master's order.
pub fn part_links(master: &str) -> Vec<PartLink> {
    let Ok(range) = scan::validate(master) else { return Vec::new() };
    let root = Node::raw(&master[range]);
    let Some(Node::Raw(resources)) = root.get("resources") else { return Vec::new() };
    let Ok(items) = scan::array_elements(&resources) else { return Vec::new() };
    items
        .iter()
        .enumerate()
        .filter_map(|(i, raw)| {
            let uri = Node::raw(raw).get("properties")?.get("templateLink")?.get("uri")?.as_str()?.into_owned();
            part_file(&uri).map(|file| PartLink { master_resource: i, file })
        })
        .collect()
}

/// The file name a templateLink uri points at (`…'/ArmTemplate_0.json'…` → `ArmTemplate_0.json`).
fn part_file(uri: &str) -> Option<String> {
    let mut found = None;
    let mut visit = |text: &str| {
        if let Some(name) = text.rsplit('/').next().filter(|n| n.to_ascii_lowercase().ends_with(".json")) {
            found = Some(name.to_string());
        }
    };
    match expr::parse_value(uri).ok()? {
        Some(expr) => visit_strings(&expr, &mut visit),
        None => visit(uri),
    }
    found
}

fn visit_strings(expr: &Expr, f: &mut dyn FnMut(&str)) {
    match expr {
        Expr::Str(s) => f(s),
        Expr::Call { args, .. } => args.iter().for_each(|a| visit_strings(a, f)),
        Expr::Member { base, .. } => visit_strings(base, f),
        Expr::Index { base, index } => {
            visit_strings(base, f);
            visit_strings(index, f);
        }
        Expr::Int(_) => {}
    }
}

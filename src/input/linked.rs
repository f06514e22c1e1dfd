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
    /// Byte range of the `templateLink.uri` value in the master's text.
    pub uri: std::ops::Range<usize>,
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
            let text = member(member(member(raw, "properties")?, "templateLink")?, "uri")?;
            let start = (text.as_ptr() as usize).checked_sub(master.as_ptr() as usize)?;
            let uri = start..start + text.len();
            part_file(&Node::raw(text).as_str()?).map(|file| PartLink { master_resource: i, file, uri })
        })
        .collect()
}

/// The raw value of member `key` of the raw object `object`.
fn member<'t>(object: &'t str, key: &str) -> Option<&'t str> {
    let members = scan::object_members(object).ok()?;
    members.into_iter().find(|(k, _)| crate::json::text::key_is(k, key)).map(|(_, v)| v)
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

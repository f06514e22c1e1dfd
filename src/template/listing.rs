//! What `adfc ls` shows: the objects of a factory.

use serde::Serialize;

use super::factory::Factory;
use crate::select::apply::{Reason, Selection};

/// Human text of a selection reason.
pub fn reason_text(reason: &Reason) -> String {
    match reason {
        Reason::NoRules => "not excluded (no include rules)".into(),
        Reason::Included(rule) => format!("included by {rule}"),
        Reason::Excluded(rule) => format!("excluded by {rule}"),
        Reason::NotIncluded => "not included by any rule".into(),
        Reason::Dependency(users) => format!("dependency of {}", users.join(", ")),
    }
}

/// One object, as listed.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Entry {
    /// Object type (`pipeline`).
    #[serde(rename = "type")]
    pub otype: String,
    /// Object name.
    pub name: String,
    /// Folder, if any.
    pub folder: Option<String>,
    /// Parent (managed virtual network of a private endpoint).
    pub parent: Option<String>,
    /// `type.name@folder`, as used in rules.
    #[serde(rename = "fullName")]
    pub full_name: String,
    /// Referenced objects as `type.name`.
    pub references: Vec<String>,
    /// referenceName values that are expressions.
    #[serde(rename = "dynamicReferences")]
    pub dynamic_references: Vec<String>,
    /// The ARM resource type.
    #[serde(rename = "resourceType")]
    pub resource_type: String,
    /// Template file holding it (relative name).
    pub file: String,
    /// With rules: whether it is deployed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deployed: Option<bool>,
    /// With rules: why (`included by +pipeline.* (rules.txt:1)`, `excluded by …`, `not included`, `dependency of …`).
    #[serde(rename = "decidedBy", skip_serializing_if = "Option::is_none")]
    pub decided_by: Option<String>,
}

/// A resource that is not an ADF object.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Other {
    /// ARM resource type.
    #[serde(rename = "resourceType")]
    pub resource_type: String,
    /// Resource name as written.
    pub name: String,
}

/// The listing of a factory.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Listing {
    /// Schema version of this JSON.
    pub version: u32,
    /// Factory name.
    pub factory: String,
    /// Whether rules were applied (then objects carry `deployed` and `decidedBy`).
    pub rules: bool,
    /// ADF objects, sorted by type then name.
    pub objects: Vec<Entry>,
    /// Resources kept untouched.
    #[serde(rename = "otherResources")]
    pub other_resources: Vec<Other>,
}

/// List the objects of `factory`, with the rule decisions when there is a selection.
pub fn list(factory: &Factory<'_>, selection: Option<&Selection>) -> Listing {
    let mut objects: Vec<Entry> = factory
        .objects
        .iter()
        .enumerate()
        .map(|(i, o)| {
            let r = &factory.resources[o.resource];
            let decision = selection.and_then(|s| s.objects.get(i));
            Entry {
                otype: o.otype.as_str().to_string(),
                name: o.name.clone(),
                folder: o.folder.clone(),
                parent: o.parent.clone(),
                full_name: o.full_name(),
                references: o.references.iter().map(ToString::to_string).collect(),
                dynamic_references: o.dynamic_references.clone(),
                resource_type: r.rtype.clone(),
                file: factory.file_names[r.file].display().to_string(),
                deployed: decision.map(|d| d.deployed),
                decided_by: decision.map(|d| reason_text(&d.reason)),
            }
        })
        .collect();
    objects.sort_by_key(|e| {
        let t = super::ObjectType::parse(&e.otype).map_or(usize::MAX, super::ObjectType::index);
        (t, e.name.to_lowercase(), e.resource_type.clone())
    });
    let other_resources = factory
        .resources
        .iter()
        .filter(|r| r.object.is_none())
        .map(|r| Other {
            resource_type: r.rtype.clone(),
            name: r.node.get("name").and_then(|n| n.as_str().map(|s| s.into_owned())).unwrap_or_default(),
        })
        .collect();
    Listing { version: 1, factory: factory.factory_name.clone(), rules: selection.is_some(), objects, other_resources }
}

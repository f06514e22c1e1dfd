//! `adfc ls`: the objects of a factory, with the rule decisions when rules are given.

use serde::Serialize;

use crate::compile::select_objects;
use crate::diag::{Diagnostic, Errors, Failure, Report};
use crate::input::{self, TemplateOptions};
use crate::select::{Reason, SelectOptions, Selection};
use crate::source::Sources;
use crate::template::{Factory, ObjectType};

/// What `adfc ls` lists.
#[derive(Debug, Clone, Default)]
pub struct ListOptions {
    /// The template.
    pub template: TemplateOptions,
    /// Rules to preview.
    pub select: SelectOptions,
}

/// Human text of a selection reason.
pub fn reason_text(reason: &Reason) -> String {
    match reason {
        Reason::NoRules => "not excluded (no include rules)".into(),
        Reason::Included(rule) => format!("included by {rule}"),
        Reason::Excluded(rule) => format!("excluded by {rule}"),
        Reason::NotIncluded => "not included by any rule".into(),
        Reason::Dependency(users) => format!("dependency of {}", users.join(", ")),
        Reason::Unchanged(dir) => format!("unchanged since {dir}"),
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
    /// Why it is not listed as an object: `not an ADF object`, or `its name cannot be read`.
    pub reason: &'static str,
}

/// The listing of a factory.
#[derive(Debug, Serialize)]
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
    /// Warnings found while reading.
    #[serde(skip)]
    pub warnings: Vec<Diagnostic>,
    /// The input files (the warnings point into them).
    #[serde(skip)]
    pub sources: Sources,
}

/// List the objects of a factory, previewing the rules when there are any.
pub fn list(options: &ListOptions) -> Result<Listing, Failure> {
    let mut sources = Sources::new();
    match run(options, &mut sources) {
        Ok(listing) => Ok(Listing { sources, ..listing }),
        Err(errors) => Err(Failure::new(errors, sources)),
    }
}

fn run(options: &ListOptions, sources: &mut Sources) -> Result<Listing, Errors> {
    let template = input::read_template(&options.template, sources)?;
    let rules = input::read_all(&options.select.rules_files, sources)?;
    let mut report = Report::default();
    template.warnings.iter().for_each(|w| report.push(w.clone()));
    let mut factory = Factory::load(sources, &template.files, &mut report).map_err(|d| report.fail(d))?;
    let selection =
        (!options.select.is_empty()).then(|| select_objects(&mut factory, &rules, &options.select, None, &mut report));
    report.check()?;
    let mut listing = entries(&factory, selection.as_ref());
    listing.warnings = report.take();
    Ok(listing)
}

/// List the objects of `factory`, with the rule decisions when there is a selection.
fn entries(factory: &Factory<'_>, selection: Option<&Selection>) -> Listing {
    let mut objects: Vec<Entry> = factory
        .objects()
        .map(|(id, o)| {
            let r = factory.resource(o.resource());
            let decision = selection.and_then(|s| s.objects.get(id.index()));
            Entry {
                otype: o.otype().as_str().to_string(),
                name: o.name().to_string(),
                folder: o.folder().map(str::to_string),
                parent: o.parent().map(str::to_string),
                full_name: o.full_name(),
                references: o.references().iter().map(ToString::to_string).collect(),
                dynamic_references: o.dynamic_references().iter().map(ToString::to_string).collect(),
                resource_type: r.rtype().to_string(),
                file: factory.template(r.template()).name().display().to_string(),
                deployed: decision.map(|d| d.deployed),
                decided_by: decision.map(|d| reason_text(&d.reason)),
            }
        })
        .collect();
    objects.sort_by_key(|e| {
        let t = ObjectType::parse(&e.otype).map(ObjectType::index);
        (t, e.name.to_lowercase(), e.resource_type.clone())
    });
    let other_resources = factory
        .resources()
        .filter(|(_, r)| r.object().is_none())
        .map(|(_, r)| Other {
            resource_type: r.rtype().to_string(),
            name: r.name_value(),
            reason: match ObjectType::from_resource_type(r.rtype()) {
                Some(_) => "its name cannot be read",
                None => "not an ADF object",
            },
        })
        .collect();
    Listing {
        version: 1,
        factory: factory.name().to_string(),
        rules: selection.is_some(),
        objects,
        other_resources,
        warnings: Vec::new(),
        sources: Sources::new(),
    }
}

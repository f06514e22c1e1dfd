//! Checks of the template itself, beyond what ARM validates: what makes a
//! release fail late, or a pipeline fail when it runs.

use std::collections::{BTreeSet, HashMap, HashSet};

use serde_json::Value;

use super::expressions::{ExpressionRef, expression_refs};
use crate::diag::{Code, Diagnostic, Location, Report};
use crate::json::text::decode_str;
use crate::json::visit::{self, Visitor};
use crate::json::{Node, scan};
use crate::source::FileId;
use crate::template::{Factory, ObjectId, ObjectType, ResourceId};

/// Run every template check, reporting into `report`.
pub fn check_template(factory: &Factory<'_>, report: &mut Report) {
    duplicate_names(factory, report);
    dangling_depends_on(factory, report);
    missing_references(factory, report);
    circular_depends_on(factory, report);
    parameter_metadata(factory, report);
    factory_resource(factory, report);
    let globals = global_parameters(factory);
    for (id, object) in factory.objects() {
        match object.otype() {
            ObjectType::Pipeline => {
                activity_depends_on(factory, id, report);
                expression_parameters(factory, id, globals.as_ref(), report);
            }
            ObjectType::Dataset | ObjectType::LinkedService => {
                expression_parameters(factory, id, globals.as_ref(), report);
            }
            _ => {}
        }
    }
}

/// The raw input text of a resource and the file it is in.
fn raw<'f>(factory: &'f Factory<'_>, resource: ResourceId) -> (FileId, &'f str) {
    let r = factory.resource(resource);
    let file = factory.template(r.template()).file();
    (file, factory.sources().get(file).text().get(r.source_span()).unwrap_or(""))
}

/// A location at a raw slice of a file (the whole file when it is not one).
fn at(factory: &Factory<'_>, file: FileId, slice: &str) -> Location {
    match factory.sources().offset_of(file, slice) {
        Some(start) => Location::span(file, start..start + slice.len()),
        None => Location::file(file),
    }
}

/// ADF names are case-insensitive: two objects whose names differ only in case are one object.
fn duplicate_names(factory: &Factory<'_>, report: &mut Report) {
    let mut seen: HashSet<(ObjectType, String)> = HashSet::new();
    for (_, object) in factory.objects() {
        let same = factory.lookup(object.otype(), object.name());
        if same.len() < 2 || !seen.insert((object.otype(), object.name().to_lowercase())) {
            continue;
        }
        let names: Vec<String> = same.iter().map(|o| format!("`{}`", factory.object(*o).name())).collect();
        let second = factory.object(same[1]);
        report.push(
            Diagnostic::error(
                Code::CheckDuplicateName,
                format!(
                    "{} {} differ only in case: ADF names ignore case, so they are one object",
                    object.otype(),
                    names.join(" and ")
                ),
            )
            .at(factory.resource_location(second.resource()))
            .object(second.id()),
        );
    }
}

/// dependsOn entries naming an ADF object the template does not define: ARM refuses the deployment.
fn dangling_depends_on(factory: &Factory<'_>, report: &mut Report) {
    for (id, resource) in factory.resources() {
        for (entry, slice, file) in depends_on_entries(factory, id) {
            let Some(target) = factory.dependency_object(resource.template(), &entry) else { continue };
            if !factory.lookup(target.otype, &target.name).is_empty() || target.otype == ObjectType::Factory {
                continue;
            }
            let owner = resource.object().map(|o| factory.object(o).id()).unwrap_or_else(|| resource.name_value());
            report.push(
                Diagnostic::error(
                    Code::CheckDanglingDependsOn,
                    format!(
                        "{owner} depends on {target}, which the template does not define: ARM refuses the deployment"
                    ),
                )
                .at(at(factory, file, slice))
                .label("not in the template")
                .object(owner),
            );
        }
    }
}

/// (decoded entry, raw slice, file) of each dependsOn entry of a resource.
fn depends_on_entries<'f>(factory: &'f Factory<'_>, resource: ResourceId) -> Vec<(String, &'f str, FileId)> {
    let (file, text) = raw(factory, resource);
    let Some(list) = raw_member(text, "dependsOn") else { return Vec::new() };
    let entries = scan::array_elements(list).unwrap_or_default();
    entries.into_iter().filter_map(|e| Some((decode_str(e)?.into_owned(), e, file))).collect()
}

/// The raw value of a top-level member of a raw object.
fn raw_member<'t>(object: &'t str, key: &str) -> Option<&'t str> {
    let members = scan::object_members(object).ok()?;
    members.into_iter().find(|(k, _)| crate::json::text::key_is(k, key)).map(|(_, v)| v)
}

/// References (`referenceName`) to objects the template does not have: the
/// target factory must already have them, or the deployment fails.
fn missing_references(factory: &Factory<'_>, report: &mut Report) {
    for (_, object) in factory.objects() {
        let missing: Vec<String> = object
            .references()
            .iter()
            .filter(|r| r.otype != ObjectType::Factory && factory.lookup(r.otype, &r.name).is_empty())
            .map(ToString::to_string)
            .collect();
        if missing.is_empty() {
            continue;
        }
        report.push(
            Diagnostic::warning(
                Code::CheckMissingReference,
                format!("{} references {}, which the template does not define", object.id(), missing.join(", ")),
            )
            .at(factory.resource_location(object.resource()))
            .object(object.id())
            .note("the target factory must already have it, or the deployment fails"),
        );
    }
}

/// Resources whose dependsOn entries form a cycle: ARM refuses the template.
fn circular_depends_on(factory: &Factory<'_>, report: &mut Report) {
    let graph = depends_on_graph(factory);
    let mut state: HashMap<ResourceId, bool> = HashMap::new(); // false: on the path, true: done
    let mut reported: BTreeSet<Vec<ResourceId>> = BTreeSet::new();
    for (id, _) in factory.resources() {
        let mut path = Vec::new();
        if let Some(cycle) = find_cycle(id, &graph, &mut state, &mut path) {
            let mut key = cycle.clone();
            key.sort();
            if reported.insert(key) {
                report.push(cycle_diagnostic(factory, &cycle));
            }
        }
    }
}

fn depends_on_graph(factory: &Factory<'_>) -> HashMap<ResourceId, Vec<ResourceId>> {
    let mut graph = HashMap::new();
    for (id, resource) in factory.resources() {
        let targets: Vec<ResourceId> = depends_on_entries(factory, id)
            .into_iter()
            .filter_map(|(entry, _, _)| factory.dependency_object(resource.template(), &entry))
            .flat_map(|target| factory.lookup(target.otype, &target.name).to_vec())
            .map(|o| factory.object(o).resource())
            .collect();
        if !targets.is_empty() {
            graph.insert(id, targets);
        }
    }
    graph
}

/// Depth-first search from `node`; the cycle found, if any.
fn find_cycle(
    node: ResourceId,
    graph: &HashMap<ResourceId, Vec<ResourceId>>,
    state: &mut HashMap<ResourceId, bool>,
    path: &mut Vec<ResourceId>,
) -> Option<Vec<ResourceId>> {
    match state.get(&node) {
        Some(true) => return None,
        Some(false) => {
            let start = path.iter().position(|n| *n == node).unwrap_or(0);
            return Some(path[start..].to_vec());
        }
        None => {}
    }
    state.insert(node, false);
    path.push(node);
    for next in graph.get(&node).into_iter().flatten() {
        if let Some(cycle) = find_cycle(*next, graph, state, path) {
            return Some(cycle);
        }
    }
    path.pop();
    state.insert(node, true);
    None
}

fn cycle_diagnostic(factory: &Factory<'_>, cycle: &[ResourceId]) -> Diagnostic {
    let name = |r: &ResourceId| match factory.resource(*r).object() {
        Some(o) => factory.object(o).id(),
        None => factory.resource(*r).name_value(),
    };
    let mut names: Vec<String> = cycle.iter().map(name).collect();
    names.push(name(&cycle[0]));
    Diagnostic::error(
        Code::CheckCircularDependsOn,
        format!("circular dependsOn: {}: ARM refuses the template", names.join(" → ")),
    )
    .at(factory.resource_location(cycle[0]))
    .object(name(&cycle[0]))
}

/// Deploying the factory resource resets the factory's Git configuration and identity settings.
fn factory_resource(factory: &Factory<'_>, report: &mut Report) {
    let main = factory
        .of_type(ObjectType::Factory)
        .iter()
        .map(|o| factory.object(*o))
        .find(|o| !o.is_global_parameters_resource());
    if let Some(object) = main {
        report.push(
            Diagnostic::warning(
                Code::CheckFactoryResource,
                format!(
                    "the template deploys the factory resource itself ({}): that resets the target factory's Git \
                     configuration and identity settings",
                    object.id()
                ),
            )
            .at(factory.resource_location(object.resource()))
            .object(object.id())
            .note("exclude it (`-factory.*`), or keep global parameters in a `globalparameters` resource"),
        );
    }
}

/// Parameters whose `metadata` is a plain string (the az CLI fails on them).
fn parameter_metadata(factory: &Factory<'_>, report: &mut Report) {
    for (_, template) in factory.templates() {
        let Some(parameters) = template.doc().root.get("parameters") else { continue };
        let plain: Vec<String> = parameters
            .members()
            .into_iter()
            .filter(|(_, decl)| decl.get("metadata").is_some_and(|m| m.as_str().is_some()))
            .map(|(name, _)| format!("`{name}`"))
            .collect();
        if plain.is_empty() {
            continue;
        }
        report.push(
            Diagnostic::warning(
                Code::CheckParameterMetadata,
                format!(
                    "{} declares parameter metadata as a plain string ({}): the az CLI fails on it",
                    template.name().display(),
                    plain.join(", ")
                ),
            )
            .at(Location::file(template.file()))
            .note("ARM expects an object, e.g. \"metadata\": {\"description\": \"Data Factory name\"}"),
        );
    }
}

/// Global parameter names of the factory, when the template says which it has.
fn global_parameters(factory: &Factory<'_>) -> Option<HashSet<String>> {
    let mut names = HashSet::new();
    let mut known = false;
    for id in factory.of_type(ObjectType::Factory) {
        let object = factory.object(*id);
        let node = factory.resource(object.resource()).node();
        let Some(properties) = node.get("properties") else { continue };
        let globals =
            if object.is_global_parameters_resource() { Some(properties) } else { properties.get("globalParameters") };
        if let Some(globals) = globals {
            known = true;
            names.extend(globals.keys().into_iter().map(|k| k.to_lowercase()));
        }
    }
    if let Some(doc) = factory.global_parameters_file() {
        known = true;
        names.extend(doc.root.keys().into_iter().map(|k| k.to_lowercase()));
    }
    known.then_some(names)
}

/// Collects the expression references in one object's string values.
struct ExpressionScan<'t> {
    found: Vec<(&'t str, ExpressionRef)>,
}

impl<'t> Visitor<'t> for ExpressionScan<'t> {
    fn wants(&self) -> Option<u8> {
        Some(b'@')
    }

    fn text(&mut self, raw: &'t str, decoded: &str) {
        self.found.extend(expression_refs(decoded).into_iter().map(|r| (raw, r)));
    }
}

/// Parameters an object's expressions read that it (or the factory) does not declare.
fn expression_parameters(factory: &Factory<'_>, id: ObjectId, globals: Option<&HashSet<String>>, report: &mut Report) {
    let object = factory.object(id);
    let (file, text) = raw(factory, object.resource());
    if !text.contains('@') {
        return;
    }
    let mut scan = ExpressionScan { found: Vec::new() };
    visit::walk(text, &mut scan);
    if scan.found.is_empty() {
        return;
    }
    let declared = declared_parameters(text);
    let mut reported = HashSet::new();
    for (raw_value, reference) in scan.found {
        let own = match (&reference, object.otype()) {
            (ExpressionRef::Pipeline(_), ObjectType::Pipeline)
            | (ExpressionRef::Dataset(_), ObjectType::Dataset)
            | (ExpressionRef::LinkedService(_), ObjectType::LinkedService) => true,
            (ExpressionRef::Global(_), _) => false,
            _ => continue,
        };
        let name = reference.name().to_lowercase();
        let undeclared = if own { !declared.contains(&name) } else { globals.is_some_and(|g| !g.contains(&name)) };
        if undeclared && reported.insert(name) {
            report.push(undeclared_diagnostic(object.id(), &reference, own, at(factory, file, raw_value)));
        }
    }
}

fn undeclared_diagnostic(object: String, reference: &ExpressionRef, own: bool, location: Location) -> Diagnostic {
    let (code, what) = if own {
        (
            Code::CheckUndeclaredParameter,
            format!("{object} reads parameter `{}`, which it does not declare", reference.name()),
        )
    } else {
        (
            Code::CheckUndeclaredGlobalParameter,
            format!("{object} reads global parameter `{}`, which the factory does not have", reference.name()),
        )
    };
    Diagnostic::warning(code, what)
        .at(location)
        .object(object)
        .note("ADF accepts it, and the run fails when it evaluates the expression")
}

/// Names (lower case) under `properties.parameters` of a raw resource.
fn declared_parameters(text: &str) -> HashSet<String> {
    let Some(properties) = raw_member(text, "properties") else { return HashSet::new() };
    let Some(parameters) = raw_member(properties, "parameters") else { return HashSet::new() };
    Node::raw(parameters).keys().into_iter().map(|k| k.to_lowercase()).collect()
}

/// Activities whose dependsOn names an activity that is not in the same
/// container (ADF refuses the pipeline).
fn activity_depends_on(factory: &Factory<'_>, id: ObjectId, report: &mut Report) {
    let object = factory.object(id);
    let (_, text) = raw(factory, object.resource());
    let Some(properties) = raw_member(text, "properties") else { return };
    let Some(activities) = raw_member(properties, "activities") else { return };
    let Ok(value) = serde_json::from_str::<Value>(activities) else { return };
    let mut problems = Vec::new();
    container(&value, "activities", &mut problems);
    for (activity, missing, container) in problems {
        report.push(
            Diagnostic::error(
                Code::CheckActivityDependsOn,
                format!(
                    "activity `{activity}` of {} depends on `{missing}`, which is not among the {container} it is in",
                    object.id()
                ),
            )
            .at(factory.resource_location(object.resource()))
            .object(object.id()),
        );
    }
}

/// Check one list of activities, and the lists nested in its activities.
fn container(list: &Value, name: &str, problems: &mut Vec<(String, String, String)>) {
    let Some(activities) = list.as_array() else { return };
    let names: HashSet<&str> = activities.iter().filter_map(|a| a["name"].as_str()).collect();
    for activity in activities {
        let own = activity["name"].as_str().unwrap_or("");
        for dependency in activity["dependsOn"].as_array().into_iter().flatten() {
            let target = dependency["activity"].as_str().unwrap_or("");
            if !names.contains(target) {
                problems.push((own.to_string(), target.to_string(), name.to_string()));
            }
        }
        let nested = &activity["typeProperties"];
        for key in ["activities", "ifTrueActivities", "ifFalseActivities", "defaultActivities"] {
            container(&nested[key], &format!("`{key}` of `{own}`"), problems);
        }
        for case in nested["cases"].as_array().into_iter().flatten() {
            let value = case["value"].as_str().unwrap_or("");
            container(&case["activities"], &format!("case `{value}` of `{own}`"), problems);
        }
    }
}

//! Checks of the template itself, beyond what ARM validates: what makes a
//! release fail late, or a pipeline fail when it runs.

use std::collections::{BTreeSet, HashMap, HashSet};

use super::expressions::{ExpressionRef, expression_refs};
use crate::diag::{Code, Diagnostic, Location, Report};
use crate::json::text::decode_str;
use crate::json::visit::{self, Visitor};
use crate::json::{Node, scan};
use crate::source::FileId;
use crate::template::{Factory, ObjectId, ObjectRef, ObjectType, ResourceId};

/// Run every template check, reporting into `report`.
pub fn check_template(factory: &Factory<'_>, report: &mut Report) {
    duplicate_names(factory, report);
    let dependencies = dependencies(factory);
    dangling_depends_on(factory, &dependencies, report);
    missing_references(factory, report);
    circular_depends_on(factory, &dependencies, report);
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
    // The factory is one object made of up to two resources (factory, globalparameters).
    for (_, object) in factory.objects().filter(|(_, o)| o.otype() != ObjectType::Factory) {
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

/// One dependsOn entry of a resource: the object it names, if it is an ADF
/// object, and where it is written.
struct Dependency<'f> {
    resource: ResourceId,
    target: Option<ObjectRef>,
    raw: &'f str,
    file: FileId,
}

/// Every resource's dependsOn entries, read once from the input text.
fn dependencies<'f>(factory: &'f Factory<'_>) -> Vec<Dependency<'f>> {
    let mut all = Vec::new();
    for (id, resource) in factory.resources() {
        let Some(span) = resource.depends_on_span() else { continue };
        let file = factory.template(resource.template()).file();
        let Some(list) = factory.sources().get(file).text().get(span) else { continue };
        for raw in scan::array_elements(list).unwrap_or_default() {
            let Some(entry) = decode_str(raw) else { continue };
            let target = factory.dependency_object(resource.template(), &entry);
            all.push(Dependency { resource: id, target, raw, file });
        }
    }
    all
}

/// dependsOn entries naming an ADF object the template does not define: ARM refuses the deployment.
fn dangling_depends_on(factory: &Factory<'_>, dependencies: &[Dependency<'_>], report: &mut Report) {
    for dependency in dependencies {
        let Some(target) = &dependency.target else { continue };
        if !factory.lookup(target.otype, &target.name).is_empty() || target.otype == ObjectType::Factory {
            continue;
        }
        let resource = factory.resource(dependency.resource);
        let owner = resource.object().map(|o| factory.object(o).id()).unwrap_or_else(|| resource.name_value());
        report.push(
            Diagnostic::error(
                Code::CheckDanglingDependsOn,
                format!("{owner} depends on {target}, which the template does not define: ARM refuses the deployment"),
            )
            .at(at(factory, dependency.file, dependency.raw))
            .label("not in the template")
            .object(owner),
        );
    }
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
fn circular_depends_on(factory: &Factory<'_>, dependencies: &[Dependency<'_>], report: &mut Report) {
    let graph = depends_on_graph(factory, dependencies);
    let mut state: HashMap<ResourceId, bool> = HashMap::new(); // false: on the path, true: done
    let mut reported: BTreeSet<Vec<ResourceId>> = BTreeSet::new();
    for (id, _) in factory.resources() {
        let mut path = Vec::new();
        if let Some(cycle) = find_cycle(id, &graph, &mut state, &mut path) {
            let mut key = cycle.clone();
            key.sort();
            if reported.insert(key)
                && let Some(d) = cycle_diagnostic(factory, &cycle)
            {
                report.push(d);
            }
        }
    }
}

fn depends_on_graph(factory: &Factory<'_>, dependencies: &[Dependency<'_>]) -> HashMap<ResourceId, Vec<ResourceId>> {
    let mut graph: HashMap<ResourceId, Vec<ResourceId>> = HashMap::new();
    for dependency in dependencies {
        let Some(target) = &dependency.target else { continue };
        for object in factory.lookup(target.otype, &target.name) {
            graph.entry(dependency.resource).or_default().push(factory.object(*object).resource());
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
        Some(false) => return path.iter().position(|n| *n == node).map(|start| path[start..].to_vec()),
        None => {}
    }
    state.insert(node, false);
    path.push(node);
    for next in graph.get(&node).into_iter().flatten() {
        if let Some(cycle) = find_cycle(*next, graph, state, path) {
            path.pop();
            state.insert(node, true);
            return Some(cycle);
        }
    }
    path.pop();
    state.insert(node, true);
    None
}

fn cycle_diagnostic(factory: &Factory<'_>, cycle: &[ResourceId]) -> Option<Diagnostic> {
    let name = |r: &ResourceId| match factory.resource(*r).object() {
        Some(o) => factory.object(o).id(),
        None => factory.resource(*r).name_value(),
    };
    let first = cycle.first()?;
    let mut names: Vec<String> = cycle.iter().map(name).collect();
    names.push(name(first));
    let d = Diagnostic::error(
        Code::CheckCircularDependsOn,
        format!("circular dependsOn: {}: ARM refuses the template", names.join(" → ")),
    );
    Some(d.at(factory.resource_location(*first)).object(name(first)))
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

/// Parameters the az CLI prompts for (no default, no value in the parameters
/// file) whose `metadata` is a plain string: az reads the prompt's description
/// from it and fails (`'str' object has no attribute 'get'`).
fn parameter_metadata(factory: &Factory<'_>, report: &mut Report) {
    let Some((_, template)) = factory.templates().next() else { return };
    let Some(parameters) = template.doc().root.get("parameters") else { return };
    for (name, declaration) in parameters.members() {
        let Some(metadata) = declaration.get("metadata").filter(|m| m.as_str().is_some()) else { continue };
        if declaration.get("defaultValue").is_some() || factory.parameter_given(&name) {
            continue;
        }
        let location = match &metadata {
            Node::Raw(text) => at(factory, template.file(), text),
            _ => Location::file(template.file()),
        };
        report.push(
            Diagnostic::warning(
                Code::CheckParameterMetadata,
                format!(
                    "parameter `{name}` has no value and no default, and its metadata is a plain string: \
                     the az CLI prompts for it and fails"
                ),
            )
            .at(location)
            .label("az expects an object here")
            .note("give it a value in the parameters file, or write \"metadata\": {\"description\": \"…\"}"),
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
    let mut problems = Vec::new();
    container(activities, "activities", &mut problems);
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

/// Members of a raw JSON object (none when it is not one).
fn members(raw: &str) -> Vec<(&str, &str)> {
    scan::object_members(raw).unwrap_or_default()
}

/// The raw value of member `key`.
fn member<'t>(members: &[(&'t str, &'t str)], key: &str) -> Option<&'t str> {
    members.iter().find(|(k, _)| crate::json::text::key_is(k, key)).map(|(_, v)| *v)
}

/// The text of a string member (empty when it is not a string).
fn text_of(members: &[(&str, &str)], key: &str) -> String {
    member(members, key).and_then(decode_str).map(|s| s.into_owned()).unwrap_or_default()
}

/// Check one raw list of activities, and the lists nested in its activities.
fn container(list: &str, name: &str, problems: &mut Vec<(String, String, String)>) {
    let activities: Vec<Vec<(&str, &str)>> =
        scan::array_elements(list).unwrap_or_default().into_iter().map(members).collect();
    let names: HashSet<String> = activities.iter().map(|a| text_of(a, "name")).collect();
    for activity in &activities {
        let own = text_of(activity, "name");
        let dependencies = member(activity, "dependsOn").and_then(|d| scan::array_elements(d).ok()).unwrap_or_default();
        for dependency in dependencies {
            let target = text_of(&members(dependency), "activity");
            if !names.contains(&target) {
                problems.push((own.clone(), target, name.to_string()));
            }
        }
        let Some(nested) = member(activity, "typeProperties").map(members) else { continue };
        for key in ["activities", "ifTrueActivities", "ifFalseActivities", "defaultActivities"] {
            if let Some(list) = member(&nested, key) {
                container(list, &format!("`{key}` of `{own}`"), problems);
            }
        }
        let cases = member(&nested, "cases").and_then(|c| scan::array_elements(c).ok()).unwrap_or_default();
        for case in cases.into_iter().map(members) {
            if let Some(list) = member(&case, "activities") {
                container(list, &format!("case `{}` of `{own}`", text_of(&case, "value")), problems);
            }
        }
    }
}

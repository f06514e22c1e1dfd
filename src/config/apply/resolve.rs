//! Which objects (or file) a row addresses, and the steps of its path there.

use super::super::ConfigRow;
use super::super::path::{Path, Root, Segment};
use super::ApplyOptions;
use crate::diag::{Code, Diagnostic, Report};
use crate::template::{ALL_TYPES, Factory, ObjectId, ObjectType};

/// Where a row's path is applied.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Target {
    /// An object's resource.
    Object(ObjectId),
    /// The global parameters side file.
    GlobalParametersFile,
}

/// The targets a row names (reporting a name that matches nothing).
pub(super) fn resolve(
    factory: &Factory<'_>,
    row: &ConfigRow,
    options: ApplyOptions,
    report: &mut Report,
) -> Vec<Target> {
    let matched = match row.otype {
        Some(otype) => matching(factory, otype, row),
        None => match matching_any_type(factory, row) {
            Ok(found) => found,
            Err(d) => {
                report.push(d);
                return Vec::new();
            }
        },
    };
    if matched.is_empty() {
        if row.otype == Some(ObjectType::Factory)
            && factory.global_parameters_file().is_some()
            && row.name.matches(factory.name())
        {
            return vec![Target::GlobalParametersFile];
        }
        let d = not_found(factory, row);
        report.push(if options.allow_missing_objects {
            d.downgrade()
        } else {
            d.note("use --allow-missing-objects to skip rows whose object does not exist")
        });
        return Vec::new();
    }
    matched.into_iter().map(Target::Object).collect()
}

fn matching(factory: &Factory<'_>, otype: ObjectType, row: &ConfigRow) -> Vec<ObjectId> {
    let found: Vec<ObjectId> = match row.name.literal() {
        Some(name) if otype != ObjectType::Factory => factory.lookup(otype, name).to_vec(),
        _ => factory.of_type(otype).iter().copied().filter(|o| row.name.matches(factory.object(*o).name())).collect(),
    };
    if otype == ObjectType::Factory { pick_factory_resource(factory, &found, row) } else { found }
}

/// The factory object is one or two resources (factory, globalparameters): pick the one the path addresses.
fn pick_factory_resource(factory: &Factory<'_>, found: &[ObjectId], row: &ConfigRow) -> Vec<ObjectId> {
    let main = found.iter().copied().find(|o| !factory.object(*o).is_global_parameters_resource());
    let gp = found.iter().copied().find(|o| factory.object(*o).is_global_parameters_resource());
    let targets_gp = global_parameter_steps(row).is_some();
    let main_has_gp = main.is_some_and(|o| {
        let node = factory.resource(factory.object(o).resource()).node();
        node.get("properties").is_some_and(|p| p.get("globalParameters").is_some())
    });
    let side_file = factory.global_parameters_file().is_some();
    let pick = match (targets_gp, main, gp) {
        (true, Some(m), _) if main_has_gp => Some(m),
        (true, _, Some(g)) => Some(g),
        (true, _, None) if side_file => None,
        (true, None, None) => None,
        (_, Some(m), _) => Some(m),
        (_, None, g) => g,
    };
    pick.into_iter().collect()
}

fn matching_any_type(factory: &Factory<'_>, row: &ConfigRow) -> Result<Vec<ObjectId>, Diagnostic> {
    let mut by_type: Vec<(ObjectType, Vec<ObjectId>)> = ALL_TYPES
        .iter()
        .filter(|t| **t != ObjectType::Factory)
        .map(|t| (*t, matching(factory, *t, row)))
        .filter(|(_, found)| !found.is_empty())
        .collect();
    if by_type.is_empty() && row.name.matches(factory.name()) {
        by_type.push((ObjectType::Factory, matching(factory, ObjectType::Factory, row)));
    }
    if by_type.len() > 1 {
        let candidates: Vec<String> =
            by_type.iter().flat_map(|(_, ids)| ids.iter().map(|o| factory.object(*o).id())).collect();
        return Err(Diagnostic::error(
            Code::ConfigAmbiguousName,
            format!("`{}` names objects of several types: {}", row.name.as_str(), candidates.join(", ")),
        )
        .at(row.at.name.clone())
        .note("use the CSV form, whose `type` column says which one"));
    }
    Ok(by_type.pop().map(|(_, ids)| ids).unwrap_or_default())
}

fn not_found(factory: &Factory<'_>, row: &ConfigRow) -> Diagnostic {
    let type_name = row.otype.map_or("object", |t| t.as_str());
    let mut d = Diagnostic::error(
        Code::ConfigObjectNotFound,
        format!("no {type_name} named `{}` in the template", row.name.as_str()),
    )
    .at(row.at.name.clone())
    .label("matches no object");
    let names: Vec<&str> = match row.otype {
        Some(t) => factory.of_type(t).iter().map(|o| factory.object(*o).name()).collect(),
        None => factory.objects().map(|(_, o)| o.name()).collect(),
    };
    if row.otype == Some(ObjectType::Factory) {
        d = d.note(factory_note(factory, row));
    } else if let Some(best) = closest(row.name.as_str(), names.iter().copied()) {
        d = d.note(format!("did you mean `{best}`?"));
    }
    d
}

/// Why a `factory` row found nothing.
fn factory_note(factory: &Factory<'_>, row: &ConfigRow) -> String {
    if !row.name.matches(factory.name()) {
        format!("the factory is named `{}` (its factoryName parameter); `*` always matches it", factory.name())
    } else if factory.of_type(ObjectType::Factory).is_empty() {
        "the template has no factory resource (Microsoft.DataFactory/factories or …/globalparameters), \
         so it holds no global parameters to change"
            .to_string()
    } else {
        format!("factory `{}` has no global parameters in this template", factory.name())
    }
}

/// The closest candidate to `wanted`, if one is close enough to be a typo.
pub fn closest<'c>(wanted: &str, candidates: impl Iterator<Item = &'c str>) -> Option<&'c str> {
    let wanted_lower = wanted.to_lowercase();
    candidates
        .map(|c| (strsim::damerau_levenshtein(&wanted_lower, &c.to_lowercase()), c))
        .filter(|(d, c)| *d <= (c.chars().count() / 3).max(2))
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

/// `globalParameters.<rest>` steps when the row addresses global parameters.
pub(super) fn global_parameter_steps(row: &ConfigRow) -> Option<Vec<Segment>> {
    let Path::Steps { root, steps, .. } = &row.path else { return None };
    let segments: Vec<&Segment> = steps.iter().map(|s| &s.segment).collect();
    let rest = match (root, segments.as_slice()) {
        (Root::Resource, [Segment::Key(p), Segment::Key(g), rest @ ..])
            if p == "properties" && g == "globalParameters" =>
        {
            rest
        }
        (Root::Properties, [Segment::Key(g), rest @ ..]) if g == "globalParameters" => rest,
        _ => return None,
    };
    Some(rest.iter().map(|s| (*s).clone()).collect())
}

/// Steps of a row from the resource root, adjusted to the target's layout.
pub(super) fn steps_for(factory: &Factory<'_>, row: &ConfigRow, target: Target) -> Option<Vec<Segment>> {
    let Path::Steps { root, steps, .. } = &row.path else { return None };
    let gp_rest = global_parameter_steps(row);
    match (target, gp_rest) {
        (Target::GlobalParametersFile, Some(rest)) => Some(rest),
        (Target::Object(o), Some(rest)) if factory.object(o).is_global_parameters_resource() => {
            Some(std::iter::once(Segment::Key("properties".into())).chain(rest).collect())
        }
        _ => {
            let prefix = (*root == Root::Properties).then(|| Segment::Key("properties".into()));
            Some(prefix.into_iter().chain(steps.iter().map(|s| s.segment.clone())).collect())
        }
    }
}

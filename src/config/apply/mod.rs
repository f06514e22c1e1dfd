//! Applying config rows to a factory, in file order, each row seeing the
//! effect of the rows before it.

mod edit;
mod query;
mod resolve;

use self::edit::RowContext;
use self::resolve::Target;
use super::ConfigRow;
use super::path::{Action, Path, Root, Segment, display_steps};
use crate::diag::{Code, Diagnostic, Report};
use crate::json::Node;
use crate::source::FileId;
use crate::template::{Factory, ObjectType};

pub use resolve::closest;

/// Switches of `adfc build` that change how rows apply.
#[derive(Debug, Clone, Copy, Default)]
pub struct ApplyOptions {
    /// A path that does not exist is a warning (row skipped), not an error.
    pub allow_missing_paths: bool,
    /// A name that matches no object is a warning, not an error.
    pub allow_missing_objects: bool,
    /// Write values into the template rather than the parameters file (never secrets).
    pub inline: bool,
    /// Write secrets into the template body too (each with a warning).
    pub allow_secrets_in_template: bool,
}

/// Where a change landed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Destination {
    /// In the template body.
    Template,
    /// As the value of this parameter in the parameters file.
    Parameter(String),
    /// A secret, as the value of this parameter that adfc declared for it.
    NewParameter(String),
    /// In the global parameters side file.
    GlobalParametersFile,
}

/// One property changed by one row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// `type.name` of the object.
    pub object: String,
    /// The property path (resource-rooted, as displayed).
    pub path: String,
    /// `config-prod.csv:12`.
    pub origin: String,
    /// Where the new value was written.
    pub destination: Destination,
    /// What the row did.
    pub action: Action,
    /// The row's path cell (for diagnostics about the row).
    pub at: crate::diag::Location,
    /// The config file of the row.
    pub file: FileId,
    /// 1-based line of the row.
    pub line: usize,
    /// Whether the value came from environment tokens (never print it).
    pub from_env: bool,
    /// The property's steps from the resource root (or, for the global
    /// parameters side file, from the file's map of parameters), as applied.
    pub steps: Vec<Segment>,
}

/// What applying rows did.
#[derive(Debug, Default)]
pub struct Applied {
    /// Every change, in order.
    pub changes: Vec<Change>,
    /// Rows that changed at least one object.
    pub rows_applied: usize,
    /// Rows that found their objects and paths but changed nothing: every
    /// value they set was already in place (`config-prod.csv:12`).
    pub unchanged: Vec<String>,
}

/// Apply every row to `factory`, recording problems in `report`.
pub fn apply(factory: &mut Factory<'_>, rows: &[ConfigRow], options: ApplyOptions, report: &mut Report) -> Applied {
    let mut applied = Applied::default();
    for row in rows {
        let before = applied.changes.len();
        let reported = report.diagnostics.len();
        let targets = resolve::resolve(factory, row, options, report);
        let mut matched = false;
        for target in &targets {
            matched |= apply_to(factory, row, *target, options, report, &mut applied.changes);
        }
        if !matched && !targets.is_empty() {
            let d = Diagnostic::error(
                Code::ConfigPathNotFound,
                format!(
                    "JSONPath `{}` matches nothing in the {} object(s) named `{}`",
                    row.path_text,
                    targets.len(),
                    row.name.as_str()
                ),
            )
            .at(row.at.path.clone());
            report.push(if options.allow_missing_paths { d.downgrade() } else { d });
        }
        if applied.changes.len() > before {
            applied.rows_applied += 1;
        } else if report.diagnostics.len() == reported {
            applied.unchanged.push(row.origin.clone());
        }
    }
    applied
}

fn apply_to(
    factory: &mut Factory<'_>,
    row: &ConfigRow,
    target: Target,
    options: ApplyOptions,
    report: &mut Report,
    changes: &mut Vec<Change>,
) -> bool {
    let action = match &row.path {
        Path::Steps { action, .. } | Path::Query { action, .. } => *action,
    };
    let label = match target {
        Target::Object(o) => factory.object(o).id(),
        Target::GlobalParametersFile => format!("{}.{}", ObjectType::Factory, factory.name()),
    };
    let step_lists = match &row.path {
        Path::Query { text, .. } => match query::query_paths(factory, target, text) {
            Ok(lists) => lists,
            Err(message) => {
                report.push(Diagnostic::error(Code::ConfigJsonpath, message).at(row.at.path.clone()).object(label));
                return true;
            }
        },
        Path::Steps { .. } => resolve::steps_for(factory, row, target).into_iter().collect(),
    };
    if step_lists.is_empty() {
        return false;
    }
    if let Target::Object(_) = target
        && let Some(refused) = refuse(factory, row, target, &step_lists)
    {
        report.push(refused.at(row.at.path.clone()).object(label));
        return true;
    }
    let mut node = take_node(factory, target);
    let gp_context = resolve::global_parameter_steps(row).is_some() || target == Target::GlobalParametersFile;
    let relative = matches!(row.path, Path::Steps { root: Root::Properties, .. });
    // Removing array elements by index must go from the last match backwards.
    for steps in step_lists.iter().rev() {
        let hidden = usize::from(relative && !gp_context);
        let mut ctx = RowContext { factory, row, object: &label, options, report, gp_context, target, hidden };
        if let Some(destination) = ctx.apply_steps(&mut node, steps, action) {
            changes.push(Change {
                object: label.clone(),
                path: display_steps(steps.get(usize::from(relative)..).unwrap_or(steps)),
                origin: row.origin.clone(),
                destination,
                action,
                at: row.at.path.clone(),
                file: row.file,
                line: row.line,
                from_env: row.from_env,
                steps: steps.clone(),
            });
        }
    }
    put_node(factory, target, node);
    true
}

/// Properties a row may not touch: the resource's identity and its dependsOn
/// (which adfc maintains), and `properties.…` written where the path is
/// already relative to properties (it would create `properties.properties`).
fn refuse(factory: &Factory<'_>, row: &ConfigRow, target: Target, step_lists: &[Vec<Segment>]) -> Option<Diagnostic> {
    let protected = step_lists.iter().find_map(|steps| match steps.as_slice() {
        [Segment::Key(key), ..] if PROTECTED.contains(&key.as_str()) => Some(key.clone()),
        _ => None,
    });
    if let Some(key) = protected {
        let what = if key == "dependsOn" {
            "its dependsOn is maintained by adfc (selective deployment drops entries of objects not deployed)"
        } else {
            "it is part of the resource's identity: ARM would deploy a different resource"
        };
        return Some(Diagnostic::error(
            Code::ConfigProtectedProperty,
            format!("a config row may not change the resource's `{key}`: {what}"),
        ));
    }
    let Path::Steps { root: Root::Properties, steps, .. } = &row.path else { return None };
    let Some(Segment::Key(first)) = steps.first().map(|s| &s.segment) else { return None };
    let Target::Object(o) = target else { return None };
    let has_nested =
        factory.resource(factory.object(o).resource()).node().get("properties")?.get("properties").is_some();
    (first == "properties" && !has_nested).then(|| {
        let rest = display_steps(&steps[1..].iter().map(|s| s.segment.clone()).collect::<Vec<_>>());
        Diagnostic::error(
            Code::ConfigPropertiesPrefix,
            format!("path `{}` starts with `properties.`, but a path without `$.` is already relative to the resource's properties", row.path_text),
        )
        .note(format!("write `{rest}` or `$.properties.{rest}`"))
    })
}

/// Top-level members of a resource that no row may change.
const PROTECTED: [&str; 4] = ["name", "type", "apiVersion", "dependsOn"];

fn take_node<'a>(factory: &mut Factory<'a>, target: Target) -> Node<'a> {
    match target {
        Target::Object(o) => factory.take_node(factory.object(o).resource()),
        Target::GlobalParametersFile => factory.take_global_parameters(),
    }
}

fn put_node<'a>(factory: &mut Factory<'a>, target: Target, node: Node<'a>) {
    match target {
        Target::Object(o) => factory.put_node(factory.object(o).resource(), node),
        Target::GlobalParametersFile => factory.put_global_parameters(node),
    }
}

#[cfg(test)]
#[path = "apply_tests.rs"]
mod tests;

//! Applying config rows to a factory, in file order, each row seeing the
//! effect of the rows before it.

mod edit;
mod query;
mod resolve;

use self::edit::RowContext;
use self::resolve::Target;
use super::ConfigRow;
use super::path::{Action, Path, Root, display_steps};
use crate::diag::{Code, Diagnostic, Report};
use crate::json::Node;
use crate::template::{Factory, ObjectType};

pub use resolve::closest;

/// Switches of `adfc build` that change how rows apply.
#[derive(Debug, Clone, Copy, Default)]
pub struct ApplyOptions {
    /// A path that does not exist is a warning (row skipped), not an error.
    pub allow_missing_paths: bool,
    /// A name that matches no object is a warning, not an error.
    pub allow_missing_objects: bool,
    /// Always write values into the template, never into the parameters file.
    pub inline: bool,
}

/// Where a change landed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Destination {
    /// In the template body.
    Template,
    /// As the value of this parameter in the parameters file.
    Parameter(String),
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
}

/// What applying rows did.
#[derive(Debug, Default)]
pub struct Applied {
    /// Every change, in order.
    pub changes: Vec<Change>,
    /// Rows that changed at least one object.
    pub rows_applied: usize,
}

/// Apply every row to `factory`, recording problems in `report`.
pub fn apply(factory: &mut Factory<'_>, rows: &[ConfigRow], options: ApplyOptions, report: &mut Report) -> Applied {
    let mut applied = Applied::default();
    for row in rows {
        let before = applied.changes.len();
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
            });
        }
    }
    put_node(factory, target, node);
    true
}

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

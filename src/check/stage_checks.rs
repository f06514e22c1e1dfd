//! Checks of one compiled stage: rows that a later row overwrites, a row that
//! changes an integration runtime's type.

use std::collections::HashMap;

use crate::compile::Build;
use crate::config::Change;
use crate::diag::{Code, Diagnostic};
use crate::template::ObjectType;

/// Run the checks of a compiled stage, appending to `diagnostics`.
pub fn check_build(build: &Build, diagnostics: &mut Vec<Diagnostic>) {
    overwritten_rows(&build.changes, diagnostics);
    runtime_type_changes(&build.changes, diagnostics);
}

/// A row whose every change a later row of the stage overwrites does nothing.
fn overwritten_rows(changes: &[Change], diagnostics: &mut Vec<Diagnostic>) {
    let mut last: HashMap<(&str, &str), &Change> = HashMap::new();
    for change in changes {
        last.insert((change.object.as_str(), change.path.as_str()), change);
    }
    let mut reported = std::collections::HashSet::new();
    for change in changes {
        let Some(later) = last.get(&(change.object.as_str(), change.path.as_str())) else { continue };
        if later.origin == change.origin || !reported.insert(change.origin.as_str()) {
            continue;
        }
        diagnostics.push(
            Diagnostic::warning(
                Code::ConfigOverwritten,
                format!(
                    "`{}` of {} is set again by {}: this row has no effect",
                    change.path, change.object, later.origin
                ),
            )
            .at(change.at.clone())
            .object(change.object.clone())
            .label("overwritten later"),
        );
    }
}

/// ADF refuses to change an integration runtime's type (Managed ↔ SelfHosted).
fn runtime_type_changes(changes: &[Change], diagnostics: &mut Vec<Diagnostic>) {
    let prefix = format!("{}.", ObjectType::IntegrationRuntime);
    for change in changes.iter().filter(|c| c.object.starts_with(&prefix) && c.path == "type") {
        diagnostics.push(
            Diagnostic::error(
                Code::CheckRuntimeType,
                format!(
                    "{} changes the type of {}: ADF refuses to update an integration runtime's type",
                    change.origin, change.object
                ),
            )
            .at(change.at.clone())
            .object(change.object.clone())
            .note("create a new integration runtime with the other type, or delete this one first"),
        );
    }
}

//! What `adfc build` reports when it succeeds: a short human summary on
//! stderr, or a machine-readable summary (`--format json`) on stdout.

use std::collections::BTreeMap;

use serde::Serialize;

use super::json::{JsonDiagnostic, diagnostic, pretty};
use super::{counted, thousands};
use crate::compile::Build;
use crate::config::{Change, Destination};
use crate::export::Export;
use crate::list::reason_text;
use crate::output::Role;
use crate::select::Reason;

/// Summary lines of a build; `verbose` lists every file written.
pub fn text(build: &Build, verbose: bool) -> String {
    let s = &build.summary;
    let mut out = if s.rows == 0 {
        format!("adfc: {} objects, no config rows", thousands(s.objects))
    } else {
        format!(
            "adfc: {} objects, {} changed by {} of {} config rows",
            thousands(s.objects),
            thousands(s.objects_changed),
            thousands(s.rows_applied),
            thousands(s.rows)
        )
    };
    if s.parameters_set > 0 {
        out.push_str(&format!("; {} written to the parameters file", counted(s.parameters_set, "value")));
    }
    out.push('\n');
    let mut line = |text: String| {
        out.push_str("  ");
        out.push_str(&text);
        out.push('\n');
    };
    if !s.rows_unchanged.is_empty() {
        line(format!(
            "{} changed nothing, their values were already in place: {}",
            counted(s.rows_unchanged.len(), "row"),
            abbreviated(&s.rows_unchanged, verbose)
        ));
    }
    if !s.parameters_added.is_empty() {
        line(format!("secrets went to new secure parameters: {}", s.parameters_added.join(", ")));
    }
    if build.objects.iter().any(|o| !o.deployed) || !build.added_dependencies.is_empty() {
        let counts: Vec<String> = build
            .counts
            .iter()
            .map(|(t, (deployed, skipped))| format!("{t} {deployed}/{}", deployed + skipped))
            .collect();
        let deployed: usize = build.counts.values().map(|c| c.0).sum();
        line(format!("deployed {deployed} of {} objects: {}", build.objects.len(), counts.join(", ")));
    }
    if let Some((since, skipped)) = skipped_unchanged(build) {
        let deployed = build.objects.iter().filter(|o| o.deployed).count();
        let nothing = if deployed == 0 { ": nothing to deploy" } else { "" };
        line(format!("skipped {} unchanged since {since}{nothing}", counted(skipped, "object")));
    }
    if !build.added_dependencies.is_empty() {
        line(format!("added as dependencies: {}", build.added_dependencies.join(", ")));
    }
    if !build.pruned.parameters.is_empty() {
        line(format!("removed unused parameters: {}", build.pruned.parameters.join(", ")));
    }
    if !build.pruned.variables.is_empty() {
        line(format!("removed unused variables: {}", build.pruned.variables.join(", ")));
    }
    if let Some(out_dir) = &build.out_dir {
        line(format!("wrote {} to {}", files_written(build, verbose), out_dir.display()));
    }
    if !build.warnings.is_empty() {
        line(counted(build.warnings.len(), "warning"));
    }
    out
}

/// `--changed-since`: the folder compared with and how many objects were left out as unchanged.
fn skipped_unchanged(build: &Build) -> Option<(&str, usize)> {
    let mut since = None;
    let mut count = 0;
    for object in &build.objects {
        if let Reason::Unchanged(dir) = &object.reason {
            since = Some(dir.as_str());
            count += 1;
        }
    }
    since.map(|dir| (dir, count))
}

/// The first few items, then how many more (all of them when `verbose`).
fn abbreviated(items: &[String], verbose: bool) -> String {
    const SHOWN: usize = 5;
    if verbose || items.len() <= SHOWN + 1 {
        return items.join(", ");
    }
    format!("{} and {} more", items[..SHOWN].join(", "), thousands(items.len() - SHOWN))
}

/// `2 files (template, parameters)`, or every name when `verbose`.
fn files_written(build: &Build, verbose: bool) -> String {
    if verbose {
        let names: Vec<String> = build.files.iter().map(|f| f.name.display().to_string()).collect();
        return names.join(", ");
    }
    let mut roles: BTreeMap<Role, usize> = BTreeMap::new();
    for file in &build.files {
        *roles.entry(file.role).or_default() += 1;
    }
    let kinds: Vec<String> = roles.iter().map(|(role, n)| role.describe(*n)).collect();
    let count = build.files.len();
    format!("{} file{} ({})", thousands(count), if count == 1 { "" } else { "s" }, kinds.join(", "))
}

/// The `--format json` summary (schema version 1, documented in the README).
#[derive(Debug, Serialize)]
pub struct JsonSummary<'b> {
    version: u32,
    factory: &'b str,
    #[serde(rename = "outDir")]
    out_dir: Option<String>,
    #[serde(rename = "changedSince")]
    changed_since: Option<&'b str>,
    files: Vec<JsonFile>,
    objects: JsonObjects,
    rows: JsonRows<'b>,
    changes: Vec<JsonChange<'b>>,
    parameters: JsonParameters<'b>,
    #[serde(rename = "prunedVariables")]
    pruned_variables: &'b [String],
    excluded: Vec<JsonExcluded>,
    #[serde(rename = "addedDependencies")]
    added_dependencies: &'b [String],
    warnings: Vec<JsonDiagnostic>,
}

#[derive(Debug, Serialize)]
struct JsonFile {
    name: String,
    role: Role,
    bytes: usize,
}

#[derive(Debug, Serialize)]
struct JsonObjects {
    total: usize,
    deployed: usize,
    changed: usize,
    /// `--changed-since`: objects left out because they are unchanged.
    #[serde(rename = "skippedUnchanged")]
    skipped_unchanged: usize,
    #[serde(rename = "byType")]
    by_type: BTreeMap<String, JsonCount>,
}

#[derive(Debug, Serialize)]
struct JsonCount {
    deployed: usize,
    total: usize,
}

#[derive(Debug, Serialize)]
struct JsonRows<'b> {
    total: usize,
    applied: usize,
    unchanged: &'b [String],
}

#[derive(Debug, Serialize)]
struct JsonChange<'b> {
    object: &'b str,
    path: &'b str,
    action: &'static str,
    origin: &'b str,
    #[serde(rename = "writtenTo")]
    written_to: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    parameter: Option<&'b str>,
}

#[derive(Debug, Serialize)]
struct JsonParameters<'b> {
    set: usize,
    added: &'b [String],
    pruned: &'b [String],
}

#[derive(Debug, Serialize)]
struct JsonExcluded {
    object: String,
    reason: String,
}

/// The machine-readable summary, as pretty JSON.
pub fn json(build: &Build) -> String {
    pretty(&json_summary(build))
}

fn json_summary(build: &Build) -> JsonSummary<'_> {
    let s = &build.summary;
    let by_type = build
        .counts
        .iter()
        .map(|(t, (deployed, skipped))| (t.to_string(), JsonCount { deployed: *deployed, total: deployed + skipped }))
        .collect();
    JsonSummary {
        version: 1,
        factory: &build.factory,
        out_dir: build.out_dir.as_ref().map(|d| d.display().to_string()),
        changed_since: skipped_unchanged(build).map(|(dir, _)| dir),
        files: build
            .files
            .iter()
            .map(|f| JsonFile { name: f.name.display().to_string(), role: f.role, bytes: f.text.len() })
            .collect(),
        objects: JsonObjects {
            total: build.objects.len(),
            deployed: build.objects.iter().filter(|o| o.deployed).count(),
            changed: s.objects_changed,
            skipped_unchanged: skipped_unchanged(build).map_or(0, |(_, n)| n),
            by_type,
        },
        rows: JsonRows { total: s.rows, applied: s.rows_applied, unchanged: &s.rows_unchanged },
        changes: build.changes.iter().map(json_change).collect(),
        parameters: JsonParameters {
            set: s.parameters_set,
            added: &s.parameters_added,
            pruned: &build.pruned.parameters,
        },
        pruned_variables: &build.pruned.variables,
        excluded: build
            .objects
            .iter()
            .filter(|o| !o.deployed)
            .map(|o| JsonExcluded { object: o.id(), reason: reason_text(&o.reason) })
            .collect(),
        added_dependencies: &build.added_dependencies,
        warnings: build.warnings.iter().map(|d| diagnostic(d, &build.sources)).collect(),
    }
}

fn json_change(c: &Change) -> JsonChange<'_> {
    let (written_to, parameter) = match &c.destination {
        Destination::Template => ("template", None),
        Destination::Parameter(p) => ("parameter", Some(p.as_str())),
        Destination::NewParameter(p) => ("newParameter", Some(p.as_str())),
        Destination::GlobalParametersFile => ("globalParametersFile", None),
    };
    let action = match c.action {
        crate::config::path::Action::Update => "update",
        crate::config::path::Action::Add => "add",
        crate::config::path::Action::Remove => "remove",
    };
    JsonChange { object: &c.object, path: &c.path, action, origin: &c.origin, written_to, parameter }
}

/// Summary lines of an export.
pub fn export(export: &Export) -> String {
    let objects: usize = export.counts.values().sum();
    let counts: Vec<String> = export.counts.iter().map(|(t, n)| format!("{t} {n}")).collect();
    let layout = if export.linked { "linked templates" } else { "a single template" };
    let mut out = format!(
        "adfc: exported factory {} as {layout}: {} ({}), {}\n",
        export.factory,
        counted(objects, "object"),
        counts.join(", "),
        counted(export.parameters, "parameter")
    );
    if let Some(out_dir) = &export.out_dir {
        let names: Vec<String> = export.files.iter().map(|f| f.name.display().to_string()).collect();
        out.push_str(&format!("  wrote {} to {}\n", names.join(", "), out_dir.display()));
    }
    if !export.warnings.is_empty() {
        out.push_str(&format!("  {}\n", counted(export.warnings.len(), "warning")));
    }
    out
}

//! `adfc diff --format json`: one document, schema version 1 (documented in
//! the README; fields are only ever added). Values are JSON values; a
//! masked secret is the string `••• (hash)` with `"masked": true`.

use serde::Serialize;
use serde_json::Value;

use super::super::json::{JsonDiagnostic, diagnostic, pretty};
use crate::diff::model::SCHEMA_VERSION;
use crate::diff::{ChangeKind, Counts, Diff, ObjectDiff, PropertyChange, Shown, Side};

#[derive(Serialize)]
struct JsonDiff<'d> {
    version: u32,
    mode: &'static str,
    old: &'d str,
    new: &'d str,
    counts: JsonCounts,
    objects: Vec<JsonObject<'d>>,
    parameters: Vec<JsonChange<'d>>,
    #[serde(rename = "notCompared")]
    not_compared: Vec<&'static str>,
    warnings: Vec<JsonDiagnostic>,
}

#[derive(Serialize)]
struct JsonCounts {
    added: usize,
    removed: usize,
    changed: usize,
    excluded: usize,
    #[serde(rename = "notInRelease")]
    not_in_release: usize,
    unchanged: usize,
}

#[derive(Serialize)]
struct JsonObject<'d> {
    #[serde(rename = "type")]
    otype: &'static str,
    name: &'d str,
    label: &'d str,
    status: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    reason: Option<&'d str>,
    changes: Vec<JsonChange<'d>>,
}

#[derive(Serialize)]
struct JsonChange<'d> {
    path: &'d str,
    kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    old: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    new: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    from: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    to: Option<usize>,
    masked: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    parameter: Option<&'d str>,
    #[serde(rename = "oldParameter", skip_serializing_if = "Option::is_none")]
    old_parameter: Option<&'d str>,
    origins: Vec<JsonOrigin<'d>>,
}

#[derive(Serialize)]
struct JsonOrigin<'d> {
    side: &'static str,
    row: &'d str,
}

/// The JSON form, pretty-printed.
pub fn json(diff: &Diff) -> String {
    let counts: Counts = diff.counts();
    pretty(&JsonDiff {
        version: SCHEMA_VERSION,
        mode: diff.mode.as_str(),
        old: &diff.old,
        new: &diff.new,
        counts: JsonCounts {
            added: counts.added,
            removed: counts.removed,
            changed: counts.changed,
            excluded: counts.excluded,
            not_in_release: counts.not_in_release,
            unchanged: counts.unchanged,
        },
        objects: diff.objects.iter().map(object).collect(),
        parameters: diff.parameters.iter().map(change).collect(),
        not_compared: diff.not_compared.iter().map(|t| t.as_str()).collect(),
        warnings: diff.warnings.iter().map(|d| diagnostic(d, &diff.sources)).collect(),
    })
}

fn object(o: &ObjectDiff) -> JsonObject<'_> {
    JsonObject {
        otype: o.otype.as_str(),
        name: &o.name,
        label: &o.label,
        status: o.status.as_str(),
        reason: o.reason.as_deref(),
        changes: o.changes.iter().map(change).collect(),
    }
}

fn change(c: &PropertyChange) -> JsonChange<'_> {
    let value = |shown: &Option<Shown>| match shown {
        Some(Shown::Value(v)) => Some(v.clone()),
        Some(Shown::Masked(m)) => Some(Value::String(m.clone())),
        None => None,
    };
    let masked = [&c.old, &c.new].iter().any(|s| matches!(s, Some(Shown::Masked(_))));
    let (from, to) = match c.kind {
        ChangeKind::Moved { from, to } => (Some(from), Some(to)),
        _ => (None, None),
    };
    JsonChange {
        path: &c.path,
        kind: c.kind.as_str(),
        old: value(&c.old),
        new: value(&c.new),
        from,
        to,
        masked,
        parameter: c.parameter.as_deref(),
        old_parameter: c.old_parameter.as_deref(),
        origins: c
            .origins
            .iter()
            .map(|o| JsonOrigin { side: if o.side == Side::Old { "old" } else { "new" }, row: &o.row })
            .collect(),
    }
}

//! `adfc diff --format unified`: a classic unified diff of each differing
//! object's pretty-printed JSON (parameter references shown as their values,
//! secrets masked), with `--- OLD/type.name` / `+++ NEW/type.name` headers.
//! Each object's diff is capped, and computed with a deadline, so a
//! pathological object cannot flood the output or hang the run.

use std::time::Duration;

use similar::TextDiff;

use super::{counts_line, describe, provenance};
use crate::diff::{Diff, ObjectDiff, Status};

/// The most lines of diff shown for one object.
pub const MAX_LINES: usize = 400;
/// How long the line diff of one object may take before it approximates.
const DEADLINE: Duration = Duration::from_millis(500);

/// The unified form.
pub fn unified(diff: &Diff) -> String {
    let mut out = String::new();
    for object in &diff.objects {
        out.push_str(&object_diff(diff, object));
    }
    if !diff.parameters.is_empty() {
        out.push_str("# template parameters (not read by a property above)\n");
        for change in &diff.parameters {
            out.push_str(&format!("#   {}: {}", change.path, describe(change)));
            let why = provenance(diff, change);
            if !why.is_empty() {
                out.push_str(&format!("  ({why})"));
            }
            out.push('\n');
        }
    }
    out.push_str(&format!("# {}\n", counts_line(&diff.counts())));
    out
}

fn object_diff(diff: &Diff, object: &ObjectDiff) -> String {
    let texts =
        object.texts.as_ref().filter(|_| matches!(object.status, Status::Added | Status::Removed | Status::Changed));
    let Some(texts) = texts else {
        let why = object.reason.as_deref().unwrap_or("not in the release");
        return format!("# {} {}: {why}\n", object.status.mark(), object.label);
    };
    let old = texts.old.as_deref().map(with_newline).unwrap_or_default();
    let new = texts.new.as_deref().map(with_newline).unwrap_or_default();
    let lines = TextDiff::configure().timeout(DEADLINE).diff_lines(old.as_str(), new.as_str());
    let old_name = if texts.old.is_some() { format!("{}/{}", diff.old, object.label) } else { "/dev/null".into() };
    let new_name = if texts.new.is_some() { format!("{}/{}", diff.new, object.label) } else { "/dev/null".into() };
    let body = lines.unified_diff().context_radius(3).header(&old_name, &new_name).to_string();
    cap(&body, MAX_LINES)
}

fn with_newline(text: &str) -> String {
    if text.ends_with('\n') { text.to_string() } else { format!("{text}\n") }
}

/// At most `max` lines of `body`, then a note of how many were left out.
pub(super) fn cap(body: &str, max: usize) -> String {
    let total = body.lines().count();
    if total <= max {
        return body.to_string();
    }
    let mut out: String = body.lines().take(max).flat_map(|l| [l, "\n"]).collect();
    out.push_str(&format!(
        "# … {} more line(s) of this object's diff not shown\n",
        crate::render::thousands(total - max)
    ));
    out
}

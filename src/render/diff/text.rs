//! The human form of `adfc diff`, terraform-plan style: a line per object
//! (`~` changed, `+` added, `-` removed, `!` excluded, `?` not in the
//! release), each changed property under it as `path: old → new` with the
//! config row behind it, and a count line. Coloured for a terminal on request.

use super::{counts_line, describe, mark, provenance, title};
use crate::diff::{Diff, ObjectDiff, PropertyChange, Status};

const GREEN: &str = "\x1b[32m";
const RED: &str = "\x1b[31m";
const YELLOW: &str = "\x1b[33m";
const CYAN: &str = "\x1b[36m";
const DIM: &str = "\x1b[2m";
const BOLD: &str = "\x1b[1m";
const RESET: &str = "\x1b[0m";

/// Paints text when colour is on.
#[derive(Clone, Copy)]
struct Paint(bool);

impl Paint {
    fn paint(self, style: &str, text: &str) -> String {
        if self.0 { format!("{style}{text}{RESET}") } else { text.to_string() }
    }
}

/// The full text form.
pub fn text(diff: &Diff, color: bool) -> String {
    let paint = Paint(color);
    let mut out = paint.paint(BOLD, &format!("adfc diff: {}", title(diff))) + "\n";
    for object in &diff.objects {
        out.push_str(&object_lines(diff, object, paint));
    }
    if !diff.parameters.is_empty() {
        out.push_str(&paint.paint(CYAN, "~ template parameters (not read by a property above)"));
        out.push('\n');
        for change in &diff.parameters {
            out.push_str(&change_line(diff, change, paint));
        }
    }
    out.push_str(&footer(diff, paint));
    out
}

fn object_lines(diff: &Diff, object: &ObjectDiff, paint: Paint) -> String {
    let style = style_of(object.status);
    let mut out = paint.paint(style, &format!("{} {}", object.status.mark(), object.label));
    if let Some(reason) = &object.reason {
        out.push_str("  ");
        out.push_str(&paint.paint(DIM, reason));
    } else if object.status == Status::NotInRelease {
        out.push_str("  ");
        out.push_str(&paint.paint(DIM, "not in the release (the target factory keeps it)"));
    }
    out.push('\n');
    for change in &object.changes {
        out.push_str(&change_line(diff, change, paint));
    }
    out
}

fn change_line(diff: &Diff, change: &PropertyChange, paint: Paint) -> String {
    let sign = mark(&change.kind);
    let style = match sign {
        '+' => GREEN,
        '-' => RED,
        _ => YELLOW,
    };
    let mut line = format!("    {} {}: {}", paint.paint(style, &sign.to_string()), change.path, describe(change));
    let why = provenance(diff, change);
    if !why.is_empty() {
        line.push_str("  ");
        line.push_str(&paint.paint(DIM, &format!("# {why}")));
    }
    line + "\n"
}

fn style_of(status: Status) -> &'static str {
    match status {
        Status::Added => GREEN,
        Status::Removed => RED,
        Status::Changed => YELLOW,
        Status::Excluded | Status::NotInRelease => DIM,
    }
}

fn footer(diff: &Diff, paint: Paint) -> String {
    let mut out = String::new();
    if !diff.not_compared.is_empty() {
        let types: Vec<&str> = diff.not_compared.iter().map(|t| t.as_str()).collect();
        let note = format!("# not compared (the target state lists no objects of these types): {}", types.join(", "));
        out.push_str(&paint.paint(DIM, &note));
        out.push('\n');
    }
    let line = if diff.has_differences() {
        format!("# {}", counts_line(&diff.counts()))
    } else {
        format!("# no differences ({})", counts_line(&diff.counts()))
    };
    out.push_str(&paint.paint(DIM, &line));
    out.push('\n');
    out
}

/// `--stat`: counts per object type, then the count line.
pub fn stat(diff: &Diff) -> String {
    let header = ["TYPE", "ADDED", "REMOVED", "CHANGED", "EXCLUDED", "NOT IN RELEASE"].map(String::from);
    let rows: Vec<[String; 6]> = diff
        .counts_by_type()
        .iter()
        .map(|(t, c)| {
            let n = |n: usize| crate::render::thousands(n);
            [t.as_str().to_string(), n(c.added), n(c.removed), n(c.changed), n(c.excluded), n(c.not_in_release)]
        })
        .collect();
    let mut out = format!("adfc diff: {}\n", title(diff));
    if !rows.is_empty() {
        out.push_str(&crate::render::listing::table(std::iter::once(&header).chain(rows.iter())));
    }
    if !diff.parameters.is_empty() {
        out.push_str(&format!("{} template parameter value(s) changed\n", diff.parameters.len()));
    }
    out.push_str(&format!("# {}\n", counts_line(&diff.counts())));
    out
}

/// `--name-only`: the `type.name` of every object that differs, one per line.
pub fn name_only(diff: &Diff) -> String {
    diff.objects.iter().map(|o| format!("{}\n", o.label)).collect()
}

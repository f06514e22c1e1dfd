//! `adfc diff --format markdown`, for a pull-request comment or a build
//! summary: a table of counts per object type on top, then one collapsible
//! `<details>` per changed object with a table of its properties. GitHub
//! refuses comments over 65,536 characters: objects that do not fit are left
//! out, and a note at the end says how many.

use super::{VALUE_WIDTH, counts_line, mark, origin, shorten, shorten_pair, value_text};
use crate::diff::{ChangeKind, Diff, ObjectDiff, PropertyChange, Status};

/// GitHub's limit on the body of a comment, in characters.
pub const COMMENT_LIMIT: usize = 65_536;
/// Room kept for the truncation note.
const NOTE_ROOM: usize = 400;

/// The markdown form, at most `limit` bytes (so at most `limit` characters).
pub fn markdown(diff: &Diff, limit: usize) -> String {
    let mut out = format!("### adfc diff: {} → {}\n\n", code(&diff.old), code(&diff.new));
    out.push_str(&summary(diff));
    let budget = limit.saturating_sub(NOTE_ROOM);
    let mut left_out = 0;
    let blocks = diff.objects.iter().map(|o| object_block(diff, o));
    let parameters = (!diff.parameters.is_empty()).then(|| parameters_block(diff));
    for block in blocks.chain(parameters) {
        if left_out > 0 || out.len() + block.len() > budget {
            left_out += 1;
            continue;
        }
        out.push_str(&block);
    }
    if left_out > 0 {
        out.push_str(&format!(
            "\n> **{left_out} more object(s) not shown**: a comment holds at most {} characters. \
             Run `adfc diff` locally, or see the diff file of the build, for all of it.\n",
            crate::render::thousands(COMMENT_LIMIT)
        ));
    }
    out
}

/// The table of counts per type, and the count line.
fn summary(diff: &Diff) -> String {
    let by_type = diff.counts_by_type();
    let mut out = String::new();
    if !by_type.is_empty() {
        out.push_str(
            "| type | added | removed | changed | excluded | not in release |\n|---|---:|---:|---:|---:|---:|\n",
        );
        for (t, c) in &by_type {
            out.push_str(&format!(
                "| {} | {} | {} | {} | {} | {} |\n",
                t.as_str(),
                c.added,
                c.removed,
                c.changed,
                c.excluded,
                c.not_in_release
            ));
        }
        out.push('\n');
    }
    let line = counts_line(&diff.counts());
    if diff.has_differences() {
        out.push_str(&format!("{line}.\n\n"));
    } else {
        out.push_str(&format!("No differences ({line}).\n\n"));
    }
    if !diff.not_compared.is_empty() {
        let types: Vec<String> = diff.not_compared.iter().map(|t| code(t.as_str())).collect();
        out.push_str(&format!("Not compared (the target state lists none of them): {}.\n\n", types.join(", ")));
    }
    out
}

fn object_block(diff: &Diff, object: &ObjectDiff) -> String {
    let head = format!("{} {}", object.status.mark(), object.label);
    if object.changes.is_empty() {
        let why = match (&object.reason, object.status) {
            (Some(reason), _) => format!(": {}", escape(reason)),
            (None, Status::NotInRelease) => ": not in the release (the target factory keeps it)".to_string(),
            (None, _) => String::new(),
        };
        return format!("- {}{why}\n", code(&head));
    }
    let count = object.changes.len();
    let properties = if count == 1 { "1 property".to_string() } else { format!("{count} properties") };
    let mut out = format!("<details><summary>{} · {properties}</summary>\n\n", html_code(&head));
    out.push_str(&format!(
        "| property | {} | {} | config row |\n|---|---|---|---|\n",
        escape(&diff.old),
        escape(&diff.new)
    ));
    for change in &object.changes {
        out.push_str(&change_row(diff, change));
    }
    out.push_str("\n</details>\n\n");
    out
}

fn parameters_block(diff: &Diff) -> String {
    let mut out = "<details><summary>template parameters (not read by a property above)</summary>\n\n".to_string();
    out.push_str(&format!(
        "| parameter | {} | {} | config row |\n|---|---|---|---|\n",
        escape(&diff.old),
        escape(&diff.new)
    ));
    for change in &diff.parameters {
        out.push_str(&change_row(diff, change));
    }
    out.push_str("\n</details>\n\n");
    out
}

fn change_row(diff: &Diff, change: &PropertyChange) -> String {
    let (old, new) = cells(change);
    let mut rows: Vec<String> = change.origins.iter().map(|o| code(&origin(diff, o))).collect();
    if let Some(p) = &change.parameter {
        rows.push(format!("parameter {}", code(p)));
    }
    if let Some(p) = &change.old_parameter {
        rows.push(format!("was parameter {}", code(p)));
    }
    let path = format!("{} {}", mark(&change.kind), change.path);
    format!("| {} | {old} | {new} | {} |\n", code(&path), rows.join("<br>"))
}

/// The old and new cells of a change.
fn cells(change: &PropertyChange) -> (String, String) {
    let (old, new) = (value_text(change.old.as_ref()), value_text(change.new.as_ref()));
    match &change.kind {
        ChangeKind::Moved { from, to } => (format!("position {from}"), format!("position {to}")),
        ChangeKind::Added => ("—".into(), code(&shorten(&new, VALUE_WIDTH))),
        ChangeKind::Removed => (code(&shorten(&old, VALUE_WIDTH)), "—".into()),
        ChangeKind::Changed | ChangeKind::Renamed => {
            let (old, new) = shorten_pair(&old, &new, VALUE_WIDTH);
            (code(&old), code(&new))
        }
    }
}

/// Text as an inline code span inside a table cell: a fence longer than any
/// backtick run inside, and `|` escaped (GitHub splits cells on it even in code).
fn code(text: &str) -> String {
    let longest = text.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest + 1);
    let body = text.replace('|', "\\|");
    let pad = if body.starts_with('`') || body.ends_with('`') { " " } else { "" };
    format!("{fence}{pad}{body}{pad}{fence}")
}

/// `<code>…</code>` for HTML contexts (a `<summary>`), with HTML escaped.
fn html_code(text: &str) -> String {
    format!("<code>{}</code>", html(text))
}

fn html(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

/// Plain text in a table cell or list item: markdown specials escaped.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '|' | '*' | '_' | '`' | '[' | ']' | '<' | '>' | '\\' | '#') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

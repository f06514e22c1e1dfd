//! `adfc diff` output: `text` (coloured on a terminal), `markdown` (a PR
//! comment), `json` (schema version 1) and `unified` (a unified diff of the
//! pretty JSON of each object), plus the `--stat` and `--name-only` forms.
//! All of them render one [`Diff`].

pub mod json;
pub mod markdown;
pub mod text;
pub mod unified;

use crate::diff::{ChangeKind, Counts, Diff, Mode, Origin, PropertyChange, Shown, Side};

/// The longest value shown in text and markdown before it is shortened around its difference.
pub const VALUE_WIDTH: usize = 80;

/// A value as text: compact JSON, or the mask of a secret.
pub fn value_text(value: Option<&Shown>) -> String {
    match value {
        Some(Shown::Value(v)) => v.to_string(),
        Some(Shown::Masked(m)) => m.clone(),
        None => String::new(),
    }
}

/// The old and new value of a change, each at most `width` characters:
/// long values keep some context around the part that differs, with `…`
/// where text was left out.
pub fn shorten_pair(old: &str, new: &str, width: usize) -> (String, String) {
    let (a, b): (Vec<char>, Vec<char>) = (old.chars().collect(), new.chars().collect());
    if a.len() <= width && b.len() <= width {
        return (old.to_string(), new.to_string());
    }
    let prefix = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let room = a.len().min(b.len()) - prefix;
    let suffix = a.iter().rev().zip(b.iter().rev()).take_while(|(x, y)| x == y).count().min(room);
    let context = width / 4;
    let start = prefix.saturating_sub(context);
    (window(&a, start, suffix, width), window(&b, start, suffix, width))
}

/// `chars[start..len - suffix]` plus some of the common suffix, at most `width` characters.
fn window(chars: &[char], start: usize, suffix: usize, width: usize) -> String {
    let end = (chars.len() - suffix + width / 4).min(chars.len());
    let mut out = String::new();
    if start > 0 {
        out.push('…');
    }
    let shown: String = chars[start..end].iter().collect();
    if shown.chars().count() > width {
        let head: String = shown.chars().take(width.saturating_sub(1)).collect();
        out.push_str(&head);
        out.push('…');
        return out;
    }
    out.push_str(&shown);
    if end < chars.len() {
        out.push('…');
    }
    out
}

/// One value shortened to `width` characters.
pub fn shorten(text: &str, width: usize) -> String {
    if text.chars().count() <= width {
        return text.to_string();
    }
    let head: String = text.chars().take(width.saturating_sub(1)).collect();
    format!("{head}…")
}

/// What changed, in words, with the values shortened (`"a" → "b"`, `moved from [1] to [3]`).
pub fn describe(change: &PropertyChange) -> String {
    let (old, new) = (value_text(change.old.as_ref()), value_text(change.new.as_ref()));
    match &change.kind {
        ChangeKind::Changed | ChangeKind::Renamed => {
            let (old, new) = shorten_pair(&old, &new, VALUE_WIDTH);
            let verb = if change.kind == ChangeKind::Renamed { "renamed " } else { "" };
            format!("{verb}{old} → {new}")
        }
        ChangeKind::Added => shorten(&new, VALUE_WIDTH),
        ChangeKind::Removed => shorten(&old, VALUE_WIDTH),
        ChangeKind::Moved { from, to } => format!("moved from [{from}] to [{to}]"),
    }
}

/// The mark of a property line (`~`, `+`, `-`).
pub fn mark(kind: &ChangeKind) -> char {
    match kind {
        ChangeKind::Added => '+',
        ChangeKind::Removed => '-',
        _ => '~',
    }
}

/// The config rows behind a change, and the parameter it is read from:
/// `deployment/config-prod.csv:8, parameter LS_KeyVault_properties_typeProperties_baseUrl`.
pub fn provenance(diff: &Diff, change: &PropertyChange) -> String {
    let mut parts: Vec<String> = change.origins.iter().map(|o| origin(diff, o)).collect();
    if let Some(p) = &change.parameter {
        parts.push(format!("parameter {p}"));
    }
    if let Some(p) = &change.old_parameter {
        parts.push(format!("was parameter {p}"));
    }
    parts.join(", ")
}

/// A row, with the side it belongs to when both sides are compiled.
pub fn origin(diff: &Diff, origin: &Origin) -> String {
    match (diff.mode, origin.side) {
        (Mode::Stages, Side::Old) => format!("{}: {}", diff.old, origin.row),
        (Mode::Stages, Side::New) => format!("{}: {}", diff.new, origin.row),
        _ => origin.row.clone(),
    }
}

/// `33 objects: 2 added, 25 changed, 2 excluded, 4 unchanged` (states with no object left out).
pub fn counts_line(counts: &Counts) -> String {
    let parts: Vec<String> = [
        (counts.added, "added"),
        (counts.removed, "removed"),
        (counts.changed, "changed"),
        (counts.excluded, "excluded"),
        (counts.not_in_release, "not in the release"),
        (counts.unchanged, "unchanged"),
    ]
    .into_iter()
    .filter(|(n, _)| *n > 0)
    .map(|(n, what)| format!("{} {what}", super::thousands(n)))
    .collect();
    let total = counts.total();
    let objects = if total == 1 { "1 object".to_string() } else { format!("{} objects", super::thousands(total)) };
    if parts.is_empty() { objects } else { format!("{objects}: {}", parts.join(", ")) }
}

/// The title: `source → prod`.
pub fn title(diff: &Diff) -> String {
    format!("{} → {}", diff.old, diff.new)
}

#[cfg(test)]
#[path = "diff_tests.rs"]
mod tests;

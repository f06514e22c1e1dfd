//! `adfc ls` output.

use crate::list::{Entry, Listing};

/// Aligned text: one line per object (with rule decisions when rules were given).
pub fn text(listing: &Listing) -> String {
    let mut out = if listing.rules { with_rules(listing) } else { plain(listing) };
    for other in &listing.other_resources {
        out.push_str(&format!("# kept untouched ({}): {} {}\n", other.reason, other.resource_type, other.name));
    }
    out
}

fn name(e: &Entry) -> String {
    match &e.parent {
        Some(parent) => format!("{} (in {parent})", e.name),
        None => e.name.clone(),
    }
}

fn plain(listing: &Listing) -> String {
    let rows: Vec<[String; 4]> = listing
        .objects
        .iter()
        .map(|e| [e.otype.clone(), name(e), e.folder.clone().unwrap_or_else(|| "-".into()), references(e)])
        .collect();
    let header = ["TYPE", "NAME", "FOLDER", "REFERENCES"].map(String::from);
    table(std::iter::once(&header).chain(rows.iter()))
}

fn with_rules(listing: &Listing) -> String {
    let rows: Vec<[String; 5]> = listing
        .objects
        .iter()
        .map(|e| {
            let status = if e.deployed == Some(true) { "deploy" } else { "skip" };
            [
                status.to_string(),
                e.otype.clone(),
                name(e),
                e.folder.clone().unwrap_or_else(|| "-".into()),
                e.decided_by.clone().unwrap_or_default(),
            ]
        })
        .collect();
    let header = ["STATUS", "TYPE", "NAME", "FOLDER", "WHY"].map(String::from);
    let deployed = listing.objects.iter().filter(|e| e.deployed == Some(true)).count();
    let mut out = table(std::iter::once(&header).chain(rows.iter()));
    out.push_str(&format!("# {deployed} of {} objects deployed\n", listing.objects.len()));
    out
}

fn references(e: &Entry) -> String {
    let mut all = e.references.clone();
    all.extend(e.dynamic_references.iter().map(|d| format!("dynamic: {d}")));
    if all.is_empty() { "-".into() } else { all.join(", ") }
}

/// Left-aligned columns separated by two spaces; the last column is not padded.
pub fn table<'r, const N: usize>(rows: impl Iterator<Item = &'r [String; N]> + Clone) -> String {
    let mut widths = [0usize; N];
    for row in rows.clone() {
        for (w, cell) in widths.iter_mut().zip(row.iter()) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let mut out = String::new();
    for row in rows {
        let mut line = String::new();
        for (i, cell) in row.iter().enumerate() {
            if i + 1 < N {
                line.push_str(&format!("{cell:<width$}  ", width = widths[i]));
            } else {
                line.push_str(cell);
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

/// Pretty JSON (schema documented in the README).
pub fn json(listing: &Listing) -> String {
    super::json::pretty(listing)
}

/// Colour a text listing for a terminal: bold header, dimmed `skip` rows,
/// dimmed `#` notes. Widths are unchanged (escape codes only wrap whole lines).
pub fn colorize(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 64);
    for (i, line) in text.lines().enumerate() {
        let style = if i == 0 {
            "\x1b[1m"
        } else if line.starts_with("skip") {
            "\x1b[33m"
        } else if line.starts_with('#') {
            "\x1b[2m"
        } else {
            ""
        };
        if style.is_empty() {
            out.push_str(line);
        } else {
            out.push_str(style);
            out.push_str(line);
            out.push_str("\x1b[0m");
        }
        out.push('\n');
    }
    out
}

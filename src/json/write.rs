//! Writing nodes back in the formatting of the file they came from.

use std::ops::Range;

use super::node::{Member, Node};

/// Formatting conventions of one JSON file, detected from its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Style {
    /// One level of indentation (`"\t"`, `"    "`…); empty for single-line files.
    pub indent: String,
    /// Line terminator.
    pub newline: &'static str,
    /// Text between a key and its value, e.g. `": "`.
    pub colon: String,
    /// Whether containers are written over several lines.
    pub pretty: bool,
}

impl Default for Style {
    /// The ADF exporter's style for new files: tabs, LF, `": "`.
    fn default() -> Self {
        Style { indent: "\t".into(), newline: "\n", colon: ": ".into(), pretty: true }
    }
}

impl Style {
    /// Detect the style of `text` from its first indented line and first key.
    pub fn detect(text: &str) -> Style {
        let newline = if text.contains("\r\n") { "\r\n" } else { "\n" };
        let indent = text
            .find('\n')
            .map(|i| &text[i + 1..])
            .map(|rest| rest.chars().take_while(|c| *c == ' ' || *c == '\t').collect::<String>())
            .unwrap_or_default();
        let pretty = text.trim_end().contains('\n') && !indent.is_empty();
        let colon = detect_colon(text).unwrap_or_else(|| if pretty { ": ".into() } else { ":".into() });
        Style { indent, newline, colon, pretty }
    }
}

/// The text between the first key of the document and its value: blanks, one
/// `:`, blanks. Strings are skipped whole, so a key that itself holds `":`
/// (or starts with `:`) is not mistaken for the separator.
fn detect_colon(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut pos = 0;
    loop {
        pos += text.get(pos..)?.find('"')? + 1;
        while *bytes.get(pos)? != b'"' {
            pos += if bytes[pos] == b'\\' { 2 } else { 1 };
        }
        pos += 1;
        let rest = &text[pos..];
        let blanks = |s: &str| s.len() - s.trim_start_matches([' ', '\t']).len();
        let before = blanks(rest);
        if let Some(after) = rest[before..].strip_prefix(':') {
            return Some(rest[..before + 1 + blanks(after)].to_string());
        }
    }
}

/// Write `node` as it sits at nesting `depth` (0 = document root).
pub fn write_node(node: &Node<'_>, depth: usize, style: &Style, out: &mut String) {
    match node {
        Node::Raw(text) => out.push_str(text),
        Node::Object(members) if members.is_empty() => out.push_str("{}"),
        Node::Array(items) if items.is_empty() => out.push_str("[]"),
        Node::Object(members) => write_container(members, ('{', '}'), depth, style, out, write_member),
        Node::Array(items) => write_container(items, ('[', ']'), depth, style, out, write_node),
    }
}

/// Write an array whose elements are given by reference (used to write the
/// `resources` of a template, which live outside its document tree);
/// `spans` receives the byte range in `out` of each element.
pub fn write_array_of(
    items: &[&Node<'_>],
    depth: usize,
    style: &Style,
    out: &mut String,
    spans: &mut Vec<Range<usize>>,
) {
    if items.is_empty() {
        out.push_str("[]");
        return;
    }
    out.push('[');
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        line_break(depth + 1, style, out);
        let start = out.len();
        write_node(item, depth + 1, style, out);
        spans.push(start..out.len());
    }
    line_break(depth, style, out);
    out.push(']');
}

/// Write an object member (`"key": value`) at `depth`.
pub fn write_member(member: &Member<'_>, depth: usize, style: &Style, out: &mut String) {
    out.push_str(&member.key);
    out.push_str(&style.colon);
    write_node(&member.value, depth, style, out);
}

fn write_container<T>(
    items: &[T],
    (open, close): (char, char),
    depth: usize,
    style: &Style,
    out: &mut String,
    write_item: fn(&T, usize, &Style, &mut String),
) {
    out.push(open);
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        line_break(depth + 1, style, out);
        write_item(item, depth + 1, style, out);
    }
    line_break(depth, style, out);
    out.push(close);
}

/// Newline plus indentation for `depth` (nothing in single-line files).
pub fn line_break(depth: usize, style: &Style, out: &mut String) {
    if style.pretty {
        out.push_str(style.newline);
        for _ in 0..depth {
            out.push_str(&style.indent);
        }
    }
}

#[cfg(test)]
#[path = "write_tests.rs"]
mod tests;

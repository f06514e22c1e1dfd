//! A JSON file of the template set, loaded losslessly and written back in its own style.

use std::path::{Path, PathBuf};

use crate::diag::{Diagnostic, Location};
use crate::json::{Node, Style, scan, write};
use crate::source::{FileId, Sources};

/// One JSON document (template, parameters file, global parameters file).
#[derive(Debug, Clone)]
pub struct Doc<'a> {
    /// Where it was read from.
    pub source: FileId,
    /// Path of the input file.
    pub path: PathBuf,
    /// Formatting detected from the input.
    pub style: Style,
    /// Text before the root value (e.g. a BOM).
    pub prefix: &'a str,
    /// Text after the root value (e.g. a final newline).
    pub suffix: &'a str,
    /// The root value; an expanded object.
    pub root: Node<'a>,
}

impl<'a> Doc<'a> {
    /// Parse file `source`, which must hold a JSON object.
    pub fn load(sources: &'a Sources, source: FileId, code: &'static str) -> Result<Doc<'a>, Diagnostic> {
        let file = sources.get(source);
        let text = file.text.as_str();
        let (range, members) = scan::document(text).map_err(|e| {
            Diagnostic::error(code, format!("invalid JSON: {}", e.message)).at(Location::at_span(
                &file.path,
                text,
                e.offset..(e.offset + 1).min(text.len()),
            ))
        })?;
        let Some(members) = members else {
            let kind = Node::raw(&text[range.clone()]).kind();
            return Err(Diagnostic::error(code, format!("expected a JSON object, found {}", kind.name()))
                .at(Location::at_span(&file.path, text, range.start..range.start + 1)));
        };
        let root = Node::Object(
            members
                .into_iter()
                .map(|(key, value)| crate::json::Member { key: key.into(), value: Node::raw(value) })
                .collect(),
        );
        Ok(Doc {
            source,
            path: file.path.clone(),
            style: Style::detect(text),
            prefix: &text[..range.start],
            suffix: &text[range.end..],
            root,
        })
    }

    /// A new, empty document written in `style` (used when there was no input file).
    pub fn new_empty(path: &Path, style: Style, root: Node<'a>) -> Doc<'a> {
        Doc { source: usize::MAX, path: path.to_path_buf(), style, prefix: "", suffix: "", root }
    }

    /// Byte offset of a raw slice of this document's text (for diagnostics).
    pub fn offset_of(&self, sources: &Sources, slice: &str) -> usize {
        if self.source == usize::MAX {
            return 0;
        }
        let base = sources.get(self.source).text.as_ptr() as usize;
        (slice.as_ptr() as usize).saturating_sub(base)
    }

    /// The document's text with its edits.
    pub fn render(&self) -> String {
        let mut out = String::with_capacity(self.prefix.len() + self.suffix.len() + 1024);
        out.push_str(self.prefix);
        write::write_node(&self.root, 0, &self.style, &mut out);
        out.push_str(self.suffix);
        out
    }
}

impl Doc<'_> {
    /// Render a template document whose `resources` array is given separately.
    pub fn render_template(&self, resources: &[&Node<'_>]) -> String {
        let Node::Object(members) = &self.root else { return self.render() };
        let mut out = String::with_capacity(self.prefix.len() + 1024);
        out.push_str(self.prefix);
        out.push('{');
        for (i, member) in members.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            write::line_break(1, &self.style, &mut out);
            if crate::json::node::key_is(&member.key, "resources") {
                out.push_str(&member.key);
                out.push_str(&self.style.colon);
                write::write_array_of(resources, 1, &self.style, &mut out);
            } else {
                write::write_member(member, 1, &self.style, &mut out);
            }
        }
        if !members.is_empty() {
            write::line_break(0, &self.style, &mut out);
        }
        out.push('}');
        out.push_str(self.suffix);
        out
    }
}

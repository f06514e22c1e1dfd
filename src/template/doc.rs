//! A JSON file of the template set, loaded losslessly and written back in its own style.

use std::ops::Range;
use std::path::{Path, PathBuf};

use crate::diag::{Code, Diagnostic, Location};
use crate::json::scan::{SyntaxError, SyntaxErrorKind};
use crate::json::text::key_is;
use crate::json::{Member, Node, Style, scan, write};
use crate::source::{FileId, SourceFile, Sources};

/// One JSON document (template, parameters file, global parameters file).
#[derive(Debug, Clone)]
pub struct Doc<'a> {
    /// Where it was read from (`None` for a file adfc creates).
    pub source: Option<FileId>,
    /// Path of the input file (or the output name of a created one).
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

/// The diagnostic for a JSON syntax error in file `id`.
pub fn syntax_diagnostic(code: Code, file: &SourceFile, id: FileId, e: &SyntaxError) -> Diagnostic {
    let span = match &e.kind {
        SyntaxErrorKind::DuplicateKey { .. } => {
            let end =
                file.text().get(e.offset + 1..).and_then(|t| t.find('"')).map_or(e.offset + 1, |q| e.offset + q + 2);
            e.offset..end
        }
        _ => e.offset..(e.offset + 1).min(file.text().len()),
    };
    let d = Diagnostic::error(code, format!("invalid JSON: {e}")).at(Location::span(id, span));
    match &e.kind {
        SyntaxErrorKind::DuplicateKey { first, .. } => {
            d.label("second time").note(format!("the first is on line {}", file.line_col(*first).0))
        }
        _ => d,
    }
}

impl<'a> Doc<'a> {
    /// Parse file `source`, which must hold a JSON object.
    pub fn load(sources: &'a Sources, source: FileId, code: Code) -> Result<Doc<'a>, Diagnostic> {
        let file = sources.get(source);
        let text = file.text();
        let (range, members) = scan::document(text).map_err(|e| syntax_diagnostic(code, file, source, &e))?;
        let Some(members) = members else {
            let kind = Node::raw(&text[range.clone()]).kind();
            return Err(Diagnostic::error(code, format!("expected a JSON object, found {}", kind.name()))
                .at(Location::span(source, range.start..range.start + 1)));
        };
        let root = Node::Object(
            members.into_iter().map(|(key, value)| Member { key: key.into(), value: Node::raw(value) }).collect(),
        );
        Ok(Doc {
            source: Some(source),
            path: file.path().to_path_buf(),
            style: Style::detect(text),
            prefix: &text[..range.start],
            suffix: &text[range.end..],
            root,
        })
    }

    /// A new document written in `style` (used when there was no input file).
    pub fn new_empty(path: &Path, style: Style, root: Node<'a>) -> Doc<'a> {
        Doc { source: None, path: path.to_path_buf(), style, prefix: "", suffix: "", root }
    }

    /// The document's text with its edits.
    pub fn write(&self) -> String {
        let mut out = String::with_capacity(self.prefix.len() + self.suffix.len() + 1024);
        out.push_str(self.prefix);
        write::write_node(&self.root, 0, &self.style, &mut out);
        out.push_str(self.suffix);
        out
    }

    /// The text of a template document whose `resources` array is given
    /// separately; `spans` receives the byte range of each resource written.
    pub fn write_template(&self, resources: &[&Node<'_>], spans: &mut Vec<Range<usize>>) -> String {
        let Node::Object(members) = &self.root else { return self.write() };
        let mut out = String::with_capacity(self.prefix.len() + 1024);
        out.push_str(self.prefix);
        out.push('{');
        for (i, member) in members.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            write::line_break(1, &self.style, &mut out);
            if key_is(&member.key, "resources") {
                out.push_str(&member.key);
                out.push_str(&self.style.colon);
                write::write_array_of(resources, 1, &self.style, &mut out, spans);
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

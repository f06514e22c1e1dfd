//! Human rendering of diagnostics (rustc style, via codespan-reporting), with
//! line and column computed from each source file's line index.

use std::collections::BTreeMap;
use std::ops::Range;

use codespan_reporting::diagnostic::{Diagnostic as CsDiagnostic, Label, Severity as CsSeverity};
use codespan_reporting::files::{Error as FilesError, Files};
use codespan_reporting::term::{self, Config};

use crate::diag::{Code, Diagnostic, Location, Severity};
use crate::source::{FileId, Sources};

/// The input files as codespan sees them.
struct SourceFiles<'s>(&'s Sources);

impl<'s> Files<'s> for SourceFiles<'s> {
    type FileId = FileId;
    type Name = String;
    type Source = &'s str;

    fn name(&'s self, id: FileId) -> Result<String, FilesError> {
        Ok(self.0.get(id).path().display().to_string())
    }

    fn source(&'s self, id: FileId) -> Result<&'s str, FilesError> {
        Ok(self.0.get(id).quotable_text())
    }

    fn line_index(&'s self, id: FileId, byte_index: usize) -> Result<usize, FilesError> {
        Ok(self.0.get(id).line_index(byte_index))
    }

    fn line_range(&'s self, id: FileId, line_index: usize) -> Result<Range<usize>, FilesError> {
        let file = self.0.get(id);
        if line_index >= file.line_starts().len() {
            return Err(FilesError::LineTooLarge { given: line_index, max: file.line_starts().len() - 1 });
        }
        let range = file.line_range(line_index);
        // codespan wants the range to include the line terminator.
        let text = file.text();
        let mut end = range.end;
        while end < text.len() && matches!(text.as_bytes()[end], b'\r' | b'\n') {
            end += 1;
            if text.as_bytes()[end - 1] == b'\n' {
                break;
            }
        }
        Ok(range.start..end)
    }
}

/// How many diagnostics of one code to show before counting the rest.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Errors of one code (`None`: all).
    pub errors: Option<usize>,
    /// Warnings of one code (`None`: all).
    pub warnings: Option<usize>,
}

impl Limits {
    /// Every diagnostic in full (`--verbose`).
    pub const ALL: Limits = Limits { errors: None, warnings: None };
    /// The default: 50 errors and 10 warnings of each code, then a count.
    pub const DEFAULT: Limits = Limits { errors: Some(50), warnings: Some(10) };
}

/// Lines longer than this are quoted as a window around the underlined text.
const LONG_LINE: usize = 200;
/// Characters of context on each side of the underlined text in a window.
const WINDOW: usize = 50;

/// Render `diagnostics` to `out`, quoting lines of the files in `sources`;
/// past `limits`, diagnostics of one code are counted, not shown.
pub fn render(
    diagnostics: &[Diagnostic],
    sources: &Sources,
    out: &mut dyn termcolor::WriteColor,
    limits: Limits,
) -> std::io::Result<()> {
    let files = SourceFiles(sources);
    let config = Config::default();
    let mut shown: BTreeMap<(Code, bool), usize> = BTreeMap::new();
    for d in diagnostics {
        let count = shown.entry((d.code, d.is_error())).or_default();
        *count += 1;
        let limit = if d.is_error() { limits.errors } else { limits.warnings };
        if limit.is_some_and(|l| *count > l) {
            continue;
        }
        let emitted = match window(d, sources) {
            Some(window) => {
                let cs = with_notes(header(d).with_labels(vec![window.label(d)]), d, Vec::new());
                term::emit_to_write_style(out, &config, &window, &cs)
            }
            None => term::emit_to_write_style(out, &config, &files, &to_codespan(d, sources)),
        };
        if emitted.is_err() {
            writeln!(out, "{}", plain(d, sources))?;
        }
    }
    for ((code, error), count) in shown {
        let limit = if error { limits.errors } else { limits.warnings };
        if let Some(limit) = limit.filter(|l| count > *l) {
            let severity = if error { "error" } else { "warning" };
            let more = super::thousands(count - limit);
            writeln!(out, "… and {more} more {severity}[{code}] (--verbose shows every one)\n")?;
        }
    }
    Ok(())
}

/// A window of a long line (minified JSON) around a diagnostic's span, quoted
/// instead of the whole line; line and column stay those of the real file.
struct Window {
    name: String,
    text: String,
    line: usize,
    /// Characters of the real line before the window's text.
    col_offset: usize,
    /// Bytes of the `…` marker at the window's start.
    marker: usize,
    span: Range<usize>,
}

impl Window {
    fn label(&self, d: &Diagnostic) -> Label<()> {
        Label::primary((), self.span.clone()).with_message(d.label.clone().unwrap_or_default())
    }
}

fn window(d: &Diagnostic, sources: &Sources) -> Option<Window> {
    let loc = d.location.as_ref()?;
    let span = loc.span.clone()?;
    let file = sources.get(loc.file);
    if !file.has_text() {
        return None;
    }
    let line = file.line_index(span.start);
    let range = file.line_range(line);
    let text = file.text();
    if text.get(range.clone())?.chars().count() <= LONG_LINE {
        return None;
    }
    let start = back_chars(text, span.start, WINDOW).max(range.start);
    let end = ahead_chars(text, ahead_chars(text, span.start, WINDOW.min(span.len().max(1))), WINDOW).min(range.end);
    let marker = if start > range.start { "…" } else { "" };
    let quotable = file.quotable_text();
    let window = format!("{marker}{}{}", &quotable[start..end], if end < range.end { "…" } else { "" });
    let local = |b: usize| b.clamp(start, end) - start + marker.len();
    Some(Window {
        name: file.path().display().to_string(),
        text: window,
        line: line + 1,
        col_offset: text[range.start..start].chars().count(),
        marker: marker.len(),
        span: local(span.start)..local(span.end.max(span.start)),
    })
}

fn back_chars(text: &str, from: usize, n: usize) -> usize {
    text[..from].char_indices().rev().nth(n.saturating_sub(1)).map_or(0, |(i, _)| i)
}

fn ahead_chars(text: &str, from: usize, n: usize) -> usize {
    text[from..].char_indices().nth(n).map_or(text.len(), |(i, _)| from + i)
}

impl<'w> Files<'w> for Window {
    type FileId = ();
    type Name = &'w str;
    type Source = &'w str;

    fn name(&'w self, (): ()) -> Result<&'w str, FilesError> {
        Ok(&self.name)
    }

    fn source(&'w self, (): ()) -> Result<&'w str, FilesError> {
        Ok(&self.text)
    }

    fn line_index(&'w self, (): (), _: usize) -> Result<usize, FilesError> {
        Ok(0)
    }

    fn line_number(&'w self, (): (), _: usize) -> Result<usize, FilesError> {
        Ok(self.line)
    }

    fn column_number(&'w self, (): (), _: usize, byte_index: usize) -> Result<usize, FilesError> {
        let inside = self.text.get(self.marker..byte_index.max(self.marker)).map_or(0, |t| t.chars().count());
        Ok(self.col_offset + inside + 1)
    }

    fn line_range(&'w self, (): (), line_index: usize) -> Result<Range<usize>, FilesError> {
        match line_index {
            0 => Ok(0..self.text.len()),
            _ => Err(FilesError::LineTooLarge { given: line_index, max: 0 }),
        }
    }
}

/// Severity, code and message.
fn header<F>(d: &Diagnostic) -> CsDiagnostic<F> {
    let severity = match d.severity {
        Severity::Error => CsSeverity::Error,
        Severity::Warning => CsSeverity::Warning,
    };
    CsDiagnostic::new(severity).with_code(d.code.as_str()).with_message(&d.message)
}

/// The object and the notes, after `notes`.
fn with_notes<F>(cs: CsDiagnostic<F>, d: &Diagnostic, mut notes: Vec<String>) -> CsDiagnostic<F> {
    if let Some(object) = &d.object {
        notes.push(format!("object: {object}"));
    }
    notes.extend(d.notes.iter().cloned());
    cs.with_notes(notes)
}

fn to_codespan(d: &Diagnostic, sources: &Sources) -> CsDiagnostic<FileId> {
    let mut cs = header(d);
    let mut notes = Vec::new();
    match d.location.as_ref() {
        Some(loc) if loc.span.is_some() && sources.get(loc.file).has_text() => {
            let span = loc.span.clone().unwrap_or(0..0);
            let label = Label::primary(loc.file, span).with_message(d.label.clone().unwrap_or_default());
            cs = cs.with_labels(vec![label]);
        }
        Some(loc) => {
            notes.push(format!("in {}", location_text(loc, sources)));
            notes.extend(d.label.clone());
        }
        None => notes.extend(d.label.clone()),
    }
    with_notes(cs, d, notes)
}

/// `file`, `file:line` or `file:line:col` of a location.
pub fn location_text(loc: &Location, sources: &Sources) -> String {
    let file = sources.get(loc.file);
    let path = file.path().display();
    match &loc.span {
        Some(span) if file.has_text() => {
            let (line, col) = file.line_col(span.start);
            format!("{path}:{line}:{col}")
        }
        _ => path.to_string(),
    }
}

/// One-line form: `file:line:col: error[code]: message`.
pub fn plain(d: &Diagnostic, sources: &Sources) -> String {
    let severity = match d.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    };
    let place = d.location.as_ref().map(|l| format!("{}: ", location_text(l, sources))).unwrap_or_default();
    format!("{place}{severity}[{}]: {}", d.code, d.message)
}

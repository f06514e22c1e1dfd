//! Human rendering of diagnostics (rustc style, via codespan-reporting), with
//! line and column computed from each source file's line index.

use std::ops::Range;

use codespan_reporting::diagnostic::{Diagnostic as CsDiagnostic, Label, Severity as CsSeverity};
use codespan_reporting::files::{Error as FilesError, Files};
use codespan_reporting::term::{self, Config};

use crate::diag::{Diagnostic, Location, Severity};
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
        Ok(self.0.get(id).text())
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

/// Render `diagnostics` to `out`, quoting lines of the files in `sources`.
pub fn render(
    diagnostics: &[Diagnostic],
    sources: &Sources,
    out: &mut dyn termcolor::WriteColor,
) -> std::io::Result<()> {
    let files = SourceFiles(sources);
    let config = Config::default();
    for d in diagnostics {
        let cs = to_codespan(d, sources);
        if term::emit_to_write_style(out, &config, &files, &cs).is_err() {
            writeln!(out, "{}", plain(d, sources))?;
        }
    }
    Ok(())
}

fn to_codespan(d: &Diagnostic, sources: &Sources) -> CsDiagnostic<FileId> {
    let severity = match d.severity {
        Severity::Error => CsSeverity::Error,
        Severity::Warning => CsSeverity::Warning,
    };
    let mut cs = CsDiagnostic::new(severity).with_code(d.code.as_str()).with_message(&d.message);
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
    if let Some(object) = &d.object {
        notes.push(format!("object: {object}"));
    }
    notes.extend(d.notes.iter().cloned());
    cs.with_notes(notes)
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

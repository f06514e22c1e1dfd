//! Human rendering of diagnostics (rustc style, via codespan-reporting).

use codespan_reporting::diagnostic::{Diagnostic as CsDiagnostic, Label, Severity as CsSeverity};
use codespan_reporting::files::SimpleFiles;
use codespan_reporting::term::{self, Config};

use crate::diag::{Diagnostic, Severity};
use crate::source::Sources;

/// Render `diagnostics` to `out`, quoting lines of the files in `sources`.
pub fn render(
    diagnostics: &[Diagnostic],
    sources: &Sources,
    out: &mut dyn termcolor::WriteColor,
) -> std::io::Result<()> {
    let mut files = SimpleFiles::new();
    let ids: Vec<(std::path::PathBuf, usize)> =
        sources.iter().map(|f| (f.path.clone(), files.add(f.path.display().to_string(), f.text.as_str()))).collect();
    let config = Config::default();
    for d in diagnostics {
        let file = d.location.as_ref().and_then(|l| ids.iter().find(|(p, _)| *p == l.file).map(|(_, id)| *id));
        let cs = to_codespan(d, file);
        if term::emit_to_write_style(out, &config, &files, &cs).is_err() {
            writeln!(out, "{}", plain(d))?;
        }
    }
    Ok(())
}

fn to_codespan(d: &Diagnostic, file: Option<usize>) -> CsDiagnostic<usize> {
    let severity = match d.severity {
        Severity::Error => CsSeverity::Error,
        Severity::Warning => CsSeverity::Warning,
    };
    let mut cs = CsDiagnostic::new(severity).with_code(d.code).with_message(&d.message);
    let mut notes = Vec::new();
    match (d.location.as_ref(), file) {
        (Some(loc), Some(file)) if loc.span.is_some() => {
            let span = loc.span.clone().unwrap_or(0..0);
            cs = cs.with_labels(vec![Label::primary(file, span).with_message(d.label.clone().unwrap_or_default())]);
        }
        (Some(loc), _) => {
            notes.push(format!("in {}", location_text(loc)));
            notes.extend(d.label.clone());
        }
        (None, _) => notes.extend(d.label.clone()),
    }
    if let Some(object) = &d.object {
        notes.push(format!("object: {object}"));
    }
    notes.extend(d.notes.iter().cloned());
    cs.with_notes(notes)
}

fn location_text(loc: &crate::diag::Location) -> String {
    match (loc.line, loc.col) {
        (0, _) => loc.file.display().to_string(),
        (line, 0) => format!("{}:{line}", loc.file.display()),
        (line, col) => format!("{}:{line}:{col}", loc.file.display()),
    }
}

/// One-line form: `file:line:col: error[code]: message`.
pub fn plain(d: &Diagnostic) -> String {
    let severity = match d.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    };
    let place = d.location.as_ref().map(|l| format!("{}: ", location_text(l))).unwrap_or_default();
    format!("{place}{severity}[{}]: {}", d.code, d.message)
}

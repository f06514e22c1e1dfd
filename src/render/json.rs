//! Machine-readable forms shared by the commands' `--format json`.

use serde::Serialize;

use crate::diag::{Diagnostic, Severity};
use crate::source::Sources;

/// A diagnostic as JSON: code, severity, message, where (file, 1-based line
/// and column when known), the object, the label and notes.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct JsonDiagnostic {
    /// Stable code (`config::path-not-found`).
    pub code: &'static str,
    /// `error` or `warning`.
    pub severity: &'static str,
    /// One-line message.
    pub message: String,
    /// File, as given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    /// 1-based line.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    /// 1-based column, in characters.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<usize>,
    /// 1-based line and column where the underlined text ends.
    #[serde(rename = "endLine", skip_serializing_if = "Option::is_none")]
    pub end_line: Option<usize>,
    /// See `endLine`.
    #[serde(rename = "endColumn", skip_serializing_if = "Option::is_none")]
    pub end_column: Option<usize>,
    /// The ADF object concerned (`linkedService.LS_KeyVault`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub object: Option<String>,
    /// Text shown under the underlined span.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// Extra lines (help, hints).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
}

/// A file's path as JSON output shows it: as given, without a leading `./`.
pub fn display_path(path: &std::path::Path) -> String {
    let path = path.display().to_string();
    path.strip_prefix("./").map(str::to_string).unwrap_or(path)
}

/// The JSON form of a diagnostic.
pub fn diagnostic(d: &Diagnostic, sources: &Sources) -> JsonDiagnostic {
    let file = d.location.as_ref().map(|l| sources.get(l.file));
    let span = d.location.as_ref().and_then(|l| l.span.clone()).filter(|_| file.is_some_and(|f| f.has_text()));
    let start = span.as_ref().zip(file).map(|(s, f)| f.line_col(s.start));
    let end = span.as_ref().zip(file).map(|(s, f)| f.line_col(s.end.max(s.start)));
    JsonDiagnostic {
        code: d.code.as_str(),
        severity: match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        },
        message: d.message.clone(),
        file: file.map(|f| display_path(f.path())),
        line: start.map(|p| p.0),
        column: start.map(|p| p.1),
        end_line: end.map(|p| p.0),
        end_column: end.map(|p| p.1),
        object: d.object.clone(),
        label: d.label.clone(),
        notes: d.notes.clone(),
    }
}

/// Pretty JSON text of a serializable value, with a final newline.
pub fn pretty<T: Serialize>(value: &T) -> String {
    serde_json::to_string_pretty(value).unwrap_or_default() + "\n"
}

//! Diagnostics: every problem adfc reports, with where it is and what it is about.

use std::ops::Range;
use std::path::{Path, PathBuf};

/// How bad a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// Reported; the run goes on.
    Warning,
    /// The run fails (exit code 2) and nothing is written.
    Error,
}

/// A place in an input file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    /// The file.
    pub file: PathBuf,
    /// 1-based line.
    pub line: usize,
    /// 1-based column in characters (0 when unknown).
    pub col: usize,
    /// Byte range in the file to underline, when known.
    pub span: Option<Range<usize>>,
}

impl Location {
    /// A location at a byte range of `text` (the contents of `file`).
    pub fn at_span(file: &Path, text: &str, span: Range<usize>) -> Location {
        let (line, col) = crate::json::scan::line_col(text, span.start);
        Location { file: file.to_path_buf(), line, col, span: Some(span) }
    }

    /// A whole-file location.
    pub fn file(file: &Path) -> Location {
        Location { file: file.to_path_buf(), line: 0, col: 0, span: None }
    }
}

/// One reported problem.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// Stable identifier, e.g. `config::path-not-found` (documented in the README).
    pub code: &'static str,
    /// One-line description.
    pub message: String,
    /// Where, when it is about a place in a file.
    pub location: Option<Location>,
    /// Short text shown under the underlined span.
    pub label: Option<String>,
    /// The ADF object concerned (`linkedService.LS_KeyVault`).
    pub object: Option<String>,
    /// Extra lines (`help: …`).
    pub notes: Vec<String>,
}

impl Diagnostic {
    /// A new error.
    pub fn error(code: &'static str, message: impl Into<String>) -> Self {
        Self::new(Severity::Error, code, message)
    }

    /// A new warning.
    pub fn warning(code: &'static str, message: impl Into<String>) -> Self {
        Self::new(Severity::Warning, code, message)
    }

    fn new(severity: Severity, code: &'static str, message: impl Into<String>) -> Self {
        Diagnostic {
            severity,
            code,
            message: message.into(),
            location: None,
            label: None,
            object: None,
            notes: Vec::new(),
        }
    }

    /// Attach a location.
    pub fn at(mut self, location: Location) -> Self {
        self.location = Some(location);
        self
    }

    /// Attach a label for the underlined span.
    pub fn label(mut self, label: impl Into<String>) -> Self {
        self.label = Some(label.into());
        self
    }

    /// Name the object concerned.
    pub fn object(mut self, object: impl Into<String>) -> Self {
        self.object = Some(object.into());
        self
    }

    /// Add a note line.
    pub fn note(mut self, note: impl Into<String>) -> Self {
        self.notes.push(note.into());
        self
    }

    /// Turn an error into a warning (for the `--allow-…` options).
    pub fn downgrade(mut self) -> Self {
        self.severity = Severity::Warning;
        self
    }

    /// Is this an error?
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// A run that could not complete: every diagnostic collected until it stopped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    /// At least one of them is an error.
    pub diagnostics: Vec<Diagnostic>,
}

impl Failure {
    /// A failure made of one error.
    pub fn one(diagnostic: Diagnostic) -> Self {
        Failure { diagnostics: vec![diagnostic] }
    }
}

impl From<Diagnostic> for Failure {
    fn from(diagnostic: Diagnostic) -> Self {
        Failure::one(diagnostic)
    }
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let errors = self.diagnostics.iter().filter(|d| d.is_error()).count();
        write!(f, "{errors} error(s)")
    }
}

impl std::error::Error for Failure {}

/// Collects diagnostics; turns into a [`Failure`] when an error was seen.
#[derive(Debug, Default)]
pub struct Report {
    /// Everything reported so far, in order.
    pub diagnostics: Vec<Diagnostic>,
}

impl Report {
    /// Record one diagnostic.
    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.diagnostics.push(diagnostic);
    }

    /// Has an error been recorded?
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }

    /// Fail when an error was recorded.
    pub fn check(&mut self) -> Result<(), Failure> {
        if self.has_errors() { Err(Failure { diagnostics: std::mem::take(&mut self.diagnostics) }) } else { Ok(()) }
    }

    /// Fail with everything so far plus `diagnostic`.
    pub fn fail(&mut self, diagnostic: Diagnostic) -> Failure {
        self.push(diagnostic);
        Failure { diagnostics: std::mem::take(&mut self.diagnostics) }
    }
}

//! Diagnostics: every problem adfc reports, with where it is and what it is about.

mod code;

use std::ops::Range;

pub use code::Code;

use crate::source::{FileId, Sources};

/// How bad a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// Reported; the run goes on.
    Warning,
    /// The run fails (exit code 2) and nothing is written.
    Error,
}

/// A place in an input file: the file and, when known, the bytes to underline.
/// Line and column are computed from the file's line starts when rendered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    /// The file.
    pub file: FileId,
    /// Byte range in the file to underline, when known.
    pub span: Option<Range<usize>>,
}

impl Location {
    /// A location at a byte range of a file.
    pub fn span(file: FileId, span: Range<usize>) -> Location {
        Location { file, span: Some(span) }
    }

    /// A whole-file location.
    pub fn file(file: FileId) -> Location {
        Location { file, span: None }
    }
}

/// One reported problem.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// Stable identifier, e.g. `config::path-not-found` (documented in the README).
    pub code: Code,
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
    pub fn error(code: Code, message: impl Into<String>) -> Self {
        Self::new(Severity::Error, code, message)
    }

    /// A new warning.
    pub fn warning(code: Code, message: impl Into<String>) -> Self {
        Self::new(Severity::Warning, code, message)
    }

    fn new(severity: Severity, code: Code, message: impl Into<String>) -> Self {
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

    /// Point into the files of a [`Sources`] that another set was appended to.
    pub fn renumber(mut self, renumber: crate::source::Renumber) -> Self {
        if let Some(location) = &mut self.location {
            location.file = renumber.id(location.file);
        }
        self
    }

    /// Is this an error?
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// A step that could not complete: every diagnostic collected until it
/// stopped (at least one is an error). Entry points turn it into a [`Failure`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Errors(pub Vec<Diagnostic>);

impl From<Diagnostic> for Errors {
    fn from(diagnostic: Diagnostic) -> Self {
        Errors(vec![diagnostic])
    }
}

/// A command that could not run: its diagnostics and the input files they
/// point into (needed to render them).
#[derive(Debug)]
pub struct Failure {
    /// Every diagnostic; at least one is an error.
    pub diagnostics: Vec<Diagnostic>,
    /// The files read before the run stopped.
    pub sources: Sources,
}

impl Failure {
    /// A failure from the errors of a run and the files it read.
    pub fn new(errors: Errors, sources: Sources) -> Self {
        Failure { diagnostics: errors.0, sources }
    }

    /// How many errors (not warnings) it holds.
    pub fn error_count(&self) -> usize {
        self.diagnostics.iter().filter(|d| d.is_error()).count()
    }
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} error(s)", self.error_count())
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
    pub fn check(&mut self) -> Result<(), Errors> {
        if self.has_errors() { Err(Errors(std::mem::take(&mut self.diagnostics))) } else { Ok(()) }
    }

    /// Fail with everything so far plus `diagnostic`.
    pub fn fail(&mut self, diagnostic: Diagnostic) -> Errors {
        self.push(diagnostic);
        Errors(std::mem::take(&mut self.diagnostics))
    }

    /// Everything reported, leaving the report empty.
    pub fn take(&mut self) -> Vec<Diagnostic> {
        std::mem::take(&mut self.diagnostics)
    }
}

//! ARM template expressions: classification, parsing and symbolic evaluation.
//!
//! A JSON string value of an ARM template is an *expression* when it starts
//! with `[` and ends with `]`, unless it starts with `[[`, which escapes a
//! literal (only the first `[` is doubled). This module classifies such
//! strings, parses the expression language into an [`Expr`] tree, collects
//! `parameters(..)` / `variables(..)` references, and evaluates the common
//! string-building functions symbolically into [`Piece`]s, keeping parameters
//! as placeholders.
//!
//! Parsing lives in `parse`, symbolic evaluation in `eval`, and the
//! ADF-specific readings of names and dependsOn entries in `adf`.
//!
//! Everything here is total over its input: malformed text yields an
//! [`ExprError`] or `None`, never a panic, and nesting is capped so that
//! hostile input cannot overflow the stack.

mod adf;
mod eval;
mod parse;

use std::borrow::Cow;
use std::fmt;

pub use adf::{Target, dependency_target, dependency_target_of, resource_name_segments};
pub use eval::{NoVariables, Piece, Scope, eval_pieces, eval_value, pieces_text};
pub use parse::{parse, parse_value, refs_in_value};

/// Maximum nesting height of a parsed expression tree (calls, member
/// accesses and indexing all count one level each).
pub const MAX_DEPTH: usize = 256;

/// Maximum number of chained `variables(..)` resolutions during evaluation;
/// deeper chains (including cycles) evaluate to `None`.
pub const MAX_VARIABLE_HOPS: usize = 32;

/// How a JSON string value of a template is to be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StrKind<'a> {
    /// Plain text (with a leading `[[` escape already reduced to `[`).
    Literal(Cow<'a, str>),
    /// An expression; the text between the outer `[` and `]`.
    Expression(&'a str),
}

/// Classify a template JSON string (already JSON-decoded).
///
/// `[[x]` -> `Literal("[x]")`, `[f()]` -> `Expression("f()")` (inner text
/// without the outer brackets), anything else -> `Literal` borrowed as is.
/// Any string starting with `[[` loses its first `[`, whether or not it ends
/// with `]`, so that `classify(escape_literal(s))` always yields `s`.
#[must_use]
pub fn classify(s: &str) -> StrKind<'_> {
    if let Some(rest) = s.strip_prefix('[') {
        if rest.starts_with('[') {
            return StrKind::Literal(Cow::Borrowed(rest));
        }
        if let Some(inner) = rest.strip_suffix(']') {
            return StrKind::Expression(inner);
        }
    }
    StrKind::Literal(Cow::Borrowed(s))
}

/// Escape a literal string for writing into a template.
///
/// Like ADF, every string that starts with `[` gets one more `[` prefixed
/// (even when it does not end with `]`); anything else is returned unchanged.
#[must_use]
pub fn escape_literal(s: &str) -> Cow<'_, str> {
    if s.starts_with('[') { Cow::Owned(format!("[{s}")) } else { Cow::Borrowed(s) }
}

/// Build the ARM string-literal form `'...'` with `''` escaping (for
/// constructing expressions).
#[must_use]
pub fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('\'');
    for c in s.chars() {
        if c == '\'' {
            out.push('\'');
        }
        out.push(c);
    }
    out.push('\'');
    out
}

/// A parsed ARM template expression.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Expr {
    /// A string literal (unescaped).
    Str(String),
    /// An integer literal.
    Int(i64),
    /// A function call; `name` is kept as written (compare it
    /// case-insensitively). User-defined functions appear as `ns.fn`.
    Call {
        /// Function name as written.
        name: String,
        /// Arguments in order.
        args: Vec<Expr>,
    },
    /// Property access `base.name`.
    Member {
        /// The expression whose property is read.
        base: Box<Expr>,
        /// Property name as written.
        name: String,
    },
    /// Indexing `base[index]`.
    Index {
        /// The expression being indexed.
        base: Box<Expr>,
        /// The index expression.
        index: Box<Expr>,
    },
}

/// A syntax error in an expression.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{kind} (at byte {offset})")]
pub struct ExprError {
    /// Byte offset of the offending input. For [`parse`] it is relative to
    /// the inner text passed in; for [`parse_value`] and [`refs_in_value`]
    /// it is relative to the whole JSON string value.
    pub offset: usize,
    /// What is wrong.
    pub kind: ExprErrorKind,
}

/// What is wrong with an expression.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ExprErrorKind {
    /// Text after a complete expression.
    #[error("unexpected {found} after the expression")]
    Trailing {
        /// What follows the expression.
        found: Found,
    },
    /// An index `[…` without its `]`.
    #[error("expected ']' to close index, found {found}")]
    UnclosedIndex {
        /// What came instead.
        found: Found,
    },
    /// `.` not followed by a property name.
    #[error("expected a property name after '.', found {found}")]
    PropertyName {
        /// What came instead.
        found: Found,
    },
    /// Nothing that can start an expression.
    #[error("expected an expression, found {found}")]
    Expected {
        /// What came instead.
        found: Found,
    },
    /// A string literal without its closing quote.
    #[error("unterminated string literal")]
    UnterminatedString,
    /// `-` not followed by digits.
    #[error("expected digits after '-', found {found}")]
    Digits {
        /// What came instead.
        found: Found,
    },
    /// An integer that does not fit 64 bits.
    #[error("integer '{text}' is out of range")]
    IntegerRange {
        /// The integer as written.
        text: String,
    },
    /// A name not followed by `(`.
    #[error("expected '(' after function name '{name}', found {found}")]
    CallParen {
        /// The function name.
        name: String,
        /// What came instead.
        found: Found,
    },
    /// Arguments not separated by `,` or closed by `)`.
    #[error("expected ',' or ')' in call to '{name}', found {found}")]
    ArgumentSeparator {
        /// The function name.
        name: String,
        /// What came instead.
        found: Found,
    },
    /// Nesting deeper than [`MAX_DEPTH`].
    #[error("expression nested deeper than {MAX_DEPTH} levels")]
    TooDeep,
}

/// What the parser found where it expected something else.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Found {
    /// The end of the expression.
    End,
    /// This character.
    Char(char),
}

impl fmt::Display for Found {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Found::End => f.write_str("end of input"),
            Found::Char(c) => write!(f, "character '{c}'"),
        }
    }
}

/// Which kind of template reference a call is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RefKind {
    /// `parameters('X')`.
    Parameter,
    /// `variables('Y')`.
    Variable,
}

impl Expr {
    /// If the expression is exactly `parameters('P')` (any case of the
    /// function name, whitespace ok), return `P`.
    #[must_use]
    pub fn as_parameter(&self) -> Option<&str> {
        self.as_ref_call().and_then(|(kind, name)| match kind {
            RefKind::Parameter => Some(name),
            RefKind::Variable => None,
        })
    }

    /// If the expression is exactly `parameters('X')` or `variables('X')`
    /// with a string-literal argument, return its kind and `X`.
    #[must_use]
    pub fn as_ref_call(&self) -> Option<(RefKind, &str)> {
        let Expr::Call { name, args } = self else {
            return None;
        };
        let [Expr::Str(arg)] = args.as_slice() else {
            return None;
        };
        if name.eq_ignore_ascii_case("parameters") {
            Some((RefKind::Parameter, arg))
        } else if name.eq_ignore_ascii_case("variables") {
            Some((RefKind::Variable, arg))
        } else {
            None
        }
    }

    /// Report every `parameters('X')` and `variables('Y')` call anywhere in
    /// the tree whose argument is a string literal, in order of appearance
    /// in the source text. Duplicates are reported each time they occur.
    pub fn visit_refs(&self, f: &mut dyn FnMut(RefKind, &str)) {
        if let Some((kind, name)) = self.as_ref_call() {
            f(kind, name);
        }
        match self {
            Expr::Str(_) | Expr::Int(_) => {}
            Expr::Call { args, .. } => args.iter().for_each(|a| a.visit_refs(f)),
            Expr::Member { base, .. } => base.visit_refs(f),
            Expr::Index { base, index } => {
                base.visit_refs(f);
                index.visit_refs(f);
            }
        }
    }
}

/// Renders the expression back to ARM syntax (without the outer brackets);
/// the output parses back to an equal tree.
impl fmt::Display for Expr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Expr::Str(s) => f.write_str(&quote(s)),
            Expr::Int(i) => write!(f, "{i}"),
            Expr::Call { name, args } => {
                write!(f, "{name}(")?;
                for (i, arg) in args.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{arg}")?;
                }
                f.write_str(")")
            }
            Expr::Member { base, name } => write!(f, "{base}.{name}"),
            Expr::Index { base, index } => write!(f, "{base}[{index}]"),
        }
    }
}

#[cfg(test)]
#[path = "expr_tests.rs"]
mod tests;

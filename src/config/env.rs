//! Environment tokens in config values: replaced, never executed.
//!
//! Recognised tokens (the `Env` part is case-insensitive, NAME is ASCII
//! letters, digits and `_`):
//! - `$Env:NAME`, ending at the first character that cannot be in a name;
//! - `$($Env:NAME)` (blanks allowed just inside the parentheses);
//! - `${Env:NAME}`.
//!
//! Any other `$(` … `)` is a PowerShell subexpression and an error: its
//! extent runs to the matching `)` (quotes inside are skipped), or to the end
//! of the text. Any other `$` is a literal `$`.

use std::collections::BTreeMap;
use std::ops::Range;

/// Where environment tokens take their values from.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Environment {
    /// The process's environment.
    #[default]
    Process,
    /// A fixed set of variables (tests, an env file).
    Vars(BTreeMap<String, String>),
}

/// What looking a variable up found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Lookup {
    /// Its value.
    Found(String),
    /// Not set, in any case.
    Unset,
    /// Not set as written, and set in several cases (the names found).
    Ambiguous(Vec<String>),
}

impl Environment {
    /// The value of variable `name`, if set exactly as written.
    pub fn get(&self, name: &str) -> Option<String> {
        match self {
            Environment::Process => std::env::var(name).ok(),
            Environment::Vars(vars) => vars.get(name).cloned(),
        }
    }

    /// Look `name` up exactly, else ignoring case when exactly one variable
    /// matches that way (Windows agents ignore case; Azure DevOps exports
    /// pipeline variables upper-cased).
    pub fn resolve(&self, name: &str) -> Lookup {
        if let Some(value) = self.get(name) {
            return Lookup::Found(value);
        }
        let mut matches: Vec<(String, String)> = match self {
            Environment::Process => std::env::vars_os()
                .filter_map(|(k, v)| Some((k.into_string().ok()?, v.into_string().ok()?)))
                .filter(|(k, _)| k.eq_ignore_ascii_case(name))
                .collect(),
            Environment::Vars(vars) => {
                vars.iter().filter(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(k, v)| (k.clone(), v.clone())).collect()
            }
        };
        matches.sort();
        match matches.len() {
            0 => Lookup::Unset,
            1 => Lookup::Found(matches.remove(0).1),
            _ => Lookup::Ambiguous(matches.into_iter().map(|(k, _)| k).collect()),
        }
    }
}

/// A problem with one token of a value.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{kind}")]
pub struct EnvError {
    /// Byte offset of the token in the text.
    pub offset: usize,
    /// Length of the token in bytes.
    pub len: usize,
    /// What is wrong.
    pub kind: EnvErrorKind,
}

/// What is wrong with a token.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EnvErrorKind {
    /// The environment variable with this name is not set.
    #[error("environment variable `{0}` is not set")]
    Unset(String),
    /// Not set as written, and set in several cases.
    #[error("environment variable `{name}` is not set, and several variables match it ignoring case: {}", candidates.join(", "))]
    Ambiguous {
        /// The name as written.
        name: String,
        /// The variables that match ignoring case.
        candidates: Vec<String>,
    },
    /// A `$( … )` subexpression other than an environment token (its text).
    #[error(
        "`{0}` is not supported: only environment tokens ($Env:NAME, $($Env:NAME), ${{Env:NAME}}) are replaced, nothing is executed"
    )]
    Subexpression(String),
}

/// Replace tokens using `lookup` (exact names only); returns all errors at once.
pub fn expand(text: &str, lookup: &dyn Fn(&str) -> Option<String>) -> Result<String, Vec<EnvError>> {
    expand_with(text, &|name| lookup(name).map_or(Lookup::Unset, Lookup::Found))
}

/// Replace tokens using `lookup`; returns all errors at once.
pub fn expand_with(text: &str, lookup: &dyn Fn(&str) -> Lookup) -> Result<String, Vec<EnvError>> {
    let mut out = String::with_capacity(text.len());
    let mut errors = Vec::new();
    for piece in pieces(text) {
        match piece {
            Piece::Literal(range) => out.push_str(slice(text, range)),
            Piece::Token { span, name } => match lookup(name) {
                Lookup::Found(value) => out.push_str(&value),
                Lookup::Unset => errors.push(env_error(span, EnvErrorKind::Unset(name.to_owned()))),
                Lookup::Ambiguous(candidates) => {
                    errors.push(env_error(span, EnvErrorKind::Ambiguous { name: name.to_owned(), candidates }))
                }
            },
            Piece::Subexpression(span) => {
                let kind = EnvErrorKind::Subexpression(slice(text, span.clone()).to_owned());
                errors.push(env_error(span, kind));
            }
        }
    }
    if errors.is_empty() { Ok(out) } else { Err(errors) }
}

/// Names of all env tokens in text (for `check --no-env` style validation),
/// in order of first appearance, each once.
pub fn token_names(text: &str) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    for piece in pieces(text) {
        if let Piece::Token { name, .. } = piece
            && !names.iter().any(|seen| seen == name)
        {
            names.push(name.to_owned());
        }
    }
    names
}

fn env_error(span: Range<usize>, kind: EnvErrorKind) -> EnvError {
    EnvError { offset: span.start, len: span.len(), kind }
}

fn slice(text: &str, range: Range<usize>) -> &str {
    text.get(range).unwrap_or("")
}

/// A stretch of a value: literal text, a token, or a forbidden subexpression.
#[derive(Debug, PartialEq, Eq)]
enum Piece<'a> {
    Literal(Range<usize>),
    Token { span: Range<usize>, name: &'a str },
    Subexpression(Range<usize>),
}

/// Split `text` into pieces; literal pieces may be adjacent.
fn pieces(text: &str) -> Vec<Piece<'_>> {
    let mut out = Vec::new();
    let mut literal_start = 0;
    let mut at = 0;
    while let Some(found) = text.get(at..).and_then(|rest| rest.find('$')) {
        let dollar = at + found;
        let Some(piece) = piece_at(text, dollar) else {
            at = dollar + 1;
            continue;
        };
        out.push(Piece::Literal(literal_start..dollar));
        at = piece_end(&piece);
        literal_start = at;
        out.push(piece);
    }
    out.push(Piece::Literal(literal_start..text.len()));
    out
}

fn piece_end(piece: &Piece<'_>) -> usize {
    match piece {
        Piece::Literal(span) | Piece::Token { span, .. } | Piece::Subexpression(span) => span.end,
    }
}

/// The token or subexpression starting at the `$` at `dollar`, if any.
fn piece_at(text: &str, dollar: usize) -> Option<Piece<'_>> {
    let bytes = text.as_bytes();
    match bytes.get(dollar + 1) {
        Some(b'(') => Some(paren_token(text, dollar).unwrap_or_else(|| subexpression(text, dollar))),
        Some(b'{') => brace_token(text, dollar),
        _ => bare_token(text, dollar),
    }
}

/// `$Env:NAME` at `at`.
fn bare_token(text: &str, at: usize) -> Option<Piece<'_>> {
    let name = env_name(text, at + 1)?;
    Some(Piece::Token { span: at..name.end, name: slice(text, name) })
}

/// `${Env:NAME}` at `at`.
fn brace_token(text: &str, at: usize) -> Option<Piece<'_>> {
    let name = env_name(text, at + 2)?;
    let close = name.end;
    (text.as_bytes().get(close) == Some(&b'}')).then(|| Piece::Token { span: at..close + 1, name: slice(text, name) })
}

/// `$( $Env:NAME )` at `at`.
fn paren_token(text: &str, at: usize) -> Option<Piece<'_>> {
    let inner = skip_blanks(text, at + 2);
    if text.as_bytes().get(inner) != Some(&b'$') {
        return None;
    }
    let name = env_name(text, inner + 1)?;
    let close = skip_blanks(text, name.end);
    (text.as_bytes().get(close) == Some(&b')')).then(|| Piece::Token { span: at..close + 1, name: slice(text, name) })
}

/// The byte range of NAME when `Env:NAME` (any case of `Env`) starts at `at`.
fn env_name(text: &str, at: usize) -> Option<Range<usize>> {
    let prefix = text.get(at..at + 4)?;
    let start = at + 4;
    let end = name_end(text, start);
    (prefix.eq_ignore_ascii_case("env:") && end > start).then_some(start..end)
}

/// A `$(` … `)` subexpression at `at`, up to its matching `)` or the end.
fn subexpression(text: &str, at: usize) -> Piece<'_> {
    let bytes = text.as_bytes();
    let mut depth = 0usize;
    let mut i = at + 1;
    while let Some(&b) = bytes.get(i) {
        match b {
            b'(' => depth += 1,
            b')' if depth <= 1 => return Piece::Subexpression(at..i + 1),
            b')' => depth -= 1,
            b'\'' | b'"' => i = closing_quote(bytes, i),
            _ => {}
        }
        i += 1;
    }
    Piece::Subexpression(at..text.len())
}

/// Index of the quote closing the one at `open`, or the last index.
fn closing_quote(bytes: &[u8], open: usize) -> usize {
    let mark = bytes.get(open).copied();
    (open + 1..bytes.len()).find(|&i| bytes.get(i).copied() == mark).unwrap_or(bytes.len().saturating_sub(1))
}

fn name_end(text: &str, mut at: usize) -> usize {
    while text.as_bytes().get(at).is_some_and(|b| b.is_ascii_alphanumeric() || *b == b'_') {
        at += 1;
    }
    at
}

fn skip_blanks(text: &str, mut at: usize) -> usize {
    while matches!(text.as_bytes().get(at), Some(b' ' | b'\t')) {
        at += 1;
    }
    at
}

#[cfg(test)]
#[path = "env_tests.rs"]
mod tests;

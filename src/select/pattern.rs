//! Case-insensitive name patterns for object names, folders and rule parts.
//!
//! Grammar (everything else is a literal character, including `.`, `/`,
//! `\`, `{`, `}`, `,`, spaces and non-ASCII letters):
//!
//! * `*` matches any run of characters, including none and including `/`;
//!   consecutive `*` behave like a single `*` (no `**` path semantics);
//! * `?` matches exactly one character (one Unicode scalar value);
//! * `[abc]`, `[a-z]` match one listed character or range; `[!abc]` (or
//!   `[^abc]`) matches one character that is not listed. A `]` right after
//!   `[` or `[!` is a member, a `-` first or last is a member. A `[` without
//!   a closing `]` is a literal `[`.
//!
//! Matching ignores case. Pure-ASCII patterns matched against pure-ASCII
//! names are run through a compiled [`globset`] matcher. globset compiles
//! to a byte-oriented regex (`?` would match one *byte* and case folding is
//! ASCII-only), so any other combination is matched by a small
//! character-level matcher over the same tokens, which folds case with
//! Unicode simple case mappings (`Pipeline ü` matches `PIPELINE Ü`).

use std::fmt;
use std::ops::Range;

use globset::{GlobBuilder, GlobMatcher};

/// A compiled, case-insensitive name pattern (see the module docs).
#[derive(Clone, Debug)]
pub struct NamePattern {
    text: String,
    kind: Kind,
}

/// An invalid pattern, e.g. a reversed range such as `[z-a]`.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{kind} (at byte {offset})")]
pub struct PatternError {
    /// 0-based byte offset in the pattern text of the offending character.
    pub offset: usize,
    /// What is wrong.
    pub kind: PatternErrorKind,
}

/// What is wrong with a pattern.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PatternErrorKind {
    /// `[z-a]`: a range whose ends are reversed.
    #[error("invalid character range `{lo}-{hi}`: `{lo}` sorts after `{hi}`")]
    ReversedRange {
        /// First character of the range.
        lo: char,
        /// Last character of the range.
        hi: char,
    },
    /// The glob engine refused the pattern.
    #[error("{0}")]
    Glob(String),
}

#[derive(Clone, Debug)]
enum Kind {
    /// No wildcard: case-insensitive equality.
    Literal,
    /// `*` alone: everything.
    Everything,
    /// ASCII text then one `*` (`PL_*`): a case-insensitive prefix test,
    /// the most common wildcard, kept off the regex engine.
    Prefix(String),
    /// Wildcards; `glob` is present when the pattern text is pure ASCII.
    Wild { tokens: Vec<Token>, glob: Option<GlobMatcher> },
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Token {
    /// A literal character, already case-folded.
    Char(char),
    /// `?`
    Any,
    /// A run of one or more `*`.
    Star,
    /// A closed bracket expression.
    Class(Class),
}

#[derive(Clone, Debug, PartialEq, Eq)]
struct Class {
    negated: bool,
    ranges: Vec<(char, char)>,
    /// Byte span of the whole `[...]` in the pattern text.
    span: Range<usize>,
}

impl NamePattern {
    /// Compiles `text`. Fails only on a reversed range inside a closed
    /// bracket expression (e.g. `[z-a]`).
    ///
    /// # Errors
    ///
    /// [`PatternError`] pointing at the start of the reversed range.
    pub fn new(text: &str) -> Result<Self, PatternError> {
        let tokens = tokenize(text)?;
        let kind = if tokens.iter().all(|t| matches!(t, Token::Char(_))) {
            Kind::Literal
        } else if tokens == [Token::Star] {
            Kind::Everything
        } else if let Some(prefix) = ascii_prefix(&tokens) {
            Kind::Prefix(prefix)
        } else {
            let glob = build_glob(text, &tokens)?;
            Kind::Wild { tokens, glob }
        };
        Ok(Self { text: text.to_owned(), kind })
    }

    /// Does `name` match this pattern (ignoring case)?
    #[must_use]
    pub fn matches(&self, name: &str) -> bool {
        match &self.kind {
            Kind::Literal => eq_ignore_case(&self.text, name),
            Kind::Everything => true,
            Kind::Prefix(prefix) => name.get(..prefix.len()).is_some_and(|head| head.eq_ignore_ascii_case(prefix)),
            Kind::Wild { glob: Some(glob), .. } if glob_safe(name) => glob.is_match(name),
            Kind::Wild { tokens, .. } => match_tokens(tokens, name),
        }
    }

    /// `Some(text)` when the pattern has no wildcards; then [`matches`]
    /// is a case-insensitive equality, equivalent to comparing
    /// [`case_key`] of both sides (usable as a hash-index key).
    ///
    /// [`matches`]: NamePattern::matches
    #[must_use]
    pub fn literal(&self) -> Option<&str> {
        matches!(self.kind, Kind::Literal).then_some(self.text.as_str())
    }

    /// The pattern exactly as written.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.text
    }
}

impl fmt::Display for NamePattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

/// Case-folded form of `s`: two strings are equal ignoring case (as
/// [`NamePattern::matches`] sees it for literal patterns) iff their keys
/// are equal.
#[must_use]
pub fn case_key(s: &str) -> String {
    s.chars().map(fold).collect()
}

/// Folds one character: ASCII lowercase, otherwise upper- then lowercase
/// when both mappings are single characters (approximates Unicode simple
/// case folding, e.g. `ς`/`Σ`/`σ` and the Kelvin sign/`k` compare equal).
fn fold(c: char) -> char {
    if c.is_ascii() {
        return c.to_ascii_lowercase();
    }
    let upper = single(c.to_uppercase()).unwrap_or(c);
    single(upper.to_lowercase()).unwrap_or(upper)
}

fn single(mut chars: impl Iterator<Item = char>) -> Option<char> {
    let c = chars.next()?;
    chars.next().is_none().then_some(c)
}

/// `Some(text)` for ASCII literal characters followed by a single trailing `*`.
fn ascii_prefix(tokens: &[Token]) -> Option<String> {
    let (Token::Star, head) = tokens.split_last()? else { return None };
    head.iter()
        .map(|t| match t {
            Token::Char(c) if c.is_ascii() && !c.is_ascii_alphabetic() || c.is_ascii_lowercase() => Some(*c),
            _ => None,
        })
        .collect()
}

fn eq_ignore_case(a: &str, b: &str) -> bool {
    if a.is_ascii() && b.is_ascii() { a.eq_ignore_ascii_case(b) } else { a.chars().map(fold).eq(b.chars().map(fold)) }
}

/// Names globset matches exactly: ASCII (one byte per character) and no
/// `\` (which globset turns into `/` on Windows).
fn glob_safe(name: &str) -> bool {
    name.bytes().all(|b| b.is_ascii() && b != b'\\')
}

fn tokenize(text: &str) -> Result<Vec<Token>, PatternError> {
    let mut tokens = Vec::new();
    let mut i = 0;
    while let Some(c) = text[i..].chars().next() {
        let mut next = i + c.len_utf8();
        let token = match c {
            '*' if tokens.last() == Some(&Token::Star) => None,
            '*' => Some(Token::Star),
            '?' => Some(Token::Any),
            '[' => match parse_class(text, i)? {
                Some(class) => {
                    next = class.span.end;
                    Some(Token::Class(class))
                }
                None => Some(Token::Char('[')),
            },
            c => Some(Token::Char(fold(c))),
        };
        tokens.extend(token);
        i = next;
    }
    Ok(tokens)
}

/// Parses the bracket expression opening at byte `open`; `None` when it is
/// never closed (then the `[` is literal). Mirrors globset's class syntax
/// so the source text can be handed to globset verbatim.
fn parse_class(text: &str, open: usize) -> Result<Option<Class>, PatternError> {
    let body = open + 1;
    let mut chars = text[body..].char_indices().peekable();
    let negated = chars.next_if(|&(_, c)| c == '!' || c == '^').is_some();
    let mut ranges: Vec<(char, char, usize)> = Vec::new();
    let (mut first, mut in_range) = (true, false);
    for (off, c) in chars {
        match (c, ranges.last_mut()) {
            (']', _) if !first => {
                return close_class(negated, ranges, in_range, open..body + off + 1);
            }
            ('-', Some(last)) if in_range => (last.1, in_range) = ('-', false),
            ('-', Some(_)) if !first => in_range = true,
            (c, Some(last)) if in_range => (last.1, in_range) = (c, false),
            (c, _) => ranges.push((c, c, body + off)),
        }
        first = false;
    }
    Ok(None)
}

fn close_class(
    negated: bool,
    mut ranges: Vec<(char, char, usize)>,
    dangling_dash: bool,
    span: Range<usize>,
) -> Result<Option<Class>, PatternError> {
    if dangling_dash {
        ranges.push(('-', '-', span.end - 1));
    }
    if let Some(&(lo, hi, offset)) = ranges.iter().find(|r| r.0 > r.1) {
        return Err(PatternError { offset, kind: PatternErrorKind::ReversedRange { lo, hi } });
    }
    let ranges = ranges.into_iter().map(|(lo, hi, _)| (lo, hi)).collect();
    Ok(Some(Class { negated, ranges, span }))
}

/// Builds the globset matcher for pure-ASCII patterns: literals are
/// backslash-escaped, `*` runs are a single `*`, classes are copied.
fn build_glob(text: &str, tokens: &[Token]) -> Result<Option<GlobMatcher>, PatternError> {
    if !text.is_ascii() {
        return Ok(None);
    }
    let mut source = String::with_capacity(text.len() * 2);
    for token in tokens {
        match token {
            Token::Char(c) => {
                source.push('\\');
                source.push(*c);
            }
            Token::Any => source.push('?'),
            Token::Star => source.push('*'),
            Token::Class(class) => source.push_str(&text[class.span.clone()]),
        }
    }
    let glob = GlobBuilder::new(&source)
        .case_insensitive(true)
        .literal_separator(false)
        .backslash_escape(true)
        .build()
        .map_err(|e| PatternError { offset: 0, kind: PatternErrorKind::Glob(e.to_string()) })?;
    Ok(Some(glob.compile_matcher()))
}

/// Character-level matcher: greedy, remembering only the last `*` (enough
/// for globs, since a later `*` can absorb whatever an earlier one could).
fn match_tokens(tokens: &[Token], name: &str) -> bool {
    let (mut t, mut n) = (0, 0);
    let mut resume: Option<(usize, usize)> = None;
    loop {
        match tokens.get(t) {
            Some(Token::Star) => {
                t += 1;
                resume = Some((t, n));
                continue;
            }
            Some(token) => {
                if let Some(c) = name[n..].chars().next().filter(|&c| token.accepts(c)) {
                    t += 1;
                    n += c.len_utf8();
                    continue;
                }
            }
            None if n == name.len() => return true,
            None => {}
        }
        let Some((star_t, star_n)) = resume else {
            return false;
        };
        let Some(skipped) = name[star_n..].chars().next() else {
            return false;
        };
        (t, n) = (star_t, star_n + skipped.len_utf8());
        resume = Some((t, n));
    }
}

impl Token {
    fn accepts(&self, c: char) -> bool {
        match self {
            Token::Char(f) => fold(c) == *f,
            Token::Any => true,
            Token::Star => false,
            Token::Class(class) => class.accepts(c),
        }
    }
}

impl Class {
    fn accepts(&self, c: char) -> bool {
        let lower = single(c.to_lowercase()).unwrap_or(c);
        let upper = single(c.to_uppercase()).unwrap_or(c);
        let hit = self.ranges.iter().any(|&(lo, hi)| [c, lower, upper].iter().any(|x| (lo..=hi).contains(x)));
        hit != self.negated
    }
}

#[cfg(test)]
#[path = "pattern_tests.rs"]
mod tests;

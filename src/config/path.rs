//! The grammar of a config row's `path` cell.
//!
//! ```text
//! path     := action? ( "$." steps | steps | query )
//! action   := "+" | "-"
//! steps    := segment ( "." segment )*
//! segment  := ( key | quoted ) selector*
//! selector := "[" digits "]" | "[" quoted "]"
//! key      := ( letter | digit | "_" | "-" | "@" )+
//! quoted   := "'" … "'" | '"' … '"'
//! ```
//!
//! Inside a quoted key or name, a doubled quote (`'it''s'`) or a
//! backslash-escaped quote (`'it\'s'`) is a literal quote, and `\\` is a
//! backslash; any other backslash is kept as written. Blanks are allowed just
//! inside brackets (`[ 0 ]`). A path starting with `$` that uses
//! JSONPath-only syntax (`..`, `*`, filters, slices, unions, negative
//! indexes, `$[…]`) is kept as an untouched [`Path::Query`].

use std::fmt;
use std::ops::Range;

/// What a row does with the property it addresses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// No sign: the property must exist and is replaced.
    Update,
    /// `+`: the property is created (or overwritten).
    Add,
    /// `-`: the property must exist and is removed.
    Remove,
}

/// Where the steps of a path start.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Root {
    /// `$.…`: the resource object itself.
    Resource,
    /// No `$`: the resource's `properties` object.
    Properties,
}

/// One step of a path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Segment {
    /// An object key (`typeProperties`, `'GP-String'`).
    Key(String),
    /// An array index (`[0]`).
    Index(usize),
    /// The array element whose `name` property is this (`["Copy Data"]`).
    Named(String),
}

/// A segment with its place in the path cell.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    /// What the step selects.
    pub segment: Segment,
    /// Byte range within the cell text (quotes and brackets included).
    pub span: Range<usize>,
}

/// A parsed path cell.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Path {
    /// A plain path: a list of steps from a root.
    Steps {
        /// The row's action.
        action: Action,
        /// Where the steps start.
        root: Root,
        /// The steps, never empty.
        steps: Vec<Step>,
    },
    /// A JSONPath query, to be evaluated on the resource.
    Query {
        /// The row's action.
        action: Action,
        /// The query as written, without the action sign.
        text: String,
    },
}

/// A syntax error in a path cell.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{kind}")]
pub struct PathError {
    /// Byte offset of the problem in the cell text (action sign included).
    pub offset: usize,
    /// Length in bytes of the offending text (may be 0).
    pub len: usize,
    /// What is wrong.
    pub kind: PathErrorKind,
}

/// What a quoted part of a path is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Quoted {
    /// `'GP-String'`
    Key,
    /// `["Copy Data"]`
    Name,
}

impl fmt::Display for Quoted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(if *self == Quoted::Key { "key" } else { "name" })
    }
}

/// What is wrong with a path.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PathErrorKind {
    /// Nothing (after the action sign).
    #[error("empty path")]
    Empty,
    /// `$` alone.
    #[error("`$` alone is not a path: write `$.properties.…` or a path relative to properties")]
    DollarAlone,
    /// `$` not followed by `.`.
    #[error("expected `.` after `$`")]
    DotAfterDollar,
    /// A final `.`.
    #[error("path ends with `.`")]
    TrailingDot,
    /// `[…]` at the start of a segment.
    #[error("a `[…]` selector must follow a key")]
    SelectorWithoutKey,
    /// `..` outside a JSONPath query.
    #[error("empty segment: unexpected `.`")]
    EmptySegment,
    /// A quote that is never closed.
    #[error("unterminated quoted {what}: missing `{mark}`")]
    UnterminatedQuote {
        /// Key or name.
        what: Quoted,
        /// The quote character.
        mark: char,
    },
    /// `''` or `[""]`.
    #[error("empty quoted {0}")]
    EmptyQuoted(Quoted),
    /// `[` without `]`.
    #[error("unclosed `[`")]
    UnclosedBracket,
    /// Something else where `]` must come.
    #[error("expected `]`, found `{0}`")]
    ExpectedBracket(char),
    /// An index that does not fit.
    #[error("array index `{0}` is too large")]
    IndexTooLarge(String),
    /// `[]`.
    #[error("empty `[]` selector: expected an index or a quoted name")]
    EmptySelector,
    /// `[*]` outside a JSONPath query.
    #[error("`[*]` is JSONPath syntax: a JSONPath query must start with `$`")]
    StarSelector,
    /// `[-1]`.
    #[error("negative array indexes are not supported")]
    NegativeIndex,
    /// Anything else inside `[…]`.
    #[error("expected an index (`[0]`) or a quoted name (`[\"Copy Data\"]`), found `{0}`")]
    BadSelector(char),
    /// A blank inside an unquoted key.
    #[error("unexpected blank in path: quote keys that contain spaces ('My Key')")]
    Blank,
    /// `:` (a PowerShell-style separator).
    #[error("unexpected `:` in path: segments are separated by `.`")]
    Colon,
    /// `*` outside a JSONPath query.
    #[error("`*` is JSONPath syntax: a JSONPath query must start with `$`")]
    Star,
    /// `$` after the start.
    #[error("unexpected `$`: `$` may only start the path")]
    Dollar,
    /// `]` without `[`.
    #[error("unexpected `]` without a matching `[`")]
    UnmatchedBracket,
    /// A quote in the middle of a key.
    #[error("unexpected `{0}` inside a key: quote the whole key")]
    QuoteInKey(char),
    /// Any other character that cannot be in a path.
    #[error("unexpected character `{0}` in path")]
    Unexpected(char),
}

impl Path {
    /// Does the path set a secret-like property (SPEC 2.8)? Only plain paths
    /// can tell; what a JSONPath query matches is known only when it runs.
    pub fn is_secret(&self) -> bool {
        self.secret_key().is_some()
    }

    /// The secret-like key that makes the path set a secret (`password` for
    /// `typeProperties.password.value`).
    pub fn secret_key(&self) -> Option<&str> {
        let Path::Steps { steps, .. } = self else { return None };
        let keys: Vec<&str> = steps
            .iter()
            .filter_map(|s| match &s.segment {
                Segment::Key(k) => Some(k.as_str()),
                _ => None,
            })
            .collect();
        match keys.as_slice() {
            [.., last] if crate::secret::is_secret_key(last) => Some(last),
            [.., parent, last] if last.eq_ignore_ascii_case("value") && crate::secret::is_secret_key(parent) => {
                Some(parent)
            }
            _ => None,
        }
    }
}

/// Parse a path cell (`+typeProperties.url`, `$.properties.a[0]`, …).
pub fn parse(text: &str) -> Result<Path, PathError> {
    let (action, start) = match text.as_bytes().first() {
        Some(b'+') => (Action::Add, 1),
        Some(b'-') => (Action::Remove, 1),
        _ => (Action::Update, 0),
    };
    let rest = text.get(start..).unwrap_or("");
    if rest.is_empty() {
        return Err(error(start, 0, PathErrorKind::Empty));
    }
    if !rest.starts_with('$') {
        let steps = Parser::new(text, start).steps()?;
        return Ok(Path::Steps { action, root: Root::Properties, steps });
    }
    if is_query(rest) {
        return Ok(Path::Query { action, text: rest.to_owned() });
    }
    parse_rooted(text, start, action)
}

/// A `$`-rooted path that is not a JSONPath query.
fn parse_rooted(text: &str, start: usize, action: Action) -> Result<Path, PathError> {
    let rest = text.get(start..).unwrap_or("");
    if rest == "$" {
        return Err(error(start, 1, PathErrorKind::DollarAlone));
    }
    if !rest.starts_with("$.") {
        let len = rest.chars().nth(1).map_or(0, char::len_utf8);
        return Err(error(start + 1, len, PathErrorKind::DotAfterDollar));
    }
    let steps = Parser::new(text, start + 2).steps()?;
    Ok(Path::Steps { action, root: Root::Resource, steps })
}

fn error(offset: usize, len: usize, kind: PathErrorKind) -> PathError {
    PathError { offset, len, kind }
}

/// Display a step list as it would be written (`typeProperties.'GP-String'.value`,
/// `activities["Copy Data"]`, `a[0]`), for messages. Keys are quoted (with
/// `'`) only when they hold characters other than letters, digits, `_` and
/// `@`.
pub fn display_steps(steps: &[Segment]) -> String {
    let mut out = String::new();
    for segment in steps {
        match segment {
            Segment::Key(key) => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(&display_key(key));
            }
            Segment::Index(index) => out.push_str(&format!("[{index}]")),
            Segment::Named(name) => out.push_str(&format!("[{}]", quote(name, '"'))),
        }
    }
    out
}

fn display_key(key: &str) -> String {
    let plain = !key.is_empty() && key.chars().all(|c| c.is_alphanumeric() || c == '_' || c == '@');
    if plain { key.to_owned() } else { quote(key, '\'') }
}

fn quote(text: &str, mark: char) -> String {
    let mut out = String::from(mark);
    for c in text.chars() {
        if c == mark || c == '\\' {
            out.push('\\');
        }
        out.push(c);
    }
    out.push(mark);
    out
}

fn is_key_char(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '_' | '-' | '@')
}

/// Whether a `$`-rooted path uses syntax only a JSONPath query has.
fn is_query(rest: &str) -> bool {
    if rest.starts_with("$[") {
        return true;
    }
    let mut scan = QueryScan::default();
    let chars: Vec<char> = rest.chars().collect();
    chars.iter().enumerate().any(|(i, &c)| scan.step(c, chars.get(i + 1..).unwrap_or_default()))
}

/// State of the JSONPath-syntax detector: open quote and bracket depth.
#[derive(Default)]
struct QueryScan {
    quote: Option<char>,
    escaped: bool,
    depth: usize,
}

impl QueryScan {
    /// Look at `c`, followed by `after`; true when it proves the text is a
    /// query.
    fn step(&mut self, c: char, after: &[char]) -> bool {
        if let Some(mark) = self.quote {
            self.in_quote(c, mark);
            return false;
        }
        match c {
            '\'' | '"' => self.quote = Some(c),
            '*' => return true,
            '.' => return after.first() == Some(&'.'),
            '[' => {
                self.depth += 1;
                let next = after.iter().find(|c| !matches!(c, ' ' | '\t'));
                return matches!(next, Some('?' | '(' | '-' | ':'));
            }
            ']' => self.depth = self.depth.saturating_sub(1),
            ':' | ',' => return self.depth > 0,
            _ => {}
        }
        false
    }

    fn in_quote(&mut self, c: char, mark: char) {
        if self.escaped {
            self.escaped = false;
        } else if c == '\\' {
            self.escaped = true;
        } else if c == mark {
            self.quote = None;
        }
    }
}

/// Recursive-descent parser over the steps of a path cell.
struct Parser<'a> {
    text: &'a str,
    pos: usize,
    steps: Vec<Step>,
}

impl<'a> Parser<'a> {
    fn new(text: &'a str, pos: usize) -> Self {
        Parser { text, pos, steps: Vec::new() }
    }

    fn peek(&self) -> Option<char> {
        self.text.get(self.pos..).and_then(|rest| rest.chars().next())
    }

    fn peek_at(&self, offset: usize) -> Option<char> {
        self.text.get(self.pos + offset..).and_then(|rest| rest.chars().next())
    }

    fn steps(mut self) -> Result<Vec<Step>, PathError> {
        loop {
            self.segment()?;
            match self.peek() {
                None => return Ok(self.steps),
                Some('.') if self.peek_at(1).is_none() => {
                    return Err(error(self.pos, 1, PathErrorKind::TrailingDot));
                }
                Some('.') => self.pos += 1,
                Some(c) => return Err(self.unexpected(c)),
            }
        }
    }

    fn segment(&mut self) -> Result<(), PathError> {
        let start = self.pos;
        let key = match self.peek() {
            Some(mark @ ('\'' | '"')) => self.quoted(mark, Quoted::Key)?,
            Some(c) if is_key_char(c) => self.key(),
            Some('[') => {
                return Err(error(start, 1, PathErrorKind::SelectorWithoutKey));
            }
            Some('.') => return Err(error(start, 1, PathErrorKind::EmptySegment)),
            Some(c) => return Err(self.unexpected(c)),
            None => return Err(error(start, 0, PathErrorKind::Empty)),
        };
        self.push(Segment::Key(key), start);
        while self.peek() == Some('[') {
            self.selector()?;
        }
        Ok(())
    }

    fn push(&mut self, segment: Segment, start: usize) {
        self.steps.push(Step { segment, span: start..self.pos });
    }

    fn key(&mut self) -> String {
        let start = self.pos;
        while self.peek().is_some_and(is_key_char) {
            self.pos += self.peek().map_or(1, char::len_utf8);
        }
        self.text.get(start..self.pos).unwrap_or("").to_owned()
    }

    /// A quoted key or name starting at the opening `mark`.
    fn quoted(&mut self, mark: char, what: Quoted) -> Result<String, PathError> {
        let start = self.pos;
        self.pos += 1;
        let mut out = String::new();
        loop {
            let Some(c) = self.peek() else {
                return Err(error(start, 1, PathErrorKind::UnterminatedQuote { what, mark }));
            };
            let next = self.peek_at(1);
            if (c == '\\' && (next == Some(mark) || next == Some('\\'))) || (c == mark && next == Some(mark)) {
                out.push(next.unwrap_or(mark));
                self.pos += 2;
            } else if c == mark {
                self.pos += 1;
                break;
            } else {
                out.push(c);
                self.pos += c.len_utf8();
            }
        }
        if out.is_empty() {
            return Err(error(start, self.pos - start, PathErrorKind::EmptyQuoted(what)));
        }
        Ok(out)
    }

    fn skip_blanks(&mut self) {
        while matches!(self.peek(), Some(' ' | '\t')) {
            self.pos += 1;
        }
    }

    /// A `[0]` or `["name"]` selector; the cursor is on the `[`.
    fn selector(&mut self) -> Result<(), PathError> {
        let start = self.pos;
        self.pos += 1;
        self.skip_blanks();
        let segment = match self.peek() {
            Some(c) if c.is_ascii_digit() => Segment::Index(self.index()?),
            Some(mark @ ('\'' | '"')) => Segment::Named(self.quoted(mark, Quoted::Name)?),
            Some(c) => return Err(self.bad_selector(c)),
            None => return Err(error(start, 1, PathErrorKind::UnclosedBracket)),
        };
        self.skip_blanks();
        match self.peek() {
            Some(']') => self.pos += 1,
            Some(c) => {
                return Err(error(self.pos, c.len_utf8(), PathErrorKind::ExpectedBracket(c)));
            }
            None => return Err(error(start, 1, PathErrorKind::UnclosedBracket)),
        }
        self.push(segment, start);
        Ok(())
    }

    fn index(&mut self) -> Result<usize, PathError> {
        let start = self.pos;
        while self.peek().is_some_and(|c| c.is_ascii_digit()) {
            self.pos += 1;
        }
        let digits = self.text.get(start..self.pos).unwrap_or("");
        digits.parse().map_err(|_| error(start, digits.len(), PathErrorKind::IndexTooLarge(digits.to_string())))
    }

    fn bad_selector(&self, c: char) -> PathError {
        let kind = match c {
            ']' => PathErrorKind::EmptySelector,
            '*' => PathErrorKind::StarSelector,
            '-' => PathErrorKind::NegativeIndex,
            _ => PathErrorKind::BadSelector(c),
        };
        error(self.pos, c.len_utf8(), kind)
    }

    fn unexpected(&self, c: char) -> PathError {
        let kind = match c {
            ' ' | '\t' => PathErrorKind::Blank,
            ':' => PathErrorKind::Colon,
            '*' => PathErrorKind::Star,
            '$' => PathErrorKind::Dollar,
            ']' => PathErrorKind::UnmatchedBracket,
            '\'' | '"' => PathErrorKind::QuoteInKey(c),
            _ => PathErrorKind::Unexpected(c),
        };
        error(self.pos, c.len_utf8(), kind)
    }
}

#[cfg(test)]
#[path = "path_tests.rs"]
mod tests;

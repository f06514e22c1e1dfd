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
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PathError {
    /// Byte offset of the problem in the cell text (action sign included).
    pub offset: usize,
    /// Length in bytes of the offending text (may be 0).
    pub len: usize,
    /// Human-readable description.
    pub message: String,
}

impl fmt::Display for PathError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for PathError {}

/// Parse a path cell (`+typeProperties.url`, `$.properties.a[0]`, …).
pub fn parse(text: &str) -> Result<Path, PathError> {
    let (action, start) = match text.as_bytes().first() {
        Some(b'+') => (Action::Add, 1),
        Some(b'-') => (Action::Remove, 1),
        _ => (Action::Update, 0),
    };
    let rest = text.get(start..).unwrap_or("");
    if rest.is_empty() {
        return Err(error(start, 0, "empty path".to_owned()));
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
        let message = "`$` alone is not a path: write `$.properties.…` or a path relative to properties";
        return Err(error(start, 1, message.to_owned()));
    }
    if !rest.starts_with("$.") {
        let len = rest.chars().nth(1).map_or(0, char::len_utf8);
        return Err(error(start + 1, len, "expected `.` after `$`".to_owned()));
    }
    let steps = Parser::new(text, start + 2).steps()?;
    Ok(Path::Steps { action, root: Root::Resource, steps })
}

fn error(offset: usize, len: usize, message: String) -> PathError {
    PathError { offset, len, message }
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
                    return Err(error(self.pos, 1, "path ends with `.`".to_owned()));
                }
                Some('.') => self.pos += 1,
                Some(c) => return Err(self.unexpected(c)),
            }
        }
    }

    fn segment(&mut self) -> Result<(), PathError> {
        let start = self.pos;
        let key = match self.peek() {
            Some(mark @ ('\'' | '"')) => self.quoted(mark, "key")?,
            Some(c) if is_key_char(c) => self.key(),
            Some('[') => {
                return Err(error(start, 1, "a `[…]` selector must follow a key".to_owned()));
            }
            Some('.') => return Err(error(start, 1, "empty segment: unexpected `.`".to_owned())),
            Some(c) => return Err(self.unexpected(c)),
            None => return Err(error(start, 0, "empty path".to_owned())),
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
    fn quoted(&mut self, mark: char, what: &str) -> Result<String, PathError> {
        let start = self.pos;
        self.pos += 1;
        let mut out = String::new();
        loop {
            let Some(c) = self.peek() else {
                return Err(error(start, 1, format!("unterminated quoted {what}: missing `{mark}`")));
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
            return Err(error(start, self.pos - start, format!("empty quoted {what}")));
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
            Some(mark @ ('\'' | '"')) => Segment::Named(self.quoted(mark, "name")?),
            Some(c) => return Err(self.bad_selector(c)),
            None => return Err(error(start, 1, "unclosed `[`".to_owned())),
        };
        self.skip_blanks();
        match self.peek() {
            Some(']') => self.pos += 1,
            Some(c) => {
                return Err(error(self.pos, c.len_utf8(), format!("expected `]`, found `{c}`")));
            }
            None => return Err(error(start, 1, "unclosed `[`".to_owned())),
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
        digits.parse().map_err(|_| error(start, digits.len(), format!("array index `{digits}` is too large")))
    }

    fn bad_selector(&self, c: char) -> PathError {
        let message = match c {
            ']' => "empty `[]` selector: expected an index or a quoted name".to_owned(),
            '*' => "`[*]` is JSONPath syntax: a JSONPath query must start with `$`".to_owned(),
            '-' => "negative array indexes are not supported".to_owned(),
            _ => format!("expected an index (`[0]`) or a quoted name (`[\"Copy Data\"]`), found `{c}`"),
        };
        error(self.pos, c.len_utf8(), message)
    }

    fn unexpected(&self, c: char) -> PathError {
        let message = match c {
            ' ' | '\t' => "unexpected blank in path: quote keys that contain spaces ('My Key')".to_owned(),
            ':' => "unexpected `:` in path: segments are separated by `.`".to_owned(),
            '*' => "`*` is JSONPath syntax: a JSONPath query must start with `$`".to_owned(),
            '$' => "unexpected `$`: `$` may only start the path".to_owned(),
            ']' => "unexpected `]` without a matching `[`".to_owned(),
            '\'' | '"' => format!("unexpected `{c}` inside a key: quote the whole key"),
            _ => format!("unexpected character `{c}` in path"),
        };
        error(self.pos, c.len_utf8(), message)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn steps(text: &str) -> (Action, Root, Vec<Segment>) {
        match parse(text) {
            Ok(Path::Steps { action, root, steps }) => (action, root, steps.into_iter().map(|s| s.segment).collect()),
            other => panic!("{text}: {other:?}"),
        }
    }

    fn key(k: &str) -> Segment {
        Segment::Key(k.to_owned())
    }

    fn named(n: &str) -> Segment {
        Segment::Named(n.to_owned())
    }

    fn err(text: &str) -> PathError {
        match parse(text) {
            Err(e) => e,
            Ok(p) => panic!("{text}: parsed as {p:?}"),
        }
    }

    fn query(text: &str) -> (Action, String) {
        match parse(text) {
            Ok(Path::Query { action, text }) => (action, text),
            other => panic!("{text}: {other:?}"),
        }
    }

    #[test]
    fn plain_path_is_relative_to_properties() {
        let (action, root, segs) = steps("typeProperties.recurrence.interval");
        assert_eq!((action, root), (Action::Update, Root::Properties));
        assert_eq!(segs, [key("typeProperties"), key("recurrence"), key("interval")]);
        assert_eq!(steps("parameters.WaitInSec").2, [key("parameters"), key("WaitInSec")]);
    }

    #[test]
    fn action_signs() {
        let (action, root, segs) = steps("-typeProperties.encryptedCredential");
        assert_eq!((action, root), (Action::Remove, Root::Properties));
        assert_eq!(segs, [key("typeProperties"), key("encryptedCredential")]);
        let (action, root, segs) = steps("+$.properties.typeProperties.existingClusterId");
        assert_eq!((action, root), (Action::Add, Root::Resource));
        assert_eq!(segs.len(), 3);
    }

    #[test]
    fn dollar_dot_is_relative_to_resource() {
        let (_, root, segs) = steps("$.dependsOn");
        assert_eq!((root, segs), (Root::Resource, vec![key("dependsOn")]));
    }

    #[test]
    fn quoted_keys() {
        let segs = steps("$.properties.globalParameters.'GP-String'.value").2;
        assert_eq!(segs, [key("properties"), key("globalParameters"), key("GP-String"), key("value")]);
        assert_eq!(steps("$.properties.globalParameters.'ENV'.value").2[2], key("ENV"));
        assert_eq!(steps("a.\"x.y [z]\".b").2[1], key("x.y [z]"));
        assert_eq!(steps("'it''s'.'a\\'b'.'c\\\\'.'d\\e'").2, [key("it's"), key("a'b"), key("c\\"), key("d\\e")]);
    }

    #[test]
    fn unquoted_keys_accept_unicode_dash_and_at() {
        assert_eq!(steps("caf\u{e9}.GP-Int.@odata").2, [key("caf\u{e9}"), key("GP-Int"), key("@odata")]);
    }

    #[test]
    fn selectors_and_chains() {
        let segs = steps("activities[1].typeProperties.ifTrueActivities[0].name").2;
        assert_eq!(segs[1], Segment::Index(1));
        assert_eq!(segs[4], Segment::Index(0));
        let segs = steps("activities[\"If\"].typeProperties.ifTrueActivities['Wait 3'].name").2;
        assert_eq!(
            segs,
            [
                key("activities"),
                named("If"),
                key("typeProperties"),
                key("ifTrueActivities"),
                named("Wait 3"),
                key("name")
            ]
        );
        assert_eq!(steps("a[0][1]").2, [key("a"), Segment::Index(0), Segment::Index(1)]);
        assert_eq!(steps("a[\"x\"][ 0 ]").2, [key("a"), named("x"), Segment::Index(0)]);
        assert_eq!(steps("'GP-Array'[2]").2, [key("GP-Array"), Segment::Index(2)]);
    }

    #[test]
    fn step_spans_are_offsets_in_the_cell() {
        let Ok(Path::Steps { steps, .. }) = parse("+$.a['Copy Data'].'b-c'[10]") else { panic!() };
        let spans: Vec<_> = steps.iter().map(|s| s.span.clone()).collect();
        assert_eq!(spans, [3..4, 4..17, 18..23, 23..27]);
    }

    #[test]
    fn wrong_separator_points_at_it() {
        let e = err("typeProperties:baseUrl");
        assert_eq!((e.offset, e.len), (14, 1));
        assert!(e.message.contains('.'));
        assert_eq!(err("+a.b c").offset, 4);
        assert_eq!(err("a]").offset, 1);
        assert_eq!(err("a.$b").offset, 2);
        assert_eq!(err("caf\u{e9}/x").offset, 5);
    }

    #[test]
    fn structural_errors() {
        assert!(err("$").message.contains("alone"));
        assert_eq!(err("-$").offset, 1);
        assert_eq!((err("$x").offset, err("$x").len), (1, 1));
        assert_eq!(err("$\u{e9}").len, 2);
        assert_eq!(err("+").message, "empty path");
        assert_eq!(err("").offset, 0);
        assert_eq!(err("$.").offset, 2);
        assert_eq!(err("a..b").offset, 2);
        assert_eq!(err("a.").offset, 1);
        assert_eq!(err(".a").offset, 0);
        assert_eq!(err("[0].a").offset, 0);
        assert_eq!(err("a.[0]").offset, 2);
    }

    #[test]
    fn selector_errors() {
        assert_eq!(err("a[]").offset, 2);
        assert_eq!(err("a[x]").offset, 2);
        assert_eq!(err("a[0").offset, 1);
        assert_eq!(err("a[0x]").offset, 3);
        assert_eq!(err("a['x").offset, 2);
        assert_eq!(err("a['']").offset, 2);
        assert_eq!(err("a[-1]").offset, 2);
        assert!(err("a[*]").message.contains("JSONPath"));
        assert!(err("a.*").message.contains("JSONPath"));
        assert!(err("a[99999999999999999999999]").message.contains("too large"));
    }

    #[test]
    fn jsonpath_queries_are_kept_verbatim() {
        let q = "$.properties.activities[?(@.type=='Copy')].policy.timeout";
        assert_eq!(query(q), (Action::Update, q.to_owned()));
        assert_eq!(query("$..url"), (Action::Update, "$..url".to_owned()));
        assert_eq!(query("+$.a.*.b").0, Action::Add);
        assert_eq!(query("-$.a[*]"), (Action::Remove, "$.a[*]".to_owned()));
        for q in ["$.a[0:2]", "$.a[0,1]", "$.a['x','y']", "$.a[-1]", "$['properties']", "$.a[ ?(@.x)]"] {
            assert_eq!(query(q).1, q);
        }
    }

    #[test]
    fn quoted_text_does_not_make_a_query() {
        let segs = steps("$.properties.'a..b*'.c[\"x,y:z\"]").2;
        assert_eq!(segs, [key("properties"), key("a..b*"), key("c"), named("x,y:z")]);
    }

    #[test]
    fn display_quotes_only_when_needed() {
        let segs = [key("typeProperties"), key("GP-String"), key("value")];
        assert_eq!(display_steps(&segs), "typeProperties.'GP-String'.value");
        assert_eq!(display_steps(&[key("activities"), named("Copy Data")]), "activities[\"Copy Data\"]");
        assert_eq!(display_steps(&[key("a"), Segment::Index(0)]), "a[0]");
        assert_eq!(display_steps(&[key("it's"), named("say \"hi\"")]), "'it\\'s'[\"say \\\"hi\\\"\"]");
        assert_eq!(display_steps(&[]), "");
    }

    #[test]
    fn display_round_trips() {
        let segs = vec![key("a b"), named("x'y\"z\\"), Segment::Index(3), key("caf\u{e9}"), key("c\\")];
        assert_eq!(steps(&display_steps(&segs)).2, segs);
    }
}

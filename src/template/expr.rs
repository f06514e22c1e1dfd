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
//! Everything here is total over its input: malformed text yields an
//! [`ExprError`] or `None`, never a panic, and nesting is capped so that
//! hostile input cannot overflow the stack.

use std::borrow::Cow;
use std::fmt;

/// Maximum nesting height of a parsed expression tree (calls, member
/// accesses and indexing all count one level each).
pub const MAX_DEPTH: usize = 256;

/// Maximum number of chained `variables(..)` resolutions during evaluation;
/// deeper chains (including cycles) evaluate to `None`.
pub const MAX_VARIABLE_HOPS: usize = 32;

/// Maximum recursion depth of the evaluator across variable resolutions.
const MAX_EVAL_DEPTH: usize = 2 * MAX_DEPTH;

// ---------------------------------------------------------------------------
// Classification and escaping
// ---------------------------------------------------------------------------

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

// ---------------------------------------------------------------------------
// Syntax tree and errors
// ---------------------------------------------------------------------------

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
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExprError {
    /// Byte offset of the offending input. For [`parse`] it is relative to
    /// the inner text passed in; for [`parse_value`] and [`refs_in_value`]
    /// it is relative to the whole JSON string value.
    pub offset: usize,
    /// Human-readable description.
    pub message: String,
}

impl fmt::Display for ExprError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} (at byte {})", self.message, self.offset)
    }
}

impl std::error::Error for ExprError {}

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

// ---------------------------------------------------------------------------
// Parser
// ---------------------------------------------------------------------------

/// Parse the inner text of an expression (what [`classify`] returned in
/// `Expression(..)`). All input must be consumed; errors carry the byte
/// offset (into `inner`) of the offending input. Nesting deeper than
/// [`MAX_DEPTH`] is an error.
///
/// # Errors
/// Returns an [`ExprError`] for any syntax error, trailing input, or
/// excessive nesting.
pub fn parse(inner: &str) -> Result<Expr, ExprError> {
    let mut p = Parser { src: inner, pos: 0 };
    let (expr, _) = p.expr(1)?;
    p.skip_ws();
    match p.peek() {
        None => Ok(expr),
        Some(c) => Err(p.err(format!("unexpected {} after the expression", describe(c)))),
    }
}

/// Parse a full JSON string value: `Ok(None)` when it is a literal,
/// `Ok(Some(expr))` for an expression. Error offsets are relative to `s`
/// (i.e. one more than the offset into the inner text).
///
/// # Errors
/// As [`parse`], for expressions that do not parse.
pub fn parse_value(s: &str) -> Result<Option<Expr>, ExprError> {
    match classify(s) {
        StrKind::Literal(_) => Ok(None),
        StrKind::Expression(inner) => {
            parse(inner).map(Some).map_err(|e| ExprError { offset: e.offset + 1, message: e.message })
        }
    }
}

/// Report all parameter/variable names referenced by a JSON string value
/// (decoded), as [`Expr::visit_refs`] does. Reports nothing for literals;
/// a string that fails to parse yields `Err` (offsets relative to `s`).
///
/// # Errors
/// As [`parse_value`]; nothing is reported to `f` in that case.
pub fn refs_in_value(s: &str, f: &mut dyn FnMut(RefKind, &str)) -> Result<(), ExprError> {
    if !s.starts_with('[') {
        return Ok(());
    }
    if let Some(expr) = parse_value(s)? {
        expr.visit_refs(f);
    }
    Ok(())
}

/// Recursive-descent parser over the inner expression text. `pos` is always
/// on a char boundary.
struct Parser<'a> {
    src: &'a str,
    pos: usize,
}

/// A parsed node with the height of its subtree.
type Parsed = (Expr, usize);

fn err_at(offset: usize, message: String) -> ExprError {
    ExprError { offset, message }
}

fn too_deep(offset: usize) -> ExprError {
    err_at(offset, format!("expression nested deeper than {MAX_DEPTH} levels"))
}

fn describe(c: char) -> String {
    format!("character '{c}'")
}

fn is_ident_start(c: char) -> bool {
    c.is_ascii_alphabetic() || c == '_' || c == '$'
}

fn is_ident_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_' || c == '$'
}

impl<'a> Parser<'a> {
    fn rest(&self) -> &'a str {
        self.src.get(self.pos..).unwrap_or("")
    }

    fn peek(&self) -> Option<char> {
        self.rest().chars().next()
    }

    fn skip_ws(&mut self) {
        let rest = self.rest();
        self.pos += rest.len() - rest.trim_start().len();
    }

    fn err(&self, message: String) -> ExprError {
        err_at(self.pos, message)
    }

    fn found(&self) -> String {
        self.peek().map_or_else(|| "end of input".to_string(), describe)
    }

    /// Consume `c` (after whitespace) if it is next.
    fn eat(&mut self, c: char) -> bool {
        self.skip_ws();
        if self.peek() == Some(c) {
            self.pos += c.len_utf8();
            true
        } else {
            false
        }
    }

    /// `expr := primary ( '.' ident | '[' expr ']' )*`
    fn expr(&mut self, depth: usize) -> Result<Parsed, ExprError> {
        self.skip_ws();
        if depth > MAX_DEPTH {
            return Err(too_deep(self.pos));
        }
        let (mut expr, mut height) = self.primary(depth)?;
        loop {
            self.skip_ws();
            let start = self.pos;
            if self.eat('.') {
                let name = self.member_name()?;
                expr = Expr::Member { base: Box::new(expr), name };
                height += 1;
            } else if self.eat('[') {
                let (index, h) = self.expr(depth + 1)?;
                if !self.eat(']') {
                    return Err(self.err(format!("expected ']' to close index, found {}", self.found())));
                }
                expr = Expr::Index { base: Box::new(expr), index: Box::new(index) };
                height = height.max(h) + 1;
            } else {
                return Ok((expr, height));
            }
            if height > MAX_DEPTH {
                return Err(too_deep(start));
            }
        }
    }

    fn member_name(&mut self) -> Result<String, ExprError> {
        self.skip_ws();
        let name = self.take_while(is_ident_char);
        if name.is_empty() {
            return Err(self.err(format!("expected a property name after '.', found {}", self.found())));
        }
        Ok(name.to_string())
    }

    fn take_while(&mut self, pred: fn(char) -> bool) -> &'a str {
        let rest = self.rest();
        let len = rest.find(|c| !pred(c)).unwrap_or(rest.len());
        self.pos += len;
        rest.get(..len).unwrap_or("")
    }

    fn primary(&mut self, depth: usize) -> Result<Parsed, ExprError> {
        match self.peek() {
            None => Err(self.err("expected an expression, found end of input".to_string())),
            Some('\'') => self.string().map(|s| (Expr::Str(s), 1)),
            Some(c) if c == '-' || c.is_ascii_digit() => self.int().map(|i| (Expr::Int(i), 1)),
            Some(c) if is_ident_start(c) => self.call(depth),
            Some(c) => Err(self.err(format!("expected an expression, found {}", describe(c)))),
        }
    }

    fn string(&mut self) -> Result<String, ExprError> {
        let start = self.pos;
        self.pos += 1;
        let mut out = String::new();
        loop {
            let rest = self.rest();
            let Some(q) = rest.find('\'') else {
                return Err(err_at(start, "unterminated string literal".to_string()));
            };
            out.push_str(rest.get(..q).unwrap_or(""));
            self.pos += q + 1;
            if self.peek() == Some('\'') {
                out.push('\'');
                self.pos += 1;
            } else {
                return Ok(out);
            }
        }
    }

    fn int(&mut self) -> Result<i64, ExprError> {
        let start = self.pos;
        if self.peek() == Some('-') {
            self.pos += 1;
        }
        if self.take_while(|c| c.is_ascii_digit()).is_empty() {
            return Err(self.err(format!("expected digits after '-', found {}", self.found())));
        }
        let text = self.src.get(start..self.pos).unwrap_or("");
        text.parse().map_err(|_| err_at(start, format!("integer '{text}' is out of range")))
    }

    /// `call := ident ('.' ident)? '(' (expr (',' expr)*)? ')'`
    fn call(&mut self, depth: usize) -> Result<Parsed, ExprError> {
        let start = self.pos;
        let first = self.take_while(is_ident_char);
        let name = match self.user_function(first) {
            Some(name) => name,
            None if self.eat('(') => first.to_string(),
            None => {
                let found = self.found();
                return Err(self.err(format!("expected '(' after function name '{first}', found {found}")));
            }
        };
        let (args, height) = self.args(&name, start, depth)?;
        Ok((Expr::Call { name, args }, height))
    }

    /// Try `'.' ident '('` after namespace `ns` (a user-defined function);
    /// on success the `(` is consumed, otherwise nothing is.
    fn user_function(&mut self, ns: &str) -> Option<String> {
        let save = self.pos;
        if self.eat('.') {
            self.skip_ws();
            let name = self.take_while(is_ident_char);
            if !name.is_empty() && self.eat('(') {
                return Some(format!("{ns}.{name}"));
            }
        }
        self.pos = save;
        None
    }

    /// Arguments after the opening parenthesis, through the closing one.
    fn args(&mut self, name: &str, start: usize, depth: usize) -> Result<(Vec<Expr>, usize), ExprError> {
        let mut args = Vec::new();
        let mut height = 1;
        if self.eat(')') {
            return Ok((args, height));
        }
        loop {
            let (arg, h) = self.expr(depth + 1)?;
            args.push(arg);
            height = height.max(h + 1);
            if height > MAX_DEPTH {
                return Err(too_deep(start));
            }
            if self.eat(')') {
                return Ok((args, height));
            }
            if !self.eat(',') {
                return Err(self.err(format!("expected ',' or ')' in call to '{name}', found {}", self.found())));
            }
        }
    }
}

// ---------------------------------------------------------------------------
// Symbolic evaluation
// ---------------------------------------------------------------------------

/// A piece of a symbolically evaluated string.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Piece {
    /// Known text.
    Text(String),
    /// The value of template parameter with this name (as written).
    Param(String),
}

/// Template context needed by the evaluator.
pub trait Scope {
    /// Raw JSON string value of template variable `name`, if it is a string
    /// variable.
    fn variable(&self, name: &str) -> Option<&str>;
}

/// A scope with no variables.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoVariables;

impl Scope for NoVariables {
    fn variable(&self, _name: &str) -> Option<&str> {
        None
    }
}

impl<S: std::hash::BuildHasher> Scope for std::collections::HashMap<String, String, S> {
    fn variable(&self, name: &str) -> Option<&str> {
        self.get(name).map(String::as_str)
    }
}

impl Scope for std::collections::BTreeMap<String, String> {
    fn variable(&self, name: &str) -> Option<&str> {
        self.get(name).map(String::as_str)
    }
}

/// Evaluate to a sequence of pieces. Adjacent `Text` pieces are merged and
/// empty text is dropped (so `''` evaluates to an empty vector).
///
/// Supports string and integer literals, `parameters('P')`, `variables('V')`
/// (resolved through `scope` and evaluated recursively, at most
/// [`MAX_VARIABLE_HOPS`] deep), `concat`, `format` (`{n}` placeholders,
/// `{{`/`}}` escapes) and `resourceId` (yielding `Ns/t1/n1/t2/n2...`
/// without any subscription/resource-group prefix). Anything else — unknown
/// functions, member access, indexing, malformed arguments — gives `None`.
#[must_use]
pub fn eval_pieces(expr: &Expr, scope: &dyn Scope) -> Option<Vec<Piece>> {
    Evaluator { scope }.eval(expr, 0, 0)
}

/// Evaluate a whole JSON string value: a literal becomes its text, an
/// expression is parsed and evaluated as in [`eval_pieces`]. Unparseable
/// expressions give `None`.
#[must_use]
pub fn eval_value(value: &str, scope: &dyn Scope) -> Option<Vec<Piece>> {
    Evaluator { scope }.eval_str(value, 0, 0)
}

/// If the pieces are pure text (no parameters), return it.
#[must_use]
pub fn pieces_text(pieces: &[Piece]) -> Option<&str> {
    match pieces {
        [] => Some(""),
        [Piece::Text(t)] => Some(t),
        _ => None,
    }
}

fn push_text(out: &mut Vec<Piece>, s: &str) {
    if s.is_empty() {
        return;
    }
    if let Some(Piece::Text(last)) = out.last_mut() {
        last.push_str(s);
    } else {
        out.push(Piece::Text(s.to_string()));
    }
}

fn extend_pieces(out: &mut Vec<Piece>, pieces: &[Piece]) {
    for piece in pieces {
        match piece {
            Piece::Text(t) => push_text(out, t),
            Piece::Param(p) => out.push(Piece::Param(p.clone())),
        }
    }
}

struct Evaluator<'s> {
    scope: &'s dyn Scope,
}

impl Evaluator<'_> {
    fn eval(&self, expr: &Expr, depth: usize, hops: usize) -> Option<Vec<Piece>> {
        if depth > MAX_EVAL_DEPTH {
            return None;
        }
        let mut out = Vec::new();
        match expr {
            Expr::Str(s) => push_text(&mut out, s),
            Expr::Int(i) => push_text(&mut out, &i.to_string()),
            Expr::Call { name, args } => return self.call(name, args, depth + 1, hops),
            Expr::Member { .. } | Expr::Index { .. } => return None,
        }
        Some(out)
    }

    fn eval_str(&self, value: &str, depth: usize, hops: usize) -> Option<Vec<Piece>> {
        match classify(value) {
            StrKind::Literal(text) => {
                let mut out = Vec::new();
                push_text(&mut out, &text);
                Some(out)
            }
            StrKind::Expression(inner) => self.eval(&parse(inner).ok()?, depth + 1, hops),
        }
    }

    fn eval_all(&self, args: &[Expr], depth: usize, hops: usize) -> Option<Vec<Vec<Piece>>> {
        args.iter().map(|a| self.eval(a, depth, hops)).collect()
    }

    fn text(&self, arg: &Expr, depth: usize, hops: usize) -> Option<String> {
        let pieces = self.eval(arg, depth, hops)?;
        pieces_text(&pieces).map(str::to_string)
    }

    fn call(&self, name: &str, args: &[Expr], depth: usize, hops: usize) -> Option<Vec<Piece>> {
        match name.to_ascii_lowercase().as_str() {
            "parameters" => {
                let [arg] = args else { return None };
                Some(vec![Piece::Param(self.text(arg, depth, hops)?)])
            }
            "variables" => {
                let [arg] = args else { return None };
                if hops >= MAX_VARIABLE_HOPS {
                    return None;
                }
                let raw = self.scope.variable(&self.text(arg, depth, hops)?)?;
                self.eval_str(raw, depth, hops + 1)
            }
            "concat" if !args.is_empty() => {
                let mut out = Vec::new();
                for part in self.eval_all(args, depth, hops)? {
                    extend_pieces(&mut out, &part);
                }
                Some(out)
            }
            "format" => {
                let (fmt, rest) = args.split_first()?;
                let fmt = self.text(fmt, depth, hops)?;
                format_pieces(&fmt, &self.eval_all(rest, depth, hops)?)
            }
            "resourceid" => resource_id_pieces(&self.eval_all(args, depth, hops)?),
            _ => None,
        }
    }
}

/// Apply a .NET-style composite format string with `{n}` placeholders.
/// Format specifiers/alignment (`{0:D}`, `{0,5}`) are not supported.
fn format_pieces(fmt: &str, values: &[Vec<Piece>]) -> Option<Vec<Piece>> {
    let mut out = Vec::new();
    let mut rest = fmt;
    while let Some(i) = rest.find(['{', '}']) {
        push_text(&mut out, rest.get(..i)?);
        let tail = rest.get(i..)?;
        if let Some(after) = tail.strip_prefix("{{") {
            push_text(&mut out, "{");
            rest = after;
        } else if let Some(after) = tail.strip_prefix("}}") {
            push_text(&mut out, "}");
            rest = after;
        } else if tail.starts_with('{') {
            let close = tail.find('}')?;
            let index: usize = tail.get(1..close)?.trim().parse().ok()?;
            extend_pieces(&mut out, values.get(index)?);
            rest = tail.get(close + 1..)?;
        } else {
            return None;
        }
    }
    push_text(&mut out, rest);
    Some(out)
}

/// `resourceId([subscriptionId], [resourceGroupName], type, names...)`:
/// the type is the first pure-text argument containing `/`; its segments
/// after the namespace are interleaved with the names.
fn resource_id_pieces(values: &[Vec<Piece>]) -> Option<Vec<Piece>> {
    let pos = values.iter().position(|v| pieces_text(v).is_some_and(|t| t.contains('/')))?;
    let (_, tail) = values.split_at(pos);
    let (ty, names) = tail.split_first()?;
    let mut segments = pieces_text(ty)?.split('/');
    let namespace = segments.next()?;
    let types: Vec<&str> = segments.collect();
    if namespace.is_empty() || types.len() != names.len() || types.iter().any(|t| t.is_empty()) {
        return None;
    }
    let mut out = Vec::new();
    push_text(&mut out, namespace);
    for (ty, name) in types.iter().zip(names) {
        push_text(&mut out, "/");
        push_text(&mut out, ty);
        push_text(&mut out, "/");
        extend_pieces(&mut out, name);
    }
    Some(out)
}

// ---------------------------------------------------------------------------
// ADF-specific helpers
// ---------------------------------------------------------------------------

/// The ADF resource type prefix that precedes the factory name.
const FACTORY_TYPE: &str = "microsoft.datafactory/factories/";

/// Split `/a/b/c` into `["a", "b", "c"]`; `""` gives `[]`. Anything not
/// starting with `/`, or with an empty segment, gives `None`.
fn slash_segments(text: &str) -> Option<Vec<String>> {
    if text.is_empty() {
        return Some(Vec::new());
    }
    text.strip_prefix('/')?.split('/').map(|s| (!s.is_empty()).then(|| s.to_string())).collect()
}

fn is_param(piece: &Piece, name: &str) -> bool {
    matches!(piece, Piece::Param(p) if p.eq_ignore_ascii_case(name))
}

/// The name segments of an ADF resource `name` value, after the factory.
///
/// `[concat(parameters('factoryName'), '/default/mpe_sql')]` ->
/// `["default", "mpe_sql"]`; `[parameters('factoryName')]` -> `[]` (the
/// factory itself); a literal `myfactory/PL_A` -> `["PL_A"]` (the first
/// segment is the factory). The factory parameter name is compared
/// case-insensitively, as ARM does. Empty segments or any other shape give
/// `None`.
#[must_use]
pub fn resource_name_segments(name_value: &str, factory_param: &str, scope: &dyn Scope) -> Option<Vec<String>> {
    match classify(name_value) {
        StrKind::Literal(text) => {
            let mut parts = text.split('/');
            if parts.next().is_none_or(str::is_empty) {
                return None;
            }
            parts.map(|s| (!s.is_empty()).then(|| s.to_string())).collect()
        }
        StrKind::Expression(_) => match eval_value(name_value, scope)?.as_slice() {
            [p] if is_param(p, factory_param) => Some(Vec::new()),
            [p, Piece::Text(t)] if is_param(p, factory_param) => slash_segments(t),
            _ => None,
        },
    }
}

/// An ADF resource referenced by a `dependsOn` entry or `resourceId`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Target {
    /// Resource type path below the factory, e.g. `["datasets"]` or
    /// `["managedVirtualNetworks", "managedPrivateEndpoints"]`; empty for
    /// the factory itself.
    pub types: Vec<String>,
    /// Resource names matching `types` one to one.
    pub names: Vec<String>,
}

/// Resolve a `dependsOn` entry or resource-id value to the ADF resource it
/// names.
///
/// The value must evaluate to text ending in `Microsoft.DataFactory/factories/`
/// (case-insensitive; any prefix allowed), then `parameters(factory_param)`
/// (name compared case-insensitively), then optionally `/t1/n1/t2/n2...`.
/// Anything else — literals, other providers, odd segment counts — gives
/// `None`.
#[must_use]
pub fn dependency_target(value: &str, factory_param: &str, scope: &dyn Scope) -> Option<Target> {
    let pieces = eval_value(value, scope)?;
    let (prefix, param, rest) = match pieces.as_slice() {
        [Piece::Text(prefix), p] => (prefix, p, ""),
        [Piece::Text(prefix), p, Piece::Text(rest)] => (prefix, p, rest.as_str()),
        _ => return None,
    };
    let cut = prefix.len().checked_sub(FACTORY_TYPE.len())?;
    if !is_param(param, factory_param) || !prefix.get(cut..)?.eq_ignore_ascii_case(FACTORY_TYPE) {
        return None;
    }
    let mut target = Target::default();
    let mut segments = slash_segments(rest)?.into_iter();
    while let Some(ty) = segments.next() {
        target.types.push(ty);
        target.names.push(segments.next()?);
    }
    Some(target)
}

#[cfg(test)]
#[path = "expr_tests.rs"]
mod tests;

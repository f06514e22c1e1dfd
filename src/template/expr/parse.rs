//! The parser of the expression language.

use super::{Expr, ExprError, ExprErrorKind, Found, MAX_DEPTH, RefKind, StrKind, classify};

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
        Some(c) => Err(p.err(ExprErrorKind::Trailing { found: Found::Char(c) })),
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
            parse(inner).map(Some).map_err(|e| ExprError { offset: e.offset + 1, kind: e.kind })
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

fn err_at(offset: usize, kind: ExprErrorKind) -> ExprError {
    ExprError { offset, kind }
}

fn too_deep(offset: usize) -> ExprError {
    err_at(offset, ExprErrorKind::TooDeep)
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

    fn err(&self, kind: ExprErrorKind) -> ExprError {
        err_at(self.pos, kind)
    }

    fn found(&self) -> Found {
        self.peek().map_or(Found::End, Found::Char)
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
                    return Err(self.err(ExprErrorKind::UnclosedIndex { found: self.found() }));
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
            return Err(self.err(ExprErrorKind::PropertyName { found: self.found() }));
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
            None => Err(self.err(ExprErrorKind::Expected { found: Found::End })),
            Some('\'') => self.string().map(|s| (Expr::Str(s), 1)),
            Some(c) if c == '-' || c.is_ascii_digit() => self.int().map(|i| (Expr::Int(i), 1)),
            Some(c) if is_ident_start(c) => self.call(depth),
            Some(c) => Err(self.err(ExprErrorKind::Expected { found: Found::Char(c) })),
        }
    }

    fn string(&mut self) -> Result<String, ExprError> {
        let start = self.pos;
        self.pos += 1;
        let mut out = String::new();
        loop {
            let rest = self.rest();
            let Some(q) = rest.find('\'') else {
                return Err(err_at(start, ExprErrorKind::UnterminatedString));
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
            return Err(self.err(ExprErrorKind::Digits { found: self.found() }));
        }
        let text = self.src.get(start..self.pos).unwrap_or("");
        text.parse().map_err(|_| err_at(start, ExprErrorKind::IntegerRange { text: text.to_string() }))
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
                return Err(self.err(ExprErrorKind::CallParen { name: first.to_string(), found }));
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
                return Err(self.err(ExprErrorKind::ArgumentSeparator { name: name.to_string(), found: self.found() }));
            }
        }
    }
}

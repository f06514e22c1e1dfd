//! Symbolic evaluation of the string-building functions, keeping parameters as placeholders.

use super::{Expr, MAX_DEPTH, MAX_VARIABLE_HOPS, StrKind, classify, parse};

/// Maximum recursion depth of the evaluator across variable resolutions.
const MAX_EVAL_DEPTH: usize = 2 * MAX_DEPTH;

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

    /// The known text value of template parameter `name`, if the scope
    /// resolves parameters (otherwise parameters stay [`Piece::Param`]).
    fn parameter(&self, _name: &str) -> Option<&str> {
        None
    }
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
                let name = self.text(arg, depth, hops)?;
                match self.scope.parameter(&name) {
                    Some(value) => {
                        Some(if value.is_empty() { Vec::new() } else { vec![Piece::Text(value.to_string())] })
                    }
                    None => Some(vec![Piece::Param(name)]),
                }
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

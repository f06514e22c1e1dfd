//! One streaming pass over raw JSON text that reports what the template index
//! needs (ARM expressions and `{referenceName, type}` references) without
//! building a tree.

use std::borrow::Cow;

use super::scan::Scanner;
use super::text::decode_str;

/// The name side of a `{"referenceName": …, "type": "…Reference"}` object.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RefName {
    /// A plain string name.
    Plain(String),
    /// An expression object or anything that is not a plain string.
    Dynamic(String),
}

/// A dynamic reference name on one line, for messages: the expression of
/// an expression object (`{"value": "@…", "type": "Expression"}`), else the
/// value written compactly.
fn one_line(raw: &str) -> String {
    let Ok(value) = serde_json::from_str::<serde_json::Value>(raw) else {
        return raw.split_whitespace().collect::<Vec<_>>().join(" ");
    };
    match value.get("value").and_then(serde_json::Value::as_str) {
        Some(expression) => expression.to_string(),
        None => value.to_string(),
    }
}

/// What a walk reports.
pub trait Visitor<'t> {
    /// A string value that starts with `[` (decoded): possibly an ARM expression.
    fn expression(&mut self, _text: &str) {}
    /// An object holding `referenceName` and a `type` ending in `Reference`.
    fn reference(&mut self, _name: RefName, _ref_type: &str) {}
    /// A member of the walked value itself, when it is an object (raw key and value).
    fn top_member(&mut self, _key: &'t str, _value: &'t str) {}
    /// Strings holding this byte are passed to [`Visitor::text`] (default: none).
    fn wants(&self) -> Option<u8> {
        None
    }
    /// A string value holding the byte of [`Visitor::wants`]: raw (quotes included) and decoded.
    fn text(&mut self, _raw: &'t str, _decoded: &str) {}
}

/// Walk the JSON value `text` (must be valid JSON), reporting to `visitor`.
pub fn walk<'t>(text: &'t str, visitor: &mut dyn Visitor<'t>) {
    let mut walker = Walker { text, scanner: Scanner::new(text, 0), visitor, depth: 0 };
    walker.value();
}

/// Call `f` for every string value of `text` that starts with `[`.
pub fn strings(text: &str, f: &mut dyn FnMut(&str)) {
    struct Strings<'f>(&'f mut dyn FnMut(&str));
    impl Visitor<'_> for Strings<'_> {
        fn expression(&mut self, text: &str) {
            (self.0)(text);
        }
    }
    walk(text, &mut Strings(f));
}

struct Walker<'a, 'v> {
    text: &'a str,
    scanner: Scanner<'a>,
    visitor: &'v mut dyn Visitor<'a>,
    depth: usize,
}

/// What a value turned out to be, as far as reference detection cares.
enum Seen<'a> {
    Str(&'a str),
    Other(&'a str),
}

impl<'a> Walker<'a, '_> {
    fn peek(&mut self) -> Option<u8> {
        self.scanner.skip_ws();
        self.text.as_bytes().get(self.scanner.pos()).copied()
    }

    fn value(&mut self) -> Option<Seen<'a>> {
        self.scanner.skip_ws();
        let start = self.scanner.pos();
        match self.peek()? {
            b'{' => self.object()?,
            b'[' => self.array()?,
            b'"' => {
                let range = self.scanner.string().ok()?;
                let raw = &self.text[range];
                if raw.as_bytes().get(1) == Some(&b'[')
                    && let Some(text) = decode_str(raw)
                {
                    self.visitor.expression(&text);
                }
                if let Some(byte) = self.visitor.wants()
                    && raw.as_bytes().contains(&byte)
                    && let Some(text) = decode_str(raw)
                {
                    self.visitor.text(raw, &text);
                }
                return Some(Seen::Str(raw));
            }
            _ => {
                self.scanner.value().ok()?;
            }
        };
        Some(Seen::Other(&self.text[start..self.scanner.pos()]))
    }

    fn object(&mut self) -> Option<()> {
        self.scanner.consume(b'{', "{").ok()?;
        self.depth += 1;
        let top = self.depth == 1;
        let mut ref_name: Option<RefName> = None;
        let mut ref_type: Option<Cow<'a, str>> = None;
        if self.peek()? != b'}' {
            loop {
                let key = self.scanner.string().ok()?;
                let key = &self.text[key];
                self.scanner.consume(b':', ":").ok()?;
                let seen = self.value()?;
                if top {
                    let (Seen::Str(raw) | Seen::Other(raw)) = seen;
                    self.visitor.top_member(key, raw);
                }
                match (key, seen) {
                    ("\"referenceName\"", Seen::Str(raw)) => {
                        ref_name = decode_str(raw).map(|s| RefName::Plain(s.into_owned()));
                    }
                    ("\"referenceName\"", Seen::Other(raw)) => ref_name = Some(RefName::Dynamic(one_line(raw))),
                    ("\"type\"", Seen::Str(raw)) => ref_type = decode_str(raw),
                    _ => {}
                }
                if self.scanner.end_of_container(b'}').ok()? {
                    break;
                }
                self.scanner.skip_ws();
            }
        } else {
            self.scanner.consume(b'}', "}").ok()?;
        }
        self.depth -= 1;
        if let (Some(name), Some(ty)) = (ref_name, ref_type)
            && ty.ends_with("Reference")
        {
            self.visitor.reference(name, &ty);
        }
        Some(())
    }

    fn array(&mut self) -> Option<()> {
        self.scanner.consume(b'[', "[").ok()?;
        self.depth += 1;
        if self.peek()? == b']' {
            self.depth -= 1;
            return self.scanner.consume(b']', "]").ok();
        }
        loop {
            self.value()?;
            if self.scanner.end_of_container(b']').ok()? {
                self.depth -= 1;
                return Some(());
            }
        }
    }
}

#[cfg(test)]
#[path = "visit_tests.rs"]
mod tests;

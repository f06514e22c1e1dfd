//! An editable JSON tree that keeps the exact source text of everything that
//! was not edited.
//!
//! A document starts as one [`Node::Raw`] slice of its file. Editing a value
//! expands only the containers on the way to it; every sibling stays a raw
//! slice and is written back byte for byte.

use std::borrow::Cow;

use super::scan::{self, SyntaxError};
use super::text::{decode_str, encode_str, key_is};

/// A JSON value: verbatim text, or an expanded container.
#[derive(Debug, Clone, PartialEq)]
pub enum Node<'a> {
    /// Exact JSON text of a value (borrowed from the input, or written by adfc).
    Raw(Cow<'a, str>),
    /// An object whose members may be edited.
    Object(Vec<Member<'a>>),
    /// An array whose elements may be edited.
    Array(Vec<Node<'a>>),
}

/// One member of an expanded object.
#[derive(Debug, Clone, PartialEq)]
pub struct Member<'a> {
    /// The key as written in the source, quotes and escapes included.
    pub key: Cow<'a, str>,
    /// Its value.
    pub value: Node<'a>,
}

/// The JSON type of a value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// `{…}`
    Object,
    /// `[…]`
    Array,
    /// `"…"`
    String,
    /// a number
    Number,
    /// `true` / `false`
    Bool,
    /// `null`
    Null,
}

impl Kind {
    /// Lower-case name used in messages.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Object => "object",
            Kind::Array => "array",
            Kind::String => "string",
            Kind::Number => "number",
            Kind::Bool => "boolean",
            Kind::Null => "null",
        }
    }
}

fn kind_of(text: &str) -> Kind {
    match text.as_bytes().first() {
        Some(b'{') => Kind::Object,
        Some(b'[') => Kind::Array,
        Some(b'"') => Kind::String,
        Some(b't' | b'f') => Kind::Bool,
        Some(b'n') => Kind::Null,
        _ => Kind::Number,
    }
}

impl<'a> Node<'a> {
    /// A raw node borrowing `text` (which must be one valid JSON value).
    pub fn raw(text: &'a str) -> Self {
        Node::Raw(Cow::Borrowed(text))
    }

    /// A string value.
    pub fn string(text: &str) -> Node<'static> {
        Node::Raw(Cow::Owned(encode_str(text)))
    }

    /// Parse owned JSON text (e.g. a value from a config file) into a fully
    /// expanded tree, keeping number text exactly as written.
    pub fn parse_owned(text: &str) -> Result<Node<'static>, SyntaxError> {
        let range = scan::validate(text)?;
        Ok(Node::raw(&text[range]).into_expanded_owned())
    }

    fn into_expanded_owned(self) -> Node<'static> {
        let mut node = self;
        // A validated value always expands.
        let _ = node.expand();
        match node {
            Node::Raw(text) => Node::Raw(Cow::Owned(text.into_owned())),
            Node::Object(members) => Node::Object(
                members
                    .into_iter()
                    .map(|m| Member { key: Cow::Owned(m.key.into_owned()), value: m.value.into_expanded_owned() })
                    .collect(),
            ),
            Node::Array(items) => Node::Array(items.into_iter().map(Node::into_expanded_owned).collect()),
        }
    }

    /// The JSON type of this value.
    pub fn kind(&self) -> Kind {
        match self {
            Node::Raw(text) => kind_of(text),
            Node::Object(_) => Kind::Object,
            Node::Array(_) => Kind::Array,
        }
    }

    /// The decoded text when this is a string.
    pub fn as_str(&self) -> Option<Cow<'_, str>> {
        match self {
            Node::Raw(text) if text.starts_with('"') => decode_str(text),
            _ => None,
        }
    }

    /// Turn a raw object or array into an expanded one (one level); scalars
    /// and already expanded containers are left alone.
    pub fn expand(&mut self) -> Result<(), SyntaxError> {
        let Node::Raw(text) = self else { return Ok(()) };
        let expanded = match text {
            Cow::Borrowed(text) => expand_borrowed(text)?,
            Cow::Owned(text) => expand_borrowed(text)?.map(Node::into_expanded_owned),
        };
        if let Some(node) = expanded {
            *self = node;
        }
        Ok(())
    }

    /// Member `key` of an object (expanding it), if present.
    pub fn get_mut(&mut self, key: &str) -> Result<Option<&mut Node<'a>>, SyntaxError> {
        self.expand()?;
        let Node::Object(members) = self else { return Ok(None) };
        Ok(members.iter_mut().find(|m| key_is(&m.key, key)).map(|m| &mut m.value))
    }

    /// Member `key` of an object without expanding (reads raw text if needed).
    pub fn get(&self, key: &str) -> Option<Node<'_>> {
        match self {
            Node::Object(members) => members.iter().find(|m| key_is(&m.key, key)).map(|m| m.value.clone()),
            Node::Raw(text) if text.starts_with('{') => {
                scan::object_members(text).ok()?.into_iter().find(|(k, _)| key_is(k, key)).map(|(_, v)| Node::raw(v))
            }
            _ => None,
        }
    }

    /// Keys of an object (decoded), for "did you mean" hints.
    pub fn keys(&self) -> Vec<String> {
        let raw_keys: Vec<Cow<'_, str>> = match self {
            Node::Object(members) => members.iter().map(|m| Cow::Borrowed(m.key.as_ref())).collect(),
            Node::Raw(text) if text.starts_with('{') => scan::object_members(text)
                .map(|ms| ms.into_iter().map(|(k, _)| Cow::Borrowed(k)).collect())
                .unwrap_or_default(),
            _ => Vec::new(),
        };
        raw_keys.iter().filter_map(|k| decode_str(k).map(Cow::into_owned)).collect()
    }

    /// Members of an object (decoded key, value), read in one pass.
    pub fn members(&self) -> Vec<(String, Node<'_>)> {
        let pairs: Vec<(&str, Node<'_>)> = match self {
            Node::Object(members) => members.iter().map(|m| (m.key.as_ref(), m.value.clone())).collect(),
            Node::Raw(text) if text.starts_with('{') => scan::object_members(text)
                .map(|ms| ms.into_iter().map(|(k, v)| (k, Node::raw(v))).collect())
                .unwrap_or_default(),
            _ => Vec::new(),
        };
        pairs.into_iter().filter_map(|(k, v)| Some((decode_str(k)?.into_owned(), v))).collect()
    }

    /// Set member `key`, appending it when absent (key order is kept).
    pub fn insert(&mut self, key: &str, value: Node<'a>) -> Result<(), SyntaxError> {
        self.expand()?;
        if let Node::Object(members) = self {
            match members.iter_mut().find(|m| key_is(&m.key, key)) {
                Some(member) => member.value = value,
                None => members.push(Member { key: Cow::Owned(encode_str(key)), value }),
            }
        }
        Ok(())
    }

    /// Remove member `key`, keeping the order of the others; returns it.
    pub fn remove(&mut self, key: &str) -> Result<Option<Node<'a>>, SyntaxError> {
        self.expand()?;
        let Node::Object(members) = self else { return Ok(None) };
        Ok(members.iter().position(|m| key_is(&m.key, key)).map(|i| members.remove(i).value))
    }

    /// Convert to a `serde_json::Value` (for queries and comparisons).
    pub fn to_value(&self) -> serde_json::Value {
        let mut text = String::new();
        write_compact(self, &mut text);
        serde_json::from_str(&text).unwrap_or(serde_json::Value::Null)
    }

    /// Visit every string value (decoded) in this subtree.
    pub fn for_each_string(&self, f: &mut dyn FnMut(&str)) {
        match self {
            Node::Raw(text) => super::visit::strings(text, f),
            Node::Object(members) => members.iter().for_each(|m| m.value.for_each_string(f)),
            Node::Array(items) => items.iter().for_each(|n| n.for_each_string(f)),
        }
    }
}

fn expand_borrowed(text: &str) -> Result<Option<Node<'_>>, SyntaxError> {
    Ok(match kind_of(text) {
        Kind::Object => Some(Node::Object(
            scan::object_members(text)?
                .into_iter()
                .map(|(k, v)| Member { key: Cow::Borrowed(k), value: Node::raw(v) })
                .collect(),
        )),
        Kind::Array => Some(Node::Array(scan::array_elements(text)?.into_iter().map(Node::raw).collect())),
        _ => None,
    })
}

/// Write a node without any whitespace (raw parts are copied as they are).
pub fn write_compact(node: &Node<'_>, out: &mut String) {
    match node {
        Node::Raw(text) => out.push_str(text),
        Node::Object(members) => {
            out.push('{');
            for (i, m) in members.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&m.key);
                out.push(':');
                write_compact(&m.value, out);
            }
            out.push('}');
        }
        Node::Array(items) => {
            out.push('[');
            for (i, n) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_compact(n, out);
            }
            out.push(']');
        }
    }
}

#[cfg(test)]
#[path = "node_tests.rs"]
mod tests;

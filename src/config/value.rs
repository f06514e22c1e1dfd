//! Typing a config value (after environment expansion) by what it replaces.
//!
//! The result is always the JSON text of the new value. Numbers keep the
//! text they were written with (`2.50` stays `2.50`); objects and arrays are
//! emitted compact (whitespace outside strings removed), with their key
//! order and number text as written, after single-quoted strings have been
//! turned into double-quoted ones. The caller reformats as it needs.

use std::fmt;

use serde_json::Value;

/// The kind of value a row replaces.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Existing {
    /// A JSON string.
    String,
    /// JSON `null`.
    Null,
    /// A JSON number.
    Number,
    /// `true` or `false`.
    Bool,
    /// A JSON object.
    Object,
    /// A JSON array.
    Array,
    /// Nothing: a `+` add of a new property.
    Missing,
}

impl From<&Value> for Existing {
    fn from(value: &Value) -> Self {
        match value {
            Value::String(_) => Existing::String,
            Value::Null => Existing::Null,
            Value::Number(_) => Existing::Number,
            Value::Bool(_) => Existing::Bool,
            Value::Object(_) => Existing::Object,
            Value::Array(_) => Existing::Array,
        }
    }
}

/// A value that does not fit the type it must have.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ValueError {
    /// Nothing where a non-string is expected.
    #[error("empty value where {want} is expected")]
    Empty {
        /// What the value must be.
        want: Want,
    },
    /// Text that is not what is expected.
    #[error("expected {want}, found `{}`", shown(found))]
    Mismatch {
        /// What the value must be.
        want: Want,
        /// The value as given.
        found: String,
    },
    /// A number that does not fit a double.
    #[error("number `{}` is out of range", shown(found))]
    OutOfRange {
        /// The value as given.
        found: String,
    },
    /// Text that is not JSON where JSON is expected.
    #[error("expected {want}, found `{}` (invalid JSON: {error})", shown(found))]
    InvalidJson {
        /// What the value must be.
        want: Want,
        /// The value as given.
        found: String,
        /// The JSON parser's message.
        error: String,
    },
    /// Valid JSON of another type.
    #[error("expected {want}, found {} `{}`", other_json(*other), shown(found))]
    OtherJson {
        /// What the value must be.
        want: Want,
        /// What it is.
        other: Want,
        /// The value as given.
        found: String,
    },
}

impl ValueError {
    /// What the value had to be (for messages that must not show the value).
    pub fn want(&self) -> Option<Want> {
        match self {
            ValueError::Empty { want }
            | ValueError::Mismatch { want, .. }
            | ValueError::InvalidJson { want, .. }
            | ValueError::OtherJson { want, .. } => Some(*want),
            ValueError::OutOfRange { .. } => Some(Want::Number { integer: false }),
        }
    }
}

fn other_json(other: Want) -> &'static str {
    if other == Want::String { "another JSON value" } else { other.describe() }
}

/// The JSON type a value must take.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Want {
    /// A string.
    String,
    /// A number (an integer when `integer`).
    Number {
        /// Only integers fit.
        integer: bool,
    },
    /// `true` or `false`.
    Bool,
    /// A JSON object.
    Object,
    /// A JSON array.
    Array,
    /// Nothing to replace: JSON if it parses as JSON, else a string.
    Infer,
}

impl fmt::Display for Want {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.describe())
    }
}

impl Want {
    fn from_hint(hint: &str) -> Option<Want> {
        match hint.trim().to_ascii_lowercase().as_str() {
            "string" | "securestring" => Some(Want::String),
            "int" => Some(Want::Number { integer: true }),
            "float" => Some(Want::Number { integer: false }),
            "bool" => Some(Want::Bool),
            "object" | "secureobject" => Some(Want::Object),
            "array" => Some(Want::Array),
            _ => None,
        }
    }

    fn from_existing(existing: Existing) -> Want {
        match existing {
            Existing::String | Existing::Null => Want::String,
            Existing::Number => Want::Number { integer: false },
            Existing::Bool => Want::Bool,
            Existing::Object => Want::Object,
            Existing::Array => Want::Array,
            Existing::Missing => Want::Infer,
        }
    }

    /// "a number", "a JSON object", … for messages.
    fn describe(self) -> &'static str {
        match self {
            Want::String | Want::Infer => "a string",
            Want::Number { integer: true } => "an integer",
            Want::Number { integer: false } => "a number",
            Want::Bool => "a boolean (true or false)",
            Want::Object => "a JSON object",
            Want::Array => "a JSON array",
        }
    }
}

/// Type `text` as the JSON value that replaces a value of kind `existing`.
///
/// `hint`: the declared type when known (global parameter sibling `type`:
/// string, int, float, bool, array, object; or an ARM parameter's declared
/// type: string, securestring, int, bool, object, secureobject, array —
/// compared case-insensitively); when Some, it wins over `existing`. An
/// unknown hint is ignored.
///
/// Empty text gives `""` where a string is expected (or for a `+` add) and
/// an error anywhere else.
pub fn type_value(text: &str, existing: Existing, hint: Option<&str>) -> Result<String, ValueError> {
    let want = hint.and_then(Want::from_hint).unwrap_or(Want::from_existing(existing));
    match want {
        Want::String => Ok(json_string(text)),
        Want::Infer => Ok(infer(text)),
        _ if text.trim().is_empty() => Err(ValueError::Empty { want }),
        Want::Number { integer } => number(text.trim(), integer),
        Want::Bool => boolean(text.trim()),
        Want::Object | Want::Array => structured(text.trim(), want),
    }
}

fn json_string(text: &str) -> String {
    Value::from(text).to_string()
}

fn mismatch(want: Want, text: &str) -> ValueError {
    ValueError::Mismatch { want, found: text.to_owned() }
}

/// The text for a message, shortened when long.
fn shown(text: &str) -> String {
    const MAX: usize = 60;
    match text.char_indices().nth(MAX) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text.to_owned(),
    }
}

fn number(text: &str, integer: bool) -> Result<String, ValueError> {
    let want = Want::Number { integer };
    if !is_json_number(text) {
        return Err(mismatch(want, text));
    }
    if integer && (text.contains(['.', 'e', 'E']) || text.parse::<i64>().is_err()) {
        return Err(mismatch(want, text));
    }
    if !text.parse::<f64>().is_ok_and(f64::is_finite) {
        return Err(ValueError::OutOfRange { found: text.to_owned() });
    }
    Ok(text.to_owned())
}

/// Whether `text` is exactly a JSON number (RFC 8259 grammar).
fn is_json_number(text: &str) -> bool {
    let rest = text.strip_prefix('-').unwrap_or(text);
    let (int, rest) = split_digits(rest);
    let int_ok = int == "0" || (!int.is_empty() && !int.starts_with('0'));
    let rest = match rest.strip_prefix('.') {
        Some(fraction) => match split_digits(fraction) {
            ("", _) => return false,
            (_, after) => after,
        },
        None => rest,
    };
    let rest = match rest.strip_prefix(['e', 'E']) {
        Some(exp) => match split_digits(exp.strip_prefix(['+', '-']).unwrap_or(exp)) {
            ("", _) => return false,
            (_, after) => after,
        },
        None => rest,
    };
    int_ok && rest.is_empty()
}

/// Split leading ASCII digits off `text`.
fn split_digits(text: &str) -> (&str, &str) {
    let end = text.find(|c: char| !c.is_ascii_digit()).unwrap_or(text.len());
    text.split_at(end)
}

fn boolean(text: &str) -> Result<String, ValueError> {
    let word = text.strip_prefix('$').unwrap_or(text);
    if word.eq_ignore_ascii_case("true") {
        Ok("true".to_owned())
    } else if word.eq_ignore_ascii_case("false") {
        Ok("false".to_owned())
    } else {
        Err(mismatch(Want::Bool, text))
    }
}

/// A JSON object or array (single-quoted strings accepted), compact.
fn structured(text: &str, want: Want) -> Result<String, ValueError> {
    let converted = double_quoted(text);
    let value: Value = serde_json::from_str(&converted).map_err(|e| ValueError::InvalidJson {
        want,
        found: text.to_owned(),
        error: e.to_string(),
    })?;
    let found = match value {
        Value::Object(_) => Want::Object,
        Value::Array(_) => Want::Array,
        _ => Want::String,
    };
    if found != want {
        return Err(ValueError::OtherJson { want, other: found, found: text.to_owned() });
    }
    Ok(compact(&converted))
}

/// Nothing to replace: JSON object, array, number, `true`, `false` or `null`
/// when the trimmed text is one, else the text as a string.
fn infer(text: &str) -> String {
    let trimmed = text.trim();
    if trimmed.starts_with('{') {
        if let Ok(json) = structured(trimmed, Want::Object) {
            return json;
        }
    } else if trimmed.starts_with('[') {
        if let Ok(json) = structured(trimmed, Want::Array) {
            return json;
        }
    } else if matches!(trimmed, "true" | "false" | "null") || number(trimmed, false).is_ok() {
        return trimmed.to_owned();
    }
    json_string(text)
}

/// Rewrite single-quoted strings (`'a'`) as double-quoted JSON strings,
/// leaving double-quoted strings and everything else untouched.
fn double_quoted(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        match c {
            '"' => copy_string(&mut chars, &mut out),
            '\'' => convert_string(&mut chars, &mut out),
            _ => out.push(c),
        }
    }
    out
}

/// Copy a double-quoted string whose opening quote was just read.
fn copy_string(chars: &mut std::str::Chars<'_>, out: &mut String) {
    out.push('"');
    while let Some(c) = chars.next() {
        out.push(c);
        match c {
            '\\' => out.extend(chars.next()),
            '"' => return,
            _ => {}
        }
    }
}

/// Convert a single-quoted string whose opening quote was just read: `\'`
/// becomes `'`, a bare `"` is escaped, other escapes are kept. An
/// unterminated string stays unterminated (and fails to parse).
fn convert_string(chars: &mut std::str::Chars<'_>, out: &mut String) {
    out.push('"');
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some('\'') => out.push('\''),
                Some(next) => out.extend(['\\', next]),
                None => out.push('\\'),
            },
            '\'' => {
                out.push('"');
                return;
            }
            '"' => out.push_str("\\\""),
            _ => out.push(c),
        }
    }
}

/// Drop JSON whitespace outside strings of valid, double-quoted JSON.
fn compact(json: &str) -> String {
    let mut out = String::with_capacity(json.len());
    let mut chars = json.chars();
    while let Some(c) = chars.next() {
        match c {
            '"' => copy_string(&mut chars, &mut out),
            ' ' | '\t' | '\n' | '\r' => {}
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
#[path = "value_tests.rs"]
mod tests;

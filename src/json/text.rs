//! JSON string text: decoding and encoding raw strings (quotes included).

use std::borrow::Cow;

/// Decode a raw JSON string (with quotes) into its text.
pub fn decode_str(raw: &str) -> Option<Cow<'_, str>> {
    let inner = raw.strip_prefix('"')?.strip_suffix('"')?;
    if inner.contains('\\') {
        serde_json::from_str::<String>(raw).ok().map(Cow::Owned)
    } else {
        Some(Cow::Borrowed(inner))
    }
}

/// Encode text as a raw JSON string, quotes included.
pub fn encode_str(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    if !text.bytes().any(|b| b == b'"' || b == b'\\' || b < 0x20) {
        out.push_str(text);
        out.push('"');
        return out;
    }
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Does the raw key (with quotes) decode to `key`?
pub fn key_is(raw: &str, key: &str) -> bool {
    let inner = &raw[1.min(raw.len())..raw.len().saturating_sub(1)];
    if inner.contains('\\') { decode_str(raw).is_some_and(|k| k == key) } else { inner == key }
}

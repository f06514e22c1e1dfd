//! Writing a `serde_json::Value` the way ADF's exporters do, which is
//! JavaScript's `JSON.stringify(value, null, indent)`: one member or element
//! per line, `": "` after keys, `{}` and `[]` for empty containers, only `"`,
//! `\` and control characters escaped (`/` and non-ASCII text are written as
//! they are), numbers in JavaScript's shortest form, no final newline.

use serde_json::{Number, Value};

use super::text::encode_str;

/// `value` as `JSON.stringify(value, null, indent)` writes it.
pub fn stringify(value: &Value, indent: &str) -> String {
    let mut out = String::new();
    write_value(value, 0, indent, &mut out);
    out
}

/// Write `value` as it sits at nesting `depth` of a document (0 = the root).
pub fn write_value(value: &Value, depth: usize, indent: &str, out: &mut String) {
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => write_number(n, out),
        Value::String(s) => out.push_str(&encode_str(s)),
        Value::Array(items) if items.is_empty() => out.push_str("[]"),
        Value::Object(members) if members.is_empty() => out.push_str("{}"),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                separator(i, depth + 1, indent, out);
                write_value(item, depth + 1, indent, out);
            }
            line_break(depth, indent, out);
            out.push(']');
        }
        Value::Object(members) => {
            out.push('{');
            for (i, (key, item)) in members.iter().enumerate() {
                separator(i, depth + 1, indent, out);
                out.push_str(&encode_str(key));
                out.push_str(": ");
                write_value(item, depth + 1, indent, out);
            }
            line_break(depth, indent, out);
            out.push('}');
        }
    }
}

fn separator(index: usize, depth: usize, indent: &str, out: &mut String) {
    if index > 0 {
        out.push(',');
    }
    line_break(depth, indent, out);
}

/// A newline and `depth` indents.
pub fn line_break(depth: usize, indent: &str, out: &mut String) {
    out.push('\n');
    for _ in 0..depth {
        out.push_str(indent);
    }
}

/// Integers as they are; a float with no fractional part as an integer
/// (`1.0` → `1`), as JavaScript prints it.
fn write_number(n: &Number, out: &mut String) {
    match n.as_f64() {
        Some(f) if n.is_f64() && f.fract() == 0.0 && f.abs() < 1e21 => out.push_str(&format!("{f:.0}")),
        _ => out.push_str(&n.to_string()),
    }
}

#[cfg(test)]
#[path = "stringify_tests.rs"]
mod tests;

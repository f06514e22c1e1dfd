//! Rows whose path is a JSONPath query: which concrete paths it matches.

use super::Target;
use crate::config::path::Segment;
use crate::template::Factory;

/// The concrete paths a JSONPath query matches in a target.
pub(super) fn query_paths(factory: &Factory<'_>, target: Target, query: &str) -> Result<Vec<Vec<Segment>>, String> {
    use jsonpath_rust::JsonPath;
    let value = match target {
        Target::Object(o) => factory.resource(factory.object(o).resource()).node().to_value(),
        Target::GlobalParametersFile => factory.global_parameters_file().map(|d| d.root.to_value()).unwrap_or_default(),
    };
    let paths = value.query_only_path(query).map_err(|e| format!("invalid JSONPath `{query}`: {e}"))?;
    paths.iter().map(|p| normalized_path(p).ok_or_else(|| format!("cannot follow JSONPath result `{p}`"))).collect()
}

/// Parse a normalized JSONPath (`$['a'][0]['b']`) into segments.
pub(super) fn normalized_path(path: &str) -> Option<Vec<Segment>> {
    let mut rest = path.strip_prefix('$')?;
    let mut segments = Vec::new();
    while !rest.is_empty() {
        rest = rest.strip_prefix('[')?;
        if let Some(quoted) = rest.strip_prefix('\'') {
            let (key, len) = quoted_key(quoted)?;
            segments.push(Segment::Key(key));
            rest = quoted.get(len + 1..)?.strip_prefix(']')?;
        } else {
            let end = rest.find(']')?;
            segments.push(Segment::Index(rest[..end].parse().ok()?));
            rest = &rest[end + 1..];
        }
    }
    Some(segments)
}

/// Decode a single-quoted normalized-path key; returns it and the length up to the closing quote.
fn quoted_key(text: &str) -> Option<(String, usize)> {
    let mut json = String::from("\"");
    let mut chars = text.char_indices();
    while let Some((i, c)) = chars.next() {
        match c {
            '\'' => {
                json.push('"');
                return Some((serde_json::from_str(&json).ok()?, i));
            }
            '\\' => match chars.next()?.1 {
                '\'' => json.push('\''),
                other => {
                    json.push('\\');
                    json.push(other);
                }
            },
            '"' => json.push_str("\\\""),
            c => json.push(c),
        }
    }
    None
}

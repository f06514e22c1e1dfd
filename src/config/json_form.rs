//! The JSON config form:
//! `{"OBJECT_NAME": [{"name": "<path>", "value": "…", "action": "update|add|remove"}]}`.

use super::{ConfigFile, ConfigRow, EnvLookup, RowLocations, expand_env, parse_path};
use crate::diag::{Code, Diagnostic, Location, Report};
use crate::json::scan;
use crate::json::text::decode_str;
use crate::select::NamePattern;

const CODE: Code = Code::ConfigJson;

/// Read every row of a JSON config file, reporting all problems.
pub fn read(file: ConfigFile<'_>, env: EnvLookup<'_>, report: &mut Report) -> Vec<ConfigRow> {
    let text = file.text();
    let base = text.as_ptr() as usize;
    let at = |slice: &str| {
        let start = (slice.as_ptr() as usize).saturating_sub(base);
        Location::span(file.id, start..start + slice.len())
    };
    let root = match scan::validate(text) {
        Ok(range) => &text[range],
        Err(e) => {
            report.push(crate::template::doc::syntax_diagnostic(CODE, file.source, file.id, &e));
            return Vec::new();
        }
    };
    let Ok(objects) = scan::object_members(root) else {
        report
            .push(Diagnostic::error(CODE, "expected an object mapping object names to lists of changes").at(at(root)));
        return Vec::new();
    };
    let mut rows = Vec::new();
    for (raw_name, list) in objects {
        let name = decode_str(raw_name).unwrap_or_default().into_owned();
        let Ok(entries) = scan::array_elements(list) else {
            report.push(Diagnostic::error(CODE, format!("the changes of `{name}` must be an array")).at(at(list)));
            continue;
        };
        let pattern = NamePattern::new(&name)
            .map_err(|e| report.push(Diagnostic::error(Code::ConfigBadPattern, e.kind.to_string()).at(at(raw_name))))
            .ok();
        for entry in entries {
            let row = read_entry(file, entry, &at, env, report);
            if let (Some(pattern), Some((line, path, path_text, (value, value_known), from_env, locations))) =
                (&pattern, row)
            {
                let mut locations = locations;
                locations.name = at(raw_name);
                rows.push(ConfigRow {
                    file: file.id,
                    origin: file.origin(line),
                    line,
                    otype: None,
                    name: pattern.clone(),
                    path,
                    path_text,
                    from_env,
                    value,
                    value_known,
                    at: locations,
                });
            }
        }
    }
    rows
}

type Entry = (usize, super::path::Path, String, (String, bool), bool, RowLocations);

fn read_entry(
    file: ConfigFile<'_>,
    entry: &str,
    at: &dyn Fn(&str) -> Location,
    env: EnvLookup<'_>,
    report: &mut Report,
) -> Option<Entry> {
    let Ok(members) = scan::object_members(entry) else {
        report.push(
            Diagnostic::error(CODE, "a change must be an object with `name`, `value` and `action`").at(at(entry)),
        );
        return None;
    };
    let field = |key: &str| members.iter().find(|(k, _)| decode_str(k).is_some_and(|k| k == key)).map(|(_, v)| *v);
    let string = |raw: &str| decode_str(raw).map(|s| s.into_owned());
    let Some(raw_path) = field("name").filter(|v| v.starts_with('"')) else {
        report.push(Diagnostic::error(CODE, "a change needs a string `name` (the property path)").at(at(entry)));
        return None;
    };
    let action = match field("action").and_then(string).as_deref().map(str::to_ascii_lowercase).as_deref() {
        None | Some("update") => "",
        Some("add") => "+",
        Some("remove") => "-",
        Some(other) => {
            let d = Diagnostic::error(CODE, format!("unknown action `{other}`: expected update, add or remove"));
            report.push(d.at(at(field("action").unwrap_or(entry))));
            return None;
        }
    };
    let path_text = string(raw_path).unwrap_or_default();
    let base = file.text().as_ptr() as usize;
    let path_start = (raw_path.as_ptr() as usize).saturating_sub(base) + 1;
    let full_path = format!("{action}{}", path_text.trim());
    let path = match action {
        "" => parse_path(&full_path, file, path_start, report),
        _ => parse_path(&full_path, file, path_start.saturating_sub(1), report),
    };
    let raw_value = field("value");
    let value_text = match raw_value {
        Some(v) if v.starts_with('"') => string(v).unwrap_or_default(),
        Some(v) => v.to_string(),
        None => String::new(),
    };
    let value_at = raw_value.unwrap_or(entry);
    let value_start = (value_at.as_ptr() as usize).saturating_sub(base) + usize::from(value_at.starts_with('"'));
    let expanded = expand_env(&value_text, file, value_start, env, report);
    let value_known = expanded.as_ref().is_some_and(|(_, known)| *known);
    let value = expanded.map(|(v, _)| v);
    let locations = RowLocations { name: at(entry), path: at(raw_path), value: at(value_at) };
    let from_env = value.as_deref().is_some_and(|v| v != value_text) || !value_known;
    if let (false, false, Some(key)) =
        (from_env, value_text.is_empty(), path.as_ref().and_then(super::path::Path::secret_key))
    {
        file.source.mark_secret(value_at_span(file, value_at));
        if env.literal_secrets_are_warnings && crate::secret::holds_credential(key, &value_text) {
            report.push(super::literal_secret(&full_path, at(value_at)));
        }
    }
    let line = file.line(locations.path.span.clone().unwrap_or_default().start);
    Some((line, path?, full_path, (value?, value_known), from_env, locations))
}

/// Byte range of a raw value slice of the file.
fn value_at_span(file: ConfigFile<'_>, raw: &str) -> std::ops::Range<usize> {
    let start = (raw.as_ptr() as usize).saturating_sub(file.text().as_ptr() as usize);
    start..start + raw.len()
}

//! Config files (`deployment/config-<stage>.csv` and the JSON form): reading
//! them into rows and applying the rows to a factory.

pub mod apply;
pub mod csv;
pub mod env;
pub mod json_form;
pub mod path;
pub mod value;

use std::path::{Path as FsPath, PathBuf};

use crate::diag::{Diagnostic, Location, Report};
use crate::select::pattern::NamePattern;
use crate::source::Sources;
use crate::template::ObjectType;

/// Looks up environment variables (injected so tests and `check --env-file` can supply their own).
pub type EnvLookup<'e> = &'e dyn Fn(&str) -> Option<String>;

/// One override, from either file form.
#[derive(Debug, Clone)]
pub struct ConfigRow {
    /// The file it came from.
    pub file: PathBuf,
    /// 1-based line of the row.
    pub line: usize,
    /// Object type; `None` in the JSON form, where the name alone decides.
    pub otype: Option<ObjectType>,
    /// Object name or wildcard pattern.
    pub name: NamePattern,
    /// The parsed path.
    pub path: path::Path,
    /// The path as written.
    pub path_text: String,
    /// The value after environment tokens were replaced.
    pub value: String,
    /// Whether environment tokens were replaced (the value may be a secret: never echo it).
    pub from_env: bool,
    /// Where the name, path and value are (for diagnostics).
    pub at: RowLocations,
}

/// Locations of the parts of a row.
#[derive(Debug, Clone)]
pub struct RowLocations {
    /// The name cell.
    pub name: Location,
    /// The path cell.
    pub path: Location,
    /// The value cell.
    pub value: Location,
}

impl ConfigRow {
    /// `config-prod.csv:12`, for messages and the diff.
    pub fn origin(&self) -> String {
        let file =
            self.file.file_name().map_or_else(|| self.file.display().to_string(), |f| f.to_string_lossy().into());
        format!("{file}:{}", self.line)
    }
}

/// Read a config file in the form its extension says (`.json` or CSV).
pub fn read_file(sources: &Sources, path: &FsPath, env: EnvLookup<'_>, report: &mut Report) -> Vec<ConfigRow> {
    let Some(file) = sources.find(path) else { return Vec::new() };
    let is_json = path.extension().is_some_and(|e| e.eq_ignore_ascii_case("json"));
    if is_json { json_form::read(path, &file.text, env, report) } else { read_csv(path, &file.text, env, report) }
}

/// Read the CSV form, reporting every problem of the file.
pub fn read_csv(path: &FsPath, text: &str, env: EnvLookup<'_>, report: &mut Report) -> Vec<ConfigRow> {
    let (rows, errors) = csv::read(text);
    for e in errors {
        report.push(Diagnostic::error(e.code, e.message).at(Location::at_span(path, text, e.span)));
    }
    rows.into_iter().filter_map(|row| csv_row(path, text, row, env, report)).collect()
}

fn cell_location(path: &FsPath, text: &str, cell: &csv::Cell) -> Location {
    Location::at_span(path, text, cell.span.clone())
}

fn csv_row(path: &FsPath, text: &str, row: csv::Row, env: EnvLookup<'_>, report: &mut Report) -> Option<ConfigRow> {
    let at = RowLocations {
        name: cell_location(path, text, &row.name),
        path: cell_location(path, text, &row.path),
        value: cell_location(path, text, &row.value),
    };
    let otype = ObjectType::parse(&row.kind.text);
    if otype.is_none() {
        report.push(unknown_type(&row.kind.text, cell_location(path, text, &row.kind)));
    }
    let name = parse_name(&row.name.text, &at.name, report);
    let parsed = parse_path(&row.path.text, path, text, row.path.content_start, report);
    let object = format!("{}.{}", otype.map_or(row.kind.text.as_str(), |t| t.as_str()), row.name.text);
    let mut env_report = Report::default();
    let value = expand_env(&row.value.text, path, text, row.value.content_start, env, &mut env_report);
    for d in env_report.diagnostics {
        report.push(d.object(object.clone()));
    }
    Some(ConfigRow {
        file: path.to_path_buf(),
        line: row.line,
        otype: Some(otype?),
        name: name?,
        path: parsed?,
        path_text: row.path.text,
        from_env: value.as_deref().is_some_and(|v| v != row.value.text),
        value: value?,
        at,
    })
}

/// The error for a type that is not an ADF object type.
pub fn unknown_type(found: &str, at: Location) -> Diagnostic {
    let known: Vec<&str> = crate::template::object::ALL_TYPES.iter().map(|t| t.as_str()).collect();
    Diagnostic::error("config::unknown-type", format!("unknown object type `{found}`"))
        .at(at)
        .label("not an ADF object type")
        .note(format!("expected one of: {}", known.join(", ")))
}

fn parse_name(text: &str, at: &Location, report: &mut Report) -> Option<NamePattern> {
    NamePattern::new(text)
        .map_err(|e| report.push(Diagnostic::error("config::bad-pattern", e.message).at(at.clone())))
        .ok()
}

/// Parse a path cell whose first content byte is at `start` in `text`.
pub fn parse_path(cell: &str, file: &FsPath, text: &str, start: usize, report: &mut Report) -> Option<path::Path> {
    path::parse(cell)
        .map_err(|e| {
            let from = start + e.offset;
            let span = from..(from + e.len.max(1)).min(text.len().max(from));
            report.push(
                Diagnostic::error("config::path-syntax", format!("invalid path `{cell}`: {}", e.message))
                    .at(Location::at_span(file, text, span)),
            );
        })
        .ok()
}

/// Replace environment tokens in a value whose first content byte is at `start`.
pub fn expand_env(
    value: &str,
    file: &FsPath,
    text: &str,
    start: usize,
    env: EnvLookup<'_>,
    report: &mut Report,
) -> Option<String> {
    env::expand(value, env)
        .map_err(|errors| {
            for e in errors {
                let code = match e.kind {
                    env::EnvErrorKind::Unset(_) => "config::env-unset",
                    env::EnvErrorKind::Subexpression(_) => "config::subexpression",
                };
                let span = start + e.offset..start + e.offset + e.len;
                report.push(Diagnostic::error(code, e.to_string()).at(Location::at_span(file, text, span)));
            }
        })
        .ok()
}

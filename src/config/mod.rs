//! Config files (`deployment/config-<stage>.csv` and the JSON form): reading
//! them into rows and applying the rows to a factory.

pub mod apply;
pub mod csv;
pub mod env;
pub mod json_form;
pub mod path;
pub mod stage;
pub mod value;

pub use apply::{Applied, ApplyOptions, Change, Destination};
pub use stage::ConfigOptions;

use crate::diag::{Code, Diagnostic, Location, Report};
use crate::select::NamePattern;
use crate::source::{FileId, SourceFile, Sources};
use crate::template::ObjectType;

/// What an environment variable that is not set is.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum UnsetEnv {
    /// An error (`build`: the output would be wrong).
    #[default]
    Error,
    /// A warning, and the row's value is unknown; its object and path are
    /// still checked (`check` before the pipeline sets the variables).
    Warning,
    /// Nothing to report, and the value is unknown (`check --no-env`).
    Unknown,
}

/// How config files are read.
#[derive(Debug, Clone, Copy)]
pub struct ReadOptions<'e> {
    /// Where variables take their values from (the process, or given variables).
    pub env: &'e env::Environment,
    /// What an unset variable is.
    pub unset: UnsetEnv,
    /// A literal value for a secret-like property is a warning (`check`).
    pub literal_secrets_are_warnings: bool,
}

/// How config files are read.
pub type EnvLookup<'e> = ReadOptions<'e>;

/// One override, from either file form.
#[derive(Debug, Clone)]
pub struct ConfigRow {
    /// The file it came from.
    pub file: FileId,
    /// `config-prod.csv:12`, for messages and the diff.
    pub origin: String,
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
    /// False when an environment token had no value (`check` without the
    /// pipeline's variables): the row's object and path are checked, its value is not.
    pub value_known: bool,
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

/// A config file being read: its id and text.
#[derive(Clone, Copy)]
pub struct ConfigFile<'t> {
    /// The file.
    pub id: FileId,
    /// Its text and line index.
    pub source: &'t SourceFile,
    /// Its file name, for row origins.
    pub name: &'t str,
}

impl<'t> ConfigFile<'t> {
    /// The file's text.
    pub fn text(&self) -> &'t str {
        self.source.text()
    }

    /// 1-based line of a byte offset.
    pub fn line(&self, offset: usize) -> usize {
        self.source.line_col(offset).0
    }

    fn at(&self, span: std::ops::Range<usize>) -> Location {
        Location::span(self.id, span)
    }

    fn origin(&self, line: usize) -> String {
        format!("{}:{line}", self.name)
    }
}

/// Read a config file in the form its extension says (`.json` or CSV).
pub fn read_file(sources: &Sources, id: FileId, env: EnvLookup<'_>, report: &mut Report) -> Vec<ConfigRow> {
    let source = sources.get(id);
    let path = source.path();
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default();
    let file = ConfigFile { id, source, name };
    let is_json = path.extension().is_some_and(|e| e.eq_ignore_ascii_case("json"));
    if is_json { json_form::read(file, env, report) } else { read_csv(file, env, report) }
}

/// Read the CSV form, reporting every problem of the file.
pub fn read_csv(file: ConfigFile<'_>, env: EnvLookup<'_>, report: &mut Report) -> Vec<ConfigRow> {
    let (rows, errors) = csv::read(file.text());
    for e in errors {
        let hint = matches!(e.kind, csv::CsvErrorKind::Separator { .. })
            .then_some("save it as CSV with commas (Excel: \"CSV UTF-8 (Comma delimited)\"); no row of it was read");
        let d = Diagnostic::error(e.kind.code(), e.kind.to_string()).at(file.at(e.span));
        report.push(match hint {
            Some(hint) => d.note(hint),
            None => d,
        });
    }
    rows.into_iter().filter_map(|row| csv_row(file, row, env, report)).collect()
}

fn csv_row(file: ConfigFile<'_>, row: csv::Row, env: EnvLookup<'_>, report: &mut Report) -> Option<ConfigRow> {
    let at = RowLocations {
        name: file.at(row.name.span.clone()),
        path: file.at(row.path.span.clone()),
        value: file.at(row.value.span.clone()),
    };
    let otype = ObjectType::parse(&row.kind.text);
    if otype.is_none() {
        report.push(unknown_type(&row.kind.text, file.at(row.kind.span.clone())));
    }
    let name = parse_name(&row.name.text, &at.name, report);
    let parsed = parse_path(&row.path.text, file, row.path.content_start, report);
    let object = format!("{}.{}", otype.map_or(row.kind.text.as_str(), |t| t.as_str()), row.name.text);
    let mut env_report = Report::default();
    let expanded = expand_env(&row.value.text, file, row.value.content_start, env, &mut env_report);
    for d in env_report.take() {
        report.push(d.object(object.clone()));
    }
    let (value, value_known) = match expanded {
        Some((value, known)) => (Some(value), known),
        None => (None, false),
    };
    let literal = value.as_deref().filter(|v| *v == row.value.text && !v.is_empty());
    if let (Some(literal), Some(key)) = (literal, parsed.as_ref().and_then(path::Path::secret_key)) {
        file.source.mark_secret(row.value.span.clone());
        if env.literal_secrets_are_warnings && crate::secret::holds_credential(key, literal) {
            report.push(literal_secret(&row.path.text, file.at(row.value.span.clone())).object(object.clone()));
        }
    }
    Some(ConfigRow {
        file: file.id,
        origin: file.origin(row.line),
        line: row.line,
        otype: Some(otype?),
        name: name?,
        path: parsed?,
        path_text: row.path.text,
        from_env: value.as_deref().is_some_and(|v| v != row.value.text) || !value_known,
        value: value?,
        value_known,
        at,
    })
}

/// The warning for a secret written literally in a committed config file.
pub fn literal_secret(path: &str, at: Location) -> Diagnostic {
    Diagnostic::warning(
        Code::ConfigLiteralSecret,
        format!("`{path}` is a secret, and this config file holds its value literally"),
    )
    .at(at)
    .label("a secret in the repository")
    .note("use an environment token ($Env:NAME) set from the pipeline's secret variables")
}

/// The error for a type that is not an ADF object type.
pub fn unknown_type(found: &str, at: Location) -> Diagnostic {
    let known: Vec<&str> = crate::template::ALL_TYPES.iter().map(|t| t.as_str()).collect();
    Diagnostic::error(Code::ConfigUnknownType, format!("unknown object type `{found}`"))
        .at(at)
        .label("not an ADF object type")
        .note(format!("expected one of: {}", known.join(", ")))
}

fn parse_name(text: &str, at: &Location, report: &mut Report) -> Option<NamePattern> {
    NamePattern::new(text)
        .map_err(|e| report.push(Diagnostic::error(Code::ConfigBadPattern, e.kind.to_string()).at(at.clone())))
        .ok()
}

/// Parse a path cell whose first content byte is at `start` in the file.
pub fn parse_path(cell: &str, file: ConfigFile<'_>, start: usize, report: &mut Report) -> Option<path::Path> {
    path::parse(cell)
        .map_err(|e| {
            let from = start + e.offset;
            let span = from..(from + e.len.max(1)).min(file.text().len().max(from));
            report.push(
                Diagnostic::error(Code::ConfigPathSyntax, format!("invalid path `{cell}`: {}", e.kind))
                    .at(file.at(span)),
            );
        })
        .ok()
}

/// Replace environment tokens in a value whose first content byte is at
/// `start`: the value, and whether it is known (false when a variable was
/// unset and unset variables are warnings).
pub fn expand_env(
    value: &str,
    file: ConfigFile<'_>,
    start: usize,
    env: EnvLookup<'_>,
    report: &mut Report,
) -> Option<(String, bool)> {
    let errors = match env::expand_with(value, &|name| env.env.resolve(name)) {
        Ok(expanded) => return Some((expanded, true)),
        Err(errors) => errors,
    };
    let only_unset = errors.iter().all(|e| matches!(e.kind, env::EnvErrorKind::Unset(_)));
    let lenient = env.unset != UnsetEnv::Error && only_unset;
    for e in errors {
        if lenient && env.unset == UnsetEnv::Unknown {
            continue;
        }
        let code = match e.kind {
            env::EnvErrorKind::Unset(_) => Code::ConfigEnvUnset,
            env::EnvErrorKind::Ambiguous { .. } => Code::ConfigEnvAmbiguous,
            env::EnvErrorKind::Subexpression(_) => Code::ConfigSubexpression,
        };
        let span = start + e.offset..start + e.offset + e.len;
        let d = Diagnostic::error(code, e.to_string()).at(file.at(span));
        report.push(if lenient {
            d.downgrade().note("the value is not checked; --env-file FILE supplies one")
        } else {
            d
        });
    }
    lenient.then(|| (String::new(), false))
}

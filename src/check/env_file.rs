//! `--env-file`: environment variables for `check`, as `KEY=VALUE` lines
//! (`#` comments and blank lines ignored, an optional `export ` prefix and
//! quotes around the value accepted), over the process's own variables.

use std::collections::BTreeMap;
use std::path::Path;

use crate::config::env::Environment;
use crate::diag::{Code, Diagnostic, Errors, Location, Report};
use crate::source::Sources;

/// The process's variables, with those of the file `path` over them.
pub fn read_env_file(path: &Path, sources: &mut Sources) -> Result<Environment, Errors> {
    let id = sources.read(path)?;
    let file = sources.get(id);
    let text = file.text();
    let mut vars: BTreeMap<String, String> = std::env::vars().collect();
    let mut report = Report::default();
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let start = offset;
        offset += line.len();
        let content = line.trim_end_matches(['\n', '\r']).trim();
        if content.is_empty() || content.starts_with('#') {
            continue;
        }
        // The file holds secrets: whatever follows the variable's name is never quoted.
        let end = line.trim_end_matches(['\n', '\r']).len();
        let indent = line.len() - line.trim_start().len();
        let body = &line[indent..];
        let export = if body.starts_with("export ") { "export ".len() } else { 0 };
        let name =
            body[export..].find(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).unwrap_or(body.len() - export);
        let value = indent + export + name;
        if value < end {
            file.mark_secret(start + value..start + end);
        }
        let content = content.strip_prefix("export ").unwrap_or(content);
        match content.split_once('=') {
            Some((key, value)) if valid_name(key.trim()) => {
                vars.insert(key.trim().to_string(), unquote(value.trim()).to_string());
            }
            _ => report.push(
                Diagnostic::error(Code::CheckEnvFile, "expected `NAME=VALUE` (NAME: letters, digits and `_`)")
                    .at(Location::span(id, start..start + line.trim_end_matches(['\n', '\r']).len())),
            ),
        }
    }
    report.check()?;
    Ok(Environment::Vars(vars))
}

fn valid_name(name: &str) -> bool {
    !name.is_empty() && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
}

fn unquote(value: &str) -> &str {
    for quote in ['"', '\''] {
        if let Some(inner) = value.strip_prefix(quote).and_then(|v| v.strip_suffix(quote)) {
            return inner;
        }
    }
    value
}

//! What `adfc check` prints, in each format: the human summary (the
//! diagnostics themselves go through [`super::diagnostics`]), JSON, GitHub
//! workflow commands, Azure DevOps logging commands, and SARIF 2.1.0 for
//! code scanning.

use serde::Serialize;
use serde_json::{Value, json};

use super::json::{JsonDiagnostic, diagnostic, display_path, pretty};
use super::{counted, thousands};
use crate::check::{CheckReport, Finding};
use crate::diag::Code;

/// `ok`, or how many errors and warnings.
fn state(errors: usize, warnings: usize) -> String {
    match (errors, warnings) {
        (0, 0) => "ok".to_string(),
        (e, w) => format!("{}, {}", counted(e, "error"), counted(w, "warning")),
    }
}

/// The closing lines of the human form: the template's own problems (those
/// of no one stage) when there are any, one line per stage, then the total.
pub fn summary(report: &CheckReport) -> String {
    let mut out = String::new();
    let width = report.stages.iter().map(|s| s.name.chars().count() + 6).max().unwrap_or(0).max(8);
    let own: Vec<_> = report.findings.iter().filter(|f| f.stages.is_empty()).collect();
    if !own.is_empty() && !report.stages.is_empty() {
        let errors = own.iter().filter(|f| f.diagnostic.is_error()).count();
        out.push_str(&format!("  {:<width$}  {}\n", "template", state(errors, own.len() - errors)));
    }
    for stage in &report.stages {
        let label = format!("stage {}", stage.name);
        out.push_str(&format!("  {label:<width$}  {}\n", state(stage.errors, stage.warnings)));
    }
    let stages = match report.stages.len() {
        0 => "the template".to_string(),
        1 => "1 stage".to_string(),
        n => format!("{} stages", thousands(n)),
    };
    let verdict = if report.is_clean() {
        "no problems".to_string()
    } else {
        format!("{}, {}", counted(report.errors(), "error"), counted(report.warnings(), "warning"))
    };
    out.push_str(&format!("adfc check: {stages}, {verdict}\n"));
    out
}

#[derive(Serialize)]
struct JsonReport {
    version: u32,
    errors: usize,
    warnings: usize,
    stages: Vec<JsonStage>,
    diagnostics: Vec<JsonFinding>,
}

#[derive(Serialize)]
struct JsonStage {
    name: String,
    files: Vec<String>,
    errors: usize,
    warnings: usize,
}

#[derive(Serialize)]
struct JsonFinding {
    #[serde(flatten)]
    diagnostic: JsonDiagnostic,
    stages: Vec<String>,
}

/// `--format json` (schema version 1, documented in the README).
pub fn json(report: &CheckReport) -> String {
    let stages = report
        .stages
        .iter()
        .map(|s| JsonStage {
            name: s.name.clone(),
            files: s.files.iter().map(|f| display_path(report.sources.get(*f).path())).collect(),
            errors: s.errors,
            warnings: s.warnings,
        })
        .collect();
    let diagnostics = report
        .findings
        .iter()
        .map(|f| JsonFinding { diagnostic: diagnostic(&f.diagnostic, &report.sources), stages: f.stages.clone() })
        .collect();
    pretty(&JsonReport { version: 1, errors: report.errors(), warnings: report.warnings(), stages, diagnostics })
}

/// `--format github`: workflow commands that annotate the files of a pull request.
pub fn github(report: &CheckReport) -> String {
    let mut out = String::new();
    for finding in &report.findings {
        let d = diagnostic(&finding.diagnostic, &report.sources);
        let mut properties = Vec::new();
        if let Some(file) = &d.file {
            properties.push(format!("file={}", github_property(file)));
        }
        for (key, value) in [("line", d.line), ("col", d.column), ("endLine", d.end_line), ("endColumn", d.end_column)]
        {
            if let Some(value) = value {
                properties.push(format!("{key}={value}"));
            }
        }
        properties.push(format!("title={}", github_property(d.code)));
        out.push_str(&format!(
            "::{} {}::{}\n",
            d.severity,
            properties.join(","),
            github_data(&message_with_context(finding, &d))
        ));
    }
    out
}

/// `--format azure-devops`: logging commands that annotate the build.
pub fn azure_devops(report: &CheckReport) -> String {
    let mut out = String::new();
    for finding in &report.findings {
        let d = diagnostic(&finding.diagnostic, &report.sources);
        let mut properties = vec![format!("type={}", d.severity)];
        if let Some(file) = &d.file {
            properties.push(format!("sourcepath={}", azure_property(file)));
        }
        if let Some(line) = d.line {
            properties.push(format!("linenumber={line}"));
        }
        if let Some(column) = d.column {
            properties.push(format!("columnnumber={column}"));
        }
        properties.push(format!("code={}", azure_property(d.code)));
        out.push_str(&format!(
            "##vso[task.logissue {}]{}\n",
            properties.join(";"),
            azure_data(&message_with_context(finding, &d))
        ));
    }
    if report.errors() > 0 {
        out.push_str("##vso[task.complete result=Failed;]adfc check found errors\n");
    }
    out
}

/// The message with the object and stages, for one-line formats.
fn message_with_context(finding: &Finding, d: &JsonDiagnostic) -> String {
    let mut message = format!("{}: {}", d.code, d.message);
    if let Some(label) = &d.label {
        message.push_str(&format!(" ({label})"));
    }
    if !finding.stages.is_empty() {
        message.push_str(&format!(" [stage {}]", finding.stages.join(", ")));
    }
    message
}

/// GitHub's escaping of a workflow command's data.
fn github_data(text: &str) -> String {
    text.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}

/// GitHub's escaping of a workflow command's property.
fn github_property(text: &str) -> String {
    github_data(text).replace(':', "%3A").replace(',', "%2C")
}

/// Azure DevOps' escaping of a logging command's message.
fn azure_data(text: &str) -> String {
    text.replace('%', "%AZP25").replace('\r', "%AZP0D").replace('\n', "%AZP0A")
}

/// Azure DevOps' escaping of a logging command's property.
fn azure_property(text: &str) -> String {
    azure_data(text).replace(';', "%AZP3B").replace(']', "%AZP5D")
}

/// `--format sarif`: SARIF 2.1.0, with one rule per diagnostic code, for GitHub code scanning.
pub fn sarif(report: &CheckReport) -> String {
    let rules: Vec<Value> = Code::ALL
        .iter()
        .map(|code| json!({ "id": code.as_str(), "shortDescription": { "text": code.description() } }))
        .collect();
    let mut driver = json!({ "name": "adfc", "version": env!("CARGO_PKG_VERSION"), "rules": rules });
    let repository = env!("CARGO_PKG_REPOSITORY");
    if !repository.is_empty() {
        driver["informationUri"] = json!(repository);
    }
    let results: Vec<Value> = report.findings.iter().map(|f| sarif_result(f, report)).collect();
    let document = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": driver },
            "results": results
        }]
    });
    pretty(&document)
}

fn sarif_result(finding: &Finding, report: &CheckReport) -> Value {
    let d = diagnostic(&finding.diagnostic, &report.sources);
    let index = Code::ALL.iter().position(|c| *c == finding.diagnostic.code).unwrap_or(0);
    let mut result = json!({
        "ruleId": d.code,
        "ruleIndex": index,
        "level": d.severity,
        "message": { "text": message_with_context(finding, &d) }
    });
    if let Some(file) = &d.file {
        let mut region = serde_json::Map::new();
        for (key, value) in
            [("startLine", d.line), ("startColumn", d.column), ("endLine", d.end_line), ("endColumn", d.end_column)]
        {
            if let Some(value) = value {
                region.insert(key.to_string(), json!(value));
            }
        }
        let mut location = json!({ "physicalLocation": { "artifactLocation": { "uri": uri(file) } } });
        if !region.is_empty() {
            location["physicalLocation"]["region"] = Value::Object(region);
        }
        result["locations"] = json!([location]);
    }
    result
}

/// A relative file path as a URI reference (forward slashes, `./` dropped, spaces escaped).
fn uri(path: &str) -> String {
    path.trim_start_matches("./").replace('\\', "/").replace('%', "%25").replace(' ', "%20")
}

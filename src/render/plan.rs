//! `adfc plan` output: aligned text lists (coloured on a terminal), and the
//! JSON document that is also `plan.json` (schema in the README).

use serde::Serialize;

use super::json::{JsonDiagnostic, diagnostic, pretty};
use crate::plan::{Plan, Step};
use crate::source::Sources;

/// How many kept objects the text lists before a count.
const KEPT_SHOWN: usize = 10;

/// The plan as text, in the order a release runs it: stop, (deploy), delete,
/// start; then what is kept and the assumptions. `color` adds ANSI colours.
pub fn text(plan: &Plan, color: bool) -> String {
    let widths = widths(plan);
    let paint = |style: &str, text: &str| if color { format!("\x1b[{style}m{text}\x1b[0m") } else { text.to_string() };
    let mut out = String::new();
    let mut list = |title: &str, steps: &[Step], what: &str, style: &str, limit: usize| {
        let heading = match steps.len() {
            0 => format!("{title}: nothing"),
            n => format!("{title}: {n} {what}{}", if n == 1 { "" } else { "s" }),
        };
        out.push_str(&paint("1", &heading));
        out.push('\n');
        for step in steps.iter().take(limit) {
            let line = row(step, widths);
            out.push_str("  ");
            out.push_str(&paint(style, &line.0));
            out.push_str(&line.1);
            out.push('\n');
        }
        if steps.len() > limit {
            out.push_str(&format!("  … and {} more\n", steps.len() - limit));
        }
    };
    list("stop before deploying", &plan.stop, "trigger", "33", usize::MAX);
    if plan.settings.delete != crate::plan::DeleteMethod::None {
        list("delete after deploying", &plan.delete, "object", "31", usize::MAX);
    }
    list("start after deploying", &plan.start, "trigger", "32", usize::MAX);
    if !plan.kept.is_empty() {
        list("kept, though missing from the output", &plan.kept, "object", "2", KEPT_SHOWN);
    }
    if !plan.assumptions.is_empty() {
        out.push_str(&paint("1", "assumptions:"));
        out.push('\n');
        for assumption in &plan.assumptions {
            out.push_str(&format!("  - {assumption}\n"));
        }
    }
    out
}

/// Widths of the type and name columns, over every list.
fn widths(plan: &Plan) -> (usize, usize) {
    let steps = plan.stop.iter().chain(&plan.delete).chain(&plan.start).chain(plan.kept.iter().take(KEPT_SHOWN));
    steps.fold((0, 0), |(t, n), s| (t.max(s.otype.as_str().len()), n.max(display_name(s).chars().count())))
}

/// The type and name (padded), and the reason.
fn row(step: &Step, (type_width, name_width): (usize, usize)) -> (String, String) {
    let name = display_name(step);
    let pad = name_width.saturating_sub(name.chars().count());
    (format!("{:<type_width$}  {name}", step.otype.as_str()), format!("{:pad$}  {}", "", step.reason))
}

/// A name as text shows it: control characters escaped, the managed virtual network of a private endpoint named.
fn display_name(step: &Step) -> String {
    let escape = |s: &str| {
        if s.chars().any(char::is_control) { s.escape_debug().to_string() } else { s.to_string() }
    };
    match &step.parent {
        Some(parent) => format!("{} (in {})", escape(&step.name), escape(parent)),
        None => escape(&step.name),
    }
}

/// `plan.json`: schema version 1 (fields are only ever added).
#[derive(Debug, Serialize)]
struct JsonPlan<'p> {
    version: u32,
    factory: &'p str,
    stop: Vec<JsonStep<'p>>,
    start: Vec<JsonStep<'p>>,
    delete: Vec<JsonStep<'p>>,
    kept: Vec<JsonStep<'p>>,
    options: JsonOptions,
    assumptions: &'p [String],
    warnings: Vec<JsonDiagnostic>,
}

#[derive(Debug, Serialize)]
struct JsonStep<'p> {
    #[serde(rename = "type")]
    otype: &'static str,
    name: &'p str,
    #[serde(rename = "managedVirtualNetwork", skip_serializing_if = "Option::is_none")]
    parent: Option<&'p str>,
    reason: &'p str,
    #[serde(rename = "ifExists", skip_serializing_if = "std::ops::Not::not")]
    if_exists: bool,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct JsonOptions {
    stop: &'static str,
    start: &'static str,
    delete: &'static str,
    keep_excluded_triggers: bool,
    delete_excluded: bool,
    delete_private_endpoints: bool,
    allow_mass_delete: bool,
    start_retries: u32,
    target_state: Vec<String>,
    previous: Option<String>,
}

/// The plan as pretty JSON (what `plan.json` holds); warnings point into `sources`.
pub fn json(plan: &Plan, sources: &Sources) -> String {
    let s = &plan.settings;
    pretty(&JsonPlan {
        version: 1,
        factory: &plan.factory,
        stop: json_steps(&plan.stop),
        start: json_steps(&plan.start),
        delete: json_steps(&plan.delete),
        kept: json_steps(&plan.kept),
        options: JsonOptions {
            stop: s.stop.as_str(),
            start: s.start.as_str(),
            delete: s.delete.as_str(),
            keep_excluded_triggers: s.keep_excluded_triggers,
            delete_excluded: s.delete_excluded,
            delete_private_endpoints: s.delete_private_endpoints,
            allow_mass_delete: s.allow_mass_delete,
            start_retries: s.start_retries,
            target_state: s.target_state.iter().map(|p| p.display().to_string()).collect(),
            previous: s.previous.as_ref().map(|p| p.display().to_string()),
        },
        assumptions: &plan.assumptions,
        warnings: plan.warnings.iter().map(|d| diagnostic(d, sources)).collect(),
    })
}

fn json_steps(steps: &[Step]) -> Vec<JsonStep<'_>> {
    steps.iter().map(json_step).collect()
}

fn json_step(step: &Step) -> JsonStep<'_> {
    JsonStep {
        otype: step.otype.as_str(),
        name: &step.name,
        parent: step.parent.as_deref(),
        reason: &step.reason,
        if_exists: step.if_exists,
    }
}

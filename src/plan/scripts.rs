//! Ready-to-run scripts for a plan: `stop-triggers`, `start-triggers` and
//! `delete-objects`, each for bash with the az CLI (`.sh`) and for Az
//! PowerShell (`.ps1`), taking the factory name and resource group as
//! arguments.
//!
//! Names come from templates and target-state files, so they are treated as
//! hostile: in bash every name is one single-quoted word (`'` written
//! `'\''`) passed as `--name=VALUE`, so a leading `-` cannot be read as an
//! option; in PowerShell every name is a single-quoted literal (`'` and the
//! typographic quotes PowerShell also accepts doubled), so `$` and backticks
//! are never interpolated. A name is never written into a comment or a
//! double-quoted string. az reads an argument value that starts with `@` as a
//! file name, and no shell can pass a NUL: such names are refused.

use std::path::Path;

use super::{Plan, Step};
use crate::diag::{Code, Diagnostic, Errors, Report};
use crate::output::{OutputFile, Role};
use crate::template::ObjectType;

/// The ARM API version the REST fallbacks use.
const API_VERSION: &str = "2018-06-01";

/// The six script files of a plan, named under `dir` (all of them, even with
/// nothing to do: a release pipeline can always run them).
pub fn files(plan: &Plan, dir: &Path) -> Result<Vec<OutputFile>, Errors> {
    check_names(plan)?;
    let retries = plan.settings.start_retries;
    let scripts = [
        ("stop-triggers.sh", Role::ShellScript, bash::stop(&plan.stop)),
        ("start-triggers.sh", Role::ShellScript, bash::start(&plan.start, retries)),
        ("delete-objects.sh", Role::ShellScript, bash::delete(&plan.delete)),
        ("stop-triggers.ps1", Role::PowerShellScript, powershell::stop(&plan.stop)),
        ("start-triggers.ps1", Role::PowerShellScript, powershell::start(&plan.start, retries)),
        ("delete-objects.ps1", Role::PowerShellScript, powershell::delete(&plan.delete)),
    ];
    Ok(scripts.into_iter().map(|(name, role, text)| OutputFile { name: dir.join(name), role, text }).collect())
}

/// Names that cannot be passed safely, all reported.
fn check_names(plan: &Plan) -> Result<(), Errors> {
    let mut report = Report::default();
    let mut seen = std::collections::HashSet::new();
    let steps = plan.stop.iter().chain(&plan.start).chain(&plan.delete).filter(|s| seen.insert(s.id()));
    for step in steps {
        let names = std::iter::once(step.name.as_str()).chain(step.parent.as_deref());
        for problem in names.filter_map(unsafe_because) {
            let message = format!("{} cannot be written into a script: its name {problem}", step.id().escape_debug());
            report.push(Diagnostic::error(Code::PlanUnsafeName, message).object(step.id()));
        }
    }
    report.check()
}

fn unsafe_because(name: &str) -> Option<&'static str> {
    if name.contains('\0') {
        Some("holds a NUL character, which no shell can pass")
    } else if name.starts_with('@') {
        Some("starts with `@`, which makes az read a file of that name instead")
    } else {
        None
    }
}

/// `name` as one single-quoted bash word.
pub fn bash_quote(name: &str) -> String {
    format!("'{}'", name.replace('\'', r"'\''"))
}

/// `name` as a single-quoted PowerShell literal: `'` and the typographic
/// single quotes (which PowerShell also reads as quotes) doubled.
pub fn powershell_quote(name: &str) -> String {
    let mut out = String::with_capacity(name.len() + 2);
    out.push('\'');
    for c in name.chars() {
        if matches!(c, '\'' | '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}') {
            out.push(c);
        }
        out.push(c);
    }
    out.push('\'');
    out
}

/// The path segment of a type below `Microsoft.DataFactory/factories/`, for
/// the types az datafactory has no command for.
fn resource_segment(otype: ObjectType) -> &'static str {
    match otype {
        ObjectType::Adfcdc => "adfcdcs",
        _ => "credentials",
    }
}

/// Percent-encode all but the unreserved characters of RFC 3986, for a URL path segment.
fn url_segment(name: &str) -> String {
    name.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => char::from(b).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

fn count(n: usize, what: &str) -> String {
    format!("{n} {what}{}", if n == 1 { "" } else { "s" })
}

mod bash {
    use super::{API_VERSION, Step, bash_quote, count, resource_segment, url_segment};
    use crate::template::ObjectType;

    /// The script's start: strict mode, and the two arguments (kept in
    /// variables when the script has something to do with them).
    fn header(purpose: &str, has_steps: bool) -> String {
        let variables = if has_steps { "factory=$1\ngroup=$2\n" } else { "" };
        format!(
            r#"#!/usr/bin/env bash
# Names are data, single-quoted on purpose (SC2016), and may hold any character (SC1112).
# shellcheck disable=SC2016,SC1112
# {purpose}.
# Written by adfc plan: every name in it is data, single-quoted.
# Usage: $0 FACTORY_NAME RESOURCE_GROUP
set -euo pipefail

if [[ $# -ne 2 ]]; then
    echo "usage: ${{0##*/}} FACTORY_NAME RESOURCE_GROUP" >&2
    exit 2
fi
{variables}"#
        )
    }

    fn done(script: &str, what: String) -> String {
        format!("echo {}\n", bash_quote(&format!("adfc plan: {script} done ({what})")))
    }

    /// The stop script.
    pub(super) fn stop(steps: &[Step]) -> String {
        let mut out =
            header("Stop the Data Factory triggers a release deploys, before deploying it", !steps.is_empty());
        let checked = steps.iter().any(|s| s.if_exists);
        if !steps.is_empty() {
            out.push_str(STOP_FUNCTION);
        }
        if checked {
            out.push_str(STOP_IF_EXISTS_FUNCTION);
        }
        out.push('\n');
        for step in steps {
            let function = if step.if_exists { "stop_trigger_if_exists" } else { "stop_trigger" };
            out.push_str(&format!("{function} {}\n", bash_quote(&step.name)));
        }
        out + &done("stop-triggers", count(steps.len(), "trigger"))
    }

    const STOP_FUNCTION: &str = r#"
# stop_trigger NAME
stop_trigger() {
    printf 'stopping trigger %q\n' "$1" >&2
    az datafactory trigger stop --factory-name="$factory" --resource-group="$group" --name="$1"
}
"#;

    const STOP_IF_EXISTS_FUNCTION: &str = r#"
# stop_trigger_if_exists NAME: no target state said the factory has it; az exits 3 when it does not.
stop_trigger_if_exists() {
    local output status=0
    output=$(az datafactory trigger show --factory-name="$factory" --resource-group="$group" --name="$1" --output none 2>&1) || status=$?
    case $status in
        0) stop_trigger "$1" ;;
        3) printf 'trigger %q is not in the factory: nothing to stop\n' "$1" >&2 ;;
        *)
            printf '%s\n' "$output" >&2
            exit "$status"
            ;;
    esac
}
"#;

    /// The start script: each start is retried with a doubling pause, and the
    /// triggers that never started are listed at the end (exit 1).
    pub(super) fn start(steps: &[Step], retries: u32) -> String {
        let mut out = header("Start the Data Factory triggers of a release, after deploying it", !steps.is_empty());
        if steps.is_empty() {
            return out + "\n" + &done("start-triggers", "no trigger to start".into());
        }
        out.push_str(&format!(
            "\n# Retries of a start that fails (an Event Grid subscription may still be provisioning),\n\
             # and the first pause in seconds, doubled after each retry.\n\
             retries={retries}\npause=${{ADFC_RETRY_DELAY:-10}}\nfailed=()\n"
        ));
        out.push_str(START_FUNCTION);
        out.push('\n');
        for step in steps {
            out.push_str(&format!("start_trigger {}\n", bash_quote(&step.name)));
        }
        out.push_str(START_END);
        out + &done("start-triggers", format!("{} started", count(steps.len(), "trigger")))
    }

    const START_FUNCTION: &str = r#"
# start_trigger NAME
start_trigger() {
    local attempt=0 wait_for=$pause
    printf 'starting trigger %q\n' "$1" >&2
    until az datafactory trigger start --factory-name="$factory" --resource-group="$group" --name="$1"; do
        if ((attempt >= retries)); then
            failed+=("$1")
            return 0
        fi
        attempt=$((attempt + 1))
        printf 'trigger %q did not start: retry %d of %d in %s s\n' "$1" "$attempt" "$retries" "$wait_for" >&2
        sleep "$wait_for"
        wait_for=$((wait_for * 2))
    done
}
"#;

    const START_END: &str = r#"
if ((${#failed[@]} > 0)); then
    printf 'adfc plan: %d trigger(s) did not start after %d retries:\n' "${#failed[@]}" "$retries" >&2
    printf '  %q\n' "${failed[@]}" >&2
    exit 1
fi
"#;

    /// The delete script, in plan order.
    pub(super) fn delete(steps: &[Step]) -> String {
        let mut out =
            header("Delete the Data Factory objects a release removed, after deploying it", !steps.is_empty());
        if steps.iter().any(|s| command(s.otype).is_some()) {
            out.push_str(DELETE_FUNCTION);
        }
        if steps.iter().any(|s| command(s.otype).is_none()) {
            out.push_str(&DELETE_RESOURCE_FUNCTION.replace("API_VERSION", API_VERSION));
        }
        out.push('\n');
        for step in steps {
            out.push_str(&delete_line(step));
            out.push('\n');
        }
        out + &done("delete-objects", format!("{} deleted", count(steps.len(), "object")))
    }

    /// The `az datafactory` command group of a type, when it has one.
    fn command(otype: ObjectType) -> Option<&'static str> {
        Some(match otype {
            ObjectType::Trigger => "trigger",
            ObjectType::Pipeline => "pipeline",
            ObjectType::Dataflow => "data-flow",
            ObjectType::Dataset => "dataset",
            ObjectType::LinkedService => "linked-service",
            ObjectType::IntegrationRuntime => "integration-runtime",
            ObjectType::ManagedPrivateEndpoint => "managed-private-endpoint",
            _ => return None,
        })
    }

    fn delete_line(step: &Step) -> String {
        let name = bash_quote(&step.name);
        match (command(step.otype), step.otype) {
            (Some(group), ObjectType::ManagedPrivateEndpoint) => {
                let vnet = bash_quote(step.parent.as_deref().unwrap_or("default"));
                format!("delete_object {group} {name} --managed-virtual-network-name={vnet}")
            }
            (Some(group), _) => format!("delete_object {group} {name}"),
            // Types az datafactory has no command for: a REST DELETE through `az rest`.
            (None, otype) => {
                let path = format!("{}/{}", resource_segment(otype), url_segment(&step.name));
                format!("delete_resource {} {name}", bash_quote(&path))
            }
        }
    }

    const DELETE_FUNCTION: &str = r#"
# delete_object COMMAND_GROUP NAME [ARGUMENT...]
delete_object() {
    local kind=$1 name=$2
    shift 2
    printf 'deleting %s %q\n' "$kind" "$name" >&2
    az datafactory "$kind" delete --factory-name="$factory" --resource-group="$group" --name="$name" "$@" --yes
}
"#;

    const DELETE_RESOURCE_FUNCTION: &str = r#"
# delete_resource PATH NAME: PATH is the URL-encoded path below the factory.
delete_resource() {
    printf 'deleting %q\n' "$2" >&2
    az rest --method delete \
        --url="/subscriptions/{subscriptionId}/resourceGroups/$group/providers/Microsoft.DataFactory/factories/$factory/$1?api-version=API_VERSION"
}
"#;
}

mod powershell {
    use super::{API_VERSION, Step, count, powershell_quote, resource_segment};
    use crate::template::ObjectType;

    fn header(purpose: &str) -> String {
        format!(
            r#"# {purpose}.
# Written by adfc plan: every name in it is data, single-quoted.
# Usage: ./script.ps1 -DataFactoryName NAME -ResourceGroupName GROUP
param(
    [Parameter(Mandatory = $true)][string] $DataFactoryName,
    [Parameter(Mandatory = $true)][string] $ResourceGroupName
)
$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0
"#
        )
    }

    fn done(script: &str, what: String) -> String {
        format!("Write-Host {}\n", powershell_quote(&format!("adfc plan: {script} done ({what})")))
    }

    const TARGET: &str = "-ResourceGroupName $ResourceGroupName -DataFactoryName $DataFactoryName";

    /// The stop script.
    pub(super) fn stop(steps: &[Step]) -> String {
        let mut out = header("Stop the Data Factory triggers a release deploys, before deploying it");
        out.push('\n');
        for step in steps {
            let name = powershell_quote(&step.name);
            let stop = format!("Stop-AzDataFactoryV2Trigger {TARGET} -Name {name} -Force | Out-Null");
            if step.if_exists {
                out.push_str(&format!(
                    "if ($null -ne (Get-AzDataFactoryV2Trigger {TARGET} -Name {name} -ErrorAction SilentlyContinue)) {{\n    {stop}\n}}\n"
                ));
            } else {
                out.push_str(&stop);
                out.push('\n');
            }
        }
        out + &done("stop-triggers", count(steps.len(), "trigger"))
    }

    /// The start script, retrying like the bash one.
    pub(super) fn start(steps: &[Step], retries: u32) -> String {
        let mut out = header("Start the Data Factory triggers of a release, after deploying it");
        if steps.is_empty() {
            return out + "\n" + &done("start-triggers", "no trigger to start".into());
        }
        out.push_str(&START_FUNCTION.replace("RETRIES", &retries.to_string()).replace("TARGET", TARGET));
        out.push('\n');
        for step in steps {
            out.push_str(&format!("Start-Trigger -Name {}\n", powershell_quote(&step.name)));
        }
        out.push_str(START_END);
        out + &done("start-triggers", format!("{} started", count(steps.len(), "trigger")))
    }

    const START_FUNCTION: &str = r#"
# Retries of a start that fails (an Event Grid subscription may still be provisioning),
# and the first pause in seconds, doubled after each retry.
$Retries = RETRIES
$Pause = if ($env:ADFC_RETRY_DELAY) { [int] $env:ADFC_RETRY_DELAY } else { 10 }
$Failed = [System.Collections.Generic.List[string]]::new()

function Start-Trigger([string] $Name) {
    $wait = $Pause
    for ($attempt = 0; ; $attempt++) {
        try {
            Start-AzDataFactoryV2Trigger TARGET -Name $Name -Force | Out-Null
            return
        } catch {
            if ($attempt -ge $Retries) {
                $Failed.Add($Name)
                return
            }
            Write-Warning ("trigger {0} did not start: retry {1} of {2} in {3} s ({4})" -f $Name, ($attempt + 1), $Retries, $wait, $_.Exception.Message)
            Start-Sleep -Seconds $wait
            $wait *= 2
        }
    }
}
"#;

    const START_END: &str = r#"
if ($Failed.Count -gt 0) {
    [Console]::Error.WriteLine(("adfc plan: {0} trigger(s) did not start after {1} retries: {2}" -f $Failed.Count, $Retries, ($Failed -join ', ')))
    exit 1
}
"#;

    /// The delete script, in plan order.
    pub(super) fn delete(steps: &[Step]) -> String {
        let mut out = header("Delete the Data Factory objects a release removed, after deploying it");
        out.push('\n');
        for step in steps {
            out.push_str(&delete_line(step));
            out.push('\n');
        }
        out + &done("delete-objects", format!("{} deleted", count(steps.len(), "object")))
    }

    fn delete_line(step: &Step) -> String {
        let name = powershell_quote(&step.name);
        let cmdlet = match step.otype {
            ObjectType::Trigger => "Trigger",
            ObjectType::Pipeline => "Pipeline",
            ObjectType::Dataflow => "DataFlow",
            ObjectType::Dataset => "Dataset",
            ObjectType::LinkedService => "LinkedService",
            ObjectType::IntegrationRuntime => "IntegrationRuntime",
            otype => return remove_resource(step, otype),
        };
        format!("Remove-AzDataFactoryV2{cmdlet} {TARGET} -Name {name} -Force")
    }

    /// Types without an Az.DataFactory cmdlet: `Remove-AzResource`.
    fn remove_resource(step: &Step, otype: ObjectType) -> String {
        let (rtype, path) = match otype {
            ObjectType::ManagedPrivateEndpoint => {
                let vnet = powershell_quote(step.parent.as_deref().unwrap_or("default"));
                ("managedVirtualNetworks/managedPrivateEndpoints", format!("{vnet} + '/' + "))
            }
            _ => (resource_segment(otype), String::new()),
        };
        format!(
            "Remove-AzResource -ResourceGroupName $ResourceGroupName -ResourceType 'Microsoft.DataFactory/factories/{rtype}' \
             -ResourceName ($DataFactoryName + '/' + {path}{}) -ApiVersion '{API_VERSION}' -Force",
            powershell_quote(&step.name)
        )
    }
}

#[cfg(test)]
#[path = "scripts_tests.rs"]
mod tests;

//! The release files of issue 14, run: the example pipelines of `deployment/` (Azure DevOps, GitHub
//! Actions, pre-commit), the composite action (`action.yml`) and the release workflow.
//!
//! Every YAML file must parse. The pipelines are then played step by step on a simulated agent: a
//! workspace holding the bundled example factory and `deployment/`, the pipeline's variables and
//! template expressions mapped to it, and on PATH a stub `az` that records its calls and answers
//! `list` queries with a saved factory state, and a stub `curl` that serves a local "release" of adfc
//! (a wrapper that records each adfc command line and runs the real binary). So every `adfc` command
//! line of a pipeline runs against the example, and the recorded `az` calls show what a release does:
//! stop before deploying, start after, exact trigger names.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use common::root;
use regex::Regex;
use serde_json::{Value, json};
use serde_norway::Value as Yaml;
use tempfile::TempDir;

const VERSION: &str = "v0.1.0";
const LINUX_ASSET: &str = "adfc-x86_64-unknown-linux-musl.tar.gz";

// ---------------------------------------------------------------------------------------------------------------
// Reading the files

fn read(rel: &str) -> String {
    std::fs::read_to_string(root().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

fn yaml(rel: &str) -> Yaml {
    serde_norway::from_str(&read(rel)).unwrap_or_else(|e| panic!("{rel} is not valid YAML: {e}"))
}

fn text(value: &Yaml) -> &str {
    value.as_str().unwrap_or_else(|| panic!("not a string: {value:?}"))
}

/// `value` with `f` applied to every string in it (keys included).
fn map_strings(value: &Yaml, f: &dyn Fn(&str) -> String) -> Yaml {
    match value {
        Yaml::String(s) => Yaml::String(f(s)),
        Yaml::Sequence(items) => Yaml::Sequence(items.iter().map(|v| map_strings(v, f)).collect()),
        Yaml::Mapping(map) => Yaml::Mapping(map.iter().map(|(k, v)| (map_strings(k, f), map_strings(v, f))).collect()),
        other => other.clone(),
    }
}

/// A mapping of strings as (key, value) pairs; no mapping → none.
fn pairs(value: Option<&Yaml>) -> Vec<(String, String)> {
    let Some(Yaml::Mapping(map)) = value else { return Vec::new() };
    map.iter()
        .map(|(k, v)| {
            let v = match v {
                Yaml::Bool(b) => b.to_string(),
                other => text(other).to_string(),
            };
            (text(k).to_string(), v)
        })
        .collect()
}

#[test]
fn every_release_yaml_file_parses() {
    let files = [
        "deployment/azure-pipelines.yml",
        "deployment/github/adf-release.yml",
        "deployment/pre-commit-config.yaml",
        "action.yml",
        ".github/workflows/release.yml",
        ".pre-commit-hooks.yaml",
    ];
    for file in files {
        let doc = yaml(file);
        assert!(doc.as_mapping().is_some() || doc.as_sequence().is_some(), "{file}: {doc:?}");
    }
}

// ---------------------------------------------------------------------------------------------------------------
// The simulated agent

/// A stub `az`: records each call (arguments NUL-terminated, then one more NUL) in `$AZ_LOG`;
/// `az datafactory <kind> list` prints `$AZ_STATE/<kind>.json`; generate-sas prints a token.
const STUB_AZ: &str = r#"#!/usr/bin/env bash
{ printf '%s\0' "$@"; printf '\0'; } >>"$AZ_LOG"
if [[ $1 == datafactory && $3 == list ]]; then
    if [[ -f $AZ_STATE/$2.json ]]; then cat "$AZ_STATE/$2.json"; else echo '[]'; fi
elif [[ $1 == storage && $2 == container && $3 == generate-sas ]]; then
    echo 'sv=2024-01-01&sig=stub'
fi
exit 0
"#;

/// A stub `curl` serving `https://github.com/your-org/adfc/releases/download/<tag>/<asset>` and
/// `…/releases/latest/download/<asset>` from `$RELEASES/<tag or latest>/<asset>`; anything else fails.
const STUB_CURL: &str = r#"#!/usr/bin/env bash
out='' url=''
while [[ $# -gt 0 ]]; do
    case $1 in
        -o|--output) out=$2; shift 2 ;;
        https://*) url=$1; shift ;;
        *) shift ;;
    esac
done
rest=${url#https://github.com/your-org/adfc/releases/}
[[ $rest != "$url" ]] || { echo "stub curl: unexpected URL $url" >&2; exit 22; }
rest=${rest/download\//}
[[ -f $RELEASES/$rest ]] || { echo "stub curl: 404 $url" >&2; exit 22; }
cp "$RELEASES/$rest" "${out:-${url##*/}}"
"#;

/// A stub `gh`: records each call in `$GH_LOG`, and succeeds.
const STUB_GH: &str = r#"#!/usr/bin/env bash
{ printf '%s\0' "$@"; printf '\0'; } >>"$GH_LOG"
exit 0
"#;

/// What the release archive holds as `adfc`: runs the real binary, then records its exit code and
/// arguments in `$ADFC_LOG`.
const ADFC_WRAPPER: &str = r#"#!/usr/bin/env bash
"$ADFC_REAL" "$@"
rc=$?
{ printf '%s\0' "$rc" "$@"; printf '\0'; } >>"$ADFC_LOG"
exit $rc
"#;

struct Agent {
    dir: TempDir,
    /// Folders steps added to PATH (`##vso[task.prependpath]`, `$GITHUB_PATH`), latest first.
    path: Vec<String>,
    /// Files steps attached to the run's summary (`##vso[task.uploadsummary]`).
    summaries: Vec<PathBuf>,
    steps: usize,
}

impl Agent {
    /// A workspace with the example factory and `deployment/`, the stubs, a release of adfc, and a
    /// target factory that runs every trigger of the example and holds its objects plus `PL_Retired`.
    fn new() -> Agent {
        let dir = tempfile::tempdir().expect("tempdir");
        let agent = Agent { dir, path: Vec::new(), summaries: Vec::new(), steps: 0 };
        agent.copy_dir(&root().join("fixtures/example"), &agent.ws().join("fixtures/example"));
        agent.copy_dir(&root().join("deployment"), &agent.ws().join("deployment"));
        for sub in ["stub", "agent-tmp", "staging", "runner-tmp", "steps", "az-state"] {
            std::fs::create_dir_all(agent.path_of(sub)).expect("mkdir");
        }
        executable(&agent.path_of("stub/az"), STUB_AZ);
        executable(&agent.path_of("stub/curl"), STUB_CURL);
        executable(&agent.path_of("stub/gh"), STUB_GH);
        agent.release();
        agent.target_state();
        agent
    }

    fn path_of(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    /// The checkout: what `Build.SourcesDirectory` / `GITHUB_WORKSPACE` point at.
    fn ws(&self) -> PathBuf {
        self.path_of("ws")
    }

    fn copy_dir(&self, from: &Path, to: &Path) {
        std::fs::create_dir_all(to).expect("mkdir");
        for entry in std::fs::read_dir(from).expect("read_dir").filter_map(Result::ok) {
            if entry.path().is_file() {
                std::fs::copy(entry.path(), to.join(entry.file_name())).expect("copy");
            }
        }
    }

    /// `$RELEASES/<tag>/` and `$RELEASES/latest/`: the Linux archive and its checksum, as release.yml writes them.
    fn release(&self) {
        let staging = self.path_of("archive");
        std::fs::create_dir_all(&staging).expect("mkdir");
        executable(&staging.join("adfc"), ADFC_WRAPPER);
        for tag in [VERSION, "latest"] {
            let dir = self.path_of("releases").join(tag);
            std::fs::create_dir_all(&dir).expect("mkdir");
            shell(
                &dir,
                &format!(
                    "tar -czf {LINUX_ASSET} -C '{}' . && sha256sum {LINUX_ASSET} > {LINUX_ASSET}.sha256",
                    staging.display()
                ),
            );
        }
    }

    /// `$AZ_STATE/<kind>.json` as `az datafactory <kind> list` prints it: every object of the example
    /// (triggers all Started), and in the pipelines one the source no longer has, `PL_Retired`.
    fn target_state(&self) {
        let output =
            common::adfc().args(["ls", "--template", "fixtures/example", "--format", "json"]).output().expect("ls");
        let listing: Value = serde_json::from_slice(&output.stdout).expect("ls json");
        let template = common::json(&root().join("fixtures/example/ARMTemplateForFactory.json"));
        let kinds = [
            ("trigger", "trigger"),
            ("pipeline", "pipeline"),
            ("dataset", "dataset"),
            ("data-flow", "dataflow"),
            ("linked-service", "linkedService"),
            ("integration-runtime", "integrationRuntime"),
        ];
        for (kind, otype) in kinds {
            let mut entries: Vec<Value> = listing["objects"]
                .as_array()
                .expect("objects")
                .iter()
                .filter(|o| o["type"] == otype)
                .map(|o| {
                    let mut properties = json!({});
                    if otype == "trigger" {
                        let name = o["name"].as_str().expect("name");
                        properties = common::resource(&template, "triggers", name)["properties"].clone();
                        properties["runtimeState"] = json!("Started");
                    }
                    json!({"name": o["name"], "type": o["resourceType"], "properties": properties})
                })
                .collect();
            if kind == "pipeline" {
                entries.push(json!({"name": "PL_Retired", "type": "Microsoft.DataFactory/factories/pipelines", "properties": {"activities": []}}));
            }
            assert!(!entries.is_empty(), "the example has no {otype}");
            let file = self.path_of("az-state").join(format!("{kind}.json"));
            std::fs::write(file, serde_json::to_string_pretty(&entries).expect("json")).expect("write");
        }
    }

    /// Run one step's script with bash, from the workspace; it must succeed. Returns its stdout.
    fn run(&mut self, name: &str, script: &str, env: &[(String, String)]) -> String {
        self.steps += 1;
        let file = self.path_of("steps").join(format!("{}.sh", self.steps));
        std::fs::write(&file, script).expect("write step");
        shellcheck(name, &file);
        let github_path = self.path_of("github_path");
        let _ = std::fs::remove_file(&github_path);
        let mut path = self.path.clone();
        path.push(self.path_of("stub").display().to_string());
        path.push(std::env::var("PATH").unwrap_or_default());
        let mut cmd = std::process::Command::new("bash");
        cmd.args(["--noprofile", "--norc", "-e"]).arg(&file).current_dir(self.ws()).env_clear();
        cmd.env("PATH", path.join(":")).env("HOME", self.dir.path()).env("NO_COLOR", "1");
        let logs = [
            ("AZ_LOG", "az.log"),
            ("AZ_STATE", "az-state"),
            ("ADFC_LOG", "adfc.log"),
            ("GH_LOG", "gh.log"),
            ("RELEASES", "releases"),
        ];
        for (var, rel) in logs {
            cmd.env(var, self.path_of(rel));
        }
        cmd.env("ADFC_REAL", env!("CARGO_BIN_EXE_adfc")).env("ADFC_RETRY_DELAY", "0");
        cmd.env("GITHUB_PATH", &github_path).env("GITHUB_OUTPUT", self.path_of("github_output"));
        cmd.env("GITHUB_STEP_SUMMARY", self.path_of("step_summary"));
        cmd.envs(env.iter().map(|(k, v)| (k.as_str(), v.as_str())));
        let output = cmd.output().expect("run bash");
        let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(
            output.status.success(),
            "step `{name}` failed ({:?})\n{script}\nstdout:\n{stdout}\nstderr:\n{stderr}",
            output.status.code()
        );
        for dir in stdout.lines().filter_map(|l| l.strip_prefix("##vso[task.prependpath]")) {
            self.path.insert(0, dir.to_string());
        }
        for file in stdout.lines().filter_map(|l| l.strip_prefix("##vso[task.uploadsummary]")) {
            self.summaries.push(PathBuf::from(file));
        }
        for dir in std::fs::read_to_string(&github_path).unwrap_or_default().lines() {
            self.path.insert(0, dir.to_string());
        }
        stdout
    }

    /// Every `az` call so far, in order.
    fn az_calls(&self) -> Vec<Vec<String>> {
        records(&self.path_of("az.log"))
    }

    /// Every `gh` call so far, in order.
    fn gh_calls(&self) -> Vec<Vec<String>> {
        records(&self.path_of("gh.log"))
    }

    /// Every adfc run so far: its exit code, then its arguments.
    fn adfc_runs(&self) -> Vec<Vec<String>> {
        records(&self.path_of("adfc.log"))
    }
}

/// `shellcheck` on a step's script, as played (template expressions expanded, so a tested
/// `[ "True" = True ]` is constant: SC2050 is expected). Skipped with a message when shellcheck is
/// not installed locally; under CI (which installs it) its absence fails.
fn shellcheck(name: &str, file: &Path) {
    let installed =
        std::process::Command::new("shellcheck").arg("--version").output().is_ok_and(|o| o.status.success());
    if !installed {
        assert!(std::env::var_os("CI").is_none_or(|v| v.is_empty()), "CI is set but shellcheck is not installed");
        eprintln!("SKIPPED: shellcheck is not installed; step `{name}` not checked");
        return;
    }
    let output = std::process::Command::new("shellcheck")
        .args(["--shell=bash", "--exclude=SC2050", "--format=gcc"])
        .arg(file)
        .output()
        .expect("shellcheck");
    assert!(output.status.success(), "shellcheck, step `{name}`:\n{}", String::from_utf8_lossy(&output.stdout));
}

fn executable(path: &Path, text: &str) {
    std::fs::write(path, text).expect("write");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    }
}

fn shell(cwd: &Path, script: &str) {
    let output = std::process::Command::new("bash").args(["-c", script]).current_dir(cwd).output().expect("bash");
    assert!(output.status.success(), "{script}: {}", String::from_utf8_lossy(&output.stderr));
}

/// Records of a log: NUL-terminated fields, each record ended by an empty field.
fn records(log: &Path) -> Vec<Vec<String>> {
    let bytes = std::fs::read(log).unwrap_or_default();
    let mut all = Vec::new();
    let mut record = Vec::new();
    let fields: Vec<&[u8]> = bytes.split(|b| *b == 0).collect();
    for field in fields.split_last().map_or(&[][..], |(_, rest)| rest) {
        if field.is_empty() {
            all.push(std::mem::take(&mut record));
        } else {
            record.push(String::from_utf8_lossy(field).into_owned());
        }
    }
    all
}

/// The adfc subcommands that a script's `adfc …` command lines run.
fn adfc_commands(script: &str) -> BTreeSet<String> {
    // The action runs the adfc it installed by its path.
    let line = Regex::new(r#"(?m)^\s*(?:adfc|"\$\{dir\}/adfc") ([a-z-]+)"#).expect("regex");
    line.captures_iter(script).map(|c| c[1].to_string()).collect()
}

/// Every adfc run succeeded, and each `adfc …` command line of `scripts` ran.
#[track_caller]
fn assert_adfc_lines_ran(agent: &Agent, scripts: &str) {
    let runs = agent.adfc_runs();
    for run in &runs {
        assert_eq!(run[0], "0", "adfc {} failed", run[1..].join(" "));
    }
    let ran: BTreeSet<String> = runs.iter().map(|r| r[1].clone()).collect();
    let expected = adfc_commands(scripts);
    assert!(!expected.is_empty(), "no adfc command line in\n{scripts}");
    assert_eq!(ran, expected, "adfc commands run vs the command lines of the pipeline");
}

/// What a release did, from the az calls: (stopped triggers, started triggers, deleted (kind, name)),
/// after checking the order: stops, then the deployment, then deletions, then starts.
#[track_caller]
fn release_calls(calls: &[Vec<String>]) -> (Vec<String>, Vec<String>, Vec<String>) {
    let is = |call: &Vec<String>, prefix: &[&str]| {
        call.len() >= prefix.len() && call.iter().zip(prefix).all(|(a, b)| a == b)
    };
    let name = |call: &Vec<String>| call.iter().find_map(|a| a.strip_prefix("--name=")).unwrap_or("?").to_string();
    let deploys: Vec<usize> = (0..calls.len()).filter(|i| is(&calls[*i], &["deployment", "group", "create"])).collect();
    assert_eq!(deploys.len(), 1, "one deployment: {calls:#?}");
    let deploy = deploys[0];
    let (mut stop, mut start, mut delete) = (Vec::new(), Vec::new(), Vec::new());
    for (i, call) in calls.iter().enumerate() {
        if is(call, &["datafactory", "trigger", "stop"]) {
            assert!(i < deploy, "trigger {} stopped after the deployment", name(call));
            stop.push(name(call));
        } else if is(call, &["datafactory", "trigger", "start"]) {
            assert!(i > deploy, "trigger {} started before the deployment", name(call));
            start.push(name(call));
        } else if call.len() > 2 && call[0] == "datafactory" && call[2] == "delete" {
            assert!(i > deploy, "{} deleted before the deployment", name(call));
            assert!(start.is_empty(), "deletions come before the starts");
            delete.push(format!("{} {}", call[1], name(call)));
        }
    }
    (stop, start, delete)
}

fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| s.to_string()).collect()
}

/// Triggers of the example, in the order the plan stops them (TR_Hourly_Dependent before TR_Hourly).
const STOP_ALL: [&str; 4] = ["TR_Daily", "TR_Hourly_Dependent", "TR_Hourly", "TR_Weekly Report"];

/// What each stage starts: prod runs all; uat's config stops TR_Hourly* and TR_Weekly*.
fn started(stage: &str) -> Vec<String> {
    match stage {
        "prod" => strings(&["TR_Daily", "TR_Hourly", "TR_Hourly_Dependent", "TR_Weekly Report"]),
        _ => strings(&["TR_Daily"]),
    }
}

/// The `az deployment group create` call.
fn deploy_call(calls: &[Vec<String>]) -> Vec<String> {
    calls.iter().find(|c| c.starts_with(&strings(&["deployment", "group", "create"]))).cloned().expect("deployment")
}

/// The argument after `flag` in a call.
fn arg<'c>(call: &'c [String], flag: &str) -> &'c str {
    let i = call.iter().position(|a| a == flag).unwrap_or_else(|| panic!("no {flag} in {call:?}"));
    &call[i + 1]
}

/// The run's summary holds the markdown diff, with secrets masked.
#[track_caller]
fn assert_summary_is_the_diff(agent: &Agent, heading: &str) {
    assert_eq!(agent.summaries.len(), 1, "one summary tab");
    let diff = std::fs::read_to_string(&agent.summaries[0]).expect("summary file");
    assert!(diff.starts_with(heading), "{diff}");
    assert!(diff.contains("•••") && !diff.contains("s3cret!"), "secrets masked:\n{diff}");
}

// ---------------------------------------------------------------------------------------------------------------
// Azure DevOps: deployment/azure-pipelines.yml

/// The pipeline's stages with `${{ each s in parameters.stages }}` expanded.
fn ado_stages(doc: &Yaml) -> Vec<Yaml> {
    let stage_list = doc["parameters"]
        .as_sequence()
        .expect("parameters")
        .iter()
        .find(|p| p["name"] == "stages")
        .map(|p| p["default"].as_sequence().expect("stage list").clone())
        .expect("a stages parameter");
    let mut stages = Vec::new();
    for item in doc["stages"].as_sequence().expect("stages") {
        let each = item.as_mapping().and_then(|m| {
            m.iter().find(|(k, _)| k.as_str().is_some_and(|k| k.starts_with("${{ each s in parameters.stages }}")))
        });
        let Some((_, body)) = each else {
            stages.push(item.clone());
            continue;
        };
        for s in &stage_list {
            let fields = pairs(Some(s));
            let substitute = |text: &str| {
                fields.iter().fold(text.to_string(), |t, (k, v)| t.replace(&format!("${{{{ s.{k} }}}}"), v))
            };
            stages.extend(map_strings(body, &substitute).as_sequence().expect("stage templates").iter().cloned());
        }
    }
    stages
}

/// `$(name)` macros replaced from `vars` (repeatedly: variables may use variables); unknown ones stay,
/// as Azure DevOps leaves them.
fn macros(text: &str, vars: &BTreeMap<String, String>) -> String {
    let re = Regex::new(r"\$\(([A-Za-z][A-Za-z0-9_.\-]*)\)").expect("regex");
    let mut text = text.to_string();
    for _ in 0..4 {
        text = re
            .replace_all(&text, |c: &regex::Captures| vars.get(&c[1]).cloned().unwrap_or_else(|| c[0].to_string()))
            .into_owned();
    }
    text
}

/// One run of the Azure DevOps pipeline's `stage` on a fresh agent, with the pipeline parameters.
struct AdoRun {
    agent: Agent,
    scripts: String,
}

fn ado_run(stage: &str, delete_missing: bool, linked: bool) -> AdoRun {
    let doc = yaml("deployment/azure-pipelines.yml");
    let params = [("deleteMissing", delete_missing), ("linkedTemplates", linked)];
    let expressions = |text: &str| {
        let text = params.iter().fold(text.to_string(), |t, (k, v)| {
            t.replace(&format!("${{{{ parameters.{k} }}}}"), if *v { "True" } else { "False" })
        });
        assert!(!text.contains("${{"), "a template expression the test does not know: {text}");
        text
    };
    let stages = ado_stages(&doc);
    let stage_doc = stages.iter().find(|s| s["stage"] == stage).unwrap_or_else(|| panic!("no stage {stage}"));

    let mut agent = Agent::new();
    let mut vars: BTreeMap<String, String> = BTreeMap::new();
    let builtins = [
        ("Build.SourcesDirectory", agent.ws()),
        ("Agent.TempDirectory", agent.path_of("agent-tmp")),
        ("Build.ArtifactStagingDirectory", agent.path_of("staging")),
    ];
    for (k, v) in builtins {
        vars.insert(k.into(), v.display().to_string());
    }
    vars.insert("Build.BuildId".into(), "42".into());
    vars.extend(pairs(doc.get("variables")));
    // The stage's variable group: ADFC_ENV is a plain variable (in every script's environment),
    // the two others are secrets (only where a step maps them).
    let mut env = Vec::new();
    for variable in stage_doc["variables"].as_sequence().into_iter().flatten() {
        if let Some(group) = variable.get("group") {
            assert_eq!(text(group), format!("adf-{stage}"));
            if stage == "uat" {
                vars.insert("ADFC_UAT_SQL_CONNECTION".into(), "Server=tcp:sql-uat;Password=s3cret!".into());
                vars.insert("ADFC_UAT_BLOB_KEY".into(), "c3R1Yi1rZXk=".into());
                env.push(("ADFC_ENV".to_string(), "uat".to_string()));
            }
        } else {
            vars.insert(text(&variable["name"]).into(), text(&variable["value"]).into());
        }
    }

    let job = &stage_doc["jobs"][0];
    let steps = job.get("steps").or_else(|| job["strategy"]["runOnce"]["deploy"].get("steps")).expect("steps");
    let mut scripts = String::new();
    let mut skipped = BTreeSet::new();
    for step in steps.as_sequence().expect("steps") {
        let name = step.get("displayName").map(text).unwrap_or("step").to_string();
        let script = if let Some(script) = step.get("bash").or_else(|| step.get("script")) {
            text(script).to_string()
        } else if step.get("task").is_some() {
            assert_eq!(text(&step["task"]), "AzureCLI@2", "{name}");
            let inputs = &step["inputs"];
            assert_eq!(text(&inputs["scriptType"]), "bash", "{name}");
            assert!(inputs.get("azureSubscription").is_some_and(|s| s.as_str().is_some_and(|s| s.starts_with("arm-"))));
            match text(&inputs["scriptLocation"]) {
                "inlineScript" => text(&inputs["inlineScript"]).to_string(),
                "scriptPath" => format!("bash '{}' {}", text(&inputs["scriptPath"]), text(&inputs["arguments"])),
                other => panic!("{name}: scriptLocation {other}"),
            }
        } else {
            let kind = ["checkout", "publish"].into_iter().find(|k| step.get(*k).is_some());
            skipped.insert(kind.unwrap_or_else(|| panic!("a step the test cannot play: {step:?}")));
            continue;
        };
        let script = macros(&expressions(&script), &vars);
        let mut step_env = env.clone();
        step_env.extend(pairs(step.get("env")).into_iter().map(|(k, v)| (k, macros(&v, &vars))));
        scripts.push_str(&script);
        scripts.push('\n');
        agent.run(&name, &script, &step_env);
    }
    let expected_skips: BTreeSet<&str> =
        if stage == "check" { ["checkout"].into() } else { ["checkout", "publish"].into() };
    assert_eq!(skipped, expected_skips, "steps not played");
    AdoRun { agent, scripts }
}

#[test]
fn azure_devops_pull_request_check_runs_adfc_check_with_devops_issues() {
    let doc = yaml("deployment/azure-pipelines.yml");
    assert!(doc["pr"].is_mapping(), "runs on pull requests");
    let run = ado_run("check", false, false);
    assert_adfc_lines_ran(&run.agent, &run.scripts);
    let check = run.agent.adfc_runs().into_iter().find(|r| r[1] == "check").expect("adfc check");
    assert_eq!(arg(&check, "--format"), "azure-devops");
    assert!(run.agent.az_calls().is_empty(), "the check needs no Azure access");
    assert_summary_is_the_diff(&run.agent, "### adfc diff: `source` → `prod`\n");
    // Deploy stages never run for pull requests.
    for stage in ado_stages(&doc).iter().filter(|s| s["stage"] != "check") {
        assert!(text(&stage["condition"]).contains("ne(variables['Build.Reason'], 'PullRequest')"));
        let job = &stage["jobs"][0];
        assert!(text(&job["environment"]).starts_with("adf-"), "deployment jobs run in an environment");
    }
}

#[test]
fn azure_devops_release_to_each_stage_stops_deploys_and_starts_exactly_the_planned_triggers() {
    for stage in ["uat", "prod"] {
        let run = ado_run(stage, false, false);
        assert_adfc_lines_ran(&run.agent, &run.scripts);
        let calls = run.agent.az_calls();
        let (stop, start, delete) = release_calls(&calls);
        assert_eq!(stop, strings(&STOP_ALL), "{stage}");
        assert_eq!(start, started(stage), "{stage}");
        assert!(delete.is_empty(), "{stage}: nothing deleted unless asked: {delete:?}");
        let deploy = deploy_call(&calls);
        let out = run.agent.path_of("staging").join(stage);
        assert_eq!(arg(&deploy, "--resource-group"), format!("rg-example-{stage}"));
        assert_eq!(arg(&deploy, "--template-file"), out.join("ARMTemplateForFactory.json").display().to_string());
        assert_eq!(
            arg(&deploy, "--parameters"),
            format!("@{}", out.join("ARMTemplateParametersForFactory.json").display())
        );
        let factory = format!("--factory-name=adf-example-{stage}");
        let trigger_calls = calls.iter().filter(|c| c[1] == "trigger" && c[2] != "list");
        assert!(
            trigger_calls.clone().count() > 0 && trigger_calls.into_iter().all(|c| c.contains(&factory)),
            "{stage}"
        );
        // The compiled parameters carry the stage's factory name, and uat's secret went to the parameters file.
        let parameters = common::json(&out.join("ARMTemplateParametersForFactory.json"));
        assert_eq!(parameters["parameters"]["factoryName"]["value"], format!("adf-example-{stage}"));
        let template = std::fs::read_to_string(out.join("ARMTemplateForFactory.json")).expect("template");
        assert!(!template.contains("s3cret!"), "{stage}: a secret in the template body");
        assert_summary_is_the_diff(&run.agent, &format!("### adfc diff: `source` → `{stage}`\n"));
        assert_eq!(run.agent.summaries, [out.join("diff.md")]);
    }
}

#[test]
fn azure_devops_delete_missing_deletes_after_deploying_and_linked_templates_go_through_storage() {
    let run = ado_run("prod", true, true);
    assert_adfc_lines_ran(&run.agent, &run.scripts);
    let calls = run.agent.az_calls();
    let (stop, start, delete) = release_calls(&calls);
    assert_eq!(stop, strings(&STOP_ALL));
    assert_eq!(start, started("prod"));
    assert_eq!(delete, ["pipeline PL_Retired"]);
    // Every object type was listed for the plan.
    for kind in ["trigger", "pipeline", "dataset", "data-flow", "linked-service", "integration-runtime"] {
        assert!(calls.iter().any(|c| c[..3] == strings(&["datafactory", kind, "list"])), "{kind} list");
    }
    // Linked: the parts are uploaded, then deployed through the master with the container URL and a SAS.
    let out = run.agent.path_of("staging/prod/linkedTemplates");
    let upload = calls.iter().position(|c| c[..3] == strings(&["storage", "blob", "upload-batch"])).expect("upload");
    assert_eq!(arg(&calls[upload], "--source"), out.display().to_string());
    let deploy_at = calls.iter().position(|c| c[..3] == strings(&["deployment", "group", "create"])).expect("deploy");
    assert!(upload < deploy_at);
    let deploy = &calls[deploy_at];
    assert_eq!(arg(deploy, "--template-file"), out.join("ArmTemplate_master.json").display().to_string());
    let tail: Vec<&str> = deploy.iter().map(String::as_str).skip_while(|a| !a.starts_with("containerUri=")).collect();
    assert_eq!(
        tail,
        [
            "containerUri=https://stexampleprod.blob.core.windows.net/adf-42",
            "containerSasToken=?sv=2024-01-01&sig=stub"
        ]
    );
    for part in ["ArmTemplate_master.json", "ArmTemplate_0.json", "ArmTemplateParameters_master.json"] {
        assert!(out.join(part).is_file(), "{part}");
    }
}

// ---------------------------------------------------------------------------------------------------------------
// GitHub Actions: deployment/github/adf-release.yml and action.yml

/// `${{ … }}` expressions replaced from `known`; an unknown one fails the test.
fn github_expressions(text: &str, known: &BTreeMap<&str, String>) -> String {
    let re = Regex::new(r"\$\{\{\s*(.*?)\s*\}\}").expect("regex");
    re.replace_all(text, |c: &regex::Captures| {
        known.get(&c[1]).cloned().unwrap_or_else(|| panic!("an expression the test does not know: {}", &c[0]))
    })
    .into_owned()
}

/// Play `action.yml` with `with`, as the `uses:` step of a workflow would.
fn play_action(agent: &mut Agent, with: &[(String, String)]) -> String {
    let action = yaml("action.yml");
    assert_eq!(text(&action["runs"]["using"]), "composite");
    let mut known: BTreeMap<&str, String> = BTreeMap::new();
    for (name, input) in action["inputs"].as_mapping().expect("inputs") {
        let given = with.iter().find(|(k, _)| k == text(name)).map(|(_, v)| v.clone());
        let default = input.get("default").map(|d| text(d).to_string()).unwrap_or_default();
        known.insert(text(name), given.unwrap_or(default));
    }
    let repository =
        if known["repository"].is_empty() { "your-org/adfc".to_string() } else { known["repository"].clone() };
    let version = known["version"].clone();
    let mut known: BTreeMap<&str, String> = BTreeMap::new();
    known.insert("inputs.version", version);
    known.insert("inputs.repository || github.action_repository", repository);
    let env = [("RUNNER_OS", "Linux"), ("RUNNER_ARCH", "X64")].map(|(k, v)| (k.to_string(), v.to_string()));
    let runner_temp = ("RUNNER_TEMP".to_string(), agent.path_of("runner-tmp").display().to_string());
    let mut scripts = String::new();
    for step in action["runs"]["steps"].as_sequence().expect("steps") {
        assert_eq!(text(&step["shell"]), "bash");
        let mut step_env: Vec<(String, String)> = env.to_vec();
        step_env.push(runner_temp.clone());
        step_env.extend(pairs(step.get("env")).into_iter().map(|(k, v)| (k, github_expressions(&v, &known))));
        let script = github_expressions(text(&step["run"]), &known);
        agent.run("action.yml", &script, &step_env);
        scripts.push_str(&script);
    }
    scripts
}

/// One job of the GitHub workflow, played on a fresh agent.
fn github_job(job_name: &str, delete_missing: bool) -> (Agent, String) {
    let doc = yaml("deployment/github/adf-release.yml");
    let job = &doc["jobs"][job_name];
    let mut known: BTreeMap<&str, String> = BTreeMap::new();
    known.insert("inputs.delete-missing == true", delete_missing.to_string());
    known.insert("github.token", "gh-token".into());
    known.insert("github.event.pull_request.number", "17".into());
    let secrets = [
        ("secrets.AZURE_CLIENT_ID", "client"),
        ("secrets.AZURE_TENANT_ID", "tenant"),
        ("secrets.AZURE_SUBSCRIPTION_ID", "subscription"),
        ("secrets.ADFC_UAT_SQL_CONNECTION", if job_name == "uat" { "Server=tcp:sql-uat;Password=s3cret!" } else { "" }),
        ("secrets.ADFC_UAT_BLOB_KEY", if job_name == "uat" { "c3R1Yi1rZXk=" } else { "" }),
    ];
    for (k, v) in secrets {
        known.insert(k, v.to_string());
    }
    let mut agent = Agent::new();
    let mut env: Vec<(String, String)> = Vec::new();
    for (k, v) in pairs(doc.get("env")).into_iter().chain(pairs(job.get("env"))) {
        env.push((k, github_expressions(&v, &known)));
    }
    let ws = agent.ws().display().to_string();
    env.extend(
        [("GITHUB_WORKSPACE", ws.as_str()), ("GITHUB_RUN_ID", "7")].map(|(k, v)| (k.to_string(), v.to_string())),
    );
    let mut scripts = String::new();
    let mut used = Vec::new();
    for step in job["steps"].as_sequence().expect("steps") {
        if let Some(uses) = step.get("uses") {
            let uses = text(uses);
            let with: Vec<(String, String)> =
                pairs(step.get("with")).into_iter().map(|(k, v)| (k, github_expressions(&v, &known))).collect();
            if uses.starts_with("your-org/adfc@") {
                scripts.push_str(&play_action(&mut agent, &with));
            }
            used.push(uses.split('@').next().unwrap_or(uses).to_string());
            continue;
        }
        let name = step.get("name").map(text).unwrap_or("run").to_string();
        // The check job is played as on a pull request, the deploy jobs as on a push to main.
        match step.get("if").map(text) {
            None | Some("always()") => {}
            Some("github.event_name == 'pull_request'") if job_name == "check" => {}
            Some(other) => panic!("{name}: a condition the test does not know: {other}"),
        }
        let script = github_expressions(text(&step["run"]), &known);
        let mut step_env = env.clone();
        step_env.extend(pairs(step.get("env")).into_iter().map(|(k, v)| (k, github_expressions(&v, &known))));
        scripts.push_str(&script);
        scripts.push('\n');
        agent.run(&name, &script, &step_env);
    }
    let expected: Vec<&str> = if job_name == "check" {
        vec!["actions/checkout", "your-org/adfc"]
    } else {
        vec!["actions/checkout", "your-org/adfc", "azure/login", "actions/upload-artifact"]
    };
    assert_eq!(used, expected, "{job_name}: the actions used");
    (agent, scripts)
}

#[test]
fn github_pull_request_check_installs_adfc_with_the_action_and_annotates() {
    let doc = yaml("deployment/github/adf-release.yml");
    assert!(doc["on"]["pull_request"].is_mapping() && doc["on"]["push"].is_mapping());
    let (agent, scripts) = github_job("check", false);
    assert_adfc_lines_ran(&agent, &scripts);
    let check = agent.adfc_runs().into_iter().find(|r| r[1] == "check").expect("adfc check");
    assert_eq!(arg(&check, "--format"), "github");
    assert!(agent.az_calls().is_empty());
    // The prod diff, posted on the pull request.
    assert_eq!(agent.gh_calls(), [strings(&["pr", "comment", "17", "--body-file", "diff.md", "--edit-last"])]);
    let diff = std::fs::read_to_string(agent.ws().join("diff.md")).expect("diff.md");
    assert!(diff.starts_with("### adfc diff: `source` → `prod`\n") && diff.contains("•••"), "{diff}");
    // Deploy jobs: not on pull requests, uat before prod, each in its environment.
    for (job, needs) in [("uat", "check"), ("prod", "uat")] {
        assert_eq!(text(&doc["jobs"][job]["if"]), "github.event_name != 'pull_request'");
        assert_eq!(text(&doc["jobs"][job]["needs"]), needs);
        assert_eq!(text(&doc["jobs"][job]["environment"]), job);
    }
}

#[test]
fn github_release_jobs_stop_deploy_delete_and_start_exactly_the_planned_triggers() {
    for (stage, delete_missing) in [("uat", false), ("prod", true)] {
        let (agent, scripts) = github_job(stage, delete_missing);
        assert_adfc_lines_ran(&agent, &scripts);
        let calls = agent.az_calls();
        let (stop, start, delete) = release_calls(&calls);
        assert_eq!(stop, strings(&STOP_ALL), "{stage}");
        assert_eq!(start, started(stage), "{stage}");
        let expected_delete: Vec<String> = if delete_missing { strings(&["pipeline PL_Retired"]) } else { Vec::new() };
        assert_eq!(delete, expected_delete, "{stage}");
        let deploy = deploy_call(&calls);
        assert_eq!(arg(&deploy, "--template-file"), format!("out/{stage}/ARMTemplateForFactory.json"));
        // The plan went to the job summary.
        let summary = std::fs::read_to_string(agent.path_of("step_summary")).expect("summary");
        assert!(summary.starts_with("stop before deploying: 4 triggers\n"), "{summary}");
        assert!(summary.contains(&format!("### adfc diff: `source` → `{stage}`\n")), "{summary}");
    }
}

#[test]
fn the_action_refuses_an_archive_whose_checksum_does_not_match() {
    let agent = Agent::new();
    let sums = agent.path_of("releases").join(VERSION).join(format!("{LINUX_ASSET}.sha256"));
    let text = std::fs::read_to_string(&sums).expect("sha256");
    std::fs::write(&sums, format!("{}{}", "0".repeat(64), &text[64..])).expect("write");
    let action = yaml("action.yml");
    let step = &action["runs"]["steps"][0];
    let mut known: BTreeMap<&str, String> = BTreeMap::new();
    known.insert("inputs.version", VERSION.into());
    known.insert("inputs.repository || github.action_repository", "your-org/adfc".into());
    let script = github_expressions(self::text(&step["run"]), &known);
    assert!(pairs(step.get("env")).iter().any(|(k, _)| k == "ADFC_VERSION"));
    let file = agent.path_of("action.sh");
    std::fs::write(&file, script).expect("write");
    let output = std::process::Command::new("bash")
        .arg(&file)
        .current_dir(agent.ws())
        .env("PATH", format!("{}:{}", agent.path_of("stub").display(), std::env::var("PATH").unwrap_or_default()))
        .env("RELEASES", agent.path_of("releases"))
        .env("ADFC_VERSION", VERSION)
        .env("ADFC_REPOSITORY", "your-org/adfc")
        .env("RUNNER_OS", "Linux")
        .env("RUNNER_ARCH", "X64")
        .env("RUNNER_TEMP", agent.path_of("runner-tmp"))
        .env("GITHUB_PATH", agent.path_of("github_path"))
        .env("GITHUB_OUTPUT", agent.path_of("github_output"))
        .output()
        .expect("bash");
    assert_eq!(output.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stdout.contains(&format!("::error::checksum mismatch for {LINUX_ASSET}")), "{stdout}\n{stderr}");
    assert!(!agent.path_of("github_path").exists(), "nothing put on PATH");
}

#[test]
fn the_action_installs_the_latest_release_too() {
    let mut agent = Agent::new();
    play_action(&mut agent, &[]);
    assert_eq!(agent.path, [agent.path_of("runner-tmp/adfc-latest").display().to_string()]);
    let out = std::fs::read_to_string(agent.path_of("github_output")).expect("outputs");
    assert_eq!(out, format!("path={}\n", agent.path_of("runner-tmp/adfc-latest").display()));
}

/// The action downloads exactly what the release workflow uploads.
#[test]
fn the_action_and_the_release_workflow_agree_on_asset_names() {
    let release = yaml(".github/workflows/release.yml");
    assert!(release["on"]["push"]["tags"].as_sequence().is_some_and(|t| t.iter().any(|t| t == "v*")));
    let matrix = release["jobs"]["build"]["strategy"]["matrix"]["include"].as_sequence().expect("matrix");
    let built: BTreeSet<String> =
        matrix.iter().map(|m| format!("adfc-{}.{}", text(&m["target"]), text(&m["archive"]))).collect();
    let release_text = read(".github/workflows/release.yml");
    for line in ["asset=\"adfc-${{ matrix.target }}.${{ matrix.archive }}\"", "> \"${asset}.sha256\""] {
        assert!(release_text.contains(line), "release.yml: {line}");
    }
    assert!(matrix.iter().any(|m| text(&m["target"]).ends_with("-linux-musl")), "a static Linux build");
    assert!(matrix.iter().any(|m| text(&m["target"]).ends_with("-apple-darwin")), "a macOS build");
    assert!(matrix.iter().any(|m| text(&m["target"]).ends_with("-windows-msvc")), "a Windows build");

    let action_text = text(&yaml("action.yml")["runs"]["steps"][0]["run"]).to_string();
    let case = Regex::new(r"(\w+)/(\w+)\) target=(\S+) ext=(\S+) ;;").expect("regex");
    let wanted: BTreeSet<String> =
        case.captures_iter(&action_text).map(|c| format!("adfc-{}.{}", &c[3], &c[4])).collect();
    assert!(action_text.contains("asset=\"adfc-${target}.${ext}\"") && action_text.contains("${asset}.sha256"));
    assert_eq!(wanted, built, "action.yml downloads what release.yml builds");
    assert!(wanted.contains(LINUX_ASSET));
}

// ---------------------------------------------------------------------------------------------------------------
// pre-commit: deployment/pre-commit-config.yaml and .pre-commit-hooks.yaml

#[test]
fn the_pre_commit_example_runs_the_hook_on_the_deployment_files() {
    let config = yaml("deployment/pre-commit-config.yaml");
    let hooks = yaml(".pre-commit-hooks.yaml");
    let repo = &config["repos"][0];
    let hook_ref = &repo["hooks"][0];
    assert_eq!(text(&hook_ref["id"]), "adfc-check");
    let hook = hooks.as_sequence().expect("hooks").iter().find(|h| h["id"] == "adfc-check").expect("adfc-check hook");
    // As pre-commit runs it: entry, then the config's args (they replace the hook's), then the staged
    // files that match `files`.
    let files = Regex::new(text(&hook["files"])).expect("files regex");
    let agent = Agent::new();
    let mut staged: Vec<String> = std::fs::read_dir(agent.ws().join("deployment"))
        .expect("deployment")
        .filter_map(Result::ok)
        .map(|e| format!("deployment/{}", e.file_name().to_string_lossy()))
        .filter(|f| files.is_match(f))
        .collect();
    staged.sort();
    assert_eq!(
        staged,
        [
            "deployment/config-common.csv",
            "deployment/config-prod.csv",
            "deployment/config-uat.csv",
            "deployment/prod.rules"
        ]
    );
    let entry: Vec<String> = text(&hook["entry"]).split(' ').map(String::from).collect();
    assert_eq!(entry[0], "adfc");
    let args: Vec<String> = hook_ref["args"].as_sequence().expect("args").iter().map(|a| text(a).to_string()).collect();
    let output =
        common::adfc().current_dir(agent.ws()).args(&entry[1..]).args(&args).args(&staged).output().expect("adfc");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(0), "{stdout}\n{}", String::from_utf8_lossy(&output.stderr));
    assert!(stdout.ends_with("adfc check: 3 stages, 0 errors, 4 warnings\n"), "stdout:\n{stdout}");
}

// ---------------------------------------------------------------------------------------------------------------
// The README's install lines name the real package

#[test]
fn the_readme_installs_the_package_cargo_toml_names() {
    let manifest = read("Cargo.toml");
    let field = |key: &str| {
        let re = Regex::new(&format!(r#"(?m)^{key} = "([^"]+)""#)).expect("regex");
        re.captures(&manifest).map(|c| c[1].to_string()).unwrap_or_else(|| panic!("no {key} in Cargo.toml"))
    };
    let readme = read("README.md");
    assert!(readme.contains("cargo install --locked --path .\n"));
    let git = format!("cargo install --locked --git {} {}", field("repository"), field("name"));
    assert!(readme.contains(&git), "the README lacks `{git}`");
    assert!(manifest.contains("[[bin]]\nname = \"adfc\"") && manifest.contains("[lib]\nname = \"adfc\""));
    assert_eq!(env!("CARGO_BIN_EXE_adfc").rsplit('/').next(), Some("adfc"));
}

/// Every flag the migration guide maps an option to is a real flag of adfc.
#[test]
fn the_migration_guide_names_only_real_flags() {
    let readme = read("README.md");
    let start = readme.find("## Migrating from azure.datafactory.tools").expect("migration section");
    let end = readme[start..].find("\n## Performance").map_or(readme.len(), |e| start + e);
    let section = &readme[start..end];
    let mut help = String::new();
    for command in ["build", "plan", "check"] {
        let output = common::adfc().args([command, "--help"]).output().expect("help");
        help.push_str(&String::from_utf8_lossy(&output.stdout));
    }
    let flag = Regex::new(r"(?:^|[\s`(])(--[a-z][a-z-]+)").expect("regex");
    let flags: BTreeSet<&str> = flag.captures_iter(section).map(|c| c.get(1).map_or("", |m| m.as_str())).collect();
    assert!(flags.len() > 15, "{flags:?}");
    for flag in flags {
        let known = help.contains(&format!("{flag} "))
            || help.contains(&format!("{flag}\n"))
            || help.contains(&format!("{flag},"));
        assert!(known || flag == "--name", "the migration guide names {flag}, which adfc build/plan/check do not have");
    }
}

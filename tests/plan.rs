//! `adfc plan` and `adfc build --plan` (issue 10): which triggers to stop and start, what to delete,
//! in which order, from which knowledge of the target; plan.json; the emitted scripts, run against a
//! stub `az`. Most cases plan a release of `fixtures/plan` (see its README); cases that need another
//! factory edit a copy in a temporary folder.

mod common;

use std::path::{Path, PathBuf};

use common::{adfc, fixture, json, listing};
use serde_json::{Value, json};
use tempfile::TempDir;

const FACTORY: &str = "fixtures/plan/factory";
const PREVIOUS: &str = "fixtures/plan/previous";
const AZ: &str = "fixtures/plan/state/triggers.az.json";
const POWERSHELL: &str = "fixtures/plan/state/triggers.ps.json";
const MAP: &str = "fixtures/plan/state/triggers.map.json";
const OBJECTS: &str = "fixtures/plan/state/objects.az.json";
const TEMPLATE: &str = "ARMTemplateForFactory.json";
const PARAMETERS: &str = "ARMTemplateParametersForFactory.json";

struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

impl Run {
    #[track_caller]
    fn ok(self) -> Self {
        assert_eq!(self.code, Some(0), "expected success\n{}", self.stderr);
        self
    }

    #[track_caller]
    fn fails(self) -> Self {
        assert_eq!(self.code, Some(2), "expected exit 2\nstdout: {}\nstderr: {}", self.stdout, self.stderr);
        self
    }

    #[track_caller]
    fn json(&self) -> Value {
        serde_json::from_str(&self.stdout).unwrap_or_else(|e| panic!("{e}\n{}", self.stdout))
    }

    /// The error codes on stderr, in order.
    fn errors(&self) -> Vec<String> {
        self.stderr
            .lines()
            .filter_map(|l| l.strip_prefix("error[")?.split_once(']').map(|(code, _)| code.to_string()))
            .collect()
    }
}

/// `adfc <args>` from `dir` (the repository root when `None`).
fn run_in(dir: Option<&Path>, args: &[&str]) -> Run {
    let mut cmd = adfc();
    if let Some(dir) = dir {
        cmd.current_dir(dir);
    }
    let output = cmd.args(args).output().expect("run adfc");
    let run = Run {
        code: output.status.code(),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    };
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    run
}

/// `adfc plan --template fixtures/plan/factory <args>`.
fn plan(args: &[&str]) -> Run {
    let mut all = vec!["plan", "--template", FACTORY];
    all.extend_from_slice(args);
    run_in(None, &all)
}

/// The plan as JSON (the run must succeed).
fn plan_json(args: &[&str]) -> Value {
    let mut all = args.to_vec();
    all.extend(["--format", "json"]);
    plan(&all).ok().json()
}

/// `type.name` of each step of one list of a plan.
fn ids(plan: &Value, list: &str) -> Vec<String> {
    plan[list]
        .as_array()
        .unwrap_or_else(|| panic!("no {list} list"))
        .iter()
        .map(|s| format!("{}.{}", s["type"].as_str().unwrap_or("?"), s["name"].as_str().unwrap_or("?")))
        .collect()
}

/// Names of the triggers of one list.
fn triggers(plan: &Value, list: &str) -> Vec<String> {
    ids(plan, list).into_iter().map(|id| id.trim_start_matches("trigger.").to_string()).collect()
}

/// The reason given for `name` in one list.
fn reason(plan: &Value, list: &str, name: &str) -> String {
    let step = plan[list].as_array().and_then(|a| a.iter().find(|s| s["name"] == name));
    step.unwrap_or_else(|| panic!("{name} not in {list}"))["reason"].as_str().unwrap_or("").to_string()
}

fn position(list: &[String], name: &str) -> usize {
    list.iter().position(|n| n == name).unwrap_or_else(|| panic!("{name} not in {list:?}"))
}

// ---------------------------------------------------------------------------------------------------------------
// The bundled example

const EXAMPLE: [&str; 8] = [
    "--template",
    "fixtures/example",
    "--config",
    "deployment/config-common.csv",
    "--stage",
    "prod",
    "--rules",
    "deployment/prod.rules",
];

#[test]
fn bundled_example_text() {
    let mut args = vec!["plan"];
    args.extend(EXAMPLE);
    let run = run_in(None, &args).ok();
    insta::assert_snapshot!("example_plan_text", run.stdout);
}

#[test]
fn bundled_example_plan_json_from_build() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("out");
    let mut args = vec!["build", "--plan", "--out-dir", out.to_str().expect("utf-8")];
    args.extend(EXAMPLE);
    run_in(None, &args).ok();
    let written = std::fs::read_to_string(out.join("plan.json")).expect("plan.json");
    insta::assert_snapshot!("example_plan_json", written);
    // `plan --format json` prints the same document.
    let mut args = vec!["plan", "--format", "json"];
    args.extend(EXAMPLE);
    assert_eq!(run_in(None, &args).ok().stdout, written);
}

#[test]
fn the_readme_shows_real_output() {
    let readme = std::fs::read_to_string(common::root().join("README.md")).expect("README.md");
    let mut example = vec!["plan"];
    example.extend(EXAMPLE);
    let with_state =
        ["plan", "--template", FACTORY, "--delete", "missing", "--target-state", AZ, "--target-state", OBJECTS];
    for args in [&example[..], &with_state[..]] {
        let output = run_in(None, args).ok().stdout;
        assert!(readme.contains(&output), "the README lacks the output of adfc {}:\n{output}", args.join(" "));
    }
}

// ---------------------------------------------------------------------------------------------------------------
// Stop and start methods, with and without target state

#[test]
fn every_stop_and_start_method_with_every_form_of_target_state() {
    let states: [(&str, &[&str]); 5] = [
        ("none", &[]),
        ("az", &["--target-state", AZ]),
        ("powershell", &["--target-state", POWERSHELL]),
        ("map", &["--target-state", MAP]),
        ("previous", &["--previous", PREVIOUS]),
    ];
    let mut table = String::new();
    for (state, state_args) in states {
        for stop in ["deployable", "all-enabled", "changed"] {
            for start in ["source", "keep"] {
                let mut args = vec!["--stop", stop, "--start", start, "--format", "json"];
                args.extend_from_slice(state_args);
                let run = plan(&args);
                let outcome = match run.code {
                    Some(0) => {
                        let p = run.json();
                        format!("stop {:?} start {:?}", triggers(&p, "stop"), triggers(&p, "start"))
                    }
                    _ => format!("refused: {}", run.errors().join(", ")),
                };
                table.push_str(&format!("{state:<10} --stop {stop:<11} --start {start:<6} → {outcome}\n"));
            }
        }
    }
    insta::assert_snapshot!("methods_by_target_state", table);
}

#[test]
fn the_three_forms_of_target_state_give_the_same_plan() {
    let plans: Vec<Value> =
        [AZ, POWERSHELL, MAP].iter().map(|f| plan_json(&["--target-state", f, "--stop", "all-enabled"])).collect();
    for p in &plans[1..] {
        assert_eq!(p["stop"], plans[0]["stop"]);
        assert_eq!(p["start"], plans[0]["start"]);
    }
    // Started in prod: stopped, dependents first; TR_Hourly_3 and TR_Paused are stopped there already.
    assert_eq!(triggers(&plans[0], "stop"), ["TR_Daily", "TR_Hourly_2", "TR_Hourly", "TR_Retired", "TR_Sandbox"]);
    assert_eq!(reason(&plans[0], "stop", "TR_Daily"), "started in the target; deployed by this release");
    assert!(plans[0]["stop"][0].get("ifExists").is_none(), "the target state says it exists");
}

#[test]
fn without_target_state_every_deployed_trigger_may_be_started() {
    let p = plan_json(&[]);
    assert_eq!(
        triggers(&p, "stop"),
        ["TR_Daily", "TR_Hourly_3", "TR_Hourly_2", "TR_Hourly", "TR_Paused", "TR_Sandbox"]
    );
    assert!(p["stop"].as_array().expect("stop").iter().all(|s| s["ifExists"] == true));
    assert_eq!(
        p["assumptions"],
        json!(["no target state: every deployed trigger is assumed started (stop scripts stop it only if it exists)"])
    );
    // TR_Paused is Stopped in the source: stopped to deploy, not started again.
    assert!(!triggers(&p, "start").contains(&"TR_Paused".to_string()));
}

#[test]
fn a_trigger_already_started_and_not_stopped_is_not_started_again() {
    let p = plan_json(&["--target-state", AZ, "--stop", "changed"]);
    assert_eq!(triggers(&p, "stop"), ["TR_Daily"]);
    // TR_Hourly and TR_Hourly_2 keep running; TR_Hourly_3 is Stopped in prod, Started in the source.
    assert_eq!(triggers(&p, "start"), ["TR_Daily", "TR_Hourly_3"]);
}

#[test]
fn methods_that_need_target_state_say_so_all_at_once() {
    let run = plan(&["--stop", "all-enabled", "--start", "keep", "--delete", "missing"]).fails();
    insta::assert_snapshot!("needs_target_state", run.stderr);
    let changed = plan(&["--stop", "changed", "--target-state", MAP]).fails();
    assert_eq!(changed.errors(), ["plan::needs-target-state"]);
    assert!(changed.stderr.contains("a state map or Az PowerShell output has only states"), "{}", changed.stderr);
}

#[test]
fn a_target_state_file_in_no_known_form_is_an_error_naming_the_forms() {
    let dir = tempfile::tempdir().expect("tempdir");
    let bad = dir.path().join("state.json");
    std::fs::write(&bad, r#"{"TR_Daily": true}"#).expect("write");
    let run = plan(&["--target-state", bad.to_str().expect("utf-8")]).fails();
    let stderr = run.stderr.replace(&dir.path().display().to_string(), "<tmp>");
    insta::assert_snapshot!("bad_target_state", stderr);
}

#[test]
fn a_target_state_file_that_is_not_json_is_an_error_at_its_place() {
    let dir = tempfile::tempdir().expect("tempdir");
    let bad = dir.path().join("state.json");
    std::fs::write(&bad, "[\n  {\"name\": \"TR_Daily\",}\n]\n").expect("write");
    let run = plan(&["--target-state", bad.to_str().expect("utf-8")]).fails();
    assert_eq!(run.errors(), ["target-state::json"]);
    let stderr = run.stderr.replace(&dir.path().display().to_string(), "<tmp>");
    insta::assert_snapshot!("target_state_not_json", stderr);
}

/// A runtimeState adfc cannot evaluate: the trigger is not started, and the plan says why.
#[test]
fn a_runtime_state_without_a_known_value_is_not_started() {
    let case = Case::new();
    case.edit(TEMPLATE, |t| {
        t["parameters"]["dailyState"] = json!({"type": "string"});
        resource_mut(t, "TR_Daily")["properties"]["runtimeState"] = json!("[parameters('dailyState')]");
    });
    let run = case.run(&["plan", "--template", "factory", "--format", "json"]).ok();
    assert!(run.stderr.contains("warning[plan::unknown-state]"), "{}", run.stderr);
    assert!(run.stderr.contains("trigger TR_Daily has runtimeState `[parameters('dailyState')]`"), "{}", run.stderr);
    assert!(!triggers(&run.json(), "start").contains(&"TR_Daily".to_string()));
    insta::assert_snapshot!("unknown_runtime_state", run.stderr);
}

// ---------------------------------------------------------------------------------------------------------------
// Excluded triggers, runtimeState from config

#[test]
fn excluded_triggers_are_stopped_and_restarted_by_all_enabled_unless_kept() {
    let exclude = ["--exclude", "trigger.TR_Sandbox", "--target-state", AZ, "--stop", "all-enabled"];
    let p = plan_json(&exclude);
    assert_eq!(
        reason(&p, "stop", "TR_Sandbox"),
        "started in the target; not deployed by this release (started again after)"
    );
    assert_eq!(reason(&p, "start", "TR_Sandbox"), "started before the deployment; not deployed by this release");

    let mut keep = exclude.to_vec();
    keep.push("--keep-excluded-triggers");
    let p = plan_json(&keep);
    assert!(!triggers(&p, "stop").contains(&"TR_Sandbox".to_string()));
    assert!(!triggers(&p, "start").contains(&"TR_Sandbox".to_string()));

    // `deployable` never touches a trigger it does not deploy.
    let p = plan_json(&["--exclude", "trigger.TR_Sandbox", "--target-state", AZ]);
    assert!(!triggers(&p, "stop").contains(&"TR_Sandbox".to_string()));
    assert!(!triggers(&p, "start").contains(&"TR_Sandbox".to_string()));
}

#[test]
fn runtime_state_overridden_by_config_decides_what_starts() {
    let dir = tempfile::tempdir().expect("tempdir");
    let config = dir.path().join("config-prod.csv");
    std::fs::write(
        &config,
        "type,name,path,value\ntrigger,TR_Daily,runtimeState,Stopped\ntrigger,TR_Paused,runtimeState,Started\n",
    )
    .expect("write");
    let config = config.to_str().expect("utf-8");
    let p = plan_json(&["--config", config, "--target-state", AZ]);
    let start = triggers(&p, "start");
    assert!(!start.contains(&"TR_Daily".to_string()), "{start:?}");
    assert_eq!(reason(&p, "start", "TR_Paused"), "Started in the compiled output");
    // With --stop changed, TR_Daily is stopped because it must end stopped, though running in prod.
    let p = plan_json(&["--config", config, "--target-state", AZ, "--stop", "changed"]);
    assert_eq!(triggers(&p, "stop"), ["TR_Daily"]);
    assert!(!triggers(&p, "start").contains(&"TR_Daily".to_string()));
}

// ---------------------------------------------------------------------------------------------------------------
// TumblingWindow dependencies

#[test]
fn a_tumbling_window_chain_stops_dependents_first_and_starts_dependencies_first() {
    let p = plan_json(&[]);
    let stop = triggers(&p, "stop");
    assert!(position(&stop, "TR_Hourly_3") < position(&stop, "TR_Hourly_2"), "{stop:?}");
    assert!(position(&stop, "TR_Hourly_2") < position(&stop, "TR_Hourly"), "{stop:?}");
    let start = triggers(&p, "start");
    assert!(position(&start, "TR_Hourly") < position(&start, "TR_Hourly_2"), "{start:?}");
    assert!(position(&start, "TR_Hourly_2") < position(&start, "TR_Hourly_3"), "{start:?}");
}

#[test]
fn a_dependency_cycle_is_an_error_naming_it() {
    let case = Case::new();
    case.edit(TEMPLATE, |t| {
        let hourly = resource_mut(t, "TR_Hourly");
        hourly["properties"]["typeProperties"]["dependsOn"] = json!([{
            "type": "TumblingWindowTriggerDependencyReference",
            "referenceTrigger": {"referenceName": "TR_Hourly_3", "type": "TriggerReference"}
        }]);
    });
    let run = case.run(&["plan", "--template", "factory"]).fails();
    insta::assert_snapshot!("trigger_cycle", run.stderr);
}

// ---------------------------------------------------------------------------------------------------------------
// --stop changed

#[test]
fn changed_stops_only_the_trigger_whose_definition_changed() {
    for knowledge in [["--previous", PREVIOUS], ["--target-state", AZ]] {
        let p = plan_json(&["--stop", "changed", knowledge[0], knowledge[1]]);
        assert_eq!(triggers(&p, "stop"), ["TR_Daily"], "{knowledge:?}");
    }
    let p = plan_json(&["--stop", "changed", "--previous", PREVIOUS]);
    assert_eq!(reason(&p, "stop", "TR_Daily"), "definition changed since the previous output");
}

#[test]
fn changed_ignores_formatting_and_resolves_parameters() {
    // The same definitions, written differently: re-indented, keys reordered, a value through a parameter.
    let case = Case::new();
    case.edit("previous/ARMTemplateForFactory.json", |t| {
        t["parameters"]["hourlyInterval"] = json!({"type": "int", "defaultValue": 1});
        let hourly = resource_mut(t, "TR_Hourly");
        hourly["properties"]["typeProperties"]["interval"] = json!("[parameters('hourlyInterval')]");
        let daily = resource_mut(t, "TR_Daily");
        daily["properties"]["typeProperties"]["recurrence"]["schedule"]["hours"] = json!([2]);
        let props = daily["properties"].as_object_mut().expect("properties");
        let reordered: serde_json::Map<String, Value> = props.clone().into_iter().rev().collect();
        *props = reordered;
    });
    // (The edit also re-indented the file: two spaces, where the source has tabs.)
    let run =
        case.run(&["plan", "--template", "factory", "--stop", "changed", "--previous", "previous", "--format", "json"]);
    assert_eq!(triggers(&run.ok().json(), "stop"), Vec::<String>::new());
}

// ---------------------------------------------------------------------------------------------------------------
// Deletion

const RETIRED_IN_ORDER: [&str; 6] = [
    "trigger.TR_Retired",
    "pipeline.PL_Retired_Parent",
    "pipeline.PL_Retired_Child",
    "dataset.DS_Retired",
    "linkedService.LS_Retired_B_Sql",
    "linkedService.LS_Retired_A_Vault",
];

#[test]
fn deletion_deletes_users_before_what_they_use() {
    let from_previous = plan_json(&["--delete", "missing", "--previous", PREVIOUS]);
    assert_eq!(ids(&from_previous, "delete"), RETIRED_IN_ORDER);
    let from_state = plan_json(&["--delete", "missing", "--target-state", AZ, "--target-state", OBJECTS]);
    assert_eq!(ids(&from_state, "delete"), RETIRED_IN_ORDER);
    assert_eq!(reason(&from_state, "delete", "PL_Retired_Child"), "in the target, not in the compiled output");
    // A trigger to delete is stopped first, when it may be running.
    assert_eq!(reason(&from_state, "stop", "TR_Retired"), "to be deleted; started in the target");
    assert!(!triggers(&from_state, "start").contains(&"TR_Retired".to_string()));
}

#[test]
fn objects_to_delete_that_use_each_other_in_a_cycle_are_an_error() {
    let case = Case::new();
    case.edit("previous/ARMTemplateForFactory.json", |t| {
        let child = resource_mut(t, "PL_Retired_Child");
        child["properties"]["activities"][0]["typeProperties"]["pipeline"] =
            json!({"referenceName": "PL_Retired_Parent", "type": "PipelineReference"});
        child["properties"]["activities"][0]["type"] = json!("ExecutePipeline");
    });
    let run = case.run(&["plan", "--template", "factory", "--delete", "missing", "--previous", "previous"]).fails();
    insta::assert_snapshot!("delete_cycle", run.stderr);
}

#[test]
fn a_previous_output_that_cannot_be_read_is_an_error_pointing_into_it() {
    let case = Case::new();
    let missing = case.run(&["plan", "--template", "factory", "--previous", "nowhere"]).fails();
    assert_eq!(missing.errors(), ["input::read"]);
    std::fs::write(case.path("previous").join(TEMPLATE), "{\"resources\": [}").expect("write");
    let broken = case.run(&["plan", "--template", "factory", "--previous", "previous", "--stop", "changed"]).fails();
    insta::assert_snapshot!("broken_previous", broken.stderr);
}

#[test]
fn nothing_is_deleted_by_default() {
    let p = plan_json(&["--previous", PREVIOUS]);
    assert_eq!(p["delete"], json!([]));
    assert!(!plan(&["--previous", PREVIOUS]).ok().stdout.contains("delete"), "no delete list with --delete none");
}

#[test]
fn objects_the_rules_exclude_are_kept_unless_delete_excluded() {
    let rules = ["--exclude", "pipeline.PL_Main,trigger.TR_Daily,trigger.TR_Paused,trigger.TR_Sandbox"];
    let mut args = vec!["--delete", "missing", "--previous", PREVIOUS];
    args.extend(rules);
    let kept = plan_json(&args);
    assert_eq!(ids(&kept, "delete"), RETIRED_IN_ORDER);
    assert_eq!(reason(&kept, "kept", "PL_Main"), "excluded by --exclude pipeline.PL_Main: not managed by this release");
    args.extend(["--delete-excluded", "--allow-mass-delete"]);
    let deleted = plan_json(&args);
    let delete = ids(&deleted, "delete");
    assert_eq!(reason(&deleted, "delete", "PL_Main"), "excluded by --exclude pipeline.PL_Main; --delete-excluded");
    // Triggers that run PL_Main go before it.
    for trigger in ["trigger.TR_Daily", "trigger.TR_Paused", "trigger.TR_Sandbox"] {
        assert!(position(&delete, trigger) < position(&delete, "pipeline.PL_Main"), "{delete:?}");
    }
}

#[test]
fn an_object_something_still_uses_is_never_deleted() {
    let run =
        plan(&["--delete", "missing", "--previous", PREVIOUS, "--exclude", "dataset.DS_Orders", "--delete-excluded"]);
    let run = run.ok();
    assert!(run.stderr.contains("warning[plan::still-used]: dataset.DS_Orders is missing from the output, but pipeline.PL_Load, which stays, uses it: it is not deleted"), "{}", run.stderr);
    let p = plan_json(&[
        "--delete",
        "missing",
        "--previous",
        PREVIOUS,
        "--exclude",
        "dataset.DS_Orders",
        "--delete-excluded",
    ]);
    assert_eq!(reason(&p, "kept", "DS_Orders"), "still used by pipeline.PL_Load");
    assert_eq!(ids(&p, "delete"), RETIRED_IN_ORDER);
}

#[test]
fn a_mass_delete_is_refused_unless_allowed() {
    let args = ["--delete", "missing", "--previous", PREVIOUS, "--include", "pipeline.PL_Main", "--delete-excluded"];
    let run = plan(&args).fails();
    insta::assert_snapshot!("mass_delete", run.stderr);
    let mut allowed = args.to_vec();
    allowed.push("--allow-mass-delete");
    let p = plan_json(&allowed);
    // Everything PL_Main uses stays; the triggers and the retired objects go.
    assert_eq!(ids(&p, "delete").len(), 12, "{:?}", ids(&p, "delete"));
    assert_eq!(reason(&p, "kept", "PL_Load"), "still used by pipeline.PL_Main");
}

#[test]
fn private_endpoints_are_deleted_only_when_asked() {
    let case = Case::example();
    case.edit(TEMPLATE, |t| {
        let resources = t["resources"].as_array_mut().expect("resources");
        resources.retain(|r| !r["type"].as_str().unwrap_or("").ends_with("managedPrivateEndpoints"));
    });
    let previous = fixture("example");
    let previous = previous.to_str().expect("utf-8");
    let base = ["plan", "--template", TEMPLATE, "--delete", "missing", "--previous", previous, "--format", "json"];
    let p = case.run(&base).ok().json();
    assert_eq!(ids(&p, "delete"), Vec::<String>::new());
    assert_eq!(p["kept"][0]["reason"], "shared infrastructure: only --delete-private-endpoints deletes it");
    let mut asked = base.to_vec();
    asked.push("--delete-private-endpoints");
    let p = case.run(&asked).ok().json();
    assert_eq!(
        p["delete"],
        json!([{"type": "managedPrivateEndpoint", "name": "mpe_sql", "managedVirtualNetwork": "default",
        "reason": "in the previous output, not in this one"}])
    );
}

// ---------------------------------------------------------------------------------------------------------------
// build --plan

#[test]
fn build_plan_writes_plan_json_with_the_outputs() {
    let case = Case::new();
    let run = case.run(&["build", "--template", "factory", "--out-dir", "out", "--plan", "--target-state", "az.json"]);
    let run = run.ok();
    assert!(run.stderr.contains("wrote 3 files (template, parameters, plan) to out"), "{}", run.stderr);
    assert_eq!(
        listing(&case.path("out")),
        ["ARMTemplateForFactory.json", "ARMTemplateParametersForFactory.json", "plan.json"]
    );
    let written = json(&case.path("out").join("plan.json"));
    let printed = case.run(&["plan", "--template", "factory", "--target-state", "az.json", "--format", "json"]);
    assert_eq!(written, printed.ok().json());
    assert_eq!(written["options"]["targetState"], json!(["az.json"]));
}

#[test]
fn build_plan_writes_nothing_when_the_plan_fails() {
    let case = Case::new();
    let run = case.run(&["build", "--template", "factory", "--out-dir", "out", "--plan", "--stop", "all-enabled"]);
    assert!(run.fails().stderr.ends_with("adfc: 1 error, nothing written\n"));
    assert!(!case.path("out").exists());
    // A plan that fails after a good compile must not leave an earlier build half replaced either.
    case.run(&["build", "--template", "factory", "--out-dir", "out"]).ok();
    let before = std::fs::read(case.path("out").join(TEMPLATE)).expect("template");
    case.edit(TEMPLATE, |t| resource_mut(t, "TR_Daily")["properties"]["runtimeState"] = json!("Stopped"));
    case.run(&["build", "--template", "factory", "--out-dir", "out", "--plan", "--start", "keep"]).fails();
    assert_eq!(std::fs::read(case.path("out").join(TEMPLATE)).expect("template"), before);
    assert!(!case.path("out").join("plan.json").exists());
}

#[test]
fn build_plan_options_need_the_plan_flag() {
    let case = Case::new();
    let run = case.run(&["build", "--template", "factory", "--out-dir", "out", "--delete", "missing"]).fails();
    assert!(run.stderr.starts_with("error: --delete plans a release: it needs --plan"), "{}", run.stderr);
    assert!(!case.path("out").exists());
}

#[test]
fn build_plan_writes_the_scripts_in_the_same_write() {
    let case = Case::new();
    let run = case.run(&["build", "--template", "factory", "--out-dir", "out", "--plan", "--emit-scripts", "scripts"]);
    assert!(run.ok().stderr.contains("3 bash scripts, 3 PowerShell scripts"));
    assert_eq!(listing(&case.path("scripts")), SCRIPTS);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode =
            |name: &str| std::fs::metadata(case.path("scripts").join(name)).expect("script").permissions().mode();
        assert_eq!(mode("stop-triggers.sh") & 0o111, 0o111, "bash scripts are executable");
        assert_eq!(mode("stop-triggers.ps1") & 0o111, 0, "PowerShell scripts are not");
    }
}

// ---------------------------------------------------------------------------------------------------------------
// Scripts

const SCRIPTS: [&str; 6] = [
    "delete-objects.ps1",
    "delete-objects.sh",
    "start-triggers.ps1",
    "start-triggers.sh",
    "stop-triggers.ps1",
    "stop-triggers.sh",
];

/// Names a script must pass as data.
const HOSTILE: [&str; 8] = [
    "x'; rm -rf / #",
    "$(touch pwned)",
    "`touch pwned`",
    "-rf",
    "two\nlines",
    "semi;colon && echo \"quoted\"",
    "it\u{2019}s ${HOME} \\ back",
    "--yes",
];

/// Hostile names an ADF resource can have: every one without a `/` (a `/` separates ARM name segments).
fn in_templates() -> impl Iterator<Item = &'static str> {
    HOSTILE.into_iter().filter(|n| !n.contains('/'))
}

/// A copy of `fixtures/plan` where hostile names come from both places names come from: the source has a
/// started trigger named after each (that can be a resource name), and the target state says prod has a
/// started trigger, a pipeline, a credential and a private endpoint named after each (all to delete but the
/// triggers the source has).
fn hostile_case() -> Case {
    let case = Case::new();
    case.edit(TEMPLATE, |t| {
        let resources = t["resources"].as_array_mut().expect("resources");
        resources.extend(in_templates().map(trigger_resource));
    });
    let mut states = json(&fixture("plan/state/triggers.map.json"));
    for name in HOSTILE {
        states[name] = json!("Started");
    }
    case.write("hostile-triggers.json", &states);
    let az_entry = |kind: &str, name: &str| json!({"name": name, "type": format!("Microsoft.DataFactory/factories/{kind}"), "properties": {}});
    let mut objects: Vec<Value> =
        HOSTILE.iter().flat_map(|n| [az_entry("pipelines", n), az_entry("credentials", n)]).collect();
    let endpoints = "managedVirtualNetworks/managedPrivateEndpoints";
    objects.extend(in_templates().map(|n| az_entry(endpoints, &format!("default/{n}"))));
    case.write("hostile-objects.json", &json!({"value": objects}));
    case
}

/// `adfc plan` of the hostile case that emits scripts into `scripts/`.
fn emit_hostile_scripts(case: &Case) {
    let args = [
        "plan",
        "--template",
        "factory",
        "--target-state",
        "hostile-triggers.json",
        "--target-state",
        "hostile-objects.json",
        "--stop",
        "all-enabled",
        "--delete",
        "missing",
        "--delete-private-endpoints",
        "--allow-mass-delete",
        "--emit-scripts",
        "scripts",
    ];
    let run = case.run(&args).ok();
    assert!(run.stderr.contains("adfc: wrote 6 scripts to scripts"), "{}", run.stderr);
}

#[test]
fn emitted_bash_scripts_pass_bash_n_and_shellcheck() {
    let case = hostile_case();
    emit_hostile_scripts(&case);
    let empty = Case::new();
    empty
        .run(&[
            "plan",
            "--template",
            "factory",
            "--target-state",
            "map.json",
            "--stop",
            "changed",
            "--previous",
            "previous",
            "--emit-scripts",
            "scripts",
        ])
        .ok();
    for dir in [case.path("scripts"), empty.path("scripts")] {
        for script in SCRIPTS.iter().filter(|s| s.ends_with(".sh")) {
            let path = dir.join(script);
            let status = std::process::Command::new("bash").arg("-n").arg(&path).status().expect("bash");
            assert!(status.success(), "bash -n {}", path.display());
            if let Some(shellcheck) = shellcheck() {
                let output = std::process::Command::new(shellcheck).arg(&path).output().expect("shellcheck");
                assert!(
                    output.status.success(),
                    "shellcheck {}:\n{}",
                    path.display(),
                    String::from_utf8_lossy(&output.stdout)
                );
            }
        }
    }
}

/// `shellcheck`, when installed. Skipped with a message locally; under CI (which installs it) its absence fails.
fn shellcheck() -> Option<&'static str> {
    let found = std::process::Command::new("shellcheck").arg("--version").output().is_ok_and(|o| o.status.success());
    if found {
        return Some("shellcheck");
    }
    if std::env::var_os("CI").is_some_and(|v| !v.is_empty()) {
        panic!("CI is set but shellcheck is not installed (.ci/run installs it)");
    }
    eprintln!("SKIPPED: shellcheck is not installed; the emitted scripts were only checked with bash -n");
    None
}

/// A stub `az` that appends each call's arguments, NUL-terminated, and one more NUL, to `$AZ_LOG`.
/// `trigger show` exits `$AZ_SHOW_STATUS` (default 0); `trigger start` of `$AZ_FAIL_START` always fails.
const STUB_AZ: &str = r#"#!/usr/bin/env bash
{ printf '%s\0' "$@"; printf '\0'; } >>"$AZ_LOG"
if [[ $1 == datafactory && $2 == trigger && $3 == show ]]; then
    exit "${AZ_SHOW_STATUS:-0}"
fi
if [[ $1 == datafactory && $2 == trigger && $3 == start && -n ${AZ_FAIL_START:-} && " $* " == *" --name=$AZ_FAIL_START "* ]]; then
    echo "stub az: cannot start" >&2
    exit 1
fi
exit 0
"#;

struct Stub {
    bin: PathBuf,
    log: PathBuf,
}

impl Stub {
    fn new(dir: &Path) -> Stub {
        let bin = dir.join("bin");
        std::fs::create_dir_all(&bin).expect("bin");
        let az = bin.join("az");
        std::fs::write(&az, STUB_AZ).expect("stub");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&az, std::fs::Permissions::from_mode(0o755)).expect("chmod");
        }
        Stub { bin, log: dir.join("az.log") }
    }

    /// Run `script` with the stub first on PATH, from `cwd`.
    fn run(&self, cwd: &Path, script: &Path, env: &[(&str, &str)]) -> std::process::Output {
        let path = format!("{}:{}", self.bin.display(), std::env::var("PATH").unwrap_or_default());
        let mut cmd = std::process::Command::new("bash");
        cmd.arg(script).args(["adf-prod", "rg-prod"]).current_dir(cwd).env("PATH", path).env("AZ_LOG", &self.log);
        cmd.env("ADFC_RETRY_DELAY", "0");
        for (k, v) in env {
            cmd.env(k, v);
        }
        cmd.output().expect("run script")
    }

    /// Each call's arguments, in order (emptying the log).
    fn calls(&self) -> Vec<Vec<String>> {
        let bytes = std::fs::read(&self.log).unwrap_or_default();
        let _ = std::fs::remove_file(&self.log);
        let mut calls = Vec::new();
        let mut call = Vec::new();
        for arg in bytes.split(|b| *b == 0).collect::<Vec<_>>().split_last().map_or(&[][..], |(_, rest)| rest) {
            if arg.is_empty() {
                calls.push(std::mem::take(&mut call));
            } else {
                call.push(String::from_utf8_lossy(arg).into_owned());
            }
        }
        calls
    }
}

fn az(args: &[&str]) -> Vec<String> {
    args.iter().map(|a| a.to_string()).collect()
}

fn trigger_call(verb: &str, name: &str) -> Vec<String> {
    let name = format!("--name={name}");
    az(&["datafactory", "trigger", verb, "--factory-name=adf-prod", "--resource-group=rg-prod", &name])
}

#[test]
fn scripts_pass_every_name_to_az_as_exactly_one_argument() {
    let case = hostile_case();
    emit_hostile_scripts(&case);
    let stub = Stub::new(case.dir.path());
    let scripts = case.path("scripts");
    let work = case.path("work");
    std::fs::create_dir_all(&work).expect("work");
    let run = |script: &str| {
        let output = stub.run(&work, &scripts.join(script), &[]);
        assert!(output.status.success(), "{script}: {}", String::from_utf8_lossy(&output.stderr));
        stub.calls()
    };

    let calls = run("stop-triggers.sh");
    for name in HOSTILE {
        position_of(&calls, &trigger_call("stop", name));
    }
    assert!(calls.iter().all(|c| c.len() == 6), "the target state says they exist: no checks, nothing more");

    let calls = run("start-triggers.sh");
    for name in in_templates() {
        position_of(&calls, &trigger_call("start", name));
    }

    let calls = run("delete-objects.sh");
    let target = ["--factory-name=adf-prod", "--resource-group=rg-prod"];
    let delete = |group: &str, name: &str, extra: &[&str]| {
        let mut call = az(&["datafactory", group, "delete"]);
        call.extend(az(&target));
        call.push(format!("--name={name}"));
        call.extend(az(extra));
        call.push("--yes".into());
        call
    };
    // The one hostile trigger the source cannot have is deleted; the others are deployed.
    position_of(&calls, &delete("trigger", "x'; rm -rf / #", &[]));
    for name in HOSTILE {
        position_of(&calls, &delete("pipeline", name, &[]));
        let url = format!(
            "--url=/subscriptions/{{subscriptionId}}/resourceGroups/rg-prod/providers/Microsoft.DataFactory/factories/adf-prod/credentials/{}?api-version=2018-06-01",
            percent_encode(name)
        );
        position_of(&calls, &az(&["rest", "--method", "delete", &url]));
    }
    for name in in_templates() {
        position_of(&calls, &delete("managed-private-endpoint", name, &["--managed-virtual-network-name=default"]));
    }
    // Nothing a name holds was run.
    assert_eq!(listing(&work), Vec::<String>::new());
    assert!(!case.path("pwned").exists() && !case.path("scripts/pwned").exists());
}

fn position_of(calls: &[Vec<String>], call: &[String]) -> usize {
    calls.iter().position(|c| c.starts_with(call)).unwrap_or_else(|| panic!("no call {call:?} in {calls:#?}"))
}

fn percent_encode(name: &str) -> String {
    name.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                char::from(b).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

#[test]
fn the_stop_script_skips_triggers_the_factory_does_not_have_and_fails_on_other_errors() {
    let case = Case::new();
    case.run(&["plan", "--template", "factory", "--emit-scripts", "scripts"]).ok();
    let stub = Stub::new(case.dir.path());
    let missing = stub.run(case.dir.path(), &case.path("scripts/stop-triggers.sh"), &[("AZ_SHOW_STATUS", "3")]);
    assert!(missing.status.success(), "{}", String::from_utf8_lossy(&missing.stderr));
    let calls = stub.calls();
    assert!(calls.iter().all(|c| c[2] == "show"), "only checks, no stop: {calls:?}");
    assert!(
        String::from_utf8_lossy(&missing.stderr).contains("trigger TR_Daily is not in the factory: nothing to stop")
    );

    let failing = stub.run(case.dir.path(), &case.path("scripts/stop-triggers.sh"), &[("AZ_SHOW_STATUS", "1")]);
    assert_eq!(failing.status.code(), Some(1));
    assert_eq!(stub.calls().len(), 1, "stops at the first error");
}

#[test]
fn the_start_script_retries_and_then_names_the_triggers_that_did_not_start() {
    let case = Case::new();
    case.run(&["plan", "--template", "factory", "--emit-scripts", "scripts", "--start-retries", "2"]).ok();
    let stub = Stub::new(case.dir.path());
    let run = stub.run(case.dir.path(), &case.path("scripts/start-triggers.sh"), &[("AZ_FAIL_START", "TR_Hourly_2")]);
    assert_eq!(run.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(stderr.contains("trigger TR_Hourly_2 did not start: retry 2 of 2 in 0 s"), "{stderr}");
    assert!(stderr.ends_with("adfc plan: 1 trigger(s) did not start after 2 retries:\n  TR_Hourly_2\n"), "{stderr}");
    let calls = stub.calls();
    let attempts = calls.iter().filter(|c| c.contains(&"--name=TR_Hourly_2".to_string())).count();
    assert_eq!(attempts, 3, "one try and two retries");
    // The others were all started, dependencies first, after the failure too.
    let started: Vec<&str> = calls.iter().filter_map(|c| c[5].strip_prefix("--name=")).collect();
    assert_eq!(
        started,
        ["TR_Daily", "TR_Hourly", "TR_Hourly_2", "TR_Hourly_2", "TR_Hourly_2", "TR_Hourly_3", "TR_Sandbox"]
    );
}

#[test]
fn bash_scripts_want_their_two_arguments() {
    let case = Case::new();
    case.run(&["plan", "--template", "factory", "--emit-scripts", "scripts"]).ok();
    let output = std::process::Command::new("bash")
        .arg(case.path("scripts/stop-triggers.sh"))
        .arg("only-one")
        .output()
        .expect("bash");
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(String::from_utf8_lossy(&output.stderr), "usage: stop-triggers.sh FACTORY_NAME RESOURCE_GROUP\n");
}

#[test]
fn powershell_scripts_hold_every_name_as_a_single_quoted_literal() {
    let case = hostile_case();
    emit_hostile_scripts(&case);
    let all: Vec<&str> = HOSTILE.to_vec();
    let deployable: Vec<&str> = in_templates().collect();
    for (script, names) in
        [("stop-triggers.ps1", &all), ("start-triggers.ps1", &deployable), ("delete-objects.ps1", &all)]
    {
        let text = std::fs::read_to_string(case.path("scripts").join(script)).expect("script");
        let (literals, rest) = powershell_literals(&text);
        for name in names {
            assert!(literals.iter().any(|l| l == name), "{script}: {name:?} is not a single-quoted literal");
        }
        // Outside single-quoted literals, no trace of a name: nothing is interpolated, nothing is a comment.
        for fragment in ["rm -rf", "touch pwned", "two", "semi;colon", "it\u{2019}s", "${HOME}"] {
            assert!(!rest.contains(fragment), "{script}: {fragment:?} outside a literal:\n{rest}");
        }
        assert!(text.starts_with("# ") && text.contains("\nparam(\n"), "{script}: a param() block");
        assert!(text.contains("$ErrorActionPreference = 'Stop'"), "{script}");
    }
    let stop = std::fs::read_to_string(case.path("scripts/stop-triggers.ps1")).expect("script");
    let expected = "Stop-AzDataFactoryV2Trigger -ResourceGroupName $ResourceGroupName -DataFactoryName $DataFactoryName \
                    -Name 'x''; rm -rf / #' -Force";
    assert!(stop.contains(expected), "{stop}");
}

/// The decoded single-quoted literals of a PowerShell text (PowerShell reads the typographic single
/// quotes as quotes too; a doubled quote inside a literal is one quote), and the text outside them.
fn powershell_literals(text: &str) -> (Vec<String>, String) {
    let quote = |c: char| matches!(c, '\'' | '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}');
    let (mut literals, mut rest) = (Vec::new(), String::new());
    let mut chars = text.chars().peekable();
    let mut in_double = false;
    while let Some(c) = chars.next() {
        if c == '"' {
            in_double = !in_double;
        }
        if !quote(c) || in_double {
            rest.push(c);
            continue;
        }
        let mut literal = String::new();
        loop {
            match chars.next() {
                Some(q) if quote(q) && chars.peek().is_some_and(|n| quote(*n)) => {
                    literal.push(q);
                    chars.next();
                }
                Some(q) if quote(q) => break,
                Some(other) => literal.push(other),
                None => panic!("unterminated literal: {literal:?}"),
            }
        }
        literals.push(literal);
    }
    (literals, rest)
}

#[test]
fn a_name_az_would_read_as_a_file_is_refused_and_nothing_is_written() {
    let case = Case::new();
    case.edit(TEMPLATE, |t| t["resources"].as_array_mut().expect("resources").push(trigger_resource("@secrets.txt")));
    let run = case.run(&["plan", "--template", "factory", "--emit-scripts", "scripts"]).fails();
    assert_eq!(run.errors(), ["plan::unsafe-name"]);
    assert!(
        run.stderr.contains("trigger.@secrets.txt cannot be written into a script: its name starts with `@`"),
        "{}",
        run.stderr
    );
    assert!(!case.path("scripts").exists());
    insta::assert_snapshot!("unsafe_name", run.stderr);
    // Without scripts, the plan itself is fine.
    case.run(&["plan", "--template", "factory"]).ok();
}

// ---------------------------------------------------------------------------------------------------------------
// Helpers: a copy of fixtures/plan (or of the example) to edit

struct Case {
    dir: TempDir,
}

impl Case {
    /// `factory/`, `previous/` and the state files of fixtures/plan, copied.
    fn new() -> Self {
        let dir = tempfile::tempdir().expect("tempdir");
        for sub in ["factory", "previous"] {
            std::fs::create_dir_all(dir.path().join(sub)).expect("mkdir");
            for name in [TEMPLATE, PARAMETERS] {
                std::fs::copy(fixture("plan").join(sub).join(name), dir.path().join(sub).join(name)).expect("copy");
            }
        }
        for (from, to) in [("triggers.az.json", "az.json"), ("triggers.map.json", "map.json")] {
            std::fs::copy(fixture("plan/state").join(from), dir.path().join(to)).expect("copy");
        }
        Case { dir }
    }

    /// The bundled example's template and parameters, copied.
    fn example() -> Self {
        let dir = tempfile::tempdir().expect("tempdir");
        for name in [TEMPLATE, PARAMETERS] {
            std::fs::copy(fixture("example").join(name), dir.path().join(name)).expect("copy");
        }
        Case { dir }
    }

    fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    /// Edit a template as JSON; a bare template name means the source's.
    fn edit(&self, rel: &str, edit: impl FnOnce(&mut Value)) {
        let path = if rel == TEMPLATE && self.path("factory").exists() {
            self.path("factory").join(rel)
        } else {
            self.path(rel)
        };
        let mut template = json(&path);
        edit(&mut template);
        std::fs::write(&path, serde_json::to_string_pretty(&template).expect("json")).expect("write");
    }

    fn write(&self, rel: &str, value: &Value) {
        std::fs::write(self.path(rel), serde_json::to_string_pretty(value).expect("json")).expect("write");
    }

    fn run(&self, args: &[&str]) -> Run {
        run_in(Some(self.dir.path()), args)
    }
}

/// The resource named `name` of a template.
fn resource_mut<'t>(template: &'t mut Value, name: &str) -> &'t mut Value {
    let suffix = format!("/{name}')]");
    template["resources"]
        .as_array_mut()
        .expect("resources")
        .iter_mut()
        .find(|r| r["name"].as_str().is_some_and(|n| n.ends_with(&suffix)))
        .unwrap_or_else(|| panic!("no resource {name}"))
}

/// A resource of `kind` (`pipelines`) named `name`, as ADF exports it (the name an ARM string literal).
fn resource(kind: &str, name: &str, properties: Value) -> Value {
    json!({
        "name": format!("[concat(parameters('factoryName'), '/{}')]", name.replace('\'', "''")),
        "type": format!("Microsoft.DataFactory/factories/{kind}"),
        "apiVersion": "2018-06-01",
        "properties": properties,
        "dependsOn": []
    })
}

/// A started Schedule trigger named `name` that runs PL_Main.
fn trigger_resource(name: &str) -> Value {
    resource(
        "triggers",
        name,
        json!({
            "runtimeState": "Started",
            "pipelines": [{"pipelineReference": {"referenceName": "PL_Main", "type": "PipelineReference"}, "parameters": {}}],
            "type": "ScheduleTrigger",
            "typeProperties": {"recurrence": {"frequency": "Day", "interval": 1, "startTime": "2024-01-01T00:00:00Z"}}
        }),
    )
}

//! `adfc diff` (issue 11) through the binary: every format on the bundled example (source → prod,
//! uat ↔ prod), renamed and moved activities, masked secrets, excluded objects, linked templates,
//! output folders, the target factory, `--exit-code`, and `build --diff` / `--changed-since`.
//! Snapshots hold stdout (the diff); warnings go to stderr.

mod common;

use std::path::{Path, PathBuf};

use common::{adfc, fixture, json};
use serde_json::Value;
use tempfile::TempDir;

const TEMPLATE: &str = "ARMTemplateForFactory.json";
const PARAMETERS: &str = "ARMTemplateParametersForFactory.json";
/// What the uat stage reads from the environment (config-uat.csv): never printed.
const UAT_ENV: [(&str, &str); 3] = [
    ("ADFC_UAT_SQL_CONNECTION", "Server=tcp:sql-uat;Password=Uat-S3cret!"),
    ("ADFC_UAT_BLOB_KEY", "uat-blob-key-0123456789"),
    ("ADFC_ENV", "uat-from-env"),
];

struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

impl Run {
    #[track_caller]
    fn ok(self) -> Self {
        assert_eq!(self.code, Some(0), "expected exit 0\n{}", self.stderr);
        self
    }

    #[track_caller]
    fn exit(self, code: i32) -> Self {
        assert_eq!(self.code, Some(code), "expected exit {code}\nstdout:\n{}\nstderr:\n{}", self.stdout, self.stderr);
        self
    }
}

/// `adfc <args>` in `dir` with `env`.
fn run_in(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Run {
    let mut cmd = adfc();
    cmd.current_dir(dir).args(args);
    for (k, v) in env {
        cmd.env(k, v);
    }
    let output = cmd.output().expect("run adfc");
    let run = Run {
        code: output.status.code(),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    };
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    run
}

/// `adfc <args>` from the repository root.
fn run(args: &[&str], env: &[(&str, &str)]) -> Run {
    run_in(&common::root(), args, env)
}

/// `adfc diff` of the bundled example: the common config, then `stages`, with the prod rules.
fn example(stages: &[&str], extra: &[&str]) -> Run {
    let mut args = vec!["diff", "-t", "fixtures/example", "--config", "deployment/config-common.csv"];
    for stage in stages {
        args.extend(["--stage", stage]);
    }
    args.extend(["--rules", "deployment/prod.rules"]);
    args.extend_from_slice(extra);
    run(&args, &UAT_ENV)
}

#[track_caller]
fn assert_no_env_values(text: &str) {
    for (_, value) in UAT_ENV {
        assert!(!text.contains(value), "a value from the environment is shown:\n{text}");
    }
}

// ---------------------------------------------------------------------------------------------------------------
// The bundled example, every format

#[test]
fn source_to_prod_in_every_format() {
    for (format, name) in [("text", "source_to_prod_text"), ("markdown", "source_to_prod_markdown")] {
        insta::assert_snapshot!(name, example(&["prod"], &["--format", format]).ok().stdout);
    }
    insta::assert_snapshot!("source_to_prod_json", example(&["prod"], &["--format", "json"]).ok().stdout);
    insta::assert_snapshot!("source_to_prod_unified", example(&["prod"], &["--format", "unified"]).ok().stdout);
}

#[test]
fn uat_to_prod_in_every_format_never_shows_environment_values() {
    for format in ["text", "markdown", "json", "unified"] {
        let out = example(&["uat", "prod"], &["--format", format]).ok();
        assert_no_env_values(&out.stdout);
        assert_no_env_values(&out.stderr);
        insta::assert_snapshot!(format!("uat_to_prod_{format}"), out.stdout);
    }
}

#[test]
fn stat_and_name_only() {
    insta::assert_snapshot!("source_to_prod_stat", example(&["prod"], &["--stat"]).ok().stdout);
    insta::assert_snapshot!("source_to_prod_name_only", example(&["prod"], &["--name-only"]).ok().stdout);
}

#[test]
fn text_is_coloured_only_when_asked() {
    let plain = example(&["prod"], &[]).ok().stdout;
    assert!(!plain.contains('\u{1b}'), "{plain}");
    let coloured = example(&["prod"], &["--color", "always"]).ok().stdout;
    assert!(coloured.contains("\u{1b}[33m~ linkedService.LS_KeyVault\u{1b}[0m"), "{coloured}");
    assert!(coloured.contains("\u{1b}[2m! pipeline.PL_Dev_Debug\u{1b}[0m"), "{coloured}");
    let strip = |text: &str| {
        let mut out = String::new();
        let mut escape = false;
        for c in text.chars() {
            match c {
                '\u{1b}' => escape = true,
                'm' if escape => escape = false,
                _ if escape => {}
                _ => out.push(c),
            }
        }
        out
    };
    assert_eq!(strip(&coloured), plain, "colour only wraps the text");
}

#[test]
fn json_has_a_version_and_counts_that_add_up() {
    let out: Value = serde_json::from_str(&example(&["prod"], &["--format", "json"]).ok().stdout).expect("json");
    assert_eq!(out["version"], 1);
    assert_eq!(out["mode"], "sourceToStage");
    let counts = &out["counts"];
    let total: u64 = ["added", "removed", "changed", "excluded", "notInRelease", "unchanged"]
        .iter()
        .map(|k| counts[k].as_u64().expect("count"))
        .sum();
    assert_eq!(total, 33);
    let listed = out["objects"].as_array().expect("objects").len() as u64;
    assert_eq!(listed, total - counts["unchanged"].as_u64().expect("unchanged"));
}

#[test]
fn exit_code_is_1_with_differences_0_without_and_2_on_errors() {
    example(&["prod"], &["--exit-code"]).exit(1);
    example(&["prod"], &[]).exit(0);
    run(&["diff", "fixtures/example", "fixtures/example", "--exit-code"], &[]).exit(0);
    let missing = run(&["diff", "fixtures/example", "no/such/folder", "--exit-code"], &[]).exit(2);
    assert!(
        missing.stderr.contains("input::read") || missing.stderr.contains("input::no-template"),
        "{}",
        missing.stderr
    );
}

#[test]
fn usage_errors_name_what_is_missing() {
    let out = run(&["diff", "--stage", "prod"], &[]).exit(2);
    assert!(out.stderr.contains("--template"), "{}", out.stderr);
    let out = run(&["diff", "-t", "fixtures/example", "-s", "a", "-s", "b", "-s", "c"], &[]).exit(2);
    assert!(out.stderr.contains("two stages at most"), "{}", out.stderr);
}

// ---------------------------------------------------------------------------------------------------------------
// Two copies of the example, one edited

/// A copy of the example as `old/`, and an edited copy as `new/`.
struct Pair {
    dir: TempDir,
}

impl Pair {
    fn new(edit: impl FnOnce(&mut Value)) -> Pair {
        let dir = tempfile::tempdir().expect("tempdir");
        for side in ["old", "new"] {
            std::fs::create_dir_all(dir.path().join(side)).expect("mkdir");
            for name in [TEMPLATE, PARAMETERS] {
                std::fs::copy(fixture("example").join(name), dir.path().join(side).join(name)).expect("copy");
            }
        }
        let path = dir.path().join("new").join(TEMPLATE);
        let mut template = json(&path);
        edit(&mut template);
        std::fs::write(&path, serde_json::to_string_pretty(&template).expect("json")).expect("write");
        Pair { dir }
    }

    fn diff(&self, extra: &[&str]) -> Run {
        let mut args = vec!["diff", "old", "new"];
        args.extend_from_slice(extra);
        run_in(self.dir.path(), &args, &[])
    }
}

/// The activities of pipeline `name` in a template Value.
fn activities<'t>(template: &'t mut Value, name: &str) -> &'t mut Vec<Value> {
    let suffix = format!("'/{name}')]");
    let resources = template["resources"].as_array_mut().expect("resources");
    let pipeline = resources.iter_mut().find(|r| r["name"].as_str().is_some_and(|n| n.ends_with(&suffix)));
    pipeline.expect("pipeline")["properties"]["activities"].as_array_mut().expect("activities")
}

#[test]
fn a_renamed_activity_is_one_rename_and_the_reference_to_it() {
    let pair = Pair::new(|t| {
        let acts = activities(t, "PL_Admin_Maintenance");
        acts[1]["name"] = "Vacuum Tables".into();
        acts[2]["dependsOn"][0]["activity"] = "Vacuum Tables".into();
    });
    insta::assert_snapshot!("renamed_activity", pair.diff(&[]).ok().stdout);
}

#[test]
fn a_moved_activity_is_one_move() {
    let pair = Pair::new(|t| {
        let acts = activities(t, "PL_Orchestrate");
        let last = acts.pop().expect("an activity");
        acts.insert(0, last);
    });
    insta::assert_snapshot!("moved_activity", pair.diff(&[]).ok().stdout);
    insta::assert_snapshot!("moved_activity_unified", pair.diff(&["--format", "unified"]).ok().stdout);
}

#[test]
fn reformatting_alone_is_no_difference() {
    Pair::new(|_| {}).diff(&["--exit-code"]).exit(0);
}

// ---------------------------------------------------------------------------------------------------------------
// Secrets, exclusions

/// A config (in a temporary folder) that sets secrets three ways: a secret-like key, a value from the
/// environment for an ordinary key, and a secure parameter.
fn secrets_config() -> (TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("tempdir");
    let config = dir.path().join("secrets.csv");
    let rows = "type,name,path,value\n\
        linkedService,LS_Blob,+typeProperties.accountKey,plain-account-key-value\n\
        linkedService,LS_Rest,typeProperties.url,$Env:REST_URL\n\
        linkedService,LS_Sql,typeProperties.connectionString,Server=prod;Password=Pr0d-Pa55\n";
    std::fs::write(&config, rows).expect("write");
    (dir, config)
}

#[test]
fn secrets_are_masked_with_a_hash_unless_show_secrets() {
    let (_dir, config) = secrets_config();
    let config = config.to_string_lossy().into_owned();
    let env = [("REST_URL", "https://rest-from-env.example.com/")];
    let args = ["diff", "-t", "fixtures/example", "--config", &config];
    let masked = run(&args, &env).ok();
    for secret in ["plain-account-key-value", "rest-from-env", "Pr0d-Pa55"] {
        assert!(!masked.stdout.contains(secret), "{secret} shown:\n{}", masked.stdout);
        assert!(!masked.stderr.contains(secret), "{secret} shown:\n{}", masked.stderr);
    }
    let text = masked.stdout.replace(&config, "secrets.csv");
    insta::assert_snapshot!("masked_secrets", text);
    let shown = run(&[&args[..], &["--show-secrets"]].concat(), &env).ok();
    for secret in ["plain-account-key-value", "rest-from-env", "Pr0d-Pa55"] {
        assert!(shown.stdout.contains(secret), "{secret} not shown with --show-secrets:\n{}", shown.stdout);
    }
    let unified = run(&[&args[..], &["--format", "unified"]].concat(), &env).ok();
    for secret in ["plain-account-key-value", "rest-from-env", "Pr0d-Pa55"] {
        assert!(!unified.stdout.contains(secret), "{secret} shown:\n{}", unified.stdout);
    }
}

#[test]
fn an_excluded_object_names_the_rule_and_its_line() {
    let out = run(&["diff", "-t", "fixtures/example", "--rules", "deployment/prod.rules", "--name-only"], &[]).ok();
    assert_eq!(out.stdout, "linkedService.LS_Dev_Sandbox\npipeline.PL_Dev_Debug\n");
    let out = run(&["diff", "-t", "fixtures/example", "--rules", "deployment/prod.rules"], &[]).ok();
    insta::assert_snapshot!("excluded_objects", out.stdout);
}

// ---------------------------------------------------------------------------------------------------------------
// Linked templates, output folders, the target factory

#[test]
fn linked_and_single_exports_of_one_factory() {
    let Some(corpus) = common::corpus() else { return };
    let dir = corpus.join("TeamKagoolLtd__azuredatafactory-gitbuhpublic/kDevADF01");
    let out = run_in(&dir, &["diff", TEMPLATE, "linkedTemplates"], &[]).ok();
    insta::assert_snapshot!("linked_and_single", out.stdout);
}

#[test]
fn a_linked_export_and_its_compiled_output_folder() {
    let Some(corpus) = common::corpus() else { return };
    let source = corpus.join("Martelloti__azure-df-cicd/covid-reporting-adf-udemy-marte/linkedTemplates");
    let work = tempfile::tempdir().expect("tempdir");
    let config = work.path().join("config-test.csv");
    std::fs::write(&config, "type,name,path,value\ntrigger,*,runtimeState,Stopped\n").expect("write");
    let (source, config) = (source.to_string_lossy().into_owned(), config.to_string_lossy().into_owned());
    run_in(work.path(), &["build", "-t", &source, "--config", &config, "-o", "out"], &[]).ok();
    assert!(work.path().join("out/linkedTemplates/ArmTemplate_master.json").is_file());
    let out = run_in(work.path(), &["diff", &source, "out"], &[]).ok();
    insta::assert_snapshot!("linked_output_folder", out.stdout.replace(&source, "SOURCE"));
    run_in(work.path(), &["diff", "out", "out/linkedTemplates/ArmTemplate_master.json", "--exit-code"], &[]).exit(0);
}

#[test]
fn two_output_folders() {
    let work = tempfile::tempdir().expect("tempdir");
    let root = common::root();
    let template = root.join("fixtures/example").to_string_lossy().into_owned();
    let common_config = root.join("deployment/config-common.csv").to_string_lossy().into_owned();
    let deployment_root = root.to_string_lossy().into_owned();
    for (stage, out) in [("prod", "release-1"), ("uat", "release-2")] {
        let args = ["build", "-t", &template, "--root", &deployment_root, "-c", &common_config, "-s", stage, "-o", out];
        run_in(work.path(), &args, &UAT_ENV).ok();
    }
    let out = run_in(work.path(), &["diff", "release-1", "release-2"], &[]).ok();
    // Output folders do not say which values came from the environment; secrets are still masked.
    for secret in ["Uat-S3cret!", "uat-blob-key-0123456789"] {
        assert!(!out.stdout.contains(secret), "{secret} shown:\n{}", out.stdout);
    }
    insta::assert_snapshot!("two_output_folders", out.stdout);
}

#[test]
fn the_target_factory_against_the_release() {
    let dir = tempfile::tempdir().expect("tempdir");
    let state = dir.path().join("target.json");
    // What `az datafactory linked-service list` / `pipeline list` print (properties, metadata around them).
    let listed = serde_json::json!([
        {"id": "/subscriptions/x/resourceGroups/rg/providers/Microsoft.DataFactory/factories/adf-example-prod/linkedservices/LS_KeyVault",
         "name": "LS_KeyVault", "type": "Microsoft.DataFactory/factories/linkedservices", "etag": "1",
         "properties": {"type": "AzureKeyVault", "annotations": [], "description": null,
                        "typeProperties": {"baseUrl": "https://kv-example-old.vault.azure.net/"}}},
        {"name": "LS_Legacy", "type": "Microsoft.DataFactory/factories/linkedservices",
         "properties": {"type": "AzureBlobStorage", "typeProperties": {}}},
        {"name": "LS_Dev_Sandbox", "type": "Microsoft.DataFactory/factories/linkedservices",
         "properties": {"type": "AzureBlobStorage", "typeProperties": {}}}
    ]);
    std::fs::write(&state, serde_json::to_string_pretty(&listed).expect("json")).expect("write");
    let state = state.to_string_lossy().into_owned();
    let args = ["diff", "--target-state", &state, "-t", "fixtures/example", "--stage", "prod"];
    let out = run(&[&args[..], &["--rules", "deployment/prod.rules"]].concat(), &[]).ok();
    insta::assert_snapshot!("target_state", out.stdout);
}

// ---------------------------------------------------------------------------------------------------------------
// build --diff FILE

/// `adfc build` of the example for prod into `out` (in `dir`), with `extra` arguments.
fn build_in(dir: &Path, out: &str, extra: &[&str]) -> Run {
    let template = common::root().join("fixtures/example").to_string_lossy().into_owned();
    build_from(dir, &template, out, extra)
}

/// `adfc build` of `template` for the example's prod stage and rules.
fn build_from(dir: &Path, template: &str, out: &str, extra: &[&str]) -> Run {
    let root = common::root();
    let deployment_root = root.to_string_lossy().into_owned();
    let rules = root.join("deployment/prod.rules").to_string_lossy().into_owned();
    let mut args =
        vec!["build", "-t", template, "--root", &deployment_root, "-s", "prod", "--rules", &rules, "-o", out];
    args.extend_from_slice(extra);
    run_in(dir, &args, &[])
}

#[test]
fn build_diff_writes_the_source_to_stage_diff_with_the_template() {
    let dir = tempfile::tempdir().expect("tempdir");
    let run = build_in(dir.path(), "out", &["--diff", "out/diff.md", "--format", "json"]).ok();
    let summary: Value = serde_json::from_str(&run.stdout).expect("json summary");
    let roles: Vec<&str> =
        summary["files"].as_array().expect("files").iter().filter_map(|f| f["role"].as_str()).collect();
    assert_eq!(roles, ["template", "parameters", "diff"]);
    let markdown = std::fs::read_to_string(dir.path().join("out/diff.md")).expect("diff.md");
    assert!(markdown.starts_with("### adfc diff: `source` → `prod`"), "{markdown}");
    assert!(markdown.contains("excluded by -\\*.\\*@Sandbox\\* (prod.rules:6)"), "{markdown}");
    build_in(dir.path(), "out2", &["--diff", "report.json"]).ok();
    let report = json(&dir.path().join("report.json"));
    assert_eq!(report["version"], 1);
    build_in(dir.path(), "out3", &["--diff", "report.txt"]).ok();
    let text = std::fs::read_to_string(dir.path().join("report.txt")).expect("report.txt");
    assert!(text.starts_with("adfc diff: source → prod\n") && !text.contains('\u{1b}'), "{text}");
}

#[test]
fn build_diff_is_not_written_when_the_build_fails() {
    let dir = tempfile::tempdir().expect("tempdir");
    let bad = dir.path().join("bad.csv");
    std::fs::write(&bad, "type,name,path,value\npipeline,PL_Nope,activities[0].name,x\n").expect("write");
    let bad = bad.to_string_lossy().into_owned();
    build_in(dir.path(), "out", &["--diff", "diff.md", "--config", &bad]).exit(2);
    assert!(!dir.path().join("diff.md").exists());
    assert!(!dir.path().join("out").exists());
}

// ---------------------------------------------------------------------------------------------------------------
// build --changed-since DIR

#[test]
fn an_unchanged_second_build_deploys_nothing_and_says_so() {
    let dir = tempfile::tempdir().expect("tempdir");
    build_in(dir.path(), "release-1", &[]).ok();
    let second = build_in(dir.path(), "release-2", &["--changed-since", "release-1"]).ok();
    insta::assert_snapshot!("changed_since_nothing", second.stderr);
    let template = json(&dir.path().join("release-2").join(TEMPLATE));
    assert_eq!(template["resources"], serde_json::json!([]));
    let json_run = build_in(dir.path(), "release-3", &["--changed-since", "release-1", "--format", "json"]).ok();
    let summary: Value = serde_json::from_str(&json_run.stdout).expect("json summary");
    assert_eq!(summary["objects"]["deployed"], 0);
    assert_eq!(summary["objects"]["skippedUnchanged"], 31);
    assert_eq!(summary["changedSince"], "release-1");
}

/// A copy of the example whose pipeline PL_Api_Ingest differs from the original.
fn changed_example(dir: &Path) -> String {
    let copy = dir.join("changed");
    std::fs::create_dir_all(&copy).expect("mkdir");
    for name in [TEMPLATE, PARAMETERS] {
        std::fs::copy(fixture("example").join(name), copy.join(name)).expect("copy");
    }
    let text = std::fs::read_to_string(copy.join(TEMPLATE)).expect("template");
    let edited = text.replacen("\"Accept\": \"application/json\"", "\"Accept\": \"application/xml\"", 1);
    assert_ne!(text, edited);
    std::fs::write(copy.join(TEMPLATE), edited).expect("write");
    copy.to_string_lossy().into_owned()
}

#[test]
fn one_changed_pipeline_deploys_only_that_pipeline_and_its_closure_when_asked() {
    let dir = tempfile::tempdir().expect("tempdir");
    build_in(dir.path(), "release-1", &[]).ok();
    let changed = changed_example(dir.path());
    let deployed = |out: &str| -> Vec<String> {
        let template = json(&dir.path().join(out).join(TEMPLATE));
        template["resources"]
            .as_array()
            .expect("resources")
            .iter()
            .filter_map(|r| r["name"].as_str().map(String::from))
            .collect()
    };
    let only = build_from(dir.path(), &changed, "release-2", &["--changed-since", "release-1"]).ok();
    assert_eq!(deployed("release-2"), ["[concat(parameters('factoryName'), '/PL_Api_Ingest')]"]);
    assert!(only.stderr.contains("skipped 30 objects unchanged since release-1\n"), "{}", only.stderr);
    assert!(!only.stderr.contains("select::missing-dependency"), "{}", only.stderr);
    let closure =
        build_from(dir.path(), &changed, "release-3", &["--changed-since", "release-1", "--with-dependencies"]).ok();
    insta::assert_snapshot!("changed_since_closure", deployed("release-3").join("\n"));
    assert!(closure.stderr.contains("added as dependencies:"), "{}", closure.stderr);
}

// The example pipelines' diff steps (`adfc diff --format markdown` for pull requests, `build --diff`
// in each stage) run on the example in tests/pipelines.rs, which plays the pipelines step by step.

#[test]
fn changed_since_a_folder_without_a_template_is_an_error_that_says_what_it_wanted() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::create_dir_all(dir.path().join("empty")).expect("mkdir");
    let run = build_in(dir.path(), "out", &["--changed-since", "empty"]).exit(2);
    insta::assert_snapshot!("changed_since_no_template", run.stderr);
    assert!(!dir.path().join("out").exists());
}

#[test]
fn target_state_without_properties_is_compared_by_presence_with_a_warning() {
    let dir = tempfile::tempdir().expect("tempdir");
    let state = dir.path().join("triggers.json");
    std::fs::write(&state, r#"{"TR_Daily": "Stopped", "TR_Gone": "Stopped"}"#).expect("write");
    let state = state.to_string_lossy().into_owned();
    let out = run(&["diff", "--target-state", &state, "-t", "fixtures/example", "--stage", "prod"], &[]).ok();
    let stderr = out.stderr.replace(&state, "triggers.json");
    assert!(
        stderr.starts_with("warning[diff::properties-unknown]: 2 object(s) are listed without their properties"),
        "{stderr}"
    );
    insta::assert_snapshot!("target_state_presence_only", out.stdout);
    insta::assert_snapshot!("target_state_presence_only_warning", stderr);
}

#[test]
fn two_different_factories_are_compared_with_a_warning() {
    let Some(corpus) = common::corpus() else { return };
    let other = corpus.join("TeamKagoolLtd__azuredatafactory-gitbuhpublic").to_string_lossy().into_owned();
    let out = run(&["diff", "fixtures/example", &other, "--stat"], &[]).ok();
    let stderr = out.stderr.replace(&other, "OTHER");
    insta::assert_snapshot!("different_factories_warning", stderr);
}

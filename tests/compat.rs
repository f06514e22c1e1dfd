//! Compatibility suite: the PowerShell module azure.datafactory.tools' own test configs
//! (`../shared/compat/BigFactorySample2/deployment/`) applied by `adfc build` to the ARM
//! version of its sample factory. One test per file listed in that folder's EXPECTED.md
//! (the filter*.txt rows and the trigger plan belong to later features).
//!
//! Every successful build is checked three ways: the values EXPECTED.md names (type and
//! value, through serde_json), the exact lines that differ between input and output template
//! (adfc preserves formatting byte for byte, so a one-value change is a one-line diff), and
//! the set of resources whose JSON changed. Failing builds must exit 2, point at file:line:col
//! and write nothing.

mod common;

use std::path::{Path, PathBuf};

use common::{adfc, json, listing, resource};
use serde_json::{Value, json};
use tempfile::TempDir;

const TEMPLATE: &str = "ARMTemplateForFactory.json";
const PARAMETERS: &str = "ARMTemplateParametersForFactory.json";

/// The env vars config-c100.* (and config-missing.*) use.
const C100_ENV: &[(&str, &str)] = &[
    ("ProjectName", "adft"),
    ("Environment", "uat"),
    ("Region", "uks"),
    ("DatabricksClusterId", "0820-210125-test000"),
];

/// `../shared/compat/BigFactorySample2`, or None (with a message) when `../shared` is absent.
fn compat_dir() -> Option<PathBuf> {
    let dir = common::compat()?;
    assert!(dir.join(TEMPLATE).is_file(), "{} is missing its {TEMPLATE}", dir.display());
    Some(dir)
}

/// One parsed diagnostic from adfc's human (rustc-style) stderr.
#[derive(Debug)]
struct Diag {
    severity: String,
    code: String,
    message: String,
    file: String,
    line: usize,
    col: usize,
    /// The lines after the location (source excerpt, labels, `= notes`).
    body: String,
}

/// Parse `error[code]: message` / `┌─ file:line:col` blocks out of stderr.
fn parse_diags(stderr: &str) -> Vec<Diag> {
    let mut out: Vec<Diag> = Vec::new();
    for line in stderr.lines() {
        let header = ["error[", "warning["].iter().find_map(|p| line.strip_prefix(p).map(|rest| (p, rest)));
        if let Some((prefix, rest)) = header {
            let (code, message) = rest.split_once("]: ").unwrap_or_else(|| panic!("bad diagnostic header: {line}"));
            out.push(Diag {
                severity: prefix.trim_end_matches('[').to_string(),
                code: code.to_string(),
                message: message.to_string(),
                file: String::new(),
                line: 0,
                col: 0,
                body: String::new(),
            });
            continue;
        }
        let Some(d) = out.last_mut() else { continue };
        let loc = line.trim_start().strip_prefix("┌─ ").or_else(|| line.trim_start().strip_prefix("--> "));
        match loc {
            Some(loc) if d.file.is_empty() => {
                let mut parts = loc.trim().rsplitn(3, ':');
                d.col = parts.next().and_then(|c| c.parse().ok()).unwrap_or_else(|| panic!("bad location: {line}"));
                d.line = parts.next().and_then(|c| c.parse().ok()).unwrap_or_else(|| panic!("bad location: {line}"));
                d.file = parts.next().unwrap_or_default().to_string();
            }
            _ => {
                d.body.push_str(line);
                d.body.push('\n');
            }
        }
    }
    out
}

/// The result of one `adfc build` run; `out` is `<tmp>/out`, which did not exist before the run.
struct Run {
    code: Option<i32>,
    stderr: String,
    stdout: String,
    _tmp: TempDir,
    tmp_path: PathBuf,
    out: PathBuf,
    compat: PathBuf,
}

/// `adfc build --template <compat>/ARMTemplateForFactory.json --out-dir <tmp>/out <flags>
/// --config <compat>/deployment/<config>` (no `--config` when `config` is empty), with only `env`
/// (plus PATH and NO_COLOR) in the environment.
fn build(compat: &Path, config: &str, env: &[(&str, &str)], flags: &[&str]) -> Run {
    let tmp = tempfile::tempdir().expect("tempdir");
    let out = tmp.path().join("out");
    let mut cmd = adfc();
    cmd.arg("build").arg("--template").arg(compat.join(TEMPLATE)).arg("--out-dir").arg(&out).args(flags);
    if !config.is_empty() {
        cmd.arg("--config").arg(compat.join("deployment").join(config));
    }
    for (k, v) in env {
        cmd.env(k, v);
    }
    let output = cmd.output().expect("run adfc");
    let run = Run {
        code: output.status.code(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        tmp_path: tmp.path().to_path_buf(),
        _tmp: tmp,
        out,
        compat: compat.to_path_buf(),
    };
    let all = format!("{}{}", run.stdout, run.stderr);
    for bad in ["panicked", "RUST_BACKTRACE", "Os {", "stack backtrace"] {
        assert!(!all.contains(bad), "{config}: output contains `{bad}`:\n{all}");
    }
    run
}

impl Run {
    fn context(&self) -> String {
        format!("exit {:?}\n--- stdout\n{}\n--- stderr\n{}", self.code, self.stdout, self.stderr)
    }

    fn diags(&self) -> Vec<Diag> {
        parse_diags(&self.stderr)
    }

    /// Exit 0, both files written, the parameters file unchanged (nothing here is parameterized).
    fn assert_ok(&self) {
        self.assert_written();
        assert_eq!(
            std::fs::read(self.out.join(PARAMETERS)).unwrap(),
            std::fs::read(self.compat.join(PARAMETERS)).unwrap(),
            "parameters file changed"
        );
    }

    /// Exit 0, both files written, no error.
    fn assert_written(&self) {
        assert_eq!(self.code, Some(0), "{}", self.context());
        let files = listing(&self.out);
        for f in [TEMPLATE, PARAMETERS] {
            assert!(files.iter().any(|n| n == f), "{f} not written; out dir has {files:?}\n{}", self.context());
        }
        assert!(!self.diags().iter().any(|d| d.severity == "error"), "errors on a successful run\n{}", self.context());
    }

    /// The output parameters file's values, by name.
    fn parameter_values(&self) -> Value {
        let params = json(&self.out.join(PARAMETERS));
        let values = params["parameters"].as_object().expect("parameters").iter();
        Value::Object(values.map(|(k, v)| (k.clone(), v["value"].clone())).collect())
    }

    /// Success with no diagnostic at all.
    fn assert_clean(&self) {
        self.assert_ok();
        let diags = self.diags();
        assert!(diags.is_empty(), "unexpected diagnostics {diags:#?}\n{}", self.context());
    }

    /// Exit 2 and no output: the out dir was not created and nothing else appeared beside it.
    fn assert_failed_without_output(&self) {
        assert_eq!(self.code, Some(2), "{}", self.context());
        assert!(!self.out.exists(), "out dir created on error: {:?}\n{}", listing(&self.out), self.context());
        assert!(listing(&self.tmp_path).is_empty(), "stray files: {:?}", listing(&self.tmp_path));
        assert!(!self.diags().is_empty(), "no diagnostic on failure\n{}", self.context());
    }

    fn input_text(&self) -> String {
        std::fs::read_to_string(self.compat.join(TEMPLATE)).unwrap()
    }

    fn output_text(&self) -> String {
        std::fs::read_to_string(self.out.join(TEMPLATE)).unwrap()
    }

    fn input(&self) -> Value {
        json(&self.compat.join(TEMPLATE))
    }

    fn output(&self) -> Value {
        json(&self.out.join(TEMPLATE))
    }

    /// The output template differs from the input in exactly these lines (compared trimmed, in order).
    fn assert_line_changes(&self, removed: &[&str], added: &[&str]) {
        let (old, new) = common::removed_added(&self.input_text(), &self.output_text());
        let old: Vec<&str> = old.iter().map(String::as_str).collect();
        let new: Vec<&str> = new.iter().map(String::as_str).collect();
        assert_eq!((old.as_slice(), new.as_slice()), (removed, added), "line diff input → output template");
    }

    /// Exactly these resources (`<type suffix>:<name>`) changed; everything outside `resources` is identical.
    fn assert_changed_resources(&self, expected: &[&str]) {
        let (before, after) = (self.input(), self.output());
        let strip = |v: &Value| {
            let mut v = v.clone();
            v.as_object_mut().unwrap().remove("resources");
            v
        };
        assert_eq!(strip(&before), strip(&after), "template outside `resources` changed");
        let (b, a) = (before["resources"].as_array().unwrap(), after["resources"].as_array().unwrap());
        assert_eq!(b.len(), a.len(), "resource count changed");
        let mut changed: Vec<String> = b.iter().zip(a).filter(|(x, y)| x != y).map(|(x, _)| label(x)).collect();
        changed.sort();
        let mut expected: Vec<String> = expected.iter().map(|s| s.to_string()).collect();
        expected.sort();
        assert_eq!(changed, expected, "changed resources");
    }

    /// The output template is byte-identical to the input.
    fn assert_template_unchanged(&self) {
        assert!(self.input_text() == self.output_text(), "template changed: {:?}", {
            common::removed_added(&self.input_text(), &self.output_text())
        });
    }
}

/// `pipelines:PL_Wait5sec`, `factories:factory` for a resource Value.
fn label(r: &Value) -> String {
    let kind = r["type"].as_str().unwrap().rsplit('/').next().unwrap().to_string();
    let name = r["name"].as_str().unwrap();
    let name = match name.rsplit_once("'/") {
        Some((_, tail)) => tail.trim_end_matches("')]").to_string(),
        None => "factory".to_string(),
    };
    format!("{kind}:{name}")
}

/// Line `n` (1-based) of a deployment file.
fn config_line(compat: &Path, file: &str, n: usize) -> String {
    let text = std::fs::read_to_string(compat.join("deployment").join(file)).unwrap();
    text.lines().nth(n - 1).unwrap_or_else(|| panic!("{file} has no line {n}")).to_string()
}

/// 1-based column of the first occurrence of `needle` in line `n` of a deployment file.
fn column_of(compat: &Path, file: &str, n: usize, needle: &str) -> usize {
    let line = config_line(compat, file, n);
    line.find(needle).unwrap_or_else(|| panic!("`{needle}` not on {file}:{n}")) + 1
}

/// Every diagnostic must name `file` (the path given on the command line).
fn assert_all_in(diags: &[Diag], compat: &Path, file: &str) {
    let path = compat.join("deployment").join(file);
    for d in diags {
        assert_eq!(Path::new(&d.file), path, "diagnostic names the wrong file: {d:#?}");
    }
}

/// Unset-variable errors: every token's diagnostic points at the token in its line; returns the
/// sorted, deduplicated variable names, with the lines they were reported on.
fn unset_vars(run: &Run, file: &str) -> Vec<(usize, String)> {
    let diags = run.diags();
    assert_all_in(&diags, &run.compat, file);
    let mut vars: Vec<(usize, String)> = diags
        .iter()
        .map(|d| {
            assert_eq!((d.severity.as_str(), d.code.as_str()), ("error", "config::env-unset"), "{d:#?}");
            let name = d
                .message
                .split('`')
                .nth(1)
                .unwrap_or_else(|| panic!("variable name not in backquotes: {}", d.message))
                .to_string();
            assert!(d.message.contains("not set"), "{}", d.message);
            // The column points at the token itself: `$Env:NAME` or `$($Env:NAME)`.
            let line = config_line(&run.compat, file, d.line);
            let at: String = line.chars().skip(d.col - 1).collect();
            assert!(
                at.starts_with(&format!("$Env:{name}")) || at.starts_with(&format!("$($Env:{name})")),
                "{file}:{}:{} does not point at the `{name}` token: {at}",
                d.line,
                d.col
            );
            (d.line, name)
        })
        .collect();
    vars.sort();
    vars.dedup();
    vars
}

fn trigger<'v>(t: &'v Value, name: &str) -> &'v Value {
    &resource(t, "triggers", name)["properties"]
}

fn linked_service<'v>(t: &'v Value, name: &str) -> &'v Value {
    &resource(t, "linkedServices", name)["properties"]["typeProperties"]
}

// ---------------------------------------------------------------------------------------------
// Successful builds
// ---------------------------------------------------------------------------------------------

#[test]
fn config_uat() {
    let Some(c) = compat_dir() else { return };
    let run = build(&c, "config-uat.csv", &[], &[]);
    run.assert_clean();
    let t = run.output();

    let tr = trigger(&t, "TR_AlwaysDisabled");
    assert_eq!(tr["runtimeState"], json!("Started"));
    let interval = &tr["typeProperties"]["recurrence"]["interval"];
    assert!(interval.is_number(), "interval must be a JSON number, got {interval}");
    assert_eq!(interval, &json!(2));

    let ds = &resource(&t, "datasets", "CADOutput1")["properties"]["typeProperties"];
    assert_eq!(ds["columnDelimiter"], json!("¦"));

    let tw = trigger(&t, "TR_TumblingWindow");
    assert_eq!(tw["typeProperties"]["startTime"], json!("2022-10-07T00:35:00.000Z"));

    // "¦" → "¦" is no change; the comment row is ignored; the `¦` line stays byte-identical.
    run.assert_line_changes(
        &["\"runtimeState\": \"Stopped\",", "\"interval\": 1,", "\"startTime\": \"2020-05-28T23:21:00.000Z\","],
        &["\"runtimeState\": \"Started\",", "\"interval\": 2,", "\"startTime\": \"2022-10-07T00:35:00.000Z\","],
    );
    assert!(run.output_text().contains("\"columnDelimiter\": \"¦\","), "non-ASCII must be written as-is");
    run.assert_changed_resources(&["triggers:TR_AlwaysDisabled", "triggers:TR_TumblingWindow"]);

    // Deterministic: a second run writes byte-identical files.
    let again = build(&c, "config-uat.csv", &[], &[]);
    again.assert_clean();
    for f in [TEMPLATE, PARAMETERS] {
        assert!(
            std::fs::read(run.out.join(f)).unwrap() == std::fs::read(again.out.join(f)).unwrap(),
            "{f} differs between two identical runs"
        );
    }
}

#[test]
fn config_c001() {
    let Some(c) = compat_dir() else { return };
    let run = build(&c, "config-c001.csv", &[], &[]);
    run.assert_clean();
    let t = run.output();
    let tr = trigger(&t, "TR_AlwaysDisabled");
    assert_eq!(tr["runtimeState"], json!("Started"));
    assert_eq!(tr["typeProperties"]["recurrence"]["interval"], json!(2));
    run.assert_line_changes(
        &["\"runtimeState\": \"Stopped\",", "\"interval\": 1,"],
        &["\"runtimeState\": \"Started\",", "\"interval\": 2,"],
    );
    run.assert_changed_resources(&["triggers:TR_AlwaysDisabled"]);
}

/// Shared by the three c002 files: WaitInSec is replaced by an object (never a string).
fn check_c002(file: &str, expected: Value, added: &[&str]) {
    let Some(c) = compat_dir() else { return };
    let run = build(&c, file, &[], &[]);
    run.assert_clean();
    let t = run.output();
    let p = &resource(&t, "pipelines", "PL_Wait_Dynamic")["properties"];
    assert!(p["parameters"]["WaitInSec"].is_object(), "WaitInSec must be an object: {}", p["parameters"]);
    assert_eq!(p["parameters"]["WaitInSec"], expected);
    // Key order as written in the config value.
    let keys: Vec<&String> = p["parameters"]["WaitInSec"].as_object().unwrap().keys().collect();
    let want: Vec<&String> = expected.as_object().unwrap().keys().collect();
    assert_eq!(keys, want);
    run.assert_line_changes(&["\"type\": \"int\",", "\"defaultValue\": 10"], added);
    run.assert_changed_resources(&["pipelines:PL_Wait_Dynamic"]);
}

#[test]
fn config_c002_last_row_wins() {
    check_c002(
        "config-c002.csv",
        json!({"type": "int32", "defaultValue": 22}),
        &["\"type\": \"int32\",", "\"defaultValue\": 22"],
    );
}

/// c002a's single row is `{"type": "int32"}` unquoted in the CSV field: the object has only `type`.
#[test]
fn config_c002a_unquoted_json() {
    check_c002("config-c002a.csv", json!({"type": "int32"}), &["\"type\": \"int32\""]);
}

#[test]
fn config_c002b_single_quoted_json() {
    check_c002(
        "config-c002b.csv",
        json!({"type": "int32", "defaultValue": 22}),
        &["\"type\": \"int32\",", "\"defaultValue\": 22"],
    );
}

#[test]
fn config_array() {
    let Some(c) = compat_dir() else { return };
    let run = build(&c, "config-array.csv", &[], &[]);
    run.assert_clean();
    let t = run.output();
    let acts = &resource(&t, "pipelines", "Multiple Waits")["properties"]["activities"];
    assert_eq!(acts.as_array().map(Vec::len), Some(3), "activities must stay an array of 3");
    assert_eq!(acts[0]["name"], json!("Wait Number 1"));
    assert_eq!(acts[1]["name"], json!("If Condition"));
    let tp = &acts[1]["typeProperties"];
    let yes = &tp["ifTrueActivities"];
    assert_eq!(yes.as_array().map(Vec::len), Some(2), "ifTrueActivities must stay an array of 2");
    assert_eq!(yes[0]["name"], json!("Wait Number 2"));
    assert_eq!(yes[0]["typeProperties"]["waitTimeInSeconds"], json!(22));
    assert_eq!(yes[1]["name"], json!("Wait Number 3"));
    assert_eq!(yes[1]["typeProperties"]["waitTimeInSeconds"], json!(33));
    assert_eq!(tp["ifFalseActivities"][0]["name"], json!("Wait 5"), "ifFalseActivities untouched");
    assert_eq!(acts[2]["name"], json!("Wait Number 4"));
    // Activity dependsOn entries are not rewritten by renames.
    assert_eq!(yes[1]["dependsOn"][0]["activity"], json!("Wait 2"));
    run.assert_line_changes(
        &[
            "\"name\": \"Wait 1\",",
            "\"name\": \"Wait 2\",",
            "\"waitTimeInSeconds\": 2",
            "\"name\": \"Wait 3\",",
            "\"waitTimeInSeconds\": 3",
            "\"name\": \"Wait 4\",",
        ],
        &[
            "\"name\": \"Wait Number 1\",",
            "\"name\": \"Wait Number 2\",",
            "\"waitTimeInSeconds\": 22",
            "\"name\": \"Wait Number 3\",",
            "\"waitTimeInSeconds\": 33",
            "\"name\": \"Wait Number 4\",",
        ],
    );
    run.assert_changed_resources(&["pipelines:Multiple Waits"]);
}

#[test]
fn config_c005_extra_action() {
    // connectionString and accountKey are secret-like keys (SPEC 2.8): their values go to the parameters
    // file through new secureString parameters, and the template reads them from there.
    let Some(c) = compat_dir() else { return };
    let run = build(&c, "config-c005-extra-action.csv", &[], &[]);
    run.assert_written();
    assert!(run.diags().is_empty(), "{}", run.context());
    let (connection, key) = (
        "BlobSampleData_properties_typeProperties_connectionString",
        "BlobSampleData_properties_typeProperties_accountKey",
    );
    let t = run.output();
    let tp = linked_service(&t, "BlobSampleData");
    assert_eq!(
        tp,
        &json!({
            "connectionString": format!("[parameters('{connection}')]"),
            "accountKey": format!("[parameters('{key}')]")
        })
    );
    assert_eq!(t["parameters"][connection], json!({"type": "secureString"}));
    assert_eq!(t["parameters"][key], json!({"type": "secureString"}));
    let values = run.parameter_values();
    assert_eq!(
        values[connection],
        "DefaultEndpointsProtocol=https;AccountName=sqlplayer2019;EndpointSuffix=core.windows.net;"
    );
    assert_eq!(values[key], "orefoifakerjgi40passwordrjegjorejgorjeogjoreg==");
    assert!(!run.output_text().contains("orefoifakerjgi40"), "a secret is in the template body");
    assert!(run.stderr.contains(connection) && run.stderr.contains(key), "the summary lists the parameters added");
}

/// `PL*` matches exactly the three PL_ pipelines (case-insensitive, but nothing else starts with pl).
fn check_multiple(file: &str) {
    let Some(c) = compat_dir() else { return };
    let run = build(&c, file, &[], &[]);
    run.assert_clean();
    let t = run.output();
    for name in ["PL_StoredProc", "PL_Wait5sec", "PL_Wait_Dynamic"] {
        let acts = &resource(&t, "pipelines", name)["properties"]["activities"];
        assert_eq!(acts[0]["name"], json!("abc"), "{name}");
    }
    run.assert_line_changes(
        &["\"name\": \"GetBillOfMaterials\",", "\"name\": \"Wait5\",", "\"name\": \"DynamicWait\","],
        &["\"name\": \"abc\","; 3],
    );
    run.assert_changed_resources(&["pipelines:PL_StoredProc", "pipelines:PL_Wait5sec", "pipelines:PL_Wait_Dynamic"]);
}

#[test]
fn config_multiple_csv() {
    check_multiple("config-multiple.csv");
}

#[test]
fn config_multiple_json() {
    check_multiple("config-multiple.json");
}

/// The factory resource (its name is `[parameters('factoryName')]`, so `resource()` cannot find it).
fn factory(t: &Value) -> &Value {
    t["resources"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["type"] == json!("Microsoft.DataFactory/factories"))
        .expect("factory resource")
}

#[test]
fn config_globalparam1() {
    let Some(c) = compat_dir() else { return };
    let run = build(&c, "config-globalparam1.csv", &[], &[]);
    run.assert_clean();
    let (before, after) = (run.input(), run.output());
    let gp = &factory(&after)["properties"]["globalParameters"];
    assert_eq!(gp["GP-String"], json!({"type": "string", "value": "This text has been replaced"}));
    assert_eq!(gp["GP-Int"], json!({"type": "int", "value": 2020}));
    assert_eq!(gp["GP-Bool"], json!({"type": "bool", "value": false}));
    assert_eq!(gp["NewGlobalParam"], json!({"type": "int", "value": 2023}));
    assert_eq!(gp["envName"], json!({"type": "string", "value": "POC"}));
    // The commented-out rows did nothing; the other global parameters are untouched.
    let old = &factory(&before)["properties"]["globalParameters"];
    for name in ["GP-Float", "GP-Object", "GP-Array", "GlobalParam2"] {
        assert_eq!(gp[name], old[name], "{name}");
    }
    assert!(gp.get("NewArray").is_none());
    let names: Vec<&String> = gp.as_object().unwrap().keys().collect();
    assert_eq!(
        names,
        [
            "GP-String",
            "GP-Int",
            "GP-Float",
            "GP-Bool",
            "GP-Object",
            "GP-Array",
            "GlobalParam2",
            "NewGlobalParam",
            "envName"
        ]
    );
    run.assert_line_changes(
        &["\"value\": \"This is text\"", "\"value\": 2000000", "\"value\": true"],
        &[
            "\"value\": \"This text has been replaced\"",
            "\"value\": 2020",
            "\"value\": false",
            "},",
            "\"NewGlobalParam\": {",
            "\"value\": 2023,",
            "\"type\": \"int\"",
            "},",
            "\"envName\": {",
            "\"value\": \"POC\",",
            "\"type\": \"string\"",
        ],
    );
    run.assert_changed_resources(&["factories:factory"]);
}

#[test]
fn config_commented() {
    let Some(c) = compat_dir() else { return };
    let run = build(&c, "config-commented.csv", &[], &[]);
    run.assert_clean();
    let t = run.output();
    let tr = trigger(&t, "TR_AlwaysDisabled");
    assert_eq!(tr["runtimeState"], json!("Started"));
    assert_eq!(tr["typeProperties"]["recurrence"]["interval"], json!(1));
    run.assert_line_changes(&["\"runtimeState\": \"Stopped\","], &["\"runtimeState\": \"Started\","]);
    run.assert_changed_resources(&["triggers:TR_AlwaysDisabled"]);
}

#[test]
fn config_c003_variables_set() {
    let Some(c) = compat_dir() else { return };
    let env = [
        ("NUMBER_OF_PROCESSORS", "8"),
        ("SYSTEM_STAGEDISPLAYNAME", "UAT"),
        ("USERNAME", "bob"),
        ("USERDOMAIN", "contoso"),
    ];
    let run = build(&c, "config-c003-variables.csv", &env, &[]);
    run.assert_written();
    assert!(run.diags().is_empty(), "{}", run.context());
    let t = run.output();
    let tr = trigger(&t, "TR_AlwaysDisabled");
    assert_eq!(tr["runtimeState"], json!("Started"));
    let interval = &tr["typeProperties"]["recurrence"]["interval"];
    assert!(interval.is_number(), "`$Env:NUMBER_OF_PROCESSORS` replacing a number must give a number: {interval}");
    assert_eq!(interval, &json!(8));
    assert_eq!(linked_service(&t, "LS_AzureKeyVault")["baseUrl"], json!("https://kv-UATStage.vault.azure.net/"));
    // `$Env:USERDOMAIN.database…` and `$Env:USERNAME@$Env:USERDOMAIN`: a token ends at `.` / `@` / end.
    // The connection string is a secret (SPEC 2.8): it goes to the parameters file.
    let param = "LS_AzureSqlDb_AW2014_SqlAuth_properties_typeProperties_connectionString";
    assert_eq!(
        run.parameter_values()[param],
        json!(
            "Integrated Security=False;Encrypt=True;Connection Timeout=30;Data Source=contoso.database.windows.net;\
             Initial Catalog=AdventureWorks2014;User ID=bob@contoso"
        )
    );
    run.assert_line_changes(
        &[
            "\"baseUrl\": \"https://kv-sqlplayer.vault.azure.net/\"",
            "\"connectionString\": \"Integrated Security=False;Encrypt=True;Connection Timeout=30;Data Source=sqlplayer.database.windows.net;Initial Catalog=AdventureWorks2014;User ID=kamil@sqlplayer\",",
            "\"runtimeState\": \"Stopped\",",
            "\"interval\": 1,",
        ],
        &[
            "},",
            "\"LS_AzureSqlDb_AW2014_SqlAuth_properties_typeProperties_connectionString\": {",
            "\"type\": \"secureString\"",
            "\"baseUrl\": \"https://kv-UATStage.vault.azure.net/\"",
            "\"connectionString\": \"[parameters('LS_AzureSqlDb_AW2014_SqlAuth_properties_typeProperties_connectionString')]\",",
            "\"runtimeState\": \"Started\",",
            "\"interval\": 8,",
        ],
    );
}

#[test]
fn config_c003_variables_unset_all_listed() {
    let Some(c) = compat_dir() else { return };
    let file = "config-c003-variables.csv";
    let run = build(&c, file, &[], &[]);
    run.assert_failed_without_output();
    assert_eq!(
        unset_vars(&run, file),
        [
            (3, "NUMBER_OF_PROCESSORS".to_string()),
            (4, "SYSTEM_STAGEDISPLAYNAME".to_string()),
            (5, "USERDOMAIN".to_string()),
            (5, "USERNAME".to_string()),
        ]
    );
    // Only the variables still unset are reported.
    let run = build(&c, file, &[("NUMBER_OF_PROCESSORS", "8"), ("USERNAME", "bob")], &[]);
    run.assert_failed_without_output();
    assert_eq!(unset_vars(&run, file), [(4, "SYSTEM_STAGEDISPLAYNAME".to_string()), (5, "USERDOMAIN".to_string())]);
}

#[test]
fn config_issue49_variable_unset() {
    let Some(c) = compat_dir() else { return };
    let file = "config-issue49.csv";
    let run = build(&c, file, &[], &[]);
    run.assert_failed_without_output();
    // Line 2 is a comment: its token is not evaluated.
    assert_eq!(unset_vars(&run, file), [(3, "HDFCREDENTIALTYPE".to_string())]);
}

/// With the variable set, the row updates a property BlobSampleData does not have: path not found.
#[test]
fn config_issue49_variable_set() {
    let Some(c) = compat_dir() else { return };
    let file = "config-issue49.csv";
    let env = [("HDFCREDENTIALTYPE", "ServicePrincipalKey")];
    let run = build(&c, file, &env, &[]);
    run.assert_failed_without_output();
    let diags = run.diags();
    assert_all_in(&diags, &c, file);
    assert_eq!(diags.len(), 1, "{diags:#?}");
    let d = &diags[0];
    assert_eq!((d.severity.as_str(), d.code.as_str()), ("error", "config::path-not-found"));
    assert_eq!((d.line, d.col), (3, column_of(&c, file, 3, "typeProperties.servicePrincipalCredentialType")));
    assert!(d.message.contains("servicePrincipalCredentialType"), "{}", d.message);
    assert!(format!("{}{}", d.message, d.body).contains("linkedService.BlobSampleData"), "object not named: {d:#?}");

    let run = build(&c, file, &env, &["--allow-missing-paths"]);
    run.assert_ok();
    let diags = run.diags();
    assert_eq!(diags.len(), 1, "{diags:#?}");
    assert_eq!((diags[0].severity.as_str(), diags[0].code.as_str()), ("warning", "config::path-not-found"));
    assert_eq!(diags[0].line, 3);
    run.assert_template_unchanged();
}

/// Shared by config-c100.csv and .json; they differ only in the trigger start time they write.
fn check_c100(file: &str, start_time: &str) {
    let Some(c) = compat_dir() else { return };
    let run = build(&c, file, C100_ENV, &[]);
    run.assert_clean();
    let t = run.output();
    assert_eq!(linked_service(&t, "LS_DataLakeStore")["url"], json!("https://datalakeadftuat.dfs.core.windows.net/"));
    assert_eq!(
        linked_service(&t, "LS_AzureDatabricks"),
        &json!({"domain": "https://uks.azuredatabricks.net", "existingClusterId": "0820-210125-test000"})
    );
    assert_eq!(linked_service(&t, "LS_AzureKeyVault")["baseUrl"], json!("https://keyvault-adft-uat.vault.azure.net/"));
    // Written exactly as given: no time-zone conversion, no `Z` appended.
    let recurrence = &trigger(&t, "TR_RunEveryDay")["typeProperties"]["recurrence"];
    assert_eq!(recurrence["startTime"], json!(start_time));
    assert_eq!(recurrence["endTime"], json!("2020-06-05T23:20:00.000Z"));
    run.assert_line_changes(
        &[
            "\"domain\": \"https://adb-112.azuredatabricks.net\",",
            "\"encryptedCredential\": \"ew0KICAiVmVyc2lvbiI6GE4MjJiNTdjOCINCn0=\"",
            "\"baseUrl\": \"https://kv-sqlplayer.vault.azure.net/\"",
            "\"url\": \"https://sqlplayer2019.dfs.core.windows.net/\",",
            "\"startTime\": \"2020-06-01T23:20:00.000Z\",",
        ],
        &[
            "\"domain\": \"https://uks.azuredatabricks.net\",",
            "\"existingClusterId\": \"0820-210125-test000\"",
            "\"baseUrl\": \"https://keyvault-adft-uat.vault.azure.net/\"",
            "\"url\": \"https://datalakeadftuat.dfs.core.windows.net/\",",
            &format!("\"startTime\": \"{start_time}\","),
        ],
    );
    run.assert_changed_resources(&[
        "linkedServices:LS_AzureDatabricks",
        "linkedServices:LS_AzureKeyVault",
        "linkedServices:LS_DataLakeStore",
        "triggers:TR_RunEveryDay",
    ]);
}

#[test]
fn config_c100_csv() {
    check_c100("config-c100.csv", "2020-06-01T23:22:11.000");
}

#[test]
fn config_c100_json() {
    check_c100("config-c100.json", "2020-06-01T23:22:11.000Z");
}

#[test]
fn config_c100_variables_unset_all_listed() {
    let Some(c) = compat_dir() else { return };
    let s = |line: usize, name: &str| (line, name.to_string());
    let file = "config-c100.csv";
    let run = build(&c, file, &[], &[]);
    run.assert_failed_without_output();
    assert_eq!(
        unset_vars(&run, file),
        [
            s(2, "Environment"),
            s(2, "ProjectName"),
            s(3, "DatabricksClusterId"),
            s(4, "Region"),
            s(6, "Environment"),
            s(6, "ProjectName"),
        ]
    );
    let file = "config-c100.json";
    let run = build(&c, file, &[], &[]);
    run.assert_failed_without_output();
    assert_eq!(
        unset_vars(&run, file),
        [
            s(5, "Environment"),
            s(5, "ProjectName"),
            s(11, "DatabricksClusterId"),
            s(16, "Region"),
            s(28, "Environment"),
            s(28, "ProjectName"),
        ]
    );
}

// ---------------------------------------------------------------------------------------------
// Missing objects, bad paths, bad files
// ---------------------------------------------------------------------------------------------

/// One object-not-found diagnostic of `severity` on line 2, pointing at the name.
fn assert_missing_object(run: &Run, file: &str, severity: &str) {
    let diags = run.diags();
    assert_all_in(&diags, &run.compat, file);
    assert_eq!(diags.len(), 1, "{diags:#?}");
    let d = &diags[0];
    assert_eq!((d.severity.as_str(), d.code.as_str()), (severity, "config::object-not-found"));
    assert!(d.message.contains("`LS_DataLakeStore_Unknown`"), "{}", d.message);
    assert_eq!(d.line, 2);
    let at: String = config_line(&run.compat, file, 2).chars().skip(d.col - 1).collect();
    assert!(
        at.starts_with("LS_DataLakeStore_Unknown") || at.starts_with("\"LS_DataLakeStore_Unknown\""),
        "column {} does not point at the name: {at}",
        d.col
    );
}

#[test]
fn config_missing_csv_is_error() {
    let Some(c) = compat_dir() else { return };
    let run = build(&c, "config-missing.csv", C100_ENV, &[]);
    run.assert_failed_without_output();
    assert_missing_object(&run, "config-missing.csv", "error");
}

#[test]
fn config_missing_json_is_error() {
    let Some(c) = compat_dir() else { return };
    let run = build(&c, "config-missing.json", C100_ENV, &[]);
    run.assert_failed_without_output();
    assert_missing_object(&run, "config-missing.json", "error");
}

#[test]
fn config_missing_allowed_is_warning() {
    let Some(c) = compat_dir() else { return };
    for file in ["config-missing.csv", "config-missing.json"] {
        let run = build(&c, file, C100_ENV, &["--allow-missing-objects"]);
        run.assert_ok();
        assert_missing_object(&run, file, "warning");
        run.assert_template_unchanged();
    }
}

/// `typeProperties:baseUrl`: one path-syntax error pointing at the `:`.
fn assert_c004_syntax_error(run: &Run) {
    let file = "config-c004-wrongpath.csv";
    run.assert_failed_without_output();
    let diags = run.diags();
    assert_all_in(&diags, &run.compat, file);
    assert_eq!(diags.len(), 1, "{diags:#?}");
    let d = &diags[0];
    assert_eq!((d.severity.as_str(), d.code.as_str()), ("error", "config::path-syntax"));
    let colon = column_of(&run.compat, file, 2, "typeProperties:") + "typeProperties".len();
    assert_eq!((d.line, d.col), (2, colon));
    assert!(d.message.contains("`typeProperties:baseUrl`") && d.message.contains("`:`"), "{}", d.message);
}

#[test]
fn config_c004_wrongpath_is_error() {
    let Some(c) = compat_dir() else { return };
    assert_c004_syntax_error(&build(&c, "config-c004-wrongpath.csv", &[], &[]));
}

#[test]
fn config_c004_wrongpath_stays_error_with_allow_missing_paths() {
    let Some(c) = compat_dir() else { return };
    assert_c004_syntax_error(&build(&c, "config-c004-wrongpath.csv", &[], &["--allow-missing-paths"]));
}

#[test]
fn config_badformat_all_rows_reported() {
    let Some(c) = compat_dir() else { return };
    let file = "config-badformat.csv";
    let run = build(&c, file, &[], &[]);
    run.assert_failed_without_output();
    for line in 3..=6 {
        assert!(run.stderr.contains(&format!("{file}:{line}:")), "line {line} not reported\n{}", run.stderr);
    }
    let diags = run.diags();
    assert_all_in(&diags, &c, file);
    let got: Vec<(usize, &str, &str)> = diags.iter().map(|d| (d.line, d.severity.as_str(), d.code.as_str())).collect();
    assert_eq!(
        got,
        [
            (3, "error", "config::empty-field"),
            (4, "error", "config::field-count"),
            (5, "error", "config::field-count"),
            (6, "error", "config::field-count"),
        ]
    );
    assert!(diags[0].message.contains("empty name"), "{}", diags[0].message);
    assert_eq!(diags[0].col, column_of(&c, file, 3, ",,") + 1, "points at the empty name field");
    assert!(diags[1].message.contains("found 5"), "{}", diags[1].message);
    assert!(diags[2].message.contains("found 3"), "{}", diags[2].message);
    assert!(diags[3].message.contains("found 3"), "{}", diags[3].message);
}

#[test]
fn config_badtype() {
    let Some(c) = compat_dir() else { return };
    let file = "config-badtype.csv";
    let run = build(&c, file, &[], &[]);
    run.assert_failed_without_output();
    assert!(run.stderr.contains(&format!("{file}:4:1")), "{}", run.stderr);
    let diags = run.diags();
    assert_all_in(&diags, &c, file);
    assert_eq!(diags.len(), 1, "{diags:#?}");
    let d = &diags[0];
    assert_eq!((d.severity.as_str(), d.code.as_str(), d.line, d.col), ("error", "config::unknown-type", 4, 1));
    assert!(d.message.contains("`ultratrigger`"), "{}", d.message);
}

// ---------------------------------------------------------------------------------------------
// Triggers (the template part; the trigger plan is a later feature)
// ---------------------------------------------------------------------------------------------

#[test]
fn config_trigger_disabled() {
    let Some(c) = compat_dir() else { return };
    let run = build(&c, "config-trigger-Disabled.csv", &[], &[]);
    run.assert_clean();
    assert_eq!(trigger(&run.output(), "TR_AlwaysDisabled")["runtimeState"], json!("Stopped"));
    // Already Stopped in the source: the output is byte-identical.
    run.assert_template_unchanged();
}

#[test]
fn config_trigger_enabled() {
    let Some(c) = compat_dir() else { return };
    let run = build(&c, "config-trigger-Enabled.csv", &[], &[]);
    run.assert_clean();
    assert_eq!(trigger(&run.output(), "TR_AlwaysDisabled")["runtimeState"], json!("Started"));
    run.assert_line_changes(&["\"runtimeState\": \"Stopped\","], &["\"runtimeState\": \"Started\","]);
    run.assert_changed_resources(&["triggers:TR_AlwaysDisabled"]);
}

/// Baseline for all the line diffs above: no config → byte-identical output.
#[test]
fn no_config_is_byte_identical() {
    let Some(c) = compat_dir() else { return };
    let run = build(&c, "", &[], &[]);
    run.assert_clean();
    run.assert_template_unchanged();
}

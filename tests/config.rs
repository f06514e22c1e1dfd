//! End-to-end tests of SPEC section 2: config files applied by `adfc build`.
//!
//! Each test writes a tiny config into a tempdir, builds the example factory (`fixtures/example/`) or a mini
//! factory (`fixtures/config/`), and checks both the resulting JSON values and the formatting: the line diff of
//! every output file against its input is exactly the lines of the changed values. Diff lines are written as
//! `<sign><number of leading TABs>|<rest of the line>` so that indentation is compared exactly.

mod common;

use std::fs;
use std::path::{Path, PathBuf};

use common::{adfc, json, listing, resource as res, root};
use serde_json::{Value, json};

const EXAMPLE: &str = "fixtures/example/ARMTemplateForFactory.json";
const EXAMPLE_PARAMS: &str = "fixtures/example/ARMTemplateParametersForFactory.json";
const MINI: &str = "fixtures/config/mini/ARMTemplateForFactory.json";
const MINI_PARAMS: &str = "fixtures/config/mini/ARMTemplateParametersForFactory.json";
const GP_RESOURCE: &str = "fixtures/config/gp-resource/ARMTemplateForFactory.json";
const GP_RESOURCE_PARAMS: &str = "fixtures/config/gp-resource/ARMTemplateParametersForFactory.json";
const GP_SIDEFILE: &str = "fixtures/config/gp-sidefile/ARMTemplateForFactory.json";
const GP_SIDEFILE_GP: &str = "fixtures/config/gp-sidefile/globalParameters/adf-side-dev_GlobalParameters.json";
const TEMPLATE_FILE: &str = "ARMTemplateForFactory.json";
const PARAMS_FILE: &str = "ARMTemplateParametersForFactory.json";

/// Environment of the uat stage config (deployment/config-uat.csv).
const UAT_ENV: &[(&str, &str)] = &[
    ("ADFC_UAT_SQL_CONNECTION", "Server=tcp:sql-example-uat.database.windows.net;Database=sales;Password=uat-Pa55"),
    ("ADFC_UAT_BLOB_KEY", "dWF0LWJsb2Ita2V5"),
    ("ADFC_ENV", "uat"),
];

// ---------------------------------------------------------------------------------------------------------------
// helpers

/// Text of a file (absolute, or relative to the repository root).
fn text(path: impl AsRef<Path>) -> String {
    let path = root().join(path);
    fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// A CSV config: the header, then `rows`.
fn csv(rows: &str) -> String {
    format!("type,name,path,value\n{rows}\n")
}

/// One `adfc build` run in its own tempdir.
struct Run {
    tmp: tempfile::TempDir,
    out: PathBuf,
    code: Option<i32>,
    /// stderr, with the tempdir path replaced by `<TMP>`.
    stderr: String,
}

/// Build `template` with the given config files (name, content: written to the tempdir and passed as `--config`
/// in order), extra arguments and environment variables.
fn build(template: &str, configs: &[(&str, &str)], args: &[&str], envs: &[(&str, &str)]) -> Run {
    let tmp = tempfile::tempdir().expect("tempdir");
    let out = tmp.path().join("out");
    let mut cmd = adfc();
    cmd.args(["build", "--template", template]);
    for (name, content) in configs {
        let path = tmp.path().join(name);
        fs::write(&path, content).expect("write config");
        cmd.arg("--config").arg(&path);
    }
    cmd.args(args).arg("--out-dir").arg(&out);
    for (key, value) in envs {
        cmd.env(key, value);
    }
    let output = cmd.output().expect("run adfc");
    let stderr = String::from_utf8_lossy(&output.stderr).replace(&tmp.path().display().to_string(), "<TMP>");
    Run { tmp, out, code: output.status.code(), stderr }
}

/// Build the example factory with one CSV config made of `rows`.
fn example(rows: &str) -> Run {
    example_with(rows, &[], &[])
}

fn example_with(rows: &str, args: &[&str], envs: &[(&str, &str)]) -> Run {
    build(EXAMPLE, &[("config-test.csv", &csv(rows))], args, envs)
}

impl Run {
    /// Assert success.
    #[track_caller]
    fn ok(self) -> Self {
        assert_eq!(self.code, Some(0), "adfc build failed:\n{}", self.stderr);
        assert!(!self.stderr.contains("panicked"), "{}", self.stderr);
        self
    }

    /// Assert an input error (exit 2) that wrote nothing.
    #[track_caller]
    fn fails(self) -> Self {
        assert_eq!(self.code, Some(2), "expected exit 2:\n{}", self.stderr);
        assert!(self.stderr.contains("error["), "{}", self.stderr);
        assert!(!self.stderr.contains("panicked"), "{}", self.stderr);
        assert_eq!(listing(&self.out), Vec::<String>::new(), "nothing may be written on error");
        self
    }

    #[track_caller]
    fn assert_stderr(&self, needles: &[&str]) {
        for needle in needles {
            assert!(self.stderr.contains(needle), "stderr lacks {needle:?}:\n{}", self.stderr);
        }
    }

    #[track_caller]
    fn assert_no_warning(&self) {
        assert!(!self.stderr.contains("warning["), "unexpected warning:\n{}", self.stderr);
    }

    fn out_text(&self, name: &str) -> String {
        text(self.out.join(name))
    }

    fn template(&self) -> Value {
        json(&self.out.join(TEMPLATE_FILE))
    }

    fn params(&self) -> Value {
        json(&self.out.join(PARAMS_FILE))
    }

    /// Line diff of an output file against the input file it was compiled from.
    fn diff(&self, input: &str, output_name: &str) -> Vec<String> {
        common::line_diff(&text(input), &self.out_text(output_name))
    }

    fn template_diff(&self) -> Vec<String> {
        self.diff(EXAMPLE, TEMPLATE_FILE)
    }

    fn params_diff(&self) -> Vec<String> {
        self.diff(EXAMPLE_PARAMS, PARAMS_FILE)
    }

    /// Assert the example's parameters file came out byte-identical.
    #[track_caller]
    fn assert_params_unchanged(&self) {
        assert_eq!(self.params_diff(), Vec::<String>::new(), "parameters file changed");
    }

    #[track_caller]
    fn assert_template_unchanged(&self) {
        assert_eq!(self.template_diff(), Vec::<String>::new(), "template changed");
    }
}

/// The `activities` of pipeline `name`.
fn activities<'v>(template: &'v Value, name: &str) -> &'v Value {
    &res(template, "pipelines", name)["properties"]["activities"]
}

/// Names of the datasets whose `properties.type` is `X` (marker set by the pattern tests).
fn marked_datasets(template: &Value) -> Vec<String> {
    let mut names: Vec<String> = template["resources"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["properties"]["type"] == "X")
        .map(|r| {
            assert!(r["type"].as_str().unwrap().ends_with("/datasets"), "not a dataset: {r}");
            let name = r["name"].as_str().unwrap();
            name.rsplit_once("'/").unwrap().1.trim_end_matches("')]").to_string()
        })
        .collect();
    names.sort();
    names
}

// ---------------------------------------------------------------------------------------------------------------
// 2. which config files: --config (repeatable, in order), --stage with its root, .json form

#[test]
fn configs_apply_in_the_order_given() {
    let first = csv("linkedService,LS_Rest,typeProperties.url,https://first/\ntrigger,TR_Daily,runtimeState,Stopped");
    let second = csv("linkedService,LS_Rest,typeProperties.url,https://second/");
    let run = build(EXAMPLE, &[("a.csv", &first), ("b.csv", &second)], &[], &[]).ok();
    let t = run.template();
    assert_eq!(res(&t, "linkedServices", "LS_Rest")["properties"]["typeProperties"]["url"], "https://second/");
    assert_eq!(res(&t, "triggers", "TR_Daily")["properties"]["runtimeState"], "Stopped");
    assert_eq!(
        run.template_diff(),
        [
            "-5|\"url\": \"https://api-dev.example.com/v1/\",",
            "+5|\"url\": \"https://second/\",",
            "-4|\"runtimeState\": \"Started\",",
            "+4|\"runtimeState\": \"Stopped\",",
        ]
    );
    run.assert_params_unchanged();

    // Swapping the files swaps the winner.
    let run = build(EXAMPLE, &[("b.csv", &second), ("a.csv", &first)], &[], &[]).ok();
    assert_eq!(
        res(&run.template(), "linkedServices", "LS_Rest")["properties"]["typeProperties"]["url"],
        "https://first/"
    );
}

/// A copy of the example factory in `<tmp>/factory/`, for tests that need their own `deployment/` folders.
fn example_copy(tmp: &Path) -> PathBuf {
    let dir = tmp.join("factory");
    fs::create_dir_all(&dir).unwrap();
    fs::copy(root().join(EXAMPLE), dir.join(TEMPLATE_FILE)).unwrap();
    fs::copy(root().join(EXAMPLE_PARAMS), dir.join(PARAMS_FILE)).unwrap();
    dir
}

fn write(path: &Path, content: &str) {
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, content).unwrap();
}

fn rest_url(out: &Path) -> Value {
    let t = json(&out.join(TEMPLATE_FILE));
    res(&t, "linkedServices", "LS_Rest")["properties"]["typeProperties"]["url"].clone()
}

#[test]
fn stage_reads_deployment_config_of_the_root() {
    let tmp = tempfile::tempdir().unwrap();
    let factory = example_copy(tmp.path());
    let row = |v: &str| csv(&format!("linkedService,LS_Rest,typeProperties.url,{v}"));
    // The template's folder comes before its parent.
    write(&factory.join("deployment/config-t.csv"), &row("from-template-folder"));
    write(&tmp.path().join("deployment/config-t.csv"), &row("from-parent"));
    write(&tmp.path().join("deployment/config-p.csv"), &row("from-parent-only"));
    write(
        &tmp.path().join("r/deployment/config-t.json"),
        r#"{"LS_Rest": [{"name": "typeProperties.url", "value": "from-root-json"}]}"#,
    );
    let run = |args: &[&str], out: &str| {
        let out = tmp.path().join(out);
        let assert = adfc().args(["build", "--template"]).arg(&factory).args(args).arg("--out-dir").arg(&out).assert();
        (assert, out)
    };

    let (assert, out) = run(&["--stage", "t"], "o1");
    assert.success();
    assert_eq!(rest_url(&out), "from-template-folder");

    let (assert, out) = run(&["--stage", "p"], "o2");
    assert.success();
    assert_eq!(rest_url(&out), "from-parent-only");

    // --root wins, and a stage file may be in the JSON form.
    let root_dir = tmp.path().join("r");
    let (assert, out) = run(&["--stage", "t", "--root", root_dir.to_str().unwrap()], "o3");
    assert.success();
    assert_eq!(rest_url(&out), "from-root-json");
    assert_eq!(
        common::line_diff(&text(EXAMPLE), &text(out.join(TEMPLATE_FILE))),
        ["-5|\"url\": \"https://api-dev.example.com/v1/\",", "+5|\"url\": \"from-root-json\","]
    );

    // A stage without a file is an error, and nothing is written.
    let (assert, out) = run(&["--stage", "nope"], "o4");
    assert.code(2).stderr(predicates::str::contains("config-nope.csv"));
    assert!(!out.exists());
}

#[test]
fn stage_falls_back_to_the_current_folder_and_applies_after_config() {
    // fixtures/example has no deployment/, nor has fixtures/: the repository root (the current folder) has.
    let staged = build(EXAMPLE, &[], &["--config", "deployment/config-common.csv", "--stage", "uat"], UAT_ENV).ok();
    let explicit = build(
        EXAMPLE,
        &[],
        &["--config", "deployment/config-common.csv", "--config", "deployment/config-uat.csv"],
        UAT_ENV,
    )
    .ok();
    for name in [TEMPLATE_FILE, PARAMS_FILE] {
        assert_eq!(fs::read(staged.out.join(name)).unwrap(), fs::read(explicit.out.join(name)).unwrap(), "{name}");
    }
    let t = staged.template();
    // config-common.csv: retryCount 5; config-uat.csv: envName from ADFC_ENV.
    assert_eq!(factory_gps(&t)["retryCount"]["value"], 5);
    assert_eq!(factory_gps(&t)["envName"]["value"], "uat");
}

// ---------------------------------------------------------------------------------------------------------------
// 2.1 syntax

#[test]
fn csv_with_bom_crlf_blank_lines_comments_and_rfc4180_quoting() {
    let config = "\u{feff}type,name,path,value\r\n\
                  \r\n\
                  # a comment line\r\n\
                  #linkedService,LS_Rest,typeProperties.url,commented-out\r\n\
                  # comment, with, four, fields\r\n\
                  linkedService,LS_Rest,typeProperties.url,\"https://api.example.com/a,b/\"\"q\"\"\"\r\n\
                  \r\n\
                  \r\n\
                  dataset,\"DS Sales Export\",typeProperties.location.folderPath,\"export/prod\"\r\n\
                  dataset,DS_Customers,description,\"two\r\nlines, \"\"quoted\"\"\"\r\n\
                  # the quoted value above spans two lines\r\n";
    let run = build(EXAMPLE, &[("config-bom.csv", config)], &[], &[]).ok();
    run.assert_no_warning();
    let t = run.template();
    assert_eq!(
        res(&t, "linkedServices", "LS_Rest")["properties"]["typeProperties"]["url"],
        "https://api.example.com/a,b/\"q\""
    );
    assert_eq!(
        res(&t, "datasets", "DS Sales Export")["properties"]["typeProperties"]["location"]["folderPath"],
        "export/prod"
    );
    assert_eq!(res(&t, "datasets", "DS_Customers")["properties"]["description"], "two\r\nlines, \"quoted\"");
    assert_eq!(
        run.template_diff(),
        [
            "-6|\"folderPath\": \"export/dev\",",
            "+6|\"folderPath\": \"export/prod\",",
            "-4|\"description\": \"Données clients – ü/ß/ø, référentiel CRM (table crm.Customers)\",",
            "+4|\"description\": \"two\\r\\nlines, \\\"quoted\\\"\",",
            "-5|\"url\": \"https://api-dev.example.com/v1/\",",
            "+5|\"url\": \"https://api.example.com/a,b/\\\"q\\\"\",",
        ]
    );
    run.assert_params_unchanged();
}

#[test]
fn csv_header_must_be_type_name_path_value() {
    let run =
        build(EXAMPLE, &[("c.csv", "type;name;path;value\nlinkedService,LS_Rest,typeProperties.url,x\n")], &[], &[])
            .fails();
    run.assert_stderr(&["c.csv:1", "type;name;path;value"]);

    // No header at all: the first row is shown as the header found.
    let run = build(EXAMPLE, &[("c.csv", "linkedService,LS_Rest,typeProperties.url,x\n")], &[], &[]).fails();
    run.assert_stderr(&["c.csv:1", "linkedService,LS_Rest,typeProperties.url,x"]);
}

#[test]
fn csv_rows_need_exactly_four_fields() {
    let run = example("linkedService,LS_Rest,typeProperties.url,x,y").fails();
    run.assert_stderr(&["config-test.csv:2", "5"]);
    let run = example("trigger,TR_Daily,runtimeState,Stopped\nlinkedService,LS_Rest,typeProperties.url").fails();
    run.assert_stderr(&["config-test.csv:3", "3"]);
}

#[test]
fn csv_empty_type_name_or_path_is_an_error() {
    for (row, line) in [
        (",LS_Rest,typeProperties.url,x", "config-test.csv:2:1"),
        ("linkedService,,typeProperties.url,x", "config-test.csv:2:15"),
        ("linkedService,LS_Rest,,x", "config-test.csv:2:23"),
    ] {
        let run = example(row).fails();
        run.assert_stderr(&[line, "empty"]);
    }
}

#[test]
fn csv_unknown_type_is_an_error() {
    let run = example("linkedServ,LS_Rest,typeProperties.url,x").fails();
    run.assert_stderr(&["config-test.csv:2:1", "linkedServ"]);
}

#[test]
fn csv_rows_apply_in_order_and_see_earlier_effects() {
    let run = example(
        "pipeline,PL_Copy_Sales,activities[\"Copy Data\"].name,Copy Renamed\n\
         pipeline,PL_Copy_Sales,activities[\"Copy Renamed\"].policy.retry,7\n\
         linkedService,LS_Blob,-typeProperties.encryptedCredential,\n\
         linkedService,LS_Blob,+typeProperties.encryptedCredential,abc\n\
         linkedService,LS_Blob,typeProperties.encryptedCredential,def",
    )
    .ok();
    let t = run.template();
    let copy = &activities(&t, "PL_Copy_Sales")[0];
    assert_eq!(copy["name"], "Copy Renamed");
    assert_eq!(copy["policy"]["retry"], 7);
    // encryptedCredential is a secret (SPEC 2.8): the `+` row declares a secureString parameter for it, and
    // the row after it updates that same parameter's value.
    let param = "LS_Blob_properties_typeProperties_encryptedCredential";
    let reference = format!("[parameters('{param}')]");
    assert_eq!(res(&t, "linkedServices", "LS_Blob")["properties"]["typeProperties"]["encryptedCredential"], reference);
    assert_eq!(run.params()["parameters"][param]["value"], "def");
    let input = json(&root().join(EXAMPLE));
    let credential = &res(&input, "linkedServices", "LS_Blob")["properties"]["typeProperties"]["encryptedCredential"];
    assert_eq!(
        run.template_diff(),
        [
            "+2|},".to_string(),
            format!("+2|\"{param}\": {{"),
            "+3|\"type\": \"secureString\"".to_string(),
            "-6|\"name\": \"Copy Data\",".to_string(),
            "+6|\"name\": \"Copy Renamed\",".to_string(),
            "-7|\"retry\": 0,".to_string(),
            "+7|\"retry\": 7,".to_string(),
            format!("-5|\"encryptedCredential\": {credential}"),
            format!("+5|\"encryptedCredential\": \"{reference}\""),
        ]
    );

    // After the rename, the old name is gone.
    let run = example(
        "pipeline,PL_Copy_Sales,activities[\"Copy Data\"].name,Copy Renamed\n\
         pipeline,PL_Copy_Sales,activities[\"Copy Data\"].policy.retry,7",
    )
    .fails();
    run.assert_stderr(&["config-test.csv:3", "pipeline.PL_Copy_Sales", "Copy Data"]);
}

// ---------------------------------------------------------------------------------------------------------------
// 2.2 paths

#[test]
fn path_add_creates_missing_parents() {
    let run = example(
        "integrationRuntime,ir-selfhosted,+typeProperties.linkedInfo.resourceId,/subscriptions/x/ir-shared\n\
         integrationRuntime,ir-selfhosted,+typeProperties.linkedInfo.authorizationType,Rbac",
    )
    .ok();
    let t = run.template();
    assert_eq!(
        res(&t, "integrationRuntimes", "ir-selfhosted")["properties"]["typeProperties"],
        json!({"linkedInfo": {"resourceId": "/subscriptions/x/ir-shared", "authorizationType": "Rbac"}})
    );
    assert_eq!(
        run.template_diff(),
        [
            "-4|\"typeProperties\": {}",
            "+4|\"typeProperties\": {",
            "+5|\"linkedInfo\": {",
            "+6|\"resourceId\": \"/subscriptions/x/ir-shared\",",
            "+6|\"authorizationType\": \"Rbac\"",
            "+5|}",
            "+4|}",
        ]
    );
    run.assert_params_unchanged();
}

#[test]
fn path_add_overwrites_an_existing_property() {
    let run = example("linkedService,LS_Rest,+typeProperties.url,https://api.example.com/v2/").ok();
    assert_eq!(
        res(&run.template(), "linkedServices", "LS_Rest")["properties"]["typeProperties"]["url"],
        "https://api.example.com/v2/"
    );
    assert_eq!(
        run.template_diff(),
        ["-5|\"url\": \"https://api-dev.example.com/v1/\",", "+5|\"url\": \"https://api.example.com/v2/\","]
    );
}

#[test]
fn path_remove_deletes_a_property_that_must_exist() {
    let run = example("linkedService,LS_Rest,-typeProperties.enableServerCertificateValidation,").ok();
    run.assert_no_warning();
    let t = run.template();
    let tp = &res(&t, "linkedServices", "LS_Rest")["properties"]["typeProperties"];
    assert!(tp.get("enableServerCertificateValidation").is_none());
    assert_eq!(tp["authenticationType"], "Anonymous");
    assert_eq!(run.template_diff(), ["-5|\"enableServerCertificateValidation\": true,"]);

    // Removing the last member of an object: only the comma of the previous member goes.
    let run = example("linkedService,LS_Blob,-typeProperties.encryptedCredential,").ok();
    let diff = run.template_diff();
    assert_eq!(diff.len(), 3, "{diff:#?}");
    assert_eq!(diff[0], "-5|\"connectionString\": \"[parameters('LS_Blob_connectionString')]\",");
    assert!(diff[1].starts_with("-5|\"encryptedCredential\": \"ew0K"), "{diff:#?}");
    assert_eq!(diff[2], "+5|\"connectionString\": \"[parameters('LS_Blob_connectionString')]\"");

    let run = example("linkedService,LS_Rest,-typeProperties.nothere,").fails();
    run.assert_stderr(&["config-test.csv:2", "linkedService.LS_Rest", "nothere"]);
}

#[test]
fn path_update_of_a_missing_property_fails_naming_what_exists() {
    let run = example(
        "linkedService,LS_KeyVault,typeProperties.baseUrl,https://kv/\nlinkedService,LS_Rest,typeProperties.ur,x",
    )
    .fails();
    run.assert_stderr(&[
        "config-test.csv:3:23",
        "linkedService.LS_Rest",
        "typeProperties.ur",
        "typeProperties` exists",
        "did you mean",
        "url`?",
    ]);

    // Deeper: the deepest existing part is named.
    let run = example("linkedService,LS_Rest,typeProperties.authHeaders.nope.secretName,x").fails();
    run.assert_stderr(&["config-test.csv:2", "typeProperties.authHeaders` exists", "nope"]);

    // --allow-missing-paths: a warning, the row is skipped, the others apply.
    let run = example_with(
        "linkedService,LS_Rest,typeProperties.ur,x\nlinkedService,LS_Rest,typeProperties.url,https://y/",
        &["--allow-missing-paths"],
        &[],
    )
    .ok();
    run.assert_stderr(&["warning[", "config-test.csv:2", "typeProperties.ur"]);
    assert_eq!(
        run.template_diff(),
        ["-5|\"url\": \"https://api-dev.example.com/v1/\",", "+5|\"url\": \"https://y/\","]
    );
    run.assert_params_unchanged();
}

#[test]
fn path_dollar_rooted_is_resource_relative_other_paths_are_properties_relative() {
    let relative = example("linkedService,LS_Rest,typeProperties.url,https://z/").ok();
    let rooted = example("linkedService,LS_Rest,\"$.properties.typeProperties.url\",https://z/").ok();
    assert_eq!(relative.out_text(TEMPLATE_FILE), rooted.out_text(TEMPLATE_FILE));
    assert_eq!(
        rooted.template_diff(),
        ["-5|\"url\": \"https://api-dev.example.com/v1/\",", "+5|\"url\": \"https://z/\","]
    );

    // `$.` reaches what is outside `properties`.
    let run = example("linkedService,LS_Rest,+$.comments,marked").ok();
    assert_eq!(res(&run.template(), "linkedServices", "LS_Rest")["comments"], "marked");

    // Without `$.`, `properties.` is a key inside properties (there is none).
    let run = example("linkedService,LS_Rest,properties.typeProperties.url,https://z/").fails();
    run.assert_stderr(&["config-test.csv:2", "linkedService.LS_Rest"]);
    // And `apiVersion` without `$.` is not the resource's.
    example("linkedService,LS_Rest,apiVersion,x").fails();
}

#[test]
fn path_quoted_keys() {
    let run = example(
        "linkedService,LS_Rest,typeProperties.authHeaders.'Ocp-Apim-Subscription-Key'.secretName,single\n\
         linkedService,LS_Rest,\"+typeProperties.authHeaders.\"\"Key.With.Dots\"\".secretName\",dotted\n\
         linkedService,LS_Rest,+typeProperties.authHeaders.'Key [1] x'.secretName,bracketed",
    )
    .ok();
    let t = run.template();
    let headers = &res(&t, "linkedServices", "LS_Rest")["properties"]["typeProperties"]["authHeaders"];
    assert_eq!(headers["Ocp-Apim-Subscription-Key"]["secretName"], "single");
    assert_eq!(headers["Key.With.Dots"], json!({"secretName": "dotted"}));
    assert_eq!(headers["Key [1] x"], json!({"secretName": "bracketed"}));
    assert_eq!(
        run.template_diff(),
        [
            "-7|\"secretName\": \"apim-key-dev\"",
            "+7|\"secretName\": \"single\"",
            "+6|},",
            "+6|\"Key.With.Dots\": {",
            "+7|\"secretName\": \"dotted\"",
            "+6|},",
            "+6|\"Key [1] x\": {",
            "+7|\"secretName\": \"bracketed\"",
        ]
    );

    // The double-quoted form updates the same key.
    let run =
        example("linkedService,LS_Rest,\"typeProperties.authHeaders.\"\"Ocp-Apim-Subscription-Key\"\".secretName\",dq")
            .ok();
    assert_eq!(run.template_diff(), ["-7|\"secretName\": \"apim-key-dev\"", "+7|\"secretName\": \"dq\""]);
}

#[test]
fn path_index_and_name_selectors_chain_through_if_and_foreach() {
    let run = example(
        "pipeline,PL_Copy_Sales,activities[1].typeProperties.ifTrueActivities[0].typeProperties.waitTimeInSeconds,60\n\
         pipeline,PL_Copy_Sales,activities[\"If Condition\"].typeProperties.ifTrueActivities['ForEach Region'].typeProperties.activities[\"Export Region\"].policy.timeout,0.03:00:00\n\
         pipeline,PL_Copy_Sales,activities['If Condition'].typeProperties.ifTrueActivities[\"ForEach Region\"].typeProperties.activities['Wait 2'].name,Pause\n\
         pipeline,PL_Copy_Sales,activities[\"If Condition\"].typeProperties.ifFalseActivities[\"Set Status\"].typeProperties.value,empty",
    )
    .ok();
    let t = run.template();
    let iff = &activities(&t, "PL_Copy_Sales")[1]["typeProperties"];
    assert_eq!(iff["ifTrueActivities"][0]["typeProperties"]["waitTimeInSeconds"], 60);
    let inner = &iff["ifTrueActivities"][1]["typeProperties"]["activities"];
    assert_eq!(inner[1]["name"], "Pause");
    assert_eq!(inner[2]["policy"]["timeout"], "0.03:00:00");
    assert_eq!(iff["ifFalseActivities"][0]["typeProperties"]["value"], "empty");
    assert_eq!(
        run.template_diff(),
        [
            "-10|\"value\": \"no data\"",
            "+10|\"value\": \"empty\"",
            "-10|\"waitTimeInSeconds\": 10",
            "+10|\"waitTimeInSeconds\": 60",
            "-12|\"name\": \"Wait 2\",",
            "+12|\"name\": \"Pause\",",
            "-13|\"timeout\": \"0.01:00:00\",",
            "+13|\"timeout\": \"0.03:00:00\",",
        ]
    );
}

#[test]
fn path_missing_index_or_name_fails() {
    let run = example("pipeline,PL_Copy_Sales,activities[5].name,x").fails();
    run.assert_stderr(&["config-test.csv:2", "pipeline.PL_Copy_Sales", "activities"]);
    let run =
        example("pipeline,PL_Copy_Sales,activities[\"If Condition\"].typeProperties.ifTrueActivities[\"Nope\"].name,x")
            .fails();
    run.assert_stderr(&["config-test.csv:2", "pipeline.PL_Copy_Sales", "Nope"]);
}

#[test]
fn path_jsonpath_query_updates_every_match() {
    let run = example("pipeline,*,\"$.properties.activities[?(@.type=='Copy')].policy.timeout\",\"0.01:00:00\"").ok();
    let t = run.template();
    assert_eq!(activities(&t, "PL Daily Load")[0]["policy"]["timeout"], "0.01:00:00");
    assert_eq!(activities(&t, "PL_Api_Ingest")[1]["policy"]["timeout"], "0.01:00:00");
    assert_eq!(activities(&t, "PL_Copy_Sales")[0]["policy"]["timeout"], "0.01:00:00");
    // Not a Copy: unchanged.
    assert_eq!(activities(&t, "PL_Api_Ingest")[0]["policy"]["timeout"], "0.00:05:00");
    let timeout = ["-7|\"timeout\": \"0.12:00:00\",", "+7|\"timeout\": \"0.01:00:00\","];
    assert_eq!(run.template_diff(), [timeout, timeout, timeout].concat());
    run.assert_params_unchanged();

    // Recursive descent reaches the nested Copy too.
    let run = example("pipeline,PL_Copy_Sales,\"$..activities[?(@.type=='Copy')].policy.retry\",4").ok();
    let t = run.template();
    assert_eq!(activities(&t, "PL_Copy_Sales")[0]["policy"]["retry"], 4);
    let nested =
        &activities(&t, "PL_Copy_Sales")[1]["typeProperties"]["ifTrueActivities"][1]["typeProperties"]["activities"];
    assert_eq!(nested[2]["policy"]["retry"], 4);
    assert_eq!(run.template_diff(), ["-7|\"retry\": 0,", "+7|\"retry\": 4,", "-13|\"retry\": 0,", "+13|\"retry\": 4,"]);
}

#[test]
fn path_jsonpath_query_matching_nothing_is_path_not_found() {
    let run =
        example("pipeline,*,\"$.properties.activities[?(@.type=='Nope')].policy.timeout\",\"0.01:00:00\"").fails();
    run.assert_stderr(&["config-test.csv:2", "matches nothing"]);
    // --allow-missing-paths skips it.
    let run = example_with(
        "pipeline,*,\"$.properties.activities[?(@.type=='Nope')].policy.timeout\",\"0.01:00:00\"",
        &["--allow-missing-paths"],
        &[],
    )
    .ok();
    run.assert_stderr(&["warning["]);
    run.assert_template_unchanged();
}

// ---------------------------------------------------------------------------------------------------------------
// 2.3 values

#[test]
fn value_for_a_number_is_a_json_number() {
    let run = example(
        "pipeline,PL_Copy_Sales,activities[\"Copy Data\"].policy.retry,3\n\
         integrationRuntime,ir-managed-vnet,typeProperties.computeProperties.dataFlowProperties.timeToLive,1.5",
    )
    .ok();
    let t = run.template();
    assert_eq!(activities(&t, "PL_Copy_Sales")[0]["policy"]["retry"], json!(3));
    let dfp = &res(&t, "integrationRuntimes", "ir-managed-vnet")["properties"]["typeProperties"]["computeProperties"]["dataFlowProperties"];
    assert_eq!(dfp["timeToLive"], json!(1.5));
    assert_eq!(
        run.template_diff(),
        ["-7|\"retry\": 0,", "+7|\"retry\": 3,", "-7|\"timeToLive\": 10,", "+7|\"timeToLive\": 1.5,"]
    );

    let run = example("pipeline,PL_Copy_Sales,activities[\"Copy Data\"].policy.retry,three").fails();
    run.assert_stderr(&["config-test.csv:2", "three"]);
}

#[test]
fn value_for_a_boolean_accepts_any_case_and_powershell_literals() {
    let run = example(
        "pipeline,PL_Copy_Sales,activities[\"Copy Data\"].policy.secureOutput,True\n\
         pipeline,PL_Copy_Sales,activities[\"Copy Data\"].policy.secureInput,$true\n\
         pipeline,PL_Orchestrate,activities[\"Run Api Ingest\"].typeProperties.waitOnCompletion,TRUE\n\
         pipeline,PL_Orchestrate,activities[\"Run Copy Sales\"].typeProperties.waitOnCompletion,$false\n\
         pipeline,PL_Orchestrate,activities[\"Run Daily Load\"].typeProperties.waitOnCompletion,False",
    )
    .ok();
    let t = run.template();
    let copy = &activities(&t, "PL_Copy_Sales")[0]["policy"];
    assert_eq!((&copy["secureOutput"], &copy["secureInput"]), (&json!(true), &json!(true)));
    let orch = activities(&t, "PL_Orchestrate");
    assert_eq!(orch[0]["typeProperties"]["waitOnCompletion"], json!(false));
    assert_eq!(orch[2]["typeProperties"]["waitOnCompletion"], json!(false));
    assert_eq!(orch[3]["typeProperties"]["waitOnCompletion"], json!(true));
    assert_eq!(
        run.template_diff(),
        [
            "-7|\"secureOutput\": false,",
            "-7|\"secureInput\": false",
            "+7|\"secureOutput\": true,",
            "+7|\"secureInput\": true",
            "-7|\"waitOnCompletion\": true,",
            "+7|\"waitOnCompletion\": false,",
            "-7|\"waitOnCompletion\": true,",
            "+7|\"waitOnCompletion\": false,",
            "-7|\"waitOnCompletion\": false",
            "+7|\"waitOnCompletion\": true",
        ]
    );

    let run = example("pipeline,PL_Copy_Sales,activities[\"Copy Data\"].policy.secureOutput,yes").fails();
    run.assert_stderr(&["config-test.csv:2", "yes"]);
}

#[test]
fn value_for_an_object_or_array_is_json_double_or_single_quoted() {
    let run = example(
        "pipeline,PL_Copy_Sales,parameters.WaitInSec,\"{'type': 'int','defaultValue': 30}\"\n\
         pipeline,PL_Copy_Sales,parameters.sourceContainer,\"{\"\"type\"\": \"\"string\"\", \"\"defaultValue\"\": \"\"raw-prod\"\"}\"\n\
         trigger,TR_Daily,typeProperties.recurrence.schedule.hours,\"[1,13]\"\n\
         managedPrivateEndpoint,mpe_sql,fqdns,\"['sql-a.database.windows.net', 'sql-b.database.windows.net']\"",
    )
    .ok();
    let t = run.template();
    let params = &res(&t, "pipelines", "PL_Copy_Sales")["properties"]["parameters"];
    assert_eq!(params["WaitInSec"], json!({"type": "int", "defaultValue": 30}));
    assert_eq!(params["sourceContainer"], json!({"type": "string", "defaultValue": "raw-prod"}));
    assert_eq!(
        res(&t, "triggers", "TR_Daily")["properties"]["typeProperties"]["recurrence"]["schedule"]["hours"],
        json!([1, 13])
    );
    let mpe = t["resources"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["name"].as_str().unwrap().ends_with("/mpe_sql')]"))
        .unwrap();
    assert_eq!(mpe["properties"]["fqdns"], json!(["sql-a.database.windows.net", "sql-b.database.windows.net"]));
    assert_eq!(
        run.template_diff(),
        [
            "-6|\"defaultValue\": 5",
            "+6|\"defaultValue\": 30",
            "-6|\"defaultValue\": \"raw\"",
            "+6|\"defaultValue\": \"raw-prod\"",
            "-8|2",
            "+8|1,",
            "+8|13",
            "-5|\"sql-example-dev.database.windows.net\"",
            "+5|\"sql-a.database.windows.net\",",
            "+5|\"sql-b.database.windows.net\"",
        ]
    );

    let run = example("trigger,TR_Daily,typeProperties.recurrence.schedule.hours,\"[1,\"").fails();
    run.assert_stderr(&["config-test.csv:2", "[1,"]);
}

#[test]
fn value_for_a_string_stays_a_string() {
    let run = example(
        "linkedService,LS_Databricks_Jobs,typeProperties.newClusterNumOfWorker,4\n\
         pipeline,PL_Admin_Maintenance,activities[\"Vacuum Delta\"].typeProperties.baseParameters.retentionHours,\"72\"\n\
         linkedService,LS_Rest,typeProperties.authenticationType,true\n\
         dataset,DS_Api_Customers,typeProperties.relativeUrl,\"{\"\"a\"\": 1}\"",
    )
    .ok();
    let t = run.template();
    assert_eq!(
        res(&t, "linkedServices", "LS_Databricks_Jobs")["properties"]["typeProperties"]["newClusterNumOfWorker"],
        "4"
    );
    assert_eq!(
        activities(&t, "PL_Admin_Maintenance")[1]["typeProperties"]["baseParameters"]["retentionHours"],
        json!("72")
    );
    assert_eq!(
        res(&t, "linkedServices", "LS_Rest")["properties"]["typeProperties"]["authenticationType"],
        json!("true")
    );
    assert_eq!(
        res(&t, "datasets", "DS_Api_Customers")["properties"]["typeProperties"]["relativeUrl"],
        json!("{\"a\": 1}")
    );
    assert_eq!(
        run.template_diff(),
        [
            "-8|\"retentionHours\": \"168\"",
            "+8|\"retentionHours\": \"72\"",
            "-5|\"relativeUrl\": \"customers?pageSize=100\"",
            "+5|\"relativeUrl\": \"{\\\"a\\\": 1}\"",
            "-5|\"newClusterNumOfWorker\": \"1\",",
            "+5|\"newClusterNumOfWorker\": \"4\",",
            "-5|\"authenticationType\": \"Anonymous\",",
            "+5|\"authenticationType\": \"true\",",
        ]
    );

    // An existing null takes the text as-is (a string).
    let run = build(MINI, &[("c.csv", &csv("linkedService,Shared,typeProperties.certThumbprint,42"))], &[], &[]).ok();
    assert_eq!(
        res(&run.template(), "linkedServices", "Shared")["properties"]["typeProperties"]["certThumbprint"],
        json!("42")
    );
    assert_eq!(run.diff(MINI, TEMPLATE_FILE), ["-5|\"certThumbprint\": null", "+5|\"certThumbprint\": \"42\""]);
}

#[test]
fn value_date_times_are_kept_verbatim() {
    let run = example(
        "trigger,TR_Daily,typeProperties.recurrence.startTime,2024-06-01T23:22:11.000\n\
         trigger,TR_Hourly,typeProperties.startTime,2024-06-01T23:22:11+02:00\n\
         trigger,TR_Hourly_Dependent,typeProperties.startTime,06/01/2024 23:22:11",
    )
    .ok();
    let t = run.template();
    assert_eq!(
        res(&t, "triggers", "TR_Daily")["properties"]["typeProperties"]["recurrence"]["startTime"],
        "2024-06-01T23:22:11.000"
    );
    assert_eq!(
        res(&t, "triggers", "TR_Hourly")["properties"]["typeProperties"]["startTime"],
        "2024-06-01T23:22:11+02:00"
    );
    assert_eq!(
        res(&t, "triggers", "TR_Hourly_Dependent")["properties"]["typeProperties"]["startTime"],
        "06/01/2024 23:22:11"
    );
    assert_eq!(
        run.template_diff(),
        [
            "-6|\"startTime\": \"2024-01-01T02:00:00Z\",",
            "+6|\"startTime\": \"2024-06-01T23:22:11.000\",",
            "-5|\"startTime\": \"2024-01-01T00:00:00Z\",",
            "+5|\"startTime\": \"2024-06-01T23:22:11+02:00\",",
            "-5|\"startTime\": \"2024-01-01T00:00:00Z\",",
            "+5|\"startTime\": \"06/01/2024 23:22:11\",",
        ]
    );
}

#[test]
fn value_of_an_add_row_infers_its_type() {
    let run = example(
        "integrationRuntime,ir-selfhosted,+typeProperties.n,42\n\
         integrationRuntime,ir-selfhosted,+typeProperties.f,-1.5\n\
         integrationRuntime,ir-selfhosted,+typeProperties.b,true\n\
         integrationRuntime,ir-selfhosted,+typeProperties.o,\"{\"\"k\"\": [1, \"\"v\"\"]}\"\n\
         integrationRuntime,ir-selfhosted,+typeProperties.a,\"[\"\"x\"\"]\"\n\
         integrationRuntime,ir-selfhosted,+typeProperties.z,null\n\
         integrationRuntime,ir-selfhosted,+typeProperties.s,hello world\n\
         integrationRuntime,ir-selfhosted,+typeProperties.d,2024-01-01",
    )
    .ok();
    assert_eq!(
        res(&run.template(), "integrationRuntimes", "ir-selfhosted")["properties"]["typeProperties"],
        json!({"n": 42, "f": -1.5, "b": true, "o": {"k": [1, "v"]}, "a": ["x"], "z": null, "s": "hello world",
               "d": "2024-01-01"})
    );
    assert_eq!(
        run.template_diff(),
        [
            "-4|\"typeProperties\": {}",
            "+4|\"typeProperties\": {",
            "+5|\"n\": 42,",
            "+5|\"f\": -1.5,",
            "+5|\"b\": true,",
            "+5|\"o\": {",
            "+6|\"k\": [",
            "+7|1,",
            "+7|\"v\"",
            "+6|]",
            "+5|},",
            "+5|\"a\": [",
            "+6|\"x\"",
            "+5|],",
            "+5|\"z\": null,",
            "+5|\"s\": \"hello world\",",
            "+5|\"d\": \"2024-01-01\"",
            "+4|}",
        ]
    );
}

#[test]
fn value_environment_tokens_in_all_forms() {
    let envs = [("ADFC_T_HOST", "api-prod"), ("ADFC_T_PATH", "v2"), ("ADFC_T_RETRY", "4"), ("ADFC_T_KEY", "k3y")];
    let run = example_with(
        "linkedService,LS_Rest,typeProperties.url,https://$Env:ADFC_T_HOST.example.com/${Env:ADFC_T_PATH}/$($Env:ADFC_T_HOST)\n\
         linkedService,LS_Rest,typeProperties.authenticationType,$env:ADFC_T_KEY\n\
         linkedService,LS_Rest,typeProperties.authHeaders.'Ocp-Apim-Subscription-Key'.secretName,${ENV:ADFC_T_KEY}-$($eNv:ADFC_T_PATH)\n\
         pipeline,PL_Copy_Sales,activities[\"Copy Data\"].policy.retry,$Env:ADFC_T_RETRY",
        &[],
        &envs,
    )
    .ok();
    let t = run.template();
    let tp = &res(&t, "linkedServices", "LS_Rest")["properties"]["typeProperties"];
    assert_eq!(tp["url"], "https://api-prod.example.com/v2/api-prod");
    assert_eq!(tp["authenticationType"], "k3y");
    assert_eq!(tp["authHeaders"]["Ocp-Apim-Subscription-Key"]["secretName"], "k3y-v2");
    // Replaced before typing: a number.
    assert_eq!(activities(&t, "PL_Copy_Sales")[0]["policy"]["retry"], json!(4));
    assert_eq!(
        run.template_diff(),
        [
            "-7|\"retry\": 0,",
            "+7|\"retry\": 4,",
            "-5|\"url\": \"https://api-dev.example.com/v1/\",",
            "+5|\"url\": \"https://api-prod.example.com/v2/api-prod\",",
            "-5|\"authenticationType\": \"Anonymous\",",
            "+5|\"authenticationType\": \"k3y\",",
            "-7|\"secretName\": \"apim-key-dev\"",
            "+7|\"secretName\": \"k3y-v2\"",
        ]
    );
}

#[test]
fn value_dollar_without_a_token_is_literal() {
    let run = example(
        "dataset,DS_Api_Customers,typeProperties.relativeUrl,customers?$top=100&$filter=isTest eq true\n\
         linkedService,LS_Rest,typeProperties.authenticationType,$ 5 $Envy $Env $env- US$",
    )
    .ok();
    let t = run.template();
    assert_eq!(
        res(&t, "datasets", "DS_Api_Customers")["properties"]["typeProperties"]["relativeUrl"],
        "customers?$top=100&$filter=isTest eq true"
    );
    assert_eq!(
        res(&t, "linkedServices", "LS_Rest")["properties"]["typeProperties"]["authenticationType"],
        "$ 5 $Envy $Env $env- US$"
    );
    assert_eq!(
        run.template_diff(),
        [
            "-5|\"relativeUrl\": \"customers?pageSize=100\"",
            "+5|\"relativeUrl\": \"customers?$top=100&$filter=isTest eq true\"",
            "-5|\"authenticationType\": \"Anonymous\",",
            "+5|\"authenticationType\": \"$ 5 $Envy $Env $env- US$\",",
        ]
    );
}

#[test]
fn value_unset_environment_variables_are_all_reported() {
    let run = example_with(
        "linkedService,LS_Rest,typeProperties.url,$Env:ADFC_T_UNSET_1/${Env:ADFC_T_UNSET_2}\n\
         linkedService,LS_KeyVault,typeProperties.baseUrl,$Env:ADFC_T_SET\n\
         linkedService,LS_Rest,typeProperties.authenticationType,$($Env:ADFC_T_UNSET_3)",
        &[],
        &[("ADFC_T_SET", "fine")],
    )
    .fails();
    run.assert_stderr(&[
        "ADFC_T_UNSET_1",
        "ADFC_T_UNSET_2",
        "ADFC_T_UNSET_3",
        "config-test.csv:2",
        "config-test.csv:4",
    ]);
    assert!(!run.stderr.contains("ADFC_T_SET`"), "{}", run.stderr);
}

#[test]
fn value_subexpressions_are_never_executed() {
    let marker = tempfile::tempdir().unwrap();
    let pwned = marker.path().join("pwned");
    let run = example(&format!(
        "linkedService,LS_Rest,typeProperties.url,\"$(New-Item {0}); $(touch {0})\"",
        pwned.display()
    ))
    .fails();
    run.assert_stderr(&["config-test.csv:2", "$(New-Item", "environment"]);
    assert!(!pwned.exists());
    example("linkedService,LS_Rest,typeProperties.url,$(Get-Date)").fails();
}

#[test]
fn value_empty_warns_for_a_string_and_fails_otherwise() {
    let run = example("linkedService,LS_Rest,typeProperties.url,").ok();
    run.assert_stderr(&["warning[", "config-test.csv:2", "empty"]);
    assert_eq!(res(&run.template(), "linkedServices", "LS_Rest")["properties"]["typeProperties"]["url"], "");
    assert_eq!(run.template_diff(), ["-5|\"url\": \"https://api-dev.example.com/v1/\",", "+5|\"url\": \"\","]);

    let run = example("pipeline,PL_Copy_Sales,activities[\"Copy Data\"].policy.retry,").fails();
    run.assert_stderr(&["config-test.csv:2", "empty"]);
    example("pipeline,PL_Copy_Sales,activities[\"Copy Data\"].policy.secureInput,").fails();
    example("trigger,TR_Daily,typeProperties.recurrence.schedule.hours,").fails();

    // A remove row has no value, and that is no warning.
    let run = example("linkedService,LS_Rest,-typeProperties.enableServerCertificateValidation,").ok();
    run.assert_no_warning();
}

// ---------------------------------------------------------------------------------------------------------------
// 2.4 name patterns

#[test]
fn pattern_wildcards() {
    for (pattern, expected) in [
        ("DS_*_Csv", &["DS_Sales_Raw_Csv"][..]),
        ("DS?Sales?Export", &["DS Sales Export"]),
        ("DS_[CO]*", &["DS_Customers", "DS_Orders_Sql"]),
        ("DS_[!CO]*", &["DS_Api_Customers", "DS_Legacy_Extract", "DS_Sales_Curated_Parquet", "DS_Sales_Raw_Csv"]),
        ("DS_[a-d]*", &["DS_Api_Customers", "DS_Customers"]),
        ("*customers", &["DS_Api_Customers", "DS_Customers"]),
        ("ds sales export", &["DS Sales Export"]),
        (
            "*",
            &[
                "DS Sales Export",
                "DS_Api_Customers",
                "DS_Customers",
                "DS_Legacy_Extract",
                "DS_Orders_Sql",
                "DS_Sales_Curated_Parquet",
                "DS_Sales_Raw_Csv",
            ],
        ),
    ] {
        let run = example(&format!("dataset,\"{pattern}\",type,X")).ok();
        assert_eq!(marked_datasets(&run.template()), expected, "pattern {pattern}");
        let added: Vec<String> = run.template_diff().into_iter().filter(|l| l.starts_with('+')).collect();
        assert_eq!(added, vec!["+4|\"type\": \"X\",".to_string(); expected.len()], "pattern {pattern}");
    }
}

#[test]
fn pattern_dot_and_other_characters_are_literal() {
    for pattern in
        ["DS_Sales.Raw_Csv", "DS_Sales_Raw_Csv?", "DS_Sales_Raw_Cs[!v]", "DS  Sales Export", "DS_Sales/Raw_Csv"]
    {
        let run = example(&format!("dataset,\"{pattern}\",type,X")).fails();
        run.assert_stderr(&["config-test.csv:2", pattern]);
    }
}

#[test]
fn pattern_types_and_names_are_case_insensitive() {
    let run = example(
        "LINKEDSERVICE,ls_keyvault,+$.comments,upper-type\n\
         linkedservice,LS_DATABRICKS*,+$.comments,lower-type\n\
         Pipeline,pl daily load,+$.comments,mixed",
    )
    .ok();
    let t = run.template();
    assert_eq!(res(&t, "linkedServices", "LS_KeyVault")["comments"], "upper-type");
    assert_eq!(res(&t, "linkedServices", "LS_Databricks")["comments"], "lower-type");
    assert_eq!(res(&t, "linkedServices", "LS_Databricks_Jobs")["comments"], "lower-type");
    assert_eq!(res(&t, "pipelines", "PL Daily Load")["comments"], "mixed");
    let marked = run.template_diff().into_iter().filter(|l| l.starts_with("+3|\"comments\"")).count();
    assert_eq!(marked, 4);
}

#[test]
fn pattern_matching_no_object_is_an_error_or_a_warning() {
    let rows = "dataset,DS_Nope*,type,X\ndataset,DS_Customers,type,Y";
    let run = example(rows).fails();
    run.assert_stderr(&["config-test.csv:2", "DS_Nope*"]);

    let run = example_with(rows, &["--allow-missing-objects"], &[]).ok();
    run.assert_stderr(&["warning[", "config-test.csv:2", "DS_Nope*"]);
    assert_eq!(marked_datasets(&run.template()), Vec::<String>::new());
    let added: Vec<String> = run.template_diff().into_iter().filter(|l| l.starts_with('+')).collect();
    assert_eq!(added, ["+4|\"type\": \"Y\","]);

    // A name of another type does not count.
    example("dataset,LS_Rest,type,X").fails();
}

// ---------------------------------------------------------------------------------------------------------------
// 2.5 overrides that meet ARM expressions

#[test]
fn param_reference_used_once_goes_to_the_parameters_file() {
    let secret = "Server=tcp:sql-prod;Password=TopSecret-123";
    let run = example(&format!(
        "linkedService,LS_KeyVault,typeProperties.baseUrl,https://kv-example-prod.vault.azure.net/\n\
         linkedService,LS_Sql,typeProperties.connectionString,\"{secret}\"\n\
         factory,adf-example-dev,$.location,northeurope"
    ))
    .ok();
    run.assert_no_warning();
    // The template keeps the references, byte for byte.
    run.assert_template_unchanged();
    let template_text = run.out_text(TEMPLATE_FILE);
    assert!(!template_text.contains("TopSecret"));
    let p = &run.params()["parameters"];
    assert_eq!(p["LS_KeyVault_properties_typeProperties_baseUrl"]["value"], "https://kv-example-prod.vault.azure.net/");
    assert_eq!(p["LS_Sql_connectionString"]["value"], secret);
    assert_eq!(p["dataFactory_location"]["value"], "northeurope");
    assert_eq!(
        run.params_diff(),
        [
            "-3|\"value\": \"\"",
            "+3|\"value\": \"Server=tcp:sql-prod;Password=TopSecret-123\"",
            "-3|\"value\": \"https://kv-example-dev.vault.azure.net/\"",
            "+3|\"value\": \"https://kv-example-prod.vault.azure.net/\"",
            "-3|\"value\": \"westeurope\"",
            "+3|\"value\": \"northeurope\"",
        ]
    );
}

#[test]
fn param_value_is_typed_by_the_declared_type() {
    let rows = "linkedService,Shared,typeProperties.url,https://prod.example.com/\n\
                linkedService,Shared,typeProperties.port,8443\n\
                linkedService,Shared,typeProperties.enableSsl,$true\n\
                linkedService,Shared,typeProperties.headers,\"{'x-env': 'prod'}\"\n\
                linkedService,Shared,typeProperties.hosts,\"[\"\"p1\"\",\"\"p2\"\"]\"\n\
                linkedService,Shared,typeProperties.password.value,S3cr3t!";
    let run = build(MINI, &[("c.csv", &csv(rows))], &[], &[]).ok();
    run.assert_no_warning();
    assert_eq!(run.diff(MINI, TEMPLATE_FILE), Vec::<String>::new());
    assert!(!run.out_text(TEMPLATE_FILE).contains("S3cr3t"));
    let p = &run.params()["parameters"];
    assert_eq!(p["Shared_properties_typeProperties_url"]["value"], json!("https://prod.example.com/"));
    assert_eq!(p["Shared_properties_typeProperties_port"]["value"], json!(8443));
    assert_eq!(p["Shared_properties_typeProperties_enableSsl"]["value"], json!(true));
    assert_eq!(p["Shared_properties_typeProperties_headers"]["value"], json!({"x-env": "prod"}));
    assert_eq!(p["Shared_properties_typeProperties_hosts"]["value"], json!(["p1", "p2"]));
    assert_eq!(p["Shared_password"]["value"], json!("S3cr3t!"));
    assert_eq!(
        run.diff(MINI_PARAMS, PARAMS_FILE),
        [
            "-3|\"value\": \"\"",
            "+3|\"value\": \"S3cr3t!\"",
            "-3|\"value\": \"https://dev.example.com/\"",
            "+3|\"value\": \"https://prod.example.com/\"",
            "-3|\"value\": 8080",
            "+3|\"value\": 8443",
            "-3|\"value\": false",
            "+3|\"value\": true",
            "-4|\"x-env\": \"dev\"",
            "+4|\"x-env\": \"prod\"",
            "-4|\"dev1\"",
            "+4|\"p1\",",
            "+4|\"p2\"",
        ]
    );

    // A value that does not fit the declared type is an error.
    let run = build(MINI, &[("c.csv", &csv("linkedService,Shared,typeProperties.port,abc"))], &[], &[]).fails();
    run.assert_stderr(&["c.csv:2", "abc"]);
}

#[test]
fn param_used_elsewhere_is_inlined_with_a_warning_and_kept() {
    let run = example("linkedService,LS_Databricks,typeProperties.domain,https://adb-9.azuredatabricks.net").ok();
    run.assert_stderr(&[
        "warning[",
        "config-test.csv:2",
        "linkedService.LS_Databricks",
        "[parameters('LS_Databricks_properties_typeProperties_domain')]",
    ]);
    let t = run.template();
    assert_eq!(
        res(&t, "linkedServices", "LS_Databricks")["properties"]["typeProperties"]["domain"],
        "https://adb-9.azuredatabricks.net"
    );
    assert_eq!(
        res(&t, "linkedServices", "LS_Databricks_Jobs")["properties"]["typeProperties"]["domain"],
        "[parameters('LS_Databricks_properties_typeProperties_domain')]"
    );
    assert_eq!(
        run.template_diff(),
        [
            "-5|\"domain\": \"[parameters('LS_Databricks_properties_typeProperties_domain')]\",",
            "+5|\"domain\": \"https://adb-9.azuredatabricks.net\",",
        ]
    );
    // Still used by LS_Databricks_Jobs: kept, with its dev value.
    run.assert_params_unchanged();
}

#[test]
fn param_no_longer_used_is_pruned() {
    let run = example("linkedService,LS_Databricks*,typeProperties.domain,https://adb-9.azuredatabricks.net").ok();
    let t = run.template();
    assert!(t["parameters"].get("LS_Databricks_properties_typeProperties_domain").is_none());
    assert!(run.params()["parameters"].get("LS_Databricks_properties_typeProperties_domain").is_none());
    assert_eq!(
        run.template_diff(),
        [
            "-2|\"LS_Databricks_properties_typeProperties_domain\": {",
            "-3|\"type\": \"string\",",
            "-3|\"defaultValue\": \"https://adb-1234567890123456.7.azuredatabricks.net\"",
            "-2|},",
            "-5|\"domain\": \"[parameters('LS_Databricks_properties_typeProperties_domain')]\",",
            "+5|\"domain\": \"https://adb-9.azuredatabricks.net\",",
            "-5|\"domain\": \"[parameters('LS_Databricks_properties_typeProperties_domain')]\",",
            "+5|\"domain\": \"https://adb-9.azuredatabricks.net\",",
        ]
    );
    assert_eq!(
        run.params_diff(),
        [
            "-2|\"LS_Databricks_properties_typeProperties_domain\": {",
            "-3|\"value\": \"https://adb-1234567890123456.7.azuredatabricks.net\"",
            "-2|},",
        ]
    );
}

#[test]
fn param_in_a_larger_expression_is_replaced_by_the_literal() {
    let run = build(
        MINI,
        &[("c.csv", &csv("linkedService,Shared,typeProperties.baseUrl,https://prod.example.com/api"))],
        &[],
        &[],
    )
    .ok();
    run.assert_stderr(&["warning[", "c.csv:2", "[concat('https://', parameters('Shared_host'), '/api')]"]);
    let t = run.template();
    assert_eq!(
        res(&t, "linkedServices", "Shared")["properties"]["typeProperties"]["baseUrl"],
        "https://prod.example.com/api"
    );
    // Shared_host was used only there: pruned.
    assert!(t["parameters"].get("Shared_host").is_none());
    assert_eq!(
        run.diff(MINI, TEMPLATE_FILE),
        [
            "-2|},",
            "-2|\"Shared_host\": {",
            "-3|\"type\": \"string\",",
            "-3|\"defaultValue\": \"dev.example.com\"",
            "-5|\"baseUrl\": \"[concat('https://', parameters('Shared_host'), '/api')]\",",
            "+5|\"baseUrl\": \"https://prod.example.com/api\",",
        ]
    );
    assert_eq!(
        run.diff(MINI_PARAMS, PARAMS_FILE),
        ["-2|},", "-2|\"Shared_host\": {", "-3|\"value\": \"dev.example.com\""]
    );
}

#[test]
fn param_inline_flag_forces_inlining() {
    let run = example_with(
        "linkedService,LS_KeyVault,typeProperties.baseUrl,https://kv-example-prod.vault.azure.net/",
        &["--inline"],
        &[],
    )
    .ok();
    run.assert_stderr(&[
        "warning[",
        "config-test.csv:2",
        "[parameters('LS_KeyVault_properties_typeProperties_baseUrl')]",
    ]);
    let t = run.template();
    assert_eq!(
        res(&t, "linkedServices", "LS_KeyVault")["properties"]["typeProperties"]["baseUrl"],
        "https://kv-example-prod.vault.azure.net/"
    );
    assert!(t["parameters"].get("LS_KeyVault_properties_typeProperties_baseUrl").is_none());
    assert_eq!(
        run.template_diff(),
        [
            "-2|\"LS_KeyVault_properties_typeProperties_baseUrl\": {",
            "-3|\"type\": \"string\",",
            "-3|\"defaultValue\": \"https://kv-example-dev.vault.azure.net/\"",
            "-2|},",
            "-5|\"baseUrl\": \"[parameters('LS_KeyVault_properties_typeProperties_baseUrl')]\"",
            "+5|\"baseUrl\": \"https://kv-example-prod.vault.azure.net/\"",
        ]
    );
    assert_eq!(
        run.params_diff(),
        [
            "-2|\"LS_KeyVault_properties_typeProperties_baseUrl\": {",
            "-3|\"value\": \"https://kv-example-dev.vault.azure.net/\"",
            "-2|},",
        ]
    );

    // Inlined values keep the parameter's type.
    let run = build(MINI, &[("c.csv", &csv("linkedService,Shared,typeProperties.port,8443"))], &["--inline"], &[]).ok();
    assert_eq!(res(&run.template(), "linkedServices", "Shared")["properties"]["typeProperties"]["port"], json!(8443));
    assert!(run.params()["parameters"].get("Shared_properties_typeProperties_port").is_none());
}

#[test]
fn param_missing_from_the_parameters_file_is_added_to_it() {
    let row = csv("factory,*,\"$.properties.globalParameters.notebookPath.value\",/Shared/prod");
    // A parameters file without that parameter: it gets one more entry, at the end.
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("factory");
    write(&dir.join(TEMPLATE_FILE), &text(GP_RESOURCE));
    let params = "{\n\t\"parameters\": {\n\t\t\"factoryName\": {\n\t\t\t\"value\": \"adf-gp-dev\"\n\t\t}\n\t}\n}";
    write(&dir.join(PARAMS_FILE), params);
    let template = dir.join(TEMPLATE_FILE);
    let run = build(template.to_str().unwrap(), &[("c.csv", &row)], &[], &[]).ok();
    assert_eq!(common::line_diff(&text(&template), &run.out_text(TEMPLATE_FILE)), Vec::<String>::new());
    assert_eq!(
        run.params(),
        json!({"parameters": {
            "factoryName": {"value": "adf-gp-dev"},
            "default_properties_notebookPath_value": {"value": "/Shared/prod"}
        }})
    );
    assert_eq!(
        common::line_diff(params, &run.out_text(PARAMS_FILE)),
        ["+2|},", "+2|\"default_properties_notebookPath_value\": {", "+3|\"value\": \"/Shared/prod\""]
    );

    // No parameters file at all: one is written, with that value.
    fs::remove_file(dir.join(PARAMS_FILE)).unwrap();
    let run = build(template.to_str().unwrap(), &[("c.csv", &row)], &[], &[]).ok();
    assert_eq!(run.params()["parameters"], json!({"default_properties_notebookPath_value": {"value": "/Shared/prod"}}));
}

#[test]
fn param_factory_name_sets_the_factory_name_value() {
    let run = example_with("", &["--factory-name", "adf-example-prod"], &[]).ok();
    run.assert_template_unchanged();
    assert_eq!(run.params()["parameters"]["factoryName"]["value"], "adf-example-prod");
    assert_eq!(run.params_diff(), ["-3|\"value\": \"adf-example-dev\"", "+3|\"value\": \"adf-example-prod\""]);
}

#[test]
fn param_literal_starting_with_a_bracket_is_escaped_in_the_template_only() {
    let run = example(
        "pipeline,PL_Api_Ingest,activities[\"Merge Customers\"].typeProperties.storedProcedureName,[etl_prod].[usp_Merge]\n\
         pipeline,PL_Api_Ingest,activities[\"Check API\"].typeProperties.url,[[already]\n\
         linkedService,LS_KeyVault,typeProperties.baseUrl,[kv]",
    )
    .ok();
    let t = run.template();
    // In the template, ARM reads `[[x` as the literal `[x`.
    assert_eq!(activities(&t, "PL_Api_Ingest")[2]["typeProperties"]["storedProcedureName"], "[[etl_prod].[usp_Merge]");
    assert_eq!(activities(&t, "PL_Api_Ingest")[0]["typeProperties"]["url"], "[[[already]");
    assert_eq!(
        run.template_diff(),
        [
            "-7|\"url\": \"[[API_BASE_URL]\"",
            "+7|\"url\": \"[[[already]\"",
            "-7|\"storedProcedureName\": \"[[etl].[usp_MergeCustomers]\"",
            "+7|\"storedProcedureName\": \"[[etl_prod].[usp_Merge]\"",
        ]
    );
    // A parameters file is never escaped.
    assert_eq!(run.params()["parameters"]["LS_KeyVault_properties_typeProperties_baseUrl"]["value"], "[kv]");
    assert_eq!(
        run.params_diff(),
        ["-3|\"value\": \"https://kv-example-dev.vault.azure.net/\"", "+3|\"value\": \"[kv]\""]
    );

    // Inlined into the template: escaped.
    let run = example_with("linkedService,LS_KeyVault,typeProperties.baseUrl,[kv]", &["--inline"], &[]).ok();
    assert_eq!(
        res(&run.template(), "linkedServices", "LS_KeyVault")["properties"]["typeProperties"]["baseUrl"],
        "[[kv]"
    );
}

// ---------------------------------------------------------------------------------------------------------------
// 2.6 global parameters

fn factory_gps(template: &Value) -> &Value {
    let factory = template["resources"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["type"] == "Microsoft.DataFactory/factories")
        .expect("factory resource");
    &factory["properties"]["globalParameters"]
}

#[test]
fn gp_in_the_factory_resource_are_updated_by_type() {
    let run = example(
        "factory,*,\"$.properties.globalParameters.envName.value\",prod\n\
         factory,adf-example-dev,\"$.properties.globalParameters.retryCount.value\",5\n\
         factory,ADF-EXAMPLE-*,\"$.properties.globalParameters.threshold.value\",0.9\n\
         factory,*,\"$.properties.globalParameters.isProd.value\",$true\n\
         factory,*,\"$.properties.globalParameters.regions.value\",\"[\"\"westeurope\"\",\"\"swedencentral\"\"]\"\n\
         factory,*,\"$.properties.globalParameters.settings.value\",\"{'tier': 'prod', 'replicas': 3}\"",
    )
    .ok();
    let gps = factory_gps(&run.template()).clone();
    assert_eq!(
        gps,
        json!({
            "envName": {"type": "string", "value": "prod"},
            "retryCount": {"type": "int", "value": 5},
            "threshold": {"type": "float", "value": 0.9},
            "isProd": {"type": "bool", "value": true},
            "regions": {"type": "array", "value": ["westeurope", "swedencentral"]},
            "settings": {"type": "object", "value": {"tier": "prod", "replicas": 3}},
        })
    );
    assert_eq!(
        run.template_diff(),
        [
            "-6|\"value\": \"dev\"",
            "+6|\"value\": \"prod\"",
            "-6|\"value\": 3",
            "+6|\"value\": 5",
            "-6|\"value\": 0.75",
            "+6|\"value\": 0.9",
            "-6|\"value\": false",
            "+6|\"value\": true",
            "-7|\"northeurope\"",
            "+7|\"swedencentral\"",
            "-7|\"tier\": \"dev\",",
            "-7|\"replicas\": 1",
            "+7|\"tier\": \"prod\",",
            "+7|\"replicas\": 3",
        ]
    );
    run.assert_params_unchanged();

    // The value must fit the declared kind.
    example("factory,*,\"$.properties.globalParameters.retryCount.value\",many").fails();
}

#[test]
fn gp_added_with_a_type_row_as_real_json() {
    let run = example_with(
        "factory,*,\"+$.properties.globalParameters.deployEnv.value\",$Env:ADFC_ENV\n\
         factory,*,\"+$.properties.globalParameters.deployEnv.type\",string\n\
         factory,*,\"+$.properties.globalParameters.maxParallelCopies.value\",4\n\
         factory,*,\"+$.properties.globalParameters.maxParallelCopies.type\",int\n\
         factory,*,\"+$.properties.globalParameters.buildId.type\",string\n\
         factory,*,\"+$.properties.globalParameters.buildId.value\",123\n\
         factory,*,\"+$.properties.globalParameters.allowedIps.value\",\"[\"\"10.0.0.1\"\",\"\"10.0.0.2\"\"]\"\n\
         factory,*,\"+$.properties.globalParameters.allowedIps.type\",array\n\
         factory,*,\"+$.properties.globalParameters.limits.value\",\"{'rows': 100}\"\n\
         factory,*,\"+$.properties.globalParameters.limits.type\",object",
        &[],
        &[("ADFC_ENV", "prod")],
    )
    .ok();
    let gps = factory_gps(&run.template()).clone();
    assert_eq!(gps["deployEnv"], json!({"value": "prod", "type": "string"}));
    assert_eq!(gps["maxParallelCopies"], json!({"value": 4, "type": "int"}));
    // The sibling `type` wins: "123" stays a string.
    assert_eq!(gps["buildId"], json!({"type": "string", "value": "123"}));
    assert_eq!(gps["allowedIps"], json!({"value": ["10.0.0.1", "10.0.0.2"], "type": "array"}));
    assert_eq!(gps["limits"], json!({"value": {"rows": 100}, "type": "object"}));
    assert_eq!(
        run.template_diff(),
        [
            "+5|},",
            "+5|\"deployEnv\": {",
            "+6|\"value\": \"prod\",",
            "+6|\"type\": \"string\"",
            "+5|},",
            "+5|\"maxParallelCopies\": {",
            "+6|\"value\": 4,",
            "+6|\"type\": \"int\"",
            "+5|},",
            "+5|\"buildId\": {",
            "+6|\"type\": \"string\",",
            "+6|\"value\": \"123\"",
            "+5|},",
            "+5|\"allowedIps\": {",
            "+6|\"value\": [",
            "+7|\"10.0.0.1\",",
            "+7|\"10.0.0.2\"",
            "+6|],",
            "+6|\"type\": \"array\"",
            "+5|},",
            "+5|\"limits\": {",
            "+6|\"value\": {",
            "+7|\"rows\": 100",
            "+6|},",
            "+6|\"type\": \"object\"",
        ]
    );
}

#[test]
fn gp_in_a_globalparameters_resource() {
    let rows = "factory,*,\"$.properties.globalParameters.envName.value\",prod\n\
                factory,adf-gp-test,\"$.properties.globalParameters.retryCount.value\",5\n\
                factory,*,\"$.properties.globalParameters.isProd.value\",True\n\
                factory,*,\"$.properties.globalParameters.regions.value\",\"[\"\"westeurope\"\",\"\"northeurope\"\"]\"\n\
                factory,*,\"$.properties.globalParameters.settings.value\",\"{\"\"tier\"\": \"\"prod\"\"}\"\n\
                factory,*,\"+$.properties.globalParameters.deployEnv.value\",prod\n\
                factory,*,\"+$.properties.globalParameters.deployEnv.type\",string";
    let run = build(GP_RESOURCE, &[("c.csv", &csv(rows))], &[], &[]).ok();
    run.assert_no_warning();
    let t = run.template();
    let gp = t["resources"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["type"] == "Microsoft.DataFactory/factories/globalparameters")
        .unwrap();
    assert_eq!(
        gp["properties"],
        json!({
            "envName": {"type": "string", "value": "prod"},
            "retryCount": {"type": "int", "value": 5},
            "isProd": {"type": "bool", "value": true},
            "regions": {"type": "array", "value": ["westeurope", "northeurope"]},
            "settings": {"type": "object", "value": {"tier": "prod"}},
            "notebookPath": {"type": "string", "value": "[parameters('default_properties_notebookPath_value')]"},
            "deployEnv": {"value": "prod", "type": "string"},
        })
    );
    // The factory resource got no globalParameters.
    let factory =
        t["resources"].as_array().unwrap().iter().find(|r| r["type"] == "Microsoft.DataFactory/factories").unwrap();
    assert_eq!(factory["properties"], json!({}));
    assert_eq!(
        run.diff(GP_RESOURCE, TEMPLATE_FILE),
        [
            "-5|\"value\": \"dev\"",
            "+5|\"value\": \"prod\"",
            "-5|\"value\": 3",
            "+5|\"value\": 5",
            "-5|\"value\": false",
            "+5|\"value\": true",
            "-6|\"westeurope\"",
            "+6|\"westeurope\",",
            "+6|\"northeurope\"",
            "-6|\"tier\": \"dev\"",
            "+6|\"tier\": \"prod\"",
            "+4|},",
            "+4|\"deployEnv\": {",
            "+5|\"value\": \"prod\",",
            "+5|\"type\": \"string\"",
        ]
    );
    assert_eq!(run.diff(GP_RESOURCE_PARAMS, PARAMS_FILE), Vec::<String>::new());

    // A global parameter held by a parameter used once goes to the parameters file.
    let run = build(
        GP_RESOURCE,
        &[("c.csv", &csv("factory,*,\"$.properties.globalParameters.notebookPath.value\",/Shared/prod"))],
        &[],
        &[],
    )
    .ok();
    assert_eq!(run.diff(GP_RESOURCE, TEMPLATE_FILE), Vec::<String>::new());
    assert_eq!(
        run.diff(GP_RESOURCE_PARAMS, PARAMS_FILE),
        ["-3|\"value\": \"/Shared/dev\"", "+3|\"value\": \"/Shared/prod\""]
    );
}

#[test]
fn gp_factory_name_is_the_factory_name_parameter_value() {
    // The parameters file says adf-gp-test; the template's defaultValue is adf-gp-dev.
    let row = |name: &str| csv(&format!("factory,{name},\"$.properties.globalParameters.envName.value\",prod"));
    build(GP_RESOURCE, &[("c.csv", &row("adf-gp-test"))], &[], &[]).ok();
    let run = build(GP_RESOURCE, &[("c.csv", &row("adf-gp-dev"))], &[], &[]).fails();
    run.assert_stderr(&["c.csv:2", "adf-gp-dev"]);

    // Without a parameters file: the defaultValue.
    let tmp = tempfile::tempdir().unwrap();
    let template = tmp.path().join(TEMPLATE_FILE);
    fs::copy(root().join(GP_RESOURCE), &template).unwrap();
    let template = template.to_str().unwrap();
    build(template, &[("c.csv", &row("adf-gp-dev"))], &[], &[]).ok();
    build(template, &[("c.csv", &row("adf-gp-test"))], &[], &[]).fails();

    // The example: parameters file and defaultValue agree.
    build(EXAMPLE, &[("c.csv", &row("adf-example-dev"))], &[], &[]).ok();
    build(EXAMPLE, &[("c.csv", &row("adf-example-prod"))], &[], &[]).fails();
}

#[test]
fn gp_only_in_the_side_file() {
    let rows = "factory,*,\"$.properties.globalParameters.envName.value\",prod\n\
                factory,adf-side-dev,\"$.properties.globalParameters.retryCount.value\",7\n\
                factory,*,\"$.properties.globalParameters.regions.value\",\"['westeurope', 'northeurope']\"\n\
                factory,*,\"+$.properties.globalParameters.limits.value\",\"{\"\"rows\"\": 100}\"\n\
                factory,*,\"+$.properties.globalParameters.limits.type\",object";
    let run = build(GP_SIDEFILE, &[("c.csv", &csv(rows))], &[], &[]).ok();
    let side = "globalParameters/adf-side-dev_GlobalParameters.json";
    assert_eq!(
        listing(&run.out),
        ["ARMTemplateForFactory.json", "ARMTemplateParametersForFactory.json", "globalParameters"]
    );
    assert_eq!(run.diff(GP_SIDEFILE, TEMPLATE_FILE), Vec::<String>::new());
    assert_eq!(
        json(&run.out.join(side)),
        json!({
            "envName": {"type": "string", "value": "prod"},
            "retryCount": {"type": "int", "value": 7},
            "regions": {"type": "array", "value": ["westeurope", "northeurope"]},
            "limits": {"value": {"rows": 100}, "type": "object"},
        })
    );
    assert_eq!(
        run.diff(GP_SIDEFILE_GP, side),
        [
            "-2|\"value\": \"dev\"",
            "+2|\"value\": \"prod\"",
            "-2|\"value\": 3",
            "+2|\"value\": 7",
            "-3|\"westeurope\"",
            "+3|\"westeurope\",",
            "+3|\"northeurope\"",
            "+1|},",
            "+1|\"limits\": {",
            "+2|\"value\": {",
            "+3|\"rows\": 100",
            "+2|},",
            "+2|\"type\": \"object\"",
        ]
    );
}

/// The gp-sidefile factory plus a factory resource that holds no global parameters (identity and location only).
fn sidefile_with_factory_resource(tmp: &Path) -> PathBuf {
    let dir = tmp.join("factory");
    let mut template = json(&root().join(GP_SIDEFILE));
    template["resources"].as_array_mut().unwrap().push(json!({
        "name": "[parameters('factoryName')]",
        "type": "Microsoft.DataFactory/factories",
        "apiVersion": "2018-06-01",
        "properties": {},
        "dependsOn": [],
        "location": "westeurope",
        "identity": {"type": "SystemAssigned"}
    }));
    write(&dir.join(TEMPLATE_FILE), &serde_json::to_string_pretty(&template).unwrap());
    fs::copy(root().join("fixtures/config/gp-sidefile").join(PARAMS_FILE), dir.join(PARAMS_FILE)).unwrap();
    write(&dir.join("globalParameters/adf-side-dev_GlobalParameters.json"), &text(GP_SIDEFILE_GP));
    dir.join(TEMPLATE_FILE)
}

#[test]
fn gp_only_in_the_side_file_beside_a_factory_resource() {
    let tmp = tempfile::tempdir().unwrap();
    let template = sidefile_with_factory_resource(tmp.path());
    let rows = csv("factory,*,\"$.properties.globalParameters.envName.value\",prod");
    let run = build(template.to_str().unwrap(), &[("c.csv", &rows)], &[], &[]).ok();
    let side = "globalParameters/adf-side-dev_GlobalParameters.json";
    assert_eq!(json(&run.out.join(side))["envName"], json!({"type": "string", "value": "prod"}));
    assert_eq!(run.diff(GP_SIDEFILE_GP, side), ["-2|\"value\": \"dev\"", "+2|\"value\": \"prod\""]);
    assert_eq!(common::line_diff(&text(&template), &run.out_text(TEMPLATE_FILE)), Vec::<String>::new());
}

// ---------------------------------------------------------------------------------------------------------------
// 2.7 JSON config form

#[test]
fn json_form_update_add_remove() {
    let config = r#"{
	"LS_KeyVault": [
		{"name": "$.properties.typeProperties.baseUrl", "value": "https://kv-$($Env:ADFC_ENV).vault.azure.net/", "action": "update"}
	],
	"LS_Rest": [
		{"name": "typeProperties.url", "value": "https://api.example.com/v2/"},
		{"name": "typeProperties.retries.count", "value": 5, "action": "add"},
		{"name": "typeProperties.enableServerCertificateValidation", "action": "remove"}
	],
	"PL_Copy_Sales": [
		{"name": "activities[\"Copy Data\"].policy.retry", "value": "4", "action": "Update"}
	]
}"#;
    let run = build(EXAMPLE, &[("config-test.json", config)], &[], &[("ADFC_ENV", "prod")]).ok();
    let t = run.template();
    let tp = &res(&t, "linkedServices", "LS_Rest")["properties"]["typeProperties"];
    assert_eq!(tp["url"], "https://api.example.com/v2/");
    assert_eq!(tp["retries"], json!({"count": 5}));
    assert!(tp.get("enableServerCertificateValidation").is_none());
    assert_eq!(activities(&t, "PL_Copy_Sales")[0]["policy"]["retry"], json!(4));
    assert_eq!(
        run.params()["parameters"]["LS_KeyVault_properties_typeProperties_baseUrl"]["value"],
        "https://kv-prod.vault.azure.net/"
    );
    assert_eq!(
        run.template_diff(),
        [
            "-7|\"retry\": 0,",
            "+7|\"retry\": 4,",
            "-5|\"url\": \"https://api-dev.example.com/v1/\",",
            "-5|\"enableServerCertificateValidation\": true,",
            "+5|\"url\": \"https://api.example.com/v2/\",",
            "+5|},",
            "+5|\"retries\": {",
            "+6|\"count\": 5",
        ]
    );
    assert_eq!(
        run.params_diff(),
        [
            "-3|\"value\": \"https://kv-example-dev.vault.azure.net/\"",
            "+3|\"value\": \"https://kv-prod.vault.azure.net/\""
        ]
    );

    // Same semantics as CSV rows: a missing path is an error naming file and line.
    let run = build(EXAMPLE, &[("c.json", r#"{"LS_Rest": [{"name": "typeProperties.ur", "value": "x"}]}"#)], &[], &[])
        .fails();
    run.assert_stderr(&["c.json:1", "linkedService.LS_Rest", "did you mean"]);
}

#[test]
fn json_form_ambiguous_name_is_an_error_naming_the_candidates() {
    let config = r#"{"Shared": [{"name": "typeProperties.url", "value": "https://x/"}]}"#;
    let run = build(MINI, &[("c.json", config)], &[], &[]).fails();
    run.assert_stderr(&["c.json:1", "Shared", "linkedService.Shared", "dataset.Shared"]);

    // In the CSV form the type column says which one.
    let run = build(MINI, &[("c.csv", &csv("dataset,Shared,typeProperties.relativeUrl,items-prod"))], &[], &[]).ok();
    assert_eq!(res(&run.template(), "datasets", "Shared")["properties"]["typeProperties"]["relativeUrl"], "items-prod");
    assert_eq!(run.diff(MINI, TEMPLATE_FILE), ["-5|\"relativeUrl\": \"items\"", "+5|\"relativeUrl\": \"items-prod\""]);
}

// ---------------------------------------------------------------------------------------------------------------
// determinism, inputs, summary

fn uat_build() -> Run {
    build(
        EXAMPLE,
        &[],
        &[
            "--config",
            "deployment/config-common.csv",
            "--config",
            "deployment/config-uat.csv",
            "--factory-name",
            "adf-example-uat",
        ],
        UAT_ENV,
    )
}

#[test]
fn outputs_are_deterministic() {
    let (a, b) = (uat_build().ok(), uat_build().ok());
    assert_eq!(listing(&a.out), listing(&b.out));
    for name in listing(&a.out) {
        assert_eq!(fs::read(a.out.join(&name)).unwrap(), fs::read(b.out.join(&name)).unwrap(), "{name}");
    }
    assert_eq!(a.stderr, b.stderr);
    let (a, b) = (
        build(GP_SIDEFILE, &[("c.csv", &csv("factory,*,\"$.properties.globalParameters.envName.value\",x"))], &[], &[])
            .ok(),
        build(GP_SIDEFILE, &[("c.csv", &csv("factory,*,\"$.properties.globalParameters.envName.value\",x"))], &[], &[])
            .ok(),
    );
    let side = "globalParameters/adf-side-dev_GlobalParameters.json";
    assert_eq!(fs::read(a.out.join(side)).unwrap(), fs::read(b.out.join(side)).unwrap());
}

#[test]
fn inputs_are_never_modified() {
    let inputs = [
        EXAMPLE,
        EXAMPLE_PARAMS,
        "deployment/config-common.csv",
        "deployment/config-uat.csv",
        "deployment/config-prod.csv",
        GP_SIDEFILE,
        GP_SIDEFILE_GP,
    ];
    let before: Vec<Vec<u8>> = inputs.iter().map(|p| fs::read(root().join(p)).unwrap()).collect();
    uat_build().ok();
    build(EXAMPLE, &[], &["--config", "deployment/config-common.csv", "--config", "deployment/config-prod.csv"], &[])
        .ok();
    // A failing build too (config-uat.csv without its environment variables).
    build(EXAMPLE, &[], &["--config", "deployment/config-common.csv", "--config", "deployment/config-uat.csv"], &[])
        .fails();
    build(GP_SIDEFILE, &[("c.csv", &csv("factory,*,\"$.properties.globalParameters.envName.value\",x"))], &[], &[])
        .ok();
    // The config file itself is kept as written.
    let run = example("linkedService,LS_Rest,typeProperties.url,x");
    let config = run.tmp.path().join("config-test.csv");
    assert_eq!(fs::read_to_string(config).unwrap(), csv("linkedService,LS_Rest,typeProperties.url,x"));
    for (path, bytes) in inputs.iter().zip(before) {
        assert_eq!(fs::read(root().join(path)).unwrap(), bytes, "{path} was modified");
    }
}

#[test]
fn uat_build_summary() {
    // The summary names the output folder: `<TMP>/out`.
    insta::assert_snapshot!("uat_build_summary", uat_build().ok().stderr);
}

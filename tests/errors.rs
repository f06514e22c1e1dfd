//! Bad inputs: every one must fail with exit code 2, a rustc-style diagnostic that names the code, the file,
//! the line and column (where one makes sense), the object involved and a useful reason — and must leave
//! no trace: nothing written to `--out-dir`, no input modified, no panic (SPEC.md §2, §7).
//!
//! Each test builds its input in its own tempdir holding a copy of `fixtures/example` and runs adfc from
//! there with relative paths, so the file names in the diagnostics are short and exact.
//! Tests marked `#[ignore = "adfc bug: …"]` assert the behaviour SPEC.md asks for and adfc does not have yet.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use common::{Case, PARAMETERS, Run, TEMPLATE, adfc, listing};

/// The out dir every build in this file writes to (relative to the case folder); it does not exist beforehand.
const OUT: &str = "out";

/// One independent bad-input scenario: a copy of the example factory.
fn example() -> Case {
    Case::of("example")
}

impl Case {
    /// The example template's text.
    fn template_text(&self) -> String {
        std::fs::read_to_string(self.path(TEMPLATE)).expect("read template")
    }

    /// `adfc build --template ARMTemplateForFactory.json --out-dir out <extra>`.
    fn build(&self, extra: &[&str]) -> Run {
        self.run(&build_args(extra), &[])
    }

    /// Like `build`, and assert it fails cleanly: exit 2, an `error[`, nothing written anywhere, inputs unchanged.
    fn build_fails(&self, extra: &[&str]) -> Run {
        self.fails(&build_args(extra), &[])
    }

    /// Run `args`, which must fail cleanly.
    fn fails(&self, args: &[&str], env: &[(&str, &str)]) -> Run {
        let before = self.files();
        let out_existed = self.path(OUT).exists();
        let run = self.run(args, env);
        run.exit(2).has("error[");
        assert_eq!(
            self.files().keys().collect::<Vec<_>>(),
            before.keys().collect::<Vec<_>>(),
            "{}: files were created or removed\n{}",
            run.what,
            run.stderr
        );
        assert!(self.files() == before, "{}: an input file was modified\n{}", run.what, run.stderr);
        if !out_existed {
            assert!(listing(&self.path(OUT)).is_empty(), "{}: wrote into the out dir\n{}", run.what, run.stderr);
        }
        run
    }

    /// Every file under the case folder (relative path → contents).
    fn files(&self) -> BTreeMap<String, Vec<u8>> {
        fn walk(root: &Path, dir: &Path, into: &mut BTreeMap<String, Vec<u8>>) {
            for entry in std::fs::read_dir(dir).expect("read_dir").map(|e| e.expect("entry")) {
                let path = entry.path();
                if path.is_dir() {
                    into.insert(format!("{}/", path.strip_prefix(root).unwrap().display()), Vec::new());
                    walk(root, &path, into);
                } else {
                    let rel = path.strip_prefix(root).unwrap().display().to_string();
                    into.insert(rel, std::fs::read(&path).expect("read"));
                }
            }
        }
        let mut files = BTreeMap::new();
        walk(self.dir.path(), self.dir.path(), &mut files);
        files
    }
}

fn build_args<'a>(extra: &[&'a str]) -> Vec<&'a str> {
    let mut args = vec!["build", "--template", TEMPLATE, "--out-dir", OUT];
    args.extend_from_slice(extra);
    args
}

impl Run {
    fn exit(&self, code: i32) -> &Self {
        assert_eq!(
            self.code,
            Some(code),
            "{}: exit code\n--- stdout\n{}--- stderr\n{}",
            self.what,
            self.stdout,
            self.stderr
        );
        self
    }

    /// stderr contains `needle`.
    fn has(&self, needle: &str) -> &Self {
        assert!(self.stderr.contains(needle), "{}: stderr lacks {needle:?}\n--- stderr\n{}", self.what, self.stderr);
        self
    }

    /// stderr does not contain `needle`.
    fn lacks(&self, needle: &str) -> &Self {
        assert!(!self.stderr.contains(needle), "{}: stderr has {needle:?}\n--- stderr\n{}", self.what, self.stderr);
        self
    }

    /// stderr contains the diagnostic header `severity[code]`.
    fn diag(&self, severity: &str, code: &str) -> &Self {
        self.has(&format!("{severity}[{code}]"))
    }

    /// How many times stderr contains `needle`.
    fn count(&self, needle: &str) -> usize {
        self.stderr.matches(needle).count()
    }

    /// Snapshot stderr, exactly as users see it (code, message, file:line:col, the quoted line and caret).
    /// Named after the test, with `-2`, `-3`… for later snapshots of the same test.
    fn snap(&self) -> &Self {
        thread_local! {
            static TAKEN: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
        }
        let n = TAKEN.with(|t| {
            t.set(t.get() + 1);
            t.get()
        });
        let test = std::thread::current().name().unwrap_or("errors").replace("::", "__");
        let name = if n == 1 { test } else { format!("{test}-{n}") };
        let mut settings = insta::Settings::clone_current();
        let real = self.dir.canonicalize().unwrap_or_else(|_| self.dir.clone());
        for dir in [&real, &self.dir] {
            settings.add_filter(&regex_escape(&dir.display().to_string()), "[CASE]");
        }
        if let Some(parent) = real.parent() {
            settings.add_filter(&regex_escape(&parent.display().to_string()), "[CASE]/..");
        }
        settings.set_description(self.what.clone());
        settings.set_omit_expression(true);
        settings.bind(|| insta::assert_snapshot!(name, self.stderr));
        self
    }
}

/// `text` with regex metacharacters escaped.
fn regex_escape(text: &str) -> String {
    text.chars().flat_map(|c| if "\\.+*?()|[]{}^$".contains(c) { vec!['\\', c] } else { vec![c] }).collect()
}

/// 1-based (line, column) of byte `offset` in `text` (columns count characters).
fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let col = before[before.rfind('\n').map_or(0, |p| p + 1)..].chars().count() + 1;
    (line, col)
}

/// The example template with its last parameter followed by a trailing comma; returns (text, offset of the comma).
fn template_with_trailing_comma(original: &str) -> (String, usize) {
    let last_param_end = "\"defaultValue\": \"westeurope\"\n\t\t}";
    let at = original.find(last_param_end).expect("the example's last parameter is dataFactory_location")
        + last_param_end.len();
    assert!(original[at..].starts_with("\n\t},"), "parameters end right after dataFactory_location");
    let text = format!("{},{}", &original[..at], &original[at..]);
    (text, at)
}

// ---------------------------------------------------------------------------------------------------------------
// Missing or unreadable inputs

#[test]
fn missing_template_file() {
    let case = example();
    case.fails(&["build", "--template", "nope/ARMTemplateForFactory.json", "--out-dir", OUT], &[]).snap();
    case.fails(&["ls", "--template", "nope.json"], &[]).snap();
}

#[test]
fn missing_config_file() {
    let case = example();
    case.build_fails(&["--config", "deployment/config-missing.csv"]).snap();
}

#[test]
fn missing_stage_config() {
    let case = example();
    case.build_fails(&["--stage", "nope"]).snap();
}

#[test]
fn config_that_is_a_directory() {
    let case = example();
    std::fs::create_dir(case.path("configs")).unwrap();
    case.build_fails(&["--config", "configs"]).snap();
}

// ---------------------------------------------------------------------------------------------------------------
// Bad templates and parameters files

#[test]
fn invalid_json_template_trailing_comma() {
    let case = example();
    let (text, comma) = template_with_trailing_comma(&case.template_text());
    case.write(TEMPLATE, &text);
    let (line, col) = line_col(&text, comma);
    let run = case.build_fails(&[]);
    run.snap();
    // The parser may point at the comma itself or at the `}` that follows it on the next line.
    let at_comma = format!("{TEMPLATE}:{line}:{col}");
    let at_brace = format!("{TEMPLATE}:{}:2", line + 1);
    assert!(
        run.stderr.contains(&at_comma) || run.stderr.contains(&at_brace),
        "expected {at_comma} or {at_brace}\n{}",
        run.stderr
    );
    // `ls` reads the template the same way.
    case.fails(&["ls", "--template", TEMPLATE], &[]).snap();
}

#[test]
fn invalid_json_template_trailing_comma_points_at_the_comma() {
    let case = example();
    let (text, comma) = template_with_trailing_comma(&case.template_text());
    case.write(TEMPLATE, &text);
    let (line, col) = line_col(&text, comma);
    case.build_fails(&[]).snap().has(&format!("{TEMPLATE}:{line}:{col}"));
}

#[test]
fn template_without_resources() {
    let case = example();
    case.write(TEMPLATE, "{\n\t\"contentVersion\": \"1.0.0.0\",\n\t\"parameters\": {}\n}");
    case.build_fails(&[]).snap();
    case.fails(&["ls", "--template", TEMPLATE], &[]).snap();
}

#[test]
fn parameters_file_not_json() {
    let case = example();
    case.write("params.json", "{\n\t\"parameters\": {\n\t\t\"factoryName\": {\"value\": \"adf-x\"}\n}");
    case.build_fails(&["--parameters", "params.json"]).snap();
    // The default parameters file beside the template is read the same way.
    case.write(PARAMETERS, "{ \"parameters\": { \"factoryName\": { \"value\": \"adf-x\" }, } }");
    case.build_fails(&[]).snap();
}

// ---------------------------------------------------------------------------------------------------------------
// CSV syntax

#[test]
fn wrong_csv_header() {
    let case = example();
    // A spreadsheet saved with `;` separators (common in European locales).
    case.write("bad.csv", "type;name;path;value\nlinkedService;LS_KeyVault;typeProperties.baseUrl;x\n");
    case.build_fails(&["--config", "bad.csv"]).snap();
    // A missing column.
    case.write("short.csv", "type,name,path\n");
    case.build_fails(&["--config", "short.csv"]).snap();
}

#[test]
fn wrong_field_counts_are_all_reported() {
    let case = example();
    case.config(
        "bad.csv",
        "linkedService,LS_KeyVault,typeProperties.baseUrl\n\
         linkedService,LS_ADLS,typeProperties.url,https://x/\n\
         linkedService,LS_Rest,typeProperties.url,https://a/,https://b/\n",
    );
    let run = case.build_fails(&["--config", "bad.csv"]);
    run.snap();
    assert_eq!(run.count("error[config::field-count]"), 2, "{}", run.stderr);
}

#[test]
fn unterminated_quote() {
    let case = example();
    case.config("bad.csv", "linkedService,\"LS_KeyVault,typeProperties.baseUrl,x\n");
    case.build_fails(&["--config", "bad.csv"]).snap();
}

#[test]
fn unknown_type() {
    let case = example();
    case.config("bad.csv", "linkedServic,LS_KeyVault,typeProperties.baseUrl,x\n");
    case.build_fails(&["--config", "bad.csv"]).snap();
}

#[test]
fn empty_type_name_and_path() {
    let case = example();
    case.config("type.csv", ",LS_KeyVault,typeProperties.baseUrl,x\n");
    case.build_fails(&["--config", "type.csv"]).snap();

    case.config("name.csv", "linkedService,,typeProperties.baseUrl,x\n");
    case.build_fails(&["--config", "name.csv"]).snap();

    case.config("path.csv", "linkedService,LS_KeyVault,,x\n");
    case.build_fails(&["--config", "path.csv"]).snap();
}

#[test]
fn invalid_path_syntax() {
    let case = example();
    case.config("bad.csv", "pipeline,PL_Copy_Sales,activities[\"Copy Data.policy.timeout,0.01:00:00\n");
    case.build_fails(&["--config", "bad.csv"]).snap();
}

// ---------------------------------------------------------------------------------------------------------------
// Rows that do not fit the template

#[test]
fn name_matching_nothing() {
    let case = example();
    case.config("bad.csv", "linkedService,LS_Nope,typeProperties.baseUrl,https://x/\n");
    case.build_fails(&["--config", "bad.csv"]).snap();

    // A wildcard that matches nothing is the same error.
    case.config("glob.csv", "dataset,DS_Prod_*,typeProperties.location.folderPath,x\n");
    case.build_fails(&["--config", "glob.csv"]).snap();

    // With --allow-missing-objects: a warning, exit 0, the row is skipped.
    let run = case.build(&["--config", "bad.csv", "--allow-missing-objects"]);
    run.exit(0).snap();
    assert!(listing(&case.path(OUT)).contains(&TEMPLATE.to_owned()), "the build wrote its output");
}

#[test]
fn path_not_found_with_suggestion() {
    let case = example();
    case.config("bad.csv", "linkedService,LS_KeyVault,typeProperties.baseUr,https://kv-prod.vault.azure.net/\n");
    case.build_fails(&["--config", "bad.csv"]).snap();

    // With --allow-missing-paths: a warning, exit 0, the row is skipped (the template is unchanged).
    let run = case.build(&["--config", "bad.csv", "--allow-missing-paths"]);
    run.exit(0).snap();
    assert_eq!(
        std::fs::read(case.path(OUT).join(TEMPLATE)).unwrap(),
        std::fs::read(case.path(TEMPLATE)).unwrap(),
        "the skipped row must not change the template"
    );
}

#[test]
fn path_not_found_suggestion_uses_the_rows_path_form() {
    // SPEC §2.2/§6: `typeProperties.ur` → "did you mean `typeProperties.url`?". Pasting adfc's suggestion
    // `properties.typeProperties.baseUrl` back into the row would address `properties.properties.…`.
    let case = example();
    case.config("bad.csv", "linkedService,LS_KeyVault,typeProperties.baseUr,x\n");
    case.build_fails(&["--config", "bad.csv"]).snap();
}

#[test]
fn remove_of_a_removed_property_is_path_not_found() {
    // Rows see the effect of earlier rows: after `-x`, updating x is an error on the second row.
    let case = example();
    case.config(
        "bad.csv",
        "linkedService,LS_KeyVault,-typeProperties.baseUrl,\nlinkedService,LS_KeyVault,typeProperties.baseUrl,y\n",
    );
    case.build_fails(&["--config", "bad.csv"]).snap();
}

// ---------------------------------------------------------------------------------------------------------------
// Values

#[test]
fn not_a_number_where_a_number_is() {
    let case = example();
    case.config("bad.csv", "pipeline,PL Daily Load,activities[\"Copy Orders\"].policy.retry,abc\n");
    case.build_fails(&["--config", "bad.csv"]).snap();
}

#[test]
fn not_a_boolean_where_a_boolean_is() {
    let case = example();
    case.config("bad.csv", "pipeline,PL_Copy_Sales,activities[\"Copy Data\"].policy.secureOutput,yes\n");
    case.build_fails(&["--config", "bad.csv"]).snap();
}

#[test]
fn malformed_json_where_an_object_is() {
    let case = example();
    case.config("bad.csv", "pipeline,PL Daily Load,activities[\"Copy Orders\"].policy,{\"retry\": 2\n");
    case.build_fails(&["--config", "bad.csv"]).snap();
}

#[test]
fn bad_value_message_grammar() {
    let case = example();
    case.config("bad.csv", "pipeline,PL Daily Load,activities[\"Copy Orders\"].policy,{not json\n");
    case.build_fails(&["--config", "bad.csv"]).snap();
}

/// The example template with two new parameters, `retryCount` (int) and `secureOut` (bool), each the exact
/// value of one property of pipeline `PL Daily Load`'s first activity ("Copy Orders").
fn template_with_typed_parameters(case: &Case) {
    let mut template: serde_json::Value = serde_json::from_str(&case.template_text()).expect("template");
    let params = template["parameters"].as_object_mut().expect("parameters");
    params.insert("retryCount".into(), serde_json::json!({"type": "int", "defaultValue": 1}));
    params.insert("secureOut".into(), serde_json::json!({"type": "bool", "defaultValue": false}));
    let pipeline = template["resources"]
        .as_array_mut()
        .expect("resources")
        .iter_mut()
        .find(|r| r["name"].as_str().is_some_and(|n| n.ends_with("'/PL Daily Load')]")))
        .expect("pipeline PL Daily Load");
    let activity = &mut pipeline["properties"]["activities"][0];
    assert_eq!(activity["name"], "Copy Orders");
    activity["policy"]["retry"] = "[parameters('retryCount')]".into();
    activity["policy"]["secureOutput"] = "[parameters('secureOut')]".into();
    case.write(TEMPLATE, serde_json::to_string_pretty(&template).unwrap());
}

#[test]
fn parameter_value_of_the_wrong_declared_type() {
    let case = example();
    template_with_typed_parameters(&case);
    case.config(
        "bad.csv",
        "pipeline,PL Daily Load,activities[\"Copy Orders\"].policy.retry,three\n\
         pipeline,PL Daily Load,activities[\"Copy Orders\"].policy.secureOutput,maybe\n",
    );
    let run = case.build_fails(&["--config", "bad.csv"]);
    run.snap();
    assert_eq!(run.count("error[config::bad-value]"), 2, "{}", run.stderr);

    // Values of the declared types are accepted and go to the parameters file.
    case.config(
        "good.csv",
        "pipeline,PL Daily Load,activities[\"Copy Orders\"].policy.retry,3\n\
         pipeline,PL Daily Load,activities[\"Copy Orders\"].policy.secureOutput,true\n",
    );
    case.build(&["--config", "good.csv"]).exit(0);
    let params = common::json(&case.path(OUT).join(PARAMETERS));
    assert_eq!(params["parameters"]["retryCount"]["value"], 3);
    assert_eq!(params["parameters"]["secureOut"]["value"], true);
}

#[test]
fn parameter_type_error_names_the_parameter_and_its_type() {
    let case = example();
    template_with_typed_parameters(&case);
    case.config("bad.csv", "pipeline,PL Daily Load,activities[\"Copy Orders\"].policy.retry,three\n");
    case.build_fails(&["--config", "bad.csv"]).snap();
}

// ---------------------------------------------------------------------------------------------------------------
// Environment tokens and subexpressions

#[test]
fn unset_environment_variables_are_all_listed() {
    let case = example();
    case.config(
        "env.csv",
        "linkedService,LS_KeyVault,typeProperties.baseUrl,$Env:ADFC_TEST_A\n\
         linkedService,LS_ADLS,typeProperties.url,https://${Env:ADFC_TEST_B}.dfs.core.windows.net/\n\
         linkedService,LS_Rest,typeProperties.url,$($Env:ADFC_TEST_SET)\n\
         linkedService,LS_Sql,typeProperties.connectionString,$($env:ADFC_TEST_C)\n",
    );
    let run = case.fails(&build_args(&["--config", "env.csv"]), &[("ADFC_TEST_SET", "https://api.example.com/")]);
    run.snap();
    assert_eq!(run.count("error[config::env-unset]"), 3, "{}", run.stderr);

    // Unset in one file of several: still reported with that file's name.
    case.config("ok.csv", "linkedService,LS_KeyVault,typeProperties.baseUrl,https://kv/\n");
    case.fails(&build_args(&["--config", "ok.csv", "--config", "env.csv"]), &[]).snap();
}

#[test]
fn unset_environment_variable_names_the_object() {
    let case = example();
    case.config("env.csv", "linkedService,LS_KeyVault,typeProperties.baseUrl,$Env:ADFC_TEST_A\n");
    case.build_fails(&["--config", "env.csv"]).snap();
}

#[test]
fn subexpressions_are_refused_and_never_executed() {
    let case = example();
    let witness = case.path("pwned");
    let witness_abs = witness.display().to_string();
    case.config(
        "sub.csv",
        &format!(
            "linkedService,LS_KeyVault,typeProperties.baseUrl,$(Get-Date)\n\
             linkedService,LS_ADLS,typeProperties.url,$(touch {witness_abs})\n\
             linkedService,LS_Rest,typeProperties.url,\"x$(touch pwned)y\"\n"
        ),
    );
    let run = case.build_fails(&["--config", "sub.csv"]);
    run.snap();
    assert_eq!(run.count("error[config::subexpression]"), 3, "{}", run.stderr);
    assert!(!witness.exists(), "a $( … ) subexpression was executed");
    assert!(!adfc_root_file("pwned").exists(), "a $( … ) subexpression was executed in the repo root");
}

fn adfc_root_file(name: &str) -> PathBuf {
    common::root().join(name)
}

// ---------------------------------------------------------------------------------------------------------------
// JSON config form

#[test]
fn invalid_json_config() {
    let case = example();
    case.write(
        "config-prod.json",
        "{\n  \"LS_KeyVault\": [\n    {\"name\": \"$.properties.typeProperties.baseUrl\", \"value\": \"https://kv/\",}\n  ]\n}\n",
    );
    case.build_fails(&["--config", "config-prod.json"]).snap();
}

// ---------------------------------------------------------------------------------------------------------------
// Output folder

#[test]
fn out_dir_is_the_template_folder() {
    let case = example();
    for out in [".", "./", &case.dir.path().display().to_string()] {
        case.fails(&["build", "--template", TEMPLATE, "--out-dir", out], &[])
            .diag("error", "output::overwrite-input")
            .has(TEMPLATE)
            .has("--out-dir");
    }
    // Same folder spelled through the folder form of --template.
    case.fails(&["build", "--template", ".", "--out-dir", "."], &[]).snap();
}

#[test]
fn out_dir_is_the_parameters_folder() {
    let case = example();
    case.write("params/ARMTemplateParametersForFactory.json", std::fs::read(case.path(PARAMETERS)).unwrap());
    case.fails(
        &[
            "build",
            "--template",
            TEMPLATE,
            "--parameters",
            "params/ARMTemplateParametersForFactory.json",
            "--out-dir",
            "params",
        ],
        &[],
    )
    .snap();
}

#[test]
fn error_leaves_an_existing_out_dir_untouched() {
    let case = example();
    case.write("out/keep.txt", "previous release");
    case.write("out/ARMTemplateForFactory.json", "{\"previous\": true}");
    case.config("bad.csv", "linkedService,LS_KeyVault,typeProperties.baseUr,x\n");
    case.build_fails(&["--config", "bad.csv"]).snap();
    assert_eq!(listing(&case.path(OUT)), [TEMPLATE, "keep.txt"]);
    assert_eq!(std::fs::read_to_string(case.path("out/ARMTemplateForFactory.json")).unwrap(), "{\"previous\": true}");
}

// ---------------------------------------------------------------------------------------------------------------
// Stage lookup

#[test]
fn stage_config_in_the_template_folders_parent_is_found() {
    // SPEC §2: root defaults to the template's folder and its parent.
    let case = example();
    case.write("adf/ARMTemplateForFactory.json", case.template_text());
    case.config("deployment/config-x.csv", "linkedService,LS_KeyVault,typeProperties.baseUrl,https://kv-x/\n");
    let mut cmd = adfc();
    cmd.current_dir(case.path("adf")).args(["build", "--template", TEMPLATE, "--stage", "x", "--out-dir", "../out"]);
    let output = cmd.output().unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
}

#[test]
fn missing_stage_config_lists_distinct_folders() {
    let case = example();
    let run = case.build_fails(&["--stage", "nope"]);
    let note = run.stderr.lines().find(|l| l.contains("looked for")).expect("a `looked for` note").to_owned();
    let folders: Vec<&str> = note.split(" in: ").nth(1).expect("folder list").split(", ").collect();
    let mut distinct = folders.clone();
    distinct.sort();
    distinct.dedup();
    assert_eq!(folders.len(), distinct.len(), "{note}");
}

// ---------------------------------------------------------------------------------------------------------------
// Robustness: odd inputs fail with a diagnostic, never a panic

#[test]
fn odd_templates_fail_without_panic() {
    let templates = [
        "",
        "\u{feff}",
        "[]",
        "null",
        "\"text\"",
        "{\"resources\": {}}",
        "{\"resources\": [1, \"x\", null]}",
        "{\"resources\": [{}]}",
        "{\"resources\": [{\"name\": 5, \"type\": []}]}",
        "{\"resources\": [",
        "{\"resources\": [], \"x\": \"\\ud800\"",
        "\u{0}\u{1}binary",
    ];
    for text in templates {
        let case = example();
        case.write(TEMPLATE, text);
        let run = case.build_fails(&[]);
        assert!(run.stderr.contains(TEMPLATE), "{text:?}: the error names the template\n{}", run.stderr);
        case.fails(&["ls", "--template", TEMPLATE], &[]);
    }
}

#[test]
fn odd_configs_fail_without_panic() {
    let configs: [&[u8]; 12] = [
        b"",
        b"\xef\xbb\xbf",
        b"type,name,path,value\nlinkedService,LS_KeyVault,typeProperties.baseUrl,\xff\xfe\n",
        b"type,name,path,value\nlinkedService,LS_KeyVault,typeProperties[,x\n",
        b"type,name,path,value\nlinkedService,LS_KeyVault,typeProperties.baseUrl[99999999999999999999],x\n",
        b"type,name,path,value\npipeline,PL_Copy_Sales,activities[-1].name,x\n",
        b"type,name,path,value\nlinkedService,LS_KeyVault,$..[?(@.x==,x\n",
        b"type,name,path,value\nlinkedService,LS_KeyVault,typeProperties.baseUrl,$(\n",
        b"type,name,path,value\nlinkedService,LS_KeyVault,typeProperties.baseUrl.x.y,1\n",
        b"type,name,path,value\npipeline,*,activities[\"\"].name,x\n",
        b"type,name,path,value\nfactory,*,\"$.properties.globalParameters.retryCount.value\",NaN\n",
        b"type,name,path,value\r\nlinkedService,LS_KeyVault,\"typeProperties.\"\"baseUrl,x\r\n",
    ];
    for bytes in configs {
        let case = example();
        case.write("bad.csv", bytes);
        let run = case.build_fails(&["--config", "bad.csv"]);
        assert!(
            run.stderr.contains("bad.csv"),
            "{:?}: the error names the file\n{}",
            String::from_utf8_lossy(bytes),
            run.stderr
        );
    }
}

#[test]
fn usage_errors_exit_2() {
    let case = example();
    for args in [
        &["build"][..],
        &["build", "--template", TEMPLATE][..],
        &["ls"][..],
        &["ls", "--template", TEMPLATE, "--format", "xml"][..],
        &["frobnicate"][..],
    ] {
        let run = case.run(args, &[]);
        run.exit(2).has("error").lacks("error[");
        assert!(listing(&case.path(OUT)).is_empty());
    }
}

#[test]
fn a_bad_value_from_the_environment_is_not_echoed() {
    let case = example();
    case.config(
        "secret.csv",
        "pipeline,PL_Copy_Sales,\"activities[\"\"Copy Data\"\"].policy.retry\",$Env:ADFC_SECRET\n",
    );
    let run = case.fails(&build_args(&["--config", "secret.csv"]), &[("ADFC_SECRET", "hunter2-secret")]);
    run.snap();
    assert!(!run.stderr.contains("hunter2-secret"), "{}", run.stderr);
}

//! Build hardening (issue 9): secrets never enter the template body, references built from parameters,
//! all-or-nothing output, wrong input that must not pass silently, and counts that describe the output.
//! Each test builds in its own temporary copy of `fixtures/example`.

mod common;

use std::path::PathBuf;

use common::{Case, PARAMETERS, Run, TEMPLATE, adfc, json, listing, resource};
use serde_json::{Value, json};

/// Cases are copies of the example factory.
fn example() -> Case {
    Case::of("example")
}

impl Case {
    /// `adfc build --template ARMTemplateForFactory.json --out-dir out <extra>`.
    fn build(&self, extra: &[&str], env: &[(&str, &str)]) -> Run {
        let mut args = vec!["build", "--template", TEMPLATE, "--out-dir", "out"];
        args.extend_from_slice(extra);
        self.run(&args, env)
    }

    fn out(&self, rel: &str) -> Value {
        json(&self.path("out").join(rel))
    }

    fn out_text(&self, rel: &str) -> String {
        std::fs::read_to_string(self.path("out").join(rel)).expect("output file")
    }
}

impl Run {
    #[track_caller]
    fn ok(&self) -> &Self {
        assert_eq!(self.code, Some(0), "expected success\n{}", self.stderr);
        self
    }

    #[track_caller]
    fn fails(&self) -> &Self {
        assert_eq!(self.code, Some(2), "expected exit 2\n{}", self.stderr);
        self
    }

    #[track_caller]
    fn has(&self, needle: &str) -> &Self {
        assert!(self.stderr.contains(needle), "stderr lacks {needle:?}\n{}", self.stderr);
        self
    }

    #[track_caller]
    fn lacks(&self, needle: &str) -> &Self {
        assert!(!self.stderr.contains(needle), "stderr has {needle:?}\n{}", self.stderr);
        self
    }
}

fn linked_service<'t>(template: &'t Value, name: &str) -> &'t Value {
    &resource(template, "linkedServices", name)["properties"]["typeProperties"]
}

// ---------------------------------------------------------------------------------------------------------------
// Secrets (SPEC 2.8)

#[test]
fn a_secret_from_the_environment_goes_to_a_new_secure_parameter() {
    let case = example();
    case.config("c.csv", "linkedService,LS_Blob,+typeProperties.accountKey,\"$($Env:BLOB_KEY)\"");
    let run = case.build(&["--config", "c.csv"], &[("BLOB_KEY", "k3y-from-env")]);
    run.ok().has("LS_Blob_properties_typeProperties_accountKey").lacks("k3y-from-env");
    let param = "LS_Blob_properties_typeProperties_accountKey";
    let t = case.out(TEMPLATE);
    assert_eq!(linked_service(&t, "LS_Blob")["accountKey"], format!("[parameters('{param}')]"));
    assert_eq!(t["parameters"][param], json!({"type": "secureString"}));
    assert_eq!(case.out(PARAMETERS)["parameters"][param]["value"], "k3y-from-env");
    assert!(!case.out_text(TEMPLATE).contains("k3y-from-env"));
}

#[test]
fn inline_never_applies_to_secrets_but_allow_secrets_in_template_does() {
    let case = example();
    case.config("c.csv", "linkedService,LS_Sql,typeProperties.connectionString,Server=prod;Password=p4ss");
    case.build(&["--config", "c.csv", "--inline"], &[]).ok();
    assert_eq!(
        linked_service(&case.out(TEMPLATE), "LS_Sql")["connectionString"],
        "[parameters('LS_Sql_connectionString')]"
    );
    assert_eq!(case.out(PARAMETERS)["parameters"]["LS_Sql_connectionString"]["value"], "Server=prod;Password=p4ss");

    let run = case.build(&["--config", "c.csv", "--inline", "--allow-secrets-in-template"], &[]);
    run.ok().has("warning[config::secret-in-template]");
    assert_eq!(linked_service(&case.out(TEMPLATE), "LS_Sql")["connectionString"], "Server=prod;Password=p4ss");
}

#[test]
fn overriding_a_shared_secure_parameter_declares_a_new_one() {
    let case = example();
    // LS_Sql and LS_Blob both read LS_Sql_connectionString: it is not a parameter used only there.
    case.edit_template(|t| {
        let blob = t["resources"]
            .as_array_mut()
            .expect("resources")
            .iter_mut()
            .find(|r| r["name"].as_str().is_some_and(|n| n.contains("/LS_Blob'")))
            .expect("LS_Blob");
        blob["properties"]["typeProperties"]["connectionString"] = json!("[parameters('LS_Sql_connectionString')]");
    });
    case.config("c.csv", "linkedService,LS_Sql,typeProperties.connectionString,Server=prod");
    case.build(&["--config", "c.csv"], &[]).ok().lacks("expression-replaced");
    let t = case.out(TEMPLATE);
    let new = "LS_Sql_properties_typeProperties_connectionString";
    assert_eq!(linked_service(&t, "LS_Sql")["connectionString"], format!("[parameters('{new}')]"));
    assert_eq!(linked_service(&t, "LS_Blob")["connectionString"], "[parameters('LS_Sql_connectionString')]");
    assert_eq!(case.out(PARAMETERS)["parameters"][new]["value"], "Server=prod");
}

#[test]
fn new_parameter_names_are_made_unique() {
    let case = example();
    case.edit_template(|t| {
        t["parameters"]["LS_Rest_properties_typeProperties_password"] = json!({"type": "string", "defaultValue": "x"});
    });
    case.config("c.csv", "linkedService,LS_Rest,+typeProperties.password,hunter2");
    case.build(&["--config", "c.csv"], &[]).ok();
    let name = "LS_Rest_properties_typeProperties_password_2";
    assert_eq!(linked_service(&case.out(TEMPLATE), "LS_Rest")["password"], format!("[parameters('{name}')]"));
    assert_eq!(case.out(PARAMETERS)["parameters"][name]["value"], "hunter2");
}

#[test]
fn secrets_of_objects_that_are_not_deployed_leave_no_parameter() {
    let case = example();
    case.config("c.csv", "linkedService,LS_Rest,+typeProperties.password,hunter2");
    case.build(&["--config", "c.csv", "--exclude", "linkedService.LS_Rest"], &[]).ok();
    let name = "LS_Rest_properties_typeProperties_password";
    assert!(case.out(TEMPLATE)["parameters"].get(name).is_none());
    assert!(case.out(PARAMETERS)["parameters"].get(name).is_none());
}

#[test]
fn a_bad_value_for_a_secret_is_not_echoed() {
    let case = example();
    case.config("c.csv", "linkedService,LS_Blob,typeProperties.encryptedCredential,{\"no\": \"object\"");
    case.edit_template(|t| {
        let blob = t["resources"]
            .as_array_mut()
            .expect("resources")
            .iter_mut()
            .find(|r| r["name"].as_str().is_some_and(|n| n.contains("/LS_Blob'")))
            .expect("LS_Blob");
        blob["properties"]["typeProperties"]["encryptedCredential"] = json!({"k": 1});
    });
    case.build(&["--config", "c.csv"], &[]).fails().has("is a secret and is not shown").lacks("\"no\"");
}

// ---------------------------------------------------------------------------------------------------------------
// References whose name is an ARM expression

fn tara() -> Option<PathBuf> {
    common::corpus().map(|c| c.join("Tara-Morovatdar__KNAUF_RNA_LAB"))
}

#[test]
fn references_through_parameters_are_resolved_for_selection() {
    let Some(tara) = tara() else { return };
    let out = tempfile::tempdir().expect("tempdir");
    let args = |strict: bool| {
        let mut cmd = adfc();
        cmd.args(["build", "--template"]).arg(&tara).arg("--out-dir").arg(out.path());
        cmd.args(["--exclude", "integrationRuntime.StandardIntegrationRuntime"]);
        if strict {
            cmd.arg("--strict-dependencies");
        }
        cmd.output().expect("run")
    };
    let strict = args(true);
    let stderr = String::from_utf8_lossy(&strict.stderr);
    assert_eq!(strict.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("use integrationRuntime.StandardIntegrationRuntime, which is not deployed"), "{stderr}");

    let lenient = args(false);
    assert!(lenient.status.success(), "{}", String::from_utf8_lossy(&lenient.stderr));
    let text = std::fs::read_to_string(out.path().join(TEMPLATE)).expect("output");
    let template: Value = serde_json::from_str(&text).expect("json");
    for r in template["resources"].as_array().expect("resources") {
        for entry in r["dependsOn"].as_array().into_iter().flatten() {
            let entry = entry.as_str().unwrap_or("");
            assert!(!entry.contains("/integrationRuntimes/', parameters('RNASA01"), "dangling dependsOn {entry}");
        }
    }
}

#[test]
fn ls_lists_parameter_references_resolved_and_names_malformed_resources() {
    let Some(tara) = tara() else { return };
    let out = adfc().args(["ls", "--template"]).arg(&tara).output().expect("run");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stdout
            .lines()
            .any(|l| l.contains("RNASA01_LKSVC01") && l.contains("integrationRuntime.StandardIntegrationRuntime"))
    );
    assert!(stdout.contains("# kept untouched (its name cannot be read)"), "{stdout}");
    assert!(!stdout.contains("not an ADF object"), "{stdout}");
    assert!(stderr.contains("the expression does not parse"), "{stderr}");
}

#[test]
fn a_value_for_the_reference_parameter_changes_the_reference() {
    // The parameters file (or a config row) sets which integration runtime the linked services use.
    let case = example();
    case.edit_template(|t| {
        t["parameters"]["LS_Rest_connectVia"] = json!({"type": "string", "defaultValue": "ir-selfhosted"});
        let rest = t["resources"]
            .as_array_mut()
            .expect("resources")
            .iter_mut()
            .find(|r| r["name"].as_str().is_some_and(|n| n.contains("/LS_Rest'")))
            .expect("LS_Rest");
        rest["properties"]["connectVia"] =
            json!({"referenceName": "[parameters('LS_Rest_connectVia')]", "type": "IntegrationRuntimeReference"});
    });
    let ls = case.run(&["ls", "--template", TEMPLATE, "--format", "json"], &[]);
    let listing: Value = serde_json::from_str(&ls.stdout).expect("json");
    let rest =
        listing["objects"].as_array().expect("objects").iter().find(|o| o["name"] == "LS_Rest").expect("LS_Rest");
    assert!(rest["references"].as_array().expect("refs").contains(&json!("integrationRuntime.ir-selfhosted")));
    // A parameter with no value is a dynamic reference, warned about when runtimes are excluded.
    case.edit_template(|t| {
        t["parameters"]["LS_Rest_connectVia"] = json!({"type": "string"});
    });
    case.build(&["--exclude", "integrationRuntime.ir-managed-vnet"], &[])
        .ok()
        .has("warning[select::dynamic-reference]");
    case.build(&["--exclude", "pipeline.PL_Dev_Debug"], &[]).ok().lacks("select::dynamic-reference");
}

// ---------------------------------------------------------------------------------------------------------------
// Output is all or nothing

#[test]
fn two_outputs_with_one_name_are_refused_before_anything_is_written() {
    let case = example();
    case.write("a/t.json", std::fs::read(case.path(TEMPLATE)).expect("read"));
    case.write("b/t.json", std::fs::read(case.path(PARAMETERS)).expect("read"));
    let run = case.run(&["build", "--template", "a/t.json", "--parameters", "b/t.json", "--out-dir", "out"], &[]);
    run.fails().has("error[output::duplicate]").has("nothing written");
    assert!(listing(&case.path("out")).is_empty());
}

#[test]
fn nothing_is_replaced_unless_everything_can_be() {
    let case = example();
    case.build(&[], &[]).ok();
    let before = case.out_text(TEMPLATE);
    std::fs::remove_file(case.path("out").join(PARAMETERS)).expect("rm");
    std::fs::create_dir(case.path("out").join(PARAMETERS)).expect("mkdir");
    case.config("c.csv", "linkedService,LS_Rest,typeProperties.url,https://changed/");
    case.build(&["--config", "c.csv"], &[]).fails().has("it is a folder");
    assert_eq!(case.out_text(TEMPLATE), before, "the template was replaced although the build failed");
}

#[cfg(unix)]
#[test]
fn output_files_get_the_umask_mode() {
    use std::os::unix::fs::PermissionsExt;
    let case = example();
    let status = std::process::Command::new("sh")
        .current_dir(case.dir.path())
        .arg("-c")
        .arg(format!("umask 022; exec '{}' build --template {TEMPLATE} --out-dir out", env!("CARGO_BIN_EXE_adfc")))
        .status()
        .expect("sh");
    assert!(status.success());
    let mode = std::fs::metadata(case.path("out").join(TEMPLATE)).expect("stat").permissions().mode();
    assert_eq!(mode & 0o777, 0o644);
}

#[test]
fn the_linked_layout_is_written_under_linked_templates_whatever_the_template_form() {
    let Some(corpus) = common::corpus() else { return };
    let factory = corpus.join("mamaejim__CustomeTemplate");
    for given in
        [factory.clone(), factory.join("linkedTemplates"), factory.join("linkedTemplates/ArmTemplate_master.json")]
    {
        let out = tempfile::tempdir().expect("tempdir");
        let run =
            adfc().args(["build", "--template"]).arg(&given).arg("--out-dir").arg(out.path()).output().expect("run");
        assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
        assert!(out.path().join("linkedTemplates/ArmTemplate_master.json").is_file(), "{}", given.display());
        assert!(out.path().join("linkedTemplates/ArmTemplateParameters_master.json").is_file(), "{}", given.display());
    }
}

// ---------------------------------------------------------------------------------------------------------------
// Input that is wrong must not pass silently

#[test]
fn duplicate_keys_are_errors_at_the_second_key() {
    let case = example();
    let template = std::fs::read_to_string(case.path(TEMPLATE)).expect("read");
    case.write(
        TEMPLATE,
        template.replacen(
            "\"contentVersion\": \"1.0.0.0\",",
            "\"contentVersion\": \"1.0.0.0\",\n\t\"contentVersion\": \"2.0.0.0\",",
            1,
        ),
    );
    case.build(&[], &[])
        .fails()
        .has("duplicate key `contentVersion`")
        .has(&format!("{TEMPLATE}:4:2"))
        .has("the first is on line 3");

    let case = example();
    case.write(
        PARAMETERS,
        "{\"parameters\": {\"factoryName\": {\"value\": \"a\"},\n\"factoryName\": {\"value\": \"b\"}}}",
    );
    case.build(&[], &[]).fails().has("error[parameters::json]").has(&format!("{PARAMETERS}:2:1"));

    let case = example();
    case.write("c.json", "{\"LS_Rest\": [{\"name\": \"typeProperties.url\", \"name\": \"x\", \"value\": \"y\"}]}");
    case.build(&["--config", "c.json"], &[]).fails().has("error[config::json]").has("duplicate key `name`");
}

#[test]
fn a_selection_that_deploys_nothing_is_an_error() {
    let case = example();
    case.build(&["--include", "pipeline.Nope*"], &[]).fails().has("error[select::nothing-deployed]");
}

#[test]
fn rows_may_not_change_identity_or_depends_on() {
    let case = example();
    for path in ["$.name", "$.type", "-$.apiVersion", "$.dependsOn", "+$.dependsOn[0]"] {
        case.config("c.csv", &format!("linkedService,LS_Rest,\"{path}\",x"));
        case.build(&["--config", "c.csv"], &[]).fails().has("error[config::protected-property]");
    }
}

#[test]
fn a_path_that_repeats_properties_is_refused_with_a_hint() {
    let case = example();
    case.config("c.csv", "linkedService,LS_Rest,+properties.typeProperties.url,https://x/");
    case.build(&["--config", "c.csv"], &[])
        .fails()
        .has("error[config::properties-prefix]")
        .has("write `typeProperties.url` or `$.properties.typeProperties.url`");
}

#[test]
fn parameters_the_template_does_not_declare_are_a_warning() {
    let case = example();
    let params = std::fs::read_to_string(case.path(PARAMETERS)).expect("read");
    case.write(
        PARAMETERS,
        params.replacen("\"parameters\": {", "\"parameters\": {\n\t\t\"ghost\": {\"value\": 1},", 1),
    );
    case.build(&[], &[]).ok().has("warning[parameters::undeclared]").has("`ghost`");
}

#[test]
fn factory_name_is_not_set_for_a_template_without_the_parameter() {
    let case = example();
    case.edit_template(|t| {
        t["parameters"].as_object_mut().expect("parameters").remove("factoryName");
    });
    case.build(&["--factory-name", "adf-prod"], &[]).ok().has("--factory-name `adf-prod` is ignored");
    assert_eq!(case.out(PARAMETERS)["parameters"]["factoryName"]["value"], "adf-example-dev");
}

#[test]
fn two_config_files_for_one_stage_are_an_error_naming_both() {
    let case = example();
    case.config("deployment/config-prod.csv", "");
    case.write("deployment/config-prod.json", "{}");
    case.build(&["--stage", "prod"], &[])
        .fails()
        .has("error[input::stage-conflict]")
        .has("config-prod.csv")
        .has("config-prod.json");
}

#[test]
fn minified_json_errors_show_a_window_not_the_whole_line() {
    let case = example();
    let template: Value = json(&case.path(TEMPLATE));
    let mut minified = serde_json::to_string(&template).expect("json");
    let at = minified.find("\"LS_Rest\"").unwrap_or(minified.len() / 2);
    minified.insert(at, '#');
    case.write(TEMPLATE, minified);
    let run = case.build(&[], &[]);
    run.fails().has("error[template::json]");
    let longest = run.stderr.lines().map(|l| l.chars().count()).max().unwrap_or(0);
    assert!(longest < 200, "a line of {longest} characters:\n{}", run.stderr);
}

#[test]
fn many_errors_of_one_code_are_summarised_and_the_run_ends_with_one_line() {
    let case = example();
    let rows: Vec<String> = (0..60).map(|i| format!("linkedService,LS_Nope{i},typeProperties.url,x")).collect();
    case.config("c.csv", &rows.join("\n"));
    let run = case.build(&["--config", "c.csv"], &[]);
    run.fails().has("… and 10 more error[config::object-not-found]");
    assert_eq!(run.stderr.matches("error[config::object-not-found]").count(), 51, "50 shown, one summary line");
    assert_eq!(run.stderr.lines().last(), Some("adfc: 60 errors, nothing written"));
}

#[test]
fn a_syntax_error_does_not_hide_lookup_errors_of_other_rows() {
    let case = example();
    case.config("c.csv", "linkedService,LS_Rest,typeProperties:url,x\nlinkedService,LS_Nope,typeProperties.url,x\nlinkedService,LS_Rest,typeProperties.ur,x");
    case.build(&["--config", "c.csv"], &[])
        .fails()
        .has("error[config::path-syntax]")
        .has("error[config::object-not-found]")
        .has("error[config::path-not-found]");
    case.write("r.rules", "+bogus.X\n+pipeline.Nope_*\n-nodot\n");
    case.build(&["--rules", "r.rules"], &[])
        .fails()
        .has("error[rules::unknown-type]")
        .has("error[rules::syntax]")
        .has("warning[rules::unused]");
}

#[test]
fn csv_in_utf16_or_with_semicolons_gets_one_error_saying_so() {
    let case = example();
    let text = "type\tname\tpath\tvalue\r\nlinkedService\tLS_Rest\ttypeProperties.url\tx\r\n";
    let mut utf16 = vec![0xff, 0xfe];
    utf16.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    case.write("u.csv", utf16);
    let run = case.build(&["--config", "u.csv"], &[]);
    run.fails().has("UTF-16");
    assert_eq!(run.stderr.matches("error[").count(), 1, "{}", run.stderr);

    case.write("s.csv", "type;name;path;value\nlinkedService;LS_Rest;typeProperties.url;x\nlinkedService;LS_Sql;a;b\n");
    let run = case.build(&["--config", "s.csv"], &[]);
    run.fails().has("uses `;` as the separator");
    assert_eq!(run.stderr.matches("error[").count(), 1, "{}", run.stderr);
}

#[test]
fn environment_tokens_ignore_case_when_one_variable_matches() {
    let case = example();
    case.config(
        "c.csv",
        "linkedService,LS_Rest,typeProperties.url,$Env:service_account_name\nlinkedService,LS_KeyVault,typeProperties.baseUrl,$Env:Service_account_name",
    );
    case.build(&["--config", "c.csv"], &[("SERVICE_ACCOUNT_NAME", "https://sa/")]).ok();
    assert_eq!(linked_service(&case.out(TEMPLATE), "LS_Rest")["url"], "https://sa/");
    case.build(&["--config", "c.csv"], &[("SERVICE_ACCOUNT_NAME", "a"), ("Service_Account_Name", "b")])
        .fails()
        .has("error[config::env-ambiguous]")
        .has("SERVICE_ACCOUNT_NAME, Service_Account_Name");
}

#[test]
fn exclude_accepts_a_leading_minus() {
    let case = example();
    case.build(&["--exclude", "-pipeline.PL_Dev_Debug"], &[]).ok();
    assert!(!case.out_text(TEMPLATE).contains("/PL_Dev_Debug'"));
}

#[test]
fn allowed_missing_objects_do_not_suggest_allowing_them() {
    let case = example();
    case.config("c.csv", "linkedService,LS_Nope,typeProperties.url,x");
    case.build(&["--config", "c.csv", "--allow-missing-objects"], &[])
        .ok()
        .has("warning[config::object-not-found]")
        .lacks("use --allow-missing-objects");
}

#[test]
fn a_missing_linked_part_is_reported_at_the_master_line() {
    let Some(corpus) = common::corpus() else { return };
    let case = example();
    let source = corpus.join("hmcts__vh-reports/vh-datafactory-dev/linkedTemplates");
    for name in ["ArmTemplate_master.json", "ArmTemplate_0.json", "ArmTemplateParameters_master.json"] {
        case.write(&format!("lt/{name}"), std::fs::read(source.join(name)).expect("read"));
    }
    let run = case.run(&["build", "--template", "lt", "--out-dir", "out"], &[]);
    run.fails().has("ArmTemplate_1.json").has("lt/ArmTemplate_master.json:").has("deployed here");
}

// ---------------------------------------------------------------------------------------------------------------
// Counts and options

#[test]
fn the_summary_counts_what_the_output_contains() {
    let case = example();
    // Row 2 sets the value the template already has; row 3 feeds a parameter that exclusion prunes.
    case.config(
        "c.csv",
        "linkedService,LS_Rest,typeProperties.url,https://api-dev.example.com/v1/\n\
         linkedService,LS_ADLS,typeProperties.url,https://prod.dfs.core.windows.net/\n\
         linkedService,LS_KeyVault,typeProperties.baseUrl,https://kv-prod/",
    );
    let run = case.build(&["--config", "c.csv", "--exclude", "linkedService.LS_ADLS", "--format", "json"], &[]);
    run.ok();
    let summary: Value = serde_json::from_str(&run.stdout).expect("json summary");
    assert_eq!(summary["rows"]["unchanged"], json!(["c.csv:2"]));
    assert_eq!(summary["parameters"]["set"], 1, "{}", run.stdout);
    assert_eq!(summary["objects"]["changed"], 1);
    let text = case.build(&["--config", "c.csv", "--exclude", "linkedService.LS_ADLS"], &[]);
    text.ok().has("1 row changed nothing, their values were already in place: c.csv:2").has("1 value written");
}

#[test]
fn no_expression_warnings_for_objects_that_are_not_deployed() {
    let case = example();
    case.config("c.csv", "linkedService,LS_Databricks*,typeProperties.domain,https://adb-prod/");
    case.build(&["--config", "c.csv"], &[]).ok().has("config::expression-replaced");
    case.build(&["--config", "c.csv", "--exclude", "linkedService.LS_Databricks*"], &[])
        .ok()
        .lacks("expression-replaced");
}

#[test]
fn a_factory_row_without_a_factory_resource_says_so() {
    let case = example();
    case.edit_template(|t| {
        t["resources"].as_array_mut().expect("resources").retain(|r| r["type"] != "Microsoft.DataFactory/factories");
    });
    case.config("c.csv", "factory,*,\"$.properties.globalParameters.envName.value\",prod");
    case.build(&["--config", "c.csv"], &[])
        .fails()
        .has("the template has no factory resource")
        .lacks("always matches it");
}

#[test]
fn keep_unused_parameters_opts_out_of_pruning() {
    let case = example();
    case.config("c.csv", "linkedService,LS_Databricks*,typeProperties.domain,https://adb-prod/");
    case.build(&["--config", "c.csv"], &[]).ok().has("removed unused parameters");
    let param = "LS_Databricks_properties_typeProperties_domain";
    assert!(case.out(TEMPLATE)["parameters"].get(param).is_none());
    case.build(&["--config", "c.csv", "--keep-unused-parameters"], &[]).ok().lacks("removed unused parameters");
    assert!(case.out(TEMPLATE)["parameters"].get(param).is_some());
    assert!(case.out(PARAMETERS)["parameters"].get(param).is_some());
}

#[test]
fn build_format_json_describes_the_build() {
    let case = example();
    case.config("c.csv", "linkedService,LS_KeyVault,typeProperties.baseUrl,https://kv-prod/\nlinkedService,LS_Blob,+typeProperties.accountKey,s3cret");
    let run = case.build(&["--config", "c.csv", "--format", "json"], &[]);
    run.ok();
    assert!(!run.stdout.contains("s3cret"), "a secret in the summary");
    let summary: Value = serde_json::from_str(&run.stdout).expect("json");
    assert_eq!(summary["version"], 1);
    assert_eq!(summary["factory"], "adf-example-dev");
    assert_eq!(
        summary["files"][0],
        json!({"name": TEMPLATE, "role": "template", "bytes": case.out_text(TEMPLATE).len()})
    );
    assert_eq!(
        summary["changes"][0],
        json!({
            "object": "linkedService.LS_KeyVault",
            "path": "typeProperties.baseUrl",
            "action": "update",
            "origin": "c.csv:2",
            "writtenTo": "parameter",
            "parameter": "LS_KeyVault_properties_typeProperties_baseUrl"
        })
    );
    assert_eq!(summary["changes"][1]["writtenTo"], "newParameter");
    assert_eq!(summary["parameters"]["added"], json!(["LS_Blob_properties_typeProperties_accountKey"]));
    assert_eq!(summary["objects"]["total"], 33);
}

#[test]
fn big_builds_summarise_files_and_group_warnings() {
    let Some(corpus) = common::corpus() else { return };
    let linked = corpus.join("mamaejim__CustomeTemplate");
    let out = tempfile::tempdir().expect("tempdir");
    let run = adfc().args(["build", "--template"]).arg(&linked).arg("--out-dir").arg(out.path()).output().expect("run");
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(run.status.success(), "{stderr}");
    let wrote = stderr.lines().find(|l| l.contains("wrote ")).expect("a wrote line");
    assert!(wrote.contains("files (master, ") && wrote.contains(" parts, parameters"), "{wrote}");
    let verbose =
        adfc().args(["build", "-v", "--template"]).arg(&linked).arg("--out-dir").arg(out.path()).output().expect("run");
    let stderr = String::from_utf8_lossy(&verbose.stderr);
    assert!(stderr.contains("linkedTemplates/ArmTemplate_0.json, linkedTemplates/ArmTemplate_1.json"), "{stderr}");
}

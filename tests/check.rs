//! `adfc check` (issue 12): one scenario per diagnostic code, snapshotted as users see it; the machine
//! formats on one multi-error input (SARIF checked against the 2.1.0 schema's required fields); the compat
//! suite's deployment folder; the pre-commit hook's entry; exit codes.

mod common;

use adfc::Code;
use common::{Case, PARAMETERS, Run, TEMPLATE, adfc};
use serde_json::{Value, json};

/// Cases are copies of `fixtures/check`.
fn case() -> Case {
    Case::of("check")
}

impl Case {
    fn edit(&self, edit: impl FnOnce(&mut Value)) -> &Self {
        self.edit_template(edit);
        self
    }

    fn check(&self, extra: &[&str]) -> Run {
        let mut args = vec!["check", "--template", TEMPLATE];
        args.extend_from_slice(extra);
        self.run(&args, &[])
    }
}

/// The resource of `kind` named `name` in a template.
fn resource<'v>(t: &'v mut Value, kind: &str, name: &str) -> &'v mut Value {
    let suffix = format!("'/{name}')]");
    t["resources"]
        .as_array_mut()
        .expect("resources")
        .iter_mut()
        .find(|r| {
            r["type"].as_str().is_some_and(|ty| ty.ends_with(kind))
                && r["name"].as_str().is_some_and(|n| n.ends_with(&suffix))
        })
        .unwrap_or_else(|| panic!("no {kind} {name}"))
}

fn push_resource(t: &mut Value, resource: Value) {
    t["resources"].as_array_mut().expect("resources").push(resource);
}

fn adf(kind: &str, name: &str, properties: Value) -> Value {
    json!({
        "name": format!("[concat(parameters('factoryName'), '/{name}')]"),
        "type": format!("Microsoft.DataFactory/factories/{kind}"),
        "apiVersion": "2018-06-01",
        "properties": properties,
        "dependsOn": []
    })
}

/// How a scenario runs and what it is expected to end with.
struct Scenario {
    code: &'static str,
    exit: i32,
    run: Setup,
}

/// What a scenario does.
enum Setup {
    /// `check` with stage prod's config file made of these rows.
    Rows(&'static str),
    /// Anything else.
    Run(fn(&Case) -> Run),
}

impl Setup {
    fn run(&self, case: &Case) -> Run {
        match self {
            Setup::Rows(rows) => {
                case.config("deployment/config-prod.csv", rows);
                case.check(&[])
            }
            Setup::Run(run) => run(case),
        }
    }
}

/// A scenario that runs `body` (a closure that captures nothing).
fn custom(code: &'static str, exit: i32, body: fn(&Case) -> Run) -> Scenario {
    Scenario { code, exit, run: Setup::Run(body) }
}

/// A scenario that checks stage prod's config file made of `rows`.
fn rows(code: &'static str, exit: i32, rows: &'static str) -> Scenario {
    Scenario { code, exit, run: Setup::Rows(rows) }
}

fn build_args<'a>(extra: &[&'a str]) -> Vec<&'a str> {
    let mut args = vec!["build", "-t", TEMPLATE, "-o", "out"];
    args.extend_from_slice(extra);
    args
}

fn scenarios() -> Vec<Scenario> {
    vec![
        custom("input::read", 2, |c| c.check(&["deployment/config-nope.csv"])),
        custom("input::encoding", 2, |c| {
            c.write(
                "deployment/config-prod.csv",
                b"type,name,path,value\nlinkedService,LS_Rest,typeProperties.url,caf\xe9\n",
            );
            c.check(&[])
        }),
        custom("input::no-template", 2, |c| {
            std::fs::create_dir_all(c.path("empty")).expect("mkdir");
            c.run(&["check", "--template", "empty"], &[])
        }),
        custom("input::no-stage-config", 2, |c| c.run(&build_args(&["--stage", "prod"]), &[])),
        custom("input::stage-conflict", 2, |c| {
            c.config("deployment/config-prod.csv", "");
            c.write("deployment/config-prod.json", "{}");
            c.run(&build_args(&["--stage", "prod"]), &[])
        }),
        custom("export::json", 2, |c| {
            git_folder(c);
            c.write("factory/dataset/DS_Orders.json", "{\"name\": \"DS_Orders\", \"properties\": {,}}");
            c.run(&["check", "--factory-dir", "factory"], &[])
        }),
        custom("template::json", 2, |c| {
            let text = std::fs::read_to_string(c.path(TEMPLATE)).expect("read");
            c.write(TEMPLATE, text.replacen("\"contentVersion\"", "\"x\" \"y\",\n\t\"contentVersion\"", 1));
            c.check(&[])
        }),
        custom("template::no-resources", 2, |c| {
            c.write(TEMPLATE, "{\"parameters\": {}}");
            c.check(&[])
        }),
        custom("template::resource", 2, |c| {
            c.edit(|t| push_resource(t, json!({"name": "x", "properties": {}})));
            c.check(&[])
        }),
        custom("template::malformed-name", 0, |c| {
            c.edit(|t| {
                let mut ir = adf("integrationRuntimes", "IR_X", json!({"type": "SelfHosted"}));
                ir["name"] = json!("[concat(parameters(factoryName), /IR_X)]");
                push_resource(t, ir);
            });
            c.check(&[])
        }),
        custom("template::not-adf", 0, |c| {
            c.edit(|t| {
                let storage = json!({"name": "stexample", "type": "Microsoft.Storage/storageAccounts", "apiVersion": "2023-01-01"});
                push_resource(t, storage);
            });
            c.check(&[])
        }),
        custom("parameters::json", 2, |c| {
            c.write(PARAMETERS, "{\"parameters\": [1]}");
            c.check(&[])
        }),
        custom("parameters::undeclared", 0, |c| {
            c.write(PARAMETERS, "{\n\t\"parameters\": {\n\t\t\"factoryName\": {\"value\": \"adf-check-dev\"},\n\t\t\"ghost\": {\"value\": 1}\n\t}\n}");
            c.check(&[])
        }),
        custom("config::empty-file", 1, |c| {
            c.write("deployment/config-prod.csv", "\n");
            c.check(&[])
        }),
        custom("config::header", 1, |c| {
            c.write("deployment/config-prod.csv", "type;name;path;value\nlinkedService;LS_Rest;typeProperties.url;x\n");
            c.check(&[])
        }),
        rows("config::field-count", 1, "linkedService,LS_Rest,typeProperties.url"),
        rows("config::empty-field", 1, "linkedService,,typeProperties.url,https://x/"),
        rows("config::unterminated-quote", 1, "linkedService,\"LS_Rest,typeProperties.url,https://x/"),
        rows("config::unknown-type", 1, "linkedservices,LS_Rest,typeProperties.url,https://x/"),
        rows("config::bad-pattern", 1, "linkedService,LS_[z-a],typeProperties.url,https://x/"),
        rows("config::path-syntax", 1, "linkedService,LS_Rest,typeProperties:url,https://x/"),
        rows("config::object-not-found", 1, "linkedService,LS_Rst,typeProperties.url,https://x/"),
        custom("config::ambiguous-name", 1, |c| {
            c.edit(|t| push_resource(t, adf("datasets", "LS_Rest", json!({"type": "Json", "typeProperties": {}}))));
            c.write(
                "deployment/config-prod.json",
                "{\"LS_Rest\": [{\"name\": \"typeProperties.url\", \"value\": \"https://x/\"}]}",
            );
            c.check(&[])
        }),
        rows("config::path-not-found", 1, "linkedService,LS_Rest,typeProperties.ur,https://x/"),
        rows("config::jsonpath", 1, "pipeline,PL_Load,\"$.properties.activities[?(@.type=='Copy'\",1"),
        rows("config::protected-property", 1, "pipeline,PL_Load,$.apiVersion,2020-01-01"),
        rows("config::properties-prefix", 1, "linkedService,LS_Rest,+properties.typeProperties.url,https://x/"),
        rows("config::bad-value", 1, "pipeline,PL_Load,activities[\"Wait\"].typeProperties.waitTimeInSeconds,soon"),
        rows("config::empty-value", 0, "linkedService,LS_Rest,typeProperties.url,"),
        rows("config::env-unset", 0, "linkedService,LS_Rest,typeProperties.url,$Env:ADFC_CHECK_URL"),
        custom("config::env-ambiguous", 1, |c| {
            c.config("deployment/config-prod.csv", "linkedService,LS_Rest,typeProperties.url,$Env:api_url");
            c.write("prod.env", "API_URL=https://a/\nApi_Url=https://b/\n");
            c.check(&["--env-file", "prod.env"])
        }),
        rows("config::subexpression", 1, "linkedService,LS_Rest,typeProperties.url,$(Invoke-WebRequest x)"),
        custom("config::json", 1, |c| {
            c.write("deployment/config-prod.json", "{\"LS_Rest\": {\"name\": \"typeProperties.url\"}}");
            c.check(&[])
        }),
        custom("config::secret-in-template", 0, |c| {
            c.config("c.csv", "linkedService,LS_Rest,+typeProperties.password,$Env:ADFC_PASSWORD");
            c.run(&build_args(&["-c", "c.csv", "--allow-secrets-in-template"]), &[("ADFC_PASSWORD", "p4ssw0rd")])
        }),
        rows("config::literal-secret", 0, "linkedService,LS_Rest,+typeProperties.password,p4ssw0rd"),
        rows(
            "config::overwritten",
            0,
            "linkedService,LS_Rest,typeProperties.url,https://a/\nlinkedService,LS_Rest,typeProperties.url,https://b/",
        ),
        custom("config::expression-replaced", 0, |c| {
            c.edit(|t| {
                t["parameters"]["containerName"] = json!({"type": "string", "defaultValue": "items"});
                let ds = resource(t, "datasets", "DS_Items");
                ds["properties"]["typeProperties"]["location"]["container"] =
                    json!("[concat(parameters('containerName'), '-in')]");
            });
            c.config("deployment/config-prod.csv", "dataset,DS_Items,typeProperties.location.container,prod-items");
            c.check(&[])
        }),
        custom("template::limit-size", 0, |c| {
            c.edit(|t| {
                resource(t, "linkedServices", "LS_Rest")["properties"]["description"] = json!("x".repeat(4 << 20))
            });
            c.check(&[])
        }),
        custom("template::limit-parameters", 0, |c| {
            c.edit(|t| {
                for i in 0..256 {
                    t["parameters"][format!("p{i}")] = json!({"type": "string", "defaultValue": ""});
                }
            });
            c.check(&[])
        }),
        custom("template::limit-resources", 0, |c| {
            c.edit(|t| {
                for i in 0..800 {
                    push_resource(
                        t,
                        adf("datasets", &format!("DS_{i}"), json!({"type": "Json", "typeProperties": {}})),
                    );
                }
            });
            c.check(&[])
        }),
        custom("template::limit-outputs", 0, |c| {
            c.edit(|t| {
                for i in 0..65 {
                    t["outputs"][format!("o{i}")] = json!({"type": "string", "value": "x"});
                }
            });
            c.check(&[])
        }),
        custom("rules::syntax", 1, |c| {
            c.write("deployment/prod.rules", "+pipeline.PL_*\n-trigger\n");
            c.check(&[])
        }),
        custom("rules::unknown-type", 1, |c| {
            c.write("deployment/prod.rules", "-pipelin.PL_Main\n");
            c.check(&[])
        }),
        custom("rules::unused", 0, |c| {
            c.write("deployment/prod.rules", "-pipeline.PL_Old*\n");
            c.check(&[])
        }),
        custom("select::missing-dependency", 0, |c| {
            c.write("deployment/prod.rules", "-linkedService.LS_Blob\n");
            c.check(&[])
        }),
        custom("select::nothing-deployed", 1, |c| {
            c.write("deployment/prod.rules", "+pipeline.PL_Nope\n");
            c.check(&[])
        }),
        custom("select::dynamic-reference", 0, |c| {
            c.edit(|t| {
                let blob = resource(t, "linkedServices", "LS_Blob");
                blob["properties"]["connectVia"]["referenceName"] =
                    json!({"value": "@linkedService().ir", "type": "Expression"});
            });
            c.write("deployment/prod.rules", "-integrationRuntime.*\n");
            c.check(&[])
        }),
        custom("check::duplicate-name", 1, |c| {
            c.edit(|t| push_resource(t, adf("pipelines", "pl_load", json!({"activities": []}))));
            c.check(&[])
        }),
        custom("check::dangling-depends-on", 1, |c| {
            c.edit(|t| {
                resource(t, "pipelines", "PL_Main")["dependsOn"] =
                    json!(["[concat(variables('factoryId'), '/pipelines/PL_Gone')]"]);
            });
            c.check(&[])
        }),
        custom("check::missing-reference", 0, |c| {
            c.edit(|t| {
                let main = resource(t, "pipelines", "PL_Main");
                main["properties"]["activities"][0]["typeProperties"]["pipeline"]["referenceName"] = json!("PL_Gone");
                main["dependsOn"] = json!([]);
            });
            c.check(&[])
        }),
        custom("check::circular-depends-on", 1, |c| {
            c.edit(|t| {
                resource(t, "pipelines", "PL_Load")["dependsOn"] =
                    json!(["[concat(variables('factoryId'), '/pipelines/PL_Main')]"]);
            });
            c.check(&[])
        }),
        custom("check::activity-depends-on", 1, |c| {
            c.edit(|t| {
                resource(t, "pipelines", "PL_Load")["properties"]["activities"][1]["dependsOn"][0]["activity"] =
                    json!("Copy Item");
            });
            c.check(&[])
        }),
        custom("check::undeclared-parameter", 0, |c| {
            c.edit(|t| {
                resource(t, "pipelines", "PL_Load")["properties"]["parameters"] =
                    json!({"run_date": {"type": "string"}})
            });
            c.check(&[])
        }),
        custom("check::undeclared-global-parameter", 0, |c| {
            c.edit(|t| {
                let globals = t["resources"].as_array_mut().expect("resources").last_mut().expect("globalparameters");
                globals["properties"] = json!({"environment": {"type": "string", "value": "dev"}});
            });
            c.check(&[])
        }),
        custom("check::parameter-metadata", 0, |c| {
            // az prompts only for a parameter without a value or a default: one of each.
            c.edit(|t| {
                t["parameters"]["factoryName"]["metadata"] = json!("Data Factory name");
                t["parameters"]["region"] = json!({"type": "string", "metadata": "Region"});
                t["parameters"]["tier"] = json!({"type": "string", "metadata": "Tier", "defaultValue": "basic"});
            });
            c.check(&[])
        }),
        rows("check::runtime-type", 1, "integrationRuntime,IR_Auto,type,SelfHosted"),
        custom("check::factory-resource", 0, |c| {
            c.edit(|t| {
                let factory = json!({
                    "name": "[parameters('factoryName')]",
                    "type": "Microsoft.DataFactory/factories",
                    "apiVersion": "2018-06-01",
                    "properties": {},
                    "location": "westeurope"
                });
                push_resource(t, factory);
            });
            c.check(&[])
        }),
        custom("check::env-file", 2, |c| {
            c.write("prod.env", "# stage variables\nAPI URL=https://x/\n");
            c.check(&["--env-file", "prod.env"])
        }),
        custom("output::write", 2, |c| {
            c.write("out/ARMTemplateForFactory.json/keep", "");
            c.run(&build_args(&[]), &[])
        }),
        custom("output::overwrite-input", 2, |c| c.run(&["build", "-t", TEMPLATE, "-o", "."], &[])),
        custom("output::duplicate", 2, |c| {
            c.write("a/t.json", std::fs::read(c.path(TEMPLATE)).expect("read"));
            c.write("b/t.json", std::fs::read(c.path(PARAMETERS)).expect("read"));
            c.run(&["build", "-t", "a/t.json", "-p", "b/t.json", "-o", "out"], &[])
        }),
    ]
}

/// Codes only other commands report (reading a Git folder, planning a
/// release): their own test files exercise each one, and a snapshot shows it.
/// One scenario here shows that `check --factory-dir` reports folder problems too.
const OTHER_COMMANDS: &[(&str, &str)] = &[
    ("export::", "tests/export.rs"),
    ("plan::", "tests/plan.rs"),
    ("target-state::", "tests/plan.rs"),
    ("diff::", "tests/diff.rs"),
];

#[test]
fn every_code_has_a_scenario() {
    let covered: Vec<&str> = scenarios().iter().map(|s| s.code).collect();
    let snapshots: String = std::fs::read_dir(common::root().join("tests/snapshots"))
        .expect("tests/snapshots")
        .filter_map(Result::ok)
        .filter_map(|e| std::fs::read_to_string(e.path()).ok())
        .collect();
    for code in Code::ALL {
        let id = code.as_str();
        match OTHER_COMMANDS.iter().find(|(prefix, _)| id.starts_with(prefix)) {
            Some((_, file)) => {
                assert!(snapshots.contains(&format!("[{id}]")), "no snapshot shows {id}: add a test to {file}")
            }
            None => assert!(covered.contains(&id), "no scenario produces {id}: add one to tests/check.rs"),
        }
    }
}

/// A copy of the Git folder fixture at `factory/` in the case folder.
fn git_folder(case: &Case) {
    let source = common::fixture("gitfolder");
    for entry in walk(&source) {
        let rel = entry.strip_prefix(&source).expect("inside");
        case.write(&format!("factory/{}", rel.display()), std::fs::read(&entry).expect("read"));
    }
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).expect("read dir").filter_map(Result::ok) {
        let path = entry.path();
        if path.is_dir() { files.extend(walk(&path)) } else { files.push(path) }
    }
    files.sort();
    files
}

#[test]
fn every_code_snapshot() {
    for scenario in scenarios() {
        let case = case();
        let run = scenario.run.run(&case);
        let output = format!("{}{}", run.stdout, run.stderr);
        assert!(output.contains(&format!("[{}]", scenario.code)), "{}: not reported\n{output}", scenario.code);
        assert_eq!(run.code, Some(scenario.exit), "{}: exit code\n{output}", scenario.code);
        let name = scenario.code.replace("::", "__");
        let mut settings = insta::Settings::clone_current();
        settings.set_snapshot_suffix(name);
        settings.set_prepend_module_to_snapshot(true);
        settings.set_omit_expression(true);
        // Searched folders are named in full: the case's folder and its parent (the system's temp folder).
        let dir = case.dir.path();
        settings.add_filter(&regex::escape(&dir.display().to_string()), "[CASE]");
        if let Some(parent) = dir.parent() {
            settings.add_filter(&format!("{}(/|\\\\)", regex::escape(&parent.display().to_string())), "[TMP]/");
        }
        let shown = shorten(&output);
        settings.bind(|| insta::assert_snapshot!("code", shown));
    }
}

/// Keep snapshots readable: long runs of one character (a 4 MB string, masks) are cut.
fn shorten(text: &str) -> String {
    let mut out = String::with_capacity(text.len().min(20_000));
    let mut run_char = None;
    let mut run = 0;
    for c in text.chars() {
        if Some(c) == run_char {
            run += 1;
            if run == 40 {
                out.push('…');
            }
            if run >= 40 {
                continue;
            }
        } else {
            run_char = Some(c);
            run = 1;
        }
        out.push(c);
    }
    out
}

// ---------------------------------------------------------------------------------------------------------------
// Machine formats on one input with several problems

fn multi_error_case() -> Case {
    let case = case();
    case.config(
        "deployment/config-prod.csv",
        "linkedService,LS_Rest,typeProperties.ur,https://x/\nlinkedService,LS_Rest,+typeProperties.password,p4ss, \"w0rd\"\nlinkedservices,LS_Rest,typeProperties.url,https://x/",
    );
    case.write("deployment/prod.rules", "-pipeline.PL_Old*\n");
    case
}

#[test]
fn machine_formats_snapshot() {
    let case = multi_error_case();
    for format in ["json", "github", "azure-devops", "sarif"] {
        let run = case.check(&["--format", format]);
        assert_eq!(run.code, Some(1), "{format}: {}", run.stderr);
        let mut settings = insta::Settings::clone_current();
        settings.set_snapshot_suffix(format);
        settings.set_omit_expression(true);
        settings.add_filter(r#""version": "\d+\.\d+\.\d+""#, "\"version\": \"[VERSION]\"");
        settings.bind(|| insta::assert_snapshot!("formats", run.stdout));
    }
}

#[test]
fn sarif_has_the_required_fields_of_2_1_0() {
    let run = multi_error_case().check(&["--format", "sarif"]);
    let sarif: Value = serde_json::from_str(&run.stdout).expect("SARIF is JSON");
    assert_eq!(sarif["version"], "2.1.0");
    assert!(sarif["$schema"].as_str().is_some_and(|s| s.contains("sarif")));
    let runs = sarif["runs"].as_array().expect("runs: array (required)");
    assert_eq!(runs.len(), 1);
    let driver = &runs[0]["tool"]["driver"];
    assert_eq!(driver["name"], "adfc", "tool.driver.name is required");
    let rules = driver["rules"].as_array().expect("rules");
    assert_eq!(rules.len(), Code::ALL.len());
    for rule in rules {
        assert!(rule["id"].is_string(), "reportingDescriptor.id is required: {rule}");
    }
    let results = runs[0]["results"].as_array().expect("results");
    assert!(results.len() >= 3);
    for result in results {
        assert!(result["message"]["text"].is_string(), "result.message is required: {result}");
        let level = result["level"].as_str().expect("level");
        assert!(["error", "warning", "note", "none"].contains(&level));
        let rule = result["ruleId"].as_str().expect("ruleId");
        let index = result["ruleIndex"].as_u64().expect("ruleIndex") as usize;
        assert_eq!(rules[index]["id"], rule, "ruleIndex points at the rule");
        for location in result["locations"].as_array().into_iter().flatten() {
            let physical = &location["physicalLocation"];
            assert!(physical["artifactLocation"]["uri"].is_string());
            let region = &physical["region"];
            if !region.is_null() {
                assert!(region["startLine"].as_u64().is_some_and(|l| l >= 1));
            }
        }
    }
}

#[test]
fn github_and_azure_commands_escape_their_data() {
    let case = case();
    case.config("deployment/config-a,b.csv", "linkedService,LS_Rst,typeProperties.url,50%");
    let github = case.check(&["--format", "github"]).stdout;
    assert!(github.contains("file=deployment/config-a%2Cb.csv"), "{github}");
    let azure = case.check(&["--format", "azure-devops"]).stdout;
    assert!(
        azure.contains(
            "##vso[task.logissue type=error;sourcepath=deployment/config-a,b.csv;linenumber=2;columnnumber=15;"
        ),
        "{azure}"
    );
    assert!(azure.contains("##vso[task.complete result=Failed;]"), "{azure}");
}

// ---------------------------------------------------------------------------------------------------------------
// The compat suite: exactly EXPECTED.md's problems for the bad files, nothing wrong with the good ones

#[test]
fn compat_deployment_folder() {
    let Some(compat) = common::compat() else { return };
    let env = tempfile::NamedTempFile::new().expect("tempfile");
    std::fs::write(
        env.path(),
        "NUMBER_OF_PROCESSORS=8\nSYSTEM_STAGEDISPLAYNAME=UAT\nUSERNAME=bob\nUSERDOMAIN=contoso\n\
         ProjectName=adft\nEnvironment=uat\nRegion=uks\nDatabricksClusterId=0820-210125-test000\nHDFCREDENTIALTYPE=ServicePrincipalKey\n",
    )
    .expect("write env");
    let run = adfc()
        .current_dir(&compat)
        .args(["check", "--template", TEMPLATE, "--format", "json", "--env-file"])
        .arg(env.path())
        .output()
        .expect("run");
    assert_eq!(run.status.code(), Some(1));
    let report: Value = serde_json::from_slice(&run.stdout).expect("json");
    let mut errors: Vec<(String, u64, String)> = Vec::new();
    let mut file_warnings: Vec<(String, u64, String)> = Vec::new();
    for d in report["diagnostics"].as_array().expect("diagnostics") {
        let file = d["file"].as_str().unwrap_or("").trim_start_matches("./").to_string();
        let entry = (file.clone(), d["line"].as_u64().unwrap_or(0), d["code"].as_str().unwrap_or("").to_string());
        if d["severity"] == "error" {
            errors.push(entry);
        } else if file.starts_with("deployment/") {
            file_warnings.push(entry);
        }
    }
    errors.sort();
    let expected: Vec<(String, u64, String)> = [
        // The template itself: activity `Wait 4` depends on `If Condition1`; the activity is named `If Condition`.
        ("ARMTemplateForFactory.json", 762, "check::activity-depends-on"),
        ("deployment/config-badformat.csv", 3, "config::empty-field"),
        ("deployment/config-badformat.csv", 4, "config::field-count"),
        ("deployment/config-badformat.csv", 5, "config::field-count"),
        ("deployment/config-badformat.csv", 6, "config::field-count"),
        ("deployment/config-badtype.csv", 4, "config::unknown-type"),
        ("deployment/config-c004-wrongpath.csv", 2, "config::path-syntax"),
        // config-issue49.csv sets a property BlobSampleData does not have (as `build` says too).
        ("deployment/config-issue49.csv", 3, "config::path-not-found"),
        ("deployment/config-missing.csv", 2, "config::object-not-found"),
        ("deployment/config-missing.json", 2, "config::object-not-found"),
    ]
    .iter()
    .map(|(f, l, c)| (f.to_string(), *l, c.to_string()))
    .collect();
    assert_eq!(errors, expected);
    // The good files: no error, and only the warnings check exists to give — the first of c002's two rows
    // for one property has no effect, and c005 writes an account key literally.
    file_warnings.sort();
    assert_eq!(
        file_warnings,
        [
            ("deployment/config-c002.csv".to_string(), 2, "config::overwritten".to_string()),
            ("deployment/config-c005-extra-action.csv".to_string(), 4, "config::literal-secret".to_string()),
        ]
    );
}

// ---------------------------------------------------------------------------------------------------------------
// Stages, environment files, exit codes

#[test]
fn stages_are_found_where_stage_looks_and_checked_with_their_rules() {
    let case = case();
    case.config("deployment/config-prod.csv", "linkedService,LS_Rest,typeProperties.url,https://prod/");
    case.config("deployment/config-uat.csv", "linkedService,LS_Rest,typeProperties.url,https://uat/");
    case.write("deployment/prod.rules", "-trigger.*\n");
    let run = case.check(&["--format", "json"]);
    assert_eq!(run.code, Some(0), "{}", run.stdout);
    let report: Value = serde_json::from_str(&run.stdout).expect("json");
    let stages: Vec<(String, usize)> = report["stages"]
        .as_array()
        .expect("stages")
        .iter()
        .map(|s| (s["name"].as_str().unwrap_or("").to_string(), s["files"].as_array().map_or(0, Vec::len)))
        .collect();
    assert_eq!(stages, [("prod".to_string(), 2), ("uat".to_string(), 1)]);
}

#[test]
fn a_common_config_applies_to_every_stage_and_is_not_a_stage() {
    let case = case();
    case.config("deployment/config-common.csv", "linkedService,LS_Rest,typeProperties.ur,https://common/");
    case.config("deployment/config-prod.csv", "linkedService,LS_Rest,typeProperties.url,https://prod/");
    case.config("deployment/config-uat.csv", "linkedService,LS_Rest,typeProperties.url,https://uat/");
    let run = case.check(&["--config", "deployment/config-common.csv", "--format", "json"]);
    let report: Value = serde_json::from_str(&run.stdout).expect("json");
    let names: Vec<&str> =
        report["stages"].as_array().expect("stages").iter().filter_map(|s| s["name"].as_str()).collect();
    assert_eq!(names, ["prod", "uat"]);
    let d = &report["diagnostics"][0];
    assert_eq!(d["code"], "config::path-not-found");
    assert_eq!(d["stages"], json!(["prod", "uat"]), "one finding, both stages");
    assert_eq!(report["errors"], 1);
}

#[test]
fn env_file_supplies_values_and_strict_makes_warnings_errors() {
    let case = case();
    case.config(
        "deployment/config-prod.csv",
        "pipeline,PL_Load,activities[\"Wait\"].typeProperties.waitTimeInSeconds,$Env:WAIT",
    );
    let unset = case.check(&[]);
    assert_eq!(unset.code, Some(0), "unset variables are warnings: {}", unset.stdout);
    assert!(unset.stdout.contains("warning[config::env-unset]"));
    assert_eq!(case.check(&["--strict"]).code, Some(1));
    // --no-env: the process's variables are not read and tokens are not reported.
    let no_env = case.run(&["check", "--template", TEMPLATE, "--no-env", "--strict"], &[("WAIT", "soon")]);
    assert_eq!(no_env.code, Some(0), "{}", no_env.stdout);
    assert!(no_env.stdout.contains("no problems"), "{}", no_env.stdout);
    let from_process = case.run(&["check", "--template", TEMPLATE], &[("WAIT", "soon")]);
    assert_eq!(from_process.code, Some(1), "the process's variables are used by default: {}", from_process.stdout);
    case.write("prod.env", "# values as the pipeline sets them\nexport WAIT=\"30\"\n");
    let set = case.check(&["--env-file", "prod.env"]);
    assert_eq!(set.code, Some(0));
    assert!(set.stdout.contains("no problems"), "{}", set.stdout);
    // An env file holds secrets: a malformed line is reported without its value.
    case.write("bad.env", "WAIT=30\nDB_PASSWORD hunter2-secret\n  export TOKEN: abc-secret\n");
    let malformed = case.check(&["--env-file", "bad.env"]);
    assert_eq!(malformed.code, Some(2));
    assert!(
        malformed.stderr.contains("bad.env:2:1") && malformed.stderr.contains("DB_PASSWORD*"),
        "{}",
        malformed.stderr
    );
    assert!(!malformed.stderr.contains("secret"), "{}", malformed.stderr);
    case.write("prod.env", "WAIT=soon\n");
    let bad = case.check(&["--env-file", "prod.env"]);
    assert_eq!(bad.code, Some(1));
    assert!(bad.stdout.contains("comes from an environment variable and is not shown"), "{}", bad.stdout);
}

#[test]
fn files_named_on_the_command_line_are_the_only_ones_checked() {
    let case = case();
    case.config("deployment/config-prod.csv", "linkedService,LS_Nope,typeProperties.url,x");
    case.config("ok.csv", "linkedService,LS_Rest,typeProperties.url,https://ok/");
    assert_eq!(case.check(&["ok.csv"]).code, Some(0));
    assert_eq!(case.check(&[]).code, Some(1));
}

/// pre-commit passes only the files that changed: a stage is still checked
/// with its config and its rules together.
#[test]
fn a_named_file_is_checked_with_the_other_files_of_its_stage() {
    let case = case();
    case.config("deployment/config-prod.csv", "linkedService,LS_Rest,typeProperties.url,https://ok/");
    case.write("deployment/prod.rules", "-pipeline.PL_Old*\n");
    case.config("deployment/config-uat.csv", "linkedService,LS_Nope,typeProperties.url,x");
    for given in ["deployment/config-prod.csv", "deployment/prod.rules"] {
        let run = case.check(&[given]);
        assert_eq!(run.code, Some(0), "{given}: {}", run.stdout);
        assert!(run.stdout.contains("warning[rules::unused]"), "{given}: the rules were read\n{}", run.stdout);
        assert!(run.stdout.contains("1 stage,"), "{given}: only prod is checked\n{}", run.stdout);
        let json = case.check(&[given, "--format", "json"]);
        let report: Value = serde_json::from_str(&json.stdout).expect("JSON");
        let files: Vec<&str> =
            report["stages"][0]["files"].as_array().expect("files").iter().filter_map(Value::as_str).collect();
        assert_eq!(files.len(), 2, "{given}: {files:?}");
        assert!(
            files.iter().any(|f| f.ends_with("config-prod.csv")) && files.iter().any(|f| f.ends_with("prod.rules"))
        );
    }
}

/// Every real export: `check` runs to a report (exit 0 or 1, never 2 or a
/// crash), its JSON is well-formed, and every diagnostic points into a file.
#[test]
fn check_runs_over_every_corpus_template() {
    let Some(corpus) = common::corpus() else { return };
    let templates = common::corpus_templates(&corpus);
    assert!(templates.len() >= 30, "corpus looks incomplete: {} templates", templates.len());
    let empty = tempfile::tempdir().expect("tempdir");
    let mut codes = std::collections::BTreeMap::<String, usize>::new();
    for template in &templates {
        let mut cmd = adfc();
        cmd.args(["check", "--format", "json", "--no-env", "--root"]).arg(empty.path()).arg("--template").arg(template);
        if let Some(parameters) = common::parameters_of(template) {
            cmd.arg("--parameters").arg(parameters);
        }
        let output = cmd.output().expect("run adfc");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(
            matches!(output.status.code(), Some(0 | 1)),
            "{}: exit {:?}\n{stderr}",
            template.display(),
            output.status.code()
        );
        let report: Value =
            serde_json::from_slice(&output.stdout).unwrap_or_else(|e| panic!("{}: {e}", template.display()));
        for d in report["diagnostics"].as_array().expect("diagnostics") {
            assert!(d["file"].is_string(), "{}: a diagnostic without a file: {d}", template.display());
            *codes.entry(d["code"].as_str().expect("code").to_string()).or_default() += 1;
        }
    }
    eprintln!("check over {} corpus templates: {codes:?}", templates.len());
}

/// The corpus' own stage configs, checked the way a pre-commit hook would.
#[test]
fn check_reads_the_corpus_stage_configs() {
    let Some(corpus) = common::corpus() else { return };
    let repo = corpus.join("ajaydell__ADF");
    let run = adfc()
        .args(["check", "--no-env", "--template"])
        .arg(repo.join("ADFDEVHIMA01"))
        .arg(repo.join("deployment/config-dev.csv"))
        .output()
        .expect("run adfc");
    let stdout = String::from_utf8_lossy(&run.stdout);
    assert_eq!(run.status.code(), Some(0), "{stdout}");
    assert!(stdout.contains("stage dev"), "{stdout}");
}

// ---------------------------------------------------------------------------------------------------------------
// The pre-commit hook

#[test]
fn the_pre_commit_hook_entry_runs_as_pre_commit_would() {
    let hooks = std::fs::read_to_string(common::root().join(".pre-commit-hooks.yaml")).expect(".pre-commit-hooks.yaml");
    let hook: Vec<Value> = serde_norway::from_str(&hooks).expect("YAML");
    assert_eq!(hook[0]["id"], "adfc-check");
    assert_eq!(hook[0]["language"], "rust");
    let entry = hook[0]["entry"].as_str().expect("entry");
    let files = regex::Regex::new(hook[0]["files"].as_str().expect("files")).expect("files pattern");
    // pre-commit runs `entry args... <matching staged files>` from the repository root.
    let case = case();
    case.config("deployment/config-prod.csv", "linkedService,LS_Rest,typeProperties.url,https://ok/");
    case.config("deployment/config-uat.csv", "linkedService,LS_Rst,typeProperties.url,https://uat/");
    case.write("deployment/prod.rules", "-trigger.*\n");
    let staged = ["deployment/config-prod.csv", "deployment/prod.rules", "README.md"];
    let matching: Vec<&str> = staged.iter().copied().filter(|f| files.is_match(f)).collect();
    assert_eq!(matching, ["deployment/config-prod.csv", "deployment/prod.rules"]);
    let mut words: Vec<String> = entry.split_whitespace().map(str::to_string).collect();
    assert_eq!(words.remove(0), "adfc");
    let args: Vec<String> =
        hook[0]["args"].as_array().into_iter().flatten().filter_map(|a| a.as_str().map(str::to_string)).collect();
    let run_with = |files: &[&str]| {
        let mut all: Vec<&str> = words.iter().map(String::as_str).collect();
        all.extend(args.iter().map(String::as_str));
        all.extend(files);
        case.run(&all, &[]).code
    };
    assert_eq!(run_with(&matching), Some(0), "good files pass");
    assert_eq!(run_with(&["deployment/config-uat.csv"]), Some(1), "a bad file fails the commit");
}

//! Selective deployment: rules, dependencies, and templates that stay deployable.

mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use common::{adfc, fixture, json, shared};
use serde_json::Value;

fn example() -> PathBuf {
    fixture("example/ARMTemplateForFactory.json")
}

struct Run {
    code: Option<i32>,
    stderr: String,
    out: tempfile::TempDir,
}

fn build(template: &Path, args: &[&str]) -> Run {
    let out = tempfile::tempdir().expect("tempdir");
    let result = adfc()
        .args(["build", "--template"])
        .arg(template)
        .args(args)
        .arg("--out-dir")
        .arg(out.path())
        .output()
        .expect("run adfc");
    Run { code: result.status.code(), stderr: String::from_utf8_lossy(&result.stderr).into_owned(), out }
}

fn rules_file(dir: &Path, text: &str) -> String {
    let path = dir.join("rules.txt");
    std::fs::write(&path, text).expect("write rules");
    path.to_string_lossy().into_owned()
}

/// `type/name` of every resource in a template (ADF resources only).
fn names(template: &Value) -> BTreeSet<String> {
    template["resources"]
        .as_array()
        .expect("resources")
        .iter()
        .filter_map(|r| {
            let kind = r["type"].as_str()?.rsplit('/').next()?.to_string();
            let name = r["name"].as_str()?.rsplit_once("'/")?.1.trim_end_matches("')]").to_string();
            Some(format!("{kind}/{}", name.rsplit('/').next().unwrap_or(&name)))
        })
        .collect()
}

/// `kind/name` of a dependsOn entry in either ADF form, when its name is a literal.
fn depends_on_target(entry: &str) -> Option<String> {
    let quoted: Vec<&str> = entry.split('\'').skip(1).step_by(2).collect();
    if entry.starts_with("[resourceId(") {
        let kind = quoted.first()?.rsplit('/').next()?;
        let name = quoted.last()?;
        return (quoted.len() >= 2 && !entry.contains(&format!(", parameters('{name}")))
            .then(|| format!("{kind}/{name}"));
    }
    if entry.starts_with("[concat(variables('factoryId')") && quoted.len() == 2 {
        let path = quoted[1].trim_start_matches('/');
        let mut parts = path.split('/');
        let kind = parts.next()?;
        let name = path.rsplit('/').next()?;
        return Some(format!(
            "{}/{name}",
            path.rsplit('/').nth(1).filter(|_| path.matches('/').count() == 3).unwrap_or(kind)
        ));
    }
    None
}

fn has(template: &Value, kind: &str, name: &str) -> bool {
    names(template).contains(&format!("{kind}/{name}"))
}

/// Every parameters('x') / variables('x') used in `value`.
fn refs(value: &Value, kind: &str, found: &mut BTreeSet<String>) {
    match value {
        Value::String(s) if s.starts_with('[') && !s.starts_with("[[") => {
            let needle = format!("{kind}('");
            let mut rest = s.as_str();
            while let Some(i) = rest.find(&needle) {
                let after = &rest[i + needle.len()..];
                if let Some(end) = after.find("')") {
                    found.insert(after[..end].to_string());
                }
                rest = after;
            }
        }
        Value::Array(items) => items.iter().for_each(|v| refs(v, kind, found)),
        Value::Object(map) => map.values().for_each(|v| refs(v, kind, found)),
        _ => {}
    }
}

fn used(template: &Value, kind: &str) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    refs(&template["resources"], kind, &mut found);
    refs(&template["variables"], kind, &mut found);
    refs(&template["outputs"], kind, &mut found);
    found
}

fn declared(template: &Value, section: &str) -> BTreeSet<String> {
    template[section].as_object().map(|m| m.keys().cloned().collect()).unwrap_or_default()
}

/// The checks every output must pass for ARM to accept it; `input` is the
/// source template (declarations already unused there may stay unused).
fn assert_deployable(label: &str, input: &Value, output: &Value, parameters: Option<&Value>) {
    let in_template: BTreeSet<String> = output["resources"]
        .as_array()
        .expect("resources")
        .iter()
        .filter_map(|r| r["name"].as_str().map(String::from))
        .collect();
    let kept = names(output);
    for resource in output["resources"].as_array().expect("resources") {
        for entry in resource["dependsOn"].as_array().into_iter().flatten() {
            let entry = entry.as_str().expect("dependsOn entry");
            if let Some(target) = depends_on_target(entry) {
                assert!(
                    kept.contains(&target) || in_template.iter().any(|n| n.ends_with(&target)),
                    "{label}: dependsOn `{entry}` names a resource that is not in the output"
                );
            }
        }
    }
    let used_params = used(output, "parameters");
    let declared_params = declared(output, "parameters");
    assert!(
        used_params.is_subset(&declared_params),
        "{label}: used but not declared: {:?}",
        used_params.difference(&declared_params)
    );
    let unused_before: BTreeSet<String> =
        declared(input, "parameters").difference(&used(input, "parameters")).cloned().collect();
    for name in declared_params.difference(&used_params) {
        assert!(unused_before.contains(name), "{label}: parameter `{name}` is declared but no longer used");
    }
    let used_vars = used(output, "variables");
    assert!(used_vars.is_subset(&declared(output, "variables")), "{label}: variables used but not declared");
    if let Some(parameters) = parameters {
        let in_file = declared(parameters, "parameters");
        let in_input_file: BTreeSet<String> =
            in_file.iter().filter(|p| declared(input, "parameters").contains(*p)).cloned().collect();
        assert!(
            in_input_file.is_subset(&declared_params),
            "{label}: parameters file has values for undeclared parameters: {:?}",
            in_input_file.difference(&declared_params)
        );
    }
}

#[test]
fn include_only() {
    let run = build(&example(), &["--include", "pipeline.PL_Copy_Sales"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let output = json(&run.out.path().join("ARMTemplateForFactory.json"));
    assert_eq!(names(&output), BTreeSet::from(["pipelines/PL_Copy_Sales".to_string()]));
    assert!(
        run.stderr.contains("pipeline.PL_Copy_Sales uses dataset.DS_Sales_Raw_Csv, which is not deployed"),
        "{}",
        run.stderr
    );
    assert_deployable(
        "include only",
        &json(&example()),
        &output,
        Some(&json(&run.out.path().join("ARMTemplateParametersForFactory.json"))),
    );
}

#[test]
fn exclude_only_drops_depends_on_entries_and_prunes() {
    let run = build(&example(), &["--exclude", "linkedService.LS_Sql,dataset.DS_Customers"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let output = json(&run.out.path().join("ARMTemplateForFactory.json"));
    assert!(!has(&output, "linkedServices", "LS_Sql") && !has(&output, "datasets", "DS_Customers"));
    assert!(has(&output, "pipelines", "PL_Api_Ingest"));
    // LS_Sql's secure connection string parameter was used only by it.
    assert!(output["parameters"].get("LS_Sql_connectionString").is_none());
    let parameters = json(&run.out.path().join("ARMTemplateParametersForFactory.json"));
    assert!(parameters["parameters"].get("LS_Sql_connectionString").is_none());
    assert!(run.stderr.contains("linkedService.LS_Sql, which is not deployed"), "{}", run.stderr);
    assert_eq!(
        run.stderr.matches("linkedService.LS_Sql, which is not deployed").count(),
        1,
        "one warning per missing object"
    );
    assert_deployable("exclude only", &json(&example()), &output, Some(&parameters));
}

#[test]
fn include_and_exclude_both_apply() {
    let dir = tempfile::tempdir().expect("tempdir");
    let rules = rules_file(dir.path(), "+pipeline.*\n-pipeline.PL_Dev_*   # dev only\ndataset.*\n");
    let run = build(&example(), &["--rules", &rules]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let output = json(&run.out.path().join("ARMTemplateForFactory.json"));
    assert!(has(&output, "pipelines", "PL_Copy_Sales") && !has(&output, "pipelines", "PL_Dev_Debug"));
    assert!(has(&output, "datasets", "DS_Customers") && !has(&output, "linkedServices", "LS_Sql"));
}

#[test]
fn folder_patterns_nested_and_without_folder() {
    let run = build(&example(), &["--exclude", "*.*@ETL/*"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let output = json(&run.out.path().join("ARMTemplateForFactory.json"));
    assert!(!has(&output, "pipelines", "PL Daily Load"), "ETL/Daily/Sub is under ETL/");
    assert!(!has(&output, "pipelines", "PL_Copy_Sales"));
    assert!(has(&output, "pipelines", "PL_Orchestrate"), "objects without a folder never match an @folder rule");
    let run = build(&example(), &["--exclude", "pipeline.*@ETL"]);
    let output = json(&run.out.path().join("ARMTemplateForFactory.json"));
    assert!(has(&output, "pipelines", "PL_Copy_Sales"), "@ETL does not match ETL/Daily");
}

#[test]
fn case_and_wildcards() {
    let run = build(&example(), &["--include", "PIPELINE.pl_copy_?ales,Trigger.TR_[!W]*"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let output = json(&run.out.path().join("ARMTemplateForFactory.json"));
    assert!(has(&output, "pipelines", "PL_Copy_Sales"));
    assert!(has(&output, "triggers", "TR_Daily") && has(&output, "triggers", "TR_Hourly"));
    assert!(!has(&output, "triggers", "TR_Weekly Report"));
}

#[test]
fn with_dependencies_adds_the_closure_and_lists_it() {
    let run = build(&example(), &["--include", "trigger.TR_Daily", "--with-dependencies"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let output = json(&run.out.path().join("ARMTemplateForFactory.json"));
    for (kind, name) in [
        ("pipelines", "PL_Orchestrate"),
        ("pipelines", "PL_Copy_Sales"),
        ("dataflows", "DF_CleanSales"),
        ("linkedServices", "LS_KeyVault"),
    ] {
        assert!(has(&output, kind, name), "{kind}/{name} should be added");
    }
    assert!(!has(&output, "triggers", "TR_Hourly"));
    assert!(run.stderr.contains("added as dependencies:"), "{}", run.stderr);
    assert!(run.stderr.contains("pipeline.PL_Orchestrate"), "{}", run.stderr);
    assert!(!run.stderr.contains("select::missing-dependency"), "{}", run.stderr);
    assert_deployable("closure", &json(&example()), &output, None);
}

#[test]
fn strict_dependencies_is_an_error_and_writes_nothing() {
    let run = build(&example(), &["--include", "pipeline.PL_Copy_Sales", "--strict-dependencies"]);
    assert_eq!(run.code, Some(2));
    assert!(run.stderr.contains("error[select::missing-dependency]"), "{}", run.stderr);
    assert!(common::listing(run.out.path()).is_empty());
}

/// A config row that repoints a reference (the name alone, or the whole
/// reference object) is seen by the dependency check: it checks what is deployed.
#[test]
fn dependency_check_sees_references_changed_by_config_rows() {
    let dir = tempfile::tempdir().expect("tempdir");
    let rows = [
        ("no row", ""),
        ("referenceName", "dataset,DS_Customers,linkedServiceName.referenceName,LS_Dev_Sandbox\n"),
        (
            "reference object",
            "dataset,DS_Customers,linkedServiceName,\"{\"\"referenceName\"\": \"\"LS_Dev_Sandbox\"\", \"\"type\"\": \"\"LinkedServiceReference\"\"}\"\n",
        ),
    ];
    for (label, row) in rows {
        let config = dir.path().join("config.csv");
        std::fs::write(&config, format!("type,name,path,value\n{row}")).expect("write config");
        let run = build(
            &example(),
            &["--config", &config.to_string_lossy(), "--exclude", "linkedService.LS_Dev_Sandbox,pipeline.PL_Dev_Debug"],
        );
        assert_eq!(run.code, Some(0), "{label}: {}", run.stderr);
        let warned =
            run.stderr.contains("dataset.DS_Customers uses linkedService.LS_Dev_Sandbox, which is not deployed");
        assert_eq!(warned, !row.is_empty(), "{label}: {}", run.stderr);
    }
}

#[test]
fn unused_rule_is_a_warning_with_file_and_line() {
    let dir = tempfile::tempdir().expect("tempdir");
    let rules = rules_file(dir.path(), "# comment\n-pipeline.PL_Dev_Debug\n-pipeline.PL_Nope\n");
    let run = build(&example(), &["--rules", &rules]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert!(
        run.stderr.contains("warning[rules::unused]: exclude rule `-pipeline.PL_Nope` matches no object"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("rules.txt:3:1"), "{}", run.stderr);
}

#[test]
fn bad_rules_are_errors() {
    let dir = tempfile::tempdir().expect("tempdir");
    let rules = rules_file(dir.path(), "+pipeline.A\n-ultra.X\n");
    let run = build(&example(), &["--rules", &rules]);
    assert_eq!(run.code, Some(2));
    assert!(run.stderr.contains("rules::unknown-type") && run.stderr.contains("rules.txt:2:1"), "{}", run.stderr);
    let rules = rules_file(dir.path(), "+pipeline.A\npipeline\n.x\n");
    let run = build(&example(), &["--rules", &rules]);
    assert_eq!(run.code, Some(2));
    assert!(run.stderr.contains("rules::syntax") && run.stderr.contains("rules.txt:2:"), "{}", run.stderr);
    assert!(run.stderr.contains("rules.txt:3:"), "all errors of the file are reported: {}", run.stderr);
    assert!(common::listing(run.out.path()).is_empty());
}

#[test]
fn ls_previews_a_rules_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    let rules = rules_file(dir.path(), "-linkedService.LS_Dev_*\n-*.*@Sandbox*\n");
    let out = adfc().args(["ls", "--template"]).arg(example()).args(["--rules", &rules]).output().expect("run");
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    let line = text.lines().find(|l| l.contains("PL_Dev_Debug")).expect("listed");
    assert!(line.starts_with("skip") && line.contains("excluded by -*.*@Sandbox* (rules.txt:2)"), "{line}");
    assert!(text.contains("# 31 of 33 objects deployed"), "{text}");
    let out = adfc()
        .args(["ls", "--format", "json", "--template"])
        .arg(example())
        .args(["--rules", &rules])
        .output()
        .expect("run");
    let listing: Value = serde_json::from_slice(&out.stdout).expect("json");
    let entry =
        listing["objects"].as_array().expect("objects").iter().find(|o| o["name"] == "LS_Dev_Sandbox").expect("entry");
    assert_eq!(entry["deployed"], false);
    assert_eq!(entry["decidedBy"], "excluded by -linkedService.LS_Dev_* (rules.txt:1)");
}

#[test]
fn compat_rule_files() {
    let Some(shared) = shared() else {
        return;
    };
    let compat = shared.join("compat/BigFactorySample2");
    let template = compat.join("ARMTemplateForFactory.json");
    let run = build(&template, &["--rules", compat.join("deployment/filter.option1.txt").to_str().expect("utf-8")]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let output = json(&run.out.path().join("ARMTemplateForFactory.json"));
    let kinds: BTreeSet<String> =
        names(&output).iter().map(|n| n.split('/').next().unwrap_or("").to_string()).collect();
    assert_eq!(kinds, BTreeSet::from(["pipelines".to_string(), "triggers".to_string()]));
    assert_eq!(names(&output).iter().filter(|n| n.starts_with("pipelines/")).count(), 7);
    assert_eq!(names(&output).iter().filter(|n| n.starts_with("triggers/")).count(), 3);
    let run = build(&template, &["--rules", compat.join("deployment/filter.empty.txt").to_str().expect("utf-8")]);
    assert_eq!(run.code, Some(0));
    assert_eq!(std::fs::read(&template).ok(), std::fs::read(run.out.path().join("ARMTemplateForFactory.json")).ok());
}

#[test]
fn corpus_rule_files_parse() {
    let Some(shared) = shared() else { return };
    let corpus = shared.join("corpus");
    let rules = [
        "ajaydell__ADF/deployment/rules.txt",
        "_configs/Ludwinic1__adf-selective-deployment-test/usefilepartialdeploy.txt",
        "Azure-Player__azure.datafactory.tools/adhoc/issue-223/publish-includeexclude-objects.txt",
    ];
    for rule in rules {
        let out = adfc()
            .args(["ls", "--template"])
            .arg(example())
            .args(["--rules"])
            .arg(corpus.join(rule))
            .output()
            .expect("run");
        assert!(out.status.success(), "{rule}: {}", String::from_utf8_lossy(&out.stderr));
    }
    let factory = corpus.join("ajaydell__ADF/ADFDEVHIMA01");
    let run = build(&factory, &["--rules", corpus.join("ajaydell__ADF/deployment/rules.txt").to_str().expect("utf-8")]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
}

#[test]
fn linked_export_with_rules_stays_consistent() {
    let Some(shared) = shared() else { return };
    let folder = shared.join("corpus/kromerm__makadfwestus2/makadfwestus2/linkedTemplates");
    let run = build(&folder, &["--exclude", "dataflow.*,trigger.*"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let out = run.out.path().join("linkedTemplates");
    let master = json(&out.join("ArmTemplate_master.json"));
    for deployment in master["resources"].as_array().expect("resources") {
        let uri = deployment["properties"]["templateLink"]["uri"].as_str().expect("uri");
        let file = uri.split('\'').find(|s| s.ends_with(".json")).expect("part").trim_start_matches('/');
        let part = json(&out.join(file));
        let input = json(&folder.join(file));
        assert_deployable(file, &input, &part, None);
        for (name, _) in deployment["properties"]["parameters"].as_object().expect("parameters") {
            assert!(
                part["parameters"].get(name).is_some(),
                "master passes `{name}` to {file}, which does not declare it"
            );
        }
        for resource in part["resources"].as_array().expect("resources") {
            let kind = resource["type"].as_str().unwrap_or("");
            assert!(!kind.ends_with("/dataflows") && !kind.ends_with("/triggers"), "{file} still has {kind}");
        }
    }
}

#[test]
fn every_corpus_factory_stays_deployable_under_several_rule_sets() {
    let Some(shared) = shared() else { return };
    let mut templates = Vec::new();
    collect(&shared.join("corpus"), &mut templates);
    assert!(templates.len() >= 20);
    for template in &templates {
        let input = json(template);
        let first_pipeline = input["resources"]
            .as_array()
            .expect("resources")
            .iter()
            .filter(|r| r["type"].as_str().is_some_and(|t| t.ends_with("/pipelines")))
            .filter_map(|r| r["name"].as_str()?.rsplit_once("'/").map(|(_, n)| n.trim_end_matches("')]").to_string()))
            .next();
        let first_folder = input["resources"]
            .as_array()
            .expect("resources")
            .iter()
            .find_map(|r| r["properties"]["folder"]["name"].as_str().map(String::from));
        let mut sets = vec![vec!["--exclude".to_string(), "trigger.*".to_string()]];
        if let Some(p) = first_pipeline.filter(|p| !p.contains(',') && !p.contains('\'')) {
            sets.push(vec!["--include".into(), format!("pipeline.{p}")]);
        }
        if let Some(f) = first_folder.filter(|f| !f.contains(',')) {
            sets.push(vec!["--exclude".into(), format!("*.*@{f}")]);
        }
        for set in sets {
            let args: Vec<&str> = set.iter().map(String::as_str).collect();
            let run = build(template, &args);
            assert_eq!(run.code, Some(0), "{} {args:?}: {}", template.display(), run.stderr);
            let name = template.file_name().expect("name");
            let output = json(&run.out.path().join(name));
            let parameters_path = run.out.path().join(
                name.to_string_lossy()
                    .replace("ARMTemplateForFactory", "ARMTemplateParametersForFactory")
                    .replace("arm_template.json", "arm_template_parameters.json"),
            );
            let parameters = parameters_path.is_file().then(|| json(&parameters_path));
            assert_deployable(&format!("{} {args:?}", template.display()), &input, &output, parameters.as_ref());
        }
    }
}

fn collect(dir: &Path, found: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    let mut paths: Vec<PathBuf> = entries.filter_map(Result::ok).map(|e| e.path()).collect();
    paths.sort();
    for path in paths {
        if path.is_dir() {
            collect(&path, found);
        } else if path.file_name().is_some_and(|n| n == "ARMTemplateForFactory.json" || n == "arm_template.json") {
            found.push(path);
        }
    }
}

#[test]
fn ls_colours_only_when_asked_or_on_a_terminal() {
    let plain = adfc().args(["ls", "--template"]).arg(example()).output().expect("run");
    assert!(!String::from_utf8_lossy(&plain.stdout).contains('\x1b'), "NO_COLOR and no terminal: no escapes");
    let forced = adfc().args(["--color", "always", "ls", "--template"]).arg(example()).output().expect("run");
    let text = String::from_utf8_lossy(&forced.stdout);
    assert!(text.starts_with("\x1b[1mTYPE"), "{text}");
}

//! `adfc export` and `--factory-dir`: a factory's Git folder gives the template ADF's exporter
//! gives (checked on every real folder/export pair of `../shared/folderpairs`), every command
//! works on a folder, `--layout` converts between the single and linked layouts, and a broken
//! folder gets one diagnostic per problem at its place in the real file.

mod common;

use std::path::{Path, PathBuf};

use adfc::layout::LayoutChoice;
use adfc::{ExportOptions, export};
use common::{adfc, fixture, folderpairs, listing};
use serde_json::Value;
use tempfile::TempDir;

/// One folder/export pair and what is known to differ from ADF's export (see the README).
struct Pair {
    dir: &'static str,
    /// `--factory-name` (the folders of 2019 and of the npm build have no factory file).
    factory_name: Option<&'static str>,
    /// Differences of the single template, as `path: what`.
    template: &'static [&'static str],
    /// Differences per linked file (`ArmTemplate_master.json: path: what`).
    linked: &'static [&'static str],
}

const PAIRS: &[Pair] = &[
    Pair { dir: "Mebin-Painadath__COVID19-Azure_Data_Factory", factory_name: None, template: &[], linked: &[] },
    Pair {
        dir: "SeeyaXi__ADFRepo",
        factory_name: None,
        template: &[],
        linked: &[
            "ArmTemplate_master.json: resources[*].apiVersion: \"2024-03-01\" here, \"2018-02-01\" in ADF's export",
        ],
    },
    Pair {
        dir: "Tara-Morovatdar__KNAUF_RNA_LAB",
        factory_name: Some("DatafactoryForKnaufDemo"),
        template: &["resources[*].properties.policy.cancelAfter: only in ADF's export"],
        linked: &[
            "ArmTemplate_0.json: resources[*].properties.policy.cancelAfter: only in ADF's export",
            "ArmTemplate_master.json: resources[*].apiVersion: \"2024-03-01\" here, \"2018-02-01\" in ADF's export",
        ],
    },
    Pair {
        dir: "devlace__datadevops",
        factory_name: Some("ddodfdev"),
        template: &[
            "parameters.factoryName.metadata: \"Data Factory name\" here, \"Data Factory Name\" in ADF's export",
            "resources[*].properties.policy: only here",
        ],
        linked: &[
            "ArmTemplate_0.json: parameters.factoryName.metadata: \"Data Factory name\" here, \"Data Factory Name\" in ADF's export",
            "ArmTemplate_0.json: resources[*].properties.policy: only here",
            "ArmTemplate_master.json: parameters.containerSasToken.metadata: \"Sas token to storage account containing linked ARM templates\" here, \"Sas Token to storage account containing linked ARM templates\" in ADF's export",
            "ArmTemplate_master.json: parameters.factoryName.metadata: \"Data Factory name\" here, \"Data Factory Name\" in ADF's export",
            "ArmTemplate_master.json: resources[*].apiVersion: \"2024-03-01\" here, \"2018-02-01\" in ADF's export",
            "ArmTemplate_master.json: resources[*].name: \"ddodfdev_ArmTemplate_0\" here, \"ArmTemplate_0\" in ADF's export",
        ],
    },
    Pair { dir: "jessmjohnson__end-to-end-demo", factory_name: None, template: &[], linked: &[] },
    Pair { dir: "josefineselke__Covid-Reporting-Course-Examples", factory_name: None, template: &[], linked: &[] },
    Pair {
        dir: "liudan66__ADFgit",
        factory_name: None,
        template: &[],
        linked: &[
            "ArmTemplate_master.json: resources[*].apiVersion: \"2024-03-01\" here, \"2018-02-01\" in ADF's export",
        ],
    },
];

/// Export `folder` with the library into a fresh folder.
fn export_to(folder: &Path, factory_name: Option<&str>, layout: LayoutChoice) -> TempDir {
    let out = tempfile::tempdir().expect("tempdir");
    let options = ExportOptions {
        factory_dir: folder.to_path_buf(),
        factory_name: factory_name.map(str::to_string),
        out_dir: Some(out.path().to_path_buf()),
        layout,
    };
    if let Err(failure) = export(&options) {
        panic!("export of {} failed: {:?}", folder.display(), failure.diagnostics);
    }
    out
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// ADF's adf_publish files are TAB-indented, its other exporters use 4 spaces, as adfc does.
fn four_spaces(text: &str) -> String {
    text.lines()
        .map(|line| {
            let tabs = line.len() - line.trim_start_matches('\t').len();
            format!("{}{}", "    ".repeat(tabs), &line[tabs..])
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The differences between `ours` and `adfs`, one line per (path with array indexes as `*`, kind).
fn differences(ours: &Value, adfs: &Value) -> Vec<String> {
    let mut found = Vec::new();
    diff(ours, adfs, "", &mut found);
    found.sort();
    found.dedup();
    found
}

fn diff(ours: &Value, adfs: &Value, path: &str, found: &mut Vec<String>) {
    let at = |key: &str| if path.is_empty() { key.to_string() } else { format!("{path}.{key}") };
    match (ours, adfs) {
        (Value::Object(a), Value::Object(b)) => {
            for (key, value) in a {
                match b.get(key) {
                    Some(other) => diff(value, other, &at(key), found),
                    None => found.push(format!("{}: only here", at(key))),
                }
            }
            found.extend(b.keys().filter(|k| !a.contains_key(*k)).map(|k| format!("{}: only in ADF's export", at(k))));
            let common_a: Vec<&String> = a.keys().filter(|k| b.contains_key(*k)).collect();
            let common_b: Vec<&String> = b.keys().filter(|k| a.contains_key(*k)).collect();
            if common_a != common_b {
                found.push(format!("{path}: members in another order"));
            }
        }
        (Value::Array(a), Value::Array(b)) if a.len() == b.len() => {
            a.iter().zip(b).for_each(|(x, y)| diff(x, y, &format!("{path}[*]"), found));
        }
        _ if ours != adfs => found.push(format!("{path}: {ours} here, {adfs} in ADF's export")),
        _ => {}
    }
}

fn value(text: &str) -> Value {
    serde_json::from_str(text).expect("JSON")
}

#[test]
fn every_pair_of_the_shared_folder_is_checked() {
    let Some(pairs) = folderpairs() else { return };
    let mut found = listing(&pairs);
    found.retain(|name| pairs.join(name).is_dir());
    let checked: Vec<&str> = PAIRS.iter().map(|p| p.dir).collect();
    assert_eq!(found, checked, "add the new pair to PAIRS (with what differs, and the README's list)");
}

#[test]
fn export_of_every_pair_is_adfs_template() {
    let Some(pairs) = folderpairs() else { return };
    for pair in PAIRS {
        let dir = pairs.join(pair.dir);
        let out = export_to(&dir.join("folder"), pair.factory_name, LayoutChoice::Single);
        for (name, expected) in
            [("ARMTemplateForFactory.json", pair.template), ("ARMTemplateParametersForFactory.json", &[][..])]
        {
            let ours = read(&out.path().join(name));
            let adfs = read(&dir.join("export").join(name));
            assert_eq!(differences(&value(&ours), &value(&adfs)), expected, "{}: {name}", pair.dir);
            if expected.is_empty() {
                assert!(ours == four_spaces(&adfs), "{}: {name} is not byte for byte ADF's (4-space) export", pair.dir);
            }
        }
    }
}

#[test]
fn linked_export_of_every_pair_is_adfs_linked_templates() {
    let Some(pairs) = folderpairs() else { return };
    for pair in PAIRS {
        let adfs_dir = pairs.join(pair.dir).join("export/linkedTemplates");
        if !adfs_dir.is_dir() {
            continue;
        }
        let out = export_to(&pairs.join(pair.dir).join("folder"), pair.factory_name, LayoutChoice::Linked);
        let ours_dir = out.path().join("linkedTemplates");
        assert_eq!(listing(&ours_dir), listing(&adfs_dir), "{}: linked files", pair.dir);
        let mut found = Vec::new();
        for name in listing(&adfs_dir) {
            let (ours, adfs) = (read(&ours_dir.join(&name)), read(&adfs_dir.join(&name)));
            let differs = differences(&value(&ours), &value(&adfs));
            if differs.is_empty() {
                assert!(ours == four_spaces(&adfs), "{}: {name} is not byte for byte ADF's", pair.dir);
            }
            found.extend(differs.into_iter().map(|d| format!("{name}: {d}")));
        }
        assert_eq!(found, pair.linked, "{}", pair.dir);
    }
}

/// `adfc build` of a pair's ADF export and of its folder, with the same config and rules.
#[test]
fn build_of_a_folder_is_the_build_of_adfs_export() {
    let Some(pairs) = folderpairs() else { return };
    // This pair's export is the UI's 4-space one, so the two builds must be byte-identical.
    let pair = pairs.join("josefineselke__Covid-Reporting-Course-Examples");
    let work = tempfile::tempdir().expect("tempdir");
    let config = work.path().join("config-prod.csv");
    std::fs::write(
        &config,
        "type,name,path,value\n\
         linkedService,ls_sql_covid_db,typeProperties.server,sql-prod.database.windows.net\n\
         linkedService,ls_adls_covidreportingslselke,typeProperties.url,https://dlsprod.dfs.core.windows.net/\n\
         pipeline,pl_ingest_raw_data,activities[0].policy.timeout,0.02:00:00\n\
         trigger,tr_*,runtimeState,Stopped\n",
    )
    .expect("config");
    let rules = work.path().join("prod.rules");
    std::fs::write(&rules, "-pipeline.pl_sqlize_testing\n-trigger.tr_population_data_arrive\n").expect("rules");
    let build = |source: &[&str], out: &str| {
        let mut args = vec!["build"];
        args.extend_from_slice(source);
        let (config, rules, out) = (config.to_str().unwrap(), rules.to_str().unwrap(), work.path().join(out));
        args.extend_from_slice(&["--config", config, "--rules", rules, "--factory-name", "covid-prod", "--out-dir"]);
        args.push(out.to_str().unwrap());
        let output = adfc().args(&args).output().expect("run adfc");
        assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
        out
    };
    let template = pair.join("export/ARMTemplateForFactory.json");
    let from_export = build(&["--template", template.to_str().unwrap()], "from-export");
    let folder = pair.join("folder");
    let from_folder = build(&["--factory-dir", folder.to_str().unwrap()], "from-folder");
    for name in ["ARMTemplateForFactory.json", "ARMTemplateParametersForFactory.json"] {
        assert!(read(&from_folder.join(name)) == read(&from_export.join(name)), "{name} differs");
    }
}

// -------------------------------------------------------------------------------------------------
// The command line, on the fixture folder

fn run_ok(args: &[&str]) -> (String, String) {
    let output = adfc().args(args).output().expect("run adfc");
    let (stdout, stderr) = (String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
    assert!(output.status.success(), "adfc {}: {stderr}", args.join(" "));
    (stdout.into_owned(), stderr.into_owned())
}

fn out_dir() -> (TempDir, String) {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("out").display().to_string();
    (dir, path)
}

#[test]
fn export_writes_the_template_and_says_what_it_wrote() {
    let (_keep, out) = out_dir();
    let (_, stderr) = run_ok(&["export", "--factory-dir", "fixtures/gitfolder", "--out-dir", &out]);
    insta::assert_snapshot!("export_summary", stderr.replace(&out, "[OUT]"));
    let template = common::json(&Path::new(&out).join("ARMTemplateForFactory.json"));
    let copy = common::resource(&template, "pipelines", "PL_Copy_Orders");
    let activity = &copy["properties"]["activities"][0];
    assert_eq!(activity["typeProperties"]["source"]["sqlReaderStoredProcedureName"], "[[dbo].[usp_orders]");
    assert_eq!(activity["outputs"][0]["referenceName"], "DS_Orders_Csv", "references take the target's exact case");
    let blob = common::resource(&template, "linkedServices", "LS_Blob");
    assert_eq!(
        blob["properties"]["typeProperties"],
        serde_json::json!({"connectionString": "[parameters('LS_Blob_connectionString')]"})
    );
    assert_eq!(blob["dependsOn"][0], "[concat(variables('factoryId'), '/integrationRuntimes/ir-selfhosted')]");
    let globals = common::resource(&template, "globalparameters", "default");
    assert_eq!(globals["properties"]["envName"]["value"], "[parameters('default_properties_envName_value')]");
}

#[test]
fn export_in_the_linked_layout() {
    let (_keep, out) = out_dir();
    run_ok(&["export", "--factory-dir", "fixtures/gitfolder", "--out-dir", &out, "--layout", "linked"]);
    let linked = Path::new(&out).join("linkedTemplates");
    assert_eq!(
        listing(&linked),
        ["ArmTemplateParameters_master.json", "ArmTemplate_0.json", "ArmTemplate_master.json"]
    );
    let part = common::json(&linked.join("ArmTemplate_0.json"));
    let order: Vec<&str> = part["resources"].as_array().unwrap().iter().map(|r| r["name"].as_str().unwrap()).collect();
    assert_eq!(
        order.first().copied(),
        Some("[concat(parameters('factoryName'), '/LS_KeyVault')]"),
        "resources in dependency order"
    );
}

#[test]
fn build_and_ls_read_a_folder() {
    let (_keep, out) = out_dir();
    let (_, stderr) = run_ok(&["build", "--factory-dir", "fixtures/gitfolder", "--stage", "prod", "--out-dir", &out]);
    insta::assert_snapshot!("build_factory_dir_summary", stderr.replace(&out, "[OUT]"));
    let out = PathBuf::from(out);
    let parameters = common::json(&out.join("ARMTemplateParametersForFactory.json"));
    assert_eq!(
        parameters["parameters"]["LS_KeyVault_properties_typeProperties_baseUrl"]["value"],
        "https://kv-folder-prod.vault.azure.net/"
    );
    assert_eq!(parameters["parameters"]["default_properties_envName_value"]["value"], "prod");
    let template = common::json(&out.join("ARMTemplateForFactory.json"));
    assert_eq!(common::resource(&template, "triggers", "TR_Daily")["properties"]["runtimeState"], "Stopped");
    let (stdout, _) =
        run_ok(&["ls", "--factory-dir", "fixtures/gitfolder", "--rules", "fixtures/gitfolder/deployment/prod.rules"]);
    insta::assert_snapshot!("ls_factory_dir", stdout);
}

#[test]
fn build_converts_between_layouts_and_round_trips_adfs_split() {
    let Some(pairs) = folderpairs() else { return };
    let adfs = pairs.join("jessmjohnson__end-to-end-demo/export");
    let work = tempfile::tempdir().expect("tempdir");
    let single = work.path().join("single");
    let linked = work.path().join("linked");
    let (s, l) = (single.to_str().unwrap(), linked.to_str().unwrap());
    run_ok(&[
        "build",
        "--template",
        adfs.join("linkedTemplates").to_str().unwrap(),
        "--layout",
        "single",
        "--out-dir",
        s,
    ]);
    for name in ["ARMTemplateForFactory.json", "ARMTemplateParametersForFactory.json"] {
        assert!(read(&single.join(name)) == read(&adfs.join(name)), "linked → single: {name} is not ADF's");
    }
    run_ok(&["build", "--template", s, "--layout", "linked", "--out-dir", l]);
    for name in listing(&adfs.join("linkedTemplates")) {
        let (ours, theirs) =
            (read(&linked.join("linkedTemplates").join(&name)), read(&adfs.join("linkedTemplates").join(&name)));
        assert!(ours == theirs, "single → linked: {name} is not ADF's");
    }
}

#[test]
fn auto_layout_stays_single_below_arms_limit() {
    let (_keep, out) = out_dir();
    run_ok(&["build", "--template", "fixtures/example", "--layout", "auto", "--out-dir", &out]);
    assert_eq!(listing(Path::new(&out)), ["ARMTemplateForFactory.json", "ARMTemplateParametersForFactory.json"]);
}

// -------------------------------------------------------------------------------------------------
// Broken folders: every problem, at its place in the real file, nothing written

/// A copy of the fixture folder in a tempdir, adfc run from there with relative paths.
struct Broken {
    dir: TempDir,
}

impl Broken {
    fn new() -> Broken {
        let dir = tempfile::tempdir().expect("tempdir");
        copy_dir(&fixture("gitfolder"), &dir.path().join("adf"));
        Broken { dir }
    }

    fn write(&self, rel: &str, text: &str) -> &Self {
        let path = self.dir.path().join("adf").join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).expect("folder");
        std::fs::write(path, text).expect("write");
        self
    }

    fn remove(&self, rel: &str) -> &Self {
        std::fs::remove_file(self.dir.path().join("adf").join(rel)).expect("remove");
        self
    }

    /// `adfc export --factory-dir adf --out-dir out <extra>`: stderr, asserting exit code `code`.
    fn export(&self, extra: &[&str], code: i32) -> String {
        let mut args = vec!["export", "--factory-dir", "adf", "--out-dir", "out"];
        args.extend_from_slice(extra);
        let output = adfc().current_dir(self.dir.path()).args(&args).output().expect("run adfc");
        let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
        assert_eq!(output.status.code(), Some(code), "{stderr}");
        assert!(!stderr.contains("panicked"), "{stderr}");
        if code != 0 {
            assert!(listing(&self.dir.path().join("out")).is_empty(), "nothing is written on error");
        }
        stderr
    }
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("folder");
    for entry in std::fs::read_dir(from).expect("read_dir").map(|e| e.expect("entry")) {
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).expect("copy");
        }
    }
}

#[test]
fn invalid_json_is_reported_at_its_place() {
    let broken = Broken::new();
    broken.write("dataset/DS_Orders.json", "{\n\t\"name\": \"DS_Orders\",\n\t\"properties\": {,}\n}");
    insta::assert_snapshot!("folder_invalid_json", broken.export(&[], 2));
}

#[test]
fn a_name_that_is_not_the_file_name() {
    let broken = Broken::new();
    let text = read(&fixture("gitfolder/pipeline/PL_Daily.json")).replace("\"PL_Daily\"", "\"PL_Daily_v2\"");
    broken.write("pipeline/PL_Daily.json", &text);
    insta::assert_snapshot!("folder_name_mismatch", broken.export(&[], 2));
}

#[test]
fn references_to_missing_objects_are_all_reported() {
    let broken = Broken::new();
    broken.remove("dataset/DS_Orders.json").remove("integrationRuntime/ir-selfhosted.json");
    insta::assert_snapshot!("folder_missing_references", broken.export(&[], 2));
}

#[test]
fn names_differing_only_in_case() {
    let broken = Broken::new();
    let text = read(&fixture("gitfolder/pipeline/PL_Daily.json")).replace("\"PL_Daily\"", "\"pl_daily\"");
    broken.write("pipeline/pl_daily.json", &text);
    insta::assert_snapshot!("folder_duplicate_names", broken.export(&[], 2));
}

#[test]
fn the_factory_name_must_be_known() {
    let broken = Broken::new();
    broken.remove("factory/adf-folder-dev.json");
    insta::assert_snapshot!("folder_no_factory_file", broken.export(&[], 2));
    broken.write("factory/adf-a.json", "{\"name\": \"adf-a\"}").write("factory/adf-b.json", "{\"name\": \"adf-b\"}");
    insta::assert_snapshot!("folder_several_factory_files", broken.export(&[], 2));
    broken.export(&["--factory-name", "adf-b"], 0);
}

#[test]
fn a_bad_parameterization_definition() {
    let broken = Broken::new();
    broken.write(
        "arm-template-parameters-definition.json",
        "{\n  \"Microsoft.DataFactory/factories/pipelines\": {\n    \"properties\": {\"description\": \"keep\"}\n  },\n  \"Microsoft.DataFactory/factories/datasets\": {\"*\": {\"properties\": {\"typeProperties\": {\"table\": \"=::text\"}}}}\n}\n",
    );
    insta::assert_snapshot!("folder_bad_definition", broken.export(&[], 2));
}

#[test]
fn not_a_factory_folder() {
    let broken = Broken::new();
    let output = adfc()
        .current_dir(broken.dir.path())
        .args(["export", "--factory-dir", "adf/pipeline", "--out-dir", "out"])
        .output();
    let output = output.expect("run adfc");
    assert_eq!(output.status.code(), Some(2));
    insta::assert_snapshot!("folder_not_a_factory", String::from_utf8_lossy(&output.stderr));
}

#[test]
fn an_unknown_connectors_credential_is_dropped_with_a_warning() {
    let broken = Broken::new();
    broken.write(
        "linkedService/LS_Teradata.json",
        "{\n\t\"name\": \"LS_Teradata\",\n\t\"properties\": {\n\t\t\"type\": \"Teradata\",\n\t\t\"typeProperties\": {\n\t\t\t\"server\": \"td\",\n\t\t\t\"encryptedCredential\": \"e30=\"\n\t\t}\n\t}\n}",
    );
    insta::assert_snapshot!("folder_unknown_secret", broken.export(&[], 0));
    let ls = adfc().current_dir(broken.dir.path()).args(["ls", "--factory-dir", "adf"]).output().expect("run adfc");
    assert!(ls.status.success());
    assert!(
        String::from_utf8_lossy(&ls.stderr).contains("warning[export::unknown-secret]"),
        "ls shows the export's warnings"
    );
}

#[test]
fn global_parameters_outside_the_template_go_to_the_side_file() {
    let broken = Broken::new();
    broken.write("publish_config.json", "{\"publishBranch\":\"adf_publish\"}");
    broken
        .write("config.csv", "type,name,path,value\nfactory,*,\"$.properties.globalParameters.envName.value\",prod\n");
    let output = adfc()
        .current_dir(broken.dir.path())
        .args(["build", "--factory-dir", "adf", "--config", "adf/config.csv", "--out-dir", "out"])
        .output()
        .expect("run adfc");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let out = broken.dir.path().join("out");
    let side = common::json(&out.join("globalParameters/adf-folder-dev_GlobalParameters.json"));
    assert_eq!(side, serde_json::json!({"envName": {"type": "string", "value": "prod"}}));
    let template = read(&out.join("ARMTemplateForFactory.json"));
    assert!(!template.contains("globalparameters"), "no globalparameters resource without includeGlobalParamsTemplate");
}

/// Linked exports of the corpus whose split adfc cannot reproduce from their single template.
const SPLIT_EXCEPTIONS: [(&str, &str); 2] = [
    (
        "build-adf-20231107134156",
        "a hand-edited resource with a malformed name is in the single template, not in the parts",
    ),
    ("ajaytest01", "legacy factory resource: ADF drops the `[variables('factoryId')]` dependencies from the parts"),
];

/// Single → linked on every corpus export that has both layouts: the same resources in each
/// part, with the same dependsOn, declaring and receiving the same parameters.
#[test]
fn single_to_linked_splits_every_corpus_export_as_adf_did() {
    let Some(corpus) = common::corpus() else { return };
    let mut checked = 0;
    for linked in linked_folders(&corpus) {
        let single = linked.with_file_name("ARMTemplateForFactory.json");
        let name = linked.parent().and_then(Path::file_name).unwrap_or_default().to_string_lossy().into_owned();
        if !single.is_file() || SPLIT_EXCEPTIONS.iter().any(|(n, _)| *n == name) {
            continue;
        }
        let (_keep, out) = out_dir();
        run_ok(&["build", "--template", single.to_str().unwrap(), "--layout", "linked", "--out-dir", &out]);
        let ours = Path::new(&out).join("linkedTemplates");
        assert_eq!(listing(&ours), listing(&linked), "{name}: files");
        for file in listing(&linked) {
            assert_eq!(split(&ours.join(&file)), split(&linked.join(&file)), "{name}: {file}");
        }
        checked += 1;
    }
    assert!(checked >= 15, "only {checked} linked exports checked");
}

fn linked_folders(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir).expect("read_dir").map(|e| e.expect("entry").path()).filter(|p| p.is_dir()) {
        if entry.file_name().is_some_and(|n| n == "linkedTemplates") {
            found.push(entry);
        } else {
            found.extend(linked_folders(&entry));
        }
    }
    found.sort();
    found
}

/// What a linked file decides: parameter names, and per resource its name, dependsOn and passed parameters.
fn split(path: &Path) -> Value {
    let text = read(path);
    let file: Value = serde_json::from_str(text.trim_start_matches('\u{feff}')).expect("JSON");
    let names = |v: &Value| v.as_object().map(|o| o.keys().cloned().collect::<Vec<_>>()).unwrap_or_default();
    let resources: Vec<Value> = file["resources"]
        .as_array()
        .map(|rs| {
            rs.iter()
                .map(|r| serde_json::json!([r["name"], r["dependsOn"], names(&r["properties"]["parameters"])]))
                .collect()
        })
        .unwrap_or_default();
    serde_json::json!({"parameters": names(&file["parameters"]), "resources": resources})
}

/// Resources of the corpus whose `dependsOn` adfc does not compute as ADF did, with why.
const DEPENDS_ON_EXCEPTIONS: [(&str, &str); 13] = [
    (
        "Azure-Player__azure.datafactory.tools/adhoc/issue-138 pipeline1",
        "legacy global parameters: depends on the factory resource",
    ),
    (
        "KV-APAC-DNA__gitadfadbplt001 PIPE_hist_data_migration_redshift_snowflake_child",
        "order: a Lookup's dataset before its source's S3 linked service",
    ),
    ("Tara-Morovatdar__KNAUF_RNA_LAB RNAHANA_LKSVC01", PARAMETERIZED_TYPE),
    ("Tara-Morovatdar__KNAUF_RNA_LAB RNASA01_BRONZE_LKSVC01", PARAMETERIZED_TYPE),
    ("Tara-Morovatdar__KNAUF_RNA_LAB RNASA01_LKSVC01", PARAMETERIZED_TYPE),
    ("Tara-Morovatdar__KNAUF_RNA_LAB RNASA01_SILVER_LKSVC01", PARAMETERIZED_TYPE),
    ("Tara-Morovatdar__KNAUF_RNA_LAB SF_LKSVC01", PARAMETERIZED_TYPE),
    ("Tara-Morovatdar__KNAUF_RNA_LAB SYNWS01_ARTIFACTS_LKSVC01", PARAMETERIZED_TYPE),
    ("Tara-Morovatdar__KNAUF_RNA_LAB SYNWS01_SYNDP01_LKSVC01", PARAMETERIZED_TYPE),
    ("ajaydell__ADF/ajaytest01 Bobba", "legacy global parameters: depends on the factory resource"),
    ("ajaydell__ADF/ajaytest01 test", "legacy global parameters: depends on the factory resource"),
    ("kromerm__makadfwestus2/makadfwestus2 dataflow8", "order: a data flow's flowlet before its datasets"),
    (
        "lnewportmsft__adf-ln-dev-datafactory/adf-ln-dev-datafactory adfcdc1",
        "a change data capture of 2022 had no dependsOn",
    ),
];

/// A custom definition parameterized a reference's type too: the template no longer says what
/// it references (exporting the folder works: the references are read before parameterization).
const PARAMETERIZED_TYPE: &str = "the reference's type is a parameter in the template";

/// The resources of one template, for [`Lookup`](adfc::export::rewrite::Lookup).
struct Resources(Vec<(adfc::template::ObjectType, String)>);

impl adfc::export::rewrite::Lookup for Resources {
    fn canonical(&self, otype: adfc::template::ObjectType, name: &str) -> Option<&str> {
        self.0.iter().find(|(t, n)| *t == otype && n.eq_ignore_ascii_case(name)).map(|(_, n)| n.as_str())
    }

    fn dataflow_streams(&self, _: &str) -> Vec<String> {
        Vec::new()
    }
}

/// ADF's `dependsOn` of every resource of every corpus export, from its references.
#[test]
fn depends_on_is_computed_as_adf_does_for_every_corpus_resource() {
    use adfc::export::arm::{depends_on, reference_paths};
    use adfc::template::ObjectType;
    let Some(corpus) = common::corpus() else { return };
    let (mut mismatches, mut checked) = (Vec::new(), 0);
    for path in templates(&corpus) {
        let text = read(&path);
        let template: Value = serde_json::from_str(text.trim_start_matches('\u{feff}')).expect("JSON");
        let resources = template["resources"].as_array().cloned().unwrap_or_default();
        let name_of = |r: &Value| {
            let name = r["name"].as_str().unwrap_or("");
            name.trim_start_matches("[concat(parameters('factoryName'), '/").trim_end_matches("')]").to_string()
        };
        let typed = |r: &Value| ObjectType::from_resource_type(r["type"].as_str().unwrap_or(""));
        let lookup = Resources(resources.iter().filter_map(|r| Some((typed(r)?, name_of(r)))).collect());
        for resource in &resources {
            let Some(otype) =
                typed(resource).filter(|t| !matches!(t, ObjectType::ManagedPrivateEndpoint | ObjectType::Factory))
            else {
                continue;
            };
            let properties = &resource["properties"];
            let computed =
                depends_on((otype, &name_of(resource), None), &reference_paths(properties), properties, &lookup);
            let adfs: Vec<String> = serde_json::from_value(resource["dependsOn"].clone()).unwrap_or_default();
            checked += 1;
            if computed != adfs {
                let folder = path.parent().and_then(|p| p.strip_prefix(&corpus).ok()).unwrap_or(Path::new(""));
                mismatches.push(format!("{} {}", folder.display(), name_of(resource)));
            }
        }
    }
    let known: Vec<&str> = DEPENDS_ON_EXCEPTIONS.iter().map(|(r, _)| *r).collect();
    assert_eq!(mismatches, known, "of {checked} resources");
}

/// Every single-file template of the corpus.
fn templates(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut entries: Vec<PathBuf> =
        std::fs::read_dir(dir).expect("read_dir").map(|e| e.expect("entry").path()).collect();
    entries.sort();
    for entry in entries {
        if entry.is_dir() {
            found.extend(templates(&entry));
        } else if entry.file_name().is_some_and(|n| n == "ARMTemplateForFactory.json") {
            found.push(entry);
        }
    }
    found
}

#[test]
fn files_with_a_byte_order_mark_or_crlf_read_like_any() {
    let broken = Broken::new();
    for rel in ["factory/adf-folder-dev.json", "publish_config.json", "pipeline/PL_Daily.json"] {
        let text = read(&fixture("gitfolder").join(rel));
        broken.write(rel, &format!("\u{feff}{}", text.replace('\n', "\r\n")));
    }
    broken.export(&[], 0);
    let template = read(&broken.dir.path().join("out/ARMTemplateForFactory.json"));
    assert!(template.contains("default_properties_envName_value"), "the factory file's global parameters are read");
    assert!(template.contains("/PL_Daily')]"));
}

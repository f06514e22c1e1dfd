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
    let (_, stderr) = run_ok(&["build", "--template", "fixtures/example", "--layout", "auto", "--out-dir", &out]);
    assert!(stderr.contains("wrote ARMTemplateForFactory.json, ARMTemplateParametersForFactory.json"), "{stderr}");
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
}

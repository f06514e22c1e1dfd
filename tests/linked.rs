//! Linked-template exports, global parameters in every representation,
//! managed private endpoints and resource types adfc does not know.

mod common;

use std::path::{Path, PathBuf};

use common::{adfc, fixture, json, shared};

fn linked_exports(shared: &Path) -> Vec<PathBuf> {
    fn walk(dir: &Path, found: &mut Vec<PathBuf>) {
        let Ok(entries) = std::fs::read_dir(dir) else { return };
        for path in entries.filter_map(Result::ok).map(|e| e.path()) {
            if path.is_dir() {
                walk(&path, found);
            } else if path.file_name().is_some_and(|n| n == "ArmTemplate_master.json") {
                found.extend(path.parent().map(Path::to_path_buf));
            }
        }
    }
    let mut found = Vec::new();
    walk(&shared.join("corpus"), &mut found);
    found.sort();
    found
}

fn build(template: &Path, extra: &[&str], out: &Path) -> std::process::Output {
    adfc().args(["build", "--template"]).arg(template).args(extra).arg("--out-dir").arg(out).output().expect("run adfc")
}

fn objects(template: &Path) -> Vec<(String, String, Option<String>)> {
    let out = adfc().args(["ls", "--format", "json", "--template"]).arg(template).output().expect("run adfc");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let listing: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let mut objects: Vec<(String, String, Option<String>)> = listing["objects"]
        .as_array()
        .expect("objects")
        .iter()
        .map(|o| {
            (
                o["type"].as_str().unwrap_or("").into(),
                o["name"].as_str().unwrap_or("").into(),
                o["folder"].as_str().map(String::from),
            )
        })
        .collect();
    objects.sort();
    objects
}

/// Template files of a linked folder that the master references, plus master and parameters.
fn written_files(out: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(out)
        .expect("out dir")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    files
}

#[test]
fn every_linked_export_round_trips_and_lists_like_its_single_file_twin() {
    let Some(shared) = shared() else {
        return;
    };
    let exports = linked_exports(&shared);
    assert!(exports.len() >= 15, "found only {} linked exports", exports.len());
    for folder in exports {
        let out = tempfile::tempdir().expect("tempdir");
        let result = build(&folder, &[], out.path());
        assert!(result.status.success(), "{}: {}", folder.display(), String::from_utf8_lossy(&result.stderr));
        let files = written_files(&out.path().join("linkedTemplates"));
        assert!(files.len() >= 3, "{}: wrote {files:?}", folder.display());
        for file in files {
            let input = folder.join(file.file_name().expect("name"));
            assert_eq!(std::fs::read(&input).ok(), std::fs::read(&file).ok(), "{} differs", input.display());
        }
        let twin = folder.parent().expect("parent").join("ARMTemplateForFactory.json");
        if twin.is_file() {
            assert_eq!(
                objects(&folder),
                objects(&twin),
                "{}: linked and single-file listings differ",
                folder.display()
            );
        }
    }
}

#[test]
fn a_row_changes_an_object_that_lives_in_a_later_part() {
    let Some(shared) = shared() else { return };
    let folder = shared.join("corpus/hmcts__vh-reports/vh-datafactory-dev/linkedTemplates");
    let dir = tempfile::tempdir().expect("tempdir");
    let config = dir.path().join("config-prod.csv");
    std::fs::write(&config, "type,name,path,value\ntrigger,Daily_VH_Video_Data_Load,runtimeState,Stopped\n")
        .expect("write");
    let out = dir.path().join("out");
    let result = build(&folder, &["--config", config.to_str().expect("utf-8")], &out);
    assert!(result.status.success(), "{}", String::from_utf8_lossy(&result.stderr));
    let out = out.join("linkedTemplates");
    for name in ["ArmTemplate_master.json", "ArmTemplate_0.json", "ArmTemplateParameters_master.json"] {
        assert_eq!(std::fs::read(folder.join(name)).ok(), std::fs::read(out.join(name)).ok(), "{name} changed");
    }
    let part = json(&out.join("ArmTemplate_1.json"));
    assert_eq!(
        common::resource(&part, "triggers", "Daily_VH_Video_Data_Load")["properties"]["runtimeState"],
        "Stopped"
    );
}

#[test]
fn an_inlined_parameter_is_pruned_from_part_master_and_parameters_file() {
    let Some(shared) = shared() else { return };
    let folder = shared.join("corpus/hmcts__vh-reports/vh-datafactory-dev/linkedTemplates");
    let dir = tempfile::tempdir().expect("tempdir");
    let config = dir.path().join("config.csv");
    std::fs::write(&config, "type,name,path,value\nlinkedService,vhreporting-kv-link,typeProperties.baseUrl,https://kv-prod.vault.azure.net/\n")
        .expect("write");
    let out = dir.path().join("out");
    let result = build(&folder, &["--config", config.to_str().expect("utf-8"), "--inline"], &out);
    assert!(result.status.success(), "{}", String::from_utf8_lossy(&result.stderr));
    let out = out.join("linkedTemplates");
    let param = "vhreporting-kv-link_properties_typeProperties_baseUrl";
    let part = json(&out.join("ArmTemplate_0.json"));
    assert!(part["parameters"].get(param).is_none());
    assert_eq!(
        common::resource(&part, "linkedServices", "vhreporting-kv-link")["properties"]["typeProperties"]["baseUrl"],
        "https://kv-prod.vault.azure.net/"
    );
    let master = json(&out.join("ArmTemplate_master.json"));
    assert!(master["parameters"].get(param).is_none());
    for deployment in master["resources"].as_array().expect("resources") {
        assert!(deployment["properties"]["parameters"].get(param).is_none(), "still passed to {}", deployment["name"]);
    }
    assert!(json(&out.join("ArmTemplateParameters_master.json"))["parameters"].get(param).is_none());
    // Without --inline the value goes to the master parameters file instead.
    let out2 = dir.path().join("out2");
    let result = build(&folder, &["--config", config.to_str().expect("utf-8")], &out2);
    assert!(result.status.success());
    let out2 = out2.join("linkedTemplates");
    assert_eq!(
        json(&out2.join("ArmTemplateParameters_master.json"))["parameters"][param]["value"],
        "https://kv-prod.vault.azure.net/"
    );
    assert_eq!(
        std::fs::read(folder.join("ArmTemplate_0.json")).ok(),
        std::fs::read(out2.join("ArmTemplate_0.json")).ok()
    );
}

#[test]
fn linked_master_file_and_factory_folder_are_accepted() {
    let Some(shared) = shared() else { return };
    let folder = shared.join("corpus/mamaejim__CustomeTemplate");
    let out = tempfile::tempdir().expect("tempdir");
    let result = build(&folder, &[], out.path());
    assert!(result.status.success(), "{}", String::from_utf8_lossy(&result.stderr));
    // Given the folder that holds linkedTemplates/, the same layout is written.
    assert!(out.path().join("linkedTemplates/ArmTemplate_12.json").is_file());
    let stderr = String::from_utf8_lossy(&result.stderr);
    assert!(stderr.contains("declares 261 parameters, over ARM's limit of 256"), "{stderr}");
    let master = folder.join("linkedTemplates/ArmTemplate_master.json");
    let out2 = tempfile::tempdir().expect("tempdir");
    assert!(build(&master, &[], out2.path()).status.success());
    // Whichever form --template takes, a linked layout is written under linkedTemplates/, as ADF does.
    assert!(out2.path().join("linkedTemplates/ArmTemplate_master.json").is_file());
}

#[test]
fn global_parameters_side_file_is_updated_and_written() {
    let Some(shared) = shared() else { return };
    let folder = shared.join("corpus/ajaydell__ADF/ADFDEVHIMA01");
    let dir = tempfile::tempdir().expect("tempdir");
    let config = dir.path().join("config.csv");
    std::fs::write(
        &config,
        "type,name,path,value\n\
         factory,*,\"$.properties.globalParameters.'deployment'.value\",prod\n\
         factory,ADFDEVHIMA01,\"+$.properties.globalParameters.regions.value\",\"[\"\"westeurope\"\",\"\"northeurope\"\"]\"\n\
         factory,ADFDEVHIMA01,\"+$.properties.globalParameters.regions.type\",array\n\
         factory,*,\"+$.properties.globalParameters.limits.type\",object\n\
         factory,*,\"+$.properties.globalParameters.limits.value\",\"{'max': 5}\"\n",
    )
    .expect("write");
    let out = dir.path().join("out");
    let result = build(&folder, &["--config", config.to_str().expect("utf-8")], &out);
    assert!(result.status.success(), "{}", String::from_utf8_lossy(&result.stderr));
    let side = json(&out.join("globalParameters/ADFDEVHIMA01_GlobalParameters.json"));
    assert_eq!(side["deployment"]["value"], "prod");
    assert_eq!(side["regions"]["value"], serde_json::json!(["westeurope", "northeurope"]));
    assert_eq!(side["limits"]["value"], serde_json::json!({"max": 5}));
    assert_eq!(side["limits"]["type"], "object");
}

#[test]
fn global_parameters_resource_is_addressed_through_the_factory() {
    let Some(shared) = shared() else { return };
    let template = shared.join("corpus/KranioIO__repo-shared/ARMTemplateForFactory.json");
    let source = json(&template);
    let gp = source["resources"]
        .as_array()
        .expect("resources")
        .iter()
        .find(|r| r["type"].as_str().is_some_and(|t| t.ends_with("/globalparameters")))
        .expect("globalparameters resource");
    let name = gp["properties"].as_object().and_then(|p| p.keys().next().cloned()).expect("a global parameter");
    let dir = tempfile::tempdir().expect("tempdir");
    let config = dir.path().join("config.csv");
    std::fs::write(
        &config,
        format!(
            "type,name,path,value\nfactory,*,\"$.properties.globalParameters.{name}.value\",changed\n\
             factory,*,\"+$.properties.globalParameters.newOne.value\",\"{{\"\"a\"\": [1, 2]}}\"\n\
             factory,*,\"+$.properties.globalParameters.newOne.type\",object\n"
        ),
    )
    .expect("write");
    let out = dir.path().join("out");
    let result = build(&template, &["--config", config.to_str().expect("utf-8")], &out);
    assert!(result.status.success(), "{}", String::from_utf8_lossy(&result.stderr));
    let output = json(&out.join("ARMTemplateForFactory.json"));
    let gp = output["resources"]
        .as_array()
        .expect("resources")
        .iter()
        .find(|r| r["type"].as_str().is_some_and(|t| t.ends_with("/globalparameters")))
        .expect("globalparameters resource");
    // The export parameterizes global parameter values: the value goes to the parameters file.
    let expression = source_value(&source, &name);
    assert_eq!(gp["properties"][&name]["value"], expression.as_str());
    let param = expression.trim_start_matches("[parameters('").trim_end_matches("')]");
    assert_eq!(json(&out.join("ARMTemplateParametersForFactory.json"))["parameters"][param]["value"], "changed");
    assert_eq!(gp["properties"]["newOne"]["value"], serde_json::json!({"a": [1, 2]}));
}

#[test]
fn managed_private_endpoints_are_addressed_by_their_own_name() {
    let dir = tempfile::tempdir().expect("tempdir");
    let config = dir.path().join("config.csv");
    std::fs::write(&config, "type,name,path,value\nmanagedPrivateEndpoint,mpe_blob,groupId,dfs\n").expect("write");
    let out = dir.path().join("out");
    let result = build(&fixture("unknown-type"), &["--config", config.to_str().expect("utf-8")], &out);
    assert!(result.status.success(), "{}", String::from_utf8_lossy(&result.stderr));
    let output = json(&out.join("ARMTemplateForFactory.json"));
    assert_eq!(
        common::resource(&output, "managedPrivateEndpoints", "default/mpe_blob")["properties"]["groupId"],
        "dfs"
    );
}

#[test]
fn unknown_resource_types_pass_through_untouched_and_are_reported_once() {
    let out = tempfile::tempdir().expect("tempdir");
    let template = fixture("unknown-type/ARMTemplateForFactory.json");
    let result = build(&template, &[], out.path());
    assert!(result.status.success());
    let stderr = String::from_utf8_lossy(&result.stderr);
    assert_eq!(stderr.matches("warning[template::not-adf]").count(), 1, "{stderr}");
    assert!(stderr.contains("2 resource(s) of type `Microsoft.Storage/storageAccounts`"), "{stderr}");
    assert_eq!(std::fs::read(&template).ok(), std::fs::read(out.path().join("ARMTemplateForFactory.json")).ok());
    // A row cannot address them.
    let dir = tempfile::tempdir().expect("tempdir");
    let config = dir.path().join("config.csv");
    std::fs::write(&config, "type,name,path,value\nlinkedService,stadfmixed,kind,x\n").expect("write");
    let result = build(&template, &["--config", config.to_str().expect("utf-8")], &dir.path().join("out"));
    assert_eq!(result.status.code(), Some(2));
}

fn source_value(template: &serde_json::Value, name: &str) -> String {
    template["resources"]
        .as_array()
        .expect("resources")
        .iter()
        .find(|r| r["type"].as_str().is_some_and(|t| t.ends_with("/globalparameters")))
        .and_then(|gp| gp["properties"][name]["value"].as_str())
        .expect("parameterized value")
        .to_string()
}

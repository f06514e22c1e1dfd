//! Every real export in ../shared/corpus loads and compiles to byte-identical
//! output, and a one-value config row changes exactly one line.

mod common;

use std::path::PathBuf;

use common::{adfc, corpus_templates, parameters_of};

fn corpus() -> Option<Vec<PathBuf>> {
    let shared = common::shared()?;
    let found = corpus_templates(&shared.join("corpus"));
    assert!(found.len() >= 30, "corpus looks incomplete: {} templates", found.len());
    Some(found)
}

#[test]
fn every_corpus_template_compiles_to_identical_output() {
    let Some(templates) = corpus() else { return };
    let mut failures = Vec::new();
    for template in &templates {
        let out = tempfile::tempdir().expect("tempdir");
        let mut cmd = adfc();
        cmd.args(["build", "--template"]).arg(template).arg("--out-dir").arg(out.path());
        if let Some(p) = parameters_of(template) {
            cmd.arg("--parameters").arg(p);
        }
        let result = cmd.output().expect("run adfc");
        if !result.status.success() {
            failures.push(format!(
                "{}: exit {:?}\n{}",
                template.display(),
                result.status.code(),
                String::from_utf8_lossy(&result.stderr)
            ));
            continue;
        }
        let mut inputs = vec![template.clone()];
        inputs.extend(parameters_of(template));
        for input in inputs {
            let output = out.path().join(input.file_name().expect("file name"));
            let same = std::fs::read(&input).ok() == std::fs::read(&output).ok();
            if !same {
                failures.push(format!("{}: output {} differs from its input", template.display(), output.display()));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} templates failed:\n{}",
        failures.len(),
        templates.len(),
        failures.join("\n")
    );
}

#[test]
fn every_corpus_template_lists_its_objects() {
    let Some(templates) = corpus() else { return };
    for template in &templates {
        let result = adfc().args(["ls", "--format", "json", "--template"]).arg(template).output().expect("run adfc");
        assert!(result.status.success(), "{}: {}", template.display(), String::from_utf8_lossy(&result.stderr));
        let listing: serde_json::Value = serde_json::from_slice(&result.stdout).expect("ls json");
        let source = common::json(template);
        let resources = source["resources"].as_array().map_or(0, Vec::len);
        let objects = listing["objects"].as_array().map_or(0, Vec::len);
        let others = listing["otherResources"].as_array().map_or(0, Vec::len);
        assert_eq!(
            objects + others,
            resources,
            "{}: every resource is an object or listed as other",
            template.display()
        );
    }
}

/// First plain string property (reached through object keys only) of the first ADF object.
fn first_string_property(template: &serde_json::Value) -> Option<(String, String, String)> {
    for resource in template["resources"].as_array()? {
        let rtype = resource["type"].as_str()?;
        let kind = rtype.rsplit('/').next()?;
        let object_type = match kind {
            "pipelines" => "pipeline",
            "datasets" => "dataset",
            "linkedServices" => "linkedService",
            "triggers" => "trigger",
            "dataflows" => "dataflow",
            _ => continue,
        };
        let name = resource["name"].as_str()?.rsplit_once("'/")?.1.trim_end_matches("')]").to_string();
        if name.contains('\'') {
            continue;
        }
        if let Some(path) = string_leaf(&resource["properties"], String::new()) {
            return Some((object_type.to_string(), name, path));
        }
    }
    None
}

fn string_leaf(value: &serde_json::Value, prefix: String) -> Option<String> {
    let object = value.as_object()?;
    for (key, child) in object {
        if !key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            continue;
        }
        let path = if prefix.is_empty() { key.clone() } else { format!("{prefix}.{key}") };
        match child {
            serde_json::Value::String(s) if !s.starts_with('[') && !s.contains('\n') => return Some(path),
            serde_json::Value::Object(_) => {
                if let Some(found) = string_leaf(child, path) {
                    return Some(found);
                }
            }
            _ => {}
        }
    }
    None
}

#[test]
fn a_one_value_row_changes_exactly_one_line_of_every_corpus_template() {
    let Some(templates) = corpus() else { return };
    let mut checked = 0;
    for template in &templates {
        let source = common::json(template);
        let Some((object_type, name, path)) = first_string_property(&source) else { continue };
        let dir = tempfile::tempdir().expect("tempdir");
        let config = dir.path().join("config-test.csv");
        std::fs::write(&config, format!("type,name,path,value\n{object_type},\"{name}\",{path},adfc-was-here\n"))
            .expect("write");
        let out = dir.path().join("out");
        let result = adfc()
            .args(["build", "--template"])
            .arg(template)
            .arg("--config")
            .arg(&config)
            .arg("--out-dir")
            .arg(&out)
            .output()
            .expect("run adfc");
        assert!(result.status.success(), "{}: {}", template.display(), String::from_utf8_lossy(&result.stderr));
        let before = std::fs::read_to_string(template).expect("read input");
        let after = std::fs::read_to_string(out.join(template.file_name().expect("name"))).expect("read output");
        let before_lines: Vec<&str> = before.split('\n').collect();
        let after_lines: Vec<&str> = after.split('\n').collect();
        assert_eq!(before_lines.len(), after_lines.len(), "{}: line count changed", template.display());
        let changed: Vec<(&&str, &&str)> = before_lines.iter().zip(&after_lines).filter(|(a, b)| a != b).collect();
        assert_eq!(changed.len(), 1, "{} ({object_type} {name} {path}): {changed:?}", template.display());
        assert!(changed[0].1.contains("adfc-was-here"), "{}: {:?}", template.display(), changed[0]);
        checked += 1;
    }
    assert!(checked >= 25, "only {checked} templates had a plain string property to change");
}

#[test]
fn corpus_config_files_apply_to_their_factory() {
    let Some(shared) = common::shared() else {
        return;
    };
    let repo = shared.join("corpus/ajaydell__ADF");
    let mut configs = vec![repo.join("deployment/config-dev.csv")];
    for entry in std::fs::read_dir(repo.join("_history")).expect("history").filter_map(Result::ok) {
        let config = entry.path().join("deployment/config-dev.csv");
        if config.is_file() {
            configs.push(config);
        }
    }
    for config in configs {
        let text = std::fs::read_to_string(&config).expect("read config");
        let out = tempfile::tempdir().expect("tempdir");
        let result = adfc()
            .args(["build", "--template"])
            .arg(repo.join("ADFDEVHIMA01"))
            .arg("--config")
            .arg(&config)
            .arg("--out-dir")
            .arg(out.path())
            .output()
            .expect("run adfc");
        let stderr = String::from_utf8_lossy(&result.stderr);
        // One historical version names the global parameter, not the factory, in the name column:
        // that row targets no object of this factory and must be reported as such.
        if text.contains("factory,ENV,") {
            assert_eq!(result.status.code(), Some(2), "{stderr}");
            assert!(stderr.contains("no factory named `ENV`"), "{stderr}");
            assert!(stderr.contains("the factory is named `ADFDEVHIMA01`"), "{stderr}");
        } else {
            assert!(result.status.success(), "{}: {stderr}", config.display());
        }
    }
}

//! Properties of `build` over small generated factories (examples/factory_gen)
//! and configs, checked with proptest through the library entry.
//!
//! Case counts are small on purpose: each case generates a factory in a
//! temporary folder and compiles it once or twice.

#[path = "../examples/factory_gen/mod.rs"]
mod factory_gen;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use adfc::config::env::Environment;
use adfc::diff::{Compare, Status};
use adfc::input::TemplateOptions;
use adfc::select::SelectOptions;
use adfc::template::expr::{self, Scope};
use adfc::{Build, BuildOptions, CompileOptions, DiffOptions};
use factory_gen::{Layout, Options};
use proptest::prelude::*;
use serde_json::Value;

const TEMPLATE: &str = "ARMTemplateForFactory.json";
const PARAMETERS: &str = "ARMTemplateParametersForFactory.json";
/// The value of the `SECRET` environment variable: must never reach a template body.
const SECRET: &str = "Pr0p-S3cr3t-value";

fn config() -> ProptestConfig {
    ProptestConfig { cases: 24, failure_persistence: None, ..ProptestConfig::default() }
}

/// A generated factory in a temporary folder.
struct Factory {
    dir: tempfile::TempDir,
    stats: factory_gen::Stats,
}

fn generate(seed: u64, pipelines: usize, rows: usize, rules: usize, layout: Layout) -> Factory {
    let dir = tempfile::tempdir().expect("temp dir");
    let options = Options { pipelines, out: dir.path().join("f"), layout, rows, rules, seed, changed: 0 };
    let stats = factory_gen::generate(&options).expect("generate");
    Factory { dir, stats }
}

/// What to compile: a template, config files, rules files.
#[derive(Default)]
struct Inputs {
    template: PathBuf,
    configs: Vec<PathBuf>,
    rules: Vec<PathBuf>,
    keep_unused_parameters: bool,
}

fn compile(inputs: &Inputs) -> Result<Build, String> {
    let env = BTreeMap::from([("SECRET".to_string(), SECRET.to_string())]);
    let mut compile = CompileOptions {
        template: TemplateOptions { template: inputs.template.clone(), ..TemplateOptions::default() },
        select: SelectOptions { rules_files: inputs.rules.clone(), ..SelectOptions::default() },
        env: Environment::Vars(env),
        keep_unused_parameters: inputs.keep_unused_parameters,
        ..CompileOptions::default()
    };
    compile.config.configs = inputs.configs.clone();
    adfc::build(&BuildOptions { compile, out_dir: None, plan: None, diff: None }).map_err(|f| f.to_string())
}

fn compiled(inputs: &Inputs) -> Build {
    compile(inputs).unwrap_or_else(|e| panic!("build failed: {e}"))
}

/// The output files by relative path.
fn files(build: &Build) -> BTreeMap<PathBuf, String> {
    build.files.iter().map(|f| (f.name.clone(), f.text.clone())).collect()
}

fn text(build: &Build, name: &str) -> String {
    files(build).remove(Path::new(name)).unwrap_or_else(|| panic!("no {name} in the output"))
}

/// The first line where two sets of output files differ, if any.
fn first_difference(a: &BTreeMap<PathBuf, String>, b: &BTreeMap<PathBuf, String>) -> Option<String> {
    if a.keys().ne(b.keys()) {
        return Some(format!("files {:?} vs {:?}", a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>()));
    }
    a.iter()
        .zip(b.values())
        .find_map(|((name, x), y)| {
            let (n, (l, r)) = x.lines().zip(y.lines()).enumerate().find(|(_, (l, r))| l != r)?;
            Some(format!("{}:{}: {l:?} vs {r:?}", name.display(), n + 1))
        })
        .or_else(|| (a != b).then(|| "the files differ in length".to_string()))
}

fn deployed(build: &Build) -> BTreeSet<String> {
    build.objects.iter().filter(|o| o.deployed).map(|o| format!("{}.{}", o.otype.as_str(), o.name)).collect()
}

fn write(path: &Path, text: &str) -> PathBuf {
    std::fs::write(path, text).expect("write");
    path.to_path_buf()
}

/// The data lines of a generated config (no header, comments or blanks).
fn data_rows(config: &str) -> Vec<String> {
    config.lines().skip(1).filter(|l| !l.trim().is_empty() && !l.starts_with('#')).map(str::to_string).collect()
}

/// The cells of a CSV line written by the generator (quoted cells use `""`).
fn cells(line: &str) -> Vec<String> {
    let (mut cells, mut cell, mut quoted) = (Vec::new(), String::new(), false);
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted && chars.peek() == Some(&'"') => {
                cell.push('"');
                chars.next();
            }
            '"' => quoted = !quoted,
            ',' if !quoted => cells.push(std::mem::take(&mut cell)),
            c => cell.push(c),
        }
    }
    cells.push(cell);
    cells
}

fn csv_cell(text: &str) -> String {
    format!("\"{}\"", text.replace('"', "\"\""))
}

fn config_file(dir: &Path, name: &str, rows: &[String]) -> PathBuf {
    write(&dir.join(name), &format!("type,name,path,value\n{}\n", rows.join("\n")))
}

/// Template variables as a scope for the expression evaluator.
struct Variables(BTreeMap<String, String>);

impl Scope for Variables {
    fn variable(&self, name: &str) -> Option<&str> {
        self.0.get(name).map(String::as_str)
    }
}

fn variables(template: &Value) -> Variables {
    let vars = template["variables"].as_object().into_iter().flatten();
    Variables(vars.filter_map(|(k, v)| Some((k.clone(), v.as_str()?.to_string()))).collect())
}

/// (type path below the factory, names), lower-cased, of a resource.
fn resource_key(resource: &Value, scope: &Variables) -> Option<(Vec<String>, Vec<String>)> {
    let rtype = resource["type"].as_str()?.to_lowercase();
    let types = rtype.strip_prefix("microsoft.datafactory/factories")?;
    let types = types.split('/').filter(|s| !s.is_empty()).map(str::to_string).collect();
    let names = expr::resource_name_segments(resource["name"].as_str()?, "factoryName", scope)?;
    Some((types, names.iter().map(|n| n.to_lowercase()).collect()))
}

/// Every self-consistency check of one output template and parameters file.
fn assert_self_consistent(template_text: &str, parameters_text: &str, keep_unused: bool) {
    let template: Value = serde_json::from_str(template_text).expect("output template is JSON");
    let scope = variables(&template);
    let resources = template["resources"].as_array().expect("resources");
    let keys: BTreeSet<_> = resources.iter().filter_map(|r| resource_key(r, &scope)).collect();
    for resource in resources {
        for entry in resource["dependsOn"].as_array().into_iter().flatten() {
            let entry = entry.as_str().expect("dependsOn entries are strings");
            let target = expr::dependency_target(entry, "factoryName", &scope)
                .unwrap_or_else(|| panic!("dependsOn entry {entry} does not resolve"));
            let key = (
                target.types.iter().map(|t| t.to_lowercase()).collect(),
                target.names.iter().map(|n| n.to_lowercase()).collect(),
            );
            assert!(keys.contains(&key), "dependsOn {entry} names no deployed resource");
        }
    }
    let declared: BTreeSet<String> = template["parameters"].as_object().expect("parameters").keys().cloned().collect();
    let mut used = BTreeSet::new();
    for part in ["variables", "resources"] {
        let body = serde_json::to_string(&template[part]).expect("serialize");
        let mut record = |kind: expr::RefKind, name: &str| {
            if kind == expr::RefKind::Parameter {
                used.insert(name.to_string());
            }
        };
        for_each_string(&serde_json::from_str(&body).expect("reparse"), &mut |s| {
            let _ = expr::refs_in_value(s, &mut record);
        });
    }
    let undeclared: Vec<_> = used.difference(&declared).collect();
    assert!(undeclared.is_empty(), "used but not declared: {undeclared:?}");
    if !keep_unused {
        let unused: Vec<_> = declared.difference(&used).collect();
        assert!(unused.is_empty(), "declared but not used: {unused:?}");
    }
    let parameters: Value = serde_json::from_str(parameters_text).expect("parameters file is JSON");
    for name in parameters["parameters"].as_object().expect("parameters").keys() {
        assert!(declared.contains(name), "the parameters file names undeclared parameter {name}");
    }
    assert!(!template_text.contains(SECRET), "a secret value is in the template body");
}

fn for_each_string(value: &Value, f: &mut dyn FnMut(&str)) {
    match value {
        Value::String(s) => f(s),
        Value::Array(items) => items.iter().for_each(|v| for_each_string(v, f)),
        Value::Object(members) => members.values().for_each(|v| for_each_string(v, f)),
        _ => {}
    }
}

/// A generated row's (type, name, path) with the action and the `$.properties.` root taken off.
fn property_key(row: &str) -> Option<(String, String, String)> {
    let c = cells(row);
    let path = c.get(2)?.trim_start_matches(['+', '-']);
    let path = path.strip_prefix("$.properties.").unwrap_or(path);
    Some((c[0].to_lowercase(), c[1].to_lowercase(), path.to_string()))
}

/// Rows that each touch a property no other kept row touches: no wildcard,
/// no JSONPath query, no path that is a prefix of another, and (as an array
/// item can be addressed by index or by name) no two paths into the same
/// array.
fn disjoint_rows(rows: &[String]) -> Vec<String> {
    let mut kept: Vec<(String, (String, String, String))> = Vec::new();
    for row in rows {
        let Some(key) = property_key(row) else { continue };
        if key.1.contains(['*', '?', '[']) || key.2.starts_with('$') || key.2.contains("[?") || key.2.contains("[*") {
            continue;
        }
        let overlaps = kept.iter().any(|(_, k)| k.0 == key.0 && k.1 == key.1 && paths_overlap(&k.2, &key.2));
        if !overlaps {
            kept.push((row.clone(), key));
        }
    }
    kept.into_iter().map(|(row, _)| row).collect()
}

fn paths_overlap(a: &str, b: &str) -> bool {
    let first = |p: &str| p.split(['.', '[']).next().unwrap_or_default().to_string();
    a.starts_with(b) || b.starts_with(a) || (first(a) == first(b) && (a.contains('[') || b.contains('[')))
}

/// A deterministic shuffle (Fisher-Yates over a SplitMix64 stream).
fn shuffled(rows: &[String], seed: u64) -> Vec<String> {
    let mut rng = factory_gen::Rng::new(seed);
    let mut rows = rows.to_vec();
    for i in (1..rows.len()).rev() {
        rows.swap(i, rng.below(i + 1));
    }
    rows
}

/// A row that puts `$Env:SECRET` into a secret property of the first linked service.
fn secret_row(build: &Build) -> (String, String) {
    let ls = build
        .objects
        .iter()
        .find(|o| o.otype.as_str() == "linkedService")
        .expect("a generated factory has linked services");
    let row = format!("linkedService,{},+typeProperties.password,\"$($Env:SECRET)\"", csv_cell(&ls.name));
    (row, ls.name.clone())
}

proptest! {
    #![proptest_config(config())]

    /// No config and no rules: every output file is byte-identical to its input.
    #[test]
    fn empty_config_is_the_identity(seed in 0u64..1_000_000, pipelines in 1usize..5, linked in any::<bool>()) {
        let layout = if linked { Layout::Linked } else { Layout::Single };
        let f = generate(seed, pipelines, 0, 0, layout);
        let build = compiled(&Inputs { template: f.stats.template.clone(), ..Inputs::default() });
        prop_assert!(!build.files.is_empty());
        for (name, text) in files(&build) {
            let input = std::fs::read_to_string(f.dir.path().join("f").join(&name)).expect("input file");
            prop_assert!(input == text, "{} differs from its input", name.display());
        }
    }

    /// Update-only rows: compiling the output again with the same config changes nothing.
    #[test]
    fn update_only_config_twice_equals_once(seed in 0u64..1_000_000, pipelines in 1usize..4, rows in 1usize..30) {
        let f = generate(seed, pipelines, rows, 0, Layout::Single);
        let generated = std::fs::read_to_string(f.stats.config.as_ref().expect("rows")).expect("config");
        let updates: Vec<String> =
            data_rows(&generated).into_iter().filter(|r| !cells(r)[2].starts_with(['+', '-'])).collect();
        prop_assume!(!updates.is_empty());
        let config = config_file(f.dir.path(), "config-updates.csv", &updates);
        let once = compiled(&Inputs { template: f.stats.template.clone(), configs: vec![config.clone()], ..Inputs::default() });
        let again_dir = f.dir.path().join("once");
        std::fs::create_dir_all(&again_dir).expect("mkdir");
        for (name, text) in files(&once) {
            write(&again_dir.join(name), &text);
        }
        let twice = compiled(&Inputs { template: again_dir.join(TEMPLATE), configs: vec![config], ..Inputs::default() });
        prop_assert!(once.summary.rows_applied > 0, "no row applied");
        let difference = first_difference(&files(&once), &files(&twice));
        prop_assert!(difference.is_none(), "{:?}\nrows:\n{}", difference, updates.join("\n"));
    }

    /// `diff` of a stage against its own source lists exactly the objects the
    /// config rows changed, and names a config row behind every property change.
    #[test]
    fn diff_against_the_source_lists_exactly_what_the_rows_changed(
        seed in 0u64..1_000_000, pipelines in 1usize..4, rows in 1usize..30
    ) {
        let f = generate(seed, pipelines, rows, 0, Layout::Single);
        let generated = std::fs::read_to_string(f.stats.config.as_ref().expect("rows")).expect("config");
        let config = config_file(f.dir.path(), "config-rows.csv", &data_rows(&generated));
        let inputs = Inputs { template: f.stats.template.clone(), configs: vec![config.clone()], ..Inputs::default() };
        let build = compiled(&inputs);
        let changed: BTreeSet<String> = build.changes.iter().map(|c| c.object.clone()).collect();
        prop_assume!(!changed.is_empty());
        let mut stage = CompileOptions {
            template: TemplateOptions { template: inputs.template.clone(), ..TemplateOptions::default() },
            env: Environment::Vars(BTreeMap::from([("SECRET".to_string(), SECRET.to_string())])),
            ..CompileOptions::default()
        };
        stage.config.configs = vec![config];
        let options = DiffOptions { compare: Compare::SourceToStage(stage), show_secrets: false, texts: false };
        let diff = adfc::diff(&options).map_err(|f| f.to_string()).expect("diff");
        let listed: BTreeSet<String> = diff.objects.iter().map(|o| format!("{}.{}", o.otype.as_str(), o.name)).collect();
        prop_assert!(listed == changed, "diff lists {:?}\nthe rows changed {:?}", listed, changed);
        for object in &diff.objects {
            prop_assert!(object.status == Status::Changed, "{}: {:?}", object.label, object.status);
            for change in &object.changes {
                prop_assert!(!change.origins.is_empty(), "{} {}: no config row behind it", object.label, change.path);
            }
        }
    }

    /// An extra exclude rule never deploys an object that was not deployed before.
    #[test]
    fn an_exclude_rule_never_adds_an_object(seed in 0u64..1_000_000, pipelines in 1usize..5, rules in 0usize..10, pick in any::<prop::sample::Index>(), wildcard in any::<bool>()) {
        let f = generate(seed, pipelines, 0, rules, Layout::Single);
        let mut rule_lines = f.stats.rules_file.as_ref().map(|p| std::fs::read_to_string(p).expect("rules")).unwrap_or_default();
        let before_rules = write(&f.dir.path().join("before.rules"), &rule_lines);
        let before = compiled(&Inputs { template: f.stats.template.clone(), rules: vec![before_rules], ..Inputs::default() });
        let object = &before.objects[pick.index(before.objects.len())];
        let name = if wildcard { format!("{}*", object.name.chars().next().unwrap_or('x')) } else { object.name.clone() };
        rule_lines.push_str(&format!("\n-{}.{}\n", object.otype.as_str(), name.replace('[', "[[]")));
        let after_rules = write(&f.dir.path().join("after.rules"), &rule_lines);
        let after = compiled(&Inputs { template: f.stats.template.clone(), rules: vec![after_rules], ..Inputs::default() });
        let added: Vec<_> = deployed(&after).difference(&deployed(&before)).cloned().collect();
        prop_assert!(added.is_empty(), "the exclude rule added {:?}", added);
        prop_assert!(deployed(&after).len() <= deployed(&before).len());
    }

    /// Every output is self-consistent, with rows, rules and a secret from the environment.
    #[test]
    fn every_output_is_self_consistent(seed in 0u64..1_000_000, pipelines in 1usize..4, rows in 0usize..30, rules in 0usize..10, keep_unused in any::<bool>()) {
        let f = generate(seed, pipelines, rows, rules, Layout::Single);
        let plain = compiled(&Inputs { template: f.stats.template.clone(), ..Inputs::default() });
        let generated = f.stats.config.as_ref().map(|p| std::fs::read_to_string(p).expect("config")).unwrap_or_default();
        let mut lines = data_rows(&generated);
        let (row, secret_owner) = secret_row(&plain);
        lines.push(row);
        let inputs = Inputs {
            template: f.stats.template.clone(),
            configs: vec![config_file(f.dir.path(), "config-all.csv", &lines)],
            rules: f.stats.rules_file.clone().into_iter().collect(),
            keep_unused_parameters: keep_unused,
        };
        let build = compiled(&inputs);
        assert_self_consistent(&text(&build, TEMPLATE), &text(&build, PARAMETERS), keep_unused);
        if deployed(&build).contains(&format!("linkedService.{secret_owner}")) {
            prop_assert!(text(&build, PARAMETERS).contains(SECRET), "the secret is not in the parameters file");
        }
    }

    /// Rows that touch different properties give the same bytes in any order.
    #[test]
    fn output_does_not_depend_on_the_order_of_disjoint_rows(seed in 0u64..1_000_000, pipelines in 1usize..4, rows in 2usize..30, shuffle in any::<u64>()) {
        let f = generate(seed, pipelines, rows, 0, Layout::Single);
        let generated = std::fs::read_to_string(f.stats.config.as_ref().expect("rows")).expect("config");
        let disjoint = disjoint_rows(&data_rows(&generated));
        prop_assume!(disjoint.len() >= 2);
        let a = config_file(f.dir.path(), "config-a.csv", &disjoint);
        let b = config_file(f.dir.path(), "config-b.csv", &shuffled(&disjoint, shuffle));
        let template = f.stats.template.clone();
        let first = compiled(&Inputs { template: template.clone(), configs: vec![a], ..Inputs::default() });
        let second = compiled(&Inputs { template, configs: vec![b], ..Inputs::default() });
        prop_assert!(first.summary.rows_applied > 0, "no row applied");
        let difference = first_difference(&files(&first), &files(&second));
        prop_assert!(difference.is_none(), "{:?}\nrows:\n{}", difference, disjoint.join("\n"));
    }

    /// A literal string starting with `[` is written escaped (`[[…`) and reads back as itself.
    #[test]
    fn a_literal_starting_with_a_bracket_round_trips(seed in 0u64..1_000, literal in "\\[[A-Z][a-zA-Z0-9 '(),.\\[\\]]{0,24}") {
        let f = generate(seed, 1, 0, 0, Layout::Single);
        let plain = compiled(&Inputs { template: f.stats.template.clone(), ..Inputs::default() });
        let pipeline = plain.objects.iter().find(|o| o.otype.as_str() == "pipeline").expect("a pipeline");
        let row = format!("pipeline,{},+adfcLiteral,{}", csv_cell(&pipeline.name), csv_cell(&literal));
        let config = config_file(f.dir.path(), "config-literal.csv", &[row]);
        let build = compiled(&Inputs { template: f.stats.template.clone(), configs: vec![config], ..Inputs::default() });
        let template: Value = serde_json::from_str(&text(&build, TEMPLATE)).expect("JSON");
        let written = template["resources"]
            .as_array()
            .expect("resources")
            .iter()
            .find_map(|r| r["properties"]["adfcLiteral"].as_str())
            .expect("the added property");
        prop_assert_eq!(written, format!("[{literal}"));
        prop_assert_eq!(expr::classify(written), expr::StrKind::Literal(literal.as_str().into()));
    }
}

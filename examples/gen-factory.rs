//! Write a synthetic, realistic Azure Data Factory export for benchmarks.
//!
//! ```sh
//! cargo run --release --example gen-factory -- --pipelines 8000 --out /tmp/adf-50mb \
//!     [--layout single|linked|folder] [--rows 2000] [--rules 50] [--seed 1] [--changed 10]
//! ```
//!
//! Same seed and pipeline count → byte-identical factory (the rows and rules
//! do not change the factory). Keep the output out of the repository
//! (`/tmp` or `target/`).

mod factory_gen;

use std::path::PathBuf;
use std::process::ExitCode;

use factory_gen::{Layout, Options};

const USAGE: &str =
    "usage: gen-factory --pipelines N [--out DIR] [--layout single|linked|folder] [--rows K] [--rules R] [--seed S] [--changed P]

  --pipelines N   pipelines to generate (datasets ~1.2N, linked services ~0.1N+5,
                  data flows and triggers ~0.05N; ~2.4N resources, ~2.5 KB each)
  --out DIR       output folder [default: target/gen-factory]
  --layout L      single (ARMTemplateForFactory.json), linked (linkedTemplates/) or folder
                  (ADF's Git folder, one file per object, for adfc export) [default: single]
  --rows K        also write DIR/deployment/config-bench.csv with K valid config rows
  --rules R       also write DIR/deployment/bench.rules with R selection rules
  --seed S        PRNG seed [default: 1]
  --changed P     change P% of the objects: a variant of the same factory, to diff against it";

fn parse(args: &[String]) -> Result<Options, String> {
    let mut options = Options::new("target/gen-factory");
    let mut pipelines = None;
    let mut i = 0;
    while i < args.len() {
        let flag = args[i].as_str();
        if flag == "-h" || flag == "--help" {
            return Err(String::new());
        }
        let value = args.get(i + 1).ok_or_else(|| format!("{flag} needs a value"))?;
        let number = || value.parse::<u64>().map_err(|_| format!("{flag}: `{value}` is not a number"));
        match flag {
            "--pipelines" => pipelines = Some(number()? as usize),
            "--out" => options.out = PathBuf::from(value),
            "--rows" => options.rows = number()? as usize,
            "--rules" => options.rules = number()? as usize,
            "--seed" => options.seed = number()?,
            "--changed" => options.changed = number()? as usize,
            "--layout" => {
                options.layout = match value.as_str() {
                    "single" => Layout::Single,
                    "linked" => Layout::Linked,
                    "folder" => Layout::Folder,
                    other => return Err(format!("--layout: `{other}` is not single, linked or folder")),
                }
            }
            other => return Err(format!("unknown argument `{other}`")),
        }
        i += 2;
    }
    options.pipelines = pipelines.ok_or("--pipelines is required")?;
    if options.pipelines == 0 {
        return Err("--pipelines must be at least 1".into());
    }
    Ok(options)
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let options = match parse(&args) {
        Ok(options) => options,
        Err(message) if message.is_empty() => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(message) => {
            eprintln!("gen-factory: {message}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let stats = match factory_gen::generate(&options) {
        Ok(stats) => stats,
        Err(e) => {
            eprintln!("gen-factory: cannot write to `{}`: {e}", options.out.display());
            return ExitCode::from(1);
        }
    };
    let [pipelines, datasets, linked_services, dataflows, triggers] = stats.counts;
    println!(
        "gen-factory: {} layout in {}: {} resources ({pipelines} pipelines, {datasets} datasets, \
         {linked_services} linked services, {dataflows} data flows, {triggers} triggers, 1 factory)",
        options.layout.as_str(),
        options.out.display(),
        stats.resources,
    );
    if stats.changed > 0 {
        println!("gen-factory: {} objects changed ({}%)", stats.changed, options.changed);
    }
    if let Some(config) = &stats.config {
        println!("gen-factory: {} rows in {}", stats.rows, config.display());
    }
    if let Some(rules) = &stats.rules_file {
        println!(
            "gen-factory: {} rules in {} ({} of {} objects stay deployed)",
            stats.rules,
            rules.display(),
            stats.deployed,
            stats.resources
        );
    }
    let flag = if options.layout == Layout::Folder { "--factory-dir" } else { "--template" };
    println!("{flag} {}", stats.template.display());
    println!("resources: {}", stats.resources);
    println!("bytes: {} ({:.1} MB in {} files)", stats.bytes, stats.bytes as f64 / 1e6, stats.files);
    ExitCode::SUCCESS
}

//! Criterion benchmarks of adfc on synthetic factories of about 1, 10 and 50 MB
//! (≈ 400, 4,000 and 20,000 resources), in the single-file and the linked layout.
//!
//! ```sh
//! cargo bench --bench compile                      # everything (a few minutes on 2 cores)
//! ADFC_BENCH_QUICK=1 cargo bench --bench compile   # 1 MB and 10 MB only
//! cargo bench --bench compile -- 10MB/build_rows   # one benchmark (criterion filter)
//! ```
//!
//! Per size (a criterion group named after it) and layout:
//! - `load`: `input::read_template` + `Factory::load` (read, scan and index);
//! - `build_rows`: `adfc::build` without an output folder, with the size's config rows
//!   (2,000 at 50 MB, proportionally fewer below), which renders the outputs
//!   (nothing is written to disk);
//! - `build_rules`: the same with 50 selection rules and no rows;
//! - `diff`: `adfc::diff` of the factory with a variant of it in which one
//!   object in ten changed (`gen-factory --changed 10`), rendered as text;
//! - `baseline_serde` (single layout): read the template, `serde_json::from_str`
//!   into a `Value` and `to_string_pretty`: the bound to compare with.
//!
//! Data is generated once into `target/bench-data/<size>-<layout>/` by the
//! generator of `examples/gen-factory.rs` (shared source file, no process
//! spawned) and regenerated only when its parameters change. Under
//! `cargo test --all-targets` (criterion's test mode: each benchmark runs
//! once) only the 1 MB factories are generated and run.

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::Duration;

use criterion::{Criterion, SamplingMode, Throughput, criterion_group, criterion_main};

use adfc::config::ConfigOptions;
use adfc::diag::Report;
use adfc::diff::Compare;
use adfc::input::{self, TemplateOptions};
use adfc::select::SelectOptions;
use adfc::source::Sources;
use adfc::template::Factory;
use adfc::{BuildOptions, CompileOptions, DiffOptions};

#[path = "../examples/factory_gen/mod.rs"]
mod factory_gen;

use factory_gen::Layout;

/// One benchmark size.
struct Size {
    label: &'static str,
    pipelines: usize,
    rows: usize,
    measurement: Duration,
}

const SIZES: [Size; 3] = [
    Size { label: "1MB", pipelines: 166, rows: 40, measurement: Duration::from_secs(2) },
    Size { label: "10MB", pipelines: 1666, rows: 400, measurement: Duration::from_secs(4) },
    Size { label: "50MB", pipelines: 8330, rows: 2000, measurement: Duration::from_secs(5) },
];
const RULES: usize = 50;
const SEED: u64 = 1;
/// Bump when the generator's output changes, to regenerate cached data.
const DATA_VERSION: u32 = 2;
/// Percentage of objects changed in the variant that `diff` compares with.
const CHANGED: usize = 10;

/// A generated factory on disk.
struct Data {
    layout: Layout,
    template: PathBuf,
    /// The same factory with `CHANGED`% of its objects changed.
    variant: PathBuf,
    config: PathBuf,
    rules: PathBuf,
    bytes: u64,
}

/// Criterion runs in test mode (one iteration each) unless `--bench` is given
/// without `--test`: `cargo test --all-targets` passes neither.
fn test_mode() -> bool {
    let args: Vec<String> = std::env::args().collect();
    let has = |flag: &str| args.iter().any(|a| a == flag);
    !has("--bench") || has("--test")
}

fn list_mode() -> bool {
    std::env::args().any(|a| a == "--list")
}

fn data_root() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("target"));
    target.join("bench-data")
}

/// Generate (or reuse) the factory of `size` in `layout`, and its variant.
fn prepare(size: &Size, layout: Layout) -> Data {
    let dir = data_root().join(format!("{}-{}", size.label, layout.as_str()));
    let variant = data_root().join(format!("{}-{}-changed", size.label, layout.as_str()));
    generate(size, layout, &dir, 0);
    generate(size, layout, &variant, CHANGED);
    let template = factory_gen::template_path(&dir, layout);
    Data {
        layout,
        bytes: template_bytes(&template),
        template,
        variant: factory_gen::template_path(&variant, layout),
        config: dir.join(factory_gen::CONFIG_FILE),
        rules: dir.join(factory_gen::RULES_FILE),
    }
}

/// Generate the factory of `size` into `dir` unless it is there already.
fn generate(size: &Size, layout: Layout, dir: &Path, changed: usize) {
    let stamp = format!(
        "version={DATA_VERSION} pipelines={} rows={} rules={RULES} seed={SEED} layout={} changed={changed}",
        size.pipelines,
        size.rows,
        layout.as_str()
    );
    let stamp_file = dir.join("bench-stamp.txt");
    let fresh = std::fs::read_to_string(&stamp_file).is_ok_and(|s| s == stamp);
    if fresh || list_mode() {
        return;
    }
    let _ = std::fs::remove_dir_all(dir);
    let mut options = factory_gen::Options::new(dir);
    options.pipelines = size.pipelines;
    options.layout = layout;
    options.rows = size.rows;
    options.rules = RULES;
    options.seed = SEED;
    options.changed = changed;
    let stats = factory_gen::generate(&options)
        .unwrap_or_else(|e| panic!("cannot generate bench data in {}: {e}", dir.display()));
    std::fs::write(&stamp_file, &stamp).unwrap_or_else(|e| panic!("{}: {e}", stamp_file.display()));
    eprintln!("bench data: {} ({} resources, {:.1} MB)", dir.display(), stats.resources, stats.bytes as f64 / 1e6);
}

/// Bytes of the template file, or of every file of a linked folder.
fn template_bytes(template: &Path) -> u64 {
    let files: Vec<PathBuf> = match std::fs::read_dir(template) {
        Ok(entries) => entries.filter_map(Result::ok).map(|e| e.path()).collect(),
        Err(_) => vec![template.to_path_buf()],
    };
    files.iter().filter_map(|f| std::fs::metadata(f).ok()).map(|m| m.len()).sum()
}

fn options(data: &Data, rows: bool, rules: bool) -> CompileOptions {
    CompileOptions {
        template: TemplateOptions { template: data.template.clone(), ..TemplateOptions::default() },
        config: ConfigOptions {
            stage: None,
            root: None,
            configs: if rows { vec![data.config.clone()] } else { vec![] },
        },
        select: SelectOptions {
            rules_files: if rules { vec![data.rules.clone()] } else { vec![] },
            ..SelectOptions::default()
        },
        ..CompileOptions::default()
    }
}

fn explain(what: &str, data: &Data, diagnostics: &[adfc::diag::Diagnostic], sources: &Sources) -> ! {
    let text: Vec<String> = diagnostics.iter().map(|d| adfc::render::diagnostics::plain(d, sources)).collect();
    panic!("{what} failed on {}:\n{}", data.template.display(), text.join("\n"))
}

/// Read the template + Factory::load; returns the number of objects.
fn load(data: &Data) -> usize {
    let options = options(data, false, false);
    let mut sources = Sources::new();
    let template = input::read_template(&options.template, &mut sources)
        .unwrap_or_else(|e| explain("read", data, &e.0, &Sources::new()));
    let mut report = Report::default();
    let factory = Factory::load(&sources, &template.files, &mut report)
        .unwrap_or_else(|d| explain("load", data, std::slice::from_ref(&d), &sources));
    factory.object_count()
}

/// Compile (read, apply rows, select, prune, write the texts; nothing goes to disk); returns the output size.
fn build(data: &Data, rows: bool, rules: bool) -> usize {
    let options = BuildOptions { compile: options(data, rows, rules), out_dir: None, plan: None, diff: None };
    let compiled = adfc::build(&options).unwrap_or_else(|f| explain("build", data, &f.diagnostics, &f.sources));
    compiled.files.iter().map(|f| f.text.len()).sum()
}

/// Compare the factory with its variant (read both, match, diff the changed objects) and render it as text.
fn diff(data: &Data) -> usize {
    let side = |path: &Path| TemplateOptions { template: path.to_path_buf(), ..TemplateOptions::default() };
    let options = DiffOptions {
        compare: Compare::Templates { old: side(&data.template), new: side(&data.variant) },
        show_secrets: false,
        texts: false,
    };
    let diff = adfc::diff(&options).unwrap_or_else(|f| explain("diff", data, &f.diagnostics, &f.sources));
    adfc::render::diff::text::text(&diff, false).len()
}

/// Read, parse to a Value, pretty-print.
fn serde_bound(template: &Path) -> usize {
    let text = std::fs::read_to_string(template).expect("bench template is readable");
    let value: serde_json::Value = serde_json::from_str(&text).expect("bench template is JSON");
    serde_json::to_string_pretty(&value).expect("a Value always serializes").len()
}

fn benches(c: &mut Criterion) {
    let test = test_mode();
    let quick = std::env::var("ADFC_BENCH_QUICK").is_ok_and(|v| !v.is_empty() && v != "0");
    for size in &SIZES {
        if (test && size.label != "1MB") || (quick && size.label == "50MB") {
            continue;
        }
        let layouts = [prepare(size, Layout::Single), prepare(size, Layout::Linked)];
        let mut group = c.benchmark_group(size.label);
        group.sample_size(10).warm_up_time(Duration::from_secs(1)).measurement_time(size.measurement);
        if size.label != "1MB" {
            group.sampling_mode(SamplingMode::Flat);
        }
        for data in &layouts {
            let layout = data.layout.as_str();
            group.throughput(Throughput::Bytes(data.bytes));
            group.bench_function(format!("load/{layout}"), |b| b.iter(|| black_box(load(data))));
            group.bench_function(format!("build_rows/{layout}"), |b| b.iter(|| black_box(build(data, true, false))));
            group.bench_function(format!("build_rules/{layout}"), |b| b.iter(|| black_box(build(data, false, true))));
            group.bench_function(format!("diff/{layout}"), |b| b.iter(|| black_box(diff(data))));
        }
        let single = &layouts[0];
        group.throughput(Throughput::Bytes(single.bytes));
        group.bench_function("baseline_serde/single", |b| b.iter(|| black_box(serde_bound(&single.template))));
        group.finish();
    }
}

criterion_group!(compile_benches, benches);
criterion_main!(compile_benches);

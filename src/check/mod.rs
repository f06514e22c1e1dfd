//! `adfc check`: pre-commit and PR validation. Every stage's files are
//! compiled as `build --stage S` would (nothing is written), the template is
//! checked for what fails a release late or a pipeline at run time, and every
//! problem of every file is reported in one run.

mod env_file;
mod expressions;
mod limits;
mod stage_checks;
mod stages;
mod template;

use std::collections::BTreeMap;
use std::path::PathBuf;

use rayon::prelude::*;

pub use env_file::read_env_file;
pub use limits::{MAX_OUTPUTS, MAX_PARAMETERS, MAX_RESOURCES, MAX_TEMPLATE_BYTES, check_written};
pub use stages::Stage;

use crate::compile::{CompileOptions, ConfigInputs, compile_loaded};
use crate::config::env::Environment;
use crate::config::{ApplyOptions, UnsetEnv};
use crate::diag::{Diagnostic, Errors, Failure, Report, Severity};
use crate::input::{self, TemplateOptions};
use crate::select::SelectOptions;
use crate::source::{FileId, Sources};
use crate::template::Factory;

/// What `adfc check` checks.
#[derive(Debug, Clone, Default)]
pub struct CheckOptions {
    /// The template.
    pub template: TemplateOptions,
    /// Config and rules files to check; none: every `deployment/` file found where `--stage` looks.
    pub files: Vec<PathBuf>,
    /// `--root`: the folder holding `deployment/`.
    pub root: Option<PathBuf>,
    /// Config files applied before every stage's own (`--config`, like `build`).
    pub configs: Vec<PathBuf>,
    /// `KEY=VALUE` lines giving environment variables (else: the process's).
    pub env_file: Option<PathBuf>,
    /// `--no-env`: environment tokens are not looked up (values unknown, not reported).
    pub no_env: bool,
    /// Warnings are errors.
    pub strict: bool,
    /// How rows apply (`--allow-missing-*`).
    pub apply: ApplyOptions,
}

/// One stage as checked.
#[derive(Debug, Clone)]
pub struct StageResult {
    /// `prod`, or a file's stem for a file of no stage.
    pub name: String,
    /// The files it was checked with (common configs first).
    pub files: Vec<FileId>,
    /// Errors found in it.
    pub errors: usize,
    /// Warnings found in it.
    pub warnings: usize,
}

/// A problem, and the stages it was found in (none: the template itself).
#[derive(Debug, Clone)]
pub struct Finding {
    /// The problem.
    pub diagnostic: Diagnostic,
    /// Stages it was found in.
    pub stages: Vec<String>,
}

/// What `check` found.
#[derive(Debug)]
pub struct CheckReport {
    /// The files read (findings point into them).
    pub sources: Sources,
    /// Every stage checked, in order.
    pub stages: Vec<StageResult>,
    /// Every problem, template problems first, each once.
    pub findings: Vec<Finding>,
}

impl CheckReport {
    /// How many errors.
    pub fn errors(&self) -> usize {
        self.findings.iter().filter(|f| f.diagnostic.is_error()).count()
    }

    /// How many warnings.
    pub fn warnings(&self) -> usize {
        self.findings.len() - self.errors()
    }

    /// Nothing to report at all.
    pub fn is_clean(&self) -> bool {
        self.findings.is_empty()
    }
}

/// Check a template and its stages' files. `Err` only when adfc could not
/// run (the template or a named file cannot be read or parsed).
pub fn check(options: &CheckOptions) -> Result<CheckReport, Failure> {
    let mut sources = Sources::new();
    let prepared = match prepare(options, &mut sources) {
        Ok(prepared) => prepared,
        Err(errors) => return Err(Failure::new(errors, sources)),
    };
    let mut load = Report::default();
    prepared.template.warnings.iter().for_each(|w| load.push(w.clone()));
    let loaded = Factory::load(&sources, &prepared.template.files, &mut load).map_err(|d| load.fail(d));
    let (stages, findings) = match loaded {
        Ok(factory) => run(factory, &prepared, load, options),
        // A template that cannot be read: nothing can be checked.
        Err(errors) => return Err(Failure::new(errors, sources)),
    };
    Ok(CheckReport { sources, stages, findings })
}

/// Everything read before checking starts.
struct Prepared {
    template: input::TemplateInput,
    stages: Vec<(String, ConfigInputs)>,
    env: Environment,
}

fn prepare(options: &CheckOptions, sources: &mut Sources) -> Result<Prepared, Errors> {
    let template = input::read_template(&options.template, sources)?;
    let env = match &options.env_file {
        Some(path) => read_env_file(path, sources)?,
        None if options.no_env => Environment::Vars(Default::default()),
        None => Environment::Process,
    };
    let common = input::read_all(&options.configs, sources)?;
    let mut report = Report::default();
    let common_paths: Vec<PathBuf> = options.configs.iter().filter_map(|p| p.canonicalize().ok()).collect();
    let stages = stages::stages(&options.files, options.root.as_deref(), &template.path);
    // A file given with --config applies to every stage: it is not a stage of its own.
    let stages: Vec<Stage> = stages
        .into_iter()
        .filter(|s| s.config.as_ref().is_none_or(|c| !c.canonicalize().is_ok_and(|c| common_paths.contains(&c))))
        .collect();
    let mut checked = Vec::new();
    for stage in stages {
        let mut read = |paths: Vec<PathBuf>| -> Vec<FileId> {
            paths.iter().filter_map(|p| sources.read(p).map_err(|d| report.push(d)).ok()).collect()
        };
        let mut configs = common.clone();
        configs.extend(read(stage.config.into_iter().collect()));
        let rules = read(stage.rules);
        checked.push((stage.name, ConfigInputs { configs, rules, previous: None }));
    }
    report.check()?;
    Ok(Prepared { template, stages: checked, env })
}

/// Check the template and every stage. They are independent (each stage
/// edits its own copy of the factory), so they run in parallel; results keep
/// the order of the stages whatever order they finish in.
fn run(
    factory: Factory<'_>,
    prepared: &Prepared,
    mut load: Report,
    options: &CheckOptions,
) -> (Vec<StageResult>, Vec<Finding>) {
    let unnamed = [(String::new(), ConfigInputs::default())];
    let stages = if prepared.stages.is_empty() { &unnamed[..] } else { &prepared.stages[..] };
    let ((), checked) = rayon::join(
        || template::check_template(&factory, &mut load),
        || {
            stages
                .par_iter()
                .map(|(_, inputs)| check_stage(factory.clone(), inputs, &prepared.env, options))
                .collect::<Vec<_>>()
        },
    );
    let mut all = findings(load.take(), &[], options.strict);
    let mut results = Vec::new();
    for ((name, inputs), diagnostics) in stages.iter().zip(checked) {
        let found = findings(diagnostics, std::slice::from_ref(name), options.strict);
        if !name.is_empty() {
            let errors = found.iter().filter(|f| f.diagnostic.is_error()).count();
            let files = inputs.configs.iter().chain(&inputs.rules).copied().collect();
            results.push(StageResult { name: name.clone(), files, errors, warnings: found.len() - errors });
        }
        all.extend(found);
    }
    (results, merge(all))
}

/// Compile one stage as `build` would, and run the checks of a compiled stage.
fn check_stage(
    factory: Factory<'_>,
    inputs: &ConfigInputs,
    env: &Environment,
    options: &CheckOptions,
) -> Vec<Diagnostic> {
    let compile = CompileOptions {
        apply: options.apply,
        env: env.clone(),
        unset_env: if options.no_env { UnsetEnv::Unknown } else { UnsetEnv::Warning },
        warn_literal_secrets: true,
        select: SelectOptions { rules_files: Vec::new(), ..SelectOptions::default() },
        ..CompileOptions::default()
    };
    match compile_loaded(factory, inputs, &compile, Report::default()) {
        Ok(build) => {
            let mut diagnostics = build.warnings.clone();
            stage_checks::check_build(&build, &mut diagnostics);
            diagnostics
        }
        Err(errors) => errors.0,
    }
}

fn findings(diagnostics: Vec<Diagnostic>, stages: &[String], strict: bool) -> Vec<Finding> {
    diagnostics
        .into_iter()
        .map(|mut d| {
            if strict {
                d.severity = Severity::Error;
            }
            Finding { diagnostic: d, stages: stages.iter().filter(|s| !s.is_empty()).cloned().collect() }
        })
        .collect()
}

/// One finding per problem: a problem found in several stages (a shared
/// config file, a rules file) is listed once, with every stage.
fn merge(all: Vec<Finding>) -> Vec<Finding> {
    let mut merged: Vec<Finding> = Vec::new();
    let mut index: BTreeMap<String, usize> = BTreeMap::new();
    for finding in all {
        let d = &finding.diagnostic;
        let key = format!("{}|{:?}|{:?}|{}", d.code, d.location, d.object, d.message);
        match index.get(&key) {
            Some(&i) => merged[i].stages.extend(finding.stages),
            None => {
                index.insert(key, merged.len());
                merged.push(finding);
            }
        }
    }
    merged
}

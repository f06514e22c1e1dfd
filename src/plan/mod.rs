//! `adfc plan`: which triggers to stop before a deployment and start after
//! it, and which objects to delete, computed offline from the compiled stage
//! and what the target holds (SPEC 4).
//!
//! The steps: read the target (`target`: `--target-state` files, the
//! `--previous` output), decide the deletions (`delete`), then the triggers
//! to stop and start (`triggers`, which stop every trigger to delete), each
//! list in dependency order (`order`). `scripts` turns a plan into bash and
//! PowerShell scripts.

mod compiled;
mod definition;
mod delete;
mod order;
pub mod scripts;
mod target;
mod triggers;

use std::path::PathBuf;

use crate::compile::{Build, CompileOptions, compile_inputs};
use crate::diag::{Code, Diagnostic, Errors, Failure, Report};
use crate::output;
use crate::source::Sources;
use crate::template::ObjectType;

use compiled::Compiled;
use target::Target;

/// `adfc plan`: what to compile, and how to plan.
#[derive(Debug, Clone, Default)]
pub struct PlanOptions {
    /// What to compile (the same inputs as `build`).
    pub compile: CompileOptions,
    /// How to plan.
    pub plan: PlanSettings,
}

/// How to plan a release (the options `plan` and `build --plan` share).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanSettings {
    /// `--target-state` files, in order (a later file's entry for an object wins).
    pub target_state: Vec<PathBuf>,
    /// `--previous`: the output folder of the last release to this stage.
    pub previous: Option<PathBuf>,
    /// Which triggers to stop before deploying.
    pub stop: StopMethod,
    /// Which triggers to start after deploying.
    pub start: StartMethod,
    /// Never stop or start triggers this release does not deploy.
    pub keep_excluded_triggers: bool,
    /// Which objects to delete.
    pub delete: DeleteMethod,
    /// Delete objects the selection rules exclude too.
    pub delete_excluded: bool,
    /// Delete managed private endpoints too.
    pub delete_private_endpoints: bool,
    /// Delete even when that is more than half of the target's objects.
    pub allow_mass_delete: bool,
    /// How many times the start scripts retry a trigger that fails to start.
    pub start_retries: u32,
    /// Where to write the scripts, if anywhere.
    pub emit_scripts: Option<PathBuf>,
}

impl Default for PlanSettings {
    fn default() -> Self {
        PlanSettings {
            target_state: Vec::new(),
            previous: None,
            stop: StopMethod::default(),
            start: StartMethod::default(),
            keep_excluded_triggers: false,
            delete: DeleteMethod::default(),
            delete_excluded: false,
            delete_private_endpoints: false,
            allow_mass_delete: false,
            start_retries: 3,
            emit_scripts: None,
        }
    }
}

/// `--stop`: which triggers to stop before deploying.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum StopMethod {
    /// Every deployed trigger that is (or may be) started.
    #[default]
    Deployable,
    /// Every started trigger of the target (needs target state).
    AllEnabled,
    /// Deployed triggers whose definition changed (needs `--previous` or target-state properties).
    Changed,
}

/// `--start`: which triggers to start after deploying.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum StartMethod {
    /// Deployed triggers whose `runtimeState` in the output is `Started`.
    #[default]
    Source,
    /// The triggers that were started before (needs target state).
    Keep,
}

/// `--delete`: which objects to delete.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum DeleteMethod {
    /// None.
    #[default]
    None,
    /// Those the target has and the output lacks.
    Missing,
}

impl StopMethod {
    /// As written on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            StopMethod::Deployable => "deployable",
            StopMethod::AllEnabled => "all-enabled",
            StopMethod::Changed => "changed",
        }
    }
}

impl StartMethod {
    /// As written on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            StartMethod::Source => "source",
            StartMethod::Keep => "keep",
        }
    }
}

impl DeleteMethod {
    /// As written on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            DeleteMethod::None => "none",
            DeleteMethod::Missing => "missing",
        }
    }
}

/// One thing to do to one object, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    /// Its type.
    pub otype: ObjectType,
    /// Its name.
    pub name: String,
    /// The managed virtual network of a managed private endpoint.
    pub parent: Option<String>,
    /// Why, in words.
    pub reason: String,
    /// Whether the target may not have it (no target state says it does):
    /// scripts then do it only if the object exists.
    pub if_exists: bool,
}

impl Step {
    fn new(otype: ObjectType, name: &str, reason: impl Into<String>) -> Self {
        Step { otype, name: name.to_string(), parent: None, reason: reason.into(), if_exists: false }
    }

    /// `type.name`.
    pub fn id(&self) -> String {
        format!("{}.{}", self.otype, self.name)
    }
}

/// A release plan: triggers to stop before deploying, objects to delete and
/// triggers to start after, each list in the order to run it.
#[derive(Debug)]
pub struct Plan {
    /// The factory's name.
    pub factory: String,
    /// The settings it was made with.
    pub settings: PlanSettings,
    /// Triggers to stop before deploying, dependents first.
    pub stop: Vec<Step>,
    /// Triggers to start after deploying, dependencies first.
    pub start: Vec<Step>,
    /// Objects to delete after deploying, users before what they use.
    pub delete: Vec<Step>,
    /// Objects the target has and the output lacks that are not deleted, and why.
    pub kept: Vec<Step>,
    /// What the plan assumed about the target.
    pub assumptions: Vec<String>,
    /// Warnings (of the compile too, with `adfc plan`).
    pub warnings: Vec<Diagnostic>,
    /// Script files written (`--emit-scripts`).
    pub scripts: Vec<PathBuf>,
    /// The input files (the warnings point into them).
    pub sources: Sources,
}

/// Compile a stage and plan its release; with `emit_scripts`, write the scripts.
pub fn plan(options: &PlanOptions) -> Result<Plan, Failure> {
    let mut sources = Sources::new();
    match run(options, &mut sources) {
        Ok(plan) => Ok(Plan { sources, ..plan }),
        Err(errors) => Err(Failure::new(errors, sources)),
    }
}

fn run(options: &PlanOptions, sources: &mut Sources) -> Result<Plan, Errors> {
    let preload = Preload::start(&options.plan);
    let build = compile_inputs(&options.compile, sources)?;
    let mut plan = compute(&build, &options.plan, preload, sources)?;
    plan.warnings.splice(0..0, build.warnings);
    if let Some(dir) = &options.plan.emit_scripts {
        let files = scripts::files(&plan, std::path::Path::new(""))?;
        output::write_all(dir, &files, sources)?;
        plan.scripts = files.into_iter().map(|f| dir.join(f.name)).collect();
    }
    Ok(plan)
}

/// Work a plan can start before the stage is compiled: loading the previous
/// output (`--previous`), on its own thread.
#[derive(Debug)]
pub struct Preload(target::Preload);

impl Preload {
    /// Start what can start now.
    pub fn start(settings: &PlanSettings) -> Self {
        Preload(target::Preload::start(settings.previous.as_deref()))
    }
}

/// Plan the release of a compiled stage whose input files are in `sources`
/// (the target-state files and the previous output are read into it).
pub fn compute(
    build: &Build,
    settings: &PlanSettings,
    preload: Preload,
    sources: &mut Sources,
) -> Result<Plan, Errors> {
    let target = target::read(&settings.target_state, settings.previous.as_deref(), preload.0, sources)?;
    let mut report = Report::default();
    check_methods(settings, &target, &mut report);
    report.check()?;
    let compiled = Compiled::new(build, sources);
    let deletion = delete::plan(&compiled, &target, settings, &mut report);
    let triggers = triggers::plan(&compiled, &target, settings, &deletion.triggers, &mut report);
    report.check()?;
    Ok(Plan {
        factory: build.factory.clone(),
        settings: settings.clone(),
        stop: triggers.stop,
        start: triggers.start,
        delete: deletion.delete,
        kept: deletion.kept,
        assumptions: triggers.assumptions.into_iter().chain(deletion.assumptions).collect(),
        warnings: report.take(),
        scripts: Vec::new(),
        sources: Sources::new(),
    })
}

/// Methods that need what the target holds, and do not have it.
fn check_methods(settings: &PlanSettings, target: &Target, report: &mut Report) {
    let mut needs = |what: String, note: &str| {
        report.push(Diagnostic::error(Code::PlanNeedsTargetState, what).note(note.to_string()));
    };
    let trigger_state = "save it with `az datafactory trigger list --factory-name F --resource-group G > triggers.json` \
        and pass `--target-state triggers.json`";
    if settings.stop == StopMethod::AllEnabled && !target.knows_triggers {
        needs("`--stop all-enabled` stops every started trigger of the target: it needs the target's triggers (--target-state)".into(), trigger_state);
    }
    if settings.start == StartMethod::Keep && !target.knows_triggers {
        needs("`--start keep` starts the triggers that were started before: it needs the target's triggers (--target-state)".into(), trigger_state);
    }
    if settings.stop == StopMethod::Changed && target.previous.is_none() && !target.has_trigger_properties {
        needs(
            "`--stop changed` compares each trigger with what is deployed: it needs --previous DIR or a --target-state with trigger definitions".into(),
            "`az datafactory trigger list` prints the definitions; a state map or Az PowerShell output has only states",
        );
    }
    if settings.delete == DeleteMethod::Missing && target.previous.is_none() && !target.has_state {
        needs(
            "`--delete missing` deletes what the target has and the output lacks: it needs --target-state or --previous".into(),
            "save the target's objects with `az datafactory <type> list`, or pass the output folder of the last release",
        );
    }
}

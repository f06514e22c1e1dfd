//! `adfc diff`: what a stage gets, object by object and property by
//! property, with the config row behind each change.
//!
//! Both sides are reduced to [`side::SideData`] (objects with their JSON,
//! parameter values, config rows), whatever they came from: a template or
//! output folder as it is, a compiled stage, or the target factory's saved
//! state. [`objects`] matches objects by (type, name) and compares the JSON
//! text first, parsing only objects whose text differs; [`json`] diffs two
//! values structurally. The result is the plain [`Diff`] of [`model`], which
//! the renderers of [`crate::render::diff`] print.

pub mod json;
pub mod model;
pub mod objects;
mod parallel;
pub mod side;

use std::path::PathBuf;

pub use model::{ChangeKind, Counts, Diff, Mode, ObjectDiff, Origin, PropertyChange, Shown, Side, Status, Texts};

use self::objects::{Compared, Settings};
use self::parallel::{both, errors_of, merge};
use self::side::SideData;
use crate::compile::{Build, CompileOptions, ConfigInputs, compile, read_config_and_rules};
use crate::diag::{Code, Diagnostic, Errors, Failure, Location, Report};
use crate::input::{self, TemplateInput, TemplateOptions};
use crate::source::Sources;
use crate::target_state::{Form, TargetState};
use crate::template::{Factory, ObjectType};

/// What `adfc diff` compares.
#[derive(Debug, Clone)]
pub enum Compare {
    /// The source template with its compiled stage (`adfc diff -t export --stage prod`).
    SourceToStage(CompileOptions),
    /// Two compiled stages (`--stage uat --stage prod`).
    Stages {
        /// The old side.
        old: Box<CompileOptions>,
        /// The new side.
        new: Box<CompileOptions>,
    },
    /// Two templates or output folders, as they are (`adfc diff OLD NEW`).
    Templates {
        /// The old side.
        old: TemplateOptions,
        /// The new side.
        new: TemplateOptions,
    },
    /// The target factory (`--target-state` files) with the compiled stage.
    TargetState {
        /// Saved `az datafactory <type> list` output (any object types).
        files: Vec<PathBuf>,
        /// The release.
        stage: CompileOptions,
    },
}

/// `adfc diff`: what to compare and how to show it.
#[derive(Debug, Clone)]
pub struct DiffOptions {
    /// The two sides.
    pub compare: Compare,
    /// Show secrets instead of `••• (hash)` (`--show-secrets`).
    pub show_secrets: bool,
    /// Keep each differing object's pretty JSON on both sides (for unified diffs).
    pub texts: bool,
}

/// Compare two sides; every problem reading or compiling them is a [`Failure`].
pub fn diff(options: &DiffOptions) -> Result<Diff, Failure> {
    match &options.compare {
        Compare::SourceToStage(stage) => source_to_stage(stage, options),
        Compare::TargetState { files, stage } => one_thread(|sources| target_state(files, stage, options, sources)),
        Compare::Stages { old, new } => stages(old, new, options),
        Compare::Templates { old, new } => templates(old, new, options),
    }
}

/// A comparison whose sides are read one after the other, into one set of files.
fn one_thread(run: impl FnOnce(&mut Sources) -> Result<Diff, Errors>) -> Result<Diff, Failure> {
    let mut sources = Sources::new();
    match run(&mut sources) {
        Ok(diff) => Ok(Diff { sources, ..diff }),
        Err(errors) => Err(Failure::new(errors, sources)),
    }
}

/// A stage's name in the output: the stage, or `compiled` without one.
fn stage_label(options: &CompileOptions) -> String {
    options.config.stage.clone().unwrap_or_else(|| "compiled".into())
}

fn settings(options: &DiffOptions, mode: Mode) -> Settings {
    Settings { mode, show_secrets: options.show_secrets, texts: options.texts }
}

/// Everything a compile reads (so the files are only borrowed while compiling).
fn read_stage(options: &CompileOptions, sources: &mut Sources) -> Result<(TemplateInput, ConfigInputs), Errors> {
    let template = input::read_template(&options.template, sources)?;
    let inputs = read_config_and_rules(options, &template, sources)?;
    Ok((template, inputs))
}

/// The source (loaded on one thread) and its compiled stage (on another).
fn source_to_stage(stage: &CompileOptions, options: &DiffOptions) -> Result<Diff, Failure> {
    let (mut old_sources, mut new_sources) = (Sources::new(), Sources::new());
    let (mut source, mut build) = both(
        (&mut old_sources, &mut new_sources),
        |s| load_template(&stage.template, "source", s),
        |s| compile_stage(stage, s),
    );
    let outcome = match (&source, &build) {
        (Ok(source), Ok(build)) => {
            let new = SideData::of_build(stage_label(stage), build, &new_sources);
            let compared = objects::compare(&source.side, &new, settings(options, Mode::SourceToStage));
            let diff = result(Mode::SourceToStage, (&source.side, &new), compared, Vec::new());
            // Loading the source warns about what the compile warns about too: its warnings are enough.
            Ok((diff, Vec::new(), build.warnings.clone()))
        }
        _ => Err((errors_of(&mut source), errors_of(&mut build))),
    };
    drop(source);
    merge(old_sources, new_sources, outcome)
}

/// Read a stage's inputs and compile it.
fn compile_stage(stage: &CompileOptions, sources: &mut Sources) -> Result<Build, Errors> {
    let (template, inputs) = read_stage(stage, sources)?;
    compile(sources, &template, &inputs, stage)
}

/// The source → stage diff of a compiled stage (`build --diff`): secrets masked, no texts, no warnings.
pub fn of_build(sources: &Sources, template: &TemplateInput, build: &Build, label: String) -> Result<Diff, Errors> {
    let settings = Settings { mode: Mode::SourceToStage, show_secrets: false, texts: false };
    let factory = load(sources, &template.files, &mut Report::default())?;
    let old = SideData::of_factory("source".into(), &factory);
    let new = SideData::of_build(label, build, sources);
    let compared = objects::compare(&old, &new, settings);
    Ok(result(Mode::SourceToStage, (&old, &new), compared, Vec::new()))
}

fn stages(old: &CompileOptions, new: &CompileOptions, options: &DiffOptions) -> Result<Diff, Failure> {
    let (mut old_sources, mut new_sources) = (Sources::new(), Sources::new());
    let (mut old_build, mut new_build) =
        both((&mut old_sources, &mut new_sources), |s| compile_stage(old, s), |s| compile_stage(new, s));
    let outcome = match (&old_build, &new_build) {
        (Ok(a), Ok(b)) => {
            let old_side = SideData::of_build(stage_label(old), a, &old_sources);
            let new_side = SideData::of_build(stage_label(new), b, &new_sources);
            let compared = objects::compare(&old_side, &new_side, settings(options, Mode::Stages));
            let diff = result(Mode::Stages, (&old_side, &new_side), compared, Vec::new());
            Ok((diff, a.warnings.clone(), b.warnings.clone()))
        }
        _ => Err((errors_of(&mut old_build), errors_of(&mut new_build))),
    };
    merge(old_sources, new_sources, outcome)
}

/// One template or output folder, read and indexed.
struct Loaded<'s> {
    side: SideData<'s>,
    factory: String,
    warnings: Vec<Diagnostic>,
}

fn load_template<'s>(options: &TemplateOptions, label: &str, sources: &'s mut Sources) -> Result<Loaded<'s>, Errors> {
    let input = input::read_template(options, sources)?;
    let sources: &'s Sources = sources;
    let mut report = Report::default();
    let factory = load(sources, &input.files, &mut report)?;
    let side = SideData::of_factory(label.to_string(), &factory);
    Ok(Loaded { side, factory: factory.name().to_string(), warnings: report.take() })
}

fn templates(old: &TemplateOptions, new: &TemplateOptions, options: &DiffOptions) -> Result<Diff, Failure> {
    let (mut old_sources, mut new_sources) = (Sources::new(), Sources::new());
    let (mut a, mut b) = both(
        (&mut old_sources, &mut new_sources),
        |s| load_template(old, &label(old), s),
        |s| load_template(new, &label(new), s),
    );
    let outcome = match (&mut a, &mut b) {
        (Ok(a), Ok(b)) => {
            let compared = objects::compare(&a.side, &b.side, settings(options, Mode::Templates));
            let mut warnings = std::mem::take(&mut a.warnings);
            if !a.factory.eq_ignore_ascii_case(&b.factory) {
                warnings.push(different_factories((old, &a.factory), (new, &b.factory)));
            }
            let diff = result(Mode::Templates, (&a.side, &b.side), compared, Vec::new());
            Ok((diff, warnings, std::mem::take(&mut b.warnings)))
        }
        _ => Err((errors_of(&mut a), errors_of(&mut b))),
    };
    drop((a, b));
    merge(old_sources, new_sources, outcome)
}

/// A template's name in the output: its path as given.
fn label(options: &TemplateOptions) -> String {
    options.template.display().to_string()
}

fn different_factories(
    (old, old_name): (&TemplateOptions, &str),
    (new, new_name): (&TemplateOptions, &str),
) -> Diagnostic {
    Diagnostic::warning(
        Code::DiffDifferentFactories,
        format!(
            "`{}` is factory `{old_name}` and `{}` is factory `{new_name}`: objects are matched by type and name all the same",
            old.template.display(),
            new.template.display(),
        ),
    )
}

fn target_state(
    files: &[PathBuf],
    stage: &CompileOptions,
    options: &DiffOptions,
    sources: &mut Sources,
) -> Result<Diff, Errors> {
    let ids = input::read_all(files, sources)?;
    let (template, inputs) = read_stage(stage, sources)?;
    let sources = &*sources;
    let mut report = Report::default();
    let state = crate::target_state::read(&ids, sources, &mut report);
    report.check()?;
    warn_presence_only(&state, &mut report);
    let build = compile(sources, &template, &inputs, stage)?;
    let old = SideData::of_target("target factory".into(), &state);
    let mut new = SideData::of_build(stage_label(stage), &build, sources);
    let mut not_compared: Vec<ObjectType> =
        new.objects.iter().map(|o| o.key.otype()).filter(|t| !state.covers(*t)).collect();
    not_compared.sort();
    not_compared.dedup();
    new.objects.retain(|o| state.covers(o.key.otype()));
    let compared = objects::compare(&old, &new, settings(options, Mode::TargetState));
    let mut warnings = report.take();
    warnings.extend(build.warnings.iter().cloned());
    Ok(Diff { not_compared, ..result(Mode::TargetState, (&old, &new), compared, warnings) })
}

/// Files in a form without properties (Az PowerShell, name → state map) can only say that an object exists.
fn warn_presence_only(state: &TargetState, report: &mut Report) {
    for (file, form) in &state.files {
        let listed = state.objects.iter().filter(|o| o.file == *file && o.properties.is_none()).count();
        if listed > 0 && *form != Form::AzCli {
            report.push(
                Diagnostic::warning(
                    Code::DiffPropertiesUnknown,
                    format!(
                        "{listed} object(s) are listed without their properties: only their presence \
                         (and a trigger's runtime state) is compared"
                    ),
                )
                .at(Location::file(*file))
                .note("save the target state with `az datafactory <type> list` to compare properties"),
            );
        }
    }
}

/// Index a template's objects (their references are not needed to compare them).
fn load<'s>(
    sources: &'s Sources,
    files: &crate::template::TemplateFiles,
    report: &mut Report,
) -> Result<Factory<'s>, Errors> {
    Factory::index(sources, files, report).map_err(|d| report.fail(d))
}

fn result(
    mode: Mode,
    (old, new): (&SideData<'_>, &SideData<'_>),
    compared: Compared,
    warnings: Vec<Diagnostic>,
) -> Diff {
    Diff {
        mode,
        old: old.label.clone(),
        new: new.label.clone(),
        objects: compared.objects,
        unchanged: compared.unchanged,
        parameters: compared.parameters,
        not_compared: Vec::new(),
        warnings,
        sources: Sources::new(),
    }
}

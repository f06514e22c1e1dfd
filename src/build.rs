//! `adfc build`: compile a stage and write its files, all or nothing; with
//! `--plan`, the release plan (`plan.json`, and the scripts), and with
//! `--diff`, the source → stage diff, in the same write.

use std::path::{Path, PathBuf};

use crate::compile::{Build, CompileOptions, compile, read_config_and_rules};
use crate::diag::{Code, Diagnostic, Errors, Failure, Location};
use crate::input::{self, TemplateInput};
use crate::output::{self, OutputFile, Role};
use crate::plan::{self, PlanSettings};
use crate::render;
use crate::source::Sources;

/// The name of the plan file written beside the outputs.
pub const PLAN_FILE: &str = "plan.json";

/// `adfc build`: compile, then write into `out_dir`.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    /// What to compile.
    pub compile: CompileOptions,
    /// Folder to write the stage's files into (`None`: compile only).
    pub out_dir: Option<PathBuf>,
    /// `--plan`: also plan the release, and write `plan.json` (and the
    /// scripts, with `emit_scripts`) together with the stage's files.
    pub plan: Option<PlanSettings>,
    /// `--diff FILE`: also write the source → stage diff (markdown for `.md`,
    /// json for `.json`, text otherwise), in the same write as the template.
    pub diff: Option<PathBuf>,
}

/// Compile a stage and, with an output folder, write it.
pub fn build(options: &BuildOptions) -> Result<Build, Failure> {
    let mut sources = Sources::new();
    match run(options, &mut sources) {
        Ok(build) => Ok(Build { sources, ..build }),
        Err(errors) => Err(Failure::new(errors, sources)),
    }
}

fn run(options: &BuildOptions, sources: &mut Sources) -> Result<Build, Errors> {
    let preload = options.plan.as_ref().map(plan::Preload::start);
    let template = input::read_template(&options.compile.template, sources)?;
    let inputs = read_config_and_rules(&options.compile, &template, sources)?;
    let mut build = compile(sources, &template, &inputs, &options.compile)?;
    if let Some(file) = &options.diff {
        let text = diff_text(&options.compile, &template, &build, sources, file)?;
        let name = diff_name(options.out_dir.as_deref(), file);
        build.files.push(OutputFile { name, role: Role::Diff, text });
    }
    if let (Some(settings), Some(preload)) = (&options.plan, preload) {
        add_plan(&mut build, settings, preload, sources)?;
    }
    if let Some(out_dir) = &options.out_dir {
        output::write_all(out_dir, &build.files, sources)?;
        build.out_dir = Some(out_dir.clone());
    }
    Ok(build)
}

/// Plan the release and add `plan.json` (and the scripts) to the files to write.
fn add_plan(
    build: &mut Build,
    settings: &PlanSettings,
    preload: plan::Preload,
    sources: &mut Sources,
) -> Result<(), Errors> {
    let mut plan = plan::compute(build, settings, preload, sources)?;
    let planned = plan.warnings.clone();
    // plan.json holds every warning of the run, as `adfc plan --format json` prints them.
    plan.warnings.splice(0..0, build.warnings.iter().cloned());
    let text = render::plan::json(&plan, sources);
    build.files.push(OutputFile { name: PathBuf::from(PLAN_FILE), role: Role::Plan, text });
    if let Some(dir) = &settings.emit_scripts {
        // Named by absolute path: the scripts' folder need not be inside the output folder.
        let dir = absolute(dir, sources)?;
        build.files.extend(plan::scripts::files(&plan, &dir)?);
    }
    build.warnings.extend(planned);
    Ok(())
}

fn absolute(dir: &Path, sources: &mut Sources) -> Result<PathBuf, Errors> {
    std::path::absolute(dir).map_err(|e| {
        let at = Location::file(sources.name(dir));
        Diagnostic::error(Code::OutputWrite, format!("cannot write into `{}`: {e}", dir.display())).at(at).into()
    })
}

/// The source → stage diff of a build, rendered for the file's extension.
fn diff_text(
    options: &CompileOptions,
    template: &TemplateInput,
    build: &Build,
    sources: &Sources,
    file: &Path,
) -> Result<String, Errors> {
    let label = options.config.stage.clone().unwrap_or_else(|| "compiled".into());
    let diff = crate::diff::of_build(sources, template, build, label)?;
    let extension = file.extension().map(|e| e.to_string_lossy().to_lowercase()).unwrap_or_default();
    Ok(match extension.as_str() {
        "md" | "markdown" => render::diff::markdown::markdown(&diff, render::diff::markdown::COMMENT_LIMIT),
        "json" => render::diff::json::json(&diff),
        _ => render::diff::text::text(&diff, false),
    })
}

/// Where the diff file goes: relative to the output folder when it is inside
/// it, else the path as given (made absolute, so it is not read relative to the output folder).
fn diff_name(out_dir: Option<&Path>, file: &Path) -> PathBuf {
    if let Some(inside) = out_dir.and_then(|dir| file.strip_prefix(dir).ok()) {
        return inside.to_path_buf();
    }
    std::path::absolute(file).unwrap_or_else(|_| file.to_path_buf())
}

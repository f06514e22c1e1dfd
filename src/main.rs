//! The `adfc` command line: parse arguments, call the library, render, exit.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::parser::ValueSource;
use clap::{ArgMatches, Args, CommandFactory, FromArgMatches, Parser, Subcommand, ValueEnum};
use termcolor::ColorChoice;

use adfc::config::{ApplyOptions, ConfigOptions, UnsetEnv};
use adfc::diag::{Diagnostic, Failure};
use adfc::diff::Compare;
use adfc::input::TemplateOptions;
use adfc::layout::LayoutChoice;
use adfc::plan::{DeleteMethod, PlanSettings, StartMethod, StopMethod};
use adfc::render;
use adfc::render::diagnostics::Limits;
use adfc::select::SelectOptions;
use adfc::source::Sources;
use adfc::{BuildOptions, CompileOptions, DiffOptions, ExportOptions, ListOptions, PlanOptions};

/// adfc: compile Azure Data Factory ARM templates for a stage, offline.
#[derive(Parser, Debug)]
#[command(name = "adfc", version, long_about = None, max_term_width = 100)]
struct Cli {
    /// When to colour output: auto (terminal and no NO_COLOR), always, never.
    #[arg(long, value_enum, default_value_t = Color::Auto, global = true)]
    color: Color,
    #[command(subcommand)]
    command: Command,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
enum Color {
    Auto,
    Always,
    Never,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
enum Format {
    Text,
    Json,
}

/// `--layout`: which files to write.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
enum Layout {
    // ARMTemplateForFactory.json + ARMTemplateParametersForFactory.json.
    Single,
    // linkedTemplates/ArmTemplate_master.json, ArmTemplate_0.json…, ArmTemplateParameters_master.json.
    Linked,
    // Single, unless the template would exceed ARM's 4 MiB limit: then linked.
    Auto,
}

impl From<Layout> for LayoutChoice {
    fn from(layout: Layout) -> Self {
        match layout {
            Layout::Single => LayoutChoice::Single,
            Layout::Linked => LayoutChoice::Linked,
            Layout::Auto => LayoutChoice::Auto,
        }
    }
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
enum DiffFormat {
    Text,
    Markdown,
    Json,
    Unified,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Compile the template for a stage: apply config overrides, write template + parameters.
    Build(BuildArgs),
    /// List the objects of a template (type, name, folder, references).
    Ls(LsArgs),
    /// Check every stage's config and rules against the template (pre-commit, pull requests).
    Check(CheckArgs),
    /// Export a factory's Git folder to the ARM template ADF would publish, offline.
    Export(ExportArgs),
    /// Plan a release, offline: triggers to stop before deploying and start after, objects to delete.
    Plan(PlanCommandArgs),
    /// Show what a stage gets: source → stage, stage ↔ stage, two templates, or the target factory → release.
    Diff(DiffArgs),
    /// Print a shell completion script (e.g. `adfc completions bash > /etc/bash_completion.d/adfc`).
    Completions(CompletionsArgs),
    /// Print the man page (roff) of adfc or of one of its commands (e.g. `adfc man | man -l -`).
    Man(ManArgs),
}

#[derive(Args, Debug)]
struct CompletionsArgs {
    /// The shell to complete for.
    #[arg(value_enum)]
    shell: clap_complete::Shell,
}

#[derive(Args, Debug)]
struct ManArgs {
    /// A command's own page (`adfc man build` = adfc-build(1)) [default: adfc(1)].
    #[arg(value_name = "COMMAND")]
    command: Option<String>,
}

#[derive(Args, Debug)]
struct TemplateArgs {
    #[command(flatten)]
    source: SourceArgs,
    /// Parameters file [default: ARMTemplateParametersForFactory.json beside the template, if present].
    #[arg(long, short = 'p', value_name = "FILE", conflicts_with = "factory_dir")]
    parameters: Option<PathBuf>,
}

/// Where the factory comes from: an exported template, or the factory's Git folder.
#[derive(Args, Debug)]
#[group(multiple = false)]
struct SourceArgs {
    /// ARM template (ARMTemplateForFactory.json) or the folder holding it.
    #[arg(long, short = 't', value_name = "PATH")]
    template: Option<PathBuf>,
    /// The factory's Git folder (pipeline/, dataset/, factory/…), exported in memory instead of --template.
    #[arg(long, value_name = "DIR")]
    factory_dir: Option<PathBuf>,
}

#[derive(Args, Debug)]
struct SelectArgs {
    /// Rules file (`+type.name@folder` / `-…` per line); repeatable.
    #[arg(long, value_name = "FILE")]
    rules: Vec<PathBuf>,
    /// Deploy only objects matching PATTERN (`type.name[@folder]`); repeatable, comma-separated lists accepted.
    #[arg(long, value_name = "PATTERN", allow_hyphen_values = true)]
    include: Vec<String>,
    /// Do not deploy objects matching PATTERN; repeatable, comma-separated lists accepted.
    #[arg(long, value_name = "PATTERN", allow_hyphen_values = true)]
    exclude: Vec<String>,
    /// Also deploy every object a deployed object references (transitively), and list them.
    #[arg(long, conflicts_with = "strict_dependencies")]
    with_dependencies: bool,
    /// A deployed object that references one not deployed is an error (default: a warning).
    #[arg(long)]
    strict_dependencies: bool,
}

/// What decides a stage's template: the same for `build`, `plan` and `diff`.
#[derive(Args, Debug)]
struct CompileArgs {
    #[command(flatten)]
    template: TemplateArgs,
    /// Folder holding deployment/ [default: the template's folder, its parent, then the current folder].
    #[arg(long, value_name = "DIR")]
    root: Option<PathBuf>,
    /// Config file to apply (CSV, or JSON if it ends in .json); repeatable, applied in order.
    #[arg(long, short = 'c', value_name = "FILE")]
    config: Vec<PathBuf>,
    /// A path that does not exist is a warning (the row is skipped), not an error.
    #[arg(long)]
    allow_missing_paths: bool,
    /// A name that matches no object is a warning, not an error.
    #[arg(long)]
    allow_missing_objects: bool,
    /// Write values into the template rather than the parameters file (secrets still go to the parameters file).
    #[arg(long)]
    inline: bool,
    /// Write secrets into the template body too, with a warning each (ARM keeps template bodies in its history).
    #[arg(long)]
    allow_secrets_in_template: bool,
    /// Keep parameters that no kept resource uses any more (default: remove them and their values).
    #[arg(long)]
    keep_unused_parameters: bool,
    /// Set the factoryName value of the output parameters file (with --factory-dir: also which
    /// factory/NAME.json to read).
    #[arg(long, value_name = "NAME")]
    factory_name: Option<String>,
    /// Layout of the output files: single (ARMTemplateForFactory.json), linked (linkedTemplates/), or
    /// auto (linked only above ARM's 4 MiB) [default: the input's].
    #[arg(long, value_enum)]
    layout: Option<Layout>,
    #[command(flatten)]
    select: SelectArgs,
}

#[derive(Args, Debug)]
#[command(mut_group("SourceArgs", |g| g.required(true)))]
struct BuildArgs {
    /// Stage name: applies deployment/config-<STAGE>.csv (or .json), after any --config files.
    #[arg(long, short = 's')]
    stage: Option<String>,
    #[command(flatten)]
    compile: CompileArgs,
    /// Folder to write the stage's template and parameters file into.
    #[arg(long, short = 'o', value_name = "DIR")]
    out_dir: PathBuf,
    /// Deploy only objects that differ from the output in DIR (the last release's build); the others are
    /// left out as if excluded by a rule.
    #[arg(long, value_name = "DIR")]
    changed_since: Option<PathBuf>,
    /// Also write the source → stage diff to FILE, in the same atomic write (markdown for .md, json for
    /// .json, text otherwise).
    #[arg(long, value_name = "FILE")]
    diff: Option<PathBuf>,
    /// Summary format on stdout: text goes to stderr, json prints a machine-readable summary on stdout.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
    /// List every file written and every warning (default: counts and grouped warnings).
    #[arg(long, short = 'v')]
    verbose: bool,
    /// Also plan the release (options below): write plan.json beside the outputs, in the same
    /// all-or-nothing write.
    #[arg(long)]
    plan: bool,
    #[command(flatten)]
    plan_args: PlanArgs,
}

/// How to plan a release: the same for `plan` and `build --plan`.
#[derive(Args, Debug)]
#[command(next_help_heading = "Release plan")]
struct PlanArgs {
    /// What the target factory holds: saved output of `az datafactory <type> list`, of
    /// `Get-AzDataFactoryV2Trigger | ConvertTo-Json`, or a {"trigger": "Started"} map; repeatable.
    #[arg(long, value_name = "FILE")]
    target_state: Vec<PathBuf>,
    /// The output folder of the last release to this stage (single or linked): what is deployed now.
    #[arg(long, value_name = "DIR")]
    previous: Option<PathBuf>,
    /// Triggers to stop before deploying: deployed ones that may be started, every started one
    /// (needs --target-state), or deployed ones whose definition changed (needs --previous or
    /// --target-state).
    #[arg(long, value_enum, default_value_t = StopArg::Deployable)]
    stop: StopArg,
    /// Triggers to start after deploying: deployed ones Started in the output, or those started
    /// before (needs --target-state).
    #[arg(long, value_enum, default_value_t = StartArg::Source)]
    start: StartArg,
    /// Never stop or start triggers this release does not deploy.
    #[arg(long)]
    keep_excluded_triggers: bool,
    /// Objects to delete after deploying: none, or those the target has and the output lacks.
    #[arg(long, value_enum, default_value_t = DeleteArg::None)]
    delete: DeleteArg,
    /// Delete objects the selection rules exclude too (default: they are not managed by this release).
    #[arg(long)]
    delete_excluded: bool,
    /// Delete managed private endpoints too (shared infrastructure: kept by default).
    #[arg(long)]
    delete_private_endpoints: bool,
    /// Delete even when that is more than half of the target's objects.
    #[arg(long)]
    allow_mass_delete: bool,
    /// How many times the start scripts retry a trigger that fails to start.
    #[arg(long, value_name = "N", default_value_t = 3)]
    start_retries: u32,
    /// Write stop-triggers, start-triggers and delete-objects scripts (.sh for az, .ps1 for Az
    /// PowerShell) into DIR.
    #[arg(long, value_name = "DIR")]
    emit_scripts: Option<PathBuf>,
}

/// The ids of [`PlanArgs`]' arguments, to tell `build` they need `--plan`.
const PLAN_ARG_IDS: [&str; 11] = [
    "target_state",
    "previous",
    "stop",
    "start",
    "keep_excluded_triggers",
    "delete",
    "delete_excluded",
    "delete_private_endpoints",
    "allow_mass_delete",
    "start_retries",
    "emit_scripts",
];

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
enum StopArg {
    Deployable,
    AllEnabled,
    Changed,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
enum StartArg {
    Source,
    Keep,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
enum DeleteArg {
    None,
    Missing,
}

#[derive(Args, Debug)]
#[command(mut_group("SourceArgs", |g| g.required(true)))]
struct PlanCommandArgs {
    /// Stage name: applies deployment/config-<STAGE>.csv (or .json), after any --config files.
    #[arg(long, short = 's')]
    stage: Option<String>,
    #[command(flatten)]
    compile: CompileArgs,
    /// Output format on stdout: text (aligned lists) or json (what `build --plan` writes to plan.json).
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
    #[command(flatten)]
    plan: PlanArgs,
}

#[derive(Args, Debug)]
struct DiffArgs {
    /// Old template or output folder (single or linked), e.g. the last release's output.
    #[arg(
        value_name = "OLD",
        requires = "new",
        conflicts_with_all = ["template", "factory_dir", "parameters", "stage", "root", "config", "factory_name", "rules", "include", "exclude", "target_state"]
    )]
    old: Option<PathBuf>,
    /// New template or output folder.
    #[arg(value_name = "NEW")]
    new: Option<PathBuf>,
    /// Stage to compile (deployment/config-<STAGE>.csv): once for source → stage, twice for stage ↔ stage.
    #[arg(long, short = 's', value_name = "STAGE")]
    stage: Vec<String>,
    #[command(flatten)]
    compile: CompileArgs,
    /// Compare the release with the target factory: saved `az datafactory <type> list` output; repeatable.
    #[arg(long, value_name = "FILE", num_args = 1..)]
    target_state: Vec<PathBuf>,
    /// text: `path: old → new` per property; markdown: for a PR comment; json: schema version 1;
    /// unified: a unified diff of each object's JSON.
    #[arg(long, value_enum, default_value_t = DiffFormat::Text)]
    format: DiffFormat,
    /// Show secret values instead of `••• (hash)`.
    #[arg(long)]
    show_secrets: bool,
    /// Exit with 1 when there are differences, 0 when there are none (2 on errors), like `git diff`.
    #[arg(long)]
    exit_code: bool,
    /// Only counts per object type.
    #[arg(long, conflicts_with_all = ["format", "name_only"])]
    stat: bool,
    /// Only the names (`type.name`) of the objects that differ.
    #[arg(long, conflicts_with = "format")]
    name_only: bool,
}

/// Output formats of `check`.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
enum CheckFormat {
    /// Diagnostics with the offending line and a caret, then a summary.
    Human,
    /// One JSON document (schema in the README).
    Json,
    /// GitHub Actions workflow commands (annotations on the pull request).
    Github,
    /// Azure DevOps logging commands.
    AzureDevops,
    /// SARIF 2.1.0 (GitHub code scanning).
    Sarif,
}

#[derive(Args, Debug)]
#[command(mut_group("SourceArgs", |g| g.required(true)))]
struct CheckArgs {
    #[command(flatten)]
    template: TemplateArgs,
    /// Config (CSV/JSON) and rules files to check [default: every deployment/config-*.csv|json, *.rules and filter*.txt]
    #[arg(value_name = "FILES")]
    files: Vec<PathBuf>,
    /// Folder holding deployment/ [default: the template's folder, its parent, then the current folder].
    #[arg(long, value_name = "DIR")]
    root: Option<PathBuf>,
    /// Config file applied before every stage's own file (as `build --config`); repeatable.
    #[arg(long, short = 'c', value_name = "FILE")]
    config: Vec<PathBuf>,
    /// KEY=VALUE lines: environment variables for the check (over the process's own).
    #[arg(long, value_name = "FILE")]
    env_file: Option<PathBuf>,
    /// Check without environment variables: tokens are not looked up nor reported.
    #[arg(long, conflicts_with = "env_file")]
    no_env: bool,
    /// Warnings are errors (exit 1).
    #[arg(long)]
    strict: bool,
    /// A path that does not exist is a warning, not an error (as in `build`).
    #[arg(long)]
    allow_missing_paths: bool,
    /// A name that matches no object is a warning, not an error (as in `build`).
    #[arg(long)]
    allow_missing_objects: bool,
    /// Output format.
    #[arg(long, value_enum, default_value_t = CheckFormat::Human)]
    format: CheckFormat,
    /// Show every diagnostic (default: at most 50 errors and 10 warnings of one code).
    #[arg(long, short = 'v')]
    verbose: bool,
}

#[derive(Args, Debug)]
#[command(mut_group("SourceArgs", |g| g.required(true)))]
struct LsArgs {
    #[command(flatten)]
    template: TemplateArgs,
    #[command(flatten)]
    select: SelectArgs,
    /// With --factory-dir: the factory's name [default: the single file in factory/].
    #[arg(long, value_name = "NAME")]
    factory_name: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
}

#[derive(Args, Debug)]
struct ExportArgs {
    /// The factory's Git folder (pipeline/, dataset/, linkedService/, factory/…).
    #[arg(long, value_name = "DIR")]
    factory_dir: PathBuf,
    /// Folder to write the template and parameters file into.
    #[arg(long, short = 'o', value_name = "DIR")]
    out_dir: PathBuf,
    /// The factory's name [default: the single file in factory/].
    #[arg(long, value_name = "NAME")]
    factory_name: Option<String>,
    /// Layout of the output files: single (ARMTemplateForFactory.json), linked (linkedTemplates/), or
    /// auto (linked only above ARM's 4 MiB).
    #[arg(long, value_enum, default_value_t = Layout::Auto)]
    layout: Layout,
}

fn main() -> ExitCode {
    let matches = Cli::command().get_matches();
    let cli = Cli::from_arg_matches(&matches).unwrap_or_else(|e| e.exit());
    let color = Colors::new(cli.color);
    match cli.command {
        Command::Build(args) => {
            require_plan_flag(&args, matches.subcommand_matches("build"));
            build(args, color)
        }
        Command::Ls(args) => ls(args, color),
        Command::Check(args) => check(args, color),
        Command::Export(args) => export(args, color),
        Command::Plan(args) => plan(args, color),
        Command::Completions(args) => completions(args.shell),
        Command::Man(args) => man(args.command.as_deref()),
        Command::Diff(args) => diff(args, color),
    }
}

/// `build` takes the plan options only with `--plan`: a usage error (exit 2) otherwise.
fn require_plan_flag(args: &BuildArgs, matches: Option<&ArgMatches>) {
    let Some(matches) = matches.filter(|_| !args.plan) else { return };
    let given = PLAN_ARG_IDS.iter().find(|id| matches.value_source(id) == Some(ValueSource::CommandLine));
    if let Some(id) = given {
        let flag = format!("--{}", id.replace('_', "-"));
        let message = format!("{flag} plans a release: it needs --plan");
        let mut command = Cli::command();
        command.build();
        let error = match command.find_subcommand_mut("build") {
            Some(build) => build.error(clap::error::ErrorKind::MissingRequiredArgument, message),
            None => command.error(clap::error::ErrorKind::MissingRequiredArgument, message),
        };
        error.exit();
    }
}

/// How to colour stderr (diagnostics) and stdout (listings).
#[derive(Clone, Copy)]
struct Colors {
    flag: Color,
    stderr: ColorChoice,
}

impl Colors {
    fn new(flag: Color) -> Self {
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        let stderr = match flag {
            Color::Always => ColorChoice::Always,
            Color::Never => ColorChoice::Never,
            Color::Auto if no_color => ColorChoice::Never,
            Color::Auto if std::io::stderr().is_terminal() => ColorChoice::Auto,
            Color::Auto => ColorChoice::Never,
        };
        Colors { flag, stderr }
    }

    /// Colour on stdout: forced by --color always, else only on a terminal (and never with NO_COLOR).
    fn stdout(self) -> bool {
        match self.flag {
            Color::Always => true,
            Color::Never => false,
            Color::Auto => std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()) && std::io::stdout().is_terminal(),
        }
    }
}

/// The one place outcomes become exit codes: 0 success, 2 the run failed.
fn exit_code(failure: Option<&Failure>) -> ExitCode {
    match failure {
        Some(f) if f.error_count() > 0 => ExitCode::from(2),
        _ => ExitCode::SUCCESS,
    }
}

/// Report a failed run: its diagnostics, then one line saying how it ended.
fn fail(failure: Failure, color: Colors, limits: Limits, writes: bool) -> ExitCode {
    report(&failure.diagnostics, &failure.sources, color, limits);
    let errors = failure.error_count();
    let counted = if errors == 1 { "1 error".to_string() } else { format!("{} errors", render::thousands(errors)) };
    let ending = if writes { format!("{counted}, nothing written") } else { counted };
    let _ = writeln!(std::io::stderr(), "adfc: {ending}");
    exit_code(Some(&failure))
}

fn report(diagnostics: &[Diagnostic], sources: &Sources, color: Colors, limits: Limits) {
    if diagnostics.is_empty() {
        return;
    }
    // Rendered into one buffer and written at once: thousands of warnings
    // would otherwise cost tens of thousands of small writes to stderr.
    let writer = termcolor::BufferWriter::stderr(color.stderr);
    let mut buffer = writer.buffer();
    let rendered = render::diagnostics::render(diagnostics, sources, &mut buffer, limits);
    if rendered.is_err() || writer.print(&buffer).is_err() {
        let plain: Vec<String> = diagnostics.iter().map(|d| render::diagnostics::plain(d, sources)).collect();
        let _ = writeln!(std::io::stderr(), "{}", plain.join("\n"));
    }
}

/// Write to stdout: a closed pipe (`adfc ls | head`) ends quietly, any other
/// write error is reported.
fn print(text: &str) -> ExitCode {
    let mut stdout = std::io::stdout().lock();
    match stdout.write_all(text.as_bytes()).and_then(|()| stdout.flush()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            let _ = writeln!(std::io::stderr(), "error: cannot write to standard output: {e}");
            ExitCode::from(2)
        }
    }
}

fn select_options(args: &SelectArgs) -> SelectOptions {
    SelectOptions {
        rules_files: args.rules.clone(),
        include: args.include.clone(),
        exclude: args.exclude.clone(),
        with_dependencies: args.with_dependencies,
        strict_dependencies: args.strict_dependencies,
    }
}

fn template_options(args: &TemplateArgs, factory_name: Option<&String>) -> TemplateOptions {
    TemplateOptions {
        template: args.source.template.clone().unwrap_or_default(),
        parameters: args.parameters.clone(),
        factory_dir: args.source.factory_dir.clone(),
        factory_name: factory_name.cloned(),
    }
}

fn compile_options(args: &CompileArgs, stage: Option<String>) -> CompileOptions {
    CompileOptions {
        template: template_options(&args.template, args.factory_name.as_ref()),
        config: ConfigOptions { stage, root: args.root.clone(), configs: args.config.clone() },
        apply: ApplyOptions {
            allow_missing_paths: args.allow_missing_paths,
            allow_missing_objects: args.allow_missing_objects,
            inline: args.inline,
            allow_secrets_in_template: args.allow_secrets_in_template,
        },
        keep_unused_parameters: args.keep_unused_parameters,
        factory_name: args.factory_name.clone(),
        select: select_options(&args.select),
        env: Default::default(),
        changed_since: None,
        unset_env: UnsetEnv::Error,
        warn_literal_secrets: false,
        layout: args.layout.map_or(LayoutChoice::Input, LayoutChoice::from),
    }
}

fn plan_settings(args: PlanArgs) -> PlanSettings {
    PlanSettings {
        target_state: args.target_state,
        previous: args.previous,
        stop: match args.stop {
            StopArg::Deployable => StopMethod::Deployable,
            StopArg::AllEnabled => StopMethod::AllEnabled,
            StopArg::Changed => StopMethod::Changed,
        },
        start: match args.start {
            StartArg::Source => StartMethod::Source,
            StartArg::Keep => StartMethod::Keep,
        },
        keep_excluded_triggers: args.keep_excluded_triggers,
        delete: match args.delete {
            DeleteArg::None => DeleteMethod::None,
            DeleteArg::Missing => DeleteMethod::Missing,
        },
        delete_excluded: args.delete_excluded,
        delete_private_endpoints: args.delete_private_endpoints,
        allow_mass_delete: args.allow_mass_delete,
        start_retries: args.start_retries,
        emit_scripts: args.emit_scripts,
    }
}

fn build(args: BuildArgs, color: Colors) -> ExitCode {
    let options = BuildOptions {
        compile: CompileOptions { changed_since: args.changed_since, ..compile_options(&args.compile, args.stage) },
        out_dir: Some(args.out_dir),
        plan: args.plan.then(|| plan_settings(args.plan_args)),
        diff: args.diff,
    };
    let limits = if args.verbose { Limits::ALL } else { Limits::DEFAULT };
    match adfc::build(&options) {
        Ok(build) => {
            report(&build.warnings, &build.sources, color, limits);
            match args.format {
                Format::Json => print(&render::summary::json(&build)),
                Format::Text => {
                    let _ = write!(std::io::stderr(), "{}", render::summary::text(&build, args.verbose));
                    exit_code(None)
                }
            }
        }
        Err(failure) => fail(failure, color, limits, true),
    }
}

fn plan(args: PlanCommandArgs, color: Colors) -> ExitCode {
    let options = PlanOptions { compile: compile_options(&args.compile, args.stage), plan: plan_settings(args.plan) };
    let writes = options.plan.emit_scripts.is_some();
    match adfc::plan(&options) {
        Ok(plan) => {
            report(&plan.warnings, &plan.sources, color, Limits::DEFAULT);
            if let Some(dir) = &options.plan.emit_scripts {
                let _ = writeln!(std::io::stderr(), "adfc: wrote {} scripts to {}", plan.scripts.len(), dir.display());
            }
            match args.format {
                Format::Text => print(&render::plan::text(&plan, color.stdout())),
                Format::Json => print(&render::plan::json(&plan, &plan.sources)),
            }
        }
        Err(failure) => fail(failure, color, Limits::DEFAULT, writes),
    }
}

/// Which sides `adfc diff` compares, from its arguments (a usage error when they name none).
fn compare(args: &DiffArgs) -> Result<Compare, String> {
    if let (Some(old), Some(new)) = (&args.old, &args.new) {
        let side = |path: &PathBuf| TemplateOptions { template: path.clone(), ..TemplateOptions::default() };
        return Ok(Compare::Templates { old: side(old), new: side(new) });
    }
    let source = &args.compile.template.source;
    if source.template.is_none() && source.factory_dir.is_none() {
        return Err(
            "give two templates or output folders (OLD NEW), or --template (or --factory-dir) with --stage".into()
        );
    }
    let stage = |name: Option<&String>| compile_options(&args.compile, name.cloned());
    match (args.stage.as_slice(), args.target_state.is_empty()) {
        ([], true) | ([_], true) => Ok(Compare::SourceToStage(stage(args.stage.first()))),
        ([] | [_], false) => {
            Ok(Compare::TargetState { files: args.target_state.clone(), stage: stage(args.stage.first()) })
        }
        ([old, new], true) => Ok(Compare::Stages { old: Box::new(stage(Some(old))), new: Box::new(stage(Some(new))) }),
        ([_, _], false) => Err("--target-state compares the target factory with one stage: give --stage once".into()),
        _ => Err("--stage is given more than twice: diff compares two stages at most".into()),
    }
}

fn diff(args: DiffArgs, color: Colors) -> ExitCode {
    let compare = match compare(&args) {
        Ok(compare) => compare,
        Err(message) => Cli::command().error(clap::error::ErrorKind::ArgumentConflict, message).exit(),
    };
    let texts = args.format == DiffFormat::Unified && !args.stat && !args.name_only;
    let options = DiffOptions { compare, show_secrets: args.show_secrets, texts };
    let diff = match adfc::diff(&options) {
        Ok(diff) => diff,
        Err(failure) => return fail(failure, color, Limits::DEFAULT, false),
    };
    report(&diff.warnings, &diff.sources, color, Limits::DEFAULT);
    let text = match args.format {
        _ if args.stat => render::diff::text::stat(&diff),
        _ if args.name_only => render::diff::text::name_only(&diff),
        DiffFormat::Text => render::diff::text::text(&diff, color.stdout()),
        DiffFormat::Markdown => render::diff::markdown::markdown(&diff, render::diff::markdown::COMMENT_LIMIT),
        DiffFormat::Json => render::diff::json::json(&diff),
        DiffFormat::Unified => render::diff::unified::unified(&diff),
    };
    let printed = print(&text);
    if printed != ExitCode::SUCCESS {
        return printed;
    }
    if args.exit_code && diff.has_differences() { ExitCode::from(1) } else { ExitCode::SUCCESS }
}

fn ls(args: LsArgs, color: Colors) -> ExitCode {
    let options = ListOptions {
        template: template_options(&args.template, args.factory_name.as_ref()),
        select: select_options(&args.select),
    };
    match adfc::list(&options) {
        Ok(listing) => {
            report(&listing.warnings, &listing.sources, color, Limits::DEFAULT);
            let text = match args.format {
                Format::Text if color.stdout() => render::listing::colorize(&render::listing::text(&listing)),
                Format::Text => render::listing::text(&listing),
                Format::Json => render::listing::json(&listing),
            };
            print(&text)
        }
        Err(failure) => fail(failure, color, Limits::DEFAULT, false),
    }
}

fn check(args: CheckArgs, color: Colors) -> ExitCode {
    let options = adfc::CheckOptions {
        template: template_options(&args.template, None),
        files: args.files,
        root: args.root,
        configs: args.config,
        env_file: args.env_file,
        no_env: args.no_env,
        strict: args.strict,
        apply: ApplyOptions {
            allow_missing_paths: args.allow_missing_paths,
            allow_missing_objects: args.allow_missing_objects,
            ..ApplyOptions::default()
        },
    };
    let limits = if args.verbose { Limits::ALL } else { Limits::DEFAULT };
    let report = match adfc::check(&options) {
        Ok(report) => report,
        Err(failure) => return fail(failure, color, limits, false),
    };
    let printed = match args.format {
        CheckFormat::Human => {
            let diagnostics: Vec<Diagnostic> = report.findings.iter().map(|f| f.diagnostic.clone()).collect();
            let rendered = rendered(&diagnostics, &report.sources, color.stdout(), limits);
            print(&format!("{rendered}{}", render::check::summary(&report)))
        }
        CheckFormat::Json => print(&render::check::json(&report)),
        CheckFormat::Github => print(&render::check::github(&report)),
        CheckFormat::AzureDevops => print(&render::check::azure_devops(&report)),
        CheckFormat::Sarif => print(&render::check::sarif(&report)),
    };
    if printed != ExitCode::SUCCESS {
        return printed;
    }
    // 0 clean (or warnings only), 1 problems found, 2 adfc could not run.
    if report.errors() > 0 { ExitCode::from(1) } else { ExitCode::SUCCESS }
}

/// Diagnostics rendered for stdout (the human form of `check` prints its result there).
fn rendered(diagnostics: &[Diagnostic], sources: &Sources, colored: bool, limits: Limits) -> String {
    let mut buffer = if colored { termcolor::Buffer::ansi() } else { termcolor::Buffer::no_color() };
    if render::diagnostics::render(diagnostics, sources, &mut buffer, limits).is_err() {
        return diagnostics.iter().map(|d| render::diagnostics::plain(d, sources) + "\n").collect();
    }
    String::from_utf8_lossy(buffer.as_slice()).into_owned()
}

fn export(args: ExportArgs, color: Colors) -> ExitCode {
    let options = ExportOptions {
        factory_dir: args.factory_dir,
        factory_name: args.factory_name,
        out_dir: Some(args.out_dir),
        layout: args.layout.into(),
    };
    match adfc::export(&options) {
        Ok(export) => {
            report(&export.warnings, &export.sources, color, Limits::DEFAULT);
            let _ = write!(std::io::stderr(), "{}", render::summary::export(&export));
            exit_code(None)
        }
        Err(failure) => fail(failure, color, Limits::DEFAULT, true),
    }
}

/// `adfc completions SHELL`: clap_complete's script for the whole command line.
fn completions(shell: clap_complete::Shell) -> ExitCode {
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "adfc", &mut script);
    print(&String::from_utf8_lossy(&script))
}

/// `adfc man [COMMAND]`: the roff page of adfc, or of one command (named `adfc-<command>`).
fn man(command: Option<&str>) -> ExitCode {
    let mut cli = Cli::command();
    cli.build();
    let page = match command {
        None => cli,
        Some(name) => match cli.find_subcommand(name) {
            Some(sub) => sub.clone().display_name(format!("adfc-{name}")).version(env!("CARGO_PKG_VERSION")),
            None => {
                let names: Vec<&str> = cli.get_subcommands().map(|c| c.get_name()).collect();
                let _ = writeln!(std::io::stderr(), "error: no command `{name}`; commands: {}", names.join(", "));
                return ExitCode::from(2);
            }
        },
    };
    let mut roff = Vec::new();
    if let Err(e) = clap_mangen::Man::new(page).render(&mut roff) {
        let _ = writeln!(std::io::stderr(), "error: cannot render the man page: {e}");
        return ExitCode::from(2);
    }
    print(&String::from_utf8_lossy(&roff))
}

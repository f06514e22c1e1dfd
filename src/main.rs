//! The `adfc` command line: parse arguments, call the library, render, exit.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, CommandFactory, Parser, Subcommand, ValueEnum};
use termcolor::ColorChoice;

use adfc::config::{ApplyOptions, ConfigOptions};
use adfc::diag::{Diagnostic, Failure};
use adfc::diff::Compare;
use adfc::input::TemplateOptions;
use adfc::render;
use adfc::render::diagnostics::Limits;
use adfc::select::SelectOptions;
use adfc::source::Sources;
use adfc::{BuildOptions, CompileOptions, DiffOptions, ListOptions};

/// adfc: compile Azure Data Factory ARM templates for a stage, offline.
#[derive(Parser, Debug)]
#[command(name = "adfc", version, about, long_about = None, max_term_width = 100)]
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
    /// Show what a stage gets: source → stage, stage ↔ stage, two templates, or the target factory → release.
    Diff(DiffArgs),
}

#[derive(Args, Debug)]
struct TemplateArgs {
    /// ARM template (ARMTemplateForFactory.json) or the folder holding it.
    #[arg(long, short = 't', value_name = "PATH")]
    template: Option<PathBuf>,
    /// Parameters file [default: ARMTemplateParametersForFactory.json beside the template, if present].
    #[arg(long, short = 'p', value_name = "FILE")]
    parameters: Option<PathBuf>,
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

/// Everything that decides what a stage's template is (shared by `build` and `diff`).
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
    /// Set the factoryName value of the output parameters file.
    #[arg(long, value_name = "NAME")]
    factory_name: Option<String>,
    #[command(flatten)]
    select: SelectArgs,
}

#[derive(Args, Debug)]
#[command(mut_arg("template", |a| a.required(true)))]
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
}

#[derive(Args, Debug)]
struct DiffArgs {
    /// Old template or output folder (single or linked), e.g. the last release's output.
    #[arg(
        value_name = "OLD",
        requires = "new",
        conflicts_with_all = ["template", "parameters", "stage", "root", "config", "factory_name", "rules", "include", "exclude", "target_state"]
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

#[derive(Args, Debug)]
#[command(mut_arg("template", |a| a.required(true)))]
struct LsArgs {
    #[command(flatten)]
    template: TemplateArgs,
    #[command(flatten)]
    select: SelectArgs,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let color = Colors::new(cli.color);
    match cli.command {
        Command::Build(args) => build(args, color),
        Command::Ls(args) => ls(args, color),
        Command::Diff(args) => diff(args, color),
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

fn template_options(args: &TemplateArgs) -> TemplateOptions {
    TemplateOptions { template: args.template.clone().unwrap_or_default(), parameters: args.parameters.clone() }
}

fn compile_options(args: &CompileArgs, stage: Option<String>) -> CompileOptions {
    CompileOptions {
        template: template_options(&args.template),
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
    }
}

fn build(args: BuildArgs, color: Colors) -> ExitCode {
    let options = BuildOptions {
        compile: CompileOptions { changed_since: args.changed_since, ..compile_options(&args.compile, args.stage) },
        out_dir: Some(args.out_dir),
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

/// Which sides `adfc diff` compares, from its arguments (a usage error when they name none).
fn compare(args: &DiffArgs) -> Result<Compare, String> {
    if let (Some(old), Some(new)) = (&args.old, &args.new) {
        let side = |path: &PathBuf| TemplateOptions { template: path.clone(), parameters: None };
        return Ok(Compare::Templates { old: side(old), new: side(new) });
    }
    if args.compile.template.template.is_none() {
        return Err("give two templates or output folders (OLD NEW), or --template with --stage".into());
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
    let options = ListOptions { template: template_options(&args.template), select: select_options(&args.select) };
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

//! The `adfc` command line: parse arguments, call the library, render, exit.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};
use termcolor::ColorChoice;

use adfc::compile::{self, CompileOptions, ConfigOptions, TemplateOptions};
use adfc::config::apply::ApplyOptions;
use adfc::diag::{Diagnostic, Failure, Report};
use adfc::render;
use adfc::select::apply::SelectOptions;
use adfc::source::Sources;
use adfc::template::factory::Factory;

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

#[derive(Subcommand, Debug)]
enum Command {
    /// Compile the template for a stage: apply config overrides, write template + parameters.
    Build(BuildArgs),
    /// List the objects of a template (type, name, folder, references).
    Ls(LsArgs),
}

#[derive(Args, Debug)]
struct TemplateArgs {
    /// ARM template (ARMTemplateForFactory.json) or the folder holding it.
    #[arg(long, short = 't', value_name = "PATH")]
    template: PathBuf,
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
    #[arg(long, value_name = "PATTERN")]
    include: Vec<String>,
    /// Do not deploy objects matching PATTERN; repeatable, comma-separated lists accepted.
    #[arg(long, value_name = "PATTERN")]
    exclude: Vec<String>,
    /// Also deploy every object a deployed object references (transitively), and list them.
    #[arg(long, conflicts_with = "strict_dependencies")]
    with_dependencies: bool,
    /// A deployed object that references one not deployed is an error (default: a warning).
    #[arg(long)]
    strict_dependencies: bool,
}

#[derive(Args, Debug)]
struct BuildArgs {
    #[command(flatten)]
    template: TemplateArgs,
    /// Stage name: applies deployment/config-<STAGE>.csv (or .json), after any --config files.
    #[arg(long, short = 's')]
    stage: Option<String>,
    /// Folder holding deployment/ [default: the template's folder, its parent, then the current folder].
    #[arg(long, value_name = "DIR")]
    root: Option<PathBuf>,
    /// Config file to apply (CSV, or JSON if it ends in .json); repeatable, applied in order.
    #[arg(long, short = 'c', value_name = "FILE")]
    config: Vec<PathBuf>,
    /// Folder to write the stage's template and parameters file into.
    #[arg(long, short = 'o', value_name = "DIR")]
    out_dir: PathBuf,
    /// A path that does not exist is a warning (the row is skipped), not an error.
    #[arg(long)]
    allow_missing_paths: bool,
    /// A name that matches no object is a warning, not an error.
    #[arg(long)]
    allow_missing_objects: bool,
    /// Write every value into the template, never into the parameters file.
    #[arg(long)]
    inline: bool,
    /// Set the factoryName value of the output parameters file.
    #[arg(long, value_name = "NAME")]
    factory_name: Option<String>,
    #[command(flatten)]
    select: SelectArgs,
}

#[derive(Args, Debug)]
struct LsArgs {
    /// The global --color value (set after parsing).
    #[arg(skip = Color::Auto)]
    color_flag: Color,
    #[command(flatten)]
    template: TemplateArgs,
    #[command(flatten)]
    select: SelectArgs,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
}

fn main() -> ExitCode {
    let mut cli = Cli::parse();
    let color = color_choice(cli.color);
    if let Command::Ls(args) = &mut cli.command {
        args.color_flag = cli.color;
    }
    let mut sources = Sources::default();
    let result = match cli.command {
        Command::Build(args) => build(args, &mut sources, color),
        Command::Ls(args) => ls(args, &mut sources, color),
    };
    match result {
        Ok(code) => code,
        Err(failure) => {
            report(&failure.diagnostics, &sources, color);
            exit_code(&failure)
        }
    }
}

/// The one place errors become exit codes.
fn exit_code(failure: &Failure) -> ExitCode {
    if failure.diagnostics.iter().any(Diagnostic::is_error) { ExitCode::from(2) } else { ExitCode::SUCCESS }
}

fn color_choice(color: Color) -> ColorChoice {
    match color {
        Color::Always => ColorChoice::Always,
        Color::Never => ColorChoice::Never,
        Color::Auto if std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty()) => ColorChoice::Never,
        Color::Auto if std::io::stderr().is_terminal() => ColorChoice::Auto,
        Color::Auto => ColorChoice::Never,
    }
}

/// Colour on stdout: forced by --color always, else only on a terminal (and never with NO_COLOR).
fn stdout_color(color: Color) -> bool {
    match color {
        Color::Always => true,
        Color::Never => false,
        Color::Auto => std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()) && std::io::stdout().is_terminal(),
    }
}

fn report(diagnostics: &[Diagnostic], sources: &Sources, color: ColorChoice) {
    // Rendered into one buffer and written at once: thousands of warnings
    // would otherwise cost tens of thousands of small writes to stderr.
    let writer = termcolor::BufferWriter::stderr(color);
    let mut buffer = writer.buffer();
    if render::diagnostics::render(diagnostics, sources, &mut buffer).is_err() || writer.print(&buffer).is_err() {
        for d in diagnostics {
            eprintln!("{}", render::diagnostics::plain(d));
        }
    }
}

fn env_lookup(name: &str) -> Option<String> {
    std::env::var(name).ok()
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
    TemplateOptions { template: args.template.clone(), parameters: args.parameters.clone() }
}

fn build(args: BuildArgs, sources: &mut Sources, color: ColorChoice) -> Result<ExitCode, Failure> {
    let options = CompileOptions {
        template: template_options(&args.template),
        config: ConfigOptions { stage: args.stage, root: args.root, configs: args.config },
        apply: ApplyOptions {
            allow_missing_paths: args.allow_missing_paths,
            allow_missing_objects: args.allow_missing_objects,
            inline: args.inline,
        },
        factory_name: args.factory_name,
        select: select_options(&args.select),
    };
    let inputs = compile::gather(&options.template, &options.config, &options.select)?;
    let compiled = compile::compile(&inputs, &options, &env_lookup);
    *sources = inputs.sources;
    let compiled = compiled?;
    report(&compiled.diagnostics, sources, color);
    compile::write_outputs(&args.out_dir, &compiled.files, sources)?;
    eprint!("{}", render::summary::build(&compiled, &args.out_dir));
    Ok(ExitCode::SUCCESS)
}

fn ls(args: LsArgs, sources: &mut Sources, color: ColorChoice) -> Result<ExitCode, Failure> {
    let select = select_options(&args.select);
    let inputs = compile::gather(&template_options(&args.template), &ConfigOptions::default(), &select)?;
    *sources = inputs.sources;
    let mut found = Report::default();
    let load = inputs.load;
    let mut factory = Factory::load(sources, &load, &mut found).map_err(|d| found.fail(d))?;
    let selection = (!select.is_empty()).then(|| compile::select_objects(&mut factory, &select, &mut found));
    found.check()?;
    let listing = adfc::template::listing::list(&factory, selection.as_ref());
    report(&found.diagnostics, sources, color);
    let text = match args.format {
        Format::Text if stdout_color(args.color_flag) => render::listing::colorize(&render::listing::text(&listing)),
        Format::Text => render::listing::text(&listing),
        Format::Json => render::listing::json(&listing),
    };
    let mut stdout = std::io::stdout().lock();
    let _ = stdout.write_all(text.as_bytes());
    Ok(ExitCode::SUCCESS)
}

//! `adfc build`: inputs → config rows → selection → pruning → output files,
//! and the compiled model that `plan` and `diff` work on.

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;
use std::path::PathBuf;

use crate::check::check_written;
use crate::config::env::Environment;
use crate::config::{self, ApplyOptions, Change, ConfigOptions, ConfigRow, Destination};
use crate::diag::{Diagnostic, Errors, Failure, Report};
use crate::input::{self, TemplateInput, TemplateOptions};
use crate::json::Node;
use crate::layout::{self, LayoutChoice, Placed};
use crate::output::{self, OutputFile};
use crate::select::{self, Reason, SelectOptions, Selection};
use crate::source::{FileId, Sources};
use crate::template::factory::FACTORY_PARAM;
use crate::template::prune::Pruned;
use crate::template::{Factory, ObjectRef, ObjectType, TemplateId};

/// Everything that decides what a stage's template is.
#[derive(Debug, Clone, Default)]
pub struct CompileOptions {
    /// Template and parameters.
    pub template: TemplateOptions,
    /// Config files.
    pub config: ConfigOptions,
    /// How rows apply.
    pub apply: ApplyOptions,
    /// `--factory-name`: the factoryName value of the output parameters file.
    pub factory_name: Option<String>,
    /// Selective deployment.
    pub select: SelectOptions,
    /// Where environment tokens take their values from.
    pub env: Environment,
    /// `--layout`: the layout of the output files (default: the input's).
    pub layout: LayoutChoice,
}

/// `adfc build`: compile, then write into `out_dir`.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    /// What to compile.
    pub compile: CompileOptions,
    /// Folder to write the stage's files into (`None`: compile only).
    pub out_dir: Option<PathBuf>,
}

/// Numbers for the summary line.
#[derive(Debug, Default, Clone)]
pub struct Summary {
    /// ADF objects in the template.
    pub objects: usize,
    /// Objects changed by a row.
    pub objects_changed: usize,
    /// Config rows read.
    pub rows: usize,
    /// Rows that changed something.
    pub rows_applied: usize,
    /// Values written to the parameters file.
    pub parameters_set: usize,
}

/// Where an object's JSON is in an input file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceSpan {
    /// The input file.
    pub file: FileId,
    /// Byte range of the resource.
    pub span: Range<usize>,
}

/// Where an object's JSON is in an output file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputSpan {
    /// Index of the file in [`Build::files`].
    pub file: usize,
    /// Byte range of the resource.
    pub span: Range<usize>,
}

/// One ADF object of the factory, as compiled.
#[derive(Debug, Clone)]
pub struct BuiltObject {
    /// Its type.
    pub otype: ObjectType,
    /// Its name.
    pub name: String,
    /// Its folder.
    pub folder: Option<String>,
    /// The managed virtual network of a managed private endpoint.
    pub parent: Option<String>,
    /// The ARM resource type.
    pub resource_type: String,
    /// Objects it references (as read from the input).
    pub references: Vec<ObjectRef>,
    /// referenceName values that are expressions.
    pub dynamic_references: Vec<String>,
    /// Whether it is in the output.
    pub deployed: bool,
    /// Why (or why not).
    pub reason: Reason,
    /// Whether its JSON was edited.
    pub changed: bool,
    /// Its resource in the input.
    pub source: SourceSpan,
    /// Its resource in the output, when deployed.
    pub output: Option<OutputSpan>,
}

impl BuiltObject {
    /// `type.name`.
    pub fn id(&self) -> String {
        format!("{}.{}", self.otype, self.name)
    }
}

/// A parameter of the output template, with its value in the output parameters file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputParameter {
    /// Its name.
    pub name: String,
    /// Declared type (lower case), when declared with a string type.
    pub declared_type: Option<String>,
    /// JSON text of its `defaultValue`, if any.
    pub default: Option<String>,
    /// JSON text of its value in the parameters file, if any.
    pub value: Option<String>,
}

/// A compiled stage: the output files, and the model behind them.
#[derive(Debug)]
pub struct Build {
    /// The input files (diagnostics point into them; object sources are in them).
    pub sources: Sources,
    /// The factory's name.
    pub factory: String,
    /// Output files: the template files (in the factory's order), then the
    /// parameters file and the global parameters side file when there are.
    pub files: Vec<OutputFile>,
    /// Every ADF object of the input, in input order.
    pub objects: Vec<BuiltObject>,
    /// Parameters declared by the output main template.
    pub parameters: Vec<OutputParameter>,
    /// Every change a config row made, with the row.
    pub changes: Vec<Change>,
    /// Whether selection rules were given.
    pub rules: bool,
    /// Objects added by `--with-dependencies`, as `type.name`.
    pub added_dependencies: Vec<String>,
    /// Per type: (deployed, not deployed).
    pub counts: BTreeMap<ObjectType, (usize, usize)>,
    /// Parameters and variables removed because nothing used them any more.
    pub pruned: Pruned,
    /// Counts for the summary.
    pub summary: Summary,
    /// Warnings.
    pub warnings: Vec<Diagnostic>,
    /// Where the files were written, if they were.
    pub out_dir: Option<PathBuf>,
}

impl Build {
    /// The object's resource JSON as read.
    pub fn source_json(&self, object: &BuiltObject) -> &str {
        self.sources.get(object.source.file).text().get(object.source.span.clone()).unwrap_or("")
    }

    /// The object's resource JSON as written, when deployed.
    pub fn output_json(&self, object: &BuiltObject) -> Option<&str> {
        let at = object.output.as_ref()?;
        self.files.get(at.file)?.text.get(at.span.clone())
    }
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
    let template = input::read_template(&options.compile.template, sources)?;
    let inputs = read_config_and_rules(&options.compile, &template, sources)?;
    let mut build = compile(sources, &template, &inputs, &options.compile)?;
    if let Some(out_dir) = &options.out_dir {
        output::write_all(out_dir, &build.files, sources)?;
        build.out_dir = Some(out_dir.clone());
    }
    Ok(build)
}

/// The config and rules files of a compile, read.
#[derive(Debug, Clone, Default)]
pub struct ConfigInputs {
    /// Config files, in the order they apply.
    pub configs: Vec<FileId>,
    /// Rules files.
    pub rules: Vec<FileId>,
}

/// Find and read the config files (`--config`, the stage's file) and the rules files.
pub fn read_config_and_rules(
    options: &CompileOptions,
    template: &TemplateInput,
    sources: &mut Sources,
) -> Result<ConfigInputs, Errors> {
    let config_paths = config::stage::config_files(&options.config, &template.path)?;
    let all: Vec<PathBuf> = config_paths.iter().chain(&options.select.rules_files).cloned().collect();
    let mut ids = input::read_all(&all, sources)?;
    let rules = ids.split_off(config_paths.len());
    Ok(ConfigInputs { configs: ids, rules })
}

/// Compile the inputs: load, apply config rows, select, prune, write the texts.
pub fn compile(
    sources: &Sources,
    template: &TemplateInput,
    inputs: &ConfigInputs,
    options: &CompileOptions,
) -> Result<Build, Errors> {
    let mut report = Report::default();
    template.warnings.iter().for_each(|w| report.push(w.clone()));
    let mut factory = Factory::load(sources, &template.files, &mut report).map_err(|d| report.fail(d))?;
    let rows = read_rows(sources, &inputs.configs, &options.env, &mut report);
    report.check()?;
    let applied = config::apply::apply(&mut factory, &rows, options.apply, &mut report);
    report.check()?;
    let selection = select_objects(&mut factory, &inputs.rules, &options.select, &mut report);
    report.check()?;
    if let Some(name) = &options.factory_name {
        factory.set_parameter_value(FACTORY_PARAM, Node::string(name));
    }
    let pruned = factory.prune();
    let summary = summarize(&factory, &rows, &applied);
    let written = layout::write(&factory, options.layout);
    check_written(&written, factory.template(TemplateId::MAIN).file(), &mut report);
    Ok(Build {
        sources: Sources::new(),
        factory: factory.name().to_string(),
        objects: built_objects(&factory, &selection, &written.placed),
        parameters: output_parameters(&factory),
        files: written.files,
        changes: applied.changes,
        rules: !options.select.is_empty(),
        added_dependencies: selection.added,
        counts: selection.counts,
        pruned,
        summary,
        warnings: report.take(),
        out_dir: None,
    })
}

fn summarize(factory: &Factory<'_>, rows: &[ConfigRow], applied: &config::Applied) -> Summary {
    Summary {
        objects: factory.object_count(),
        objects_changed: applied.changes.iter().map(|c| c.object.as_str()).collect::<BTreeSet<_>>().len(),
        rows: rows.len(),
        rows_applied: applied.rows_applied,
        parameters_set: applied.changes.iter().filter(|c| matches!(c.destination, Destination::Parameter(_))).count(),
    }
}

/// Read the rules, decide every object, and remove what is not deployed.
pub fn select_objects(
    factory: &mut Factory<'_>,
    rules_files: &[FileId],
    options: &SelectOptions,
    report: &mut Report,
) -> Selection {
    let rules = select::read_rules(options, rules_files, factory.sources(), report);
    if report.has_errors() {
        return Selection::default();
    }
    let chosen = select::select(factory, &rules, options, report);
    select::remove_excluded(factory, &chosen);
    chosen
}

/// Read every config file's rows (all problems reported).
pub fn read_rows(sources: &Sources, configs: &[FileId], env: &Environment, report: &mut Report) -> Vec<ConfigRow> {
    let lookup = |name: &str| env.get(name);
    configs.iter().flat_map(|&id| config::read_file(sources, id, &lookup, report)).collect()
}

fn built_objects(factory: &Factory<'_>, selection: &Selection, placed: &[Option<Placed>]) -> Vec<BuiltObject> {
    factory
        .objects()
        .map(|(id, o)| {
            let r = factory.resource(o.resource());
            let decision = selection.objects.get(id.index());
            let output =
                placed.get(o.resource().index()).cloned().flatten().map(|p| OutputSpan { file: p.file, span: p.span });
            BuiltObject {
                otype: o.otype(),
                name: o.name().to_string(),
                folder: o.folder().map(str::to_string),
                parent: o.parent().map(str::to_string),
                resource_type: r.rtype().to_string(),
                references: o.references().to_vec(),
                dynamic_references: o.dynamic_references().to_vec(),
                deployed: r.is_deployed(),
                reason: decision.map_or(Reason::NoRules, |d| d.reason.clone()),
                changed: r.is_changed(),
                source: SourceSpan { file: factory.template(r.template()).file(), span: r.source_span() },
                output,
            }
        })
        .collect()
}

fn output_parameters(factory: &Factory<'_>) -> Vec<OutputParameter> {
    let declared = factory.template(TemplateId::MAIN).doc().root.get("parameters");
    let values = factory.parameters_file().and_then(|d| d.root.get("parameters"));
    let Some(declared) = declared else { return Vec::new() };
    let text = |node: Option<Node<'_>>| {
        node.map(|n| {
            let mut out = String::new();
            crate::json::node::write_compact(&n, &mut out);
            out
        })
    };
    declared
        .keys()
        .into_iter()
        .map(|name| {
            let decl = declared.get(&name);
            OutputParameter {
                declared_type: decl.as_ref().and_then(|d| d.get("type")?.as_str().map(|t| t.to_ascii_lowercase())),
                default: decl.as_ref().and_then(|d| text(d.get("defaultValue"))),
                value: values.as_ref().and_then(|v| v.get(&name)).and_then(|p| text(p.get("value"))),
                name,
            }
        })
        .collect()
}

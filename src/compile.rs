//! Compiling a stage: inputs → config rows → selection → pruning → output
//! texts, and the compiled model (`Build`) that `build`, `plan` and `diff`
//! work on. Nothing here writes to disk.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::ops::Range;
use std::path::PathBuf;

use crate::check::check_written;
use crate::config::env::Environment;
use crate::config::{self, ApplyOptions, Change, ConfigOptions, ConfigRow, Destination, UnsetEnv};
use crate::diag::{Code, Diagnostic, Errors, Report};
use crate::input::{self, TemplateInput, TemplateOptions};
use crate::json::Node;
use crate::layout::{self, LayoutChoice, Placed};
use crate::output::OutputFile;
use crate::select::{self, Reason, SelectOptions, Selection, Unchanged};
use crate::source::{FileId, Sources};
use crate::template::effective::{ParameterValues, same_resource};
use crate::template::factory::FACTORY_PARAM;
use crate::template::prune::Pruned;
use crate::template::{DynamicRef, Factory, ObjectRef, ObjectType, TemplateId};

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
    /// Keep parameters (and their values) that nothing kept uses any more.
    pub keep_unused_parameters: bool,
    /// What an unset environment variable is (an error, unless `check`).
    pub unset_env: UnsetEnv,
    /// A secret written literally in a config file is a warning (`check`).
    pub warn_literal_secrets: bool,
    /// `--layout`: the layout of the output files (default: the input's).
    pub layout: LayoutChoice,
    /// `--changed-since DIR`: deploy only objects that differ from the output in DIR.
    pub changed_since: Option<PathBuf>,
}

/// Numbers for the summary line: what the output contains.
#[derive(Debug, Default, Clone)]
pub struct Summary {
    /// ADF objects in the template.
    pub objects: usize,
    /// Deployed objects that a row changed.
    pub objects_changed: usize,
    /// Config rows read.
    pub rows: usize,
    /// Rows that changed something.
    pub rows_applied: usize,
    /// Rows that changed nothing because their values were already in place (`config-prod.csv:12`).
    pub rows_unchanged: Vec<String>,
    /// Parameters whose value a row set and that are in the output parameters file.
    pub parameters_set: usize,
    /// Secure parameters adfc declared for secrets, that the output still has.
    pub parameters_added: Vec<String>,
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
    /// References whose target cannot be named (expressions without known values).
    pub dynamic_references: Vec<DynamicRef>,
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
    /// The object of this type and name (names compared ignoring case, as ADF does).
    pub fn object(&self, otype: ObjectType, name: &str) -> Option<&BuiltObject> {
        self.objects.iter().find(|o| o.otype == otype && o.name.eq_ignore_ascii_case(name))
    }

    /// A parameter of the output main template.
    pub fn parameter(&self, name: &str) -> Option<&OutputParameter> {
        self.parameters.iter().find(|p| p.name.eq_ignore_ascii_case(name))
    }

    /// The object's resource as read, parsed.
    pub fn source_value(&self, object: &BuiltObject) -> Option<serde_json::Value> {
        serde_json::from_str(self.source_json(object)).ok()
    }

    /// The object's resource as written, parsed (when deployed).
    pub fn output_value(&self, object: &BuiltObject) -> Option<serde_json::Value> {
        serde_json::from_str(self.output_json(object)?).ok()
    }

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

/// Read the inputs named by `options` and compile them (nothing is written).
pub fn compile_inputs(options: &CompileOptions, sources: &mut Sources) -> Result<Build, Errors> {
    let template = input::read_template(&options.template, sources)?;
    let inputs = read_config_and_rules(options, &template, sources)?;
    compile(sources, &template, &inputs, options)
}

/// The config and rules files of a compile, read.
#[derive(Debug, Clone, Default)]
pub struct ConfigInputs {
    /// Config files, in the order they apply.
    pub configs: Vec<FileId>,
    /// Rules files.
    pub rules: Vec<FileId>,
    /// `--changed-since`: the previous output, read.
    pub previous: Option<TemplateInput>,
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
    let previous = options.changed_since.as_ref().map(|dir| read_previous(dir, sources)).transpose()?;
    Ok(ConfigInputs { configs: ids, rules, previous })
}

/// The output of an earlier build (`--changed-since DIR`).
fn read_previous(dir: &std::path::Path, sources: &mut Sources) -> Result<TemplateInput, Errors> {
    input::read_template(&TemplateOptions { template: dir.to_path_buf(), ..TemplateOptions::default() }, sources)
        .map_err(|e| {
            let note = "--changed-since names the output folder of an earlier build (it holds its template)";
            Errors(e.0.into_iter().map(|d| d.note(note)).collect())
        })
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
    let factory = Factory::load(sources, &template.files, &mut report).map_err(|d| report.fail(d))?;
    compile_loaded(factory, inputs, options, report)
}

/// Compile a factory already loaded (`check` loads a template once and
/// compiles a copy of it per stage); `report` holds what loading reported.
pub fn compile_loaded(
    mut factory: Factory<'_>,
    inputs: &ConfigInputs,
    options: &CompileOptions,
    mut report: Report,
) -> Result<Build, Errors> {
    let sources = factory.sources();
    // Every problem of every file in one run: rows that do not parse are
    // reported and left out, and the others are still applied and checked.
    let read = config::ReadOptions {
        env: &options.env,
        unset: options.unset_env,
        literal_secrets_are_warnings: options.warn_literal_secrets,
    };
    let rows = read_rows(sources, &inputs.configs, read, &mut report);
    let applied = config::apply::apply(&mut factory, &rows, options.apply, &mut report);
    factory.resolve_parameter_references();
    if let Some(name) = &options.factory_name {
        set_factory_name(&mut factory, name, &mut report);
    }
    let unchanged = match (&inputs.previous, &options.changed_since) {
        (Some(previous), Some(dir)) => Some(unchanged_since(&factory, previous, dir, &mut report)?),
        _ => None,
    };
    let selection = select_objects(&mut factory, &inputs.rules, &options.select, unchanged.as_ref(), &mut report);
    let has_rules = !inputs.rules.is_empty() || !options.select.is_empty();
    check_something_deployed(&selection, has_rules, &mut report);
    report.check()?;
    let pruned = if options.keep_unused_parameters { Pruned::default() } else { factory.prune() };
    drop_warnings_of_excluded(&factory, &selection, &mut report);
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
        rules: has_rules,
        added_dependencies: selection.added,
        counts: selection.counts,
        pruned,
        summary,
        warnings: report.take(),
        out_dir: None,
    })
}

/// Set the factoryName value of the output parameters file (`--factory-name`).
fn set_factory_name(factory: &mut Factory<'_>, name: &str, report: &mut Report) {
    if factory.parameter_type(FACTORY_PARAM).is_some() {
        factory.set_parameter_value(FACTORY_PARAM, Node::string(name));
    } else {
        report.push(Diagnostic::warning(
            Code::ParametersUndeclared,
            format!("--factory-name `{name}` is ignored: the template declares no `{FACTORY_PARAM}` parameter"),
        ));
    }
}

/// The objects that deploy exactly what the output in `dir` deploys
/// (compared as ARM deploys them: parameter references by their values,
/// `dependsOn` aside, which only orders the deployment).
fn unchanged_since(
    factory: &Factory<'_>,
    previous: &TemplateInput,
    dir: &std::path::Path,
    report: &mut Report,
) -> Result<Unchanged, Errors> {
    let old = Factory::index(factory.sources(), &previous.files, &mut Report::default()).map_err(|d| report.fail(d))?;
    let (old_values, new_values) = (ParameterValues::of_factory(&old), ParameterValues::of_factory(factory));
    let differing = old_values.differing(&new_values);
    let key = |otype: ObjectType, name: &str, gp: bool| {
        let name = if otype == ObjectType::Factory { String::new() } else { name.to_lowercase() };
        (otype, name, gp)
    };
    let mut before: HashMap<_, String> = HashMap::new();
    for (_, o) in old.objects() {
        let text = node_text(old.resource(o.resource()).node());
        before.entry(key(o.otype(), o.name(), o.is_global_parameters_resource())).or_insert(text);
    }
    let objects = factory
        .objects()
        .filter(|(_, o)| {
            let Some(then) = before.get(&key(o.otype(), o.name(), o.is_global_parameters_resource())) else {
                return false;
            };
            let now = node_text(factory.resource(o.resource()).node());
            same_resource((then, &old_values), (&now, &new_values), &differing, &["dependsOn"])
        })
        .map(|(id, _)| id)
        .collect();
    Ok(Unchanged { objects, since: dir.display().to_string() })
}

/// The JSON text of a resource node (its input text when it was not edited).
fn node_text(node: &Node<'_>) -> String {
    match node {
        Node::Raw(text) => text.to_string(),
        _ => {
            let mut out = String::new();
            crate::json::node::write_compact(node, &mut out);
            out
        }
    }
}

/// Rules that leave nothing to deploy are a mistake, not an empty release
/// (nothing to deploy because nothing changed since `--changed-since` is fine).
fn check_something_deployed(selection: &Selection, has_rules: bool, report: &mut Report) {
    let objects = &selection.objects;
    let unchanged = objects.iter().any(|s| matches!(s.reason, Reason::Unchanged(_)));
    if has_rules && !objects.is_empty() && !unchanged && objects.iter().all(|s| !s.deployed) {
        report.push(
            Diagnostic::error(
                Code::SelectNothingDeployed,
                format!("the selection rules deploy none of the {} objects", objects.len()),
            )
            .note("check the include rules (`adfc ls --rules …` previews what each rule decides)"),
        );
    }
}

/// Warnings about what a row wrote into the template do not matter for objects that are not deployed.
fn drop_warnings_of_excluded(factory: &Factory<'_>, selection: &Selection, report: &mut Report) {
    let excluded: BTreeSet<String> =
        selection.objects.iter().filter(|s| !s.deployed).map(|s| factory.object(s.object).id()).collect();
    if excluded.is_empty() {
        return;
    }
    let about_template = [Code::ConfigExpressionReplaced, Code::ConfigSecretInTemplate];
    report
        .diagnostics
        .retain(|d| !(about_template.contains(&d.code) && d.object.as_ref().is_some_and(|o| excluded.contains(o))));
}

fn summarize(factory: &Factory<'_>, rows: &[ConfigRow], applied: &config::Applied) -> Summary {
    let deployed: BTreeSet<String> =
        factory.objects().filter(|(_, o)| factory.resource(o.resource()).is_deployed()).map(|(_, o)| o.id()).collect();
    let in_output = |name: &str| factory.parameter_value(name).is_some();
    let parameters: BTreeSet<&str> = applied
        .changes
        .iter()
        .filter_map(|c| match &c.destination {
            Destination::Parameter(p) | Destination::NewParameter(p) => Some(p.as_str()),
            _ => None,
        })
        .filter(|p| in_output(p))
        .collect();
    let added = applied.changes.iter().filter_map(|c| match &c.destination {
        Destination::NewParameter(p) if in_output(p) => Some(p.clone()),
        _ => None,
    });
    Summary {
        objects: factory.object_count(),
        objects_changed: applied
            .changes
            .iter()
            .filter(|c| deployed.contains(&c.object) || c.destination == Destination::GlobalParametersFile)
            .map(|c| c.object.as_str())
            .collect::<BTreeSet<_>>()
            .len(),
        rows: rows.len(),
        rows_applied: applied.rows_applied,
        rows_unchanged: applied.unchanged.clone(),
        parameters_set: parameters.len(),
        parameters_added: added.collect(),
    }
}

/// Read the rules, decide every object, and remove what is not deployed.
pub fn select_objects(
    factory: &mut Factory<'_>,
    rules_files: &[FileId],
    options: &SelectOptions,
    unchanged: Option<&Unchanged>,
    report: &mut Report,
) -> Selection {
    let rules = select::read_rules(options, rules_files, factory.sources(), report);
    let chosen = select::select(factory, &rules, options, unchanged, report);
    select::remove_excluded(factory, &chosen);
    chosen
}

/// Read every config file's rows (all problems reported).
pub fn read_rows(
    sources: &Sources,
    configs: &[FileId],
    read: config::ReadOptions<'_>,
    report: &mut Report,
) -> Vec<ConfigRow> {
    configs.iter().flat_map(|&id| config::read_file(sources, id, read, report)).collect()
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
    let mut given: HashMap<String, Node<'_>> =
        values.as_ref().map(|v| v.members().into_iter().collect()).unwrap_or_default();
    declared
        .members()
        .into_iter()
        .map(|(name, decl)| OutputParameter {
            declared_type: decl.get("type").and_then(|t| t.as_str().map(|t| t.to_ascii_lowercase())),
            default: text(decl.get("defaultValue")),
            value: given.remove(&name).and_then(|p| text(p.get("value"))),
            name,
        })
        .collect()
}

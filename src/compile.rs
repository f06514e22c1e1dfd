//! The build pipeline: inputs → config rows → output files.

use std::path::{Path, PathBuf};

use crate::config::{self, ConfigRow, EnvLookup, apply::ApplyOptions};
use crate::diag::{Diagnostic, Failure, Location, Report};
use crate::select::apply::{self as selection, SelectOptions, Selection};
use crate::source::Sources;
use crate::template::factory::{FACTORY_PARAM, Factory, LoadInput};
use crate::template::prune::{self, Pruned};

/// Where the factory comes from.
#[derive(Debug, Clone, Default)]
pub struct TemplateOptions {
    /// `--template`: the template file, or a folder holding one.
    pub template: PathBuf,
    /// `--parameters`: the parameters file (default: the one beside the template).
    pub parameters: Option<PathBuf>,
}

/// Which config files apply.
#[derive(Debug, Clone, Default)]
pub struct ConfigOptions {
    /// `--stage S`: use `deployment/config-S.csv` (or `.json`).
    pub stage: Option<String>,
    /// `--root`: the folder holding `deployment/` (default: searched).
    pub root: Option<PathBuf>,
    /// `--config FILE`, in order.
    pub configs: Vec<PathBuf>,
}

/// Everything `adfc build` needs besides the environment.
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
}

/// All input files, read up front.
#[derive(Debug)]
pub struct Inputs {
    /// The texts.
    pub sources: Sources,
    /// Which file is what.
    pub load: LoadInput,
    /// Config files, in the order they apply.
    pub configs: Vec<PathBuf>,
}

/// One file to write, relative to the output folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    /// Relative path.
    pub name: PathBuf,
    /// Contents.
    pub text: String,
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
    /// What became unused and was removed.
    pub pruned: Pruned,
}

/// The result of a build.
#[derive(Debug)]
pub struct Compiled {
    /// Files to write.
    pub files: Vec<OutputFile>,
    /// Warnings.
    pub diagnostics: Vec<Diagnostic>,
    /// Counts.
    pub summary: Summary,
    /// Every change made, with the row that made it.
    pub changes: Vec<config::apply::Change>,
    /// Which objects are deployed, and why.
    pub selection: Selection,
    /// `type.name` of each object, in the order of `selection.objects`.
    pub object_names: Vec<String>,
}

const TEMPLATE_NAMES: [&str; 2] = ["ARMTemplateForFactory.json", "arm_template.json"];
const PARAMETER_NAMES: [(&str, &str); 2] = [
    ("ARMTemplateForFactory.json", "ARMTemplateParametersForFactory.json"),
    ("arm_template.json", "arm_template_parameters.json"),
];

/// Find and read every input file.
pub fn gather(template: &TemplateOptions, config: &ConfigOptions, select: &SelectOptions) -> Result<Inputs, Failure> {
    let mut sources = Sources::default();
    let mut report = Report::default();
    let layout = layout(&template.template)?;
    let template_path = layout.template.clone();
    let template_id = sources.read(&template_path)?;
    let parameters_path = template.parameters.clone().or_else(|| layout.parameters.clone());
    let parameters_id = match &parameters_path {
        Some(p) => Some(sources.read(p)?),
        None => None,
    };
    let parts = match layout.linked {
        true => read_parts(&mut sources, template_id, &template_path, &layout.prefix)?,
        false => Vec::new(),
    };
    let configs = config_files(config, &template_path).map_err(Failure::one)?;
    for path in configs.iter().chain(&select.rules_files) {
        if let Err(d) = sources.read(path) {
            report.push(d);
        }
    }
    report.check()?;
    let default_parameters = if layout.linked { MASTER_PARAMETERS } else { PARAMETER_NAMES[0].1 };
    let load = LoadInput {
        template: (template_id, layout.prefix.join(file_name(&template_path, TEMPLATE_NAMES[0]))),
        parameters: (
            parameters_id,
            layout.prefix.join(file_name(parameters_path.as_deref().unwrap_or(Path::new("")), default_parameters)),
        ),
        global_parameters: (None, PathBuf::new()),
        parts,
    };
    let mut inputs = Inputs { sources, load, configs };
    read_global_parameters_file(&mut inputs, &template_path)?;
    Ok(inputs)
}

const MASTER: &str = "ArmTemplate_master.json";
const MASTER_PARAMETERS: &str = "ArmTemplateParameters_master.json";

/// Which files make up the template, and how outputs are named.
struct Layout {
    template: PathBuf,
    parameters: Option<PathBuf>,
    linked: bool,
    /// Folder prefix of output names (`linkedTemplates` when given the factory folder of a linked-only export).
    prefix: PathBuf,
}

/// Work out the layout from `--template`: a template file, a linked master, or a folder holding either.
fn layout(path: &Path) -> Result<Layout, Diagnostic> {
    let is_master = |p: &Path| p.file_name().is_some_and(|n| n.to_string_lossy().eq_ignore_ascii_case(MASTER));
    let linked = |master: PathBuf, prefix: PathBuf| {
        let parameters = master.with_file_name(MASTER_PARAMETERS);
        Layout { parameters: parameters.is_file().then_some(parameters), template: master, linked: true, prefix }
    };
    if !path.is_dir() {
        if is_master(path) {
            return Ok(linked(path.to_path_buf(), PathBuf::new()));
        }
        let parameters = sibling_parameters(path);
        return Ok(Layout { template: path.to_path_buf(), parameters, linked: false, prefix: PathBuf::new() });
    }
    if let Some(single) = TEMPLATE_NAMES.iter().map(|n| path.join(n)).find(|p| p.is_file()) {
        let parameters = sibling_parameters(&single);
        return Ok(Layout { template: single, parameters, linked: false, prefix: PathBuf::new() });
    }
    if path.join(MASTER).is_file() {
        return Ok(linked(path.join(MASTER), PathBuf::new()));
    }
    let nested = path.join("linkedTemplates").join(MASTER);
    if nested.is_file() {
        return Ok(linked(nested, PathBuf::from("linkedTemplates")));
    }
    Err(Diagnostic::error(
        "input::no-template",
        format!(
            "`{}` holds no ARMTemplateForFactory.json, arm_template.json or linkedTemplates/ArmTemplate_master.json",
            path.display()
        ),
    )
    .at(Location::file(path)))
}

/// Read the parts the master deploys, in the master's order (a stale part the
/// master does not reference is ignored).
fn read_parts(
    sources: &mut Sources,
    master: usize,
    master_path: &Path,
    prefix: &Path,
) -> Result<Vec<(usize, PathBuf, usize)>, Diagnostic> {
    let deployments = part_names(&sources.get(master).text);
    let mut parts = Vec::new();
    for (resource, name) in deployments {
        let path = master_path.with_file_name(&name);
        let id = sources.read(&path)?;
        parts.push((id, prefix.join(&name), resource));
    }
    Ok(parts)
}

/// (index of the master resource, part file name) for each linked deployment.
fn part_names(master: &str) -> Vec<(usize, String)> {
    let Ok(range) = crate::json::scan::validate(master) else { return Vec::new() };
    let root = crate::json::Node::raw(&master[range]);
    let Some(crate::json::Node::Raw(resources)) = root.get("resources") else { return Vec::new() };
    let Ok(items) = crate::json::scan::array_elements(&resources) else { return Vec::new() };
    items
        .iter()
        .enumerate()
        .filter_map(|(i, raw)| {
            let node = crate::json::Node::raw(raw);
            let uri = node.get("properties")?.get("templateLink")?.get("uri")?.as_str()?.into_owned();
            part_file(&uri).map(|name| (i, name))
        })
        .collect()
}

/// The file name a templateLink uri points at (`…'/ArmTemplate_0.json'…` → `ArmTemplate_0.json`).
fn part_file(uri: &str) -> Option<String> {
    let mut found = None;
    let mut visit = |text: &str| {
        if let Some(name) = text.rsplit('/').next().filter(|n| n.to_ascii_lowercase().ends_with(".json")) {
            found = Some(name.to_string());
        }
    };
    match crate::template::expr::parse_value(uri).ok()? {
        Some(expr) => visit_strings(&expr, &mut visit),
        None => visit(uri),
    }
    found
}

fn visit_strings(expr: &crate::template::expr::Expr, f: &mut dyn FnMut(&str)) {
    use crate::template::expr::Expr;
    match expr {
        Expr::Str(s) => f(s),
        Expr::Call { args, .. } => args.iter().for_each(|a| visit_strings(a, f)),
        Expr::Member { base, .. } => visit_strings(base, f),
        Expr::Index { base, index } => {
            visit_strings(base, f);
            visit_strings(index, f);
        }
        Expr::Int(_) => {}
    }
}

fn file_name(path: &Path, default: &str) -> PathBuf {
    path.file_name().map_or_else(|| PathBuf::from(default), PathBuf::from)
}

fn sibling_parameters(template: &Path) -> Option<PathBuf> {
    let name = template.file_name()?.to_str()?;
    let dir = template.parent()?;
    let candidate = PARAMETER_NAMES
        .iter()
        .find(|(t, _)| t.eq_ignore_ascii_case(name))
        .map(|(_, p)| dir.join(p))
        .unwrap_or_else(|| dir.join(PARAMETER_NAMES[0].1));
    candidate.is_file().then_some(candidate)
}

/// `--config` files, then the stage file found under the root.
fn config_files(config: &ConfigOptions, template: &Path) -> Result<Vec<PathBuf>, Diagnostic> {
    let mut files = config.configs.clone();
    if let Some(stage) = &config.stage {
        files.push(stage_file(stage, config.root.as_deref(), template)?);
    }
    Ok(files)
}

/// Folders searched for `deployment/config-<stage>.csv`, in order: the
/// template's folder, its parent, then the current folder (each once).
pub fn stage_roots(root: Option<&Path>, template: &Path) -> Vec<PathBuf> {
    if let Some(root) = root {
        return vec![root.to_path_buf()];
    }
    let dir = template.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let parent = match dir.parent().filter(|p| !p.as_os_str().is_empty()) {
        Some(parent) => Some(parent.to_path_buf()),
        None => dir.canonicalize().ok().and_then(|d| d.parent().map(Path::to_path_buf)),
    };
    let mut roots: Vec<PathBuf> = Vec::new();
    let key = |p: &Path| {
        let p = if p.as_os_str().is_empty() { Path::new(".") } else { p };
        p.canonicalize().unwrap_or_else(|_| p.to_path_buf())
    };
    for candidate in [Some(dir.to_path_buf()), parent, Some(PathBuf::new())].into_iter().flatten() {
        if !roots.iter().any(|r| key(r) == key(&candidate)) {
            roots.push(candidate);
        }
    }
    roots
}

fn stage_file(stage: &str, root: Option<&Path>, template: &Path) -> Result<PathBuf, Diagnostic> {
    let roots = stage_roots(root, template);
    let names = [format!("config-{stage}.csv"), format!("config-{stage}.json")];
    for dir in &roots {
        for name in &names {
            let candidate = dir.join("deployment").join(name);
            if candidate.is_file() {
                return Ok(candidate);
            }
        }
    }
    let searched: Vec<String> = roots.iter().map(|r| r.join("deployment").display().to_string()).collect();
    Err(Diagnostic::error("input::no-stage-config", format!("no config file for stage `{stage}`"))
        .note(format!("looked for {} in: {}", names.join(" / "), searched.join(", ")))
        .note("use --root DIR or --config FILE"))
}

fn read_global_parameters_file(inputs: &mut Inputs, template: &Path) -> Result<(), Failure> {
    let Some(dir) = template.parent() else { return Ok(()) };
    let mut candidates = vec![dir.join("globalParameters")];
    if inputs.load.parts.is_empty() {
        candidates.truncate(1);
    } else {
        candidates.extend(dir.parent().map(|p| p.join("globalParameters")));
    }
    let Some(entries) = candidates.iter().find_map(|d| std::fs::read_dir(d).ok()) else { return Ok(()) };
    let mut found: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.to_string_lossy().ends_with("_GlobalParameters.json"))
        .collect();
    found.sort();
    if let Some(path) = found.into_iter().next() {
        let id = inputs.sources.read(&path)?;
        let name = PathBuf::from("globalParameters").join(file_name(&path, "GlobalParameters.json"));
        inputs.load.global_parameters = (Some(id), name);
    }
    Ok(())
}

/// Compile the inputs: load, apply config rows, prune, render.
pub fn compile(inputs: &Inputs, options: &CompileOptions, env: EnvLookup<'_>) -> Result<Compiled, Failure> {
    let mut report = Report::default();
    let mut factory = Factory::load(&inputs.sources, &inputs.load, &mut report).map_err(|d| report.fail(d))?;
    let rows = read_rows(inputs, env, &mut report);
    report.check()?;
    let applied = config::apply::apply(&mut factory, &rows, options.apply, &mut report);
    report.check()?;
    let selection = select_objects(&mut factory, &options.select, &mut report);
    report.check()?;
    if let Some(name) = &options.factory_name {
        set_factory_name(&mut factory, name);
    }
    let pruned = prune::prune(&mut factory);
    let summary = Summary {
        objects: factory.objects.len(),
        objects_changed: applied
            .changes
            .iter()
            .map(|c| c.object.as_str())
            .collect::<std::collections::BTreeSet<_>>()
            .len(),
        rows: rows.len(),
        rows_applied: applied.rows_applied,
        parameters_set: applied
            .changes
            .iter()
            .filter(|c| matches!(c.destination, config::apply::Destination::Parameter(_)))
            .count(),
        pruned,
    };
    let files = render(&factory);
    check_limits(&factory, &files, &mut report);
    let object_names = factory.objects.iter().map(|o| o.id()).collect();
    Ok(Compiled { files, diagnostics: report.diagnostics, summary, changes: applied.changes, selection, object_names })
}

/// Read the rules, decide every object, and remove what is not deployed.
pub fn select_objects(factory: &mut Factory<'_>, options: &SelectOptions, report: &mut Report) -> Selection {
    let rules = selection::read_rules(options, factory.sources, report);
    if report.has_errors() {
        return Selection::default();
    }
    let chosen = selection::select(factory, &rules, options, report);
    selection::apply(factory, &chosen);
    chosen
}

/// ARM's limits on one template file.
pub const MAX_TEMPLATE_BYTES: usize = 4 * 1024 * 1024;
/// ARM's limit on parameters of one template.
pub const MAX_PARAMETERS: usize = 256;
/// ARM's limit on resources of one template.
pub const MAX_RESOURCES: usize = 800;

/// Warn about output template files over ARM's limits (the deployment would fail).
pub fn check_limits(factory: &Factory<'_>, files: &[OutputFile], report: &mut Report) {
    for (i, doc) in factory.files.iter().enumerate() {
        let name = factory.file_names[i].display().to_string();
        let warn = |code: &'static str, message: String| {
            Diagnostic::warning(code, message).at(Location::file(&doc.path)).note("ARM rejects such a template")
        };
        let bytes = files.get(i).map_or(0, |f| f.text.len());
        if bytes > MAX_TEMPLATE_BYTES {
            report.push(warn(
                "template::limit-size",
                format!("{name} is {bytes} bytes, over ARM's limit of {MAX_TEMPLATE_BYTES} (4 MiB)"),
            ));
        }
        let parameters = doc.root.get("parameters").map_or(0, |p| p.keys().len());
        if parameters > MAX_PARAMETERS {
            report.push(warn(
                "template::limit-parameters",
                format!("{name} declares {parameters} parameters, over ARM's limit of {MAX_PARAMETERS}"),
            ));
        }
        let resources = factory.resources.iter().filter(|r| r.file == i && r.deployed).count();
        if resources > MAX_RESOURCES {
            report.push(warn(
                "template::limit-resources",
                format!("{name} has {resources} resources, over ARM's limit of {MAX_RESOURCES}"),
            ));
        }
    }
}

/// Read every config file's rows (all problems reported).
pub fn read_rows(inputs: &Inputs, env: EnvLookup<'_>, report: &mut Report) -> Vec<ConfigRow> {
    inputs.configs.iter().flat_map(|path| config::read_file(&inputs.sources, path, env, report)).collect()
}

fn set_factory_name(factory: &mut Factory<'_>, name: &str) {
    factory.set_parameter_value(FACTORY_PARAM, crate::json::Node::string(name));
}

/// Render every output file.
pub fn render(factory: &Factory<'_>) -> Vec<OutputFile> {
    let mut files = Vec::new();
    for (i, doc) in factory.files.iter().enumerate() {
        let resources: Vec<&crate::json::Node<'_>> =
            factory.resources.iter().filter(|r| r.file == i && r.deployed).map(|r| &r.node).collect();
        files.push(OutputFile { name: factory.file_names[i].clone(), text: doc.render_template(&resources) });
    }
    if let Some(doc) = &factory.parameters {
        files.push(OutputFile { name: factory.parameters_name.clone(), text: doc.render() });
    }
    if let Some(doc) = &factory.global_parameters_file {
        files.push(OutputFile { name: factory.global_parameters_name.clone(), text: doc.render() });
    }
    files
}

/// Flush every staged file to disk before any is renamed into place. A linked
/// export can have a thousand parts: their syncs run on a few threads, since
/// each one mostly waits for the device.
fn sync_all(staged: &[(tempfile::NamedTempFile, PathBuf)]) -> Result<(), (&PathBuf, std::io::Error)> {
    const WORKERS: usize = 8;
    let chunk = staged.len().div_ceil(WORKERS).max(1);
    std::thread::scope(|scope| {
        let workers: Vec<_> = staged
            .chunks(chunk)
            .map(|files| {
                scope.spawn(move || {
                    files.iter().try_for_each(|(temp, target)| temp.as_file().sync_all().map_err(|e| (target, e)))
                })
            })
            .collect();
        workers.into_iter().try_for_each(|w| w.join().unwrap_or(Ok(())))
    })
}

/// Write files into `out_dir` atomically: all are written to temporary files
/// first and renamed into place only when every one succeeded. Refuses to
/// overwrite any input file.
pub fn write_outputs(out_dir: &Path, files: &[OutputFile], inputs: &Sources) -> Result<(), Diagnostic> {
    let io_error = |path: &Path, e: std::io::Error| {
        Diagnostic::error("output::write", format!("cannot write `{}`: {e}", path.display())).at(Location::file(path))
    };
    let inputs: std::collections::HashSet<PathBuf> = inputs.iter().filter_map(|f| f.path.canonicalize().ok()).collect();
    let mut staged = Vec::new();
    for file in files {
        let target = out_dir.join(&file.name);
        let dir = target.parent().unwrap_or(out_dir);
        std::fs::create_dir_all(dir).map_err(|e| io_error(dir, e))?;
        if target.canonicalize().is_ok_and(|t| inputs.contains(&t)) {
            return Err(Diagnostic::error(
                "output::overwrite-input",
                format!("refusing to overwrite the input file `{}`: choose another --out-dir", target.display()),
            ));
        }
        let mut temp = tempfile::NamedTempFile::new_in(dir).map_err(|e| io_error(dir, e))?;
        use std::io::Write;
        temp.write_all(file.text.as_bytes()).map_err(|e| io_error(&target, e))?;
        staged.push((temp, target));
    }
    sync_all(&staged).map_err(|(target, e)| io_error(target, e))?;
    for (temp, target) in staged {
        temp.persist(&target).map_err(|e| io_error(&target, e.error))?;
    }
    Ok(())
}

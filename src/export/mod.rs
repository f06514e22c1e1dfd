//! `adfc export`: read a factory's Git folder (ADF's collaboration branch)
//! and write the ARM template ADF's exporter would, offline.
//!
//! The steps, in order: [`folder`] reads every object file; objects are
//! sorted into ADF's resource order ([`arm`]); the small [`rewrite`]s ADF's
//! models apply are applied; the linked services' encrypted credentials
//! become secure parameters ([`secrets`]); the parameterization definition
//! ([`definition`], the folder's or ADF's default) turns the properties it
//! names into parameters ([`parameters`]); [`arm`] assembles the template and
//! its parameters file, written like ADF writes them (4 spaces). The template
//! is then loaded like any export, so the layout writer (single, linked, or
//! linked only above ARM's 4 MiB) and every other command work on a folder
//! too (`--factory-dir`).

pub mod arm;
pub mod definition;
pub mod folder;
pub mod parameters;
pub mod rewrite;
pub mod secrets;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::{Map, Value};

use self::definition::Definition;
use self::folder::{Catalog, FactoryFile, Folder, FolderObject};
use self::parameters::Parameters;
use self::secrets::Outcome;
use crate::diag::{Code, Diagnostic, Errors, Failure, Location, Report};
use crate::json::stringify::stringify;
use crate::layout::{self, LayoutChoice};
use crate::output::{self, OutputFile};
use crate::source::Sources;
use crate::template::{Factory, NamedFile, ObjectType, TemplateFiles};

/// ADF's exporters indent with four spaces (the UI's "Export ARM template" and the npm package).
const INDENT: &str = "    ";
/// Single template file name.
const TEMPLATE: &str = "ARMTemplateForFactory.json";
/// Single parameters file name.
const PARAMETERS: &str = "ARMTemplateParametersForFactory.json";
/// What the exported texts are called in diagnostics (they exist only in memory).
const VIRTUAL: &str = " (exported)";

/// What a given factory name means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FactoryName<'n> {
    /// None given: the single file of `factory/` names the factory.
    Unknown,
    /// `adfc export --factory-name`: the exported factory is called so.
    Export(&'n str),
    /// `build`/`ls --factory-name` with `--factory-dir`: it chooses which
    /// `factory/<name>.json` to read, and the template keeps that file's name
    /// (build then sets the name in the output parameters file, as it does for
    /// any template); it names the factory only when `factory/` holds no file.
    Choose(&'n str),
}

impl<'n> FactoryName<'n> {
    fn given(self) -> Option<&'n str> {
        match self {
            FactoryName::Unknown => None,
            FactoryName::Export(n) | FactoryName::Choose(n) => Some(n),
        }
    }
}

/// `adfc export`.
#[derive(Debug, Clone)]
pub struct ExportOptions {
    /// The factory's Git folder.
    pub factory_dir: PathBuf,
    /// The factory's name (default: the single file of `factory/`).
    pub factory_name: Option<String>,
    /// Where to write (`None`: export only).
    pub out_dir: Option<PathBuf>,
    /// Which layout to write (default [`LayoutChoice::Auto`]; a folder has no
    /// layout of its own, so [`LayoutChoice::Input`] means `Auto` too).
    pub layout: LayoutChoice,
}

impl Default for ExportOptions {
    fn default() -> Self {
        ExportOptions { factory_dir: PathBuf::new(), factory_name: None, out_dir: None, layout: LayoutChoice::Auto }
    }
}

/// The template of a folder, in memory.
#[derive(Debug, Clone)]
pub struct Exported {
    /// The factory's name.
    pub factory: String,
    /// `ARMTemplateForFactory.json`.
    pub template: String,
    /// `ARMTemplateParametersForFactory.json`.
    pub parameters: String,
    /// `globalParameters/<factory>_GlobalParameters.json`, when the factory has
    /// global parameters that the template does not hold.
    pub global_parameters: Option<String>,
    /// Objects per type.
    pub counts: BTreeMap<ObjectType, usize>,
    /// Parameters declared (besides `factoryName`).
    pub parameter_count: usize,
    /// Warnings.
    pub warnings: Vec<Diagnostic>,
}

/// A finished export.
#[derive(Debug)]
pub struct Export {
    /// The files read (diagnostics point into them).
    pub sources: Sources,
    /// The factory's name.
    pub factory: String,
    /// Objects per type.
    pub counts: BTreeMap<ObjectType, usize>,
    /// Parameters declared (besides `factoryName`).
    pub parameters: usize,
    /// The output files.
    pub files: Vec<OutputFile>,
    /// Whether they are the linked layout.
    pub linked: bool,
    /// Warnings.
    pub warnings: Vec<Diagnostic>,
    /// Where they were written, if they were.
    pub out_dir: Option<PathBuf>,
}

/// Export a factory folder and, with an output folder, write it.
pub fn export(options: &ExportOptions) -> Result<Export, Failure> {
    let mut sources = Sources::new();
    match run(options, &mut sources) {
        Ok(export) => Ok(Export { sources, ..export }),
        Err(errors) => Err(Failure::new(errors, sources)),
    }
}

fn run(options: &ExportOptions, sources: &mut Sources) -> Result<Export, Errors> {
    let name = options.factory_name.as_deref().map_or(FactoryName::Unknown, FactoryName::Export);
    let exported = export_folder(&options.factory_dir, name, sources)?;
    let (factory, counts, parameters, warnings) =
        (exported.factory.clone(), exported.counts.clone(), exported.parameter_count, exported.warnings.clone());
    let files = exported.register(&options.factory_dir, sources);
    let choice = if options.layout == LayoutChoice::Input { LayoutChoice::Auto } else { options.layout };
    let written = write(sources, &files, choice)?;
    if let Some(out_dir) = &options.out_dir {
        output::write_all(out_dir, &written.files, sources)?;
    }
    let out_dir = options.out_dir.clone();
    Ok(Export {
        sources: Sources::new(),
        factory,
        counts,
        parameters,
        files: written.files,
        linked: written.linked,
        warnings,
        out_dir,
    })
}

fn write(sources: &Sources, files: &TemplateFiles, choice: LayoutChoice) -> Result<layout::Written, Errors> {
    let mut report = Report::default();
    let factory = Factory::load(sources, files, &mut report).map_err(|d| report.fail(d))?;
    Ok(layout::write(&factory, choice))
}

/// Read the folder `dir` and build its template and parameters file in memory.
pub fn export_folder(dir: &Path, factory_name: FactoryName<'_>, sources: &mut Sources) -> Result<Exported, Errors> {
    let mut report = Report::default();
    if !dir.is_dir() || !folder::looks_like_factory(dir) {
        return Err(no_folder(dir, sources).into());
    }
    let folder = folder::read(dir, sources, &mut report);
    let factory = choose_factory(&folder, factory_name, sources, &mut report);
    let definition = read_definition(&folder, sources, &mut report);
    let catalog = Catalog::new(&folder);
    check_references(&folder, &catalog, sources, &mut report);
    report.check()?;
    let Some((name, factory_file)) = factory else { return Err(report.fail(no_folder(dir, sources))) };
    let globals = global_parameters(factory_file, &folder.global_parameter_files);
    Ok(assemble(folder, &catalog, &definition, &name, globals, sources, report))
}

fn no_folder(dir: &Path, sources: &mut Sources) -> Diagnostic {
    let what = if dir.is_dir() {
        "holds none of ADF's object folders (pipeline/, dataset/, linkedService/, factory/, …)"
    } else {
        "is not a folder"
    };
    Diagnostic::error(Code::ExportNoFolder, format!("`{}` {what}", dir.display()))
        .at(Location::file(sources.name(dir)))
        .note("--factory-dir takes the root of the factory's Git folder (ADF's \"root folder\" setting)")
}

/// The factory's name and file: `--factory-name` (with its file, or the only one), else the only file.
fn choose_factory<'f>(
    folder: &'f Folder,
    name: FactoryName<'_>,
    sources: &mut Sources,
    report: &mut Report,
) -> Option<(String, Option<&'f FactoryFile>)> {
    let files = &folder.factories;
    let given = name.given();
    let named = given.and_then(|n| files.iter().find(|f| f.name.eq_ignore_ascii_case(n)));
    let file = match (given, named, files.as_slice()) {
        (Some(_), Some(file), _) => Some(file),
        (Some(_), None, [] | [_]) | (None, _, [_]) => files.first(),
        _ => {
            report.push(factory_name_error(folder, given, sources));
            return None;
        }
    };
    let exported = match (name, file) {
        (FactoryName::Export(n), _) | (FactoryName::Choose(n), None) => n.to_string(),
        (_, Some(file)) => file.name.clone(),
        (FactoryName::Unknown, None) => return None,
    };
    Some((exported, file))
}

fn factory_name_error(folder: &Folder, given: Option<&str>, sources: &mut Sources) -> Diagnostic {
    let candidates: Vec<String> = folder.factories.iter().map(|f| f.name.clone()).collect();
    let message = match (given, candidates.is_empty()) {
        (Some(name), _) => format!("no factory file is named `{name}`: factory/ holds {}", candidates.join(", ")),
        (None, true) => "factory/ holds no factory file: give the factory's name with --factory-name".to_string(),
        (None, false) => {
            format!("factory/ holds several factory files ({}): choose one with --factory-name", candidates.join(", "))
        }
    };
    let at = Location::file(sources.name(&folder.dir.join("factory")));
    Diagnostic::error(Code::ExportFactoryName, message).at(at)
}

fn read_definition(folder: &Folder, sources: &Sources, report: &mut Report) -> Definition {
    let Some(file) = folder.definition else { return definition::default_definition() };
    match definition::parse(sources.get(file).text(), file) {
        Ok(definition) => definition,
        Err(problems) => {
            problems.into_iter().for_each(|d| report.push(d));
            Definition::default()
        }
    }
}

/// Every reference must name an object of the folder (ADF's default integration runtime aside).
fn check_references(folder: &Folder, catalog: &Catalog, sources: &Sources, report: &mut Report) {
    use self::rewrite::Lookup;
    for object in &folder.objects {
        for (otype, name) in object.references.iter().cloned() {
            let auto_resolve =
                otype == ObjectType::IntegrationRuntime && name.eq_ignore_ascii_case(arm::AUTO_RESOLVE_IR);
            if catalog.canonical(otype, &name).is_none() && !auto_resolve {
                report.push(missing_reference(object, otype, &name, sources));
            }
        }
    }
}

fn missing_reference(object: &FolderObject, otype: ObjectType, name: &str, sources: &Sources) -> Diagnostic {
    let span = folder::reference_span(sources.get(object.file).text(), otype, name).unwrap_or(object.name_span.clone());
    Diagnostic::error(
        Code::ExportMissingReference,
        format!("{}.{} references {otype} `{name}`, which is not in the folder", object.otype, object.name),
    )
    .at(Location::span(object.file, span))
    .label(format!("no {} file for `{name}`", folder_of(otype)))
    .object(format!("{}.{}", object.otype, object.name))
    .note("ADF publishes only what the Git folder holds: add the object, or fix the name")
}

fn folder_of(otype: ObjectType) -> String {
    format!("{otype}/")
}

/// The factory's global parameters: its file's `globalParameters`, then `globalParameters/*.json`.
fn global_parameters(factory: Option<&FactoryFile>, files: &[Value]) -> Map<String, Value> {
    let mut all = Map::new();
    let from_factory = factory.and_then(|f| f.properties.get("globalParameters")).and_then(Value::as_object);
    all.extend(from_factory.cloned().unwrap_or_default());
    for file in files {
        let map = file.get("properties").unwrap_or(file).as_object().cloned().unwrap_or_default();
        all.extend(map.into_iter().filter(|(_, v)| v.get("type").is_some()));
    }
    all
}

/// Build the template and parameters file from the folder's objects, one
/// object at a time (each is parsed, rewritten, parameterized and written
/// out before the next).
fn assemble(
    folder: Folder,
    catalog: &Catalog,
    definition: &Definition,
    factory: &str,
    globals: Map<String, Value>,
    sources: &Sources,
    mut report: Report,
) -> Exported {
    let include_globals = folder.include_global_parameters && !globals.is_empty();
    let mut objects = folder.objects;
    arm::sort(&mut objects);
    let counts = count(&objects);
    let mut parameters = Declared::default();
    let mut resources = arm::ResourcesText::new(INDENT);
    for object in &objects {
        resources.push(&resource(object, sources, catalog, definition, &mut parameters, &mut report));
    }
    if include_globals {
        resources.push(&global_parameters_resource(&globals, definition, &mut parameters.defined));
    }
    let Declared { secrets: mut parameters, defined } = parameters;
    parameters.append(defined);
    let side = (!include_globals && !globals.is_empty()).then(|| stringify(&Value::Object(globals), INDENT));
    Exported {
        factory: factory.to_string(),
        template: arm::template(factory, &parameters, &resources),
        parameters: stringify(&arm::parameters_file(factory, &parameters), INDENT),
        global_parameters: side,
        counts,
        parameter_count: parameters.len(),
        warnings: report.take(),
    }
}

/// Parameters in ADF's two groups: the linked services' secrets first, then
/// what the definition declares.
#[derive(Default)]
struct Declared {
    secrets: Parameters,
    defined: Parameters,
}

fn count(objects: &[FolderObject]) -> BTreeMap<ObjectType, usize> {
    let mut counts = BTreeMap::new();
    for object in objects {
        *counts.entry(object.otype).or_insert(0) += 1;
    }
    counts
}

/// One object's resource: rewrites, secrets, the definition's parameters, then dependsOn.
fn resource(
    object: &FolderObject,
    sources: &Sources,
    catalog: &Catalog,
    definition: &Definition,
    parameters: &mut Declared,
    report: &mut Report,
) -> Value {
    let (otype, name, parent) = (object.otype, object.name.as_str(), object.parent.as_deref());
    let mut properties = object.parse_properties(sources);
    rewrite::escape_literals(&mut properties);
    rewrite::normalize(otype, &mut properties, catalog);
    if otype == ObjectType::LinkedService
        && secrets::replace_encrypted_credential(&mut properties, name, &mut parameters.secrets) == Outcome::Unknown
    {
        report.push(unknown_secret(object, &properties));
    }
    let refs = arm::reference_paths(&properties);
    let rtype = format!("Microsoft.DataFactory/factories/{}", arm::type_path(otype));
    let object_type = properties.get("type").and_then(Value::as_str).map(str::to_string);
    let mut root = Map::new();
    root.insert("properties".into(), properties);
    if let Some(rule) = definition.rule_for(&rtype, object_type.as_deref()) {
        parameters::apply(rule, &mut root, name, &mut parameters.defined);
    }
    let properties = root.remove("properties").unwrap_or_default();
    let depends_on = arm::depends_on((otype, name, parent), &refs, &properties, catalog);
    arm::resource(otype, parent, name, properties, depends_on)
}

/// The `factories/globalparameters` resource `default` (when `publish_config.json` asks for it).
fn global_parameters_resource(
    globals: &Map<String, Value>,
    definition: &Definition,
    parameters: &mut Parameters,
) -> Value {
    let mut properties = Value::Object(globals.clone());
    rewrite::escape_literals(&mut properties);
    let mut root = Map::new();
    root.insert("properties".into(), properties);
    let rtype = format!("Microsoft.DataFactory/factories/{}", arm::type_path(ObjectType::Factory));
    if let Some(rule) = definition.rule_for(&rtype, None) {
        parameters::apply(rule, &mut root, "default", parameters);
    }
    let properties = root.remove("properties").unwrap_or_default();
    arm::resource(ObjectType::Factory, None, "default", properties, Vec::new())
}

fn unknown_secret(object: &FolderObject, properties: &Value) -> Diagnostic {
    let connector = properties.get("type").and_then(Value::as_str).unwrap_or("?");
    Diagnostic::warning(
        Code::ExportUnknownSecret,
        format!("linkedService.{} ({connector}) has an encrypted credential, and adfc does not know which secret of a {connector} it holds: it was dropped", object.name),
    )
    .at(Location::span(object.file, object.name_span.clone()))
    .object(format!("linkedService.{}", object.name))
    .note("set the secret in the target factory with a config row (e.g. `+typeProperties.password`), or with a Key Vault reference in the folder")
}

impl Exported {
    /// Register the texts in `sources` under virtual names beside the folder,
    /// as the template files a [`Factory`] loads.
    pub fn register(self, dir: &Path, sources: &mut Sources) -> TemplateFiles {
        let virtual_path = |name: &str| dir.join(format!("{name}{VIRTUAL}"));
        let template = sources.add(virtual_path(TEMPLATE), self.template);
        let parameters = sources.add(virtual_path(PARAMETERS), self.parameters);
        let global_parameters = self.global_parameters.map(|text| {
            let name = PathBuf::from("globalParameters").join(format!("{}_GlobalParameters.json", self.factory));
            NamedFile { file: sources.add(dir.join(format!("{}{VIRTUAL}", name.display())), text), name }
        });
        TemplateFiles {
            template: NamedFile { file: template, name: TEMPLATE.into() },
            parameters: Some(parameters),
            parameters_name: PARAMETERS.into(),
            global_parameters,
            parts: Vec::new(),
        }
    }
}

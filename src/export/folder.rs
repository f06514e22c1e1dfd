//! Reading ADF's Git folder: one JSON file per object
//! (`{"name": …, "properties": {…}, "type": …}`) in a folder per type
//! (`pipeline/`, `dataset/`, `linkedService/`, `trigger/`, `dataflow/`,
//! `integrationRuntime/`, `credential/`, `adfcdc/`, `managedVirtualNetwork/`
//! with `<vnet>/managedPrivateEndpoint/` inside), the factory file
//! (`factory/<name>.json`), global parameters (`globalParameters/*.json`),
//! and at the root `arm-template-parameters-definition.json` and
//! `publish_config.json`. Every problem of every file is reported, each at
//! its place in the file.

use std::collections::HashMap;
use std::ops::Range;
use std::path::{Path, PathBuf};

use serde_json::Value;

use super::arm::references;
use super::rewrite::Lookup;
use crate::diag::{Code, Diagnostic, Location, Report};
use crate::json::scan;
use crate::json::text::decode_str;
use crate::source::{FileId, Sources};
use crate::template::ObjectType;

/// The parameterization definition file at the folder's root.
pub const DEFINITION_FILE: &str = "arm-template-parameters-definition.json";
/// The publish settings file at the folder's root.
pub const PUBLISH_CONFIG_FILE: &str = "publish_config.json";

/// Object folders and the type of their objects (managed virtual networks are read apart).
const OBJECT_FOLDERS: [(&str, ObjectType); 8] = [
    ("pipeline", ObjectType::Pipeline),
    ("dataset", ObjectType::Dataset),
    ("linkedService", ObjectType::LinkedService),
    ("trigger", ObjectType::Trigger),
    ("integrationRuntime", ObjectType::IntegrationRuntime),
    ("dataflow", ObjectType::Dataflow),
    ("credential", ObjectType::Credential),
    ("adfcdc", ObjectType::Adfcdc),
];
const VNET_FOLDER: &str = "managedVirtualNetwork";
const ENDPOINT_FOLDER: &str = "managedPrivateEndpoint";
const FACTORY_FOLDER: &str = "factory";
const GLOBAL_PARAMETERS_FOLDER: &str = "globalParameters";

/// One object file.
#[derive(Debug, Clone)]
pub struct FolderObject {
    /// Its type (from its folder).
    pub otype: ObjectType,
    /// Its `name`.
    pub name: String,
    /// The managed virtual network of a managed private endpoint.
    pub parent: Option<String>,
    /// The file.
    pub file: FileId,
    /// The file's name (ADF orders objects of a type by it).
    pub file_name: String,
    /// Where the `name` value is in the file.
    pub name_span: Range<usize>,
    /// Where its `properties` object is in the file (none: `{}`).
    pub properties: Option<Range<usize>>,
    /// The objects it references, in ADF's order (names as written).
    pub references: Vec<(ObjectType, String)>,
    /// A data flow's sources then sinks.
    pub streams: Vec<String>,
}

impl FolderObject {
    /// Its `properties`, parsed (the folder keeps only text: a thousand
    /// parsed objects would cost ten times the folder's size).
    pub fn parse_properties(&self, sources: &Sources) -> Value {
        let text = sources.get(self.file).text();
        let parsed = self.properties.clone().and_then(|span| serde_json::from_str(text.get(span)?).ok());
        parsed.unwrap_or_else(|| Value::Object(serde_json::Map::new()))
    }
}

/// A `factory/<name>.json` file.
#[derive(Debug, Clone)]
pub struct FactoryFile {
    /// The factory's name (`name` in the file).
    pub name: String,
    /// The file.
    pub file: FileId,
    /// Its `properties` (global parameters live in `globalParameters`).
    pub properties: Value,
}

/// Everything read from a factory's Git folder.
#[derive(Debug, Clone, Default)]
pub struct Folder {
    /// The folder.
    pub dir: PathBuf,
    /// Every object, in the order read.
    pub objects: Vec<FolderObject>,
    /// The factory files.
    pub factories: Vec<FactoryFile>,
    /// `globalParameters/*.json`, parsed.
    pub global_parameter_files: Vec<Value>,
    /// `arm-template-parameters-definition.json`, when present.
    pub definition: Option<FileId>,
    /// `includeGlobalParamsTemplate` of `publish_config.json`.
    pub include_global_parameters: bool,
    /// Objects whose file could not be read, by type and file name (already reported;
    /// references to them are not reported again).
    pub unreadable: Vec<(ObjectType, String)>,
}

/// Read the folder `dir`; problems go to `report` (the objects that could be read are returned).
pub fn read(dir: &Path, sources: &mut Sources, report: &mut Report) -> Folder {
    let mut folder = Folder { dir: dir.to_path_buf(), ..Folder::default() };
    for (sub, otype) in OBJECT_FOLDERS {
        for path in json_files(&dir.join(sub)) {
            read_object(&path, otype, None, sources, report, &mut folder);
        }
    }
    read_managed_networks(dir, sources, report, &mut folder);
    for path in json_files(&dir.join(FACTORY_FOLDER)) {
        if let Some(Read { file, name, .. }) = read_json(&path, sources, report) {
            let value: Value = serde_json::from_str(without_bom(sources.get(file).text())).unwrap_or(Value::Null);
            let properties = value.get("properties").cloned().unwrap_or(Value::Null);
            folder.factories.push(FactoryFile { name, file, properties });
        }
    }
    for path in json_files(&dir.join(GLOBAL_PARAMETERS_FOLDER)) {
        if let Some(value) = read_value(&path, sources, report) {
            folder.global_parameter_files.push(value);
        }
    }
    read_root_files(dir, sources, report, &mut folder);
    report_duplicates(&folder, sources, report);
    folder
}

fn read_managed_networks(dir: &Path, sources: &mut Sources, report: &mut Report, folder: &mut Folder) {
    let vnets = dir.join(VNET_FOLDER);
    for path in json_files(&vnets) {
        read_object(&path, ObjectType::ManagedVirtualNetwork, None, sources, report, folder);
    }
    for vnet in subfolders(&vnets) {
        let parent = vnet.file_name().map(|n| n.to_string_lossy().into_owned());
        for path in json_files(&vnet.join(ENDPOINT_FOLDER)) {
            read_object(&path, ObjectType::ManagedPrivateEndpoint, parent.clone(), sources, report, folder);
        }
    }
}

fn read_root_files(dir: &Path, sources: &mut Sources, report: &mut Report, folder: &mut Folder) {
    let definition = dir.join(DEFINITION_FILE);
    if definition.is_file() {
        folder.definition = sources.read(&definition).map_err(|d| report.push(d)).ok();
    }
    let publish = dir.join(PUBLISH_CONFIG_FILE);
    if publish.is_file()
        && let Some(value) = read_value(&publish, sources, report)
    {
        folder.include_global_parameters = value.get("includeGlobalParamsTemplate") == Some(&Value::Bool(true));
    }
}

/// `*.json` files of `dir`, sorted by name; none when it is not a folder.
fn json_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = list(dir).into_iter().filter(|p| p.is_file() && is_json(p)).collect();
    files.sort();
    files
}

fn subfolders(dir: &Path) -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = list(dir).into_iter().filter(|p| p.is_dir()).collect();
    dirs.sort();
    dirs
}

fn list(dir: &Path) -> Vec<PathBuf> {
    std::fs::read_dir(dir).map(|d| d.filter_map(Result::ok).map(|e| e.path()).collect()).unwrap_or_default()
}

fn is_json(path: &Path) -> bool {
    path.extension().is_some_and(|e| e.eq_ignore_ascii_case("json"))
}

/// Does `dir` look like a factory's Git folder (any object folder or a factory file)?
pub fn looks_like_factory(dir: &Path) -> bool {
    OBJECT_FOLDERS.iter().map(|(sub, _)| *sub).chain([VNET_FOLDER, FACTORY_FOLDER]).any(|sub| dir.join(sub).is_dir())
}

fn read_object(
    path: &Path,
    otype: ObjectType,
    parent: Option<String>,
    sources: &mut Sources,
    report: &mut Report,
    folder: &mut Folder,
) {
    let file_name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let stem = file_name.get(..file_name.len().saturating_sub(".json".len())).unwrap_or("").to_string();
    let Some(Read { file, name, name_span, properties }) = read_json(path, sources, report) else {
        folder.unreadable.push((otype, stem));
        return;
    };
    if name != stem {
        report.push(name_mismatch(otype, &name, &file_name, Location::span(file, name_span.clone())));
    }
    let mut object = FolderObject {
        otype,
        name,
        parent,
        file,
        file_name,
        name_span,
        properties,
        references: Vec::new(),
        streams: Vec::new(),
    };
    let value = object.parse_properties(sources);
    object.references = references(&value);
    if otype == ObjectType::Dataflow {
        object.streams = streams(&value);
    }
    folder.objects.push(object);
}

fn name_mismatch(otype: ObjectType, name: &str, file_name: &str, at: Location) -> Diagnostic {
    Diagnostic::error(Code::ExportNameMismatch, format!("the object is named `{name}` but its file is `{file_name}`"))
        .at(at)
        .label(format!("ADF expects `{name}.json`"))
        .object(format!("{otype}.{name}"))
        .note("ADF names each file after its object: rename the file or the object")
}

/// What an object file holds, as spans of its text.
struct Read {
    file: FileId,
    name: String,
    name_span: Range<usize>,
    properties: Option<Range<usize>>,
}

/// Read and check one object file: a JSON object with a string `name`.
fn read_json(path: &Path, sources: &mut Sources, report: &mut Report) -> Option<Read> {
    let file = sources.read(path).map_err(|d| report.push(d)).ok()?;
    let text = sources.get(file).text();
    let fail = |span: Range<usize>, message: String| {
        Diagnostic::error(Code::ExportJson, message).at(Location::span(file, span))
    };
    let members = match scan::document(text) {
        Ok((_, Some(members))) => members,
        Ok((range, None)) => {
            return report_none(report, fail(range.start..range.start + 1, "expected a JSON object".into()));
        }
        Err(e) => {
            return report_none(report, fail(e.offset..(e.offset + 1).min(text.len()), format!("invalid JSON: {e}")));
        }
    };
    let member = |key: &str| members.iter().find(|(k, _)| *k == key).map(|(_, v)| *v);
    let span = |raw: &str| sources.offset_of(file, raw).map(|s| s..s + raw.len());
    let Some((name, raw)) = member("\"name\"").and_then(|raw| Some((decode_str(raw)?.into_owned(), raw))) else {
        return report_none(report, fail(0..1.min(text.len()), "the file has no string `name`".into()));
    };
    let properties = member("\"properties\"").filter(|v| v.starts_with('{')).and_then(span);
    Some(Read { file, name, name_span: span(raw).unwrap_or(0..0), properties })
}

fn read_value(path: &Path, sources: &mut Sources, report: &mut Report) -> Option<Value> {
    let file = sources.read(path).map_err(|d| report.push(d)).ok()?;
    let text = sources.get(file).text();
    match scan::validate(text) {
        Ok(_) => serde_json::from_str(without_bom(text)).ok(),
        Err(e) => {
            let span = e.offset..(e.offset + 1).min(text.len());
            report_none(
                report,
                Diagnostic::error(Code::ExportJson, format!("invalid JSON: {e}")).at(Location::span(file, span)),
            )
        }
    }
}

/// The text without a UTF-8 byte order mark (the scanner skips it, serde_json does not).
fn without_bom(text: &str) -> &str {
    text.strip_prefix('\u{feff}').unwrap_or(text)
}

fn report_none<T>(report: &mut Report, diagnostic: Diagnostic) -> Option<T> {
    report.push(diagnostic);
    None
}

/// Two objects of one type whose names differ only in case are one object to ADF.
fn report_duplicates(folder: &Folder, sources: &Sources, report: &mut Report) {
    let mut seen: HashMap<(ObjectType, Option<String>, String), &FolderObject> = HashMap::new();
    for object in &folder.objects {
        let key = (object.otype, object.parent.clone(), object.name.to_lowercase());
        match seen.get(&key) {
            Some(first) => report.push(
                Diagnostic::error(
                    Code::ExportDuplicateName,
                    format!(
                        "{} `{}` and `{}` differ only in case: ADF cannot hold both",
                        object.otype, first.name, object.name
                    ),
                )
                .at(Location::span(object.file, object.name_span.clone()))
                .object(format!("{}.{}", object.otype, object.name))
                .note(format!("the other one is {}", sources.get(first.file).path().display())),
            ),
            None => {
                seen.insert(key, object);
            }
        }
    }
}

/// Names and data flow streams of the folder's objects, for rewrites and references.
#[derive(Debug, Clone, Default)]
pub struct Catalog {
    names: HashMap<(ObjectType, String), String>,
    streams: HashMap<String, Vec<String>>,
}

impl Catalog {
    /// Index the objects of `folder`.
    pub fn new(folder: &Folder) -> Catalog {
        let mut catalog = Catalog::default();
        for object in &folder.objects {
            catalog.names.entry((object.otype, object.name.to_lowercase())).or_insert_with(|| object.name.clone());
            if object.otype == ObjectType::Dataflow {
                catalog.streams.insert(object.name.to_lowercase(), object.streams.clone());
            }
        }
        for (otype, name) in &folder.unreadable {
            catalog.names.entry((*otype, name.to_lowercase())).or_insert_with(|| name.clone());
        }
        catalog
    }
}

/// The names of a data flow's sources then sinks.
fn streams(properties: &Value) -> Vec<String> {
    let tp = &properties["typeProperties"];
    ["sources", "sinks"]
        .iter()
        .filter_map(|k| tp.get(*k).and_then(Value::as_array))
        .flatten()
        .filter_map(|s| s.get("name").and_then(Value::as_str).map(str::to_string))
        .collect()
}

impl Lookup for Catalog {
    fn canonical(&self, otype: ObjectType, name: &str) -> Option<&str> {
        self.names.get(&(otype, name.to_lowercase())).map(String::as_str)
    }

    fn dataflow_streams(&self, name: &str) -> Vec<String> {
        self.streams.get(&name.to_lowercase()).cloned().unwrap_or_default()
    }
}

/// Where, in `text`, an object `{"referenceName": name, "type": "<otype>Reference"}` names `name`.
pub fn reference_span(text: &str, otype: ObjectType, name: &str) -> Option<Range<usize>> {
    let raw = find_reference(text, otype, name)?;
    let start = (raw.as_ptr() as usize).checked_sub(text.as_ptr() as usize)?;
    Some(start..start + raw.len())
}

fn find_reference<'t>(raw: &'t str, otype: ObjectType, name: &str) -> Option<&'t str> {
    match raw.as_bytes().first()? {
        b'{' => {
            let members = scan::object_members(raw).ok()?;
            let get = |key: &str| members.iter().find(|(k, _)| *k == key).map(|(_, v)| *v);
            let named = get("\"referenceName\"").filter(|v| decode_str(v).is_some_and(|n| n == name));
            let typed = get("\"type\"").and_then(decode_str).and_then(|t| ObjectType::from_reference_type(&t));
            if let (Some(value), Some(t)) = (named, typed)
                && t == otype
            {
                return Some(value);
            }
            members.iter().find_map(|(_, v)| find_reference(v, otype, name))
        }
        b'[' => scan::array_elements(raw).ok()?.into_iter().find_map(|v| find_reference(v, otype, name)),
        _ => None,
    }
}

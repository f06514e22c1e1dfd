//! The loaded factory: template files, resources, the object index and
//! parameter bookkeeping.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::PathBuf;

use super::doc::Doc;
use super::expr::{self, RefKind};
use super::object::{ALL_TYPES, Object, ObjectRef, ObjectType};
use crate::diag::{Diagnostic, Location, Report};
use crate::json::visit::{self, RefName, Visitor};
use crate::json::{Kind, Node};
use crate::source::Sources;

/// The parameter holding the factory name in every ADF export.
pub const FACTORY_PARAM: &str = "factoryName";

/// The resource type of the master's part deployments.
pub const DEPLOYMENTS: &str = "Microsoft.Resources/deployments";

/// One ARM resource of the template set.
#[derive(Debug, Clone)]
pub struct Resource<'a> {
    /// Index of the template file in [`Factory::files`].
    pub file: usize,
    /// The resource JSON (raw until edited).
    pub node: Node<'a>,
    /// ARM resource type.
    pub rtype: String,
    /// The object it is, when it is an ADF object.
    pub object: Option<usize>,
    /// Kept in the output.
    pub deployed: bool,
    /// Edited by a config row.
    pub changed: bool,
    /// Byte offset in its file (for line numbers).
    pub offset: usize,
}

/// Counts of `parameters('x')` / `variables('x')` uses, per template file.
pub type Usage = HashMap<(usize, RefKind, String), i64>;

/// Files, resources and objects of one factory, ready to be edited.
#[derive(Debug)]
pub struct Factory<'a> {
    /// All input files.
    pub sources: &'a Sources,
    /// Template files; the first is the main template.
    pub files: Vec<Doc<'a>>,
    /// Output names of `files` (relative to the output folder).
    pub file_names: Vec<PathBuf>,
    /// Every resource, in file order.
    pub resources: Vec<Resource<'a>>,
    /// Every ADF object.
    pub objects: Vec<Object>,
    /// Parameters file, when there is one.
    pub parameters: Option<Doc<'a>>,
    /// Output name of the parameters file.
    pub parameters_name: PathBuf,
    /// Global parameters side file (`globalParameters/<factory>_GlobalParameters.json`).
    pub global_parameters_file: Option<Doc<'a>>,
    /// Output name of the side file.
    pub global_parameters_name: PathBuf,
    /// The factory's name (factoryName parameter value).
    pub factory_name: String,
    /// String variables of each template file.
    pub variables: Vec<HashMap<String, String>>,
    /// Linked-template layout: file 0 is the master, the others are its parts.
    pub linked: bool,
    /// For each file, the master resource that deploys it (linked layout).
    pub deployments: Vec<Option<usize>>,
    /// Current uses of each parameter and variable.
    pub usage: Usage,
    /// Uses at load time (to find parameters no longer used).
    pub initial_usage: Usage,
    index: HashMap<(ObjectType, String), Vec<usize>>,
    by_type: Vec<Vec<usize>>,
}

/// What [`Factory::load`] needs to know about the files.
#[derive(Debug, Clone)]
pub struct LoadInput {
    /// Main template file id and output name.
    pub template: (usize, PathBuf),
    /// Parameters file id (if any) and output name.
    pub parameters: (Option<usize>, PathBuf),
    /// Global parameters side file id (if any) and output name.
    pub global_parameters: (Option<usize>, PathBuf),
    /// Linked layout: each part (file id, output name, index of the master resource deploying it).
    pub parts: Vec<(usize, PathBuf, usize)>,
}

impl<'a> Factory<'a> {
    /// Load and index a template (single file, or a linked master and its parts).
    pub fn load(sources: &'a Sources, input: &LoadInput, report: &mut Report) -> Result<Factory<'a>, Diagnostic> {
        let template = Doc::load(sources, input.template.0, "template::json")?;
        let parameters = input.parameters.0.map(|id| load_parameters(sources, id)).transpose()?;
        let global_parameters_file =
            input.global_parameters.0.map(|id| Doc::load(sources, id, "template::json")).transpose()?;
        let factory_name = factory_name(&template.root, parameters.as_ref());
        let mut factory = Factory {
            sources,
            files: Vec::new(),
            file_names: Vec::new(),
            resources: Vec::new(),
            objects: Vec::new(),
            parameters,
            parameters_name: input.parameters.1.clone(),
            global_parameters_file,
            global_parameters_name: input.global_parameters.1.clone(),
            factory_name,
            variables: Vec::new(),
            linked: !input.parts.is_empty(),
            deployments: vec![None],
            usage: Usage::new(),
            initial_usage: Usage::new(),
            index: HashMap::new(),
            by_type: vec![Vec::new(); ALL_TYPES.len()],
        };
        factory.add_file(template, input.template.1.clone(), report)?;
        for (id, name, deployment) in &input.parts {
            let part = Doc::load(sources, *id, "template::json")?;
            factory.deployments.push(Some(*deployment));
            factory.add_file(part, name.clone(), report)?;
        }
        factory.report_unknown_types(report);
        factory.initial_usage = factory.usage.clone();
        Ok(factory)
    }

    fn add_file(&mut self, doc: Doc<'a>, name: PathBuf, report: &mut Report) -> Result<(), Diagnostic> {
        let raw_resources = take_resources(&doc, self.sources)?;
        let file = self.files.len();
        self.variables.push(string_variables(&doc.root));
        self.files.push(doc);
        self.file_names.push(name);
        for raw in raw_resources {
            self.add_resource(file, raw, report)?;
        }
        self.count_template_level_refs(file);
        Ok(())
    }

    /// Index one resource of file `file`.
    pub fn add_resource(&mut self, file: usize, raw: &'a str, report: &mut Report) -> Result<(), Diagnostic> {
        let offset = self.files[file].offset_of(self.sources, raw);
        let node = Node::raw(raw);
        let mut scan = ResourceScan::default();
        visit::walk(raw, &mut scan);
        let fields = std::mem::take(&mut scan.fields);
        let Some(rtype) = fields.rtype.clone() else {
            return Err(self.resource_error(file, offset, "resource has no string `type`"));
        };
        for (kind, name) in &scan.refs {
            *self.usage.entry((file, *kind, name.clone())).or_default() += 1;
        }
        let index = self.resources.len();
        let object = ObjectType::from_resource_type(&rtype)
            .and_then(|otype| self.make_object(otype, &fields, index, &rtype, scan, file, offset, report));
        if let Some(object) = object {
            self.register(object);
        }
        self.resources.push(Resource {
            file,
            node,
            rtype,
            object: self.objects.len().checked_sub(1).filter(|i| self.objects[*i].resource == index),
            deployed: true,
            changed: false,
            offset,
        });
        Ok(())
    }

    fn resource_error(&self, file: usize, offset: usize, message: &str) -> Diagnostic {
        Diagnostic::error("template::resource", message).at(self.resource_start(file, offset))
    }

    /// The first character of a resource that is not indexed (yet).
    fn resource_start(&self, file: usize, offset: usize) -> Location {
        let text = &self.sources.get(self.files[file].source).text;
        Location::at_span(&self.files[file].path, text, offset..offset + 1)
    }

    #[allow(clippy::too_many_arguments)]
    fn make_object(
        &self,
        otype: ObjectType,
        fields: &Fields<'_>,
        index: usize,
        rtype: &str,
        scan: ResourceScan,
        file: usize,
        offset: usize,
        report: &mut Report,
    ) -> Option<Object> {
        let name_value = fields.name.clone().unwrap_or_default();
        let segments = expr::resource_name_segments(&name_value, FACTORY_PARAM, &self.variables[file]);
        let is_gp = rtype.to_ascii_lowercase().ends_with("/globalparameters");
        let (name, parent) = match (otype, segments.as_deref()) {
            (ObjectType::Factory, Some([])) => (self.factory_name.clone(), None),
            (ObjectType::Factory, Some([_])) if is_gp => (self.factory_name.clone(), None),
            (ObjectType::ManagedPrivateEndpoint, Some([vnet, name])) => (name.clone(), Some(vnet.clone())),
            (_, Some([name])) if otype != ObjectType::Factory => (name.clone(), None),
            _ => {
                report.push(
                    Diagnostic::warning(
                        "template::malformed-name",
                        format!(
                            "cannot read the object name from `{name_value}`: this {rtype} resource is kept untouched and cannot be addressed by config rows or rules"
                        ),
                    )
                    .at(self.resource_start(file, offset)),
                );
                return None;
            }
        };
        let folder =
            fields.properties.and_then(|p| Node::raw(p).get("folder")?.get("name")?.as_str().map(|s| s.into_owned()));
        let mut references: BTreeSet<ObjectRef> = scan.references.into_iter().collect();
        references.extend(self.depends_on_list(file, fields.depends_on));
        references.retain(|r| !(r.otype == otype && r.name == name));
        Some(Object {
            otype,
            name,
            parent,
            folder,
            resource: index,
            references: references.into_iter().collect(),
            dynamic_references: scan.dynamic,
            global_parameters_resource: is_gp,
        })
    }

    /// Objects named by the entries of a raw dependsOn array.
    fn depends_on_list(&self, file: usize, list: Option<&str>) -> Vec<ObjectRef> {
        let Some(list) = list else { return Vec::new() };
        let Ok(entries) = crate::json::scan::array_elements(list) else { return Vec::new() };
        entries
            .into_iter()
            .filter_map(crate::json::node::decode_str)
            .filter_map(|entry| self.dependency_object(file, &entry))
            .collect()
    }

    /// The object a dependsOn entry names, if it is an ADF object.
    pub fn dependency_object(&self, file: usize, entry: &str) -> Option<ObjectRef> {
        let target = expr::dependency_target(entry, FACTORY_PARAM, &self.variables[file])?;
        let types: Vec<&str> = target.types.iter().map(String::as_str).collect();
        let otype = ObjectType::from_type_segments(&types)?;
        let name = match otype {
            ObjectType::Factory => self.factory_name.clone(),
            _ => target.names.last()?.clone(),
        };
        Some(ObjectRef { otype, name })
    }

    fn register(&mut self, object: Object) {
        let id = self.objects.len();
        self.index.entry((object.otype, object.name.to_lowercase())).or_default().push(id);
        self.by_type[object.otype.index()].push(id);
        self.objects.push(object);
    }

    fn count_template_level_refs(&mut self, file: usize) {
        let mut refs = Vec::new();
        for key in ["variables", "outputs"] {
            if let Some(Node::Raw(text)) = self.files[file].root.get(key) {
                let mut scan = ResourceScan::default();
                visit::walk(&text, &mut scan);
                refs.extend(scan.refs);
            }
        }
        for (kind, name) in refs {
            *self.usage.entry((file, kind, name)).or_default() += 1;
        }
    }

    fn report_unknown_types(&self, report: &mut Report) {
        let expected = |r: &Resource<'_>| self.linked && r.file == 0 && r.rtype.eq_ignore_ascii_case(DEPLOYMENTS);
        // Lower-cased type → (first resource of it, how many).
        let mut unknown: BTreeMap<String, (usize, usize)> = BTreeMap::new();
        for (i, r) in self.resources.iter().enumerate() {
            if r.object.is_none() && ObjectType::from_resource_type(&r.rtype).is_none() && !expected(r) {
                unknown.entry(r.rtype.to_ascii_lowercase()).or_insert((i, 0)).1 += 1;
            }
        }
        for (first, count) in unknown.into_values() {
            let message = format!(
                "{count} resource(s) of type `{}` are not ADF objects: kept untouched, never matched by config rows or rules",
                self.resources[first].rtype
            );
            report.push(Diagnostic::warning("template::not-adf", message).at(self.resource_location(first)));
        }
    }

    /// Objects of `otype` whose name equals `name` (case-insensitively).
    pub fn lookup(&self, otype: ObjectType, name: &str) -> &[usize] {
        self.index.get(&(otype, name.to_lowercase())).map_or(&[], Vec::as_slice)
    }

    /// All objects of `otype`.
    pub fn of_type(&self, otype: ObjectType) -> &[usize] {
        &self.by_type[otype.index()]
    }

    /// Declared type of template parameter `name` (lower case), if declared.
    pub fn parameter_type(&self, name: &str) -> Option<String> {
        let params = self.files[0].root.get("parameters")?;
        let decl = params.get(name)?;
        decl.get("type")?.as_str().map(|t| t.to_ascii_lowercase())
    }

    /// Location of a resource, for diagnostics.
    pub fn resource_location(&self, resource: usize) -> Location {
        let r = &self.resources[resource];
        let doc = &self.files[r.file];
        let text = &self.sources.get(doc.source).text;
        let raw = text.get(r.offset..).and_then(|t| crate::json::scan::Scanner::new(t, 0).value().ok().map(|v| &t[v]));
        let name = raw.and_then(|raw| {
            let members = crate::json::scan::object_members(raw).ok()?;
            members.into_iter().find(|(k, _)| *k == "\"name\"").map(|(_, v)| v)
        });
        let span = match name {
            Some(value) => {
                let start = doc.offset_of(self.sources, value);
                start..start + value.len()
            }
            None => r.offset..r.offset + 1,
        };
        Location::at_span(&doc.path, text, span)
    }

    /// Add `delta` uses (in template file `file`) for every parameter/variable referenced in `node`.
    pub fn count_refs(&mut self, file: usize, node: &Node<'_>, delta: i64) {
        let usage = &mut self.usage;
        node.for_each_string(&mut |s| {
            let _ = expr::refs_in_value(s, &mut |kind, name| {
                *usage.entry((file, kind, name.to_string())).or_default() += delta;
            });
        });
    }

    /// Is parameter `name` used exactly once by the factory's resources in the
    /// input? (Judged on the input, so the outcome does not depend on the order
    /// of rows; in a linked layout the master only passes parameters down, so
    /// its uses do not count.)
    pub fn single_use_parameter(&self, name: &str) -> bool {
        let first = usize::from(self.linked);
        let uses: i64 = (first..self.files.len())
            .filter_map(|f| self.initial_usage.get(&(f, RefKind::Parameter, name.to_string())))
            .sum();
        uses == 1
    }

    /// Set parameter `name`'s value in the parameters file (creating the file,
    /// in the template's style, when the export had none).
    pub fn set_parameter_value(&mut self, name: &str, value: Node<'static>) {
        const NEW_FILE: &str = r#"{"$schema": "https://schema.management.azure.com/schemas/2015-01-01/deploymentParameters.json#", "contentVersion": "1.0.0.0", "parameters": {}}"#;
        let style = self.files[0].style.clone();
        let doc = self.parameters.get_or_insert_with(|| {
            Doc::new_empty(
                &self.parameters_name,
                style,
                Node::parse_owned(NEW_FILE).unwrap_or(Node::Object(Vec::new())),
            )
        });
        let Ok(Some(params)) = doc.root.get_mut("parameters") else { return };
        match params.get_mut(name) {
            Ok(Some(existing)) if existing.kind() == Kind::Object => {
                let _ = existing.remove("reference");
                let _ = existing.insert("value", value);
            }
            _ => {
                let entry = Node::Object(vec![crate::json::Member {
                    key: crate::json::node::encode_str("value").into(),
                    value,
                }]);
                let _ = params.insert(name, entry);
            }
        }
    }

    /// Current uses of `name` in file `file`.
    pub fn uses(&self, file: usize, kind: RefKind, name: &str) -> i64 {
        self.usage.get(&(file, kind, name.to_string())).copied().unwrap_or(0)
    }
}

/// The top-level members of a resource that indexing needs, from one scan.
#[derive(Default)]
struct Fields<'a> {
    rtype: Option<String>,
    name: Option<String>,
    properties: Option<&'a str>,
    depends_on: Option<&'a str>,
}

/// Everything one walk over a resource finds.
#[derive(Default)]
struct ResourceScan<'a> {
    fields: Fields<'a>,
    refs: Vec<(RefKind, String)>,
    references: Vec<ObjectRef>,
    dynamic: Vec<String>,
}

impl<'a> Visitor<'a> for ResourceScan<'a> {
    fn top_member(&mut self, key: &'a str, value: &'a str) {
        let string = |v: &str| crate::json::node::decode_str(v).map(|s| s.into_owned());
        match key {
            "\"type\"" => self.fields.rtype = string(value),
            "\"name\"" => self.fields.name = string(value),
            "\"properties\"" if value.starts_with('{') => self.fields.properties = Some(value),
            "\"dependsOn\"" if value.starts_with('[') => self.fields.depends_on = Some(value),
            _ => {}
        }
    }

    fn expression(&mut self, text: &str) {
        let refs = &mut self.refs;
        let _ = expr::refs_in_value(text, &mut |kind, name| refs.push((kind, name.to_string())));
    }

    fn reference(&mut self, name: RefName, ref_type: &str) {
        let Some(otype) = ObjectType::from_reference_type(ref_type) else { return };
        match name {
            RefName::Plain(name) => self.references.push(ObjectRef { otype, name }),
            RefName::Dynamic(text) => self.dynamic.push(format!("{ref_type} {text}")),
        }
    }
}

fn load_parameters<'a>(sources: &'a Sources, id: usize) -> Result<Doc<'a>, Diagnostic> {
    let mut doc = Doc::load(sources, id, "parameters::json")?;
    match doc.root.get_mut("parameters") {
        Ok(Some(params)) if params.kind() == Kind::Object => {
            params.expand().map_err(|e| Diagnostic::error("parameters::json", e.message))?;
            Ok(doc)
        }
        _ => {
            let file = sources.get(id);
            Err(Diagnostic::error("parameters::json", "parameters file has no `parameters` object")
                .at(Location::file(&file.path)))
        }
    }
}

fn take_resources<'a>(template: &Doc<'a>, sources: &Sources) -> Result<Vec<&'a str>, Diagnostic> {
    let missing = || {
        let file = sources.get(template.source);
        Diagnostic::error("template::no-resources", "not an ARM template: there is no `resources` array")
            .at(Location::file(&file.path))
    };
    let Node::Object(members) = &template.root else { return Err(missing()) };
    let value = members.iter().find(|m| crate::json::node::key_is(&m.key, "resources")).map(|m| &m.value);
    let Some(Node::Raw(std::borrow::Cow::Borrowed(text))) = value else { return Err(missing()) };
    let text: &'a str = text;
    if !text.starts_with('[') {
        return Err(missing());
    }
    crate::json::scan::array_elements(text).map_err(|e| Diagnostic::error("template::json", e.message))
}

fn string_variables(root: &Node<'_>) -> HashMap<String, String> {
    let Some(vars) = root.get("variables") else { return HashMap::new() };
    let Node::Raw(text) = vars else { return HashMap::new() };
    crate::json::scan::object_members(&text)
        .unwrap_or_default()
        .into_iter()
        .filter_map(|(k, v)| {
            let key = crate::json::node::decode_str(k)?.into_owned();
            let value = crate::json::node::decode_str(v)?.into_owned();
            Some((key, value))
        })
        .collect()
}

/// The factory name: the factoryName value in the parameters file, else its default.
fn factory_name(root: &Node<'_>, parameters: Option<&Doc<'_>>) -> String {
    let from_file = parameters
        .and_then(|p| p.root.get("parameters")?.get(FACTORY_PARAM)?.get("value")?.as_str().map(|s| s.into_owned()));
    let default = || root.get("parameters")?.get(FACTORY_PARAM)?.get("defaultValue")?.as_str().map(|s| s.into_owned());
    from_file.or_else(default).unwrap_or_else(|| "factory".to_string())
}

//! The loaded factory: template files, resources, the object index and
//! parameter bookkeeping. Other modules read it through methods and edit it
//! through the few operations below; only the model (`template/`) sees its
//! fields.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::ops::Range;
use std::path::{Path, PathBuf};

use super::doc::Doc;
use super::expr::{self, RefKind};
use super::id::{ObjectId, ResourceId, TemplateId};
use super::object::{ALL_TYPES, DynamicRef, Object, ObjectRef, ObjectType, ParameterRef};
use crate::diag::{Code, Diagnostic, Location, Report};
use crate::json::text::{decode_str, encode_str, key_is};
use crate::json::visit::{self, RefName, Visitor};
use crate::json::{Kind, Member, Node, scan};
use crate::source::{FileId, Sources};

/// The parameter holding the factory name in every ADF export.
pub const FACTORY_PARAM: &str = "factoryName";

/// The resource type of the master's part deployments.
pub const DEPLOYMENTS: &str = "Microsoft.Resources/deployments";

/// An input file and the name it is written under (relative to the output folder).
#[derive(Debug, Clone)]
pub struct NamedFile {
    /// The file read.
    pub file: FileId,
    /// Output name, relative to `--out-dir`.
    pub name: PathBuf,
}

/// A part of a linked layout.
#[derive(Debug, Clone)]
pub struct LinkedPart {
    /// The part's template file.
    pub template: NamedFile,
    /// Position, in the master's `resources`, of the deployment that deploys it.
    pub master_resource: usize,
}

/// The files a factory is loaded from (found by `input`).
#[derive(Debug, Clone)]
pub struct TemplateFiles {
    /// The main template (or linked master).
    pub template: NamedFile,
    /// The parameters file, if there is one.
    pub parameters: Option<FileId>,
    /// Output name of the parameters file (also when adfc creates one).
    pub parameters_name: PathBuf,
    /// Global parameters side file (`globalParameters/<factory>_GlobalParameters.json`).
    pub global_parameters: Option<NamedFile>,
    /// Linked layout: the parts, in the master's order.
    pub parts: Vec<LinkedPart>,
}

/// One template file of the factory.
#[derive(Debug, Clone)]
pub struct Template<'a> {
    pub(super) doc: Doc<'a>,
    pub(super) file: FileId,
    pub(super) name: PathBuf,
    pub(super) variables: HashMap<String, String>,
    /// The master resource deploying this part (linked layout).
    pub(super) deployment: Option<ResourceId>,
}

impl<'a> Template<'a> {
    /// Its output name (relative to the output folder).
    pub fn name(&self) -> &Path {
        &self.name
    }

    /// The document (for limits and writing).
    pub fn doc(&self) -> &Doc<'a> {
        &self.doc
    }

    /// The input file it was read from.
    pub fn file(&self) -> FileId {
        self.file
    }

    /// How many parameters it declares.
    pub fn parameter_count(&self) -> usize {
        self.doc.root.get("parameters").map_or(0, |p| p.keys().len())
    }
}

/// One ARM resource of the template set.
#[derive(Debug, Clone)]
pub struct Resource<'a> {
    pub(super) template: TemplateId,
    pub(super) node: Node<'a>,
    pub(super) rtype: String,
    pub(super) object: Option<ObjectId>,
    pub(super) deployed: bool,
    pub(super) changed: bool,
    /// Byte range of the resource in its input file.
    pub(super) source: Range<usize>,
    /// Byte range of its `dependsOn` array in its input file, when it has one.
    pub(super) depends_on: Option<Range<usize>>,
    /// An edit may have changed its object's references.
    pub(super) references_edited: bool,
}

impl<'a> Resource<'a> {
    /// The template file holding it.
    pub fn template(&self) -> TemplateId {
        self.template
    }

    /// The resource JSON (raw until edited).
    pub fn node(&self) -> &Node<'a> {
        &self.node
    }

    /// ARM resource type.
    pub fn rtype(&self) -> &str {
        &self.rtype
    }

    /// The object it is, when it is an ADF object.
    pub fn object(&self) -> Option<ObjectId> {
        self.object
    }

    /// Kept in the output.
    pub fn is_deployed(&self) -> bool {
        self.deployed
    }

    /// Edited by a config row, a rule or pruning.
    pub fn is_changed(&self) -> bool {
        self.changed
    }

    /// Byte range of the resource in its input file.
    pub fn source_span(&self) -> Range<usize> {
        self.source.clone()
    }

    /// Byte range of its `dependsOn` array in its input file, as loaded.
    pub fn depends_on_span(&self) -> Option<Range<usize>> {
        self.depends_on.clone()
    }

    /// The `name` value as written (an ARM expression, usually).
    pub fn name_value(&self) -> String {
        self.node.get("name").and_then(|n| n.as_str().map(|s| s.into_owned())).unwrap_or_default()
    }
}

/// Counts of `parameters('x')` / `variables('x')` uses, per template file.
pub type Usage = HashMap<(TemplateId, RefKind, String), i64>;

/// Files, resources and objects of one factory, ready to be edited. A clone
/// is cheap: untouched resources are slices of the input.
#[derive(Debug, Clone)]
pub struct Factory<'a> {
    pub(super) sources: &'a Sources,
    pub(super) templates: Vec<Template<'a>>,
    pub(super) resources: Vec<Resource<'a>>,
    pub(super) objects: Vec<Object>,
    pub(super) parameters: Option<Doc<'a>>,
    pub(super) parameters_name: PathBuf,
    pub(super) global_parameters_file: Option<Doc<'a>>,
    pub(super) global_parameters_name: PathBuf,
    pub(super) name: String,
    pub(super) linked: bool,
    /// Current uses of each parameter and variable.
    pub(super) usage: Usage,
    /// Uses at load time (to find parameters no longer used).
    pub(super) initial_usage: Usage,
    /// Parameters adfc declared (pruned like the others when left unused).
    pub(super) added_parameters: Vec<(TemplateId, String)>,
    /// Known text values of template parameters (lower-case name → value:
    /// the parameters file's value, else the default), factoryName excepted.
    parameter_values: HashMap<String, String>,
    /// Declared types (lower case) of the main template's parameters, by name.
    pub(super) parameter_types: HashMap<String, String>,
    index: HashMap<(ObjectType, String), Vec<ObjectId>>,
    by_type: Vec<Vec<ObjectId>>,
    depth: Depth,
}

/// How much of each resource loading reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Depth {
    /// Everything: references, parameter and variable uses (to compile).
    Full,
    /// The object of each resource only (type, name, folder), from its
    /// top-level members: enough to compare two outputs object by object.
    Objects,
}

impl<'a> Factory<'a> {
    /// Load and index a template (single file, or a linked master and its parts).
    pub fn load(sources: &'a Sources, files: &TemplateFiles, report: &mut Report) -> Result<Factory<'a>, Diagnostic> {
        Self::load_to(sources, files, report, Depth::Full)
    }

    /// Load a template and index its objects without reading their
    /// references or parameter uses (about a third less work): for comparing
    /// templates, not for compiling them (references, selection and pruning
    /// need [`Factory::load`]).
    pub fn index(sources: &'a Sources, files: &TemplateFiles, report: &mut Report) -> Result<Factory<'a>, Diagnostic> {
        Self::load_to(sources, files, report, Depth::Objects)
    }

    fn load_to(
        sources: &'a Sources,
        files: &TemplateFiles,
        report: &mut Report,
        depth: Depth,
    ) -> Result<Factory<'a>, Diagnostic> {
        let template = Doc::load(sources, files.template.file, Code::TemplateJson)?;
        let parameters = files.parameters.map(|id| load_parameters(sources, id)).transpose()?;
        let global_parameters_file =
            files.global_parameters.as_ref().map(|f| Doc::load(sources, f.file, Code::TemplateJson)).transpose()?;
        let name = factory_name(&template.root, parameters.as_ref());
        let parameter_values = parameter_values(&template.root, parameters.as_ref());
        let parameter_types = parameter_types(&template.root);
        let mut factory = Factory {
            sources,
            templates: Vec::new(),
            resources: Vec::new(),
            objects: Vec::new(),
            parameters,
            parameters_name: files.parameters_name.clone(),
            global_parameters_file,
            global_parameters_name: files.global_parameters.as_ref().map(|f| f.name.clone()).unwrap_or_default(),
            name,
            linked: !files.parts.is_empty(),
            usage: Usage::new(),
            initial_usage: Usage::new(),
            added_parameters: Vec::new(),
            parameter_values,
            parameter_types,
            index: HashMap::new(),
            by_type: vec![Vec::new(); ALL_TYPES.len()],
            depth,
        };
        factory.add_template(template, &files.template, None, report)?;
        for part in &files.parts {
            let doc = Doc::load(sources, part.template.file, Code::TemplateJson)?;
            let deployment = Some(ResourceId::from_index(part.master_resource));
            factory.add_template(doc, &part.template, deployment, report)?;
        }
        factory.report_unknown_types(report);
        factory.report_undeclared_parameters(files.parameters, report);
        factory.initial_usage = factory.usage.clone();
        Ok(factory)
    }

    fn add_template(
        &mut self,
        doc: Doc<'a>,
        input: &NamedFile,
        deployment: Option<ResourceId>,
        report: &mut Report,
    ) -> Result<(), Diagnostic> {
        let raw_resources = take_resources(&doc, input.file)?;
        let id = TemplateId::from_index(self.templates.len());
        let variables = string_variables(&doc.root);
        self.templates.push(Template { doc, file: input.file, name: input.name.clone(), variables, deployment });
        for raw in raw_resources {
            self.add_resource(id, raw, report)?;
        }
        self.count_template_level_refs(id);
        Ok(())
    }

    /// Index one resource of template `template`.
    fn add_resource(&mut self, template: TemplateId, raw: &'a str, report: &mut Report) -> Result<(), Diagnostic> {
        let file = self.template(template).file;
        let start = self.sources.offset_of(file, raw).unwrap_or(0);
        let source = start..start + raw.len();
        let mut scan = ResourceScan::default();
        match self.depth {
            Depth::Full => visit::walk(raw, &mut scan),
            Depth::Objects => {
                scan::object_members(raw).unwrap_or_default().into_iter().for_each(|(k, v)| scan.top_member(k, v))
            }
        }
        let fields = std::mem::take(&mut scan.fields);
        let depends_on = fields.depends_on.and_then(|d| self.sources.offset_of(file, d).map(|at| at..at + d.len()));
        let Some(rtype) = fields.rtype.clone() else {
            return Err(self.resource_error(template, start, "resource has no string `type`"));
        };
        for (kind, name) in &scan.refs {
            *self.usage.entry((template, *kind, name.clone())).or_default() += 1;
        }
        let id = ResourceId::from_index(self.resources.len());
        let at = ResourceAt { id, template, start };
        let object = ObjectType::from_resource_type(&rtype)
            .and_then(|otype| self.make_object(otype, &fields, &rtype, scan, at, report))
            .map(|object| self.register(object));
        self.resources.push(Resource {
            template,
            node: Node::raw(raw),
            rtype,
            object,
            deployed: true,
            changed: false,
            source,
            depends_on,
            references_edited: false,
        });
        Ok(())
    }

    fn resource_error(&self, template: TemplateId, offset: usize, message: &str) -> Diagnostic {
        Diagnostic::error(Code::TemplateResource, message).at(self.offset_location(template, offset))
    }

    /// A location at one byte of a template's input file.
    fn offset_location(&self, template: TemplateId, offset: usize) -> Location {
        Location::span(self.template(template).file, offset..offset + 1)
    }

    fn make_object(
        &self,
        otype: ObjectType,
        fields: &Fields<'_>,
        rtype: &str,
        scan: ResourceScan,
        at: ResourceAt,
        report: &mut Report,
    ) -> Option<Object> {
        let name_value = fields.name.clone().unwrap_or_default();
        let variables = &self.template(at.template).variables;
        let segments = expr::resource_name_segments(&name_value, FACTORY_PARAM, variables);
        let is_gp = rtype.to_ascii_lowercase().ends_with("/globalparameters");
        let (name, parent) = match (otype, segments.as_deref()) {
            (ObjectType::Factory, Some([])) => (self.name.clone(), None),
            (ObjectType::Factory, Some([_])) if is_gp => (self.name.clone(), None),
            (ObjectType::ManagedPrivateEndpoint, Some([vnet, name])) => (name.clone(), Some(vnet.clone())),
            (_, Some([name])) if otype != ObjectType::Factory => (name.clone(), None),
            _ => {
                report.push(self.malformed_name(&name_value, rtype, fields.name_raw, at));
                return None;
            }
        };
        let folder =
            fields.properties.and_then(|p| Node::raw(p).get("folder")?.get("name")?.as_str().map(|s| s.into_owned()));
        let (mut literal, mut parameterized) = (scan.references, scan.parameterized);
        if self.depth == Depth::Full {
            self.depends_on_list(at.template, fields.depends_on, &mut literal, &mut parameterized);
        }
        let mut object = Object {
            otype,
            name,
            parent,
            folder,
            resource: at.id,
            literal_references: literal,
            parameter_references: parameterized,
            expression_references: scan.dynamic,
            references: Vec::new(),
            dynamic_references: Vec::new(),
            global_parameters_resource: is_gp,
        };
        self.resolve_references(&mut object, at.template);
        Some(object)
    }

    fn malformed_name(&self, name_value: &str, rtype: &str, raw: Option<&str>, at: ResourceAt) -> Diagnostic {
        let file = self.template(at.template).file;
        let location = match raw.and_then(|raw| self.sources.offset_of(file, raw).map(|s| s..s + raw.len())) {
            Some(span) => Location::span(file, span),
            None => self.offset_location(at.template, at.start),
        };
        let d = Diagnostic::warning(
            Code::TemplateMalformedName,
            format!(
                "cannot read the object name from `{name_value}`: this {rtype} resource is kept untouched \
                 and cannot be addressed by config rows or rules"
            ),
        )
        .at(location);
        match expr::parse_value(name_value) {
            Err(e) => d.label("not a valid ARM expression").note(format!("the expression does not parse: {}", e.kind)),
            Ok(_) => d.label("expected `[concat(parameters('factoryName'), '/<name>')]`"),
        }
    }

    /// Sort the entries of a raw dependsOn array into objects named literally
    /// and entries built from template parameters.
    fn depends_on_list(
        &self,
        template: TemplateId,
        list: Option<&str>,
        literal: &mut Vec<ObjectRef>,
        parameterized: &mut Vec<ParameterRef>,
    ) {
        let Some(list) = list else { return };
        let Ok(entries) = scan::array_elements(list) else { return };
        for entry in entries.into_iter().filter_map(decode_str) {
            let Ok(Some(parsed)) = expr::parse_value(&entry) else { continue };
            if uses_parameters(&parsed) {
                parameterized.push(ParameterRef { otype: None, via: "dependsOn".into(), text: entry.into_owned() });
            } else if let Some(target) = self.target_object(template, &parsed) {
                literal.push(target);
            }
        }
    }

    /// An object's references: the literal ones, and those through parameters
    /// whose values are known; the rest are dynamic.
    fn resolve_references(&self, object: &mut Object, template: TemplateId) {
        let mut references: BTreeSet<ObjectRef> = object.literal_references.iter().cloned().collect();
        let mut dynamic: Vec<DynamicRef> = object.expression_references.clone();
        for reference in &object.parameter_references {
            match self.resolve_parameter_reference(template, reference) {
                Some(target) => {
                    references.insert(target);
                }
                None if reference.via == "dependsOn" && !self.names_adf_object(template, &reference.text) => {}
                None => dynamic.push(DynamicRef {
                    otype: reference.otype,
                    via: reference.via.clone(),
                    text: reference.text.clone(),
                }),
            }
        }
        references.retain(|r| !(r.otype == object.otype && r.name == object.name));
        object.references = references.into_iter().collect();
        object.dynamic_references = dynamic;
    }

    fn resolve_parameter_reference(&self, template: TemplateId, reference: &ParameterRef) -> Option<ObjectRef> {
        match reference.otype {
            Some(otype) => {
                let scope = self.scope(template);
                let name = expr::pieces_text(&expr::eval_value(&reference.text, &scope)?)?.to_string();
                (!name.is_empty()).then_some(ObjectRef { otype, name })
            }
            None => self.dependency_object(template, &reference.text),
        }
    }

    /// Does a dependsOn entry whose parameters are unknown point into the factory at all?
    fn names_adf_object(&self, template: TemplateId, entry: &str) -> bool {
        let variables = &self.template(template).variables;
        let text = expr::eval_value(entry, variables)
            .map(|pieces| {
                pieces.iter().map(|p| if let expr::Piece::Text(t) = p { t.as_str() } else { "" }).collect::<String>()
            })
            .unwrap_or_default();
        text.to_ascii_lowercase().contains("microsoft.datafactory/factories")
    }

    /// Resolve every reference through parameters again, with the parameter
    /// values as they are now (config rows may have changed them), after
    /// reading again the references of objects whose edits may have changed them.
    pub fn resolve_parameter_references(&mut self) {
        self.parameter_values = parameter_values(&self.template(TemplateId::MAIN).doc.root, self.parameters.as_ref());
        for i in 0..self.objects.len() {
            let edited = self.resource(self.objects[i].resource).references_edited;
            if self.objects[i].parameter_references.is_empty() && !edited {
                continue;
            }
            let mut object = self.objects[i].clone();
            let template = self.resource(object.resource).template;
            if edited {
                self.rescan_references(&mut object, template);
            }
            self.resolve_references(&mut object, template);
            self.objects[i] = object;
        }
    }

    /// Read an edited object's references again from its JSON as it is now
    /// (a row may have changed a `referenceName`).
    fn rescan_references(&self, object: &mut Object, template: TemplateId) {
        let mut text = String::new();
        crate::json::node::write_compact(self.resource(object.resource).node(), &mut text);
        let mut scan = ResourceScan::default();
        visit::walk(&text, &mut scan);
        let depends_on = scan.fields.depends_on.map(str::to_string);
        let (mut literal, mut parameterized) = (scan.references, scan.parameterized);
        self.depends_on_list(template, depends_on.as_deref(), &mut literal, &mut parameterized);
        object.literal_references = literal;
        object.parameter_references = parameterized;
        object.expression_references = scan.dynamic;
    }

    /// Variables and known parameter values of `template`, for evaluating expressions.
    fn scope(&self, template: TemplateId) -> TemplateScope<'_> {
        TemplateScope { variables: &self.template(template).variables, parameters: &self.parameter_values }
    }

    /// The object a dependsOn entry of `template` names, if it is an ADF object.
    pub fn dependency_object(&self, template: TemplateId, entry: &str) -> Option<ObjectRef> {
        self.target_object(template, &expr::parse_value(entry).ok()??)
    }

    /// The object a parsed dependsOn entry names.
    fn target_object(&self, template: TemplateId, entry: &expr::Expr) -> Option<ObjectRef> {
        let scope = self.scope(template);
        let target = expr::dependency_target_of(entry, FACTORY_PARAM, &scope)?;
        let types: Vec<&str> = target.types.iter().map(String::as_str).collect();
        let otype = ObjectType::from_type_segments(&types)?;
        let name = match otype {
            ObjectType::Factory => self.name.clone(),
            _ => target.names.last()?.clone(),
        };
        Some(ObjectRef { otype, name })
    }

    fn register(&mut self, object: Object) -> ObjectId {
        let id = ObjectId::from_index(self.objects.len());
        self.index.entry((object.otype, object.name.to_lowercase())).or_default().push(id);
        self.by_type[object.otype.index()].push(id);
        self.objects.push(object);
        id
    }

    fn count_template_level_refs(&mut self, template: TemplateId) {
        let mut refs = Vec::new();
        for key in ["variables", "outputs"] {
            if let Some(Node::Raw(text)) = self.template(template).doc.root.get(key) {
                let mut scan = ResourceScan::default();
                visit::walk(&text, &mut scan);
                refs.extend(scan.refs);
            }
        }
        for (kind, name) in refs {
            *self.usage.entry((template, kind, name)).or_default() += 1;
        }
    }

    fn report_unknown_types(&self, report: &mut Report) {
        let expected = |r: &Resource<'_>| {
            self.linked && r.template == TemplateId::MAIN && r.rtype.eq_ignore_ascii_case(DEPLOYMENTS)
        };
        // Lower-cased type → (first resource of it, how many).
        let mut unknown: BTreeMap<String, (ResourceId, usize)> = BTreeMap::new();
        for (id, r) in self.resources() {
            if r.object.is_none() && ObjectType::from_resource_type(&r.rtype).is_none() && !expected(r) {
                unknown.entry(r.rtype.to_ascii_lowercase()).or_insert((id, 0)).1 += 1;
            }
        }
        for (first, count) in unknown.into_values() {
            let message = format!(
                "{count} resource(s) of type `{}` are not ADF objects: kept untouched, never matched by config rows or rules",
                self.resource(first).rtype
            );
            report.push(Diagnostic::warning(Code::TemplateNotAdf, message).at(self.resource_location(first)));
        }
    }

    /// Warn about values in the parameters file for parameters the template
    /// does not declare: ARM refuses to deploy such a pair.
    fn report_undeclared_parameters(&self, file: Option<FileId>, report: &mut Report) {
        let (Some(file), Some(doc)) = (file, &self.parameters) else { return };
        let Some(Node::Object(values)) = doc.root.get("parameters") else { return };
        let declared = self.template(TemplateId::MAIN).doc.root.get("parameters");
        let declared: std::collections::HashSet<String> =
            declared.map(|d| d.keys().into_iter().collect()).unwrap_or_default();
        for member in &values {
            let Some(name) = decode_str(&member.key) else { continue };
            if declared.contains(name.as_ref()) {
                continue;
            }
            let at = match self.sources.offset_of(file, &member.key) {
                Some(start) => Location::span(file, start..start + member.key.len()),
                None => Location::file(file),
            };
            report.push(
                Diagnostic::warning(
                    Code::ParametersUndeclared,
                    format!("the parameters file sets `{name}`, which the template does not declare"),
                )
                .at(at)
                .label("not a template parameter")
                .note("ARM rejects a parameters file that sets undeclared parameters; remove it from the file"),
            );
        }
    }

    // ----- reading -----

    /// The input files.
    pub fn sources(&self) -> &'a Sources {
        self.sources
    }

    /// The factory's name (factoryName parameter value).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Linked-template layout (the main template is a master deploying parts).
    pub fn is_linked(&self) -> bool {
        self.linked
    }

    /// Every template file, the main one first.
    pub fn templates(&self) -> impl Iterator<Item = (TemplateId, &Template<'a>)> {
        self.templates.iter().enumerate().map(|(i, t)| (TemplateId::from_index(i), t))
    }

    /// One template file.
    pub fn template(&self, id: TemplateId) -> &Template<'a> {
        &self.templates[id.index()]
    }

    /// Every resource, in file order.
    pub fn resources(&self) -> impl Iterator<Item = (ResourceId, &Resource<'a>)> {
        self.resources.iter().enumerate().map(|(i, r)| (ResourceId::from_index(i), r))
    }

    /// One resource.
    pub fn resource(&self, id: ResourceId) -> &Resource<'a> {
        &self.resources[id.index()]
    }

    /// Every ADF object.
    pub fn objects(&self) -> impl Iterator<Item = (ObjectId, &Object)> {
        self.objects.iter().enumerate().map(|(i, o)| (ObjectId::from_index(i), o))
    }

    /// How many ADF objects.
    pub fn object_count(&self) -> usize {
        self.objects.len()
    }

    /// One object.
    pub fn object(&self, id: ObjectId) -> &Object {
        &self.objects[id.index()]
    }

    /// Objects of `otype` whose name equals `name` (case-insensitively).
    pub fn lookup(&self, otype: ObjectType, name: &str) -> &[ObjectId] {
        self.index.get(&(otype, name.to_lowercase())).map_or(&[], Vec::as_slice)
    }

    /// All objects of `otype`.
    pub fn of_type(&self, otype: ObjectType) -> &[ObjectId] {
        &self.by_type[otype.index()]
    }

    /// The global parameters side file, if the export has one.
    pub fn global_parameters_file(&self) -> Option<&Doc<'a>> {
        self.global_parameters_file.as_ref()
    }

    /// The output parameters file, if there is one (or adfc created one).
    pub fn parameters_file(&self) -> Option<&Doc<'a>> {
        self.parameters.as_ref()
    }

    /// Output name of the parameters file.
    pub fn parameters_name(&self) -> &Path {
        &self.parameters_name
    }

    /// Output name of the global parameters side file.
    pub fn global_parameters_name(&self) -> &Path {
        &self.global_parameters_name
    }

    /// Declared type of template parameter `name` (lower case), if declared.
    pub fn parameter_type(&self, name: &str) -> Option<String> {
        self.parameter_types.get(name).cloned()
    }

    /// Location of a resource (its `name` value), for diagnostics.
    pub fn resource_location(&self, id: ResourceId) -> Location {
        let r = self.resource(id);
        let file = self.template(r.template).file;
        let text = self.sources.get(file).text();
        let raw = text.get(r.source.clone());
        let name = raw.and_then(|raw| {
            let members = scan::object_members(raw).ok()?;
            members.into_iter().find(|(k, _)| *k == "\"name\"").map(|(_, v)| v)
        });
        let span = match name.and_then(|value| self.sources.offset_of(file, value).map(|s| s..s + value.len())) {
            Some(span) => span,
            None => r.source.start..r.source.start + 1,
        };
        Location::span(file, span)
    }

    /// Current uses of `name` in template `template`.
    pub fn uses(&self, template: TemplateId, kind: RefKind, name: &str) -> i64 {
        self.usage.get(&(template, kind, name.to_string())).copied().unwrap_or(0)
    }

    /// Is parameter `name` used exactly once by the factory's resources in the
    /// input? (Judged on the input, so the outcome does not depend on the order
    /// of rows; in a linked layout the master only passes parameters down, so
    /// its uses do not count.)
    pub fn single_use_parameter(&self, name: &str) -> bool {
        if self.added_parameters.iter().any(|(_, added)| added == name) {
            return true;
        }
        let first = usize::from(self.linked);
        let uses: i64 = (first..self.templates.len())
            .filter_map(|t| self.initial_usage.get(&(TemplateId::from_index(t), RefKind::Parameter, name.to_string())))
            .sum();
        uses == 1
    }

    // ----- editing -----

    /// Take a resource's JSON out for editing; give it back with [`Factory::put_node`].
    pub fn take_node(&mut self, id: ResourceId) -> Node<'a> {
        std::mem::replace(&mut self.resources[id.index()].node, Node::raw("null"))
    }

    /// Give back a resource's JSON taken with [`Factory::take_node`].
    pub fn put_node(&mut self, id: ResourceId, node: Node<'a>) {
        self.resources[id.index()].node = node;
    }

    /// Record that a resource was edited.
    pub fn mark_changed(&mut self, id: ResourceId) {
        self.resources[id.index()].changed = true;
    }

    /// Note that an edit of a resource may have changed its object's
    /// references: [`Factory::resolve_parameter_references`] reads them again.
    pub fn mark_references_edited(&mut self, id: ResourceId) {
        self.resources[id.index()].references_edited = true;
    }

    /// Take the global parameters side file's root out for editing.
    pub fn take_global_parameters(&mut self) -> Node<'a> {
        match &mut self.global_parameters_file {
            Some(doc) => std::mem::replace(&mut doc.root, Node::raw("null")),
            None => Node::raw("null"),
        }
    }

    /// Give back the side file's root taken with [`Factory::take_global_parameters`].
    pub fn put_global_parameters(&mut self, node: Node<'a>) {
        if let Some(doc) = &mut self.global_parameters_file {
            doc.root = node;
        }
    }

    /// Leave a resource out of the output (its uses of parameters and variables go with it).
    pub fn exclude(&mut self, id: ResourceId) {
        let r = &mut self.resources[id.index()];
        if !r.deployed {
            return;
        }
        r.deployed = false;
        let (template, node) = (r.template, r.node.clone());
        self.count_refs(template, &node, -1);
    }

    /// Add `delta` uses (in `template`) for every parameter/variable referenced in `node`.
    pub fn count_refs(&mut self, template: TemplateId, node: &Node<'_>, delta: i64) {
        let usage = &mut self.usage;
        node.for_each_string(&mut |s| {
            let _ = expr::refs_in_value(s, &mut |kind, name| {
                *usage.entry((template, kind, name.to_string())).or_default() += delta;
            });
        });
    }

    /// Whether the parameters file gives parameter `name` (a value or a Key Vault reference).
    pub fn parameter_given(&self, name: &str) -> bool {
        self.parameters.as_ref().and_then(|p| p.root.get("parameters")).is_some_and(|p| p.get(name).is_some())
    }

    /// Parameter `name`'s value in the parameters file, if it has one.
    pub fn parameter_value(&self, name: &str) -> Option<Node<'static>> {
        let parameters = self.parameters.as_ref()?.root.get("parameters")?;
        let entry = parameters.get(name)?;
        let value = entry.get("value")?;
        let mut text = String::new();
        crate::json::node::write_compact(&value, &mut text);
        Node::parse_owned(&text).ok()
    }

    /// Set parameter `name`'s value in the parameters file (creating the file,
    /// in the template's style, when the export had none).
    pub fn set_parameter_value(&mut self, name: &str, value: Node<'static>) {
        const NEW_FILE: &str = r#"{"$schema": "https://schema.management.azure.com/schemas/2015-01-01/deploymentParameters.json#", "contentVersion": "1.0.0.0", "parameters": {}}"#;
        let style = self.template(TemplateId::MAIN).doc.style.clone();
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
                let entry = Node::Object(vec![Member { key: encode_str("value").into(), value }]);
                let _ = params.insert(name, entry);
            }
        }
    }
}

/// Where a resource being indexed sits.
#[derive(Clone, Copy)]
struct ResourceAt {
    id: ResourceId,
    template: TemplateId,
    start: usize,
}

/// The top-level members of a resource that indexing needs, from one scan.
#[derive(Default)]
struct Fields<'a> {
    rtype: Option<String>,
    name: Option<String>,
    name_raw: Option<&'a str>,
    properties: Option<&'a str>,
    depends_on: Option<&'a str>,
}

/// Everything one walk over a resource finds.
#[derive(Default)]
struct ResourceScan<'a> {
    fields: Fields<'a>,
    refs: Vec<(RefKind, String)>,
    references: Vec<ObjectRef>,
    parameterized: Vec<ParameterRef>,
    dynamic: Vec<DynamicRef>,
}

impl<'a> Visitor<'a> for ResourceScan<'a> {
    fn top_member(&mut self, key: &'a str, value: &'a str) {
        let string = |v: &str| decode_str(v).map(|s| s.into_owned());
        match key {
            "\"type\"" => self.fields.rtype = string(value),
            "\"name\"" => {
                self.fields.name = string(value);
                self.fields.name_raw = Some(value);
            }
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
        let via = ref_type.to_string();
        match name {
            RefName::Plain(text) if matches!(expr::classify(&text), expr::StrKind::Expression(_)) => {
                self.parameterized.push(ParameterRef { otype: Some(otype), via, text });
            }
            RefName::Plain(name) => {
                let name = match expr::classify(&name) {
                    expr::StrKind::Literal(literal) => literal.into_owned(),
                    expr::StrKind::Expression(_) => name,
                };
                self.references.push(ObjectRef { otype, name });
            }
            RefName::Dynamic(text) => self.dynamic.push(DynamicRef { otype: Some(otype), via, text }),
        }
    }
}

fn load_parameters(sources: &Sources, id: FileId) -> Result<Doc<'_>, Diagnostic> {
    let mut doc = Doc::load(sources, id, Code::ParametersJson)?;
    match doc.root.get_mut("parameters") {
        Ok(Some(params)) if params.kind() == Kind::Object => {
            let expanded = params.expand();
            expanded.map_err(|e| Diagnostic::error(Code::ParametersJson, e.to_string()).at(Location::file(id)))?;
            Ok(doc)
        }
        _ => Err(Diagnostic::error(Code::ParametersJson, "parameters file has no `parameters` object")
            .at(Location::file(id))),
    }
}

fn take_resources<'a>(template: &Doc<'a>, file: FileId) -> Result<Vec<&'a str>, Diagnostic> {
    let at = || Location::file(file);
    let missing =
        || Diagnostic::error(Code::TemplateNoResources, "not an ARM template: there is no `resources` array").at(at());
    let Node::Object(members) = &template.root else { return Err(missing()) };
    let value = members.iter().find(|m| key_is(&m.key, "resources")).map(|m| &m.value);
    let Some(Node::Raw(std::borrow::Cow::Borrowed(text))) = value else { return Err(missing()) };
    let text: &'a str = text;
    if !text.starts_with('[') {
        return Err(missing());
    }
    scan::array_elements(text).map_err(|e| Diagnostic::error(Code::TemplateJson, e.to_string()).at(at()))
}

fn string_variables(root: &Node<'_>) -> HashMap<String, String> {
    let Some(Node::Raw(text)) = root.get("variables") else { return HashMap::new() };
    scan::object_members(&text)
        .unwrap_or_default()
        .into_iter()
        .filter_map(|(k, v)| Some((decode_str(k)?.into_owned(), decode_str(v)?.into_owned())))
        .collect()
}

/// Evaluation scope of a template: its string variables and the known parameter values.
struct TemplateScope<'s> {
    variables: &'s HashMap<String, String>,
    parameters: &'s HashMap<String, String>,
}

impl expr::Scope for TemplateScope<'_> {
    fn variable(&self, name: &str) -> Option<&str> {
        self.variables.get(name).map(String::as_str)
    }

    fn parameter(&self, name: &str) -> Option<&str> {
        if name.eq_ignore_ascii_case(FACTORY_PARAM) {
            return None;
        }
        self.parameters.get(&name.to_ascii_lowercase()).map(String::as_str)
    }
}

/// Does an expression use a template parameter other than factoryName?
fn uses_parameters(parsed: &expr::Expr) -> bool {
    let mut found = false;
    parsed.visit_refs(&mut |kind, name| {
        found |= kind == RefKind::Parameter && !name.eq_ignore_ascii_case(FACTORY_PARAM);
    });
    found
}

/// Text values of the template's parameters: the parameters file's value,
/// else the declared default (string values only), factoryName excepted.
fn parameter_values(root: &Node<'_>, parameters: Option<&Doc<'_>>) -> HashMap<String, String> {
    let mut values = HashMap::new();
    let string = |node: Option<Node<'_>>| node.and_then(|n| n.as_str().map(|s| s.into_owned()));
    if let Some(declared) = root.get("parameters") {
        for (name, decl) in declared.members() {
            if let Some(default) = string(decl.get("defaultValue")) {
                values.insert(name.to_ascii_lowercase(), default);
            }
        }
    }
    if let Some(given) = parameters.and_then(|p| p.root.get("parameters")) {
        for (name, entry) in given.members() {
            if let Some(value) = string(entry.get("value")) {
                values.insert(name.to_ascii_lowercase(), value);
            }
        }
    }
    values.remove(&FACTORY_PARAM.to_ascii_lowercase());
    values
}

/// Declared types (lower case) of a template's parameters, by name.
fn parameter_types(root: &Node<'_>) -> HashMap<String, String> {
    let Some(declared) = root.get("parameters") else { return HashMap::new() };
    declared
        .members()
        .into_iter()
        .filter_map(|(name, decl)| Some((name.to_string(), decl.get("type")?.as_str()?.to_ascii_lowercase())))
        .collect()
}

/// The factory name: the factoryName value in the parameters file, else its default.
fn factory_name(root: &Node<'_>, parameters: Option<&Doc<'_>>) -> String {
    let from_file = parameters
        .and_then(|p| p.root.get("parameters")?.get(FACTORY_PARAM)?.get("value")?.as_str().map(|s| s.into_owned()));
    let default = || root.get("parameters")?.get(FACTORY_PARAM)?.get("defaultValue")?.as_str().map(|s| s.into_owned());
    from_file.or_else(default).unwrap_or_else(|| "factory".to_string())
}

//! One side of a comparison, whatever it came from (a template as it is, a
//! compiled stage, the target factory): its objects with their JSON, the
//! values of its template parameters, and the config rows behind its changes.

use std::borrow::Cow;
use std::collections::HashMap;

use serde_json::{Value, json};

use crate::compile::Build;
use crate::config::Destination;
use crate::config::path::Segment;
use crate::json::Node;
use crate::list::reason_text;
use crate::output::Role;
use crate::source::Sources;
use crate::target_state::TargetState;
use crate::template::effective::ParameterValues;
use crate::template::{Factory, ObjectType};

/// Which part of the factory object a factory entry is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Variant {
    /// An ordinary resource (or the `factories` resource).
    Resource,
    /// The `factories/globalparameters` resource.
    GlobalParametersResource,
    /// The `globalParameters/<factory>_GlobalParameters.json` side file.
    GlobalParametersFile,
}

/// How objects are matched across sides: type and name (any case; the
/// factory by type alone, since each side names it after its own stage).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Key {
    otype: ObjectType,
    name: String,
    variant: Variant,
    /// 0, or n for the n-th later object of the same type and name.
    repeat: usize,
}

impl Key {
    fn new(otype: ObjectType, name: &str, variant: Variant) -> Key {
        let name = if otype == ObjectType::Factory { String::new() } else { name.to_lowercase() };
        Key { otype, name, variant, repeat: 0 }
    }

    /// The object type.
    pub fn otype(&self) -> ObjectType {
        self.otype
    }

    /// Sort key: type order of `ls`, then name, then variant.
    pub fn order(&self) -> (usize, &str, Variant, usize) {
        let rank = crate::template::ALL_TYPES.iter().position(|t| *t == self.otype).unwrap_or(usize::MAX);
        (rank, &self.name, self.variant, self.repeat)
    }

    /// Is this the global parameters side file?
    pub fn is_side_file(&self) -> bool {
        self.variant == Variant::GlobalParametersFile
    }
}

/// An object's JSON on one side.
#[derive(Debug, Clone)]
pub enum Json<'a> {
    /// The resource's text, as in the file.
    Text(&'a str),
    /// A value built for the comparison.
    Value(Value),
}

impl Json<'_> {
    /// The JSON as a value (`None` when the text does not parse).
    pub fn value(&self) -> Option<Cow<'_, Value>> {
        match self {
            Json::Text(text) => serde_json::from_str(text).ok().map(Cow::Owned),
            Json::Value(value) => Some(Cow::Borrowed(value)),
        }
    }
}

/// One object of a side.
#[derive(Debug, Clone)]
pub struct SideObject<'a> {
    /// How it is matched.
    pub key: Key,
    /// Its name on this side.
    pub name: String,
    /// Whether the side deploys (or, for the target, holds) it.
    pub present: bool,
    /// Its JSON, when present (the target may list an object without its properties).
    pub json: Option<Json<'a>>,
    /// Why it is not deployed.
    pub reason: Option<String>,
    /// Its JSON holds only some properties (a trigger's runtime state from
    /// Az PowerShell or a state map): only those are compared.
    pub partial: bool,
}

impl SideObject<'_> {
    /// `pipeline.PL_Copy`, `factory.adf (global parameters file)`.
    pub fn label(&self) -> String {
        let suffix = match self.key.variant {
            Variant::Resource => "",
            Variant::GlobalParametersResource => " (globalparameters resource)",
            Variant::GlobalParametersFile => " (global parameters file)",
        };
        format!("{}.{}{suffix}", self.key.otype, self.name)
    }
}

/// A property a config row changed on this side.
#[derive(Debug, Clone)]
pub struct RowChange {
    /// Steps from the object's JSON root.
    pub steps: Vec<Segment>,
    /// `deployment/config-prod.csv:12`.
    pub origin: String,
    /// The value came from environment tokens.
    pub from_env: bool,
    /// The parameter the value was written to.
    pub parameter: Option<String>,
}

/// One side of a comparison.
#[derive(Debug, Default)]
pub struct SideData<'a> {
    /// Its name in the output.
    pub label: String,
    /// Its objects, in its order.
    pub objects: Vec<SideObject<'a>>,
    /// Its template parameters.
    pub params: ParameterValues,
    /// Config rows' changes, by object (type, name key, side file or not).
    pub rows: HashMap<(ObjectType, String, bool), Vec<RowChange>>,
}

impl<'a> SideData<'a> {
    /// The rows that changed an object.
    pub fn rows_of(&self, key: &Key) -> &[RowChange] {
        self.rows.get(&(key.otype, key.name.clone(), key.is_side_file())).map_or(&[], Vec::as_slice)
    }

    /// Give every object a unique key (a later object with the type and name of an earlier one counts up).
    fn finish(mut self) -> Self {
        let mut seen: HashMap<Key, usize> = HashMap::new();
        for object in &mut self.objects {
            let count = seen.entry(object.key.clone()).or_default();
            object.key.repeat = *count;
            *count += 1;
        }
        self
    }

    /// A template or output folder as it is.
    pub fn of_factory(label: String, factory: &Factory<'a>) -> SideData<'a> {
        let mut objects: Vec<SideObject<'a>> = factory
            .objects()
            .map(|(_, o)| {
                let variant = if o.is_global_parameters_resource() {
                    Variant::GlobalParametersResource
                } else {
                    Variant::Resource
                };
                let json = match factory.resource(o.resource()).node() {
                    Node::Raw(Cow::Borrowed(text)) => Json::Text(text),
                    node => Json::Value(node.to_value()),
                };
                SideObject {
                    key: Key::new(o.otype(), o.name(), variant),
                    name: o.name().to_string(),
                    present: true,
                    json: Some(json),
                    reason: None,
                    partial: false,
                }
            })
            .collect();
        if let Some(doc) = factory.global_parameters_file() {
            objects.push(side_file_object(factory.name(), doc.root.to_value()));
        }
        let params = ParameterValues::of_factory(factory);
        SideData { label, objects, params, rows: HashMap::new() }.finish()
    }

    /// A compiled stage; `sources` names the config files of its rows.
    pub fn of_build(label: String, build: &'a Build, sources: &Sources) -> SideData<'a> {
        let mut objects: Vec<SideObject<'a>> = build
            .objects
            .iter()
            .map(|o| {
                let variant = if o.resource_type.to_ascii_lowercase().ends_with("/globalparameters") {
                    Variant::GlobalParametersResource
                } else {
                    Variant::Resource
                };
                SideObject {
                    key: Key::new(o.otype, &o.name, variant),
                    name: o.name.clone(),
                    present: o.deployed,
                    json: build.output_json(o).map(Json::Text),
                    reason: (!o.deployed).then(|| reason_text(&o.reason)),
                    partial: false,
                }
            })
            .collect();
        let side_file = build.files.iter().find(|f| f.role == Role::GlobalParameters);
        if let Some(value) = side_file.and_then(|f| serde_json::from_str::<Value>(&f.text).ok()) {
            objects.push(side_file_object(&build.factory, value));
        }
        let mut params = ParameterValues::default();
        for p in &build.parameters {
            params.declare(&p.name, p.declared_type.as_deref(), p.default.as_deref(), p.value.as_deref());
        }
        SideData { label, objects, params, rows: rows_of_build(build, sources) }.finish()
    }

    /// The target factory, from target-state files.
    pub fn of_target(label: String, state: &TargetState) -> SideData<'a> {
        let objects = state
            .objects
            .iter()
            .map(|o| {
                let known = match (&o.properties, o.runtime_state) {
                    (Some(p), _) => Some(p.clone()),
                    (None, Some(state)) => Some(json!({ "runtimeState": state.to_string() })),
                    (None, None) => None,
                };
                SideObject {
                    key: Key::new(o.otype, &o.name, Variant::Resource),
                    name: o.name.clone(),
                    present: true,
                    json: known.map(|p| Json::Value(json!({ "properties": p }))),
                    reason: None,
                    partial: o.properties.is_none(),
                }
            })
            .collect();
        SideData { label, objects, ..SideData::default() }.finish()
    }
}

/// The side file as a factory entry shaped like the resource (`properties.globalParameters`),
/// so paths read `$.properties.globalParameters.X.value` as config rows write them.
fn side_file_object<'a>(factory: &str, map: Value) -> SideObject<'a> {
    SideObject {
        key: Key::new(ObjectType::Factory, factory, Variant::GlobalParametersFile),
        name: factory.to_string(),
        present: true,
        json: Some(Json::Value(json!({ "properties": { "globalParameters": map } }))),
        reason: None,
        partial: false,
    }
}

/// The changes of a build, grouped by the object they changed.
fn rows_of_build(build: &Build, sources: &Sources) -> HashMap<(ObjectType, String, bool), Vec<RowChange>> {
    let mut rows: HashMap<(ObjectType, String, bool), Vec<RowChange>> = HashMap::new();
    for change in &build.changes {
        let Some((otype, name)) = change.object.split_once('.') else { continue };
        let Some(otype) = ObjectType::parse(otype) else { continue };
        let side_file = change.destination == Destination::GlobalParametersFile;
        let steps = if side_file {
            let prefix = [Segment::Key("properties".into()), Segment::Key("globalParameters".into())];
            prefix.into_iter().chain(change.steps.iter().cloned()).collect()
        } else {
            change.steps.clone()
        };
        let parameter = match &change.destination {
            Destination::Parameter(p) | Destination::NewParameter(p) => Some(p.clone()),
            _ => None,
        };
        let origin = format!("{}:{}", sources.get(change.file).path().display(), change.line);
        let key = Key::new(otype, name, Variant::Resource);
        rows.entry((otype, key.name, side_file)).or_default().push(RowChange {
            steps,
            origin,
            from_env: change.from_env,
            parameter,
        });
    }
    rows
}

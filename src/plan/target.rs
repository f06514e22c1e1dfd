//! What the target factory holds, as the plan sees it: the `--target-state`
//! files (runtime states, and the objects of the types they list) and the
//! previous output (`--previous`: the objects the last release deployed,
//! with their definitions and references).

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::thread::JoinHandle;

use serde_json::Value;

use super::definition::{self, ParameterValues, TriggerDefinition};
use crate::diag::{Errors, Report};
use crate::input::{self, TemplateOptions};
use crate::source::Sources;
use crate::target_state::{self, RuntimeState, TargetObject};
use crate::template::{Factory, ObjectRef, ObjectType, TemplateId};

/// One object the target has.
#[derive(Debug, Clone)]
pub(crate) struct Known {
    /// Its type.
    pub(crate) otype: ObjectType,
    /// Its name.
    pub(crate) name: String,
    /// The managed virtual network of a managed private endpoint.
    pub(crate) parent: Option<String>,
    /// For a trigger: its runtime state, when known.
    pub(crate) runtime_state: Option<RuntimeState>,
    /// For a trigger: its definition, when known.
    pub(crate) trigger: Option<TriggerDefinition>,
    /// What it references.
    pub(crate) references: Vec<ObjectRef>,
}

impl Known {
    /// `type.name`.
    pub(crate) fn id(&self) -> String {
        format!("{}.{}", self.otype, self.name)
    }
}

/// The objects one source (target-state files, or the previous output) knows, indexed.
#[derive(Debug, Default)]
pub(crate) struct Side {
    objects: Vec<Known>,
    index: HashMap<(ObjectType, String), usize>,
}

impl Side {
    fn new(objects: Vec<Known>) -> Self {
        let index = objects.iter().enumerate().map(|(i, o)| ((o.otype, o.name.to_lowercase()), i)).collect();
        Side { objects, index }
    }

    /// The object of this type and name (ignoring case, as ADF does).
    pub(crate) fn get(&self, otype: ObjectType, name: &str) -> Option<&Known> {
        self.index.get(&(otype, name.to_lowercase())).map(|&i| &self.objects[i])
    }

    /// Objects of one type.
    pub(crate) fn of_type(&self, otype: ObjectType) -> impl Iterator<Item = &Known> {
        self.objects.iter().filter(move |o| o.otype == otype)
    }

    /// Whether it holds objects of this type.
    pub(crate) fn covers(&self, otype: ObjectType) -> bool {
        self.objects.iter().any(|o| o.otype == otype)
    }
}

/// Everything the plan knows about the target.
#[derive(Debug, Default)]
pub(crate) struct Target {
    /// From `--target-state` (empty when none was given).
    pub(crate) state: Side,
    /// Whether the target-state files say which triggers exist.
    pub(crate) knows_triggers: bool,
    /// Whether target-state triggers carry their properties (az form).
    pub(crate) has_trigger_properties: bool,
    /// Whether any `--target-state` file was given.
    pub(crate) has_state: bool,
    /// From `--previous`.
    pub(crate) previous: Option<Side>,
    /// The `--previous` folder.
    pub(crate) previous_dir: Option<PathBuf>,
}

impl Target {
    /// Where to look up which objects of `otype` exist: the target-state files
    /// when they list that type, else the previous output.
    pub(crate) fn holder(&self, otype: ObjectType) -> Option<(&Side, Holder)> {
        let listed = if otype == ObjectType::Trigger { self.knows_triggers } else { self.state.covers(otype) };
        match &self.previous {
            _ if listed => Some((&self.state, Holder::State)),
            Some(previous) => Some((previous, Holder::Previous)),
            None => None,
        }
    }

    /// A trigger's definition as the target has it: from the previous output, else from the target state.
    pub(crate) fn trigger_definition(&self, name: &str) -> Option<(&TriggerDefinition, Holder)> {
        let previous = self.previous.as_ref().and_then(|p| p.get(ObjectType::Trigger, name)?.trigger.as_ref());
        match previous {
            Some(t) => Some((t, Holder::Previous)),
            None => Some((self.state.get(ObjectType::Trigger, name)?.trigger.as_ref()?, Holder::State)),
        }
    }
}

/// Which source told.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Holder {
    /// `--target-state`.
    State,
    /// `--previous`.
    Previous,
}

/// The previous output, loaded on its own thread while the stage compiles
/// (it is as large as the source, and independent of it).
#[derive(Debug)]
pub(crate) struct Preload(Option<JoinHandle<Option<Side>>>);

impl Preload {
    /// Start loading `previous`, if any (nothing when a thread cannot be started).
    pub(crate) fn start(previous: Option<&Path>) -> Self {
        let handle = previous.map(Path::to_path_buf).and_then(|dir| {
            std::thread::Builder::new().name("adfc-previous".into()).spawn(move || load_alone(&dir)).ok()
        });
        Preload(handle)
    }

    fn finish(self) -> Option<Side> {
        self.0?.join().ok().flatten()
    }
}

/// Load a previous output with its own sources; `None` on any problem (the
/// caller then loads it again where problems are reported).
fn load_alone(dir: &Path) -> Option<Side> {
    let mut sources = Sources::new();
    let input = input::read_template(&previous_options(dir), &mut sources).ok()?;
    let mut report = Report::default();
    let mut factory = Factory::load(&sources, &input.files, &mut report).ok()?;
    (!report.has_errors()).then(|| previous_objects(&mut factory))
}

fn previous_options(dir: &Path) -> TemplateOptions {
    TemplateOptions { template: dir.to_path_buf(), ..TemplateOptions::default() }
}

/// Read the target-state files and the previous output, reporting every problem of both.
pub(crate) fn read(
    state_files: &[PathBuf],
    previous: Option<&Path>,
    preload: Preload,
    sources: &mut Sources,
) -> Result<Target, Errors> {
    let mut report = Report::default();
    let ids = input::read_all(state_files, sources).map_err(|e| report.diagnostics.extend(e.0)).unwrap_or_default();
    // The previous files are read here even when preloaded: they are inputs of the run, which
    // no output may overwrite.
    let previous_input = previous.and_then(|dir| {
        input::read_template(&previous_options(dir), sources).map_err(|e| report.diagnostics.extend(e.0)).ok()
    });
    let state = target_state::read(&ids, sources, &mut report);
    let preloaded = preload.finish();
    let previous_side = previous_input.and_then(|input| match preloaded {
        Some(side) => Some(side),
        None => {
            let mut quiet = Report::default();
            let loaded = Factory::load(sources, &input.files, &mut quiet);
            // Warnings about the previous output (resource types, parameters) are not this release's business.
            report.diagnostics.extend(quiet.take().into_iter().filter(|d| d.is_error()));
            loaded.map_err(|d| report.push(d)).ok().map(|mut factory| previous_objects(&mut factory))
        }
    });
    report.check()?;
    Ok(Target {
        knows_triggers: state.knows_triggers(),
        has_trigger_properties: state.of_type(ObjectType::Trigger).any(|t| t.properties.is_some()),
        has_state: !state.is_empty(),
        state: Side::new(state.objects.iter().map(known_from_state).collect()),
        previous: previous_side,
        previous_dir: previous.map(Path::to_path_buf),
    })
}

fn known_from_state(object: &TargetObject) -> Known {
    let references = object.properties.as_ref().map(definition::references).unwrap_or_default();
    let trigger = match (object.otype, &object.properties) {
        (ObjectType::Trigger, Some(properties)) => Some(TriggerDefinition::new(properties.clone())),
        _ => None,
    };
    Known {
        otype: object.otype,
        name: object.name.clone(),
        parent: object.parent.clone(),
        runtime_state: object.runtime_state,
        trigger,
        references,
    }
}

/// The objects of the previous output, with their references and trigger definitions.
fn previous_objects(factory: &mut Factory<'_>) -> Side {
    factory.resolve_parameter_references();
    let parameters = template_parameter_values(factory);
    let objects = factory
        .objects()
        .filter(|(_, o)| o.otype() != ObjectType::Factory)
        .map(|(_, o)| {
            let trigger = (o.otype() == ObjectType::Trigger).then(|| {
                let mut resource = factory.resource(o.resource()).node().to_value();
                let mut properties = resource.get_mut("properties").map(Value::take).unwrap_or(Value::Null);
                definition::resolve_template_values(&mut properties, &parameters);
                TriggerDefinition::new(properties)
            });
            let runtime_state = trigger.as_ref().and_then(|t| match t.state {
                definition::StateValue::Known(state) => Some(state),
                _ => None,
            });
            Known {
                otype: o.otype(),
                name: o.name().to_string(),
                parent: o.parent().map(str::to_string),
                runtime_state,
                trigger,
                references: o.references().to_vec(),
            }
        })
        .collect();
    Side::new(objects)
}

/// Parameter values of a loaded template: the parameters file's, else the declared defaults.
fn template_parameter_values(factory: &Factory<'_>) -> ParameterValues {
    let Some(declared) = factory.template(TemplateId::MAIN).doc().root.get("parameters") else {
        return ParameterValues::default();
    };
    declared
        .members()
        .into_iter()
        .filter_map(|(name, decl)| {
            let value = match factory.parameter_value(&name) {
                Some(value) => value.to_value(),
                None => decl.get("defaultValue")?.to_value(),
            };
            Some((name, value))
        })
        .collect()
}

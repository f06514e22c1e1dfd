//! The compiled stage as the plan reads it: objects by (type, name), trigger
//! definitions as they will be deployed, and where each object is in the input.

use std::collections::HashMap;

use serde_json::Value;

use super::definition::{self, ParameterValues, TriggerDefinition};
use crate::compile::{Build, BuiltObject};
use crate::diag::Location;
use crate::json::scan;
use crate::source::Sources;
use crate::template::ObjectType;

/// A compiled stage, indexed.
pub(crate) struct Compiled<'b> {
    /// The build.
    pub(crate) build: &'b Build,
    sources: &'b Sources,
    index: HashMap<(ObjectType, String), usize>,
    parameters: ParameterValues,
}

impl<'b> Compiled<'b> {
    /// Index a build whose input files are in `sources`.
    pub(crate) fn new(build: &'b Build, sources: &'b Sources) -> Self {
        let index = build.objects.iter().enumerate().map(|(i, o)| ((o.otype, o.name.to_lowercase()), i)).collect();
        let parameters = ParameterValues::from_texts(
            build.parameters.iter().map(|p| (p.name.as_str(), p.value.as_deref().or(p.default.as_deref()))),
        );
        Compiled { build, sources, index, parameters }
    }

    /// The object of this type and name (ignoring case, as ADF does).
    pub(crate) fn get(&self, otype: ObjectType, name: &str) -> Option<&'b BuiltObject> {
        self.index.get(&(otype, name.to_lowercase())).map(|&i| &self.build.objects[i])
    }

    /// Objects of one type, in input order.
    pub(crate) fn of_type(&self, otype: ObjectType) -> impl Iterator<Item = &'b BuiltObject> {
        self.build.objects.iter().filter(move |o| o.otype == otype)
    }

    /// A trigger's definition as this release has it: the output's when it is
    /// deployed, the input's otherwise; parameters resolved from the output parameters.
    pub(crate) fn trigger(&self, object: &BuiltObject) -> Option<TriggerDefinition> {
        let mut resource = match object.deployed {
            true => self.build.output_value(object)?,
            false => serde_json::from_str(self.source_json(object)).ok()?,
        };
        let mut properties = resource.get_mut("properties").map(Value::take).unwrap_or(Value::Null);
        definition::resolve_template_values(&mut properties, &self.parameters);
        Some(TriggerDefinition::new(properties))
    }

    fn source_json(&self, object: &BuiltObject) -> &'b str {
        self.sources.get(object.source.file).text().get(object.source.span.clone()).unwrap_or("")
    }

    /// Where the object's `name` is in the input (its resource's start when that cannot be found).
    pub(crate) fn location(&self, object: &BuiltObject) -> Location {
        let raw = self.source_json(object);
        let name = scan::object_members(raw).ok().and_then(|m| m.into_iter().find(|(k, _)| *k == "\"name\""));
        let start = object.source.span.start;
        let span = name
            .and_then(|(_, value)| self.sources.offset_of(object.source.file, value).map(|s| s..s + value.len()))
            .unwrap_or(start..start + 1);
        Location::span(object.source.file, span)
    }
}

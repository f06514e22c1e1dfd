//! What the target factory holds now, read offline from files a pipeline
//! saved with the Azure tools (SPEC 4):
//!
//! - the JSON of `az datafactory <type> list` (an array of objects with
//!   `name`, `type` = `Microsoft.DataFactory/factories/<types>` and
//!   `properties`; the pipeline list has its properties flattened into the
//!   object), or a REST list response `{"value": [...]}`;
//! - the JSON of `Get-AzDataFactoryV2Trigger | ConvertTo-Json` (objects with
//!   `Name` and `RuntimeState`; one trigger is a single object);
//! - a plain map `{"TR_name": "Started", …}`.
//!
//! `plan` uses it for runtime states and deletions; `diff` compares against
//! the properties.

use std::fmt;

use serde_json::{Map, Value};

use crate::diag::{Code, Diagnostic, Location, Report};
use crate::json::scan;
use crate::source::{FileId, Sources};
use crate::template::ObjectType;
use crate::template::doc::syntax_diagnostic;

/// A trigger's runtime state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
pub enum RuntimeState {
    /// Running.
    Started,
    /// Not running.
    Stopped,
    /// Disabled (treated as not running).
    Disabled,
}

impl RuntimeState {
    /// Parse a state as the Azure tools write it (any case).
    pub fn parse(text: &str) -> Option<RuntimeState> {
        match text.to_ascii_lowercase().as_str() {
            "started" => Some(RuntimeState::Started),
            "stopped" => Some(RuntimeState::Stopped),
            "disabled" => Some(RuntimeState::Disabled),
            _ => None,
        }
    }

    /// Is the trigger running?
    pub fn is_started(self) -> bool {
        self == RuntimeState::Started
    }
}

impl fmt::Display for RuntimeState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            RuntimeState::Started => "Started",
            RuntimeState::Stopped => "Stopped",
            RuntimeState::Disabled => "Disabled",
        })
    }
}

/// Which form a target-state file was in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Form {
    /// `az datafactory … list` (or a REST list response).
    AzCli,
    /// `Get-AzDataFactoryV2Trigger | ConvertTo-Json`.
    AzPowerShell,
    /// `{"TR_name": "Started"}`.
    Map,
}

/// One object of the target factory.
#[derive(Debug, Clone, PartialEq)]
pub struct TargetObject {
    /// Its type.
    pub otype: ObjectType,
    /// Its name.
    pub name: String,
    /// The managed virtual network of a managed private endpoint (from its name or id).
    pub parent: Option<String>,
    /// For a trigger: its runtime state, when the file says.
    pub runtime_state: Option<RuntimeState>,
    /// Its `properties` as the target has them, when the file holds them (az form).
    pub properties: Option<Value>,
    /// The file it was read from.
    pub file: FileId,
}

impl TargetObject {
    /// `type.name`.
    pub fn id(&self) -> String {
        format!("{}.{}", self.otype, self.name)
    }
}

/// Everything the target-state files say.
#[derive(Debug, Clone, Default)]
pub struct TargetState {
    /// Every object, in file order (a later file's entry for the same object wins).
    pub objects: Vec<TargetObject>,
    /// Each file read and its form.
    pub files: Vec<(FileId, Form)>,
}

impl TargetState {
    /// Whether any target state was given.
    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    /// The object of this type and name (names compared ignoring case, as ADF does).
    pub fn get(&self, otype: ObjectType, name: &str) -> Option<&TargetObject> {
        self.objects.iter().rev().find(|o| o.otype == otype && o.name.eq_ignore_ascii_case(name))
    }

    /// Objects of one type.
    pub fn of_type(&self, otype: ObjectType) -> impl Iterator<Item = &TargetObject> {
        self.objects.iter().filter(move |o| o.otype == otype)
    }

    /// Whether the files held objects of this type (so its absence from them means something).
    pub fn covers(&self, otype: ObjectType) -> bool {
        self.objects.iter().any(|o| o.otype == otype)
    }

    /// Whether the files say which triggers the target has: a trigger list in
    /// any form, or a state map or Az PowerShell output (which only hold
    /// triggers, so even an empty one says "no triggers"). An empty az list
    /// does not count: nothing tells what type it listed.
    pub fn knows_triggers(&self) -> bool {
        self.covers(ObjectType::Trigger) || self.files.iter().any(|(_, form)| *form != Form::AzCli)
    }
}

const EXPECTED: &str = "expected the JSON of `az datafactory <type> list`, of \
    `Get-AzDataFactoryV2Trigger | ConvertTo-Json`, or a map {\"<trigger>\": \"Started\", …}";

/// Read every target-state file, reporting every problem.
pub fn read(files: &[FileId], sources: &Sources, report: &mut Report) -> TargetState {
    let mut state = TargetState::default();
    for &id in files {
        if let Some(form) = read_file(id, sources, &mut state.objects, report) {
            state.files.push((id, form));
        }
    }
    dedupe(&mut state.objects);
    state
}

/// Keep the last entry of each (type, name).
fn dedupe(objects: &mut Vec<TargetObject>) {
    let mut seen = std::collections::HashSet::new();
    let mut kept: Vec<TargetObject> =
        objects.drain(..).rev().filter(|o| seen.insert((o.otype, o.name.to_lowercase()))).collect();
    kept.reverse();
    *objects = kept;
}

fn read_file(id: FileId, sources: &Sources, into: &mut Vec<TargetObject>, report: &mut Report) -> Option<Form> {
    let file = sources.get(id);
    if let Err(e) = scan::validate(file.text()) {
        report.push(syntax_diagnostic(Code::TargetStateJson, file, id, &e));
        return None;
    }
    let value: Value = serde_json::from_str(file.text().trim_start_matches('\u{feff}')).ok()?;
    let at = Location::file(id);
    let bad = |what: String| Diagnostic::error(Code::TargetStateForm, what).at(at.clone()).note(EXPECTED);
    let (form, objects) = match &value {
        Value::Array(items) => array(items, id).map_err(bad),
        Value::Object(map) if map.get("value").is_some_and(Value::is_array) => {
            array(map.get("value").and_then(Value::as_array).map_or(&[][..], Vec::as_slice), id).map_err(bad)
        }
        Value::Object(map) if powershell_trigger(map).is_some() => {
            Ok((Form::AzPowerShell, powershell_trigger(map).map(|t| vec![t(id)]).unwrap_or_default()))
        }
        Value::Object(map) => state_map(map, id).map_err(bad),
        _ => Err(bad("the file holds neither a list nor an object".into())),
    }
    .map_err(|d| report.push(d))
    .ok()?;
    into.extend(objects);
    Some(form)
}

type Entry = Box<dyn Fn(FileId) -> TargetObject>;

fn array(items: &[Value], id: FileId) -> Result<(Form, Vec<TargetObject>), String> {
    let mut objects = Vec::with_capacity(items.len());
    let mut form = None;
    for (i, item) in items.iter().enumerate() {
        let Value::Object(map) = item else { return Err(format!("entry {} is not an object", i + 1)) };
        let (entry_form, object) = match (az_entry(map, id), powershell_trigger(map)) {
            (Some(object), _) => (Form::AzCli, object),
            (None, Some(trigger)) => (Form::AzPowerShell, trigger(id)),
            (None, None) => {
                return Err(format!(
                    "entry {} has no `name` with an ADF `type`, and no `Name` with a `RuntimeState`",
                    i + 1
                ));
            }
        };
        if form.is_some_and(|f| f != entry_form) {
            return Err("entries of the az CLI form and of the Az PowerShell form are mixed".into());
        }
        form = Some(entry_form);
        objects.push(object);
    }
    Ok((form.unwrap_or(Form::AzCli), objects))
}

/// Metadata members of an az list entry that are not properties.
const METADATA: [&str; 6] = ["id", "name", "type", "etag", "resourceGroup", "additionalProperties"];

/// An entry of `az datafactory <type> list`.
fn az_entry(map: &Map<String, Value>, id: FileId) -> Option<TargetObject> {
    let name = map.get("name")?.as_str()?;
    let properties = match map.get("properties") {
        Some(Value::Object(p)) => Value::Object(p.clone()),
        _ => Value::Object(
            map.iter().filter(|(k, _)| !METADATA.contains(&k.as_str())).map(|(k, v)| (k.clone(), v.clone())).collect(),
        ),
    };
    let otype = match map.get("type").and_then(Value::as_str) {
        Some(rtype) => ObjectType::from_resource_type(rtype)?,
        // `az datafactory trigger list` entries always have a type; without one, a runtime state says trigger.
        None if properties.get("runtimeState").is_some() => ObjectType::Trigger,
        None => return None,
    };
    let (name, parent) = match otype {
        // managedPrivateEndpoint entries are named `<vnet>/<name>` in some outputs.
        ObjectType::ManagedPrivateEndpoint => private_endpoint_name(name, map),
        _ => (name, None),
    };
    let runtime_state = properties.get("runtimeState").and_then(Value::as_str).and_then(RuntimeState::parse);
    Some(TargetObject { otype, name: name.to_string(), parent, runtime_state, properties: Some(properties), file: id })
}

/// A managed private endpoint's name and virtual network, from `<vnet>/<name>`
/// or from the `…/managedVirtualNetworks/<vnet>/managedPrivateEndpoints/<name>` id.
fn private_endpoint_name<'m>(name: &'m str, map: &Map<String, Value>) -> (&'m str, Option<String>) {
    if let Some((vnet, last)) = name.rsplit_once('/') {
        return (last, Some(vnet.rsplit('/').next().unwrap_or(vnet).to_string()));
    }
    let id = map.get("id").and_then(Value::as_str).unwrap_or("");
    let segments: Vec<&str> = id.split('/').collect();
    let vnet =
        segments.windows(2).find(|w| w[0].eq_ignore_ascii_case("managedVirtualNetworks")).map(|w| w[1].to_string());
    (name, vnet)
}

/// A `Get-AzDataFactoryV2Trigger` object: `Name` (or `TriggerName`) and `RuntimeState`.
fn powershell_trigger(map: &Map<String, Value>) -> Option<Entry> {
    let name = map.get("Name").or_else(|| map.get("TriggerName"))?.as_str()?.to_string();
    let state = map.get("RuntimeState")?;
    // ConvertTo-Json writes enums as numbers unless told otherwise: 0 Started, 1 Stopped, 2 Disabled.
    let runtime_state = match state {
        Value::String(s) => RuntimeState::parse(s),
        Value::Number(n) => [RuntimeState::Started, RuntimeState::Stopped, RuntimeState::Disabled]
            .get(usize::try_from(n.as_u64()?).ok()?)
            .copied(),
        _ => None,
    };
    Some(Box::new(move |file| TargetObject {
        otype: ObjectType::Trigger,
        name: name.clone(),
        parent: None,
        runtime_state,
        properties: None,
        file,
    }))
}

/// `{"TR_name": "Started", …}`.
fn state_map(map: &Map<String, Value>, id: FileId) -> Result<(Form, Vec<TargetObject>), String> {
    let mut objects = Vec::with_capacity(map.len());
    for (name, state) in map {
        let runtime_state = state.as_str().and_then(RuntimeState::parse).ok_or_else(|| {
            format!("`{name}` maps to {state}, not to a runtime state (Started, Stopped or Disabled)")
        })?;
        objects.push(TargetObject {
            otype: ObjectType::Trigger,
            name: name.clone(),
            parent: None,
            runtime_state: Some(runtime_state),
            properties: None,
            file: id,
        });
    }
    Ok((Form::Map, objects))
}

#[cfg(test)]
#[path = "target_state_tests.rs"]
mod tests;

/// A JSON value without its `null` members, at any depth: the az CLI prints
/// unset properties as `null`, which a template never holds.
pub fn without_nulls(value: serde_json::Value) -> serde_json::Value {
    use serde_json::Value;
    match value {
        Value::Object(map) => {
            Value::Object(map.into_iter().filter(|(_, v)| !v.is_null()).map(|(k, v)| (k, without_nulls(v))).collect())
        }
        Value::Array(items) => Value::Array(items.into_iter().map(without_nulls).collect()),
        other => other,
    }
}

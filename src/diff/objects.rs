//! Matching the objects of two sides by (type, name) and comparing each
//! pair: the JSON text first (most objects are byte-identical), the parsed
//! values only for objects whose text differs.

use std::collections::{HashMap, HashSet};

use serde_json::Value;

use super::json::{self, Found};
use super::model::{ChangeKind, Mode, ObjectDiff, Origin, PropertyChange, Shown, Side, Status, Texts};
use super::side::{Json, Key, RowChange, SideData, SideObject};
use crate::config::path::{Segment, display_steps};
use crate::secret;
use crate::target_state::without_nulls;
use crate::template::ObjectType;
use crate::template::effective::{ParameterValue, ParameterValues, same_text};

/// How to compare and what to keep.
#[derive(Debug, Clone, Copy)]
pub struct Settings {
    /// What is compared.
    pub mode: Mode,
    /// Show secrets instead of masking them.
    pub show_secrets: bool,
    /// Keep each differing object's JSON on both sides.
    pub texts: bool,
}

/// What comparing two sides found.
#[derive(Debug, Default)]
pub struct Compared {
    /// Objects that differ, in type order.
    pub objects: Vec<ObjectDiff>,
    /// Objects that do not.
    pub unchanged: usize,
    /// Parameter values that differ and that no property shows.
    pub parameters: Vec<PropertyChange>,
}

/// Compare every object of `old` with its namesake in `new`.
pub fn compare(old: &SideData<'_>, new: &SideData<'_>, settings: Settings) -> Compared {
    let differing = old.params.differing(&new.params);
    let pair = Pair { old, new, settings, differing: &differing };
    let by_key: HashMap<&Key, &SideObject<'_>> = new.objects.iter().map(|o| (&o.key, o)).collect();
    let mut matched: HashSet<&Key> = HashSet::new();
    let mut found: Vec<(&Key, ObjectDiff)> = Vec::new();
    let mut unchanged = 0;
    for o in &old.objects {
        let n = by_key.get(&o.key).copied();
        if n.is_some() {
            matched.insert(&o.key);
        }
        match pair.object(Some(o), n) {
            Some(d) => found.push((&o.key, d)),
            None => unchanged += 1,
        }
    }
    for n in new.objects.iter().filter(|n| !matched.contains(&n.key)) {
        match pair.object(None, Some(n)) {
            Some(d) => found.push((&n.key, d)),
            None => unchanged += 1,
        }
    }
    found.sort_by(|a, b| a.0.order().cmp(&b.0.order()));
    let objects: Vec<ObjectDiff> = found.into_iter().map(|(_, d)| d).collect();
    // A factory has no template parameters: their values are in the properties compared above.
    let parameters = if settings.mode == Mode::TargetState { Vec::new() } else { pair.parameters(&objects) };
    Compared { objects, unchanged, parameters }
}

/// The two sides and what is compared.
struct Pair<'p, 'a> {
    old: &'p SideData<'a>,
    new: &'p SideData<'a>,
    settings: Settings,
    differing: &'p HashSet<String>,
}

impl Pair<'_, '_> {
    /// How an object differs, or `None` when it does not.
    fn object(&self, old: Option<&SideObject<'_>>, new: Option<&SideObject<'_>>) -> Option<ObjectDiff> {
        let any = new.or(old)?;
        let diff = |status, reason: Option<String>| ObjectDiff {
            otype: any.key.otype(),
            name: any.name.clone(),
            label: any.label(),
            status,
            reason,
            changes: Vec::new(),
            texts: None,
        };
        let target = self.settings.mode == Mode::TargetState;
        match (old, new) {
            (Some(o), Some(n)) if o.present && n.present => {
                self.changed(o, n).map(|(changes, texts)| ObjectDiff { changes, texts, ..diff(Status::Changed, None) })
            }
            (Some(o), Some(n)) if o.present => Some(diff(Status::Excluded, n.reason.clone())),
            (Some(o), Some(n)) if n.present => {
                let why = o.reason.as_ref().map(|r| format!("not deployed by {}: {r}", self.old.label));
                Some(ObjectDiff { texts: self.one_text(n, Side::New), ..diff(Status::Added, why) })
            }
            (Some(o), None) if o.present && target => Some(diff(Status::NotInRelease, None)),
            (Some(o), None) if o.present => {
                Some(ObjectDiff { texts: self.one_text(o, Side::Old), ..diff(Status::Removed, None) })
            }
            (None, Some(n)) if n.present => {
                Some(ObjectDiff { texts: self.one_text(n, Side::New), ..diff(Status::Added, None) })
            }
            (None, Some(n)) if !target => Some(diff(Status::Excluded, n.reason.clone())),
            _ => None,
        }
    }

    /// The changed properties of an object on both sides (`None`: the same).
    fn changed(&self, o: &SideObject<'_>, n: &SideObject<'_>) -> Option<(Vec<PropertyChange>, Option<Texts>)> {
        let (Some(old_json), Some(new_json)) = (&o.json, &n.json) else { return None };
        let target = self.settings.mode == Mode::TargetState;
        if let (Json::Text(a), Json::Text(b)) = (old_json, new_json)
            && a == b
            && same_text(a, self.differing)
        {
            return None;
        }
        let (mut a, mut b) = (old_json.value()?.into_owned(), new_json.value()?.into_owned());
        if target {
            a = properties_only(a);
            b = properties_only(b);
            if o.partial {
                b = only_known(b, &a);
            }
        }
        let found = json::diff(&a, &self.old.params, &b, &self.new.params);
        if found.is_empty() {
            return None;
        }
        let context = Context::new(&o.key, self, (&a, &b));
        let changes = found.into_iter().map(|f| context.change(f)).collect();
        let texts = self.settings.texts.then(|| Texts {
            old: Some(context.text(&a, Side::Old, &self.old.params)),
            new: Some(context.text(&b, Side::New, &self.new.params)),
        });
        Some((changes, texts))
    }

    /// The JSON of an object that is on one side only, when texts are kept.
    fn one_text(&self, object: &SideObject<'_>, side: Side) -> Option<Texts> {
        if !self.settings.texts {
            return None;
        }
        let value = object.json.as_ref()?.value()?.into_owned();
        let (data, values) = match side {
            Side::Old => (self.old, (&value, &Value::Null)),
            Side::New => (self.new, (&Value::Null, &value)),
        };
        let text = Some(Context::new(&object.key, self, values).text(&value, side, &data.params));
        Some(if side == Side::Old { Texts { old: text, new: None } } else { Texts { old: None, new: text } })
    }

    /// Parameter values that differ and that no property change shows.
    fn parameters(&self, objects: &[ObjectDiff]) -> Vec<PropertyChange> {
        let shown: HashSet<String> = objects
            .iter()
            .flat_map(|o| o.changes.iter().flat_map(|c| [&c.parameter, &c.old_parameter]))
            .filter_map(|p| p.as_ref().map(|p| p.to_lowercase()))
            .collect();
        // The rows that wrote each parameter, indexed once.
        let mut writers: HashMap<String, Vec<(Side, &RowChange)>> = HashMap::new();
        for (side, data) in [(Side::Old, self.old), (Side::New, self.new)] {
            for row in data.rows.values().flatten() {
                if let Some(p) = &row.parameter {
                    writers.entry(p.to_lowercase()).or_default().push((side, row));
                }
            }
        }
        let names = self.new.params.iter().chain(self.old.params.iter()).map(|p| p.name.clone());
        let mut seen = HashSet::new();
        names
            .filter(|name| seen.insert(name.to_lowercase()))
            .filter(|name| self.differing.contains(&name.to_lowercase()) && !shown.contains(&name.to_lowercase()))
            .map(|name| {
                let rows = writers.get(&name.to_lowercase()).map_or(&[][..], Vec::as_slice);
                self.parameter(&name, rows)
            })
            .collect()
    }

    /// A parameter's change, with the rows that wrote it.
    fn parameter(&self, name: &str, rows: &[(Side, &RowChange)]) -> PropertyChange {
        let (old, new) = (self.old.params.get(name), self.new.params.get(name));
        let secret = |side: Side, parameter: Option<&ParameterValue>| {
            parameter.is_some_and(|p| p.secure) || rows.iter().any(|(s, r)| *s == side && r.from_env)
        };
        let show = |value: Option<&Value>, secret: bool| {
            value.map(|v| {
                if secret && !self.settings.show_secrets {
                    Shown::Masked(secret::mask(&v.to_string()))
                } else {
                    Shown::Value(v.clone())
                }
            })
        };
        let (old_value, new_value) = (old.and_then(|p| p.value.as_ref()), new.and_then(|p| p.value.as_ref()));
        let kind = match (old, new) {
            (None, _) => ChangeKind::Added,
            (_, None) => ChangeKind::Removed,
            _ => ChangeKind::Changed,
        };
        PropertyChange {
            path: name.to_string(),
            kind,
            old: show(old_value, secret(Side::Old, old)),
            new: show(new_value, secret(Side::New, new)),
            parameter: None,
            old_parameter: None,
            origins: origins(rows.iter().copied()),
        }
    }
}

/// Only the `properties` of a resource, without null members (the target
/// factory lists unset properties as null where a template leaves them out).
fn properties_only(value: Value) -> Value {
    let properties = match value {
        Value::Object(mut map) => map.shift_remove("properties").unwrap_or(Value::Null),
        _ => Value::Null,
    };
    serde_json::json!({ "properties": without_nulls(properties) })
}

/// `value`'s properties that `known` (a target object listed with some properties only) has.
fn only_known(value: Value, known: &Value) -> Value {
    let keys = known.get("properties").and_then(Value::as_object);
    let properties = match (value.get("properties"), keys) {
        (Some(Value::Object(map)), Some(keys)) => {
            map.iter().filter(|(k, _)| keys.contains_key(*k)).map(|(k, v)| (k.clone(), v.clone())).collect()
        }
        _ => serde_json::Map::new(),
    };
    serde_json::json!({ "properties": properties })
}

/// One object's rows (paths normalized like the diff's) and how to show its values.
struct Context<'c> {
    otype: ObjectType,
    rows: Vec<(Side, Vec<Segment>, &'c RowChange)>,
    show_secrets: bool,
}

impl<'c> Context<'c> {
    fn new(key: &Key, pair: &'c Pair<'_, '_>, (old, new): (&Value, &Value)) -> Context<'c> {
        let mut rows = Vec::new();
        for (side, data, value) in [(Side::Old, pair.old, old), (Side::New, pair.new, new)] {
            for row in data.rows_of(key) {
                rows.push((side, json::normalize(&row.steps, value), row));
            }
        }
        Context { otype: key.otype(), rows, show_secrets: pair.settings.show_secrets }
    }

    /// A found difference as the user sees it.
    fn change(&self, found: Found) -> PropertyChange {
        let moved = matches!(found.kind, ChangeKind::Moved { .. } | ChangeKind::Renamed);
        let reads = |row: &RowChange| {
            let read = [&found.parameter, &found.old_parameter];
            row.parameter
                .as_ref()
                .is_some_and(|p| read.iter().any(|r| r.as_ref().is_some_and(|r| r.eq_ignore_ascii_case(p))))
        };
        let rows: Vec<(Side, &RowChange)> = self
            .rows
            .iter()
            .filter(|(_, path, row)| {
                (if moved { found.path.starts_with(path) } else { related(path, &found.path) }) || reads(row)
            })
            .map(|(side, _, row)| (*side, *row))
            .collect();
        let (old_secure, new_secure) = (found.old_secure, found.new_secure);
        let names = found.kind == ChangeKind::Renamed;
        let show = |value: Option<Value>, secure: bool, side: Side| {
            value.map(|v| if names { Shown::Value(v) } else { self.shown(&v, &found.path, secure, side) })
        };
        PropertyChange {
            path: display_path(self.otype, &found.path),
            old: show(found.old, old_secure, Side::Old),
            new: show(found.new, new_secure, Side::New),
            kind: found.kind,
            parameter: found.parameter,
            old_parameter: found.old_parameter,
            origins: origins(rows.into_iter()),
        }
    }

    /// A value on `side`, masked when it is secret (secrets inside it masked too).
    fn shown(&self, value: &Value, path: &[Segment], secure: bool, side: Side) -> Shown {
        if !self.show_secrets && (secure || self.hidden(side, path, value)) {
            return Shown::Masked(secret::mask(&value.to_string()));
        }
        Shown::Value(self.reveal(value, side, None, &mut path.to_vec()))
    }

    /// A property whose value is never shown: a secret-like key (not a Key
    /// Vault reference), or a value a row on that side set from environment
    /// tokens (the row's property or anything inside it).
    fn hidden(&self, side: Side, path: &[Segment], value: &Value) -> bool {
        let keys = path.iter().filter_map(|s| match s {
            Segment::Key(k) => Some(k.as_str()),
            _ => None,
        });
        // A Key Vault secret or a credential is referenced, not held: `{"type": "AzureKeyVaultSecret", …}`,
        // `{"referenceName": …, "type": "CredentialReference"}`.
        let kind = value.get("type").and_then(Value::as_str).unwrap_or_default();
        let reference = kind.eq_ignore_ascii_case("AzureKeyVaultSecret") || kind.ends_with("Reference");
        let secret_key = matches!(path.last(), Some(Segment::Key(_))) && secret::is_secret_path(keys) && !reference;
        secret_key || self.rows.iter().any(|(s, p, row)| *s == side && row.from_env && path.starts_with(p))
    }

    /// `value` as shown on `side`: the secrets inside it masked and, with
    /// `params`, parameter references replaced by their values.
    fn reveal(&self, value: &Value, side: Side, params: Option<&ParameterValues>, path: &mut Vec<Segment>) -> Value {
        let (value, parameter) = match params {
            Some(params) => params.resolve(value),
            None => (value, None),
        };
        let secret = parameter.is_some_and(|p| p.secure) || (!path.is_empty() && self.hidden(side, path, value));
        if secret && !self.show_secrets {
            return Value::String(secret::mask(&value.to_string()));
        }
        let mut child = |segment: Segment, v: &Value| {
            path.push(segment);
            let shown = self.reveal(v, side, params, path);
            path.pop();
            shown
        };
        match value {
            Value::Object(map) => {
                Value::Object(map.iter().map(|(k, v)| (k.clone(), child(Segment::Key(k.clone()), v))).collect())
            }
            Value::Array(items) => {
                let names = json::element_names(items);
                Value::Array(
                    items.iter().enumerate().map(|(i, v)| child(element_segment(names.as_deref(), i), v)).collect(),
                )
            }
            other => other.clone(),
        }
    }

    /// Pretty JSON of a whole object on `side` as deployed: parameter
    /// references replaced by their values, secrets masked.
    fn text(&self, value: &Value, side: Side, params: &ParameterValues) -> String {
        serde_json::to_string_pretty(&self.reveal(value, side, Some(params), &mut Vec::new())).unwrap_or_default()
    }
}

/// The path segment of element `i`: its name in a named array (`names`), else its index.
fn element_segment(names: Option<&[&str]>, i: usize) -> Segment {
    match names.and_then(|n| n.get(i)) {
        Some(name) => Segment::Named(name.to_string()),
        None => Segment::Index(i),
    }
}

/// One path is a prefix of the other (a row that set an object explains a
/// change inside it, and a row that set a leaf explains its parent's change).
fn related(a: &[Segment], b: &[Segment]) -> bool {
    let n = a.len().min(b.len());
    a[..n] == b[..n]
}

/// Distinct rows, in order.
fn origins<'r>(rows: impl Iterator<Item = (Side, &'r RowChange)>) -> Vec<Origin> {
    let mut out: Vec<Origin> = Vec::new();
    for (side, row) in rows {
        let origin = Origin { side, row: row.origin.clone() };
        if !out.contains(&origin) {
            out.push(origin);
        }
    }
    out
}

/// A path as a config row writes it: relative to `properties`, or `$.…`
/// outside it; the factory's always with `$.` (its rows address
/// `$.properties.globalParameters…`).
pub fn display_path(otype: ObjectType, path: &[Segment]) -> String {
    match path.split_first() {
        Some((Segment::Key(first), rest))
            if first == "properties" && otype != ObjectType::Factory && !rest.is_empty() =>
        {
            display_steps(rest)
        }
        _ => format!("$.{}", display_steps(path)),
    }
}

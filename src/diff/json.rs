//! Structural diff of two JSON values, as ARM deploys them: a string that is
//! exactly `[parameters('P')]` is compared by P's value on its side.
//!
//! Objects are compared key by key. Arrays whose elements are all objects
//! with distinct string `name`s (activities, parameters…) are matched by name
//! through a map, so a moved element is one "moved" entry and a renamed one is
//! one "renamed" entry, never every later element changing. Other arrays are
//! compared as one value when they are short lists of scalars, and otherwise
//! through a sequence diff of the elements (with a deadline), changed
//! elements compared pairwise. Nothing here is quadratic in the size of the values.

use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::time::{Duration, Instant};

use serde_json::{Map, Value};

use super::model::ChangeKind;
use crate::config::path::Segment;
use crate::template::effective::{ParameterValue, ParameterValues};

/// The longest compact text of a scalar list shown as one value.
const SHORT_LIST: usize = 100;
/// How long one sequence diff of array elements may take before it approximates.
const SEQUENCE_DEADLINE: Duration = Duration::from_millis(200);

/// One difference between the two values.
#[derive(Debug, Clone, PartialEq)]
pub struct Found {
    /// Where, from the root of the compared values; named-array elements as [`Segment::Named`].
    pub path: Vec<Segment>,
    /// What happened.
    pub kind: ChangeKind,
    /// The old value (parameter references resolved).
    pub old: Option<Value>,
    /// The new value (parameter references resolved).
    pub new: Option<Value>,
    /// The parameter the new value is read from.
    pub parameter: Option<String>,
    /// The parameter the old value was read from, when the new one is not read from it.
    pub old_parameter: Option<String>,
    /// Whether the old value came through a secure parameter.
    pub old_secure: bool,
    /// Whether the new value comes through a secure parameter.
    pub new_secure: bool,
}

/// The parameters the values were read through, inherited by everything below them.
#[derive(Debug, Clone, Default)]
struct Via {
    old: Option<String>,
    new: Option<String>,
    old_secure: bool,
    new_secure: bool,
}

impl Via {
    fn through(&self, old: Option<&ParameterValue>, new: Option<&ParameterValue>) -> Via {
        Via {
            old: old.map(|p| p.name.clone()).or_else(|| self.old.clone()),
            new: new.map(|p| p.name.clone()).or_else(|| self.new.clone()),
            old_secure: self.old_secure || old.is_some_and(|p| p.secure),
            new_secure: self.new_secure || new.is_some_and(|p| p.secure),
        }
    }
}

/// Every difference from `old` (read with `old_params`) to `new` (read with `new_params`).
pub fn diff(old: &Value, old_params: &ParameterValues, new: &Value, new_params: &ParameterValues) -> Vec<Found> {
    let mut walk = Walk { old: old_params, new: new_params, found: Vec::new() };
    walk.value(old, new, &mut Vec::new(), &Via::default());
    walk.found
}

struct Walk<'p> {
    old: &'p ParameterValues,
    new: &'p ParameterValues,
    found: Vec<Found>,
}

impl Walk<'_> {
    fn value(&mut self, old: &Value, new: &Value, path: &mut Vec<Segment>, via: &Via) {
        let (old, old_param) = self.old.resolve(old);
        let (new, new_param) = self.new.resolve(new);
        let via = via.through(old_param, new_param);
        match (old, new) {
            (Value::Object(a), Value::Object(b)) => self.object(a, b, path, &via, None),
            (Value::Array(a), Value::Array(b)) => self.array(a, b, path, &via),
            _ if old == new => {}
            _ => self.push(path, ChangeKind::Changed, Some(old), Some(new), &via),
        }
    }

    /// Members of both objects; `skip` names a key not to compare (the name of a renamed element).
    fn object(
        &mut self,
        a: &Map<String, Value>,
        b: &Map<String, Value>,
        path: &mut Vec<Segment>,
        via: &Via,
        skip: Option<&str>,
    ) {
        for (key, old) in a.iter().filter(|(k, _)| Some(k.as_str()) != skip) {
            self.under(path, Segment::Key(key.clone()), |walk, path| match b.get(key) {
                Some(new) => walk.value(old, new, path, via),
                None => walk.one_side(path, ChangeKind::Removed, old, via),
            });
        }
        for (key, new) in b.iter().filter(|(k, _)| !a.contains_key(*k) && Some(k.as_str()) != skip) {
            self.under(path, Segment::Key(key.clone()), |walk, path| walk.one_side(path, ChangeKind::Added, new, via));
        }
    }

    fn array(&mut self, a: &[Value], b: &[Value], path: &mut Vec<Segment>, via: &Via) {
        if let (Some(old_names), Some(new_names)) = (element_names(a), element_names(b)) {
            return self.named(Named { items: a, names: old_names }, Named { items: b, names: new_names }, path, via);
        }
        if short_scalars(a) && short_scalars(b) {
            if a != b {
                self.push(
                    path,
                    ChangeKind::Changed,
                    Some(&Value::Array(a.to_vec())),
                    Some(&Value::Array(b.to_vec())),
                    via,
                );
            }
            return;
        }
        self.sequence(a, b, path, via);
    }

    /// Elements matched by name: moves, renames, removals and additions.
    fn named(&mut self, old: Named<'_>, new: Named<'_>, path: &mut Vec<Segment>, via: &Via) {
        let pairing = Pairing::of(&old, &new);
        for (k, &pair) in pairing.common.iter().enumerate() {
            let moved = !pairing.in_order[k];
            let segment = Segment::Named(new.names[pair.new].to_string());
            self.under(path, segment, |walk, path| walk.element(&old, &new, pair, moved, path, via));
        }
        for &i in &pairing.removed {
            let segment = Segment::Named(old.names[i].to_string());
            self.under(path, segment, |walk, path| walk.one_side(path, ChangeKind::Removed, &old.items[i], via));
        }
        for &j in &pairing.added {
            let segment = Segment::Named(new.names[j].to_string());
            self.under(path, segment, |walk, path| walk.one_side(path, ChangeKind::Added, &new.items[j], via));
        }
    }

    /// One element on both sides of a named array.
    fn element(
        &mut self,
        old: &Named<'_>,
        new: &Named<'_>,
        pair: Paired,
        moved: bool,
        path: &mut Vec<Segment>,
        via: &Via,
    ) {
        if moved {
            self.push(path, ChangeKind::Moved { from: pair.old, to: pair.new }, None, None, via);
        }
        let (a, b) = (&old.items[pair.old], &new.items[pair.new]);
        if !pair.renamed {
            return self.value(a, b, path, via);
        }
        let (from, to) = (Value::from(old.names[pair.old]), Value::from(new.names[pair.new]));
        self.push(path, ChangeKind::Renamed, Some(&from), Some(&to), via);
        if let (Value::Object(a), Value::Object(b)) = (a, b) {
            self.object(a, b, path, via, Some("name"));
        }
    }

    /// Run `f` with `segment` appended to `path`.
    fn under(&mut self, path: &mut Vec<Segment>, segment: Segment, f: impl FnOnce(&mut Self, &mut Vec<Segment>)) {
        path.push(segment);
        f(self, path);
        path.pop();
    }

    /// `len` elements from `a[i..]` and `b[j..]`, pairwise (paths use the new index).
    fn pairwise(
        &mut self,
        (a, i): (&[Value], usize),
        (b, j): (&[Value], usize),
        len: usize,
        path: &mut Vec<Segment>,
        via: &Via,
    ) {
        for k in 0..len {
            let (Some(old), Some(new)) = (a.get(i + k), b.get(j + k)) else { break };
            self.under(path, Segment::Index(j + k), |walk, path| walk.value(old, new, path, via));
        }
    }

    /// Arrays of different lengths: a sequence diff of the elements' texts.
    fn sequence(&mut self, a: &[Value], b: &[Value], path: &mut Vec<Segment>, via: &Via) {
        let (old_keys, new_keys) = (element_keys(a), element_keys(b));
        let deadline = Some(Instant::now() + SEQUENCE_DEADLINE);
        for op in similar::capture_diff_slices_deadline(similar::Algorithm::Myers, &old_keys, &new_keys, deadline) {
            let (_, old_range, new_range) = op.as_tag_tuple();
            let paired = old_range.len().min(new_range.len());
            if !matches!(op, similar::DiffOp::Equal { .. }) {
                self.pairwise((a, old_range.start), (b, new_range.start), paired, path, via);
            }
            for i in old_range.clone().skip(paired) {
                self.under(path, Segment::Index(i), |walk, path| walk.one_side(path, ChangeKind::Removed, &a[i], via));
            }
            for j in new_range.clone().skip(paired) {
                self.under(path, Segment::Index(j), |walk, path| walk.one_side(path, ChangeKind::Added, &b[j], via));
            }
        }
    }

    /// A value on one side only (resolved through its parameter, if it is a reference).
    fn one_side(&mut self, path: &[Segment], kind: ChangeKind, value: &Value, via: &Via) {
        let (value, parameter) = match kind {
            ChangeKind::Removed => self.old.resolve(value),
            _ => self.new.resolve(value),
        };
        let via = match kind {
            ChangeKind::Removed => via.through(parameter, None),
            _ => via.through(None, parameter),
        };
        match kind {
            ChangeKind::Removed => self.push(path, kind, Some(value), None, &via),
            _ => self.push(path, kind, None, Some(value), &via),
        }
    }

    fn push(&mut self, path: &[Segment], kind: ChangeKind, old: Option<&Value>, new: Option<&Value>, via: &Via) {
        let old_parameter = via.old.clone().filter(|o| !via.new.as_ref().is_some_and(|n| n.eq_ignore_ascii_case(o)));
        self.found.push(Found {
            path: path.to_vec(),
            kind,
            old: old.cloned(),
            new: new.cloned(),
            parameter: via.new.clone(),
            old_parameter,
            old_secure: via.old_secure,
            new_secure: via.new_secure,
        });
    }
}

/// An array whose elements are objects with distinct names.
struct Named<'v> {
    items: &'v [Value],
    names: Vec<&'v str>,
}

/// An element on both sides of a named array: its positions, and whether it was renamed.
#[derive(Debug, Clone, Copy)]
struct Paired {
    old: usize,
    new: usize,
    renamed: bool,
}

/// How the elements of two named arrays correspond.
struct Pairing {
    /// Elements on both sides (by name, or renamed), in the new order.
    common: Vec<Paired>,
    /// Per common element: kept its place relative to the others.
    in_order: Vec<bool>,
    /// Old positions of elements only on the old side.
    removed: Vec<usize>,
    /// New positions of elements only on the new side.
    added: Vec<usize>,
}

impl Pairing {
    fn of(old: &Named<'_>, new: &Named<'_>) -> Pairing {
        let old_at: HashMap<&str, usize> = old.names.iter().enumerate().map(|(i, n)| (*n, i)).collect();
        let new_at: HashMap<&str, usize> = new.names.iter().enumerate().map(|(i, n)| (*n, i)).collect();
        let removed: Vec<usize> = (0..old.items.len()).filter(|i| !new_at.contains_key(old.names[*i])).collect();
        let added: Vec<usize> = (0..new.items.len()).filter(|j| !old_at.contains_key(new.names[*j])).collect();
        let (renamed, removed, added) = renames(old, new, removed, added);
        let renamed_from: HashMap<usize, usize> = renamed.iter().map(|&(i, j)| (j, i)).collect();
        let common: Vec<Paired> = (0..new.items.len())
            .filter_map(|j| match (old_at.get(new.names[j]), renamed_from.get(&j)) {
                (Some(&i), _) => Some(Paired { old: i, new: j, renamed: false }),
                (None, Some(&i)) => Some(Paired { old: i, new: j, renamed: true }),
                (None, None) => None,
            })
            .collect();
        let in_order = longest_increasing(&common.iter().map(|c| c.old).collect::<Vec<_>>());
        Pairing { common, in_order, removed, added }
    }
}

/// The names of an array's elements, when every element is an object with a
/// string `name` and no two share one.
pub fn element_names(items: &[Value]) -> Option<Vec<&str>> {
    if items.is_empty() {
        return None;
    }
    let names: Vec<&str> = items.iter().map(|v| v.get("name")?.as_str()).collect::<Option<_>>()?;
    let distinct: std::collections::HashSet<&str> = names.iter().copied().collect();
    (distinct.len() == names.len()).then_some(names)
}

/// Removed and added elements that are one element renamed: the same content
/// under another name, or the only removed and the only added element when
/// they have the same `type`. Returns (renamed pairs, still removed, still added).
fn renames(
    old: &Named<'_>,
    new: &Named<'_>,
    removed: Vec<usize>,
    added: Vec<usize>,
) -> (Vec<(usize, usize)>, Vec<usize>, Vec<usize>) {
    if removed.is_empty() || added.is_empty() {
        return (Vec::new(), removed, added);
    }
    let mut by_content: HashMap<String, Vec<usize>> = HashMap::new();
    for &i in removed.iter().rev() {
        by_content.entry(without_name(&old.items[i])).or_default().push(i);
    }
    let mut pairs = Vec::new();
    let mut still_added = Vec::new();
    for j in added {
        match by_content.get_mut(&without_name(&new.items[j])).and_then(Vec::pop) {
            Some(i) => pairs.push((i, j)),
            None => still_added.push(j),
        }
    }
    let paired: std::collections::HashSet<usize> = pairs.iter().map(|p| p.0).collect();
    let mut still_removed: Vec<usize> = removed.into_iter().filter(|i| !paired.contains(i)).collect();
    if let ([i], [j]) = (still_removed.as_slice(), still_added.as_slice())
        && old.items[*i].get("type").is_some()
        && old.items[*i].get("type") == new.items[*j].get("type")
    {
        pairs.push((*i, *j));
        still_removed.clear();
        still_added.clear();
    }
    (pairs, still_removed, still_added)
}

/// Compact JSON of an element without its `name`.
fn without_name(item: &Value) -> String {
    match item {
        Value::Object(map) => {
            let rest: Map<String, Value> =
                map.iter().filter(|(k, _)| *k != "name").map(|(k, v)| (k.clone(), v.clone())).collect();
            Value::Object(rest).to_string()
        }
        other => other.to_string(),
    }
}

/// Which positions of `sequence` belong to one longest increasing subsequence
/// (O(n log n)): the elements that kept their relative order.
fn longest_increasing(sequence: &[usize]) -> Vec<bool> {
    let mut tails: Vec<usize> = Vec::new(); // positions in `sequence` ending a run of each length
    let mut previous: Vec<Option<usize>> = vec![None; sequence.len()];
    for (k, &value) in sequence.iter().enumerate() {
        let length = tails.partition_point(|&t| sequence[t] < value);
        previous[k] = length.checked_sub(1).map(|l| tails[l]);
        if length == tails.len() {
            tails.push(k);
        } else {
            tails[length] = k;
        }
    }
    let mut member = vec![false; sequence.len()];
    let mut at = tails.last().copied();
    while let Some(k) = at {
        member[k] = true;
        at = previous[k];
    }
    member
}

/// A short list of scalars, best shown whole.
fn short_scalars(items: &[Value]) -> bool {
    let mut length = 2;
    for item in items {
        if item.is_object() || item.is_array() {
            return false;
        }
        length += item.to_string().len() + 1;
        if length > SHORT_LIST {
            return false;
        }
    }
    true
}

/// A hash of each element's compact text, for the sequence diff.
fn element_keys(items: &[Value]) -> Vec<u64> {
    items
        .iter()
        .map(|v| {
            let mut hasher = std::collections::hash_map::DefaultHasher::new();
            v.to_string().hash(&mut hasher);
            hasher.finish()
        })
        .collect()
}

/// Steps of a config row's path, rewritten the way [`diff`] writes paths:
/// an element of a named array by its name, others by index. Steps past
/// what `value` holds are kept as written.
pub fn normalize(steps: &[Segment], value: &Value) -> Vec<Segment> {
    let mut at = Some(value);
    let mut out = Vec::with_capacity(steps.len());
    for step in steps {
        let items = at.and_then(Value::as_array);
        let names = items.and_then(|items| element_names(items));
        let (segment, next) = match (step, items) {
            (Segment::Key(key), _) => (step.clone(), at.and_then(|v| v.get(key))),
            (Segment::Index(i), Some(items)) => match names.as_ref().and_then(|n| n.get(*i)) {
                Some(name) => (Segment::Named(name.to_string()), items.get(*i)),
                None => (step.clone(), items.get(*i)),
            },
            (Segment::Named(name), Some(items)) => {
                let found = items.iter().position(|v| v.get("name").and_then(Value::as_str) == Some(name));
                match (found, &names) {
                    (Some(i), None) => (Segment::Index(i), items.get(i)),
                    (found, _) => (step.clone(), found.and_then(|i| items.get(i))),
                }
            }
            (_, None) => (step.clone(), None),
        };
        out.push(segment);
        at = next;
    }
    out
}

#[cfg(test)]
#[path = "json_tests.rs"]
mod tests;

//! Applying config rows to a factory, in file order, each row seeing the
//! effect of the rows before it.

use std::borrow::Cow;

use super::ConfigRow;
use super::path::{Action, Path, Root, Segment, display_steps};
use super::value::{Existing, type_value};
use crate::diag::{Diagnostic, Report};
use crate::json::node::{Member, decode_str, encode_str, key_is};
use crate::json::{Kind, Node};
use crate::template::expr::{self, StrKind};
use crate::template::factory::Factory;
use crate::template::{Object, ObjectType};

/// Switches of `adfc build` that change how rows apply.
#[derive(Debug, Clone, Copy, Default)]
pub struct ApplyOptions {
    /// A path that does not exist is a warning (row skipped), not an error.
    pub allow_missing_paths: bool,
    /// A name that matches no object is a warning, not an error.
    pub allow_missing_objects: bool,
    /// Always write values into the template, never into the parameters file.
    pub inline: bool,
}

/// Where a change landed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Destination {
    /// In the template body.
    Template,
    /// As the value of this parameter in the parameters file.
    Parameter(String),
    /// In the global parameters side file.
    GlobalParametersFile,
}

/// One property changed by one row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// `type.name` of the object.
    pub object: String,
    /// The property path (resource-rooted, as displayed).
    pub path: String,
    /// `config-prod.csv:12`.
    pub origin: String,
    /// Where the new value was written.
    pub destination: Destination,
    /// What the row did.
    pub action: Action,
}

/// What applying rows did.
#[derive(Debug, Default)]
pub struct Applied {
    /// Every change, in order.
    pub changes: Vec<Change>,
    /// Rows that changed at least one object.
    pub rows_applied: usize,
}

/// Apply every row to `factory`, recording problems in `report`.
pub fn apply(factory: &mut Factory<'_>, rows: &[ConfigRow], options: ApplyOptions, report: &mut Report) -> Applied {
    let mut applied = Applied::default();
    for row in rows {
        let before = applied.changes.len();
        let targets = resolve(factory, row, options, report);
        let mut matched = false;
        for target in &targets {
            matched |= apply_to(factory, row, *target, options, report, &mut applied.changes);
        }
        if !matched && !targets.is_empty() {
            let d = Diagnostic::error(
                "config::path-not-found",
                format!(
                    "JSONPath `{}` matches nothing in the {} object(s) named `{}`",
                    row.path_text,
                    targets.len(),
                    row.name.as_str()
                ),
            )
            .at(row.at.path.clone());
            report.push(if options.allow_missing_paths { d.downgrade() } else { d });
        }
        if applied.changes.len() > before {
            applied.rows_applied += 1;
        }
    }
    applied
}

/// Where a row's path is applied.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Target {
    Object(usize),
    GlobalParametersFile,
}

fn resolve(factory: &Factory<'_>, row: &ConfigRow, options: ApplyOptions, report: &mut Report) -> Vec<Target> {
    let matched = match row.otype {
        Some(otype) => matching(factory, otype, row),
        None => match matching_any_type(factory, row) {
            Ok(found) => found,
            Err(d) => {
                report.push(d);
                return Vec::new();
            }
        },
    };
    if matched.is_empty() {
        if row.otype == Some(ObjectType::Factory)
            && factory.global_parameters_file.is_some()
            && row.name.matches(&factory.factory_name)
        {
            return vec![Target::GlobalParametersFile];
        }
        let d = not_found(factory, row);
        report.push(if options.allow_missing_objects { d.downgrade() } else { d });
        return Vec::new();
    }
    matched.into_iter().map(Target::Object).collect()
}

fn matching(factory: &Factory<'_>, otype: ObjectType, row: &ConfigRow) -> Vec<usize> {
    let found: Vec<usize> = match row.name.literal() {
        Some(name) if otype != ObjectType::Factory => factory.lookup(otype, name).to_vec(),
        _ => factory.of_type(otype).iter().copied().filter(|o| row.name.matches(&factory.objects[*o].name)).collect(),
    };
    if otype == ObjectType::Factory { pick_factory_resource(factory, &found, row) } else { found }
}

/// The factory object is one or two resources (factory, globalparameters): pick the one the path addresses.
fn pick_factory_resource(factory: &Factory<'_>, found: &[usize], row: &ConfigRow) -> Vec<usize> {
    let main = found.iter().copied().find(|o| !factory.objects[*o].global_parameters_resource);
    let gp = found.iter().copied().find(|o| factory.objects[*o].global_parameters_resource);
    let targets_gp = global_parameter_steps(row).is_some();
    let main_has_gp = main.is_some_and(|o| {
        let node = &factory.resources[factory.objects[o].resource].node;
        node.get("properties").is_some_and(|p| p.get("globalParameters").is_some())
    });
    let side_file = factory.global_parameters_file.is_some();
    let pick = match (targets_gp, main, gp) {
        (true, Some(m), _) if main_has_gp => Some(m),
        (true, _, Some(g)) => Some(g),
        (true, _, None) if side_file => None,
        (true, None, None) => None,
        (_, Some(m), _) => Some(m),
        (_, None, g) => g,
    };
    pick.into_iter().collect()
}

fn matching_any_type(factory: &Factory<'_>, row: &ConfigRow) -> Result<Vec<usize>, Diagnostic> {
    let mut by_type: Vec<(ObjectType, Vec<usize>)> = crate::template::object::ALL_TYPES
        .iter()
        .filter(|t| **t != ObjectType::Factory)
        .map(|t| (*t, matching(factory, *t, row)))
        .filter(|(_, found)| !found.is_empty())
        .collect();
    if by_type.is_empty() && row.name.matches(&factory.factory_name) {
        by_type.push((ObjectType::Factory, matching(factory, ObjectType::Factory, row)));
    }
    if by_type.len() > 1 {
        let candidates: Vec<String> =
            by_type.iter().flat_map(|(_, ids)| ids.iter().map(|o| factory.objects[*o].id())).collect();
        return Err(Diagnostic::error(
            "config::ambiguous-name",
            format!("`{}` names objects of several types: {}", row.name.as_str(), candidates.join(", ")),
        )
        .at(row.at.name.clone())
        .note("use the CSV form, whose `type` column says which one"));
    }
    Ok(by_type.pop().map(|(_, ids)| ids).unwrap_or_default())
}

fn not_found(factory: &Factory<'_>, row: &ConfigRow) -> Diagnostic {
    let type_name = row.otype.map_or("object", |t| t.as_str());
    let mut d = Diagnostic::error(
        "config::object-not-found",
        format!("no {type_name} named `{}` in the template", row.name.as_str()),
    )
    .at(row.at.name.clone())
    .label("matches no object")
    .note("use --allow-missing-objects to skip rows whose object does not exist");
    let names: Vec<&str> = match row.otype {
        Some(t) => factory.of_type(t).iter().map(|o| factory.objects[*o].name.as_str()).collect(),
        None => factory.objects.iter().map(|o| o.name.as_str()).collect(),
    };
    if row.otype == Some(ObjectType::Factory) {
        d = d.note(format!(
            "the factory is named `{}` (its factoryName parameter); `*` always matches it",
            factory.factory_name
        ));
    } else if let Some(best) = closest(row.name.as_str(), names.iter().copied()) {
        d = d.note(format!("did you mean `{best}`?"));
    }
    d
}

/// The closest candidate to `wanted`, if one is close enough to be a typo.
pub fn closest<'c>(wanted: &str, candidates: impl Iterator<Item = &'c str>) -> Option<&'c str> {
    let wanted_lower = wanted.to_lowercase();
    candidates
        .map(|c| (strsim::damerau_levenshtein(&wanted_lower, &c.to_lowercase()), c))
        .filter(|(d, c)| *d <= (c.chars().count() / 3).max(2))
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

/// `globalParameters.<rest>` steps when the row addresses global parameters.
fn global_parameter_steps(row: &ConfigRow) -> Option<Vec<Segment>> {
    let Path::Steps { root, steps, .. } = &row.path else { return None };
    let segments: Vec<&Segment> = steps.iter().map(|s| &s.segment).collect();
    let rest = match (root, segments.as_slice()) {
        (Root::Resource, [Segment::Key(p), Segment::Key(g), rest @ ..])
            if p == "properties" && g == "globalParameters" =>
        {
            rest
        }
        (Root::Properties, [Segment::Key(g), rest @ ..]) if g == "globalParameters" => rest,
        _ => return None,
    };
    Some(rest.iter().map(|s| (*s).clone()).collect())
}

/// Steps of a row from the resource root, adjusted to the target's layout.
fn steps_for(factory: &Factory<'_>, row: &ConfigRow, target: Target) -> Option<Vec<Segment>> {
    let Path::Steps { root, steps, .. } = &row.path else { return None };
    let gp_rest = global_parameter_steps(row);
    match (target, gp_rest) {
        (Target::GlobalParametersFile, Some(rest)) => Some(rest),
        (Target::Object(o), Some(rest)) if factory.objects[o].global_parameters_resource => {
            Some(std::iter::once(Segment::Key("properties".into())).chain(rest).collect())
        }
        _ => {
            let prefix = (*root == Root::Properties).then(|| Segment::Key("properties".into()));
            Some(prefix.into_iter().chain(steps.iter().map(|s| s.segment.clone())).collect())
        }
    }
}

fn apply_to(
    factory: &mut Factory<'_>,
    row: &ConfigRow,
    target: Target,
    options: ApplyOptions,
    report: &mut Report,
    changes: &mut Vec<Change>,
) -> bool {
    let action = match &row.path {
        Path::Steps { action, .. } | Path::Query { action, .. } => *action,
    };
    let object = match target {
        Target::Object(o) => factory.objects[o].clone(),
        Target::GlobalParametersFile => global_parameters_object(factory),
    };
    let step_lists = match &row.path {
        Path::Query { text, .. } => match query_paths(factory, target, text) {
            Ok(lists) => lists,
            Err(message) => {
                report.push(Diagnostic::error("config::jsonpath", message).at(row.at.path.clone()).object(object.id()));
                return true;
            }
        },
        Path::Steps { .. } => steps_for(factory, row, target).into_iter().collect(),
    };
    if step_lists.is_empty() {
        return false;
    }
    let mut node = take_node(factory, target);
    let gp_context = global_parameter_steps(row).is_some() || target == Target::GlobalParametersFile;
    // Removing array elements by index must go from the last match backwards.
    for steps in step_lists.iter().rev() {
        let hidden = usize::from(matches!(row.path, Path::Steps { root: Root::Properties, .. }) && !gp_context);
        let mut ctx = RowContext { factory, row, object: &object, options, report, gp_context, target, hidden };
        if let Some(destination) = ctx.apply_steps(&mut node, steps, action) {
            changes.push(Change {
                object: object.id(),
                path: display_steps(
                    steps
                        .get(usize::from(matches!(row.path, Path::Steps { root: Root::Properties, .. }))..)
                        .unwrap_or(steps),
                ),
                origin: row.origin(),
                destination,
                action,
            });
        }
    }
    put_node(factory, target, node);
    true
}

fn global_parameters_object(factory: &Factory<'_>) -> Object {
    Object {
        otype: ObjectType::Factory,
        name: factory.factory_name.clone(),
        parent: None,
        folder: None,
        resource: usize::MAX,
        references: Vec::new(),
        dynamic_references: Vec::new(),
        global_parameters_resource: true,
    }
}

fn take_node<'a>(factory: &mut Factory<'a>, target: Target) -> Node<'a> {
    let placeholder = Node::Raw(Cow::Borrowed("null"));
    match target {
        Target::Object(o) => {
            let r = factory.objects[o].resource;
            std::mem::replace(&mut factory.resources[r].node, placeholder)
        }
        Target::GlobalParametersFile => match &mut factory.global_parameters_file {
            Some(doc) => std::mem::replace(&mut doc.root, placeholder),
            None => placeholder,
        },
    }
}

fn put_node<'a>(factory: &mut Factory<'a>, target: Target, node: Node<'a>) {
    match target {
        Target::Object(o) => {
            let r = factory.objects[o].resource;
            factory.resources[r].node = node;
        }
        Target::GlobalParametersFile => {
            if let Some(doc) = &mut factory.global_parameters_file {
                doc.root = node;
            }
        }
    }
}

fn query_paths(factory: &Factory<'_>, target: Target, query: &str) -> Result<Vec<Vec<Segment>>, String> {
    use jsonpath_rust::JsonPath;
    let value = match target {
        Target::Object(o) => factory.resources[factory.objects[o].resource].node.to_value(),
        Target::GlobalParametersFile => {
            factory.global_parameters_file.as_ref().map(|d| d.root.to_value()).unwrap_or_default()
        }
    };
    let paths = value.query_only_path(query).map_err(|e| format!("invalid JSONPath `{query}`: {e}"))?;
    paths.iter().map(|p| normalized_path(p).ok_or_else(|| format!("cannot follow JSONPath result `{p}`"))).collect()
}

/// Parse a normalized JSONPath (`$['a'][0]['b']`) into segments.
fn normalized_path(path: &str) -> Option<Vec<Segment>> {
    let mut rest = path.strip_prefix('$')?;
    let mut segments = Vec::new();
    while !rest.is_empty() {
        rest = rest.strip_prefix('[')?;
        if let Some(quoted) = rest.strip_prefix('\'') {
            let (key, len) = quoted_key(quoted)?;
            segments.push(Segment::Key(key));
            rest = quoted.get(len + 1..)?.strip_prefix(']')?;
        } else {
            let end = rest.find(']')?;
            segments.push(Segment::Index(rest[..end].parse().ok()?));
            rest = &rest[end + 1..];
        }
    }
    Some(segments)
}

/// Decode a single-quoted normalized-path key; returns it and the length up to the closing quote.
fn quoted_key(text: &str) -> Option<(String, usize)> {
    let mut json = String::from("\"");
    let mut chars = text.char_indices();
    while let Some((i, c)) = chars.next() {
        match c {
            '\'' => {
                json.push('"');
                return Some((serde_json::from_str(&json).ok()?, i));
            }
            '\\' => match chars.next()?.1 {
                '\'' => json.push('\''),
                other => {
                    json.push('\\');
                    json.push(other);
                }
            },
            '"' => json.push_str("\\\""),
            c => json.push(c),
        }
    }
    None
}

/// Everything one row needs while editing one object.
struct RowContext<'r, 'f, 'a> {
    factory: &'f mut Factory<'a>,
    row: &'r ConfigRow,
    object: &'r Object,
    options: ApplyOptions,
    report: &'r mut Report,
    gp_context: bool,
    target: Target,
    /// Leading steps the row did not write (`properties` for paths relative to it).
    hidden: usize,
}

/// Why a path could not be followed.
enum Missing {
    Key { matched: usize, available: Vec<String> },
    Index { matched: usize, len: usize },
    Named { matched: usize, names: Vec<String> },
    NotContainer { matched: usize, found: Kind },
}

impl<'a> RowContext<'_, '_, 'a> {
    /// Steps as the row wrote them (without the implicit `properties`).
    fn show(&self, steps: &[Segment]) -> String {
        display_steps(steps.get(self.hidden.min(steps.len())..).unwrap_or(steps))
    }

    fn apply_steps(&mut self, node: &mut Node<'a>, steps: &[Segment], action: Action) -> Option<Destination> {
        let (last, parents) = steps.split_last()?;
        let parent = match descend(node, parents, action == Action::Add) {
            Ok(parent) => parent,
            Err(missing) => {
                self.missing(steps, missing);
                return None;
            }
        };
        if let Err(missing) =
            parent.expand().map_err(|_| Missing::NotContainer { matched: parents.len(), found: Kind::String })
        {
            self.missing(steps, missing);
            return None;
        }
        match action {
            Action::Remove => self.remove(parent, last, steps),
            Action::Update | Action::Add => self.set(parent, last, steps, action),
        }
    }

    fn remove(&mut self, parent: &mut Node<'a>, last: &Segment, steps: &[Segment]) -> Option<Destination> {
        let removed = match (parent, last) {
            (Node::Object(members), Segment::Key(k)) => match members.iter().position(|m| key_is(&m.key, k)) {
                Some(p) => Ok(members.remove(p).value),
                None => Err(Missing::Key { matched: steps.len() - 1, available: member_keys(members) }),
            },
            (Node::Array(items), seg @ (Segment::Index(_) | Segment::Named(_))) => {
                element_position(items, seg, steps.len() - 1).map(|p| items.remove(p))
            }
            (other, _) => Err(Missing::NotContainer { matched: steps.len() - 1, found: other.kind() }),
        };
        match removed {
            Ok(old) => {
                self.count(&old, -1);
                Some(self.mark_changed())
            }
            Err(missing) => {
                self.missing(steps, missing);
                None
            }
        }
    }

    fn set(&mut self, parent: &mut Node<'a>, last: &Segment, steps: &[Segment], action: Action) -> Option<Destination> {
        let hint = self.type_hint(parent, last);
        let slot = match slot(parent, last, action == Action::Add, steps.len() - 1) {
            Ok(slot) => slot,
            Err(missing) => {
                self.missing(steps, missing);
                return None;
            }
        };
        let existing = slot.as_deref();
        let plan = self.plan(existing, hint.as_deref(), steps)?;
        match plan {
            Plan::Parameter(name, value) => {
                self.set_parameter_value(&name, value);
                Some(Destination::Parameter(name))
            }
            Plan::Inline(value) => {
                let new = escape_strings(value);
                if slot.as_deref().is_some_and(|old| same_json(old, &new)) {
                    return None;
                }
                if let Some(old) = slot {
                    self.count(old, -1);
                    *old = new;
                } else {
                    insert_new(parent, last, new);
                }
                Some(self.mark_changed())
            }
        }
    }

    fn mark_changed(&mut self) -> Destination {
        match self.target {
            Target::Object(o) => {
                let r = self.factory.objects[o].resource;
                self.factory.resources[r].changed = true;
                Destination::Template
            }
            Target::GlobalParametersFile => Destination::GlobalParametersFile,
        }
    }

    fn count(&mut self, node: &Node<'_>, delta: i64) {
        if let Target::Object(o) = self.target {
            let file = self.factory.resources[self.factory.objects[o].resource].file;
            self.factory.count_refs(file, node, delta);
        }
    }

    /// The declared `type` next to a global parameter's `value`.
    fn type_hint(&self, parent: &Node<'_>, last: &Segment) -> Option<String> {
        if !self.gp_context || *last != Segment::Key("value".into()) {
            return None;
        }
        parent.get("type").and_then(|t| t.as_str().map(|s| s.to_ascii_lowercase()))
    }

    /// Decide what to write for a new value replacing `existing`.
    fn plan(&mut self, existing: Option<&Node<'_>>, hint: Option<&str>, steps: &[Segment]) -> Option<Plan> {
        let text = self.row.value.as_str();
        let mut kind = existing.map_or(Existing::Missing, |n| existing_kind(n.kind()));
        let mut hint = hint.map(str::to_string);
        let mut parameter = None;
        let mut fed = None;
        if let Some(current) = existing.and_then(Node::as_str)
            && let StrKind::Expression(_) = expr::classify(&current)
        {
            let parsed = expr::parse_value(&current).ok().flatten();
            let param = parsed.as_ref().and_then(|e| e.as_parameter()).map(str::to_string);
            if let Some(p) = &param {
                hint = self.factory.parameter_type(p).or(hint);
                fed = hint.clone().map(|t| (p.clone(), t));
                kind = Existing::String;
            }
            if let Some(p) = param.filter(|p| !self.options.inline && self.factory.single_use_parameter(p)) {
                parameter = Some(p);
            } else if self.target != Target::GlobalParametersFile {
                self.warn_inlined(&current, steps);
            }
        }
        let typed = match type_value(text, kind, hint.as_deref()) {
            Ok(json) => json,
            Err(e) => {
                let message = match e.message.split_once(", found") {
                    Some((expected, _)) if self.row.from_env => {
                        format!("{expected}; the value comes from an environment variable and is not shown")
                    }
                    _ => e.message,
                };
                self.value_error(&message, existing.map(Node::kind), fed, steps);
                return None;
            }
        };
        if text.is_empty() && typed == "\"\"" {
            self.report.push(
                Diagnostic::warning("config::empty-value", "empty value: sets an empty string")
                    .at(self.row.at.value.clone())
                    .object(self.object.id()),
            );
        }
        let value = Node::parse_owned(&typed).ok()?;
        Some(match parameter {
            Some(p) => Plan::Parameter(p, value),
            None => Plan::Inline(value),
        })
    }

    fn warn_inlined(&mut self, expression: &str, steps: &[Segment]) {
        let why = if self.options.inline { "--inline is set" } else { "it is not a parameter used only here" };
        self.report.push(
            Diagnostic::warning(
                "config::expression-replaced",
                format!(
                    "`{}` of {} was the ARM expression `{expression}`; replaced by a literal ({why})",
                    self.show(steps),
                    self.object.id()
                ),
            )
            .at(self.row.at.path.clone())
            .object(self.object.id()),
        );
    }

    fn value_error(
        &mut self,
        message: &str,
        found: Option<Kind>,
        parameter: Option<(String, String)>,
        steps: &[Segment],
    ) {
        let what = match (parameter, found) {
            (Some((name, ty)), _) => format!(" (it feeds parameter `{name}`, declared `{ty}`)"),
            (None, Some(k)) => format!(" (the current value is {} {})", article(k.name()), k.name()),
            (None, None) => String::new(),
        };
        self.report.push(
            Diagnostic::error(
                "config::bad-value",
                format!("bad value for `{}` of {}{what}: {message}", self.show(steps), self.object.id()),
            )
            .at(self.row.at.value.clone())
            .object(self.object.id()),
        );
    }

    fn set_parameter_value(&mut self, name: &str, value: Node<'static>) {
        self.factory.set_parameter_value(name, value);
    }

    fn missing(&mut self, steps: &[Segment], missing: Missing) {
        let shown = self.show(steps);
        let (matched, detail, hint) = match &missing {
            Missing::Key { matched, available } => {
                let wanted = key_text(&steps[*matched]);
                let hint = closest(&wanted, available.iter().map(String::as_str)).map(|k| {
                    let mut fixed = steps[..*matched].to_vec();
                    fixed.push(Segment::Key(k.to_string()));
                    format!("did you mean `{}`?", self.show(&fixed))
                });
                (*matched, format!("no key `{wanted}`"), hint)
            }
            Missing::Index { matched, len } => (*matched, format!("only {len} element(s)"), None),
            Missing::Named { matched, names } => {
                let wanted = key_text(&steps[*matched]);
                let hint = closest(&wanted, names.iter().map(String::as_str)).map(|n| format!("did you mean `{n}`?"));
                (*matched, format!("no element named `{wanted}` (names: {})", names.join(", ")), hint)
            }
            Missing::NotContainer { matched, found } => (*matched, format!("it is a {}", found.name()), None),
        };
        let existing = if matched <= self.hidden {
            "the resource".to_string()
        } else {
            format!("`{}`", self.show(&steps[..matched]))
        };
        let mut d = Diagnostic::error(
            "config::path-not-found",
            format!("property `{shown}` not found in {}: {existing} exists but has {detail}", self.object.id()),
        )
        .at(self.row.at.path.clone())
        .object(self.object.id());
        d = match hint {
            Some(h) => d.label(h),
            None => d.label("not found"),
        };
        if self.options.allow_missing_paths {
            d = d.downgrade();
        } else {
            d = d.note("use --allow-missing-paths to skip rows whose path does not exist");
        }
        self.report.push(d);
    }
}

enum Plan {
    Parameter(String, Node<'static>),
    Inline(Node<'static>),
}

/// Do two values have the same JSON text (ignoring layout)?
fn same_json(a: &Node<'_>, b: &Node<'_>) -> bool {
    canonical(a) == canonical(b)
}

/// Compact JSON text of a value, whitespace outside strings removed.
fn canonical(node: &Node<'_>) -> String {
    let mut text = String::new();
    crate::json::node::write_compact(node, &mut text);
    match Node::parse_owned(&text) {
        Ok(expanded) => {
            let mut compact = String::new();
            crate::json::node::write_compact(&expanded, &mut compact);
            compact
        }
        Err(_) => text,
    }
}

/// `a` or `an` before a word.
fn article(word: &str) -> &'static str {
    if word.starts_with(['a', 'e', 'i', 'o', 'u']) { "an" } else { "a" }
}

fn existing_kind(kind: Kind) -> Existing {
    match kind {
        Kind::Object => Existing::Object,
        Kind::Array => Existing::Array,
        Kind::String => Existing::String,
        Kind::Number => Existing::Number,
        Kind::Bool => Existing::Bool,
        Kind::Null => Existing::Null,
    }
}

fn key_text(segment: &Segment) -> String {
    match segment {
        Segment::Key(k) | Segment::Named(k) => k.clone(),
        Segment::Index(i) => i.to_string(),
    }
}

fn member_keys(members: &[Member<'_>]) -> Vec<String> {
    members.iter().filter_map(|m| decode_str(&m.key).map(Cow::into_owned)).collect()
}

/// The `name` of an array element, if it is an object with a string name.
fn element_name(node: &Node<'_>) -> Option<String> {
    node.get("name")?.as_str().map(Cow::into_owned)
}

fn element_position(items: &[Node<'_>], segment: &Segment, matched: usize) -> Result<usize, Missing> {
    match segment {
        Segment::Index(i) if *i < items.len() => Ok(*i),
        Segment::Index(_) => Err(Missing::Index { matched, len: items.len() }),
        Segment::Named(name) => items
            .iter()
            .position(|n| element_name(n).as_deref() == Some(name))
            .ok_or_else(|| Missing::Named { matched, names: items.iter().filter_map(element_name).collect() }),
        Segment::Key(_) => Err(Missing::NotContainer { matched, found: Kind::Array }),
    }
}

/// Follow `steps` from `node`; with `create`, missing object keys are added.
fn descend<'n, 'a>(node: &'n mut Node<'a>, steps: &[Segment], create: bool) -> Result<&'n mut Node<'a>, Missing> {
    let mut current = node;
    for (matched, segment) in steps.iter().enumerate() {
        let found = current.kind();
        if current.expand().is_err() {
            return Err(Missing::NotContainer { matched, found });
        }
        current = match (current, segment) {
            (Node::Object(members), Segment::Key(k)) => match members.iter().position(|m| key_is(&m.key, k)) {
                Some(p) => &mut members[p].value,
                None if create => {
                    members.push(Member { key: Cow::Owned(encode_str(k)), value: Node::Object(Vec::new()) });
                    let last = members.len() - 1;
                    &mut members[last].value
                }
                None => return Err(Missing::Key { matched, available: member_keys(members) }),
            },
            (Node::Array(items), seg @ (Segment::Index(_) | Segment::Named(_))) => {
                let p = element_position(items, seg, matched)?;
                &mut items[p]
            }
            (other, _) => return Err(Missing::NotContainer { matched, found: other.kind() }),
        };
    }
    Ok(current)
}

/// The existing value addressed by `last` in `parent` (None: absent, allowed when adding).
fn slot<'n, 'a>(
    parent: &'n mut Node<'a>,
    last: &Segment,
    adding: bool,
    matched: usize,
) -> Result<Option<&'n mut Node<'a>>, Missing> {
    match (parent, last) {
        (Node::Object(members), Segment::Key(k)) => match members.iter().position(|m| key_is(&m.key, k)) {
            Some(p) => Ok(Some(&mut members[p].value)),
            None if adding => Ok(None),
            None => Err(Missing::Key { matched, available: member_keys(members) }),
        },
        (Node::Array(items), Segment::Index(i)) if adding && *i == items.len() => Ok(None),
        (Node::Array(items), seg @ (Segment::Index(_) | Segment::Named(_))) => {
            let p = element_position(items, seg, matched)?;
            Ok(Some(&mut items[p]))
        }
        (other, _) => Err(Missing::NotContainer { matched, found: other.kind() }),
    }
}

fn insert_new<'a>(parent: &mut Node<'a>, last: &Segment, value: Node<'a>) {
    match (parent, last) {
        (Node::Object(members), Segment::Key(k)) => {
            members.push(Member { key: Cow::Owned(encode_str(k)), value });
        }
        (Node::Array(items), _) => items.push(value),
        _ => {}
    }
}

/// Escape every string that would read as an ARM expression (`[…` → `[[…`).
fn escape_strings(node: Node<'static>) -> Node<'static> {
    match node {
        Node::Raw(text) => match decode_str(&text) {
            Some(s) if s.starts_with('[') => Node::string(&expr::escape_literal(&s)),
            _ => Node::Raw(text),
        },
        Node::Object(members) => {
            Node::Object(members.into_iter().map(|m| Member { key: m.key, value: escape_strings(m.value) }).collect())
        }
        Node::Array(items) => Node::Array(items.into_iter().map(escape_strings).collect()),
    }
}

#[cfg(test)]
#[path = "apply_tests.rs"]
mod tests;

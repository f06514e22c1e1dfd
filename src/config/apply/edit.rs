//! Editing one target with one row: following the path, typing the value,
//! deciding between the template and the parameters file.

use std::borrow::Cow;

use super::super::ConfigRow;
use super::super::path::{Action, Segment, display_steps};
use super::super::value::{Existing, type_value};
use super::resolve::closest;
use super::{ApplyOptions, Destination, Target};
use crate::diag::{Code, Diagnostic, Report};
use crate::json::text::{decode_str, encode_str, key_is};
use crate::json::{Kind, Member, Node};
use crate::template::Factory;
use crate::template::expr::{self, StrKind};
use crate::template::parameters::SecureKind;

/// Everything one row needs while editing one object.
pub(super) struct RowContext<'r, 'f, 'a> {
    pub(super) factory: &'f mut Factory<'a>,
    pub(super) row: &'r ConfigRow,
    /// `type.name` of the target, for messages.
    pub(super) object: &'r str,
    pub(super) options: ApplyOptions,
    pub(super) report: &'r mut Report,
    pub(super) gp_context: bool,
    pub(super) target: Target,
    /// Leading steps the row did not write (`properties` for paths relative to it).
    pub(super) hidden: usize,
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

    pub(super) fn apply_steps(
        &mut self,
        node: &mut Node<'a>,
        steps: &[Segment],
        action: Action,
    ) -> Option<Destination> {
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
                Some(self.mark_changed(may_hold_references(last, Some(&old))))
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
                if self.factory.parameter_value(&name).is_some_and(|old| same_json(&old, &value)) {
                    return None;
                }
                self.factory.set_parameter_value(&name, value);
                Some(Destination::Parameter(name))
            }
            Plan::NewParameter(value, kind) => {
                let Target::Object(o) = self.target else { return None };
                let resource = self.factory.object(o).resource();
                let name = self.factory.add_secure_parameter(resource, &self.parameter_base(steps), kind);
                let reference = Node::string(&format!("[parameters('{}')]", name.replace('\'', "''")));
                let references = may_hold_references(last, slot.as_deref());
                self.count(&reference, 1);
                match slot {
                    Some(old) => {
                        self.count(old, -1);
                        *old = reference;
                    }
                    None => insert_new(parent, last, reference),
                }
                self.factory.set_parameter_value(&name, value);
                self.mark_changed(references);
                Some(Destination::NewParameter(name))
            }
            Plan::Inline(value) => {
                let new = escape_strings(value);
                if slot.as_deref().is_some_and(|old| same_json(old, &new)) {
                    return None;
                }
                let references = may_hold_references(last, slot.as_deref()) || holds_reference(&new);
                if let Some(old) = slot {
                    self.count(old, -1);
                    *old = new;
                } else {
                    insert_new(parent, last, new);
                }
                Some(self.mark_changed(references))
            }
        }
    }

    /// Record an edit of the target; `references`: the edit may have changed
    /// what the object references (its references are read again).
    fn mark_changed(&mut self, references: bool) -> Destination {
        match self.target {
            Target::Object(o) => {
                let resource = self.factory.object(o).resource();
                self.factory.mark_changed(resource);
                if references {
                    self.factory.mark_references_edited(resource);
                }
                Destination::Template
            }
            Target::GlobalParametersFile => Destination::GlobalParametersFile,
        }
    }

    fn count(&mut self, node: &Node<'_>, delta: i64) {
        if let Target::Object(o) = self.target {
            let template = self.factory.resource(self.factory.object(o).resource()).template();
            self.factory.count_refs(template, node, delta);
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
        if !self.row.value_known {
            // An environment variable has no value here (check): the path was found, the value cannot be judged.
            return None;
        }
        let text = self.row.value.as_str();
        let mut kind = existing.map_or(Existing::Missing, |n| existing_kind(n.kind()));
        let mut hint = hint.map(str::to_string);
        let mut fed = None;
        let expression =
            existing.and_then(Node::as_str).filter(|c| matches!(expr::classify(c), StrKind::Expression(_)));
        let parsed = expression.as_deref().and_then(|c| expr::parse_value(c).ok().flatten());
        let param = parsed.as_ref().and_then(|e| e.as_parameter()).map(str::to_string);
        if let Some(p) = &param {
            hint = self.factory.parameter_type(p).or(hint);
            fed = hint.clone().map(|t| (p.clone(), t));
            kind = Existing::String;
        }
        let secret_key = crate::secret::is_secret_path(steps.iter().filter_map(|s| match s {
            Segment::Key(k) => Some(k.as_str()),
            _ => None,
        }));
        let typed = match type_value(text, kind, hint.as_deref()) {
            Ok(json) => json,
            Err(e) => {
                let message = match e.want() {
                    Some(want) if self.row.from_env || secret_key => format!(
                        "expected {want}; the value {} and is not shown",
                        if self.row.from_env { "comes from an environment variable" } else { "is a secret" }
                    ),
                    _ => e.to_string(),
                };
                self.value_error(&message, existing.map(Node::kind), fed, steps);
                return None;
            }
        };
        let secret = (secret_key && !crate::secret::is_key_vault_reference(&typed))
            || parsed.as_ref().is_some_and(|e| self.references_secure_parameter(e));
        let in_template = self.target != Target::GlobalParametersFile;
        // --inline never applies to secrets, unless --allow-secrets-in-template says so too.
        let keep_secret = secret && !self.options.allow_secrets_in_template;
        let parameter = param.filter(|p| (keep_secret || !self.options.inline) && self.factory.single_use_parameter(p));
        let new_parameter = parameter.is_none() && keep_secret && in_template;
        if parameter.is_none() && !new_parameter && in_template {
            if let Some(current) = &expression {
                self.warn_inlined(current, steps);
            }
            if secret {
                self.warn_secret_inlined(steps);
            }
        }
        if text.is_empty() && typed == "\"\"" {
            self.report.push(
                Diagnostic::warning(Code::ConfigEmptyValue, "empty value: sets an empty string")
                    .at(self.row.at.value.clone())
                    .object(self.object),
            );
        }
        let value = Node::parse_owned(&typed).ok()?;
        let secure = if value.kind() == Kind::Object { SecureKind::Object } else { SecureKind::String };
        Some(match parameter {
            Some(p) => Plan::Parameter(p, value),
            None if new_parameter => Plan::NewParameter(value, secure),
            None => Plan::Inline(value),
        })
    }

    /// Does the expression read a `secureString` / `secureObject` parameter?
    fn references_secure_parameter(&self, expression: &expr::Expr) -> bool {
        let mut secure = false;
        expression.visit_refs(&mut |kind, name| {
            if kind == expr::RefKind::Parameter {
                secure |= self.factory.parameter_type(name).is_some_and(|t| crate::secret::is_secure_type(&t));
            }
        });
        secure
    }

    /// The name ADF would give a parameter for this property:
    /// `<object>_properties_<path below properties, joined by _>`.
    fn parameter_base(&self, steps: &[Segment]) -> String {
        let name = self.object.split_once('.').map_or(self.object, |(_, name)| name);
        let below = match steps.first() {
            Some(Segment::Key(k)) if k == "properties" => &steps[1..],
            _ => steps,
        };
        let path: Vec<String> = below.iter().map(key_text).collect();
        format!("{name}_properties_{}", path.join("_"))
    }

    fn warn_secret_inlined(&mut self, steps: &[Segment]) {
        self.report.push(
            Diagnostic::warning(
                Code::ConfigSecretInTemplate,
                format!(
                    "`{}` of {} is a secret written into the template body (--allow-secrets-in-template): \
                     ARM keeps template bodies in the deployment history",
                    self.show(steps),
                    self.object
                ),
            )
            .at(self.row.at.path.clone())
            .object(self.object),
        );
    }

    fn warn_inlined(&mut self, expression: &str, steps: &[Segment]) {
        let why = if self.options.inline { "--inline is set" } else { "it is not a parameter used only here" };
        self.report.push(
            Diagnostic::warning(
                Code::ConfigExpressionReplaced,
                format!(
                    "`{}` of {} was the ARM expression `{expression}`; replaced by a literal ({why})",
                    self.show(steps),
                    self.object
                ),
            )
            .at(self.row.at.path.clone())
            .object(self.object),
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
                Code::ConfigBadValue,
                format!("bad value for `{}` of {}{what}: {message}", self.show(steps), self.object),
            )
            .at(self.row.at.value.clone())
            .object(self.object),
        );
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
            Code::ConfigPathNotFound,
            format!("property `{shown}` not found in {}: {existing} exists but has {detail}", self.object),
        )
        .at(self.row.at.path.clone())
        .object(self.object);
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

/// Where a row's new value goes.
enum Plan {
    /// Into the parameters file, as the value of this (single-use) parameter.
    Parameter(String, Node<'static>),
    /// A secret: into the parameters file, through a new secure parameter.
    NewParameter(Node<'static>, SecureKind),
    /// Into the template body.
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

/// Whether editing the value at `last` (now `old`) may change the object's
/// references: a `referenceName` or reference `type`, a `dependsOn` list, or
/// an object or array that holds a reference.
fn may_hold_references(last: &Segment, old: Option<&Node<'_>>) -> bool {
    let key = matches!(last, Segment::Key(k) if ["referenceName", "type", "dependsOn"].iter().any(|r| k.eq_ignore_ascii_case(r)));
    key || old.is_some_and(holds_reference)
}

/// An object or array with a `referenceName` somewhere inside.
fn holds_reference(node: &Node<'_>) -> bool {
    if !matches!(node.kind(), Kind::Object | Kind::Array) {
        return false;
    }
    let mut text = String::new();
    crate::json::node::write_compact(node, &mut text);
    text.contains("\"referenceName\"")
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

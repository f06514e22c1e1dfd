//! Deciding which objects are deployed, and checking that what is deployed
//! does not silently depend on what is not.

use std::collections::{BTreeMap, BTreeSet};

use super::rules::{self, Decision, Origin, Rule, Sign};
use crate::diag::{Code, Diagnostic, Location, Report};
use crate::source::{FileId, Sources};
use crate::template::{ALL_TYPES, Factory, ObjectId, ObjectRef, ObjectType};

/// How objects are selected.
#[derive(Debug, Clone, Default)]
pub struct SelectOptions {
    /// `--rules FILE`, in order.
    pub rules_files: Vec<std::path::PathBuf>,
    /// `--include` arguments (comma-separated lists allowed).
    pub include: Vec<String>,
    /// `--exclude` arguments.
    pub exclude: Vec<String>,
    /// Add every object a deployed object references, transitively.
    pub with_dependencies: bool,
    /// A deployed object referencing one that is not deployed is an error.
    pub strict_dependencies: bool,
}

impl SelectOptions {
    /// Are there any rules at all?
    pub fn is_empty(&self) -> bool {
        self.rules_files.is_empty() && self.include.is_empty() && self.exclude.is_empty()
    }
}

/// Why an object is (not) deployed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reason {
    /// No include rule exists, and no exclude rule matched.
    NoRules,
    /// Matched this include rule.
    Included(String),
    /// Matched this exclude rule.
    Excluded(String),
    /// Include rules exist and none matched.
    NotIncluded,
    /// Added by `--with-dependencies` because these deployed objects use it.
    Dependency(Vec<String>),
    /// Left out by `--changed-since DIR`: the same as in the output in DIR (named here).
    Unchanged(String),
}

/// The decision for one object.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Selected {
    /// The object.
    pub object: ObjectId,
    /// Deployed or not.
    pub deployed: bool,
    /// Why.
    pub reason: Reason,
}

/// Result of selection.
#[derive(Debug, Clone, Default)]
pub struct Selection {
    /// One entry per object, in object order.
    pub objects: Vec<Selected>,
    /// Objects added by `--with-dependencies`, as `type.name`.
    pub added: Vec<String>,
    /// Per type: (deployed, not deployed).
    pub counts: BTreeMap<ObjectType, (usize, usize)>,
}

/// Objects that `--changed-since` leaves out: they deploy exactly what a
/// previous output deploys, so the target factory already has them.
#[derive(Debug, Clone, Default)]
pub struct Unchanged {
    /// The objects.
    pub objects: std::collections::HashSet<ObjectId>,
    /// The previous output's folder, as given.
    pub since: String,
}

/// Read the rules of the rules files `files` and of `options`'s `--include` / `--exclude`.
pub fn read_rules(options: &SelectOptions, files: &[FileId], sources: &Sources, report: &mut Report) -> Vec<Rule> {
    let mut all = Vec::new();
    for &id in files {
        let file = sources.get(id);
        let (parsed, errors) = rules::parse_file(id, file.text());
        all.extend(parsed);
        for e in errors {
            let span = line_span(file.text(), e.line, e.col);
            report.push(Diagnostic::error(Code::RulesSyntax, e.kind.to_string()).at(Location::span(id, span)));
        }
    }
    for (exclude, args, flag) in [(false, &options.include, "--include"), (true, &options.exclude, "--exclude")] {
        for arg in args {
            match rules::parse_cli(exclude, arg) {
                Ok(parsed) => all.extend(parsed),
                Err(e) => report.push(Diagnostic::error(Code::RulesSyntax, format!("{flag} `{arg}`: {}", e.kind))),
            }
        }
    }
    all.retain(|rule| check_rule_type(rule, sources, report));
    all
}

/// Byte range of 1-based (line, col) in `text`, to the end of that line.
fn line_span(text: &str, line: usize, col: usize) -> std::ops::Range<usize> {
    let start_of_line: usize = text.split_inclusive('\n').take(line.saturating_sub(1)).map(str::len).sum();
    let line_text = text[start_of_line..].split('\n').next().unwrap_or("");
    let offset = line_text.char_indices().nth(col.saturating_sub(1)).map_or(line_text.len(), |(i, _)| i);
    let start = start_of_line + offset;
    start..(start_of_line + line_text.trim_end_matches('\r').len()).max(start + 1).min(text.len().max(start))
}

/// Where a rule was written, for diagnostics.
pub fn rule_location(rule: &Rule, sources: &Sources) -> Option<Location> {
    let Origin::File { file, line } = &rule.origin else { return None };
    Some(Location::span(*file, line_span(sources.get(*file).text(), *line, rule.col)))
}

/// `-linkedService.LS_Dev_* (rules.txt:4)` or `--exclude linkedService.LS_Dev_*`.
pub fn describe(rule: &Rule, sources: &Sources) -> String {
    match &rule.origin {
        Origin::File { file, line } => {
            let path = sources.get(*file).path();
            let name =
                path.file_name().map_or_else(|| path.display().to_string(), |f| f.to_string_lossy().into_owned());
            format!("{} ({name}:{line})", rule.text)
        }
        Origin::Cli { flag } => format!("{flag} {}", rule.text),
    }
}

/// Does the rule's type pattern match an object type? (Reported when not.)
fn check_rule_type(rule: &Rule, sources: &Sources, report: &mut Report) -> bool {
    if ALL_TYPES.iter().any(|t| rule.type_pattern.matches(t.as_str())) {
        return true;
    }
    let known: Vec<&str> = ALL_TYPES.iter().map(|t| t.as_str()).collect();
    let mut d = Diagnostic::error(
        Code::RulesUnknownType,
        format!("rule `{}`: `{}` is not an object type", rule.text, rule.type_pattern.as_str()),
    )
    .note(format!("expected one of: {}, or a pattern such as `*`", known.join(", ")));
    if let Some(at) = rule_location(rule, sources) {
        d = d.at(at);
    }
    report.push(d);
    false
}

/// Decide every object, apply `--with-dependencies` / `--strict-dependencies`,
/// and report rules that match nothing. Objects the rules deploy that are
/// `unchanged` are left out as if a rule excluded them.
pub fn select(
    factory: &Factory<'_>,
    rules: &[Rule],
    options: &SelectOptions,
    unchanged: Option<&Unchanged>,
    report: &mut Report,
) -> Selection {
    let sources = factory.sources();
    let mut objects: Vec<Selected> = factory
        .objects()
        .map(|(id, o)| {
            let decision = rules::decide(rules, o.otype().as_str(), o.name(), o.folder());
            let (deployed, reason) = match decision {
                Decision::Deployed(None) => (true, Reason::NoRules),
                Decision::Deployed(Some(rule)) => (true, Reason::Included(describe(rule, sources))),
                Decision::Excluded(rule) => (false, Reason::Excluded(describe(rule, sources))),
                Decision::NotIncluded => (false, Reason::NotIncluded),
            };
            match unchanged {
                Some(u) if deployed && u.objects.contains(&id) => {
                    Selected { object: id, deployed: false, reason: Reason::Unchanged(u.since.clone()) }
                }
                _ => Selected { object: id, deployed, reason },
            }
        })
        .collect();
    report_unused_rules(factory, rules, report);
    let mut added = Vec::new();
    if options.with_dependencies {
        added = add_dependencies(factory, &mut objects);
    }
    check_references(factory, &objects, options.strict_dependencies, report);
    let mut counts: BTreeMap<ObjectType, (usize, usize)> = BTreeMap::new();
    for s in &objects {
        let entry = counts.entry(factory.object(s.object).otype()).or_default();
        if s.deployed { entry.0 += 1 } else { entry.1 += 1 }
    }
    Selection { objects, added, counts }
}

fn report_unused_rules(factory: &Factory<'_>, rules: &[Rule], report: &mut Report) {
    // One pass over the objects, testing only the rules not yet seen to match.
    let mut unused: Vec<&Rule> = rules.iter().collect();
    for (_, o) in factory.objects() {
        if unused.is_empty() {
            break;
        }
        unused.retain(|rule| !rule.matches(o.otype().as_str(), o.name(), o.folder()));
    }
    for rule in unused {
        let sign = if rule.sign == Sign::Include { "include" } else { "exclude" };
        let mut d = Diagnostic::warning(Code::RulesUnused, format!("{sign} rule `{}` matches no object", rule.text))
            .note("a typo in a rule is otherwise a silent no-op");
        d = match (rule_location(rule, factory.sources()), &rule.origin) {
            (Some(at), _) => d.at(at),
            (None, Origin::Cli { flag }) => d.note(format!("given with {flag}")),
            (None, _) => d,
        };
        report.push(d);
    }
}

/// The objects a reference names (the factory's index matches names case-insensitively).
fn targets<'f>(factory: &'f Factory<'_>, r: &ObjectRef) -> &'f [ObjectId] {
    factory.lookup(r.otype, &r.name)
}

/// Deploy everything a deployed object references, transitively; returns what was added.
fn add_dependencies(factory: &Factory<'_>, objects: &mut [Selected]) -> Vec<String> {
    let mut queue: Vec<ObjectId> = objects.iter().filter(|s| s.deployed).map(|s| s.object).collect();
    let mut users: BTreeMap<ObjectId, BTreeSet<String>> = BTreeMap::new();
    while let Some(current) = queue.pop() {
        for r in factory.object(current).references() {
            for &target in targets(factory, r) {
                let selected = &mut objects[target.index()];
                if selected.deployed && !users.contains_key(&target) {
                    continue;
                }
                users.entry(target).or_default().insert(factory.object(current).id());
                if !selected.deployed {
                    selected.deployed = true;
                    queue.push(target);
                }
            }
        }
    }
    let mut added = Vec::new();
    for (target, by) in users {
        objects[target.index()].reason = Reason::Dependency(by.into_iter().collect());
        added.push(factory.object(target).id());
    }
    added
}

/// Warn (or fail) once per object that is not deployed but used by deployed
/// ones. Objects left out as unchanged are in the target factory already.
fn check_references(factory: &Factory<'_>, objects: &[Selected], strict: bool, report: &mut Report) {
    let missing = |s: &Selected| !s.deployed && !matches!(s.reason, Reason::Unchanged(_));
    let removed_types: BTreeSet<ObjectType> =
        objects.iter().filter(|s| missing(s)).map(|s| factory.object(s.object).otype()).collect();
    let mut users: BTreeMap<ObjectRef, Vec<ObjectId>> = BTreeMap::new();
    for s in objects.iter().filter(|s| s.deployed) {
        let object = factory.object(s.object);
        for r in object.references() {
            if targets(factory, r).iter().any(|t| missing(&objects[t.index()])) {
                users.entry(r.clone()).or_default().push(s.object);
            }
        }
        let unknown: Vec<String> = object
            .dynamic_references()
            .iter()
            .filter(|d| d.otype.is_none_or(|t| removed_types.contains(&t)))
            .map(ToString::to_string)
            .collect();
        if !unknown.is_empty() {
            report.push(
                Diagnostic::warning(
                    Code::SelectDynamicReference,
                    format!(
                        "{} has references adfc cannot resolve ({}), and objects of that type are not deployed: \
                         it cannot tell whether they are",
                        object.id(),
                        unknown.join("; ")
                    ),
                )
                .at(factory.resource_location(object.resource()))
                .object(object.id()),
            );
        }
    }
    for (missing, by) in users {
        let names: Vec<String> = by.iter().map(|o| factory.object(*o).id()).collect();
        let who = match names.as_slice() {
            [one] => format!("{one} uses"),
            [first, second] => format!("{first} and {second} use"),
            [first, second, rest @ ..] => format!("{first}, {second} and {} more use", rest.len()),
            [] => continue,
        };
        let message = format!("{who} {missing}, which is not deployed: it must already exist in the target factory");
        let first = factory.object(by[0]);
        let mut d = if strict {
            Diagnostic::error(Code::SelectMissingDependency, message)
                .note("--strict-dependencies is set; use --with-dependencies to deploy it too")
        } else {
            Diagnostic::warning(Code::SelectMissingDependency, message)
                .note("use --with-dependencies to deploy it too, or --strict-dependencies to make this an error")
        };
        if names.len() > 2 {
            d = d.note(format!("used by: {}", names.join(", ")));
        }
        report.push(d.at(factory.resource_location(first.resource())).object(first.id()));
    }
}

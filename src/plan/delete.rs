//! The deletion plan (`--delete missing`): objects the target has and the
//! compiled output lacks, in an order that never deletes an object something
//! still uses. The factory, its global parameters and its managed virtual
//! networks are never deleted; managed private endpoints only with
//! `--delete-private-endpoints`; objects the selection rules exclude only with
//! `--delete-excluded`; an object something that stays uses, never.

use std::collections::{HashMap, HashSet};

use super::compiled::Compiled;
use super::order::order;
use super::target::{Holder, Known, Target};
use super::{DeleteMethod, PlanSettings, Step};
use crate::diag::{Code, Diagnostic, Report};
use crate::list::reason_text;
use crate::template::{ALL_TYPES, ObjectRef, ObjectType};

/// What to delete, what is kept and why.
#[derive(Debug, Default)]
pub(crate) struct Deletion {
    /// Objects to delete, in order.
    pub(crate) delete: Vec<Step>,
    /// Objects missing from the output that are kept.
    pub(crate) kept: Vec<Step>,
    /// Lower-case names of the triggers to delete (they must be stopped first).
    pub(crate) triggers: HashSet<String>,
    /// What was assumed about the target.
    pub(crate) assumptions: Vec<String>,
}

/// Deletion order: users before what they use, and by type where references do not decide.
const ORDER: [ObjectType; 9] = [
    ObjectType::Trigger,
    ObjectType::Pipeline,
    ObjectType::Adfcdc,
    ObjectType::Dataflow,
    ObjectType::Dataset,
    ObjectType::LinkedService,
    ObjectType::Credential,
    ObjectType::IntegrationRuntime,
    ObjectType::ManagedPrivateEndpoint,
];

/// An object the target has that the output lacks, and why it would go.
struct Candidate<'t> {
    known: &'t Known,
    reason: String,
}

/// Plan the deletions (nothing with `--delete none`).
pub(crate) fn plan(compiled: &Compiled<'_>, target: &Target, settings: &PlanSettings, report: &mut Report) -> Deletion {
    if settings.delete == DeleteMethod::None {
        return Deletion::default();
    }
    let existing = existing(target);
    let mut deletion = Deletion { assumptions: assumptions(target), ..Deletion::default() };
    let mut candidates = Vec::new();
    for (known, holder) in &existing {
        match decide(compiled, known, *holder, settings) {
            Decision::Stays => {}
            Decision::Keep(reason) => deletion.kept.push(step(known, reason)),
            Decision::Delete(reason) => candidates.push(Candidate { known, reason }),
        }
    }
    let used = still_used(compiled, &existing, &candidates);
    let mut to_delete = Vec::new();
    for (candidate, user) in candidates.into_iter().zip(used) {
        match user {
            Some(user) => {
                report.push(still_used_warning(candidate.known, &user));
                deletion.kept.push(step(candidate.known, format!("still used by {user}")));
            }
            None => to_delete.push(candidate),
        }
    }
    deletion.delete = ordered(to_delete, report);
    check_mass_delete(deletion.delete.len(), existing.len(), settings, report);
    deletion.triggers =
        deletion.delete.iter().filter(|s| s.otype == ObjectType::Trigger).map(|s| s.name.to_lowercase()).collect();
    deletion
}

/// Every object of the target (the factory itself aside), with where it was learnt from.
fn existing(target: &Target) -> Vec<(&Known, Holder)> {
    ALL_TYPES
        .into_iter()
        .filter(|t| *t != ObjectType::Factory)
        .filter_map(|t| target.holder(t).map(|(side, holder)| (t, side, holder)))
        .flat_map(|(t, side, holder)| side.of_type(t).map(move |k| (k, holder)))
        .collect()
}

enum Decision {
    /// It is deployed: nothing to decide.
    Stays,
    /// Missing from the output, but kept.
    Keep(String),
    /// Missing from the output: delete it (unless something still uses it).
    Delete(String),
}

fn decide(compiled: &Compiled<'_>, known: &Known, holder: Holder, settings: &PlanSettings) -> Decision {
    let source = compiled.get(known.otype, &known.name);
    if source.is_some_and(|o| o.deployed) {
        return Decision::Stays;
    }
    if !ORDER.contains(&known.otype) {
        return Decision::Keep(format!("{}s are never deleted", known.otype));
    }
    if known.otype == ObjectType::ManagedPrivateEndpoint && !settings.delete_private_endpoints {
        return Decision::Keep("shared infrastructure: only --delete-private-endpoints deletes it".into());
    }
    match source {
        Some(o) if settings.delete_excluded => {
            Decision::Delete(format!("{}; --delete-excluded", reason_text(&o.reason)))
        }
        Some(o) => Decision::Keep(format!("{}: not managed by this release", reason_text(&o.reason))),
        None => Decision::Delete(
            match holder {
                Holder::State => "in the target, not in the compiled output",
                Holder::Previous => "in the previous output, not in this one",
            }
            .into(),
        ),
    }
}

fn step(known: &Known, reason: String) -> Step {
    Step { parent: known.parent.clone(), ..Step::new(known.otype, &known.name, reason) }
}

/// For each candidate, an object that stays and uses it (directly, or through
/// other candidates that are kept for that reason), if any.
fn still_used(
    compiled: &Compiled<'_>,
    existing: &[(&Known, Holder)],
    candidates: &[Candidate<'_>],
) -> Vec<Option<String>> {
    let key = |otype: ObjectType, name: &str| (otype, name.to_lowercase());
    let index: HashMap<(ObjectType, String), usize> =
        candidates.iter().enumerate().map(|(i, c)| (key(c.known.otype, &c.known.name), i)).collect();
    let candidate_of = |r: &ObjectRef| index.get(&key(r.otype, &r.name)).copied();
    let mut used_by: Vec<Option<String>> = vec![None; candidates.len()];
    let mut queue = Vec::new();
    for (user, references) in staying(compiled, existing, &index) {
        for i in references.iter().filter_map(&candidate_of) {
            mark(i, &user, &mut used_by, &mut queue);
        }
    }
    while let Some(i) = queue.pop() {
        let user = candidates[i].known.id();
        for j in candidates[i].known.references.iter().filter_map(&candidate_of) {
            mark(j, &user, &mut used_by, &mut queue);
        }
    }
    used_by
}

/// Record that candidate `i` is used by `user`, the first time, and queue it
/// (what it uses is then used too).
fn mark(i: usize, user: &str, used_by: &mut [Option<String>], queue: &mut Vec<usize>) {
    if used_by[i].is_none() {
        used_by[i] = Some(user.to_string());
        queue.push(i);
    }
}

/// Objects that stay in the factory after the release, with what they
/// reference: the deployed ones (as compiled) and the target's objects that
/// are not candidates (as the target has them).
fn staying<'a>(
    compiled: &'a Compiled<'_>,
    existing: &'a [(&Known, Holder)],
    candidates: &'a HashMap<(ObjectType, String), usize>,
) -> impl Iterator<Item = (String, &'a [ObjectRef])> {
    let deployed = compiled.build.objects.iter().filter(|o| o.deployed).map(|o| (o.id(), o.references.as_slice()));
    let kept = existing
        .iter()
        .filter(|(k, _)| !candidates.contains_key(&(k.otype, k.name.to_lowercase())))
        .filter(|(k, _)| compiled.get(k.otype, &k.name).is_none_or(|o| !o.deployed))
        .map(|(k, _)| (k.id(), k.references.as_slice()));
    deployed.chain(kept)
}

fn still_used_warning(known: &Known, user: &str) -> Diagnostic {
    Diagnostic::warning(
        Code::PlanStillUsed,
        format!("{} is missing from the output, but {user}, which stays, uses it: it is not deleted", known.id()),
    )
    .object(known.id())
}

/// The candidates in deletion order: users before what they use, then by type and name.
fn ordered(candidates: Vec<Candidate<'_>>, report: &mut Report) -> Vec<Step> {
    let rank = |t: ObjectType| ORDER.iter().position(|o| *o == t).unwrap_or(ORDER.len());
    let keys: Vec<(usize, String)> =
        candidates.iter().map(|c| (rank(c.known.otype), c.known.name.to_lowercase())).collect();
    let index: HashMap<(ObjectType, String), usize> =
        candidates.iter().enumerate().map(|(i, c)| ((c.known.otype, c.known.name.to_lowercase()), i)).collect();
    let edges: Vec<(usize, usize)> = candidates
        .iter()
        .enumerate()
        .flat_map(|(i, c)| {
            c.known.references.iter().filter_map(|r| index.get(&(r.otype, r.name.to_lowercase()))).map(move |&j| (i, j))
        })
        .collect();
    match order(&keys, &edges) {
        Ok(sequence) => sequence.into_iter().map(|i| step(candidates[i].known, candidates[i].reason.clone())).collect(),
        Err(cycle) => {
            let names: Vec<String> = cycle.iter().chain(cycle.first()).map(|&i| candidates[i].known.id()).collect();
            let (first, rest) = names.split_first().map_or(("", &[][..]), |(f, r)| (f.as_str(), r));
            report.push(
                Diagnostic::error(
                    Code::PlanCycle,
                    format!("objects to delete use each other in a cycle: {first} uses {}", rest.join(", which uses ")),
                )
                .note("no order deletes them one by one: break the cycle in the target factory first"),
            );
            Vec::new()
        }
    }
}

/// A plan that deletes more than half of the target is more likely a wrong
/// input (an empty export, the wrong factory) than a release.
fn check_mass_delete(deleted: usize, total: usize, settings: &PlanSettings, report: &mut Report) {
    if settings.allow_mass_delete || deleted * 2 <= total {
        return;
    }
    report.push(
        Diagnostic::error(
            Code::PlanMassDelete,
            format!("the plan would delete {deleted} of the target's {total} objects (more than half): refused"),
        )
        .note("check --template and --target-state / --previous name this factory and stage; --allow-mass-delete deletes anyway"),
    );
}

fn assumptions(target: &Target) -> Vec<String> {
    let listed: Vec<&str> = ALL_TYPES
        .into_iter()
        .filter(|t| *t != ObjectType::Factory && target.holder(*t).is_some_and(|(_, h)| h == Holder::State))
        .map(ObjectType::as_str)
        .collect();
    let mut out = Vec::new();
    if !listed.is_empty() {
        out.push(format!("the target's objects of type {} are those --target-state lists", listed.join(", ")));
    }
    match &target.previous_dir {
        Some(dir) if listed.is_empty() => {
            out.push(format!("the target's objects are those of the previous output ({})", dir.display()))
        }
        Some(dir) => {
            out.push(format!("its objects of other types are those of the previous output ({})", dir.display()))
        }
        None => out.push("objects of types no --target-state file lists are never deleted".into()),
    }
    out
}

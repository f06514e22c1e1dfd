//! Which triggers to stop before deploying and start after (SPEC 4), each
//! list in TumblingWindow dependency order: dependents stop first,
//! dependencies start first.

use std::collections::{HashMap, HashSet};

use super::compiled::Compiled;
use super::definition::{StateValue, TriggerDefinition};
use super::order::order;
use super::target::{Holder, Target};
use super::{PlanSettings, StartMethod, Step, StopMethod};
use crate::compile::BuiltObject;
use crate::diag::{Code, Diagnostic, Report};
use crate::target_state::RuntimeState;
use crate::template::ObjectType;

/// The trigger lists of a plan.
#[derive(Debug, Default)]
pub(crate) struct TriggerLists {
    /// Triggers to stop, in order.
    pub(crate) stop: Vec<Step>,
    /// Triggers to start, in order.
    pub(crate) start: Vec<Step>,
    /// What was assumed about the target.
    pub(crate) assumptions: Vec<String>,
}

/// One trigger of the source, of the target, or both.
struct Trigger<'b> {
    name: String,
    /// In the compiled stage.
    compiled: Option<&'b BuiltObject>,
    /// Its definition in this release.
    new: Option<TriggerDefinition>,
    /// Whether the target has it, when something says.
    in_target: Option<bool>,
    /// What said so.
    holder: Option<Holder>,
    /// Its runtime state in the target (target state), or in the previous output.
    state: Option<RuntimeState>,
    /// It is to be deleted.
    deleted: bool,
}

impl Trigger<'_> {
    fn deployed(&self) -> bool {
        self.compiled.is_some_and(|o| o.deployed)
    }

    /// Started in the target, as the target state says.
    fn known_started(&self) -> bool {
        self.holder == Some(Holder::State) && self.state == Some(RuntimeState::Started)
    }

    /// Started, as far as anything tells (the previous output's state when no target state says).
    fn believed_started(&self) -> bool {
        self.in_target == Some(true) && self.state == Some(RuntimeState::Started)
    }

    /// Started as far as anything tells, or nothing tells.
    fn likely_started(&self) -> bool {
        self.holder.is_none() || self.believed_started()
    }

    /// It could be started: the target state says so, or nothing says it is not.
    fn may_be_started(&self) -> bool {
        match self.holder {
            Some(Holder::State) => self.in_target == Some(true) && self.state.is_none_or(RuntimeState::is_started),
            Some(Holder::Previous) => self.in_target == Some(true),
            None => true,
        }
    }

    /// Only a target state proves a trigger exists; scripts check the others first.
    fn if_exists(&self) -> bool {
        !(self.holder == Some(Holder::State) && self.in_target == Some(true))
    }
}

/// Plan the triggers to stop and to start; `deleted` are the (lower-case) names of triggers to delete.
pub(crate) fn plan(
    compiled: &Compiled<'_>,
    target: &Target,
    settings: &PlanSettings,
    deleted: &HashSet<String>,
    report: &mut Report,
) -> TriggerLists {
    let triggers = gather(compiled, target, deleted);
    let mut stop = Vec::new();
    let mut start = Vec::new();
    for (i, t) in triggers.iter().enumerate() {
        let stopping = stop_reason(t, target, settings);
        let stopped = stopping.is_some();
        stop.extend(stopping.map(|reason| (i, reason)));
        if let Some(reason) = start_reason(t, stopped, settings, compiled, report) {
            start.push((i, reason));
        }
    }
    let Some((stop_order, start_order)) = orders(&triggers, target, compiled, report) else {
        return TriggerLists::default();
    };
    TriggerLists {
        stop: in_order(&triggers, stop, &stop_order, true),
        start: in_order(&triggers, start, &start_order, false),
        assumptions: assumptions(target, settings),
    }
}

/// Every trigger of the compiled stage, then those only the target has.
fn gather<'b>(compiled: &Compiled<'b>, target: &Target, deleted: &HashSet<String>) -> Vec<Trigger<'b>> {
    let holder = target.holder(ObjectType::Trigger);
    let make = |name: &str, object: Option<&'b BuiltObject>| {
        let known = holder.and_then(|(side, _)| side.get(ObjectType::Trigger, name));
        Trigger {
            name: name.to_string(),
            compiled: object,
            new: object.and_then(|o| compiled.trigger(o)),
            in_target: holder.map(|_| known.is_some()),
            holder: holder.map(|(_, h)| h),
            state: known.and_then(|k| k.runtime_state),
            deleted: deleted.contains(&name.to_lowercase()),
        }
    };
    let mut triggers: Vec<Trigger<'b>> =
        compiled.of_type(ObjectType::Trigger).map(|o| make(&o.name, Some(o))).collect();
    if let Some((side, _)) = holder {
        let only_target =
            side.of_type(ObjectType::Trigger).filter(|k| compiled.get(ObjectType::Trigger, &k.name).is_none());
        triggers.extend(only_target.map(|k| make(&k.name, None)).collect::<Vec<_>>());
    }
    triggers
}

fn stop_reason(t: &Trigger<'_>, target: &Target, settings: &PlanSettings) -> Option<String> {
    if !t.may_be_started() {
        return None;
    }
    if t.deleted {
        return Some(format!("to be deleted; {}", started_words(t)));
    }
    if !t.deployed() {
        let all = settings.stop == StopMethod::AllEnabled && !settings.keep_excluded_triggers;
        return all.then(|| format!("{}; not deployed by this release (started again after)", started_words(t)));
    }
    match settings.stop {
        StopMethod::Deployable | StopMethod::AllEnabled => {
            Some(format!("{}; deployed by this release", started_words(t)))
        }
        StopMethod::Changed => changed_reason(t, target, settings),
    }
}

/// How the plan knows the trigger may be running.
fn started_words(t: &Trigger<'_>) -> &'static str {
    match t.holder {
        _ if t.known_started() => "started in the target",
        Some(Holder::Previous) if t.believed_started() => "Started in the previous output (no target state)",
        Some(Holder::Previous) => "in the previous output, may be started (no target state)",
        _ => "may be started (no target state)",
    }
}

/// `--stop changed`: stop a deployed trigger whose definition changed, or
/// that must end stopped while it may be running.
fn changed_reason(t: &Trigger<'_>, target: &Target, settings: &PlanSettings) -> Option<String> {
    let new = t.new.as_ref()?;
    match target.trigger_definition(&t.name) {
        Some((old, _)) if old.body == new.body => {
            let ends_stopped = settings.start == StartMethod::Source && !new.state.is_started();
            (ends_stopped && t.likely_started())
                .then(|| format!("{}; Stopped in the compiled output", started_words(t)))
        }
        Some((_, Holder::Previous)) => Some("definition changed since the previous output".into()),
        Some((_, Holder::State)) => Some("definition differs from the target's".into()),
        None => Some(format!("{}; no definition to compare with (stopped to be safe)", started_words(t))),
    }
}

fn start_reason(
    t: &Trigger<'_>,
    stopped: bool,
    settings: &PlanSettings,
    compiled: &Compiled<'_>,
    report: &mut Report,
) -> Option<String> {
    if t.deleted {
        return None;
    }
    let (wanted, reason) = match (t.compiled, t.new.as_ref()) {
        (Some(object), Some(new)) if object.deployed => match settings.start {
            StartMethod::Source => (source_started(object, new, compiled, report), "Started in the compiled output"),
            StartMethod::Keep => (t.known_started(), "started before the deployment"),
        },
        _ => (stopped && t.known_started(), "started before the deployment; not deployed by this release"),
    };
    let running = !stopped && t.believed_started();
    (wanted && !running).then(|| reason.to_string())
}

/// Whether the compiled output says `Started` (a value adfc cannot read is reported, and not started).
fn source_started(object: &BuiltObject, new: &TriggerDefinition, compiled: &Compiled<'_>, report: &mut Report) -> bool {
    if let StateValue::Unreadable(text) = &new.state {
        report.push(
            Diagnostic::warning(
                Code::PlanUnknownState,
                format!(
                    "trigger {} has runtimeState `{text}`, which has no known value: it is not started",
                    object.name
                ),
            )
            .at(compiled.location(object))
            .object(object.id()),
        );
    }
    new.state.is_started()
}

/// Stop and start orders of all triggers: stopping follows the dependencies
/// the target has (the definitions running now), starting those of this
/// release. `None` after reporting a cycle.
fn orders(
    triggers: &[Trigger<'_>],
    target: &Target,
    compiled: &Compiled<'_>,
    report: &mut Report,
) -> Option<(Vec<usize>, Vec<usize>)> {
    let index: HashMap<String, usize> = triggers.iter().enumerate().map(|(i, t)| (t.name.to_lowercase(), i)).collect();
    let old = |t: &Trigger<'_>| target.trigger_definition(&t.name).map(|(d, _)| d.depends_on.clone());
    let new = |t: &Trigger<'_>| t.new.as_ref().map(|d| d.depends_on.clone());
    let edges = |deps: &dyn Fn(&Trigger<'_>) -> Vec<String>| -> Vec<(usize, usize)> {
        let pairs = triggers.iter().enumerate().flat_map(|(i, t)| deps(t).into_iter().map(move |d| (i, d)));
        pairs.filter_map(|(i, d)| index.get(&d.to_lowercase()).map(|&j| (i, j))).collect()
    };
    let keys: Vec<String> = triggers.iter().map(|t| t.name.to_lowercase()).collect();
    // Edges go from a dependent to what it depends on: stop in that order, start in the reverse one.
    let stop_edges = edges(&|t| old(t).or_else(|| new(t)).unwrap_or_default());
    let start_edges: Vec<(usize, usize)> =
        edges(&|t| new(t).or_else(|| old(t)).unwrap_or_default()).into_iter().map(|(a, b)| (b, a)).collect();
    let start = order(&keys, &start_edges).map_err(|c| report.push(cycle_error(triggers, &c, true, compiled)));
    let stop = order(&keys, &stop_edges).map_err(|c| {
        if start.is_ok() {
            report.push(cycle_error(triggers, &c, false, compiled));
        }
    });
    Some((stop.ok()?, start.ok()?))
}

/// A cycle of `order` as an error; in the start graph (`reversed`) edges run
/// from a dependency to its dependents, so the cycle is read backwards.
fn cycle_error(triggers: &[Trigger<'_>], cycle: &[usize], reversed: bool, compiled: &Compiled<'_>) -> Diagnostic {
    let mut cycle = cycle.to_vec();
    if reversed {
        cycle.reverse();
    }
    let names: Vec<&str> = cycle.iter().chain(cycle.first()).map(|&i| triggers[i].name.as_str()).collect();
    let (first, rest) = names.split_first().map_or(("", &[][..]), |(f, r)| (*f, r));
    let error = Diagnostic::error(
        Code::PlanCycle,
        format!(
            "TumblingWindow triggers depend on each other in a cycle: {first} depends on {}",
            rest.join(", which depends on ")
        ),
    )
    .note("a trigger's typeProperties.dependsOn[].referenceTrigger names a trigger it depends on");
    match cycle.first().and_then(|&i| triggers[i].compiled) {
        Some(object) => error.at(compiled.location(object)).object(object.id()),
        None => error,
    }
}

/// The chosen triggers as steps, in `sequence` order.
fn in_order(triggers: &[Trigger<'_>], chosen: Vec<(usize, String)>, sequence: &[usize], stop: bool) -> Vec<Step> {
    let mut reasons: HashMap<usize, String> = chosen.into_iter().collect();
    sequence
        .iter()
        .filter_map(|i| {
            let reason = reasons.remove(i)?;
            let t = &triggers[*i];
            Some(Step { if_exists: stop && t.if_exists(), ..Step::new(ObjectType::Trigger, &t.name, reason) })
        })
        .collect()
}

fn assumptions(target: &Target, settings: &PlanSettings) -> Vec<String> {
    let mut out = Vec::new();
    match target.holder(ObjectType::Trigger) {
        Some((_, Holder::State)) => {}
        Some((_, Holder::Previous)) => out.push(
            "no target state: triggers the previous output lacks are assumed new; its own may be started \
             (stop scripts check that they exist), and those it says Started still run unless stopped"
                .into(),
        ),
        None => out.push(
            "no target state: every deployed trigger is assumed started (stop scripts stop it only if it exists)"
                .into(),
        ),
    }
    if settings.stop == StopMethod::Changed {
        let with = match (&target.previous_dir, target.has_trigger_properties) {
            (Some(dir), _) => format!("the previous output ({})", dir.display()),
            (None, _) => "the target state's trigger properties".into(),
        };
        out.push(format!("--stop changed compares definitions with {with}, ignoring runtimeState"));
    }
    out
}

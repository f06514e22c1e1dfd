//! The result of `adfc diff`: plain data that every output format renders.

use serde_json::Value;

use crate::diag::Diagnostic;
use crate::source::Sources;
use crate::template::ObjectType;

/// Version of the JSON form (`--format json`); fields are only ever added.
pub const SCHEMA_VERSION: u32 = 1;

/// What was compared with what.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// A source template and its compiled stage.
    SourceToStage,
    /// Two compiled stages of one template.
    Stages,
    /// Two templates or output folders, as they are.
    Templates,
    /// The target factory (saved `az` output) and the compiled stage.
    TargetState,
}

impl Mode {
    /// `sourceToStage`, `stages`, `templates`, `targetState`.
    pub fn as_str(self) -> &'static str {
        match self {
            Mode::SourceToStage => "sourceToStage",
            Mode::Stages => "stages",
            Mode::Templates => "templates",
            Mode::TargetState => "targetState",
        }
    }
}

/// Which side of the comparison.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    /// The left side (`OLD`, the source, the first stage, the target factory).
    Old,
    /// The right side (`NEW`, the stage, the second stage, the release).
    New,
}

/// How an object differs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Status {
    /// Only on the new side.
    Added,
    /// Only on the old side.
    Removed,
    /// On both sides, with different properties.
    Changed,
    /// Left out of the new side by a selection rule.
    Excluded,
    /// In the target factory and not in the release at all.
    NotInRelease,
}

impl Status {
    /// `added`, `removed`, `changed`, `excluded`, `notInRelease`.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Added => "added",
            Status::Removed => "removed",
            Status::Changed => "changed",
            Status::Excluded => "excluded",
            Status::NotInRelease => "notInRelease",
        }
    }

    /// The one-character mark of a summary line (`+`, `-`, `~`, `!`, `?`).
    pub fn mark(self) -> char {
        match self {
            Status::Added => '+',
            Status::Removed => '-',
            Status::Changed => '~',
            Status::Excluded => '!',
            Status::NotInRelease => '?',
        }
    }
}

/// A value as shown: the JSON value, or a mask when it is secret.
#[derive(Debug, Clone, PartialEq)]
pub enum Shown {
    /// The value (secrets nested inside it already masked).
    Value(Value),
    /// `••• (1a2b3c)`: a secret, with a short hash so that a change shows.
    Masked(String),
}

/// What happened to one property.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChangeKind {
    /// A different value.
    Changed,
    /// Only on the new side.
    Added,
    /// Only on the old side.
    Removed,
    /// An element of a named array (activities…) at another position (0-based indexes).
    Moved {
        /// Position on the old side.
        from: usize,
        /// Position on the new side.
        to: usize,
    },
    /// An element of a named array renamed (old and new name in `old` / `new`).
    Renamed,
}

impl ChangeKind {
    /// `changed`, `added`, `removed`, `moved`, `renamed`.
    pub fn as_str(&self) -> &'static str {
        match self {
            ChangeKind::Changed => "changed",
            ChangeKind::Added => "added",
            ChangeKind::Removed => "removed",
            ChangeKind::Moved { .. } => "moved",
            ChangeKind::Renamed => "renamed",
        }
    }
}

/// The config row behind a change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    /// The side whose compile applied the row.
    pub side: Side,
    /// `deployment/config-prod.csv:12`.
    pub row: String,
}

/// One changed property of an object.
#[derive(Debug, Clone, PartialEq)]
pub struct PropertyChange {
    /// The property, in config path syntax: relative to `properties`, or
    /// `$.…` outside it (and for the factory, whose rows use `$.properties…`).
    pub path: String,
    /// What happened.
    pub kind: ChangeKind,
    /// Value on the old side.
    pub old: Option<Shown>,
    /// Value on the new side.
    pub new: Option<Shown>,
    /// The template parameter the new value is read from (`[parameters('P')]`), when it is.
    pub parameter: Option<String>,
    /// The parameter the old value was read from, when the new value is not read from it.
    pub old_parameter: Option<String>,
    /// Config rows that set it.
    pub origins: Vec<Origin>,
}

/// The pretty-printed JSON of an object on each side (secrets masked), for unified diffs.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Texts {
    /// Old side, when the object is there.
    pub old: Option<String>,
    /// New side, when the object is there.
    pub new: Option<String>,
}

/// One object that differs.
#[derive(Debug, Clone, PartialEq)]
pub struct ObjectDiff {
    /// Its type.
    pub otype: ObjectType,
    /// Its name (the new side's, for the factory).
    pub name: String,
    /// How it is shown: `pipeline.PL_Copy`, `factory.adf-dev (global parameters file)`.
    pub label: String,
    /// How it differs.
    pub status: Status,
    /// Why it is excluded (`excluded by -*.*@Sandbox* (prod.rules:6)`), or other context.
    pub reason: Option<String>,
    /// Changed properties (for a changed object).
    pub changes: Vec<PropertyChange>,
    /// Its JSON on each side, when asked for ([`DiffOptions::texts`](super::DiffOptions::texts)).
    pub texts: Option<Texts>,
}

/// How many objects are in each state.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    /// Only on the new side.
    pub added: usize,
    /// Only on the old side.
    pub removed: usize,
    /// Different.
    pub changed: usize,
    /// Excluded by rules.
    pub excluded: usize,
    /// Only in the target factory.
    pub not_in_release: usize,
    /// The same on both sides.
    pub unchanged: usize,
}

impl Counts {
    /// Every object compared.
    pub fn total(&self) -> usize {
        self.added + self.removed + self.changed + self.excluded + self.not_in_release + self.unchanged
    }

    fn add(&mut self, status: Status) {
        match status {
            Status::Added => self.added += 1,
            Status::Removed => self.removed += 1,
            Status::Changed => self.changed += 1,
            Status::Excluded => self.excluded += 1,
            Status::NotInRelease => self.not_in_release += 1,
        }
    }
}

/// Everything `adfc diff` found.
#[derive(Debug)]
pub struct Diff {
    /// What was compared.
    pub mode: Mode,
    /// Name of the old side (`source`, `uat`, a path, `target factory`).
    pub old: String,
    /// Name of the new side.
    pub new: String,
    /// Objects that differ, by type then name.
    pub objects: Vec<ObjectDiff>,
    /// Objects that are the same on both sides.
    pub unchanged: usize,
    /// Template parameter values that differ and that no property above shows
    /// (`factoryName`, values of parameters nothing reads).
    pub parameters: Vec<PropertyChange>,
    /// Target state: object types the files did not list, so not compared.
    pub not_compared: Vec<ObjectType>,
    /// Warnings of the compiles and reads.
    pub warnings: Vec<Diagnostic>,
    /// The input files (the warnings point into them).
    pub sources: Sources,
}

impl Diff {
    /// Counts per state.
    pub fn counts(&self) -> Counts {
        let mut counts = Counts { unchanged: self.unchanged, ..Counts::default() };
        for object in &self.objects {
            counts.add(object.status);
        }
        counts
    }

    /// Counts per state for each object type that has differences, in the type order of `ls`.
    pub fn counts_by_type(&self) -> Vec<(ObjectType, Counts)> {
        crate::template::ALL_TYPES
            .iter()
            .map(|t| {
                let mut counts = Counts::default();
                self.objects.iter().filter(|o| o.otype == *t).for_each(|o| counts.add(o.status));
                (*t, counts)
            })
            .filter(|(_, c)| c.total() > 0)
            .collect()
    }

    /// Is there anything to show (`--exit-code` exits 1 then)?
    pub fn has_differences(&self) -> bool {
        !self.objects.is_empty() || !self.parameters.is_empty()
    }
}

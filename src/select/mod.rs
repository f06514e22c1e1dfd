//! Selective deployment: name patterns, include/exclude rules, deciding
//! which objects are deployed, and removing the others from the template.

mod decide;
pub mod pattern;
mod remove;
pub mod rules;

pub use decide::{Reason, SelectOptions, Selected, Selection, Unchanged, describe, read_rules, rule_location, select};
pub use pattern::NamePattern;
pub use remove::remove_excluded;
pub use rules::Rule;

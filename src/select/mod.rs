//! Selective deployment: name patterns and include/exclude rules.

pub mod pattern;
pub mod rules;

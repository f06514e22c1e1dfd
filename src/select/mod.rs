//! Selective deployment: name patterns and include/exclude rules.

pub mod apply;
pub mod pattern;
pub mod rules;

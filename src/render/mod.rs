//! Renderers: every output format is a function over plain result data.

pub mod diagnostics;
pub mod listing;
pub mod summary;

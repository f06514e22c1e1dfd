//! adfc: an offline compiler for Azure Data Factory ARM templates.

// Diagnostics are large, but they are only built on the error path.
#![allow(clippy::result_large_err)]

pub mod compile;
pub mod config;
pub mod diag;
pub mod json;
pub mod render;
pub mod select;
pub mod source;
pub mod template;

//! adfc: an offline compiler for Azure Data Factory ARM templates.

// Diagnostics are large, but they are only built on the error path.
#![allow(clippy::result_large_err)]
// Output goes through the renderers and the binary, never straight from the library.
#![deny(clippy::print_stdout, clippy::print_stderr)]
#![warn(missing_docs)]

pub mod compile;
pub mod config;
pub mod diag;
pub mod json;
pub mod render;
pub mod select;
pub mod source;
pub mod template;

//! adfc: an offline compiler for Azure Data Factory ARM templates.
//!
//! Each command is one entry point that takes a plain options struct and
//! returns plain data (or a [`Failure`] holding every diagnostic), which the
//! renderers in [`render`] turn into text or JSON:
//!
//! - [`build()`]: compile a template for a stage (config overrides, selective
//!   deployment, pruning) and write it;
//! - [`list()`]: the objects of a factory, with a preview of selection rules;
//! - [`diff()`]: what a stage gets (source → stage, stage ↔ stage, two
//!   templates or output folders, the target factory → release), object by
//!   object, with the config row behind each change.
//!
//! ```no_run
//! use adfc::{BuildOptions, CompileOptions, input::TemplateOptions};
//!
//! let options = BuildOptions {
//!     compile: CompileOptions {
//!         template: TemplateOptions { template: "export/ARMTemplateForFactory.json".into(), parameters: None },
//!         ..CompileOptions::default()
//!     },
//!     out_dir: Some("out/prod".into()),
//!     diff: None,
//! };
//! match adfc::build(&options) {
//!     Ok(build) => println!("{} objects", build.objects.len()),
//!     Err(failure) => eprintln!("{failure}"),
//! }
//! ```
//!
//! The pipeline, in order: [`input`] finds and reads the files, [`template`]
//! is the model (lossless [`json`] underneath), [`config`] reads and applies
//! config rows, [`select`] decides what is deployed, [`check`] holds the
//! checks of a compiled stage, [`diff`] compares two sides, [`output`] writes
//! the files, [`render`] prints.

// Diagnostics are large, but they are only built on the error path.
#![allow(clippy::result_large_err)]
// Output goes through the renderers and the binary, never straight from the library.
#![deny(clippy::print_stdout, clippy::print_stderr)]
#![warn(missing_docs)]

pub mod build;
pub mod check;
pub mod compile;
pub mod config;
pub mod diag;
pub mod diff;
pub mod input;
pub mod json;
pub mod list;
pub mod output;
pub mod render;
pub mod secret;
pub mod select;
pub mod source;
pub mod target_state;
pub mod template;

pub use build::{BuildOptions, build};
pub use compile::{Build, CompileOptions};
pub use diag::{Code, Diagnostic, Failure};
pub use diff::{Diff, DiffOptions, diff};
pub use list::{ListOptions, Listing, list};

//! adfc: an offline compiler for Azure Data Factory ARM templates.
//!
//! Each command is one entry point that takes a plain options struct and
//! returns plain data (or a [`Failure`] holding every diagnostic), which the
//! renderers in [`render`] turn into text or JSON:
//!
//! - [`build()`]: compile a template for a stage (config overrides, selective
//!   deployment, pruning) and write it;
//! - [`list()`]: the objects of a factory, with a preview of selection rules;
//! - [`check()`]: pre-commit / PR validation of every stage's files;
//! - [`export()`]: read a factory's Git folder and write the ARM template ADF
//!   would export from it;
//! - [`plan()`]: which triggers to stop before deploying a stage and start
//!   after, and which objects to delete (`build` can write it too);
//! - [`diff()`]: what a stage gets (source → stage, stage ↔ stage, two
//!   templates or output folders, the target factory → release), object by
//!   object, with the config row behind each change.
//!
//! ```no_run
//! use adfc::{BuildOptions, CompileOptions, input::TemplateOptions};
//!
//! let options = BuildOptions {
//!     compile: CompileOptions {
//!         template: TemplateOptions { template: "export/ARMTemplateForFactory.json".into(), ..TemplateOptions::default() },
//!         ..CompileOptions::default()
//!     },
//!     out_dir: Some("out/prod".into()),
//!     plan: None,
//!     diff: None,
//! };
//! match adfc::build(&options) {
//!     Ok(build) => println!("{} objects", build.objects.len()),
//!     Err(failure) => eprintln!("{failure}"),
//! }
//! ```
//!
//! The pipeline, in order: [`input`] finds and reads the files (or
//! [`export`](mod@export) turns a Git folder into them), [`template`] is the
//! model (lossless [`json`] underneath), [`config`] reads and applies config
//! rows, [`select`] decides what is deployed, [`compile`] runs them for one
//! stage, [`layout`] writes the files in a layout, [`plan`] plans a release,
//! [`diff`](mod@diff) compares, [`output`] writes them to disk, [`render`]
//! prints. [`check`](mod@check) runs them for every stage.

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
pub mod export;
pub mod input;
pub mod json;
pub mod layout;
pub mod list;
pub mod output;
pub mod plan;
pub mod render;
pub mod secret;
pub mod select;
pub mod source;
pub mod target_state;
pub mod template;

pub use build::{BuildOptions, build};
pub use check::{CheckOptions, CheckReport, check};
pub use compile::{Build, CompileOptions};
pub use diag::{Code, Diagnostic, Failure};
pub use diff::{Diff, DiffOptions, diff};
pub use export::{Export, ExportOptions, export};
pub use list::{ListOptions, Listing, list};
pub use plan::{Plan, PlanOptions, PlanSettings, plan};

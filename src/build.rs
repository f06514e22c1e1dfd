//! `adfc build`: compile a stage and write its files, all or nothing.

use std::path::PathBuf;

use crate::compile::{Build, CompileOptions, compile_inputs};
use crate::diag::{Errors, Failure};
use crate::output;
use crate::source::Sources;

/// `adfc build`: compile, then write into `out_dir`.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    /// What to compile.
    pub compile: CompileOptions,
    /// Folder to write the stage's files into (`None`: compile only).
    pub out_dir: Option<PathBuf>,
}

/// Compile a stage and, with an output folder, write it.
pub fn build(options: &BuildOptions) -> Result<Build, Failure> {
    let mut sources = Sources::new();
    match run(options, &mut sources) {
        Ok(build) => Ok(Build { sources, ..build }),
        Err(errors) => Err(Failure::new(errors, sources)),
    }
}

fn run(options: &BuildOptions, sources: &mut Sources) -> Result<Build, Errors> {
    let mut build = compile_inputs(&options.compile, sources)?;
    if let Some(out_dir) = &options.out_dir {
        output::write_all(out_dir, &build.files, sources)?;
        build.out_dir = Some(out_dir.clone());
    }
    Ok(build)
}

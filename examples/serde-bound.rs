//! The serde_json bound for `scripts/bench-report`: read every file, parse each
//! to a `serde_json::Value` (this crate enables `preserve_order`), pretty-print
//! each to a string and write them to /dev/null, holding all of them in memory
//! at once as adfc must. This is roughly the least work any tool that reads and
//! rewrites a JSON template must do, as one process.
//!
//! ```sh
//! cargo run --release --example serde-bound -- FILE_OR_DIR...
//! ```
//!
//! A folder stands for every `*.json` file directly in it (a linked export).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

fn files(arg: &Path) -> std::io::Result<Vec<PathBuf>> {
    if !arg.is_dir() {
        return Ok(vec![arg.to_path_buf()]);
    }
    let mut found: Vec<PathBuf> = std::fs::read_dir(arg)?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    found.sort();
    Ok(found)
}

fn run(args: &[String]) -> Result<usize, String> {
    let mut paths = Vec::new();
    for arg in args {
        paths.extend(files(Path::new(arg)).map_err(|e| format!("{arg}: {e}"))?);
    }
    // Like adfc, hold every input, every parsed file and every output at once
    // (a linked factory is only consistent as a whole), then write.
    let mut texts = Vec::with_capacity(paths.len());
    for path in &paths {
        texts.push(std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?);
    }
    let mut values = Vec::with_capacity(paths.len());
    for (path, text) in paths.iter().zip(&texts) {
        let value: serde_json::Value = serde_json::from_str(text).map_err(|e| format!("{}: {e}", path.display()))?;
        values.push(value);
    }
    let outputs: Vec<String> =
        values.iter().map(|v| serde_json::to_string_pretty(v).expect("a Value always serializes")).collect();
    let mut sink = std::fs::OpenOptions::new().write(true).open("/dev/null").map_err(|e| format!("/dev/null: {e}"))?;
    for out in &outputs {
        sink.write_all(out.as_bytes()).map_err(|e| format!("/dev/null: {e}"))?;
    }
    Ok(texts.iter().map(String::len).sum())
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.is_empty() {
        eprintln!("usage: serde-bound FILE_OR_DIR...");
        return ExitCode::from(2);
    }
    match run(&args) {
        Ok(_) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("serde-bound: {message}");
            ExitCode::from(1)
        }
    }
}

//! The short human summary `adfc build` prints to stderr.

use std::path::Path;

use crate::compile::Compiled;

/// Summary lines of a build.
pub fn build(compiled: &Compiled, out_dir: &Path) -> String {
    let s = &compiled.summary;
    let warnings = compiled.diagnostics.iter().filter(|d| !d.is_error()).count();
    let mut out = if s.rows == 0 {
        format!("adfc: {} objects, no config rows", s.objects)
    } else {
        format!(
            "adfc: {} objects, {} changed by {} of {} config rows",
            s.objects, s.objects_changed, s.rows_applied, s.rows
        )
    };
    if s.parameters_set > 0 {
        out.push_str(&format!("; {} value(s) written to the parameters file", s.parameters_set));
    }
    out.push('\n');
    let selection = &compiled.selection;
    if selection.objects.iter().any(|o| !o.deployed) || !selection.added.is_empty() {
        let counts: Vec<String> = selection
            .counts
            .iter()
            .map(|(t, (deployed, skipped))| format!("{t} {deployed}/{}", deployed + skipped))
            .collect();
        let deployed: usize = selection.counts.values().map(|c| c.0).sum();
        out.push_str(&format!("  deployed {deployed} of {} objects: {}\n", selection.objects.len(), counts.join(", ")));
    }
    if !selection.added.is_empty() {
        out.push_str(&format!("  added as dependencies: {}\n", selection.added.join(", ")));
    }
    if !s.pruned.parameters.is_empty() {
        out.push_str(&format!("  removed unused parameters: {}\n", s.pruned.parameters.join(", ")));
    }
    if !s.pruned.variables.is_empty() {
        out.push_str(&format!("  removed unused variables: {}\n", s.pruned.variables.join(", ")));
    }
    let names: Vec<String> = compiled.files.iter().map(|f| f.name.display().to_string()).collect();
    out.push_str(&format!("  wrote {} to {}\n", names.join(", "), out_dir.display()));
    if warnings > 0 {
        out.push_str(&format!("  {warnings} warning(s)\n"));
    }
    out
}

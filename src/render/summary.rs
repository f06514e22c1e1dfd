//! The short human summary `adfc build` prints to stderr.

use crate::build::Build;
use crate::export::Export;

/// Summary lines of a build.
pub fn build(compiled: &Build) -> String {
    let s = &compiled.summary;
    let warnings = compiled.warnings.len();
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
    if compiled.objects.iter().any(|o| !o.deployed) || !compiled.added_dependencies.is_empty() {
        let counts: Vec<String> = compiled
            .counts
            .iter()
            .map(|(t, (deployed, skipped))| format!("{t} {deployed}/{}", deployed + skipped))
            .collect();
        let deployed: usize = compiled.counts.values().map(|c| c.0).sum();
        out.push_str(&format!("  deployed {deployed} of {} objects: {}\n", compiled.objects.len(), counts.join(", ")));
    }
    if !compiled.added_dependencies.is_empty() {
        out.push_str(&format!("  added as dependencies: {}\n", compiled.added_dependencies.join(", ")));
    }
    if !compiled.pruned.parameters.is_empty() {
        out.push_str(&format!("  removed unused parameters: {}\n", compiled.pruned.parameters.join(", ")));
    }
    if !compiled.pruned.variables.is_empty() {
        out.push_str(&format!("  removed unused variables: {}\n", compiled.pruned.variables.join(", ")));
    }
    if let Some(out_dir) = &compiled.out_dir {
        let names: Vec<String> = compiled.files.iter().map(|f| f.name.display().to_string()).collect();
        out.push_str(&format!("  wrote {} to {}\n", names.join(", "), out_dir.display()));
    }
    if warnings > 0 {
        out.push_str(&format!("  {warnings} warning(s)\n"));
    }
    out
}

/// Summary lines of an export.
pub fn export(export: &Export) -> String {
    let objects: usize = export.counts.values().sum();
    let counts: Vec<String> = export.counts.iter().map(|(t, n)| format!("{t} {n}")).collect();
    let layout = if export.linked { "linked templates" } else { "a single template" };
    let mut out = format!(
        "adfc: exported factory {} as {layout}: {objects} objects ({}), {} parameter(s)\n",
        export.factory,
        counts.join(", "),
        export.parameters
    );
    if let Some(out_dir) = &export.out_dir {
        let names: Vec<String> = export.files.iter().map(|f| f.name.display().to_string()).collect();
        out.push_str(&format!("  wrote {} to {}\n", names.join(", "), out_dir.display()));
    }
    if !export.warnings.is_empty() {
        out.push_str(&format!("  {} warning(s)\n", export.warnings.len()));
    }
    out
}

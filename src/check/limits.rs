//! ARM's limits on one template file: a template over them fails to deploy.

use crate::diag::{Code, Diagnostic, Location, Report};
use crate::layout::Written;
use crate::source::FileId;

/// ARM's limit on the size of one template file.
pub const MAX_TEMPLATE_BYTES: usize = 4 * 1024 * 1024;
/// ARM's limit on parameters of one template.
pub const MAX_PARAMETERS: usize = 256;
/// ARM's limit on resources of one template.
pub const MAX_RESOURCES: usize = 800;
/// ARM's limit on outputs of one template.
pub const MAX_OUTPUTS: usize = 64;

/// Warn about the template files of `written` over ARM's limits (each part
/// of a linked layout on its own); `at`: the input template, for the location.
pub fn check_written(written: &Written, at: FileId, report: &mut Report) {
    for stats in &written.templates {
        let Some(file) = written.files.get(stats.file) else { continue };
        let name = file.name.display();
        let warn = |code: Code, message: String| {
            Diagnostic::warning(code, message).at(Location::file(at)).note("ARM rejects such a template")
        };
        let bytes = file.text.len();
        if bytes > MAX_TEMPLATE_BYTES {
            report.push(warn(
                Code::TemplateLimitSize,
                format!("{name} is {bytes} bytes, over ARM's limit of {MAX_TEMPLATE_BYTES} (4 MiB)"),
            ));
        }
        if stats.parameters > MAX_PARAMETERS {
            report.push(warn(
                Code::TemplateLimitParameters,
                format!("{name} declares {} parameters, over ARM's limit of {MAX_PARAMETERS}", stats.parameters),
            ));
        }
        if stats.outputs > MAX_OUTPUTS {
            report.push(warn(
                Code::TemplateLimitOutputs,
                format!("{name} declares {} outputs, over ARM's limit of {MAX_OUTPUTS}", stats.outputs),
            ));
        }
        if stats.resources > MAX_RESOURCES {
            report.push(warn(
                Code::TemplateLimitResources,
                format!("{name} has {} resources, over ARM's limit of {MAX_RESOURCES}", stats.resources),
            ));
        }
    }
}

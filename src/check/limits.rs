//! ARM's limits on one template file: a template over them fails to deploy.

use crate::diag::{Code, Diagnostic, Location, Report};
use crate::output::OutputFile;
use crate::template::Factory;

/// ARM's limit on the size of one template file.
pub const MAX_TEMPLATE_BYTES: usize = 4 * 1024 * 1024;
/// ARM's limit on parameters of one template.
pub const MAX_PARAMETERS: usize = 256;
/// ARM's limit on resources of one template.
pub const MAX_RESOURCES: usize = 800;
/// ARM's limit on outputs of one template.
pub const MAX_OUTPUTS: usize = 64;

/// Warn about output template files over ARM's limits (`files` holds the
/// written templates first, in the factory's template order).
pub fn check_limits(factory: &Factory<'_>, files: &[OutputFile], report: &mut Report) {
    let mut deployed = vec![0usize; factory.templates().count()];
    for (_, r) in factory.resources().filter(|(_, r)| r.is_deployed()) {
        deployed[r.template().index()] += 1;
    }
    for (i, (_, template)) in factory.templates().enumerate() {
        let name = template.name().display().to_string();
        let warn = |code: Code, message: String| {
            Diagnostic::warning(code, message).at(Location::file(template.file())).note("ARM rejects such a template")
        };
        let bytes = files.get(i).map_or(0, |f| f.text.len());
        if bytes > MAX_TEMPLATE_BYTES {
            report.push(warn(
                Code::TemplateLimitSize,
                format!("{name} is {bytes} bytes, over ARM's limit of {MAX_TEMPLATE_BYTES} (4 MiB)"),
            ));
        }
        let parameters = template.parameter_count();
        if parameters > MAX_PARAMETERS {
            report.push(warn(
                Code::TemplateLimitParameters,
                format!("{name} declares {parameters} parameters, over ARM's limit of {MAX_PARAMETERS}"),
            ));
        }
        let outputs = template.doc().root.get("outputs").map_or(0, |o| o.keys().len());
        if outputs > MAX_OUTPUTS {
            report.push(warn(
                Code::TemplateLimitOutputs,
                format!("{name} declares {outputs} outputs, over ARM's limit of {MAX_OUTPUTS}"),
            ));
        }
        let resources = deployed[i];
        if resources > MAX_RESOURCES {
            report.push(warn(
                Code::TemplateLimitResources,
                format!("{name} has {resources} resources, over ARM's limit of {MAX_RESOURCES}"),
            ));
        }
    }
}

//! ARM's limits on one template file: a template over them fails to deploy.

use crate::diag::{Code, Diagnostic, Location, Report};
use crate::layout::Written;
use crate::output::OutputFile;
use crate::source::FileId;
use crate::template::Factory;

/// ARM's limit on the size of one template file.
pub const MAX_TEMPLATE_BYTES: usize = 4 * 1024 * 1024;
/// ARM's limit on parameters of one template.
pub const MAX_PARAMETERS: usize = 256;
/// ARM's limit on resources of one template.
pub const MAX_RESOURCES: usize = 800;

/// Warn about output template files over ARM's limits (`files` holds the
/// written templates first, in the factory's template order).
pub fn check_limits(factory: &Factory<'_>, files: &[OutputFile], report: &mut Report) {
    let mut deployed = vec![0usize; factory.templates().count()];
    for (_, r) in factory.resources().filter(|(_, r)| r.is_deployed()) {
        deployed[r.template().index()] += 1;
    }
    for (i, (_, template)) in factory.templates().enumerate() {
        let name = template.name().display().to_string();
        let bytes = files.get(i).map_or(0, |f| f.text.len());
        let counts = Counts { bytes, parameters: template.parameter_count(), resources: deployed[i] };
        check_file(&name, counts, template.file(), report);
    }
}

/// Warn about the template files of `written` over ARM's limits (`at`: the input template, for the location).
pub fn check_written(written: &Written, at: FileId, report: &mut Report) {
    for stats in &written.templates {
        let Some(file) = written.files.get(stats.file) else { continue };
        let counts = Counts { bytes: file.text.len(), parameters: stats.parameters, resources: stats.resources };
        check_file(&file.name.display().to_string(), counts, at, report);
    }
}

/// What one template file holds.
struct Counts {
    bytes: usize,
    parameters: usize,
    resources: usize,
}

fn check_file(name: &str, counts: Counts, at: FileId, report: &mut Report) {
    let warn = |code: Code, message: String| {
        Diagnostic::warning(code, message).at(Location::file(at)).note("ARM rejects such a template")
    };
    let Counts { bytes, parameters, resources } = counts;
    if bytes > MAX_TEMPLATE_BYTES {
        report.push(warn(
            Code::TemplateLimitSize,
            format!("{name} is {bytes} bytes, over ARM's limit of {MAX_TEMPLATE_BYTES} (4 MiB)"),
        ));
    }
    if parameters > MAX_PARAMETERS {
        report.push(warn(
            Code::TemplateLimitParameters,
            format!("{name} declares {parameters} parameters, over ARM's limit of {MAX_PARAMETERS}"),
        ));
    }
    if resources > MAX_RESOURCES {
        report.push(warn(
            Code::TemplateLimitResources,
            format!("{name} has {resources} resources, over ARM's limit of {MAX_RESOURCES}"),
        ));
    }
}

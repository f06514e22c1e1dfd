//! The input's own layout: every template file as it was read, with the
//! edits, untouched resources copied verbatim.

use super::Written;
use crate::json::Node;
use crate::output::{OutputFile, Role};
use crate::template::{Factory, ResourceId, TemplateId};

/// The files of `factory` in the layout it was read in.
pub fn write(factory: &Factory<'_>) -> Written {
    let mut per_template: Vec<Vec<(Option<ResourceId>, Node<'_>)>> = vec![Vec::new(); factory.templates().count()];
    for (id, r) in factory.resources().filter(|(_, r)| r.is_deployed()) {
        per_template[r.template().index()].push((Some(id), r.node().clone()));
    }
    let mut written = Written::new(factory.resources().count(), factory.is_linked());
    for ((id, template), resources) in factory.templates().zip(per_template) {
        let role = match (factory.is_linked(), id) {
            (false, _) => Role::Template,
            (true, TemplateId::MAIN) => Role::Master,
            (true, _) => Role::Part,
        };
        let parameters = template.parameter_count();
        written.push_template(template.name().to_path_buf(), template.doc(), &resources, parameters, role);
    }
    push_side_files(factory, &mut written.files);
    written
}

/// The parameters file and the global parameters side file, as edited.
pub fn push_side_files(factory: &Factory<'_>, files: &mut Vec<OutputFile>) {
    if let Some(doc) = factory.parameters_file() {
        files.push(OutputFile {
            name: factory.parameters_name().to_path_buf(),
            role: Role::Parameters,
            text: doc.write(),
        });
    }
    push_global_parameters(factory, files);
}

/// The global parameters side file, when the factory has one.
pub fn push_global_parameters(factory: &Factory<'_>, files: &mut Vec<OutputFile>) {
    if let Some(doc) = factory.global_parameters_file() {
        let name = factory.global_parameters_name().to_path_buf();
        files.push(OutputFile { name, role: Role::GlobalParameters, text: doc.write() });
    }
}

//! The input's own layout: every template file as it was read, with the
//! edits, untouched resources copied verbatim.

use std::ops::Range;

use super::{Placed, TemplateStats, Written};
use crate::json::Node;
use crate::output::OutputFile;
use crate::template::Factory;

/// The files of `factory` in the layout it was read in.
pub fn write(factory: &Factory<'_>) -> Written {
    let templates = factory.templates().count();
    let mut per_template: Vec<Vec<(usize, &Node<'_>)>> = vec![Vec::new(); templates];
    for (id, r) in factory.resources().filter(|(_, r)| r.is_deployed()) {
        per_template[r.template().index()].push((id.index(), r.node()));
    }
    let mut written =
        Written { placed: vec![None; factory.resources().count()], linked: factory.is_linked(), ..Written::default() };
    for ((_, template), resources) in factory.templates().zip(per_template) {
        let nodes: Vec<&Node<'_>> = resources.iter().map(|(_, n)| *n).collect();
        let mut spans: Vec<Range<usize>> = Vec::with_capacity(nodes.len());
        let text = template.doc().write_template(&nodes, &mut spans);
        let file = written.files.len();
        for ((index, _), span) in resources.iter().zip(spans) {
            written.placed[*index] = Some(Placed { file, span });
        }
        let stats = TemplateStats { file, parameters: template.parameter_count(), resources: nodes.len() };
        written.templates.push(stats);
        written.files.push(OutputFile { name: template.name().to_path_buf(), text });
    }
    push_side_files(factory, &mut written.files);
    written
}

/// The parameters file and the global parameters side file, as edited.
pub fn push_side_files(factory: &Factory<'_>, files: &mut Vec<OutputFile>) {
    if let Some(doc) = factory.parameters_file() {
        files.push(OutputFile { name: factory.parameters_name().to_path_buf(), text: doc.write() });
    }
    push_global_parameters(factory, files);
}

/// The global parameters side file, when the factory has one.
pub fn push_global_parameters(factory: &Factory<'_>, files: &mut Vec<OutputFile>) {
    if let Some(doc) = factory.global_parameters_file() {
        files.push(OutputFile { name: factory.global_parameters_name().to_path_buf(), text: doc.write() });
    }
}

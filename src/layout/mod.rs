//! Writing a compiled factory's files in a layout: the input's own (every
//! template file as it was read, with its edits), a single template
//! (`ARMTemplateForFactory.json`), or ADF's linked templates
//! (`linkedTemplates/ArmTemplate_master.json` deploying parts of at most 20
//! resources). Converting is a writer's job: it works on the kept resources
//! and parameters of the loaded factory, never by re-reading text.

mod input;
mod linked;
pub mod order;
mod single;

use std::ops::Range;
use std::path::PathBuf;

use crate::check::MAX_TEMPLATE_BYTES;
use crate::json::Node;
use crate::output::{OutputFile, Role};
use crate::template::doc::Doc;
use crate::template::{Factory, ResourceId};

/// Which layout to write.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum LayoutChoice {
    /// The input's own layout.
    #[default]
    Input,
    /// One template file.
    Single,
    /// ADF's linked templates.
    Linked,
    /// Single, unless the template would exceed ARM's 4 MiB limit: then linked.
    Auto,
}

/// Where a resource was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Placed {
    /// Index of the file in [`Written::files`].
    pub file: usize,
    /// Byte range of the resource.
    pub span: Range<usize>,
}

/// What one written template file holds (for ARM's limits).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TemplateStats {
    /// Index of the file in [`Written::files`].
    pub file: usize,
    /// Parameters it declares.
    pub parameters: usize,
    /// Resources it holds.
    pub resources: usize,
    /// Outputs it declares.
    pub outputs: usize,
}

/// The output files of a factory.
#[derive(Debug, Clone, Default)]
pub struct Written {
    /// Template files first, then the parameters file and the global parameters side file.
    pub files: Vec<OutputFile>,
    /// Per resource of the factory (by [`ResourceId`](crate::template::ResourceId) index): where it was written.
    pub placed: Vec<Option<Placed>>,
    /// The template files.
    pub templates: Vec<TemplateStats>,
    /// Whether the output is the linked layout.
    pub linked: bool,
}

impl Written {
    /// Nothing written yet, for a factory of `resources` resources.
    fn new(resources: usize, linked: bool) -> Written {
        Written { placed: vec![None; resources], linked, ..Written::default() }
    }

    /// Write template file `name` from `doc` and `resources` (those of the
    /// factory with their id, new ones without), recording where each went.
    fn push_template(
        &mut self,
        name: PathBuf,
        doc: &Doc<'_>,
        resources: &[(Option<ResourceId>, Node<'_>)],
        parameters: usize,
        role: Role,
    ) {
        let nodes: Vec<&Node<'_>> = resources.iter().map(|(_, n)| n).collect();
        let mut spans = Vec::with_capacity(nodes.len());
        let text = doc.write_template(&nodes, &mut spans);
        let file = self.files.len();
        for ((id, _), span) in resources.iter().zip(spans) {
            if let Some(slot) = id.and_then(|id| self.placed.get_mut(id.index())) {
                *slot = Some(Placed { file, span });
            }
        }
        let outputs = doc.root.get("outputs").map_or(0, |o| o.keys().len());
        self.templates.push(TemplateStats { file, parameters, resources: nodes.len(), outputs });
        self.files.push(OutputFile { name, role, text });
    }
}

/// Write `factory`'s kept resources in the chosen layout.
pub fn write(factory: &Factory<'_>, choice: LayoutChoice) -> Written {
    match (choice, factory.is_linked()) {
        (LayoutChoice::Input, _) | (LayoutChoice::Single, false) | (LayoutChoice::Linked, true) => {
            input::write(factory)
        }
        (LayoutChoice::Single, true) => single::write(factory),
        (LayoutChoice::Linked, false) => linked::write(factory),
        (LayoutChoice::Auto, linked_input) => {
            let single = if linked_input { single::write(factory) } else { input::write(factory) };
            let too_big = single.files.first().is_some_and(|f| f.text.len() > MAX_TEMPLATE_BYTES);
            match (too_big, linked_input) {
                (false, _) => single,
                (true, true) => input::write(factory),
                (true, false) => linked::write(factory),
            }
        }
    }
}

//! Finding and reading the inputs: the template (single file or linked
//! layout), its parameters file, the global parameters side file, and the
//! config and rules files named on the command line.

mod layout;
mod linked;

use std::path::{Path, PathBuf};

pub use layout::{Layout, MASTER, MASTER_PARAMETERS, TEMPLATE_NAMES};
pub use linked::{PartLink, part_links};

use crate::diag::{Code, Diagnostic, Errors, Location, Report};
use crate::export::FactoryName;
use crate::source::{FileId, Sources};
use crate::template::{LinkedPart, NamedFile, TemplateFiles};

/// Where the factory comes from.
#[derive(Debug, Clone, Default)]
pub struct TemplateOptions {
    /// `--template`: the template file, or a folder holding one.
    pub template: PathBuf,
    /// `--parameters`: the parameters file (default: the one beside the template).
    pub parameters: Option<PathBuf>,
    /// `--factory-dir`: the factory's Git folder, exported in memory (instead of `template`).
    pub factory_dir: Option<PathBuf>,
    /// With `factory_dir`: the factory's name (default: the single file of `factory/`).
    pub factory_name: Option<String>,
}

/// The template files, read.
#[derive(Debug, Clone)]
pub struct TemplateInput {
    /// The files, for [`Factory::load`](crate::template::Factory::load).
    pub files: TemplateFiles,
    /// Path of the template (or master) file, for finding `deployment/`.
    pub path: PathBuf,
    /// Warnings from reading (exporting a factory folder).
    pub warnings: Vec<Diagnostic>,
}

/// Find and read the template, its parameters, linked parts and global parameters side file
/// (or export the factory folder, when one is given).
pub fn read_template(options: &TemplateOptions, sources: &mut Sources) -> Result<TemplateInput, Errors> {
    if let Some(dir) = &options.factory_dir {
        return read_factory_dir(dir, options, sources);
    }
    let Some(layout) = Layout::find(&options.template) else {
        return Err(no_template(&options.template, sources).into());
    };
    let template = sources.read(&layout.template)?;
    let parameters_path = options.parameters.clone().or_else(|| layout.parameters.clone());
    let parameters = parameters_path.as_deref().map(|p| sources.read(p)).transpose()?;
    let parts = match layout.linked {
        true => read_parts(sources, template, &layout)?,
        false => Vec::new(),
    };
    let global_parameters = read_global_parameters_file(sources, &layout.template, !parts.is_empty())?;
    let files = TemplateFiles {
        template: NamedFile { file: template, name: layout.template_name() },
        parameters,
        parameters_name: layout.parameters_name(options.parameters.as_deref()),
        global_parameters,
        parts,
    };
    Ok(TemplateInput { files, path: layout.template, warnings: Vec::new() })
}

/// Export the factory folder `dir` in memory; `deployment/` is then looked for from `dir`.
fn read_factory_dir(dir: &Path, options: &TemplateOptions, sources: &mut Sources) -> Result<TemplateInput, Errors> {
    let name = options.factory_name.as_deref().map_or(FactoryName::Unknown, FactoryName::Choose);
    let exported = crate::export::export_folder(dir, name, sources)?;
    let warnings = exported.warnings.clone();
    let files = exported.register(dir, sources);
    Ok(TemplateInput { files, path: dir.join(TEMPLATE_NAMES[0]), warnings })
}

fn no_template(path: &Path, sources: &mut Sources) -> Diagnostic {
    Diagnostic::error(
        Code::InputNoTemplate,
        format!(
            "`{}` holds no ARMTemplateForFactory.json, arm_template.json or linkedTemplates/ArmTemplate_master.json",
            path.display()
        ),
    )
    .at(Location::file(sources.name(path)))
}

/// Read every file of `paths`, reporting every one that cannot be read.
pub fn read_all(paths: &[PathBuf], sources: &mut Sources) -> Result<Vec<FileId>, Errors> {
    let mut report = Report::default();
    let ids: Vec<FileId> = paths.iter().filter_map(|p| sources.read(p).map_err(|d| report.push(d)).ok()).collect();
    report.check()?;
    Ok(ids)
}

/// Read the parts the master deploys, in the master's order (a stale part the
/// master does not reference is ignored).
fn read_parts(sources: &mut Sources, master: FileId, layout: &Layout) -> Result<Vec<LinkedPart>, Diagnostic> {
    let links = part_links(sources.get(master).text());
    let mut parts = Vec::new();
    for link in links {
        let path = layout.template.with_file_name(&link.file);
        let file = sources.read(&path).map_err(|d| {
            Diagnostic::error(Code::InputRead, format!("the master deploys `{}`, which cannot be read", path.display()))
                .at(Location::span(master, link.uri.clone()))
                .label("deployed here")
                .note(d.message)
        })?;
        let template = NamedFile { file, name: layout.prefix.join(&link.file) };
        parts.push(LinkedPart { template, master_resource: link.master_resource });
    }
    Ok(parts)
}

/// `globalParameters/<factory>_GlobalParameters.json` beside the template
/// (or beside the `linkedTemplates` folder of a linked export).
fn read_global_parameters_file(
    sources: &mut Sources,
    template: &Path,
    linked: bool,
) -> Result<Option<NamedFile>, Diagnostic> {
    let Some(dir) = template.parent() else { return Ok(None) };
    let mut candidates = vec![dir.join("globalParameters")];
    if linked {
        candidates.extend(dir.parent().map(|p| p.join("globalParameters")));
    }
    let Some(entries) = candidates.iter().find_map(|d| std::fs::read_dir(d).ok()) else { return Ok(None) };
    let mut found: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.to_string_lossy().ends_with("_GlobalParameters.json"))
        .collect();
    found.sort();
    let Some(path) = found.into_iter().next() else { return Ok(None) };
    let file = sources.read(&path)?;
    let name = PathBuf::from("globalParameters").join(layout::file_name(&path, "GlobalParameters.json"));
    Ok(Some(NamedFile { file, name }))
}

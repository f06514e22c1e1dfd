//! Which files make up a template, from what `--template` names: a template
//! file, a linked master, or a folder holding either.

use std::path::{Path, PathBuf};

/// Names of a single-file export's template (current and older exporters).
pub const TEMPLATE_NAMES: [&str; 2] = ["ARMTemplateForFactory.json", "arm_template.json"];
/// Template name → parameters file name, per exporter generation.
const PARAMETER_NAMES: [(&str, &str); 2] = [
    ("ARMTemplateForFactory.json", "ARMTemplateParametersForFactory.json"),
    ("arm_template.json", "arm_template_parameters.json"),
];
/// The linked layout's master template.
pub const MASTER: &str = "ArmTemplate_master.json";
/// The linked layout's parameters file.
pub const MASTER_PARAMETERS: &str = "ArmTemplateParameters_master.json";

/// The files of a template, and how outputs are named.
#[derive(Debug, Clone)]
pub struct Layout {
    /// The template (or master) file.
    pub template: PathBuf,
    /// The parameters file found beside it, if any.
    pub parameters: Option<PathBuf>,
    /// Whether the template is a linked master.
    pub linked: bool,
    /// Folder prefix of output names: `linkedTemplates` for a linked layout,
    /// whichever form `--template` took, so outputs land where ADF puts them.
    pub prefix: PathBuf,
}

impl Layout {
    /// Work out the layout from `--template`; `None` when a folder holds no template.
    pub fn find(path: &Path) -> Option<Layout> {
        if !path.is_dir() {
            if is_master(path) {
                return Some(linked(path.to_path_buf()));
            }
            let parameters = sibling_parameters(path);
            return Some(Layout { template: path.to_path_buf(), parameters, linked: false, prefix: PathBuf::new() });
        }
        if let Some(single) = TEMPLATE_NAMES.iter().map(|n| path.join(n)).find(|p| p.is_file()) {
            let parameters = sibling_parameters(&single);
            return Some(Layout { template: single, parameters, linked: false, prefix: PathBuf::new() });
        }
        if path.join(MASTER).is_file() {
            return Some(linked(path.join(MASTER)));
        }
        let nested = path.join("linkedTemplates").join(MASTER);
        nested.is_file().then(|| linked(nested))
    }

    /// The output name of the template file.
    pub fn template_name(&self) -> PathBuf {
        self.prefix.join(file_name(&self.template, TEMPLATE_NAMES[0]))
    }

    /// The output name of the parameters file (`given` overrides the one found).
    pub fn parameters_name(&self, given: Option<&Path>) -> PathBuf {
        let default = if self.linked { MASTER_PARAMETERS } else { PARAMETER_NAMES[0].1 };
        let path = given.or(self.parameters.as_deref()).unwrap_or(Path::new(""));
        self.prefix.join(file_name(path, default))
    }
}

fn is_master(path: &Path) -> bool {
    path.file_name().is_some_and(|n| n.to_string_lossy().eq_ignore_ascii_case(MASTER))
}

fn linked(master: PathBuf) -> Layout {
    let parameters = master.with_file_name(MASTER_PARAMETERS);
    let prefix = PathBuf::from("linkedTemplates");
    Layout { parameters: parameters.is_file().then_some(parameters), template: master, linked: true, prefix }
}

/// The file name of `path`, or `default` when it has none.
pub fn file_name(path: &Path, default: &str) -> PathBuf {
    path.file_name().map_or_else(|| PathBuf::from(default), PathBuf::from)
}

fn sibling_parameters(template: &Path) -> Option<PathBuf> {
    let name = template.file_name()?.to_str()?;
    let dir = template.parent()?;
    let candidate = PARAMETER_NAMES
        .iter()
        .find(|(t, _)| t.eq_ignore_ascii_case(name))
        .map(|(_, p)| dir.join(p))
        .unwrap_or_else(|| dir.join(PARAMETER_NAMES[0].1));
    candidate.is_file().then_some(candidate)
}

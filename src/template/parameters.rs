//! Parameters adfc declares: a secret that a config row sets goes to the
//! parameters file through a new `secureString` (or `secureObject`)
//! parameter, declared where the resource lives and, in a linked layout,
//! passed down from the master.

use super::factory::Factory;
use super::id::{ResourceId, TemplateId};
use crate::json::Node;
use crate::json::text::encode_str;

/// What a new parameter holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SecureKind {
    /// `secureString`
    String,
    /// `secureObject`
    Object,
}

impl SecureKind {
    fn type_name(self) -> &'static str {
        match self {
            SecureKind::String => "secureString",
            SecureKind::Object => "secureObject",
        }
    }
}

impl<'a> Factory<'a> {
    /// Declare a new secure parameter for a property of `resource`, named
    /// `base` (or `base_2`, `base_3`… when taken), and return its name. The
    /// caller makes the property `[parameters('name')]` and sets the value.
    pub fn add_secure_parameter(&mut self, resource: ResourceId, base: &str, kind: SecureKind) -> String {
        let name = self.free_parameter_name(base);
        let template = self.resource(resource).template();
        self.declare(template, &name, kind);
        self.added_parameters.push((template, name.clone()));
        if let Some(deployment) = self.template(template).deployment {
            self.declare(TemplateId::MAIN, &name, kind);
            self.added_parameters.push((TemplateId::MAIN, name.clone()));
            self.pass_to_part(deployment, &name);
        }
        name
    }

    /// `base`, or the first of `base_2`, `base_3`… that no template declares
    /// (ARM parameter names ignore case).
    fn free_parameter_name(&self, base: &str) -> String {
        let taken = |name: &str| {
            self.templates.iter().any(|t| {
                t.doc.root.get("parameters").is_some_and(|p| p.keys().iter().any(|k| k.eq_ignore_ascii_case(name)))
            })
        };
        if !taken(base) {
            return base.to_string();
        }
        (2..).map(|n| format!("{base}_{n}")).find(|name| !taken(name)).unwrap_or_else(|| base.to_string())
    }

    fn declare(&mut self, template: TemplateId, name: &str, kind: SecureKind) {
        let declaration = format!("{{\"type\": {}}}", encode_str(kind.type_name()));
        let Ok(value) = Node::parse_owned(&declaration) else { return };
        let root = &mut self.templates[template.index()].doc.root;
        if let Ok(None) = root.get_mut("parameters") {
            let _ = root.insert("parameters", Node::Object(Vec::new()));
        }
        if let Ok(Some(parameters)) = root.get_mut("parameters") {
            let _ = parameters.insert(name, value);
        }
        if template == TemplateId::MAIN {
            self.parameter_types.insert(name.to_string(), kind.type_name().to_ascii_lowercase());
        }
    }

    /// Make the master's deployment of a part pass parameter `name` down.
    fn pass_to_part(&mut self, deployment: ResourceId, name: &str) {
        let expression = encode_str(&format!("[parameters('{}')]", name.replace('\'', "''")));
        let Ok(passed) = Node::parse_owned(&format!("{{\"value\": {expression}}}")) else { return };
        let mut node = self.take_node(deployment);
        if let Ok(Some(properties)) = node.get_mut("properties")
            && let Ok(Some(parameters)) = properties.get_mut("parameters")
        {
            let _ = parameters.insert(name, passed.clone());
            self.count_refs(TemplateId::MAIN, &passed, 1);
            self.mark_changed(deployment);
        }
        self.put_node(deployment, node);
    }

    /// Parameters adfc declared, per template.
    pub fn added_parameters(&self) -> impl Iterator<Item = (TemplateId, &str)> {
        self.added_parameters.iter().map(|(t, n)| (*t, n.as_str()))
    }
}

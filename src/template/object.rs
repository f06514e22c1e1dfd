//! ADF object types and the objects of a factory.

use std::fmt;

use super::id::ResourceId;

/// The kinds of ADF objects (SPEC 1.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ObjectType {
    /// The factory itself (and its global parameters).
    Factory,
    /// `factories/pipelines`
    Pipeline,
    /// `factories/datasets`
    Dataset,
    /// `factories/dataflows`
    Dataflow,
    /// `factories/linkedServices`
    LinkedService,
    /// `factories/triggers`
    Trigger,
    /// `factories/integrationRuntimes`
    IntegrationRuntime,
    /// `factories/managedVirtualNetworks`
    ManagedVirtualNetwork,
    /// `factories/managedVirtualNetworks/managedPrivateEndpoints`
    ManagedPrivateEndpoint,
    /// `factories/credentials`
    Credential,
    /// `factories/adfcdcs`
    Adfcdc,
}

/// Every type, in the order `ls` lists them.
pub const ALL_TYPES: [ObjectType; 11] = [
    ObjectType::Factory,
    ObjectType::IntegrationRuntime,
    ObjectType::ManagedVirtualNetwork,
    ObjectType::ManagedPrivateEndpoint,
    ObjectType::Credential,
    ObjectType::LinkedService,
    ObjectType::Dataset,
    ObjectType::Dataflow,
    ObjectType::Pipeline,
    ObjectType::Trigger,
    ObjectType::Adfcdc,
];

impl ObjectType {
    /// The name used in configs, rules and output (`linkedService`).
    pub fn as_str(self) -> &'static str {
        match self {
            ObjectType::Factory => "factory",
            ObjectType::Pipeline => "pipeline",
            ObjectType::Dataset => "dataset",
            ObjectType::Dataflow => "dataflow",
            ObjectType::LinkedService => "linkedService",
            ObjectType::Trigger => "trigger",
            ObjectType::IntegrationRuntime => "integrationRuntime",
            ObjectType::ManagedVirtualNetwork => "managedVirtualNetwork",
            ObjectType::ManagedPrivateEndpoint => "managedPrivateEndpoint",
            ObjectType::Credential => "credential",
            ObjectType::Adfcdc => "adfcdc",
        }
    }

    /// Position in [`ALL_TYPES`].
    pub fn index(self) -> usize {
        ALL_TYPES.iter().position(|t| *t == self).unwrap_or(0)
    }

    /// Parse a type name case-insensitively (`linkedservice` = `linkedService`).
    pub fn parse(text: &str) -> Option<ObjectType> {
        ALL_TYPES.into_iter().find(|t| t.as_str().eq_ignore_ascii_case(text.trim()))
    }

    /// The object type of an ARM resource type, if it is an ADF object.
    pub fn from_resource_type(rtype: &str) -> Option<ObjectType> {
        let rest = strip_prefix_ci(rtype, "Microsoft.DataFactory/factories")?;
        if rest.is_empty() {
            return Some(ObjectType::Factory);
        }
        let segments: Vec<&str> = rest.strip_prefix('/')?.split('/').collect();
        Self::from_type_segments(&segments)
    }

    /// The object type of a child type path (`["datasets"]`, `["managedVirtualNetworks", "managedPrivateEndpoints"]`).
    pub fn from_type_segments(segments: &[&str]) -> Option<ObjectType> {
        let lower: Vec<String> = segments.iter().map(|s| s.to_ascii_lowercase()).collect();
        let lower: Vec<&str> = lower.iter().map(String::as_str).collect();
        Some(match lower.as_slice() {
            [] => ObjectType::Factory,
            ["pipelines"] => ObjectType::Pipeline,
            ["datasets"] => ObjectType::Dataset,
            ["dataflows"] => ObjectType::Dataflow,
            ["linkedservices"] => ObjectType::LinkedService,
            ["triggers"] => ObjectType::Trigger,
            ["integrationruntimes"] => ObjectType::IntegrationRuntime,
            ["managedvirtualnetworks"] => ObjectType::ManagedVirtualNetwork,
            ["managedvirtualnetworks", "managedprivateendpoints"] => ObjectType::ManagedPrivateEndpoint,
            ["credentials"] => ObjectType::Credential,
            ["globalparameters"] => ObjectType::Factory,
            ["adfcdcs"] => ObjectType::Adfcdc,
            _ => return None,
        })
    }

    /// The object type named by a reference type (`DatasetReference` → dataset).
    pub fn from_reference_type(ref_type: &str) -> Option<ObjectType> {
        let base = ref_type.strip_suffix("Reference")?;
        Some(match base.to_ascii_lowercase().as_str() {
            "pipeline" => ObjectType::Pipeline,
            "dataset" => ObjectType::Dataset,
            "dataflow" => ObjectType::Dataflow,
            "linkedservice" => ObjectType::LinkedService,
            "trigger" => ObjectType::Trigger,
            "integrationruntime" => ObjectType::IntegrationRuntime,
            "managedvirtualnetwork" => ObjectType::ManagedVirtualNetwork,
            "credential" => ObjectType::Credential,
            _ => return None,
        })
    }
}

fn strip_prefix_ci<'a>(text: &'a str, prefix: &str) -> Option<&'a str> {
    let head = text.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix).then(|| &text[prefix.len()..])
}

impl fmt::Display for ObjectType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A reference from one object to another.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ObjectRef {
    /// Type of the referenced object.
    pub otype: ObjectType,
    /// Its name.
    pub name: String,
}

impl fmt::Display for ObjectRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}", self.otype, self.name)
    }
}

/// A reference whose target adfc cannot name: a `referenceName` that is an
/// expression object (`{"value": "@…", "type": "Expression"}`) or an ARM
/// expression whose parameters have no known value.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct DynamicRef {
    /// The type of object it points at, when known (`IntegrationRuntimeReference` → integrationRuntime).
    pub otype: Option<ObjectType>,
    /// Where it is written: `IntegrationRuntimeReference` or `dependsOn`.
    pub via: String,
    /// The reference as written.
    pub text: String,
}

impl fmt::Display for DynamicRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.via, self.text)
    }
}

/// A reference written as an ARM expression over template parameters
/// (`"referenceName": "[parameters('LS_x_connectVia_referenceName')]"`, or a
/// dependsOn entry built from one): resolved through the parameter values
/// whenever they change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct ParameterRef {
    /// The object type it points at (for a `referenceName`).
    pub(super) otype: Option<ObjectType>,
    /// `IntegrationRuntimeReference` or `dependsOn`.
    pub(super) via: String,
    /// The expression string as written.
    pub(super) text: String,
}

/// An ADF object of the loaded factory.
#[derive(Debug, Clone)]
pub struct Object {
    pub(super) otype: ObjectType,
    pub(super) name: String,
    pub(super) parent: Option<String>,
    pub(super) folder: Option<String>,
    pub(super) resource: ResourceId,
    /// References named literally (dependsOn entries and `…Reference` objects).
    pub(super) literal_references: Vec<ObjectRef>,
    /// References through parameters, resolved by [`Factory::resolve_parameter_references`](super::Factory).
    pub(super) parameter_references: Vec<ParameterRef>,
    /// Expression objects as reference names (never resolved).
    pub(super) expression_references: Vec<DynamicRef>,
    /// Every reference resolved so far (literal and through parameters), sorted, unique.
    pub(super) references: Vec<ObjectRef>,
    /// Every reference that cannot be resolved.
    pub(super) dynamic_references: Vec<DynamicRef>,
    pub(super) global_parameters_resource: bool,
}

impl Object {
    /// Its type.
    pub fn otype(&self) -> ObjectType {
        self.otype
    }

    /// Its name (last segment of the resource name).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The managed virtual network of a managed private endpoint.
    pub fn parent(&self) -> Option<&str> {
        self.parent.as_deref()
    }

    /// `properties.folder.name`, if any.
    pub fn folder(&self) -> Option<&str> {
        self.folder.as_deref()
    }

    /// Its resource in the factory.
    pub fn resource(&self) -> ResourceId {
        self.resource
    }

    /// Objects it references (dependsOn and `…Reference` objects), sorted, unique.
    pub fn references(&self) -> &[ObjectRef] {
        &self.references
    }

    /// References that cannot be resolved (expression objects, parameters without a value).
    pub fn dynamic_references(&self) -> &[DynamicRef] {
        &self.dynamic_references
    }

    /// True for a `factories/globalparameters` resource.
    pub fn is_global_parameters_resource(&self) -> bool {
        self.global_parameters_resource
    }

    /// `type.name` or `type.name@folder`.
    pub fn full_name(&self) -> String {
        match &self.folder {
            Some(folder) => format!("{}.{}@{}", self.otype, self.name, folder),
            None => self.id(),
        }
    }

    /// `type.name`.
    pub fn id(&self) -> String {
        format!("{}.{}", self.otype, self.name)
    }

    /// `type` and `name`, as a reference to this object.
    pub fn to_ref(&self) -> ObjectRef {
        ObjectRef { otype: self.otype, name: self.name.clone() }
    }
}

#[cfg(test)]
#[path = "object_tests.rs"]
mod tests;

//! The model: a factory's template files, its resources and objects, ARM
//! expressions, and the edits every later step makes through it.

pub mod doc;
pub mod effective;
pub mod expr;
pub mod factory;
pub mod id;
pub mod object;
pub mod parameters;
pub mod prune;

pub use factory::{Factory, LinkedPart, NamedFile, Resource, Template, TemplateFiles};
pub use id::{ObjectId, ResourceId, TemplateId};
pub use object::{ALL_TYPES, DynamicRef, Object, ObjectRef, ObjectType};

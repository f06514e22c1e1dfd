//! The template: loading, the object index, ARM expressions, writing.

pub mod doc;
pub mod expr;
pub mod factory;
pub mod listing;
pub mod object;
pub mod prune;

pub use factory::{Factory, Resource};
pub use object::{Object, ObjectRef, ObjectType};

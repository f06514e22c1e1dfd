//! Lossless JSON: scan, expand only what is edited, write back the rest verbatim.

pub mod node;
pub mod scan;
pub mod stringify;
pub mod text;
pub mod visit;
pub mod write;

pub use node::{Kind, Member, Node};
pub use write::Style;

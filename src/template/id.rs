//! Typed indexes into a [`Factory`](super::Factory): a template file, a
//! resource, an object. Each kind of index has its own type, so one can
//! never be used where another is meant.

macro_rules! id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(u32);

        impl $name {
            /// The index as a `usize` (for slices).
            pub fn index(self) -> usize {
                self.0 as usize
            }

            pub(crate) fn from_index(index: usize) -> Self {
                Self(u32::try_from(index).unwrap_or(u32::MAX))
            }
        }
    };
}

id!(
    /// A template file of the factory: the main template (or linked master) is
    /// [`TemplateId::MAIN`], linked parts follow in the master's order.
    TemplateId
);
id!(
    /// A resource of the factory, in file order.
    ResourceId
);
id!(
    /// An ADF object of the factory, in the order its resources were read.
    ObjectId
);

impl TemplateId {
    /// The main template, or the master of a linked layout.
    pub const MAIN: TemplateId = TemplateId(0);
}

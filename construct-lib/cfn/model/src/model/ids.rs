//! Ids of template elements. They identify an element for the synthesizer and are never
//! rendered: logical IDs are derived from construct paths when a template is written.

/// Identifies a stack within the running program.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct StackId(pub u32);

macro_rules! element_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name {
            /// The stack that owns the element.
            pub stack: StackId,
            /// The element's position among the stack's elements of its kind.
            pub index: u32,
        }
    };
}

element_id!(
    /// Identifies a resource of a stack.
    ResourceId
);
element_id!(
    /// Identifies a parameter of a stack.
    ParameterId
);
element_id!(
    /// Identifies a condition of a stack.
    ConditionId
);
element_id!(
    /// Identifies a mapping of a stack.
    MappingId
);

//! The width-independent document model. (stub: being written)

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Document {}

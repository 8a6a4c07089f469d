//! Front matter split and parse. (stub: being written)

use super::post::Meta;

/// The result of reading a post's text: its metadata, warnings, and where the body starts.
#[derive(Debug, Clone, Default)]
pub struct Parsed {
    pub meta: Meta,
    pub warnings: Vec<String>,
    /// Byte offset of the body in the text given to [`parse`].
    pub body_start: usize,
}

pub fn parse(_text: &str) -> Parsed {
    Parsed::default()
}

//! pulldown-cmark events → [`Document`]. (stub: being written)

use super::model::Document;

pub fn parse(_body: &str) -> Document {
    Document::default()
}

//! Document + width → [`Laid`] lines. (stub: being written)

use std::path::PathBuf;

use super::model::Document;
use super::style::Line;
use crate::library::Meta;

/// What layout needs besides the document.
#[derive(Debug, Clone, Default)]
pub struct LayoutOptions {
    /// Columns available; every produced line is at most this wide (minimum 1).
    pub width: usize,
    /// Front matter to show as a header card above the body.
    pub meta: Option<Meta>,
    /// Folder of the post, to resolve relative image and link paths.
    pub base_dir: Option<PathBuf>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeadingRow {
    pub row: usize,
    pub level: u8,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkRow {
    pub row: usize,
    pub url: String,
    pub text: String,
}

/// A document laid out at one width.
#[derive(Debug, Clone, Default)]
pub struct Laid {
    pub width: usize,
    pub lines: Vec<Line>,
    /// First row of each top-level block, in block order; used to keep the reader at
    /// the same block across a resize.
    pub block_rows: Vec<usize>,
    pub headings: Vec<HeadingRow>,
    pub links: Vec<LinkRow>,
}

pub fn layout(_doc: &Document, opts: &LayoutOptions) -> Laid {
    Laid {
        width: opts.width,
        ..Laid::default()
    }
}

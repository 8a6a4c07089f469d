//! The post collection: which files are posts, what their front matter says, and the
//! index the list view shows. No terminal code lives here, and nothing here reads a
//! post's body to build the index: only the head of each file is read.
//!
//! Bad content never aborts a scan: a post whose front matter cannot be parsed is still
//! listed, with the problem recorded in [`Post::warnings`].

pub mod collate;
mod date;
pub mod front_matter;
pub mod fulltext;
mod id;
pub mod link;
mod meta;
mod names;
pub mod post;
pub mod query;
pub mod related;
pub mod rules;
pub mod scan;
pub mod text;
mod value;

pub use id::PostId;
pub use names::Names;
pub use post::{LoadError, Meta, Post, PostDate, Source};
pub use scan::{Library, TagCount, tag_key};

//! Walking a collection folder. (stub: being written)

use std::path::PathBuf;

use super::post::Post;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TagCount {
    pub name: String,
    pub count: usize,
}

#[derive(Debug, Clone, Default)]
pub struct Library {
    pub root: PathBuf,
    pub posts: Vec<Post>,
    pub warnings: Vec<String>,
}

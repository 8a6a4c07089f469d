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

impl Library {
    pub fn scan(root: &std::path::Path) -> Result<Library, super::post::LoadError> {
        Ok(Library {
            root: root.to_path_buf(),
            ..Library::default()
        })
    }
    pub fn from_embedded(root: PathBuf, _files: &[(&str, &'static [u8])]) -> Library {
        Library {
            root,
            ..Library::default()
        }
    }
    pub fn insert_sorted(&mut self, post: Post) -> usize {
        self.posts.push(post);
        self.posts.len() - 1
    }
    pub fn position_of(&self, _path: &std::path::Path) -> Option<usize> {
        None
    }
    pub fn tags(&self) -> Vec<TagCount> {
        Vec::new()
    }
    pub fn categories(&self) -> Vec<TagCount> {
        Vec::new()
    }
    pub fn filter_by_tags(&self, _tags: &[String]) -> Vec<usize> {
        (0..self.posts.len()).collect()
    }
}

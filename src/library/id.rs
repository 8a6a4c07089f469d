//! A post's identity: its path relative to the collection root. Posts come and go while
//! folio runs (edited, added, renamed, removed), so a post's position in the list means
//! nothing a moment later; everything that remembers a post (the selection, search
//! results, history, caches, the open post) remembers this instead.

use std::fmt;
use std::path::Path;
use std::sync::Arc;

/// The path of a post relative to its collection's root, segments joined by `/` on
/// every platform. Cheap to clone (shared).
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PostId(Arc<str>);

impl PostId {
    /// The identity of the post at `rel` (relative to the root).
    pub fn from_rel(rel: &Path) -> PostId {
        // A path as a walk gives it (no root, no empty or `.` segment) is spelled so
        // already; taking it as it is spared a tenth of a cold start's parsing.
        #[cfg(unix)]
        if let Some(text) = rel.to_str()
            && text
                .split('/')
                .all(|segment| !segment.is_empty() && segment != ".")
        {
            return PostId(text.into());
        }
        let joined = rel
            .components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/");
        PostId(joined.into())
    }

    /// An identity as [`PostId::from_rel`] spelled it when it was stored (the index
    /// cache keeps ids in that spelling): taken as it is, because spelling it again from
    /// its path for each of 100,000 cached posts is a visible part of a warm start.
    pub fn from_stored(spelled: &str) -> PostId {
        PostId(spelled.into())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for PostId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for PostId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PostId({:?})", &*self.0)
    }
}

/// Looked up by its text (the index's rows name posts so): hashes and compares as the
/// text does, the derived `Hash` of the one field being `str`'s.
impl std::borrow::Borrow<str> for PostId {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl From<&str> for PostId {
    fn from(rel: &str) -> PostId {
        PostId::from_rel(Path::new(rel))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_spelling_per_path() {
        assert_eq!(PostId::from("a/./b/index.md").as_str(), "a/b/index.md");
        assert_eq!(
            PostId::from("a/b/index.md"),
            PostId::from_rel(Path::new("a/b/index.md"))
        );
        assert_ne!(PostId::from("a.md"), PostId::from("A.md"));
    }

    #[test]
    fn a_path_already_in_its_spelling_is_taken_as_it_is() {
        let by_components = |rel: &str| {
            Path::new(rel)
                .components()
                .map(|c| c.as_os_str().to_string_lossy())
                .collect::<Vec<_>>()
                .join("/")
        };
        for rel in [
            "a.md",
            "posts/2019/标题/index.md",
            "a/./b.md",
            "./a.md",
            "a//b.md",
            "a/b/",
            "/abs/a.md",
            "../up.md",
            "a/../b.md",
            ".hidden/x.md",
            "a/.md",
            "",
        ] {
            assert_eq!(PostId::from(rel).as_str(), by_components(rel), "{rel:?}");
        }
    }
}

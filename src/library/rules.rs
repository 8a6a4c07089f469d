//! Which files of a collection folder are posts: the rules the scan walks by, asked of a
//! single path (the file watcher reports paths one at a time). Hidden files and folders
//! and `.gitignore`d paths are not content, and only `.md` / `.markdown` files count.
//! Hugo's section pages (`_index.md`) are read too, but listed only when they have a
//! body of their own ([`Meta::section`](super::Meta::section)); an empty one only
//! names a folder.

use std::path::{Component, Path};

use ignore::gitignore::GitignoreBuilder;

/// `.md` or `.markdown` in any case, Hugo's section pages (`_index.md`) included: they
/// are read, and kept when [`is_listed`] says so.
pub fn is_post_name(path: &Path) -> bool {
    let Some(name) = path.file_name().map(|n| n.to_string_lossy().to_lowercase()) else {
        return false;
    };
    name.ends_with(".md") || name.ends_with(".markdown")
}

/// Hugo's section page (`_index.md`, `_index.markdown`).
pub fn is_section_name(path: &Path) -> bool {
    path.file_name()
        .map(|n| n.to_string_lossy().to_lowercase())
        .is_some_and(|name| name == "_index.md" || name == "_index.markdown")
}

/// Whether a post read from `path` belongs in the list: every post, and a section page
/// with a body of its own.
pub fn is_listed(path: &Path, post: &super::Post) -> bool {
    !is_section_name(path) || post.meta.section
}

/// Whether `path` (inside `root`) is somewhere the scan would look: no hidden folder or
/// file on the way, and not matched by a `.gitignore` between `root` and it. Says
/// nothing of whether the file exists (a removed file is asked about too).
pub fn is_visible(root: &Path, path: &Path) -> bool {
    let Ok(rel) = path.strip_prefix(root) else {
        return false;
    };
    let hidden = rel.components().any(|c| match c {
        Component::Normal(name) => name.to_string_lossy().starts_with('.'),
        _ => false,
    });
    if hidden {
        return false;
    }
    // Each folder from the root down to the file's may hold a .gitignore.
    let mut folder = root.to_path_buf();
    let mut folders = vec![folder.clone()];
    let parent_rel = rel.parent().unwrap_or(Path::new(""));
    for component in parent_rel.components() {
        folder.push(component);
        folders.push(folder.clone());
    }
    let is_dir = path.is_dir();
    for dir in folders {
        let file = dir.join(".gitignore");
        if !file.is_file() {
            continue;
        }
        let mut builder = GitignoreBuilder::new(&dir);
        if builder.add(&file).is_some() {
            continue;
        }
        let Ok(ignore) = builder.build() else {
            continue;
        };
        if ignore.matched_path_or_any_parents(path, is_dir).is_ignore() {
            return false;
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn posts_are_markdown_files_the_scan_would_see() {
        assert!(is_post_name(Path::new("a/index.md")));
        assert!(is_post_name(Path::new("Notes.MARKDOWN")));
        assert!(is_post_name(Path::new("a/_index.md")));
        assert!(is_section_name(Path::new("a/_INDEX.markdown")));
        assert!(!is_section_name(Path::new("a/index.md")));
        assert!(!is_post_name(Path::new("a/image.png")));
        let dir = tempfile::tempdir().expect("tempdir");
        let root = dir.path();
        std::fs::create_dir_all(root.join("drafts")).expect("mkdir");
        std::fs::write(root.join(".gitignore"), "drafts/\n*.tmp.md\n").expect("write");
        assert!(is_visible(root, &root.join("post/index.md")));
        assert!(!is_visible(root, &root.join(".hidden/index.md")));
        assert!(!is_visible(root, &root.join("post/.swap.md")));
        assert!(!is_visible(root, &root.join("drafts/a.md")));
        assert!(!is_visible(root, &root.join("x.tmp.md")));
        assert!(!is_visible(root, Path::new("/elsewhere/a.md")));
    }
}

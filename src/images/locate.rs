//! Where a local image of a post is on disk, as Hugo would find it, and whether folio
//! may read it. A post writes `diagram.png` (beside it, in its page bundle),
//! `../shared/x.png`, or `/images/x.png` (the site's `static/` or `assets/` folder, found
//! by walking up to the Hugo site root). Whatever it writes, the file read must be
//! inside the collection or the site root once links and `..` are resolved: a post
//! cannot make folio read `../../../etc/shadow` or a symlink out of the collection.
//! Asked on the image thread: it stats files, which layout never does.

use std::path::{Component, Path, PathBuf};

use crate::library::link::percent_decode;

/// The folders an image may come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Roots {
    /// The collection's folder.
    pub collection: PathBuf,
    /// The Hugo site root above the post, when there is one.
    pub site: Option<PathBuf>,
}

impl Roots {
    /// The roots for a post in `post_dir` of the collection at `collection`: the site
    /// root is looked for from the post's folder up.
    pub fn find(collection: &Path, post_dir: &Path) -> Roots {
        Roots {
            collection: collection.to_path_buf(),
            site: crate::markdown::site_root(post_dir),
        }
    }
}

/// Why a local image is not drawn.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// No file where the post says (nor in the site's static folders).
    NotFound,
    /// The path leads out of the collection and the site.
    Outside,
    /// A folder, a FIFO, a device: nothing to decode (and a FIFO would block).
    NotAFile,
    /// The post has no folder (a bundled sample, stdin): there is nothing to look in.
    NoFolder,
}

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Refusal::NotFound => "not found",
            Refusal::Outside => "outside the collection, not read",
            Refusal::NotAFile => "not a regular file",
            Refusal::NoFolder => "no folder to find it in",
        })
    }
}

/// The paths `url` may name, in the order Hugo would look: beside the post (or, for
/// `/…`, the site's `static/` and `assets/`, then the collection), then the site's
/// `static/` and `assets/` for a relative path too. Only candidates that stay inside a
/// root by their words alone are listed (`..` is resolved without the disk).
pub fn candidates(url: &str, post_dir: &Path, roots: &Roots) -> Vec<PathBuf> {
    let path = url.split(['?', '#']).next().unwrap_or_default();
    let path = percent_decode(path.trim());
    let rel = path.trim_start_matches('/');
    if rel.is_empty() {
        return Vec::new();
    }
    let mut bases: Vec<&Path> = Vec::new();
    let site_absolute = path.starts_with('/');
    if !site_absolute {
        bases.push(post_dir);
    }
    let statics: Vec<PathBuf> = roots
        .site
        .iter()
        .flat_map(|site| [site.join("static"), site.join("assets")])
        .collect();
    bases.extend(statics.iter().map(PathBuf::as_path));
    if site_absolute {
        bases.push(&roots.collection);
        bases.extend(roots.site.as_deref());
    }
    let allowed = |candidate: &Path| {
        candidate.starts_with(&roots.collection)
            || roots
                .site
                .as_ref()
                .is_some_and(|s| candidate.starts_with(s))
    };
    let mut out: Vec<PathBuf> = Vec::new();
    for base in bases {
        if let Some(candidate) = join_within(base, Path::new(rel))
            && allowed(&candidate)
            && !out.contains(&candidate)
        {
            out.push(candidate);
        }
    }
    out
}

/// `base` joined with `rel`, `.` and `..` resolved by the words alone; `None` when
/// `rel` is absolute or climbs above the filesystem root.
fn join_within(base: &Path, rel: &Path) -> Option<PathBuf> {
    let mut out = PathBuf::new();
    for component in base.components().chain(rel.components()) {
        match component {
            Component::ParentDir => {
                if !out.pop() {
                    return None;
                }
            }
            Component::CurDir => {}
            other => out.push(other),
        }
    }
    Some(out)
}

/// The file `url` names, canonical, once it is found inside a root and is a regular
/// file. A candidate that exists but leads out of the roots (through a symlink) is
/// refused, not skipped: the post pointed there.
pub fn locate(url: &str, post_dir: Option<&Path>, roots: &Roots) -> Result<PathBuf, Refusal> {
    let post_dir = post_dir.ok_or(Refusal::NoFolder)?;
    let list = candidates(url, post_dir, roots);
    if list.is_empty() {
        // Every reading of the path climbed out of the roots.
        return Err(Refusal::Outside);
    }
    let inside: Vec<PathBuf> = std::iter::once(&roots.collection)
        .chain(roots.site.as_ref())
        .filter_map(|root| root.canonicalize().ok())
        .collect();
    for candidate in list {
        let Ok(real) = candidate.canonicalize() else {
            continue;
        };
        if !inside.iter().any(|root| real.starts_with(root)) {
            return Err(Refusal::Outside);
        }
        // `metadata` does not open the file, so a FIFO cannot block here.
        return match std::fs::metadata(&real) {
            Ok(meta) if meta.is_file() => Ok(real),
            Ok(_) => Err(Refusal::NotAFile),
            Err(_) => Err(Refusal::NotFound),
        };
    }
    Err(Refusal::NotFound)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn roots(site: bool) -> Roots {
        Roots {
            collection: PathBuf::from("/site/content"),
            site: site.then(|| PathBuf::from("/site")),
        }
    }

    #[test]
    fn relative_paths_are_looked_for_beside_the_post_then_in_the_static_folders() {
        let post = Path::new("/site/content/posts/a");
        assert_eq!(
            candidates("diagram.png", post, &roots(true)),
            [
                PathBuf::from("/site/content/posts/a/diagram.png"),
                PathBuf::from("/site/static/diagram.png"),
                PathBuf::from("/site/assets/diagram.png"),
            ]
        );
        assert_eq!(
            candidates("./img/%E5%9B%BE.png?v=1#x", post, &roots(false)),
            [PathBuf::from("/site/content/posts/a/img/图.png")]
        );
    }

    #[test]
    fn site_absolute_paths_are_looked_for_in_the_static_folders_then_the_collection() {
        let post = Path::new("/site/content/posts/a");
        assert_eq!(
            candidates("/images/x.png", post, &roots(true)),
            [
                PathBuf::from("/site/static/images/x.png"),
                PathBuf::from("/site/assets/images/x.png"),
                PathBuf::from("/site/content/images/x.png"),
                PathBuf::from("/site/images/x.png"),
            ]
        );
    }

    #[test]
    fn a_path_out_of_the_roots_is_no_candidate() {
        let post = Path::new("/site/content/posts/a");
        assert!(candidates("../../../../etc/passwd", post, &roots(false)).is_empty());
        assert!(candidates("../../../x.png", post, &roots(false)).is_empty());
        // Inside the site (its static folder) is fine when there is a site.
        assert_eq!(
            candidates("../../../static/x.png", post, &roots(true)),
            [PathBuf::from("/site/static/x.png")]
        );
        assert!(candidates("", post, &roots(true)).is_empty());
        assert!(candidates("/", post, &roots(true)).is_empty());
    }

    #[test]
    fn on_disk_only_regular_files_inside_the_roots_are_found() {
        let dir = tempfile::tempdir().expect("tempdir");
        let collection = dir.path().join("content");
        let post = collection.join("post");
        std::fs::create_dir_all(&post).expect("mkdir");
        std::fs::write(post.join("a.png"), b"x").expect("write");
        std::fs::write(dir.path().join("secret.png"), b"x").expect("write");
        std::fs::create_dir(post.join("folder.png")).expect("mkdir");
        let roots = Roots {
            collection: collection.clone(),
            site: None,
        };
        let found = locate("a.png", Some(&post), &roots).expect("found");
        assert!(found.ends_with("post/a.png"), "{found:?}");
        assert_eq!(
            locate("../../secret.png", Some(&post), &roots),
            Err(Refusal::Outside)
        );
        assert_eq!(locate("b.png", Some(&post), &roots), Err(Refusal::NotFound));
        assert_eq!(
            locate("folder.png", Some(&post), &roots),
            Err(Refusal::NotAFile)
        );
        assert_eq!(locate("a.png", None, &roots), Err(Refusal::NoFolder));
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(dir.path().join("secret.png"), post.join("link.png"))
                .expect("symlink");
            assert_eq!(
                locate("link.png", Some(&post), &roots),
                Err(Refusal::Outside)
            );
        }
    }
}

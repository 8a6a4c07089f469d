//! Where a link in a post leads. Blog posts link to each other the way Hugo lets them:
//! relative paths (`../rust-ownership/index.md`, `../rust-ownership/`), pretty URLs of
//! single-file posts (`../shell-cheatsheet/`), and the bare names a `ref` shortcode
//! leaves behind (`rust-ownership`). Following such a link should open the post in
//! folio, not fail or hand a path to a browser, so this module maps a URL onto the
//! library. It is pure: only the library's paths and slugs are consulted, never the disk.

use std::path::{Component, Path};

use super::{Library, Post, PostId};

/// What following a link means.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkTarget {
    /// A post of the library (possibly the one the link is in), maybe at a heading.
    Post { id: PostId, anchor: Option<String> },
    /// A heading of the post the link is in (`#anchor`; empty means the top).
    Anchor(String),
    /// An http, https or mailto address, for the system's browser.
    External(String),
    /// A scheme folio does not hand to anything (`javascript:`, `file:`, ...).
    Refused(String),
    /// A path that matches no post of the library.
    NotFound(String),
}

/// Resolves `url`, found in post `from`, against `library`.
pub fn resolve_link(library: &Library, from: &PostId, url: &str) -> LinkTarget {
    let url = url.trim();
    if let Some(anchor) = url.strip_prefix('#') {
        return LinkTarget::Anchor(percent_decode(anchor));
    }
    if let Some(rest) = url.strip_prefix("//") {
        // Protocol-relative: the web, as a browser would read it.
        return LinkTarget::External(format!("https://{rest}"));
    }
    if let Some(scheme) = scheme_of(url) {
        return match scheme.to_ascii_lowercase().as_str() {
            "http" | "https" | "mailto" => LinkTarget::External(url.to_string()),
            _ => LinkTarget::Refused(scheme.to_string()),
        };
    }
    let (path, anchor) = match url.split_once('#') {
        Some((path, anchor)) => (path, Some(percent_decode(anchor))),
        None => (url, None),
    };
    let path = path.split('?').next().unwrap_or_default();
    let path = percent_decode(path);
    if path.is_empty() {
        return LinkTarget::Anchor(anchor.unwrap_or_default());
    }
    let from = library.position(from).unwrap_or(usize::MAX);
    match find_post(library, from, &path).and_then(|i| library.posts().get(i)) {
        Some(post) => LinkTarget::Post {
            id: post.id.clone(),
            anchor,
        },
        None => LinkTarget::NotFound(url.to_string()),
    }
}

/// The scheme of an absolute URL (`https` of `https://x`), per RFC 3986: a letter, then
/// letters, digits, `+`, `-`, `.`, then `:` before any `/`, `?` or `#`.
fn scheme_of(url: &str) -> Option<&str> {
    let (scheme, _) = url.split_once(':')?;
    let mut chars = scheme.chars();
    let first = chars.next()?;
    let valid = first.is_ascii_alphabetic()
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    valid.then_some(scheme)
}

/// The post a path points at: first as a path relative to the linking post's folder
/// (or to the collection root for `/...`), then by the last segment as a slug, a bundle
/// folder or a file name, as Hugo's `ref` does.
fn find_post(library: &Library, from: usize, path: &str) -> Option<usize> {
    let from_dir: Vec<String> = library
        .posts()
        .get(from)
        .map(|p| segments(p.rel_path.parent().unwrap_or(Path::new(""))))
        .unwrap_or_default();
    let as_path = Path::new(path);
    let in_root = if as_path.is_absolute() {
        // A path inside the collection (images arrive resolved this way), else a
        // site-absolute URL (`/posts/x/`), which is relative to the root at best.
        match as_path.strip_prefix(&library.root) {
            Ok(rel) => normalize(&[], rel),
            Err(_) => normalize(&[], Path::new(path.trim_start_matches('/'))),
        }
    } else {
        normalize(&from_dir, as_path)
    };
    if let Some(found) = in_root.and_then(|p| by_path(library, &p)) {
        return Some(found);
    }
    let name = last_name(as_path)?;
    library
        .posts()
        .iter()
        .position(|p| {
            p.meta
                .slug
                .as_deref()
                .is_some_and(|s| s.trim().eq_ignore_ascii_case(&name))
        })
        .or_else(|| library.posts().iter().position(|p| post_name(p) == name))
}

/// `a/./b/../c` joined onto `base`, as segments; `None` when it climbs above the root.
fn normalize(base: &[String], path: &Path) -> Option<Vec<String>> {
    let mut out = base.to_vec();
    for component in path.components() {
        match component {
            Component::Normal(s) => out.push(s.to_string_lossy().into_owned()),
            Component::ParentDir => {
                out.pop()?;
            }
            Component::CurDir | Component::RootDir | Component::Prefix(_) => {}
        }
    }
    Some(out)
}

fn segments(path: &Path) -> Vec<String> {
    normalize(&[], path).unwrap_or_default()
}

/// A post whose file is at `wanted`, or whose bundle folder is `wanted`
/// (`x/` → `x/index.md`), or whose file is `wanted` plus an extension (`x/` → `x.md`).
fn by_path(library: &Library, wanted: &[String]) -> Option<usize> {
    if wanted.is_empty() {
        return None;
    }
    library.posts().iter().position(|post| {
        let rel = segments(&post.rel_path);
        if rel == wanted {
            return true;
        }
        let Some((file, dir)) = rel.split_last() else {
            return false;
        };
        let stem = Path::new(file)
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let is_index = stem.eq_ignore_ascii_case("index");
        (is_index && dir == wanted)
            || (wanted
                .split_last()
                .is_some_and(|(last, parent)| parent == dir && *last == stem && !is_index))
    })
}

/// The name a `ref` would use: the last segment without extension, or for
/// `x/index.md` the folder `x`.
fn last_name(path: &Path) -> Option<String> {
    let mut names = path.components().rev().filter_map(|c| match c {
        Component::Normal(s) => Some(s.to_string_lossy().into_owned()),
        _ => None,
    });
    let last = names.next()?;
    let stem = Path::new(&last)
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or(last);
    if stem.eq_ignore_ascii_case("index") {
        names.next()
    } else {
        Some(stem)
    }
}

/// A post's own name: its bundle folder, or its file name without extension.
fn post_name(post: &Post) -> String {
    last_name(&post.rel_path).unwrap_or_default()
}

/// `%E5%80%9F` → `借`: links to Chinese headings are often percent-encoded. Invalid
/// escapes stay as they are; invalid UTF-8 becomes replacement characters.
pub fn percent_decode(text: &str) -> String {
    if !text.contains('%') {
        return text.to_string();
    }
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (b, hex) {
            (b'%', Some(value)) => {
                out.push(value);
                i += 3;
            }
            _ => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    fn post(rel: &str, slug: Option<&str>) -> Post {
        let text = match slug {
            Some(slug) => format!("---\ntitle: {rel}\nslug: {slug}\n---\nbody\n"),
            None => format!("---\ntitle: {rel}\n---\nbody\n"),
        };
        let bytes: &'static [u8] = Box::leak(text.into_bytes().into_boxed_slice());
        Post::from_bytes(PathBuf::from(rel), bytes)
    }

    fn library() -> Library {
        Library::in_order(
            PathBuf::from("/blog"),
            vec![
                post("markdown-tour/index.md", Some("markdown-tour")),
                post("rust-ownership/index.md", Some("rust-ownership")),
                post("shell-cheatsheet.md", None),
                post("notes/2024/weekly.markdown", Some("week-one")),
                post("notes/2024/index.md", None),
            ],
        )
    }

    /// Post `index` of [`library`], as a target.
    fn at(index: usize, anchor: Option<&str>) -> LinkTarget {
        LinkTarget::Post {
            id: from(index),
            anchor: anchor.map(str::to_string),
        }
    }

    fn from(index: usize) -> PostId {
        library().posts()[index].id.clone()
    }

    #[test]
    fn relative_paths_to_bundles_files_and_pretty_urls() {
        let lib = library();
        for url in [
            "../rust-ownership/index.md",
            "../rust-ownership/",
            "../rust-ownership",
            "./../rust-ownership/./index.md",
        ] {
            assert_eq!(resolve_link(&lib, &from(0), url), at(1, None), "{url}");
        }
        assert_eq!(
            resolve_link(&lib, &from(0), "../shell-cheatsheet.md"),
            at(2, None)
        );
        assert_eq!(
            resolve_link(&lib, &from(0), "../shell-cheatsheet/"),
            at(2, None)
        );
        // From a top-level file, the bundle is a sibling folder.
        assert_eq!(
            resolve_link(&lib, &from(2), "rust-ownership/index.md"),
            at(1, None)
        );
        assert_eq!(resolve_link(&lib, &from(3), "index.md"), at(4, None));
        assert_eq!(resolve_link(&lib, &from(2), "notes/2024/"), at(4, None));
    }

    #[test]
    fn refs_match_by_slug_or_folder_and_keep_the_anchor() {
        let lib = library();
        assert_eq!(resolve_link(&lib, &from(0), "rust-ownership"), at(1, None));
        assert_eq!(resolve_link(&lib, &from(0), "WEEK-ONE"), at(3, None));
        assert_eq!(
            resolve_link(&lib, &from(0), "/posts/rust-ownership/#%E5%80%9F%E7%94%A8"),
            at(1, Some("借用"))
        );
        assert_eq!(
            resolve_link(&lib, &from(0), "../rust-ownership/index.md?x=1#why"),
            at(1, Some("why"))
        );
        assert_eq!(
            resolve_link(&lib, &from(0), "/blog/shell-cheatsheet.md"),
            at(2, None)
        );
    }

    #[test]
    fn anchors_web_addresses_and_refused_schemes() {
        let lib = library();
        assert_eq!(
            resolve_link(&lib, &from(0), "#借用规则"),
            LinkTarget::Anchor("借用规则".into())
        );
        assert_eq!(
            resolve_link(&lib, &from(0), "?q#tables"),
            LinkTarget::Anchor("tables".into())
        );
        for url in ["https://go.dev/", "HTTP://x", "mailto:a@b.c"] {
            assert_eq!(
                resolve_link(&lib, &from(0), url),
                LinkTarget::External(url.into())
            );
        }
        assert_eq!(
            resolve_link(&lib, &from(0), "//example.com/x"),
            LinkTarget::External("https://example.com/x".into())
        );
        assert_eq!(
            resolve_link(&lib, &from(0), "javascript:alert(1)"),
            LinkTarget::Refused("javascript".into())
        );
        assert_eq!(
            resolve_link(&lib, &from(0), "file:///etc/passwd"),
            LinkTarget::Refused("file".into())
        );
        assert_eq!(
            resolve_link(&lib, &from(0), "../missing/"),
            LinkTarget::NotFound("../missing/".into())
        );
        assert_eq!(
            resolve_link(&lib, &from(0), "../../../../etc/passwd"),
            LinkTarget::NotFound("../../../../etc/passwd".into())
        );
    }

    #[test]
    fn percent_decoding_is_lenient() {
        assert_eq!(percent_decode("a%20b"), "a b");
        assert_eq!(percent_decode("100%"), "100%");
        assert_eq!(percent_decode("%zz%E5"), "%zz\u{fffd}");
        assert_eq!(percent_decode("%E5%80%9F"), "借");
    }
}

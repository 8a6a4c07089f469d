//! "Related posts": which other posts share the most tags with one post. A reader who
//! finished a post on Istio wants the other Istio posts next, and tags are the only
//! relation a Hugo blog states explicitly. The ranking is pure so it can be tested on
//! hand-made libraries; the reader turns the result into lines (see `app::related`).

use std::cmp::Ordering;
use std::collections::HashSet;

use super::{Library, Post, tag_key};

/// How many related posts the reader shows.
pub const RELATED_LIMIT: usize = 5;

/// Up to `limit` posts sharing at least one tag with post `index`, the most shared tags
/// first; ties go to the newer post (undated last), then to library order. Tags compare
/// as [`tag_key`] does (`Istio` = `istio`), and a tag repeated in one post counts once.
pub fn related(library: &Library, index: usize, limit: usize) -> Vec<usize> {
    let Some(post) = library.posts.get(index) else {
        return Vec::new();
    };
    let mine = tag_set(post);
    if mine.is_empty() || limit == 0 {
        return Vec::new();
    }
    let mut scored: Vec<(usize, usize)> = library
        .posts
        .iter()
        .enumerate()
        .filter(|&(i, _)| i != index)
        .filter_map(|(i, other)| {
            let shared = tag_set(other).intersection(&mine).count();
            (shared > 0).then_some((i, shared))
        })
        .collect();
    scored.sort_by(|&(a, shared_a), &(b, shared_b)| {
        shared_b
            .cmp(&shared_a)
            .then_with(|| newer_first(&library.posts[a], &library.posts[b]))
            .then_with(|| a.cmp(&b))
    });
    scored.into_iter().take(limit).map(|(i, _)| i).collect()
}

fn tag_set(post: &Post) -> HashSet<String> {
    post.meta
        .tags
        .iter()
        .map(|t| tag_key(t))
        .filter(|t| !t.is_empty())
        .collect()
}

fn newer_first(a: &Post, b: &Post) -> Ordering {
    match (&a.meta.date, &b.meta.date) {
        (Some(x), Some(y)) => y.sort_key().cmp(&x.sort_key()),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => Ordering::Equal,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    fn post(name: &str, date: Option<&str>, tags: &[&str]) -> Post {
        let mut text = String::from("---\n");
        text.push_str(&format!("title: {name}\n"));
        if let Some(date) = date {
            text.push_str(&format!("date: {date}\n"));
        }
        let tags: Vec<String> = tags.iter().map(|t| format!("\"{t}\"")).collect();
        text.push_str(&format!("tags: [{}]\n---\nbody\n", tags.join(", ")));
        let bytes: &'static [u8] = Box::leak(text.into_bytes().into_boxed_slice());
        Post::from_bytes(PathBuf::from(format!("{name}.md")), bytes)
    }

    /// Kept in the given order (not re-sorted), so indices in the tests are obvious.
    fn library(posts: Vec<Post>) -> Library {
        Library {
            posts,
            ..Library::default()
        }
    }

    fn titles(lib: &Library, found: &[usize]) -> Vec<String> {
        found.iter().map(|&i| lib.posts[i].title.clone()).collect()
    }

    #[test]
    fn most_shared_tags_first_then_newest() {
        let lib = library(vec![
            post("me", Some("2024-01-01"), &["istio", "rust", "wasm"]),
            post("one-old", Some("2019-01-01"), &["istio"]),
            post("two", Some("2020-01-01"), &["Istio", "RUST"]),
            post("one-new", Some("2023-01-01"), &["wasm"]),
            post("none", Some("2025-01-01"), &["go"]),
            post("undated", None, &["rust"]),
        ]);
        let found = related(&lib, 0, 5);
        assert_eq!(
            titles(&lib, &found),
            ["two", "one-new", "one-old", "undated"]
        );
    }

    #[test]
    fn at_most_the_limit_and_never_the_post_itself() {
        let posts: Vec<Post> = (0..9)
            .map(|i| post(&format!("p{i}"), Some("2020-01-01"), &["a"]))
            .collect();
        let lib = library(posts);
        let found = related(&lib, 3, RELATED_LIMIT);
        assert_eq!(found, [0, 1, 2, 4, 5]);
    }

    #[test]
    fn a_repeated_tag_counts_once_and_untagged_posts_have_no_relatives() {
        let lib = library(vec![
            post("me", Some("2024-01-01"), &["a", "b"]),
            post("dup", Some("2024-01-01"), &["a", "A", " a "]),
            post("both", Some("2020-01-01"), &["a", "b"]),
            post("bare", Some("2020-01-01"), &[]),
        ]);
        assert_eq!(titles(&lib, &related(&lib, 0, 5)), ["both", "dup"]);
        assert!(related(&lib, 3, 5).is_empty());
        assert!(related(&lib, 99, 5).is_empty(), "a missing post has none");
    }
}

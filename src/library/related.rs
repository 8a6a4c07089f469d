//! "Related posts": which other posts share the most tags with one post. A reader who
//! finished a post on Istio wants the other Istio posts next, and tags are the only
//! relation a Hugo blog states explicitly. The ranking is pure so it can be tested on
//! hand-made libraries; the reader turns the result into lines (see `app::related`).

use std::cmp::Reverse;

use rayon::prelude::*;

use super::{Library, PostId, tag_key};

thread_local! {
    /// Room for a tag's key in [`shared_tags`], one per thread of the pool.
    static LOWERED: std::cell::RefCell<String> = const { std::cell::RefCell::new(String::new()) };
}

/// How many related posts the reader shows.
pub const RELATED_LIMIT: usize = 5;

/// Up to `limit` posts sharing at least one tag with post `id`, the most shared tags
/// first; ties go to the newer post (undated last), then to library order. Tags compare
/// as [`tag_key`] does (`Istio` = `istio`), and a tag repeated in one post counts once.
pub fn related(library: &Library, id: &PostId, limit: usize) -> Vec<PostId> {
    let Some(index) = library.position(id) else {
        return Vec::new();
    };
    related_at(library, index, limit)
        .into_iter()
        .filter_map(|i| library.posts().get(i).map(|p| p.id.clone()))
        .collect()
}

fn related_at(library: &Library, index: usize, limit: usize) -> Vec<usize> {
    let Some(post) = library.posts().get(index) else {
        return Vec::new();
    };
    let mut mine: Vec<String> = post
        .meta
        .tags
        .iter()
        .map(tag_key)
        .filter(|t| !t.is_empty())
        .collect();
    mine.sort();
    mine.dedup();
    if mine.is_empty() || limit == 0 {
        return Vec::new();
    }
    // Each other post's tags are read once, each marking which of mine it is (a post
    // repeating a tag still counts it once), with no allocation per post; on both cores,
    // since this runs on every post opened (some 60 ms on one core at 100,000 posts).
    // Ranked by (most shared, newest, library order); undated sorts as oldest. Keys are
    // computed once per post, not once per comparison.
    let mut scored: Vec<(Reverse<usize>, Reverse<Option<i64>>, usize)> = library
        .posts()
        .par_iter()
        .enumerate()
        .filter(|&(i, _)| i != index)
        .filter_map(|(i, other)| {
            let shared = LOWERED
                .with_borrow_mut(|lowered| shared_tags(&mine, other.meta.tags.iter(), lowered));
            let date = other.meta.date.as_ref().map(|d| d.sort_key());
            (shared > 0).then_some((Reverse(shared), Reverse(date), i))
        })
        .collect();
    let limit = limit.min(scored.len());
    if limit == 0 {
        return Vec::new();
    }
    // Only the best few are wanted: partition around the limit, then sort just those.
    scored.select_nth_unstable(limit - 1);
    scored.truncate(limit);
    scored.sort_unstable();
    scored.into_iter().map(|(_, _, i)| i).collect()
}

/// How many of `mine` (distinct tag keys) are among `tags`, each counted once.
/// `lowered` is room for a tag's key, reused from post to post.
fn shared_tags<'a>(
    mine: &[String],
    tags: impl Iterator<Item = &'a str>,
    lowered: &mut String,
) -> usize {
    // One bit per key of mine; past 128 keys (no real post), one pass per key.
    if mine.len() > 128 {
        let tags: Vec<&str> = tags.collect();
        return mine
            .iter()
            .filter(|key| tags.iter().any(|t| same_tag(t, key)))
            .count();
    }
    let mut found = 0u128;
    for tag in tags {
        // The tag's key, made once for all of mine; most tags are their own.
        let tag = tag.trim();
        let key: &str = if is_own_key(tag) {
            tag
        } else {
            lower_into(tag, lowered);
            lowered
        };
        if let Some(bit) = mine.iter().position(|mine| mine == key) {
            found |= 1 << bit;
        }
    }
    found.count_ones() as usize
}

/// Whether lowercasing `tag` leaves it as it is, judged on its bytes, erring on no:
/// ASCII without capitals, and the three-byte characters from U+3000 to U+9FFF
/// (CJK punctuation, kana, Hangul jamo, ideographs), which have no case.
fn is_own_key(tag: &str) -> bool {
    let bytes = tag.as_bytes();
    let mut at = 0;
    while let Some(&byte) = bytes.get(at) {
        at += match byte {
            b'A'..=b'Z' => return false,
            0..0x80 => 1,
            0xE3..=0xE9 => 3,
            _ => return false,
        };
    }
    true
}

/// `tag` (trimmed) lowercased into `lowered` as [`tag_key`] lowercases it. Not a
/// character at a time: `str::to_lowercase` gives a capital sigma ending a word its final
/// form (`ΟΔΟΣ` is `οδος`), which `char::to_lowercase` cannot know.
fn lower_into(tag: &str, lowered: &mut String) {
    lowered.clear();
    if tag.is_ascii() {
        lowered.push_str(tag);
        lowered.make_ascii_lowercase();
    } else {
        lowered.push_str(&tag.to_lowercase());
    }
}

/// Whether `tag` is `key` as [`tag_key`] would make it, without building the key.
fn same_tag(tag: &str, key: &str) -> bool {
    let tag = tag.trim();
    if tag.is_ascii() {
        // The common case, and a length check away from a quick no.
        return tag.eq_ignore_ascii_case(key);
    }
    // Most tags of a Chinese blog have no case at all: equal as they are.
    tag == key || tag.to_lowercase() == key
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::library::Post;
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
        Library::in_order(PathBuf::new(), posts)
    }

    fn titles(lib: &Library, found: &[PostId]) -> Vec<String> {
        found
            .iter()
            .filter_map(|id| lib.get(id))
            .map(|p| p.title.to_string())
            .collect()
    }

    /// The id of post `i` in the order the test gave.
    fn id(lib: &Library, i: usize) -> PostId {
        lib.posts()
            .get(i)
            .map(|p| p.id.clone())
            .unwrap_or_else(|| PostId::from("missing.md"))
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
        let found = related(&lib, &id(&lib, 0), 5);
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
        let found = related(&lib, &id(&lib, 3), RELATED_LIMIT);
        let want: Vec<PostId> = [0, 1, 2, 4, 5].iter().map(|&i| id(&lib, i)).collect();
        assert_eq!(found, want);
    }

    /// A capital sigma ending a tag lowercases to the final sigma, in the post's own
    /// key and in the others' tags alike, so the same Greek tag relates two posts.
    #[test]
    fn a_greek_tag_ending_in_sigma_relates_posts_as_tag_key_compares_it() {
        let lib = library(vec![
            post("me", Some("2024-01-01"), &["ΟΔΟΣ"]),
            post("same", Some("2023-01-01"), &["ΟΔΟΣ"]),
            post("lower", Some("2022-01-01"), &["οδος"]),
            post("other", Some("2021-01-01"), &["δρομος"]),
        ]);
        assert_eq!(
            titles(&lib, &related(&lib, &id(&lib, 0), 5)),
            ["same", "lower"]
        );
    }

    #[test]
    fn a_repeated_tag_counts_once_and_untagged_posts_have_no_relatives() {
        let lib = library(vec![
            post("me", Some("2024-01-01"), &["a", "b"]),
            post("dup", Some("2024-01-01"), &["a", "A", " a "]),
            post("both", Some("2020-01-01"), &["a", "b"]),
            post("bare", Some("2020-01-01"), &[]),
        ]);
        assert_eq!(
            titles(&lib, &related(&lib, &id(&lib, 0), 5)),
            ["both", "dup"]
        );
        assert!(related(&lib, &id(&lib, 3), 5).is_empty());
        assert!(
            related(&lib, &id(&lib, 99), 5).is_empty(),
            "a missing post has none"
        );
    }

    /// The one pass with a bit per key counts what a pass per key counts: each of
    /// mine found among the tags once, however often or in whatever case it is there.
    #[test]
    fn shared_tags_counts_each_key_of_mine_once() {
        let naive = |mine: &[String], tags: &[&str]| {
            mine.iter()
                .filter(|key| tags.iter().any(|t| same_tag(t, key)))
                .count()
        };
        let keys = |names: &[&str]| -> Vec<String> {
            let mut keys: Vec<String> = names.iter().map(|n| tag_key(n)).collect();
            keys.sort();
            keys.dedup();
            keys
        };
        let many: Vec<String> = (0..200).map(|n| format!("tag{n}")).collect();
        let many_tags: Vec<String> = (0..300).step_by(3).map(|n| format!("TAG{n}")).collect();
        let many_tags: Vec<&str> = many_tags.iter().map(String::as_str).collect();
        let cases: Vec<(Vec<String>, Vec<&str>)> = vec![
            (
                keys(&["Istio", "k8s", "网络"]),
                vec!["istio", " ISTIO ", "网络", "go"],
            ),
            (keys(&["a"]), vec![]),
            (keys(&["Straße", "ΣΊΣΥΦΟΣ"]), vec!["straße", "σίσυφοσ", "x"]),
            (keys(&["ΣΊΣΥΦΟΣ"]), vec!["ΣΊΣΥΦΟΣ", "σίσυφος"]),
            (many.clone(), many_tags.clone()),
            (many[..128].to_vec(), many_tags.clone()),
        ];
        for (mine, tags) in cases {
            let expected = naive(&mine, &tags);
            let mut lowered = String::new();
            let counted = shared_tags(&mine, tags.iter().copied(), &mut lowered);
            assert_eq!(counted, expected, "{tags:?}");
        }
        let counted = shared_tags(&many, many_tags.iter().copied(), &mut String::new());
        assert_eq!(counted, 67);
    }

    /// A tag taken as its own key is one (lowercased as [`tag_key`] does): every code
    /// point alone, and a few mixes.
    #[test]
    fn a_tag_taken_as_its_own_key_is_one() {
        let mut own = 0;
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            let tag = c.to_string();
            if is_own_key(&tag) {
                own += 1;
                assert_eq!(tag.to_lowercase(), tag, "U+{:04X}", c as u32);
            }
        }
        assert!(own > 20_000, "the CJK range is taken: {own}");
        for tag in ["kubernetes", "网络协议", "c++", "ｋ８ｓ"] {
            assert!(!is_own_key(tag) || tag.to_lowercase() == tag, "{tag}");
        }
        assert!(is_own_key("网络协议") && is_own_key("go-1.22"));
        assert!(!is_own_key("Go") && !is_own_key("Straße"));
    }
}

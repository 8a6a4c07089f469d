//! A post as the fuzzy search holds it, and the filters of one search made ready for
//! it. The search holds an entry for every post, so an entry is kept small: the post
//! itself (its fields are matched from its own text, made UTF-32 as they are matched)
//! and its tags and categories as numbers into one table of keys. As strings and
//! UTF-32 copies, the entries of 100,000 posts took about 40 MB; a collection has a
//! few hundred distinct tags, said over and over.

use std::collections::HashMap;
use std::sync::Arc;

use nucleo_matcher::{Utf32Str, Utf32String};
use unicode_segmentation::UnicodeSegmentation;

use super::{Chips, Query};
use crate::library::{Post, tag_key};

/// The distinct tag and category keys ([`tag_key`]) of the posts, numbered.
#[derive(Debug, Clone, Default)]
pub(super) struct Keys {
    names: Vec<Box<str>>,
    numbers: HashMap<Box<str>, u32>,
}

impl Keys {
    fn number(&mut self, name: &str) -> u32 {
        let key = tag_key(name);
        if let Some(&number) = self.numbers.get(key.as_str()) {
            return number;
        }
        let number = u32::try_from(self.names.len()).unwrap_or(u32::MAX);
        let key: Box<str> = key.into();
        self.names.push(key.clone());
        self.numbers.insert(key, number);
        number
    }

    /// The number of a key (already a [`tag_key`]), if any post has it.
    fn find(&self, key: &str) -> Option<u32> {
        self.numbers.get(key).copied()
    }
}

/// One post in the search.
#[derive(Debug, Clone)]
pub(super) struct Entry {
    pub(super) post: Arc<Post>,
    /// The numbers of the post's tag keys, then of its category keys.
    keys: Box<[u32]>,
    /// How many of `keys` are tags.
    tags: u32,
    /// The title and labels as nucleo segments them, where that is not one character
    /// a grapheme (combining marks, emoji sequences): rare, so kept aside.
    graphemes: Option<Box<Graphemes>>,
}

#[derive(Debug, Clone)]
struct Graphemes {
    title: Option<Utf32String>,
    labels: Option<Utf32String>,
}

/// A field made ready for nucleo: in place when ASCII, else a character each into a
/// scratch buffer, unless the entry kept its graphemes.
pub(super) struct Scratch {
    chars: Vec<char>,
    bytes: Vec<u8>,
}

impl Scratch {
    pub(super) fn new() -> Scratch {
        Scratch {
            chars: Vec::new(),
            bytes: Vec::new(),
        }
    }

    /// `field` as UTF-32, a character each (ASCII in place).
    pub(super) fn chars<'a>(&'a mut self, field: &'a str) -> Utf32Str<'a> {
        if field.is_ascii() {
            Utf32Str::Ascii(field.as_bytes())
        } else {
            self.chars.clear();
            self.chars.extend(field.chars());
            Utf32Str::Unicode(&self.chars)
        }
    }
}

impl Entry {
    pub(super) fn new(post: &Arc<Post>, keys: &mut Keys) -> Entry {
        let meta = &post.meta;
        let numbers: Box<[u32]> = meta
            .tags
            .iter()
            .chain(&meta.categories)
            .map(|name| keys.number(name))
            .collect();
        let graphemes = Graphemes {
            title: segmented(&post.title),
            labels: segmented(&labels(post)),
        };
        Entry {
            post: Arc::clone(post),
            keys: numbers,
            tags: u32::try_from(meta.tags.len()).unwrap_or(u32::MAX),
            graphemes: (graphemes.title.is_some() || graphemes.labels.is_some())
                .then(|| Box::new(graphemes)),
        }
    }

    fn tag_keys(&self) -> &[u32] {
        self.keys.get(..self.tags as usize).unwrap_or(&self.keys)
    }

    fn category_keys(&self) -> &[u32] {
        self.keys.get(self.tags as usize..).unwrap_or_default()
    }

    /// The title, ready for nucleo.
    pub(super) fn title<'a>(&'a self, scratch: &'a mut Scratch) -> Utf32Str<'a> {
        match self.graphemes.as_ref().and_then(|g| g.title.as_ref()) {
            Some(title) => title.slice(..),
            None => scratch.chars(&self.post.title),
        }
    }

    /// Tags and categories, space-separated, ready for nucleo.
    pub(super) fn labels<'a>(&'a self, scratch: &'a mut Scratch) -> Utf32Str<'a> {
        if let Some(labels) = self.graphemes.as_ref().and_then(|g| g.labels.as_ref()) {
            return labels.slice(..);
        }
        // The names are read as kept, each ended by a NUL: that NUL becomes the space
        // between two names and the last one is dropped, so no name's end is searched
        // for (that search was a fifth of a keystroke's matching).
        let meta = &self.post.meta;
        let (tags, categories) = (meta.tags.as_terminated(), meta.categories.as_terminated());
        if tags.is_ascii() && categories.is_ascii() {
            let bytes = &mut scratch.bytes;
            bytes.clear();
            bytes.extend(
                (tags.bytes().chain(categories.bytes())).map(|b| if b == 0 { b' ' } else { b }),
            );
            bytes.pop();
            Utf32Str::Ascii(bytes)
        } else {
            let chars = &mut scratch.chars;
            chars.clear();
            chars.extend(
                (tags.chars().chain(categories.chars())).map(|c| if c == '\0' { ' ' } else { c }),
            );
            chars.pop();
            Utf32Str::Unicode(chars)
        }
    }
}

fn labels(post: &Post) -> String {
    let meta = &post.meta;
    let names: Vec<&str> = meta.tags.iter().chain(&meta.categories).collect();
    names.join(" ")
}

/// `field` as nucleo segments it, when that differs from a character each.
fn segmented(field: &str) -> Option<Utf32String> {
    if field.is_ascii() || field.graphemes(true).count() == field.chars().count() {
        return None;
    }
    Some(Utf32String::from(field))
}

/// The chips and the query's tag and category tokens of one search, as key numbers.
pub(super) struct Filter {
    /// `None` when a chip or token names a key no post has: nothing passes.
    tags: Option<Vec<u32>>,
    categories: Option<Vec<u32>>,
    chips: Option<ChipKeys>,
    /// The keys the token being typed begins, by number; `true` for tags (`#`).
    typing: Option<(bool, Vec<bool>)>,
}

/// The chips' keys (`None` for one no post has).
struct ChipKeys {
    tags: Vec<Option<u32>>,
    categories: Vec<Option<u32>>,
    any: bool,
}

impl Filter {
    pub(super) fn new(keys: &Keys, chips: &Chips, query: &Query) -> Filter {
        let all = |names: &[String]| -> Option<Vec<u32>> {
            names.iter().map(|name| keys.find(name)).collect()
        };
        let chip_keys = |names: &[String]| -> Vec<Option<u32>> {
            names.iter().map(|name| keys.find(&tag_key(name))).collect()
        };
        Filter {
            tags: all(&query.tags),
            categories: all(&query.categories),
            chips: (!chips.is_empty()).then(|| ChipKeys {
                tags: chip_keys(&chips.tags),
                categories: chip_keys(&chips.categories),
                any: chips.any,
            }),
            typing: query.typing.as_ref().map(|typing| {
                let begun = keys
                    .names
                    .iter()
                    .map(|name| name.starts_with(typing.prefix.as_str()))
                    .collect();
                (typing.sigil == '#', begun)
            }),
        }
    }

    /// Whether the entry passes the chips and the query's tag and category tokens.
    pub(super) fn passes(&self, entry: &Entry) -> bool {
        let (Some(tags), Some(categories)) = (&self.tags, &self.categories) else {
            return false;
        };
        self.chips.as_ref().is_none_or(|chips| chips.accept(entry))
            && tags.iter().all(|t| entry.tag_keys().contains(t))
            && categories.iter().all(|c| entry.category_keys().contains(c))
            && self.typing.as_ref().is_none_or(|(tags, begun)| {
                let keys = if *tags {
                    entry.tag_keys()
                } else {
                    entry.category_keys()
                };
                keys.iter()
                    .any(|&k| begun.get(k as usize).copied().unwrap_or(false))
            })
    }
}

impl ChipKeys {
    fn accept(&self, entry: &Entry) -> bool {
        let has = |keys: &[u32], key: &Option<u32>| key.is_some_and(|k| keys.contains(&k));
        let tags = self.tags.iter().map(|t| has(entry.tag_keys(), t));
        let categories = self
            .categories
            .iter()
            .map(|c| has(entry.category_keys(), c));
        let mut all = tags.chain(categories);
        if self.any {
            all.any(|hit| hit)
        } else {
            all.all(|hit| hit)
        }
    }
}

/// The entries of `posts`, with the table of keys they number.
pub(super) fn entries(posts: &[Arc<Post>]) -> (Vec<Entry>, Keys) {
    let mut keys = Keys::default();
    let entries = posts
        .iter()
        .map(|post| Entry::new(post, &mut keys))
        .collect();
    (entries, keys)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::library::query::parse;
    use std::path::PathBuf;

    fn post(name: &str, front: &str) -> Arc<Post> {
        let text = format!("---\n{front}\n---\n");
        Arc::new(Post::from_bytes(
            PathBuf::from(name),
            Box::leak(text.into_bytes().into_boxed_slice()),
        ))
    }

    fn utf32(field: Utf32Str<'_>) -> Vec<char> {
        field.chars().collect()
    }

    #[test]
    fn fields_are_what_nucleo_would_make_of_them() {
        // ASCII, Chinese, a combining accent, an emoji sequence, a CRLF grapheme.
        for (title, tags) in [
            ("Plain title", "[go, rust]\ncategories: [Dev]"),
            (
                "服务网格入门",
                "[服务网格, Istio]\ncategories: [云原生, ops]",
            ),
            ("Cafe\u{301} notes", "[cafe\u{301}]"),
            ("family 👨\u{200d}👩\u{200d}👧", "[emoji 👍🏽]"),
            ("No tags", "[]"),
            ("Only categories", "[]\ncategories: [a, b]"),
            ("Odd names", "[\"\", \"x \", \"\"]\ncategories: [\"\"]"),
            ("Chinese categories", "[go]\ncategories: [随笔]"),
        ] {
            let post = post("a.md", &format!("title: \"{title}\"\ntags: {tags}"));
            let entry = Entry::new(&post, &mut Keys::default());
            let mut scratch = Scratch::new();
            assert_eq!(
                utf32(entry.title(&mut scratch)),
                utf32(Utf32String::from(&*post.title).slice(..)),
                "{title}"
            );
            assert_eq!(
                utf32(entry.labels(&mut scratch)),
                utf32(Utf32String::from(labels(&post)).slice(..)),
                "{tags}"
            );
        }
    }

    #[test]
    fn only_fields_with_graphemes_of_several_characters_are_kept_aside() {
        let mut keys = Keys::default();
        let chinese = Entry::new(&post("a.md", "title: 服务网格\ntags: [网格]"), &mut keys);
        assert!(chinese.graphemes.is_none());
        let accent = Entry::new(&post("b.md", "title: \"e\u{301}\""), &mut keys);
        assert!(accent.graphemes.as_ref().is_some_and(|g| g.title.is_some()));
    }

    fn passing(posts: &[Arc<Post>], chips: &Chips, line: &str) -> Vec<String> {
        let (entries, keys) = entries(posts);
        let filter = Filter::new(&keys, chips, &parse(line));
        entries
            .iter()
            .filter(|e| filter.passes(e))
            .map(|e| e.post.id.to_string())
            .collect()
    }

    #[test]
    fn tags_and_categories_filter_apart_and_without_case() {
        let posts = [
            post("a.md", "title: A\ntags: [Rust, CLI]\ncategories: [Go]"),
            post("b.md", "title: B\ntags: [go]\ncategories: [Tools]"),
            post("c.md", "title: C\ntags: [服务网格]"),
        ];
        let none = Chips::default();
        assert_eq!(passing(&posts, &none, "#rust "), ["a.md"]);
        assert_eq!(
            passing(&posts, &none, "#go "),
            ["b.md"],
            "a category is not a tag"
        );
        assert_eq!(passing(&posts, &none, "@go "), ["a.md"]);
        assert_eq!(passing(&posts, &none, "#rust #cli "), ["a.md"]);
        assert!(passing(&posts, &none, "#rust #nowhere ").is_empty());
        assert_eq!(
            passing(&posts, &none, "#服务"),
            ["c.md"],
            "typed: by prefix"
        );
        assert_eq!(passing(&posts, &none, "@t"), ["b.md"]);
        assert_eq!(passing(&posts, &none, "#g"), ["b.md"]);
        assert!(
            passing(&posts, &none, "#服务 ").is_empty(),
            "finished: whole names"
        );
        assert_eq!(passing(&posts, &none, "").len(), 3);

        let chips = |tags: &[&str], categories: &[&str], any| Chips {
            tags: tags.iter().map(|t| t.to_string()).collect(),
            categories: categories.iter().map(|c| c.to_string()).collect(),
            any,
        };
        assert_eq!(passing(&posts, &chips(&["RUST"], &[], false), ""), ["a.md"]);
        assert_eq!(
            passing(&posts, &chips(&["rust", "go"], &[], true), ""),
            ["a.md", "b.md"]
        );
        assert!(passing(&posts, &chips(&["rust", "go"], &[], false), "").is_empty());
        assert_eq!(
            passing(&posts, &chips(&["nowhere", "go"], &["tools"], true), ""),
            ["b.md"]
        );
        assert_eq!(
            passing(&posts, &chips(&["go"], &["Tools"], false), "#g"),
            ["b.md"]
        );
    }
}

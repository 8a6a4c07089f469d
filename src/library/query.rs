//! Finding posts: what the list's search line and `folio list --search` both run, so a
//! script sees exactly the posts, in exactly the order, that the TUI would show.
//!
//! A query is free text plus `#tag` and `@category` tokens. Tags and categories filter
//! (case-insensitively, compared as [`tag_key`] does); the free text is matched fuzzily
//! with nucleo over title, description, tags, categories and path, best match first.
//! Matching is by character (nucleo works on grapheme clusters), so a Chinese query
//! matches a Chinese title, and nothing here ever slices a string by bytes it did not
//! find itself. Full-text search over bodies lives in [`super::fulltext`]; both end in
//! the same [`Hit`] list.

use nucleo_matcher::pattern::{Atom, AtomKind, CaseMatching, Normalization};
use nucleo_matcher::{Config, Matcher, Utf32String};

use super::fulltext::{self, Body, TextMatch};
use super::{Library, tag_key};

/// A parsed search line.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Query {
    /// Free-text words, in order.
    pub terms: Vec<String>,
    /// `#tag` tokens, as [`tag_key`]s.
    pub tags: Vec<String>,
    /// `@category` tokens, as [`tag_key`]s.
    pub categories: Vec<String>,
}

impl Query {
    pub fn is_empty(&self) -> bool {
        self.terms.is_empty() && self.tags.is_empty() && self.categories.is_empty()
    }
}

/// Splits a search line into tokens. `#"two words"` (or `@"..."`) names a tag with a
/// space in it. A lone `#` or `@` is a token still being typed and filters nothing.
pub fn parse(input: &str) -> Query {
    let mut query = Query::default();
    for token in tokens(input) {
        let (sigil, rest) = match token.chars().next() {
            Some(c @ ('#' | '@')) => (Some(c), token.get(1..).unwrap_or_default()),
            _ => (None, token.as_str()),
        };
        let name = rest.trim_matches('"');
        match sigil {
            Some(_) if tag_key(name).is_empty() => {}
            Some('#') => query.tags.push(tag_key(name)),
            Some(_) => query.categories.push(tag_key(name)),
            None => query.terms.push(token),
        }
    }
    query
}

/// Whitespace-separated tokens; a `"` opens a quoted run (closed by the next `"` or the
/// end of the line) in which whitespace does not split.
fn tokens(input: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    let mut quoted = false;
    for c in input.chars() {
        if c == '"' {
            quoted = !quoted;
            current.push(c);
        } else if c.is_whitespace() && !quoted {
            if !current.is_empty() {
                out.push(std::mem::take(&mut current));
            }
        } else {
            current.push(c);
        }
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

/// How a tag or category name is written into a query: quoted when it has a space.
pub fn token_for(sigil: char, name: &str) -> String {
    let name = name.trim();
    if name.contains(char::is_whitespace) || name.contains('"') {
        format!("{sigil}\"{}\"", name.replace('"', ""))
    } else {
        format!("{sigil}{name}")
    }
}

/// Tags and categories chosen in the tag browser (or with `--tag`): all must match, or
/// with `any` at least one. Kept apart from the search line so that clearing one does
/// not lose the other.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Chips {
    pub tags: Vec<String>,
    pub categories: Vec<String>,
    pub any: bool,
}

impl Chips {
    pub fn is_empty(&self) -> bool {
        self.tags.is_empty() && self.categories.is_empty()
    }

    fn accepts(&self, entry: &Entry) -> bool {
        if self.is_empty() {
            return true;
        }
        let tags = self
            .tags
            .iter()
            .map(|t| entry.tag_keys.contains(&tag_key(t)));
        let cats = self
            .categories
            .iter()
            .map(|c| entry.category_keys.contains(&tag_key(c)));
        let mut all = tags.chain(cats);
        if self.any {
            all.any(|hit| hit)
        } else {
            all.all(|hit| hit)
        }
    }
}

/// A post that passed the search, with what the view needs to show why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    /// Index into [`Library::posts`].
    pub post: usize,
    pub score: u32,
    /// Grapheme indices of the title's matched characters, ascending, for highlighting.
    pub title_match: Vec<u32>,
    /// In full-text mode: hit count and snippet.
    pub text: Option<TextMatch>,
}

/// The fields of one post as nucleo wants them, converted once, not per keystroke.
#[derive(Debug, Clone)]
struct Entry {
    title: Utf32String,
    /// Description, tags, categories, path: weighted below the title.
    others: [(Utf32String, u32); 4],
    tag_keys: Vec<String>,
    category_keys: Vec<String>,
}

/// The search side of a [`Library`]: its fields ready for matching, and the matcher's
/// scratch memory (about 135 KB, so it is made once and reused).
#[derive(Debug, Clone)]
pub struct Searcher {
    entries: Vec<Entry>,
    matcher: Matcher,
}

/// How much a match in each field counts, relative to the title (3).
const TITLE_WEIGHT: u32 = 3;
const TAG_WEIGHT: u32 = 2;
const OTHER_WEIGHT: u32 = 1;

impl Searcher {
    pub fn new(library: &Library) -> Searcher {
        let entries = library
            .posts
            .iter()
            .map(|post| {
                let meta = &post.meta;
                let path = post.rel_path.to_string_lossy();
                Entry {
                    title: Utf32String::from(post.title.as_str()),
                    others: [
                        (
                            Utf32String::from(meta.description.as_deref().unwrap_or_default()),
                            OTHER_WEIGHT,
                        ),
                        (Utf32String::from(meta.tags.join(" ")), TAG_WEIGHT),
                        (Utf32String::from(meta.categories.join(" ")), TAG_WEIGHT),
                        (Utf32String::from(path.as_ref()), OTHER_WEIGHT),
                    ],
                    tag_keys: meta.tags.iter().map(|t| tag_key(t)).collect(),
                    category_keys: meta.categories.iter().map(|c| tag_key(c)).collect(),
                }
            })
            .collect();
        Searcher {
            entries,
            matcher: Matcher::new(Config::DEFAULT),
        }
    }

    /// The posts the query and chips select, best first. Without free text (or in
    /// full-text mode) the library's order is kept; full-text mode reads `bodies`
    /// (indexed like the library; `None` where a body is not loaded yet).
    pub fn search(
        &mut self,
        chips: &Chips,
        query: &Query,
        full_text: bool,
        bodies: &[Option<Body>],
    ) -> Vec<Hit> {
        let candidates: Vec<usize> = self
            .entries
            .iter()
            .enumerate()
            .filter(|(_, e)| {
                chips.accepts(e)
                    && query.tags.iter().all(|t| e.tag_keys.contains(t))
                    && query.categories.iter().all(|c| e.category_keys.contains(c))
            })
            .map(|(i, _)| i)
            .collect();
        if full_text && !query.terms.is_empty() {
            return fulltext::search(&candidates, &query.terms, bodies);
        }
        if full_text || query.terms.is_empty() {
            return candidates.into_iter().map(Hit::plain).collect();
        }
        self.fuzzy(&candidates, &query.terms)
    }

    fn fuzzy(&mut self, candidates: &[usize], terms: &[String]) -> Vec<Hit> {
        let atoms: Vec<Atom> = terms
            .iter()
            .map(|t| {
                Atom::new(
                    t,
                    CaseMatching::Ignore,
                    Normalization::Smart,
                    AtomKind::Fuzzy,
                    false,
                )
            })
            .collect();
        let mut hits = Vec::new();
        let mut indices = Vec::new();
        'posts: for &post in candidates {
            let Some(entry) = self.entries.get(post) else {
                continue;
            };
            let mut score = 0;
            let mut title_hits = 0;
            for atom in &atoms {
                let title = atom
                    .score(entry.title.slice(..), &mut self.matcher)
                    .map(|s| u32::from(s) * TITLE_WEIGHT);
                title_hits += usize::from(title.is_some());
                let best = entry
                    .others
                    .iter()
                    .filter_map(|(hay, w)| {
                        atom.score(hay.slice(..), &mut self.matcher)
                            .map(|s| u32::from(s) * w)
                    })
                    .chain(title)
                    .max();
                match best {
                    Some(s) => score += s,
                    None => continue 'posts,
                }
            }
            // Indices only for titles that matched: the highlight is all they are for.
            indices.clear();
            if title_hits > 0 {
                for atom in &atoms {
                    atom.indices(entry.title.slice(..), &mut self.matcher, &mut indices);
                }
                indices.sort_unstable();
                indices.dedup();
            }
            hits.push(Hit {
                post,
                score,
                title_match: indices.clone(),
                text: None,
            });
        }
        // Stable: equal scores keep the library's order (newest first).
        hits.sort_by_key(|h| std::cmp::Reverse(h.score));
        hits
    }
}

impl Hit {
    pub(super) fn plain(post: usize) -> Hit {
        Hit {
            post,
            score: 0,
            title_match: Vec::new(),
            text: None,
        }
    }
}

/// Tag (or category) names from `names` that a token being typed could complete to:
/// those whose key starts with `prefix`'s, in the order given (most used first).
pub fn completions<'a>(names: impl IntoIterator<Item = &'a str>, prefix: &str) -> Vec<&'a str> {
    let prefix = tag_key(prefix.trim_matches('"'));
    names
        .into_iter()
        .filter(|name| tag_key(name).starts_with(&prefix))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    fn library(posts: &[(&str, &str)]) -> Library {
        let files: Vec<(&str, &'static [u8])> = posts
            .iter()
            .map(|(name, front)| {
                let text = format!("---\n{front}\n---\nbody of {name}\n");
                let bytes: &'static [u8] = Box::leak(text.into_bytes().into_boxed_slice());
                (*name, bytes)
            })
            .collect();
        Library::from_embedded(PathBuf::from("t"), &files)
    }

    fn titles(lib: &Library, hits: &[Hit]) -> Vec<String> {
        hits.iter()
            .map(|h| lib.posts[h.post].title.clone())
            .collect()
    }

    #[test]
    fn parse_splits_tags_categories_and_words() {
        let q = parse("  istio #Service-Mesh @云原生 网格 # @ #\"Two Words\"");
        assert_eq!(q.terms, ["istio", "网格"]);
        assert_eq!(q.tags, ["service-mesh", "two words"]);
        assert_eq!(q.categories, ["云原生"]);
        assert!(parse("   ").is_empty());
        assert_eq!(token_for('#', "two words"), "#\"two words\"");
        assert_eq!(token_for('@', "go"), "@go");
    }

    #[test]
    fn chinese_queries_match_by_character() {
        let lib = library(&[
            (
                "a.md",
                "title: Istio 开源四周年回顾与展望\ndate: 2022-01-01",
            ),
            ("b.md", "title: Go 并发模式\ndate: 2021-01-01"),
        ]);
        let mut s = Searcher::new(&lib);
        let hits = s.search(&Chips::default(), &parse("开源周年"), false, &[]);
        assert_eq!(titles(&lib, &hits), ["Istio 开源四周年回顾与展望"]);
        // Graphemes 6, 7, 9, 10: 开 源 _ 周 年.
        assert_eq!(hits[0].title_match, [6, 7, 9, 10]);
    }

    #[test]
    fn tags_are_case_insensitive_and_and_ed() {
        let lib = library(&[
            ("a.md", "title: A\ntags: [Istio, Go]\ncategories: [Cloud]"),
            ("b.md", "title: B\ntags: [istio]"),
            ("c.md", "title: C\ntags: [go]"),
        ]);
        let mut s = Searcher::new(&lib);
        let mut run = |q: &str| {
            let hits = s.search(&Chips::default(), &parse(q), false, &[]);
            titles(&lib, &hits)
        };
        assert_eq!(run("#ISTIO"), ["A", "B"]);
        assert_eq!(run("#istio #GO"), ["A"]);
        assert_eq!(run("@cloud"), ["A"]);
        assert_eq!(run("#nope"), Vec::<String>::new());
        assert_eq!(run("#"), ["A", "B", "C"], "a lone # filters nothing");
    }

    #[test]
    fn chips_all_or_any() {
        let lib = library(&[
            ("a.md", "title: A\ntags: [x, y]"),
            ("b.md", "title: B\ntags: [x]"),
            ("c.md", "title: C\ntags: [y]\ncategories: [k]"),
        ]);
        let mut s = Searcher::new(&lib);
        let mut chips = Chips {
            tags: vec!["X".into(), "y".into()],
            ..Chips::default()
        };
        let hits = s.search(&chips, &Query::default(), false, &[]);
        assert_eq!(titles(&lib, &hits), ["A"]);
        chips.any = true;
        let hits = s.search(&chips, &Query::default(), false, &[]);
        assert_eq!(titles(&lib, &hits), ["A", "B", "C"]);
        let chips = Chips {
            categories: vec!["K".into()],
            ..Chips::default()
        };
        let hits = s.search(&chips, &Query::default(), false, &[]);
        assert_eq!(titles(&lib, &hits), ["C"]);
    }

    #[test]
    fn best_match_first_and_every_word_must_match() {
        let lib = library(&[
            (
                "one.md",
                "title: Notes on routing\ndescription: istio gateway",
            ),
            ("two.md", "title: Istio routing\ndate: 2020-01-01"),
            ("three.md", "title: Unrelated"),
        ]);
        let mut s = Searcher::new(&lib);
        let hits = s.search(&Chips::default(), &parse("istio"), false, &[]);
        assert_eq!(titles(&lib, &hits), ["Istio routing", "Notes on routing"]);
        assert!(hits[1].title_match.is_empty(), "matched in the description");
        let hits = s.search(&Chips::default(), &parse("istio routing"), false, &[]);
        assert_eq!(hits.len(), 2);
        let hits = s.search(&Chips::default(), &parse("istio zebra"), false, &[]);
        assert!(hits.is_empty());
        // The path is searched too.
        let hits = s.search(&Chips::default(), &parse("three.md"), false, &[]);
        assert_eq!(titles(&lib, &hits), ["Unrelated"]);
    }

    #[test]
    fn completion_by_key_prefix() {
        let names = ["Istio", "istio-ambient", "Go", "云原生"];
        assert_eq!(completions(names, "IST"), ["Istio", "istio-ambient"]);
        assert_eq!(completions(names, "云"), ["云原生"]);
        assert_eq!(completions(names, "").len(), 4);
    }
}

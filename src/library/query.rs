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

use rayon::prelude::*;

use super::fulltext::{self, Body, TextMatch};
use std::collections::HashMap;
use std::sync::Arc;

use super::{Library, Post, PostId, tag_key};

mod entry;

use entry::{Entry, Filter, Keys, Scratch};

/// A parsed search line.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Query {
    /// Free-text words, in order.
    pub terms: Vec<String>,
    /// `#tag` tokens, as [`tag_key`]s.
    pub tags: Vec<String>,
    /// `@category` tokens, as [`tag_key`]s.
    pub categories: Vec<String>,
    /// The `#tag` or `@category` token the line ends in, with nothing typed after it:
    /// still being typed, it matches every name it begins (`#ist` finds `istio`).
    pub typing: Option<Typing>,
}

/// A tag or category token still being typed: its sigil (`#` or `@`) and its
/// [`tag_key`] so far.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Typing {
    pub sigil: char,
    pub prefix: String,
}

impl Query {
    pub fn is_empty(&self) -> bool {
        self.terms.is_empty()
            && self.tags.is_empty()
            && self.categories.is_empty()
            && self.typing.is_none()
    }
}

/// Splits a search line into tokens. `#"two words"` (or `@"..."`) names a tag with a
/// space in it. A lone `#` or `@` is a token still being typed and filters nothing; a
/// `#tag` or `@category` token the line ends in is still being typed too, and matches
/// by prefix ([`Query::typing`]); once anything follows it, it matches whole names.
pub fn parse(input: &str) -> Query {
    let mut query = Query::default();
    let mut tokens = tokens(input);
    let open_end = !input.ends_with(char::is_whitespace);
    if open_end
        && let Some(last) = tokens.last()
        && let Some(sigil @ ('#' | '@')) = last.chars().next()
    {
        let prefix = tag_key(last.get(1..).unwrap_or_default().trim_matches('"'));
        if !prefix.is_empty() {
            query.typing = Some(Typing { sigil, prefix });
        }
        tokens.pop();
    }
    for token in tokens {
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
}

/// A post that passed the search, with what the view needs to show why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    pub id: PostId,
    pub score: u32,
    /// In full-text mode: hit count and where the first hit is.
    pub text: Option<TextMatch>,
}

/// A hit while the search runs: the post by its place among the searcher's entries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Scored {
    pub(super) at: usize,
    pub(super) score: u32,
    pub(super) text: Option<TextMatch>,
}

impl Scored {
    pub(super) fn plain(at: usize) -> Scored {
        Scored {
            at,
            score: 0,
            text: None,
        }
    }
}

/// Bodies for full-text search, by post; a post not here is not loaded (or unreadable).
pub type Bodies = HashMap<PostId, Body>;

/// The last search, so that typing one more character only re-checks the posts that
/// matched before (a longer term can only match fewer posts).
#[derive(Debug, Clone)]
struct Previous {
    chips: Chips,
    query: Query,
    full_text: bool,
    bodies_loaded: usize,
    /// Posts that matched, ascending.
    posts: Vec<usize>,
}

/// The search side of a [`Library`]: its fields ready for matching.
#[derive(Debug, Clone)]
pub struct Searcher {
    entries: Vec<Entry>,
    keys: Keys,
    previous: Option<Previous>,
}

/// How much a match in each field counts, relative to the title (3).
const TITLE_WEIGHT: u32 = 3;
const TAG_WEIGHT: u32 = 2;
const OTHER_WEIGHT: u32 = 1;

/// An upper bound of nucleo's score for one needle character.
const MAX_SCORE_PER_CHAR: u32 = 36;

/// Below this many candidates, matching in one thread beats splitting the work.
const PARALLEL_FROM: usize = 512;

fn atoms(terms: &[String]) -> Vec<Atom> {
    terms
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
        .collect()
}

impl Searcher {
    pub fn new(library: &Library) -> Searcher {
        Searcher::from_posts(library.posts())
    }

    /// The same from the posts alone, so it can be built away from the library (the
    /// background loader builds it while the user looks at the first frame).
    pub fn from_posts(posts: &[Arc<Post>]) -> Searcher {
        let (entries, keys) = entry::entries(posts);
        Searcher {
            entries,
            keys,
            previous: None,
        }
    }

    /// The posts the query and chips select, best first. Without free text (or in
    /// full-text mode) the library's order is kept; full-text mode reads `bodies`
    /// (where a post has none yet, it is not found).
    pub fn search(
        &mut self,
        chips: &Chips,
        query: &Query,
        full_text: bool,
        bodies: &Bodies,
    ) -> Vec<Hit> {
        let bodies_loaded = if full_text { bodies.len() } else { 0 };
        let narrowed = self.previous.take().filter(|p| {
            p.chips == *chips
                && p.full_text == full_text
                && p.bodies_loaded == bodies_loaded
                && narrows(&p.query, query)
        });
        let candidates: Vec<usize> = match narrowed {
            Some(previous) => previous.posts,
            None => {
                let filter = Filter::new(&self.keys, chips, query);
                self.entries
                    .iter()
                    .enumerate()
                    .filter(|(_, e)| filter.passes(e))
                    .map(|(i, _)| i)
                    .collect()
            }
        };
        let scored = if full_text && !query.terms.is_empty() {
            let body_of = |at: usize| bodies.get(&self.entries.get(at)?.post.id);
            fulltext::search(&candidates, &query.terms, body_of)
        } else if full_text || query.terms.is_empty() {
            candidates.iter().map(|&p| Scored::plain(p)).collect()
        } else {
            self.fuzzy(&candidates, &query.terms)
        };
        let mut posts: Vec<usize> = scored.iter().map(|h| h.at).collect();
        posts.sort_unstable();
        let hits = scored
            .into_iter()
            .filter_map(|s| {
                Some(Hit {
                    id: self.entries.get(s.at)?.post.id.clone(),
                    score: s.score,
                    text: s.text,
                })
            })
            .collect();
        self.previous = Some(Previous {
            chips: chips.clone(),
            query: query.clone(),
            full_text,
            bodies_loaded,
            posts,
        });
        hits
    }

    /// The posts the chips and the query's tags let through, whatever its words.
    pub fn filtered(&self, chips: &Chips, query: &Query) -> Vec<PostId> {
        let filter = Filter::new(&self.keys, chips, query);
        self.entries
            .iter()
            .filter(|e| filter.passes(e))
            .map(|e| e.post.id.clone())
            .collect()
    }

    fn fuzzy(&self, candidates: &[usize], terms: &[String]) -> Vec<Scored> {
        let atoms = atoms(terms);
        // Per thread: the matcher's scratch memory, and room for a field made UTF-32.
        let score = |(matcher, scratch): &mut (Matcher, Scratch), post: usize| -> Option<Scored> {
            let entry = self.entries.get(post)?;
            let mut total = 0;
            for atom in &atoms {
                let weighted =
                    |score: Option<u16>, weight: u32| score.map(|s| u32::from(s) * weight);
                // No field can score more than this (nucleo: 16 a matched character plus
                // a bonus of at most 20 for the first and 10 for the others), so a field
                // that cannot beat the best weighted score so far is not matched at all.
                let ceiling = MAX_SCORE_PER_CHAR * atom.needle_text().len() as u32;
                let title = weighted(atom.score(entry.title(scratch), matcher), TITLE_WEIGHT);
                let labels = match title {
                    Some(t) if t >= ceiling * TAG_WEIGHT => None,
                    _ => weighted(atom.score(entry.labels(scratch), matcher), TAG_WEIGHT),
                };
                let best = title.max(labels);
                // The long fields are matched greedily (linear time): on 10 000 posts the
                // optimal matcher over descriptions is most of a keystroke's cost, and a
                // weight-1 field does not need the best alignment, only a fair score.
                // (`atom.score` above has set the matcher to ignore case, as the atom's
                // needle is already folded.)
                // An ASCII field is matched in place; another is made UTF-32 in the
                // scratch, a character each, not nucleo's first character of each grapheme
                // (`Utf32Str::new`): segmenting every description at every keystroke
                // would cost more than the match, and a combining mark left in a
                // weight-1 field only adds a gap.
                let mut greedy = |field: &str| {
                    let field = scratch.chars(field);
                    weighted(
                        matcher.fuzzy_match_greedy(field, atom.needle_text()),
                        OTHER_WEIGHT,
                    )
                };
                let rest = match best {
                    Some(b) if b >= ceiling * OTHER_WEIGHT => None,
                    _ => {
                        let description = entry.post.meta.description.as_deref();
                        let path = entry.post.rel_path.to_string_lossy();
                        greedy(description.unwrap_or_default()).max(greedy(&path))
                    }
                };
                total += best.max(rest)?;
            }
            Some(Scored {
                at: post,
                score: total,
                text: None,
            })
        };
        // The matcher's scratch memory (about 135 KB) is made once per thread.
        let scratch = || (Matcher::new(Config::DEFAULT), Scratch::new());
        let mut hits: Vec<Scored> = if candidates.len() < PARALLEL_FROM {
            let mut scratch = scratch();
            candidates
                .iter()
                .filter_map(|&p| score(&mut scratch, p))
                .collect()
        } else {
            candidates
                .par_iter()
                .map_init(scratch, |scratch, &p| score(scratch, p))
                .flatten()
                .collect()
        };
        // Stable: equal scores keep the library's order (newest first).
        hits.sort_by_key(|h| std::cmp::Reverse(h.score));
        hits
    }
}

/// Whether every post matching `new` also matched `old`: the same filters, and the
/// same terms except that the last old term may have grown and terms been added.
/// (A fuzzy match of a longer term implies one of its prefix, and a body containing
/// a longer string contains its prefix.)
pub fn narrows(old: &Query, new: &Query) -> bool {
    if old.tags != new.tags || old.categories != new.categories || old.typing != new.typing {
        return false;
    }
    let Some((last, rest)) = old.terms.split_last() else {
        return false; // no terms before: nothing to narrow from
    };
    let n = rest.len();
    new.terms.len() > n
        && new.terms.get(..n) == Some(rest)
        && new
            .terms
            .get(n)
            .is_some_and(|t| t.starts_with(last.as_str()))
}

/// Grapheme indices of the title's characters matched by `terms`, ascending, for
/// highlighting. Run for the rows on screen only, not for every hit.
pub fn title_match(title: &str, terms: &[String]) -> Vec<u32> {
    thread_local! {
        static MATCHER: std::cell::RefCell<Matcher> =
            std::cell::RefCell::new(Matcher::new(Config::DEFAULT));
    }
    if terms.is_empty() {
        return Vec::new();
    }
    let hay = Utf32String::from(title);
    let mut indices = Vec::new();
    MATCHER.with(|m| {
        let mut matcher = m.borrow_mut();
        for atom in atoms(terms) {
            atom.indices(hay.slice(..), &mut matcher, &mut indices);
        }
    });
    indices.sort_unstable();
    indices.dedup();
    indices
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

/// What `name` has beyond `prefix` (a [`tag_key`] it begins with), as `name` spells it:
/// `io` for `Istio` after `ist`. `None` when nothing is left.
pub fn rest_after_prefix<'a>(name: &'a str, prefix: &str) -> Option<&'a str> {
    let name = name.trim();
    let at = name
        .char_indices()
        .map(|(i, _)| i)
        .chain([name.len()])
        .find(|&i| name.get(..i).is_some_and(|head| tag_key(head) == prefix))?;
    name.get(at..).filter(|rest| !rest.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn narrowing_only_when_every_new_match_was_an_old_one() {
        assert!(narrows(&parse("ab"), &parse("abc")));
        assert!(narrows(&parse("ab"), &parse("ab c")));
        assert!(!narrows(&parse("ab c"), &parse("ab")));
        assert!(!narrows(&parse("ab #x"), &parse("abc")));
        assert!(!narrows(&parse(""), &parse("a")));
    }

    #[test]
    fn a_tag_token_being_typed_matches_by_prefix_and_a_finished_one_whole() {
        let typing = parse("mesh #Ist");
        assert_eq!(typing.terms, ["mesh"]);
        assert!(typing.tags.is_empty());
        assert_eq!(
            typing.typing,
            Some(Typing {
                sigil: '#',
                prefix: "ist".into()
            })
        );
        let done = parse("#ist mesh");
        assert_eq!(done.tags, ["ist"]);
        assert_eq!(done.typing, None);
        assert_eq!(parse("#ist ").tags, ["ist"]);
        assert_eq!(parse("@clou").typing.map(|t| t.sigil), Some('@'));
        assert!(parse("#").is_empty(), "a lone sigil filters nothing");
    }

    #[test]
    fn the_rest_of_a_completion_is_spelled_as_the_name_is() {
        assert_eq!(rest_after_prefix("Istio", "ist"), Some("io"));
        assert_eq!(rest_after_prefix("服务网格", "服务"), Some("网格"));
        assert_eq!(rest_after_prefix("service mesh", "serv"), Some("ice mesh"));
        assert_eq!(rest_after_prefix("go", "go"), None);
        assert_eq!(rest_after_prefix("rust", "go"), None);
    }
}

//! The list's search: the `/` line, the chips chosen in the tag browser, and the rows
//! they select. The list shows [`App::row_count`] rows; row `i` is post
//! [`App::post_at_row`]`(i)`. With no search and no chips that is every post in library
//! order, so code that only knows "the list" never has to ask whether a filter is on.
//!
//! The matching itself is [`crate::library::query`]: this module only keeps the state
//! and decides when to run it (on every edit, and as bodies arrive in full-text mode).

use super::Action;
use super::input::LineInput;
use super::mode::View;
use super::state::App;
use super::update::Effect;
use crate::library::PostId;
use crate::library::query::{self, Chips, Hit, Query, Searcher};

#[derive(Debug, Clone, Default)]
pub struct ListSearch {
    pub input: LineInput,
    /// The line has the keyboard.
    pub focused: bool,
    /// Tab switched the line to searching bodies.
    pub full_text: bool,
    pub chips: Chips,
    /// The rows when a search or chips are active; `None` shows every post.
    pub hits: Option<Vec<Hit>>,
    /// Bumped whenever `hits` changes, so the list's cached rows know to follow.
    pub generation: u64,
    /// The rest of the first tag or category the token being typed completes to, shown
    /// dimmed after the cursor (Tab writes it).
    pub suggestion: Option<String>,
    /// Built on the first search: the library's fields ready for the matcher.
    searcher: Option<Searcher>,
    completion: Option<Completion>,
}

/// Tab pressed on a `#tag` / `@category` token cycles through the names it could be.
#[derive(Debug, Clone)]
struct Completion {
    /// Byte offset where the token starts.
    start: usize,
    candidates: Vec<String>,
    next: usize,
    /// What the last Tab wrote, to know the user has not edited it since.
    inserted: String,
}

impl ListSearch {
    pub fn query(&self) -> Query {
        query::parse(self.input.text())
    }

    /// Whether the list is showing a subset (or another order) of the posts.
    pub fn is_active(&self) -> bool {
        self.hits.is_some()
    }

    /// Takes a matcher view of the library built elsewhere (the background loader),
    /// unless a search already built one.
    pub fn offer_searcher(&mut self, searcher: Searcher) {
        if self.searcher.is_none() {
            self.searcher = Some(searcher);
        }
    }

    /// The library changed: the matcher's view of it is stale (it is built again on the
    /// next search).
    pub fn forget_library(&mut self) {
        self.searcher = None;
    }

    /// The full-text terms to find in a post opened from the results, if any.
    pub fn text_terms(&self) -> Option<Vec<String>> {
        let terms = self.query().terms;
        (self.full_text && !terms.is_empty()).then_some(terms)
    }
}

impl App {
    // The list's order is `listing`'s: the search's matches (best first), then sorted
    // and grouped as the user chose. "Row" here counts posts in that order, group
    // headers aside; `App::selected` is a post's identity.

    /// How many posts the list shows.
    pub fn row_count(&self) -> usize {
        super::listing::listing(self).post_count()
    }

    /// The post at position `row` of the list.
    pub fn post_at_row(&self, row: usize) -> Option<PostId> {
        super::listing::listing(self).post(row).cloned()
    }

    /// The position of `post` in the list, if the list shows it.
    pub fn row_of_post(&self, post: &PostId) -> Option<usize> {
        super::listing::listing(self).position(post)
    }

    /// The search result for `post`, when a search is active and matched it.
    pub fn hit_for_post(&self, post: &PostId) -> Option<&Hit> {
        self.search.hits.as_ref()?.iter().find(|h| h.id == *post)
    }

    /// The search result at position `row` of the list.
    pub fn hit_at_row(&self, row: usize) -> Option<&Hit> {
        self.hit_for_post(&self.post_at_row(row)?)
    }

    /// Whether a search line takes a row above the status bar.
    pub fn search_line_visible(&self) -> bool {
        match self.view {
            View::Reader => self.find.focused || self.note.is_some(),
            View::List => {
                self.browser.is_none()
                    && (self.search.focused
                        || self.search.full_text
                        || !self.search.input.is_empty())
            }
        }
    }

    /// Applies chips (the tag browser's choice, or `--tag` on the command line).
    pub fn set_chips(&mut self, chips: Chips) {
        self.search.chips = chips;
        self.refresh_search(false);
    }

    /// Runs the search again. `keep` keeps the selected post selected (new bodies
    /// arrived); otherwise the best match is selected (the query changed).
    pub fn refresh_search(&mut self, keep: bool) {
        let previous = if keep { self.selected.clone() } else { None };
        let query = self.search.query();
        let search = &mut self.search;
        let mut text_candidates = None;
        if query.is_empty() && search.chips.is_empty() && !search.full_text {
            search.hits = None;
        } else {
            let searcher = search
                .searcher
                .get_or_insert_with(|| Searcher::new(&self.library));
            search.hits =
                Some(searcher.search(&search.chips, &query, search.full_text, &self.bodies.bodies));
            if search.full_text && !query.terms.is_empty() {
                text_candidates = Some(searcher.filtered(&search.chips, &query));
            }
        }
        self.search_left_out_bodies(text_candidates);
        self.search.generation = self.search.generation.wrapping_add(1);
        self.search.suggestion = self.suggestion(query.typing.as_ref());
        self.selected = previous
            .filter(|p| self.row_of_post(p).is_some())
            .or_else(|| self.post_at_row(0));
        if !keep {
            self.list_offset = 0;
        }
        self.keep_selection_visible();
    }

    /// What the token being typed would complete to, beyond what is typed: only with
    /// the cursor at the end of the line, where the token is.
    fn suggestion(&self, typing: Option<&query::Typing>) -> Option<String> {
        let typing = typing?;
        let line = &self.search.input;
        if line.cursor() != line.text().len() {
            return None;
        }
        let names = if typing.sigil == '#' {
            self.library.tags()
        } else {
            self.library.categories()
        };
        let name = query::completions(names.iter().map(|t| t.name.as_str()), &typing.prefix)
            .into_iter()
            .next()?;
        query::rest_after_prefix(name, &typing.prefix).map(str::to_string)
    }

    /// New bodies were loaded: a full-text search sees them.
    pub fn bodies_arrived(&mut self) {
        if self.search.text_terms().is_some() {
            self.refresh_search(true);
        }
    }

    /// Esc in the list: clears the search line, else the tag filter, one at a time, the
    /// selected post staying selected. With neither it only says how to quit: Esc
    /// pressed once too often must not end the session.
    fn clear_one_filter(&mut self) {
        let search = &mut self.search;
        if !search.input.is_empty() || search.full_text || search.focused {
            search.input.clear();
            search.focused = false;
            search.full_text = false;
            search.completion = None;
        } else if !search.chips.is_empty() {
            search.chips = Chips::default();
        } else {
            let quit = self.key_for(Action::Quit);
            self.say(format!("nothing to clear; {quit} quits"));
            return;
        }
        self.refresh_search(true);
    }
}

/// List-screen actions that belong to search. `None`: not ours, the list handles it.
pub(super) fn update_list(app: &mut App, action: Action) -> Option<Option<Effect>> {
    match action {
        Action::Filter => {
            app.search.focused = true;
            app.keep_selection_visible();
        }
        Action::ClearFilter => app.clear_one_filter(),
        Action::TagBrowser => app.open_browser(super::tags::Kind::Tags),
        Action::CategoryBrowser => app.open_browser(super::tags::Kind::Categories),
        Action::Open if app.search.text_terms().is_some() => return Some(open_selected(app)),
        _ => return None,
    }
    Some(None)
}

/// Opening a row of full-text results opens the post at its first hit.
fn open_selected(app: &mut App) -> Option<Effect> {
    let post = app.selected.clone()?;
    app.row_of_post(&post)?;
    match app.search.text_terms() {
        Some(find) => Some(Effect::OpenPostFind { post, find }),
        None => Some(Effect::OpenPost(post)),
    }
}

/// Keys of the focused list search line.
pub(super) fn update_line(app: &mut App, action: Action) -> Option<Effect> {
    match action {
        Action::InputCancel => {
            app.search.input.clear();
            app.search.focused = false;
            app.search.full_text = false;
            app.refresh_search(true);
        }
        Action::InputAccept => {
            app.search.focused = false;
            if app.search.text_terms().is_some() {
                return open_selected(app);
            }
        }
        Action::InputComplete => {
            if !complete(app) {
                app.search.full_text = !app.search.full_text;
                app.refresh_search(false);
            }
        }
        Action::Up | Action::Down | Action::PageUp | Action::PageDown => {
            return super::update::update_list(app, action);
        }
        other => {
            if edit(&mut app.search.input, other) {
                app.search.completion = None;
                app.refresh_search(false);
            }
        }
    }
    None
}

/// Text typed into the list search line.
pub(super) fn type_char(app: &mut App, c: char) {
    app.search.input.insert_char(c);
    app.search.completion = None;
    app.refresh_search(false);
}

/// The editing actions every line shares; returns whether the text changed.
pub(super) fn edit(line: &mut LineInput, action: Action) -> bool {
    match action {
        Action::InputLeft => line.left(),
        Action::InputRight => line.right(),
        Action::InputHome => line.home(),
        Action::InputEnd => line.end(),
        Action::InputBackspace => return line.backspace(),
        Action::InputDelete => return line.delete(),
        Action::InputKillLine => return line.kill_to_start(),
        Action::InputKillWord => return line.kill_word(),
        _ => {}
    }
    false
}

/// Tab on a `#tag` or `@category` token: the next name it could complete to. Returns
/// false when the token under the cursor is not one (Tab then toggles full text).
fn complete(app: &mut App) -> bool {
    let line = &app.search.input;
    let range = line.token_at_cursor();
    let token = line
        .text()
        .get(range.clone())
        .unwrap_or_default()
        .to_string();
    let Some(sigil) = token.chars().next().filter(|c| matches!(c, '#' | '@')) else {
        return false;
    };
    let continuing = app
        .search
        .completion
        .as_ref()
        .is_some_and(|c| c.start == range.start && c.inserted == token);
    if !continuing {
        let names = if sigil == '#' {
            app.library.tags()
        } else {
            app.library.categories()
        };
        let prefix = token.get(1..).unwrap_or_default();
        let candidates: Vec<String> =
            query::completions(names.iter().map(|t| t.name.as_str()), prefix)
                .into_iter()
                .map(str::to_string)
                .collect();
        app.search.completion = Some(Completion {
            start: range.start,
            candidates,
            next: 0,
            inserted: String::new(),
        });
    }
    let Some(completion) = app.search.completion.as_mut() else {
        return true;
    };
    let Some(name) = completion.candidates.get(completion.next).cloned() else {
        return true; // nothing to complete to: Tab does nothing rather than surprise
    };
    completion.next = (completion.next + 1) % completion.candidates.len().max(1);
    let replacement = query::token_for(sigil, &name);
    completion.inserted = replacement.clone();
    app.search.input.replace_range(range, &replacement);
    app.refresh_search(false);
    true
}

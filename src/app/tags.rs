//! The tag browser (`t`) and the category browser (`c`): every name with its post count,
//! a filter line, a selection, and Enter to show the posts with all (or any) of the
//! selection. The result is a set of chips on the list ([`Chips`]), separate from the
//! search line, so either can be cleared without losing the other.

use super::Action;
use super::input::LineInput;
use super::state::App;
use super::update::Effect;
use crate::library::query::Chips;
use crate::library::{TagCount, tag_key};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Tags,
    Categories,
}

impl Kind {
    pub fn title(self) -> &'static str {
        match self {
            Kind::Tags => "Tags",
            Kind::Categories => "Categories",
        }
    }

    pub fn sigil(self) -> char {
        match self {
            Kind::Tags => '#',
            Kind::Categories => '@',
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sort {
    Count,
    Name,
}

#[derive(Debug, Clone)]
pub struct TagBrowser {
    pub kind: Kind,
    pub sort: Sort,
    /// Every name with its count, in the current sort.
    pub all: Vec<TagCount>,
    pub filter: LineInput,
    pub filter_focused: bool,
    /// Indices into `all` that pass the filter, in order: the rows.
    pub rows: Vec<usize>,
    pub selected: usize,
    pub offset: usize,
    /// Chosen names, as [`tag_key`]s, in the order chosen.
    pub chosen: Vec<String>,
    /// Enter shows posts with any (rather than all) of `chosen`.
    pub any: bool,
}

impl TagBrowser {
    fn new(kind: Kind, all: Vec<TagCount>, chips: &Chips) -> TagBrowser {
        let chosen = match kind {
            Kind::Tags => &chips.tags,
            Kind::Categories => &chips.categories,
        };
        let mut browser = TagBrowser {
            kind,
            sort: Sort::Count,
            all,
            filter: LineInput::default(),
            // Opened to find a name: what is typed first is the filter.
            filter_focused: true,
            rows: Vec::new(),
            selected: 0,
            offset: 0,
            chosen: chosen.iter().map(|t| tag_key(t)).collect(),
            any: chips.any,
        };
        browser.refilter();
        browser
    }

    pub fn is_chosen(&self, name: &str) -> bool {
        self.chosen.contains(&tag_key(name))
    }

    /// The entry on row `row`.
    pub fn entry(&self, row: usize) -> Option<&TagCount> {
        self.rows.get(row).and_then(|&i| self.all.get(i))
    }

    fn refilter(&mut self) {
        let wanted = tag_key(self.filter.text());
        self.rows = self
            .all
            .iter()
            .enumerate()
            .filter(|(_, t)| tag_key(&t.name).contains(&wanted))
            .map(|(i, _)| i)
            .collect();
        self.selected = self.selected.min(self.rows.len().saturating_sub(1));
    }

    fn resort(&mut self) {
        let current = self.entry(self.selected).map(|t| t.name.clone());
        match self.sort {
            // `Library::tags` order: most used first, then by name.
            Sort::Count => self.all.sort_by(|a, b| {
                b.count
                    .cmp(&a.count)
                    .then_with(|| tag_key(&a.name).cmp(&tag_key(&b.name)))
            }),
            Sort::Name => self
                .all
                .sort_by_cached_key(|t| crate::library::collate::sort_key(&t.name)),
        }
        self.refilter();
        if let Some(row) = current.and_then(|name| {
            self.rows
                .iter()
                .position(|&i| self.all.get(i).is_some_and(|t| t.name == name))
        }) {
            self.selected = row;
        }
    }

    fn toggle_current(&mut self) {
        let Some(key) = self.entry(self.selected).map(|t| tag_key(&t.name)) else {
            return;
        };
        match self.chosen.iter().position(|c| *c == key) {
            Some(i) => {
                self.chosen.remove(i);
            }
            None => self.chosen.push(key),
        }
    }

    /// Keeps the selected row within the `page` rows shown.
    pub fn keep_visible(&mut self, page: usize) {
        let page = page.max(1);
        if self.selected < self.offset {
            self.offset = self.selected;
        } else if self.selected >= self.offset + page {
            self.offset = self.selected + 1 - page;
        }
        self.offset = self.offset.min(self.rows.len().saturating_sub(page));
    }
}

impl App {
    pub(super) fn open_browser(&mut self, kind: Kind) {
        let all = match kind {
            Kind::Tags => self.library.tags(),
            Kind::Categories => self.library.categories(),
        };
        self.browser = Some(TagBrowser::new(kind, all.to_vec(), &self.search.chips));
    }

    /// Rows of names the browser shows: the body less its header line.
    pub fn browser_page(&self) -> usize {
        self.body_height().saturating_sub(1).max(1)
    }

    /// Enter: the selection (or, with nothing selected, the name under the cursor)
    /// becomes the list's chips for this kind; the other kind's chips stay.
    fn apply_browser(&mut self) {
        let Some(browser) = self.browser.take() else {
            return;
        };
        let mut chosen = browser.chosen.clone();
        if chosen.is_empty()
            && let Some(entry) = browser.entry(browser.selected)
        {
            chosen.push(tag_key(&entry.name));
        }
        // Chips keep the names as the collection spells them most.
        let names: Vec<String> = chosen
            .iter()
            .map(|key| {
                browser
                    .all
                    .iter()
                    .find(|t| tag_key(&t.name) == *key)
                    .map(|t| t.name.clone())
                    .unwrap_or_else(|| key.clone())
            })
            .collect();
        let mut chips = self.search.chips.clone();
        match browser.kind {
            Kind::Tags => chips.tags = names,
            Kind::Categories => chips.categories = names,
        }
        chips.any = browser.any;
        self.set_chips(chips);
    }
}

/// Moves the browser's selection for a movement action; false for any other action.
fn move_selection(browser: &mut TagBrowser, action: Action, page: usize) -> bool {
    match super::movement::step(browser.selected, browser.rows.len(), page, action) {
        Some(row) => {
            browser.selected = row;
            true
        }
        None => false,
    }
}

/// Keys of the tag browser, its filter line unfocused ([`super::mode::Mode::Tags`]).
pub(super) fn update(app: &mut App, action: Action) -> Option<Effect> {
    let page = app.browser_page();
    let browser = app.browser.as_mut()?;
    if !move_selection(browser, action, page) {
        match action {
            Action::ToggleSelect => {
                browser.toggle_current();
                move_selection(browser, Action::Down, page);
            }
            Action::ToggleAnyAll => browser.any = !browser.any,
            Action::TagSort => {
                browser.sort = match browser.sort {
                    Sort::Count => Sort::Name,
                    Sort::Name => Sort::Count,
                };
                browser.resort();
            }
            Action::FocusFilter => browser.filter_focused = true,
            Action::CloseBrowser if !browser.filter.is_empty() => {
                browser.filter.clear();
                browser.refilter();
            }
            Action::CloseBrowser => app.browser = None,
            Action::ApplySelection => app.apply_browser(),
            _ => {}
        }
    }
    if let Some(browser) = app.browser.as_mut() {
        browser.keep_visible(page);
    }
    None
}

/// Keys of the browser's focused filter line ([`super::mode::Mode::TagFilter`]):
/// printable keys were typed before this is asked (see `dispatch`).
pub(super) fn update_line(app: &mut App, action: Action) -> Option<Effect> {
    let page = app.browser_page();
    let browser = app.browser.as_mut()?;
    if !move_selection(browser, action, page) {
        match action {
            // Esc hands the keys back to the browser, keeping the filter.
            Action::LeaveFilter => browser.filter_focused = false,
            Action::ToggleSelect => {
                browser.toggle_current();
                move_selection(browser, Action::Down, page);
            }
            Action::ApplySelection => {
                app.apply_browser();
                return None;
            }
            other => {
                if super::search::edit(&mut browser.filter, other) {
                    browser.selected = 0;
                    browser.refilter();
                }
            }
        }
    }
    browser.keep_visible(page);
    None
}

/// A letter typed into the focused filter.
pub(super) fn type_char(app: &mut App, c: char) {
    let page = app.browser_page();
    if let Some(browser) = app.browser.as_mut() {
        browser.filter.insert_char(c);
        browser.selected = 0;
        browser.refilter();
        browser.keep_visible(page);
    }
}

//! The list as it is shown: sorted by date or title (`s`), optionally grouped into an
//! archive of year-and-month sections (`z`). A blog is read by time ("what did I write
//! that spring?") as often as by name, so both orders matter. The library itself stays
//! newest first; this module only computes the order of rows, by post identity, which
//! the list view draws, movement follows, mouse clicks hit and J/K step by.

use std::borrow::Cow;
use std::cmp::Ordering;
use std::sync::Arc;

use chrono::Datelike;

use super::action::Action;
use super::navigate::Handled;
use super::state::App;

use crate::library::{Post, PostId};

mod shown;
mod title_keys;
pub use shown::Listing;
pub use title_keys::TitleKeys;
use title_keys::by_title;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SortKey {
    /// Newest first (the library's own order).
    #[default]
    Date,
    /// By title as a dictionary orders it: case aside, Han by pinyin after Latin
    /// (see [`collate`](crate::library::collate)).
    Title,
}

#[derive(Debug, Clone, Default)]
pub struct ListOptions {
    pub sort: SortKey,
    /// Grouped by year and month, newest month first.
    pub archive: bool,
    /// The rows for the options and library size they were computed for. Sorting 10k
    /// titles takes milliseconds, and the rows are needed several times per key (move,
    /// scroll, draw, status), so they are computed once per change (see [`refresh`]).
    cache: Option<(CacheKey, Listing)>,
    /// Collation keys of the titles, kept across sorts: while the list is sorted by
    /// title every search keystroke sorts again, and keying 10k titles is most of that.
    title_keys: TitleKeys,
    /// Titles too many to key on the event loop ([`KEYED_ON_THE_LOOP`]), for the loop
    /// to hand to a thread ([`ListOptions::take_title_keys_job`]).
    keys_job: Option<Vec<Arc<Post>>>,
    /// The collection (its epoch) whose keys a thread is making: until they come, the
    /// list keeps the library's order.
    keys_pending: Option<u64>,
    /// Every post's library position in title order, for the library generation it was
    /// made for: `s` again, or a search while sorted by title, reads it rather than
    /// sorting 100,000 keys again. Made once the keys were checked against every title
    /// of that generation, so until the library changes a sort also trusts the keys
    /// without hashing every title again.
    title_order: Option<(u64, Vec<usize>)>,
}

/// The most titles keyed on the event loop when the title sort needs them, a few
/// milliseconds' work. More (the first sort of a big collection before the loader has
/// keyed it: 0.1–0.2 s at 100,000 posts) are keyed on a thread.
const KEYED_ON_THE_LOOP: usize = 2_000;

impl ListOptions {
    /// The titles a thread is to key, once: its keys come back as
    /// [`Loaded::TitleKeys`](super::msg::Loaded::TitleKeys) for [`offer_title_keys`].
    pub fn take_title_keys_job(&mut self) -> Option<Vec<Arc<Post>>> {
        self.keys_job.take()
    }

    /// Whether the loader should key the titles: none are keyed, and no thread is
    /// keying them.
    pub fn title_keys_wanted(&self) -> bool {
        self.title_keys.0.is_empty() && self.keys_pending.is_none()
    }

    /// Whether the title sort waits for keys a thread is making.
    fn waiting_for_keys(&self) -> bool {
        self.keys_pending.is_some()
    }
}

/// What the rows depend on: the options, the library (its generation changes with every
/// post added, changed or removed), the search, and whether the title keys are still
/// being made.
type CacheKey = (SortKey, bool, u64, u64, bool);

fn cache_key(app: &App) -> CacheKey {
    (
        app.list_options.sort,
        app.list_options.archive,
        app.library.generation(),
        app.search.generation,
        app.list_options.waiting_for_keys(),
    )
}

/// One row of the list: a group header of the archive view, or a post.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Row {
    Group { label: String, count: usize },
    Post(PostId),
}

/// The posts in the order the list shows them, copied ([`listing`] asks without a
/// copy).
pub fn order(app: &App) -> Vec<PostId> {
    listing(app).posts().cloned().collect()
}

/// The list as shown: the cached one when it is current, else computed now.
pub fn listing(app: &App) -> Cow<'_, Listing> {
    match &app.list_options.cache {
        Some((key, listing)) if *key == cache_key(app) => Cow::Borrowed(listing),
        _ => Cow::Owned(Listing::new(compute_rows(app))),
    }
}

/// The rows of the list, group headers included (see [`listing`]). (A filter of the
/// list belongs on top of these rows.)
pub fn rows(app: &App) -> Cow<'_, [Row]> {
    match listing(app) {
        Cow::Borrowed(listing) => Cow::Borrowed(listing.rows()),
        Cow::Owned(listing) => Cow::Owned(listing.into_rows()),
    }
}

/// Keeps title keys made ahead of time, unless keys were made here already; keys a
/// thread made for the title sort end its wait, and the list is sorted. Keys of a
/// title that has changed since are not used (see [`TitleKeys`]). Only keys of the
/// collection on screen come here: a message of another is dropped before.
pub fn offer_title_keys(app: &mut App, keys: TitleKeys) {
    let options = &mut app.list_options;
    let waited = options.keys_pending.take().is_some();
    if waited || options.title_keys.0.is_empty() {
        options.title_keys = keys;
        // Not yet checked against the titles as they read now.
        options.title_order = None;
    }
    if waited && options.sort == SortKey::Title {
        app.say("sorted by title".into());
        app.keep_selection_visible();
    }
}

/// Recomputes the cached rows if the options or the library changed.
pub(super) fn refresh(app: &mut App) {
    // Keys being made for a collection no longer shown will not be taken: ask again.
    let epoch = app.collection_epoch;
    if app.list_options.keys_pending.is_some_and(|e| e != epoch) {
        app.list_options.keys_pending = None;
    }
    let key = cache_key(app);
    if app
        .list_options
        .cache
        .as_ref()
        .is_some_and(|(k, _)| *k == key)
    {
        return;
    }
    let options = &mut app.list_options;
    let generation = app.library.generation();
    if options.sort == SortKey::Title
        && options.keys_pending.is_none()
        && options
            .title_order
            .as_ref()
            .is_none_or(|(made_for, _)| *made_for != generation)
    {
        let posts = app.library.posts();
        let stale = options.title_keys.stale(posts);
        if stale.len() > KEYED_ON_THE_LOOP {
            options.keys_job = Some(posts.to_vec());
            options.keys_pending = Some(epoch);
        } else {
            options.title_keys.key_titles(&stale);
            let all = posts.iter().map(|post| &**post).enumerate();
            let sorted = by_title(&options.title_keys, true, all.collect());
            let order = sorted.into_iter().map(|(at, _)| at).collect();
            options.title_order = Some((generation, order));
        }
    }
    let rows = compute_rows(app);
    app.list_options.cache = Some((key, Listing::new(rows)));
}

fn compute_rows(app: &App) -> Vec<Row> {
    let library = &app.library;
    let posts = library.posts();
    // A search or tag filter chooses the posts and ranks them, best first; the date
    // sort keeps that ranking, the title sort and the archive reorder it.
    let mut chosen: Vec<&Post> = match &app.search.hits {
        Some(hits) => hits.iter().filter_map(|h| library.get(&h.id)).collect(),
        None => posts.iter().map(|post| &**post).collect(),
    };
    if app.list_options.sort == SortKey::Title && !app.list_options.waiting_for_keys() {
        let options = &app.list_options;
        let generation = library.generation();
        let made = options.title_order.as_ref();
        let order = made.and_then(|(made_for, order)| (*made_for == generation).then_some(order));
        let at = |n: &usize| posts.get(*n).map(|post| &**post);
        chosen = match (order, &app.search.hits) {
            (Some(order), None) => order.iter().filter_map(at).collect(),
            // Most of the posts matched: the whole order, less what did not.
            (Some(order), Some(_)) if chosen.len() * 8 >= posts.len() => {
                let mut wanted = vec![false; posts.len()];
                for post in &chosen {
                    if let Some(slot) = library.position(&post.id).and_then(|n| wanted.get_mut(n)) {
                        *slot = true;
                    }
                }
                let wanted = |n: &&usize| wanted.get(**n).copied().unwrap_or(false);
                order.iter().filter(wanted).filter_map(at).collect()
            }
            _ => {
                let searched = app.search.hits.is_some();
                let placed = chosen.iter().enumerate().map(|(n, post)| {
                    // Without a search, the posts are in the library's order already.
                    let at = match searched {
                        true => library.position(&post.id).unwrap_or(usize::MAX),
                        false => n,
                    };
                    (at, *post)
                });
                // An order for this library says its keys were checked.
                let checked = order.is_some();
                let sorted = by_title(&options.title_keys, checked, placed.collect());
                sorted.into_iter().map(|(_, post)| post).collect()
            }
        };
    }
    if !app.list_options.archive {
        return chosen
            .into_iter()
            .map(|p| Row::Post(p.id.clone()))
            .collect();
    }
    // Months newest first whatever the sort; within a month the sort applies. The sort
    // is stable, so sorting by month keeps the title order inside each month.
    chosen.sort_by(|a, b| match (month(a), month(b)) {
        (Some(x), Some(y)) => y.cmp(&x),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => Ordering::Equal,
    });
    let mut out = Vec::with_capacity(chosen.len() + 16);
    let mut current: Option<Option<(i32, u32)>> = None;
    let mut header_at = 0;
    for post in chosen {
        let m = month(post);
        if current != Some(m) {
            current = Some(m);
            header_at = out.len();
            out.push(Row::Group {
                label: group_label(m),
                count: 0,
            });
        }
        if let Some(Row::Group { count, .. }) = out.get_mut(header_at) {
            *count += 1;
        }
        out.push(Row::Post(post.id.clone()));
    }
    out
}

fn month(post: &Post) -> Option<(i32, u32)> {
    post.meta
        .date
        .as_ref()
        .map(|d| (d.naive.year(), d.naive.month()))
}

fn group_label(month: Option<(i32, u32)>) -> String {
    const NAMES: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    match month {
        Some((year, m)) => {
            let name = NAMES
                .get(m.saturating_sub(1) as usize)
                .copied()
                .unwrap_or("?");
            format!("{year} · {name}")
        }
        None => "Undated".to_string(),
    }
}

/// `z`, `s` and `r`; everything else is left to `update.rs`.
pub(super) fn update(app: &mut App, action: Action) -> Handled {
    match action {
        Action::Rescan => {
            let from_files = app
                .library
                .posts()
                .iter()
                .all(|p| matches!(p.source, crate::library::Source::File(_)));
            if !from_files {
                app.say("these posts are not read from a folder: nothing to read again".into());
                return Some(None);
            }
            app.say("reading the collection again…".into());
            return Some(Some(super::update::Effect::Rescan));
        }
        Action::ToggleArchive => {
            app.list_options.archive = !app.list_options.archive;
            app.say(if app.list_options.archive {
                "archive view: grouped by month".into()
            } else {
                "plain list".into()
            });
        }
        Action::ToggleSort => {
            app.list_options.sort = match app.list_options.sort {
                SortKey::Date => SortKey::Title,
                SortKey::Title => SortKey::Date,
            };
            refresh(app);
            let waiting = app.list_options.waiting_for_keys();
            app.say(match app.list_options.sort {
                SortKey::Date => "sorted by date, newest first".into(),
                SortKey::Title if waiting => "sorting by title…".into(),
                SortKey::Title => "sorted by title".into(),
            });
        }
        _ => return None,
    }
    app.keep_selection_visible();
    Some(None)
}

/// The selected post's position in the list order (the first when it is not shown),
/// and how many posts the list shows.
pub fn selected_position(app: &App) -> (usize, usize) {
    let listing = listing(app);
    let at = app
        .selected
        .as_ref()
        .and_then(|s| listing.position(s))
        .unwrap_or(0);
    (at, listing.post_count())
}

/// Scrolls the list so the selected post is on screen, with its group header when it
/// is the first of its group; a selection that is not in the list moves to the first
/// post.
pub(super) fn keep_selection_visible(app: &mut App) {
    refresh(app);
    let page = app.list_page();
    let (at, first_post, header_above, count) = {
        let rows = rows(app);
        let at = rows
            .iter()
            .position(|r| matches!((r, &app.selected), (Row::Post(id), Some(s)) if id == s));
        let first_post = rows.iter().enumerate().find_map(|(n, r)| match r {
            Row::Post(id) => Some((n, id.clone())),
            Row::Group { .. } => None,
        });
        let at = at.or(first_post.as_ref().map(|(n, _)| *n)).unwrap_or(0);
        let header_above = at
            .checked_sub(1)
            .and_then(|h| rows.get(h))
            .is_some_and(|r| matches!(r, Row::Group { .. }));
        (at, first_post, header_above, rows.len())
    };
    if let Some((n, post)) = first_post
        && n == at
    {
        app.selected = Some(post);
    }
    let top = if header_above && page > 1 { at - 1 } else { at };
    if top < app.list_offset {
        app.list_offset = top;
    } else if at >= app.list_offset + page {
        app.list_offset = at + 1 - page;
    }
    app.list_offset = app.list_offset.min(count.saturating_sub(page));
}

//! The reading memory's keys: `m` marks a post read or unread, `u` goes to the next
//! unread post, `M` bookmarks the place in the reader with a note typed in a line, `'`
//! lists the bookmarks (Enter opens at the spot, `x` deletes, `u` undoes) and `H` the
//! posts opened lately. The lists are pickers ([`super::picker`]) over the memory.

use super::action::Action;
use super::history::Landing;
use super::input::LineInput;
use super::outline::current_section;
use super::picker::{self, PickerItem, PickerKind};
use super::state::App;
use super::update::Effect;
use crate::memory::{Bookmark, Spot, new_bookmark_id};

impl App {
    /// Says once that nothing is remembered (`remember: false`, no usable store).
    fn memory_off(&mut self) -> bool {
        if self.memory.enabled {
            return false;
        }
        self.say("reading memory is off (remember: false, or its store could not be used)".into());
        true
    }

    /// The post `m` is about: the open one in the reader, the selected one in the list.
    fn post_in_view(&self) -> Option<crate::library::PostId> {
        if self.reading() {
            self.reader.as_ref().map(|r| r.post.clone())
        } else {
            self.selected.clone()
        }
    }
}

/// The reading-memory actions of the list and the reader; `None`: not one of them.
pub(super) fn update(app: &mut App, action: Action) -> Option<Option<Effect>> {
    match action {
        Action::ToggleRead => toggle_read(app),
        Action::NextUnread => next_unread(app),
        Action::Bookmark => start_note(app),
        Action::Bookmarks => open_bookmarks(app),
        Action::Recent => open_recent(app),
        _ => return None,
    }
    Some(None)
}

fn toggle_read(app: &mut App) {
    if app.memory_off() {
        return;
    }
    let Some(post) = app.post_in_view() else {
        return;
    };
    let read = !app.memory.is_read(&post);
    app.memory.set_read(&post, read);
    app.say(if read { "marked read" } else { "marked unread" }.into());
}

/// The next unread post after the selection in the list as shown, round to the top.
fn next_unread(app: &mut App) {
    if app.memory_off() {
        return;
    }
    let (at, _) = super::listing::selected_position(app);
    let listing = super::listing::listing(app);
    let after = listing.posts().skip(at + 1);
    let before = listing.posts().take(at + 1);
    let unread = after
        .chain(before)
        .find(|id| !app.memory.is_read(id))
        .cloned();
    drop(listing);
    match unread {
        Some(id) => {
            app.selected = Some(id);
            app.keep_selection_visible();
        }
        None => app.say("no unread post in the list".into()),
    }
}

/// `M`: a line for the bookmark's note (Enter keeps it, Esc drops the bookmark).
fn start_note(app: &mut App) {
    if app.memory_off() || app.reader.is_none() {
        return;
    }
    app.note = Some(LineInput::default());
}

/// Keys of the note line ([`super::mode::Mode::Note`]); printable keys are typed.
pub(super) fn update_note(app: &mut App, action: Action) -> Option<Effect> {
    let note = app.note.as_mut()?;
    match action {
        Action::InputAccept => {
            let text = note.text().trim().to_string();
            app.note = None;
            add_bookmark(app, text);
        }
        Action::InputCancel => {
            app.note = None;
            app.say("no bookmark made".into());
        }
        other => {
            super::search::edit(note, other);
        }
    }
    None
}

pub(super) fn type_note(app: &mut App, c: char) {
    if let Some(note) = app.note.as_mut() {
        note.insert_char(c);
    }
}

fn add_bookmark(app: &mut App, note: String) {
    let Some(reader) = &app.reader else {
        return;
    };
    let block = reader.block_at_scroll();
    let Some(spot) = Spot::of(&reader.laid.fingerprints, block) else {
        return;
    };
    let heading = current_section(&reader.laid.headings, reader.scroll)
        .and_then(|i| reader.laid.headings.get(i))
        .map(|h| h.text.clone());
    let now = chrono::Utc::now();
    let id = new_bookmark_id(
        now.timestamp_nanos_opt().unwrap_or_default(),
        std::process::id(),
    );
    let bookmark = Bookmark {
        id,
        post: reader.post.clone(),
        spot,
        heading,
        note,
        created: now.timestamp(),
    };
    app.memory.add_bookmark(bookmark);
    let key = app.key_for(Action::Bookmarks);
    app.say(format!("bookmarked; {key} lists the bookmarks"));
}

fn open_bookmarks(app: &mut App) {
    if app.memory_off() {
        return;
    }
    if app.memory.bookmarks.is_empty() {
        let key = app.key_for(Action::Bookmark);
        app.say(format!("no bookmarks yet: {key} in the reader makes one"));
        return;
    }
    let items = bookmark_items(app);
    picker::open(app, PickerKind::Bookmarks, items, 0);
}

fn bookmark_items(app: &App) -> Vec<PickerItem> {
    app.memory
        .bookmarks
        .iter()
        .map(|b| {
            let title = app
                .library
                .get(&b.post)
                .map_or_else(|| format!("{} (gone)", b.post), |p| p.title.to_string());
            let mut detail = b
                .heading
                .as_deref()
                .map(|h| format!("§ {h}"))
                .unwrap_or_default();
            if !b.note.is_empty() {
                if !detail.is_empty() {
                    detail.push_str(" · ");
                }
                detail.push_str(&b.note);
            }
            PickerItem {
                label: title,
                detail,
                theme: None,
                opens: Some((b.post.clone(), Landing::Spot(b.spot))),
                bookmark: Some(b.id),
            }
        })
        .collect()
}

fn open_recent(app: &mut App) {
    if app.memory_off() {
        return;
    }
    let items: Vec<PickerItem> = app
        .memory
        .recent
        .iter()
        .filter_map(|id| {
            let post = app.library.get(id)?;
            Some(PickerItem {
                label: post.title.to_string(),
                detail: post.date_ymd().unwrap_or_default(),
                theme: None,
                opens: Some((id.clone(), Landing::Resume)),
                bookmark: None,
            })
        })
        .collect();
    if items.is_empty() {
        app.say("no post opened yet".into());
        return;
    }
    picker::open(app, PickerKind::Recent, items, 0);
}

/// `x` and `u` in the bookmarks list.
pub(super) fn picker_key(app: &mut App, action: Action) {
    let Some(picker) = &app.picker else {
        return;
    };
    if picker.kind != PickerKind::Bookmarks {
        return;
    }
    let selected = picker.selected;
    match action {
        Action::DeleteBookmark => {
            let Some(id) = picker.items.get(selected).and_then(|i| i.bookmark) else {
                return;
            };
            app.memory.delete_bookmark(id);
            let key = app.key_for(Action::UndoDelete);
            app.say(format!("bookmark deleted; {key} brings it back"));
        }
        Action::UndoDelete => {
            if app.memory.undo_delete().is_none() {
                app.say("nothing to undo".into());
                return;
            }
            app.say("bookmark back".into());
        }
        _ => return,
    }
    let items = bookmark_items(app);
    if let Some(picker) = app.picker.as_mut() {
        picker.selected = selected.min(items.len().saturating_sub(1));
        picker.items = items;
    }
}

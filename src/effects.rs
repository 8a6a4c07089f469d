//! Carrying out the [`Effect`]s that `update` asks for: the disk side of the TUI, kept
//! apart from the terminal so tests can drive the whole app with a TestBackend.

use crate::app::{App, Effect};

pub fn perform(app: &mut App, effect: Effect) {
    match effect {
        Effect::OpenPost(index) => {
            open(app, index);
        }
        Effect::OpenPostAt { post, at } => {
            if open(app, post) {
                app.land(&at);
            }
        }
        Effect::ReloadPost => {
            let Some(post) = app
                .reader
                .as_ref()
                .and_then(|r| app.library.posts.get(r.post))
            else {
                return;
            };
            match post.body_and_meta() {
                Ok((meta, body, warnings)) => app.reload_post(meta, &body, warnings),
                Err(err) => app.say(format!("cannot reload {}: {err}", post.rel_path.display())),
            }
        }
        // These need the terminal (or leave folio): `terminal.rs` performs them, and
        // without a terminal (tests) there is nothing to do.
        Effect::Edit(_) | Effect::OpenExternal(_) | Effect::Copy(_) => {}
        Effect::OpenThemePicker => {
            let entries = app.prefs.catalog.entries();
            crate::app::picker::open_theme_picker(app, entries);
        }
        Effect::SwitchCollection(index) => switch_collection(app, index),
        Effect::OpenPostFind { post, find } => {
            perform(app, Effect::OpenPost(post));
            if app.reader.as_ref().is_some_and(|r| r.post == post) {
                app.start_find(&find);
            }
        }
    }
}

/// Reads post `index` and shows it; false (with a message) when it cannot be read.
fn open(app: &mut App, index: usize) -> bool {
    let Some(post) = app.library.posts.get(index) else {
        return false;
    };
    match post.body_and_meta() {
        Ok((meta, body, warnings)) => {
            app.show_post(index, meta, &body, warnings);
            true
        }
        Err(err) => {
            app.say(format!("cannot open {}: {err}", post.rel_path.display()));
            false
        }
    }
}

/// Opens the config's collection `index` in place of the current one.
fn switch_collection(app: &mut App, index: usize) {
    let Some(collection) = app.prefs.collections.get(index).cloned() else {
        return;
    };
    match crate::library::Library::scan(&collection.path) {
        Ok(mut library) => {
            app.prefs.filter(&mut library);
            app.library = library;
            app.collection_label = collection.path.display().to_string();
            app.prefs.current_collection = Some(index);
            app.reader = None;
            app.set_view(crate::app::View::List);
            app.selected = 0;
            app.list_offset = 0;
            app.say(format!("collection {}", collection.name));
        }
        Err(err) => app.say(format!("cannot open collection {}: {err}", collection.name)),
    }
}

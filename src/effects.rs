//! Carrying out the [`Effect`]s that `update` asks for: the disk side of the TUI, kept
//! apart from the terminal so tests can drive the whole app with a TestBackend.

use crate::app::change::LibraryChange;
use crate::app::{App, Effect};
use crate::library::{Library, PostId};
use crate::ui::clip_to_width;

pub fn perform(app: &mut App, effect: Effect) {
    match effect {
        Effect::OpenPost(post) => {
            if open(app, &post) {
                app.land(&crate::app::Landing::Resume);
            }
        }
        Effect::OpenPostAt { post, at } => {
            if open(app, &post) {
                app.land(&at);
            }
        }
        Effect::ReloadPost => {
            let Some(post) = app.reader.as_ref().and_then(|r| app.library.get(&r.post)) else {
                return;
            };
            match read_for_reader(post, app.prefs.max_post_bytes) {
                Ok(read) => read.reload(app),
                Err(err) => app.say(format!("cannot reload {}: {err}", post.rel_path.display())),
            }
        }
        // These need the terminal (or leave folio): `terminal.rs` performs them, and
        // without a terminal (tests) there is nothing to do.
        Effect::Edit(_)
        | Effect::OpenExternal(_)
        | Effect::OpenImage { .. }
        | Effect::Copy(_)
        | Effect::Suspend => {}
        // Without an event loop (tests), the rescan is done here, in this thread.
        Effect::Rescan => {
            let epoch = app.collection_epoch;
            let msg = match rescan(&app.library) {
                Some(changes) => crate::app::msg::Msg::Rescanned { epoch, changes },
                None => crate::app::msg::Msg::RescanFailed { epoch },
            };
            crate::app::msg::handle(app, msg);
        }
        Effect::OpenThemePicker => {
            let entries = app.prefs.catalog.entries();
            crate::app::picker::open_theme_picker(app, entries);
        }
        Effect::SwitchCollection(index) => switch_collection(app, index),
        Effect::OpenPostFind { post, find } => {
            perform(app, Effect::OpenPost(post.clone()));
            if app.reader.as_ref().is_some_and(|r| r.post == post) {
                app.start_find(&find);
            }
        }
    }
}

/// Reads a post and shows it; false (with a message) when it cannot be read. A post
/// whose file is gone since the scan leaves the list, the selection moving to its
/// neighbour.
fn open(app: &mut App, id: &PostId) -> bool {
    let Some(post) = app.library.get(id) else {
        return false;
    };
    match read_for_reader(post, app.prefs.max_post_bytes) {
        Ok(read) => {
            read.show(app, id.clone());
            true
        }
        Err(err) if err.is_missing() => {
            let path = clip_to_width(&post.rel_path.display().to_string(), usize::MAX);
            app.apply(vec![LibraryChange::Removed(id.clone())]);
            app.say(format!("{path} was removed"));
            false
        }
        Err(err) => {
            app.say(format!("cannot open {}: {err}", post.rel_path.display()));
            false
        }
    }
}

/// How much of a post over `max_post_size` the reader shows.
const HEAD_OF_A_POST_TOO_BIG: u64 = 1 << 20;

/// A post's text for the reader: the whole, or past `max_post_size` only its first MiB,
/// with a notice at its end and in the status bar (reading hundreds of MiB would hold
/// the event loop and take gigabytes).
fn read_for_reader(
    post: &crate::library::Post,
    max: u64,
) -> Result<ForReader, crate::library::LoadError> {
    let (mut text, cut) = post.head_and_meta(max, HEAD_OF_A_POST_TOO_BIG)?;
    let mut notice = None;
    if let Some(size) = cut {
        let mib = |bytes: u64| bytes.div_ceil(1 << 20);
        let said = format!(
            "{} is {} MiB, over max_post_size ({} MiB): showing its first MiB",
            clip_to_width(&post.rel_path.display().to_string(), usize::MAX),
            mib(size),
            mib(max),
        );
        text.body.push_str(&format!("\n\n---\n\n*{said}.*\n"));
        notice = Some(said);
    }
    Ok(ForReader { text, notice })
}

/// A long post's text read again for another layout of it (a resize, a theme), as
/// [`read_for_reader`] reads it; the reader keeps none of a long post's text.
pub fn body_for_layout(
    post: &crate::library::Post,
    max: u64,
) -> Result<crate::library::front_matter::PostText, String> {
    read_for_reader(post, max)
        .map(|read| read.text)
        .map_err(|err| err.to_string())
}

/// Makes the layout the open long post waits for, here and now, and does what it asks
/// (tests and tools; the TUI runs the job beside its loop). Returns whether there was
/// a layout to make.
pub fn finish_layout(app: &mut App) -> bool {
    let Some(result) = app
        .take_layout_job()
        .and_then(|job| job.run(body_for_layout))
    else {
        return false;
    };
    if let Some(effect) = app.laid_out(result) {
        perform(app, effect);
    }
    true
}

/// What the reader gets of a post: see [`read_for_reader`].
struct ForReader {
    text: crate::library::front_matter::PostText,
    /// Says the post was cut (past `max_post_size`).
    notice: Option<String>,
}

impl ForReader {
    fn show(self, app: &mut App, id: PostId) {
        app.show_post(id, self.text);
        if let Some(notice) = self.notice {
            app.say(notice);
        }
    }

    fn reload(self, app: &mut App) {
        app.reload_post(self.text);
        if let Some(notice) = self.notice {
            app.say(notice);
        }
    }
}

/// The file of a post's image, as the reader finds it (the collection and the site
/// root around the post; never outside them), or why there is none.
pub fn image_file(
    app: &App,
    post_dir: Option<&std::path::Path>,
    url: &str,
) -> Result<std::path::PathBuf, String> {
    let dir = post_dir.ok_or("this post has no folder to find its images in")?;
    let roots = crate::images::locate::Roots::find(&app.library.root, dir);
    crate::images::locate::locate(url, Some(dir), &roots)
        .map_err(|refusal| format!("cannot open {url}: {refusal}"))
}

/// What changed on disk since `library` was read: its folder scanned again and compared
/// post by post. `None` when the folder cannot be read (or the library has none).
pub fn rescan(library: &Library) -> Option<Vec<LibraryChange>> {
    let root = watchable_root(library)?;
    let fresh = Library::scan(&root).ok()?;
    Some(crate::app::change::diff(library, &fresh))
}

/// The folder a library was read from, when it was read from one (not the bundled
/// samples or stdin).
pub fn watchable_root(library: &Library) -> Option<std::path::PathBuf> {
    let from_files = library
        .posts()
        .iter()
        .all(|p| matches!(p.source, crate::library::Source::File(_)));
    (from_files && library.root.is_dir()).then(|| library.root.clone())
}

/// Opens the config's collection `index` in place of the current one.
fn switch_collection(app: &mut App, index: usize) {
    let Some(collection) = app.prefs.collections.get(index).cloned() else {
        return;
    };
    match Library::scan(&collection.path) {
        Ok(mut library) => {
            app.prefs.filter(&mut library);
            let label = collection.path.display().to_string();
            app.apply(vec![LibraryChange::Replaced { library, label }]);
            app.prefs.current_collection = Some(index);
            app.say(format!("collection {}", collection.name));
        }
        Err(err) => app.say(format!("cannot open collection {}: {err}", collection.name)),
    }
}

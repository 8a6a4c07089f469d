//! The reader's keys beyond scrolling: one entry point that `update` asks first, so
//! that outline, links, history, copying, editing and J/K live in their own modules and
//! `update.rs` stays a short dispatcher.

use super::action::Action;
use super::history::{Landing, Position};
use super::mode::View;
use super::state::{App, PostSource};
use super::update::Effect;
use super::{copy, links, listing, outline};
use crate::library::Source;
use crate::library::front_matter::PostText;

/// What a module returns for an action: `None` when the action is not its business,
/// `Some(effect)` when it handled it (the effect itself being optional).
pub(super) type Handled = Option<Option<Effect>>;

/// The reader keys handled outside `update.rs`; `None` leaves the action to it.
pub(super) fn reader(app: &mut App, action: Action) -> Handled {
    app.reader.as_ref()?;
    outline::update(app, action)
        .or_else(|| links::update(app, action))
        .or_else(|| copy::update(app, action))
        .or_else(|| match action {
            Action::HistoryBack => Some(back(app)),
            Action::HistoryForward => Some(forward(app)),
            Action::NextPost => Some(step_post(app, true)),
            Action::PrevPost => Some(step_post(app, false)),
            Action::Edit => Some(edit(app)),
            Action::ToggleImages => {
                app.toggle_images();
                Some(None)
            }
            _ => None,
        })
}

/// Called after every reader action `update.rs` handled itself (scrolling).
pub(super) fn after_reader_action(app: &mut App) {
    links::after_scroll(app);
    app.note_end_seen();
}

/// Backspace: the previous position in history, or the list when there is none.
fn back(app: &mut App) -> Option<Effect> {
    let here = app.position()?;
    match app.history.back(here) {
        Some(to) => go(app, to),
        None => {
            app.set_view(View::List);
            None
        }
    }
}

fn forward(app: &mut App) -> Option<Effect> {
    let here = app.position()?;
    match app.history.forward(here) {
        Some(to) => go(app, to),
        None => {
            app.say("nothing to go forward to".into());
            None
        }
    }
}

/// Returns to a remembered position: a scroll in the open post, else a re-read.
fn go(app: &mut App, to: Position) -> Option<Effect> {
    let at = Landing::Row(to.scroll);
    match app.reader.as_mut() {
        Some(reader) if reader.post == to.post => {
            reader.focus = None;
            app.message = None;
            app.land(&at);
            None
        }
        _ => Some(Effect::OpenPostAt { post: to.post, at }),
    }
}

/// J / K: the neighbour of the open post in the list as it is shown (sorted, grouped).
fn step_post(app: &mut App, next: bool) -> Option<Effect> {
    let here = app.reader.as_ref()?.post.clone();
    let shown = listing::listing(app);
    let target = match shown.position(&here) {
        Some(p) if next => shown.post(p + 1),
        Some(p) => p.checked_sub(1).and_then(|p| shown.post(p)),
        None => shown.post(0),
    }
    .cloned();
    drop(shown);
    match target {
        Some(post) => links::visit(app, post, Landing::Resume),
        None => {
            let end = if next { "last" } else { "first" };
            app.say(format!("this is the {end} post of the list"));
            None
        }
    }
}

/// `e`: which file to hand to the editor; bundled samples have none.
fn edit(app: &mut App) -> Option<Effect> {
    let post = &app.reader.as_ref()?.post;
    match &app.library.get(post)?.source {
        Source::File(path) => Some(Effect::Edit(path.clone())),
        Source::Embedded(_) => {
            app.say(
                "this post is built into folio and cannot be edited; open a folder of posts".into(),
            );
            None
        }
    }
}

impl App {
    /// Shows the open post again after it changed on disk (the editor ran): the new text
    /// goes through the one relayout path, so the view stays at the same block with its
    /// related posts, find hits and link focus; a message set before the reload stays.
    pub fn reload_post(&mut self, text: PostText) {
        let PostText {
            meta,
            body,
            diagnostics,
            body_line,
        } = text;
        let Some(post) = self.reader.as_ref().map(|r| r.post.clone()) else {
            return;
        };
        let related = super::related::entries(self, &post);
        if let Some(reader) = self.reader.as_mut() {
            reader.source = PostSource::of(body);
            reader.options.meta = Some(meta);
            reader.diagnostics = diagnostics;
            reader.body_line = body_line;
            reader.related = related;
            // A layout still being made beside the loop is of the text before the edit.
            reader.pending_layout = None;
        }
        self.layouts.forget();
        self.relayout_reader();
    }
}

//! Links in the reader: a focus that Tab and Shift-Tab move through the links on screen,
//! and Enter following the focused one. Blogs are webs of posts linking to each other;
//! following a link should stay in folio when it leads to another post of the
//! collection, jump when it names a heading, and only leave for the browser when it
//! really is the web. What a URL means is decided by [`crate::library::link`]; this
//! module only turns that into state changes and effects.

use super::action::Action;
use super::history::Landing;
use super::navigate::Handled;
use super::related;
use super::state::{App, ReaderState};
use super::update::Effect;
use crate::images::source::Source;
use crate::library::PostId;
use crate::library::link::{LinkTarget, resolve_link};
use crate::markdown::Role;

/// Link ids on the visible rows, in reading order, each once.
pub fn visible_links(reader: &ReaderState, height: usize) -> Vec<u32> {
    let mut ids = Vec::new();
    let rows = reader.laid.lines.iter().skip(reader.scroll).take(height);
    for span in rows.flat_map(|line| line.spans()) {
        if let Some(id) = span.style.link
            && !ids.contains(&id)
        {
            ids.push(id);
        }
    }
    ids
}

/// The URL of link `id` (for a related post, its path).
pub fn url_of(reader: &ReaderState, id: u32) -> Option<&str> {
    reader
        .laid
        .links
        .iter()
        .find(|l| l.id == id)
        .map(|l| l.url.as_str())
}

/// The focused link, if it is still on screen: a link scrolled away is not followed.
pub fn focused_on_screen(app: &App) -> Option<u32> {
    let reader = app.reader.as_ref()?;
    reader
        .focus
        .filter(|id| visible_links(reader, app.body_height()).contains(id))
}

/// The status line shown while a link is focused.
fn hint(url: &str) -> String {
    format!("→ {url}")
}

pub(super) fn update(app: &mut App, action: Action) -> Handled {
    match action {
        Action::NextLink | Action::PrevLink => {
            move_focus(app, action == Action::NextLink);
            Some(None)
        }
        Action::Follow => Some(follow(app)),
        _ => None,
    }
}

fn move_focus(app: &mut App, forward: bool) {
    let height = app.body_height();
    let Some(reader) = app.reader.as_mut() else {
        return;
    };
    let ids = visible_links(reader, height);
    let len = ids.len();
    if len == 0 {
        reader.focus = None;
        app.say("no links on screen".into());
        return;
    }
    let at = reader.focus.and_then(|f| ids.iter().position(|&i| i == f));
    let next = match (at, forward) {
        (Some(p), true) => (p + 1) % len,
        (Some(p), false) => (p + len - 1) % len,
        (None, true) => 0,
        (None, false) => len - 1,
    };
    reader.focus = ids.get(next).copied();
    let url = reader.focus.and_then(|id| url_of(reader, id)).unwrap_or("");
    // A hint that follows the focus, not news worth keeping in the messages log.
    app.message = Some(hint(url));
}

/// After the view moved: the focus stays while its link is on screen (and the status
/// line keeps showing where it leads), and is dropped once it scrolled away. Any other
/// note from an earlier key is stale by now and cleared.
pub(super) fn after_scroll(app: &mut App) {
    let visible = focused_on_screen(app);
    let Some(reader) = app.reader.as_mut() else {
        return;
    };
    reader.focus = visible;
    let note = visible.and_then(|id| url_of(reader, id)).map(hint);
    app.message = note;
}

fn follow(app: &mut App) -> Option<Effect> {
    let Some(id) = focused_on_screen(app) else {
        let tab = app.key_for(Action::NextLink);
        app.say(format!(
            "no link focused: {tab} moves to the links on screen"
        ));
        return None;
    };
    let reader = app.reader.as_ref()?;
    if let Some(post) = related::post_of(&reader.related, id) {
        return visit(app, post, Landing::Resume);
    }
    let url = url_of(reader, id).unwrap_or_default().to_string();
    if is_image(reader, id) && !matches!(Source::of(&url), Source::Remote { .. }) {
        let post_dir = reader.options.base_dir.clone();
        // Layout joined a relative URL to the post's folder; the image is looked for
        // from the URL as the post wrote it.
        let written = post_dir
            .as_deref()
            .and_then(|dir| std::path::Path::new(&url).strip_prefix(dir).ok())
            .map_or(url.clone(), |rel| rel.to_string_lossy().into_owned());
        app.say(format!("opening {written} in the image viewer"));
        return Some(Effect::OpenImage {
            post_dir,
            url: written,
        });
    }
    let here = reader.post.clone();
    match resolve_link(&app.library, &here, &url) {
        LinkTarget::Post { id, anchor } if id == here => {
            jump_to_anchor(app, &anchor.unwrap_or_default());
            None
        }
        LinkTarget::Post { id, anchor } => {
            visit(app, id, anchor.map_or(Landing::Resume, Landing::Anchor))
        }
        LinkTarget::Anchor(anchor) => {
            jump_to_anchor(app, &anchor);
            None
        }
        LinkTarget::External(url) => {
            app.say(format!("opening in the browser: {url}"));
            Some(Effect::OpenExternal(url))
        }
        LinkTarget::Refused(scheme) => {
            app.say(format!("folio does not open {scheme}: links"));
            None
        }
        LinkTarget::NotFound(url) => {
            app.say(format!("no post in this collection at {url}"));
            None
        }
    }
}

/// Whether link `id` is an image's (a figure, or its placeholder line).
fn is_image(reader: &ReaderState, id: u32) -> bool {
    reader
        .laid
        .lines
        .iter()
        .flat_map(|line| line.spans())
        .any(|s| s.style.link == Some(id) && matches!(s.style.role, Role::Image | Role::Figure))
}

/// An in-post jump, remembered in history like a browser remembers `#anchor` jumps.
fn jump_to_anchor(app: &mut App, anchor: &str) {
    let Some(reader) = app.reader.as_ref() else {
        return;
    };
    let Some(row) = super::history::heading_row(&reader.laid.headings, anchor) else {
        app.say(format!("no heading #{anchor} in this post"));
        return;
    };
    if let Some(here) = app.position() {
        app.history.visit(here);
    }
    let max = app.max_reader_scroll();
    if let Some(reader) = app.reader.as_mut() {
        reader.scroll = row.min(max);
        reader.focus = None;
    }
    app.message = None;
}

/// Leaves for another post, remembering where we were.
pub(super) fn visit(app: &mut App, post: PostId, at: Landing) -> Option<Effect> {
    if let Some(here) = app.position() {
        app.history.visit(here);
    }
    Some(Effect::OpenPostAt { post, at })
}

//! The bottom line: where you are, and the keys of the layer on top. Every key named
//! here is looked up in the keymap ([`crate::app::Keymap::hint`]), so a remapped key
//! shows as remapped.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Widget;

use super::text::{clip_to_width, display_width};
use crate::app::change::IndexStatus;
use crate::app::{Action, App, Mode};
use crate::theme::{Theme, UiRole};

pub struct StatusBar<'a> {
    pub app: &'a App,
    pub theme: &'a Theme,
}

/// Where the user is: the post's title in the reader, the collection in the list (the
/// tag browser has its own header, and its keys need the room).
fn left_text(app: &App) -> String {
    if matches!(app.mode(), Mode::Tags | Mode::TagFilter) {
        return String::new();
    }
    if app.reading()
        && let Some(reader) = &app.reader
    {
        let title = app
            .library
            .get(&reader.post)
            .map(|p| &*p.title)
            .unwrap_or_default();
        return format!(" {title}");
    }
    let posts = app.library.posts().len();
    let noun = if posts == 1 { "post" } else { "posts" };
    let mut left = format!(" {} · {posts} {noun}", app.collection_name());
    // Before the first count arrives: the word alone ("indexing… found" said nothing).
    match (app.index_status, app.index_found) {
        (IndexStatus::Checking, 0) => left.push_str(" · checking…"),
        (IndexStatus::Checking, n) => left.push_str(&format!(" · checking… {n}")),
        (IndexStatus::Indexing, 0) => left.push_str(" · indexing…"),
        (IndexStatus::Indexing, n) => left.push_str(&format!(" · indexing… {n} found")),
        (IndexStatus::Idle, _) => {}
    }
    if let Some(note) = super::search::status_note(app) {
        left.push_str(&note);
    }
    // The problems come after what the list shows now, which matters more.
    match app.checks.counts() {
        Some((errors, warnings)) => {
            if errors > 0 {
                left.push_str(&format!(" · {errors} with errors"));
            }
            if warnings > 0 {
                left.push_str(&format!(" · {warnings} with warnings"));
            }
        }
        // Until the collection is checked, what the index found.
        None => {
            let warned = app
                .library
                .posts()
                .iter()
                .filter(|p| app.checks.has_problems(p))
                .count();
            if warned > 0 {
                left.push_str(&format!(" · {warned} with warnings"));
            }
        }
    }
    // Last, so it is the first cut when the bar is short of room.
    if app.memory.enabled {
        let unread = app
            .memory
            .unread_among(app.library.posts().len(), |id| app.library.contains(id));
        left.push_str(&format!(" · {unread} unread"));
    }
    left
}

/// The position and the keys that matter in the mode on top.
fn right_text(app: &App) -> String {
    let mode = app.mode();
    let keys = |parts: &[(Action, &str)]| app.keymap.hint(mode.screens(), parts);
    let position = match (mode, &app.reader) {
        (Mode::Reader | Mode::Outline | Mode::Find, Some(reader)) => {
            let total = reader.laid.lines.len();
            let shown = (reader.scroll + app.body_height()).min(total);
            let percent = if total <= app.body_height() {
                100
            } else {
                shown * 100 / total.max(1)
            };
            let found = app
                .find
                .counter()
                .map(|c| format!("{c}  "))
                .unwrap_or_default();
            format!("{found}{shown}/{total} {percent:>3}%  ")
        }
        (Mode::List | Mode::Search, _) => {
            let (at, count) = crate::app::listing::selected_position(app);
            if count == 0 {
                String::new()
            } else {
                format!("{}/{count}  ", at + 1)
            }
        }
        _ => String::new(),
    };
    let hint = match mode {
        Mode::List => keys(&[(Action::ToggleHelp, "help"), (Action::Quit, "quit")]),
        Mode::Reader | Mode::Find => keys(&[(Action::ToggleHelp, "help"), (Action::Back, "back")]),
        Mode::Outline => keys(&[
            (Action::GoToHeading, "go"),
            (Action::LeaveOutline, "text"),
            (Action::CloseOutline, "close"),
        ]),
        Mode::Note => keys(&[
            (Action::InputAccept, "bookmark"),
            (Action::InputCancel, "no bookmark"),
        ]),
        Mode::Search => keys(&[
            (Action::InputAccept, "keep"),
            (Action::InputComplete, "full text"),
            (Action::InputCancel, "clear"),
        ]),
        Mode::Tags => keys(&[
            (Action::ToggleSelect, "select"),
            (Action::ApplySelection, "apply"),
            (Action::ToggleAnyAll, "all/any"),
            (Action::TagSort, "sort"),
            (Action::FocusFilter, "filter"),
            (Action::CloseBrowser, "close"),
        ]),
        Mode::TagFilter => keys(&[
            (Action::ToggleSelect, "select"),
            (Action::ApplySelection, "apply"),
            (Action::LeaveFilter, "keys"),
        ]),
        Mode::Picker => keys(&[(Action::Confirm, "use"), (Action::Cancel, "cancel")]),
        Mode::Help | Mode::Messages => String::new(),
    };
    format!("{position}{hint} ")
}

impl Widget for StatusBar<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let app = self.app;
        let bar = self.theme.ui(UiRole::StatusBar);
        buf.set_style(area, bar);
        let left = left_text(app);
        let width = usize::from(area.width);
        let right = clip_to_width(&right_text(app), width);
        let room = width.saturating_sub(display_width(&right) + 1);
        let mut spans = Vec::new();
        if let Some(message) = &app.message {
            let message = format!(" {message} ");
            // A message cut short says where to read it whole.
            let message = if display_width(&message) > room {
                let more = app
                    .keymap
                    .key_label(app.key_screens(), Action::Messages)
                    .map(|key| format!("… {key} more "))
                    .unwrap_or_default();
                let cut = room.saturating_sub(display_width(&more));
                let mut text = clip_to_width(&message, cut);
                if text.ends_with('…') && !more.is_empty() {
                    text.pop();
                }
                format!("{text}{more}")
            } else {
                message
            };
            let message = clip_to_width(&message, room);
            spans.push(Span::styled(
                message.clone(),
                bar.patch(self.theme.ui(UiRole::Warning)),
            ));
            let rest = room.saturating_sub(display_width(&message));
            spans.push(Span::styled(clip_to_width(&left, rest), bar));
        } else {
            spans.push(Span::styled(clip_to_width(&left, room), bar));
        }
        let used: usize = spans.iter().map(|s| display_width(&s.content)).sum();
        let gap = width.saturating_sub(used + display_width(&right));
        spans.push(Span::styled(" ".repeat(gap), bar));
        spans.push(Span::styled(
            right,
            bar.patch(self.theme.ui(UiRole::StatusKey)),
        ));
        Line::from(spans).render(area, buf);
    }
}

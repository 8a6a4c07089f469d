//! The pickers: `T` chooses a theme, previewing each as the selection moves; `C`
//! switches between the collections the config lists. Both are a list in a pop-up with
//! the same keys (the `picker` screen of the keymap), so they share this one state.
//!
//! Loading themes and scanning a collection need the disk, so opening the theme picker
//! and switching collections are [`Effect`]s; everything else here is pure.

use super::action::Action;
use super::history::Landing;
use super::state::App;
use super::update::Effect;
use crate::library::PostId;
use crate::theme::Theme;
use crate::theme::catalog::{Entry, Origin};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PickerKind {
    Theme,
    Collection,
    Bookmarks,
    Recent,
    /// The open post's problems (`!` in the reader).
    Problems,
}

/// One choice: what it is called, a line about it, and for themes the loaded theme
/// (or why it could not be loaded).
#[derive(Debug, Clone)]
pub struct PickerItem {
    pub label: String,
    pub detail: String,
    pub theme: Option<Result<Theme, String>>,
    /// The post this choice opens, and where (bookmarks, recent posts).
    pub opens: Option<(PostId, Landing)>,
    /// The bookmark this choice is, for `x`.
    pub bookmark: Option<i64>,
}

#[derive(Debug, Clone)]
pub struct Picker {
    pub kind: PickerKind,
    pub items: Vec<PickerItem>,
    pub selected: usize,
    /// The theme in use when the picker opened: cancelling puts it back.
    pub original_theme: Theme,
}

impl Picker {
    pub fn title(&self) -> &'static str {
        match self.kind {
            PickerKind::Theme => "Theme",
            PickerKind::Collection => "Collection",
            PickerKind::Bookmarks => "Bookmarks",
            PickerKind::Recent => "Recent",
            PickerKind::Problems => "Problems",
        }
    }
}

/// An action while a picker is open (see [`super::mode::Mode::Picker`]).
pub(super) fn update(app: &mut App, action: Action) -> Option<Effect> {
    let picker = app.picker.as_mut()?;
    let page = usize::from(app.size.1.saturating_sub(6)).max(1);
    let moved = super::movement::step(picker.selected, picker.items.len(), page, action);
    if let Some(selected) = moved {
        picker.selected = selected;
        if picker.kind == PickerKind::Theme {
            preview(app);
        }
        return None;
    }
    match action {
        Action::Confirm | Action::Open => confirm(app),
        Action::Cancel | Action::Back | Action::Quit => {
            cancel(app);
            None
        }
        Action::ToggleHelp => {
            app.show_help = true;
            app.help_scroll = 0;
            None
        }
        Action::DeleteBookmark | Action::UndoDelete => {
            super::bookmarks::picker_key(app, action);
            None
        }
        _ => None,
    }
}

/// Shows the highlighted theme at once, so moving through the list is the preview.
fn preview(app: &mut App) {
    let Some(picker) = &app.picker else { return };
    let chosen = picker
        .items
        .get(picker.selected)
        .and_then(|i| i.theme.clone());
    match chosen {
        Some(Ok(theme)) => {
            app.message = None;
            app.set_theme(theme);
        }
        Some(Err(err)) => app.say(err),
        None => {}
    }
}

fn confirm(app: &mut App) -> Option<Effect> {
    let picker = app.picker.take()?;
    let selected = picker.items.get(picker.selected);
    match picker.kind {
        PickerKind::Theme => {
            match selected.and_then(|i| i.theme.clone()) {
                Some(Ok(theme)) => {
                    app.say(format!(
                        "theme {0}; to keep it, set `theme: {0}` in the config",
                        theme.name()
                    ));
                    app.set_theme(theme);
                }
                _ => app.set_theme(picker.original_theme),
            }
            None
        }
        PickerKind::Collection => (app.prefs.current_collection != Some(picker.selected))
            .then_some(Effect::SwitchCollection(picker.selected)),
        PickerKind::Bookmarks | PickerKind::Recent => {
            let (post, at) = selected?.opens.clone()?;
            if !app.library.contains(&post) {
                app.say(format!("{post} is no longer in the collection"));
                return None;
            }
            Some(Effect::OpenPostAt { post, at })
        }
        // The post is open: a jump within it, remembered like an anchor's.
        PickerKind::Problems => {
            let (_, at) = selected?.opens.clone()?;
            if let Some(here) = app.position() {
                app.history.visit(here);
            }
            app.land(&at);
            None
        }
    }
}

fn cancel(app: &mut App) {
    if let Some(picker) = app.picker.take()
        && picker.kind == PickerKind::Theme
    {
        app.set_theme(picker.original_theme);
        app.message = None;
    }
}

pub(super) fn open_collection_picker(app: &mut App) -> Option<Effect> {
    if app.prefs.collections.len() < 2 {
        app.say("no other collection: list several under `collection:` in the config".to_string());
        return None;
    }
    let items = app
        .prefs
        .collections
        .iter()
        .map(|c| PickerItem {
            label: c.name.clone(),
            detail: c.path.display().to_string(),
            theme: None,
            opens: None,
            bookmark: None,
        })
        .collect();
    open(
        app,
        PickerKind::Collection,
        items,
        app.prefs.current_collection.unwrap_or(0),
    );
    None
}

/// Opens the theme picker on the catalog's entries (loaded by the caller, which may
/// touch the disk), with the current theme selected.
pub fn open_theme_picker(app: &mut App, entries: Vec<Entry>) {
    let depth = app.theme.depth();
    let current = app.theme.name().to_string();
    let items: Vec<PickerItem> = entries
        .into_iter()
        .map(|entry| {
            let origin = match &entry.origin {
                Origin::BuiltIn => String::new(),
                Origin::User(path) => format!(" ({})", path.display()),
            };
            let detail = match &entry.theme {
                Ok(theme) => format!("{}{origin}", theme.description()),
                Err(err) => format!("✗ {err}"),
            };
            PickerItem {
                label: entry.name,
                detail,
                opens: None,
                bookmark: None,
                theme: Some(
                    entry
                        .theme
                        .map(|t| t.with_depth(depth))
                        .map_err(|e| e.to_string()),
                ),
            }
        })
        .collect();
    let selected = items.iter().position(|i| i.label == current).unwrap_or(0);
    open(app, PickerKind::Theme, items, selected);
}

pub(super) fn open(app: &mut App, kind: PickerKind, items: Vec<PickerItem>, selected: usize) {
    app.picker = Some(Picker {
        kind,
        selected: selected.min(items.len().saturating_sub(1)),
        items,
        original_theme: app.theme.clone(),
    });
}

impl App {
    /// Switches theme; an open post is laid out again when the code colours change.
    pub fn set_theme(&mut self, theme: Theme) {
        let code = theme.code_theme().map(str::to_string);
        self.theme = theme;
        if self
            .reader
            .as_ref()
            .is_some_and(|r| r.options.code_theme != code)
        {
            self.relayout_reader();
        }
    }
}

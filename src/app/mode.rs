//! Which layer has the keys and is drawn on top. folio stacks layers: the list or the
//! reader at the bottom, then a search line, the outline pane or the tag browser, then a
//! picker, then help. Input and drawing must agree on which one is on top, or a key
//! meant for a pop-up acts on the screen beneath it; so both ask [`App::mode`], the one
//! place that decides, and the mode says which keymap sections a key is looked up in.

use super::keymap::Screen;
use super::outline;
use super::state::App;

/// The screen at the bottom of the stack: what is left when every overlay closes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum View {
    #[default]
    List,
    Reader,
}

/// The layer on top, the one that has the keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Help,
    /// The messages page (`!`).
    Messages,
    /// A theme or collection picker over the view.
    Picker,
    /// The tag or category browser, its filter line focused: keys are typed.
    TagFilter,
    /// The tag or category browser.
    Tags,
    /// The list's `/` line has the focus.
    Search,
    /// The reader's `/` line has the focus.
    Find,
    /// The line for a bookmark's note has the focus.
    Note,
    /// The reader's outline pane has the keys.
    Outline,
    Reader,
    List,
}

impl Mode {
    /// The keymap sections a key is looked up in, most specific first.
    pub fn screens(self) -> &'static [Screen] {
        match self {
            Mode::Help | Mode::Messages => &[Screen::Help, Screen::Global],
            Mode::Picker => &[Screen::Picker, Screen::Global],
            Mode::TagFilter => &[Screen::TagFilter, Screen::Global],
            Mode::Tags => &[Screen::Tags, Screen::Global],
            Mode::Search | Mode::Find | Mode::Note => &[Screen::Search, Screen::Global],
            // The pane takes movement and Enter; the reader's other keys still work.
            Mode::Outline => &[Screen::Outline, Screen::Reader, Screen::Global],
            Mode::Reader => &[Screen::Reader, Screen::Global],
            Mode::List => &[Screen::List, Screen::Global],
        }
    }

    /// Whether a printable key that the mode's own section does not bind is text for a
    /// line rather than a command.
    pub fn types_text(self) -> bool {
        matches!(
            self,
            Mode::TagFilter | Mode::Search | Mode::Find | Mode::Note
        )
    }

    /// The sections the help overlay lists for this mode, most specific first.
    pub fn help_sections(self) -> Vec<Screen> {
        let own = self.screens();
        let mut out: Vec<Screen> = own.iter().copied().filter(|&s| s != Screen::Help).collect();
        // A screen's lines are one key away: show their keys too.
        let line = match self {
            Mode::List => Some(Screen::Search),
            Mode::Reader | Mode::Outline => Some(Screen::Search),
            Mode::Tags => Some(Screen::TagFilter),
            _ => None,
        };
        if let Some(line) = line {
            out.insert(out.len().saturating_sub(1), line);
        }
        out
    }
}

impl App {
    /// The layer on top. Everything that decides "who gets this key" or "what is drawn
    /// over what" starts here.
    pub fn mode(&self) -> Mode {
        if self.show_help {
            return Mode::Help;
        }
        if self.show_messages {
            return Mode::Messages;
        }
        self.mode_beneath_help()
    }

    /// The mode help was opened over (help lists its keys).
    pub fn mode_beneath_help(&self) -> Mode {
        if self.picker.is_some() {
            return Mode::Picker;
        }
        if let Some(browser) = &self.browser {
            return if browser.filter_focused {
                Mode::TagFilter
            } else {
                Mode::Tags
            };
        }
        match self.view {
            View::Reader if self.reader.is_some() => {
                if self.note.is_some() {
                    Mode::Note
                } else if self.find.focused {
                    Mode::Find
                } else if self.outline.focused && outline::pane_width(self) > 0 {
                    Mode::Outline
                } else {
                    Mode::Reader
                }
            }
            _ if self.search.focused => Mode::Search,
            _ => Mode::List,
        }
    }

    /// The keymap sections for the mode on top.
    pub fn key_screens(&self) -> &'static [Screen] {
        self.mode().screens()
    }

    /// The label of the key that does `action` now (for hints in messages).
    pub fn key_for(&self, action: super::Action) -> String {
        self.keymap
            .key_label(self.key_screens(), action)
            .unwrap_or_else(|| format!("({})", action.name()))
    }

    /// Whether the reader is what the body of the screen shows.
    pub fn reading(&self) -> bool {
        self.view == View::Reader && self.reader.is_some()
    }

    /// Goes to `view`. A message belongs to the screen it was said on, so it does not
    /// follow the user to another one.
    pub fn set_view(&mut self, view: View) {
        if self.view != view {
            self.message = None;
        }
        if self.view == View::Reader && view != View::Reader {
            self.leave_post();
            // A long post left before its layout was made: the layout is not wanted.
            if self
                .reader
                .as_ref()
                .is_some_and(|r| r.pending_layout.is_some())
            {
                self.layouts.forget();
                self.reader = None;
            }
        }
        self.view = view;
        if view == View::List {
            self.keep_selection_visible();
        }
    }
}

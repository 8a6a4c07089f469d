//! Keys → actions, per screen. One table serves both dispatch and the help screen, so
//! help cannot drift from what the keys really do.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::action::{ACTIONS, Action};
use super::keyspec::parse_key;

/// Where a binding applies: the keymap's sections. Which of them a key is looked up in
/// at a given moment is [`super::mode::Mode`]'s decision; `Global` bindings work on every
/// screen unless the screen binds the same key itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Screen {
    Global,
    List,
    Reader,
    /// The reader's outline pane, when it has the keys.
    Outline,
    /// A picker pop-up (themes, collections) is open.
    Picker,
    /// A search line has the focus (the list's `/`, the reader's `/`): printable keys
    /// not bound here are typed into it.
    Search,
    /// The tag (or category) browser.
    Tags,
    /// The tag browser's filter line has the focus: printable keys are typed into it.
    TagFilter,
    /// The help and messages pages: movement scrolls them, any other key closes them.
    Help,
}

impl Screen {
    /// Every screen, in the order help and the config list them.
    pub const ALL: [Screen; 9] = [
        Screen::Global,
        Screen::List,
        Screen::Reader,
        Screen::Outline,
        Screen::Picker,
        Screen::Search,
        Screen::Tags,
        Screen::TagFilter,
        Screen::Help,
    ];

    pub fn title(self) -> &'static str {
        match self {
            Screen::Global => "Everywhere",
            Screen::List => "Post list",
            Screen::Reader => "Reader",
            Screen::Outline => "Outline pane",
            Screen::Picker => "Picker",
            Screen::Search => "Search line",
            Screen::Tags => "Tag browser",
            Screen::TagFilter => "Tag browser filter",
            Screen::Help => "Help and messages pages",
        }
    }

    /// The name the config's `keys` section uses for this screen.
    pub fn config_name(self) -> &'static str {
        match self {
            Screen::Global => "global",
            Screen::List => "list",
            Screen::Reader => "reader",
            Screen::Outline => "outline",
            Screen::Picker => "picker",
            Screen::Search => "search",
            Screen::Tags => "tags",
            Screen::TagFilter => "tag-filter",
            Screen::Help => "help",
        }
    }
}

/// A key as written in the keymap: a code plus whether Ctrl is held. Shift is part of
/// the character (`G`), so it is not tracked separately.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Key {
    pub code: KeyCode,
    pub ctrl: bool,
}

impl Key {
    pub const fn plain(code: KeyCode) -> Self {
        Key { code, ctrl: false }
    }

    pub const fn ctrl(c: char) -> Self {
        Key {
            code: KeyCode::Char(c),
            ctrl: true,
        }
    }

    pub fn from_event(event: &KeyEvent) -> Self {
        let ctrl = event.modifiers.contains(KeyModifiers::CONTROL);
        // Terminals disagree on whether Shift+g arrives as 'G' with or without SHIFT;
        // the character itself is what matters.
        let code = match event.code {
            KeyCode::Char(c) if ctrl => KeyCode::Char(c.to_ascii_lowercase()),
            other => other,
        };
        Key { code, ctrl }
    }

    /// How the key is shown in help: `j`, `↓`, `Ctrl-d`, `PgDn`.
    pub fn label(&self) -> String {
        let base = match self.code {
            KeyCode::Char(' ') => "Space".to_string(),
            KeyCode::Char(c) => c.to_string(),
            KeyCode::Up => "↑".into(),
            KeyCode::Down => "↓".into(),
            KeyCode::Left => "←".into(),
            KeyCode::Right => "→".into(),
            KeyCode::PageDown => "PgDn".into(),
            KeyCode::PageUp => "PgUp".into(),
            KeyCode::Home => "Home".into(),
            KeyCode::End => "End".into(),
            KeyCode::Enter => "Enter".into(),
            KeyCode::Esc => "Esc".into(),
            KeyCode::Backspace => "Backspace".into(),
            KeyCode::Tab => "Tab".into(),
            KeyCode::BackTab => "Shift-Tab".into(),
            KeyCode::Delete => "Del".into(),
            other => format!("{other:?}"),
        };
        if self.ctrl {
            format!("Ctrl-{base}")
        } else {
            base
        }
    }
}

#[derive(Debug, Clone)]
pub struct Binding {
    pub screen: Screen,
    pub key: Key,
    pub action: Action,
}

#[derive(Debug, Clone)]
pub struct Keymap {
    bindings: Vec<Binding>,
}

impl Default for Keymap {
    /// The keys of the action table ([`super::action::ACTIONS`]), in its order.
    fn default() -> Self {
        let mut bindings = Vec::new();
        for spec in ACTIONS {
            for default in spec.keys {
                for &screen in default.screens {
                    // The table's keys are checked by a test; one that did not parse
                    // would be left unbound rather than stop folio.
                    for key in default.keys.iter().filter_map(|k| parse_key(k).ok()) {
                        bindings.push(Binding {
                            screen,
                            key,
                            action: spec.action,
                        });
                    }
                }
            }
        }
        Keymap { bindings }
    }
}

impl Keymap {
    /// The action bound to `key` on `screen` itself, without any fallback: how an
    /// input line tells its own keys from keys to type.
    pub fn action_in(&self, screen: Screen, key: Key) -> Option<Action> {
        self.bindings
            .iter()
            .find(|b| b.screen == screen && b.key == key)
            .map(|b| b.action)
    }

    /// The action bound to `key` on the first of `screens` that binds it (a mode's
    /// screens, most specific first: see [`super::mode::Mode::screens`]).
    pub fn lookup(&self, screens: &[Screen], key: Key) -> Option<Action> {
        screens.iter().find_map(|&s| self.action_in(s, key))
    }

    /// The action bound to `key` on `screen`, falling back to global bindings.
    pub fn action(&self, screen: Screen, key: Key) -> Option<Action> {
        self.lookup(&[screen, Screen::Global], key)
    }

    /// Binds `key` on `screen` to `action` in place of whatever it did there (`None`
    /// unbinds it): how the config's `keys` section remaps keys.
    pub fn rebind(&mut self, screen: Screen, key: Key, action: Option<Action>) {
        self.bindings
            .retain(|b| !(b.screen == screen && b.key == key));
        if let Some(action) = action {
            self.bindings.push(Binding {
                screen,
                key,
                action,
            });
        }
    }

    /// Every binding, in table order.
    pub fn bindings(&self) -> &[Binding] {
        &self.bindings
    }

    /// Every key that does `action` on the first of `screens` where one does, as help
    /// shows them. A key some earlier screen binds to something else is left out: it
    /// would not do `action` there.
    pub fn keys_for(&self, screens: &[Screen], action: Action) -> Vec<Key> {
        let mut keys: Vec<Key> = Vec::new();
        for (i, &screen) in screens.iter().enumerate() {
            let earlier = screens.get(..i).unwrap_or_default();
            for b in &self.bindings {
                if b.screen == screen
                    && b.action == action
                    && !keys.contains(&b.key)
                    && self.lookup(earlier, b.key).is_none()
                {
                    keys.push(b.key);
                }
            }
            if !keys.is_empty() {
                break;
            }
        }
        keys
    }

    /// The label of the first key that does `action` on `screens` (`None`: no key does),
    /// for the key hints in the status bar, titles and messages.
    pub fn key_label(&self, screens: &[Screen], action: Action) -> Option<String> {
        self.keys_for(screens, action).first().map(Key::label)
    }

    /// `"Space select · Enter apply"`: a hint of each `(action, what)` that some key
    /// does on `screens`, with that key, so hints follow any remapping.
    pub fn hint(&self, screens: &[Screen], parts: &[(Action, &str)]) -> String {
        parts
            .iter()
            .filter_map(|&(action, what)| {
                self.key_label(screens, action)
                    .map(|key| format!("{key} {what}"))
            })
            .collect::<Vec<_>>()
            .join(" · ")
    }

    /// Every screen's keys as a Markdown table (the README's, which a test keeps equal
    /// to this): where, keys, what it does, and the name the config uses.
    pub fn markdown_table(&self) -> String {
        let mut out = String::from("| Where | Keys | What it does | Name |\n|---|---|---|---|\n");
        for screen in Screen::ALL {
            for (_, action) in self.help_rows(screen) {
                let keys: Vec<String> = self
                    .bindings
                    .iter()
                    .filter(|b| b.screen == screen && b.action == action)
                    .map(|b| format!("`{}`", b.key.label().replace('|', "\\|")))
                    .collect();
                out.push_str(&format!(
                    "| {} | {} | {} | `{}` |\n",
                    screen.config_name(),
                    keys.join(" "),
                    action.description().replace('|', "\\|"),
                    action.name()
                ));
            }
        }
        out
    }

    /// Help rows for one screen: each action once, with all its keys on that screen,
    /// in the action table's order (remapped keys included).
    pub fn help_rows(&self, screen: Screen) -> Vec<(String, Action)> {
        ACTIONS
            .iter()
            .filter_map(|spec| {
                let keys: Vec<String> = self
                    .bindings
                    .iter()
                    .filter(|b| b.screen == screen && b.action == spec.action)
                    .map(|b| b.key.label())
                    .collect();
                (!keys.is_empty()).then(|| (keys.join(" "), spec.action))
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn screen_binding_wins_over_global_and_global_fills_in() {
        let map = Keymap::default();
        assert_eq!(
            map.action(Screen::List, Key::plain(KeyCode::Char('q'))),
            Some(Action::Quit)
        );
        assert_eq!(
            map.action(Screen::Reader, Key::plain(KeyCode::Char('q'))),
            Some(Action::Back)
        );
        assert_eq!(
            map.action(Screen::Reader, Key::ctrl('c')),
            Some(Action::Exit)
        );
        assert_eq!(
            map.action(Screen::List, Key::plain(KeyCode::Char('x'))),
            None
        );
    }

    #[test]
    fn ctrl_letters_match_whatever_case_the_terminal_sends() {
        let event = KeyEvent::new(
            KeyCode::Char('D'),
            KeyModifiers::CONTROL | KeyModifiers::SHIFT,
        );
        assert_eq!(Key::from_event(&event), Key::ctrl('d'));
    }

    #[test]
    fn help_rows_group_keys_of_one_action() {
        let rows = Keymap::default().help_rows(Screen::Reader);
        let (keys, _) = rows
            .iter()
            .find(|(_, a)| *a == Action::Back)
            .expect("back is bound");
        assert_eq!(keys, "q h ←");
        let (keys, _) = rows
            .iter()
            .find(|(_, a)| *a == Action::PrevLink)
            .expect("shift-tab is bound");
        assert_eq!(keys, "Shift-Tab");
    }
}

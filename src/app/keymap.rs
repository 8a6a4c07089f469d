//! Keys → actions, per screen. One table serves both dispatch and the help screen, so
//! help cannot drift from what the keys really do.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::action::Action;

/// Where a binding applies. `Global` bindings work on every screen unless the screen
/// binds the same key itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Screen {
    Global,
    List,
    Reader,
    /// A picker pop-up (themes, collections) is open.
    Picker,
    /// A search or filter line has the focus: printable keys are typed into it.
    Input,
    /// The tag (or category) browser.
    Tags,
}

impl Screen {
    pub fn title(self) -> &'static str {
        match self {
            Screen::Global => "Everywhere",
            Screen::List => "Post list",
            Screen::Reader => "Reader",
            Screen::Picker => "Picker",
            Screen::Input => "Search line",
            Screen::Tags => "Tag browser",
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
    fn default() -> Self {
        use Action::*;
        use KeyCode as K;
        let c = |ch| Key::plain(K::Char(ch));
        let k = Key::plain;
        let movement = movement_keys();
        let mut bindings = vec![
            (Screen::Global, Key::ctrl('c'), Exit),
            (Screen::Global, c('?'), ToggleHelp),
            (Screen::Global, c('T'), ThemePicker),
            (Screen::Global, c('C'), CollectionPicker),
        ];
        for (key, action) in movement {
            bindings.push((Screen::List, key, action));
        }
        bindings.extend([
            (Screen::List, k(K::Enter), Open),
            (Screen::List, c('l'), Open),
            (Screen::List, k(K::Right), Open),
            (Screen::List, c('q'), Quit),
            (Screen::List, k(K::Esc), ClearFilter),
            (Screen::List, c('/'), Filter),
            (Screen::List, c('t'), TagBrowser),
            (Screen::List, c('c'), CategoryBrowser),
            (Screen::List, c('z'), ToggleArchive),
            (Screen::List, c('s'), ToggleSort),
        ]);
        for (key, action) in movement {
            bindings.push((Screen::Reader, key, action));
        }
        bindings.extend([
            (Screen::Reader, c(' '), PageDown),
            (Screen::Reader, c('f'), PageDown),
            (Screen::Reader, c('b'), PageUp),
            (Screen::Reader, c('d'), HalfPageDown),
            (Screen::Reader, c('u'), HalfPageUp),
            (Screen::Reader, c('q'), Back),
            (Screen::Reader, k(K::Esc), ClearFind),
            (Screen::Reader, c('h'), Back),
            (Screen::Reader, k(K::Left), Back),
            (Screen::Reader, c('/'), Find),
            (Screen::Reader, c('n'), NextHit),
            (Screen::Reader, c('N'), PrevHit),
            (Screen::Reader, k(K::Backspace), HistoryBack),
            (Screen::Reader, c('L'), HistoryForward),
            (Screen::Reader, c('o'), ToggleOutline),
            (Screen::Reader, c(']'), NextHeading),
            (Screen::Reader, c('['), PrevHeading),
            (Screen::Reader, k(K::Tab), NextLink),
            (Screen::Reader, k(K::BackTab), PrevLink),
            (Screen::Reader, k(K::Enter), Follow),
            (Screen::Reader, c('J'), NextPost),
            (Screen::Reader, c('K'), PrevPost),
            (Screen::Reader, c('e'), Edit),
            (Screen::Reader, c('y'), Copy),
        ]);
        for (key, action) in movement {
            bindings.push((Screen::Picker, key, action));
        }
        bindings.extend([
            (Screen::Picker, k(K::Enter), Confirm),
            (Screen::Picker, c('l'), Confirm),
            (Screen::Picker, k(K::Esc), Cancel),
            (Screen::Picker, c('q'), Cancel),
            (Screen::Picker, c('h'), Cancel),
        ]);
        bindings.extend(search_bindings());
        Keymap {
            bindings: bindings
                .into_iter()
                .map(|(screen, key, action)| Binding {
                    screen,
                    key,
                    action,
                })
                .collect(),
        }
    }
}

/// Moving through a list or a page: the same keys in the post list, the reader, the
/// pickers and the tag browser.
fn movement_keys() -> [(Key, Action); 12] {
    use Action::*;
    use KeyCode as K;
    let c = |ch| Key::plain(K::Char(ch));
    let k = Key::plain;
    [
        (c('j'), Down),
        (k(K::Down), Down),
        (c('k'), Up),
        (k(K::Up), Up),
        (c('g'), Top),
        (k(K::Home), Top),
        (c('G'), Bottom),
        (k(K::End), Bottom),
        (Key::ctrl('d'), HalfPageDown),
        (Key::ctrl('u'), HalfPageUp),
        (k(K::PageDown), PageDown),
        (k(K::PageUp), PageUp),
    ]
}

/// The search line and the tag browser. In the line, a key not bound here is typed.
fn search_bindings() -> Vec<(Screen, Key, Action)> {
    use Action::*;
    use KeyCode as K;
    let k = Key::plain;
    let c = |ch| Key::plain(K::Char(ch));
    let mut out = vec![
        (Screen::Input, k(K::Esc), InputCancel),
        (Screen::Input, k(K::Enter), InputAccept),
        (Screen::Input, k(K::Tab), InputComplete),
        (Screen::Input, k(K::Left), InputLeft),
        (Screen::Input, k(K::Right), InputRight),
        (Screen::Input, k(K::Home), InputHome),
        (Screen::Input, Key::ctrl('a'), InputHome),
        (Screen::Input, k(K::End), InputEnd),
        (Screen::Input, Key::ctrl('e'), InputEnd),
        (Screen::Input, k(K::Backspace), InputBackspace),
        (Screen::Input, Key::ctrl('h'), InputBackspace),
        (Screen::Input, k(K::Delete), InputDelete),
        (Screen::Input, Key::ctrl('d'), InputDelete),
        (Screen::Input, Key::ctrl('u'), InputKillLine),
        (Screen::Input, Key::ctrl('w'), InputKillWord),
        (Screen::Input, k(K::Up), Up),
        (Screen::Input, Key::ctrl('p'), Up),
        (Screen::Input, k(K::Down), Down),
        (Screen::Input, Key::ctrl('n'), Down),
        (Screen::Input, k(K::PageUp), PageUp),
        (Screen::Input, k(K::PageDown), PageDown),
    ];
    for (key, action) in movement_keys().into_iter().chain([
        (c(' '), ToggleSelect),
        (k(K::Enter), ApplySelection),
        (c('a'), ToggleAnyAll),
        (c('s'), TagSort),
        (c('/'), FocusFilter),
        (k(K::Esc), CloseBrowser),
        (c('q'), CloseBrowser),
    ]) {
        out.push((Screen::Tags, key, action));
    }
    out
}

impl Keymap {
    /// The action bound to `key` on `screen` itself, without the global fallback: how
    /// an input line tells its own keys from keys to type.
    pub fn action_in(&self, screen: Screen, key: Key) -> Option<Action> {
        self.bindings
            .iter()
            .find(|b| b.screen == screen && b.key == key)
            .map(|b| b.action)
    }

    /// The action bound to `key` on `screen`, falling back to global bindings.
    pub fn action(&self, screen: Screen, key: Key) -> Option<Action> {
        let find = |s: Screen| {
            self.bindings
                .iter()
                .find(|b| b.screen == s && b.key == key)
                .map(|b| b.action)
        };
        find(screen).or_else(|| find(Screen::Global))
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

    /// Help rows for one screen: each action once, with all its keys, in table order.
    pub fn help_rows(&self, screen: Screen) -> Vec<(String, Action)> {
        let mut rows: Vec<(Vec<String>, Action)> = Vec::new();
        for binding in self.bindings.iter().filter(|b| b.screen == screen) {
            match rows.iter_mut().find(|(_, a)| *a == binding.action) {
                Some((keys, _)) => keys.push(binding.key.label()),
                None => rows.push((vec![binding.key.label()], binding.action)),
            }
        }
        rows.into_iter()
            .map(|(keys, a)| (keys.join(" "), a))
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

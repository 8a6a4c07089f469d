//! Keys, screens and actions as a config file writes them: `ctrl-d`, `G`, `pgdn`,
//! `reader`, `scroll-down`. The config's `keys` section is parsed with these, so the
//! names a user types are the names help shows.

use crossterm::event::KeyCode;

use super::action::Action;
use super::keymap::{Key, Screen};

pub fn screen_from_name(name: &str) -> Result<Screen, String> {
    Screen::ALL
        .into_iter()
        .find(|s| s.config_name().eq_ignore_ascii_case(name))
        .ok_or_else(|| {
            let names: Vec<&str> = Screen::ALL.iter().map(|s| s.config_name()).collect();
            format!("unknown screen `{name}`; screens: {}", names.join(", "))
        })
}

/// An action by name; `none` unbinds a key.
pub fn action_from_name(name: &str) -> Result<Option<Action>, String> {
    if name.eq_ignore_ascii_case("none") {
        return Ok(None);
    }
    Action::from_name(name).map(Some).ok_or_else(|| {
        let names: Vec<&str> = Action::all().map(Action::name).collect();
        format!(
            "unknown action `{name}`; actions: {}, or none to unbind",
            names.join(", ")
        )
    })
}

/// A key as written: one character (`j`, `G`, `?`), a name (`enter`, `esc`, `space`,
/// `tab`, `backspace`, `up`, `down`, `left`, `right`, `home`, `end`, `pgup`, `pgdn`,
/// `delete`, `shift-tab`, `f1`–`f12`), or `ctrl-` and a letter.
pub fn parse_key(text: &str) -> Result<Key, String> {
    let mut chars = text.chars();
    if let (Some(c), None) = (chars.next(), chars.next()) {
        return Ok(Key::plain(KeyCode::Char(c)));
    }
    let lower = text.to_ascii_lowercase();
    for prefix in ["ctrl-", "ctrl+", "c-"] {
        if let Some(rest) = lower.strip_prefix(prefix) {
            let mut chars = rest.chars();
            return match (chars.next(), chars.next()) {
                (Some(c), None) if c.is_ascii_graphic() => Ok(Key::ctrl(c)),
                _ => Err(format!("`{text}`: ctrl- takes one letter, e.g. ctrl-d")),
            };
        }
    }
    let code = match lower.as_str() {
        "space" => KeyCode::Char(' '),
        "enter" | "return" => KeyCode::Enter,
        "esc" | "escape" => KeyCode::Esc,
        "tab" => KeyCode::Tab,
        "shift-tab" | "backtab" => KeyCode::BackTab,
        "backspace" | "bs" => KeyCode::Backspace,
        "up" => KeyCode::Up,
        "down" => KeyCode::Down,
        "left" => KeyCode::Left,
        "right" => KeyCode::Right,
        "home" => KeyCode::Home,
        "end" => KeyCode::End,
        "pgup" | "pageup" => KeyCode::PageUp,
        "pgdn" | "pagedown" => KeyCode::PageDown,
        "delete" | "del" => KeyCode::Delete,
        "insert" | "ins" => KeyCode::Insert,
        other => match other.strip_prefix('f').and_then(|n| n.parse::<u8>().ok()) {
            Some(n @ 1..=12) => KeyCode::F(n),
            _ => {
                return Err(format!(
                    "unknown key `{text}`; write one character, ctrl-x, or a name such as \
                     enter, esc, space, tab, up, pgdn, home, f1"
                ));
            }
        },
    };
    Ok(Key::plain(code))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::Keymap;

    #[test]
    fn keys_parse_as_written() {
        assert_eq!(parse_key("j"), Ok(Key::plain(KeyCode::Char('j'))));
        assert_eq!(parse_key("G"), Ok(Key::plain(KeyCode::Char('G'))));
        assert_eq!(parse_key("ctrl-D"), Ok(Key::ctrl('d')));
        assert_eq!(parse_key("C-n"), Ok(Key::ctrl('n')));
        assert_eq!(parse_key("PgDn"), Ok(Key::plain(KeyCode::PageDown)));
        assert_eq!(parse_key("space"), Ok(Key::plain(KeyCode::Char(' '))));
        assert_eq!(parse_key("f5"), Ok(Key::plain(KeyCode::F(5))));
        assert!(parse_key("ctrl-").is_err());
        assert!(parse_key("hyper-x").unwrap_err().contains("unknown key"));
        assert!(parse_key("f13").is_err());
    }

    #[test]
    fn every_default_key_in_the_action_table_parses_and_binds_once_per_screen() {
        for spec in crate::app::action::ACTIONS {
            for default in spec.keys {
                for key in default.keys {
                    assert!(parse_key(key).is_ok(), "{}: key {key:?}", spec.name);
                }
            }
        }
        let map = Keymap::default();
        for (i, a) in map.bindings().iter().enumerate() {
            for b in map.bindings().iter().skip(i + 1) {
                assert!(
                    !(a.screen == b.screen && a.key == b.key),
                    "{} on {:?} does both {} and {}",
                    a.key.label(),
                    a.screen,
                    a.action.name(),
                    b.action.name()
                );
            }
        }
    }

    #[test]
    fn every_bound_action_can_be_named_in_the_config() {
        for binding in Keymap::default().bindings() {
            let name = binding.action.name();
            assert_eq!(action_from_name(name), Ok(Some(binding.action)), "{name}");
        }
        assert_eq!(action_from_name("none"), Ok(None));
        assert!(
            action_from_name("scrol-down")
                .unwrap_err()
                .contains("scroll-down")
        );
    }

    #[test]
    fn every_screen_has_a_config_name() {
        for screen in Screen::ALL {
            assert_eq!(screen_from_name(screen.config_name()), Ok(screen));
        }
        assert!(screen_from_name("Reader").is_ok());
        assert!(screen_from_name("editor").is_err());
    }
}

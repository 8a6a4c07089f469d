//! Terminal answers that come too late, kept from being read as keys.
//!
//! At start folio asks the terminal a question or two (its background colour, how it
//! draws pictures) and waits a bounded time for the answers ([`crate::termbg::ask`]). A
//! terminal far away (ssh over a slow link) or slow to start (a GPU terminal on a
//! software renderer) may answer after folio stopped waiting, once the input thread is
//! reading: crossterm then parses kitty's `ESC _ G i=31;OK ESC \` as Alt+`_`, `G`,
//! `i`, …, `O`, `K`, Alt+`\` — keys that jump to the end, turn pictures off and open
//! the previous post. (CSI answers, Device Attributes and the window sizes, crossterm
//! drops by itself.)
//!
//! So while an answer is owed, a string answer's keys (from Alt+`_`, Alt+`]` or Alt+`P`,
//! the way crossterm reads APC, OSC and DCS openers, to its terminator, Alt+`\` or BEL) are
//! dropped. The guard lasts a few seconds after start: a terminal answers within that
//! or not at all, and later an Alt+`_` is the user's.

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// How long after start a late answer is watched for.
pub const GUARD: Duration = Duration::from_secs(5);
/// The most keys one answer is allowed to swallow (a kitty answer is a dozen; an OSC
/// colour answer about thirty): past this it was not an answer.
const LONGEST: usize = 512;

static OWED: AtomicBool = AtomicBool::new(false);

/// A question went out whose answer did not come in time.
pub fn mark_owed() {
    OWED.store(true, Ordering::Relaxed);
}

/// Whether an answer may still come.
pub fn owed() -> bool {
    OWED.load(Ordering::Relaxed)
}

/// Drops the keys of late terminal answers.
#[derive(Debug)]
pub struct LateReplies {
    /// Until when answers are watched for; `None`: nothing is owed.
    until: Option<Instant>,
    /// Keys swallowed of the answer being read, when inside one.
    inside: Option<usize>,
}

impl LateReplies {
    /// A guard from `now`, armed when an answer is owed.
    pub fn new(owed: bool, now: Instant) -> LateReplies {
        LateReplies {
            until: owed.then(|| now + GUARD),
            inside: None,
        }
    }

    /// Whether `key` is the user's (to keep) rather than part of a late answer.
    pub fn keep(&mut self, key: &KeyEvent, now: Instant) -> bool {
        let Some(until) = self.until else {
            return true;
        };
        if let Some(swallowed) = self.inside {
            if ends_answer(key) {
                self.inside = None;
            } else if swallowed >= LONGEST {
                self.inside = None;
                return true;
            } else {
                self.inside = Some(swallowed + 1);
            }
            return false;
        }
        if now > until {
            self.until = None;
            return true;
        }
        if starts_answer(key) {
            self.inside = Some(0);
            return false;
        }
        true
    }
}

fn alt_char(key: &KeyEvent, c: char) -> bool {
    key.modifiers.contains(KeyModifiers::ALT) && key.code == KeyCode::Char(c)
}

/// `ESC _` (APC, kitty's graphics answer), `ESC ]` (OSC, a colour answer) or `ESC P`
/// (DCS, the terminal's name).
fn starts_answer(key: &KeyEvent) -> bool {
    alt_char(key, '_') || alt_char(key, ']') || alt_char(key, 'P')
}

/// `ESC \` (string terminator) or BEL, which crossterm reads as Ctrl+G.
fn ends_answer(key: &KeyEvent) -> bool {
    alt_char(key, '\\')
        || (key.modifiers.contains(KeyModifiers::CONTROL) && key.code == KeyCode::Char('g'))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn char_key(c: char) -> KeyEvent {
        KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)
    }

    fn alt(c: char) -> KeyEvent {
        KeyEvent::new(KeyCode::Char(c), KeyModifiers::ALT)
    }

    fn ctrl(c: char) -> KeyEvent {
        KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL)
    }

    /// Keys as crossterm reads `text`: ESC + c is Alt+c, BEL is Ctrl+G.
    fn keys_of(text: &str) -> Vec<KeyEvent> {
        let mut keys = Vec::new();
        let mut chars = text.chars();
        while let Some(c) = chars.next() {
            match c {
                '\x1b' => keys.extend(chars.next().map(alt)),
                '\x07' => keys.push(ctrl('g')),
                c => keys.push(char_key(c)),
            }
        }
        keys
    }

    fn kept(guard: &mut LateReplies, text: &str, now: Instant) -> String {
        keys_of(text)
            .iter()
            .filter(|k| guard.keep(k, now))
            .map(|k| match k.code {
                KeyCode::Char(c) => c,
                _ => '?',
            })
            .collect()
    }

    #[test]
    fn a_late_kitty_or_colour_answer_is_dropped_and_the_users_keys_kept() {
        let start = Instant::now();
        let mut guard = LateReplies::new(true, start);
        assert_eq!(kept(&mut guard, "j\x1b_Gi=31;OK\x1b\\k", start), "jk");
        assert_eq!(
            kept(&mut guard, "\x1b]11;rgb:2828/2a2a/3636\x07q", start),
            "q"
        );
        assert_eq!(
            kept(&mut guard, "\x1b]11;rgb:ffff/ffff/ffff\x1b\\G", start),
            "G"
        );
        assert_eq!(kept(&mut guard, "\x1bP>|kitty(0.26.5)\x1b\\n", start), "n");
    }

    #[test]
    fn nothing_is_dropped_when_nothing_is_owed_or_the_guard_is_over() {
        let start = Instant::now();
        let mut not_owed = LateReplies::new(false, start);
        assert_eq!(
            kept(&mut not_owed, "\x1b_Gi=31;OK\x1b\\", start),
            "_Gi=31;OK\\"
        );
        let mut over = LateReplies::new(true, start);
        let later = start + GUARD + Duration::from_millis(1);
        assert_eq!(kept(&mut over, "\x1b_Gi\x1b\\", later), "_Gi\\");
    }

    #[test]
    fn an_answer_that_never_ends_gives_the_keys_back_after_a_bound() {
        let start = Instant::now();
        let mut guard = LateReplies::new(true, start);
        let typed: String = "j".repeat(LONGEST + 10);
        let kept = kept(&mut guard, &format!("\x1b_{typed}"), start);
        assert_eq!(kept.len(), 10, "keys past the bound are the user's");
    }
}

//! Asking the terminal for its background colour (OSC 11), for the `auto` theme.
//!
//! The question is only asked when stdin and stdout are both a terminal. It goes to
//! `/dev/tty` with echo off, followed by a Device Attributes request (DA1) that every
//! terminal answers: when the DA1 reply comes back first, the terminal has no answer to
//! the colour question and there is no need to wait any longer. Either way the wait is
//! capped (500 ms: an ssh link can take a few hundred), input is read only when `poll`
//! says it is there, so nothing blocks, and the terminal's settings are put back before
//! returning. Replies are consumed here and never echoed, so nothing appears on screen;
//! one that comes after the wait is kept from being read as keys ([`crate::late_reply`]).

use std::time::Duration;

use crate::theme::color::Rgb;

/// The longest folio waits for an answer.
pub const TIMEOUT: Duration = Duration::from_millis(500);

/// The terminal's background colour, if it is a terminal and it says.
pub fn background() -> Option<Rgb> {
    use std::io::IsTerminal;
    let dumb = std::env::var("TERM").map_or(true, |t| t.is_empty() || t == "dumb");
    if dumb || !std::io::stdin().is_terminal() || !std::io::stdout().is_terminal() {
        return None;
    }
    query(TIMEOUT)
}

fn query(timeout: Duration) -> Option<Rgb> {
    parse_reply(&ask(b"\x1b]11;?\x1b\\\x1b[c", timeout)?)
}

/// Writes `question` (which must end with a Device Attributes request, `ESC [ c`) to
/// `/dev/tty` and returns what the terminal sent back, up to and with the Device
/// Attributes reply or until `timeout`. Echo is off and the terminal's settings are
/// put back however this returns; input is read only when `poll` says it is there, so
/// nothing blocks. Also asked by the image protocol query ([`crate::images::query`]).
#[cfg(unix)]
pub fn ask(question: &[u8], timeout: Duration) -> Option<Vec<u8>> {
    use std::io::{Read, Write};
    use std::time::Instant;

    use rustix::event::{PollFd, PollFlags, Timespec, poll};
    use rustix::termios::{OptionalActions, tcgetattr, tcsetattr};

    let mut tty = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .open("/dev/tty")
        .ok()?;
    let saved = tcgetattr(&tty).ok()?;
    let mut raw = saved.clone();
    raw.make_raw();
    tcsetattr(&tty, OptionalActions::Now, &raw).ok()?;

    /// Puts the terminal back however this function returns.
    struct Restore<'a>(&'a std::fs::File, rustix::termios::Termios);
    impl Drop for Restore<'_> {
        fn drop(&mut self) {
            let _ = tcsetattr(self.0, OptionalActions::Now, &self.1);
        }
    }
    let reader = tty.try_clone().ok()?;
    let _restore = Restore(&reader, saved);

    tty.write_all(question).ok()?;
    tty.flush().ok()?;

    let deadline = Instant::now() + timeout;
    let mut reply = Vec::new();
    let mut buf = [0u8; 256];
    while !has_device_attributes(&reply) && reply.len() < 4096 {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            break;
        }
        let wait = Timespec {
            tv_sec: 0,
            tv_nsec: i64::from(left.subsec_nanos()).min(999_999_999),
        };
        let mut fds = [PollFd::new(&reader, PollFlags::IN)];
        match poll(&mut fds, Some(&wait)) {
            Ok(0) => break,
            Ok(_) => match (&reader).read(&mut buf) {
                Ok(0) | Err(_) => break,
                Ok(n) => reply.extend_from_slice(buf.get(..n).unwrap_or_default()),
            },
            Err(_) => break,
        }
    }
    if !has_device_attributes(&reply) {
        // The terminal may still answer, once the input thread reads: its answer must
        // not be taken for keys.
        crate::late_reply::mark_owed();
    }
    Some(reply)
}

#[cfg(not(unix))]
pub fn ask(_question: &[u8], _timeout: Duration) -> Option<Vec<u8>> {
    None
}

/// Whether `bytes` hold a DA1 reply: `ESC [ ? … c`.
fn has_device_attributes(bytes: &[u8]) -> bool {
    bytes.windows(3).enumerate().any(|(i, w)| {
        w == b"\x1b[?"
            && bytes
                .get(i + 3..)
                .and_then(|rest| rest.iter().find(|b| !(b.is_ascii_digit() || **b == b';')))
                == Some(&b'c')
    })
}

/// Reads `ESC ] 11 ; rgb:RRRR/GGGG/BBBB` (BEL or ST terminated; 1–4 hex digits a
/// channel) out of whatever the terminal sent.
pub fn parse_reply(bytes: &[u8]) -> Option<Rgb> {
    let text = String::from_utf8_lossy(bytes);
    let start = text.find("\x1b]11;")? + 5;
    let body = text.get(start..)?;
    let end = body.find(['\x07', '\x1b']).unwrap_or(body.len());
    let spec = body.get(..end)?.strip_prefix("rgb:")?;
    let mut channels = spec.split('/').map(|c| {
        let digits = c.get(..c.len().min(4))?;
        let value = u32::from_str_radix(digits, 16).ok()?;
        let max = (1u32 << (4 * digits.len() as u32)) - 1;
        (!digits.is_empty()).then(|| (value * 255 / max.max(1)) as u8)
    });
    let r = channels.next()??;
    let g = channels.next()??;
    let b = channels.next()??;
    Some(Rgb(r, g, b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replies_parse_whatever_the_digits_and_terminator() {
        assert_eq!(
            parse_reply(b"\x1b]11;rgb:ffff/ffff/ffff\x1b\\\x1b[?62;22c"),
            Some(Rgb(255, 255, 255))
        );
        assert_eq!(
            parse_reply(b"\x1b]11;rgb:28/2a/36\x07"),
            Some(Rgb(0x28, 0x2a, 0x36))
        );
        assert_eq!(parse_reply(b"\x1b]11;rgb:1/1/1\x07"), Some(Rgb(17, 17, 17)));
        assert_eq!(parse_reply(b"\x1b[?1;2c"), None);
        assert_eq!(parse_reply(b"\x1b]11;rgb:zz/00/00\x07"), None);
        assert_eq!(parse_reply(b"\x1b]11;rgb:00/00\x07"), None);
    }

    #[test]
    fn device_attributes_end_the_wait() {
        assert!(has_device_attributes(b"\x1b]11;rgb:0/0/0\x07\x1b[?64;1;2c"));
        assert!(!has_device_attributes(b"\x1b]11;rgb:0/0/0\x07\x1b[?64;1"));
        assert!(!has_device_attributes(b""));
        // The image question's replies: Device Attributes after the window sizes.
        assert!(has_device_attributes(
            b"\x1b[?64;1;2;6;9;15;16;17;18;21;22;28c"
        ));
        assert!(has_device_attributes(b"\x1b[6;20;10t\x1b[?1;2c"));
        assert!(!has_device_attributes(b"\x1b[?64;1;2"));
        assert!(!has_device_attributes(b"\x1b[6;20;10t"));
    }
}

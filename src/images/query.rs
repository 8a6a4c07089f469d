//! Asking the terminal, once at start, how it can draw pictures: the I/O half of
//! [`super::detect`]. The question goes to `/dev/tty` the way the background colour
//! question does ([`crate::termbg::ask`]), capped as that one is, and only when the answer
//! could matter: the config asks for `auto`, both ends are a terminal, and no
//! multiplexer stands between (there the answer is halfblocks whatever it says). It
//! runs before the input thread starts, which would otherwise read the replies as keys.

use std::time::Duration;

use super::detect::{self, Answers, Env, Graphics, ImagesSetting};

/// The longest folio waits for the terminal's answer.
pub const TIMEOUT: Duration = crate::termbg::TIMEOUT;

/// kitty's graphics query (a 1×1 image it is asked to check, not show), the cell
/// and window sizes in pixels, the terminal's name and version (XTVERSION: an old
/// kitty answers the graphics query but cannot place pictures the way folio does),
/// then Device Attributes, whose reply ends the wait.
const QUESTION: &[u8] = b"\x1b_Gi=31,s=1,v=1,a=q,t=d,f=24;AAAA\x1b\\\x1b[16t\x1b[14t\x1b[>0q\x1b[c";

/// How this terminal draws images under `setting`; `None` when they are off.
pub fn graphics(setting: ImagesSetting) -> Option<Graphics> {
    use std::io::IsTerminal;
    let env = Env::current();
    let terminal = std::io::stdin().is_terminal() && std::io::stdout().is_terminal();
    let answers = if setting == ImagesSetting::Auto && env.worth_asking() && terminal {
        crate::termbg::ask(QUESTION, TIMEOUT)
            .map(|reply| detect::parse_answers(&reply))
            .unwrap_or_default()
    } else {
        Answers::default()
    };
    let size = crossterm::terminal::size().unwrap_or((80, 24));
    detect::decide(setting, &env, &answers, size, kernel_pixels())
}

/// The text area's size in pixels as the kernel has it (many terminals fill it in).
#[cfg(unix)]
fn kernel_pixels() -> Option<(u16, u16)> {
    let size = rustix::termios::tcgetwinsize(std::io::stdout()).ok()?;
    (size.ws_xpixel > 0 && size.ws_ypixel > 0).then_some((size.ws_xpixel, size.ws_ypixel))
}

#[cfg(not(unix))]
fn kernel_pixels() -> Option<(u16, u16)> {
    None
}

//! Which way the terminal can draw pictures, decided from what it answered and what
//! the environment says, as a pure function the tests drive with made-up answers.
//!
//! The terminal is asked once, at start ([`super::query`]): the kitty graphics query,
//! the size of a cell and of the window in pixels, and Device Attributes last (every
//! terminal answers those, so their reply ends the wait; sixel support is one of them).
//! What it answers outranks the environment, which can be stale (`KITTY_WINDOW_ID`
//! survives into a tmux started from kitty). Inside tmux or screen the answer is
//! halfblocks: their passthrough is off by default and a picture sent through it does
//! not move with the pane's scrolling, so the cells folio draws itself are the safe
//! choice there. Pixel protocols need the cell size; without it, halfblocks too.

use super::fit::CellSize;

/// How images are drawn, as the config asks (`images:`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ImagesSetting {
    /// The best the terminal offers.
    #[default]
    Auto,
    /// Unicode half blocks whatever the terminal offers.
    Halfblocks,
    /// Placeholder lines only.
    Off,
}

impl ImagesSetting {
    pub fn parse(text: &str) -> Option<ImagesSetting> {
        match text.trim() {
            "auto" => Some(ImagesSetting::Auto),
            "halfblocks" => Some(ImagesSetting::Halfblocks),
            "off" => Some(ImagesSetting::Off),
            _ => None,
        }
    }
}

/// A way of drawing pictures in a terminal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Protocol {
    /// `▀` cells in two colours: works everywhere colour does.
    #[default]
    Halfblocks,
    /// kitty's graphics protocol, with Unicode placeholders (kitty, ghostty).
    Kitty,
    /// iTerm2's inline images (iTerm2, WezTerm, mintty, VS Code).
    Iterm2,
    /// DEC sixel graphics (foot, xterm built with it, mlterm, contour).
    Sixel,
}

impl Protocol {
    pub fn name(self) -> &'static str {
        match self {
            Protocol::Halfblocks => "halfblocks",
            Protocol::Kitty => "kitty",
            Protocol::Iterm2 => "iTerm2",
            Protocol::Sixel => "sixel",
        }
    }
}

/// How this terminal draws images: the protocol and the pixel size of a cell (a guess
/// for halfblocks, which only need the 1:2 shape).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Graphics {
    pub protocol: Protocol,
    pub cell: CellSize,
}

impl Default for Graphics {
    fn default() -> Self {
        Graphics::HALFBLOCKS
    }
}

impl Graphics {
    pub const HALFBLOCKS: Graphics = Graphics {
        protocol: Protocol::Halfblocks,
        cell: CellSize::GUESS,
    };
}

/// What the terminal said to the query.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Answers {
    /// It answered anything at all (at least Device Attributes).
    pub answered: bool,
    /// kitty's graphics query came back `OK`.
    pub kitty: bool,
    /// Device Attributes list 4: sixel graphics.
    pub sixel: bool,
    /// `CSI 16 t`: a cell's size in pixels.
    pub cell: Option<CellSize>,
    /// What the terminal's name and version (XTVERSION) say of kitty's Unicode
    /// placeholders, which is how pictures are placed with its protocol: kitty has them
    /// from 0.28, ghostty always; `None` when the terminal did not say its name.
    pub placeholders: Option<bool>,
    /// `CSI 14 t`: the text area's size in pixels, for a cell size with the terminal's
    /// rows and columns where the terminal does not tell the cell size itself.
    pub window: Option<(u16, u16)>,
}

/// The environment variables the decision reads (a snapshot, for tests).
#[derive(Debug, Clone, Default)]
pub struct Env {
    pub term: Option<String>,
    pub term_program: Option<String>,
    pub lc_terminal: Option<String>,
    pub tmux: bool,
    /// GNU screen's `STY`.
    pub screen: bool,
    pub kitty_window: bool,
    pub konsole: bool,
    pub wezterm: bool,
}

impl Env {
    /// The process's environment.
    pub fn current() -> Env {
        let var = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
        Env {
            term: var("TERM"),
            term_program: var("TERM_PROGRAM"),
            lc_terminal: var("LC_TERMINAL"),
            tmux: var("TMUX").is_some(),
            screen: var("STY").is_some(),
            kitty_window: var("KITTY_WINDOW_ID").is_some(),
            konsole: var("KONSOLE_VERSION").is_some(),
            wezterm: var("WEZTERM_EXECUTABLE").is_some(),
        }
    }

    /// Inside a multiplexer, which stands between folio and the real terminal.
    pub fn multiplexed(&self) -> bool {
        let term = self.term.as_deref().unwrap_or_default();
        self.tmux
            || self.screen
            || term.starts_with("tmux")
            || term.starts_with("screen")
            || self.term_program.as_deref() == Some("tmux")
    }

    /// Whether asking the terminal is worth it: not dumb, not multiplexed (the answer
    /// would be halfblocks whatever it said).
    pub fn worth_asking(&self) -> bool {
        let term = self.term.as_deref().unwrap_or_default();
        !term.is_empty() && term != "dumb" && !self.multiplexed()
    }

    /// Terminals known by name to speak iTerm2's protocol.
    fn iterm2_by_name(&self) -> bool {
        let program = self.term_program.as_deref().unwrap_or_default();
        self.wezterm
            || [
                "iTerm",
                "WezTerm",
                "mintty",
                "vscode",
                "Tabby",
                "rio",
                "WarpTerminal",
            ]
            .iter()
            .any(|name| program.contains(name))
            || self
                .lc_terminal
                .as_deref()
                .is_some_and(|t| t.contains("iTerm"))
    }

    /// kitty by name (an unanswered query inside kitty is unusual, but its `TERM` and
    /// window id are then the best hint there is).
    fn kitty_by_name(&self) -> bool {
        self.term.as_deref() == Some("xterm-kitty")
            || self.term_program.as_deref() == Some("ghostty")
            || self.kitty_window
    }
}

/// The protocol and cell size to draw with. `size` is the terminal's (columns, rows),
/// to turn a window size in pixels into a cell size; `ioctl` is the pixel size the
/// kernel knows for the terminal (columns, rows, width, height), a fallback where the
/// terminal did not answer.
pub fn decide(
    setting: ImagesSetting,
    env: &Env,
    answers: &Answers,
    size: (u16, u16),
    ioctl: Option<(u16, u16)>,
) -> Option<Graphics> {
    match setting {
        ImagesSetting::Off => return None,
        ImagesSetting::Halfblocks => return Some(Graphics::HALFBLOCKS),
        ImagesSetting::Auto => {}
    }
    if !env.worth_asking() {
        return Some(Graphics::HALFBLOCKS);
    }
    let per_cell = |(width, height): (u16, u16)| {
        let (cols, rows) = (size.0.max(1), size.1.max(1));
        let cell = CellSize {
            width: width / cols,
            height: height / rows,
        };
        (cell.width > 0 && cell.height > 0).then_some(cell)
    };
    let cell = answers
        .cell
        .filter(|c| c.width > 0 && c.height > 0)
        .or_else(|| answers.window.and_then(per_cell))
        .or_else(|| ioctl.and_then(per_cell));
    let Some(cell) = cell else {
        return Some(Graphics::HALFBLOCKS);
    };
    // WezTerm and Konsole answer the kitty query but do not draw its placeholders, nor
    // does a kitty older than 0.28 (its pictures would be rows of unknown characters).
    let kitty_without_placeholders =
        env.wezterm || env.konsole || answers.placeholders == Some(false);
    let protocol = if answers.kitty && !kitty_without_placeholders {
        Protocol::Kitty
    } else if env.iterm2_by_name() {
        Protocol::Iterm2
    } else if answers.sixel && !env.konsole {
        Protocol::Sixel
    } else if !answers.answered && env.kitty_by_name() {
        Protocol::Kitty
    } else {
        Protocol::Halfblocks
    };
    Some(Graphics {
        protocol,
        cell: if protocol == Protocol::Halfblocks {
            CellSize::GUESS
        } else {
            cell
        },
    })
}

/// What the terminal's reply bytes say. Replies come in the order asked, and an
/// unknown sequence is skipped, so a terminal that answers only some is read right.
pub fn parse_answers(reply: &[u8]) -> Answers {
    let mut answers = Answers::default();
    let text = String::from_utf8_lossy(reply);
    let mut rest: &str = &text;
    while let Some(at) = rest.find('\u{1b}') {
        rest = &rest[at + 1..];
        if let Some(apc) = rest.strip_prefix("_G") {
            // `ESC _ G i=31;OK ESC \`
            answers.answered = true;
            let end = apc.find('\u{1b}').unwrap_or(apc.len());
            let body = &apc[..end];
            if body.split(';').nth(1).is_some_and(|m| m.trim() == "OK") {
                answers.kitty = true;
            }
        } else if let Some(name) = rest.strip_prefix("P>|") {
            // XTVERSION: `ESC P > | kitty(0.35.2) ESC \`
            answers.answered = true;
            let end = name.find(['\u{1b}', '\u{7}']).unwrap_or(name.len());
            answers.placeholders = Some(draws_placeholders(&name[..end]));
        } else if let Some(csi) = rest.strip_prefix('[') {
            let end = csi
                .find(|c: char| !(c.is_ascii_digit() || c == ';' || c == '?'))
                .unwrap_or(csi.len());
            let params = &csi[..end];
            let numbers = || {
                params
                    .trim_start_matches('?')
                    .split(';')
                    .map(|n| n.parse::<u32>().ok())
            };
            match csi[end..].chars().next() {
                Some('c') if params.starts_with('?') => {
                    answers.answered = true;
                    answers.sixel |= numbers().skip(1).any(|n| n == Some(4));
                }
                Some('t') => {
                    answers.answered = true;
                    let n: Vec<Option<u32>> = numbers().collect();
                    let pair = |a: Option<u32>, b: Option<u32>| {
                        let a = u16::try_from(a?).ok()?;
                        let b = u16::try_from(b?).ok()?;
                        Some((a, b))
                    };
                    match n.as_slice() {
                        // CSI 6 ; height ; width t
                        [Some(6), h, w] => {
                            answers.cell =
                                pair(*w, *h).map(|(width, height)| CellSize { width, height });
                        }
                        // CSI 4 ; height ; width t
                        [Some(4), h, w] => answers.window = pair(*w, *h),
                        _ => {}
                    }
                }
                _ => {}
            }
        }
    }
    answers
}

/// Whether the terminal that says it is `name` (XTVERSION's text) draws kitty's
/// Unicode placeholders.
fn draws_placeholders(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    if lower.starts_with("ghostty") {
        return true;
    }
    let Some(version) = lower.strip_prefix("kitty(") else {
        return false;
    };
    let mut parts = version
        .trim_end_matches(')')
        .split('.')
        .map(|n| n.parse::<u32>().unwrap_or(0));
    let major = parts.next().unwrap_or(0);
    let minor = parts.next().unwrap_or(0);
    (major, minor) >= (0, 28)
}

#[cfg(test)]
mod tests {
    use super::*;

    const KITTY_REPLY: &[u8] = b"\x1b_Gi=31;OK\x1b\\\x1b[6;20;10t\x1b[4;480;800t\x1b[?62;22;52c";
    const SIXEL_REPLY: &[u8] = b"\x1b[6;16;8t\x1b[?63;1;2;4;6;9;15;22c";
    /// xterm without window ops: Device Attributes only.
    const XTERM_REPLY: &[u8] = b"\x1b[?64;1;2;6;9;15;16;17;18;21;22;28c";

    fn env(term: &str) -> Env {
        Env {
            term: Some(term.into()),
            ..Env::default()
        }
    }

    fn auto(env: &Env, reply: &[u8]) -> Option<Graphics> {
        decide(
            ImagesSetting::Auto,
            env,
            &parse_answers(reply),
            (80, 24),
            None,
        )
    }

    fn protocol(env: &Env, reply: &[u8]) -> Option<Protocol> {
        auto(env, reply).map(|g| g.protocol)
    }

    #[test]
    fn replies_are_parsed_whatever_their_order_and_noise() {
        let answers = parse_answers(KITTY_REPLY);
        assert!(answers.answered && answers.kitty && !answers.sixel);
        assert_eq!(
            answers.cell,
            Some(CellSize {
                width: 10,
                height: 20
            })
        );
        assert_eq!(answers.window, Some((800, 480)));
        let sixel = parse_answers(SIXEL_REPLY);
        assert!(sixel.sixel && !sixel.kitty);
        let refused = parse_answers(b"\x1b_Gi=31;ENOTSUPPORTED:no\x1b\\\x1b[?62c");
        assert!(refused.answered && !refused.kitty);
        assert_eq!(parse_answers(b""), Answers::default());
        assert_eq!(parse_answers(b"\x1b[6;99999999;1t\x1b[").cell, None);
    }

    #[test]
    fn what_the_terminal_answers_decides() {
        assert_eq!(
            auto(&env("xterm-kitty"), KITTY_REPLY),
            Some(Graphics {
                protocol: Protocol::Kitty,
                cell: CellSize {
                    width: 10,
                    height: 20
                }
            })
        );
        assert_eq!(
            auto(&env("foot"), SIXEL_REPLY),
            Some(Graphics {
                protocol: Protocol::Sixel,
                cell: CellSize {
                    width: 8,
                    height: 16
                }
            })
        );
        // A plain xterm: no graphics, no pixel size.
        assert_eq!(
            auto(&env("xterm-256color"), XTERM_REPLY),
            Some(Graphics::HALFBLOCKS)
        );
        // A kitty too old for Unicode placeholders (0.26 in Debian 12) answers the
        // graphics query; its pictures would be rows of unknown characters.
        let old_kitty = b"\x1b_Gi=31;OK\x1b\\\x1b[6;20;10t\x1bP>|kitty(0.26.5)\x1b\\\x1b[?62;52c";
        assert_eq!(parse_answers(old_kitty).placeholders, Some(false));
        assert_eq!(
            protocol(&env("xterm-kitty"), old_kitty),
            Some(Protocol::Halfblocks)
        );
        for name in [
            "kitty(0.28.0)",
            "kitty(0.35.2)",
            "kitty(1.0)",
            "ghostty 1.1.3",
        ] {
            let reply = format!("\x1b_Gi=31;OK\x1b\\\x1b[6;20;10t\x1bP>|{name}\x1b\\\x1b[?62;52c");
            assert_eq!(
                protocol(&env("xterm-kitty"), reply.as_bytes()),
                Some(Protocol::Kitty),
                "{name}"
            );
        }
        // Another terminal that answers the query and names itself: not trusted with
        // placeholders; its sixel is used when it has it.
        let other = b"\x1b_Gi=31;OK\x1b\\\x1b[6;20;10t\x1bP>|Someterm 2.0\x1b\\\x1b[?62;4c";
        assert_eq!(
            protocol(&env("xterm-256color"), other),
            Some(Protocol::Sixel)
        );
        // kitty answered, but without a cell size nothing can be placed: halfblocks.
        assert_eq!(
            protocol(&env("xterm-kitty"), b"\x1b_Gi=31;OK\x1b\\\x1b[?62c"),
            Some(Protocol::Halfblocks)
        );
    }

    #[test]
    fn the_window_size_or_the_kernel_gives_the_cell_size_when_asked_for_nothing_else() {
        let window_only = b"\x1b_Gi=31;OK\x1b\\\x1b[4;480;800t\x1b[?62c";
        assert_eq!(
            auto(&env("xterm-kitty"), window_only).map(|g| g.cell),
            Some(CellSize {
                width: 10,
                height: 20
            })
        );
        let kernel = decide(
            ImagesSetting::Auto,
            &env("xterm-kitty"),
            &parse_answers(b"\x1b_Gi=31;OK\x1b\\\x1b[?62c"),
            (100, 40),
            Some((900, 720)),
        );
        assert_eq!(
            kernel,
            Some(Graphics {
                protocol: Protocol::Kitty,
                cell: CellSize {
                    width: 9,
                    height: 18
                }
            })
        );
    }

    #[test]
    fn the_environment_names_iterm2_and_stands_in_for_a_silent_kitty() {
        let iterm = Env {
            term_program: Some("iTerm.app".into()),
            ..env("xterm-256color")
        };
        let cell_only = b"\x1b[6;20;10t\x1b[?62;4c";
        assert_eq!(protocol(&iterm, cell_only), Some(Protocol::Iterm2));
        let wezterm = Env {
            wezterm: true,
            ..env("xterm-256color")
        };
        // WezTerm answers kitty's query but draws iTerm2's protocol right.
        assert_eq!(protocol(&wezterm, KITTY_REPLY), Some(Protocol::Iterm2));
        let konsole = Env {
            konsole: true,
            ..env("xterm-256color")
        };
        assert_eq!(protocol(&konsole, KITTY_REPLY), Some(Protocol::Halfblocks));
        // A kitty that did not answer at all, but whose size the kernel knows.
        let silent = decide(
            ImagesSetting::Auto,
            &env("xterm-kitty"),
            &Answers::default(),
            (80, 24),
            Some((800, 480)),
        );
        assert_eq!(silent.map(|g| g.protocol), Some(Protocol::Kitty));
        // A stale KITTY_WINDOW_ID does not outrank a terminal that answered.
        let stale = Env {
            kitty_window: true,
            ..env("xterm-256color")
        };
        assert_eq!(
            protocol(&stale, b"\x1b[6;20;10t\x1b[?62c"),
            Some(Protocol::Halfblocks)
        );
    }

    #[test]
    fn multiplexers_and_dumb_terminals_get_halfblocks_and_settings_win() {
        for multiplexed in [
            Env {
                tmux: true,
                ..env("xterm-kitty")
            },
            env("tmux-256color"),
            env("screen-256color"),
            Env {
                screen: true,
                ..env("xterm-256color")
            },
        ] {
            assert!(!multiplexed.worth_asking(), "{multiplexed:?}");
            assert_eq!(
                protocol(&multiplexed, KITTY_REPLY),
                Some(Protocol::Halfblocks)
            );
        }
        assert!(!env("dumb").worth_asking());
        assert!(!Env::default().worth_asking());
        assert!(env("xterm-kitty").worth_asking());
        let answers = parse_answers(KITTY_REPLY);
        let kitty = env("xterm-kitty");
        assert_eq!(
            decide(ImagesSetting::Off, &kitty, &answers, (80, 24), None),
            None
        );
        assert_eq!(
            decide(ImagesSetting::Halfblocks, &kitty, &answers, (80, 24), None),
            Some(Graphics::HALFBLOCKS)
        );
        assert_eq!(
            ImagesSetting::parse("halfblocks"),
            Some(ImagesSetting::Halfblocks)
        );
        assert_eq!(ImagesSetting::parse("sixel"), None);
    }
}

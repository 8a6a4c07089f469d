//! The checks the fuzzers run, kept in the library so that the cargo-fuzz targets
//! (`fuzz/`, nightly) and the corpus test (`tests/fuzz_corpus.rs`, stable, in every
//! `cargo test`) run one and the same harness on the same inputs: a crash the fuzzer
//! finds is saved as a file and from then on checked by the ordinary test suite.
//!
//! Each entry point takes arbitrary bytes and panics when folio breaks a promise it
//! makes about any input: [`render`] for a post (no panic, no printed line wider than
//! the width, nothing a terminal would act on rather than show), [`config_and_theme`]
//! for the config and theme parsers (no panic; what is wrong comes back as an error
//! value). The checks are written from the promises, not from folio's own sanitizer, so
//! that a character the sanitizer forgot is caught rather than waved through.

use std::path::Path;

use chrono::{FixedOffset, NaiveDate};

use crate::app::keymap::Keymap;
use crate::app::prefs::format_date;
use crate::config;
use crate::file_error::FileError;
use crate::library::{PostDate, front_matter, text};
use crate::markdown::wrap::{AmbiguousWidth, display_width};
use crate::markdown::{self, HighlightMode, LayoutOptions};
use crate::print;
use crate::theme::spec::ThemeFile;
use crate::theme::{ColorDepth, ELEMENTS, Theme, builtin, color};
use crate::ui::clip_to_width;

/// The widest layout a fuzz input asks for: wide enough for every table and card shape,
/// narrow enough that the fuzzer spends its time on content, not on padding.
pub const MAX_WIDTH: usize = 200;

/// Bytes at the front of a [`render`] input that say how to print it; the post follows.
pub const RENDER_HEADER: usize = 2;

/// How a [`render`] input asks for its post to be printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RenderSettings {
    /// Columns, 1..=[`MAX_WIDTH`].
    pub width: usize,
    /// East Asian Ambiguous characters in columns, 1 or 2 (`ambiguous_width`).
    pub ambiguous_width: u8,
    /// Which built-in theme styles the coloured print.
    pub theme: usize,
    /// Whether the coloured print is written as a long post is (card first, with an
    /// estimated reading time, a few pieces at a time), rather than whole.
    pub streaming: bool,
}

impl RenderSettings {
    /// The settings the first [`RENDER_HEADER`] bytes ask for (missing bytes are 0) and
    /// the post after them.
    pub fn split(data: &[u8]) -> (RenderSettings, &[u8]) {
        let byte = |i: usize| data.get(i).copied().unwrap_or(0);
        let flags = byte(1);
        let settings = RenderSettings {
            width: 1 + usize::from(byte(0)) % MAX_WIDTH,
            ambiguous_width: if flags & 1 == 0 { 1 } else { 2 },
            theme: usize::from(flags >> 1 & 0b111),
            streaming: flags & 0b1_0000 != 0,
        };
        (settings, data.get(RENDER_HEADER..).unwrap_or_default())
    }

    /// The header bytes that ask for these settings, for making seed inputs.
    pub fn header(&self) -> [u8; RENDER_HEADER] {
        let width = self.width.clamp(1, MAX_WIDTH) - 1;
        let flags = u8::from(self.ambiguous_width == 2)
            | (self.theme as u8 & 0b111) << 1
            | u8::from(self.streaming) << 4;
        [u8::try_from(width).unwrap_or(0), flags]
    }
}

/// Small pieces, so a short input still goes through the streaming path's cuts.
const STREAM_PIECE_BYTES: usize = 64;

/// A post as `folio print` reads it (decoded, front matter split off) printed plain and
/// coloured at the width the input asks for. Panics when anything panics, when a line
/// is wider than the width, or when the output holds a control character (other than
/// the newline ending each line and the SGR sequences print itself writes), a bidi
/// control or an invisible zero-width character; and when a front-matter warning, as
/// print writes it to stderr, holds one.
pub fn render(data: &[u8]) {
    let (settings, post) = RenderSettings::split(data);
    let decoded = text::decode(post);
    if decoded.binary {
        // print refuses it before laying anything out.
        return;
    }
    let (meta, body, problems) = front_matter::split_body(decoded.text);
    for problem in &problems {
        let line = clip_to_width(&problem.message, usize::MAX);
        if let Some(bad) = line.chars().find(|&c| c == '\n' || unsafe_char(c)) {
            panic!("front-matter warning holds {bad:?}: {line:?}");
        }
    }
    let themes: Vec<&str> = builtin::names().collect();
    let theme_name = themes
        .get(settings.theme % themes.len().max(1))
        .copied()
        .unwrap_or("dark");
    let theme = builtin::theme(theme_name).unwrap_or_default();
    for styled in [false, true] {
        let options = LayoutOptions {
            width: settings.width,
            meta: Some(meta.clone()),
            base_dir: None,
            code_theme: theme.code_theme().map(str::to_string),
            numbered_links: true,
            highlight: if styled {
                HighlightMode::Eager
            } else {
                HighlightMode::Off
            },
            estimated_minutes: None,
            ambiguous_width: settings.ambiguous_width,
            images: None,
        };
        let render_lines = |lines: &[markdown::Line], out: &mut String| {
            print::render_lines(lines, &theme, styled, out)
        };
        let out = if styled && settings.streaming {
            let mut bytes = Vec::new();
            let written = markdown::print_streaming(
                &body,
                &options,
                &render_lines,
                STREAM_PIECE_BYTES,
                &mut bytes,
            );
            assert!(written.is_ok(), "writing to memory failed: {written:?}");
            String::from_utf8_lossy(&bytes).into_owned()
        } else {
            markdown::render_document(&body, &options, &render_lines).concat()
        };
        check_printed(&out, &settings, styled);
    }
}

/// Every line of printed text fits and is safe (see [`render`]).
fn check_printed(out: &str, settings: &RenderSettings, styled: bool) {
    let _ambiguous = AmbiguousWidth::set(settings.ambiguous_width);
    let what = if styled { "coloured" } else { "plain" };
    for (row, line) in out.lines().enumerate() {
        let shown = if styled {
            match strip_sgr(line) {
                Some(shown) => shown,
                None => panic!("{what} row {row}: an escape that is not SGR: {line:?}"),
            }
        } else {
            line.to_string()
        };
        if let Some(bad) = shown.chars().find(|&c| unsafe_char(c)) {
            panic!("{what} row {row} holds {bad:?}: {line:?}");
        }
        let columns = display_width(&shown);
        assert!(
            columns <= settings.width,
            "{what} row {row} is {columns} columns at width {} (ambiguous {}): {shown:?}",
            settings.width,
            settings.ambiguous_width
        );
    }
}

/// `line` without its SGR sequences (`ESC [` digits and `;` `m`, as print writes
/// them); `None` when it holds an ESC that does not start one.
pub fn strip_sgr(line: &str) -> Option<String> {
    let mut shown = String::with_capacity(line.len());
    let mut rest = line;
    while let Some(at) = rest.find('\u{1b}') {
        shown.push_str(rest.get(..at)?);
        let sequence = rest.get(at + 1..)?.strip_prefix('[')?;
        let end = sequence.find('m')?;
        let params = sequence.get(..end)?;
        if params.is_empty() || !params.bytes().all(|b| b.is_ascii_digit() || b == b';') {
            return None;
        }
        rest = sequence.get(end + 1..)?;
    }
    shown.push_str(rest);
    Some(shown)
}

/// A character that must never reach the terminal from a post: C0 controls (the
/// newline between lines aside, which callers split on), DEL, C1 controls, bidi
/// controls, and the invisible zero-width characters the sanitizer promises to drop.
pub fn unsafe_char(c: char) -> bool {
    matches!(
        c,
        '\u{0}'..='\u{1f}'
            | '\u{7f}'..='\u{9f}'
            | '\u{61c}'
            | '\u{200b}'
            | '\u{200e}'
            | '\u{200f}'
            | '\u{202a}'..='\u{202e}'
            | '\u{2060}'
            | '\u{2066}'..='\u{2069}'
            | '\u{feff}'
    )
}

/// Arbitrary bytes as a config file and as a theme file, through every parser folio
/// reads them with and what it then does with what they set (dates in the config's
/// format, remapped keys, theme styles as SGR at each colour depth). Panics when any
/// of that panics, or when a parsed theme's style prints as anything but SGR; a file
/// that is wrong must come back as an error value.
pub fn config_and_theme(data: &[u8]) {
    // Config and theme files are read as UTF-8 text; what is not, is an I/O error.
    let text = String::from_utf8_lossy(data);
    let path = Path::new("fuzz.yaml");
    match config::parse(&text) {
        Ok(config) => use_config(&config),
        Err(err) => {
            let _ = FileError::from_yaml(path, &err).to_string();
        }
    }
    let (config, errors) = config::parse_lenient(&text);
    use_config(&config);
    for err in &errors {
        let _ = FileError::from_yaml(path, err).to_string();
    }
    match ThemeFile::parse(&text) {
        Ok(file) => use_theme(&Theme::from_file("fuzz", &file)),
        Err(err) => {
            let _ = FileError::from_yaml(path, &err).to_string();
        }
    }
    for line in text.lines().take(16) {
        let _ = color::parse_color(line.trim());
    }
}

/// What the TUI does with a config that parsed.
fn use_config(config: &config::Config) {
    let _ = (config.reading_width(), config.max_post_bytes());
    let day = NaiveDate::from_ymd_opt(2021, 5, 25).and_then(|d| d.and_hms_opt(4, 55, 44));
    if let Some(naive) = day {
        let zones = [None, FixedOffset::east_opt(8 * 3600)];
        for offset in zones {
            let date = PostDate {
                naive,
                offset,
                has_time: true,
            };
            let _ = format_date(&date, config.date_format.as_deref());
        }
    }
    let mut keymap = Keymap::default();
    for key in &config.keys {
        keymap.rebind(key.screen, key.key, key.action);
        let _ = key.key.label();
    }
}

/// Every style of a parsed theme, at every depth, printed as print would.
fn use_theme(theme: &Theme) {
    for depth in [
        ColorDepth::TrueColor,
        ColorDepth::Ansi256,
        ColorDepth::Ansi16,
        ColorDepth::NoColor,
    ] {
        let theme = theme.clone().with_depth(depth);
        let _ = (theme.background(), theme.foreground(), theme.base());
        for (element, ..) in ELEMENTS {
            let styled = print::styled("x", theme.element(*element));
            assert_eq!(
                strip_sgr(&styled).as_deref(),
                Some("x"),
                "{element:?} at {depth:?}: {styled:?}"
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_round_trip_through_the_header() {
        for width in [1, 2, 80, MAX_WIDTH] {
            for (ambiguous_width, theme, streaming) in [(1, 0, false), (2, 6, true)] {
                let settings = RenderSettings {
                    width,
                    ambiguous_width,
                    theme,
                    streaming,
                };
                let mut input = settings.header().to_vec();
                input.extend_from_slice(b"post");
                assert_eq!(RenderSettings::split(&input), (settings, &b"post"[..]));
            }
        }
        assert_eq!(RenderSettings::split(b"").0.width, 1);
    }

    #[test]
    fn sgr_is_stripped_and_any_other_escape_is_refused() {
        assert_eq!(
            strip_sgr("a\u{1b}[1;38;5;12mb\u{1b}[0mc").as_deref(),
            Some("abc")
        );
        for bad in [
            "\u{1b}]0;title\u{7}",
            "\u{1b}[2J",
            "\u{1b}[m",
            "\u{1b}[31",
            "\u{1b}",
        ] {
            assert_eq!(strip_sgr(bad), None, "{bad:?}");
        }
    }

    #[test]
    #[should_panic(expected = "columns at width")]
    fn a_line_wider_than_the_width_is_caught() {
        let settings = RenderSettings {
            width: 3,
            ambiguous_width: 1,
            theme: 0,
            streaming: false,
        };
        check_printed("ok\n中文\n", &settings, false);
    }

    #[test]
    #[should_panic(expected = "holds")]
    fn a_control_in_print_is_caught() {
        let settings = RenderSettings {
            width: 80,
            ambiguous_width: 1,
            theme: 0,
            streaming: false,
        };
        check_printed("\u{1b}[1mok\u{1b}[0m\u{9b}2J\n", &settings, true);
    }
}

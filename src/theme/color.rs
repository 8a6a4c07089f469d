//! Colours as theme files write them, and as a given terminal can show them.
//!
//! A theme names colours three ways (`blue`, `#88c0d0`, `110`); a terminal shows 24-bit
//! colour, the 256-colour palette, or only the 16 ANSI colours. This module parses the
//! first and maps down to the second, and measures contrast, so that "readable" is a
//! number a test can check rather than an impression.

use ratatui::style::Color;

/// How many colours the terminal can show.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum ColorDepth {
    /// 24-bit colour: `#rrggbb` is sent as is.
    #[default]
    TrueColor,
    /// The xterm 256-colour palette: RGB is mapped to the nearest cube or grey entry.
    Ansi256,
    /// The 16 ANSI colours: everything is mapped to the nearest of them.
    Ansi16,
    /// `NO_COLOR`: no colour at all; bold, italic and underline stay.
    NoColor,
}

impl ColorDepth {
    /// The depth the environment asks for: `NO_COLOR` (any non-empty value) turns colour
    /// off; `COLORTERM=truecolor|24bit` gives 24-bit; a `TERM` naming 256 colours gives
    /// 256; anything else gets the 16 colours every terminal has.
    pub fn from_env(var: impl Fn(&str) -> Option<String>) -> ColorDepth {
        if var("NO_COLOR").is_some_and(|v| !v.is_empty()) {
            return ColorDepth::NoColor;
        }
        let colorterm = var("COLORTERM").unwrap_or_default().to_ascii_lowercase();
        if colorterm == "truecolor" || colorterm == "24bit" {
            return ColorDepth::TrueColor;
        }
        let term = var("TERM").unwrap_or_default().to_ascii_lowercase();
        if term.contains("256color") || term.contains("direct") {
            ColorDepth::Ansi256
        } else {
            ColorDepth::Ansi16
        }
    }

    /// [`ColorDepth::from_env`] over the process environment.
    pub fn detect() -> ColorDepth {
        ColorDepth::from_env(|k| std::env::var(k).ok())
    }

    /// `color` as this depth can show it; `None` when there is no colour at all.
    pub fn convert(self, color: Color) -> Option<Color> {
        match self {
            ColorDepth::NoColor => None,
            ColorDepth::TrueColor => Some(color),
            ColorDepth::Ansi256 => Some(match color {
                Color::Rgb(r, g, b) => Color::Indexed(cached(Rgb(r, g, b), false)),
                other => other,
            }),
            ColorDepth::Ansi16 => Some(match color {
                Color::Rgb(r, g, b) => ansi16(cached(Rgb(r, g, b), true)),
                Color::Indexed(i) if i < 16 => ansi16(i),
                Color::Indexed(i) => ansi16(cached(indexed_rgb(i), true)),
                other => other,
            }),
        }
    }
}

/// [`nearest_256`] / [`nearest_16`], remembered: a highlighted post asks for the same
/// few dozen colours hundreds of thousands of times, and OKLab costs cube roots.
fn cached(c: Rgb, sixteen: bool) -> u8 {
    use std::cell::RefCell;
    use std::collections::HashMap;
    thread_local! {
        static NEAREST: RefCell<HashMap<(Rgb, bool), u8>> = RefCell::new(HashMap::new());
    }
    NEAREST.with(|cache| {
        *cache.borrow_mut().entry((c, sixteen)).or_insert_with(|| {
            if sixteen {
                nearest_16(c)
            } else {
                nearest_256(c)
            }
        })
    })
}

/// An sRGB colour, for arithmetic (ratatui's `Color` may be a palette name).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Rgb(pub u8, pub u8, pub u8);

/// Reads a colour as a theme file writes it: an ANSI name (`blue`, `bright-blue`,
/// `dark-gray`), `#rrggbb` (or `#rgb`), a palette index `0`–`255`, or `default` for the
/// terminal's own colour. The error says what was expected.
pub fn parse_color(text: &str) -> Result<Color, String> {
    let t = text.trim();
    if let Some(hex) = t.strip_prefix('#') {
        return parse_hex(hex).ok_or_else(|| {
            format!("bad colour \"{t}\": write #rrggbb with six hex digits, e.g. #88c0d0")
        });
    }
    if let Ok(index) = t.parse::<u16>() {
        return u8::try_from(index)
            .map(Color::Indexed)
            .map_err(|_| format!("colour index {index} is out of range: use 0–255"));
    }
    let key: String = t
        .chars()
        .filter(|c| !matches!(c, '-' | '_' | ' '))
        .flat_map(char::to_lowercase)
        .collect();
    let named = match key.as_str() {
        "default" | "reset" | "none" => Color::Reset,
        "black" => Color::Black,
        "red" => Color::Red,
        "green" => Color::Green,
        "yellow" => Color::Yellow,
        "blue" => Color::Blue,
        "magenta" | "purple" => Color::Magenta,
        "cyan" => Color::Cyan,
        "gray" | "grey" | "silver" => Color::Gray,
        "darkgray" | "darkgrey" | "brightblack" => Color::DarkGray,
        "lightred" | "brightred" => Color::LightRed,
        "lightgreen" | "brightgreen" => Color::LightGreen,
        "lightyellow" | "brightyellow" => Color::LightYellow,
        "lightblue" | "brightblue" => Color::LightBlue,
        "lightmagenta" | "brightmagenta" | "lightpurple" => Color::LightMagenta,
        "lightcyan" | "brightcyan" => Color::LightCyan,
        "white" | "brightwhite" => Color::White,
        _ => {
            return Err(format!(
                "unknown colour \"{t}\": use an ANSI name (red, bright-blue, dark-gray, …), \
                 #rrggbb, or 0–255"
            ));
        }
    };
    Ok(named)
}

fn parse_hex(hex: &str) -> Option<Color> {
    if !hex.chars().all(|c| c.is_ascii_hexdigit()) {
        return None;
    }
    let digit = |i: usize| {
        hex.get(i..i + 1)
            .and_then(|d| u8::from_str_radix(d, 16).ok())
    };
    match hex.len() {
        6 => {
            let byte = |i: usize| {
                hex.get(i..i + 2)
                    .and_then(|d| u8::from_str_radix(d, 16).ok())
            };
            Some(Color::Rgb(byte(0)?, byte(2)?, byte(4)?))
        }
        3 => Some(Color::Rgb(digit(0)? * 17, digit(1)? * 17, digit(2)? * 17)),
        _ => None,
    }
}

/// The 16 ANSI colours as xterm shows them by default: the reference for mapping down
/// and for contrast checks of themes that use names (a user's palette may differ).
const ANSI16: [Rgb; 16] = [
    Rgb(0, 0, 0),
    Rgb(205, 0, 0),
    Rgb(0, 205, 0),
    Rgb(205, 205, 0),
    Rgb(0, 0, 238),
    Rgb(205, 0, 205),
    Rgb(0, 205, 205),
    Rgb(229, 229, 229),
    Rgb(127, 127, 127),
    Rgb(255, 0, 0),
    Rgb(0, 255, 0),
    Rgb(255, 255, 0),
    Rgb(92, 92, 255),
    Rgb(255, 0, 255),
    Rgb(0, 255, 255),
    Rgb(255, 255, 255),
];

fn ansi16(index: u8) -> Color {
    match index {
        0 => Color::Black,
        1 => Color::Red,
        2 => Color::Green,
        3 => Color::Yellow,
        4 => Color::Blue,
        5 => Color::Magenta,
        6 => Color::Cyan,
        7 => Color::Gray,
        8 => Color::DarkGray,
        9 => Color::LightRed,
        10 => Color::LightGreen,
        11 => Color::LightYellow,
        12 => Color::LightBlue,
        13 => Color::LightMagenta,
        14 => Color::LightCyan,
        _ => Color::White,
    }
}

/// The RGB a colour stands for; `None` for the terminal's default colour, which only
/// the terminal knows.
pub fn to_rgb(color: Color) -> Option<Rgb> {
    let ansi = |i: usize| ANSI16.get(i).copied();
    match color {
        Color::Reset => None,
        Color::Rgb(r, g, b) => Some(Rgb(r, g, b)),
        Color::Indexed(i) => Some(indexed_rgb(i)),
        Color::Black => ansi(0),
        Color::Red => ansi(1),
        Color::Green => ansi(2),
        Color::Yellow => ansi(3),
        Color::Blue => ansi(4),
        Color::Magenta => ansi(5),
        Color::Cyan => ansi(6),
        Color::Gray => ansi(7),
        Color::DarkGray => ansi(8),
        Color::LightRed => ansi(9),
        Color::LightGreen => ansi(10),
        Color::LightYellow => ansi(11),
        Color::LightBlue => ansi(12),
        Color::LightMagenta => ansi(13),
        Color::LightCyan => ansi(14),
        Color::White => ansi(15),
    }
}

/// Levels of the 6×6×6 colour cube (indices 16–231).
const CUBE: [u8; 6] = [0, 95, 135, 175, 215, 255];

fn indexed_rgb(i: u8) -> Rgb {
    match i {
        0..=15 => ANSI16[usize::from(i)],
        16..=231 => {
            let n = usize::from(i - 16);
            Rgb(CUBE[n / 36], CUBE[(n / 6) % 6], CUBE[n % 6])
        }
        _ => {
            let level = 8 + 10 * (i - 232);
            Rgb(level, level, level)
        }
    }
}

/// "Redmean" distance: cheap, and much closer to what the eye sees than plain RGB
/// distance, which matters when a pastel has to pick between a grey and a hue.
fn distance(a: Rgb, b: Rgb) -> i64 {
    let rmean = (i64::from(a.0) + i64::from(b.0)) / 2;
    let dr = i64::from(a.0) - i64::from(b.0);
    let dg = i64::from(a.1) - i64::from(b.1);
    let db = i64::from(a.2) - i64::from(b.2);
    (((512 + rmean) * dr * dr) >> 8) + 4 * dg * dg + (((767 - rmean) * db * db) >> 8)
}

/// The nearest entry of the 256-colour palette, from the cube or the grey ramp (the 16
/// ANSI entries are left out: terminals redefine them).
pub fn nearest_256(c: Rgb) -> u8 {
    let level = |v: u8| {
        CUBE.iter()
            .enumerate()
            .min_by_key(|(_, l)| (i16::from(**l) - i16::from(v)).abs())
            .map_or(0, |(i, _)| i as u8)
    };
    let cube = 16 + 36 * level(c.0) + 6 * level(c.1) + level(c.2);
    let avg = (u16::from(c.0) + u16::from(c.1) + u16::from(c.2)) / 3;
    let grey = 232 + (avg.saturating_sub(3) / 10).min(23) as u8;
    if distance(c, indexed_rgb(grey)) < distance(c, indexed_rgb(cube)) {
        grey
    } else {
        cube
    }
}

/// The nearest of the 16 ANSI colours (as xterm draws them). Plain RGB distance sends
/// pastels to the wrong hue (Dracula's green becomes cyan, Nord's red grey), so this
/// works in OKLab: a colour with visible chroma goes to the chromatic entry nearest in
/// hue (then lightness), a near-grey to black, dark grey, grey or white by lightness.
pub fn nearest_16(c: Rgb) -> u8 {
    const GREYS: [usize; 4] = [0, 8, 7, 15];
    const CHROMA: f64 = 0.04;
    let (l, a, b) = oklab(c);
    let chroma = a.hypot(b);
    let score = |i: usize| -> f64 {
        let (l2, a2, b2) = ANSI16.get(i).map_or((0.0, 0.0, 0.0), |p| oklab(*p));
        if chroma < CHROMA {
            return (l - l2).powi(2);
        }
        let mut dh = (b.atan2(a) - b2.atan2(a2)).abs();
        if dh > std::f64::consts::PI {
            dh = 2.0 * std::f64::consts::PI - dh;
        }
        dh * dh + 2.0 * (l - l2).powi(2)
    };
    let candidates: Vec<usize> = if chroma < CHROMA {
        GREYS.to_vec()
    } else {
        (0..16).filter(|i| !GREYS.contains(i)).collect()
    };
    candidates
        .into_iter()
        .min_by(|x, y| score(*x).total_cmp(&score(*y)))
        .map_or(0, |i| i as u8)
}

/// OKLab (L, a, b) of an sRGB colour.
fn oklab(c: Rgb) -> (f64, f64, f64) {
    let (r, g, b) = (linear(c.0), linear(c.1), linear(c.2));
    let l = (0.412_221_470_8 * r + 0.536_332_536_3 * g + 0.051_445_992_9 * b).cbrt();
    let m = (0.211_903_498_2 * r + 0.680_699_545_1 * g + 0.107_396_956_6 * b).cbrt();
    let s = (0.088_302_461_9 * r + 0.281_718_837_6 * g + 0.629_978_700_5 * b).cbrt();
    (
        0.210_454_255_3 * l + 0.793_617_785 * m - 0.004_072_046_8 * s,
        1.977_998_495_1 * l - 2.428_592_205 * m + 0.450_593_709_9 * s,
        0.025_904_037_1 * l + 0.782_771_766_2 * m - 0.808_675_766 * s,
    )
}

/// sRGB channel → linear light.
fn linear(v: u8) -> f64 {
    let s = f64::from(v) / 255.0;
    if s <= 0.040_45 {
        s / 12.92
    } else {
        ((s + 0.055) / 1.055).powf(2.4)
    }
}

/// WCAG relative luminance, 0 (black) to 1 (white).
pub fn luminance(c: Rgb) -> f64 {
    0.2126 * linear(c.0) + 0.7152 * linear(c.1) + 0.0722 * linear(c.2)
}

/// WCAG contrast ratio, 1 (none) to 21 (black on white).
pub fn contrast(a: Rgb, b: Rgb) -> f64 {
    let (la, lb) = (luminance(a), luminance(b));
    let (hi, lo) = if la > lb { (la, lb) } else { (lb, la) };
    (hi + 0.05) / (lo + 0.05)
}

/// Whether a background is light: the colour black text reads better on.
pub fn is_light(c: Rgb) -> bool {
    contrast(c, Rgb(0, 0, 0)) > contrast(c, Rgb(255, 255, 255))
}

/// `#rrggbb` for an RGB colour, else the palette name or index: how snapshots and
/// `folio themes` show a resolved colour.
pub fn describe(color: Color) -> String {
    match color {
        Color::Rgb(r, g, b) => format!("#{r:02x}{g:02x}{b:02x}"),
        Color::Indexed(i) => i.to_string(),
        Color::Reset => "default".into(),
        other => {
            let name = format!("{other:?}");
            let mut out = String::new();
            for (i, ch) in name.chars().enumerate() {
                if ch.is_uppercase() && i > 0 {
                    out.push('-');
                }
                out.extend(ch.to_lowercase());
            }
            out
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let owned: Vec<(String, String)> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        move |k| owned.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone())
    }

    #[test]
    fn depth_follows_colorterm_then_term_and_no_color_wins() {
        let d = |pairs: &[(&str, &str)]| ColorDepth::from_env(env(pairs));
        assert_eq!(d(&[("COLORTERM", "truecolor")]), ColorDepth::TrueColor);
        assert_eq!(
            d(&[("COLORTERM", "24bit"), ("TERM", "xterm")]),
            ColorDepth::TrueColor
        );
        assert_eq!(d(&[("TERM", "xterm-256color")]), ColorDepth::Ansi256);
        assert_eq!(d(&[("TERM", "xterm")]), ColorDepth::Ansi16);
        assert_eq!(d(&[]), ColorDepth::Ansi16);
        assert_eq!(
            d(&[("NO_COLOR", "1"), ("COLORTERM", "truecolor")]),
            ColorDepth::NoColor
        );
        assert_eq!(
            d(&[("NO_COLOR", ""), ("TERM", "screen-256color")]),
            ColorDepth::Ansi256
        );
    }

    #[test]
    fn truecolor_keeps_rgb_and_256_maps_to_the_nearest_cube_or_grey() {
        let nord = Color::Rgb(0x88, 0xc0, 0xd0);
        assert_eq!(ColorDepth::TrueColor.convert(nord), Some(nord));
        // Exact cube and grey entries map to themselves.
        assert_eq!(nearest_256(Rgb(95, 135, 175)), 16 + 36 + 2 * 6 + 3);
        assert_eq!(nearest_256(Rgb(0, 0, 0)), 16);
        assert_eq!(nearest_256(Rgb(128, 128, 128)), 244);
        assert_eq!(nearest_256(Rgb(0x28, 0x2a, 0x36)), 236);
        assert_eq!(
            ColorDepth::Ansi256.convert(Color::Rgb(255, 0, 0)),
            Some(Color::Indexed(196))
        );
        // Names are the terminal's own and pass through unchanged.
        assert_eq!(ColorDepth::Ansi256.convert(Color::Blue), Some(Color::Blue));
    }

    #[test]
    fn sixteen_colours_map_rgb_and_high_indices_to_ansi_names() {
        let c16 = |c| ColorDepth::Ansi16.convert(c);
        assert_eq!(c16(Color::Rgb(0x28, 0x2a, 0x36)), Some(Color::Black));
        assert_eq!(c16(Color::Rgb(0xf8, 0xf8, 0xf2)), Some(Color::White));
        assert_eq!(c16(Color::Rgb(0xff, 0x55, 0x55)), Some(Color::LightRed));
        assert_eq!(c16(Color::Rgb(0x50, 0xfa, 0x7b)), Some(Color::LightGreen));
        assert_eq!(c16(Color::Rgb(0xbf, 0x61, 0x6a)), Some(Color::LightRed));
        assert_eq!(c16(Color::Rgb(0x26, 0x8b, 0xd2)), Some(Color::Blue));
        assert_eq!(c16(Color::Rgb(0xa3, 0xbe, 0x8c)), Some(Color::Green));
        assert_eq!(c16(Color::Rgb(0xd8, 0xde, 0xe9)), Some(Color::Gray));
        assert_eq!(c16(Color::Rgb(0x1d, 0x1f, 0x27)), Some(Color::Black));
        assert_eq!(c16(Color::Indexed(196)), Some(Color::LightRed));
        assert_eq!(c16(Color::Indexed(4)), Some(Color::Blue));
        assert_eq!(ColorDepth::NoColor.convert(Color::Red), None);
    }

    #[test]
    fn colours_parse_as_names_hex_and_indices() {
        assert_eq!(parse_color("bright-blue"), Ok(Color::LightBlue));
        assert_eq!(parse_color("Dark_Gray"), Ok(Color::DarkGray));
        assert_eq!(parse_color("#88C0D0"), Ok(Color::Rgb(0x88, 0xc0, 0xd0)));
        assert_eq!(parse_color("#fff"), Ok(Color::Rgb(255, 255, 255)));
        assert_eq!(parse_color("110"), Ok(Color::Indexed(110)));
        assert_eq!(parse_color("default"), Ok(Color::Reset));
        assert!(parse_color("256").unwrap_err().contains("0–255"));
        assert!(parse_color("#12345").unwrap_err().contains("#rrggbb"));
        assert!(parse_color("#ééé").is_err());
        assert!(
            parse_color("blurple")
                .unwrap_err()
                .contains("unknown colour")
        );
    }

    #[test]
    fn contrast_matches_wcag_reference_values() {
        let black = Rgb(0, 0, 0);
        let white = Rgb(255, 255, 255);
        assert!((contrast(black, white) - 21.0).abs() < 0.01);
        assert!((contrast(white, white) - 1.0).abs() < 1e-9);
        // #767676 on white is the classic 4.54:1.
        assert!((contrast(Rgb(0x76, 0x76, 0x76), white) - 4.54).abs() < 0.01);
        assert!(is_light(Rgb(0xfd, 0xf6, 0xe3)));
        assert!(!is_light(Rgb(0x28, 0x2a, 0x36)));
    }

    #[test]
    fn describe_is_compact() {
        assert_eq!(describe(Color::Rgb(1, 2, 255)), "#0102ff");
        assert_eq!(describe(Color::LightBlue), "light-blue");
        assert_eq!(describe(Color::Indexed(7)), "7");
    }
}

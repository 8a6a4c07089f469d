//! Laid-out lines → text for stdout.
//!
//! Print mode is the same layout the reader draws, written out whole. Escape sequences
//! are built here from styles only (SGR), never from content: span text was sanitized
//! by layout, so nothing a post contains can move the cursor or retitle the window.

use std::fmt::Write as _;

use ratatui::style::{Color, Modifier, Style};

use crate::markdown::{Laid, Line, Style as SpanStyle};
use crate::theme::Theme;

/// Renders `laid` as lines of text, with SGR styling when `color` is set.
pub fn render(laid: &Laid, theme: &Theme, styled: bool) -> String {
    let mut out = String::new();
    for line in &laid.lines {
        render_lines(&[line.to_line()], theme, styled, &mut out);
    }
    out
}

/// Appends `lines` to `out` as [`render`] does.
pub fn render_lines(lines: &[Line], theme: &Theme, styled: bool, out: &mut String) {
    // A block uses a handful of styles over and over (a code block: its theme's token
    // colours), and resolving one through the theme costs more than the text it wraps.
    let mut known: Vec<(SpanStyle, String)> = Vec::new();
    for line in lines {
        for span in &line.spans {
            if !styled {
                out.push_str(&span.text);
                continue;
            }
            // Which link a span belongs to does not change how it looks.
            let key = SpanStyle {
                link: None,
                ..span.style
            };
            let at = match known.iter().position(|(style, _)| *style == key) {
                Some(at) => at,
                None => {
                    known.push((key, sgr(theme.span(&key))));
                    known.len() - 1
                }
            };
            let code = &known[at].1;
            if code.is_empty() {
                out.push_str(&span.text);
            } else {
                let _ = write!(out, "\x1b[{code}m{}\x1b[0m", span.text);
            }
            if known.len() > 64 {
                known.clear();
            }
        }
        // Trailing padding is noise in a pipe or a file.
        let trimmed = out.trim_end_matches(' ').len();
        out.truncate(trimmed);
        out.push('\n');
    }
}

/// `text` wrapped in the SGR for `style` (and a reset), or as is for the default style.
pub fn styled(text: &str, style: Style) -> String {
    let sgr = sgr(style);
    if sgr.is_empty() {
        text.to_string()
    } else {
        format!("\x1b[{sgr}m{text}\x1b[0m")
    }
}

/// The SGR parameters for a style, e.g. `1;38;5;12`; empty for the default style.
fn sgr(style: Style) -> String {
    let mut codes: Vec<String> = Vec::new();
    let m = style.add_modifier;
    for (flag, code) in [
        (Modifier::BOLD, "1"),
        (Modifier::DIM, "2"),
        (Modifier::ITALIC, "3"),
        (Modifier::UNDERLINED, "4"),
        (Modifier::REVERSED, "7"),
        (Modifier::CROSSED_OUT, "9"),
    ] {
        if m.contains(flag) {
            codes.push(code.to_string());
        }
    }
    if let Some(fg) = style.fg.and_then(|c| color_code(c, false)) {
        codes.push(fg);
    }
    if let Some(bg) = style.bg.and_then(|c| color_code(c, true)) {
        codes.push(bg);
    }
    codes.join(";")
}

fn color_code(color: Color, background: bool) -> Option<String> {
    let base = if background { 40 } else { 30 };
    let bright = if background { 100 } else { 90 };
    let named = |n: u8| Some((base + n).to_string());
    let light = |n: u8| Some((bright + n).to_string());
    match color {
        Color::Reset => None,
        Color::Black => named(0),
        Color::Red => named(1),
        Color::Green => named(2),
        Color::Yellow => named(3),
        Color::Blue => named(4),
        Color::Magenta => named(5),
        Color::Cyan => named(6),
        Color::Gray => named(7),
        Color::DarkGray => light(0),
        Color::LightRed => light(1),
        Color::LightGreen => light(2),
        Color::LightYellow => light(3),
        Color::LightBlue => light(4),
        Color::LightMagenta => light(5),
        Color::LightCyan => light(6),
        Color::White => light(7),
        Color::Indexed(i) => Some(format!("{};5;{i}", base + 8)),
        Color::Rgb(r, g, b) => Some(format!("{};2;{r};{g};{b}", base + 8)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::markdown::{Role, Span, Style as SpanStyle};

    fn laid(spans: Vec<Span>) -> Laid {
        Laid {
            width: 80,
            lines: [Line { spans }].into_iter().collect(),
            ..Laid::default()
        }
    }

    fn span(text: &str, role: Role) -> Span {
        Span {
            text: text.into(),
            style: SpanStyle::role(role),
        }
    }

    #[test]
    fn plain_output_has_no_escape_and_no_trailing_spaces() {
        let out = render(
            &laid(vec![
                span("标题", Role::Heading(2)),
                span("   ", Role::Text),
            ]),
            &Theme::dark(),
            false,
        );
        assert_eq!(out, "标题\n");
    }

    #[test]
    fn styled_output_wraps_styled_spans_in_sgr() {
        let out = render(
            &laid(vec![span("bold", Role::Strong), span(" x", Role::Text)]),
            &Theme::dark().without_color(),
            true,
        );
        assert_eq!(out, "\x1b[1mbold\x1b[0m x\n");
    }

    #[test]
    fn rgb_and_bright_colours_encode() {
        assert_eq!(
            color_code(Color::Rgb(1, 2, 3), false).as_deref(),
            Some("38;2;1;2;3")
        );
        assert_eq!(color_code(Color::LightBlue, false).as_deref(), Some("94"));
        assert_eq!(
            color_code(Color::Indexed(200), true).as_deref(),
            Some("48;5;200")
        );
    }

    #[test]
    fn styles_remembered_per_block_give_the_same_text_as_each_span_alone() {
        // More distinct styles than the block remembers, repeated, with links: each
        // span must come out as it would on its own.
        let theme = Theme::dark();
        let mut spans = Vec::new();
        for round in 0..3u8 {
            for n in 0..100u8 {
                let style = SpanStyle {
                    fg: (n % 3 != 0).then_some(crate::markdown::style::Rgb(n, 255 - n, round)),
                    bold: n % 2 == 0,
                    italic: n % 5 == 0,
                    link: (n % 7 == 0).then_some(u32::from(n)),
                    ..SpanStyle::role(if n % 4 == 0 {
                        Role::Link
                    } else {
                        Role::CodeBlock
                    })
                };
                spans.push(Span {
                    text: format!("t{n}.{round} ").into(),
                    style,
                });
            }
        }
        let expected: String = spans
            .iter()
            .map(|s| styled(&s.text, theme.span(&s.style)))
            .collect::<String>()
            .trim_end_matches(' ')
            .to_string()
            + "\n";
        assert_eq!(render(&laid(spans), &theme, true), expected);
    }
}

//! The characters folio draws its frames with (box borders, rules, gutters), as the
//! terminal can draw them. Box drawing is East Asian Ambiguous: where the terminal draws
//! it two columns wide ([`AmbiguousWidth`](super::wrap::AmbiguousWidth)), a frame laid
//! out a column per character would spill past the line and tables would fall out of
//! line, so there the frames are drawn in ASCII instead, one column each, and stay
//! aligned whatever the terminal does with the text inside them.

use std::borrow::Cow;

use super::wrap::ambiguous_is_wide;

/// The ASCII stand-in for a frame character.
fn ascii(c: char) -> char {
    match c {
        '━' => '=',
        '─' | '╌' | '┄' | '┈' => '-',
        '│' | '╵' | '╷' => '|',
        '┃' => '>',
        '┆' => ':',
        '╭' | '╮' | '╰' | '╯' | '┌' | '┬' | '┐' | '├' | '┼' | '┤' | '└' | '┴' | '┘' | '╴' | '╶' => {
            '+'
        }
        '•' => '*',
        '▪' => '-',
        '·' => '-',
        other => other,
    }
}

/// A one-column stand-in for an East Asian Ambiguous character folio itself draws in
/// its chrome (status bar, list, pickers: `…`, `·`, quotes, dashes, arrows, frames),
/// for a terminal that would draw it two columns wide; `None` for any other character.
pub fn narrow_stand_in(c: char) -> Option<char> {
    let framed = ascii(c);
    if framed != c {
        return Some(framed);
    }
    Some(match c {
        '…' => '~',
        '“' | '”' | '„' | '″' => '"',
        '‘' | '’' | '′' => '\'',
        '—' | '–' | '―' | '‐' => '-',
        '▸' | '▶' | '►' | '→' => '>',
        '◂' | '◀' | '←' => '<',
        '↑' => '^',
        '↓' => 'v',
        '×' => 'x',
        '°' => 'o',
        '§' => 'S',
        '※' => '*',
        '○' | '◦' => 'o',
        '█' | '▌' | '▐' | '▍' | '▎' | '▏' | '▊' | '▋' => '|',
        '░' | '▒' | '▓' => '#',
        '●' | '■' | '□' | '◆' | '◇' | '★' | '☆' => '*',
        _ => return None,
    })
}

/// A frame character as it is to be drawn.
pub fn frame_char(c: char) -> char {
    if ambiguous_is_wide() { ascii(c) } else { c }
}

/// Frame text (`╭─ `, `│ `) as it is to be drawn.
pub fn frame(text: &str) -> Cow<'_, str> {
    if ambiguous_is_wide() && text.chars().any(|c| ascii(c) != c) {
        Cow::Owned(text.chars().map(ascii).collect())
    } else {
        Cow::Borrowed(text)
    }
}

/// `c` drawn `n` times, as a rule is.
pub fn rule(c: char, n: usize) -> String {
    std::iter::repeat_n(frame_char(c), n).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::markdown::wrap::{AmbiguousWidth, display_width};

    #[test]
    fn frames_are_ascii_where_ambiguous_characters_are_wide() {
        assert_eq!(frame("╭─ "), "╭─ ");
        let _wide = AmbiguousWidth::set(2);
        assert_eq!(frame("╭─ "), "+- ");
        assert_eq!(rule('━', 3), "===");
        assert_eq!(display_width(&frame("│ ┃ ┆ ┼")), 7);
        assert_eq!(display_width("“…”"), 6);
    }
}

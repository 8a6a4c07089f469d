//! The checks every rendering must pass, at one strength wherever text is rendered:
//! no row wider than the width it was made for, and nothing that a terminal would act
//! on rather than show (control characters, bidi controls, invisible zero-width ones).

use ratatui::buffer::Buffer;
use unicode_width::UnicodeWidthStr;

use folio::markdown::Laid;

/// The built-in themes, in the order `folio themes` and the picker list them.
pub const BUILT_IN_THEMES: [&str; 7] = [
    "dark",
    "light",
    "dracula",
    "nord",
    "gruvbox-dark",
    "solarized-light",
    "catppuccin-mocha",
];

/// Characters that change what a terminal shows without being shown themselves.
const INVISIBLE: [char; 10] = [
    '\u{61C}', '\u{200E}', '\u{200F}', '\u{202A}', '\u{202E}', '\u{2066}', '\u{2069}', '\u{200B}',
    '\u{FEFF}', '\u{2060}',
];

/// Invisible characters whose width terminals disagree on (soft hyphen, Hangul fillers,
/// invisible operators, interlinear annotation, tags): a line holding one is not as
/// wide on every screen as it was laid out.
fn of_disputed_width(c: char) -> bool {
    matches!(c,
        '\u{AD}' | '\u{115F}' | '\u{1160}' | '\u{3164}' | '\u{FFA0}' | '\u{2061}'..='\u{2064}'
        | '\u{FFF9}'..='\u{FFFB}' | '\u{E0000}'..='\u{E007F}')
}

/// `text` (lines joined by `\n`) holds nothing a terminal would act on.
pub fn assert_clean(text: &str, what: &str) {
    if let Some(c) = text
        .chars()
        .find(|&c| (c.is_control() && c != '\n') || INVISIBLE.contains(&c) || of_disputed_width(c))
    {
        panic!("{what}: {c:?} in the output: {text:?}");
    }
}

/// Every line of `text` fits in `width` columns and the text is [clean](assert_clean).
pub fn assert_fits(text: &str, width: usize, what: &str) {
    for (row, line) in text.lines().enumerate() {
        assert!(
            line.width() <= width,
            "{what} at {width}: row {row} is {} wide: {line:?}",
            line.width()
        );
    }
    assert_clean(text, what);
}

/// A layout's rows as plain text, one per line.
pub fn laid_text(laid: &Laid) -> String {
    let rows: Vec<String> = laid.lines.iter().map(|l| l.plain_text()).collect();
    rows.join("\n")
}

/// [`assert_fits`] for a layout made at `width`.
pub fn assert_laid_fits(laid: &Laid, width: usize, what: &str) {
    assert_fits(&laid_text(laid), width, what);
}

/// A drawn screen: every row within the screen's width, nothing unsafe on it.
pub fn assert_screen_fits(buffer: &Buffer, what: &str) {
    // Every cell, the ones behind a wide character too, which rows skip.
    let cells: String = buffer.content.iter().map(|cell| cell.symbol()).collect();
    assert_clean(&cells, what);
    let rows = super::screen_rows(buffer);
    assert_eq!(rows.len(), usize::from(buffer.area.height), "{what}");
    assert_fits(&rows.join("\n"), usize::from(buffer.area.width), what);
}

/// Two layouts of one post are the same in everything the reader uses: rows, links,
/// headings, blocks (rows, source lines, fingerprints, code), code left to highlight,
/// figures.
pub fn assert_same_layout(a: &Laid, b: &Laid, what: &str) {
    assert_eq!(a.width, b.width, "{what}: width");
    assert_eq!(a.partial, b.partial, "{what}: partial");
    assert_eq!(a.lines.len(), b.lines.len(), "{what}: rows");
    if let Some(row) = (0..a.lines.len()).find(|&row| a.lines.get(row) != b.lines.get(row)) {
        panic!(
            "{what}: row {row} differs:\n{:?}\n{:?}",
            a.lines.get(row),
            b.lines.get(row)
        );
    }
    assert_eq!(a.links, b.links, "{what}: links");
    assert_eq!(a.headings, b.headings, "{what}: headings");
    assert_eq!(a.block_rows, b.block_rows, "{what}: block rows");
    assert_eq!(a.block_lines, b.block_lines, "{what}: block source lines");
    assert_eq!(a.fingerprints, b.fingerprints, "{what}: fingerprints");
    assert_eq!(a.block_code, b.block_code, "{what}: code sources");
    assert_eq!(a.code, b.code, "{what}: code regions");
    assert_eq!(a.images, b.images, "{what}: figures");
}

//! The one gate every string passes before it reaches the terminal or stdout.
//!
//! Post content is hostile input: a raw ESC, or one decoded from an HTML entity, a YAML
//! escape or lossy UTF-8, would let a file clear the screen, retitle the window, write the
//! clipboard or forge a link; a bidi override would let it reorder what the reader sees.
//! Sanitizing happens once, at the edge, after all decoding, so no decoder can reintroduce
//! what an earlier pass removed. Controls are made visible rather than deleted so that a
//! reader can see something odd is in the file.
//!
//! Invisible characters whose width terminals disagree on are dropped. The soft hyphen
//! is 0 columns to unicode-width (and so to folio's layout) but 1 to glibc's `wcwidth`
//! and tmux; a Hangul filler is 0, 1 or 2 depending on who counts; tag characters are 0
//! or a box. Kept, any of them would make a line wider on screen than it was laid out
//! and shift a table's borders, and none means anything to a reader of the text. The
//! rule: every default-ignorable code point (Unicode's `Default_Ignorable_Code_Point`:
//! soft hyphen, combining grapheme joiner, Hangul fillers, Khmer inherent vowels,
//! Mongolian vowel separator, zero-width space, word joiner, invisible operators,
//! deprecated format characters, BOM, tags, shorthand and musical format controls, and
//! the unassigned ones) is dropped, and so are the interlinear annotation characters
//! U+FFF9–U+FFFB; except what text needs to be drawn right: ZWNJ and ZWJ (scripts and
//! emoji sequences), the variation selectors (emoji and text presentation, ideographic
//! variants, the Mongolian ones), and the bidi controls, which become a visible marker
//! instead. A flag written with tag characters (🏴 and a region's tags) is shown as its
//! black flag.

use std::borrow::Cow;

use unicode_width::UnicodeWidthStr;

/// Stands in for every bidi control. One column wide and visibly "something electric is
/// here", and it has no direction of its own, so it cannot reorder its neighbours.
pub const BIDI_MARKER: char = '\u{2301}'; // ⌁

/// What becomes of one character on its way out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fix {
    Keep,
    Drop,
    Replace(char),
}

fn fix(c: char) -> Fix {
    match c {
        // Tabs were expanded at load and lines split before layout; any left over are
        // merely whitespace by now, and a literal one would let the terminal move the cursor.
        '\t' | '\n' => Fix::Replace(' '),
        // Control Pictures mirror C0 at U+2400 + code, so the marker names the character.
        '\u{0}'..='\u{1f}' => Fix::Replace(char::from_u32(0x2400 + c as u32).unwrap_or('\u{fffd}')),
        '\u{7f}' => Fix::Replace('\u{2421}'),
        // C1 has no pictures; U+009B alone is a complete CSI on many terminals.
        '\u{80}'..='\u{9f}' => Fix::Replace('\u{fffd}'),
        '\u{61c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' => {
            Fix::Replace(BIDI_MARKER)
        }
        // Invisible, meaningless in running text, and of a width terminals disagree on
        // (see the module's opening).
        c if is_dropped_invisible(c) => Fix::Drop,
        // Everything else stays, notably ZWJ and variation selectors: emoji need them.
        _ => Fix::Keep,
    }
}

/// Default-ignorable code points but ZWNJ, ZWJ, the variation selectors and the bidi
/// controls (matched before this), and the interlinear annotation characters.
fn is_dropped_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{ad}'                       // soft hyphen
            | '\u{34f}'                // combining grapheme joiner
            | '\u{115f}' | '\u{1160}'  // Hangul choseong and jungseong fillers
            | '\u{17b4}' | '\u{17b5}'  // Khmer inherent vowels
            | '\u{180e}'               // Mongolian vowel separator
            | '\u{200b}'               // zero-width space
            | '\u{2060}'..='\u{2065}'  // word joiner, invisible operators
            | '\u{206a}'..='\u{206f}'  // deprecated format characters
            | '\u{3164}'               // Hangul filler
            | '\u{feff}'               // BOM, zero-width no-break space
            | '\u{ffa0}'               // halfwidth Hangul filler
            | '\u{fff0}'..='\u{fffb}'  // unassigned; interlinear annotation
            | '\u{1bca0}'..='\u{1bca3}' // shorthand format controls
            | '\u{1d173}'..='\u{1d17a}' // musical symbol format controls
            | '\u{e0000}'..='\u{e00ff}' // tag characters, unassigned
            | '\u{e01f0}'..='\u{e0fff}' // unassigned (E0100–E01EF: variation selectors)
    )
}

/// Makes `text` safe to write to a terminal: controls become visible markers, bidi
/// controls become [`BIDI_MARKER`], and invisible characters of disputed width (BOM,
/// zero-width space, soft hyphen, ...: see the module's opening) are dropped. Borrows
/// when nothing needs changing, which is nearly always.
pub fn sanitize(text: &str) -> Cow<'_, str> {
    if !may_need_fixing(text.as_bytes()) {
        return Cow::Borrowed(text);
    }
    let Some(first) = text.find(|c| fix(c) != Fix::Keep) else {
        return Cow::Borrowed(text);
    };
    let (clean, rest) = text.split_at_checked(first).unwrap_or(("", text));
    let mut out = String::with_capacity(text.len() + 8);
    out.push_str(clean);
    for c in rest.chars() {
        match fix(c) {
            Fix::Keep => out.push(c),
            Fix::Drop => {}
            Fix::Replace(r) => out.push(r),
        }
    }
    Cow::Owned(out)
}

/// [`sanitize`] for text that is one line or flows as one paragraph (a title, a tag, a
/// description, a message): the line and paragraph separators U+2028 and U+2029, which
/// the line breaker takes as forced breaks and terminals draw as nothing or a box,
/// become spaces, as a newline does.
pub fn sanitize_flat(text: &str) -> Cow<'_, str> {
    let clean = sanitize(text);
    if clean.contains(['\u{2028}', '\u{2029}']) {
        Cow::Owned(clean.replace(['\u{2028}', '\u{2029}'], " "))
    } else {
        clean
    }
}

/// Whether `text` is one line that [`sanitize_flat`] leaves as it is, judged on its
/// bytes alone: no control character (line breaks among them), nothing [`fix`] might
/// touch, no U+2028 or U+2029. A listing asks this of every title, tag and path.
pub fn is_clean_line(text: &str) -> bool {
    let bytes = text.as_bytes();
    !may_need_fixing(bytes)
        && memchr::memmem::find(bytes, "\u{2028}".as_bytes()).is_none()
        && memchr::memmem::find(bytes, "\u{2029}".as_bytes()).is_none()
}

/// Whether `bytes` may hold a character [`fix`] touches, judged on the UTF-8 bytes:
/// C0 controls and DEL, C1 controls (`C2 80`–`C2 9F`) and the soft hyphen (`C2 AD`),
/// U+034F (`CD 8F`), U+061C (`D8 9C`), the fillers and separators of U+1000–U+1FFF
/// (`E1` and two bytes), the zero-width and bidi controls around U+2000 (`E2 80`/`E2 81`
/// and a third byte), U+3164 (`E3 85 A4`), U+FEFF, U+FFA0 and U+FFF0–U+FFFB (`EF` and two
/// bytes), and the format controls and tags past U+FFFF (`F0 9B B2`, `F0 9D 85`,
/// `F3 A0`). Typographic quotes, dashes, box drawing, full-width punctuation, Hangul
/// and Vietnamese share those lead bytes but not the rest, so running text almost never
/// takes the per-character path.
fn may_need_fixing(bytes: &[u8]) -> bool {
    bytes.iter().enumerate().any(|(i, &b)| {
        let at = |k: usize| bytes.get(i + k).copied().unwrap_or(0);
        match b {
            0x00..=0x1f | 0x7f => true,
            0xc2 => matches!(at(1), 0x80..=0x9f | 0xad),
            0xcd => at(1) == 0x8f,
            0xd8 => at(1) == 0x9c,
            // U+115F, U+1160; U+17B4, U+17B5; U+180E.
            0xe1 => matches!(
                (at(1), at(2)),
                (0x85, 0x9f | 0xa0) | (0x9e, 0xb4 | 0xb5) | (0xa0, 0x8e)
            ),
            // U+200B–U+200F, U+202A–U+202E; U+2060–U+206F.
            0xe2 => match at(1) {
                0x80 => matches!(at(2), 0x8b..=0x8f | 0xaa..=0xae),
                0x81 => (0xa0..=0xaf).contains(&at(2)),
                _ => false,
            },
            0xe3 => at(1) == 0x85 && at(2) == 0xa4,
            // U+FEFF; U+FFA0; U+FFF0–U+FFFB.
            0xef => matches!(
                (at(1), at(2)),
                (0xbb, 0xbf) | (0xbe, 0xa0) | (0xbf, 0xb0..=0xbb)
            ),
            // U+1BCA0–U+1BCA3; U+1D173–U+1D17A; U+E0000–U+E0FFF.
            0xf0 => matches!(
                (at(1), at(2), at(3)),
                (0x9b, 0xb2, 0xa0..=0xa3) | (0x9d, 0x85, 0xb3..=0xba)
            ),
            0xf3 => at(1) == 0xa0,
            _ => false,
        }
    })
}

/// Expands tabs in one line to the next multiple of `stop` display columns (a `stop` of 0
/// is taken as 1). Columns are counted on the sanitized text, because that is what ends
/// up on screen: a control character takes one column as its marker.
pub fn expand_tabs(line: &str, stop: usize) -> Cow<'_, str> {
    if !line.contains('\t') {
        return Cow::Borrowed(line);
    }
    let stop = stop.max(1);
    let mut out = String::with_capacity(line.len() + 4 * stop);
    let mut col = 0;
    for (i, piece) in line.split('\t').enumerate() {
        if i > 0 {
            let pad = stop - col % stop;
            out.extend(std::iter::repeat_n(' ', pad));
            col += pad;
        }
        out.push_str(piece);
        // Only one line is expected, but a stray newline should restart the count rather
        // than push every later tab stop off by a line's width.
        let tail = match piece.rfind('\n') {
            Some(nl) => {
                col = 0;
                piece.get(nl + 1..).unwrap_or("")
            }
            None => piece,
        };
        col += sanitize(tail).width();
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn is_bidi(c: char) -> bool {
        matches!(c, '\u{61c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
    }

    fn assert_inert(s: &str) {
        let out = sanitize(s);
        assert!(
            !out.chars().any(|c| c.is_control() || is_bidi(c)),
            "{s:?} -> {out:?}"
        );
        assert!(
            !out.contains(['\u{feff}', '\u{200b}', '\u{2060}']),
            "{out:?}"
        );
    }

    #[test]
    fn a_clean_line_is_one_that_sanitize_flat_leaves_alone() {
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            let text = format!("标题 {c} x");
            let untouched = !text.contains(['\n', '\r']) && sanitize_flat(&text) == text;
            if is_clean_line(&text) {
                assert!(untouched, "U+{:04X}", u32::from(c));
            }
        }
        for text in [
            "Service Mesh 发展趋势：云原生中流砥柱",
            "「引号」— “quote” 한국어",
            "posts/2019/a-b.md",
        ] {
            assert!(is_clean_line(text), "{text}");
        }
        for text in [
            "a\nb",
            "a\rb",
            "a\u{2028}b",
            "a\u{2029}b",
            "a\u{200b}b",
            "a\u{1b}[31mb",
        ] {
            assert!(!is_clean_line(text), "{text:?}");
        }
    }

    #[test]
    fn hostile_strings_come_out_inert() {
        let lone_9b = String::from_utf8_lossy(b"a\x9bb").into_owned();
        let cases = [
            // 1 csi-in-body
            "a\x1b[2J\x1b[31mred",
            // 2 osc-title
            "x\x1b]0;pwned\x07y",
            // 3 osc52-clipboard
            "safe\x1b]52;c;cHduZWQ=\x07payload",
            // 4 osc8-spoof
            "\x1b]8;;https://evil\x07click\x1b]8;;\x07",
            // 5 entity-controls, as decoded
            "\x1b[31mX \u{9b}31mY \x07 \u{202e}abc",
            "~~\x1b[31mFAKE~~",
            // 8 c1-raw
            "a\u{85}b\u{9b}c\u{9d}d",
            lone_9b.as_str(),
            // 9 bidi-zero-width
            "admin\u{202e}check",
            "a\u{2066}b\u{2067}c\u{2068}d\u{2069}e\u{200e}f\u{200f}g\u{200b}h\u{feff}i\u{61c}j",
            // 11 yaml-escape-title: "\e]0;x\a\N\u202Etxt" as decoded
            "\x1b]0;x\x07\u{85}\u{202e}txt",
            // the rest of C0 and DEL
            "\0\x01\x08\x0b\x0c\r\x7f\x1f\t\n",
        ];
        for case in cases {
            assert_inert(case);
        }
    }

    #[test]
    fn escapes_are_shown_literally() {
        assert_eq!(sanitize("a\x1b[2J"), "a\u{241b}[2J");
        assert_eq!(sanitize("a\x1b[2J"), "a␛[2J");
        assert_eq!(sanitize("x\x07\x7f"), "x␇␡");
        assert_eq!(sanitize("\r"), "␍");
        assert_eq!(sanitize("a\u{9b}b"), "a\u{fffd}b");
        assert_eq!(sanitize("admin\u{202e}check"), "admin⌁check");
    }

    #[test]
    fn tabs_and_newlines_become_spaces_and_invisibles_vanish() {
        assert_eq!(sanitize("a\tb\nc"), "a b c");
        assert_eq!(sanitize("abc\u{200b}"), "abc");
        assert_eq!(sanitize("\u{feff}title\u{2060}"), "title");
    }

    #[test]
    fn the_byte_prefilter_misses_no_character_that_needs_fixing() {
        let mut buf = [0u8; 4];
        for c in (0..=0x10ffff).filter_map(char::from_u32) {
            if fix(c) != Fix::Keep {
                assert!(may_need_fixing(c.encode_utf8(&mut buf).as_bytes()), "{c:?}");
            }
        }
        let typographic = "“引号”——省略…，全角！│框│ — ‘x’";
        assert!(!may_need_fixing(typographic.as_bytes()));
    }

    /// The whole rule, code point by code point: every default-ignorable one but the
    /// joiners, the variation selectors and the bidi controls, and the interlinear
    /// annotation characters, are dropped.
    #[test]
    fn invisibles_of_disputed_width_are_dropped_and_joiners_kept() {
        let dropped = [
            0xAD..=0xAD,
            0x34F..=0x34F,
            0x115F..=0x1160,
            0x17B4..=0x17B5,
            0x180E..=0x180E,
            0x200B..=0x200B,
            0x2060..=0x2065,
            0x206A..=0x206F,
            0x3164..=0x3164,
            0xFEFF..=0xFEFF,
            0xFFA0..=0xFFA0,
            0xFFF0..=0xFFFB,
            0x1BCA0..=0x1BCA3,
            0x1D173..=0x1D17A,
            0xE0000..=0xE00FF,
            0xE01F0..=0xE0FFF,
        ];
        for c in dropped.into_iter().flatten().filter_map(char::from_u32) {
            assert_eq!(sanitize(&format!("a{c}b")), "ab", "U+{:04X}", u32::from(c));
        }
        let kept = [
            0x200C..=0x200D,
            0x180B..=0x180D,
            0x180F..=0x180F,
            0xFE00..=0xFE0F,
            0xE0100..=0xE01EF,
        ];
        for c in kept.into_iter().flatten().filter_map(char::from_u32) {
            let text = format!("a{c}b");
            assert_eq!(sanitize(&text), text, "U+{:04X}", u32::from(c));
        }
        // Bidi controls stay visible as the marker.
        assert_eq!(sanitize("a\u{2067}b"), "a⌁b");
    }

    #[test]
    fn flat_text_has_no_line_or_paragraph_separator() {
        assert_eq!(sanitize_flat("a\u{2028}b\u{2029}c\n\x1b"), "a b c ␛");
        assert_eq!(
            sanitize("a\u{2028}b"),
            "a\u{2028}b",
            "a body keeps its breaks"
        );
        assert!(matches!(sanitize_flat("标题 title"), Cow::Borrowed(_)));
    }

    #[test]
    fn clean_text_is_borrowed() {
        for s in [
            "",
            "plain ascii",
            "开源社区的力量来自每一位贡献者。",
            "👩\u{200d}🔬 👨\u{200d}👩\u{200d}👧 🇨🇳 e\u{301} ❤\u{fe0f} 1\u{fe0f}\u{20e3} ｶﾞ",
            "“引号”……——",
        ] {
            let out = sanitize(s);
            assert!(matches!(out, Cow::Borrowed(_)), "{s:?}");
            assert_eq!(out, s);
        }
    }

    #[test]
    fn markers_are_one_column() {
        for s in ["␛", "␀", "␡", "\u{fffd}", "⌁"] {
            assert_eq!(s.width(), 1, "{s:?}");
        }
    }

    #[test]
    fn expands_tabs_to_display_columns() {
        assert_eq!(expand_tabs("a\tb", 4), "a   b");
        assert_eq!(expand_tabs("\tb", 4), "    b");
        assert_eq!(expand_tabs("abcd\tb", 4), "abcd    b");
        // 中 is two columns wide, so the tab fills only the remaining two.
        assert_eq!(expand_tabs("中\tb", 4), "中  b");
        assert_eq!(expand_tabs("中文x\t|", 4), "中文x   |");
        assert_eq!(expand_tabs("a\t\tb", 4), "a       b");
        // ESC will be drawn as a one-column ␛.
        assert_eq!(expand_tabs("\x1b\tb", 4), "\x1b   b");
        assert_eq!(expand_tabs("a\tb", 0), "a b");
        assert!(matches!(expand_tabs("no tabs", 4), Cow::Borrowed(_)));
    }
}

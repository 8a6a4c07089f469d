//! Width-aware helpers for the chrome (list rows, status bar): content strings are
//! sanitized and clipped by display width, never by bytes or chars.

use std::borrow::Cow;

use unicode_segmentation::UnicodeSegmentation;
use unicode_width::UnicodeWidthStr;

use crate::markdown::sanitize::sanitize_flat;

pub fn display_width(s: &str) -> usize {
    UnicodeWidthStr::width(s)
}

/// Sanitizes `s` and cuts it to at most `width` columns, ending in `…` when cut.
/// Newlines (e.g. in a title from YAML) and the line and paragraph separators become
/// spaces: a row is one line.
pub fn clip_to_width(s: &str, width: usize) -> String {
    let flat: Cow<str> = if s.contains(['\n', '\r']) {
        Cow::Owned(s.replace(['\n', '\r'], " "))
    } else {
        Cow::Borrowed(s)
    };
    let clean = sanitize_flat(&flat);
    if display_width(&clean) <= width {
        return clean.into_owned();
    }
    if width == 0 {
        return String::new();
    }
    let mut out = String::new();
    let mut used = 0;
    for g in clean.graphemes(true) {
        let w = display_width(g);
        if used + w > width - 1 {
            break;
        }
        out.push_str(g);
        used += w;
    }
    out.push('…');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clips_wide_text_by_columns_with_an_ellipsis() {
        assert_eq!(clip_to_width("开源四周年", 6), "开源…");
        assert_eq!(clip_to_width("开源", 4), "开源");
        assert_eq!(clip_to_width("abc", 0), "");
    }

    #[test]
    fn control_characters_and_newlines_never_survive() {
        let out = clip_to_width("a\u{1b}]0;x\u{7}\nb", 40);
        assert!(!out.chars().any(|c| c.is_control()), "{out:?}");
        assert_eq!(clip_to_width("a\u{2028}b\u{2029}c", 40), "a b c");
    }
}

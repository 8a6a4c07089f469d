//! Grapheme clusters and their widths, quickly, for the text posts are mostly made of.
//!
//! Wrapping visits every grapheme of a post, and unicode-segmentation's full state
//! machine is the most expensive step of it. Between two "simple" characters (printable
//! ASCII, CJK ideographs and punctuation, fullwidth forms, common typographic marks)
//! there is always a grapheme boundary (UAX #29, GB999): none of them extends, joins,
//! prepends or pairs. So a simple character followed by another (or by the end) is a
//! cluster of its own, and only the rest goes through unicode-segmentation. The results
//! are the same as `grapheme_indices(true)`, which the tests check on random text.

use super::wrap::{char_width, display_width};
use unicode_segmentation::UnicodeSegmentation;

/// Characters that never join a neighbour into one grapheme cluster.
fn is_simple(c: char) -> bool {
    matches!(c,
        ' '..='~'
        | '\u{2010}'..='\u{2027}'
        | '\u{3000}'..='\u{3029}'
        | '\u{3400}'..='\u{4DBF}'
        | '\u{4E00}'..='\u{9FFF}'
        | '\u{FF01}'..='\u{FF5E}')
}

/// `text.grapheme_indices(true)`, faster on simple text.
pub struct Graphemes<'a> {
    text: &'a str,
    pos: usize,
}

pub fn graphemes(text: &str) -> Graphemes<'_> {
    Graphemes { text, pos: 0 }
}

impl<'a> Iterator for Graphemes<'a> {
    type Item = (usize, &'a str);

    fn next(&mut self) -> Option<Self::Item> {
        let rest = self.text.get(self.pos..).filter(|r| !r.is_empty())?;
        let mut chars = rest.chars();
        let first = chars.next()?;
        let len = if is_simple(first) && chars.next().is_none_or(is_simple) {
            first.len_utf8()
        } else {
            rest.graphemes(true).next().map_or(rest.len(), str::len)
        };
        let start = self.pos;
        self.pos += len;
        Some((start, rest.get(..len).unwrap_or(rest)))
    }
}

/// [`display_width`] of one grapheme cluster, without the string machinery for the
/// common single-character case.
pub fn grapheme_width(g: &str) -> usize {
    // Printable ASCII, most of a post, without the width tables.
    if let [b' '..=b'~'] = g.as_bytes() {
        return 1;
    }
    let mut chars = g.chars();
    match (chars.next(), chars.next()) {
        (Some(c), None) if !c.is_control() => char_width(c).unwrap_or(0),
        _ => display_width(g),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn piece() -> impl Strategy<Value = String> {
        prop_oneof![
            Just("开源，社区「的」发展。".to_string()),
            Just("e\u{301}\u{200d}👩‍🔬🇨🇳🇺🇸❤️1️⃣".to_string()),
            Just("\r\n\n\t\u{0}\u{7f}\u{9b}\u{ad}\u{200b}\u{2028}".to_string()),
            Just("각\u{1100}\u{1161}\u{11a8}ｶﾞ\u{302a}\u{3099}".to_string()),
            Just("\u{0915}\u{094d}\u{0937}\u{0600}1".to_string()),
            "[ -~]{0,8}",
            "\\PC{0,6}",
            any::<char>().prop_map(String::from),
        ]
    }

    proptest! {
        #[test]
        fn same_clusters_as_unicode_segmentation(
            parts in prop::collection::vec(piece(), 0..12)
        ) {
            let text = parts.concat();
            let fast: Vec<(usize, &str)> = graphemes(&text).collect();
            let full: Vec<(usize, &str)> = text.grapheme_indices(true).collect();
            prop_assert_eq!(&fast, &full);
            for (_, g) in fast {
                prop_assert_eq!(grapheme_width(g), display_width(g), "{:?}", g);
            }
        }
    }

    #[test]
    fn simple_text_splits_by_character() {
        let clusters: Vec<&str> = graphemes("a中，ｂ").map(|(_, g)| g).collect();
        assert_eq!(clusters, ["a", "中", "，", "ｂ"]);
        let joined: Vec<&str> = graphemes("ae\u{301}中\u{302a}").map(|(_, g)| g).collect();
        assert_eq!(joined, ["a", "e\u{301}", "中\u{302a}"]);
    }
}

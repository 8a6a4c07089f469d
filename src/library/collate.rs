//! The order of names as a reader expects it: post titles and tag names sorted by
//! Unicode collation with the Chinese (pinyin) tailoring, not by code point.
//!
//! Code point order puts `Zebra` before `apple` and scatters Han titles by their
//! encoding (`中国` before `北京` before `安装`, whose pinyin runs the other way). CLDR's
//! `zh` collation sorts Han by pinyin; at tertiary strength case only breaks ties
//! (`apple`, then `Apple`, then `Banana`), and digits compare by value, so `Part 2`
//! comes before `Part 10`. `zh` also moves Han ahead of every other script; folio keeps
//! the root order instead (Latin first, Han after it, as a mixed list of English and
//! Chinese titles reads in most places), by putting titles that begin with a Han
//! character after the rest. A sort asks for each name's key once ([`sort_key`] with
//! `sort_by_cached_key`): byte keys then compare as plain slices.

use std::sync::OnceLock;

use icu_collator::options::{CollatorOptions, Strength};
use icu_collator::preferences::{CollationCaseFirst, CollationNumericOrdering};
use icu_collator::{CollatorBorrowed, CollatorPreferences};
use icu_locale_core::locale;

/// The collator, made once per process (from data compiled into the binary).
fn collator() -> Option<&'static CollatorBorrowed<'static>> {
    static COLLATOR: OnceLock<Option<CollatorBorrowed<'static>>> = OnceLock::new();
    COLLATOR
        .get_or_init(|| {
            let mut prefs = CollatorPreferences::from(locale!("zh"));
            prefs.case_first = Some(CollationCaseFirst::Lower);
            prefs.numeric_ordering = Some(CollationNumericOrdering::True);
            let mut options = CollatorOptions::default();
            options.strength = Some(Strength::Tertiary);
            CollatorBorrowed::try_new(prefs, options).ok()
        })
        .as_ref()
}

/// A key whose byte order is the collation order of `text`: sort by it (computed once
/// per name) rather than comparing strings again and again.
pub fn sort_key(text: &str) -> Vec<u8> {
    let mut key = Vec::with_capacity(text.len() * 2 + 8);
    key.push(u8::from(text.chars().next().is_some_and(is_han)));
    match collator() {
        Some(collator) => {
            let Ok(()) = collator.write_sort_key_to(text, &mut key);
        }
        // The data is compiled in, so this is not expected; lowercase code points keep
        // the order sensible if it ever happens.
        None => key.extend_from_slice(text.to_lowercase().as_bytes()),
    }
    key
}

/// Han ideographs and Bopomofo: the scripts `zh` collation would put first.
fn is_han(c: char) -> bool {
    matches!(
        u32::from(c),
        0x2E80..=0x2FDF // radicals
            | 0x3007 // 〇
            | 0x3100..=0x312F // Bopomofo
            | 0x31A0..=0x31BF // Bopomofo extended
            | 0x3400..=0x4DBF // extension A
            | 0x4E00..=0x9FFF // unified ideographs
            | 0xF900..=0xFAFF // compatibility ideographs
            | 0x20000..=0x3FFFF // extensions B and on
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sorted(names: &[&str]) -> Vec<String> {
        let mut out: Vec<String> = names.iter().map(|s| s.to_string()).collect();
        out.sort_by_cached_key(|s| sort_key(s));
        out
    }

    #[test]
    fn latin_ignores_case_and_han_sorts_by_pinyin_after_it() {
        assert_eq!(
            sorted(&["北京", "安装", "中国", "Zebra", "apple", "Banana"]),
            ["apple", "Banana", "Zebra", "安装", "北京", "中国"]
        );
    }

    #[test]
    fn titles_opening_with_punctuation_or_digits_stay_ahead_as_zh_has_them() {
        assert_eq!(
            sorted(&[
                "中国",
                "《三体》",
                "2021 年总结",
                "Istio 服务网格",
                "服务网格 Istio"
            ]),
            [
                "《三体》",
                "2021 年总结",
                "Istio 服务网格",
                "服务网格 Istio",
                "中国"
            ]
        );
    }

    #[test]
    fn case_breaks_ties_and_numbers_compare_by_value() {
        assert_eq!(
            sorted(&["Apple", "banana", "apple", "APPLE"]),
            ["apple", "Apple", "APPLE", "banana"]
        );
        assert_eq!(
            sorted(&["Part 10", "Part 2", "part 1"]),
            ["part 1", "Part 2", "Part 10"]
        );
    }

    #[test]
    fn odd_text_still_gets_a_key() {
        for text in [
            "",
            "\u{0}",
            "\u{1b}[31m",
            "e\u{301}",
            "👩‍🔬",
            "\u{fffd}\u{10ffff}",
        ] {
            let _ = sort_key(text);
        }
        assert!(sort_key("a") < sort_key("b"));
    }
}

//! GitHub's emoji shortcodes (`:heavy_check_mark:`, `:x:`) in text, as the emoji they
//! name. Hugo renders them with `enableEmoji`, and posts written for GitHub use them in
//! tables of what works and what does not. The names come from the `emojis` crate's
//! copy of gemoji, GitHub's own table, so folio knows the names GitHub knows.

use std::borrow::Cow;

/// `text` with every `:name:` that names an emoji replaced by it; other colons (times,
/// `a:b`, an unknown `:name:`) stay.
pub fn replace_shortcodes(text: &str) -> Cow<'_, str> {
    let Some(first) = memchr::memchr(b':', text.as_bytes()) else {
        return Cow::Borrowed(text);
    };
    let mut out = String::new();
    let mut done = 0;
    let mut at = first;
    while let Some(rest) = text.get(at + 1..) {
        let name_len = rest
            .bytes()
            .take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'+' | b'-'))
            .count();
        let closed = rest.as_bytes().get(name_len) == Some(&b':');
        let emoji = rest
            .get(..name_len)
            .filter(|name| closed && !name.is_empty())
            .and_then(emojis::get_by_shortcode);
        let next = match emoji {
            Some(emoji) => {
                out.push_str(text.get(done..at).unwrap_or_default());
                out.push_str(emoji.as_str());
                done = at + name_len + 2;
                done
            }
            // The closing colon may open the next name (`:x::x:` is two).
            None => at + 1 + name_len,
        };
        match text
            .get(next..)
            .and_then(|rest| memchr::memchr(b':', rest.as_bytes()))
        {
            Some(found) => at = next + found,
            None => break,
        }
    }
    if done == 0 {
        return Cow::Borrowed(text);
    }
    out.push_str(text.get(done..).unwrap_or_default());
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_names_become_emoji_and_other_colons_stay() {
        assert_eq!(
            replace_shortcodes("ok :heavy_check_mark: no :x:"),
            "ok ✔️ no ❌"
        );
        assert_eq!(replace_shortcodes(":x::x:"), "❌❌");
        assert_eq!(
            replace_shortcodes("at 10:30: a:b :nosuchemoji:"),
            "at 10:30: a:b :nosuchemoji:"
        );
        assert!(matches!(replace_shortcodes("plain"), Cow::Borrowed(_)));
        assert_eq!(replace_shortcodes(":+1: 中文:smile:"), "👍 中文😄");
    }
}

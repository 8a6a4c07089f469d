//! A fast path for the YAML that nearly all front matter is: one `key: value` per line,
//! values plain or quoted on that line, lists as `[a, "b"]` or as `- item` lines. The
//! full YAML parser costs about as much as everything else a cold start does; this
//! reads such a block in a fraction of that.
//!
//! It gives exactly what the full parser (yaml_serde through `Loose`) gives, or
//! nothing: anything outside the shapes it knows (a comment after a value, a
//! multi-line value, a nested mapping, an anchor, a tag, an escape, a key that is not a
//! plain word, a character YAML treats specially) sends the whole block to the full
//! parser. Plain scalars are resolved by yaml_serde's own rules, copied here (null,
//! true/false, integers in four bases, floats), and tests hold the two paths equal on
//! random documents and on every real post.

use serde_json::{Map, Number, Value};

/// The longest key taken here; YAML refuses implicit keys over 1024 characters.
const MAX_KEY: usize = 128;

/// The mapping `content` holds, when it is in the simple shape; `None` otherwise
/// (including an empty block, which the full parser reads as nothing).
pub(super) fn parse(content: &str) -> Option<Value> {
    if has_special(content) {
        return None;
    }
    let mut lines = content
        .split('\n')
        .filter(|line| !is_blank_or_comment(line))
        .peekable();
    let mut map = Map::new();
    while let Some(line) = lines.next() {
        let (key, rest) = key_and_rest(line)?;
        let value = if rest.is_empty() {
            match lines.peek() {
                Some(next) if next.starts_with(' ') || next.starts_with('-') => {
                    block_sequence(&mut lines)?
                }
                _ => Value::Null,
            }
        } else {
            value(rest)?
        };
        // The next entry must start at the margin; anything else (a continued value,
        // a nested mapping) is for the full parser.
        if lines.peek().is_some_and(|next| !starts_key(next)) {
            return None;
        }
        // Later duplicates win, as in `Loose`.
        map.insert(key.to_owned(), value);
    }
    (!map.is_empty()).then_some(Value::Object(map))
}

/// Whether `text` holds an [`is_special`] character, judged on its UTF-8 bytes: C0
/// controls but the newline, DEL, C1 controls (`C2 80`–`C2 9F`), U+2028 and U+2029
/// (`E2 80 A8`/`A9`), U+FEFF (`EF BB BF`), U+FFFE and U+FFFF (`EF BF BE`/`BF`). A
/// continuation byte is never one of those leads, so no character is misread. Going
/// through the characters was a sixth of a cold start's parsing.
fn has_special(text: &str) -> bool {
    let bytes = text.as_bytes();
    let at = |i: usize| bytes.get(i).copied().unwrap_or(0);
    let mut from = 0;
    while let Some(found) = bytes
        .get(from..)
        .and_then(|rest| rest.iter().position(|&b| MAY_BE_SPECIAL[usize::from(b)]))
    {
        let i = from + found;
        let special = match at(i) {
            0xc2 => matches!(at(i + 1), 0x80..=0x9f),
            0xe2 => at(i + 1) == 0x80 && matches!(at(i + 2), 0xa8 | 0xa9),
            0xef => matches!((at(i + 1), at(i + 2)), (0xbb, 0xbf) | (0xbf, 0xbe | 0xbf)),
            _ => true,
        };
        if special {
            return true;
        }
        from = i + 1;
    }
    false
}

/// The bytes [`has_special`] looks at more closely: the controls but the newline, and
/// the lead bytes of the special characters past ASCII.
const MAY_BE_SPECIAL: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 0x20 {
        table[b] = b != b'\n' as usize;
        b += 1;
    }
    table[0x7f] = true;
    table[0xc2] = true;
    table[0xe2] = true;
    table[0xef] = true;
    table
};

/// Characters YAML does not allow, reads as line breaks or a byte-order mark, or that
/// this reader does not follow (tabs).
#[cfg(test)]
fn is_special(c: char) -> bool {
    (c.is_control() && c != '\n')
        || matches!(
            c,
            '\u{2028}' | '\u{2029}' | '\u{FEFF}' | '\u{FFFE}' | '\u{FFFF}'
        )
}

fn is_blank_or_comment(line: &str) -> bool {
    let trimmed = line.trim_start_matches(' ');
    trimmed.is_empty() || trimmed.starts_with('#')
}

fn starts_key(line: &str) -> bool {
    line.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
}

/// `key: rest` at the margin, the key a plain word that YAML reads as text.
fn key_and_rest(line: &str) -> Option<(&str, &str)> {
    if !starts_key(line) {
        return None;
    }
    let end = line.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-'))?;
    let (key, after) = line.split_at(end);
    let rest = after.strip_prefix(':')?;
    if !(rest.is_empty() || rest.starts_with(' ')) || key.len() > MAX_KEY {
        return None;
    }
    // `true:` and `null:` are keys of another type, written out differently. A word
    // that starts with a letter or `_` resolves to nothing else.
    if keyword(key).is_some() {
        return None;
    }
    Some((key, rest.trim_matches(' ')))
}

/// `- item` lines, all at one indentation, each item a scalar.
fn block_sequence<'a>(
    lines: &mut std::iter::Peekable<impl Iterator<Item = &'a str>>,
) -> Option<Value> {
    let first = lines.peek()?;
    let indent = first.len() - first.trim_start_matches(' ').len();
    let mut items = Vec::new();
    while let Some(line) = lines.peek() {
        let trimmed = line.trim_start_matches(' ');
        if line.len() - trimmed.len() != indent || !trimmed.starts_with('-') {
            break;
        }
        // `-` alone (a null item), `-x` (a plain scalar): the full parser's.
        let item = trimmed.strip_prefix("- ")?.trim_matches(' ');
        if item.is_empty() || item.starts_with('[') {
            return None;
        }
        items.push(value(item)?);
        lines.next();
    }
    // A more indented line after the items continues one of them.
    if lines.peek().is_some_and(|next| next.starts_with(' ')) {
        return None;
    }
    Some(Value::Array(items))
}

/// A value written on its key's line: quoted, a flow list, or plain.
fn value(text: &str) -> Option<Value> {
    match text.chars().next()? {
        '"' | '\'' => {
            let (scalar, rest) = quoted(text)?;
            rest.is_empty().then_some(Value::String(scalar))
        }
        '[' => flow_sequence(text),
        _ => plain(text, false),
    }
}

/// A quoted scalar at the start of `text` (no escapes but `''`), and what follows it,
/// with spaces trimmed. The quote and the backslash are ASCII, so they are looked for
/// as bytes.
fn quoted(text: &str) -> Option<(String, &str)> {
    let bytes = text.as_bytes();
    let quote = *bytes.first()?;
    if !matches!(quote, b'"' | b'\'') {
        return None;
    }
    let mut out = String::new();
    let (mut start, mut from) = (1, 1);
    loop {
        let at = from + memchr::memchr2(quote, b'\\', bytes.get(from..)?)?;
        if bytes.get(at) == Some(&b'\\') {
            if quote == b'"' {
                return None;
            }
            from = at + 1;
            continue;
        }
        out.push_str(text.get(start..at)?);
        let after = at + 1;
        if quote == b'\'' && bytes.get(after) == Some(&b'\'') {
            // `''` is one quote inside single quotes.
            out.push('\'');
            (start, from) = (after + 1, after + 1);
            continue;
        }
        return Some((out, text.get(after..)?.trim_matches(' ')));
    }
}

/// `[a, "b", 'c']` on one line.
fn flow_sequence(text: &str) -> Option<Value> {
    let inner = text.strip_prefix('[')?.strip_suffix(']')?;
    let mut items = Vec::new();
    let mut rest = inner.trim_start_matches(' ');
    if rest.is_empty() {
        return Some(Value::Array(items));
    }
    loop {
        let (item, after) = if rest.starts_with(['"', '\'']) {
            let (scalar, after) = quoted(rest)?;
            (Value::String(scalar), after)
        } else {
            let end = rest.find(',').unwrap_or(rest.len());
            let (text, after) = rest.split_at(end);
            (plain(text.trim_end_matches(' '), true)?, after)
        };
        items.push(item);
        match after.strip_prefix(',') {
            Some(next) => {
                rest = next.trim_start_matches(' ');
                // A trailing comma, or an empty entry: the full parser's business.
                if rest.is_empty() || rest.starts_with(',') {
                    return None;
                }
            }
            None if after.is_empty() => return Some(Value::Array(items)),
            None => return None,
        }
    }
}

/// A plain scalar, resolved as yaml_serde resolves it; `None` for anything YAML would
/// read otherwise (an indicator first, a comment, a nested key).
fn plain(text: &str, in_flow: bool) -> Option<Value> {
    let first = text.chars().next()?;
    let safe_start = first.is_ascii_alphanumeric()
        || !first.is_ascii()
        || matches!(
            first,
            '/' | '(' | '$' | '^' | '=' | '<' | '\\' | ';' | '_' | '.' | '+' | '~'
        );
    // A leading `-` is a plain scalar only when no space or `-` follows (`-5`, not
    // `- 5`, not `---`).
    let dash = first == '-' && text.chars().nth(1).is_some_and(|c| c != ' ' && c != '-');
    let dots = text.starts_with("..");
    if !(safe_start || dash) || dots {
        return None;
    }
    if text.ends_with(':') || has_key_or_comment(text) {
        return None;
    }
    if in_flow && text.contains(['[', ']', '{', '}', ':', '#', '"', '\'']) {
        return None;
    }
    Some(resolve(text))
}

/// Whether `text` holds `: ` (a key) or ` #` (a comment), in one pass.
fn has_key_or_comment(text: &str) -> bool {
    let bytes = text.as_bytes();
    memchr::memchr2_iter(b':', b'#', bytes).any(|at| {
        if bytes.get(at) == Some(&b':') {
            bytes.get(at + 1) == Some(&b' ')
        } else {
            at.checked_sub(1).and_then(|before| bytes.get(before)) == Some(&b' ')
        }
    })
}

/// What yaml_serde makes of a plain scalar, as `Loose` keeps it.
fn resolve(v: &str) -> Value {
    if let Some(value) = keyword(v) {
        return value;
    }
    // No number starts otherwise (a word like `inf` or `nan` parses as a float but
    // is not finite, so it stays text): most scalars, names and tags, stop here. Nor
    // does a number hold any byte but digits, hex digits, the `x` and `o` of a radix,
    // signs, a point, and the letters of `.inf` and `.nan`: a date, a time or a phrase
    // stops here too.
    if !v.starts_with(|c: char| c.is_ascii_digit() || matches!(c, '+' | '-' | '.'))
        || !v
            .bytes()
            .all(|b| b.is_ascii_hexdigit() || b"xo+-.iInN".contains(&b))
    {
        return Value::String(v.to_owned());
    }
    if let Some(int) = parse_unsigned_int(v, u64::from_str_radix) {
        return Value::from(int);
    }
    if let Some(int) = parse_negative_int(v, i64::from_str_radix) {
        return Value::from(int);
    }
    if let Some(int) = parse_unsigned_int(v, u128::from_str_radix) {
        return Value::String(int.to_string());
    }
    if let Some(int) = parse_negative_int(v, i128::from_str_radix) {
        return Value::String(int.to_string());
    }
    if !digits_but_not_number(v)
        && let Some(float) = parse_f64(v)
    {
        return Number::from_f64(float)
            .map_or_else(|| Value::String(float.to_string()), Value::Number);
    }
    Value::String(v.to_owned())
}

/// The scalars YAML reads as null or a boolean.
fn keyword(v: &str) -> Option<Value> {
    match v {
        "" | "null" | "Null" | "NULL" | "~" => Some(Value::Null),
        "true" | "True" | "TRUE" => Some(Value::Bool(true)),
        "false" | "False" | "FALSE" => Some(Value::Bool(false)),
        _ => None,
    }
}

// The resolution rules below are yaml_serde 0.10's (src/de.rs), kept as they are there.

type Radix<T> = fn(&str, u32) -> Result<T, std::num::ParseIntError>;

fn parse_unsigned_int<T>(scalar: &str, from_str_radix: Radix<T>) -> Option<T> {
    let unpositive = scalar.strip_prefix('+').unwrap_or(scalar);
    for (prefix, radix) in [("0x", 16), ("0o", 8), ("0b", 2)] {
        if let Some(rest) = unpositive.strip_prefix(prefix) {
            if rest.starts_with(['+', '-']) {
                return None;
            }
            if let Ok(int) = from_str_radix(rest, radix) {
                return Some(int);
            }
        }
    }
    if unpositive.starts_with(['+', '-']) {
        return None;
    }
    if digits_but_not_number(scalar) {
        return None;
    }
    from_str_radix(unpositive, 10).ok()
}

fn parse_negative_int<T>(scalar: &str, from_str_radix: Radix<T>) -> Option<T> {
    for (prefix, radix) in [("-0x", 16), ("-0o", 8), ("-0b", 2)] {
        if let Some(rest) = scalar.strip_prefix(prefix)
            && let Ok(int) = from_str_radix(&format!("-{rest}"), radix)
        {
            return Some(int);
        }
    }
    if digits_but_not_number(scalar) {
        return None;
    }
    from_str_radix(scalar, 10).ok()
}

fn parse_f64(scalar: &str) -> Option<f64> {
    let unpositive = if let Some(unpositive) = scalar.strip_prefix('+') {
        if unpositive.starts_with(['+', '-']) {
            return None;
        }
        unpositive
    } else {
        scalar
    };
    if let ".inf" | ".Inf" | ".INF" = unpositive {
        return Some(f64::INFINITY);
    }
    if let "-.inf" | "-.Inf" | "-.INF" = scalar {
        return Some(f64::NEG_INFINITY);
    }
    if let ".nan" | ".NaN" | ".NAN" = scalar {
        return Some(f64::NAN.copysign(1.0));
    }
    unpositive
        .parse::<f64>()
        .ok()
        .filter(|float| float.is_finite())
}

/// Leading zeros followed by digits are a string in YAML 1.2 (`0123`).
fn digits_but_not_number(scalar: &str) -> bool {
    let scalar = scalar.strip_prefix(['-', '+']).unwrap_or(scalar);
    scalar.len() > 1
        && scalar.starts_with('0')
        && scalar.bytes().skip(1).all(|b| b.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::library::value::Loose;
    use proptest::prelude::*;

    fn full(text: &str) -> Option<Value> {
        serde_yaml::from_str::<Loose>(text).ok().map(|l| l.0)
    }

    /// The fast path says nothing, or what the full parser says.
    fn agrees(text: &str) -> Result<(), TestCaseError> {
        if let Some(fast) = parse(text) {
            prop_assert_eq!(Some(fast), full(text), "{:?}", text);
        }
        Ok(())
    }

    #[test]
    fn the_byte_scan_finds_exactly_the_special_characters() {
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            for text in [c.to_string(), format!("标题 {c}\n"), format!("é{c}ab")] {
                assert_eq!(
                    has_special(&text),
                    text.chars().any(is_special),
                    "U+{:04X}",
                    u32::from(c)
                );
            }
        }
    }

    #[test]
    fn keys_and_comments_are_found_anywhere_in_a_plain_scalar() {
        for (text, found) in [
            ("a: b", true),
            ("a b #c", true),
            ("#a", false),
            ("a#b", false),
            ("a:b", false),
            ("12:30", false),
            ("标题: 副", true),
            ("C# and F#", false),
            ("x :", false),
        ] {
            assert_eq!(has_key_or_comment(text), found, "{text:?}");
            assert_eq!(
                has_key_or_comment(text),
                text.contains(": ") || text.contains(" #"),
                "{text:?}"
            );
        }
    }

    #[test]
    fn typical_front_matter_takes_the_fast_path() {
        let text = "title: \"Service Mesh发展趋势：云原生中流砥柱\"\n\
                    date: 2019-05-28T7:15:43+08:00\ndraft: false\n\
                    author: 敖小剑\ntags: [\"Istio\",\"service mesh\"]\n\
                    categories:\n  - Rust\n  - 'it''s'\nweight: 10\nratio: 1.5\n\
                    # a comment line\nempty:\nlastmod: 2020-01-02\n";
        let fast = parse(text).expect("simple");
        assert_eq!(Some(fast.clone()), full(text));
        assert_eq!(fast["categories"], serde_json::json!(["Rust", "it's"]));
        assert_eq!(fast["weight"], 10);
        assert!(fast["empty"].is_null());
    }

    #[test]
    fn anything_else_goes_to_the_full_parser() {
        for text in [
            "",
            "# only a comment\n",
            "title: a # comment\n",
            "title: |\n  block\n",
            "title: >\n  folded\n",
            "nested:\n  a: 1\n",
            "title: \"esc\\\"aped\"\n",
            "title: multi\n  line\n",
            "a: &anchor x\n",
            "a: *alias\n",
            "a: !tag x\n",
            "\"quoted key\": x\n",
            "key : x\n",
            "2024: x\n",
            "true: x\n",
            "a: - b\n",
            "a: [x, [y]]\n",
            "a: [x,]\n",
            "a: [x,\n  y]\n",
            "a:\n-\n",
            "a: x\tb\n",
            "  indented: x\n",
            "a: b: c\n",
            "a: ---\n",
            "a: 'unclosed\n",
            "- top\n- level\n",
        ] {
            assert_eq!(parse(text), None, "{text:?}");
        }
    }

    #[test]
    fn scalars_resolve_as_yaml_serde_does() {
        for scalar in [
            "1",
            "-1",
            "+1",
            "0x1F",
            "-0x1F",
            "0o17",
            "0b101",
            "0123",
            "-0123",
            "1.5",
            "1e3",
            ".inf",
            "-.inf",
            ".nan",
            "inf",
            "nan",
            "NaN",
            "Infinity",
            "18446744073709551616",
            "-9223372036854775809",
            "340282366920938463463374607431768211456",
            "1_000",
            "2019-12-11",
            "12:30",
            "true",
            "True",
            "TRUE",
            "yes",
            "no",
            "on",
            "null",
            "~",
            "Null",
            "NULL",
            "0x",
            "+",
            "-.5",
            "+.5",
            "5.",
            "0.0",
            "-0",
            "0e0",
            "1e400",
            "0X1F",
            "1E3",
            "1e+5",
            "+.INF",
            ".NaN",
            "-0b11",
            "0o",
            "abc",
            "0xfF",
            "2024-01-02T03:04:05Z",
        ] {
            let text = format!("k: {scalar}\n");
            if let Some(fast) = parse(&text) {
                assert_eq!(Some(fast), full(&text), "{scalar:?}");
            }
        }
    }

    /// Lines built from the pieces front matter is made of, and the ones that trip
    /// parsers up (rarer, so that a fair share of documents takes the fast path).
    fn document() -> impl Strategy<Value = String> {
        let key = prop_oneof![
            6 => prop::sample::select(vec!["title", "date", "tags", "a-b", "_x", "k"]),
            1 => prop::sample::select(vec!["true", "Null", "on", "key ", "2024", "-k", "k:"]),
        ];
        let scalar = || {
            prop_oneof![
                4 => prop::string::string_regex("[a-zA-Z0-9 中文.:/+~-]{1,10}").expect("regex"),
                1 => prop::string::string_regex("[-+.0-9eExob]{1,6}").expect("regex"),
                1 => prop::string::string_regex(
                    "[-a-zA-Z0-9 .:+#~,_'\"\\[\\]{}&*!|>%@`/\\\\中文]{0,12}"
                )
                .expect("regex"),
            ]
        };
        let value = prop_oneof![
            3 => scalar(),
            1 => scalar().prop_map(|s| format!("\"{s}\"")),
            1 => scalar().prop_map(|s| format!("'{s}'")),
            1 => prop::collection::vec(scalar(), 0..4)
                .prop_map(|v| format!("[{}]", v.join(", "))),
            1 => prop::collection::vec(scalar(), 0..3).prop_map(|v| {
                let quoted: Vec<String> = v.iter().map(|s| format!("\"{s}\"")).collect();
                format!("[{}]", quoted.join(","))
            }),
            1 => (prop::sample::select(vec!["", " ", "  "]), prop::collection::vec(scalar(), 1..3))
                .prop_map(|(indent, v)| {
                    v.iter().map(|s| format!("\n{indent}- {s}")).collect::<String>()
                }),
            1 => Just(String::new()),
            // A value with a comment after it, or something like one.
            1 => (scalar(), prop::sample::select(vec![" #", "#", "  # ", " #!"]), scalar())
                .prop_map(|(a, hash, b)| format!("{a}{hash}{b}")),
        ];
        let line = prop_oneof![
            8 => (key, prop::sample::select(vec![": ", ": ", ": ", ":", " : ", ":  "]), value)
                .prop_map(|(k, sep, v)| format!("{k}{sep}{v}")),
            1 => scalar().prop_map(|s| format!("# {s}")),
            1 => Just(String::new()),
            1 => prop::string::string_regex("[ -]{0,3}[a-z:]{0,4}").expect("regex"),
        ];
        prop::collection::vec(line, 1..6).prop_map(|lines| lines.join("\n") + "\n")
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 3000, ..ProptestConfig::default() })]

        #[test]
        fn the_fast_path_agrees_with_the_full_parser(text in document()) {
            agrees(&text)?;
        }

        #[test]
        fn plain_scalars_resolve_alike(scalar in "[-+.0-9a-fA-FxobeEinINfF_:]{1,8}") {
            agrees(&format!("k: {scalar}\n"))?;
        }
    }
}

//! JSON for `--json` output that is safe to print to a terminal. JSON is often read on
//! one (`folio list --json | less`, a quick look without `jq`), and serde_json escapes
//! only what JSON requires: C0 controls. A C1 control (`U+009B` is a whole CSI on many
//! terminals), a bidi control (`U+202E` reorders what is read) or a line separator
//! (`U+2028`) from a post's front matter would reach the terminal as it is. Here each is
//! written as a `\uXXXX` escape instead: the same JSON to any parser, inert on a screen.

use std::io::{self, Write};

use anyhow::{Context, Result};
use serde::Serialize;
use serde_json::ser::{CompactFormatter, Formatter, PrettyFormatter};

/// `value` as pretty-printed JSON with a final newline, every character a terminal would
/// act on written as an escape.
pub fn to_terminal_json(value: &impl Serialize) -> Result<String> {
    let mut out = Vec::new();
    let mut serializer =
        serde_json::Serializer::with_formatter(&mut out, TerminalSafe(PrettyFormatter::new()));
    value
        .serialize(&mut serializer)
        .context("cannot write JSON")?;
    out.push(b'\n');
    // serde_json writes UTF-8 and the escapes are ASCII.
    String::from_utf8(out).context("cannot write JSON")
}

/// `value` as one line of JSON with a final newline (JSON Lines, one record a line, for
/// `check --json`), escaped as [`to_terminal_json`] does.
pub fn to_terminal_json_line(value: &impl Serialize) -> Result<String> {
    let mut out = Vec::new();
    let mut serializer =
        serde_json::Serializer::with_formatter(&mut out, TerminalSafe(CompactFormatter));
    value
        .serialize(&mut serializer)
        .context("cannot write JSON")?;
    out.push(b'\n');
    String::from_utf8(out).context("cannot write JSON")
}

/// Whether `c` is written as an escape: C1 controls and DEL, bidi controls, the line
/// and paragraph separators, and the invisible characters the sanitizer drops (BOM,
/// zero-width space, word joiner). C0 controls serde_json escapes already.
fn needs_escape(c: char) -> bool {
    matches!(c,
        '\u{7f}'..='\u{9f}'
        | '\u{61c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}'
        | '\u{2028}' | '\u{2029}'
        | '\u{feff}' | '\u{200b}' | '\u{2060}')
}

/// serde_json's layout `F`, with string contents escaped as [`needs_escape`] says.
struct TerminalSafe<F>(F);

impl<F: Formatter> Formatter for TerminalSafe<F> {
    fn write_string_fragment<W: ?Sized + Write>(
        &mut self,
        w: &mut W,
        text: &str,
    ) -> io::Result<()> {
        let mut start = 0;
        for (at, c) in text.char_indices() {
            if needs_escape(c) {
                w.write_all(text.get(start..at).unwrap_or_default().as_bytes())?;
                write!(w, "\\u{:04x}", u32::from(c))?;
                start = at + c.len_utf8();
            }
        }
        w.write_all(text.get(start..).unwrap_or_default().as_bytes())
    }

    fn begin_array<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.begin_array(w)
    }

    fn end_array<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_array(w)
    }

    fn begin_array_value<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        self.0.begin_array_value(w, first)
    }

    fn end_array_value<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_array_value(w)
    }

    fn begin_object<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.begin_object(w)
    }

    fn end_object<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_object(w)
    }

    fn begin_object_key<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        self.0.begin_object_key(w, first)
    }

    fn begin_object_value<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.begin_object_value(w)
    }

    fn end_object_value<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_object_value(w)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_a_terminal_acts_on_is_escaped_and_reads_back_the_same() {
        let hostile: String = ('\0'..='\u{2100}')
            .chain(['\u{feff}', '\u{10ffff}'])
            .collect();
        let value = serde_json::json!({ "title": hostile, hostile.clone(): [hostile.clone()] });
        let text = to_terminal_json(&value).expect("JSON");
        let raw = text
            .chars()
            .find(|&c| (c.is_control() && c != '\n') || needs_escape(c));
        assert_eq!(raw, None, "a raw {raw:?} in the JSON");
        assert!(text.contains("\\u009b") && text.contains("\\u202e") && text.contains("\\u2028"));
        let back: serde_json::Value = serde_json::from_str(&text).expect("valid JSON");
        assert_eq!(back, value);
    }

    #[test]
    fn a_json_line_is_escaped_too_and_is_one_line() {
        let value = serde_json::json!({ "m": "a\u{9b}b\u{2028}c\nd", "n": [1, null] });
        let line = to_terminal_json_line(&value).expect("JSON");
        assert_eq!(line, "{\"m\":\"a\\u009bb\\u2028c\\nd\",\"n\":[1,null]}\n");
        let back: serde_json::Value = serde_json::from_str(&line).expect("valid JSON");
        assert_eq!(back, value);
    }

    #[test]
    fn the_layout_is_serde_jsons_pretty_one() {
        let value = serde_json::json!([{ "a": 1, "b": ["x", "é中"] }, [], {}]);
        let expected = serde_json::to_string_pretty(&value).expect("JSON") + "\n";
        assert_eq!(to_terminal_json(&value).expect("JSON"), expected);
    }
}

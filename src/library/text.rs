//! Bytes → text, once, at load. Posts arrive as whatever an editor saved: UTF-8 with or
//! without a BOM, UTF-16 from Windows tools, GBK from old blogs, CRLF or even bare-CR
//! line endings, or a PNG someone renamed `.md`. Everything after this module sees one
//! form, LF-terminated Rust `String`s, and learns from [`Decoded`] how faithful that form
//! is, so the UI can badge a lossy post instead of silently showing mojibake.

/// Text ready for the front-matter splitter and the Markdown parser.
#[derive(Debug, Clone, Default)]
pub struct Decoded {
    /// The decoded text, with CRLF and lone CR turned into LF.
    pub text: String,
    /// Some bytes were not valid in the detected encoding and became U+FFFD.
    pub lossy: bool,
    /// What the bytes were taken to be: `utf-8`, `utf-8-bom`, `utf-16le`, `utf-16be`.
    pub encoding: &'static str,
    /// The bytes look like binary data (NUL bytes outside UTF-16): not a post to show.
    pub binary: bool,
}

/// How many leading bytes the UTF-16-without-BOM guess looks at: enough to see a
/// front matter's worth of ASCII, little enough to stay cheap on huge files.
pub(crate) const SNIFF_LEN: usize = 4096;

pub fn decode(bytes: &[u8]) -> Decoded {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return from_utf8(rest, "utf-8-bom");
    }
    if let Some(rest) = bytes.strip_prefix(b"\xFF\xFE") {
        return from_utf16(rest, Endian::Little);
    }
    if let Some(rest) = bytes.strip_prefix(b"\xFE\xFF") {
        return from_utf16(rest, Endian::Big);
    }
    if let Some(endian) = sniff_utf16(bytes) {
        // A guess: keep it only if the bytes decode cleanly as UTF-16 text.
        let guess = from_utf16(bytes, endian);
        if !guess.lossy && !guess.binary {
            return guess;
        }
    }
    from_utf8(bytes, "utf-8")
}

/// [`decode`] for the first bytes of a longer file: a character cut in two at the end
/// is dropped instead of turning into a U+FFFD that would call the whole post lossy.
pub(crate) fn decode_prefix(bytes: &[u8]) -> Decoded {
    let utf16 = bytes.starts_with(b"\xFF\xFE")
        || bytes.starts_with(b"\xFE\xFF")
        || (!bytes.starts_with(b"\xEF\xBB\xBF") && sniff_utf16(bytes).is_some());
    let cut = if utf16 {
        utf16_prefix_len(bytes)
    } else {
        utf8_prefix_len(bytes)
    };
    decode(bytes.get(..cut).unwrap_or(bytes))
}

/// Whether decoding any prefix of `bytes` gives a prefix of what decoding all of them
/// gives, bytes past the prefix aside: there is no UTF-16 BOM, and no NUL where the
/// UTF-16 guess looks (then that guess says no, however much it is shown).
pub(crate) fn cut_decodes_alike(bytes: &[u8]) -> bool {
    let sample = bytes.get(..SNIFF_LEN).unwrap_or(bytes);
    !bytes.starts_with(b"\xFF\xFE")
        && !bytes.starts_with(b"\xFE\xFF")
        && memchr::memchr(0, sample).is_none()
}

/// Length without a trailing incomplete UTF-8 sequence (at most 3 bytes are looked at).
fn utf8_prefix_len(bytes: &[u8]) -> usize {
    let len = bytes.len();
    for back in 1..=len.min(3) {
        let i = len - back;
        let Some(&b) = bytes.get(i) else { break };
        if b & 0xC0 == 0x80 {
            continue; // a continuation byte: the lead is further back
        }
        let needed = match b {
            0xC0..=0xDF => 2,
            0xE0..=0xEF => 3,
            0xF0..=0xF7 => 4,
            _ => 1,
        };
        return if needed > back { i } else { len };
    }
    len
}

/// Length in whole UTF-16 units, without a trailing high surrogate whose pair was cut.
fn utf16_prefix_len(bytes: &[u8]) -> usize {
    let even = bytes.len() & !1;
    let little = !bytes.starts_with(b"\xFE\xFF")
        && (bytes.starts_with(b"\xFF\xFE") || sniff_utf16(bytes) == Some(Endian::Little));
    let last = match (bytes.get(even.saturating_sub(2)..even), little) {
        (Some([lo, hi]), true) | (Some([hi, lo]), false) => u16::from_le_bytes([*lo, *hi]),
        _ => return even,
    };
    if (0xD800..0xDC00).contains(&last) {
        even.saturating_sub(2)
    } else {
        even
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Endian {
    Little,
    Big,
}

fn from_utf8(bytes: &[u8], encoding: &'static str) -> Decoded {
    // A NUL never occurs in a text post; git uses the same test to call a file binary.
    let binary = bytes.contains(&0);
    let (text, lossy) = match std::str::from_utf8(bytes) {
        Ok(text) => (normalize_newlines(text.to_owned()), false),
        Err(_) => (
            normalize_newlines(String::from_utf8_lossy(bytes).into_owned()),
            true,
        ),
    };
    Decoded {
        text,
        lossy,
        encoding,
        binary,
    }
}

fn from_utf16(bytes: &[u8], endian: Endian) -> Decoded {
    let units = bytes.chunks_exact(2).map(|pair| match (endian, pair) {
        (Endian::Little, [lo, hi]) | (Endian::Big, [hi, lo]) => u16::from_le_bytes([*lo, *hi]),
        // chunks_exact(2) only yields pairs; this arm is unreachable but must be total.
        _ => 0xFFFD,
    });
    let mut lossy = !bytes.len().is_multiple_of(2);
    let mut text = String::with_capacity(bytes.len() / 2 + 1);
    for unit in char::decode_utf16(units) {
        match unit {
            Ok(c) => text.push(c),
            Err(_) => {
                lossy = true;
                text.push(char::REPLACEMENT_CHARACTER);
            }
        }
    }
    if !bytes.len().is_multiple_of(2) {
        text.push(char::REPLACEMENT_CHARACTER);
    }
    // Decoded UTF-16 may still carry NUL code points: that is binary data, not text.
    let binary = text.contains('\0');
    Decoded {
        text: normalize_newlines(text),
        lossy,
        encoding: match endian {
            Endian::Little => "utf-16le",
            Endian::Big => "utf-16be",
        },
        binary,
    }
}

/// UTF-16 without a BOM: Markdown always has some ASCII (newlines, `#`, `-`, spaces),
/// and ASCII in UTF-16 puts a NUL in every other byte, on one side only. Binary data
/// has NULs too, but scattered on both sides, so ask for a strong one-sided pattern.
fn sniff_utf16(bytes: &[u8]) -> Option<Endian> {
    let sample = bytes.get(..bytes.len().min(SNIFF_LEN))?;
    let pairs = sample.len() / 2;
    // Without a NUL there is nothing to count; most files stop here, at memchr's speed.
    if pairs < 2 || memchr::memchr(0, sample).is_none() {
        return None;
    }
    let (mut even, mut odd) = (0usize, 0usize);
    for pair in sample.chunks_exact(2) {
        if let [a, b] = pair {
            even += usize::from(*a == 0);
            odd += usize::from(*b == 0);
        }
    }
    // At least a fifth of the units (and a line's worth) ASCII-like, and the other side
    // nearly NUL-free.
    let strong = |hits: usize, other: usize| hits >= 8 && hits * 5 >= pairs && other * 50 <= hits;
    if strong(odd, even) {
        Some(Endian::Little)
    } else if strong(even, odd) {
        Some(Endian::Big)
    } else {
        None
    }
}

/// CRLF and lone CR become LF. A bare CR reaching a terminal would move the cursor to
/// the start of the line and let later text overwrite earlier text.
fn normalize_newlines(text: String) -> String {
    if !text.contains('\r') {
        return text;
    }
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\r' {
            if chars.peek() == Some(&'\n') {
                chars.next();
            }
            out.push('\n');
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utf16(text: &str, endian: Endian, bom: bool) -> Vec<u8> {
        let mut out = Vec::new();
        if bom {
            out.extend_from_slice(match endian {
                Endian::Little => b"\xFF\xFE",
                Endian::Big => b"\xFE\xFF",
            });
        }
        for unit in text.encode_utf16() {
            match endian {
                Endian::Little => out.extend_from_slice(&unit.to_le_bytes()),
                Endian::Big => out.extend_from_slice(&unit.to_be_bytes()),
            }
        }
        out
    }

    #[test]
    fn plain_utf8_passes_through() {
        let d = decode("# 标题\n正文\n".as_bytes());
        assert_eq!(d.text, "# 标题\n正文\n");
        assert!(!d.lossy && !d.binary);
        assert_eq!(d.encoding, "utf-8");
    }

    #[test]
    fn empty_input_is_empty_text() {
        let d = decode(b"");
        assert_eq!(d.text, "");
        assert!(!d.lossy && !d.binary);
    }

    #[test]
    fn utf8_bom_is_stripped() {
        let d = decode(b"\xEF\xBB\xBF---\ntitle: x\n---\n");
        assert_eq!(d.text, "---\ntitle: x\n---\n");
        assert_eq!(d.encoding, "utf-8-bom");
    }

    #[test]
    fn crlf_and_lone_cr_become_lf() {
        assert_eq!(decode(b"a\r\nb\rc\r\r\nd\r").text, "a\nb\nc\n\nd\n");
    }

    #[test]
    fn utf16_with_bom_both_orders() {
        let text = "---\ntitle: 中文\n---\r\nbody\n";
        for endian in [Endian::Little, Endian::Big] {
            let d = decode(&utf16(text, endian, true));
            assert_eq!(d.text, "---\ntitle: 中文\n---\nbody\n", "{endian:?}");
            assert!(!d.lossy && !d.binary);
        }
        assert_eq!(decode(&utf16("x", Endian::Big, true)).encoding, "utf-16be");
    }

    #[test]
    fn utf16_without_bom_is_sniffed() {
        let text = "---\ntitle: Hello 世界\ntags: [a, b]\n---\n\nSome body text.\n";
        let le = decode(&utf16(text, Endian::Little, false));
        assert_eq!(le.encoding, "utf-16le");
        assert_eq!(le.text, text);
        let be = decode(&utf16(text, Endian::Big, false));
        assert_eq!(be.encoding, "utf-16be");
        assert_eq!(be.text, text);
        assert!(!be.binary);
    }

    #[test]
    fn odd_length_utf16_is_lossy_not_a_panic() {
        let mut bytes = utf16("abc", Endian::Little, true);
        bytes.push(b'd');
        let d = decode(&bytes);
        assert!(d.lossy);
        assert!(d.text.starts_with("abc"));
    }

    #[test]
    fn a_prefix_cut_mid_character_is_not_lossy() {
        let bytes = "中文".as_bytes();
        for cut in 1..bytes.len() {
            let d = decode_prefix(&bytes[..cut]);
            assert!(!d.lossy, "cut at {cut}");
            assert_eq!(d.text, if cut < 3 { "" } else { "中" });
        }
        let wide = utf16("ab😀", Endian::Little, true);
        for cut in 2..wide.len() {
            assert!(!decode_prefix(&wide[..cut]).lossy, "utf-16 cut at {cut}");
        }
        let wide = utf16("ab😀", Endian::Big, true);
        assert_eq!(decode_prefix(&wide[..wide.len() - 1]).text, "ab");
        // Real damage before the cut still counts.
        assert!(decode_prefix(b"a\xFFb\xE4\xB8").lossy);
    }

    #[test]
    fn invalid_utf8_is_lossy() {
        let d = decode(b"ok \xFF mid \x9B end");
        assert!(d.lossy && !d.binary);
        assert_eq!(d.text, "ok \u{FFFD} mid \u{FFFD} end");
    }

    #[test]
    fn gbk_is_lossy_not_binary() {
        // "中文" in GBK.
        let d = decode(b"title: \xD6\xD0\xCE\xC4\n");
        assert!(d.lossy && !d.binary);
        assert!(d.text.starts_with("title: "));
    }

    #[test]
    fn nul_bytes_and_png_are_binary() {
        assert!(decode(b"text\0more").binary);
        let png =
            b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\x01\0\0\0\x01\0\x08\x06\0\0\0\x5c\x72\xa8\x66";
        let d = decode(png);
        assert!(d.binary, "{:?}", d.encoding);
    }

    #[test]
    fn pseudo_random_bytes_are_binary() {
        // A small xorshift keeps the test deterministic without a dependency.
        let mut state = 0x2545_F491_4F6C_DD1Du64;
        let bytes: Vec<u8> = (0..4096)
            .map(|_| {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                (state >> 32) as u8
            })
            .collect();
        assert!(decode(&bytes).binary);
    }
}

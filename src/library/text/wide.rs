//! UTF-16 and UTF-32: what Windows tools save as "Unicode". With a BOM they say what they
//! are. UTF-16 often comes without one, and has to be told from binary data, which also
//! has NUL bytes: by reading the first bytes as UTF-16 and asking whether that reads as
//! a text file, whether it is mostly ASCII (a NUL in every other byte) or mostly CJK (few
//! NULs at all).

use super::{Decoded, Extent, SNIFF_LEN, normalize_newlines};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Endian {
    Little,
    Big,
}

/// The text of bytes that start with a UTF-16 or UTF-32 BOM, or `None` without one.
pub(super) fn decode_with_bom(bytes: &[u8], extent: Extent) -> Option<Decoded> {
    // UTF-32LE's BOM begins with UTF-16LE's, so it is looked for first. (UTF-16LE text
    // beginning with U+0000 is binary either way.)
    if let Some(rest) = bytes.strip_prefix(b"\xFF\xFE\0\0") {
        return Some(from_utf32(rest, Endian::Little, extent));
    }
    if let Some(rest) = bytes.strip_prefix(b"\0\0\xFE\xFF") {
        return Some(from_utf32(rest, Endian::Big, extent));
    }
    if let Some(rest) = bytes.strip_prefix(b"\xFF\xFE") {
        return Some(from_utf16(rest, Endian::Little, extent));
    }
    if let Some(rest) = bytes.strip_prefix(b"\xFE\xFF") {
        return Some(from_utf16(rest, Endian::Big, extent));
    }
    None
}

/// The text of UTF-16 without a BOM, when the bytes are that: the first
/// [`SNIFF_LEN`] bytes read as UTF-16 text, and all of them decode cleanly.
pub(super) fn decode_sniffed(bytes: &[u8], extent: Extent) -> Option<Decoded> {
    let endian = sniff_utf16(bytes)?;
    let guess = from_utf16(bytes, endian, extent);
    (!guess.lossy && !guess.binary).then_some(guess)
}

/// UTF-16 without a BOM. Without a NUL byte there is nothing to look at (a file of
/// nothing but CJK is not told from a legacy encoding); most files stop there, at
/// memchr's speed. With one, each byte order is tried on the sample.
fn sniff_utf16(bytes: &[u8]) -> Option<Endian> {
    let sample = bytes.get(..bytes.len().min(SNIFF_LEN))?;
    if sample.len() < 4 || memchr::memchr(0, sample).is_none() {
        return None;
    }
    [Endian::Little, Endian::Big]
        .into_iter()
        .find(|&endian| reads_as_text(sample, endian))
}

/// Whether `sample` read as UTF-16 in `endian` looks like a Markdown file: it has a line
/// break, no NUL and no unpaired surrogate (one cut at the end aside), and at most one
/// character in fifty outside what text is made of. Binary data read so has NULs,
/// control characters, unpaired surrogates (one unit in thirty-two is one) and private
/// use characters; text in the wrong byte order has no line break (`\n` reads U+0A00).
fn reads_as_text(sample: &[u8], endian: Endian) -> bool {
    let whole = sample
        .get(..utf16_prefix_len(sample, endian))
        .unwrap_or(sample);
    let (mut chars, mut odd, mut line_breaks) = (0usize, 0usize, 0usize);
    for unit in char::decode_utf16(units(whole, endian)) {
        let Ok(c) = unit else { return false };
        if c == '\0' {
            return false;
        }
        chars += 1;
        line_breaks += usize::from(c == '\n' || c == '\r');
        odd += usize::from(!is_text_char(c));
    }
    line_breaks > 0 && odd * 50 <= chars
}

/// Letters and digits of any script, spaces, ASCII, and the punctuation and symbols
/// text is written with (CJK punctuation, fullwidth forms, emoji); not control, private
/// use or unassigned code points.
fn is_text_char(c: char) -> bool {
    match c {
        '\t' | '\n' | '\r' | '\x0C' | ' '..='~' => true,
        c if c.is_control() => false,
        c => {
            c.is_alphanumeric()
                || c.is_whitespace()
                || matches!(u32::from(c),
                    0x00A0..=0x00BF     // Latin-1 punctuation and signs
                    | 0x2000..=0x2BFF   // punctuation, symbols, arrows, box drawing, ...
                    | 0x3000..=0x30FF   // CJK punctuation, kana
                    | 0x3200..=0x33FF   // enclosed CJK, CJK compatibility
                    | 0xFE00..=0xFE0F   // variation selectors
                    | 0xFE30..=0xFE4F   // CJK compatibility forms
                    | 0xFF00..=0xFFEF   // half- and fullwidth forms
                    | 0x1F000..=0x1FAFF // emoji and pictographs
                )
        }
    }
}

fn units(bytes: &[u8], endian: Endian) -> impl Iterator<Item = u16> + '_ {
    bytes.chunks_exact(2).map(move |pair| match (endian, pair) {
        (Endian::Little, [lo, hi]) | (Endian::Big, [hi, lo]) => u16::from_le_bytes([*lo, *hi]),
        // chunks_exact(2) only yields pairs; this arm is unreachable but must be total.
        _ => 0xFFFD,
    })
}

/// Length in whole UTF-16 units, without a trailing high surrogate whose pair was cut.
fn utf16_prefix_len(bytes: &[u8], endian: Endian) -> usize {
    let even = bytes.len() & !1;
    let last = bytes
        .get(even.saturating_sub(2)..even)
        .and_then(|pair| units(pair, endian).next());
    match last {
        Some(unit) if (0xD800..0xDC00).contains(&unit) => even.saturating_sub(2),
        _ => even,
    }
}

fn from_utf16(bytes: &[u8], endian: Endian, extent: Extent) -> Decoded {
    let bytes = match extent {
        Extent::Whole => bytes,
        Extent::Prefix => bytes
            .get(..utf16_prefix_len(bytes, endian))
            .unwrap_or(bytes),
    };
    let mut lossy = !bytes.len().is_multiple_of(2);
    let mut text = String::with_capacity(bytes.len() / 2 + 1);
    for unit in char::decode_utf16(units(bytes, endian)) {
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
    wide_text(
        text,
        lossy,
        match endian {
            Endian::Little => "UTF-16LE",
            Endian::Big => "UTF-16BE",
        },
    )
}

fn from_utf32(bytes: &[u8], endian: Endian, extent: Extent) -> Decoded {
    let bytes = match extent {
        Extent::Whole => bytes,
        Extent::Prefix => bytes.get(..bytes.len() & !3).unwrap_or(bytes),
    };
    let quads = bytes.chunks_exact(4);
    let mut lossy = !quads.remainder().is_empty();
    let mut text = String::with_capacity(bytes.len() / 4 + 1);
    for quad in quads {
        let value = match (endian, <[u8; 4]>::try_from(quad)) {
            (Endian::Little, Ok(quad)) => u32::from_le_bytes(quad),
            (Endian::Big, Ok(quad)) => u32::from_be_bytes(quad),
            // chunks_exact(4) only yields quads; this arm is unreachable but total.
            (_, Err(_)) => 0xFFFD,
        };
        text.push(char::from_u32(value).unwrap_or_else(|| {
            lossy = true;
            char::REPLACEMENT_CHARACTER
        }));
    }
    if !bytes.len().is_multiple_of(4) {
        text.push(char::REPLACEMENT_CHARACTER);
    }
    wide_text(
        text,
        lossy,
        match endian {
            Endian::Little => "UTF-32LE",
            Endian::Big => "UTF-32BE",
        },
    )
}

fn wide_text(text: String, lossy: bool, encoding: &'static str) -> Decoded {
    Decoded {
        // Decoded UTF-16/32 may still carry NUL code points: that is binary data.
        binary: text.contains('\0'),
        text: normalize_newlines(text),
        lossy,
        encoding,
    }
}

#[cfg(test)]
mod tests {
    use super::super::{decode, decode_prefix};
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

    fn utf32(text: &str, endian: Endian) -> Vec<u8> {
        let mut out = Vec::new();
        for c in std::iter::once('\u{FEFF}').chain(text.chars()) {
            match endian {
                Endian::Little => out.extend_from_slice(&u32::from(c).to_le_bytes()),
                Endian::Big => out.extend_from_slice(&u32::from(c).to_be_bytes()),
            }
        }
        out
    }

    /// Mostly CJK, as a Chinese post is: few ASCII units, so few NUL bytes, and `一`
    /// (U+4E00) puts a NUL on the other side too.
    const MOSTLY_CJK: &str = "---\ntitle: 一个标题\n---\n\n服务网格是一个基础设施层，用于处理\
        服务间通信。云原生应用有着复杂的服务拓扑，服务网格负责在这些拓扑中实现请求的可靠传\
        递。在实践中，服务网格通常实现为一组轻量级网络代理，它们与应用程序部署在一起，对应\
        用程序透明。一一一一。\n\n第二段：一切都从一开始。\n";

    #[test]
    fn utf16_with_bom_both_orders() {
        let text = "---\ntitle: 中文\n---\r\nbody\n";
        for endian in [Endian::Little, Endian::Big] {
            let d = decode(&utf16(text, endian, true));
            assert_eq!(d.text, "---\ntitle: 中文\n---\nbody\n", "{endian:?}");
            assert!(!d.lossy && !d.binary);
        }
        assert_eq!(decode(&utf16("x", Endian::Big, true)).encoding, "UTF-16BE");
    }

    #[test]
    fn utf16_without_bom_is_sniffed() {
        let text = "---\ntitle: Hello 世界\ntags: [a, b]\n---\n\nSome body text.\n";
        let le = decode(&utf16(text, Endian::Little, false));
        assert_eq!(le.encoding, "UTF-16LE");
        assert_eq!(le.text, text);
        let be = decode(&utf16(text, Endian::Big, false));
        assert_eq!(be.encoding, "UTF-16BE");
        assert_eq!(be.text, text);
        assert!(!be.binary);
    }

    #[test]
    fn mostly_cjk_utf16_without_bom_is_sniffed() {
        let cjk = MOSTLY_CJK.chars().filter(|c| !c.is_ascii()).count();
        assert!(
            cjk * 2 > MOSTLY_CJK.chars().count(),
            "the fixture is mostly CJK"
        );
        for (endian, name) in [(Endian::Little, "UTF-16LE"), (Endian::Big, "UTF-16BE")] {
            let bytes = utf16(MOSTLY_CJK, endian, false);
            let d = decode(&bytes);
            assert_eq!((d.encoding, d.text.as_str()), (name, MOSTLY_CJK));
            assert!(!d.lossy && !d.binary);
            // And as the index reads it, cut anywhere after the first line break.
            for cut in 8..bytes.len() {
                let d = decode_prefix(&bytes[..cut]);
                assert_eq!(d.encoding, name, "cut at {cut}");
                assert!(MOSTLY_CJK.starts_with(&d.text) && !d.lossy, "cut at {cut}");
            }
        }
    }

    #[test]
    fn utf32_with_bom_both_orders() {
        let text = "---\ntitle: 宽字符 😀\n---\r\n正文\n";
        for (endian, name) in [(Endian::Little, "UTF-32LE"), (Endian::Big, "UTF-32BE")] {
            let bytes = utf32(text, endian);
            let d = decode(&bytes);
            assert_eq!(d.text, "---\ntitle: 宽字符 😀\n---\n正文\n", "{endian:?}");
            assert_eq!(d.encoding, name);
            assert!(!d.lossy && !d.binary);
            for cut in 4..bytes.len() {
                let d = decode_prefix(&bytes[..cut]);
                assert_eq!(d.encoding, name);
                assert!(!d.lossy && !d.binary, "cut at {cut}");
            }
            // A code point past U+10FFFF and a cut last one are damage, not a panic.
            let mut bad = bytes.clone();
            bad.extend(match endian {
                Endian::Little => [0xFF, 0xFF, 0x11, 0x00],
                Endian::Big => [0x00, 0x11, 0xFF, 0xFF],
            });
            bad.push(b'x');
            let d = decode(&bad);
            assert!(
                d.lossy && d.text.ends_with("\u{FFFD}\u{FFFD}"),
                "{:?}",
                d.text
            );
        }
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
    fn a_utf16_prefix_cut_mid_character_is_not_lossy() {
        let wide = utf16("ab😀", Endian::Little, true);
        for cut in 2..wide.len() {
            assert!(!decode_prefix(&wide[..cut]).lossy, "utf-16 cut at {cut}");
        }
        let wide = utf16("ab😀", Endian::Big, true);
        assert_eq!(decode_prefix(&wide[..wide.len() - 1]).text, "ab");
    }

    /// Binary data with NULs on one side only, as ASCII in UTF-16 has them, is still
    /// binary: it does not read as text in either order.
    #[test]
    fn one_sided_nuls_in_binary_data_are_not_utf16() {
        // Little-endian 16-bit samples, as in a WAV file: small values, high byte zero.
        let samples: Vec<u8> = (0..2000u16).flat_map(|i| (i % 40).to_le_bytes()).collect();
        assert!(decode(&samples).binary);
        // A table of offsets with a line break in it.
        let mut offsets: Vec<u8> = (0..500u32).flat_map(|i| (i * 7919).to_le_bytes()).collect();
        offsets.extend(b"\n\0");
        assert!(decode(&offsets).binary);
    }
}

//! Bytes → text, once, at load. Posts arrive as whatever an editor saved: UTF-8 with or
//! without a BOM, UTF-16 or UTF-32 from Windows tools, GBK, Big5, Shift_JIS or EUC from
//! old blogs, CRLF or even bare-CR line endings, or a PNG someone renamed `.md`.
//! Everything after this module sees one form, LF-terminated Rust `String`s, and learns
//! from [`Decoded`] what the bytes were taken to be and how faithful that form is, so
//! the UI can say which encoding a post was read in and badge a damaged one instead of
//! silently showing mojibake.
//!
//! UTF-8 is what nearly every post is, and is decided by validating it, nothing more:
//! only bytes that are not valid UTF-8 are handed to the legacy-encoding guess
//! ([`legacy`]), so a valid UTF-8 file is never taken for anything else, and reading one
//! costs no detection.

use std::borrow::Cow;

mod legacy;
mod wide;

/// Text ready for the front-matter splitter and the Markdown parser.
#[derive(Debug, Clone, Default)]
pub struct Decoded {
    /// The decoded text, with CRLF and lone CR turned into LF.
    pub text: String,
    /// Some bytes were not valid in the detected encoding and became U+FFFD.
    pub lossy: bool,
    /// What the bytes were taken to be, by the name a reader knows it by: [`UTF_8`]
    /// (with or without a BOM), `UTF-16LE`, `UTF-32BE`, `GBK`, `GB18030`, `Big5`,
    /// `Shift_JIS`, `EUC-JP`, `EUC-KR`, `windows-1252`, ...
    pub encoding: &'static str,
    /// The bytes look like binary data (NUL bytes outside UTF-16/32): not a post to show.
    pub binary: bool,
}

/// [`Decoded::encoding`] for UTF-8, which is what a post is expected to be.
pub const UTF_8: &str = "UTF-8";

impl Decoded {
    /// The encoding worth telling the reader about: any but UTF-8. The others are read
    /// from a BOM or a guess, and a wrong guess should be easy to recognise.
    pub fn notable_encoding(&self) -> Option<&'static str> {
        (self.encoding != UTF_8).then_some(self.encoding)
    }
}

/// How many leading bytes the UTF-16-without-BOM guess looks at: enough to see a
/// front matter's worth of text, little enough to stay cheap on huge files.
pub(crate) const SNIFF_LEN: usize = 4096;

/// Whether the bytes to decode are a whole file, or only its first bytes (then a
/// character cut in two at the end is dropped, not taken for damage).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Extent {
    Whole,
    Prefix,
}

pub fn decode(bytes: &[u8]) -> Decoded {
    decode_as(bytes, Extent::Whole)
}

/// [`decode`] for the first bytes of a longer file: a character cut in two at the end
/// is dropped instead of turning into a U+FFFD that would call the whole post lossy.
pub(crate) fn decode_prefix(bytes: &[u8]) -> Decoded {
    decode_as(bytes, Extent::Prefix)
}

/// [`decode`] of a whole file's bytes, given up by the caller: valid UTF-8 (nearly
/// every post) becomes the text without a copy, so a huge post is not in memory twice
/// while it is read.
pub fn decode_owned(bytes: Vec<u8>) -> Decoded {
    if let Some(decoded) = labelled(&bytes, Extent::Whole) {
        return decoded;
    }
    match String::from_utf8(bytes) {
        Ok(text) => Decoded {
            binary: text.contains('\0'),
            text: normalize_newlines(text),
            lossy: false,
            encoding: UTF_8,
        },
        Err(not_utf8) => from_unlabelled(not_utf8.as_bytes(), Extent::Whole),
    }
}

fn decode_as(bytes: &[u8], extent: Extent) -> Decoded {
    labelled(bytes, extent).unwrap_or_else(|| from_unlabelled(bytes, extent))
}

/// Bytes whose encoding a BOM, or the look of UTF-16, tells before UTF-8 is tried.
fn labelled(bytes: &[u8], extent: Extent) -> Option<Decoded> {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        // A BOM says UTF-8: damage in it is damage, not a reason to guess.
        let usable = utf8_usable(rest, extent);
        return Some(match as_utf8(usable) {
            Some(text) => utf8(&text),
            None => utf8_lossy(usable),
        });
    }
    wide::decode_with_bom(bytes, extent).or_else(|| wide::decode_sniffed(bytes, extent))
}

/// Bytes with no BOM and no sign of UTF-16: UTF-8 when they are valid UTF-8, which is
/// decided before anything else; else binary (a NUL), damaged UTF-8, or a legacy
/// encoding.
fn from_unlabelled(bytes: &[u8], extent: Extent) -> Decoded {
    let usable = utf8_usable(bytes, extent);
    if let Some(text) = as_utf8(usable) {
        return utf8(&text);
    }
    // A NUL never occurs in a text post; git uses the same test to call a file binary.
    if memchr::memchr(0, bytes).is_some() || damaged_utf8(usable) {
        return utf8_lossy(usable);
    }
    legacy::decode(bytes, extent)
}

/// The bytes a decoder should see: for a prefix, without a UTF-8 sequence cut at the end.
fn utf8_usable(bytes: &[u8], extent: Extent) -> &[u8] {
    match extent {
        Extent::Whole => bytes,
        Extent::Prefix => bytes.get(..utf8_prefix_len(bytes)).unwrap_or(bytes),
    }
}

/// Whether decoding any prefix of `bytes` gives a prefix of what decoding all of them
/// gives, bytes past the prefix aside: there is no UTF-16 or UTF-32 BOM, no NUL where
/// the UTF-16 guess looks (then that guess says no, however much it is shown), and the
/// bytes are UTF-8 (a legacy encoding is guessed from the bytes there are, and a short
/// prefix could be guessed otherwise than all of them).
pub(crate) fn cut_decodes_alike(bytes: &[u8]) -> bool {
    let sample = bytes.get(..SNIFF_LEN).unwrap_or(bytes);
    !bytes.starts_with(b"\xFF\xFE")
        && !bytes.starts_with(b"\xFE\xFF")
        && memchr::memchr(0, sample).is_none()
        && as_utf8(utf8_usable(bytes, Extent::Prefix)).is_some()
}

/// `bytes` as text if they are UTF-8. encoding_rs checks about ten times as fast as
/// `std::str::from_utf8` on CJK text (0.3 against 3 µs for 4 KiB of the seed post, one
/// run), and the index checks every post's head; valid, the text is borrowed.
fn as_utf8(bytes: &[u8]) -> Option<Cow<'_, str>> {
    encoding_rs::UTF_8.decode_without_bom_handling_and_without_replacement(bytes)
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

/// Whether bytes that are not valid UTF-8 are UTF-8 with some damage rather than text
/// in another encoding: at least twice as many well-formed multi-byte characters as
/// malformed sequences. Text in a legacy CJK encoding forms a well-formed UTF-8
/// character now and then by chance, about one for every two to five malformed
/// sequences; a UTF-8 post with a damaged byte has hundreds of good characters per bad
/// one, and guessing an encoding for it would garble all of them to mend that one.
fn damaged_utf8(bytes: &[u8]) -> bool {
    let (mut well_formed, mut malformed) = (0usize, 0usize);
    for chunk in bytes.utf8_chunks() {
        // Lead bytes of multi-byte characters.
        well_formed += chunk.valid().bytes().filter(|&b| b >= 0xC0).count();
        malformed += usize::from(!chunk.invalid().is_empty());
    }
    well_formed >= 2 * malformed
}

fn utf8(text: &str) -> Decoded {
    Decoded {
        // memchr's vector search: `str::contains` looks a byte at a time, and every
        // head of a cold start is looked through twice.
        binary: memchr::memchr(0, text.as_bytes()).is_some(),
        text: normalize_newlines(text.to_owned()),
        lossy: false,
        encoding: UTF_8,
    }
}

fn utf8_lossy(bytes: &[u8]) -> Decoded {
    Decoded {
        binary: memchr::memchr(0, bytes).is_some(),
        text: normalize_newlines(String::from_utf8_lossy(bytes).into_owned()),
        lossy: true,
        encoding: UTF_8,
    }
}

/// CRLF and lone CR become LF. A bare CR reaching a terminal would move the cursor to
/// the start of the line and let later text overwrite earlier text.
fn normalize_newlines(text: String) -> String {
    if memchr::memchr(b'\r', text.as_bytes()).is_none() {
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

    #[test]
    fn plain_utf8_passes_through() {
        let d = decode("# 标题\n正文\n".as_bytes());
        assert_eq!(d.text, "# 标题\n正文\n");
        assert!(!d.lossy && !d.binary);
        assert_eq!(d.encoding, UTF_8);
        assert_eq!(d.notable_encoding(), None);
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
        assert_eq!(d.encoding, UTF_8);
        // A BOM vouches for UTF-8: damage after it is not a reason to guess.
        let d = decode(b"\xEF\xBB\xBFcaf\xE9\n");
        assert_eq!((d.text.as_str(), d.lossy), ("caf\u{FFFD}\n", true));
    }

    #[test]
    fn crlf_and_lone_cr_become_lf() {
        assert_eq!(decode(b"a\r\nb\rc\r\r\nd\r").text, "a\nb\nc\n\nd\n");
    }

    /// Valid UTF-8 is never handed to the guess. Each of these is text the guess
    /// (which is never allowed to answer UTF-8) would take for a legacy encoding, whole
    /// or cut anywhere.
    #[test]
    fn valid_utf8_is_never_guessed_at() {
        let texts = [
            "服务网格是一个基础设施层，用于处理服务间通信。\n",
            "吾輩は猫である。名前はまだ無い。\n",
            "서비스 메시는 인프라 계층입니다.\n",
            "café, naïve, Ærøskøbing 😀\n",
            "é",
        ];
        for text in texts {
            let d = decode(text.as_bytes());
            assert_eq!((d.encoding, d.text.as_str(), d.lossy), (UTF_8, text, false));
            for cut in 0..text.len() {
                let d = decode_prefix(&text.as_bytes()[..cut]);
                assert_eq!(d.encoding, UTF_8, "{text:?} cut at {cut}");
                assert!(
                    text.starts_with(&d.text) && !d.lossy,
                    "{text:?} cut at {cut}"
                );
            }
        }
    }

    #[test]
    fn a_prefix_cut_mid_character_is_not_lossy() {
        let bytes = "中文".as_bytes();
        for cut in 1..bytes.len() {
            let d = decode_prefix(&bytes[..cut]);
            assert!(!d.lossy, "cut at {cut}");
            assert_eq!(d.text, if cut < 3 { "" } else { "中" });
        }
        // Real damage before the cut still counts.
        assert!(decode_prefix(b"a\xFFb\xE4\xB8\xAD\xE6\x96\x87\xE4\xB8").lossy);
    }

    /// UTF-8 with a damaged byte stays UTF-8, replacement character and all, rather than
    /// being guessed into some encoding that garbles every good character around it.
    #[test]
    fn damaged_utf8_stays_utf8() {
        let mut bytes = "正文".repeat(20).into_bytes();
        bytes.extend(b"\xFF");
        bytes.extend("结尾\n".as_bytes());
        let d = decode(&bytes);
        assert_eq!((d.encoding, d.lossy, d.binary), (UTF_8, true, false));
        assert_eq!(d.text, format!("{}\u{FFFD}结尾\n", "正文".repeat(20)));
    }

    #[test]
    fn bytes_that_are_not_utf8_are_guessed() {
        // "café" in Latin-1 / windows-1252, which UTF-8 cannot read.
        let d = decode(b"title: caf\xE9\n");
        assert_eq!(
            (d.text.as_str(), d.encoding),
            ("title: caf\u{e9}\n", "windows-1252")
        );
        assert!(!d.lossy && !d.binary);
        assert_eq!(d.notable_encoding(), Some("windows-1252"));
    }

    #[test]
    fn nul_bytes_and_png_are_binary() {
        assert!(decode(b"text\0more").binary);
        assert!(decode(b"text\0mor").binary);
        assert!(decode(b"caf\xE9\0").binary);
        let png =
            b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\x01\0\0\0\x01\0\x08\x06\0\0\0\x5c\x72\xa8\x66";
        let d = decode(png);
        assert!(d.binary, "{:?}", d.encoding);
        assert!(decode_prefix(png).binary);
    }

    #[test]
    fn pseudo_random_bytes_with_nuls_are_binary() {
        // A small xorshift keeps the test deterministic without a dependency.
        let mut state = 0x2545_F491_4F6C_DD1Du64;
        for len in [2048, 4096, 20_000] {
            let bytes: Vec<u8> = (0..len)
                .map(|_| {
                    state ^= state << 13;
                    state ^= state >> 7;
                    state ^= state << 17;
                    (state >> 32) as u8
                })
                .collect();
            assert!(bytes.contains(&0), "the fixture has a NUL");
            assert!(decode(&bytes).binary, "{len} bytes");
            assert!(decode_prefix(&bytes).binary, "{len} bytes");
        }
    }

    #[test]
    fn only_utf8_cuts_decode_alike() {
        assert!(cut_decodes_alike("正文\n".repeat(2000).as_bytes()));
        // Cut in the middle of a character at the end: still UTF-8.
        assert!(cut_decodes_alike(&"正文".as_bytes()[..5]));
        assert!(!cut_decodes_alike(b"\xD5\xFD\xCE\xC4\n")); // GBK
        assert!(!cut_decodes_alike(b"\xFF\xFEa\0"));
        assert!(!cut_decodes_alike(b"a\0b\0"));
    }

    /// Given up, the bytes decode as when lent, whatever they are: UTF-8 with and
    /// without a BOM, damaged, UTF-16 with and without a BOM, UTF-32, a legacy
    /// encoding, binary, CR line ends.
    #[test]
    fn bytes_given_up_decode_as_bytes_lent() {
        let gbk = encoding_rs::GBK
            .encode("服务网格是一个基础设施层。\n")
            .0
            .into_owned();
        let utf16: Vec<u8> = "---\ntitle: 标题\n---\n正文\n"
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect();
        let mut utf16_bom = b"\xFF\xFE".to_vec();
        utf16_bom.extend(&utf16);
        let utf32: Vec<u8> = b"\xFF\xFE\0\0"
            .iter()
            .copied()
            .chain("中文\n".chars().flat_map(|c| u32::from(c).to_le_bytes()))
            .collect();
        let inputs: Vec<Vec<u8>> = vec![
            "# 标题\r\n正文\r".as_bytes().to_vec(),
            b"\xEF\xBB\xBF---\ntitle: x\n---\n".to_vec(),
            b"\xEF\xBB\xBFcaf\xE9\n".to_vec(),
            [&"正文".repeat(20).into_bytes()[..], b"\xFF\n"].concat(),
            gbk,
            utf16,
            utf16_bom,
            utf32,
            b"PNG\0\0\x01binary".to_vec(),
            Vec::new(),
        ];
        let mut seen = std::collections::BTreeSet::new();
        for bytes in inputs {
            let lent = decode(&bytes);
            seen.insert((lent.encoding, lent.lossy, lent.binary));
            let given = decode_owned(bytes.clone());
            assert_eq!(
                (given.text, given.lossy, given.encoding, given.binary),
                (lent.text, lent.lossy, lent.encoding, lent.binary),
                "{bytes:?}"
            );
        }
        assert_eq!(seen.len(), 6, "every kind of result: {seen:?}");
    }
}

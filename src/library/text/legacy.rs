//! Text in the encodings that came before UTF-8: GBK and GB18030, Big5, Shift_JIS,
//! EUC-JP, EUC-KR, windows-1252 and the other single-byte ones. Nothing in such a file
//! says which it is, so the bytes are guessed from, by chardetng (Firefox's detector
//! for unlabelled legacy text), and decoded by encoding_rs. Only bytes that are not
//! valid UTF-8 come here (see the parent module).

use chardetng::{EncodingDetector, Iso2022JpDetection, Utf8Detection};
use encoding_rs::{CoderResult, Encoding, GBK};

use super::{Decoded, Extent, normalize_newlines};

/// How much of a file the guess looks at: far more than it needs to settle on a
/// language, little enough that a huge file does not wait on the detector.
const DETECT_LEN: usize = 256 * 1024;

pub(super) fn decode(bytes: &[u8], extent: Extent) -> Decoded {
    let encoding = guess(bytes);
    let (text, lossy) = decode_with(encoding, bytes, extent == Extent::Whole);
    Decoded {
        binary: text.contains('\0'),
        text: normalize_newlines(text),
        lossy,
        encoding: name(encoding, bytes),
    }
}

fn guess(bytes: &[u8]) -> &'static Encoding {
    let sample = bytes.get(..DETECT_LEN).unwrap_or(bytes);
    // ISO-2022-JP is all 7-bit, so valid UTF-8, and never comes here.
    let mut detector = EncodingDetector::new(Iso2022JpDetection::Deny);
    // Fed as if more followed, even when this is all: a file cut mid-character at its
    // end (a copy interrupted) keeps its encoding and loses only that character, where
    // the detector would otherwise rule the encoding out.
    detector.feed(sample, false);
    // No top-level domain to go by: the guess is from the bytes alone. UTF-8 is not an
    // answer: these bytes are not valid UTF-8.
    detector.guess(None, Utf8Detection::Deny)
}

/// `bytes` decoded as `encoding`, and whether any of them had to be replaced. Unless
/// this is the `last` of the file, a character cut at the end is left out.
fn decode_with(encoding: &'static Encoding, bytes: &[u8], last: bool) -> (String, bool) {
    let mut decoder = encoding.new_decoder_without_bom_handling();
    let room = |decoder: &encoding_rs::Decoder, len: usize| {
        decoder.max_utf8_buffer_length(len).unwrap_or(len).max(16)
    };
    let mut text = String::with_capacity(room(&decoder, bytes.len()));
    let (mut rest, mut lossy) = (bytes, false);
    loop {
        let (result, read, replaced) = decoder.decode_to_string(rest, &mut text, last);
        lossy |= replaced;
        rest = rest.get(read..).unwrap_or_default();
        match result {
            CoderResult::InputEmpty => return (text, lossy),
            CoderResult::OutputFull => {
                let more = room(&decoder, rest.len());
                text.reserve(more);
            }
        }
    }
}

/// The name to show. chardetng answers GBK for Simplified Chinese, whose decoder reads
/// GB18030's four-byte sequences too; a file that has them is GB18030.
fn name(encoding: &'static Encoding, bytes: &[u8]) -> &'static str {
    if encoding == GBK && has_gb18030_four_byte_sequence(bytes) {
        "GB18030"
    } else {
        encoding.name()
    }
}

/// A GB18030 four-byte sequence (`81–FE 30–39 81–FE 30–39`) where a character starts:
/// in GBK a second byte is never a digit.
fn has_gb18030_four_byte_sequence(bytes: &[u8]) -> bool {
    let mut at = 0;
    while let Some(&lead) = bytes.get(at) {
        if !(0x81..=0xFE).contains(&lead) {
            at += 1; // ASCII, or a byte that stands alone (0x80 is `€`)
            continue;
        }
        match (bytes.get(at + 1), bytes.get(at + 2), bytes.get(at + 3)) {
            (Some(0x30..=0x39), Some(0x81..=0xFE), Some(0x30..=0x39)) => return true,
            _ => at += 2,
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::super::{decode, decode_prefix};
    use super::*;

    const SIMPLIFIED: &str = "---\ntitle: 服务网格简介\n---\n\n服务网格是一个基础设施层，用于\
        处理服务间通信。云原生应用有着复杂的服务拓扑，服务网格负责在这些拓扑中实现请求的可\
        靠传递。\n";
    const TRADITIONAL: &str = "---\ntitle: 服務網格簡介\n---\n\n服務網格是一個基礎設施層，用\
        於處理服務間通訊。雲原生應用有著複雜的服務拓撲，服務網格負責在這些拓撲中實現請求的\
        可靠傳遞。\n";
    const JAPANESE: &str = "---\ntitle: はじめに\n---\n\n吾輩は猫である。名前はまだ無い。どこ\
        で生れたかとんと見当がつかぬ。何でも薄暗いじめじめした所でニャーニャー泣いていた事\
        だけは記憶している。\n";
    const KOREAN: &str = "---\ntitle: 소개\n---\n\n서비스 메시는 서비스 간 통신을 처리하는 인프\
        라 계층입니다. 클라우드 네이티브 애플리케이션은 복잡한 서비스 토폴로지를 가지고 있습\
        니다.\n";

    fn encoded(text: &str, encoding: &'static Encoding) -> Vec<u8> {
        let (bytes, _, unmappable) = encoding.encode(text);
        assert!(!unmappable, "{} cannot encode the fixture", encoding.name());
        bytes.into_owned()
    }

    #[test]
    fn cjk_legacy_encodings_are_recognised_and_decoded() {
        let cases = [
            (SIMPLIFIED, encoding_rs::GBK, "GBK"),
            (TRADITIONAL, encoding_rs::BIG5, "Big5"),
            (JAPANESE, encoding_rs::SHIFT_JIS, "Shift_JIS"),
            (JAPANESE, encoding_rs::EUC_JP, "EUC-JP"),
            (KOREAN, encoding_rs::EUC_KR, "EUC-KR"),
        ];
        for (text, encoding, shown) in cases {
            let bytes = encoded(text, encoding);
            let d = decode(&bytes);
            assert_eq!((d.encoding, d.text.as_str()), (shown, text));
            assert!(!d.lossy && !d.binary, "{shown}");
            assert_eq!(d.notable_encoding(), Some(shown));
            // CRLF files too.
            let d = decode(&encoded(&text.replace('\n', "\r\n"), encoding));
            assert_eq!((d.encoding, d.text.as_str()), (shown, text));
        }
    }

    #[test]
    fn gb18030_is_named_when_it_uses_four_byte_sequences() {
        // 𠮷 (U+20BB7) and ḿ (U+1E3F) are not in GBK: GB18030 writes them in four bytes.
        let text = format!("{SIMPLIFIED}吉野家的𠮷，还有ḿ。\n");
        let bytes = encoded(&text, encoding_rs::GB18030);
        let d = decode(&bytes);
        assert_eq!((d.encoding, d.text.as_str()), ("GB18030", text.as_str()));
        assert!(!d.lossy);
        // Text that GBK can hold is the same bytes in GB18030: GBK is the honest name.
        assert_eq!(
            decode(&encoded(SIMPLIFIED, encoding_rs::GB18030)).encoding,
            "GBK"
        );
    }

    #[test]
    fn a_prefix_of_legacy_text_leaves_out_a_cut_character() {
        let bytes = encoded(SIMPLIFIED, encoding_rs::GBK);
        // Every cut past the title (before it, too few characters to guess from).
        for cut in 40..bytes.len() {
            let d = decode_prefix(&bytes[..cut]);
            assert!(!d.lossy, "cut at {cut}");
            assert!(
                SIMPLIFIED.starts_with(&d.text),
                "cut at {cut}: {:?}",
                d.text
            );
        }
        // The whole file cut mid-character: that character is damage, the rest is GBK.
        assert!(
            bytes.ends_with(b"\xA1\xA3\n"),
            "ends with 。 and a line break"
        );
        let d = decode(&bytes[..bytes.len() - 2]);
        assert_eq!(d.encoding, "GBK");
        assert!(
            d.lossy && d.text.ends_with("可靠传递\u{FFFD}"),
            "{:?}",
            d.text
        );
    }

    #[test]
    fn four_byte_sequences_are_found_only_where_characters_start() {
        assert!(has_gb18030_four_byte_sequence(b"a\x81\x30\x81\x30"));
        assert!(has_gb18030_four_byte_sequence(b"\x80\x95\x32\x82\x36"));
        // `\xB0\xA1` is 啊 in GBK; the digits after it are ASCII, not a sequence.
        assert!(!has_gb18030_four_byte_sequence(b"\xB0\xA1\x31\x32"));
        assert!(!has_gb18030_four_byte_sequence(b"\x81"));
        assert!(!has_gb18030_four_byte_sequence(b""));
    }
}

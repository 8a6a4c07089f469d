//! A post's metadata as the index stores it: a compact binary form rather than JSON.
//! A warm start decodes the metadata of every post before its first frame, and as JSON
//! that was 40% of the work (field names matched as strings, dates as nested objects);
//! here a field is a tag byte, a string its length and bytes, a date three numbers.
//!
//! The form is the cache's, not an interchange format: what does not decode (cut short,
//! a tag this folio does not know, bytes that are not UTF-8) is `None`, and the caller
//! reads the file again. `extra` (front matter fields folio does not use itself, of any
//! shape) stays JSON inside its field; it is empty for most posts.

use std::collections::BTreeMap;

use chrono::FixedOffset;

use crate::library::post::PostDate;
use crate::library::{Meta, Names};

/// The first byte of every encoded value: another layout would start differently.
const FORM: u8 = 1;

const TITLE: u8 = 1;
const DATE: u8 = 2;
const LASTMOD: u8 = 3;
const DESCRIPTION: u8 = 4;
const TAGS: u8 = 5;
const CATEGORIES: u8 = 6;
const AUTHORS: u8 = 7;
const DRAFT: u8 = 8;
const SLUG: u8 = 9;
const IMAGE: u8 = 10;
const SECTION: u8 = 11;
const ENCODING: u8 = 12;
const EXTRA: u8 = 13;

/// `meta` in the stored form; fields left empty are left out.
pub fn encode(meta: &Meta) -> Vec<u8> {
    let mut out = Writer(Vec::with_capacity(128));
    out.0.push(FORM);
    out.text(TITLE, meta.title.as_deref());
    out.date(DATE, meta.date.as_ref());
    out.date(LASTMOD, meta.lastmod.as_ref());
    out.text(DESCRIPTION, meta.description.as_deref());
    out.list(TAGS, &meta.tags);
    out.list(CATEGORIES, &meta.categories);
    out.list(AUTHORS, &meta.authors);
    out.flag(DRAFT, meta.draft);
    out.text(SLUG, meta.slug.as_deref());
    out.text(IMAGE, meta.image.as_deref());
    out.flag(SECTION, meta.section);
    out.text(ENCODING, meta.encoding.as_deref());
    if !meta.extra.is_empty() {
        let json = serde_json::to_string(&meta.extra).unwrap_or_default();
        out.text(EXTRA, Some(&json));
    }
    out.0
}

/// The metadata [`encode`] stored; `None` when `bytes` are not that.
pub fn decode(bytes: &[u8]) -> Option<Meta> {
    let (&form, fields) = bytes.split_first()?;
    if form != FORM {
        return None;
    }
    let mut input = Reader(fields);
    let mut meta = Meta::default();
    while let Some(tag) = input.byte() {
        match tag {
            TITLE => meta.title = Some(input.text()?.into()),
            DATE => meta.date = Some(input.date()?),
            LASTMOD => meta.lastmod = Some(input.date()?),
            DESCRIPTION => meta.description = Some(input.text()?.into()),
            TAGS => meta.tags = input.list()?,
            CATEGORIES => meta.categories = input.list()?,
            AUTHORS => meta.authors = input.list()?,
            DRAFT => meta.draft = true,
            SLUG => meta.slug = Some(input.text()?.into()),
            IMAGE => meta.image = Some(input.text()?.into()),
            SECTION => meta.section = true,
            ENCODING => meta.encoding = Some(input.text()?.into()),
            EXTRA => {
                meta.extra =
                    serde_json::from_str::<BTreeMap<String, serde_json::Value>>(&input.text()?)
                        .ok()?;
            }
            _ => return None,
        }
    }
    Some(meta)
}

struct Writer(Vec<u8>);

impl Writer {
    fn number(&mut self, mut n: u64) {
        // Seven bits a byte, the high bit saying more follow: a title's length is one.
        while n >= 0x80 {
            self.0.push((n as u8 & 0x7f) | 0x80);
            n >>= 7;
        }
        self.0.push(n as u8);
    }

    fn string(&mut self, text: &str) {
        self.number(text.len() as u64);
        self.0.extend_from_slice(text.as_bytes());
    }

    fn text(&mut self, tag: u8, text: Option<&str>) {
        if let Some(text) = text {
            self.0.push(tag);
            self.string(text);
        }
    }

    fn list(&mut self, tag: u8, items: &Names) {
        if !items.is_empty() {
            self.0.push(tag);
            self.number(items.len() as u64);
            for item in items {
                self.string(item);
            }
        }
    }

    fn flag(&mut self, tag: u8, set: bool) {
        if set {
            self.0.push(tag);
        }
    }

    /// The date and time as written, read as if in UTC (seconds, nanoseconds: exact,
    /// a leap second included), then the zone when there is one.
    fn date(&mut self, tag: u8, date: Option<&PostDate>) {
        let Some(date) = date else { return };
        self.0.push(tag);
        let utc = date.naive.and_utc();
        self.0.extend_from_slice(&utc.timestamp().to_le_bytes());
        self.0
            .extend_from_slice(&utc.timestamp_subsec_nanos().to_le_bytes());
        let flags = u8::from(date.has_time) | (u8::from(date.offset.is_some()) << 1);
        self.0.push(flags);
        if let Some(offset) = date.offset {
            self.0
                .extend_from_slice(&offset.local_minus_utc().to_le_bytes());
        }
    }
}

struct Reader<'a>(&'a [u8]);

impl<'a> Reader<'a> {
    fn byte(&mut self) -> Option<u8> {
        let (&first, rest) = self.0.split_first()?;
        self.0 = rest;
        Some(first)
    }

    fn bytes<const N: usize>(&mut self) -> Option<[u8; N]> {
        let (taken, rest) = self.0.split_first_chunk::<N>()?;
        self.0 = rest;
        Some(*taken)
    }

    fn number(&mut self) -> Option<u64> {
        let mut n = 0u64;
        for shift in (0..64).step_by(7) {
            let byte = self.byte()?;
            n |= u64::from(byte & 0x7f).checked_shl(shift)?;
            if byte & 0x80 == 0 {
                return Some(n);
            }
        }
        None
    }

    fn text(&mut self) -> Option<String> {
        self.str().map(str::to_string)
    }

    fn str(&mut self) -> Option<&'a str> {
        let len = usize::try_from(self.number()?).ok()?;
        if len > self.0.len() {
            return None;
        }
        let (text, rest) = self.0.split_at(len);
        self.0 = rest;
        std::str::from_utf8(text).ok()
    }

    fn list(&mut self) -> Option<Names> {
        let count = usize::try_from(self.number()?).ok()?;
        // Each item takes a byte at least: a count beyond that is not ours, and must
        // not reserve memory for it.
        if count > self.0.len() {
            return None;
        }
        (0..count).map(|_| self.str()).collect()
    }

    fn date(&mut self) -> Option<PostDate> {
        let secs = i64::from_le_bytes(self.bytes()?);
        let nanos = u32::from_le_bytes(self.bytes()?);
        let flags = self.byte()?;
        let offset = if flags & 2 != 0 {
            Some(FixedOffset::east_opt(i32::from_le_bytes(self.bytes()?))?)
        } else {
            None
        };
        let naive = chrono::DateTime::from_timestamp(secs, nanos)?.naive_utc();
        Some(PostDate {
            naive,
            offset,
            has_time: flags & 1 != 0,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn date(has_time: bool, offset: Option<i32>, nanos: u32) -> PostDate {
        let naive = NaiveDate::from_ymd_opt(2016, 12, 31)
            .and_then(|d| d.and_hms_nano_opt(23, 59, 59, nanos))
            .expect("a date");
        PostDate {
            naive,
            offset: offset.and_then(FixedOffset::east_opt),
            has_time,
        }
    }

    fn full() -> Meta {
        let mut extra = BTreeMap::new();
        extra.insert("weight".to_string(), serde_json::json!(3));
        extra.insert(
            "params".to_string(),
            serde_json::json!({"toc": true, "list": ["a", null, 1.5]}),
        );
        Meta {
            title: Some("服务网格 \u{1F600} \"quoted\"".into()),
            // A leap second, as nanoseconds past 1e9.
            date: Some(date(true, Some(8 * 3600), 1_500_000_000)),
            lastmod: Some(date(false, None, 0)),
            description: Some("x".repeat(300).into()),
            tags: ["Istio", "", "云原生"].iter().collect(),
            categories: ["cloud"].iter().collect(),
            authors: ["Jimmy", "宋"].iter().collect(),
            draft: true,
            slug: Some("a/b".into()),
            image: Some("cover.png".into()),
            section: true,
            encoding: Some("GBK".into()),
            extra,
        }
    }

    #[test]
    fn every_field_comes_back_as_it_went() {
        for meta in [Meta::default(), full()] {
            assert_eq!(decode(&encode(&meta)), Some(meta));
        }
        let west = Meta {
            date: Some(date(true, Some(-5 * 3600 - 1800), 0)),
            ..Meta::default()
        };
        assert_eq!(decode(&encode(&west)), Some(west));
    }

    #[test]
    fn what_is_not_this_form_does_not_decode() {
        let bytes = encode(&full());
        // Cut anywhere: never a panic, and never taken for the whole.
        for end in 0..bytes.len() {
            assert_ne!(decode(&bytes[..end]), Some(full()), "cut at {end}");
        }
        // The JSON an older folio stored, an unknown tag, bytes that are not UTF-8, a
        // count larger than what follows.
        assert_eq!(decode(br#"{"title":"x"}"#), None);
        assert_eq!(decode(&[FORM, 99]), None);
        assert_eq!(decode(&[FORM, TITLE, 2, 0xff, 0xfe]), None);
        assert_eq!(decode(&[FORM, TAGS, 0xff, 0xff, 0xff, 0xff, 0x0f]), None);
        assert_eq!(
            decode(&[
                FORM, TITLE, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01
            ]),
            None
        );
        assert_eq!(decode(&[]), None);
    }

    #[test]
    fn empty_fields_take_no_room() {
        assert_eq!(encode(&Meta::default()), vec![FORM]);
        let titled = Meta {
            title: Some("Go".into()),
            ..Meta::default()
        };
        assert_eq!(encode(&titled), vec![FORM, TITLE, 2, b'G', b'o']);
    }
}

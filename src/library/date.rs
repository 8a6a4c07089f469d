//! Dates as people actually write them in front matter. Hugo wants RFC 3339, but real
//! collections carry `2014-1-31`, `2019-05-27T4:55:44+08:00` (one-digit hour),
//! `2023/01/01 10:00 +0800`, `2023年1月1日` and mail-style `Sat, 03 Nov 2018 16:20:59 GMT`.
//! A strict parser would leave those posts undated and sorted to the bottom, so this
//! one reads the common shapes by hand and keeps what the source said: whether there
//! was a time, and whether there was a zone.

use std::fmt;

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveTime, SecondsFormat};

use super::post::PostDate;

impl PostDate {
    /// Reads a front-matter date; `None` when it is not one of the known shapes.
    pub fn parse(text: &str) -> Option<PostDate> {
        let text = text.trim();
        if text.is_empty() {
            return None;
        }
        if let Ok(dt) = DateTime::parse_from_rfc3339(text) {
            return Some(PostDate {
                naive: dt.naive_local(),
                offset: Some(*dt.offset()),
                has_time: true,
            });
        }
        if text.starts_with(|c: char| c.is_ascii_alphabetic())
            && let Ok(dt) = DateTime::parse_from_rfc2822(text)
        {
            return Some(PostDate {
                naive: dt.naive_local(),
                offset: Some(*dt.offset()),
                has_time: true,
            });
        }
        Lenient::new(text).parse()
    }

    /// Unix seconds in UTC, for sorting. A date without a zone is taken as UTC: the
    /// error is at most a day's worth of hours, and it is the same for every post.
    pub fn sort_key(&self) -> i64 {
        let offset = self.offset.map_or(0, |o| i64::from(o.local_minus_utc()));
        self.naive.and_utc().timestamp() - offset
    }

    /// The calendar date as written (in the post's own zone): `2021-05-25`.
    pub fn ymd(&self) -> String {
        self.naive.format("%Y-%m-%d").to_string()
    }

    /// [`PostDate::ymd`] added to `out`, digit by digit for the years 0–9999: a listing
    /// of 10,000 posts spent a fifth of its formatting in chrono's format machinery.
    pub fn push_ymd(&self, out: &mut String) {
        use chrono::Datelike;
        let year = self.naive.year();
        let Ok(year @ 0..=9999) = u32::try_from(year) else {
            out.push_str(&self.ymd());
            return;
        };
        let digit = |n: u32| char::from(b'0' + (n % 10) as u8);
        out.extend([year / 1000, year / 100, year / 10, year].map(digit));
        let (month, day) = (self.naive.month(), self.naive.day());
        out.extend([
            '-',
            digit(month / 10),
            digit(month),
            '-',
            digit(day / 10),
            digit(day),
        ]);
    }
}

/// RFC 3339 when the source had a time and a zone; otherwise as much as it had:
/// `2021-05-25T11:20:46` or `2021-05-25`.
impl fmt::Display for PostDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if !self.has_time {
            return write!(f, "{}", self.naive.format("%Y-%m-%d"));
        }
        match self
            .offset
            .and_then(|o| self.naive.and_local_timezone(o).single())
        {
            Some(dt) => f.write_str(&dt.to_rfc3339_opts(SecondsFormat::AutoSi, true)),
            None => write!(f, "{}", self.naive.format("%Y-%m-%dT%H:%M:%S%.f")),
        }
    }
}

/// A tiny cursor over the date text; every step either advances or returns `None`.
struct Lenient<'a> {
    rest: &'a str,
}

impl<'a> Lenient<'a> {
    fn new(text: &'a str) -> Self {
        Lenient { rest: text }
    }

    fn parse(mut self) -> Option<PostDate> {
        let year = self.number(4, 4)?;
        let chinese = self.eat("年");
        let sep = if chinese {
            None
        } else {
            let sep = self
                .rest
                .chars()
                .next()
                .filter(|c| matches!(c, '-' | '/' | '.'))?;
            self.rest = self.rest.get(1..)?;
            Some(sep)
        };
        let month = self.number(1, 2)?;
        match sep {
            Some(sep) => {
                if !self.eat_char(sep) {
                    return None;
                }
            }
            None => {
                if !self.eat("月") {
                    return None;
                }
            }
        }
        let day = self.number(1, 2)?;
        if chinese {
            // `日` (or the colloquial `号`) is optional: `2023年1月1` is still clear.
            let _ = self.eat("日") || self.eat("号");
        }
        let date = NaiveDate::from_ymd_opt(i32::try_from(year).ok()?, month, day)?;
        if self.rest.trim().is_empty() {
            return Some(PostDate {
                naive: date.and_time(NaiveTime::MIN),
                offset: None,
                has_time: false,
            });
        }
        // Date/time separator: `T`, or any run of spaces (none needed after `日`).
        if !self.eat_char('T') && !self.eat_char('t') {
            let trimmed = self.rest.trim_start();
            if trimmed.len() == self.rest.len() && !chinese {
                return None;
            }
            self.rest = trimmed;
        }
        let time = self.time()?;
        let offset = self.zone()?;
        Some(PostDate {
            naive: date.and_time(time),
            offset,
            has_time: true,
        })
    }

    /// `H:MM`, `HH:MM:SS`, `HH:MM:SS.fraction` (one-digit hours occur in real posts).
    fn time(&mut self) -> Option<NaiveTime> {
        let hour = self.number(1, 2)?;
        if !self.eat_char(':') {
            return None;
        }
        let minute = self.number(2, 2)?;
        let mut second = 0;
        let mut nanos = 0;
        if self.eat_char(':') {
            second = self.number(2, 2)?;
            if self.eat_char('.') || self.eat_char(',') {
                let digits = self.digits();
                if digits.is_empty() {
                    return None;
                }
                // Nanosecond precision is all chrono keeps; further digits are dropped.
                for (i, d) in digits.bytes().take(9).enumerate() {
                    let place = 10u32.pow(8 - u32::try_from(i).ok()?);
                    nanos += u32::from(d - b'0') * place;
                }
            }
        }
        NaiveTime::from_hms_nano_opt(hour, minute, second, nanos)
    }

    /// After the time: nothing, `Z`, `UTC`/`GMT`, or `±HH:MM` / `±HHMM` / `±HH`,
    /// optionally preceded by spaces and followed by a zone name (`+0800 CST`).
    /// `Some(None)` means "no zone given"; `None` means "not a date".
    fn zone(&mut self) -> Option<Option<FixedOffset>> {
        self.rest = self.rest.trim_start();
        if self.rest.is_empty() {
            return Some(None);
        }
        let offset =
            if self.eat_char('Z') || self.eat_char('z') || self.eat("UTC") || self.eat("GMT") {
                FixedOffset::east_opt(0)?
            } else {
                let sign = match self.rest.chars().next()? {
                    '+' => 1,
                    '-' | '−' => -1,
                    _ => return None,
                };
                self.rest = self.rest.get(self.rest.chars().next()?.len_utf8()..)?;
                // `+0800` has no separator, so the hours are at most two digits, not a run.
                let hours = self.up_to_digits(2)?;
                let _ = self.eat_char(':');
                let minutes = if self.rest.starts_with(|c: char| c.is_ascii_digit()) {
                    self.number(2, 2)?
                } else {
                    0
                };
                if minutes >= 60 {
                    return None;
                }
                let seconds = i32::try_from(hours * 3600 + minutes * 60).ok()?;
                FixedOffset::east_opt(sign * seconds)?
            };
        // A trailing zone abbreviation (Go's default time format prints one) adds
        // nothing the offset did not say.
        let tail = self.rest.trim();
        if tail.is_empty() || tail.chars().all(|c| c.is_ascii_alphabetic()) {
            Some(Some(offset))
        } else {
            None
        }
    }

    fn digits(&mut self) -> &'a str {
        let end = self
            .rest
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(self.rest.len());
        let (digits, rest) = self.rest.split_at(end);
        self.rest = rest;
        digits
    }

    /// A run of `min..=max` ASCII digits.
    fn number(&mut self, min: usize, max: usize) -> Option<u32> {
        let digits = self.digits();
        if digits.len() < min || digits.len() > max {
            return None;
        }
        digits.parse().ok()
    }

    /// One to `max` ASCII digits, leaving any further digits for the next step.
    fn up_to_digits(&mut self, max: usize) -> Option<u32> {
        let len = self
            .rest
            .bytes()
            .take(max)
            .take_while(u8::is_ascii_digit)
            .count();
        let digits = self.rest.get(..len).filter(|d| !d.is_empty())?;
        self.rest = self.rest.get(len..)?;
        digits.parse().ok()
    }

    fn eat(&mut self, prefix: &str) -> bool {
        match self.rest.strip_prefix(prefix) {
            Some(rest) => {
                self.rest = rest;
                true
            }
            None => false,
        }
    }

    fn eat_char(&mut self, c: char) -> bool {
        match self.rest.strip_prefix(c) {
            Some(rest) => {
                self.rest = rest;
                true
            }
            None => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{Datelike, Timelike};

    fn parts(text: &str) -> (i32, u32, u32, u32, u32, u32, Option<i32>, bool) {
        let d = PostDate::parse(text).unwrap_or_else(|| panic!("{text:?} should parse"));
        (
            d.naive.year(),
            d.naive.month(),
            d.naive.day(),
            d.naive.hour(),
            d.naive.minute(),
            d.naive.second(),
            d.offset.map(|o| o.local_minus_utc()),
            d.has_time,
        )
    }

    #[test]
    fn push_ymd_writes_what_ymd_does_for_every_year_chrono_has() {
        let years = [
            -262_000, -10_000, -1, 0, 1, 7, 99, 999, 1000, 1970, 2024, 9999, 10_000, 262_000,
        ];
        for year in years {
            for (month, day) in [(1, 1), (2, 29), (9, 30), (10, 5), (12, 31)] {
                let Some(date) = NaiveDate::from_ymd_opt(year, month, day) else {
                    continue;
                };
                let date = PostDate {
                    naive: date.and_time(NaiveTime::MIN),
                    offset: None,
                    has_time: false,
                };
                let mut pushed = String::from("x");
                date.push_ymd(&mut pushed);
                assert_eq!(pushed, format!("x{}", date.ymd()), "{year}-{month}-{day}");
            }
        }
    }

    #[test]
    fn rfc3339_with_offset_and_z() {
        assert_eq!(
            parts("2021-05-25T11:20:46+08:00"),
            (2021, 5, 25, 11, 20, 46, Some(8 * 3600), true)
        );
        assert_eq!(
            parts("2021-05-25T11:20:46Z"),
            (2021, 5, 25, 11, 20, 46, Some(0), true)
        );
    }

    #[test]
    fn lenient_shapes() {
        assert_eq!(parts("2014-1-31"), (2014, 1, 31, 0, 0, 0, None, false));
        assert_eq!(
            parts("2019-05-27T4:55:44+08:00"),
            (2019, 5, 27, 4, 55, 44, Some(28800), true)
        );
        assert_eq!(
            parts("2020-02-03 10:05 +0800"),
            (2020, 2, 3, 10, 5, 0, Some(28800), true)
        );
        assert_eq!(
            parts("2020-02-03 10:05:06 -0530 IST"),
            (2020, 2, 3, 10, 5, 6, Some(-19800), true)
        );
        assert_eq!(parts("2023/01/01"), (2023, 1, 1, 0, 0, 0, None, false));
        assert_eq!(parts("2023年1月1日"), (2023, 1, 1, 0, 0, 0, None, false));
        assert_eq!(
            parts("2023年1月1日 9:30"),
            (2023, 1, 1, 9, 30, 0, None, true)
        );
        assert_eq!(
            parts("Sat, 03 Nov 2018 16:20:59 GMT"),
            (2018, 11, 3, 16, 20, 59, Some(0), true)
        );
    }

    #[test]
    fn fractional_seconds_keep_nanos() {
        let d = PostDate::parse("2020-01-02 03:04:05.123456789123+01:00").expect("parses");
        assert_eq!(d.naive.nanosecond(), 123_456_789);
    }

    #[test]
    fn rejects_nonsense() {
        for bad in [
            "",
            "yesterday",
            "2023-13-01",
            "2023-02-30",
            "2023-01-01T25:00",
            "2023-01-01 10:00 +08:00 garbage 7",
            "2023-01/01",
            "20230101",
            "2023-01-01x",
            "2023-01-01T10:60:00Z",
        ] {
            assert_eq!(PostDate::parse(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn sort_key_is_utc_seconds() {
        let a = PostDate::parse("2021-05-25T11:20:46+08:00").expect("a");
        let b = PostDate::parse("2021-05-25T03:20:46Z").expect("b");
        assert_eq!(a.sort_key(), b.sort_key());
        assert_eq!(a.sort_key(), 1_621_912_846);
        let naive = PostDate::parse("1970-01-02").expect("naive");
        assert_eq!(naive.sort_key(), 86_400);
    }

    #[test]
    fn display_keeps_what_the_source_had() {
        let show = |s: &str| PostDate::parse(s).expect(s).to_string();
        assert_eq!(
            show("2021-05-25T11:20:46+08:00"),
            "2021-05-25T11:20:46+08:00"
        );
        assert_eq!(show("2021-05-25 11:20:46 +0000"), "2021-05-25T11:20:46Z");
        assert_eq!(show("2021-5-2 1:02"), "2021-05-02T01:02:00");
        assert_eq!(show("2021/5/2"), "2021-05-02");
        assert_eq!(PostDate::parse("2021/5/2").expect("d").ymd(), "2021-05-02");
    }
}

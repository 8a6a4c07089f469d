//! Front matter as real and hostile posts write it: each delimiter form, each lenient
//! value, each date shape, and each way a block can be broken. The split must always
//! leave a usable body, and a problem must always surface as a warning.

use chrono::{Datelike, Timelike};
use folio::library::front_matter::{Parsed, parse};
use folio::library::text;
use folio::library::{Meta, PostDate};

fn body<'a>(text: &'a str, parsed: &Parsed) -> &'a str {
    text.get(parsed.body_start..)
        .expect("body_start on a char boundary")
}

fn clean(text: &str) -> Meta {
    let parsed = parse(text);
    assert!(
        parsed.warnings().is_empty(),
        "unexpected warnings: {:?}",
        parsed.warnings()
    );
    parsed.meta
}

#[test]
fn yaml() {
    let text = "---\ntitle: \"Istio 开源四周年\"\ntags: [\"istio\",\"service mesh\"]\ncategories: [\"istio\"]\ndate: 2021-05-25T11:20:46+08:00\ndraft: true\nslug: istio-4\nimage: /a.jpg\n---\n\n正文\n";
    let parsed = parse(text);
    assert!(parsed.warnings().is_empty(), "{:?}", parsed.warnings());
    let meta = parsed.meta.clone();
    assert_eq!(meta.title.as_deref(), Some("Istio 开源四周年"));
    assert_eq!(meta.tags, ["istio", "service mesh"]);
    assert_eq!(meta.categories, ["istio"]);
    assert!(meta.draft);
    assert_eq!(meta.slug.as_deref(), Some("istio-4"));
    assert_eq!(meta.image.as_deref(), Some("/a.jpg"));
    assert_eq!(meta.date.map(|d| d.ymd()).as_deref(), Some("2021-05-25"));
    assert_eq!(body(text, &parsed), "\n正文\n");
}

#[test]
fn toml() {
    let text = "+++\ntitle = \"T\"\ndate = 2023-01-15T10:00:00+08:00\nlastmod = 2023-02-01\ntags = [\"a\", \"b\"]\ndraft = false\n[params]\nx = 1\n+++\nbody\n";
    let parsed = parse(text);
    assert!(parsed.warnings().is_empty(), "{:?}", parsed.warnings());
    let meta = &parsed.meta;
    assert_eq!(meta.title.as_deref(), Some("T"));
    assert_eq!(meta.tags, ["a", "b"]);
    let date = meta.date.as_ref().expect("TOML datetime read");
    assert_eq!(
        (date.naive.hour(), date.offset.map(|o| o.local_minus_utc())),
        (10, Some(8 * 3600))
    );
    let lastmod = meta.lastmod.as_ref().expect("TOML local date read");
    assert_eq!(lastmod.ymd(), "2023-02-01");
    assert!(!lastmod.has_time);
    assert_eq!(meta.extra["params"]["x"], 1);
    assert_eq!(body(text, &parsed), "body\n");
}

#[test]
fn json() {
    let text =
        "{\n  \"title\": \"J\",\n  \"tags\": [\"x\"],\n  \"date\": \"2020-02-02\"\n}\n# Body\n";
    let parsed = parse(text);
    assert!(parsed.warnings().is_empty(), "{:?}", parsed.warnings());
    assert_eq!(parsed.meta.title.as_deref(), Some("J"));
    assert_eq!(parsed.meta.tags, ["x"]);
    assert_eq!(body(text, &parsed), "# Body\n");
}

#[test]
fn bom_then_yaml() {
    let decoded = text::decode(b"\xEF\xBB\xBF---\ntitle: BOM\n---\nbody");
    let parsed = parse(&decoded.text);
    assert_eq!(parsed.meta.title.as_deref(), Some("BOM"));
    assert_eq!(body(&decoded.text, &parsed), "body");
}

#[test]
fn crlf() {
    let decoded =
        text::decode(b"---\r\ntitle: CRLF\r\ntags: [a]\r\n---\r\nline one\r\nline two\r\n");
    let parsed = parse(&decoded.text);
    assert!(parsed.warnings().is_empty());
    assert_eq!(parsed.meta.title.as_deref(), Some("CRLF"));
    assert_eq!(body(&decoded.text, &parsed), "line one\nline two\n");
}

#[test]
fn four_dashes_first_line_is_not_front_matter() {
    let text = "----\ntitle: x\n---\nbody";
    let parsed = parse(text);
    assert!(parsed.warnings().is_empty());
    assert_eq!(parsed.meta, Meta::default());
    assert_eq!(parsed.body_start, 0);
}

#[test]
fn unterminated() {
    let text = "---\ntitle: never closed\n\n# Heading\n";
    let parsed = parse(text);
    assert_eq!(parsed.warnings().len(), 1);
    assert!(
        parsed.warnings()[0].contains("front matter not closed"),
        "{:?}",
        parsed.warnings()
    );
    assert_eq!(parsed.body_start, 0, "the whole text is body");
    assert_eq!(parsed.meta.title, None);
}

#[test]
fn empty_block() {
    let text = "---\n---\nbody";
    let parsed = parse(text);
    assert!(parsed.warnings().is_empty(), "{:?}", parsed.warnings());
    assert_eq!(parsed.meta, Meta::default());
    assert_eq!(body(text, &parsed), "body");
}

#[test]
fn front_matter_only() {
    for text in ["---\ntitle: only\n---", "---\ntitle: only\n---\n"] {
        let parsed = parse(text);
        assert!(parsed.warnings().is_empty());
        assert_eq!(parsed.meta.title.as_deref(), Some("only"));
        assert_eq!(parsed.body_start, text.len());
    }
}

#[test]
fn two_documents_split_at_the_first_end() {
    let text = "---\ntitle: one\n---\ntitle: two\n---\nbody";
    let parsed = parse(text);
    assert_eq!(parsed.meta.title.as_deref(), Some("one"));
    assert_eq!(body(text, &parsed), "title: two\n---\nbody");
}

#[test]
fn tags_as_a_string_are_one_tag() {
    assert_eq!(clean("---\ntags: rust\n---\n").tags, ["rust"]);
    assert_eq!(clean("---\ntags: \"a, b\"\n---\n").tags, ["a, b"]);
    assert_eq!(clean("---\ntags: 编程，生活\n---\n").tags, ["编程，生活"]);
    assert_eq!(
        clean("---\ncategories: \"envoy\"\n---\n").categories,
        ["envoy"]
    );
}

#[test]
fn tags_of_mixed_scalars() {
    assert_eq!(
        clean("---\ntags: [1, true, null, 2.5]\n---\n").tags,
        ["1", "true", "2.5"]
    );
}

#[test]
fn numeric_title() {
    assert_eq!(
        clean("---\ntitle: 2024\n---\n").title.as_deref(),
        Some("2024")
    );
}

#[test]
fn draft_as_text() {
    assert!(!clean("---\ndraft: \"false\"\n---\n").draft);
    assert!(clean("---\ndraft: \"true\"\n---\n").draft);
    let parsed = parse("---\ndraft: perhaps\n---\n");
    assert!(!parsed.meta.draft);
    assert_eq!(parsed.warnings().len(), 1, "{:?}", parsed.warnings());
}

#[test]
fn description_falls_back_to_summary() {
    let both = clean("---\ndescription: D\nsummary: S\n---\n");
    assert_eq!(both.description.as_deref(), Some("D"));
    assert_eq!(
        both.extra["summary"], "S",
        "an unused summary stays in extra"
    );
    let summary = clean("---\nsummary: S\n---\n");
    assert_eq!(summary.description.as_deref(), Some("S"));
}

#[test]
fn author_and_authors_merge() {
    assert_eq!(clean("---\nauthor: 宋净超\n---\n").authors, ["宋净超"]);
    assert_eq!(clean("---\nauthors: [a, b]\n---\n").authors, ["a", "b"]);
    assert_eq!(
        clean("---\nauthor: a\nauthors: [b, a]\n---\n").authors,
        ["a", "b"]
    );
}

#[test]
fn keys_are_case_insensitive() {
    let meta = clean("---\nTitle: Upper\nTags: [x]\nDate: 2020-01-01\n---\n");
    assert_eq!(meta.title.as_deref(), Some("Upper"));
    assert_eq!(meta.tags, ["x"]);
    assert!(meta.date.is_some());
}

#[test]
fn duplicate_keys_keep_the_last() {
    assert_eq!(
        clean("---\ntitle: a\ntitle: b\n---\n").title.as_deref(),
        Some("b")
    );
}

#[test]
fn unknown_keys_are_kept_in_extra() {
    let meta =
        clean("---\ntitle: t\nOriginalLink: https://x\nkeywords: [a, b]\nparams: {n: 1}\n---\n");
    assert_eq!(meta.extra["originallink"], "https://x");
    assert_eq!(meta.extra["keywords"], serde_json::json!(["a", "b"]));
    assert_eq!(meta.extra["params"]["n"], 1);
    assert!(!meta.extra.contains_key("title"));
}

#[test]
fn wrong_type_warns_and_skips_the_field() {
    let parsed = parse("---\ntitle: [a, b]\ntags: [x]\n---\n");
    assert_eq!(parsed.meta.title, None);
    assert_eq!(parsed.meta.tags, ["x"], "the other fields are still read");
    assert_eq!(parsed.warnings().len(), 1);
    assert!(
        parsed.warnings()[0].starts_with("title:"),
        "{:?}",
        parsed.warnings()
    );
}

/// (year, month, day, hour, minute, second, offset seconds, has_time)
type Parts = (i32, u32, u32, u32, u32, u32, Option<i32>, bool);

fn date_of(front: &str) -> Parts {
    let parsed = parse(&format!("---\n{front}\n---\n"));
    assert!(
        parsed.warnings().is_empty(),
        "{front}: {:?}",
        parsed.warnings()
    );
    let d = parsed
        .meta
        .date
        .unwrap_or_else(|| panic!("{front}: no date"));
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
fn date_rfc3339() {
    let want: Parts = (2021, 5, 25, 11, 20, 46, Some(8 * 3600), true);
    assert_eq!(date_of("date: 2021-05-25T11:20:46+08:00"), want);
    assert_eq!(date_of("date: \"2021-05-25T11:20:46+08:00\""), want);
    assert_eq!(
        date_of("date: 2021-05-25T03:20:46Z"),
        (2021, 5, 25, 3, 20, 46, Some(0), true)
    );
}

#[test]
fn date_fractional_seconds() {
    let parsed = parse("---\ndate: 2021-05-25T11:20:46.123+08:00\n---\n");
    let d = parsed.meta.date.expect("date");
    assert_eq!((d.naive.second(), d.naive.nanosecond()), (46, 123_000_000));
}

#[test]
fn date_only() {
    assert_eq!(
        date_of("date: 2023-01-15"),
        (2023, 1, 15, 0, 0, 0, None, false)
    );
    assert_eq!(
        date_of("date: 2014-1-31"),
        (2014, 1, 31, 0, 0, 0, None, false)
    );
}

#[test]
fn date_with_space_and_zones() {
    assert_eq!(
        date_of("date: 2023-01-15 10:30"),
        (2023, 1, 15, 10, 30, 0, None, true)
    );
    assert_eq!(
        date_of("date: 2023-01-15 10:30:05"),
        (2023, 1, 15, 10, 30, 5, None, true)
    );
    let east8 = (2023, 1, 15, 10, 30, 5, Some(8 * 3600), true);
    assert_eq!(date_of("date: 2023-01-15 10:30:05+08:00"), east8);
    assert_eq!(date_of("date: 2023-01-15 10:30:05+0800"), east8);
    assert_eq!(date_of("date: 2023-01-15 10:30:05 +0800"), east8);
    assert_eq!(
        date_of("date: 2023-01-15 10:30:05 -0330"),
        (2023, 1, 15, 10, 30, 5, Some(-(3 * 3600 + 1800)), true)
    );
}

#[test]
fn date_one_digit_hour() {
    assert_eq!(
        date_of("date: 2019-05-27T4:55:44+08:00"),
        (2019, 5, 27, 4, 55, 44, Some(8 * 3600), true)
    );
}

#[test]
fn date_slashes_and_chinese() {
    assert_eq!(
        date_of("date: 2023/01/01"),
        (2023, 1, 1, 0, 0, 0, None, false)
    );
    assert_eq!(
        date_of("date: 2023年1月1日"),
        (2023, 1, 1, 0, 0, 0, None, false)
    );
}

#[test]
fn unparseable_date_warns() {
    let parsed = parse("---\ntitle: t\ndate: next tuesday\n---\n");
    assert_eq!(parsed.meta.date, None);
    assert_eq!(parsed.meta.title.as_deref(), Some("t"));
    assert_eq!(parsed.warnings().len(), 1);
    assert!(
        parsed.warnings()[0].starts_with("date:"),
        "{:?}",
        parsed.warnings()
    );
}

#[test]
fn post_date_sort_key_and_ymd() {
    let d = PostDate::parse("2021-05-25T11:20:46+08:00").expect("parses");
    assert_eq!(d.sort_key(), 1_621_912_846);
    assert_eq!(d.ymd(), "2021-05-25");
}

#[test]
fn yaml_syntax_error_warns_and_keeps_the_body() {
    let text = "---\ntitle: ok\ntags: [unclosed\n---\n# Body\n";
    let parsed = parse(text);
    assert_eq!(parsed.meta, Meta::default());
    assert_eq!(parsed.warnings().len(), 1);
    let warning = &parsed.warnings()[0];
    assert!(
        warning.starts_with("YAML front matter not parsed (line "),
        "{warning}"
    );
    assert_eq!(body(text, &parsed), "# Body\n");
}

#[test]
fn toml_syntax_error_names_the_line() {
    let text = "+++\ntitle = \"t\"\ntags = [\n+++\nbody";
    let parsed = parse(text);
    assert!(
        parsed.warnings()[0].starts_with("TOML front matter not parsed (line "),
        "{:?}",
        parsed.warnings()
    );
    assert_eq!(body(text, &parsed), "body");
}

#[test]
fn yaml_alias_bomb_is_refused() {
    let mut yaml = String::from(
        "a0: &a0 [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
    );
    for level in 1..9 {
        let prev = format!("*a{}", level - 1);
        let items = [prev.as_str(); 9].join(",");
        yaml.push_str(&format!("a{level}: &a{level} [{items}]\n"));
    }
    let text = format!("---\ntitle: bomb\n{yaml}---\nbody");
    let parsed = parse(&text);
    assert_eq!(parsed.warnings().len(), 1, "{:?}", parsed.warnings());
    assert!(
        parsed.warnings()[0].starts_with("YAML front matter not parsed"),
        "{:?}",
        parsed.warnings()
    );
    assert_eq!(body(&text, &parsed), "body");
}

#[test]
fn yaml_self_alias_and_deep_flow_are_refused() {
    let parsed = parse("---\na: &a [*a]\n---\nbody");
    assert_eq!(parsed.warnings().len(), 1, "{:?}", parsed.warnings());
    let deep = format!("---\n{}\n---\nbody", "{'x':".repeat(1000));
    let parsed = parse(&deep);
    assert_eq!(parsed.warnings().len(), 1, "{:?}", parsed.warnings());
    assert_eq!(body(&deep, &parsed), "body");
}

#[test]
fn front_matter_over_64_kib_is_not_parsed() {
    let mut text = String::from("---\ntitle: big\n");
    while text.len() < 70 * 1024 {
        text.push_str("padding: \"some filler text to make the front matter large\"\n");
    }
    text.push_str("---\n# Body after\n");
    let parsed = parse(&text);
    assert_eq!(parsed.meta.title, None, "not parsed");
    assert_eq!(parsed.warnings().len(), 1);
    assert!(
        parsed.warnings()[0].contains("larger than 64 KiB"),
        "{:?}",
        parsed.warnings()
    );
    assert_eq!(body(&text, &parsed), "# Body after\n");
}

#[test]
fn no_front_matter_at_all() {
    let text = "# Just a heading\n\nText.\n";
    let parsed = parse(text);
    assert!(parsed.warnings().is_empty());
    assert_eq!(parsed.body_start, 0);
}

#[test]
fn empty_text() {
    let parsed = parse("");
    assert!(parsed.warnings().is_empty());
    assert_eq!(parsed.body_start, 0);
}

//! Posts saved in encodings other than UTF-8 (issue 14, item 11): GBK, GB18030, Big5,
//! Shift_JIS, EUC-JP and EUC-KR guessed from their bytes, UTF-16 without a BOM and
//! mostly CJK, UTF-32 with a BOM. Each fixture is made here by encoding a UTF-8
//! original with encoding_rs; the encoded post must print exactly as the original does,
//! but for the card's note of the encoding, and the list must name the encoding.

use std::path::Path;

use encoding_rs::Encoding;
use folio::app::App;
use folio::library::Library;

mod common;
use common::{folio, keys, open, run, screen, write_file};

const SIMPLIFIED: &str = "\
---
title: 服务网格简介
date: 2021-05-25
tags: [服务网格, 云原生]
---

# 为什么需要服务网格

服务网格是一个基础设施层，用于处理服务间通信。云原生应用有着复杂的服务拓扑，服务网格\
负责在这些拓扑中实现请求的可靠传递。

- 流量管理：路由、重试、超时
- 安全：双向认证与授权

| 组件 | 作用 |
|------|------|
| 数据平面 | 代理流量 |
| 控制平面 | 下发配置 |

```sh
kubectl apply -f mesh.yaml
```
";

/// GB18030 proper: 𠮷 and ḿ are outside GBK, written in four bytes.
const SIMPLIFIED_BEYOND_GBK: &str = "\
---
title: 吉野家的𠮷字
date: 2021-05-26
---

扩展区的汉字𠮷与拼音字母ḿ，只有 GB18030 能写下。服务网格是一个基础设施层，用于处理服\
务间通信，在这些拓扑中实现请求的可靠传递。
";

const TRADITIONAL: &str = "\
---
title: 服務網格簡介
date: 2021-05-27
tags: [服務網格]
---

服務網格是一個基礎設施層，用於處理服務間通訊。雲原生應用有著複雜的服務拓撲，服務網格\
負責在這些拓撲中實現請求的可靠傳遞。

| 組件 | 作用 |
|------|------|
| 資料平面 | 代理流量 |
";

const JAPANESE: &str = "\
---
title: 吾輩は猫である
date: 2021-05-28
---

## はじめに

吾輩は猫である。名前はまだ無い。どこで生れたかとんと見当がつかぬ。何でも薄暗いじめじめ\
した所でニャーニャー泣いていた事だけは記憶している。

- 一つ目の項目
- 二つ目の項目
";

const KOREAN: &str = "\
---
title: 서비스 메시 소개
date: 2021-05-29
---

서비스 메시는 서비스 간 통신을 처리하는 인프라 계층입니다. 클라우드 네이티브 애플리케이션은\
 복잡한 서비스 토폴로지를 가지고 있습니다.

| 구성 요소 | 역할 |
|-----------|------|
| 데이터 플레인 | 트래픽 전달 |
";

/// Chinese prose as most of the real collection is: under a fifth of it ASCII, so
/// UTF-16 without a BOM has few NUL bytes to be recognised by.
const MOSTLY_CJK: &str = "\
---
title: 一次长谈
---

那一年的秋天，我们在山脚下的小镇上住了一个月。每天清晨，雾气从河面上升起，一直漫到街道\
的尽头。镇上的人起得很早，卖豆浆的老人总是第一个推开店门，他说这样的日子已经过了四十年\
。我们常常坐在他的店里，听他讲镇上的旧事：哪一家的祖上出过举人，哪一座桥是在大水之后重\
修的，哪一棵树下埋着一块没有字的石碑。

后来我们离开了小镇，回到城市里各自的生活。可是每当秋天来临，我总会想起那些清晨，想起雾\
气中的石板路和老人手中冒着热气的碗。一切都好像发生在昨天，又好像已经是很久很久以前的事\
情了。

## 后记

这篇文章写于那次旅行的十年之后。文中提到的小店早已不在，老人也已经去世，只有那座桥还在\
原来的地方。
";

/// Encoded with encoding_rs, which must be able to hold every character.
fn legacy(text: &str, encoding: &'static Encoding) -> Vec<u8> {
    let (bytes, _, unmappable) = encoding.encode(text);
    assert!(!unmappable, "{} cannot hold the fixture", encoding.name());
    bytes.into_owned()
}

fn utf16(text: &str, little: bool) -> Vec<u8> {
    text.encode_utf16()
        .flat_map(|unit| {
            if little {
                unit.to_le_bytes()
            } else {
                unit.to_be_bytes()
            }
        })
        .collect()
}

fn utf32_with_bom(text: &str, little: bool) -> Vec<u8> {
    std::iter::once('\u{FEFF}')
        .chain(text.chars())
        .flat_map(|c| {
            if little {
                u32::from(c).to_le_bytes()
            } else {
                u32::from(c).to_be_bytes()
            }
        })
        .collect()
}

/// Every fixture: file name, the UTF-8 original, its bytes, the encoding to be shown.
fn fixtures() -> Vec<(&'static str, &'static str, Vec<u8>, &'static str)> {
    vec![
        (
            "gbk.md",
            SIMPLIFIED,
            legacy(SIMPLIFIED, encoding_rs::GBK),
            "GBK",
        ),
        (
            "gb18030.md",
            SIMPLIFIED_BEYOND_GBK,
            legacy(SIMPLIFIED_BEYOND_GBK, encoding_rs::GB18030),
            "GB18030",
        ),
        (
            "big5.md",
            TRADITIONAL,
            legacy(TRADITIONAL, encoding_rs::BIG5),
            "Big5",
        ),
        (
            "sjis.md",
            JAPANESE,
            legacy(JAPANESE, encoding_rs::SHIFT_JIS),
            "Shift_JIS",
        ),
        (
            "eucjp.md",
            JAPANESE,
            legacy(JAPANESE, encoding_rs::EUC_JP),
            "EUC-JP",
        ),
        (
            "euckr.md",
            KOREAN,
            legacy(KOREAN, encoding_rs::EUC_KR),
            "EUC-KR",
        ),
        (
            "utf16le.md",
            MOSTLY_CJK,
            utf16(MOSTLY_CJK, true),
            "UTF-16LE",
        ),
        (
            "utf16be.md",
            MOSTLY_CJK,
            utf16(MOSTLY_CJK, false),
            "UTF-16BE",
        ),
        (
            "utf32le.md",
            TRADITIONAL,
            utf32_with_bom(TRADITIONAL, true),
            "UTF-32LE",
        ),
        (
            "utf32be.md",
            KOREAN,
            utf32_with_bom(KOREAN, false),
            "UTF-32BE",
        ),
    ]
}

fn print(path: &Path) -> String {
    let (out, err, code) = run(folio()
        .args(["print", "--width", "60", "--color", "never"])
        .arg(path));
    assert_eq!((code, err.as_str()), (0, ""), "print {}", path.display());
    out
}

/// The original's rendering with the note of `encoding` added to the card, as the
/// encoded file must print: after the reading time, in the padding of its row.
fn with_note(original: &str, encoding: &str) -> String {
    let note = format!(" ·\u{a0}{encoding}");
    let columns = unicode_width::UnicodeWidthStr::width(note.as_str());
    let mut noted = 0;
    let lines: Vec<String> = original
        .lines()
        .map(|line| match line.split_once(" min read") {
            Some((before, after)) if line.starts_with('│') => {
                noted += 1;
                let padding = after.strip_suffix('│').unwrap_or(after);
                let kept = padding.len().saturating_sub(columns);
                format!("{before} min read{note}{}│", &padding[..kept])
            }
            _ => line.to_string(),
        })
        .collect();
    assert_eq!(noted, 1, "one reading-time row in the card:\n{original}");
    lines.join("\n") + "\n"
}

/// The tested claim: an encoded post prints as its UTF-8 original, with the encoding
/// named in the card.
#[test]
fn every_encoding_prints_as_its_utf8_original_with_the_encoding_in_the_card() {
    let dir = tempfile::tempdir().expect("tempdir");
    for (name, original, bytes, shown) in fixtures() {
        let original_path = write_file(dir.path(), &format!("original-{name}"), original);
        let encoded_path = write_file(dir.path(), name, &bytes);
        assert!(
            std::str::from_utf8(&bytes).is_err(),
            "{name}: the fixture is not UTF-8"
        );
        if name.starts_with("utf16") {
            let ascii = original.chars().filter(char::is_ascii).count();
            assert!(ascii * 5 < original.chars().count(), "{name} is mostly CJK");
        }
        let expected = with_note(&print(&original_path), shown);
        assert_eq!(print(&encoded_path), expected, "{name} ({shown})");
    }
}

/// The same from stdin (`folio print -`).
#[test]
fn stdin_is_decoded_alike() {
    let dir = tempfile::tempdir().expect("tempdir");
    let original = write_file(dir.path(), "original.md", SIMPLIFIED);
    let (out, err, code) = common::run_with_stdin(
        folio().args(["print", "--width", "60", "--color", "never", "-"]),
        &legacy(SIMPLIFIED, encoding_rs::GBK),
    );
    assert_eq!((code, err.as_str()), (0, ""));
    assert_eq!(out, with_note(&print(&original), "GBK"));
}

/// A post with no front matter gets a card only to say its encoding; in UTF-8 it gets
/// none.
#[test]
fn a_post_without_front_matter_gets_a_card_for_its_encoding() {
    let dir = tempfile::tempdir().expect("tempdir");
    let body = "服务网格是一个基础设施层，用于处理服务间通信。云原生应用有着复杂的服务拓扑。\n";
    let plain = print(&write_file(dir.path(), "plain.md", body));
    assert!(!plain.contains('╭'), "{plain}");
    let encoded = print(&write_file(
        dir.path(),
        "gbk.md",
        legacy(body, encoding_rs::GBK),
    ));
    let (card, rest) = encoded.split_once("╯\n").expect("a card");
    assert!(card.contains("1 min read ·\u{a0}GBK"), "{card}");
    assert_eq!(rest.trim_start_matches('\n'), plain);
}

#[test]
fn the_list_names_the_encoding() {
    let dir = tempfile::tempdir().expect("tempdir");
    write_file(dir.path(), "utf8.md", SIMPLIFIED);
    for (name, _, bytes, _) in fixtures() {
        write_file(dir.path(), name, &bytes);
    }
    let (out, err, code) = run(folio().args(["list", "--json"]).arg(dir.path()));
    assert_eq!((code, err.as_str()), (0, ""));
    let posts: Vec<serde_json::Value> = serde_json::from_str(&out).expect("json");
    let find = |path: &str| {
        posts
            .iter()
            .find(|p| p["path"] == path)
            .unwrap_or_else(|| panic!("{path} in {out}"))
    };
    assert!(find("utf8.md")["encoding"].is_null());
    for (name, original, _, shown) in fixtures() {
        let post = find(name);
        assert_eq!(post["encoding"], shown, "{name}");
        let title = original
            .lines()
            .nth(1)
            .and_then(|l| l.strip_prefix("title: "));
        assert_eq!(post["title"].as_str(), title, "{name}");
        assert_eq!(post["warnings"], serde_json::json!([]), "{name}");
    }
    // The plain list shows it after the path.
    let (out, _, code) = run(folio().arg("list").arg(dir.path()));
    assert_eq!(code, 0);
    let line = out
        .lines()
        .find(|l| l.contains("  big5.md"))
        .expect("big5 line");
    assert!(line.ends_with("big5.md  [Big5]"), "{line}");
    let line = out
        .lines()
        .find(|l| l.contains("  utf8.md"))
        .expect("utf8 line");
    assert!(line.ends_with("utf8.md"), "{line}");
}

/// In the TUI: a badge in the list, the decoded text and the note in the reader.
#[test]
fn the_tui_shows_the_encoding_in_the_list_and_the_card() {
    let dir = tempfile::tempdir().expect("tempdir");
    write_file(dir.path(), "gbk.md", legacy(SIMPLIFIED, encoding_rs::GBK));
    let library = Library::scan(dir.path()).expect("scan");
    let mut app = App::new(library, "enc".into(), (80, 30));
    app.resize(80, 30);
    let list = screen(&app);
    let row = list
        .lines()
        .find(|l| l.contains("服务网格简介"))
        .unwrap_or_else(|| panic!("the title, decoded:\n{list}"));
    assert!(row.contains("服务网格简介 GBK"), "{row}");
    open(&mut app, "gbk.md");
    let reader = screen(&app);
    assert!(reader.contains("min read ·\u{a0}GBK"), "{reader}");
    assert!(reader.contains("为什么需要服务网格"), "{reader}");
    keys(&mut app, "q");
}

/// Binary data is still refused, whatever the guessing would make of it.
#[test]
fn binary_files_are_still_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\x01\0\0\0\x01\0\x08\x06\0\0\0\x5c\x72\xa8\x66";
    let mut state = 0x9E37_79B9_7F4A_7C15u64;
    let noise: Vec<u8> = (0..8192)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state >> 24) as u8
        })
        .collect();
    assert!(noise.contains(&0), "the noise has NULs");
    for (name, bytes) in [("image.md", png.to_vec()), ("noise.md", noise)] {
        let path = write_file(dir.path(), name, &bytes);
        let (out, err, code) = run(folio().arg("print").arg(&path));
        assert_eq!((code, out.as_str()), (1, ""), "{name}: {err}");
        assert!(
            err.contains("not a text file (binary content)"),
            "{name}: {err}"
        );
    }
    let (out, _, code) = run(folio().args(["list", "--json"]).arg(dir.path()));
    assert_eq!(code, 0);
    let posts: Vec<serde_json::Value> = serde_json::from_str(&out).expect("json");
    assert_eq!(posts.len(), 2);
    for post in posts {
        assert_eq!(
            post["warnings"],
            serde_json::json!(["binary file, not shown"])
        );
        assert!(post["encoding"].is_null(), "{post}");
    }
}

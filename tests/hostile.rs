//! Hostile inputs (../shared/HOSTILE.md, items 1–12 and the parser/renderer items that
//! the layout alone can show): each is generated here, written to a temporary
//! collection, and checked in the three places content can reach a terminal: the
//! layout, the TUI (list and reader, drawn into a TestBackend) and `folio print`.

use std::path::Path;

use folio::app::{App, View, update};
use folio::effects;
use folio::library::Library;
use folio::markdown::{self, LayoutOptions};

mod common;
use common::{
    assert_clean, assert_laid_fits, assert_screen_fits, draw_buffer, folio, laid_text, read_post,
    run,
};

struct Case {
    name: &'static str,
    bytes: Vec<u8>,
    /// Text that must be visible in the rendered output (markers, kept words).
    shows: &'static [&'static str],
}

fn post(title: &str, body: &str) -> Vec<u8> {
    format!("---\ntitle: {title:?}\n---\n\n{body}\n").into_bytes()
}

fn cases() -> Vec<Case> {
    vec![
        Case {
            name: "01-csi-in-body",
            bytes: post("csi", "a\x1b[2J\x1b[31mred"),
            shows: &["a␛[2J␛[31mred"],
        },
        Case {
            name: "02-osc-title",
            bytes: post("osc", "x\x1b]0;pwned\x07y"),
            shows: &["x␛]0;pwned␇y"],
        },
        Case {
            name: "03-osc52-clipboard",
            bytes: post("clip", "safe\x1b]52;c;cHduZWQ=\x07payload"),
            shows: &["safe␛]52;c;cHduZWQ=␇payload"],
        },
        Case {
            name: "04-osc8-spoof",
            bytes: post("osc8", "\x1b]8;;https://evil\x07click\x1b]8;;\x07"),
            shows: &["click"],
        },
        Case {
            name: "05-entity-controls",
            bytes: post(
                "entities",
                "&#27;[31mX &#x9b;31mY &#7; &#x202E;abc\n\n~~&**#27;**[31mFAKE~~",
            ),
            shows: &["␛[31mX", "31mY", "␇"],
        },
        Case {
            name: "06-link-dest-controls",
            bytes: post("links", "[x](<http://a&#7;b>) and [y](http://a&#27;]8;;b)"),
            shows: &["x and y"],
        },
        Case {
            name: "07-code-block-escapes",
            bytes: post("code", "```sh\necho \x1b[?1049h\x1b[?25l done\n```"),
            shows: &["␛[?1049h␛[?25l"],
        },
        Case {
            name: "08-c1-raw",
            bytes: {
                let mut b = post("c1", "a\u{85}b\u{9b}c\u{9d}d lone:");
                b.extend_from_slice(b"\x9b end\n");
                b
            },
            shows: &["lone:", "end"],
        },
        Case {
            name: "09-bidi-zero-width",
            bytes: post(
                "admin\u{202E}check",
                "admin\u{202E}check \u{2066}x\u{2069} \u{200E}\u{200F} zero\u{200B}width\u{FEFF}mid",
            ),
            shows: &["zerowidthmid"],
        },
        Case {
            name: "10-bare-cr",
            bytes: b"---\ntitle: cr\n---\nsafe\rEVIL\r\rnext paragraph\r".to_vec(),
            shows: &["safe", "EVIL", "next paragraph"],
        },
        Case {
            name: "11-yaml-escape-title",
            bytes: b"---\ntitle: \"\\e]0;x\\a\\N\\u202Etxt\"\n---\nbody\n".to_vec(),
            shows: &["␛]0;x␇"],
        },
        Case {
            name: "18-parser-crashers",
            // NUL would make the file binary (HOSTILE 34); the parser test below feeds
            // the exact crasher strings, NUL included.
            bytes: b"<!S\r:\n\n%\n:\xcc\x81\n\t:\n\n+\t[\x01]:d\n\x0b\n\n- [x]\t\t\n\\\n-".to_vec(),
            shows: &[],
        },
        Case {
            name: "19-renderer-states",
            bytes: post(
                "states",
                "| a | b |\n|---|---|\n| x<br>y | z |\n\n> - <div>html</div>\n>\n>   ```\n>   code\n>   ```\n\n- # heading in a list",
            ),
            shows: &["heading in a list", "code"],
        },
        Case {
            name: "20-malformed-tables",
            bytes: post(
                "tables",
                "|\n\n| a |\n|---|\n\n| a | b |\n|---|---|\n| 1 |\n| 1 | 2 | 3 |",
            ),
            shows: &[],
        },
        Case {
            name: "26-grapheme-zoo",
            bytes: post(
                "zoo",
                &format!(
                    "👩‍🔬 👨‍👩‍👧 🇨🇳 e\u{301} ❤️ 1️⃣ ｶﾞ a{}\n\n| 👩‍🔬 | 🇨🇳 |\n|---|---|\n| e\u{301} | ｶﾞ |",
                    "\u{301}".repeat(500)
                ),
            ),
            shows: &["👩‍🔬"],
        },
        Case {
            name: "27-cjk-wrap",
            bytes: post(
                "cjk",
                &format!(
                    "{}\n\n| 引号 | 省略 |\n|---|---|\n| “引号” | ……—— |",
                    "开源社区的发展离不开每一位贡献者，他们的付出让项目不断前进。".repeat(100)
                ),
            ),
            shows: &["开源社区"],
        },
    ]
}

fn write_collection(cases: &[Case]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    for case in cases {
        std::fs::write(dir.path().join(format!("{}.md", case.name)), &case.bytes).expect("write");
    }
    dir
}

fn layout_text(path: &Path, width: usize) -> String {
    let (meta, body) = read_post(path);
    let laid = markdown::layout(
        &markdown::parse(&body),
        &LayoutOptions {
            width,
            meta: Some(meta),
            ..LayoutOptions::default()
        },
    );
    assert_laid_fits(&laid, width, &path.display().to_string());
    laid_text(&laid)
}

#[test]
fn parser_crashers_render_without_panic() {
    for input in [
        "<!S\r:",
        "%\n:\u{301}\n\t:",
        "+\t[\u{0}]:d\n\u{b}",
        "- [x]\t\t\n\\\n-",
    ] {
        let laid = markdown::layout(
            &markdown::parse(input),
            &LayoutOptions {
                width: 10,
                ..LayoutOptions::default()
            },
        );
        let text: String = laid.lines.iter().map(|l| l.plain_text()).collect();
        assert_clean(&text, input);
    }
}

#[test]
fn layout_shows_markers_and_never_a_control_character() {
    let cases = cases();
    let dir = write_collection(&cases);
    for case in &cases {
        let path = dir.path().join(format!("{}.md", case.name));
        for width in [1, 20, 41, 80] {
            let out = layout_text(&path, width);
            assert_clean(&out, case.name);
        }
        let wide = layout_text(&path, 200);
        for shown in case.shows {
            assert!(
                wide.contains(shown),
                "{}: {shown:?} not in\n{wide}",
                case.name
            );
        }
    }
}

/// Only SGR sequences (`ESC [ … m`) may appear in styled output; nothing else.
fn assert_only_sgr(out: &str, what: &str) {
    let mut rest = out;
    while let Some(at) = rest.find('\u{1b}') {
        let seq = &rest[at..];
        let end = seq
            .char_indices()
            .skip(1)
            .find(|(_, c)| !(c.is_ascii_digit() || *c == ';' || *c == '['));
        match end {
            Some((i, 'm')) if seq.as_bytes().get(1) == Some(&b'[') => rest = &seq[i + 1..],
            _ => panic!(
                "{what}: non-SGR escape {:?}",
                seq.chars().take(12).collect::<String>()
            ),
        }
    }
    let stripped: String = {
        let mut s = String::new();
        let mut chars = out.chars();
        while let Some(c) = chars.next() {
            if c == '\u{1b}' {
                for d in chars.by_ref() {
                    if d == 'm' {
                        break;
                    }
                }
            } else {
                s.push(c);
            }
        }
        s
    };
    assert_clean(&stripped, what);
}

#[test]
fn print_mode_emits_only_content_and_sgr() {
    let cases = cases();
    let dir = write_collection(&cases);
    for case in &cases {
        let path = dir.path().join(format!("{}.md", case.name));
        for color in ["never", "always"] {
            let (text, err, code) = run(folio()
                .args(["print", "--width", "60", "--color", color])
                .arg(&path));
            assert_eq!(code, 0, "{}: {err}", case.name);
            assert_only_sgr(&text, case.name);
        }
    }
}

#[test]
fn tui_list_and_reader_draw_no_control_characters() {
    let cases = cases();
    let dir = write_collection(&cases);
    let library = Library::scan(dir.path()).expect("scan");
    assert_eq!(
        library.posts().len(),
        cases.len(),
        "every hostile post is listed"
    );
    for (width, height) in [(80u16, 24u16), (20, 6), (1, 1), (3, 3)] {
        let mut app = App::new(
            library.clone(),
            dir.path().display().to_string(),
            (width, height),
        );
        app.resize(width, height);
        assert_screen_safe(&app, "list");
        for index in 0..app.library.posts().len() {
            app.selected = Some(app.library.posts()[index].id.clone());
            if let Some(effect) = update(&mut app, folio::app::Action::Open) {
                effects::perform(&mut app, effect);
            }
            assert_eq!(app.view, View::Reader, "post {index} opens");
            assert_screen_safe(
                &app,
                &app.library.posts()[index].rel_path.display().to_string(),
            );
            update(&mut app, folio::app::Action::Back);
        }
    }
}

fn assert_screen_safe(app: &App, what: &str) {
    assert_screen_fits(&draw_buffer(app), what);
}

/// HOSTILE 13–17, 21–23: pathological structure. These must not overflow the stack or
/// blow up; their speed is measured by `cargo bench --bench render`, not asserted here.
#[test]
fn pathological_structure_is_capped_not_fatal() {
    let inputs: Vec<(&str, String)> = vec![
        ("deep-quote", format!("{} x", ">".repeat(100_000))),
        ("deep-list", format!("{}x", "- ".repeat(50_000))),
        ("link-openers", "[a](<b".repeat(50_000)),
        ("emphasis-runs", "a***".repeat(80_000)),
        ("star-list", format!("{}a", "* ".repeat(80_000))),
        ("bracket-mix", "[*_a".repeat(200_000)),
        ("backticks", "`".repeat(100_000)),
        (
            "linkref-amplify",
            format!("[x]: {}\n{}", "x".repeat(10_000), "[x]".repeat(10_000)),
        ),
        (
            "footnote-heavy",
            format!("<div>\n{}", "[^a]: b\n".repeat(5_000)),
        ),
        ("table-blowup", {
            let row = format!("|{}\n", "a|".repeat(1000));
            let sep = format!("|{}\n", "-|".repeat(1000));
            format!("{row}{sep}{}", row.repeat(1000))
        }),
        (
            "hl-long-line",
            format!("```json\n{}\n```", "[1,".repeat(300_000)),
        ),
        (
            "hl-nesting",
            format!("```json\n{}\n```", "[".repeat(100_000)),
        ),
        (
            "odd-info",
            format!("```{}\nx\n```\n```\u{1b}[31m\ny\n```", "r".repeat(10_000)),
        ),
    ];
    for (name, input) in inputs {
        let doc = markdown::parse(&input);
        let laid = markdown::layout(
            &doc,
            &LayoutOptions {
                width: 80,
                ..LayoutOptions::default()
            },
        );
        assert_laid_fits(&laid, 80, name);
        let total: usize = laid.lines.iter().map(|l| l.plain_text().len()).sum();
        // Output stays proportional to the input (no amplification).
        assert!(
            total <= input.len() * 8 + 10_000,
            "{name}: {total} bytes out of {}",
            input.len()
        );
    }
}

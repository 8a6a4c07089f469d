//! A theme attribute set to `false` turns it off in what `folio print` writes, as a user
//! sees it: a theme file on disk, `--theme` naming it, SGR on stdout.
//!
//! `folio()` and `run()` are the few lines every CLI test file has (tests/common is being
//! reshaped elsewhere, so they are copied here rather than shared).

use std::process::{Command, Output, Stdio};

fn folio() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_folio"));
    // Keep the user's config out of the tests.
    let config = std::env::temp_dir().join("folio-test-no-config");
    cmd.env("FOLIO_CONFIG_DIR", config).env_remove("NO_COLOR");
    cmd
}

fn run(cmd: &mut Command) -> (String, String, i32) {
    let Output {
        stdout,
        stderr,
        status,
    } = cmd.stdin(Stdio::null()).output().expect("run folio");
    (
        String::from_utf8(stdout).expect("utf-8 stdout"),
        String::from_utf8_lossy(&stderr).into_owned(),
        status.code().unwrap_or(-1),
    )
}

/// The SGR attributes (not colours) in effect on the text of `line` that contains
/// `needle`: the numbers of the last SGR before it, with colour arguments skipped (a
/// reset is `0`).
fn attributes_at(line: &str, needle: &str) -> Vec<u32> {
    let at = line.find(needle).expect("needle on the line");
    let Some(start) = line[..at].rfind("\u{1b}[") else {
        return Vec::new();
    };
    let (params, _) = line[start + 2..at].split_once('m').expect("a whole SGR");
    let numbers: Vec<u32> = params
        .split(';')
        .map(|n| n.parse().expect("SGR number"))
        .collect();
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(&n) = numbers.get(i) {
        i += match n {
            38 | 48 if numbers.get(i + 1) == Some(&2) => 5,
            38 | 48 => 3,
            _ => {
                out.push(n);
                1
            }
        };
    }
    out
}

fn print_line(theme: Option<&std::path::Path>, post: &std::path::Path, needle: &str) -> String {
    let mut cmd = folio();
    // 24-bit, so the theme's colour is printed as written.
    cmd.args(["print", "--color", "always"])
        .env("COLORTERM", "truecolor");
    if let Some(theme) = theme {
        cmd.arg("--theme").arg(theme);
    }
    let (out, err, code) = run(cmd.arg(post));
    assert_eq!(code, 0, "{err}");
    out.lines()
        .find(|line| line.contains(needle))
        .unwrap_or_else(|| panic!("{needle:?} not printed:\n{out}"))
        .to_string()
}

#[test]
fn bold_false_in_a_theme_file_prints_the_heading_without_bold() {
    let dir = tempfile::tempdir().expect("tempdir");
    let post = dir.path().join("post.md");
    std::fs::write(&post, "Intro.\n\n### Third level\n\nBody.\n").expect("write post");
    let theme = dir.path().join("light-h3.yaml");
    std::fs::write(
        &theme,
        "extends: dark\nmarkdown:\n  h3: { fg: \"#d08770\", bold: false }\n",
    )
    .expect("write theme");

    // The built-in dark prints this heading bold, so the check below can tell.
    let dark = print_line(None, &post, "Third level");
    assert!(attributes_at(&dark, "Third level").contains(&1), "{dark:?}");

    let mine = print_line(Some(&theme), &post, "Third level");
    assert!(
        mine.contains("38;2;208;135;112"),
        "the theme's colour: {mine:?}"
    );
    assert!(
        !attributes_at(&mine, "Third level").contains(&1),
        "no SGR 1 on the heading: {mine:?}"
    );
}

#[test]
fn each_attribute_false_is_off_in_print() {
    let dir = tempfile::tempdir().expect("tempdir");
    let post = dir.path().join("post.md");
    std::fs::write(&post, "### A **loud** word\n").expect("write post");
    let theme = dir.path().join("quiet-strong.yaml");
    std::fs::write(
        &theme,
        "extends: dark\nmarkdown:\n  \
         h3: { bold: true, italic: true, underline: true, dim: true, reversed: true, strikethrough: true }\n  \
         strong: { bold: false, italic: false, underline: false, dim: false, reversed: false, strikethrough: false }\n",
    )
    .expect("write theme");
    let line = print_line(Some(&theme), &post, "loud");
    let heading = attributes_at(&line, "A ");
    let strong = attributes_at(&line, "loud");
    for (code, name) in [
        (1, "bold"),
        (2, "dim"),
        (3, "italic"),
        (4, "underline"),
        (7, "reversed"),
        (9, "strikethrough"),
    ] {
        assert!(heading.contains(&code), "{name} on the heading: {line:?}");
        assert!(!strong.contains(&code), "{name} off on strong: {line:?}");
    }
}

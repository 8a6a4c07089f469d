//! `folio themes`, `folio config` and `--theme` as a user runs them: the real binary,
//! with `FOLIO_CONFIG_DIR` pointing at a fresh folder so no real config is touched.

mod common;
use common::{
    BUILT_IN_THEMES, assert_one_clear_line, folio_with_config as folio, run, sample_dir,
    sample_post,
};

fn tour() -> std::path::PathBuf {
    sample_post("markdown-tour")
}

#[test]
fn themes_lists_built_ins_and_user_themes_with_a_sample_each() {
    let dir = tempfile::tempdir().expect("tempdir");
    let themes = dir.path().join("themes");
    std::fs::create_dir(&themes).expect("mkdir");
    std::fs::write(
        themes.join("mine.yaml"),
        "extends: nord\ndescription: my nord\nmarkdown: { h1: red }\n",
    )
    .expect("write");
    std::fs::write(themes.join("broken.yaml"), "markdown:\n  h9: red\n").expect("write");
    let (out, err, code) = run(folio(dir.path()).arg("themes"));
    assert_eq!(code, 0, "{err}");
    assert!(!out.contains('\u{1b}'), "plain when piped: {out}");
    for name in BUILT_IN_THEMES.iter().chain(&["mine"]) {
        assert!(
            out.lines().any(|l| l[2..].starts_with(name)),
            "{name} missing:\n{out}"
        );
    }
    assert!(
        out.contains("* dark"),
        "the current theme is marked:\n{out}"
    );
    assert!(out.contains("my nord"), "{out}");
    assert_eq!(
        out.matches("Heading").count(),
        BUILT_IN_THEMES.len() + 1,
        "{out}"
    );
    let broken = themes.join("broken.yaml");
    assert!(
        out.contains(&format!("✗ {}:2: ", broken.display())),
        "broken theme shows its error:\n{out}"
    );

    let (out, _, _) = run(folio(dir.path()).args(["themes", "--theme", "mine"]));
    assert!(out.contains("* mine"), "{out}");
}

#[test]
fn theme_is_accepted_on_every_command_and_bad_ones_exit_1() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (plain, err, code) = run(folio(dir.path()).arg("print").arg(tour()));
    assert_eq!(code, 0, "{err}");
    for args in [
        vec!["--theme", "nord", "print"],
        vec!["print", "--theme", "solarized-light"],
        vec!["--theme", "auto", "print"],
    ] {
        let (out, err, code) = run(folio(dir.path()).args(&args).arg(tour()));
        assert_eq!(code, 0, "{args:?}: {err}");
        assert_eq!(out, plain, "piped output is plain text whatever the theme");
    }
    for args in [
        vec!["list", "--theme", "dracula"],
        vec!["tags", "--theme", "dracula"],
    ] {
        let (_, err, code) = run(folio(dir.path()).args(&args));
        assert_eq!(code, 0, "{args:?}: {err}");
    }

    let (_, err, code) = run(folio(dir.path())
        .args(["--theme", "nosuch", "print"])
        .arg(tour()));
    assert_eq!(code, 1);
    assert!(err.contains("no theme named `nosuch`"), "{err}");
    assert!(
        err.contains("dracula"),
        "the message lists the themes: {err}"
    );

    let bad = dir.path().join("bad.yaml");
    std::fs::write(
        &bad,
        "description: bad\nmarkdown:\n  link: { fg: blurple }\n",
    )
    .expect("write");
    let (_, err, code) = run(folio(dir.path())
        .arg("--theme")
        .arg(&bad)
        .arg("print")
        .arg(tour()));
    assert_eq!(code, 1);
    assert_one_clear_line(&err, "a bad theme file");
    assert!(
        err.contains(&format!(
            "{}:3: markdown.link.fg: unknown colour \"blurple\"",
            bad.display()
        )),
        "{err}"
    );
}

#[test]
fn config_path_and_init() {
    let dir = tempfile::tempdir().expect("tempdir");
    let config_dir = dir.path().join("folio-config");
    let expected = config_dir.join("config.yaml");
    let (out, err, code) = run(folio(&config_dir).args(["config", "--path"]));
    assert_eq!(code, 0, "{err}");
    assert_eq!(out.trim_end(), expected.display().to_string());
    assert!(!expected.exists(), "--path creates nothing");

    let (out, err, code) = run(folio(&config_dir).args(["config", "--init"]));
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("wrote"), "{out}");
    let written = std::fs::read_to_string(&expected).expect("written");
    assert!(written.contains("# theme:"), "{written}");
    // The commented default is a valid config: folio starts with it.
    let (_, err, code) = run(folio(&config_dir).arg("list"));
    assert_eq!(code, 0, "{err}");

    std::fs::write(&expected, "theme: nord\n").expect("edit");
    let (out, _, code) = run(folio(&config_dir).args(["config", "--init"]));
    assert_eq!(code, 0);
    assert!(out.contains("already exists"), "{out}");
    assert_eq!(
        std::fs::read_to_string(&expected).expect("read"),
        "theme: nord\n",
        "never overwritten"
    );
    let (_, _, code) = run(folio(&config_dir).arg("config"));
    assert_eq!(code, 2, "a flag is required");
}

#[test]
fn a_bad_config_stops_command_line_use_with_file_and_line() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("config.yaml");
    for (text, line, needle) in [
        ("theme: nord\nwdith: 80\n", 2, "unknown field `wdith`"),
        (
            "keys:\n  reader:\n    j: scrol-down\n",
            3,
            "keys.reader.j: unknown action `scrol-down`",
        ),
        ("theme: nosuch\n", 0, "no theme named `nosuch`"),
    ] {
        std::fs::write(&path, text).expect("write");
        let (_, err, code) = run(folio(dir.path()).arg("list"));
        assert_eq!(code, 1, "{text:?}");
        assert_one_clear_line(&err, text);
        if line > 0 {
            assert!(
                err.contains(&format!("{}:{line}: ", path.display())),
                "{err}"
            );
        }
        assert!(err.contains(needle), "{err}");
    }
    // `config --path` still works, so the file can be found and fixed.
    let (out, _, code) = run(folio(dir.path()).args(["config", "--path"]));
    assert_eq!(code, 0);
    assert!(out.contains("config.yaml"));
}

#[test]
fn the_configured_collection_and_drafts_setting_apply_to_list() {
    let dir = tempfile::tempdir().expect("tempdir");
    let samples = sample_dir();
    let config = |extra: &str| {
        std::fs::write(
            dir.path().join("config.yaml"),
            format!("collection: '{}'\n{extra}", samples.display()),
        )
        .expect("write");
        let (out, err, code) = run(folio(dir.path()).arg("list"));
        assert_eq!(code, 0, "{err}");
        out
    };
    let all = config("");
    assert!(all.contains("[draft]"), "{all}");
    let published = config("show_drafts: false\n");
    assert!(!published.contains("[draft]"), "{published}");
    assert_eq!(published.lines().count() + 1, all.lines().count());
}

/// Display width as a terminal set up for CJK draws it: ambiguous characters two wide.
fn cjk_width(line: &str) -> usize {
    use unicode_width::UnicodeWidthStr;
    line.width_cjk()
}

#[test]
fn ambiguous_width_two_keeps_every_line_within_the_width() {
    let dir = tempfile::tempdir().expect("tempdir");
    let fixtures = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/render");
    for name in [
        "tables.md",
        "quotes-and-alerts.md",
        "shortcodes.md",
        "html-tables.md",
    ] {
        let post = fixtures.join(name);
        for width in [20, 33, 47, 80, 120] {
            let (out, err, code) = run(folio(dir.path())
                .args([
                    "print",
                    "--color",
                    "never",
                    "--ambiguous-width",
                    "2",
                    "--width",
                ])
                .arg(width.to_string())
                .arg(&post));
            assert_eq!(code, 0, "{err}");
            for line in out.lines() {
                assert!(
                    cjk_width(line) <= width,
                    "{name} at {width}: {} wide: {line:?}",
                    cjk_width(line)
                );
            }
        }
    }
    // The same through the config file; and without it, frames use box drawing.
    std::fs::write(dir.path().join("config.yaml"), "ambiguous_width: 2\n").expect("write");
    let post = fixtures.join("tables.md");
    let (ascii, err, code) = run(folio(dir.path())
        .args(["print", "--color", "never"])
        .arg(&post));
    assert_eq!(code, 0, "{err}");
    assert!(!ascii.contains('│') && ascii.contains('|'), "{ascii}");
    let (boxed, _, _) = run(folio(dir.path())
        .args(["print", "--color", "never", "--ambiguous-width", "1"])
        .arg(&post));
    assert!(boxed.contains('│'), "{boxed}");
}

#[test]
fn ambiguous_width_other_than_one_or_two_is_refused_clearly() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("config.yaml"), "ambiguous_width: 3\n").expect("write");
    let (_, err, code) = run(folio(dir.path()).args(["print"]).arg(tour()));
    assert_ne!(code, 0);
    assert!(err.contains("ambiguous_width is 1 or 2"), "{err}");
    let (_, err, code) = run(folio(dir.path())
        .args(["print", "--ambiguous-width", "0"])
        .arg(tour()));
    assert_eq!(code, 2, "{err}");
}

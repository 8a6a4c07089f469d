//! The command line as a user runs it: the real binary, its stdout and exit codes.

mod common;
use common::{
    assert_fits, folio, folio_with_config, run, run_with_stdin, sample_dir, sample_post, shared,
    write_file,
};

fn seed() -> std::path::PathBuf {
    sample_post("istio-4th-anniversary")
}

#[test]
fn print_seed_at_40_and_80_is_plain_and_fits() {
    for width in [40, 80] {
        let (out, err, code) = run(folio()
            .args(["print", "--width", &width.to_string()])
            .arg(seed()));
        assert_eq!(code, 0, "{err}");
        assert!(
            !out.contains('\u{1b}'),
            "no SGR when stdout is not a terminal"
        );
        assert_fits(&out, width, "print");
        assert!(out.contains("Istio 开源四周年回顾与展望"));
        assert!(
            !out.contains("avatar:"),
            "front matter must not show as raw YAML"
        );
        insta::assert_snapshot!(format!("print_seed_{width}"), out);
    }
}

#[test]
fn the_seed_txt_opens_directly_and_prints_when_piped() {
    let Some(txt) = shared("seeds/000_f39428bf0b3ddd2e.txt") else {
        return;
    };
    let (out, err, code) = run(folio().arg(&txt));
    assert_eq!(code, 0, "{err}");
    // Into a pipe with no COLUMNS: the config's width, 100 by default.
    assert_fits(&out, 100, "folio FILE");
    let (via_print, _, _) = run(folio().arg("print").arg(&txt));
    assert_eq!(out, via_print);
}

/// Into a pipe, print's width is `--width`, then `COLUMNS`, then the config's `width`
/// (0: none), then 80; each step shown by the widest row of a long CJK paragraph,
/// which fills every row to within a column of the width.
#[test]
fn piped_width_is_the_flag_then_columns_then_the_config_then_80() {
    let dir = tempfile::tempdir().expect("tempdir");
    let post = write_file(
        dir.path(),
        "long.md",
        "开源社区的发展离不开每一位贡献者。".repeat(40),
    );
    let config_dir = dir.path().join("config");
    let widest = |config: &str, columns: Option<&str>, flag: Option<&str>| {
        write_file(&config_dir, "config.yaml", config);
        let mut command = folio_with_config(&config_dir);
        command.arg("print").arg(&post);
        if let Some(columns) = columns {
            command.env("COLUMNS", columns);
        }
        if let Some(flag) = flag {
            command.args(["--width", flag]);
        }
        let (out, err, code) = run(&mut command);
        assert_eq!(code, 0, "{err}");
        let widths = out.lines().map(unicode_width::UnicodeWidthStr::width);
        widths.max().unwrap_or(0)
    };
    let near = |width: usize| (width - 1)..=width;
    assert!(near(44).contains(&widest("width: 60\n", Some("50"), Some("44"))));
    assert!(near(50).contains(&widest("width: 60\n", Some("50"), None)));
    assert!(near(60).contains(&widest("width: 60\n", Some("zero"), None)));
    assert!(near(60).contains(&widest("width: 60\n", None, None)));
    // A config that does not set a width has nothing to say about a pipe: 80.
    assert!(near(80).contains(&widest("", None, None)));
    assert!(near(80).contains(&widest("theme: nord\n", None, None)));
    assert!(near(80).contains(&widest("width: 0\n", None, None)));
}

/// A width past 1000 columns, from `--width`, `COLUMNS` or the config, is 1000 with a
/// note on stderr: `--width 18446744073709551615` panicked (capacity overflow) and
/// `--width 4294967295` took gigabytes.
#[test]
fn a_width_out_of_range_is_clamped_to_1000_with_a_note() {
    let dir = tempfile::tempdir().expect("tempdir");
    let post = write_file(
        dir.path(),
        "long.md",
        "开源社区的发展离不开每一位贡献者。".repeat(100),
    );
    let config_dir = dir.path().join("config");
    let huge = "18446744073709551615";
    let runs: [(&str, Option<&str>, Option<&str>); 4] = [
        ("", None, Some(huge)),
        ("", None, Some("4294967295")),
        ("", Some(huge), None),
        ("width: 18446744073709551615\n", None, None),
    ];
    for (config, columns, flag) in runs {
        write_file(&config_dir, "config.yaml", config);
        let mut command = folio_with_config(&config_dir);
        command.arg("print").arg(&post);
        if let Some(columns) = columns {
            command.env("COLUMNS", columns);
        }
        if let Some(flag) = flag {
            command.args(["--width", flag]);
        }
        let what = format!("{config:?} {columns:?} {flag:?}");
        let (out, err, code) = run(&mut command);
        assert_eq!(code, 0, "{what}: {err}");
        let asked = flag.unwrap_or(huge);
        assert_eq!(
            err,
            format!(
                "folio: warning: a width of {asked} columns is more than folio lays out; using 1000\n"
            ),
            "{what}"
        );
        let widest = out.lines().map(unicode_width::UnicodeWidthStr::width).max();
        assert_eq!(widest, Some(1000), "{what}");
    }
    // Past what a number can hold is no width at all: a usage error.
    let (_, err, code) = run(folio()
        .args(["print", "--width", "18446744073709551616"])
        .arg(&post));
    assert_eq!(code, 2, "{err}");
}

/// A post whose front matter does not parse still prints, with the warning `folio list`
/// shows for it on stderr, once, and exit 0.
#[test]
fn print_warns_of_front_matter_as_list_does() {
    let dir = tempfile::tempdir().expect("tempdir");
    let post = write_file(
        dir.path(),
        "bad.md",
        "---\ntitle: [oops\ndate: x\n---\n\nThe body.\n",
    );
    let (listed, _, code) = run(folio().arg("list").arg(dir.path()));
    assert_eq!(code, 0);
    let (_, warning) = listed.trim_end().split_once("  ⚠ ").expect("list warns");
    for args in [vec!["print"], vec![]] {
        let (out, err, code) = run(folio().args(&args).arg(&post));
        assert_eq!(code, 0, "{args:?}: {err}");
        assert!(out.contains("The body."), "{out}");
        assert_eq!(
            err,
            format!("folio: warning: {}: {warning}\n", post.display()),
            "{args:?}"
        );
    }
}

#[test]
fn print_reads_stdin() {
    let (out, err, code) = run_with_stdin(
        folio().args(["print", "-", "--width", "30"]),
        "---\ntitle: 从标准输入\n---\n\n正文 **粗体** text\n".as_bytes(),
    );
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("从标准输入") && out.contains("粗体"), "{out}");
    assert_fits(&out, 30, "print -");
}

#[test]
fn list_is_newest_first_and_filters_by_tag_case_insensitively() {
    let samples = sample_dir();
    let (out, err, code) = run(folio().arg("list").arg(&samples));
    assert_eq!(code, 0, "{err}");
    let dates: Vec<&str> = out
        .lines()
        .map(|l| &l[..10])
        .filter(|d| !d.starts_with('-'))
        .collect();
    assert!(dates.len() >= 7, "{out}");
    assert!(
        dates.windows(2).all(|w| w[0] >= w[1]),
        "not newest first:\n{out}"
    );

    let (json, _, code) = run(folio().args(["list", "--json"]).arg(&samples));
    assert_eq!(code, 0);
    let array: serde_json::Value = serde_json::from_str(&json).expect("valid JSON");
    let posts = array.as_array().expect("array");
    assert_eq!(posts.len(), out.lines().count());
    assert!(
        posts
            .iter()
            .all(|p| p["title"].as_str().is_some_and(|t| !t.is_empty()))
    );

    let (istio, _, _) = run(folio().args(["list", "--tag", "ISTIO"]).arg(&samples));
    assert!(istio.contains("Istio 开源四周年回顾与展望"), "{istio}");
    assert!(istio.lines().count() < out.lines().count());
    assert!(
        istio.lines().all(|l| l.to_lowercase().contains("#istio")),
        "{istio}"
    );
}

#[test]
fn tags_counts_posts() {
    let samples = sample_dir();
    let (json, err, code) = run(folio().args(["tags", "--json"]).arg(&samples));
    assert_eq!(code, 0, "{err}");
    let tags: Vec<serde_json::Value> = serde_json::from_str(&json).expect("valid JSON");
    let istio = tags
        .iter()
        .find(|t| {
            t["name"]
                .as_str()
                .is_some_and(|n| n.eq_ignore_ascii_case("istio"))
        })
        .expect("istio tag");
    let (listed, _, _) = run(folio().args(["list", "--tag", "istio"]).arg(&samples));
    assert_eq!(istio["count"].as_u64(), Some(listed.lines().count() as u64));
    let counts: Vec<u64> = tags.iter().filter_map(|t| t["count"].as_u64()).collect();
    assert!(
        counts.windows(2).all(|w| w[0] >= w[1]),
        "sorted by count: {counts:?}"
    );
}

#[test]
fn no_path_uses_the_bundled_samples() {
    let (bundled, err, code) = run(folio().arg("list"));
    assert_eq!(code, 0, "{err}");
    let (on_disk, _, _) = run(folio().arg("list").arg(sample_dir()));
    let titles = |s: &str| {
        s.lines()
            .map(|l| l.split("  ").nth(1).unwrap_or("").to_string())
            .collect::<Vec<_>>()
    };
    assert_eq!(titles(&bundled), titles(&on_disk));
}

#[test]
fn config_collection_is_used_when_no_path_is_given() {
    let config = tempfile::tempdir().expect("tempdir");
    let posts = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        posts.path().join("only.md"),
        "---\ntitle: Only post\n---\nbody\n",
    )
    .expect("write");
    std::fs::write(
        config.path().join("config.yaml"),
        format!("collection: {}\n", posts.path().display()),
    )
    .expect("write");
    let (out, err, code) = run(folio().env("FOLIO_CONFIG_DIR", config.path()).arg("list"));
    assert_eq!(code, 0, "{err}");
    assert_eq!(out.lines().count(), 1);
    assert!(out.contains("Only post"));
}

/// Bytes a terminal would act on in UTF-8 text: C0 controls but the newline, DEL, C1
/// controls (`C2 80`–`C2 9F`), and U+200E/F, U+202A–U+202E, U+2028/9 (`E2 80 ..`).
fn raw_terminal_bytes(bytes: &[u8]) -> Option<usize> {
    bytes.iter().enumerate().position(|(i, &b)| {
        let at = |k: usize| bytes.get(i + k).copied().unwrap_or(0);
        (b < 0x20 && b != b'\n')
            || b == 0x7f
            || (b == 0xc2 && (0x80..=0x9f).contains(&at(1)))
            || (b == 0xe2 && at(1) == 0x80 && matches!(at(2), 0x8e | 0x8f | 0xa8..=0xae))
    })
}

/// `list --json` and `tags --json` escape what a terminal would act on (C1 controls,
/// bidi controls, line separators) as `\uXXXX`: the JSON reads back the same.
#[test]
fn json_is_valid_and_inert_on_a_terminal() {
    let dir = tempfile::tempdir().expect("tempdir");
    let hostile = "a\u{9b}2J b\u{85}c \u{202e}drow \u{2028}line\u{2029}para \u{1b}[31m";
    // YAML double quotes take these as escapes and give the characters above.
    let yaml = "a\\u009b2J b\\u0085c \\u202edrow \\u2028line\\u2029para \\e[31m";
    write_file(
        dir.path(),
        "p.md",
        format!("---\ntitle: x\ndescription: \"{yaml}\"\ntags: [\"{yaml}\"]\n---\nbody\n"),
    );
    for args in [["list", "--json"], ["tags", "--json"]] {
        let output = folio()
            .args(args)
            .arg(dir.path())
            .output()
            .expect("run folio");
        assert!(output.status.success(), "{args:?}");
        let bytes = output.stdout;
        let raw = raw_terminal_bytes(&bytes);
        assert_eq!(raw, None, "{args:?}: {:?}", String::from_utf8_lossy(&bytes));
        let text = String::from_utf8(bytes).expect("utf-8");
        assert!(
            text.contains("\\u009b") && text.contains("\\u202e"),
            "{text}"
        );
        let json: serde_json::Value = serde_json::from_str(&text).expect("valid JSON");
        let tag = if args[0] == "list" {
            assert_eq!(json[0]["description"], hostile);
            &json[0]["tags"][0]
        } else {
            &json[0]["name"]
        };
        assert_eq!(tag, hostile, "{args:?}");
    }
}

#[test]
fn hostile_text_never_reaches_stdout_as_control_codes() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("evil.md");
    std::fs::write(
        &path,
        "---\ntitle: \"\\e]0;pwned\\a\"\n---\n\na\x1b[2J\x1b[31mred x\x1b]0;pwned\x07y &#27;[31mX admin\u{202E}check\n",
    )
    .expect("write");
    let (out, err, code) = run(folio().arg("print").arg(&path));
    assert_eq!(code, 0, "{err}");
    assert!(
        !out.contains('\u{1b}') && !out.contains('\u{7}') && !out.contains('\u{202E}'),
        "{out:?}"
    );
    let (list, _, _) = run(folio().arg("list").arg(dir.path()));
    assert!(
        !list.contains('\u{1b}') && !list.contains('\u{7}'),
        "{list:?}"
    );
}

#[test]
fn color_always_styles_a_pipe_and_no_color_keeps_only_modifiers() {
    let post = sample_post("markdown-tour");
    let (styled, _, code) = run(folio().args(["print", "--color", "always"]).arg(&post));
    assert_eq!(code, 0);
    assert!(styled.contains("\u{1b}["), "--color always must emit SGR");
    assert!(has_colour(&styled), "colours expected");
    let (no_color, _, _) = run(folio()
        .args(["print", "--color", "always"])
        .arg(&post)
        .env("NO_COLOR", "1"));
    assert!(no_color.contains("\u{1b}[1m"), "bold survives NO_COLOR");
    assert!(!has_colour(&no_color), "no colour with NO_COLOR");
    let (never, _, _) = run(folio().args(["print", "--color", "never"]).arg(&post));
    assert!(!never.contains('\u{1b}'));
}

#[test]
fn printed_links_are_numbered_and_listed_at_the_end() {
    let dir = tempfile::tempdir().expect("tempdir");
    let post = dir.path().join("p.md");
    std::fs::write(
        &post,
        "See [Hugo](https://gohugo.io) and [Hugo again](https://gohugo.io), \
         <https://example.com>, [mail](mailto:a@b.c) and [top](#top).\n",
    )
    .expect("write");
    let (out, err, code) = run(folio().args(["print", "--width", "60"]).arg(&post));
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("Hugo[1]"), "{out}");
    assert!(out.contains("Hugo again[1]"), "one number per URL: {out}");
    assert!(out.contains("mail[2]"), "{out}");
    assert!(!out.contains("top["), "anchors get no reference: {out}");
    assert!(
        !out.contains("example.com["),
        "autolinks show their URL already: {out}"
    );
    let tail: Vec<&str> = out.lines().rev().take(2).collect();
    assert_eq!(tail, ["[2] mailto:a@b.c", "[1] https://gohugo.io"]);
}

/// Whether any SGR sequence sets a colour (16, 256 or 24-bit; foreground or background).
fn has_colour(out: &str) -> bool {
    out.split('\u{1b}').skip(1).any(|seq| {
        let Some(params) = seq.strip_prefix('[').and_then(|s| s.split('m').next()) else {
            return false;
        };
        params.split(';').any(|p| {
            matches!(
                p.parse::<u16>(),
                Ok(30..=38 | 40..=48 | 90..=97 | 100..=107)
            )
        })
    })
}

/// Completions and the man page come from the binary whatever the config holds (they
/// are how a user finds out how to fix it).
#[test]
fn completions_and_man_page_whatever_the_config() {
    let dir = tempfile::tempdir().expect("tempdir");
    write_file(dir.path(), "config.yaml", "wdith: 80\n");
    let commands = [
        "print",
        "list",
        "tags",
        "themes",
        "config",
        "completions",
        "man",
    ];
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let (out, err, code) = run(folio_with_config(dir.path()).args(["completions", shell]));
        assert_eq!(code, 0, "{shell}: {err}");
        for command in commands {
            assert!(out.contains(command), "{shell}: {command} missing");
        }
    }
    let (page, err, code) = run(folio_with_config(dir.path()).arg("man"));
    assert_eq!(code, 0, "{err}");
    assert!(page.starts_with(".TH folio 1 "), "{page}");
    for command in commands {
        assert!(
            page.contains(&format!(".SS \"folio {command}\"")),
            "{command}"
        );
    }
}

/// A folder that cannot be read is named on stderr by `list` and `tags`, whose output
/// would otherwise look whole (`folio list locked` printed nothing and exited 0).
/// `chmod 000` keeps out anyone but root: where the test runs as root (CI may), folio
/// runs as `nobody` through `setpriv`, so the folder is as unreadable to it as to a
/// user. The walker's error path itself is also tested without any of this
/// (`library::scan` unit tests).
#[cfg(target_os = "linux")]
#[test]
fn list_and_tags_name_the_folders_they_could_not_read() {
    use std::os::unix::fs::PermissionsExt;
    use std::process::{Command, Stdio};
    let dir = tempfile::tempdir().expect("tempdir");
    let mode = |path: &std::path::Path, mode: u32| {
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).expect("chmod");
    };
    let posts = dir.path().join("posts");
    write_file(&posts, "open/a.md", "---\ntitle: Open\ntags: [x]\n---\n");
    write_file(
        &posts,
        "locked/b.md",
        "---\ntitle: Hidden\ntags: [y]\n---\n",
    );
    let state = dir.path().join("state");
    std::fs::create_dir(&state).expect("mkdir");
    // Whoever folio runs as can reach the posts and keep its cache.
    mode(dir.path(), 0o755);
    mode(&state, 0o777);
    let locked = posts.join("locked");
    mode(&locked, 0o000);
    let as_root = std::fs::read_dir(&locked).is_ok();
    if as_root && !common::require_program_with("setpriv", "--version") {
        mode(&locked, 0o755);
        return;
    }
    let folio = |args: &[&str], root: &std::path::Path| {
        let binary = env!("CARGO_BIN_EXE_folio");
        let mut command = if as_root {
            let mut command = Command::new("setpriv");
            command.args([
                "--reuid=65534",
                "--regid=65534",
                "--clear-groups",
                "--",
                binary,
            ]);
            command
        } else {
            Command::new(binary)
        };
        command
            .args(args)
            .arg(root)
            .env("FOLIO_CONFIG_DIR", "/nonexistent")
            .env("FOLIO_CACHE_DIR", &state)
            .env("FOLIO_DATA_DIR", &state)
            .env_remove("NO_COLOR")
            .env_remove("COLUMNS")
            .stdin(Stdio::null());
        run(&mut command)
    };
    let denied = std::io::Error::from_raw_os_error(13);
    let said =
        format!("folio: warning: cannot read folder locked: {denied}; its posts are not listed\n");
    let (out, err, code) = folio(&["list"], &posts);
    assert_eq!(code, 0, "{err}");
    assert_eq!(err, said);
    assert!(out.contains("Open") && !out.contains("Hidden"), "{out}");
    let (out, err, code) = folio(&["tags"], &posts);
    assert_eq!(code, 0, "{err}");
    assert_eq!(err, said);
    assert_eq!(out, "    1  x\n");
    // The collection itself unreadable: named by its path, not an empty list in silence.
    mode(&locked, 0o755);
    mode(&posts, 0o000);
    let (out, err, code) = folio(&["list"], &posts);
    mode(&posts, 0o755);
    assert_eq!(code, 0, "{err}");
    assert_eq!(out, "");
    assert_eq!(
        err,
        format!(
            "folio: warning: cannot read folder {}: {denied}; its posts are not listed\n",
            posts.display()
        )
    );
}

/// folio's memory comes in 4 KiB pages: transparent huge pages made each first touch of
/// mimalloc's arenas clear 2 MiB, and a warm start on 100,000 posts took up to twice as
/// long. Asked of a folio waiting on its stdin, so that it is still running.
#[cfg(target_os = "linux")]
#[test]
fn folio_runs_without_transparent_huge_pages() {
    use std::io::Write;
    use std::process::Stdio;
    let mut child = folio()
        .args(["print", "--width", "40", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn folio");
    let status_path = format!("/proc/{}/status", child.id());
    // main() turns huge pages off before it reads anything; wait for that, with a bound.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    let thp = loop {
        let status = std::fs::read_to_string(&status_path).unwrap_or_default();
        let field = status
            .lines()
            .find_map(|line| line.strip_prefix("THP_enabled:"))
            .map(|value| value.trim().to_string());
        match field {
            Some(value) if value == "0" || std::time::Instant::now() > deadline => break value,
            None if std::time::Instant::now() > deadline => break "no THP_enabled field".into(),
            _ => std::thread::yield_now(),
        }
    };
    let mut stdin = child.stdin.take().expect("stdin");
    stdin.write_all(b"# Done\n").expect("write");
    drop(stdin);
    let output = child.wait_with_output().expect("folio ends");
    assert_eq!(thp, "0", "/proc/PID/status THP_enabled");
    assert!(output.status.success());
    assert!(String::from_utf8_lossy(&output.stdout).contains("Done"));
}

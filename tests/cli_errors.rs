//! Every way the command line can fail on what a user gives it (a missing path, a file
//! where a folder belongs and the reverse, an unreadable or binary file, too much on
//! stdin, a bad theme or config), each run through the real binary: exit 1, nothing
//! on stdout, and one line on stderr that names the problem and says no clause twice.

use std::path::Path;
use std::process::Command;

mod common;
use common::{
    assert_one_clear_line, folio, folio_with_config, run, run_bounded, run_with_stdin, write_file,
};

/// One failing run: what it is, the command, and text its message must contain.
struct Case {
    what: String,
    command: Command,
    names: String,
}

fn case(what: &str, command: Command, names: impl AsRef<str>) -> Case {
    Case {
        what: what.to_string(),
        command,
        names: names.as_ref().to_string(),
    }
}

fn folio_with(args: &[&str], path: &Path) -> Command {
    let mut command = folio();
    command.args(args).arg(path);
    command
}

fn assert_fails_once(mut case: Case, stdin: Option<&[u8]>) {
    let (out, err, code) = match stdin {
        Some(input) => run_with_stdin(&mut case.command, input),
        None => run(&mut case.command),
    };
    assert_eq!(code, 1, "{}: {err}", case.what);
    assert!(out.is_empty(), "{}: nothing on stdout: {out}", case.what);
    assert_one_clear_line(&err, &case.what);
    assert!(err.contains(&case.names), "{}: {err}", case.what);
}

#[test]
fn every_error_is_one_line_that_says_each_thing_once() {
    let dir = tempfile::tempdir().expect("tempdir");
    let missing = dir.path().join("missing");
    let file = write_file(dir.path(), "post.md", "# A post\n");
    let binary = write_file(dir.path(), "image.md", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0");
    let folder = dir.path().join("posts");
    write_file(&folder, "a.md", "# A\n");
    let (m, f, d) = (missing.display(), file.display(), folder.display());

    let mut cases = vec![
        case(
            "print: missing",
            folio_with(&["print"], &missing),
            format!("{m}"),
        ),
        case(
            "print: a folder",
            folio_with(&["print"], &folder),
            format!("{d} is not a regular file"),
        ),
        case("print: binary", folio_with(&["print"], &binary), "binary"),
        case(
            "FILE piped: missing",
            folio_with(&[], &missing),
            format!("{m}"),
        ),
        case("FOLDER piped", folio_with(&[], &folder), "needs a terminal"),
        case(
            "list: missing",
            folio_with(&["list"], &missing),
            format!("{m}"),
        ),
        case(
            "list: a file",
            folio_with(&["list"], &file),
            format!("{f}: not a folder"),
        ),
        case(
            "tags: missing",
            folio_with(&["tags"], &missing),
            format!("{m}"),
        ),
        case(
            "tags: a file",
            folio_with(&["tags"], &file),
            format!("{f}: not a folder"),
        ),
    ];
    // A read that fails on a regular file, whoever runs the test (root reads any mode).
    #[cfg(target_os = "linux")]
    cases.push(case(
        "print: unreadable",
        folio_with(&["print"], Path::new("/proc/self/mem")),
        "/proc/self/mem: Input/output error",
    ));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let locked = write_file(dir.path(), "locked.md", "# Locked\n");
        std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).expect("chmod");
        if std::fs::read(&locked).is_err() {
            let names = format!("{}: Permission denied", locked.display());
            cases.push(case(
                "print: no permission",
                folio_with(&["print"], &locked),
                names,
            ));
        }
    }

    // Themes: an unknown name, a missing file, a file with a bad colour.
    let bad_theme = write_file(
        dir.path(),
        "bad.yaml",
        "description: bad\nmarkdown:\n  link: { fg: blurple }\n",
    );
    let theme_file = bad_theme.display().to_string();
    let missing_theme = dir.path().join("nosuch.yaml").display().to_string();
    for args in [["list"], ["tags"], ["themes"]] {
        for (theme, names) in [
            ("nosuch", "no theme named `nosuch`".to_string()),
            (&missing_theme, missing_theme.clone()),
            (&theme_file, format!("{theme_file}:3: markdown.link.fg")),
        ] {
            let mut command = folio();
            command.args(args).args(["--theme", theme]);
            cases.push(case(&format!("{args:?} --theme {theme}"), command, names));
        }
    }

    // A bad config stops every command but `config`, naming the file and line.
    let config_dir = dir.path().join("config");
    let config = write_file(&config_dir, "config.yaml", "theme: nord\nwdith: 80\n");
    for args in [
        vec!["list"],
        vec!["tags"],
        vec!["themes"],
        vec!["print", "-"],
    ] {
        let mut command = folio_with_config(&config_dir);
        command.args(&args);
        let names = format!("{}:2: unknown field `wdith`", config.display());
        cases.push(case(&format!("bad config: {args:?}"), command, names));
    }
    // The config folder is a file: `config --init` cannot write there.
    let mut command = folio_with_config(&file);
    command.args(["config", "--init"]);
    cases.push(case("config --init into a file", command, "cannot write"));

    for case in cases {
        assert_fails_once(case, None);
    }

    let stdin = |what: &str| {
        let mut command = folio();
        command.args(["print", "-"]);
        case(what, command, "stdin: ")
    };
    assert_fails_once(stdin("stdin: binary"), Some(b"a\0b"));
    let too_big = vec![b'a'; 64 * 1024 * 1024 + 1];
    assert_fails_once(stdin("stdin: too big"), Some(&too_big));
}

/// What a terminal would act on in a message: any C0 or C1 control but the newline, DEL,
/// and the line and paragraph separators.
fn assert_inert(text: &str, what: &str) {
    let bad = text
        .chars()
        .find(|&c| c.is_control() && c != '\n' || matches!(c, '\u{2028}' | '\u{2029}'));
    assert!(bad.is_none(), "{what}: {bad:?} in {text:?}");
}

/// A file named with `ESC ] 2 ; … BEL` (set the window title) and `ESC [ 2 J` (clear the
/// screen) is named in every message with those codes shown as markers: a refused binary,
/// a missing file, a FIFO, `list` and `tags` on it, config errors quoting a key or an
/// action, and clap's usage errors (which pass what was typed to a terminal as it is,
/// here forced by `CLICOLOR_FORCE`).
#[cfg(unix)]
#[test]
fn hostile_names_reach_stderr_as_markers() {
    let dir = tempfile::tempdir().expect("tempdir");
    let name = "evil\u{1b}]2;x\u{7}\u{1b}[2Jname\u{9b}2J.md";
    let shown = "evil␛]2;x␇␛[2Jname\u{fffd}2J.md";
    let binary = write_file(
        dir.path(),
        &format!("bin/{name}"),
        b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR",
    );
    let missing = dir.path().join(format!("missing/{name}"));
    let fifo = dir.path().join(format!("fifo/{name}"));
    std::fs::create_dir_all(dir.path().join("fifo")).expect("mkdir");
    let made = Command::new("mkfifo").arg(&fifo).status();
    assert!(made.is_ok_and(|s| s.success()), "mkfifo");
    let post = write_file(dir.path(), "post.md", "# A post\n");
    let key_config = dir.path().join("key-config");
    write_file(
        &key_config,
        "config.yaml",
        "keys:\n  list:\n    \"\\e[2J\": quit\n",
    );
    let action_config = dir.path().join("action-config");
    write_file(
        &action_config,
        "config.yaml",
        "keys:\n  list:\n    j: \"\\e]2;x\\a\"\n",
    );

    let with = |args: &[&str], path: &Path| {
        let mut command = folio();
        command.args(args).arg(path);
        command
    };
    let configured = |config: &Path| {
        let mut command = folio_with_config(config);
        command.arg("list").arg(dir.path().join("bin"));
        command
    };
    let cases = [
        case(
            "print: binary",
            with(&["print"], &binary),
            format!("{shown}: not a text file"),
        ),
        case(
            "print: missing",
            with(&["print"], &missing),
            format!(
                "cannot open {}",
                dir.path().join("missing").join(shown).display()
            ),
        ),
        case(
            "print: FIFO",
            with(&["print"], &fifo),
            format!("{shown} is not a regular file"),
        ),
        case("list: missing", with(&["list"], &missing), shown),
        case(
            "tags: a file",
            with(&["tags"], &binary),
            format!("{shown}: not a folder"),
        ),
        case(
            "config: a key",
            configured(&key_config),
            "unknown key `␛[2J`",
        ),
        case(
            "config: an action",
            configured(&action_config),
            "unknown action `␛]2;x␇`",
        ),
    ];
    for mut case in cases {
        let (out, err, code) = run_bounded(&mut case.command);
        assert_eq!(code, 1, "{}: {err}", case.what);
        assert!(out.is_empty(), "{}: {out}", case.what);
        assert_inert(&err, &case.what);
        assert!(err.contains(&case.names), "{}: {err}", case.what);
    }
    // Usage errors: a second file (a glob gives one), a PATH before a command.
    let usage = [
        (
            vec![
                "print".into(),
                post.clone().into_os_string(),
                binary.clone().into_os_string(),
            ],
            format!("unexpected argument '{}'", binary.display()).replace(name, shown),
        ),
        (
            vec![binary.clone().into_os_string(), "list".into()],
            format!("PATH ({}) cannot be used", binary.display()).replace(name, shown),
        ),
    ];
    for (args, names) in usage {
        let (_, err, code) = run(folio().env("CLICOLOR_FORCE", "1").args(&args));
        assert_eq!(code, 2, "{args:?}: {err}");
        assert_inert(&err, &format!("{args:?}"));
        assert!(err.contains(&names), "{args:?}: {err}");
    }
}

/// Tags and titles with a line or paragraph separator stay on their one line in
/// `folio list` and `folio tags`.
#[test]
fn line_separators_in_titles_and_tags_stay_on_one_line() {
    let dir = tempfile::tempdir().expect("tempdir");
    write_file(
        dir.path(),
        "a.md",
        "---\ntitle: \"Alpha\\LBeta\\PGamma\"\ntags: [\"x\\Ly\"]\n---\nbody\n",
    );
    let (out, err, code) = run(folio().arg("list").arg(dir.path()));
    assert_eq!(code, 0, "{err}");
    assert_inert(&out, "list");
    assert!(
        out.starts_with("----------  Alpha Beta Gamma  #x y  a.md"),
        "{out:?}"
    );
    let (out, err, code) = run(folio().arg("tags").arg(dir.path()));
    assert_eq!(code, 0, "{err}");
    assert_inert(&out, "tags");
    assert_eq!(out, "    1  x y\n");
    // The card of `print` keeps the title on one row and adds none.
    let (out, err, code) = run(folio()
        .args(["print", "--width", "60"])
        .arg(dir.path().join("a.md")));
    assert_eq!(code, 0, "{err}");
    assert_inert(&out, "print");
    assert!(
        out.lines().any(|l| l.contains("│ Alpha Beta Gamma ")),
        "{out}"
    );
    assert!(out.lines().any(|l| l.contains("#x\u{a0}y")), "{out}");
}

/// Config, theme and `.tmTheme` files are opened as posts are: a FIFO or a device is
/// refused at once (a FIFO made folio wait for ever, `/dev/zero` took all memory), and so
/// is a file past the size limit. Each run must end by itself.
#[cfg(unix)]
#[test]
fn settings_files_that_are_not_regular_or_too_large_are_refused_at_once() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mkfifo = |path: &Path| {
        let made = Command::new("mkfifo").arg(path).status();
        assert!(made.is_ok_and(|s| s.success()), "mkfifo {}", path.display());
        path.display().to_string()
    };
    let post = write_file(
        dir.path(),
        "post.md",
        "# A post\n\n```rust\nfn x() {}\n```\n",
    );
    let fifo_theme = mkfifo(&dir.path().join("fifo.yaml"));
    let fifo_config_dir = dir.path().join("fifo-config");
    std::fs::create_dir(&fifo_config_dir).expect("mkdir");
    let fifo_config = mkfifo(&fifo_config_dir.join("config.yaml"));
    let config_dir = dir.path().join("config");
    let themes = config_dir.join("themes");
    write_file(&themes, "zero.yaml", "code_theme: /dev/zero\n");
    write_file(&themes, "piped.yaml", "# code\ncode_theme: piped.tmTheme\n");
    let piped = mkfifo(&themes.join("piped.tmTheme"));
    let big = "# padding\n".repeat(120_000);
    let big_theme = write_file(&themes, "big.yaml", &big).display().to_string();

    let with = |config: &Path, args: &[&str]| {
        let mut command = folio_with_config(config);
        command.args(args).arg(&post);
        command
    };
    let zero = themes.join("zero.yaml").display().to_string();
    let cases = [
        case(
            "--theme FIFO",
            with(&config_dir, &["--theme", &fifo_theme, "print"]),
            format!("{fifo_theme}: not a regular file; not read"),
        ),
        case(
            "config.yaml a FIFO",
            with(&fifo_config_dir, &["print"]),
            format!("{fifo_config}: not a regular file; not read"),
        ),
        case(
            "code_theme: /dev/zero",
            with(&config_dir, &["--theme", "zero", "print", "--color=always"]),
            format!("{zero}:1: code_theme: /dev/zero: not a regular file; not read"),
        ),
        case(
            "code_theme a FIFO",
            with(&config_dir, &["--theme", "piped", "print"]),
            format!("{piped}: not a regular file; not read"),
        ),
        case(
            "a theme past the limit",
            with(&config_dir, &["--theme", "big", "print"]),
            format!("{big_theme}: larger than 1 MiB; not read"),
        ),
    ];
    for mut case in cases {
        let (out, err, code) = run_bounded(&mut case.command);
        assert_eq!(code, 1, "{}: {err}", case.what);
        assert!(out.is_empty(), "{}: {out}", case.what);
        assert_one_clear_line(&err, &case.what);
        assert!(err.contains(&case.names), "{}: {err}", case.what);
    }
    // `folio themes` lists them all, each with what is wrong, and ends.
    let (out, err, code) = run_bounded(folio_with_config(&config_dir).arg("themes"));
    assert_eq!(code, 0, "{err}");
    for name in ["zero", "piped", "big"] {
        let line = out
            .lines()
            .find(|l| l.get(2..).is_some_and(|l| l.starts_with(name)));
        assert!(
            line.is_some_and(|l| l.contains("✗") && l.contains("not read")),
            "{name}:\n{out}"
        );
    }
}

#[test]
fn usage_errors_exit_2() {
    for args in [
        vec!["--no-such-flag"],
        vec!["print", "--width", "wide", "x.md"],
        vec!["list", "--full-text"],
        vec!["config"],
        vec!["x.md", "list"],
    ] {
        let (out, err, code) = run(folio().args(&args));
        assert_eq!(code, 2, "{args:?}: {err}");
        assert!(out.is_empty(), "{args:?}: {out}");
    }
}

//! The reading memory on the command line, through the real binary with its data folder
//! (`FOLIO_DATA_DIR`) in a temporary folder: `folio bookmarks [--json]`, `folio list
//! --unread`, the `read` and `position` fields of `folio list --json`, and
//! `--no-remember` / `remember: false`, which read and write nothing. The state is put
//! there through the store itself, as the TUI would have left it.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use common::{assert_one_clear_line, folio, folio_with_config, run, write_file};
use folio::commands::MemoryUse;
use folio::config::Config;
use folio::library::PostId;
use folio::memory::{Bookmark, Spot, Write};
use folio::store::state::{FILE_NAME, StateStore};
use folio::store::{DEFAULT_BUSY_TIMEOUT, Settings};

/// A collection of three posts and a data folder.
struct Setting {
    posts: tempfile::TempDir,
    data: tempfile::TempDir,
}

impl Setting {
    fn new() -> Setting {
        let posts = tempfile::tempdir().expect("posts");
        let post = |name: &str, title: &str, date: &str| {
            let text = format!("---\ntitle: {title}\ndate: {date}\n---\n\n## Part\n\nText.\n");
            write_file(posts.path(), name, text);
        };
        post("a.md", "Alpha", "2024-03-03");
        post("notes/b.md", "Beta", "2024-02-02");
        post("c.md", "Gamma", "2024-01-01");
        Setting {
            posts,
            data: tempfile::tempdir().expect("data"),
        }
    }

    fn root(&self) -> &Path {
        self.posts.path()
    }

    /// Writes `writes` as the TUI would, in a store of its own (dropped after).
    fn remember(&self, writes: &[Write]) {
        let settings = Settings {
            dir: Some(self.data.path().to_path_buf()),
            busy_timeout: DEFAULT_BUSY_TIMEOUT,
        };
        let mut warnings = Vec::new();
        let mut store =
            StateStore::open(&settings, self.root(), &mut warnings).expect("state store");
        store.write(writes, &mut warnings);
        assert!(warnings.is_empty(), "{warnings:?}");
    }

    /// `folio ARGS… ROOT` with this data folder.
    fn folio(&self, args: &[&str]) -> Command {
        let mut cmd = folio();
        self.aim(&mut cmd, args);
        cmd
    }

    fn aim(&self, cmd: &mut Command, args: &[&str]) {
        cmd.env("FOLIO_DATA_DIR", self.data.path())
            .env("TZ", "UTC")
            .args(args)
            .arg(self.root());
    }

    /// Every file in the data folder and its bytes.
    fn data_files(&self) -> BTreeMap<PathBuf, Vec<u8>> {
        std::fs::read_dir(self.data.path())
            .expect("data folder")
            .map(|entry| {
                let path = entry.expect("entry").path();
                let bytes = std::fs::read(&path).expect("read");
                (path, bytes)
            })
            .collect()
    }
}

fn ok(cmd: &mut Command) -> String {
    let (out, err, code) = run(cmd);
    assert!(code == 0 && err.is_empty(), "exit {code}: {err}");
    out
}

fn bookmark(id: i64, post: &str, heading: Option<&str>, note: &str, created: i64) -> Write {
    Write::Bookmark(Bookmark {
        id,
        post: PostId::from(post),
        spot: Spot {
            block: 2,
            fingerprint: 0xfedc_ba98_7654_3210,
        },
        heading: heading.map(str::to_owned),
        note: note.into(),
        created,
    })
}

fn read(post: &str) -> Write {
    Write::Read {
        post: PostId::from(post),
        read: true,
    }
}

fn position(post: &str, block: usize) -> Write {
    Write::Position {
        post: PostId::from(post),
        spot: Spot {
            block,
            fingerprint: 1,
        },
    }
}

/// 2023-11-14 22:13:20 UTC, and a day later.
const MADE: i64 = 1_700_000_000;
const DAY: i64 = 86_400;

#[test]
fn bookmarks_are_listed_newest_first_as_lines_and_as_json() {
    let setting = Setting::new();
    setting.remember(&[
        bookmark(1, "a.md", Some("Part"), "check this", MADE),
        bookmark(2, "notes/b.md", None, "", MADE + DAY),
        bookmark(
            3,
            "gone.md",
            Some("Old \u{1b}[31mred"),
            "a\nnote",
            MADE + 2 * DAY,
        ),
    ]);
    let text = ok(&mut setting.folio(&["bookmarks"]));
    assert_eq!(
        text,
        "2023-11-16 22:13  (no longer in the collection)  gone.md  § Old ␛[31mred  — a note\n\
         2023-11-15 22:13  Beta  notes/b.md\n\
         2023-11-14 22:13  Alpha  a.md  § Part  — check this\n"
    );
    let json: serde_json::Value =
        serde_json::from_str(&ok(&mut setting.folio(&["bookmarks", "--json"]))).expect("JSON");
    let posts: Vec<&str> = json
        .as_array()
        .expect("an array")
        .iter()
        .map(|b| b["post"].as_str().expect("post"))
        .collect();
    assert_eq!(posts, ["gone.md", "notes/b.md", "a.md"]);
    assert_eq!(
        json[2],
        serde_json::json!({
            "post": "a.md",
            "title": "Alpha",
            "path": "a.md",
            "block": 2,
            "fingerprint": "fedcba9876543210",
            "heading": "Part",
            "note": "check this",
            "created": "2023-11-14T22:13:20Z",
        })
    );
    assert_eq!(json[0]["title"], serde_json::Value::Null);
    assert_eq!(json[1]["heading"], serde_json::Value::Null);
}

/// A note or heading holding C1 and bidi controls or a line separator is escaped in
/// the JSON (`\u009b`), which reads back as it was written.
#[test]
fn bookmarks_json_escapes_what_a_terminal_acts_on() {
    let setting = Setting::new();
    let hostile = "x\u{9b}2J\u{202e}y\u{2028}z\u{85}";
    setting.remember(&[bookmark(1, "a.md", Some(hostile), hostile, MADE)]);
    let text = ok(&mut setting.folio(&["bookmarks", "--json"]));
    for raw in ['\u{9b}', '\u{202e}', '\u{2028}', '\u{85}'] {
        assert!(!text.contains(raw), "{raw:?} in {text:?}");
    }
    assert!(text.contains("x\\u009b2J\\u202ey\\u2028z\\u0085"), "{text}");
    let json: serde_json::Value = serde_json::from_str(&text).expect("JSON");
    assert_eq!(json[0]["note"], hostile);
    assert_eq!(json[0]["heading"], hostile);
}

#[test]
fn a_collection_without_memory_has_no_bookmarks_and_gets_no_database() {
    let setting = Setting::new();
    assert_eq!(ok(&mut setting.folio(&["bookmarks"])), "");
    assert_eq!(ok(&mut setting.folio(&["bookmarks", "--json"])), "[]\n");
    let json: serde_json::Value =
        serde_json::from_str(&ok(&mut setting.folio(&["list", "--json"]))).expect("JSON");
    for post in json.as_array().expect("array") {
        assert_eq!(post["read"], false, "{post}");
        assert_eq!(post["position"], serde_json::Value::Null, "{post}");
    }
    assert!(setting.data_files().is_empty(), "reading made no file");
}

#[test]
fn list_shows_what_is_unread_and_json_has_read_and_position() {
    let setting = Setting::new();
    setting.remember(&[read("a.md"), position("notes/b.md", 4), position("a.md", 0)]);
    let unread = ok(&mut setting.folio(&["list", "--unread"]));
    let paths: Vec<&str> = unread
        .lines()
        .map(|l| l.rsplit("  ").next().expect("a path"))
        .collect();
    assert_eq!(paths, ["notes/b.md", "c.md"], "{unread}");
    let all = ok(&mut setting.folio(&["list"]));
    assert_eq!(all.lines().count(), 3, "{all}");

    let json: serde_json::Value =
        serde_json::from_str(&ok(&mut setting.folio(&["list", "--json"]))).expect("JSON");
    let fields: Vec<(&str, serde_json::Value, serde_json::Value)> = json
        .as_array()
        .expect("array")
        .iter()
        .map(|p| {
            (
                p["path"].as_str().expect("path"),
                p["read"].clone(),
                p["position"].clone(),
            )
        })
        .collect();
    use serde_json::json;
    assert_eq!(
        fields,
        [
            ("a.md", json!(true), json!(0)),
            ("notes/b.md", json!(false), json!(4)),
            ("c.md", json!(false), json!(null)),
        ]
    );
    let unread_json: serde_json::Value =
        serde_json::from_str(&ok(&mut setting.folio(&["list", "--unread", "--json"])))
            .expect("JSON");
    let paths: Vec<&str> = unread_json
        .as_array()
        .expect("array")
        .iter()
        .map(|p| p["path"].as_str().expect("path"))
        .collect();
    assert_eq!(paths, ["notes/b.md", "c.md"]);
}

#[test]
fn no_remember_and_remember_false_read_and_write_nothing() {
    let setting = Setting::new();
    setting.remember(&[read("a.md"), bookmark(1, "a.md", None, "kept", MADE)]);
    let before = setting.data_files();
    let config = tempfile::tempdir().expect("config folder");
    std::fs::write(config.path().join("config.yaml"), "remember: false\n").expect("config");
    let mut off_in_config = folio_with_config(config.path());
    setting.aim(&mut off_in_config, &["list", "--json"]);
    let runs = [
        setting.folio(&["--no-remember", "list", "--json"]),
        setting.folio(&["list", "--json", "--no-remember"]),
        off_in_config,
    ];
    for mut cmd in runs {
        let json: serde_json::Value = serde_json::from_str(&ok(&mut cmd)).expect("JSON");
        for post in json.as_array().expect("array") {
            assert_eq!(post["read"], serde_json::Value::Null, "unknown: {post}");
            assert_eq!(post["position"], serde_json::Value::Null, "{post}");
        }
    }
    let (out, err, code) = run(&mut setting.folio(&["--no-remember", "bookmarks"]));
    assert_eq!((out.as_str(), code), ("", 0));
    assert!(
        err.starts_with("folio: warning: reading memory is off") && err.lines().count() == 1,
        "{err}"
    );
    let (out, err, code) = run(&mut setting.folio(&["--no-remember", "list", "--unread"]));
    assert_eq!((out.as_str(), code), ("", 1));
    assert_one_clear_line(&err, "--unread without memory");
    assert!(err.contains("--no-remember"), "{err}");
    assert_eq!(setting.data_files(), before, "nothing written");

    // What the TUI starts with when memory is off: nothing, and no file made.
    let fresh = tempfile::tempdir().expect("data");
    let config = Config {
        remember: false,
        ..Config::default()
    };
    let mut memory = MemoryUse::from_env(&config, false);
    memory.settings.dir = Some(fresh.path().join("folio"));
    let mut warnings = Vec::new();
    let (remembered, store) = memory.start(Some(setting.root()), &mut warnings);
    assert!(!remembered.enabled && store.is_none() && warnings.is_empty());
    let mut memory = MemoryUse::from_env(&Config::default(), true);
    memory.settings.dir = Some(fresh.path().join("folio"));
    assert!(
        memory
            .start(Some(setting.root()), &mut warnings)
            .1
            .is_none()
    );
    assert!(!fresh.path().join("folio").exists(), "no folder, no file");
    memory.remember = true;
    let (remembered, store) = memory.start(Some(setting.root()), &mut warnings);
    assert!(remembered.enabled && store.is_some() && warnings.is_empty());
    assert!(fresh.path().join("folio").join(FILE_NAME).exists());
}

#[test]
fn a_damaged_state_file_costs_one_warning_and_is_kept_aside() {
    let setting = Setting::new();
    let db = setting.data.path().join(FILE_NAME);
    std::fs::write(
        &db,
        b"SQLite format 3\0 but not really; nothing of the rest",
    )
    .expect("write");
    let (out, err, code) = run(&mut setting.folio(&["bookmarks", "--json"]));
    assert_eq!((out.as_str(), code), ("[]\n", 0), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.starts_with("folio: warning: reading memory ")
            && err.contains("moved to ")
            && err.contains("state.sqlite.bad"),
        "{err}"
    );
    assert!(setting.data.path().join("state.sqlite.bad").exists());
    assert_eq!(ok(&mut setting.folio(&["bookmarks"])), "", "quiet after");
}

//! `folio bookmarks`: the bookmarks made in the reader (`M`), newest first, as lines or
//! JSON, for scripts and for a look without opening the reader. It only reads the
//! reading memory, never writes it.

use std::fmt::Write as _;
use std::io::Write;

use anyhow::{Context, Result};
use chrono::{DateTime, Local, SecondsFormat, Utc};

use super::list::clean;
use super::{IndexUse, MemoryUse, collection_dir, collection_indexed, write_warnings};
use crate::cli::BookmarksArgs;
use crate::config::Config;
use crate::library::{Library, Post};
use crate::memory::Bookmark;

/// Prints the collection's bookmarks to `out`; problems with the index cache and the
/// reading memory go to `err`. With memory off, there are none (and `err` says why).
pub fn run(
    args: &BookmarksArgs,
    config: &Config,
    index: &IndexUse,
    memory: &MemoryUse,
    out: &mut impl Write,
    err: &mut impl Write,
) -> Result<()> {
    let mut warnings = Vec::new();
    let root = collection_dir(args.dir.clone(), config);
    let (library, _, saving) = collection_indexed(root.clone(), config, index, &mut warnings)?;
    let remembered = memory.peek(root.as_deref(), &mut warnings);
    if !remembered.enabled && !memory.remember {
        warnings.push(format!("{}; no bookmarks shown", memory.unavailable()));
    }
    write_warnings(&warnings, err)?;
    let bookmarks = &remembered.bookmarks;
    let text = if args.json {
        let array: Vec<serde_json::Value> = bookmarks.iter().map(|b| json(b, &library)).collect();
        super::json::to_terminal_json(&array)?
    } else {
        let mut text = String::new();
        for bookmark in bookmarks {
            line(&mut text, bookmark, &library);
        }
        text
    };
    out.write_all(text.as_bytes())
        .and_then(|()| out.flush())
        .context("cannot write to stdout")?;
    write_warnings(&saving.finish(), err)
}

/// The post's path as `folio list` shows it: relative to the root, `/`-separated; for
/// a post no longer in the collection, its id (the path it had).
fn path_of(bookmark: &Bookmark, post: Option<&Post>) -> String {
    match post {
        Some(post) => post
            .rel_path
            .components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/"),
        None => bookmark.post.as_str().to_string(),
    }
}

fn json(bookmark: &Bookmark, library: &Library) -> serde_json::Value {
    let post = library.get(&bookmark.post);
    let created = DateTime::<Utc>::from_timestamp(bookmark.created, 0)
        .map(|t| t.to_rfc3339_opts(SecondsFormat::Secs, true));
    serde_json::json!({
        "post": bookmark.post.as_str(),
        "title": post.map(|p| &*p.title),
        "path": path_of(bookmark, post),
        "block": bookmark.spot.block,
        // As text: 64 bits do not survive JSON readers that hold numbers as doubles.
        "fingerprint": format!("{:016x}", bookmark.spot.fingerprint),
        "heading": bookmark.heading,
        "note": bookmark.note,
        "created": created,
    })
}

/// One bookmark's line: when (local time), title, path, section and note, each
/// sanitised so nothing from a post reaches the terminal as a control code.
fn line(out: &mut String, bookmark: &Bookmark, library: &Library) {
    let post = library.get(&bookmark.post);
    let when = DateTime::<Utc>::from_timestamp(bookmark.created, 0)
        .map(|t| t.with_timezone(&Local).format("%Y-%m-%d %H:%M").to_string())
        .unwrap_or_else(|| "----------------".into());
    let title = post.map_or("(no longer in the collection)", |p| &*p.title);
    // Writing to a String cannot fail.
    let _ = write!(
        out,
        "{when}  {}  {}",
        clean(title),
        clean(&path_of(bookmark, post))
    );
    if let Some(heading) = bookmark.heading.as_deref().filter(|h| !h.is_empty()) {
        let _ = write!(out, "  § {}", clean(heading));
    }
    if !bookmark.note.is_empty() {
        let _ = write!(out, "  — {}", clean(&bookmark.note));
    }
    out.push('\n');
}

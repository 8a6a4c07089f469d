//! folio never writes into the user's posts: a whole session in a real terminal over a
//! copy of a collection (index, search, open, full text, the editor, themes, marks,
//! a bookmark, a rescan, quit) leaves every file byte for byte as it was, and adds none.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

mod common;
use common::tmux::{Tmux, folio_command, tmux_available};
use common::{copy_tree, sample_dir};

/// Every file and folder under `root`, with the bytes of each file.
fn contents(root: &Path) -> BTreeMap<PathBuf, Option<Vec<u8>>> {
    let mut found = BTreeMap::new();
    let mut folders = vec![root.to_path_buf()];
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(&folder).expect("read_dir") {
            let path = entry.expect("entry").path();
            let rel = path.strip_prefix(root).expect("under root").to_path_buf();
            if path.is_dir() {
                folders.push(path);
                found.insert(rel, None);
            } else {
                found.insert(rel, Some(std::fs::read(&path).expect("read")));
            }
        }
    }
    found
}

#[test]
fn a_whole_session_leaves_the_collection_byte_for_byte() {
    if !tmux_available() {
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let collection = dir.path().join("posts");
    std::fs::create_dir(&collection).expect("mkdir");
    copy_tree(&sample_dir(), &collection);
    let before = contents(&collection);
    assert!(before.len() > 5);
    // An editor that does nothing (but run).
    let editor = dir.path().join("editor");
    std::fs::write(&editor, "#!/bin/sh\nexit 0\n").expect("editor");
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&editor, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    }
    let data = dir.path().join("data");
    let cache = dir.path().join("cache");
    let command = folio_command(
        &format!(
            "VISUAL= EDITOR='{}' FOLIO_DATA_DIR='{}' FOLIO_CACHE_DIR='{}'",
            editor.display(),
            data.display(),
            cache.display()
        ),
        &collection.display().to_string(),
    );
    let tmux = Tmux::start("untouched", &command, 100, 30);
    tmux.wait_for("q quit");
    // Search by title, open, read to the end, mark, bookmark with a note, edit.
    tmux.keys(&["/"]);
    tmux.keys(&["-l", "开源周年"]);
    tmux.wait_for("1 shown");
    tmux.keys(&["Enter", "Enter"]);
    tmux.wait_for("%");
    tmux.keys(&["G", "m", "m", "M"]);
    tmux.keys(&["-l", "a note"]);
    tmux.keys(&["Enter"]);
    tmux.keys(&["e"]);
    tmux.wait_for("%");
    tmux.keys(&["q", "Escape"]);
    tmux.wait_for("q quit");
    // Full text, a theme chosen, a rescan, recent posts and bookmarks, then quit.
    tmux.keys(&["/", "Tab"]);
    tmux.keys(&["-l", "服务网格"]);
    tmux.wait_for("×");
    tmux.keys(&["Enter"]);
    tmux.wait_for("1/");
    tmux.keys(&["q", "Escape", "Escape"]);
    tmux.keys(&["T"]);
    tmux.keys(&["j", "Enter"]);
    tmux.keys(&["r"]);
    tmux.keys(&["H"]);
    tmux.wait_for("Recent");
    tmux.keys(&["Escape"]);
    tmux.wait_gone("Recent");
    tmux.keys(&["'"]);
    tmux.wait_for("a note");
    tmux.keys(&["Escape"]);
    tmux.wait_gone("a note");
    tmux.keys(&["q"]);
    tmux.wait_for("[exited 0]");
    let after = contents(&collection);
    let added: Vec<_> = after.keys().filter(|p| !before.contains_key(*p)).collect();
    assert!(added.is_empty(), "files added to the collection: {added:?}");
    let changed: Vec<_> = before
        .iter()
        .filter(|(path, bytes)| after.get(*path) != Some(bytes))
        .map(|(path, _)| path)
        .collect();
    assert!(changed.is_empty(), "files changed or gone: {changed:?}");
    // folio did keep its own things, in its own folders.
    assert!(
        data.join("folio").exists() || data.exists(),
        "the reading memory was kept"
    );
    assert!(cache.exists(), "the index cache was kept");
}

//! The sample posts, compiled into the binary so that an installed folio has something
//! to show anywhere, and `folio` with no arguments is never an empty screen.

use std::path::PathBuf;

use include_dir::{Dir, include_dir};

use crate::library::Library;

static SAMPLES: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/sample-posts");

/// How the bundled collection is named in the status bar and in `folio list`.
pub const LABEL: &str = "bundled sample posts";

pub fn library() -> Library {
    let mut files = Vec::new();
    collect(&SAMPLES, &mut files);
    Library::from_embedded(PathBuf::from(LABEL), &files)
}

fn collect(dir: &'static Dir<'static>, out: &mut Vec<(&'static str, &'static [u8])>) {
    for file in dir.files() {
        if let Some(path) = file.path().to_str() {
            out.push((path, file.contents()));
        }
    }
    for sub in dir.dirs() {
        collect(sub, out);
    }
}

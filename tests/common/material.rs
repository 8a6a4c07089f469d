//! Where test material lives: this repository's samples and fixtures, and the shared
//! material beside it (`../shared`: the seed post, the real corpus, the width-check
//! tool). Shared material may be missing on a developer's machine, and then a test
//! that needs it says so and passes; under CI it must be there, and its absence fails.

use std::path::{Path, PathBuf};
use std::process::Command;

/// The repository's root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The bundled sample posts, as files.
pub fn sample_dir() -> PathBuf {
    root().join("sample-posts")
}

/// A sample post by its folder name (`markdown-tour`).
pub fn sample_post(slug: &str) -> PathBuf {
    sample_dir().join(slug).join("index.md")
}

/// Whether this run is CI's, which must have every piece of material and every tool.
pub fn under_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "false" && v != "0")
}

/// Something a test needs is not here: under CI that is a failure; elsewhere the test
/// notes it and does without.
pub fn missing(what: &str) {
    assert!(!under_ci(), "under CI, {what} must be present");
    eprintln!("skipped: {what} not present");
}

/// `path` when it exists; otherwise [`missing`].
pub fn require(path: &Path) -> Option<PathBuf> {
    if path.exists() {
        return Some(path.to_path_buf());
    }
    missing(&path.display().to_string());
    None
}

/// Material in `../shared` (`seeds/…`, `corpus/real`, `tools/width-check`).
pub fn shared(rel: &str) -> Option<PathBuf> {
    require(&root().join("../shared").join(rel))
}

/// Whether `program` runs (`program --version`); otherwise [`missing`].
pub fn require_program(program: &str) -> bool {
    require_program_with(program, "--version")
}

/// Whether `program version_flag` runs; otherwise [`missing`].
pub fn require_program_with(program: &str, version_flag: &str) -> bool {
    let runs = Command::new(program)
        .arg(version_flag)
        .output()
        .is_ok_and(|o| o.status.success());
    if !runs {
        missing(program);
    }
    runs
}

/// Writes `content` to `root/rel`, making the folders on the way.
pub fn write_file(root: &Path, rel: &str, content: impl AsRef<[u8]>) -> PathBuf {
    let path = root.join(rel);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).expect("create folder");
    }
    std::fs::write(&path, content).expect("write file");
    path
}

/// One CommonMark spec example (or one of pulldown-cmark's extension examples).
#[derive(serde::Deserialize)]
pub struct Example {
    pub suite: String,
    pub n: usize,
    pub markdown: String,
}

pub fn commonmark_examples() -> Vec<Example> {
    let path = root().join("tests/fixtures/commonmark/examples.json");
    let text = std::fs::read_to_string(path).expect("examples.json");
    serde_json::from_str(&text).expect("valid json")
}

/// A post file's front matter and body, decoded and split as `folio print` does.
pub fn read_post(path: &Path) -> (folio::library::Meta, String) {
    use folio::library::{front_matter, text};
    let bytes = std::fs::read(path).expect("read post");
    let (meta, body, _) = front_matter::split_body(text::decode(&bytes).text);
    (meta, body)
}

/// Copies the folder `from` into `to`, recursively (a collection tests may change).
pub fn copy_tree(from: &Path, to: &Path) {
    for entry in std::fs::read_dir(from).expect("read_dir") {
        let entry = entry.expect("entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("type").is_dir() {
            std::fs::create_dir_all(&target).expect("mkdir");
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copy");
        }
    }
}

//! The fuzzers' harness on stable Rust, in every `cargo test`: both entry points of
//! `folio::fuzzing` over every saved input in tests/fixtures/fuzz/ (the curated seeds
//! and every crash a fuzzer found, which must stay fixed), and `render` over random
//! bytes. The fuzzers themselves (fuzz/, nightly) run the same functions for as long
//! as they are let.

use std::path::{Path, PathBuf};

use folio::fuzzing;
use proptest::prelude::*;

mod common;
use common::{missing, root};

/// The saved inputs of one fuzz target, sorted; empty (and a failure under CI) when
/// the folder is missing.
fn saved_inputs(target: &str) -> Vec<PathBuf> {
    let dir = root().join("tests/fixtures/fuzz").join(target);
    let Ok(entries) = std::fs::read_dir(&dir) else {
        missing(&dir.display().to_string());
        return Vec::new();
    };
    let mut files: Vec<PathBuf> = entries
        .map(|entry| entry.expect("read entry").path())
        .filter(|path| path.is_file())
        .collect();
    files.sort();
    files
}

/// Runs `harness` on each file, naming the file when it panics.
fn run_over(files: &[PathBuf], harness: fn(&[u8]), name: &str) {
    for path in files {
        let data = std::fs::read(path).expect("read input");
        let outcome = std::panic::catch_unwind(|| harness(&data));
        assert!(outcome.is_ok(), "{name} failed on {}", show(path));
    }
}

fn show(path: &Path) -> String {
    path.strip_prefix(root())
        .unwrap_or(path)
        .display()
        .to_string()
}

#[test]
fn every_saved_input_passes_both_harnesses() {
    let render_inputs = saved_inputs("render");
    let config_inputs = saved_inputs("config_theme");
    // The seeds are the point of this test: an empty folder would pass it vacuously.
    for (target, files) in [("render", &render_inputs), ("config_theme", &config_inputs)] {
        if files.iter().all(|p| !file_name(p).starts_with("seed-")) {
            missing(&format!("seed inputs in tests/fixtures/fuzz/{target}"));
        }
    }
    // Each harness over its own target's inputs, and over the other's: a post is also
    // text a config parser may be handed, and a config is a post.
    let all: Vec<PathBuf> = render_inputs
        .iter()
        .chain(&config_inputs)
        .cloned()
        .collect();
    run_over(&all, fuzzing::render, "render");
    run_over(&all, fuzzing::config_and_theme, "config_and_theme");
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// Bytes that are mostly Markdown, front matter and shortcodes, with the odd random
/// byte: random bytes alone seldom make a table or a list.
fn markdownish() -> impl Strategy<Value = Vec<u8>> {
    let piece = prop_oneof![
        Just(b"---\ntitle: t\ntags: [a]\n---\n".to_vec()),
        Just(b"\n".to_vec()),
        Just(b"\n\n".to_vec()),
        Just(b"| a | \xe4\xb8\xad |\n|---|--:|\n| x |".to_vec()),
        Just(b"\n- ".to_vec()),
        Just(b"\n> ".to_vec()),
        Just(b"\n```rust\n".to_vec()),
        Just(b"{{< note >}}".to_vec()),
        Just(b"{{% /notice %}}".to_vec()),
        Just(b"[a](http://b) [^1]\n\n[^1]: n".to_vec()),
        Just("开源社区，「引号」……".as_bytes().to_vec()),
        Just("👩‍🔬e\u{301}\u{ad}\u{202e}\u{200b}".as_bytes().to_vec()),
        Just(b"\x1b[2J\x9b\t\r".to_vec()),
        prop::collection::vec(any::<u8>(), 0..8),
    ];
    prop::collection::vec(piece, 0..24).prop_map(|v| v.concat())
}

/// A render input: the settings' bytes, then the post.
fn with_settings(width: usize, flags: u8, post: Vec<u8>) -> Vec<u8> {
    let mut data = vec![u8::try_from(width - 1).expect("width fits a byte"), flags];
    data.extend(post);
    data
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn render_holds_on_random_bytes(data in prop::collection::vec(any::<u8>(), 0..600)) {
        fuzzing::render(&data);
    }

    #[test]
    fn render_holds_on_random_markdown(
        width in 1usize..=fuzzing::MAX_WIDTH,
        flags in any::<u8>(),
        post in markdownish(),
    ) {
        fuzzing::render(&with_settings(width, flags, post));
    }

    #[test]
    fn config_and_theme_hold_on_random_text(data in prop::collection::vec(any::<u8>(), 0..300)) {
        fuzzing::config_and_theme(&data);
    }
}

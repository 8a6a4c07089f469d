//! The index reads a post's head in steps (8 KiB, then more only while the front matter
//! is still open or no title has turned up). These tests hold that to the reference,
//! reading the whole 68 KiB head at once: the same title, metadata and warnings for
//! every bundled sample, every real post, the seed, a generated corpus full of quirks,
//! and the shapes built here to sit on a step's edge.

use std::path::{Path, PathBuf};
use std::process::Command;

use folio::library::{Library, Post, front_matter};

mod common;
use common::{missing, sample_dir, shared, write_file as write};

/// Every post of `root` as the stepped read indexes it, next to the reference.
fn compare_folder(root: &Path) -> usize {
    let library = Library::scan(root).expect("scan");
    for post in library.posts() {
        let path = root.join(&post.rel_path);
        let reference = Post::load_whole_head(&path, post.rel_path.to_path_buf());
        assert_same(post, &reference, &path);
    }
    library.posts().len()
}

fn assert_same(stepped: &Post, reference: &Post, path: &Path) {
    assert_eq!(
        stepped.title,
        reference.title,
        "title of {}",
        path.display()
    );
    assert_eq!(stepped.meta, reference.meta, "meta of {}", path.display());
    assert_eq!(
        stepped.warnings(),
        reference.warnings(),
        "warnings of {}",
        path.display()
    );
}

#[test]
fn sample_posts_read_the_same_in_steps() {
    assert!(compare_folder(&sample_dir()) > 0);
}

#[test]
fn real_posts_read_the_same_in_steps() {
    let Some(corpus) = shared("corpus/real") else {
        return;
    };
    assert!(compare_folder(&corpus) >= 300);
}

#[test]
fn the_seed_reads_the_same_in_steps() {
    let Some(seeds) = shared("seeds") else {
        return;
    };
    let mut seen = 0;
    for entry in std::fs::read_dir(&seeds).expect("seeds folder") {
        let path = entry.expect("entry").path();
        let rel = PathBuf::from(path.file_name().expect("name"));
        assert_same(
            &Post::load(&path, rel.clone()),
            &Post::load_whole_head(&path, rel),
            &path,
        );
        seen += 1;
    }
    assert!(seen > 0, "no seed in {}", seeds.display());
}

/// gen-corpus's quirks (TOML, CRLF, BOM, no front matter, unterminated, a tag string,
/// empty files, very long lines) on half of 300 posts.
#[test]
fn generated_quirks_read_the_same_in_steps() {
    let Some(tool) = shared("tools/gen-corpus") else {
        return;
    };
    let dir = tempfile::tempdir().expect("tempdir");
    let made = Command::new(&tool)
        .args(["-n", "300", "--seed", "7", "--edge-pct", "50"])
        .arg(dir.path())
        .output();
    match made {
        Ok(out) if out.status.success() => {}
        other => {
            missing(&format!("a working gen-corpus ({other:?})"));
            return;
        }
    }
    assert!(compare_folder(dir.path()) >= 290);
}

/// Front matter and titles placed around the 1, 4 and 16 KiB steps, in the encodings
/// and line endings folio reads.
#[test]
fn posts_on_the_edge_of_a_step_read_the_same() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path();
    let filler = |n: usize| "正文，".repeat(n / 9 + 1);
    let sizes = [
        1024 - 40,
        1024 - 3,
        1024,
        1024 + 5,
        4096 - 3,
        4096 + 5,
        16384 - 2,
        16384 + 3,
    ];
    for (i, size) in sizes.into_iter().enumerate() {
        // Front matter that closes just before, on, or after the step.
        let front = format!("---\ntitle: T{i}\nnote: \"{}\"\n", "x".repeat(size - 30));
        write(
            root,
            &format!("close-{i}.md"),
            format!("{front}---\n{}", filler(9000)),
        );
        write(
            root,
            &format!("close-dots-{i}.md"),
            format!("{front}...\n# H\n"),
        );
        write(
            root,
            &format!("dash-4-{i}.md"),
            format!("{front}----\ntags: [a]\n---\nbody\n"),
        );
        // No title in the front matter: the heading sits across the step.
        write(
            root,
            &format!("heading-{i}.md"),
            format!(
                "---\ndate: 2020-01-01\n---\n{}\n# Heading {i}\n{}",
                "y".repeat(size - 30),
                filler(40_000)
            ),
        );
        write(
            root,
            &format!("setext-{i}.md"),
            format!(
                "{}\nSetext {i}\n======\n{}",
                "z ".repeat((size - 20) / 2),
                filler(9000)
            ),
        );
        // Line endings split across the step.
        let crlf = format!(
            "---\r\ntitle: C{i}\r\npad: {}\r\n---\r\n# Body\r\n",
            "w".repeat(size - 30)
        ) + &"line\r\n".repeat(3000);
        write(root, &format!("crlf-{i}.md"), crlf);
        // A multi-byte character cut by the step, the front matter after it.
        let mut bytes = format!("---\ntitle: 中{i}\npad: ").into_bytes();
        bytes.extend("中".repeat(size / 3 + 1).as_bytes());
        bytes.extend(b"\n---\n");
        bytes.extend(filler(70_000).as_bytes());
        write(root, &format!("cut-{i}.md"), bytes);
        // A damaged byte in the front matter, which spans the step.
        let mut bytes = format!("---\ntitle: L{i}\npad: {}", "l".repeat(size - 20)).into_bytes();
        bytes.extend(b"\xFF\n---\n");
        bytes.extend(filler(9000).as_bytes());
        write(root, &format!("lossy-{i}.md"), bytes);
        // TOML and JSON front matter across the step.
        let toml = format!(
            "+++\ntitle = \"M{i}\"\npad = \"{}\"\n+++\n",
            "t".repeat(size - 20)
        );
        write(root, &format!("toml-{i}.md"), toml + &filler(9000));
        let json = format!(
            "{{\"title\": \"J{i}\", \"pad\": \"{}\"}}\n",
            "j".repeat(size - 25)
        );
        write(root, &format!("json-{i}.md"), json + &filler(9000));
        // A legacy encoding: the title and the first non-ASCII byte across the step.
        let gbk = format!(
            "---\ntitle: 标题{i}\nnote: \"{}\"\n---\n{}",
            "x".repeat(size - 30),
            filler(9000)
        );
        write(
            root,
            &format!("gbk-{i}.md"),
            encoding_rs::GBK.encode(&gbk).0,
        );
        // ASCII front matter, the GBK body after it; up to where it starts past all the
        // settling step read (`legacy_bytes_past_the_head_read_are_left_to_the_reader`).
        if size < 16 * 1024 - 16 {
            let ascii_head = format!(
                "---\ntitle: G{i}\nnote: \"{}\"\n---\n{}",
                "x".repeat(size - 30),
                filler(9000)
            );
            write(
                root,
                &format!("gbk-after-{i}.md"),
                encoding_rs::GBK.encode(&ascii_head).0,
            );
        }
    }
    // UTF-16 with a BOM, longer than a step.
    let text = format!("---\ntitle: 宽\n---\n{}", "字".repeat(10_000));
    let mut utf16 = vec![0xFF, 0xFE];
    for unit in text.encode_utf16() {
        utf16.extend(unit.to_le_bytes());
    }
    write(root, "utf16.md", utf16);
    // UTF-16 without a BOM, and a NUL after the first step: both decided by what the
    // UTF-16 guess sees in the first 4 KiB, whatever the step.
    let mut sniffed = Vec::new();
    for unit in format!("---\ntitle: sniffed\n---\n{}", "text ".repeat(2000)).encode_utf16() {
        sniffed.extend(unit.to_le_bytes());
    }
    write(root, "utf16-sniffed.md", sniffed);
    let mut late_nul = format!("---\ntitle: N\n---\n{}", "n".repeat(2000)).into_bytes();
    late_nul.push(0);
    late_nul.extend(filler(9000).as_bytes());
    write(root, "late-nul.md", late_nul);
    // Nothing that settles: no front matter, no heading, longer than the head.
    write(root, "plain.md", "just text\n".repeat(10_000));
    write(
        root,
        "unclosed.md",
        format!("---\ntitle: U\n{}", "k: v\n".repeat(20_000)),
    );
    assert!(compare_folder(root) > 50);
}

/// A post in a legacy encoding is indexed from enough of its head for the guess (the
/// first step's kilobyte is not taken alone), and says its encoding, even when that
/// kilobyte is ASCII and settles the title.
#[test]
fn a_legacy_encoding_is_found_past_the_first_step() {
    let dir = tempfile::tempdir().expect("tempdir");
    let text = format!(
        "---\ntitle: Plain title\n---\n{}{}",
        "An introduction in English.\n".repeat(40),
        "服务网格是一个基础设施层，用于处理服务间通信。\n".repeat(100)
    );
    let path = write(dir.path(), "late.md", encoding_rs::GBK.encode(&text).0);
    let post = Post::load(&path, "late.md".into());
    assert_eq!(&*post.title, "Plain title");
    assert_eq!(post.meta.encoding.as_deref(), Some("GBK"));
    assert!(post.warnings().is_empty(), "{:?}", post.warnings());
    let (meta, body, _) = post.body_and_meta().expect("read");
    assert_eq!(meta.encoding.as_deref(), Some("GBK"));
    assert!(body.ends_with("用于处理服务间通信。\n"), "{body:?}");
}

/// What the stepped read gives up: a damaged byte past the part of the head it needed
/// is not seen by the index. Reading the post (which decodes all of it) still says so.
#[test]
fn damage_past_the_front_matter_is_reported_when_the_post_is_read() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut bytes = b"---\ntitle: T\n---\n".to_vec();
    bytes.extend("正文\n".repeat(2000).as_bytes());
    bytes.extend(b"\xFF\n");
    let path = write(dir.path(), "late-damage.md", bytes);
    let post = Post::load(&path, "late-damage.md".into());
    assert_eq!(&*post.title, "T");
    assert!(post.warnings().is_empty(), "{:?}", post.warnings());
    let (_, _, warnings) = post.body_and_meta().expect("read");
    assert_eq!(
        front_matter::messages(&warnings),
        ["not valid UTF-8; shown with replacement characters"]
    );
}

/// Also given up: a legacy encoding that starts past all the head the index needed (here
/// after 5 KiB of English) is not named in the list. Reading the post decodes and
/// names it.
#[test]
fn legacy_bytes_past_the_head_read_are_left_to_the_reader() {
    let dir = tempfile::tempdir().expect("tempdir");
    let text = format!(
        "---\ntitle: T\n---\n{}{}",
        "An introduction in English.\n".repeat(200),
        "服务网格是一个基础设施层，用于处理服务间通信。\n".repeat(100)
    );
    let path = write(dir.path(), "late.md", encoding_rs::GBK.encode(&text).0);
    let post = Post::load(&path, "late.md".into());
    assert_eq!((&*post.title, post.meta.encoding.as_deref()), ("T", None));
    let (meta, body, warnings) = post.body_and_meta().expect("read");
    assert_eq!(meta.encoding.as_deref(), Some("GBK"));
    assert!(body.ends_with("用于处理服务间通信。\n"), "{body:?}");
    assert!(warnings.is_empty(), "{warnings:?}");
}

/// The YAML fast path reads what the full parser reads, post by post, and takes most
/// real front matter (or it would not be worth having).
#[test]
fn the_yaml_fast_path_agrees_on_every_post() {
    let mut folders = vec![sample_dir()];
    folders.extend(shared("corpus/real"));
    let generated = tempfile::tempdir().expect("tempdir");
    if let Some(tool) = shared("tools/gen-corpus") {
        let made = Command::new(&tool)
            .args(["-n", "300", "--seed", "11", "--edge-pct", "30"])
            .arg(generated.path())
            .status();
        assert!(made.is_ok_and(|s| s.success()), "gen-corpus ran");
        folders.push(generated.path().to_path_buf());
    }
    let mut files: Vec<PathBuf> = Vec::new();
    for folder in &folders {
        let library = Library::scan(folder).expect("scan");
        files.extend(library.posts().iter().map(|p| folder.join(&p.rel_path)));
    }
    files.extend(
        shared("seeds")
            .into_iter()
            .flat_map(|dir| std::fs::read_dir(dir).expect("seeds"))
            .map(|entry| entry.expect("entry").path()),
    );
    let (mut yaml, mut fast) = (0, 0);
    for path in &files {
        let text = folio::library::text::decode(&std::fs::read(path).expect("read")).text;
        let Some((quick, full)) = folio::library::front_matter::yaml_both_ways(&text) else {
            continue;
        };
        yaml += 1;
        if let Some(quick) = quick {
            fast += 1;
            assert_eq!(Some(quick), full, "{}", path.display());
        }
    }
    assert!(yaml > 0);
    assert!(
        fast * 10 >= yaml * 8,
        "only {fast} of {yaml} YAML blocks took the fast path"
    );
}

//! The index as a user's folder produces it: which files become posts, what title and
//! order they get, how tags merge, and that traps in the file system (FIFOs, links to
//! devices, dangling links, loops) cost a warning, never a hang. Ends with the bundled
//! samples and the real corpus of Chinese posts.

use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Duration;

use folio::library::{Library, Post, tag_key};

mod common;
use common::{missing, sample_dir, shared, write_file as write};

fn rel_paths(library: &Library) -> Vec<String> {
    library
        .posts()
        .iter()
        .map(|p| p.rel_path.to_string_lossy().replace('\\', "/"))
        .collect()
}

fn post<'a>(library: &'a Library, rel: &str) -> &'a Post {
    library
        .posts()
        .iter()
        .find(|p| *p.rel_path == *Path::new(rel))
        .unwrap_or_else(|| panic!("{rel} not indexed: {:?}", rel_paths(library)))
}

/// Scans on another thread, so a hang fails the test instead of stalling the suite.
fn scan_within(root: &Path, limit: Duration) -> Library {
    let (tx, rx) = mpsc::channel();
    let root = root.to_path_buf();
    std::thread::spawn(move || {
        let _ = tx.send(Library::scan(&root));
    });
    rx.recv_timeout(limit)
        .expect("scan finished in time")
        .expect("scan succeeded")
}

/// A small collection with one of each case the walk must decide on.
fn collection() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path();
    write(
        root,
        "posts/a.md",
        "---\ntitle: A\ndate: 2023-01-01\ntags: [Istio, go]\n---\nA body\n",
    );
    write(
        root,
        "posts/b.markdown",
        "---\ntitle: B\ndate: 2024-01-01T08:00:00+08:00\ntags: [istio]\n---\n",
    );
    write(
        root,
        "posts/c.MD",
        "---\ntitle: C\ndate: 2022-06-01\ntags: [Go, rust]\n---\n",
    );
    write(root, "posts/undated.md", "---\ntitle: Undated\n---\n");
    write(root, "posts/_index.md", "---\ntitle: Section\n---\n");
    write(root, "notes.txt", "# not a post\n");
    write(root, ".hidden/h.md", "---\ntitle: Hidden\n---\n");
    write(root, "ignored/i.md", "---\ntitle: Ignored\n---\n");
    write(root, ".gitignore", "ignored/\n*.draft.md\n");
    write(root, "posts/wip.draft.md", "---\ntitle: WIP\n---\n");
    dir
}

#[test]
fn walk_picks_posts_only() {
    let dir = collection();
    let library = Library::scan(dir.path()).expect("scan");
    let mut paths = rel_paths(&library);
    paths.sort();
    assert_eq!(
        paths,
        [
            "posts/a.md",
            "posts/b.markdown",
            "posts/c.MD",
            "posts/undated.md"
        ]
    );
    assert!(library.warnings.is_empty(), "{:?}", library.warnings);
    assert!(library.posts().iter().all(|p| p.warnings().is_empty()));
}

#[test]
fn newest_first_undated_last() {
    let dir = collection();
    let library = Library::scan(dir.path()).expect("scan");
    let titles: Vec<&str> = library.posts().iter().map(|p| &*p.title).collect();
    assert_eq!(titles, ["B", "A", "C", "Undated"]);
}

#[test]
fn equal_dates_order_by_title_then_path() {
    let dir = tempfile::tempdir().expect("tempdir");
    for (rel, title) in [("z.md", "Same"), ("y.md", "Alpha"), ("x.md", "Same")] {
        write(
            dir.path(),
            rel,
            format!("---\ntitle: {title}\ndate: 2020-01-01\n---\n"),
        );
    }
    let library = Library::scan(dir.path()).expect("scan");
    assert_eq!(rel_paths(&library), ["y.md", "x.md", "z.md"]);
}

#[test]
fn tags_merge_case_insensitively() {
    let dir = collection();
    let library = Library::scan(dir.path()).expect("scan");
    let tags: Vec<(String, usize)> = library
        .tags()
        .iter()
        .map(|t| (t.name.clone(), t.count))
        .collect();
    // Each spelling is used once, so the tie goes to the first alphabetically
    // (`Go` < `go`, `Istio` < `istio`); equal counts are ordered by name.
    let want = [("Go", 2), ("Istio", 2), ("rust", 1)].map(|(n, c)| (n.to_string(), c));
    assert_eq!(tags, want);
    assert_eq!(tag_key("  ISTIO "), "istio");
    assert!(post(&library, "posts/a.md").has_tag("ISTIO"));
    assert!(!post(&library, "posts/a.md").has_tag("rust"));
}

#[test]
fn filter_by_tags_is_and() {
    let dir = collection();
    let library = Library::scan(dir.path()).expect("scan");
    let titles = |tags: &[&str]| -> Vec<String> {
        let tags: Vec<String> = tags.iter().map(|t| t.to_string()).collect();
        library
            .filter_by_tags(&tags)
            .into_iter()
            .map(|i| library.posts()[i].title.to_string())
            .collect()
    };
    assert_eq!(titles(&["ISTIO"]), ["B", "A"]);
    assert_eq!(titles(&["istio", "Go"]), ["A"]);
    assert_eq!(titles(&["go", "rust"]), ["C"]);
    assert!(titles(&["istio", "rust"]).is_empty());
    assert_eq!(titles(&[]).len(), library.posts().len());
}

#[test]
fn categories_are_counted_like_tags() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), "a.md", "---\ncategories: \"envoy\"\n---\n");
    write(dir.path(), "b.md", "---\ncategories: [Envoy, istio]\n---\n");
    let library = Library::scan(dir.path()).expect("scan");
    let cats = library.categories();
    assert_eq!((cats[0].name.as_str(), cats[0].count), ("Envoy", 2));
    assert_eq!((cats[1].name.as_str(), cats[1].count), ("istio", 1));
}

#[test]
fn broken_front_matter_is_listed_with_a_fallback_title() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path();
    write(
        root,
        "with-heading.md",
        "---\ntitle: [broken\n---\n\n```sh\n# not this\n```\n# The Heading ##\n",
    );
    write(
        root,
        "no-heading.md",
        "---\ntitle: [broken\n---\nplain text\n",
    );
    write(
        root,
        "bundle-name/index.md",
        "---\ntitle: [broken\n---\nplain text\n",
    );
    write(root, "unclosed.md", "---\ntitle: x\n\n# Unclosed Heading\n");
    let library = Library::scan(root).expect("scan");
    assert_eq!(library.posts().len(), 4);
    let heading = post(&library, "with-heading.md");
    assert_eq!(&*heading.title, "The Heading");
    assert_eq!(heading.warnings().len(), 1);
    assert!(
        heading.warnings()[0].starts_with("YAML front matter not parsed (line"),
        "{:?}",
        heading.warnings()
    );
    assert_eq!(&*post(&library, "no-heading.md").title, "no-heading");
    assert_eq!(
        &*post(&library, "bundle-name/index.md").title,
        "bundle-name"
    );
    let unclosed = post(&library, "unclosed.md");
    assert_eq!(&*unclosed.title, "Unclosed Heading");
    assert!(unclosed.warnings()[0].contains("not closed"));
}

#[test]
fn odd_encodings_and_binary_are_listed_with_warnings() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path();
    let mut utf16 = vec![0xFF, 0xFE];
    for unit in "---\r\ntitle: 宽字符\r\n---\r\nbody\r\n".encode_utf16() {
        utf16.extend_from_slice(&unit.to_le_bytes());
    }
    write(root, "utf16.md", utf16);
    write(root, "latin.md", b"---\ntitle: caf\xE9\n---\n");
    // UTF-8 with a damaged byte among many good characters.
    let mut damaged = "---\ntitle: 正文\n---\n".as_bytes().to_vec();
    damaged.extend("正文".repeat(10).as_bytes());
    damaged.extend(b"\xFF\n");
    write(root, "damaged.md", damaged);
    write(root, "image.md", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x10");
    write(root, "empty.md", b"");
    let library = Library::scan(root).expect("scan");
    let utf16 = post(&library, "utf16.md");
    assert_eq!(&*utf16.title, "宽字符");
    assert!(utf16.warnings().is_empty(), "{:?}", utf16.warnings());
    assert_eq!(utf16.meta.encoding.as_deref(), Some("UTF-16LE"));
    // Not UTF-8, so guessed: Latin-1 as windows-1252 (its superset).
    let latin = post(&library, "latin.md");
    assert_eq!(&*latin.title, "caf\u{e9}");
    assert!(latin.warnings().is_empty(), "{:?}", latin.warnings());
    assert_eq!(latin.meta.encoding.as_deref(), Some("windows-1252"));
    let damaged = post(&library, "damaged.md");
    assert_eq!(&*damaged.title, "正文");
    assert_eq!(
        damaged.warnings(),
        ["not valid UTF-8; shown with replacement characters"]
    );
    assert_eq!(damaged.meta.encoding, None);
    let image = post(&library, "image.md");
    assert_eq!(image.warnings(), ["binary file, not shown"]);
    assert_eq!(&*image.title, "image");
    assert!(image.read_text().is_err());
    let empty = post(&library, "empty.md");
    assert_eq!(&*empty.title, "empty");
    assert!(empty.warnings().is_empty());
}

#[test]
fn head_only_index_and_whole_body_on_demand() {
    let dir = tempfile::tempdir().expect("tempdir");
    let body = "段落。\n".repeat(100_000);
    write(
        dir.path(),
        "big.md",
        format!("---\ntitle: Big\ntags: [t]\n---\n{body}"),
    );
    let library = Library::scan(dir.path()).expect("scan");
    let big = post(&library, "big.md");
    assert_eq!(&*big.title, "Big");
    assert!(
        big.warnings().is_empty(),
        "a cut mid-character must not look lossy: {:?}",
        big.warnings()
    );
    let (meta, text, warnings) = big.body_and_meta().expect("read");
    assert_eq!(meta.tags, ["t"]);
    assert_eq!(text, body);
    assert!(warnings.is_empty());
}

#[test]
fn front_matter_larger_than_the_head_is_a_warning() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut text = String::from("---\ntitle: big\n");
    while text.len() < 100 * 1024 {
        text.push_str("filler: \"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\"\n");
    }
    text.push_str("---\n# After\n");
    write(dir.path(), "huge-front.md", &text);
    let library = Library::scan(dir.path()).expect("scan");
    let huge = post(&library, "huge-front.md");
    assert_eq!(&*huge.title, "huge-front");
    assert_eq!(huge.warnings().len(), 1);
    assert!(
        huge.warnings()[0].contains("not closed within 64 KiB"),
        "{:?}",
        huge.warnings()
    );
    let (_, body, warnings) = huge.body_and_meta().expect("read");
    assert_eq!(body, "# After\n");
    assert!(warnings[0].message.contains("larger than 64 KiB"));
}

#[test]
fn fifo_does_not_hang_the_scan() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), "real.md", "# Real\n");
    let fifo = dir.path().join("p.md");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status();
    if !made.is_ok_and(|s| s.success()) {
        missing("mkfifo");
        return;
    }
    let library = scan_within(dir.path(), Duration::from_secs(20));
    assert_eq!(rel_paths(&library), ["real.md"]);
    assert!(
        library.warnings.iter().any(|w| w.contains("p.md")),
        "{:?}",
        library.warnings
    );
    // Loading it directly (as `folio p.md` would) warns instead of blocking.
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(Post::load(&fifo, PathBuf::from("p.md")));
    });
    let post = rx
        .recv_timeout(Duration::from_secs(20))
        .expect("load returned");
    assert_eq!(&*post.title, "p");
    assert!(
        post.warnings()
            .iter()
            .any(|w| w.contains("not a regular file")),
        "{:?}",
        post.warnings()
    );
    assert!(post.read_text().is_err());
}

#[cfg(unix)]
#[test]
fn links_loops_devices_and_dangling() {
    use std::os::unix::fs::symlink;
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path();
    write(root, "sub/real.md", "---\ntitle: Real\n---\n");
    symlink(".", root.join("sub/loop")).expect("loop link");
    symlink("/dev/zero", root.join("zero.md")).expect("device link");
    symlink("nowhere.md", root.join("dead.md")).expect("dangling link");
    symlink("sub/real.md", root.join("alias.md")).expect("file link");
    let library = scan_within(root, Duration::from_secs(20));
    let mut paths = rel_paths(&library);
    paths.sort();
    assert_eq!(paths, ["alias.md", "sub/real.md"]);
    let warned = library.warnings.join("\n");
    assert!(
        warned.contains("zero.md") && warned.contains("dead.md"),
        "{warned}"
    );
}

#[test]
fn a_post_is_found_by_its_path_however_spelled() {
    let dir = collection();
    let mut library = Library::scan(dir.path()).expect("scan");
    let plain = dir.path().join("posts/a.md");
    let id = library.id_of_path(&plain).expect("found");
    assert_eq!(id.as_str(), "posts/a.md");
    assert_eq!(&*library.get(&id).expect("post").title, "A");
    let roundabout = dir.path().join("posts/../posts/./a.md");
    assert_eq!(library.id_of_path(&roundabout), Some(id));
    assert_eq!(library.id_of_path(&dir.path().join("notes.txt")), None);

    let txt = dir.path().join("notes.txt");
    let at = library.insert_sorted(Post::load(&txt, PathBuf::from("notes.txt")));
    assert_eq!(&*library.get(&at).expect("post").title, "not a post");
    assert_eq!(
        library.position(&at),
        Some(library.posts().len() - 1),
        "undated goes last"
    );
    assert_eq!(library.id_of_path(&txt), Some(at));
}

#[test]
fn root_must_be_an_existing_folder() {
    let dir = tempfile::tempdir().expect("tempdir");
    let missing = dir.path().join("missing");
    let err = Library::scan(&missing).expect_err("missing root");
    assert!(err.to_string().contains("missing"), "{err}");
    write(dir.path(), "file.md", "# x\n");
    let err = Library::scan(&dir.path().join("file.md")).expect_err("file root");
    assert!(err.to_string().contains("not a folder"), "{err}");
}

#[test]
fn to_json_has_the_fields_list_prints() {
    let dir = collection();
    let library = Library::scan(dir.path()).expect("scan");
    let json = post(&library, "posts/b.markdown").to_json();
    assert_eq!(json["title"], "B");
    assert_eq!(json["date"], "2024-01-01T08:00:00+08:00");
    assert_eq!(json["path"], "posts/b.markdown");
    assert_eq!(json["tags"], serde_json::json!(["istio"]));
    assert_eq!(post(&library, "posts/a.md").to_json()["date"], "2023-01-01");
    assert_eq!(
        post(&library, "posts/undated.md").to_json()["date"],
        serde_json::Value::Null
    );
}

#[test]
fn sample_posts_all_index() {
    let library = Library::scan(&sample_dir()).expect("scan samples");
    assert!(!library.posts().is_empty());
    for post in library.posts() {
        assert!(!post.title.trim().is_empty(), "{}", post.rel_path.display());
    }
    let embedded = folio::samples::library();
    assert_eq!(
        embedded.posts().len(),
        library.posts().len(),
        "embedded samples follow the same rules"
    );
}

#[test]
fn real_corpus_indexes() {
    let Some(corpus) = shared("corpus/real") else {
        return;
    };
    let library = Library::scan(&corpus).expect("scan corpus");
    assert!(
        library.posts().len() >= 300,
        "{} posts",
        library.posts().len()
    );
    assert!(library.warnings.is_empty(), "{:?}", library.warnings);
    assert!(
        library
            .posts()
            .iter()
            .all(|p| p.rel_path.file_name().is_some_and(|n| n != "_index.md")),
        "section pages are not posts"
    );
    for post in library.posts() {
        assert!(!post.title.trim().is_empty(), "{}", post.rel_path.display());
        assert!(
            post.warnings().is_empty(),
            "{}: {:?}",
            post.rel_path.display(),
            post.warnings()
        );
    }
    let dated = library
        .posts()
        .iter()
        .filter(|p| p.meta.date.is_some())
        .count();
    assert!(
        dated * 10 >= library.posts().len() * 9,
        "{dated} of {} dated",
        library.posts().len()
    );
    // Case variants of a tag are one tag.
    let tags = library.tags();
    let istio: Vec<_> = tags
        .iter()
        .filter(|t| tag_key(&t.name) == "istio")
        .collect();
    assert_eq!(istio.len(), 1);
    assert!(istio[0].count > 50);
    let keys = library.filter_by_tags(&["Istio".to_string()]);
    assert_eq!(keys.len(), istio[0].count);
}

//! The renderer over real material: every sample post and fixture snapshotted at several
//! widths (plain text and a style-marked dump), and every post of the real corpus laid
//! out at several widths with no over-wide line and no control character.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use folio::library::{Library, Source};
use folio::markdown::{self, Laid, LayoutOptions, plain_dump, styled_dump};

mod common;
use common::{
    assert_laid_fits, assert_same_layout, commonmark_examples, folio, post_files, read_post,
    require_program, root, sample_dir, shared,
};

/// The real corpus of Chinese posts (`../shared/corpus/real`).
fn corpus() -> Option<PathBuf> {
    shared("corpus/real")
}

/// Lays out a post file the way `folio print` does.
fn render_file(path: &Path, width: usize) -> Laid {
    render_with(path, width, markdown::HighlightMode::Eager)
}

/// Colours do not change widths: corpus-wide checks skip highlighting to stay quick.
fn render_with(path: &Path, width: usize, highlight: markdown::HighlightMode) -> Laid {
    let (meta, body) = read_post(path);
    let doc = markdown::parse(&body);
    markdown::layout(
        &doc,
        &LayoutOptions {
            width,
            meta: Some(meta),
            base_dir: path.parent().map(Path::to_path_buf),
            code_theme: None,
            numbered_links: false,
            highlight,
            estimated_minutes: None,
            ambiguous_width: 1,
            images: None,
        },
    )
}

fn sample_posts() -> Vec<PathBuf> {
    let paths = post_files(&sample_dir());
    assert!(
        paths.len() >= 8,
        "expected the sample posts, found {paths:?}"
    );
    paths
}

fn snapshot_name(path: &Path) -> String {
    let rel = path.strip_prefix(root()).unwrap_or(path);
    rel.to_string_lossy()
        .trim_start_matches("sample-posts/")
        .trim_start_matches("tests/fixtures/")
        .replace(['/', '.'], "_")
}

#[test]
fn sample_posts_snapshot_at_every_width() {
    for path in sample_posts() {
        let name = snapshot_name(&path);
        for width in [20, 40, 41, 80, 120] {
            let laid = render_file(&path, width);
            assert_laid_fits(&laid, width, &name);
            insta::assert_snapshot!(format!("{name}__w{width}"), plain_dump(&laid));
        }
        let laid = render_file(&path, 80);
        insta::assert_snapshot!(format!("{name}__styled_w80"), styled_dump(&laid));
    }
}

#[test]
fn fixtures_snapshot_plain_and_styled() {
    let dir = root().join("tests/fixtures/render");
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("fixtures folder")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "md"))
        .collect();
    paths.sort();
    assert!(!paths.is_empty());
    for path in paths {
        let name = snapshot_name(&path);
        for width in [20, 40, 41, 80, 120] {
            let laid = render_file(&path, width);
            assert_laid_fits(&laid, width, &name);
            insta::assert_snapshot!(format!("{name}__w{width}"), plain_dump(&laid));
        }
        insta::assert_snapshot!(
            format!("{name}__styled_w80"),
            styled_dump(&render_file(&path, 80))
        );
    }
}

#[test]
fn tiny_widths_never_overflow() {
    for path in sample_posts() {
        for width in [1, 2, 3, 5, 7] {
            let laid = render_file(&path, width);
            assert_laid_fits(&laid, width, &snapshot_name(&path));
        }
    }
}

#[test]
fn real_corpus_lays_out_clean_at_20_80_120() {
    let Some(dir) = corpus() else {
        return;
    };
    let library = Library::scan(&dir).expect("scan corpus");
    assert!(library.posts().len() > 100);
    for post in library.posts() {
        let Source::File(path) = &post.source else {
            continue;
        };
        for width in [20, 80, 120] {
            let laid = render_with(path, width, markdown::HighlightMode::Off);
            assert_laid_fits(&laid, width, &path.display().to_string());
            assert!(
                !laid.lines.is_empty(),
                "{} rendered nothing",
                path.display()
            );
        }
    }
}

/// The shared width-check tool (Python) judges the real `folio print` output, so the
/// check does not rely on folio's own idea of display width.
#[test]
fn real_corpus_passes_the_width_check_tool() {
    let (Some(dir), Some(tool), true) = (
        corpus(),
        shared("tools/width-check"),
        require_program("python3"),
    ) else {
        return;
    };
    let library = Library::scan(&dir).expect("scan corpus");
    for post in library.posts().iter().step_by(3) {
        let folio::library::Source::File(path) = &post.source else {
            continue;
        };
        for width in [20, 80, 120] {
            let printed = folio()
                .args(["print", "--width", &width.to_string()])
                .arg(path)
                .output()
                .expect("folio print");
            assert!(printed.status.success(), "{}", path.display());
            let mut check = Command::new("python3")
                .arg(&tool)
                .arg(width.to_string())
                .stdin(Stdio::piped())
                .stdout(Stdio::piped())
                .spawn()
                .expect("width-check");
            use std::io::Write;
            check
                .stdin
                .take()
                .expect("stdin")
                .write_all(&printed.stdout)
                .expect("feed width-check");
            let verdict = check.wait_with_output().expect("width-check result");
            assert!(
                verdict.status.success(),
                "{} at {width}: {}",
                path.display(),
                String::from_utf8_lossy(&verdict.stdout)
            );
        }
    }
}

#[test]
fn unknown_shortcodes_are_dimmed_and_the_posts_own_code_is_not() {
    let doc = markdown::parse("{{< mything a=1 >}} and `real code`");
    let laid = markdown::layout(
        &doc,
        &LayoutOptions {
            width: 80,
            ..LayoutOptions::default()
        },
    );
    let role_of = |needle: &str| {
        laid.lines
            .iter()
            .flat_map(|l| l.spans())
            .find(|s| s.text.contains(needle))
            .map(|s| s.style.role)
    };
    assert_eq!(role_of("mything"), Some(markdown::Role::Dim));
    assert_eq!(role_of("real code"), Some(markdown::Role::InlineCode));
    assert_eq!(
        laid.lines.get(0).expect("row").plain_text().trim(),
        "{{< mything a=1 >}} and real code"
    );
}

/// Long posts are laid out a batch of blocks at a time in parallel; on real posts, with
/// print mode's numbered links, that must give what laying them out in order gives.
#[test]
fn parallel_layout_matches_in_order_on_real_posts() {
    let mut paths = sample_posts();
    if let Some(dir) = corpus() {
        paths.extend(post_files(&dir));
    }
    for path in paths {
        let (meta, body) = read_post(&path);
        let doc = markdown::parse(&body);
        let opts = LayoutOptions {
            width: 80,
            meta: Some(meta),
            numbered_links: true,
            highlight: markdown::HighlightMode::Off,
            ..LayoutOptions::default()
        };
        let parallel = markdown::layout(&doc, &opts);
        let in_order = markdown::layout_in_order(&doc, &opts);
        assert!(
            parallel.lines == in_order.lines && parallel.links == in_order.links,
            "{}: parallel layout differs",
            path.display()
        );
        // The reader lays a long post out a group of pieces at a time; cut small here,
        // so that every post that can be cut is.
        let in_pieces = markdown::layout_in_pieces(&body, &opts, 256, &|| true).expect("wanted");
        assert_same_layout(&in_pieces, &parallel, &path.display().to_string());
    }
}

#[test]
fn the_head_of_a_long_body_ends_at_a_blank_line_outside_code() {
    assert_eq!(markdown::head_of("short\n\nbody", 100), "short\n\nbody");
    let body = "para one\n\n```\ncode\n\nstill code\n```\n\nafter\n\nlast";
    // The cut point is past "para one", inside the fence: the head runs to the blank
    // line after the fence closes.
    let head = markdown::head_of(body, 12);
    assert_eq!(head, "para one\n\n```\ncode\n\nstill code\n```\n\n");
    let tilde = "x\n\n~~~~\n```\n\n~~~~\n\ny";
    assert_eq!(markdown::head_of(tilde, 4), "x\n\n~~~~\n```\n\n~~~~\n\n");
    // An unclosed fence: no cut at all.
    assert_eq!(markdown::head_of("a\n\n```\nb\n\nc", 4), "a\n\n```\nb\n\nc");
}

/// A long post of every kind of block with links: laid out in parallel, laid out a
/// group of pieces at a time as the reader does a long post, and printed in many
/// pieces parsed in groups, it gives what laying it out in order gives (lines, links,
/// rows, headings, blocks).
#[test]
fn a_long_post_lays_out_and_prints_as_in_order() {
    let footnoted = "A note[^n].\n\n[^n]: With [a link](https://note.example).\n\n";
    let body: String = (0..1500)
        .map(|i| match i % 5 {
            // A heading repeated in every piece: its anchors are numbered across them.
            0 => format!("## 第 {i} 节 [#{i}](#top)\n\n### 小结\n\n"),
            1 => format!(
                "段落 {i}，见 [链接](https://example.com/{}) 与 [别处](https://x.org).\n\n",
                i % 7
            ),
            2 => format!("| a | 版本 |\n|---|---|\n| [t](https://t.example/{i}) | {i} |\n\n"),
            3 => format!("- item {i}\n  - [nested](https://n.example)\n\n"),
            _ => format!("```rust\nfn f{i}() {{}}\n```\n\n"),
        })
        .collect();
    let doc = markdown::parse(&body);
    assert!(doc.blocks.len() > 1000);
    assert!(
        markdown::pieces::pieces(&body, 512).len() > 50,
        "cut into many pieces"
    );
    // As the reader lays it out: a card on top, code left to highlight; and a body
    // with footnotes, which is not cut (their definitions act across the document).
    let meta = folio::library::Meta {
        title: Some("一篇长文 A long post".into()),
        tags: ["istio", "长文"].iter().collect(),
        ..Default::default()
    };
    let reader = LayoutOptions {
        width: 60,
        meta: Some(meta),
        highlight: markdown::HighlightMode::Lazy,
        ..LayoutOptions::default()
    };
    for body in [body.clone(), format!("{footnoted}{body}")] {
        let whole = markdown::layout_in_order(&markdown::parse(&body), &reader);
        assert!(!whole.code.is_empty() && !whole.block_code.is_empty());
        let in_pieces = markdown::layout_in_pieces(&body, &reader, 512, &|| true).expect("wanted");
        assert_same_layout(&in_pieces, &whole, "the reader's layout in pieces");
    }
    for numbered_links in [false, true] {
        let opts = LayoutOptions {
            width: 60,
            numbered_links,
            ..LayoutOptions::default()
        };
        let parallel = markdown::layout(&doc, &opts);
        let in_order = markdown::layout_in_order(&doc, &opts);
        assert_same_layout(&parallel, &in_order, "parallel");
        let in_pieces = markdown::layout_in_pieces(&body, &opts, 512, &|| true).expect("wanted");
        assert_same_layout(&in_pieces, &in_order, "in pieces");
        let mut in_order_text = String::new();
        styled_text(&in_order.lines.to_vec(), &mut in_order_text);
        let printed = markdown::render_in_pieces(&body, &opts, &styled_text, 512).concat();
        assert!(printed == in_order_text, "printed in pieces differs");
    }
}

/// Lines as text with every span's style, but not its link id (an index into one
/// layout's link table, which print does not use).
fn styled_text(lines: &[markdown::Line], out: &mut String) {
    for line in lines {
        for span in &line.spans {
            let style = markdown::Style {
                link: None,
                ..span.style
            };
            out.push_str(&format!("{:?}{style:?}", span.text));
        }
        out.push('\n');
    }
}

fn in_order_text(body: &str, opts: &LayoutOptions) -> String {
    let mut out = String::new();
    styled_text(
        &markdown::layout_in_order(&markdown::parse(body), opts)
            .lines
            .to_vec(),
        &mut out,
    );
    out
}

/// Print parses a long body in pieces cut between top-level blocks, on all cores: on
/// every real post, cut as finely as the cuts allow, the text is what laying the whole
/// out in order gives.
#[test]
fn printing_in_pieces_matches_in_order_on_real_posts() {
    let mut paths = sample_posts();
    if let Some(dir) = corpus() {
        paths.extend(post_files(&dir));
    }
    let mut cut = 0;
    for path in paths {
        let (meta, body) = read_post(&path);
        let opts = LayoutOptions {
            width: 72,
            meta: Some(meta),
            numbered_links: true,
            highlight: markdown::HighlightMode::Off,
            ..LayoutOptions::default()
        };
        let whole = in_order_text(&body, &opts);
        for piece_bytes in [1, 300] {
            let pieces =
                markdown::render_in_pieces(&body, &opts, &styled_text, piece_bytes).concat();
            assert!(
                pieces == whole,
                "{} in pieces of {piece_bytes}",
                path.display()
            );
        }
        let prepared = markdown::shortcode::expand(&body);
        cut += usize::from(markdown::pieces::pieces(&prepared, 300).len() > 1);
    }
    assert!(cut > 5, "real posts with blocks to cut between: {cut}");
}

/// Every CommonMark example, between paragraphs, cut as finely as the cuts allow: the
/// hardest material for the cuts, which must not change a thing.
#[test]
fn printing_in_pieces_matches_in_order_on_commonmark_examples() {
    let examples = commonmark_examples();
    let opts = LayoutOptions {
        width: 60,
        numbered_links: true,
        ..LayoutOptions::default()
    };
    let mut cut = 0;
    for ex in &examples {
        let body = format!("Before.\n\n{}\n\nAfter.\n\nThe end.\n", ex.markdown);
        let whole = in_order_text(&body, &opts);
        let pieces = markdown::render_in_pieces(&body, &opts, &styled_text, 1).concat();
        assert!(pieces == whole, "example {}: {:?}", ex.n, ex.markdown);
        cut += usize::from(markdown::pieces::pieces(&body, 1).len() > 2);
    }
    assert!(
        cut > examples.len() / 3,
        "examples cut inside or after: {cut}"
    );
}

/// A long post is printed as it is laid out, behind a card whose reading time is an
/// estimate: apart from that estimate, the text is what printing it whole gives.
#[test]
fn printing_as_it_goes_matches_printing_whole_but_for_the_estimate() {
    let mut paths = sample_posts();
    if let Some(dir) = corpus() {
        paths.extend(post_files(&dir).into_iter().take(40));
    }
    // The card (up to the first blank line) holds the reading time, and may wrap
    // differently with it; what follows must be the same.
    let without_reading_time = |text: &str| -> Vec<String> {
        text.lines()
            .skip_while(|l| !l.is_empty())
            .map(String::from)
            .collect()
    };
    for path in paths {
        let (meta, body) = read_post(&path);
        let opts = LayoutOptions {
            width: 72,
            meta: Some(meta),
            numbered_links: true,
            highlight: markdown::HighlightMode::Off,
            ..LayoutOptions::default()
        };
        let whole = markdown::render_in_pieces(&body, &opts, &styled_text, 300).concat();
        let mut streamed = Vec::new();
        markdown::print_streaming(&body, &opts, &styled_text, 300, &mut streamed)
            .expect("into a Vec");
        let streamed = String::from_utf8(streamed).expect("UTF-8");
        assert_eq!(
            without_reading_time(&streamed),
            without_reading_time(&whole),
            "{}",
            path.display()
        );
        let card = |text: &str| -> String { text.lines().take_while(|l| !l.is_empty()).collect() };
        if card(&whole).contains("min read") {
            assert!(
                card(&streamed).contains('~'),
                "an estimate: {}",
                path.display()
            );
        }
    }
}

/// The card and the first blocks are written before most of a long post is laid out:
/// when the first text reaches the output, few of its blocks have been rendered yet.
#[test]
fn a_long_post_reaches_the_output_before_it_is_all_laid_out() {
    use std::sync::atomic::{AtomicUsize, Ordering};
    let paragraph = "开源社区的发展离不开每一位贡献者。".repeat(20);
    let body: String = (0..20_000)
        .map(|i| format!("## 第 {i} 节\n\n{paragraph}\n\n"))
        .collect();
    assert!(body.len() > markdown::STREAM_BYTES);
    let rendered = AtomicUsize::new(0);
    let render = |lines: &[markdown::Line], out: &mut String| {
        rendered.fetch_add(1, Ordering::Relaxed);
        styled_text(lines, out);
    };
    /// Notes how many renders had happened at each write.
    struct Watch<'a> {
        rendered: &'a AtomicUsize,
        at_writes: Vec<usize>,
    }
    impl std::io::Write for Watch<'_> {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.at_writes.push(self.rendered.load(Ordering::Relaxed));
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let mut watch = Watch {
        rendered: &rendered,
        at_writes: Vec::new(),
    };
    let opts = LayoutOptions {
        width: 80,
        meta: Some(Default::default()),
        ..LayoutOptions::default()
    };
    markdown::print_document(&body, &opts, &render, &mut watch).expect("written");
    let total = rendered.load(Ordering::Relaxed);
    assert!(total >= 40_000, "every block rendered: {total}");
    let first_body_write = watch.at_writes.get(1).copied().unwrap_or(total);
    assert!(
        first_body_write < total / 10,
        "the first blocks were written after {first_body_write} of {total} renders"
    );
    assert!(watch.at_writes.len() > 10, "written in many parts");
}

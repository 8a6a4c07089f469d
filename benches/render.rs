//! Render benchmark on the 5 MB post from `../shared/tools/gen-corpus --huge` (or the
//! file named by `FOLIO_BENCH_POST`): pulldown-cmark's own parse as the baseline, then
//! folio's parse, layout without highlighting, highlighting, and the reader's first
//! screen (lazy highlighting). Run with `cargo bench --bench render`.

use std::path::PathBuf;
use std::process::Command;
use std::time::Duration;

use folio::library::{front_matter, text};
use folio::markdown::{self, HighlightMode, LayoutOptions};

mod common;
use common::median;

// The allocator the folio binary uses, so the figures are the binary's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn huge_post() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("FOLIO_BENCH_POST") {
        return Some(PathBuf::from(path));
    }
    let tool = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/tools/gen-corpus");
    let out = std::env::temp_dir().join("folio-bench-huge");
    let post = out.join("huge/huge-post.md");
    if post.exists() {
        return Some(post);
    }
    let status = Command::new(&tool)
        .args(["-n", "0", "--huge"])
        .arg(&out)
        .status()
        .ok()?;
    (status.success() && post.exists()).then_some(post)
}

fn main() {
    let Some(path) = huge_post() else {
        eprintln!(
            "skipped: no huge post (set FOLIO_BENCH_POST or provide ../shared/tools/gen-corpus)"
        );
        return;
    };
    let bytes = std::fs::read(&path).expect("read huge post");
    let (meta, body, _) = front_matter::split_body(text::decode(&bytes).text);
    let options = |width, highlight| LayoutOptions {
        width,
        meta: Some(meta.clone()),
        highlight,
        ..LayoutOptions::default()
    };
    println!(
        "post: {} ({:.1} MB)",
        path.display(),
        bytes.len() as f64 / 1e6
    );

    let pulldown = median(5, || {
        let n = pulldown_cmark::Parser::new_ext(&body, pulldown_cmark::Options::all()).count();
        std::hint::black_box(n);
    });
    let doc = markdown::parse(&body);
    let parse = median(5, || {
        std::hint::black_box(markdown::parse(&body));
    });
    let layout_plain = median(5, || {
        std::hint::black_box(markdown::layout(&doc, &options(100, HighlightMode::Off)));
    });
    let layout_eager = median(3, || {
        std::hint::black_box(markdown::layout(&doc, &options(100, HighlightMode::Eager)));
    });
    // What the reader does before its first frame: parse the head and lay out the first
    // screens (`first_screens`, as `App::show_post` does for long posts), colour them.
    let first_screen = median(5, || {
        let head = markdown::first_screens_head(&body);
        let mut laid =
            markdown::first_screens(head, body.len(), &options(100, HighlightMode::Lazy), 120);
        laid.highlight_rows(0..40, None);
        std::hint::black_box(laid.lines.len());
    });
    // What the reader's layout job does for a long post, as it did (the whole parsed,
    // then laid out) and as it does (a group of pieces at a time, into the packed
    // store), with the layout's size.
    let reader = options(100, HighlightMode::Lazy);
    let reader_whole = median(3, || {
        let doc = markdown::parse(&body);
        std::hint::black_box(markdown::layout(&doc, &reader));
    });
    let reader_pieces = median(3, || {
        let laid = markdown::layout_in_pieces(&body, &reader, markdown::PIECE_BYTES, &|| true);
        std::hint::black_box(laid);
    });
    let laid = markdown::layout(&doc, &reader);
    let spans: usize = laid.lines.iter().map(|l| l.spans().count()).sum();
    let text: usize = laid
        .lines
        .iter()
        .flat_map(|l| l.spans())
        .map(|s| s.text.len())
        .sum();
    println!(
        "reader layout: {} rows, {spans} spans, {:.1} MB of text, store {:.1} MB",
        laid.lines.len(),
        text as f64 / 1e6,
        laid.lines.heap_bytes() as f64 / 1e6
    );
    drop(laid);
    // What `folio print` runs: the body cut into pieces parsed and laid out on all
    // cores, rendered to text.
    let render = |lines: &[markdown::Line], out: &mut String| {
        for line in lines {
            line.spans.iter().for_each(|s| out.push_str(&s.text));
            out.push('\n');
        }
    };
    let print = |runs, highlight| {
        let opts = LayoutOptions {
            numbered_links: true,
            ..options(100, highlight)
        };
        median(runs, || {
            std::hint::black_box(markdown::render_document(&body, &opts, &render));
        })
    };
    let print_plain = print(5, HighlightMode::Off);
    let print_coloured = print(3, HighlightMode::Eager);
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!("pulldown-cmark parse         {:9.1} ms", ms(pulldown));
    println!("folio parse                  {:9.1} ms", ms(parse));
    println!("layout, no highlighting      {:9.1} ms", ms(layout_plain));
    println!(
        "highlighting (eager - plain) {:9.1} ms",
        ms(layout_eager.saturating_sub(layout_plain))
    );
    println!(
        "plain print (render_document){:9.1} ms = {:.1}x pulldown",
        ms(print_plain),
        print_plain.as_secs_f64() / pulldown.as_secs_f64()
    );
    println!("coloured print (render_doc.) {:9.1} ms", ms(print_coloured));
    println!(
        "reader first screen          {:9.1} ms (parse + first screens laid out + highlighted)",
        ms(first_screen)
    );
    println!("reader whole: parse + layout {:9.1} ms", ms(reader_whole));
    println!(
        "reader whole, in pieces      {:9.1} ms = {:.2}x parse + layout",
        ms(reader_pieces),
        reader_pieces.as_secs_f64() / reader_whole.as_secs_f64()
    );
}

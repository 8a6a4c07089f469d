//! The reader's first frame of a post with 20 large images against the same post
//! without them, in one run, as a ratio: pictures are probed, decoded and encoded on
//! the image thread, so the first frame (open the post, lay it out, draw it, queue the
//! image jobs) should cost about the same either way. Also timed, for scale: what that
//! thread does for one of the pictures, all of which the first frame leaves out.
//! Run with `cargo bench --bench images`.

use std::path::Path;
use std::time::Duration;

use folio::app::{App, Effect};
use folio::effects;
use folio::images::detect::Graphics;
use folio::images::worker::Work;
use folio::library::Library;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

mod common;
use common::median;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const IMAGES: usize = 20;
/// Pixels a side of each picture: a large screenshot's worth.
const SIDE: (u32, u32) = (3000, 2000);

/// A post of 20 sections of text, with a picture after each when `pictures` is set.
fn post(pictures: bool) -> String {
    let mut body = String::from("---\ntitle: Pictures\n---\n\n");
    for i in 0..IMAGES {
        body.push_str(&format!("## Section {i}\n\n"));
        body.push_str(&"Some text about the picture below, long enough to wrap. ".repeat(6));
        body.push_str("\n\n");
        if pictures {
            body.push_str(&format!("![screenshot {i}](shot-{i}.png)\n\n"));
        }
    }
    body
}

fn collection(dir: &Path, pictures: bool) {
    let bundle = dir.join("post");
    std::fs::create_dir_all(&bundle).expect("mkdir");
    std::fs::write(bundle.join("index.md"), post(pictures)).expect("write post");
    if pictures {
        let image = image::RgbImage::from_fn(SIDE.0, SIDE.1, |x, y| {
            image::Rgb([(x % 256) as u8, (y % 256) as u8, ((x + y) % 256) as u8])
        });
        let first = bundle.join("shot-0.png");
        image.save(&first).expect("png");
        for i in 1..IMAGES {
            std::fs::copy(&first, bundle.join(format!("shot-{i}.png"))).expect("copy");
        }
    }
}

/// From the key that opens the post to its first frame on screen.
fn first_frame(library: &Library) {
    let mut app = App::new(library.clone(), "bench".into(), (100, 40));
    app.images.graphics = Some(Graphics::HALFBLOCKS);
    app.resize(100, 40);
    let id = app.library.posts()[0].id.clone();
    effects::perform(&mut app, Effect::OpenPost(id));
    app.prepare_images();
    app.highlight_visible();
    let mut terminal = Terminal::new(TestBackend::new(100, 40)).expect("backend");
    terminal
        .draw(|frame| folio::ui::draw(frame, &app, &app.theme))
        .expect("draw");
    std::hint::black_box(app.take_image_batch());
}

fn main() {
    let with = tempfile::tempdir().expect("tempdir");
    let without = tempfile::tempdir().expect("tempdir");
    collection(with.path(), true);
    collection(without.path(), false);
    let pictures = Library::scan(with.path()).expect("scan");
    let text_only = Library::scan(without.path()).expect("scan");

    // Warm both (syntax sets, allocator), then alternate so drift hits both alike.
    first_frame(&pictures);
    first_frame(&text_only);
    let mut with_times = Vec::new();
    let mut without_times = Vec::new();
    for _ in 0..41 {
        with_times.push(median(1, || first_frame(&pictures)));
        without_times.push(median(1, || first_frame(&text_only)));
    }
    let mid = |times: &mut Vec<Duration>| {
        times.sort();
        times[times.len() / 2]
    };
    let (with_pictures, text) = (mid(&mut with_times), mid(&mut without_times));

    // What the image thread does for one picture: probe, decode, encode.
    let mut app = App::new(pictures.clone(), "bench".into(), (100, 40));
    app.images.graphics = Some(Graphics::HALFBLOCKS);
    app.resize(100, 40);
    let id = app.library.posts()[0].id.clone();
    effects::perform(&mut app, Effect::OpenPost(id));
    app.prepare_images();
    let probes = app.take_image_batch().expect("probes").jobs;
    let mut work = Work::default();
    for job in &probes {
        app.image_done(work.run(job));
    }
    app.prepare_images();
    let draws = app.take_image_batch().expect("draws").jobs;
    let one_picture = median(3, || {
        std::hint::black_box(Work::default().run(&draws[0]));
    });

    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "first frame, {IMAGES} images of {}×{} {:8.2} ms",
        SIDE.0,
        SIDE.1,
        ms(with_pictures)
    );
    println!("first frame, same post, no images  {:8.2} ms", ms(text));
    println!(
        "ratio                              {:8.2}x",
        with_pictures.as_secs_f64() / text.as_secs_f64()
    );
    println!(
        "off the first frame: one picture decoded and encoded {:8.1} ms (×{IMAGES})",
        ms(one_picture)
    );
}

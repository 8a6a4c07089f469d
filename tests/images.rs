//! Pictures in the reader without a terminal: a collection with images in a temporary
//! folder, the app's image jobs run here by the image thread's own code, their results
//! fed back as the messages the event loop would get, screens drawn into TestBackend.

use std::path::PathBuf;

use folio::app::msg::{self, Msg};
use folio::app::{App, Effect};
use folio::effects;
use folio::images::detect::Graphics;
use folio::images::worker::{Job, Work};
use folio::library::Library;
use image::{ImageFormat, Rgb, RgbImage};
use ratatui::buffer::Buffer;
use ratatui::style::Color;

mod common;
use common::{draw_buffer, keys, screen_rows, write_file};

/// A collection in a temporary folder: `post/index.md` with `body`, and the files.
struct Collection {
    dir: tempfile::TempDir,
}

impl Collection {
    fn new(body: &str) -> Collection {
        let dir = tempfile::tempdir().expect("tempdir");
        write_file(
            dir.path(),
            "post/index.md",
            format!("---\ntitle: Pictures\n---\n\n{body}"),
        );
        Collection { dir }
    }

    fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    fn put(&self, rel: &str, bytes: impl AsRef<[u8]>) -> &Self {
        write_file(self.dir.path(), rel, bytes);
        self
    }

    /// The reader on the post, images drawn with half blocks, at `width`×`height`.
    fn open(&self, width: u16, height: u16) -> App {
        let library = Library::scan(self.dir.path()).expect("scan");
        let mut app = App::new(library, "pictures".into(), (width, height));
        app.images.graphics = Some(Graphics::HALFBLOCKS);
        app.resize(width, height);
        let id = app.library.posts()[0].id.clone();
        effects::perform(&mut app, Effect::OpenPost(id));
        assert!(app.reading(), "the post opened");
        app
    }
}

/// Runs every job the app asks for, as the image thread would, and hands the results
/// back as messages, until nothing more is asked (or only probes, with `probes_only`).
fn pump(app: &mut App, probes_only: bool) {
    let mut work = Work::default();
    for _ in 0..10 {
        app.prepare_images();
        let Some(batch) = app.take_image_batch() else {
            return;
        };
        for job in &batch.jobs {
            if probes_only && matches!(job, Job::Draw { .. }) {
                continue;
            }
            msg::handle(app, Msg::Image(Box::new(work.run(job))));
        }
        if probes_only {
            app.prepare_images();
            return;
        }
    }
    panic!("the app kept asking for images");
}

/// Horizontal stripes 10 pixels tall: red and white by turns on the left half, blue
/// and black on the right, `w`×`h`.
fn stripes(w: u32, h: u32) -> RgbImage {
    RgbImage::from_fn(w, h, |x, y| match (x < w / 2, (y / 10) % 2 == 0) {
        (true, true) => Rgb([220, 30, 30]),
        (true, false) => Rgb([255, 255, 255]),
        (false, true) => Rgb([30, 60, 200]),
        (false, false) => Rgb([0, 0, 0]),
    })
}

fn encoded(image: &RgbImage, format: ImageFormat) -> Vec<u8> {
    let mut bytes = Vec::new();
    image
        .write_to(&mut std::io::Cursor::new(&mut bytes), format)
        .expect("encode");
    bytes
}

/// A cell's colour as `rrggbb`.
fn hex(color: Color) -> String {
    match color {
        Color::Rgb(r, g, b) => format!("{r:02x}{g:02x}{b:02x}"),
        other => format!("{other:?}"),
    }
}

fn is_block(symbol: &str) -> bool {
    matches!(symbol, "▀" | "▄")
}

/// The cells of the rows showing half blocks, from the first block to the last:
/// symbols, then each cell's foreground and background colours.
fn halfblock_rows(buf: &Buffer) -> String {
    let area = buf.area;
    let mut out = String::new();
    for y in 0..area.height {
        let row: Vec<&ratatui::buffer::Cell> = (0..area.width).map(|x| &buf[(x, y)]).collect();
        let (Some(from), Some(to)) = (
            row.iter().position(|c| is_block(c.symbol())),
            row.iter().rposition(|c| is_block(c.symbol())),
        ) else {
            continue;
        };
        let cells = &row[from..=to];
        let symbols: String = cells.iter().map(|c| c.symbol().to_string()).collect();
        let colours: Vec<String> = cells
            .iter()
            .map(|c| format!("{}/{}", hex(c.fg), hex(c.bg)))
            .collect();
        out.push_str(&format!("{symbols}  {}\n", colours.join(" ")));
    }
    out
}

fn screen(app: &App) -> Vec<String> {
    screen_rows(&draw_buffer(app))
}

fn has_blocks(row: &str) -> bool {
    row.contains('▀') || row.contains('▄')
}

fn first_picture_row(screen: &[String]) -> usize {
    screen
        .iter()
        .position(|row| has_blocks(row))
        .unwrap_or_else(|| panic!("no picture on screen:\n{}", screen.join("\n")))
}

fn row_of(screen: &[String], text: &str) -> usize {
    screen
        .iter()
        .position(|row| row.contains(text))
        .unwrap_or_else(|| panic!("{text:?} not on screen:\n{}", screen.join("\n")))
}

#[test]
fn a_small_png_and_jpeg_are_drawn_in_half_blocks() {
    // 80×60 pixels at 10×20 a cell: 8 columns, 3 rows; each cell's halves are a
    // 10-pixel stripe each, so every cell is ▀ or ▄ in red and white.
    let image = stripes(80, 60);
    for (name, format) in [("png", ImageFormat::Png), ("jpeg", ImageFormat::Jpeg)] {
        let file = format!("post/stripes.{name}");
        let collection = Collection::new(&format!(
            "Before.\n\n![stripes](stripes.{name})\n\nAfter.\n"
        ));
        collection.put(&file, encoded(&image, format));
        let mut app = collection.open(40, 16);
        pump(&mut app, false);
        let buf = draw_buffer(&app);
        insta::assert_snapshot!(format!("halfblocks_{name}"), halfblock_rows(&buf));
        let screen = screen_rows(&buf);
        assert_eq!(
            row_of(&screen, "stripes") - first_picture_row(&screen),
            3,
            "three rows of picture, then the alt text:\n{}",
            screen.join("\n")
        );
    }
}

#[test]
fn a_placeholder_holds_the_place_and_the_text_stays_when_the_picture_arrives() {
    // 400×100 pixels: 40×5 cells at its own size; the box before anything is known is
    // the most a picture takes, half of the 15 rows under the status bar: 7.
    let collection = Collection::new("Before.\n\n![wide](wide.png)\n\nAfter.\n");
    collection.put(
        "post/wide.png",
        encoded(&stripes(400, 100), ImageFormat::Png),
    );
    let mut app = collection.open(60, 16);
    let first = screen(&app);
    let box_top = row_of(&first, "Before.") + 2;
    assert!(
        first[box_top].contains("╭") && first[box_top + 3].contains("loading image"),
        "a framed placeholder where the picture goes:\n{}",
        first.join("\n")
    );
    assert_eq!(row_of(&first, "wide") - box_top, 7, "{}", first.join("\n"));

    // The size comes before anything is read: the box takes it at once.
    pump(&mut app, true);
    let sized = screen(&app);
    assert_eq!(row_of(&sized, "wide") - box_top, 5, "{}", sized.join("\n"));
    assert!(
        sized[box_top].contains("╭"),
        "still loading:\n{}",
        sized.join("\n")
    );

    // The picture fills the box it has: not one row of text moves.
    pump(&mut app, false);
    let drawn = screen(&app);
    for text in ["Before.", "wide", "After."] {
        assert_eq!(row_of(&drawn, text), row_of(&sized, text), "{text}");
    }
    assert_eq!(first_picture_row(&drawn), box_top, "{}", drawn.join("\n"));
}

#[test]
fn a_size_learnt_while_its_box_is_read_waits_until_the_box_is_off_screen() {
    let filler: String = (1..=30).map(|n| format!("Line {n}.\n\n")).collect();
    let body = format!("Before.\n\n![wide](wide.png)\n\nAfter.\n\n{filler}");
    let collection = Collection::new(&body);
    collection.put(
        "post/wide.png",
        encoded(&stripes(400, 100), ImageFormat::Png),
    );
    let mut app = collection.open(60, 20);
    // A key: the reader is being read.
    keys(&mut app, "j");
    let before = screen(&app);
    pump(&mut app, false);
    let after = screen(&app);
    for text in ["Before.", "wide", "After."] {
        assert_eq!(row_of(&after, text), row_of(&before, text), "{text} moved");
    }
    // Drawn centred in the larger box meanwhile: five picture rows in nine (half of
    // the 19 rows under the status bar).
    let top = row_of(&after, "Before.") + 2;
    let picture_rows: Vec<usize> = (top..top + 9).filter(|&y| has_blocks(&after[y])).collect();
    assert_eq!(picture_rows.len(), 5, "{}", after.join("\n"));
    assert_eq!(picture_rows[0], top + 2);

    // Scrolled away, the box takes its size; the rows on screen stay where they were.
    let past = |app: &App| {
        let reader = app.reader.as_ref().expect("reader");
        reader.laid.images[0].rows.end <= reader.scroll
    };
    while !past(&app) {
        keys(&mut app, "j");
    }
    let top_line = screen(&app)[0].clone();
    let scroll_before = app.reader.as_ref().expect("reader").scroll;
    app.prepare_images();
    let settled = screen(&app);
    assert_eq!(settled[0], top_line, "{}", settled.join("\n"));
    let scroll_after = app.reader.as_ref().expect("reader").scroll;
    assert_eq!(
        scroll_before - scroll_after,
        4,
        "four rows fewer above the view"
    );
}

#[test]
fn images_not_drawn_say_why_in_one_line() {
    let collection = Collection::new(
        "![web](https://img.example.com/a/b.png)\n\n![chart](chart.svg)\n\n\
         ![gone](missing.png)\n\n![escape](../../outside.png)\n\n![data](data:image/png;base64,AAAA)\n",
    );
    collection.put("post/chart.svg", "<svg/>");
    let mut app = collection.open(100, 30);
    pump(&mut app, false);
    let text = screen(&app).join("\n");
    for line in [
        "[image: web] img.example.com, not fetched",
        "[image: chart] chart.svg · SVG, not drawn",
        "[image: gone] missing.png · not found",
        "[image: escape] ../../outside.png · outside the collection, not read",
        "[image: data] data:image/png;base64,AAAA · inline data, not drawn",
    ] {
        assert!(text.contains(line), "{line:?} missing:\n{text}");
    }
}

/// A PNG's signature and header chunk claiming `width`×`height`.
fn png_header(width: u32, height: u32) -> Vec<u8> {
    let mut ihdr = width.to_be_bytes().to_vec();
    ihdr.extend(height.to_be_bytes());
    ihdr.extend([8, 2, 0, 0, 0]);
    [&b"\x89PNG\r\n\x1a\n"[..], &chunk(b"IHDR", &ihdr)].concat()
}

/// A PNG chunk with its length and a valid CRC.
fn chunk(kind: &[u8; 4], data: &[u8]) -> Vec<u8> {
    let mut body = kind.to_vec();
    body.extend(data);
    let mut out = u32::try_from(data.len())
        .expect("small")
        .to_be_bytes()
        .to_vec();
    out.extend(&body);
    out.extend(crc32(&body).to_be_bytes());
    out
}

fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = 0xffff_ffffu32;
    for &b in bytes {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 != 0 {
                (crc >> 1) ^ 0xedb8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

#[test]
fn hostile_images_are_placeholders_with_the_reason() {
    let collection = Collection::new(
        "![bomb](bomb.png)\n\n![cut](cut.png)\n\n![bad](bad.jpg)\n\n![huge](huge.png)\n\n\
         ![text](text.png)\n",
    );
    // A decompression bomb: a header claiming 100 000 × 100 000 pixels, then the
    // start of its pixels.
    let mut bomb = png_header(100_000, 100_000);
    bomb.extend(chunk(
        b"IDAT",
        &[0x78, 0x9c, 0xec, 0xc1, 0x01, 0x0d, 0x00, 0x00],
    ));
    collection.put("post/bomb.png", bomb);
    // A PNG cut in the middle of its pixels: the header reads, the pixels do not.
    let whole = encoded(&stripes(200, 200), ImageFormat::Png);
    collection.put("post/cut.png", &whole[..whole.len() / 2]);
    // A JPEG start followed by garbage.
    collection.put(
        "post/bad.jpg",
        [&[0xff, 0xd8, 0xff, 0xe0][..], &[0x13; 300]].concat(),
    );
    // A file past the size limit (sparse: it takes no room on disk).
    let huge = std::fs::File::create(collection.path("post/huge.png")).expect("create");
    huge.set_len(65 << 20).expect("grow");
    // Not an image at all, whatever its name says.
    collection.put("post/text.png", "just some text\n");
    let mut app = collection.open(100, 40);
    pump(&mut app, false);
    // Failures learnt before any key are laid out at once as their lines.
    let text = screen(&app).join("\n");
    for line in [
        "[image: bomb] bomb.png · 100000×100000 pixels, too large to draw",
        "[image: cut] cut.png · truncated or corrupt",
        "[image: bad] bad.jpg · truncated or corrupt",
        "[image: huge] huge.png · 65 MiB, too big to read",
        "[image: text] text.png · not a PNG, JPEG, GIF or WebP image",
    ] {
        assert!(text.contains(line), "{line:?} missing:\n{text}");
    }
    assert_eq!(app.images.picture_bytes(), 0, "nothing was kept of them");
}

#[cfg(unix)]
#[test]
fn a_fifo_where_an_image_should_be_is_never_opened() {
    let collection = Collection::new("![pipe](pipe.png)\n");
    let fifo = collection.path("post/pipe.png");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .is_ok_and(|s| s.success());
    if !made {
        assert!(!common::under_ci(), "mkfifo is needed under CI");
        return;
    }
    // Run on a thread of its own, waited for with a bound: a blocked open is a failure
    // here, not a hung test run.
    let (tx, rx) = std::sync::mpsc::channel();
    let path: PathBuf = fifo.clone();
    std::thread::spawn(move || {
        let limits = folio::images::decode::Limits::default();
        let _ = tx.send((
            folio::images::decode::probe(&path, &limits),
            folio::images::decode::decode(&path, &limits).map(|_| ()),
        ));
    });
    let (probe, decode) = rx
        .recv_timeout(std::time::Duration::from_secs(20))
        .expect("reading a FIFO must not block");
    assert_eq!(probe, Err(folio::images::decode::Failure::NotAFile));
    assert_eq!(decode, Err(folio::images::decode::Failure::NotAFile));
    let mut app = collection.open(80, 20);
    pump(&mut app, false);
    let text = screen(&app).join("\n");
    assert!(
        text.contains("[image: pipe] pipe.png · not a regular file"),
        "{text}"
    );
}

#[test]
fn i_turns_pictures_into_their_lines_and_back() {
    let collection = Collection::new("![stripes](stripes.png)\n");
    collection.put(
        "post/stripes.png",
        encoded(&stripes(80, 60), ImageFormat::Png),
    );
    let mut app = collection.open(60, 16);
    pump(&mut app, false);
    assert!(has_blocks(&screen(&app).join("\n")));
    keys(&mut app, "i");
    let off = screen(&app).join("\n");
    assert!(off.contains("[image: stripes] stripes.png"), "{off}");
    assert!(!has_blocks(&off), "{off}");
    assert!(off.contains("images off"), "the status bar says so:\n{off}");
    keys(&mut app, "i");
    pump(&mut app, false);
    let on = screen(&app).join("\n");
    assert!(has_blocks(&on) && !on.contains("stripes.png"), "{on}");
}

#[test]
fn enter_on_a_focused_picture_opens_it_in_the_viewer() {
    let collection = Collection::new("![stripes](stripes.png)\n");
    collection.put(
        "post/stripes.png",
        encoded(&stripes(80, 60), ImageFormat::Png),
    );
    let mut app = collection.open(60, 16);
    pump(&mut app, false);
    keys(&mut app, "⇥");
    let effect = common::press(&mut app, crossterm::event::KeyCode::Enter);
    let post_dir = collection.path("post");
    assert_eq!(
        effect,
        Some(Effect::OpenImage {
            post_dir: Some(post_dir.clone()),
            url: "stripes.png".into()
        })
    );
    // What the event loop opens: the file, found as the reader finds it.
    let file = effects::image_file(&app, Some(&post_dir), "stripes.png").expect("found");
    assert_eq!(
        file,
        post_dir.canonicalize().expect("real").join("stripes.png")
    );
    assert!(effects::image_file(&app, Some(&post_dir), "../../x.png").is_err());
}

#[test]
fn pictures_scrolled_half_off_the_top_show_their_lower_rows() {
    let filler: String = (1..=30).map(|n| format!("Line {n}.\n\n")).collect();
    let collection = Collection::new(&format!("![stripes](stripes.png)\n\n{filler}"));
    collection.put(
        "post/stripes.png",
        encoded(&stripes(80, 60), ImageFormat::Png),
    );
    let mut app = collection.open(40, 16);
    pump(&mut app, false);
    let top = first_picture_row(&screen(&app));
    keys(&mut app, &"j".repeat(top + 1));
    let buf = draw_buffer(&app);
    let rows = screen_rows(&buf);
    let picture = rows.iter().filter(|r| has_blocks(r)).count();
    assert_eq!(picture, 2, "two of its three rows:\n{}", rows.join("\n"));
    assert!(has_blocks(&rows[0]), "{}", rows.join("\n"));
    // Nothing of the picture reaches the status bar or past the reader.
    let status = buf.area.height - 1;
    assert!((0..buf.area.width).all(|x| !matches!(buf[(x, status)].symbol(), "▀" | "▄")));
}

#[test]
fn the_outline_and_help_over_a_picture_leave_no_trace_of_it() {
    let collection = Collection::new("# Heading\n\n![stripes](stripes.png)\n");
    collection.put(
        "post/stripes.png",
        encoded(&stripes(80, 60), ImageFormat::Png),
    );
    let mut app = collection.open(40, 16);
    pump(&mut app, false);
    keys(&mut app, "?");
    let help = draw_buffer(&app);
    let rows = screen_rows(&help);
    assert!(rows.iter().all(|r| !has_blocks(r)), "{}", rows.join("\n"));
}

/// Cells whose symbol holds `needle`.
fn cells_with(buf: &Buffer, needle: &str) -> Vec<(u16, u16)> {
    let area = buf.area;
    (0..area.height)
        .flat_map(|y| (0..area.width).map(move |x| (x, y)))
        .filter(|&(x, y)| buf[(x, y)].symbol().contains(needle))
        .collect()
}

#[test]
fn kitty_iterm2_and_sixel_pictures_draw_only_their_visible_rows() {
    use folio::images::detect::{Env, Protocol};
    use folio::images::fit::CellSize;
    let filler: String = (1..=30).map(|n| format!("Line {n}.\n\n")).collect();
    for (protocol, escape) in [
        (Protocol::Kitty, "\u{10EEEE}"),
        (Protocol::Iterm2, "\x1b]1337;File=inline=1"),
        (Protocol::Sixel, "\x1bP"),
    ] {
        if protocol == Protocol::Sixel && Env::current().multiplexed() {
            // A sixel encoder is made through a Picker, which inside tmux changes the
            // server's settings; folio never picks sixel there.
            assert!(!common::under_ci(), "CI does not run inside tmux");
            continue;
        }
        let collection = Collection::new(&format!("![stripes](stripes.png)\n\n{filler}"));
        collection.put(
            "post/stripes.png",
            encoded(&stripes(80, 60), ImageFormat::Png),
        );
        let mut app = collection.open(40, 16);
        app.images.graphics = Some(Graphics {
            protocol,
            cell: CellSize {
                width: 10,
                height: 20,
            },
        });
        app.relayout_reader();
        pump(&mut app, false);
        let whole = draw_buffer(&app);
        let cells = cells_with(&whole, escape);
        let rows: std::collections::BTreeSet<u16> = cells.iter().map(|&(_, y)| y).collect();
        match protocol {
            // A placeholder character in every cell of the picture: 8×3.
            Protocol::Kitty => {
                assert_eq!(cells.len(), 24, "{protocol:?}");
                assert_eq!(cells_with(&whole, "\x1b_G").len(), 1, "sent once");
            }
            // One inline image a row.
            Protocol::Iterm2 => assert_eq!((cells.len(), rows.len()), (3, 3), "{protocol:?}"),
            Protocol::Sixel => assert_eq!(cells.len(), 1, "{protocol:?}"),
            Protocol::Halfblocks => {}
        }
        let top = *rows.first().expect("drawn");
        // Scrolled one row past the picture's top: its lower rows only, from the top
        // of the reader, nothing on the status bar.
        keys(&mut app, &"j".repeat(usize::from(top) + 1));
        let half = draw_buffer(&app);
        let cells = cells_with(&half, escape);
        let rows: std::collections::BTreeSet<u16> = cells.iter().map(|&(_, y)| y).collect();
        let status = half.area.height - 1;
        assert!(rows.iter().all(|&y| y < status), "{protocol:?}: {rows:?}");
        match protocol {
            Protocol::Kitty => assert_eq!(cells.len(), 16, "two rows of 8"),
            Protocol::Iterm2 => assert_eq!(rows.into_iter().collect::<Vec<_>>(), [0, 1]),
            Protocol::Sixel => assert_eq!(cells, [(cells[0].0, 0)], "the visible band, at the top"),
            Protocol::Halfblocks => {}
        }
        // Help over the reader: nothing the terminal would paint over it.
        keys(&mut app, "?");
        let covered = draw_buffer(&app);
        assert!(
            cells_with(&covered, "\x1b]1337").is_empty()
                && cells_with(&covered, "\x1bP").is_empty(),
            "{protocol:?}"
        );
    }
}

#[test]
fn a_gif_shows_its_first_frame() {
    use image::codecs::gif::GifEncoder;
    use image::{Delay, Frame, Rgba, RgbaImage};
    let frame = |colour: [u8; 4]| {
        Frame::from_parts(
            RgbaImage::from_pixel(40, 40, Rgba(colour)),
            0,
            0,
            Delay::from_numer_denom_ms(100, 1),
        )
    };
    let mut gif = Vec::new();
    {
        let mut encoder = GifEncoder::new(&mut gif);
        encoder
            .encode_frames([frame([200, 20, 20, 255]), frame([20, 20, 200, 255])])
            .expect("gif");
    }
    let collection = Collection::new("![moving](moving.gif)\n");
    collection.put("post/moving.gif", gif);
    let mut app = collection.open(40, 16);
    pump(&mut app, false);
    let buf = draw_buffer(&app);
    let red = (0..buf.area.height)
        .flat_map(|y| (0..buf.area.width).map(move |x| (x, y)))
        .filter(|&(x, y)| matches!(buf[(x, y)].bg, Color::Rgb(r, _, b) if r > 150 && b < 80))
        .count();
    // 40×40 pixels: 4×2 cells, all of the first frame's red.
    assert_eq!(red, 8, "{}", screen(&app).join("\n"));
}

#[test]
fn where_ambiguous_characters_are_wide_half_blocks_become_spaces_in_their_colours() {
    let collection = Collection::new("![stripes](stripes.png)\n");
    collection.put(
        "post/stripes.png",
        encoded(&stripes(80, 60), ImageFormat::Png),
    );
    let mut app = collection.open(40, 16);
    app.prefs.ambiguous_width = 2;
    pump(&mut app, false);
    let buf = draw_buffer(&app);
    assert!(cells_with(&buf, "▀").is_empty() && cells_with(&buf, "▄").is_empty());
    // Red and white mixed: pink, where the red-and-white half of the picture is.
    let pink = (0..buf.area.height)
        .flat_map(|y| (0..buf.area.width).map(move |x| (x, y)))
        .filter(|&(x, y)| buf[(x, y)].bg == Color::Rgb(237, 142, 142))
        .count();
    assert_eq!(pink, 12, "4 columns × 3 rows");
}

#[test]
fn i_keeps_the_figure_on_screen_wherever_the_view_was_in_its_picture() {
    // Whatever row of the picture is at the top of the view, `i` must leave the
    // figure's line on screen, not the blank row after it (the view is kept in the
    // same block, as far into it; a one-line block has only its line to show).
    let before: String = (1..=20).map(|n| format!("Before {n}.\n\n")).collect();
    let after: String = (1..=40).map(|n| format!("After {n}.\n\n")).collect();
    let collection = Collection::new(&format!(
        "{before}![stripes](stripes.png \"Stripes\")\n\n{after}"
    ));
    collection.put(
        "post/stripes.png",
        encoded(&stripes(80, 160), ImageFormat::Png),
    );
    let mut app = collection.open(40, 24);
    pump(&mut app, false);
    keys(&mut app, "G");
    keys(&mut app, "g");
    let screen_at_top = screen(&app);
    // Scroll until the picture's first row is at the top, then one row further each time.
    let mut steps = 0;
    while !has_blocks(&screen(&app)[0]) {
        keys(&mut app, "j");
        steps += 1;
        assert!(
            steps < 200,
            "the picture never reached the top:\n{}",
            screen_at_top.join("\n")
        );
    }
    let mut into_picture = 0;
    while has_blocks(&screen(&app)[0]) {
        keys(&mut app, "i");
        let off = screen(&app).join("\n");
        assert!(
            off.contains("[image: stripes] stripes.png"),
            "{into_picture} rows into the picture, `i` lost the figure:\n{off}"
        );
        keys(&mut app, "i");
        pump(&mut app, false);
        into_picture += 1;
        keys(&mut app, "g");
        keys(&mut app, &"j".repeat(steps + into_picture));
    }
    assert!(into_picture > 2, "the picture is several rows tall");
}

/// A long post (laid out beside the loop, from its file read again) takes the sizes
/// of its pictures too: the new layout comes from a job, and keeps the view at the
/// same block.
#[test]
fn a_long_post_s_pictures_take_their_size_in_its_next_layout() {
    let paragraph = "Words that fill a paragraph. ".repeat(30);
    let body: String = (0..1200)
        .map(|n| match n % 100 {
            50 => format!("Part {n}.\n\n![wide](wide.png)\n\n"),
            _ => format!("Part {n}. {paragraph}\n\n"),
        })
        .collect();
    let collection = Collection::new(&body);
    collection.put(
        "post/wide.png",
        encoded(&stripes(400, 100), ImageFormat::Png),
    );
    let mut app = collection.open(60, 16);
    assert!(effects::finish_layout(&mut app));
    let reader = app.reader.as_ref().expect("reader");
    assert!(matches!(
        reader.source,
        folio::app::state::PostSource::Long(_)
    ));
    let boxes = |app: &App| -> Vec<usize> {
        let reader = app.reader.as_ref().expect("reader");
        reader.laid.images.iter().map(|r| r.rows.len()).collect()
    };
    assert_eq!(boxes(&app).len(), 12);
    let before = boxes(&app);
    let block = |app: &App| {
        let reader = app.reader.as_ref().expect("reader");
        reader
            .laid
            .block_rows
            .partition_point(|&r| r <= reader.scroll)
            - 1
    };
    {
        let reader = app.reader.as_mut().expect("reader");
        reader.scroll = reader.laid.block_rows[700];
    }
    keys(&mut app, "j");
    let at = block(&app);
    pump(&mut app, true);
    assert!(
        effects::finish_layout(&mut app),
        "the sizes ask for a new layout of the whole"
    );
    let after = boxes(&app);
    assert_eq!(after.len(), 12);
    assert!(
        after.iter().zip(&before).all(|(a, b)| a < b),
        "every box at its picture's size: {before:?} -> {after:?}"
    );
    assert_eq!(block(&app), at, "at the same block");
}

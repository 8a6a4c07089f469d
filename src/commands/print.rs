//! `folio print FILE` (and `folio FILE` into a pipe): one post laid out as the reader
//! would show it, written out whole, styled only when asked or when the output is a
//! terminal.

use std::io::{Read, Write};
use std::path::Path;

use anyhow::{Context, Result, bail};

use super::{Surroundings, check_readable_file, read_stdin};
use crate::cli::{ColorChoice, ImagesChoice, PrintArgs};
use crate::images::{self, detect::ImagesSetting};
use crate::library::{Post, Source, front_matter, text};
use crate::markdown::{self, HighlightMode, LayoutOptions};
use crate::print;
use crate::setup::Setup;
use crate::ui::clip_to_width;

/// Renders `args.file` (`-`: `stdin`) to `out`; what is wrong with the post but does
/// not stop it printing (front matter that does not parse, bad bytes) goes to
/// `warnings`, a line each, as `folio list` shows it.
pub fn run(
    args: &PrintArgs,
    setup: &Setup,
    surroundings: &Surroundings,
    stdin: impl Read,
    out: &mut impl Write,
    warnings: &mut impl Write,
) -> Result<()> {
    let (meta, body, base_dir, problems) = if args.file.as_os_str() == "-" {
        let decoded = text::decode(&read_stdin(stdin)?);
        if decoded.binary {
            bail!("stdin: binary data, not shown");
        }
        let encoding = decoded.notable_encoding().map(str::to_string);
        let (mut meta, body, problems) = front_matter::split_body(decoded.text);
        meta.encoding = encoding.map(Into::into);
        (meta, body, None, problems)
    } else {
        check_readable_file(&args.file)?;
        let post = Post::load(&args.file, args.file.clone());
        // The error names the file already (binary, too large, unreadable).
        let (meta, body, problems) = post.body_and_meta()?;
        let base_dir = match &post.source {
            Source::File(p) => p.parent().map(Path::to_path_buf),
            Source::Embedded(_) => None,
        };
        (meta, body, base_dir, problems)
    };
    let name = if args.file.as_os_str() == "-" {
        "stdin".to_string()
    } else {
        args.file.display().to_string()
    };
    for problem in &problems {
        // A warning quotes the file, so it is cleaned of control codes like the post.
        let line = clip_to_width(&format!("{name}: {problem}"), usize::MAX);
        writeln!(warnings, "folio: warning: {line}").context("cannot write to stderr")?;
    }
    let asked = width(args.width, surroundings, setup.config.width);
    let width = asked.min(MAX_WIDTH);
    if asked > width {
        writeln!(
            warnings,
            "folio: warning: a width of {asked} columns is more than folio lays out; using {MAX_WIDTH}"
        )
        .context("cannot write to stderr")?;
    }
    let styled = match args.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => surroundings.stdout_is_terminal,
    };
    let printer = printer(args, setup, surroundings, base_dir.as_deref());
    let options = LayoutOptions {
        width,
        meta: Some(meta),
        images: printer.as_ref().map(|p| {
            std::sync::Arc::new(markdown::FigureOptions {
                print: true,
                max_rows: p.max_rows,
                cell: p.graphics.cell,
                known: Default::default(),
            })
        }),
        base_dir,
        code_theme: setup.theme.code_theme().map(str::to_string),
        numbered_links: true,
        // Colours that will not be printed are not worth computing.
        highlight: if styled {
            HighlightMode::Eager
        } else {
            HighlightMode::Off
        },
        estimated_minutes: None,
        ambiguous_width: setup.config.ambiguous_width,
    };
    let render = |lines: &[markdown::Line], out: &mut String| match &printer {
        Some(printer) => render_with_pictures(lines, printer, width, &setup.theme, styled, out),
        None => print::render_lines(lines, &setup.theme, styled, out),
    };
    markdown::print_document(&body, &options, &render, out)
        .and_then(|()| out.flush())
        .context("cannot write to stdout")
}

/// The pictures' printer, when they are drawn: `--images auto`, the config does not
/// turn them off, the post has a folder, and stdout is a terminal that speaks kitty's
/// or iTerm2's protocol.
fn printer(
    args: &PrintArgs,
    setup: &Setup,
    surroundings: &Surroundings,
    post_dir: Option<&Path>,
) -> Option<images::print::Printer> {
    let setting = setup.config.images;
    let wanted = args.images == ImagesChoice::Auto
        && setting != ImagesSetting::Off
        && surroundings.stdout_is_terminal;
    let post_dir = post_dir.filter(|_| wanted)?;
    let graphics = (surroundings.graphics.0)(setting)?;
    let rows = crossterm::terminal::size().map_or(24, |(_, rows)| usize::from(rows));
    let percent = setup
        .config
        .image_height
        .unwrap_or(crate::app::images::DEFAULT_HEIGHT_PERCENT);
    let max_rows = images::fit::max_rows(rows.saturating_sub(1), percent);
    images::print::Printer::new(graphics, max_rows, post_dir)
}

/// Lines as [`print::render_lines`] writes them, but a figure's row as its picture (or,
/// when it cannot be drawn, the placeholder line saying why).
fn render_with_pictures(
    lines: &[markdown::Line],
    printer: &images::print::Printer,
    width: usize,
    theme: &crate::theme::Theme,
    styled: bool,
    out: &mut String,
) {
    for line in lines {
        let figure = line
            .spans
            .iter()
            .find(|s| s.style.role == markdown::Role::Figure);
        let Some(figure) = figure else {
            print::render_lines(std::slice::from_ref(line), theme, styled, out);
            continue;
        };
        match printer.draw(&figure.text, width) {
            Ok(picture) => out.push_str(&picture),
            Err(why) => {
                let placeholder = markdown::Line {
                    spans: vec![
                        markdown::Span {
                            text: "[image] ".into(),
                            style: markdown::Style::role(markdown::Role::Image),
                        },
                        markdown::Span {
                            text: format!("{} · {why}", figure.text).into(),
                            style: markdown::Style::role(markdown::Role::Dim),
                        },
                    ],
                };
                print::render_lines(&[placeholder], theme, styled, out);
            }
        }
    }
}

/// The widest a post is laid out at, whatever asks for more (`--width`, `COLUMNS`, the
/// config): far wider than anyone reads, and the layout's buffers grow with the width,
/// so `--width 4294967295` took gigabytes and a wider one overflowed.
pub const MAX_WIDTH: usize = 1000;

/// The columns asked for (see [`MAX_WIDTH`] for the most that is used), the first of: `--width`; on a terminal, its width capped
/// by the reading width (the config's `width`, else its default), as in the reader;
/// `COLUMNS`, when a positive whole number; the config's `width` when the config sets
/// one (0 means none); 80.
pub fn width(
    flag: Option<usize>,
    surroundings: &Surroundings,
    config_width: Option<usize>,
) -> usize {
    let configured = config_width.filter(|&w| w > 0);
    let cap = Some(config_width.unwrap_or(crate::config::DEFAULT_WIDTH)).filter(|&w| w > 0);
    let terminal = surroundings
        .terminal_columns
        .filter(|_| surroundings.stdout_is_terminal)
        .map(|columns| cap.map_or(columns, |cap| columns.min(cap)));
    let columns_var = surroundings
        .columns_var
        .as_deref()
        .and_then(|v| v.trim().parse::<usize>().ok());
    flag.or(terminal)
        .or(columns_var.filter(|&c| c > 0))
        .or(configured)
        .unwrap_or(80)
        .max(1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::setup::{self, Strictness};
    use crate::theme::ColorDepth;
    use unicode_width::UnicodeWidthStr;

    fn setup() -> Setup {
        setup::load_in(None, ColorDepth::TrueColor, None, Strictness::Strict).expect("setup")
    }

    fn args(file: &str) -> PrintArgs {
        PrintArgs {
            file: file.into(),
            width: Some(30),
            color: ColorChoice::Auto,
            images: ImagesChoice::Auto,
        }
    }

    /// stdout and stderr of one print.
    fn print_both(
        args: &PrintArgs,
        surroundings: &Surroundings,
        stdin: &str,
    ) -> Result<(String, String)> {
        let (mut out, mut warnings) = (Vec::new(), Vec::new());
        run(
            args,
            &setup(),
            surroundings,
            stdin.as_bytes(),
            &mut out,
            &mut warnings,
        )?;
        let text = |bytes| String::from_utf8(bytes).expect("utf-8");
        Ok((text(out), text(warnings)))
    }

    fn print(args: &PrintArgs, surroundings: &Surroundings, stdin: &str) -> Result<String> {
        let (out, warnings) = print_both(args, surroundings, stdin)?;
        assert_eq!(warnings, "");
        Ok(out)
    }

    #[test]
    fn front_matter_that_does_not_parse_is_a_clean_warning_and_the_post_prints() {
        let post = "---\ntitle: [oops\ndate: x\n---\n\nThe body.\n";
        let (_, _, problems) = front_matter::split_body(post.to_string());
        assert_eq!(problems.len(), 1, "{problems:?}");
        let (out, warnings) =
            print_both(&args("-"), &Surroundings::default(), post).expect("prints");
        assert!(out.contains("The body.") && !out.contains("oops"), "{out}");
        assert_eq!(
            warnings,
            format!("folio: warning: stdin: {}\n", problems[0])
        );

        // A file's warning names it, cleaned of what a file name can hold.
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("bad\u{1b}[31m.md");
        std::fs::write(&path, post).expect("write");
        let file = args(&path.display().to_string());
        let (out, warnings) = print_both(&file, &Surroundings::default(), "").expect("prints");
        assert!(out.contains("The body."), "{out}");
        let shown = format!("{}/bad␛[31m.md", dir.path().display());
        assert_eq!(
            warnings,
            format!("folio: warning: {shown}: {}\n", problems[0])
        );
    }

    #[test]
    fn a_width_past_the_most_is_the_most_with_a_note() {
        let post = "---\ntitle: 宽\n---\n\n".to_string() + &"开源社区的力量。".repeat(200);
        for asked in [usize::MAX, 4_294_967_295, MAX_WIDTH + 1] {
            let wide = PrintArgs {
                width: Some(asked),
                ..args("-")
            };
            let (out, note) = print_both(&wide, &Surroundings::default(), &post).expect("print");
            assert_eq!(
                note,
                format!(
                    "folio: warning: a width of {asked} columns is more than folio lays out; using 1000\n"
                )
            );
            let widest = out.lines().map(UnicodeWidthStr::width).max();
            assert_eq!(widest, Some(MAX_WIDTH), "{asked}");
        }
        let most = PrintArgs {
            width: Some(MAX_WIDTH),
            ..args("-")
        };
        print(&most, &Surroundings::default(), &post).expect("no note at the most");
    }

    #[test]
    fn stdin_is_laid_out_at_the_width_and_styled_only_on_a_terminal() {
        let post = "---\ntitle: 从标准输入\n---\n\n正文 **粗体** text, a longer line to wrap\n";
        let piped = print(&args("-"), &Surroundings::default(), post).expect("print");
        assert!(
            piped.contains("从标准输入") && piped.contains("粗体"),
            "{piped}"
        );
        assert!(!piped.contains('\u{1b}'), "{piped:?}");
        assert!(
            piped
                .lines()
                .all(|l| unicode_width::UnicodeWidthStr::width(l) <= 30),
            "{piped}"
        );
        let terminal = Surroundings {
            stdout_is_terminal: true,
            ..Surroundings::default()
        };
        let styled = print(&args("-"), &terminal, post).expect("print");
        assert!(styled.contains("\u{1b}["), "{styled:?}");
    }

    #[test]
    fn width_is_the_flag_then_the_terminal_then_columns_then_the_config_then_80() {
        let piped = |columns: Option<&str>| Surroundings {
            columns_var: columns.map(str::to_string),
            ..Surroundings::default()
        };
        let terminal = |columns: usize| Surroundings {
            stdout_is_terminal: true,
            terminal_columns: Some(columns),
            columns_var: Some("33".into()),
            ..Surroundings::default()
        };
        // --width first, whatever else there is.
        assert_eq!(width(Some(50), &terminal(200), Some(100)), 50);
        assert_eq!(width(Some(50), &piped(Some("70")), Some(100)), 50);
        // A terminal: its width, capped by the config's (0: no cap); COLUMNS is not asked.
        assert_eq!(width(None, &terminal(200), Some(100)), 100);
        assert_eq!(width(None, &terminal(90), Some(100)), 90);
        assert_eq!(width(None, &terminal(200), Some(0)), 200);
        // A terminal whose size is unknown is taken as a pipe.
        let unknown = Surroundings {
            terminal_columns: None,
            ..terminal(0)
        };
        assert_eq!(width(None, &unknown, Some(100)), 33);
        // A pipe: COLUMNS when it is a positive whole number.
        assert_eq!(width(None, &piped(Some("70")), Some(100)), 70);
        assert_eq!(width(None, &piped(Some(" 150 ")), Some(100)), 150);
        for not_a_width in ["0", "-5", "wide", ""] {
            assert_eq!(
                width(None, &piped(Some(not_a_width)), Some(60)),
                60,
                "{not_a_width:?}"
            );
        }
        // Then the config's width, then 80.
        assert_eq!(width(None, &piped(None), Some(60)), 60);
        assert_eq!(width(None, &piped(None), Some(0)), 80);
        assert_eq!(
            width(Some(0), &piped(None), Some(0)),
            1,
            "never zero columns"
        );
    }

    /// A page bundle with a 40×20 PNG beside its post, printed at 30 columns to a
    /// terminal that answers with `graphics` (or to a pipe).
    fn print_with_picture(
        graphics: super::images::detect::Protocol,
        images: ImagesChoice,
        terminal: bool,
    ) -> String {
        let dir = tempfile::tempdir().expect("tempdir");
        let bundle = dir.path().join("post");
        std::fs::create_dir(&bundle).expect("mkdir");
        let post = bundle.join("index.md");
        std::fs::write(
            &post,
            "---\ntitle: P\n---\n\n![a box](box.png)\n\n![gone](gone.png)\n\n> ![quoted](box.png)\n",
        )
        .expect("write");
        image::RgbImage::from_pixel(40, 20, image::Rgb([10, 20, 30]))
            .save(bundle.join("box.png"))
            .expect("png");
        fn kitty(_: ImagesSetting) -> Option<images::detect::Graphics> {
            Some(images::detect::Graphics {
                protocol: images::detect::Protocol::Kitty,
                cell: images::fit::CellSize {
                    width: 10,
                    height: 20,
                },
            })
        }
        fn iterm2(_: ImagesSetting) -> Option<images::detect::Graphics> {
            Some(images::detect::Graphics {
                protocol: images::detect::Protocol::Iterm2,
                ..kitty(ImagesSetting::Auto)?
            })
        }
        let surroundings = Surroundings {
            stdout_is_terminal: terminal,
            graphics: super::super::GraphicsProbe(match graphics {
                images::detect::Protocol::Iterm2 => iterm2,
                _ => kitty,
            }),
            ..Surroundings::default()
        };
        let args = PrintArgs {
            images,
            color: ColorChoice::Never,
            ..args(&post.display().to_string())
        };
        print(&args, &surroundings, "").expect("print")
    }

    #[test]
    fn pictures_are_drawn_for_kitty_and_iterm2_and_placeholders_elsewhere() {
        use images::detect::Protocol;
        let kitty = print_with_picture(Protocol::Kitty, ImagesChoice::Auto, true);
        // 40×20 pixels: 4×1 cells, centred in 30 columns, then the alt text.
        assert!(
            kitty.contains("             \x1b_Gf=100,a=T,t=d,q=2,c=4,r=1,m=0;iVBORw0KGgo"),
            "{kitty:?}"
        );
        assert!(kitty.contains("a box"), "{kitty}");
        assert_eq!(
            kitty.matches("\x1b_G").count(),
            2,
            "both pictures: {kitty:?}"
        );
        assert!(
            kitty.contains("[image] gone.png · not found"),
            "a missing picture says why: {kitty}"
        );
        let iterm2 = print_with_picture(Protocol::Iterm2, ImagesChoice::Auto, true);
        assert!(
            iterm2.contains("\x1b]1337;File=inline=1;size=")
                && iterm2.contains(";width=4;height=1;"),
            "{iterm2:?}"
        );
        for plain in [
            print_with_picture(Protocol::Kitty, ImagesChoice::Never, true),
            print_with_picture(Protocol::Kitty, ImagesChoice::Auto, false),
        ] {
            assert!(!plain.contains('\u{1b}'), "{plain:?}");
            assert!(plain.contains("[image: a box] box.png"), "{plain}");
        }
    }

    #[test]
    fn binary_stdin_and_a_folder_are_refused() {
        let err = print(&args("-"), &Surroundings::default(), "a\0b").expect_err("binary");
        assert_eq!(err.to_string(), "stdin: binary data, not shown");
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().display().to_string();
        let err = print(&args(&path), &Surroundings::default(), "").expect_err("folder");
        assert_eq!(err.to_string(), format!("{path} is not a regular file"));
    }
}

//! `folio print FILE` (and `folio FILE` into a pipe): one post laid out as the reader
//! would show it, written out whole, styled only when asked or when the output is a
//! terminal.

use std::io::{Read, Write};
use std::path::Path;

use anyhow::{Context, Result, bail};

use super::{Surroundings, check_readable_file, read_stdin};
use crate::cli::{ColorChoice, PrintArgs};
use crate::library::{Post, Source, front_matter, text};
use crate::markdown::{self, HighlightMode, LayoutOptions};
use crate::print;
use crate::setup::Setup;

/// Renders `args.file` (`-`: `stdin`) to `out`.
pub fn run(
    args: &PrintArgs,
    setup: &Setup,
    surroundings: &Surroundings,
    stdin: impl Read,
    out: &mut impl Write,
) -> Result<()> {
    let (meta, body, base_dir) = if args.file.as_os_str() == "-" {
        let decoded = text::decode(&read_stdin(stdin)?);
        if decoded.binary {
            bail!("stdin: binary data, not shown");
        }
        let (meta, body, _) = front_matter::split_body(decoded.text);
        (meta, body, None)
    } else {
        check_readable_file(&args.file)?;
        let post = Post::load(&args.file, args.file.clone());
        // The error names the file already (binary, too large, unreadable).
        let (meta, body, _) = post.body_and_meta()?;
        let base_dir = match &post.source {
            Source::File(p) => p.parent().map(Path::to_path_buf),
            Source::Embedded(_) => None,
        };
        (meta, body, base_dir)
    };
    // On a terminal, the config's reading width caps the terminal's, as in the reader.
    let reading = |w: usize| match setup.config.width {
        0 => w,
        cap => w.min(cap),
    };
    let width = args
        .width
        .or_else(|| {
            surroundings
                .stdout_is_terminal
                .then(|| surroundings.terminal_columns.map(reading))
                .flatten()
        })
        .unwrap_or(80)
        .max(1);
    let styled = match args.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => surroundings.stdout_is_terminal,
    };
    let options = LayoutOptions {
        width,
        meta: Some(meta),
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
    };
    let render = |lines: &[markdown::Line], out: &mut String| {
        print::render_lines(lines, &setup.theme, styled, out)
    };
    let rendered = markdown::render_document(&body, &options, &render);
    rendered
        .parts()
        .iter()
        .try_for_each(|part| out.write_all(part.as_bytes()))
        .and_then(|()| out.flush())
        .context("cannot write to stdout")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::setup::{self, Strictness};
    use crate::theme::ColorDepth;

    fn setup() -> Setup {
        setup::load_in(None, ColorDepth::TrueColor, None, Strictness::Strict).expect("setup")
    }

    fn args(file: &str) -> PrintArgs {
        PrintArgs {
            file: file.into(),
            width: Some(30),
            color: ColorChoice::Auto,
        }
    }

    fn print(args: &PrintArgs, surroundings: &Surroundings, stdin: &str) -> Result<String> {
        let mut out = Vec::new();
        run(args, &setup(), surroundings, stdin.as_bytes(), &mut out)?;
        Ok(String::from_utf8(out).expect("utf-8"))
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
    fn binary_stdin_and_a_folder_are_refused() {
        let err = print(&args("-"), &Surroundings::default(), "a\0b").expect_err("binary");
        assert_eq!(err.to_string(), "stdin: binary data, not shown");
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().display().to_string();
        let err = print(&args(&path), &Surroundings::default(), "").expect_err("folder");
        assert_eq!(err.to_string(), format!("{path} is not a regular file"));
    }
}

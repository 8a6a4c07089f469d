//! A paragraph that is only images, laid out as figures: for each image a box of rows
//! the reader draws the picture into, then its alt text (a figure's caption) centred
//! under it, as a browser shows a picture in a post. The box is as tall as the picture
//! will be when its size is known ([`FigureOptions::known`]), else the most rows an
//! image may take, so that when the picture arrives it fills the rows already there and
//! the text around it does not move. An image folio will not draw (on the web, an SVG,
//! a file that failed) is one placeholder line saying why. In print mode the box is a
//! single row holding the URL, for the printer to draw the picture in its place.
//!
//! Only laid out when [`LayoutOptions::images`](super::LayoutOptions::images) asks for
//! it and the post has a folder to find its files in; otherwise an image stays the
//! `[image: alt] path` line inline layout makes.

use std::collections::HashMap;
use std::ops::Range;

use super::inline::{is_badge, resolve};
use super::layout::{Chunk, Ctx, paragraph, span};
use super::line_store::LineRef;
use super::model::Inline;
use super::sanitize::sanitize;
use super::style::{Line, Role, Span, Style};
use super::wrap::display_width;
use crate::images::fit::{CellSize, Cells, fit};
use crate::images::source::Source;

/// How figures are laid out.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FigureOptions {
    /// Print mode: the box is one row holding the URL (see the module doc).
    pub print: bool,
    /// The most rows a picture takes.
    pub max_rows: u16,
    /// A terminal cell's size in pixels, to turn a picture's size into cells.
    pub cell: CellSize,
    /// What is known of the post's images, by their URL as written.
    pub known: HashMap<String, Known>,
}

/// What the image thread found out about an image file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Known {
    /// Its size in pixels.
    Size { width: u32, height: u32 },
    /// Why it cannot be drawn.
    Failed(String),
}

/// A figure's box in a layout: the rows the reader draws the picture (or its
/// placeholder) into. Its first row holds a [`Role::Figure`] span, which carries the
/// image's link and marks the column the box starts at (after a quote bar or a list
/// marker).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImageRegion {
    pub rows: Range<usize>,
    /// The URL as the post writes it.
    pub url: String,
    /// The alt text (or a figure's caption), sanitized.
    pub alt: String,
    /// Columns the figure was laid out in; the picture is centred in them.
    pub width: usize,
    /// The box: as large as the picture will be, or the largest it may be while its
    /// size is not known.
    pub cells: Cells,
}

impl ImageRegion {
    /// Whether the box was laid out at the picture's own size.
    pub fn exact(&self, known: Option<&Known>) -> bool {
        matches!(known, Some(Known::Size { .. }))
    }
}

/// The images of a paragraph made only of images (and the spaces between them).
fn only_images(inlines: &[Inline]) -> Option<Vec<(&str, &str)>> {
    let mut images = Vec::new();
    for inline in inlines {
        match inline {
            Inline::Image { url, alt } if !is_badge(url) => {
                images.push((url.as_str(), alt.as_str()))
            }
            Inline::Text(t) if t.trim().is_empty() => {}
            Inline::SoftBreak | Inline::HardBreak => {}
            _ => return None,
        }
    }
    (!images.is_empty()).then_some(images)
}

/// The paragraph as figures, when it is only images and figures are asked for.
pub(super) fn figures(inlines: &[Inline], width: usize, ctx: &mut Ctx) -> Option<Chunk> {
    let options = ctx.figures?;
    ctx.base_dir?;
    let images = only_images(inlines)?;
    let mut out = Chunk::default();
    for (i, (url, alt)) in images.into_iter().enumerate() {
        if i > 0 {
            out.blank();
        }
        out.append(figure(url, alt, width, options, ctx));
    }
    Some(out)
}

fn figure(url: &str, alt: &str, width: usize, options: &FigureOptions, ctx: &mut Ctx) -> Chunk {
    let link = ctx.links.add(resolve(url, ctx.base_dir));
    let alt = sanitize(alt.trim()).into_owned();
    let why_not = match Source::of(url) {
        Source::Local => match options.known.get(url) {
            Some(Known::Failed(reason)) => Some(format!("{} · {reason}", sanitize(url.trim()))),
            _ => None,
        },
        Source::Remote { .. } => Source::of(url).reason(),
        other => other
            .reason()
            .map(|reason| format!("{} · {reason}", sanitize(url.trim()))),
    };
    if let Some(why) = why_not {
        return placeholder(&alt, &why, link, width);
    }
    let most = Cells {
        cols: u16::try_from(width).unwrap_or(u16::MAX).max(1),
        rows: options.max_rows.max(1),
    };
    let cells = match options.known.get(url) {
        Some(Known::Size { width, height }) => fit((*width, *height), options.cell, most),
        _ => most,
    };
    let marker = Span {
        text: if options.print {
            sanitize(url.trim()).into_owned().into()
        } else {
            Default::default()
        },
        style: Style {
            link: Some(link),
            ..Style::role(Role::Figure)
        },
    };
    let rows = if options.print {
        1
    } else {
        usize::from(cells.rows)
    };
    let mut out = Chunk::default();
    out.push_spans(vec![marker]);
    for _ in 1..rows {
        out.blank();
    }
    out.images.push(ImageRegion {
        rows: 0..rows,
        url: url.to_string(),
        alt: alt.clone(),
        width,
        cells,
    });
    if !alt.is_empty() {
        out.append(caption(&alt, link, width));
    }
    out
}

/// The alt text under a picture, centred, each line carrying the image's link.
fn caption(alt: &str, link: u32, width: usize) -> Chunk {
    let style = Style {
        link: Some(link),
        italic: true,
        ..Style::role(Role::Image)
    };
    let mut out = paragraph(
        &[Span {
            text: alt.into(),
            style,
        }],
        width,
    );
    for line in &mut out.lines {
        centre(line, width);
    }
    out
}

fn centre(line: &mut Line, width: usize) {
    let used = line.width();
    let pad = width.saturating_sub(used) / 2;
    if pad > 0 {
        line.spans.insert(0, span(" ".repeat(pad), Role::Text));
    }
}

/// One line for an image that is not drawn: `[image: alt] why`.
fn placeholder(alt: &str, why: &str, link: u32, width: usize) -> Chunk {
    let label = if alt.is_empty() {
        "[image]".to_string()
    } else {
        format!("[image: {alt}]")
    };
    let image = Style {
        link: Some(link),
        ..Style::role(Role::Image)
    };
    paragraph(
        &[
            Span {
                text: label.into(),
                style: image,
            },
            span(" ", Role::Text),
            span(why.to_string(), Role::Dim),
        ],
        width,
    )
}

/// The column a figure's box starts at on its first row, and the image's link id.
pub fn marker(line: LineRef) -> Option<(usize, u32)> {
    let mut col = 0;
    for span in line.spans() {
        if span.style.role == Role::Figure {
            return Some((col, span.style.link?));
        }
        col += display_width(span.text);
    }
    None
}

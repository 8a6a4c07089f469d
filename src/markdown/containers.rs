//! Blocks that hold other blocks and draw a frame or a marker around them: quotes,
//! alert boxes, disclosures, definition lists, and the pages a Hugo page pulls in
//! (`include`, `section-toc`). Their children are laid out narrower by
//! [`blocks`](super::layout::blocks) and given a prefix here.

use super::glyphs::frame;
use super::layout::{Chunk, Ctx, beside, blocks, hang, paragraph, span};
use super::model::{AlertKind, Block, Definition};
use super::parse::parse;
use super::sanitize::sanitize;
use super::site;
use super::style::{Role, Span, Style};
use super::wrap::display_width;

/// Includes inside includes are followed this deep; a page including itself stops here.
const MAX_INCLUDE_DEPTH: usize = 4;

/// Prefixes every line with `prefix` when there is room for it next to the content.
pub(super) fn bar(inner: Chunk, width: usize, prefix: Span) -> Chunk {
    if width < display_width(&prefix.text) + 1 {
        return inner;
    }
    inner.indent(std::slice::from_ref(&prefix), std::slice::from_ref(&prefix))
}

fn restyle_text(mut chunk: Chunk, role: Role) -> Chunk {
    for line in &mut chunk.lines {
        for s in &mut line.spans {
            if s.style.role == Role::Text {
                s.style.role = role;
            }
        }
    }
    chunk
}

pub(super) fn quote(children: &[Block], width: usize, ctx: &mut Ctx) -> Chunk {
    let inner = blocks(children, width.saturating_sub(2).max(1), ctx, false);
    bar(
        restyle_text(inner, Role::Quote),
        width,
        span(frame("│ "), Role::QuoteBar),
    )
}

/// A labelled box: `╭─ Note · Title`, the content behind a bar, `╰─`; at widths too
/// small for the frame, the label line and the content alone.
pub(super) fn alert(
    kind: AlertKind,
    title: Option<&str>,
    children: &[Block],
    width: usize,
    ctx: &mut Ctx,
) -> Chunk {
    let role = Role::Alert(kind);
    let label = match title.map(str::trim).filter(|t| !t.is_empty()) {
        Some(title) => format!("{} ·\u{a0}{}", kind.label(), sanitize(title)),
        None => kind.label().to_string(),
    };
    let framed = width >= 4;
    let head = if framed {
        format!("{}{label}", frame("╭─ "))
    } else {
        label
    };
    let mut out = paragraph(&[span(head, role)], width);
    let inner = blocks(children, width.saturating_sub(2).max(1), ctx, false);
    out.append(bar(inner, width, span(frame("│ "), role)));
    if framed {
        out.push_spans(vec![span(frame("╰─"), role)]);
    }
    out
}

/// A disclosure, open: `▸ Summary`, then the content under it, indented.
pub(super) fn details(summary: &str, children: &[Block], width: usize, ctx: &mut Ctx) -> Chunk {
    let marker = "▸ ";
    let summary = span(sanitize(summary.trim()).into_owned(), Role::Strong);
    let head = paragraph(
        &[Span {
            style: Style {
                bold: true,
                ..summary.style
            },
            ..summary
        }],
        beside(marker, width),
    );
    let mut out = hang(head, marker, Role::ListMarker, width);
    let inner_width = beside("  ", width);
    let inner = blocks(children, inner_width, ctx, false);
    if !inner.lines.is_empty() {
        out.append(hang(inner, "  ", Role::Text, width));
    }
    out
}

/// Each term, then its definitions under a `: ` marker with a hanging indent: the marker
/// once per definition, and the definition's own blocks (paragraphs, code, boxes) kept.
pub(super) fn definition_list(defs: &[Definition], width: usize, ctx: &mut Ctx) -> Chunk {
    let marker = "  : ";
    let mut out = Chunk::default();
    for (i, def) in defs.iter().enumerate() {
        if i > 0 {
            out.blank();
        }
        let term = ctx.spans(
            &def.term,
            Style {
                bold: true,
                ..Style::role(Role::Strong)
            },
        );
        out.append(paragraph(&term, width));
        for detail in &def.details {
            let inner = blocks(detail, beside(marker, width), ctx, false);
            out.append(hang(inner, marker, Role::ListMarker, width));
        }
    }
    out
}

/// Another page of the site, laid out in place; a dimmed placeholder naming it when it
/// cannot be found (no site around the post, or no such page in it).
pub(super) fn include(name: &str, width: usize, ctx: &mut Ctx) -> Chunk {
    let body = ctx
        .base_dir
        .filter(|_| ctx.include_depth < MAX_INCLUDE_DEPTH)
        .and_then(|dir| site::read_include(dir, name));
    match body {
        Some(body) => {
            let doc = parse(&body);
            ctx.include_depth += 1;
            let out = blocks(&doc.blocks, width, ctx, false);
            ctx.include_depth -= 1;
            out
        }
        None => paragraph(
            &[span(
                format!("{{{{% include \"{}\" %}}}}", sanitize(name)),
                Role::Dim,
            )],
            width,
        ),
    }
}

/// The pages of this page's section, as a list of their titles; a dimmed placeholder
/// outside a Hugo site, where a folder is no section.
pub(super) fn section_toc(width: usize, ctx: &mut Ctx) -> Chunk {
    let pages = ctx
        .base_dir
        .filter(|dir| site::site_root(dir).is_some())
        .map(site::section_pages)
        .unwrap_or_default();
    if pages.is_empty() {
        return paragraph(&[span("{{< section-toc >}}", Role::Dim)], width);
    }
    let mut out = Chunk::default();
    let marker = "• ";
    for title in pages {
        let body = paragraph(
            &[span(sanitize(&title).into_owned(), Role::Text)],
            beside(marker, width),
        );
        out.append(hang(body, marker, Role::ListMarker, width));
    }
    out
}

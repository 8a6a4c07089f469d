//! The "Related posts" section at the end of the reader. The ranking is the library's
//! ([`crate::library::related`]); this module turns it into lines appended after the
//! post's own layout, so `markdown::layout` stays a function of the document alone, and
//! gives each entry a link id of its own so Tab and Enter reach it like any link.

use super::state::App;
use crate::library::PostId;
use crate::library::related::{RELATED_LIMIT, related};
use crate::markdown::sanitize::sanitize;
use crate::markdown::{HeadingRow, Laid, Line, LinkRow, Role, Span, Style};
use crate::ui::{clip_to_width, display_width};

/// Link ids from here up are related posts: far above any id a document's own links
/// can reach, so the two never meet.
pub const FIRST_ID: u32 = u32::MAX - 64;
const TITLE: &str = "Related posts";

/// One related post, as the section shows it. Titles are kept so that a resize can lay
/// the section out again without the library.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RelatedEntry {
    pub post: PostId,
    pub title: String,
    pub date: Option<String>,
    /// Path in the collection, which `y` copies.
    pub path: String,
}

pub fn entries(app: &App, post: &PostId) -> Vec<RelatedEntry> {
    related(&app.library, post, RELATED_LIMIT)
        .into_iter()
        .filter_map(|id| {
            let p = app.library.get(&id)?;
            Some(RelatedEntry {
                post: id,
                title: p.title.to_string(),
                date: p.date_ymd(),
                path: sanitize(&p.rel_path.to_string_lossy()).into_owned(),
            })
        })
        .collect()
}

/// Appends the section to a fresh layout: a blank line, the title, a rule, and one row
/// per entry (`• Title  2021-05-25`), every row at most `laid.width` wide.
pub fn append(laid: &mut Laid, entries: &[RelatedEntry]) {
    if entries.is_empty() {
        return;
    }
    let width = laid.width.max(1);
    let span = |text: String, role| Span {
        text: text.into(),
        style: Style::role(role),
    };
    if !laid.lines.is_empty() {
        laid.lines.push(&Line::default());
    }
    let title = clip_to_width(TITLE, width);
    laid.headings.push(HeadingRow {
        row: laid.lines.len(),
        level: 2,
        text: TITLE.to_string(),
        anchor: "folio-related-posts".to_string(),
    });
    let rule = "─".repeat(display_width(&title).max(1));
    laid.lines.push(&Line {
        spans: vec![span(title, Role::Heading(2))],
    });
    laid.lines.push(&Line {
        spans: vec![span(rule, Role::Heading(2))],
    });
    for (n, entry) in entries.iter().enumerate() {
        let id = FIRST_ID.saturating_add(n as u32);
        let bullet = if width > 2 { "• " } else { "" };
        let date = entry
            .date
            .as_deref()
            .map(|d| format!("  {d}"))
            .filter(|d| display_width(bullet) + 4 + display_width(d) <= width)
            .unwrap_or_default();
        let room = width.saturating_sub(display_width(bullet) + display_width(&date));
        let text = clip_to_width(&entry.title, room);
        let mut spans = Vec::new();
        if !bullet.is_empty() {
            spans.push(span(bullet.to_string(), Role::ListMarker));
        }
        spans.push(Span {
            text: text.as_str().into(),
            style: Style {
                underline: true,
                link: Some(id),
                ..Style::role(Role::Link)
            },
        });
        if !date.is_empty() {
            spans.push(span(date, Role::Dim));
        }
        laid.links.push(LinkRow {
            row: laid.lines.len(),
            url: entry.path.clone(),
            text,
            id,
        });
        laid.lines.push(&Line { spans });
    }
}

/// The post a related-section link id opens.
pub fn post_of(entries: &[RelatedEntry], id: u32) -> Option<PostId> {
    let n = id.checked_sub(FIRST_ID)?;
    entries
        .get(usize::try_from(n).ok()?)
        .map(|e| e.post.clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(post: usize, title: &str) -> RelatedEntry {
        RelatedEntry {
            post: id(post),
            title: title.into(),
            date: Some("2021-05-25".into()),
            path: format!("p{post}/index.md"),
        }
    }

    fn id(n: usize) -> PostId {
        PostId::from(format!("p{n}/index.md").as_str())
    }

    #[test]
    fn the_section_fits_every_width_and_its_links_lead_to_the_posts() {
        let entries = [entry(3, "Istio 开源四周年回顾与展望"), entry(7, "Go")];
        for width in [1, 2, 3, 5, 12, 40, 100] {
            let mut laid = Laid {
                width,
                lines: [Line::default()].into_iter().collect(),
                ..Laid::default()
            };
            append(&mut laid, &entries);
            assert_eq!(laid.lines.len(), 1 + 1 + 2 + 2);
            for line in &laid.lines {
                assert!(line.width() <= width, "{width}: {:?}", line.plain_text());
            }
            assert_eq!(laid.links.len(), 2);
            let ids: Vec<u32> = laid.links.iter().map(|l| l.id).collect();
            assert_eq!(
                ids.iter()
                    .map(|&id| post_of(&entries, id))
                    .collect::<Vec<_>>(),
                [Some(id(3)), Some(id(7))]
            );
        }
        assert_eq!(post_of(&entries, 0), None);
        assert_eq!(post_of(&entries, FIRST_ID + 2), None);
    }

    #[test]
    fn nothing_related_adds_nothing() {
        let mut laid = Laid {
            width: 40,
            ..Laid::default()
        };
        append(&mut laid, &[]);
        assert!(laid.lines.is_empty() && laid.links.is_empty());
    }
}

//! The post list: newest first, one or two rows a post.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Widget;

use super::text::{clip_to_width, display_width};
use crate::app::listing::{self, Row};
use crate::app::{Action, App};
use crate::diagnostic::{Diagnostic, Severity};
use crate::library::Post;
use crate::theme::{Theme, UiRole};

pub struct ListView<'a> {
    pub app: &'a App,
    pub theme: &'a Theme,
}

impl Widget for ListView<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let app = self.app;
        if app.library.posts().is_empty() {
            let note = match app.index_status {
                crate::app::change::IndexStatus::Idle => {
                    format!("No posts found in {}", app.collection_label)
                }
                _ => format!("Reading the posts of {}…", app.collection_label),
            };
            Line::styled(
                clip_to_width(&note, usize::from(area.width)),
                self.theme.ui(UiRole::Dim),
            )
            .render(area, buf);
            return;
        }
        if app.row_count() == 0 {
            let note = format!(
                "No posts match · {} clears the search",
                app.key_for(Action::ClearFilter)
            );
            Line::styled(
                clip_to_width(&note, usize::from(area.width)),
                self.theme.ui(UiRole::Dim),
            )
            .render(area, buf);
            return;
        }
        let row_height = app.list_row_height() as u16;
        let terms = super::search::highlight_terms(app);
        let rows = listing::rows(app);
        for (slot, entry) in rows
            .iter()
            .skip(app.list_offset)
            .take(app.list_page())
            .enumerate()
        {
            let y = area.y + slot as u16 * row_height;
            if y >= area.bottom() {
                break;
            }
            let height = row_height.min(area.bottom() - y);
            let row = Rect { y, height, ..area };
            match entry {
                Row::Post(id) => {
                    if let Some(post) = app.library.get(id) {
                        let decor = super::search::row_decor(app, id, &terms);
                        let selected = app.selected.as_ref() == Some(id);
                        self.render_row(post, &decor, selected, row, buf);
                    }
                }
                Row::Group { label, count } => self.render_group(label, *count, row, buf),
            }
        }
    }
}

impl ListView<'_> {
    /// An archive header (`── 2021 · May (2) ───`), on the lower line of a two-line
    /// row so that it sits right above the posts it heads.
    fn render_group(&self, label: &str, count: usize, area: Rect, buf: &mut Buffer) {
        let width = usize::from(area.width);
        let text = clip_to_width(&format!("── {label} ({count}) "), width);
        let fill = "─".repeat(width.saturating_sub(display_width(&text)));
        let line = Line::from(vec![
            Span::styled(text, self.theme.ui(UiRole::RowTitle)),
            Span::styled(fill, self.theme.ui(UiRole::Border)),
        ]);
        let y = area.bottom().saturating_sub(1).max(area.y);
        line.render(
            Rect {
                y,
                height: 1,
                ..area
            },
            buf,
        );
    }

    fn render_row(
        &self,
        post: &Post,
        decor: &super::search::RowDecor,
        selected: bool,
        area: Rect,
        buf: &mut Buffer,
    ) {
        let theme = self.theme;
        let base = if selected {
            theme.ui(UiRole::Selected)
        } else {
            Style::default()
        };
        buf.set_style(area, base);
        let width = usize::from(area.width);
        let style = |role| base.patch(theme.ui(role));

        // First line: marker, title, badges ... date at the right edge.
        let date = self.app.prefs.format_date(post);
        // Unread posts carry a dot, where reading memory is on.
        let unread = self.app.memory.enabled && !self.app.memory.is_read(&post.id);
        let marker = match (selected, unread) {
            (true, true) => "▌•",
            (true, false) => "▌ ",
            (false, true) => " •",
            (false, false) => "  ",
        };
        let mut badges = Vec::new();
        // A Hugo section page with a body of its own: not a post, but worth reading.
        if post.meta.section {
            badges.push(Span::styled(" SECTION ", style(UiRole::Tag)));
        }
        if post.meta.draft {
            badges.push(Span::styled(" DRAFT ", style(UiRole::DraftBadge)));
        }
        // Read in a legacy or UTF-16/32 encoding, as the card says too.
        if let Some(encoding) = &post.meta.encoding {
            badges.push(Span::styled(
                clip_to_width(encoding, 12),
                style(UiRole::Dim),
            ));
        }
        // Problems `folio check` finds (the index's own until it has run).
        let problems = self.app.checks.of(post);
        let worst = worst_shown(&problems);
        if let Some(problem) = worst
            && area.height < 2
        {
            badges.push(Span::styled(
                format!(" {}", problem.severity.mark()),
                style(UiRole::Warning),
            ));
        }
        let badge_width: usize = badges.iter().map(|b| display_width(&b.content) + 1).sum();
        let date_width = if date.is_empty() {
            0
        } else {
            display_width(&date) + 2
        };
        let title_room = width.saturating_sub(2 + badge_width + date_width + 1);
        let mut spans = vec![Span::styled(marker, style(UiRole::Tag))];
        spans.extend(super::search::title_spans(
            &post.title,
            &decor.title_match,
            title_room,
            style(UiRole::RowTitle),
            theme.ui(UiRole::SearchMatch),
        ));
        for badge in badges {
            spans.push(Span::styled(" ", base));
            spans.push(badge);
        }
        let used: usize = spans.iter().map(|s| display_width(&s.content)).sum();
        if !date.is_empty() && used + date_width <= width {
            spans.push(Span::styled(
                " ".repeat(width - used - date_width + 2),
                base,
            ));
            spans.push(Span::styled(date, style(UiRole::Date)));
        }
        Line::from(spans).render(Rect { height: 1, ..area }, buf);

        if area.height < 2 {
            return;
        }
        let second = Rect {
            y: area.y + 1,
            height: 1,
            ..area
        };
        // In full-text results the second line is the snippet and the hit count.
        if let Some((count, snippet)) = &decor.text {
            let count = format!("  {count}×");
            let room = width.saturating_sub(4 + display_width(&count));
            let mut spans = vec![Span::styled("    ", base)];
            spans.extend(super::search::snippet_spans(
                snippet,
                room,
                style(UiRole::RowDescription),
                theme.ui(UiRole::SearchMatch),
            ));
            let used: usize = spans.iter().map(|s| display_width(&s.content)).sum();
            spans.push(Span::styled(
                " ".repeat(room + 4 - used.min(room + 4)),
                base,
            ));
            spans.push(Span::styled(count, style(UiRole::Date)));
            Line::from(spans).render(second, buf);
            return;
        }
        // Second line: warning or tags and description.
        let mut rest = width.saturating_sub(4);
        let mut spans = vec![Span::styled("    ", base)];
        if let Some(problem) = worst {
            let more = match problems
                .iter()
                .filter(|d| d.severity >= Severity::Warning)
                .count()
            {
                0 | 1 => String::new(),
                n => format!(" (+{} more)", n - 1),
            };
            let mark = problem.severity.mark();
            let text = clip_to_width(&format!("{mark} {}{more}", problem.message), rest);
            rest = rest.saturating_sub(display_width(&text) + 2);
            spans.push(Span::styled(text, style(UiRole::Warning)));
            spans.push(Span::styled("  ", base));
        }
        for tag in &post.meta.tags {
            let chip = clip_to_width(&format!("#{tag}"), rest);
            if chip.is_empty() || chip.ends_with('…') && rest < 8 {
                break;
            }
            rest = rest.saturating_sub(display_width(&chip) + 1);
            spans.push(Span::styled(chip, style(UiRole::Tag)));
            spans.push(Span::styled(" ", base));
        }
        if let Some(description) = post.meta.description.as_deref().filter(|_| rest > 4) {
            spans.push(Span::styled(" ", base));
            spans.push(Span::styled(
                clip_to_width(description, rest.saturating_sub(1)),
                style(UiRole::RowDescription),
            ));
        }
        Line::from(spans).render(second, buf);
    }
}

/// The first of a post's worst problems, when it has an error or a warning (infos get
/// no badge: they may well be meant).
fn worst_shown(problems: &[Diagnostic]) -> Option<&Diagnostic> {
    let worst = problems.iter().map(|d| d.severity).max()?;
    problems
        .iter()
        .find(|d| d.severity == worst)
        .filter(|d| d.severity >= Severity::Warning)
}

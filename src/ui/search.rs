//! Drawing what search adds to the screens: the search line above the status bar,
//! matched characters in list titles, full-text snippets, chips in the status bar, and
//! hits highlighted in the reader. Everything taken from a post is sanitized here, a
//! grapheme at a time, so a highlight never splits a character and never lets a
//! control character through.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Widget;
use unicode_segmentation::UnicodeSegmentation;

use super::text::{clip_to_width, display_width};
use crate::app::input::LineInput;
use crate::app::{App, ReaderState};
use crate::library::fulltext::Snippet;
use crate::library::{PostId, query};
use crate::theme::{Theme, UiRole};

/// The line being typed (or kept) above the status bar.
pub struct SearchLine<'a> {
    pub app: &'a App,
    pub theme: &'a Theme,
}

impl Widget for SearchLine<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let app = self.app;
        let (prompt, line, focused, note) = if let Some(note) = &app.note {
            ("bookmark note:", note, true, "Enter keeps it".to_string())
        } else if app.reading() {
            let note = app.find.counter().unwrap_or_default();
            ("/", &app.find.input, app.find.focused, note)
        } else {
            let search = &app.search;
            let prompt = if search.full_text { "full text /" } else { "/" };
            let bodies = &app.bodies;
            let note = if let Some((done, total)) = app.text_search.progress {
                format!("searching files {done}/{total} · {} found", app.row_count())
            } else if search.full_text && !bodies.started {
                // Bodies are read once the folder is checked (both at once would
                // slow the check that makes the list right) and its posts checked
                // for problems (both at once would hold the check's facts and the
                // bodies together); until then, say so rather than count to nothing.
                "bodies are read once the folder is checked…".to_string()
            } else if search.full_text && !bodies.done() {
                format!("loading bodies {}/{}", bodies.loaded, bodies.total)
            } else {
                let noun = if app.row_count() == 1 {
                    "post"
                } else {
                    "posts"
                };
                format!("{} {noun}", app.row_count())
            };
            (prompt, &search.input, search.focused, note)
        };
        let suggestion = if app.reading() {
            None
        } else {
            app.search.suggestion.as_deref()
        };
        render_line(
            area,
            buf,
            self.theme,
            LineParts {
                prompt,
                line,
                focused,
                note: &note,
                suggestion,
            },
        );
    }
}

pub(super) struct LineParts<'a> {
    pub prompt: &'a str,
    pub line: &'a LineInput,
    pub focused: bool,
    pub note: &'a str,
    /// Dimmed after the cursor at the end of the line: what Tab would complete.
    pub suggestion: Option<&'a str>,
}

/// A prompt, the editable text with its cursor, and a note at the right edge.
pub(super) fn render_line(area: Rect, buf: &mut Buffer, theme: &Theme, parts: LineParts) {
    if area.width == 0 || area.height == 0 {
        return;
    }
    let width = usize::from(area.width);
    let dim = theme.ui(UiRole::Dim);
    let prompt = clip_to_width(&format!("{} ", parts.prompt), width);
    let note = format!(" {} ", parts.note);
    let prompt_w = display_width(&prompt);
    let note_w = display_width(&note);
    // The note gives way first when the line is narrow.
    let (note, note_w) = if prompt_w + note_w + 8 <= width {
        (note, note_w)
    } else {
        (String::new(), 0)
    };
    let text_room = width.saturating_sub(prompt_w + note_w);
    let shown = parts.line.shown(text_room);
    let gap = text_room.saturating_sub(display_width(&shown.text));
    let at_end = parts.line.cursor() == parts.line.text().len();
    let suggestion = match parts.suggestion {
        Some(rest) if parts.focused && at_end => clip_to_width(rest, gap),
        _ => String::new(),
    };
    let gap = gap.saturating_sub(display_width(&suggestion));
    let line = Line::from(vec![
        Span::styled(prompt, theme.ui(UiRole::StatusKey)),
        Span::raw(shown.text),
        Span::styled(suggestion, dim),
        Span::raw(" ".repeat(gap)),
        Span::styled(note, dim),
    ]);
    line.render(area, buf);
    if parts.focused && text_room > 0 {
        // The terminal cursor stays hidden; a reversed cell shows where typing goes.
        let x = area.x + (prompt_w + shown.cursor_col).min(width.saturating_sub(1)) as u16;
        let cell = Rect {
            x,
            y: area.y,
            width: 1,
            height: 1,
        };
        buf.set_style(cell, Style::default().add_modifier(Modifier::REVERSED));
    }
}

/// A title in at most `room` columns with the graphemes at `matched` (ascending
/// grapheme indices, as nucleo reports them) in `hl`.
pub fn title_spans(
    title: &str,
    matched: &[u32],
    room: usize,
    base: Style,
    hl: Style,
) -> Vec<Span<'static>> {
    let total = display_width(&clip_to_width(title, usize::MAX));
    let cut = total > room;
    let limit = if cut { room.saturating_sub(1) } else { room };
    let mut spans: Vec<Span<'static>> = Vec::new();
    let mut run = String::new();
    let mut run_hit = false;
    let mut used = 0;
    let mut next_match = matched.iter().peekable();
    for (index, g) in title.graphemes(true).enumerate() {
        while next_match.next_if(|&&m| (m as usize) < index).is_some() {}
        let hit = next_match.next_if(|&&m| m as usize == index).is_some();
        let g = if g.contains(['\n', '\r']) { " " } else { g };
        let clean = clip_to_width(g, usize::MAX);
        let w = display_width(&clean);
        if used + w > limit {
            break;
        }
        used += w;
        if hit != run_hit && !run.is_empty() {
            let style = if run_hit { base.patch(hl) } else { base };
            spans.push(Span::styled(std::mem::take(&mut run), style));
        }
        run_hit = hit;
        run.push_str(&clean);
    }
    if !run.is_empty() {
        let style = if run_hit { base.patch(hl) } else { base };
        spans.push(Span::styled(run, style));
    }
    if cut && room > 0 {
        spans.push(Span::styled("…", base));
    }
    spans
}

/// What a list row shows of the search: matched title characters, or in full-text
/// mode the hit count and snippet. Worked out for the rows on screen only.
#[derive(Debug, Default)]
pub struct RowDecor {
    pub title_match: Vec<u32>,
    pub text: Option<(usize, Snippet)>,
}

/// The fuzzy terms whose matches are highlighted in titles (none in full-text mode).
pub fn highlight_terms(app: &App) -> Vec<String> {
    if app.search.full_text {
        Vec::new()
    } else {
        app.search.query().terms
    }
}

pub fn row_decor(app: &App, post: &PostId, terms: &[String]) -> RowDecor {
    let Some(hit) = app.hit_for_post(post) else {
        return RowDecor::default();
    };
    let title = app.library.get(&hit.id).map(|p| &*p.title);
    let title_match = match title {
        Some(title) if !terms.is_empty() => query::title_match(title, terms),
        _ => Vec::new(),
    };
    let text = hit.text.as_ref().and_then(|t| {
        // A hit found in a file (past the memory budget) brought its snippet along.
        let snippet = match (&t.kept, app.bodies.bodies.get(&hit.id)) {
            (Some(kept), _) => kept.clone(),
            (None, Some(body)) => t.snippet(body),
            (None, None) => return None,
        };
        Some((t.count, snippet))
    });
    RowDecor { title_match, text }
}

/// A full-text snippet fitted to `width` columns, the hit in `hl`.
pub fn snippet_spans(
    snippet: &Snippet,
    width: usize,
    base: Style,
    hl: Style,
) -> Vec<Span<'static>> {
    let [before, hit, after] = snippet.fit(width);
    vec![
        Span::styled(before, base),
        Span::styled(hit, base.patch(hl)),
        Span::styled(after, base),
    ]
}

/// What the status bar adds on the list: how many posts show, and the chips.
pub fn status_note(app: &App) -> Option<String> {
    if !app.search.is_active() {
        return None;
    }
    let chips = &app.search.chips;
    let mut note = format!(" · {} shown", app.row_count());
    let names = chips
        .tags
        .iter()
        .map(|t| format!("#{t}"))
        .chain(chips.categories.iter().map(|c| format!("@{c}")))
        .collect::<Vec<_>>();
    if !names.is_empty() {
        note.push_str(" · ");
        note.push_str(&names.join(" "));
        if names.len() > 1 {
            note.push_str(if chips.any { " (any)" } else { " (all)" });
        }
    }
    Some(note)
}

/// Paints the reader's search hits on the rows on screen. `left` is the text's first
/// column; the text itself has already been drawn.
pub fn highlight_hits(
    app: &App,
    reader: &ReaderState,
    area: Rect,
    left: u16,
    buf: &mut Buffer,
    theme: &Theme,
) {
    let find = &app.find;
    if !find.is_active() {
        return;
    }
    let first = find.hits.partition_point(|h| h.row < reader.scroll);
    let right = area.right();
    for (i, hit) in find.hits.iter().enumerate().skip(first) {
        let Some(y) = hit
            .row
            .checked_sub(reader.scroll)
            .filter(|&dy| dy < usize::from(area.height))
            .map(|dy| area.y + dy as u16)
        else {
            break;
        };
        let x = usize::from(left) + hit.cols.start;
        let end = (usize::from(left) + hit.cols.end).min(usize::from(right));
        if x >= end {
            continue;
        }
        let role = if i == find.current {
            UiRole::CurrentMatch
        } else {
            UiRole::SearchMatch
        };
        let rect = Rect {
            x: x as u16,
            y,
            width: (end - x) as u16,
            height: 1,
        };
        buf.set_style(rect, theme.ui(role));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(spans: &[Span]) -> String {
        spans.iter().map(|s| s.content.as_ref()).collect()
    }

    #[test]
    fn title_highlight_by_grapheme_and_clipped_to_the_room() {
        let hl = Style::default().add_modifier(Modifier::BOLD);
        let spans = title_spans("Istio 开源四周年", &[6, 7], 40, Style::default(), hl);
        let marked: Vec<&str> = spans
            .iter()
            .filter(|s| s.style == hl)
            .map(|s| s.content.as_ref())
            .collect();
        assert_eq!(marked, ["开源"]);
        assert_eq!(text(&spans), "Istio 开源四周年");
        // Cut to 9 columns: the wide 开 does not fit after "Istio " + 2 columns.
        let spans = title_spans("Istio 开源四周年", &[6, 7], 9, Style::default(), hl);
        assert_eq!(text(&spans), "Istio 开…");
        assert!(display_width(&text(&spans)) <= 9);
        // Controls never come through, matched or not.
        let spans = title_spans("a\u{1b}[31mb\nc", &[1], 40, Style::default(), hl);
        assert!(
            !text(&spans).chars().any(char::is_control),
            "{:?}",
            text(&spans)
        );
        for room in 0..4 {
            let spans = title_spans("开源", &[0], room, Style::default(), hl);
            assert!(display_width(&text(&spans)) <= room);
        }
    }
}

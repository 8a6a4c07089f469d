//! `!` in the reader: the open post's problems, as `folio check` reports them, in a
//! picker; Enter goes to the block that holds the line. A problem is placed by a line
//! of the file, the reader by rows of its layout; the layout keeps the body line each
//! top-level block starts on ([`crate::markdown::Laid::block_lines`], from the parser's
//! [`crate::markdown::Document::block_lines`], a long post's counted across its
//! pieces) beside the row ([`crate::markdown::Laid::block_rows`]), which together lead
//! from one to the other.

use super::history::Landing;
use super::picker::{self, PickerItem, PickerKind};
use super::state::{App, ReaderState};
use crate::diagnostic::Diagnostic;

/// Opens the problem picker for the open post, or says there is nothing to list.
pub(super) fn open(app: &mut App) {
    let Some(reader) = app.reader.as_ref() else {
        return;
    };
    let mut problems: Vec<Diagnostic> = match app.library.get(&reader.post) {
        Some(post) if app.checks.ready() => app.checks.of(post).into_owned(),
        _ => {
            // Until the collection is checked: what reading the post found.
            let mut own = reader.diagnostics.clone();
            app.checks.policy.apply(&mut own);
            own
        }
    };
    problems.sort_by_key(|d| (d.line, d.column));
    if problems.is_empty() {
        let note = if app.checks.ready() {
            "no problems found in this post"
        } else {
            "no problems found in this post so far; the collection is still being checked"
        };
        app.say(note.to_string());
        return;
    }
    let items = problems
        .iter()
        .map(|problem| PickerItem {
            label: label(problem),
            detail: match &problem.help {
                Some(help) => format!("{} · {help}", problem.message),
                None => problem.message.clone(),
            },
            theme: None,
            opens: Some((reader.post.clone(), Landing::Line(problem.line))),
            bookmark: None,
        })
        .collect();
    picker::open(app, PickerKind::Problems, items, 0);
}

/// `12:5 ✗ broken-link`: where, how bad (the mark), what kind.
fn label(problem: &Diagnostic) -> String {
    let place = match (problem.line, problem.column) {
        (Some(line), Some(column)) => format!("{line}:{column}"),
        (Some(line), None) => line.to_string(),
        _ => "file".to_string(),
    };
    format!("{place} {} {}", problem.severity.mark(), problem.code)
}

/// The row of the layout that shows the block holding `line` of the file: the card (row
/// 0) for the front matter or the file as a whole (`None`). Not known (`None`) while a
/// long post is laid out from its head alone and the line lies past the blocks it has.
pub fn row_of_line(reader: &ReaderState, line: Option<usize>) -> Option<usize> {
    let Some(line) = line else {
        return Some(0);
    };
    let Some(body_line) = line.checked_sub(reader.body_line) else {
        return Some(0);
    };
    let lines = &reader.laid.block_lines;
    let block = lines.partition_point(|&start| start <= body_line);
    // In a partial layout the last block it has may go on past what was laid out.
    if reader.laid.partial && block >= lines.len() {
        return None;
    }
    match block.checked_sub(1) {
        Some(block) => Some(reader.laid.block_rows.get(block).copied().unwrap_or(0)),
        None => Some(0),
    }
}

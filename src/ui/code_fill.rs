//! A code block's background runs the full width of the text column, like a card, not
//! just behind the characters: layout does not pad code lines, so the reader paints the
//! row first when the theme gives code blocks a background.

use ratatui::style::Style;

use crate::markdown::{Line, Role};
use crate::theme::{Element, Theme};

/// The style to fill a row with before drawing `line`, when `line` is a row of a code
/// block (highlighted text, or the `│ `/`┆ ` gutter of a blank or continued line).
pub fn code_row_fill(theme: &Theme, line: &Line) -> Option<Style> {
    let bg = theme.element(Element::CodeBlock).bg?;
    let is_code = line.spans.iter().any(|s| s.style.role == Role::CodeBlock)
        || line.spans.first().is_some_and(|s| {
            s.style.role == Role::CodeLabel && matches!(s.text.as_str(), "│ " | "┆ ")
        });
    is_code.then(|| Style::default().bg(bg))
}

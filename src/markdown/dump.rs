//! Text dumps of laid-out lines for snapshot tests and debugging: plain text, and a
//! style-marked form (`[h2]标题[/]`) that shows what each piece of text is.

use super::layout::Laid;
use super::line_store::SpanRef;
use super::style::Role;

/// The laid-out text, one line per row, trailing spaces trimmed.
pub fn plain_dump(laid: &Laid) -> String {
    let mut out = String::new();
    for line in &laid.lines {
        out.push_str(line.plain_text().trim_end());
        out.push('\n');
    }
    out
}

/// Like [`plain_dump`], with every styled span marked: `[strong]bold[/]`,
/// `[codeblock+fg]x[/]` for highlighted code, `[link#0]text[/]`.
pub fn styled_dump(laid: &Laid) -> String {
    let mut out = String::new();
    for line in &laid.lines {
        let mut row = String::new();
        for span in line.spans() {
            row.push_str(&mark(span));
        }
        out.push_str(row.trim_end());
        out.push('\n');
    }
    out
}

fn mark(span: SpanRef) -> String {
    let s = span.style;
    let mut name = if s.role == Role::Text {
        String::new()
    } else {
        s.role.name()
    };
    for (flag, label) in [
        (s.bold, "b"),
        (s.italic, "i"),
        (s.underline, "u"),
        (s.strike, "s"),
    ] {
        let implied = matches!(
            (s.role, label),
            (Role::Strong, "b")
                | (Role::Emphasis, "i")
                | (Role::Strikethrough, "s")
                | (Role::Link, "u")
        );
        if flag && !implied {
            name.push('+');
            name.push_str(label);
        }
    }
    if s.fg.is_some() {
        name.push_str("+fg");
    }
    if let Some(id) = s.link {
        name.push_str(&format!("#{id}"));
    }
    if name.is_empty() || span.text.trim().is_empty() {
        span.text.to_string()
    } else {
        format!("[{}]{}[/]", name.trim_start_matches('+'), span.text)
    }
}

//! Semantic styles → terminal styles.
//!
//! Layout speaks in [`Role`]s and the list view in [`UiRole`]s; a [`Theme`] is the one
//! place that decides what each looks like, so the TUI and print mode can never disagree
//! about a colour. `NO_COLOR` is honoured here: [`Theme::without_color`] keeps bold,
//! italic and underline but drops every colour.

use ratatui::style::{Color, Modifier, Style};

use crate::markdown::model::AlertKind;
use crate::markdown::{Role, Style as SpanStyle};

/// Elements of the application chrome, as opposed to post content.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UiRole {
    RowTitle,
    RowDescription,
    Selected,
    Date,
    Tag,
    DraftBadge,
    Warning,
    StatusBar,
    StatusKey,
    Border,
    HelpKey,
    HelpText,
    Dim,
    /// Characters a search matched (list titles, snippets, reader hits).
    Match,
    /// The reader's current search hit.
    CurrentMatch,
}

#[derive(Debug, Clone)]
pub struct Theme {
    color: bool,
}

impl Default for Theme {
    fn default() -> Self {
        Theme::dark()
    }
}

impl Theme {
    pub fn dark() -> Self {
        Theme { color: true }
    }

    /// The same theme with every colour removed (for `NO_COLOR`).
    pub fn without_color(mut self) -> Self {
        self.color = false;
        self
    }

    /// Whether `NO_COLOR` asks for no colour (any non-empty value, per no-color.org).
    pub fn no_color_requested() -> bool {
        std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty())
    }

    pub fn has_color(&self) -> bool {
        self.color
    }

    /// The terminal style of one laid-out span.
    pub fn span(&self, style: &SpanStyle) -> Style {
        let mut out = self.role(style.role);
        if let Some(rgb) = style.fg {
            out = out.fg(Color::Rgb(rgb.0, rgb.1, rgb.2));
        }
        let mut add = Modifier::empty();
        if style.bold {
            add |= Modifier::BOLD;
        }
        if style.italic {
            add |= Modifier::ITALIC;
        }
        if style.underline {
            add |= Modifier::UNDERLINED;
        }
        if style.strike {
            add |= Modifier::CROSSED_OUT;
        }
        self.finish(out.add_modifier(add))
    }

    fn role(&self, role: Role) -> Style {
        let s = Style::default();
        match role {
            Role::Text => s,
            Role::Heading(1) => s.fg(Color::Magenta).add_modifier(Modifier::BOLD),
            Role::Heading(2) => s.fg(Color::LightBlue).add_modifier(Modifier::BOLD),
            Role::Heading(3) => s.fg(Color::Cyan).add_modifier(Modifier::BOLD),
            Role::Heading(4) => s.fg(Color::Green).add_modifier(Modifier::BOLD),
            Role::Heading(_) => s.fg(Color::Green),
            Role::Emphasis => s.add_modifier(Modifier::ITALIC),
            Role::Strong => s.add_modifier(Modifier::BOLD),
            Role::Strikethrough => s.add_modifier(Modifier::CROSSED_OUT),
            Role::InlineCode => s.fg(Color::Yellow),
            Role::Link => s.fg(Color::Blue).add_modifier(Modifier::UNDERLINED),
            Role::LinkUrl | Role::Dim | Role::Rule | Role::TableBorder | Role::CardBorder => {
                s.fg(Color::DarkGray)
            }
            Role::Image => s.fg(Color::LightMagenta),
            Role::Quote => s.fg(Color::Gray).add_modifier(Modifier::ITALIC),
            Role::QuoteBar => s.fg(Color::DarkGray),
            Role::ListMarker => s.fg(Color::LightYellow),
            Role::CodeBlock => s,
            Role::CodeLabel => s.fg(Color::DarkGray).add_modifier(Modifier::ITALIC),
            Role::TableHeader => s.add_modifier(Modifier::BOLD),
            Role::FootnoteRef | Role::Footnote => s.fg(Color::LightCyan),
            Role::CardTitle => s.fg(Color::LightMagenta).add_modifier(Modifier::BOLD),
            Role::CardMeta => s.fg(Color::Gray),
            Role::Tag => s.fg(Color::LightGreen),
            Role::Description => s.fg(Color::Gray).add_modifier(Modifier::ITALIC),
            Role::Marker => s.fg(Color::LightRed),
            Role::Alert(kind) => {
                let colour = match kind {
                    AlertKind::Note => Color::LightBlue,
                    AlertKind::Tip => Color::LightGreen,
                    AlertKind::Important => Color::LightMagenta,
                    AlertKind::Warning => Color::Yellow,
                    AlertKind::Caution => Color::LightRed,
                };
                s.fg(colour).add_modifier(Modifier::BOLD)
            }
        }
    }

    /// The terminal style of a piece of application chrome.
    pub fn ui(&self, role: UiRole) -> Style {
        let s = Style::default();
        let style = match role {
            UiRole::RowTitle => s.add_modifier(Modifier::BOLD),
            UiRole::RowDescription | UiRole::Dim => s.fg(Color::DarkGray),
            UiRole::Selected => s.bg(Color::Rgb(0x3a, 0x3f, 0x58)).fg(Color::White),
            UiRole::Date => s.fg(Color::Cyan),
            UiRole::Tag => s.fg(Color::LightGreen),
            UiRole::DraftBadge => s
                .fg(Color::Black)
                .bg(Color::Yellow)
                .add_modifier(Modifier::BOLD),
            UiRole::Warning => s.fg(Color::LightRed),
            UiRole::StatusBar => s.bg(Color::Rgb(0x26, 0x29, 0x3b)).fg(Color::Gray),
            UiRole::StatusKey => s.fg(Color::LightYellow).add_modifier(Modifier::BOLD),
            UiRole::Border => s.fg(Color::DarkGray),
            UiRole::HelpKey => s.fg(Color::LightYellow).add_modifier(Modifier::BOLD),
            UiRole::HelpText => s,
            // Softer than the draft badge's yellow, so a badge never reads as a match.
            UiRole::Match => s.fg(Color::Black).bg(Color::Rgb(0xe5, 0xc0, 0x7b)),
            UiRole::CurrentMatch => s
                .fg(Color::Black)
                .bg(Color::Rgb(0xff, 0x8c, 0x42))
                .add_modifier(Modifier::BOLD),
        };
        self.finish(style)
    }

    /// Without colour the selection must still be visible, so it becomes reversed.
    fn finish(&self, style: Style) -> Style {
        if self.color {
            return style;
        }
        let had_bg = style.bg.is_some();
        let mut plain = Style {
            fg: None,
            bg: None,
            underline_color: None,
            ..style
        };
        if had_bg {
            plain = plain.add_modifier(Modifier::REVERSED);
        }
        plain
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn without_color_keeps_modifiers_but_drops_colours() {
        let theme = Theme::dark().without_color();
        let h1 = theme.span(&SpanStyle::role(Role::Heading(1)));
        assert_eq!(h1.fg, None);
        assert!(h1.add_modifier.contains(Modifier::BOLD));
        let selected = theme.ui(UiRole::Selected);
        assert_eq!(selected.bg, None);
        assert!(selected.add_modifier.contains(Modifier::REVERSED));
    }

    #[test]
    fn highlight_colour_overrides_role_colour() {
        let mut style = SpanStyle::role(Role::CodeBlock);
        style.fg = Some(crate::markdown::style::Rgb(1, 2, 3));
        assert_eq!(Theme::dark().span(&style).fg, Some(Color::Rgb(1, 2, 3)));
    }
}

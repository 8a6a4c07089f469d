//! Semantic styles → terminal styles.
//!
//! Layout speaks in [`Role`]s and the views in [`UiRole`]s; a [`Theme`] is the one place
//! that decides what each looks like, so the TUI and print mode can never disagree about
//! a colour. Themes are YAML files ([`spec`]): the built-ins are compiled in
//! ([`builtin`]), users add their own ([`catalog`]). A resolved theme is then shown at
//! the terminal's [`ColorDepth`]: 24-bit, 256 colours, 16, or none for `NO_COLOR`, which
//! keeps bold, italic and underline but drops every colour.

pub mod builtin;
pub mod catalog;
pub mod color;
pub mod spec;

use ratatui::style::{Color, Modifier, Style};

pub use color::ColorDepth;
pub use spec::{ELEMENTS, Element};

use crate::markdown::model::AlertKind;
use crate::markdown::{Role, Style as SpanStyle};
use spec::{ELEMENT_COUNT, StyleSpec, ThemeFile};

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
    SearchMatch,
    Title,
    /// The reader's current search hit (a search match, emphasised).
    CurrentMatch,
}

impl UiRole {
    pub fn element(self) -> Element {
        match self {
            UiRole::RowTitle => Element::RowTitle,
            UiRole::RowDescription => Element::RowDescription,
            UiRole::Selected => Element::Selection,
            UiRole::Date => Element::Date,
            UiRole::Tag => Element::UiTag,
            UiRole::DraftBadge => Element::Badge,
            UiRole::Warning => Element::Warning,
            UiRole::StatusBar => Element::StatusBar,
            UiRole::StatusKey => Element::StatusKey,
            UiRole::Border => Element::Border,
            UiRole::HelpKey => Element::HelpKey,
            UiRole::HelpText => Element::HelpText,
            UiRole::Dim => Element::UiDim,
            UiRole::SearchMatch | UiRole::CurrentMatch => Element::SearchMatch,
            UiRole::Title => Element::Title,
        }
    }
}

/// The theme element that styles a layout role; `None` for body text, which takes the
/// theme's foreground.
pub fn element_of(role: Role) -> Option<Element> {
    Some(match role {
        Role::Text => return None,
        Role::Heading(0 | 1) => Element::H1,
        Role::Heading(2) => Element::H2,
        Role::Heading(3) => Element::H3,
        Role::Heading(4) => Element::H4,
        Role::Heading(5) => Element::H5,
        Role::Heading(_) => Element::H6,
        Role::Emphasis => Element::Emphasis,
        Role::Strong => Element::Strong,
        Role::Strikethrough => Element::Strikethrough,
        Role::InlineCode => Element::InlineCode,
        Role::Link => Element::Link,
        Role::LinkUrl => Element::LinkUrl,
        Role::Image => Element::Image,
        Role::Quote => Element::Quote,
        Role::QuoteBar => Element::QuoteBar,
        Role::ListMarker => Element::ListMarker,
        Role::Rule => Element::Rule,
        Role::CodeBlock => Element::CodeBlock,
        Role::CodeLabel => Element::CodeLabel,
        Role::TableBorder => Element::TableBorder,
        Role::TableHeader => Element::TableHeader,
        Role::FootnoteRef => Element::FootnoteRef,
        Role::Footnote => Element::Footnote,
        Role::CardTitle => Element::CardTitle,
        Role::CardMeta => Element::CardMeta,
        Role::CardBorder => Element::CardBorder,
        Role::Tag => Element::Tag,
        Role::Description => Element::Description,
        Role::Dim => Element::Dim,
        Role::Marker => Element::Marker,
        Role::Alert(AlertKind::Note) => Element::AlertNote,
        Role::Alert(AlertKind::Tip) => Element::AlertTip,
        Role::Alert(AlertKind::Important) => Element::AlertImportant,
        Role::Alert(AlertKind::Warning) => Element::AlertWarning,
        Role::Alert(AlertKind::Caution) => Element::AlertCaution,
    })
}

/// A resolved theme: one style per element, as the theme file wrote it, plus the depth
/// it is shown at.
#[derive(Debug, Clone, PartialEq)]
pub struct Theme {
    name: String,
    description: String,
    styles: Vec<Style>,
    background: Option<Color>,
    foreground: Option<Color>,
    code_theme: Option<String>,
    depth: ColorDepth,
}

impl Default for Theme {
    fn default() -> Self {
        Theme::dark()
    }
}

impl Theme {
    /// The default theme (the built-in `dark`).
    pub fn dark() -> Self {
        builtin::theme("dark").unwrap_or_else(|| Theme::plain("dark"))
    }

    /// A theme with no colour and no attributes at all: the last resort should a built-in
    /// fail to load (a test makes sure none does).
    pub fn plain(name: &str) -> Self {
        Theme::from_file(name, &ThemeFile::default())
    }

    /// Builds a theme from a fully resolved file (its `extends` already applied).
    pub fn from_file(name: &str, file: &ThemeFile) -> Self {
        let mut styles = vec![Style::default(); ELEMENT_COUNT];
        for (element, spec) in file.elements() {
            if let Some(slot) = styles.get_mut(element.index()) {
                *slot = to_style(spec);
            }
        }
        Theme {
            name: name.to_string(),
            description: file.description.clone().unwrap_or_default(),
            styles,
            background: file.background.map(|c| c.0),
            foreground: file.foreground.map(|c| c.0),
            code_theme: file.code_theme.clone(),
            depth: ColorDepth::TrueColor,
        }
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    pub fn description(&self) -> &str {
        &self.description
    }

    /// The syntect theme (a name or a `.tmTheme` path) for code blocks.
    pub fn code_theme(&self) -> Option<&str> {
        self.code_theme.as_deref()
    }

    /// The background the theme is made for, as written.
    pub fn background(&self) -> Option<Color> {
        self.background
    }

    /// Body text colour, as written.
    pub fn foreground(&self) -> Option<Color> {
        self.foreground
    }

    /// An element's style as the theme file wrote it, before any colour-depth mapping.
    pub fn raw(&self, element: Element) -> Style {
        self.styles
            .get(element.index())
            .copied()
            .unwrap_or_default()
    }

    pub fn depth(&self) -> ColorDepth {
        self.depth
    }

    /// The same theme shown at `depth`.
    pub fn with_depth(mut self, depth: ColorDepth) -> Self {
        self.depth = depth;
        self
    }

    /// The same theme with every colour removed (for `NO_COLOR`).
    pub fn without_color(self) -> Self {
        self.with_depth(ColorDepth::NoColor)
    }

    /// Whether `NO_COLOR` asks for no colour (any non-empty value, per no-color.org).
    pub fn no_color_requested() -> bool {
        std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty())
    }

    pub fn has_color(&self) -> bool {
        self.depth != ColorDepth::NoColor
    }

    /// The style the whole screen is painted with before anything is drawn: the theme's
    /// background and body colour. With only 16 colours a theme's background has no
    /// faithful match (a dark slate would become grey), so the terminal's own is kept.
    pub fn base(&self) -> Style {
        let mut style = Style::default();
        if let Some(bg) = self.background.filter(|_| self.depth != ColorDepth::Ansi16) {
            style = style.bg(bg);
        }
        if let Some(fg) = self.foreground {
            style = style.fg(fg);
        }
        self.finish(style, false)
    }

    /// The terminal style of one laid-out span.
    pub fn span(&self, style: &SpanStyle) -> Style {
        let mut out = element_of(style.role).map_or_else(Style::default, |e| self.raw(e));
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
        self.finish(out.add_modifier(add), false)
    }

    /// The terminal style of a piece of application chrome.
    pub fn ui(&self, role: UiRole) -> Style {
        let style = self.finish(self.raw(role.element()), true);
        if role == UiRole::CurrentMatch {
            style.add_modifier(Modifier::BOLD | Modifier::UNDERLINED)
        } else {
            style
        }
    }

    /// The terminal style of any element.
    pub fn element(&self, element: Element) -> Style {
        self.finish(self.raw(element), element.section() == spec::Section::Ui)
    }

    /// Maps colours to the depth. Without colour a highlighted piece of chrome (the
    /// selection, the status bar, a badge) must still stand out, so it becomes reversed.
    fn finish(&self, style: Style, chrome: bool) -> Style {
        let depth = self.depth;
        let had_bg = style.bg.is_some_and(|c| c != Color::Reset);
        let mut out = Style {
            fg: style.fg.and_then(|c| depth.convert(c)),
            bg: style.bg.and_then(|c| depth.convert(c)),
            underline_color: style.underline_color.and_then(|c| depth.convert(c)),
            ..style
        };
        if depth == ColorDepth::NoColor && had_bg && chrome {
            out = out.add_modifier(Modifier::REVERSED);
        }
        out
    }
}

fn to_style(spec: &StyleSpec) -> Style {
    let mut style = Style::default();
    if let Some(fg) = spec.fg {
        style = style.fg(fg.0);
    }
    if let Some(bg) = spec.bg {
        style = style.bg(bg.0);
    }
    for (on, modifier) in [
        (spec.bold, Modifier::BOLD),
        (spec.italic, Modifier::ITALIC),
        (spec.underline, Modifier::UNDERLINED),
        (spec.dim, Modifier::DIM),
        (spec.reversed, Modifier::REVERSED),
        (spec.strikethrough, Modifier::CROSSED_OUT),
    ] {
        if on {
            style = style.add_modifier(modifier);
        }
    }
    style
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
        let link = theme.span(&SpanStyle::role(Role::Link));
        assert!(link.add_modifier.contains(Modifier::UNDERLINED));
        let em = theme.span(&SpanStyle::role(Role::Emphasis));
        assert!(em.add_modifier.contains(Modifier::ITALIC));
        let selected = theme.ui(UiRole::Selected);
        assert_eq!(selected.bg, None);
        assert!(selected.add_modifier.contains(Modifier::REVERSED));
        assert_eq!(theme.base(), Style::default());
        // Highlighted code loses its colours too.
        let mut code = SpanStyle::role(Role::CodeBlock);
        code.fg = Some(crate::markdown::style::Rgb(1, 2, 3));
        assert_eq!(theme.span(&code).fg, None);
    }

    #[test]
    fn highlight_colour_overrides_role_colour() {
        let mut style = SpanStyle::role(Role::CodeBlock);
        style.fg = Some(crate::markdown::style::Rgb(1, 2, 3));
        assert_eq!(Theme::dark().span(&style).fg, Some(Color::Rgb(1, 2, 3)));
        let at_256 = Theme::dark().with_depth(ColorDepth::Ansi256);
        assert_eq!(at_256.span(&style).fg, Some(Color::Indexed(16)));
    }

    #[test]
    fn every_role_has_an_element_in_the_right_section() {
        for level in 0..=9 {
            let e = element_of(Role::Heading(level)).expect("heading");
            assert_eq!(e.section(), spec::Section::Markdown);
        }
        assert_eq!(element_of(Role::Text), None);
        assert_eq!(UiRole::Selected.element().section(), spec::Section::Ui);
    }

    #[test]
    fn depth_applies_to_ui_and_base() {
        let theme = Theme::dark().with_depth(ColorDepth::Ansi16);
        let is_named = |c: Option<Color>| !matches!(c, Some(Color::Rgb(..) | Color::Indexed(_)));
        assert_eq!(theme.base().bg, None, "the terminal's own background");
        assert!(is_named(theme.base().fg));
        assert!(is_named(theme.ui(UiRole::Selected).bg));
        assert!(is_named(theme.span(&SpanStyle::role(Role::Heading(2))).fg));
    }
}

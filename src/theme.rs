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
        Role::Image | Role::Figure => Element::Image,
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

    /// The terminal style of one laid-out span: its role's element, then the inline
    /// markup it sits in (strong text in a heading, a link in a quote) as this theme
    /// draws that markup, so a theme decides every attribute — `h3: { bold: false }`
    /// makes a heading light, `strong: { bold: false }` makes strong text light even
    /// inside that heading.
    pub fn span(&self, style: &SpanStyle) -> Style {
        let mut out = element_of(style.role).map_or_else(Style::default, |e| self.raw(e));
        if let Some(rgb) = style.fg {
            // Highlighted code: colour and font style are the code theme's own.
            out = out.fg(Color::Rgb(rgb.0, rgb.1, rgb.2));
            for (on, modifier) in [
                (style.bold, Modifier::BOLD),
                (style.italic, Modifier::ITALIC),
                (style.underline, Modifier::UNDERLINED),
                (style.strike, Modifier::CROSSED_OUT),
            ] {
                if on {
                    out = out.add_modifier(modifier);
                }
            }
        } else {
            for (inside, markup) in [
                (style.strike, Element::Strikethrough),
                (style.underline, Element::Link),
                (style.italic, Element::Emphasis),
                (style.bold, Element::Strong),
            ] {
                if inside {
                    out = with_attributes_of(out, self.raw(markup));
                }
            }
        }
        self.finish(out, false)
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

/// An element's style: `true` adds an attribute, `false` takes it away from whatever
/// the style is drawn over (ratatui's `sub_modifier`), unset leaves it alone.
fn to_style(spec: &StyleSpec) -> Style {
    let mut style = Style::default();
    if let Some(fg) = spec.fg {
        style = style.fg(fg.0);
    }
    if let Some(bg) = spec.bg {
        style = style.bg(bg.0);
    }
    for (setting, modifier) in [
        (spec.bold, Modifier::BOLD),
        (spec.italic, Modifier::ITALIC),
        (spec.underline, Modifier::UNDERLINED),
        (spec.dim, Modifier::DIM),
        (spec.reversed, Modifier::REVERSED),
        (spec.strikethrough, Modifier::CROSSED_OUT),
    ] {
        style = match setting {
            Some(true) => style.add_modifier(modifier),
            Some(false) => style.remove_modifier(modifier),
            None => style,
        };
    }
    style
}

/// `base` with the attributes `layer` turns on and off (its colours are not taken: the
/// markup's look is laid over the role's colour).
fn with_attributes_of(base: Style, layer: Style) -> Style {
    base.add_modifier(layer.add_modifier)
        .remove_modifier(layer.sub_modifier)
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

    /// A theme laid over `dark` from `yaml` (its `extends: dark` included).
    fn over_dark(yaml: &str) -> Theme {
        let file = ThemeFile::parse(yaml).expect("theme parses");
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("mine.yaml");
        std::fs::write(&path, yaml).expect("write theme");
        assert_eq!(file.extends.as_deref(), Some("dark"));
        catalog::Catalog::default()
            .load(&path.to_string_lossy())
            .expect("theme loads")
    }

    /// The terminal style of every span of `markdown` whose text contains `needle`.
    fn styles_of(theme: &Theme, markdown: &str, needle: &str) -> Vec<Style> {
        let opts = crate::markdown::LayoutOptions {
            width: 60,
            ..Default::default()
        };
        let laid = crate::markdown::layout(&crate::markdown::parse(markdown), &opts);
        let styles: Vec<Style> = laid
            .lines
            .iter()
            .flat_map(|line| line.spans())
            .filter(|span| span.text.contains(needle))
            .map(|span| theme.span(&span.style))
            .collect();
        assert!(!styles.is_empty(), "{needle:?} not laid out");
        styles
    }

    #[test]
    fn false_turns_an_attribute_off_where_the_layer_below_turns_it_on() {
        let theme = over_dark("extends: dark\nmarkdown:\n  h3: { fg: '#d08770', bold: false }\n");
        for style in styles_of(&theme, "### Plain heading\n", "Plain") {
            assert!(!style.add_modifier.contains(Modifier::BOLD), "{style:?}");
            assert_eq!(style.fg, Some(Color::Rgb(0xd0, 0x87, 0x70)));
        }
        // Strong text in that heading is still strong.
        for style in styles_of(&theme, "### A **loud** word\n", "loud") {
            assert!(style.add_modifier.contains(Modifier::BOLD), "{style:?}");
        }

        // Each attribute, on in a heading, is off for the markup inside it that says false.
        let theme = over_dark(
            "extends: dark\nmarkdown:\n  \
             h3: { bold: true, italic: true, underline: true, dim: true, reversed: true, strikethrough: true }\n  \
             strong: { bold: false, italic: false, underline: false, dim: false, reversed: false, strikethrough: false }\n",
        );
        let heading = styles_of(&theme, "### Plain heading\n", "Plain");
        let strong = styles_of(&theme, "### A **loud** word\n", "loud");
        for modifier in [
            Modifier::BOLD,
            Modifier::ITALIC,
            Modifier::UNDERLINED,
            Modifier::DIM,
            Modifier::REVERSED,
            Modifier::CROSSED_OUT,
        ] {
            assert!(heading.iter().all(|s| s.add_modifier.contains(modifier)));
            for style in &strong {
                assert!(
                    !style.add_modifier.contains(modifier),
                    "{modifier:?}: {style:?}"
                );
                assert!(
                    style.sub_modifier.contains(modifier),
                    "{modifier:?}: {style:?}"
                );
            }
        }
    }

    #[test]
    fn markup_looks_as_the_theme_draws_it_even_inside_other_roles() {
        let theme = over_dark(
            "extends: dark\nmarkdown:\n  link: { fg: '#6cb6ff', underline: false }\n  \
             emphasis: { italic: false }\n  strikethrough: { strikethrough: false }\n  \
             description: { fg: '#b4b8c5' }\n  table_header: { fg: '#e2e5ee' }\n",
        );
        let off = |styles: Vec<Style>, modifier: Modifier| {
            for style in styles {
                assert!(
                    !style.add_modifier.contains(modifier),
                    "{modifier:?}: {style:?}"
                );
            }
        };
        off(
            styles_of(&theme, "see [a link](https://x.org)\n", "link"),
            Modifier::UNDERLINED,
        );
        off(
            styles_of(&theme, "## see [a link](https://x.org)\n", "link"),
            Modifier::UNDERLINED,
        );
        off(
            styles_of(&theme, "## an *aside*\n", "aside"),
            Modifier::ITALIC,
        );
        off(
            styles_of(&theme, "## ~~gone~~\n", "gone"),
            Modifier::CROSSED_OUT,
        );
        off(
            styles_of(&theme, "| Head |\n|---|\n| cell |\n", "Head"),
            Modifier::BOLD,
        );
        // The card's description: its look is the theme's `description`, nothing more.
        let opts = crate::markdown::LayoutOptions {
            width: 60,
            meta: Some(crate::library::Meta {
                title: Some("A post".into()),
                description: Some("about this".into()),
                ..Default::default()
            }),
            ..Default::default()
        };
        let laid = crate::markdown::layout(&crate::markdown::parse("x\n"), &opts);
        let description = laid
            .lines
            .iter()
            .flat_map(|line| line.spans())
            .find(|span| span.text.contains("about this"))
            .expect("description laid out");
        off(vec![theme.span(&description.style)], Modifier::ITALIC);
    }

    #[test]
    fn false_in_chrome_takes_the_attribute_off_what_it_is_drawn_over() {
        use ratatui::buffer::Buffer;
        use ratatui::layout::Rect;
        let theme = over_dark("extends: dark\nui:\n  selection: { bg: blue, bold: false }\n");
        let mut buffer = Buffer::empty(Rect::new(0, 0, 4, 1));
        buffer.set_style(buffer.area, theme.ui(UiRole::RowTitle));
        assert!(buffer[(0, 0)].modifier.contains(Modifier::BOLD));
        buffer.set_style(buffer.area, theme.ui(UiRole::Selected));
        assert!(!buffer[(0, 0)].modifier.contains(Modifier::BOLD));
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

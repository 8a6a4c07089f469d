//! The theme file format: what a YAML theme may say, parsed strictly.
//!
//! Every element a theme can style is listed once, in [`ELEMENTS`], with the section it
//! lives in and its name in the file; the parser, the resolver, `folio themes` and the
//! tests all read that table, so a new element cannot be half-supported. Unknown keys,
//! unknown elements and unknown colours are errors that name the key and (through the
//! YAML parser) the line, never silently ignored: a typo in a theme should be found
//! where it was made, not as a mysteriously plain heading.

use std::fmt;

use ratatui::style::Color;
use serde::de::{self, DeserializeSeed, MapAccess, Visitor};
use serde::{Deserialize, Deserializer};

use super::color::parse_color;

/// Which part of a theme file an element belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Section {
    /// `ui:` — the application's chrome.
    Ui,
    /// `markdown:` — post content.
    Markdown,
}

impl Section {
    pub fn key(self) -> &'static str {
        match self {
            Section::Ui => "ui",
            Section::Markdown => "markdown",
        }
    }
}

/// Everything a theme can style. The order is the order of [`ELEMENTS`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Element {
    RowTitle,
    RowDescription,
    Selection,
    Date,
    UiTag,
    Badge,
    Warning,
    StatusBar,
    StatusKey,
    SearchMatch,
    Border,
    Title,
    HelpKey,
    HelpText,
    UiDim,
    H1,
    H2,
    H3,
    H4,
    H5,
    H6,
    Emphasis,
    Strong,
    Strikethrough,
    Link,
    LinkUrl,
    Image,
    InlineCode,
    CodeBlock,
    CodeLabel,
    Quote,
    QuoteBar,
    ListMarker,
    Rule,
    TableBorder,
    TableHeader,
    FootnoteRef,
    Footnote,
    CardTitle,
    CardMeta,
    CardBorder,
    Tag,
    Description,
    Dim,
    Marker,
    AlertNote,
    AlertTip,
    AlertImportant,
    AlertWarning,
    AlertCaution,
}

/// Every element: its section, its key in the file, and what it colours.
#[rustfmt::skip]
pub const ELEMENTS: &[(Element, Section, &str, &str)] = &[
    (Element::RowTitle, Section::Ui, "row_title", "a post's title in the list"),
    (Element::RowDescription, Section::Ui, "row_description", "a post's description in the list"),
    (Element::Selection, Section::Ui, "selection", "the selected row"),
    (Element::Date, Section::Ui, "date", "dates in the list"),
    (Element::UiTag, Section::Ui, "tag", "tag chips in the list"),
    (Element::Badge, Section::Ui, "badge", "badges such as DRAFT"),
    (Element::Warning, Section::Ui, "warning", "warnings and errors"),
    (Element::StatusBar, Section::Ui, "status_bar", "the status bar"),
    (Element::StatusKey, Section::Ui, "status_key", "key hints in the status bar"),
    (Element::SearchMatch, Section::Ui, "search_match", "matched text in search results"),
    (Element::Border, Section::Ui, "border", "borders of pop-ups"),
    (Element::Title, Section::Ui, "title", "titles of pop-ups and help sections"),
    (Element::HelpKey, Section::Ui, "help_key", "keys in the help screen"),
    (Element::HelpText, Section::Ui, "help_text", "descriptions in the help screen"),
    (Element::UiDim, Section::Ui, "dim", "secondary text"),
    (Element::H1, Section::Markdown, "h1", "level 1 headings"),
    (Element::H2, Section::Markdown, "h2", "level 2 headings"),
    (Element::H3, Section::Markdown, "h3", "level 3 headings"),
    (Element::H4, Section::Markdown, "h4", "level 4 headings"),
    (Element::H5, Section::Markdown, "h5", "level 5 headings"),
    (Element::H6, Section::Markdown, "h6", "level 6 headings"),
    (Element::Emphasis, Section::Markdown, "emphasis", "*emphasis*"),
    (Element::Strong, Section::Markdown, "strong", "**strong**"),
    (Element::Strikethrough, Section::Markdown, "strikethrough", "~~struck~~ text"),
    (Element::Link, Section::Markdown, "link", "link text"),
    (Element::LinkUrl, Section::Markdown, "link_url", "link targets shown after the text"),
    (Element::Image, Section::Markdown, "image", "image placeholders"),
    (Element::InlineCode, Section::Markdown, "inline_code", "`inline code`"),
    (Element::CodeBlock, Section::Markdown, "code_block", "code blocks (bg fills the block)"),
    (Element::CodeLabel, Section::Markdown, "code_label", "a code block's frame and language"),
    (Element::Quote, Section::Markdown, "quote", "block quote text"),
    (Element::QuoteBar, Section::Markdown, "quote_bar", "the bar beside a block quote"),
    (Element::ListMarker, Section::Markdown, "list_marker", "list bullets and numbers"),
    (Element::Rule, Section::Markdown, "rule", "horizontal rules"),
    (Element::TableBorder, Section::Markdown, "table_border", "table borders"),
    (Element::TableHeader, Section::Markdown, "table_header", "table header cells"),
    (Element::FootnoteRef, Section::Markdown, "footnote_ref", "footnote references[^1]"),
    (Element::Footnote, Section::Markdown, "footnote", "footnote definitions"),
    (Element::CardTitle, Section::Markdown, "card_title", "the title in a post's header card"),
    (Element::CardMeta, Section::Markdown, "card_meta", "date, author and reading time"),
    (Element::CardBorder, Section::Markdown, "card_border", "the header card's frame"),
    (Element::Tag, Section::Markdown, "tag", "tags in the header card"),
    (Element::Description, Section::Markdown, "description", "the post's description"),
    (Element::Dim, Section::Markdown, "dim", "secondary content text"),
    (Element::Marker, Section::Markdown, "marker", "markers for hidden or unsafe content"),
    (Element::AlertNote, Section::Markdown, "alert_note", "> [!NOTE] alerts"),
    (Element::AlertTip, Section::Markdown, "alert_tip", "> [!TIP] alerts"),
    (Element::AlertImportant, Section::Markdown, "alert_important", "> [!IMPORTANT] alerts"),
    (Element::AlertWarning, Section::Markdown, "alert_warning", "> [!WARNING] alerts"),
    (Element::AlertCaution, Section::Markdown, "alert_caution", "> [!CAUTION] alerts"),
];

/// Number of elements; resolved themes keep one style per element.
pub const ELEMENT_COUNT: usize = ELEMENTS.len();

impl Element {
    /// Position in [`ELEMENTS`] (the enum is declared in the same order; a test checks).
    pub fn index(self) -> usize {
        self as usize
    }

    pub fn key(self) -> &'static str {
        ELEMENTS.get(self.index()).map_or("?", |e| e.2)
    }

    pub fn section(self) -> Section {
        ELEMENTS.get(self.index()).map_or(Section::Ui, |e| e.1)
    }

    fn find(section: Section, key: &str) -> Option<Element> {
        ELEMENTS
            .iter()
            .find(|(_, s, k, _)| *s == section && *k == key)
            .map(|e| e.0)
    }
}

/// A colour as written in a theme: a name, `#rrggbb` or `0`–`255`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ColorSpec(pub Color);

impl<'de> Deserialize<'de> for ColorSpec {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = ColorSpec;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a colour: a name, #rrggbb or 0–255")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<ColorSpec, E> {
                parse_color(v).map(ColorSpec).map_err(E::custom)
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<ColorSpec, E> {
                u8::try_from(v)
                    .map(|i| ColorSpec(Color::Indexed(i)))
                    .map_err(|_| E::custom(format!("colour index {v} is out of range: use 0–255")))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<ColorSpec, E> {
                u64::try_from(v)
                    .map_err(|_| E::custom(format!("colour index {v} is out of range: use 0–255")))
                    .and_then(|v| self.visit_u64(v))
            }
        }
        deserializer.deserialize_any(V)
    }
}

/// How one element looks. Every field is optional: what is not said is the terminal's
/// default (no colour, no attribute). An attribute is three-valued because `false` says
/// something `None` does not: the attribute is turned off even where the element is
/// drawn over something that has it (a bold heading's `**strong**` text, a bold row
/// under the selection).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StyleSpec {
    pub fg: Option<ColorSpec>,
    pub bg: Option<ColorSpec>,
    pub bold: Option<bool>,
    pub italic: Option<bool>,
    pub underline: Option<bool>,
    pub dim: Option<bool>,
    pub reversed: Option<bool>,
    pub strikethrough: Option<bool>,
}

/// An element's value: a mapping (`{ fg: red, bold: true }`) or, as a shorthand, just
/// the foreground colour (`h2: "#88c0d0"`).
struct StyleValue(StyleSpec);

impl<'de> Deserialize<'de> for StyleValue {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = StyleValue;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a colour, or a mapping with fg, bg, bold, italic, underline, dim, reversed, strikethrough")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<StyleValue, E> {
                let fg = parse_color(v).map_err(E::custom)?;
                Ok(StyleValue(StyleSpec {
                    fg: Some(ColorSpec(fg)),
                    ..StyleSpec::default()
                }))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<StyleValue, E> {
                self.visit_str(&v.to_string())
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<StyleValue, E> {
                self.visit_str(&v.to_string())
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<StyleValue, A::Error> {
                StyleSpec::deserialize(de::value::MapAccessDeserializer::new(map)).map(StyleValue)
            }
        }
        deserializer.deserialize_any(V)
    }
}

/// The elements one section of a file sets, in file order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Elements(pub Vec<(Element, StyleSpec)>);

/// Deserializes one section's mapping, checking each key against [`ELEMENTS`].
struct SectionSeed(Section);

impl<'de> DeserializeSeed<'de> for SectionSeed {
    type Value = Elements;
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Elements, D::Error> {
        deserializer.deserialize_map(SectionVisitor(self.0))
    }
}

struct SectionVisitor(Section);

impl<'de> Visitor<'de> for SectionVisitor {
    type Value = Elements;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "a mapping of {} elements to styles", self.0.key())
    }
    fn visit_unit<E: de::Error>(self) -> Result<Elements, E> {
        Ok(Elements::default())
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Elements, A::Error> {
        let mut out = Vec::new();
        while let Some(element) = map.next_key_seed(KeySeed(self.0))? {
            let StyleValue(style) = map.next_value()?;
            out.retain(|(e, _)| *e != element);
            out.push((element, style));
        }
        Ok(Elements(out))
    }
}

/// One element name; unknown names are rejected here, where the parser still knows the
/// key's line.
struct KeySeed(Section);

impl<'de> DeserializeSeed<'de> for KeySeed {
    type Value = Element;
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Element, D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl Visitor<'_> for KeySeed {
    type Value = Element;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an element name")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Element, E> {
        Element::find(self.0, v).ok_or_else(|| {
            let known: Vec<&str> = ELEMENTS
                .iter()
                .filter(|e| e.1 == self.0)
                .map(|e| e.2)
                .collect();
            E::custom(format!(
                "unknown {} element `{v}`; known: {}",
                self.0.key(),
                known.join(", ")
            ))
        })
    }
}

macro_rules! section_type {
    ($name:ident, $section:expr) => {
        #[derive(Debug, Clone, Default, PartialEq, Eq)]
        pub struct $name(pub Elements);
        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                SectionSeed($section).deserialize(deserializer).map($name)
            }
        }
    };
}

section_type!(UiSection, Section::Ui);
section_type!(MarkdownSection, Section::Markdown);

/// A theme file as written. Everything is optional so that a user theme can say only
/// what differs from the theme it `extends`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ThemeFile {
    /// One line for `folio themes` and the picker.
    pub description: Option<String>,
    /// The theme this one is laid over, element by element.
    pub extends: Option<String>,
    /// The background the theme is made for; the TUI paints it.
    pub background: Option<ColorSpec>,
    /// Body text.
    pub foreground: Option<ColorSpec>,
    /// A syntect theme name (see `folio themes`) or a path to a `.tmTheme` file.
    pub code_theme: Option<String>,
    #[serde(default)]
    pub ui: UiSection,
    #[serde(default)]
    pub markdown: MarkdownSection,
}

impl ThemeFile {
    pub fn parse(text: &str) -> Result<ThemeFile, serde_yaml::Error> {
        if text.trim().is_empty() {
            return Ok(ThemeFile::default());
        }
        serde_yaml::from_str(text)
    }

    /// Every element this file sets, from both sections.
    pub fn elements(&self) -> impl Iterator<Item = &(Element, StyleSpec)> {
        self.ui.0.0.iter().chain(self.markdown.0.0.iter())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn element_enum_and_table_agree() {
        for (i, (element, _, key, _)) in ELEMENTS.iter().enumerate() {
            assert_eq!(element.index(), i, "{key} out of order");
            assert_eq!(element.key(), *key);
        }
    }

    #[test]
    fn shorthand_mapping_and_indices_parse() {
        let file = ThemeFile::parse(
            "background: '#282a36'\nmarkdown:\n  h1: { fg: '#ff79c6', bold: true }\n  h2: 141\n  link: bright-blue\n",
        )
        .expect("parses");
        assert_eq!(
            file.background,
            Some(ColorSpec(Color::Rgb(0x28, 0x2a, 0x36)))
        );
        let set: Vec<_> = file.elements().collect();
        assert_eq!(set.len(), 3);
        assert_eq!(set[0].1.bold, Some(true));
        assert_eq!(set[1].1.fg, Some(ColorSpec(Color::Indexed(141))));
        assert_eq!(set[2].1.fg, Some(ColorSpec(Color::LightBlue)));
    }

    #[test]
    fn errors_name_the_key_and_line() {
        let cases = [
            ("markdown:\n  h1: blurple\n", "unknown colour", 2),
            ("markdown:\n  h7: red\n", "unknown markdown element `h7`", 2),
            (
                "ui:\n  selection:\n    fg: red\n    blink: true\n",
                "unknown field `blink`",
                4,
            ),
            ("colour: red\n", "unknown field `colour`", 1),
            ("markdown:\n  h1: { fg: 300 }\n", "0–255", 2),
        ];
        for (text, needle, line) in cases {
            let err = ThemeFile::parse(text).expect_err(text);
            assert!(err.to_string().contains(needle), "{text:?}: {err}");
            assert_eq!(
                err.location().map(|l| l.line()),
                Some(line),
                "{text:?}: {err}"
            );
        }
    }
}

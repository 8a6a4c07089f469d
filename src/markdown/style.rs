//! Styled lines: the output of layout and the input of drawing and printing.
//!
//! Styles are semantic ([`Role`]) so that one layout serves every theme and the
//! snapshot tests can print a readable marked-up dump; only syntax highlighting carries
//! concrete colours, which come from the syntect theme.

use compact_str::CompactString;

use super::model::AlertKind;

/// What a piece of text is, for the theme to colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Role {
    #[default]
    Text,
    Heading(u8),
    Emphasis,
    Strong,
    Strikethrough,
    InlineCode,
    Link,
    LinkUrl,
    Image,
    /// The first row of a figure's box, where the reader draws the picture; its text
    /// is empty, or in print mode the image's URL for the printer.
    Figure,
    Quote,
    QuoteBar,
    ListMarker,
    Rule,
    CodeBlock,
    CodeLabel,
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
    /// The bar and label of a GFM alert or a notice shortcode.
    Alert(AlertKind),
}

impl Role {
    /// Short name used in style-marked snapshot dumps: `[h2]`, `[code]`, ...
    pub fn name(self) -> String {
        match self {
            Role::Text => "text".into(),
            Role::Heading(n) => format!("h{n}"),
            Role::Emphasis => "em".into(),
            Role::Strong => "strong".into(),
            Role::Strikethrough => "strike".into(),
            Role::InlineCode => "code".into(),
            Role::Link => "link".into(),
            Role::LinkUrl => "url".into(),
            Role::Image => "image".into(),
            Role::Figure => "figure".into(),
            Role::Quote => "quote".into(),
            Role::QuoteBar => "quote-bar".into(),
            Role::ListMarker => "bullet".into(),
            Role::Rule => "rule".into(),
            Role::CodeBlock => "codeblock".into(),
            Role::CodeLabel => "code-label".into(),
            Role::TableBorder => "table-border".into(),
            Role::TableHeader => "th".into(),
            Role::FootnoteRef => "fnref".into(),
            Role::Footnote => "footnote".into(),
            Role::CardTitle => "card-title".into(),
            Role::CardMeta => "card-meta".into(),
            Role::CardBorder => "card-border".into(),
            Role::Tag => "tag".into(),
            Role::Description => "description".into(),
            Role::Dim => "dim".into(),
            Role::Marker => "marker".into(),
            Role::Alert(kind) => format!("alert-{}", kind.label().to_lowercase()),
        }
    }
}

/// An RGB colour from syntax highlighting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Rgb(pub u8, pub u8, pub u8);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Style {
    pub role: Role,
    /// Concrete foreground from syntax highlighting; overrides the role's colour.
    pub fg: Option<Rgb>,
    /// The inline markup this text sits in, beyond what its role says: `**strong**`,
    /// `*emphasis*`, a link, `~~strikethrough~~` (strong text inside a heading keeps the
    /// heading's role and sets `bold`). The theme draws each as it draws that markup's
    /// element, so no attribute is decided here. In highlighted code (`fg` set) they are
    /// the code theme's own font style instead.
    pub bold: bool,
    pub italic: bool,
    pub underline: bool,
    pub strike: bool,
    /// Index into the layout's link list when this text is (part of) a link; keeps
    /// neighbouring links apart and lets the reader find links on screen.
    pub link: Option<u32>,
}

impl Style {
    pub fn role(role: Role) -> Self {
        Style {
            role,
            ..Style::default()
        }
    }
}

/// A run of text in one style. `text` is already sanitized and contains no newline.
///
/// Most spans are short (a word, a gap, a border), so their text lives inline in the
/// span up to 24 bytes instead of in an allocation of its own: a long post is millions
/// of spans.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Span {
    pub text: CompactString,
    pub style: Style,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Line {
    pub spans: Vec<Span>,
}

impl Line {
    pub fn plain_text(&self) -> String {
        self.spans.iter().map(|s| s.text.as_str()).collect()
    }

    pub fn width(&self) -> usize {
        self.spans
            .iter()
            .map(|s| super::wrap::display_width(&s.text))
            .sum()
    }
}

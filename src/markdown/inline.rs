//! Inlines → styled spans, before wrapping.
//!
//! This is where nesting becomes flat style flags (emphasis inside a link inside strong),
//! where every piece of content text is sanitized, and where soft line breaks are decided:
//! a source line break between two CJK characters joins them with nothing, between words
//! with a space, as a browser would.

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

use super::model::Inline;
use super::sanitize::sanitize;
use super::site;
use super::style::{Role, Span, Style};
use super::wrap::display_width;
use crate::library::Meta;

/// Link targets met during layout; a span's `style.link` indexes into it.
#[derive(Debug, Default)]
pub struct Links {
    pub urls: Vec<String>,
    /// When set (print mode), each link's text is followed by `[n]`, and `numbered`
    /// lists the distinct URLs in order of first appearance.
    pub numbering: bool,
    pub numbered: Vec<String>,
    /// Reference numbers by URL, of `numbered` as it grows.
    numbers: HashMap<String, usize>,
    /// Reference numbers fixed up front ([`Links::with_numbers`]) for blocks laid out
    /// out of order.
    fixed: Option<Arc<HashMap<String, usize>>>,
}

impl Links {
    pub fn new(numbering: bool) -> Links {
        Links {
            numbering,
            ..Links::default()
        }
    }

    /// Moves the link targets met so far into a table of their own, keeping the
    /// numbering state.
    pub fn split_off_urls(&mut self) -> Links {
        Links {
            urls: std::mem::take(&mut self.urls),
            ..Links::default()
        }
    }
    /// Links whose reference numbers were given by a pass over the whole document, so a
    /// block laid out on its own still prints the document-wide number.
    pub fn with_numbers(numbers: Arc<HashMap<String, usize>>) -> Links {
        Links {
            numbering: true,
            fixed: Some(numbers),
            ..Links::default()
        }
    }

    /// The reference number of `url`, giving it the next number on first use.
    fn number(&mut self, url: &str) -> usize {
        if let Some(n) = self.fixed.as_ref().and_then(|fixed| fixed.get(url)) {
            return *n;
        }
        if let Some(n) = self.numbers.get(url) {
            return *n;
        }
        self.numbered.push(url.to_string());
        let n = self.numbered.len();
        self.numbers.insert(url.to_string(), n);
        n
    }

    pub(crate) fn add(&mut self, url: String) -> u32 {
        self.urls.push(url);
        u32::try_from(self.urls.len() - 1).unwrap_or(u32::MAX)
    }
}

/// Whether a link gets a print-mode reference number: not for `#anchors`, nor when its
/// text already is its URL, nor when it cannot be followed at all.
pub fn wants_reference(url: &str, content: &[Inline]) -> bool {
    !url.starts_with('#')
        && Inline::plain(content).trim() != url.trim()
        && link_kind(url) == LinkKind::Followable
}

/// What a link's destination is, for how it is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkKind {
    /// A URL, a path or an anchor.
    Followable,
    /// A shortcode Hugo would have made a URL of (`<{{% eturl x %}}>`): nothing to
    /// follow here; the link is its text and the shortcode's name, dimmed.
    Shortcode,
    /// Hugo docs' glossary links, `[boolean](g)`: a destination of one letter is no
    /// URL, path or anchor but a render hook's cue; the link reads as a term.
    Term,
}

pub fn link_kind(url: &str) -> LinkKind {
    let url = url.trim();
    if url.starts_with("{{") {
        LinkKind::Shortcode
    } else if url.len() == 1 && url.bytes().all(|b| b.is_ascii_alphabetic()) {
        LinkKind::Term
    } else {
        LinkKind::Followable
    }
}

/// Badge images (build status, versions, licences) are pictures of a few words: their
/// alt text says it, and their long URLs say nothing to a reader.
pub fn is_badge(url: &str) -> bool {
    const HOSTS: [&str; 7] = [
        "img.shields.io",
        "shields.io",
        "badgen.net",
        "badge.fury.io",
        "goreportcard.com/badge",
        "api.netlify.com/api/v1/badges",
        "bestpractices.coreinfrastructure.org/projects",
    ];
    let lower = url.to_ascii_lowercase();
    let without_query = lower.split(['?', '#']).next().unwrap_or_default();
    HOSTS.iter().any(|host| lower.contains(host))
        || without_query.ends_with("/badge.svg")
        || without_query.ends_with("badge.svg")
        || without_query.contains("/badge/")
}

/// Everything inline flattening needs besides the inlines.
pub struct InlineCtx<'a> {
    pub links: &'a mut Links,
    pub base_dir: Option<&'a Path>,
    /// The post's front matter, for `param`.
    pub meta: Option<&'a Meta>,
}

/// A `param`'s value: the post's front matter first, then the site config's `params`.
fn param_value(name: &str, ctx: &InlineCtx) -> Option<String> {
    let name = name.trim();
    let key = name.to_lowercase();
    let from_page = ctx.meta.and_then(|meta| {
        let known = match key.as_str() {
            "title" => meta.title.as_deref().map(String::from),
            "description" | "summary" => meta.description.as_deref().map(String::from),
            "slug" => meta.slug.as_deref().map(String::from),
            "image" => meta.image.as_deref().map(String::from),
            "tags" => (!meta.tags.is_empty()).then(|| meta.tags.join(", ")),
            "categories" => (!meta.categories.is_empty()).then(|| meta.categories.join(", ")),
            "author" | "authors" => (!meta.authors.is_empty()).then(|| meta.authors.join(", ")),
            _ => None,
        };
        known.or_else(|| {
            let extra = serde_json::Value::Object(meta.extra.clone().into_iter().collect());
            site::lookup(&extra, name)
                .or_else(|| site::lookup(&extra, &format!("params.{name}")))
                .and_then(site::value_text)
        })
    });
    from_page.or_else(|| site::site_param(ctx.base_dir?, name))
}

/// The spans of `inlines` in `base` style. A hard break is a span whose text is `"\n"`.
pub fn spans(inlines: &[Inline], base: Style, ctx: &mut InlineCtx) -> Vec<Span> {
    let mut out = Flat {
        spans: Vec::new(),
        soft_break: None,
    };
    out.inlines(inlines, base, ctx);
    out.spans
}

struct Flat {
    spans: Vec<Span>,
    /// A source line break waiting to be joined, in the style of the text it was in: the
    /// joining space belongs there, not to what follows (a link or `**strong**` starting
    /// the next line must not underline or embolden the space before it).
    soft_break: Option<Style>,
}

/// Whether `c` takes two columns (CJK and the like): a line break between two such
/// characters joins them with nothing.
pub(super) fn is_wide(c: char) -> bool {
    unicode_width::UnicodeWidthChar::width(c) == Some(2)
}

impl Flat {
    fn push(&mut self, text: &str, style: Style) {
        if text.is_empty() {
            return;
        }
        let clean = sanitize(text);
        if let Some(break_style) = self.soft_break.take() {
            let before = self.spans.last().and_then(|s| s.text.chars().last());
            let after = clean.chars().next();
            let join_tight =
                matches!((before, after), (Some(b), Some(a)) if is_wide(b) && is_wide(a));
            if !join_tight && before.is_some() {
                self.push_raw(" ", break_style);
            }
        }
        self.push_raw(&clean, style);
    }

    fn push_raw(&mut self, text: &str, style: Style) {
        match self.spans.last_mut() {
            Some(last) if last.style == style && last.text != "\n" => last.text.push_str(text),
            _ => self.spans.push(Span {
                text: text.into(),
                style,
            }),
        }
    }

    fn inlines(&mut self, inlines: &[Inline], style: Style, ctx: &mut InlineCtx) {
        for inline in inlines {
            self.inline(inline, style, ctx);
        }
    }

    fn inline(&mut self, inline: &Inline, style: Style, ctx: &mut InlineCtx) {
        let plain_role = matches!(style.role, Role::Text | Role::Quote | Role::Footnote);
        match inline {
            Inline::Text(t) => self.push(t, style),
            Inline::Code(c) => self.push(
                c,
                Style {
                    role: Role::InlineCode,
                    ..style
                },
            ),
            Inline::Shortcode(c) => self.push(
                c,
                Style {
                    role: Role::Dim,
                    ..style
                },
            ),
            Inline::Badge(text) => self.push(
                text,
                Style {
                    role: Role::Tag,
                    bold: true,
                    link: None,
                    ..style
                },
            ),
            Inline::Term(text) => self.push(
                text,
                Style {
                    role: if plain_role {
                        Role::Emphasis
                    } else {
                        style.role
                    },
                    italic: true,
                    ..style
                },
            ),
            Inline::Param(name) => match param_value(name, ctx) {
                Some(value) => self.push(&value, style),
                None => self.push(
                    &format!("{{{{% param \"{name}\" %}}}}"),
                    Style {
                        role: Role::Dim,
                        ..style
                    },
                ),
            },
            Inline::Math(m) | Inline::DisplayMath(m) => self.push(
                m,
                Style {
                    role: Role::InlineCode,
                    ..style
                },
            ),
            Inline::Emphasis(c) => {
                let role = if plain_role {
                    Role::Emphasis
                } else {
                    style.role
                };
                self.inlines(
                    c,
                    Style {
                        role,
                        italic: true,
                        ..style
                    },
                    ctx,
                );
            }
            Inline::Strong(c) => {
                let role = if plain_role { Role::Strong } else { style.role };
                self.inlines(
                    c,
                    Style {
                        role,
                        bold: true,
                        ..style
                    },
                    ctx,
                );
            }
            Inline::Strikethrough(c) => {
                let role = if plain_role {
                    Role::Strikethrough
                } else {
                    style.role
                };
                self.inlines(
                    c,
                    Style {
                        role,
                        strike: true,
                        ..style
                    },
                    ctx,
                );
            }
            Inline::Link { url, content } if link_kind(url) != LinkKind::Followable => {
                let term = Style {
                    role: if plain_role {
                        Role::Emphasis
                    } else {
                        style.role
                    },
                    italic: true,
                    ..style
                };
                self.inlines(content, term, ctx);
                if link_kind(url) == LinkKind::Shortcode {
                    let name = url
                        .trim()
                        .trim_start_matches("{{")
                        .trim_end_matches("}}")
                        .trim_matches(|c| matches!(c, '<' | '>' | '%'))
                        .trim();
                    self.push(" ", style);
                    self.push(
                        &format!("({name})"),
                        Style {
                            role: Role::Dim,
                            ..style
                        },
                    );
                }
            }
            Inline::Link { url, content } => {
                let id = ctx.links.add(url.clone());
                let link_style = Style {
                    role: if matches!(style.role, Role::Heading(_)) {
                        style.role
                    } else {
                        Role::Link
                    },
                    underline: true,
                    link: Some(id),
                    ..style
                };
                if content.is_empty() {
                    self.push(url, link_style);
                } else {
                    self.inlines(content, link_style, ctx);
                }
                if ctx.links.numbering && wants_reference(url, content) {
                    let n = ctx.links.number(url);
                    self.push(
                        &format!("[{n}]"),
                        Style {
                            role: Role::LinkUrl,
                            link: None,
                            underline: false,
                            ..style
                        },
                    );
                }
            }
            Inline::Image { url, alt } if is_badge(url) => {
                let resolved = resolve(url, ctx.base_dir);
                let id = ctx.links.add(resolved);
                let label = if alt.trim().is_empty() {
                    "[badge]".to_string()
                } else {
                    format!("[{}]", alt.trim())
                };
                // Inside a link the badge is that link's text; alone, it is the image.
                let badge = if style.link.is_some() {
                    Style {
                        role: Role::Image,
                        ..style
                    }
                } else {
                    Style {
                        role: Role::Image,
                        link: Some(id),
                        ..Style::default()
                    }
                };
                self.push(&label, badge);
            }
            Inline::Image { url, alt } => {
                let resolved = resolve(url, ctx.base_dir);
                let id = ctx.links.add(resolved);
                let image = Style {
                    role: Role::Image,
                    link: Some(id),
                    ..Style::default()
                };
                let label = if alt.trim().is_empty() {
                    "[image]".to_string()
                } else {
                    format!("[image: {}]", alt.trim())
                };
                self.push(&label, image);
                self.push(" ", style);
                self.push(
                    url,
                    Style {
                        role: Role::LinkUrl,
                        ..image
                    },
                );
            }
            Inline::FootnoteRef { number } => self.push(
                &format!("[^{number}]"),
                Style {
                    role: Role::FootnoteRef,
                    ..style
                },
            ),
            Inline::SoftBreak => self.soft_break = Some(style),
            Inline::HardBreak => {
                self.soft_break = None;
                self.spans.push(Span {
                    text: "\n".into(),
                    style,
                });
            }
        }
    }
}

/// A link or image target relative to the post's folder, when it is a relative path.
pub fn resolve(url: &str, base_dir: Option<&Path>) -> String {
    let is_remote = url.contains("://") || url.starts_with("mailto:") || url.starts_with('#');
    match base_dir {
        Some(dir) if !is_remote && !url.starts_with('/') && !url.is_empty() => {
            dir.join(url).display().to_string()
        }
        _ => url.to_string(),
    }
}

/// Display width of spans laid side by side.
pub fn spans_width(spans: &[Span]) -> usize {
    spans.iter().map(|s| display_width(&s.text)).sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn flat(inlines: &[Inline]) -> Vec<Span> {
        let mut links = Links::default();
        let mut ctx = InlineCtx {
            links: &mut links,
            base_dir: None,
            meta: None,
        };
        spans(inlines, Style::default(), &mut ctx)
    }

    fn text(spans: &[Span]) -> String {
        spans.iter().map(|s| s.text.as_str()).collect()
    }

    #[test]
    fn soft_breaks_join_cjk_tightly_and_words_with_a_space() {
        let cjk = [
            Inline::Text("开源".into()),
            Inline::SoftBreak,
            Inline::Text("社区".into()),
        ];
        assert_eq!(text(&flat(&cjk)), "开源社区");
        let latin = [
            Inline::Text("open".into()),
            Inline::SoftBreak,
            Inline::Text("source".into()),
        ];
        assert_eq!(text(&flat(&latin)), "open source");
    }

    /// Every character of `markdown` laid out at 60 columns, with its style.
    fn laid_chars(markdown: &str) -> Vec<(char, Style)> {
        let opts = crate::markdown::LayoutOptions {
            width: 60,
            ..Default::default()
        };
        let laid = crate::markdown::layout(&crate::markdown::parse(markdown), &opts);
        laid.lines
            .iter()
            .flat_map(|line| line.spans())
            .flat_map(|span| span.text.chars().map(move |c| (c, span.style)))
            .collect()
    }

    /// The laid-out character just before `needle`, with its style.
    fn before(chars: &[(char, Style)], needle: &str) -> (char, Style) {
        let text: Vec<char> = chars.iter().map(|(c, _)| *c).collect();
        let needle: Vec<char> = needle.chars().collect();
        let at = text
            .windows(needle.len())
            .position(|w| w == needle.as_slice())
            .expect("needle laid out");
        chars[at - 1]
    }

    #[test]
    fn the_space_joining_source_lines_is_styled_as_the_text_around_the_break() {
        for (markdown, needle, role) in [
            ("then\n[a link](https://x.org) more\n", "a link", Role::Link),
            ("then\n**bold** more\n", "bold", Role::Strong),
            ("then\n*em* more\n", "em", Role::Emphasis),
            ("then\n`code` more\n", "code", Role::InlineCode),
            ("then\n~~gone~~ more\n", "gone", Role::Strikethrough),
        ] {
            let chars = laid_chars(markdown);
            let (c, style) = before(&chars, needle);
            assert_eq!(c, ' ', "{markdown:?}");
            assert_eq!(style, Style::default(), "{markdown:?}: the joining space");
            let (_, after) = chars[chars.iter().position(|(c, _)| *c == ' ').expect("a space") + 1];
            assert_eq!(after.role, role, "{markdown:?}: the markup keeps its style");
        }
        // A break inside a link is inside the link: the space is part of its text.
        let chars = laid_chars("see [a\nlink](https://x.org)\n");
        let (c, style) = before(&chars, "link");
        assert_eq!(c, ' ');
        assert_eq!(style.role, Role::Link);
        assert!(style.underline && style.link.is_some(), "{style:?}");
    }

    #[test]
    fn nesting_becomes_style_flags() {
        let spans = flat(&[Inline::Strong(vec![Inline::Emphasis(vec![Inline::Text(
            "both".into(),
        )])])]);
        assert_eq!(spans.len(), 1);
        assert!(spans[0].style.bold && spans[0].style.italic);
        assert_eq!(spans[0].style.role, Role::Strong);
    }

    #[test]
    fn control_characters_in_text_are_made_visible() {
        let spans = flat(&[Inline::Text("a\u{1b}[2Jb".into())]);
        assert!(!text(&spans).contains('\u{1b}'));
    }

    #[test]
    fn relative_image_paths_resolve_against_the_post() {
        assert_eq!(resolve("a.png", Some(Path::new("/p"))), "/p/a.png");
        assert_eq!(
            resolve("https://x/a.png", Some(Path::new("/p"))),
            "https://x/a.png"
        );
        assert_eq!(resolve("a.png", None), "a.png");
    }
}

//! Splitting a post into front matter and body, the way Hugo does: only at byte 0, YAML
//! between `---` lines, TOML between `+++` lines, or a JSON object starting with `{`.
//! Everything that can go wrong here (no closing line, a syntax error, an alias bomb,
//! a megabyte of metadata) becomes a warning on the post and a sensible split, so the
//! post is still listed and its body still readable.

use serde_json::Value;

use super::meta;
use super::post::Meta;
use super::value::{self, Loose};
use crate::diagnostic::{Code, Diagnostic};

mod simple_yaml;

/// Front matter larger than this is not parsed: no real post needs it, and it bounds
/// the work (and the memory) a hostile file can ask of the YAML parser.
pub const MAX_FRONT_MATTER: usize = 64 * 1024;

/// The result of reading a post's text: its metadata, problems, and where the body starts.
#[derive(Debug, Clone, Default)]
pub struct Parsed {
    pub meta: Meta,
    /// The problems found, with their kind and line (of the whole text given to
    /// [`parse`]).
    pub diagnostics: Vec<Diagnostic>,
    /// Byte offset of the body in the text given to [`parse`].
    pub body_start: usize,
    /// The front matter opened but did not close within the text: with only the head of
    /// a file, it may yet close further on.
    pub open_ended: bool,
}

impl Parsed {
    /// The problems' messages, one line each, as the list shows them.
    pub fn warnings(&self) -> Vec<String> {
        messages(&self.diagnostics)
    }
}

/// Problems as one-line messages.
pub fn messages(diagnostics: &[Diagnostic]) -> Vec<String> {
    diagnostics.iter().map(|d| d.message.clone()).collect()
}

/// Splits and parses the front matter of a whole post (already decoded, LF endings).
pub fn parse(text: &str) -> Parsed {
    parse_head(text, true)
}

/// A whole post's front matter and its body, the body cut from `text` in place (the
/// front matter is small, the body may be megabytes).
pub fn split_body(text: String) -> (Meta, String, Vec<Diagnostic>) {
    let split = split_text(text);
    (split.meta, split.body, split.diagnostics)
}

/// Where the body of a whole post starts, as [`parse`] finds it, without parsing the
/// front matter: for full-text search, which reads every body and none of the metadata.
pub fn body_start(text: &str) -> usize {
    match split(text) {
        Split::Absent | Split::Unclosed(_) => 0,
        Split::TooLarge { body_start, .. } | Split::Found { body_start, .. } => body_start,
    }
}

/// A post's text taken apart: what the reader is given.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PostText {
    pub meta: Meta,
    pub body: String,
    /// Problems found in reading it (front matter, encoding), placed by file line.
    pub diagnostics: Vec<Diagnostic>,
    /// The line of the file (1-based) the body starts on: a diagnostic's line less
    /// this is its line in the body.
    pub body_line: usize,
}

/// [`split_body`], also saying where the body starts.
pub fn split_text(mut text: String) -> PostText {
    let parsed = parse(&text);
    let mut body_line = 1;
    if text.is_char_boundary(parsed.body_start) {
        body_line += memchr::memchr_iter(b'\n', &text.as_bytes()[..parsed.body_start]).count();
        text.drain(..parsed.body_start);
    }
    PostText {
        meta: parsed.meta,
        body: text,
        diagnostics: parsed.diagnostics,
        body_line,
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    Yaml,
    Toml,
    Json,
}

impl Format {
    /// The line that closes a block of this format.
    fn delimiter(self) -> &'static str {
        match self {
            Format::Yaml => "---",
            Format::Toml => "+++",
            Format::Json => "}",
        }
    }

    fn name(self) -> &'static str {
        match self {
            Format::Yaml => "YAML",
            Format::Toml => "TOML",
            Format::Json => "JSON",
        }
    }
}

/// Where the front matter is, before it is parsed.
enum Split<'a> {
    /// No front matter: the whole text is body.
    Absent,
    /// `content` starts on 1-based line `first_line` of the text.
    Found {
        format: Format,
        content: &'a str,
        first_line: usize,
        body_start: usize,
    },
    /// An opening delimiter with no end: the whole text is body.
    Unclosed(Format),
    /// Closed, but too large to parse; the body after it is kept.
    TooLarge { format: Format, body_start: usize },
}

/// [`parse`], for text that may be only the head of a file (`complete == false`): then
/// a missing end means "not closed within the limit": it may still close further on.
pub(crate) fn parse_head(text: &str, complete: bool) -> Parsed {
    let mut parsed = Parsed::default();
    let mut problems = Findings::new("", 1);
    match split(text) {
        Split::Absent => {}
        Split::Unclosed(format) if complete => {
            parsed.open_ended = true;
            problems.push(
                Diagnostic::new(
                    Code::FrontMatter,
                    format!(
                        "front matter not closed ({} block); shown as text",
                        format.name()
                    ),
                )
                .at(Some(1), Some(1))
                .with_help(format!("end it with a `{}` line", format.delimiter())),
            );
        }
        Split::Unclosed(format) => {
            parsed.open_ended = true;
            problems.push(
                Diagnostic::new(
                    Code::FrontMatter,
                    format!(
                        "{} front matter not closed within {} KiB; not parsed",
                        format.name(),
                        MAX_FRONT_MATTER / 1024
                    ),
                )
                .at(Some(1), Some(1)),
            );
            // The head is all front matter as far as anyone can tell: no body in it.
            parsed.body_start = text.len();
        }
        Split::TooLarge { format, body_start } => {
            problems
                .push(Diagnostic::new(Code::FrontMatter, too_large(format)).at(Some(1), Some(1)));
            parsed.body_start = body_start;
        }
        Split::Found {
            format,
            content,
            first_line,
            body_start,
        } => {
            parsed.body_start = body_start;
            problems = Findings::new(content, first_line);
            match deserialize(format, content, first_line) {
                Ok(Value::Object(map)) => parsed.meta = meta::extract(map, &mut problems),
                // An empty block (`---\n---`) or one holding only comments.
                Ok(Value::Null) => {}
                Ok(other) => problems.push(
                    Diagnostic::new(
                        Code::FrontMatter,
                        format!(
                            "{} front matter is not a mapping of keys (found {}); ignored",
                            format.name(),
                            describe(&other)
                        ),
                    )
                    .at(Some(first_line), Some(1)),
                ),
                Err(err) => problems.push(
                    Diagnostic::new(Code::FrontMatter, err.to_string()).at(err.line, err.column),
                ),
            }
        }
    }
    parsed.diagnostics = problems.diagnostics;
    parsed
}

/// Problems found in front matter, each placed on the line of the key it is about when
/// that key can be found in the block's text.
pub(crate) struct Findings<'a> {
    diagnostics: Vec<Diagnostic>,
    content: &'a str,
    first_line: usize,
}

impl<'a> Findings<'a> {
    /// For the block `content`, which starts on line `first_line` of the post.
    pub(crate) fn new(content: &'a str, first_line: usize) -> Findings<'a> {
        Findings {
            diagnostics: Vec::new(),
            content,
            first_line,
        }
    }

    fn push(&mut self, diagnostic: Diagnostic) {
        self.diagnostics.push(diagnostic);
    }

    /// A problem with the field `key`, placed at that key.
    pub(crate) fn report(&mut self, code: Code, key: &str, message: String) {
        let place = key_position(self.content, key);
        let line = place.map(|(line, _)| line + self.first_line - 1);
        let column = place.map(|(_, column)| column);
        self.push(Diagnostic::new(code, message).at(line, column));
    }

    #[cfg(test)]
    pub(crate) fn into_messages(self) -> Vec<String> {
        self.diagnostics.into_iter().map(|d| d.message).collect()
    }
}

/// The 1-based line and column of the first line of `content` that defines `key`
/// (`key:` in YAML, `key =` in TOML, `"key":` in JSON; any case, any indent).
fn key_position(content: &str, key: &str) -> Option<(usize, usize)> {
    content.lines().enumerate().find_map(|(index, line)| {
        let indent = line.len() - line.trim_start().len();
        let rest = line.trim_start();
        let quoted = rest.strip_prefix(['"', '\'']);
        let rest = quoted.unwrap_or(rest);
        let name = rest.get(..key.len())?;
        if !name.eq_ignore_ascii_case(key) {
            return None;
        }
        let after = rest.get(key.len()..)?;
        let after = if quoted.is_some() {
            after.strip_prefix(['"', '\''])?
        } else {
            after
        };
        let after = after.trim_start();
        if after.starts_with(':') || after.starts_with('=') {
            let column = line.get(..indent).map_or(1, |pad| pad.chars().count() + 1);
            Some((index + 1, column))
        } else {
            None
        }
    })
}

fn too_large(format: Format) -> String {
    format!(
        "{} front matter larger than {} KiB; not parsed",
        format.name(),
        MAX_FRONT_MATTER / 1024
    )
}

fn describe(value: &Value) -> &'static str {
    match value {
        Value::Array(_) => "a list",
        Value::String(_) => "text",
        _ => "a single value",
    }
}

/// Finds the front matter at byte 0.
fn split(text: &str) -> Split<'_> {
    if text.starts_with('{') && !text.starts_with("{{") {
        // `{{< shortcode >}}` at the top of a post is Markdown, not a JSON object.
        return split_json(text);
    }
    let (first, after_first) = line_at(text, 0);
    let format = match first.trim_end_matches([' ', '\t']) {
        "---" => Format::Yaml,
        "+++" => Format::Toml,
        _ => return Split::Absent,
    };
    let Some(content_start) = after_first else {
        return Split::Unclosed(format);
    };
    let mut start = content_start;
    loop {
        let (line, next) = line_at(text, start);
        let closes = match line.trim_end_matches([' ', '\t']) {
            "---" | "..." => format == Format::Yaml,
            "+++" => format == Format::Toml,
            _ => false,
        };
        if closes {
            let body_start = next.unwrap_or(text.len());
            let content = text.get(content_start..start).unwrap_or_default();
            if content.len() > MAX_FRONT_MATTER {
                return Split::TooLarge { format, body_start };
            }
            return Split::Found {
                format,
                content,
                first_line: 2,
                body_start,
            };
        }
        match next {
            Some(next) => start = next,
            None => return Split::Unclosed(format),
        }
    }
}

/// The line starting at `start` (without its `\n`), and where the next one starts.
fn line_at(text: &str, start: usize) -> (&str, Option<usize>) {
    let rest = text.get(start..).unwrap_or_default();
    match rest.find('\n') {
        Some(end) => (rest.get(..end).unwrap_or_default(), Some(start + end + 1)),
        None => (rest, None),
    }
}

/// A JSON object at byte 0 ends where the parser says it does; a first pass over it
/// (allocating nothing) finds that end so the size limit applies before real parsing.
fn split_json(text: &str) -> Split<'_> {
    let mut stream = serde_json::Deserializer::from_str(text).into_iter::<serde::de::IgnoredAny>();
    match stream.next() {
        Some(Ok(_)) => {
            let end = stream.byte_offset();
            let body_start = if text.get(end..).is_some_and(|rest| rest.starts_with('\n')) {
                end + 1
            } else {
                end
            };
            if end > MAX_FRONT_MATTER {
                Split::TooLarge {
                    format: Format::Json,
                    body_start,
                }
            } else {
                Split::Found {
                    format: Format::Json,
                    content: text.get(..end).unwrap_or_default(),
                    first_line: 1,
                    body_start,
                }
            }
        }
        Some(Err(err)) if err.is_eof() => Split::Unclosed(Format::Json),
        // A syntax error: report it through the real parse, which names the line.
        Some(Err(_)) | None => Split::Found {
            format: Format::Json,
            content: text,
            first_line: 1,
            body_start: 0,
        },
    }
}

/// Why a front-matter block did not parse: the parser's first line of complaint, and
/// where it was (line of the whole post, column when the parser says).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{format} front matter not parsed{}: {message}", line.map(|l| format!(" (line {l})")).unwrap_or_default())]
struct SyntaxError {
    format: &'static str,
    line: Option<usize>,
    column: Option<usize>,
    message: String,
}

/// Parses a front-matter block; `Err` says why, naming format and line.
fn deserialize(format: Format, content: &str, first_line: usize) -> Result<Value, SyntaxError> {
    let fail = |place: Option<(usize, usize)>, message: &str| SyntaxError {
        format: format.name(),
        line: place.map(|(line, _)| line + first_line - 1),
        column: place.map(|(_, column)| column),
        message: message.lines().next().unwrap_or_default().to_string(),
    };
    match format {
        Format::Yaml if let Some(value) = simple_yaml::parse(content) => Ok(value),
        Format::Yaml => serde_yaml::from_str::<Loose>(content)
            .map(|loose| loose.0)
            .map_err(|err| {
                let message = err.to_string();
                let message = message.split(" at line ").next().unwrap_or_default();
                fail(err.location().map(|l| (l.line(), l.column())), message)
            }),
        Format::Toml => toml::from_str::<toml::Table>(content)
            .map(|table| value::from_toml(toml::Value::Table(table)))
            .map_err(|err| {
                let place = err.span().map(|span| {
                    let before = content.get(..span.start).unwrap_or(content);
                    let line_start = before.rfind('\n').map_or(0, |at| at + 1);
                    let column = before.get(line_start..).map_or(0, |s| s.chars().count()) + 1;
                    (before.matches('\n').count() + 1, column)
                });
                fail(place, err.message())
            }),
        Format::Json => serde_json::from_str::<Value>(content).map_err(|err| {
            let message = err.to_string();
            let message = message.split(" at line ").next().unwrap_or_default();
            fail(Some((err.line(), err.column().max(1))), message)
        }),
    }
}

/// For tests: the YAML front matter of `text` (a whole post), read by the fast path
/// (`None` when it declines) and by the full parser. `None` when there is no YAML
/// front matter.
#[doc(hidden)]
pub fn yaml_both_ways(text: &str) -> Option<(Option<Value>, Option<Value>)> {
    match split(text) {
        Split::Found {
            format: Format::Yaml,
            content,
            ..
        } => Some((
            simple_yaml::parse(content),
            serde_yaml::from_str::<Loose>(content).ok().map(|l| l.0),
        )),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn body_start_is_where_parsing_puts_the_body() {
        let huge = format!("---\nx: \"{}\"\n---\nbody\n", "y".repeat(MAX_FRONT_MATTER));
        let texts = [
            "no front matter\n",
            "",
            "---\ntitle: T\n---\nbody\n",
            "---  \ntitle: T\n...\nbody",
            "---\ntitle: [unclosed\n---\nbody\n",
            "---\ntitle: T\nnever closed\n",
            "+++\ntitle = \"T\"\n+++\n\nbody\n",
            "{\"title\": \"T\"}\nbody\n",
            "{ \"title\": \"T\"\n",
            "{{< figure src=\"a.png\" >}}\nbody\n",
            "---\n---\n",
            huge.as_str(),
        ];
        for text in texts {
            assert_eq!(body_start(text), parse(text).body_start, "{text:.40?}");
        }
        assert_eq!(&texts[2][body_start(texts[2])..], "body\n");
    }

    #[test]
    fn problems_are_typed_and_placed_on_their_key() {
        let p = parse("---\ntitle: T\ntags: [a]\nDate: someday\ndraft: maybe\n---\nbody\n");
        let found: Vec<_> = p
            .diagnostics
            .iter()
            .map(|d| (d.code, d.line, d.column))
            .collect();
        assert_eq!(
            found,
            [
                (Code::BadDate, Some(4), Some(1)),
                (Code::BadField, Some(5), Some(1))
            ]
        );
        // The messages read as the one-line warnings always did.
        assert_eq!(p.warnings().len(), 2);
        assert!(
            p.warnings()[0].starts_with("date: cannot read"),
            "{:?}",
            p.warnings()
        );
    }

    #[test]
    fn syntax_errors_carry_their_line_and_column() {
        let p = parse("+++\ntitle = \"T\"\ndate = = 1\n+++\n");
        let d = &p.diagnostics[0];
        assert_eq!((d.code, d.line), (Code::FrontMatter, Some(3)));
        assert!(d.column.is_some());
        let unclosed = parse("---\ntitle: T\n");
        assert_eq!(unclosed.diagnostics[0].line, Some(1));
        assert_eq!(unclosed.diagnostics[0].code, Code::FrontMatter);
    }

    #[test]
    fn split_body_keeps_the_body_and_reads_the_front_matter() {
        let (meta, body, problems) = split_body("---\ntitle: 标题\n---\n正文\n".to_string());
        assert_eq!(meta.title.as_deref(), Some("标题"));
        assert_eq!(body, "正文\n");
        assert!(problems.is_empty());
        let split = split_text("---\ntitle: 标题\n---\n\n正文\n".to_string());
        assert_eq!((split.body.as_str(), split.body_line), ("\n正文\n", 4));
        let (meta, body, _) = split_body("no front matter".to_string());
        assert_eq!(meta.title, None);
        assert_eq!(body, "no front matter");
    }

    #[test]
    fn yaml_split_and_body() {
        let p = parse("---\ntitle: A\n---\nbody\n");
        assert_eq!(p.meta.title.as_deref(), Some("A"));
        assert_eq!(p.body_start, "---\ntitle: A\n---\n".len());
        assert!(p.warnings().is_empty());
    }

    #[test]
    fn yaml_dots_close_and_trailing_spaces_are_fine() {
        let p = parse("---  \ntitle: A\n...\t\nbody");
        assert_eq!(p.meta.title.as_deref(), Some("A"));
        assert_eq!(&"---  \ntitle: A\n...\t\nbody"[p.body_start..], "body");
    }

    #[test]
    fn toml_dashes_do_not_close_toml() {
        let text = "+++\ntitle = 'x'\n---\n";
        let p = parse(text);
        assert_eq!(p.body_start, 0);
        assert_eq!(p.warnings().len(), 1);
    }

    #[test]
    fn error_lines_are_file_lines() {
        let p = parse("---\ntitle: ok\ntags: [a\nnext: 1\n---\nbody");
        assert_eq!(p.warnings().len(), 1);
        assert!(
            p.warnings()[0].starts_with("YAML front matter not parsed (line"),
            "{:?}",
            p.warnings()
        );
        let p = parse("+++\ntitle = 'ok'\nbad = \n+++\n");
        assert!(
            p.warnings()[0].starts_with("TOML front matter not parsed (line 3)"),
            "{:?}",
            p.warnings()
        );
        let p = parse("{\n\"title\": \"x\",\n}\nbody");
        assert!(
            p.warnings()[0].starts_with("JSON front matter not parsed (line 3)"),
            "{:?}",
            p.warnings()
        );
        assert_eq!(p.body_start, 0);
    }

    #[test]
    fn shortcode_at_top_is_not_json() {
        let p = parse("{{< note >}}hi{{< /note >}}\n");
        assert!(p.warnings().is_empty());
        assert_eq!(p.body_start, 0);
    }

    #[test]
    fn head_without_end_is_not_closed_within_the_limit() {
        let text = format!("---\n{}", "k: v\n".repeat(100));
        let p = parse_head(&text, false);
        assert_eq!(p.body_start, text.len());
        assert!(
            p.warnings()[0].contains("not closed within 64 KiB"),
            "{:?}",
            p.warnings()
        );
        let json = "{\"title\": \"x\", \"more\": [1, 2";
        assert!(parse_head(json, false).warnings()[0].contains("within 64 KiB"));
        assert!(parse(json).warnings()[0].contains("not closed"));
    }

    #[test]
    fn scalar_front_matter_is_not_a_mapping() {
        let p = parse("---\n- a\n- b\n---\nbody");
        assert!(
            p.warnings()[0].contains("not a mapping"),
            "{:?}",
            p.warnings()
        );
        assert_eq!(&"---\n- a\n- b\n---\nbody"[p.body_start..], "body");
    }
}

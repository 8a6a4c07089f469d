//! Splitting a post into front matter and body, the way Hugo does: only at byte 0, YAML
//! between `---` lines, TOML between `+++` lines, or a JSON object starting with `{`.
//! Everything that can go wrong here (no closing line, a syntax error, an alias bomb,
//! a megabyte of metadata) becomes a warning on the post and a sensible split, so the
//! post is still listed and its body still readable.

use serde_json::Value;

use super::meta;
use super::post::Meta;
use super::value::{self, Loose};

mod simple_yaml;

/// Front matter larger than this is not parsed: no real post needs it, and it bounds
/// the work (and the memory) a hostile file can ask of the YAML parser.
pub const MAX_FRONT_MATTER: usize = 64 * 1024;

/// The result of reading a post's text: its metadata, warnings, and where the body starts.
#[derive(Debug, Clone, Default)]
pub struct Parsed {
    pub meta: Meta,
    pub warnings: Vec<String>,
    /// Byte offset of the body in the text given to [`parse`].
    pub body_start: usize,
    /// The front matter opened but did not close within the text: with only the head of
    /// a file, it may yet close further on.
    pub open_ended: bool,
}

/// Splits and parses the front matter of a whole post (already decoded, LF endings).
pub fn parse(text: &str) -> Parsed {
    parse_head(text, true)
}

/// A whole post's front matter and its body, the body cut from `text` in place (the
/// front matter is small, the body may be megabytes).
pub fn split_body(mut text: String) -> (Meta, String, Vec<String>) {
    let parsed = parse(&text);
    if text.is_char_boundary(parsed.body_start) {
        text.drain(..parsed.body_start);
    }
    (parsed.meta, text, parsed.warnings)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    Yaml,
    Toml,
    Json,
}

impl Format {
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
    match split(text) {
        Split::Absent => {}
        Split::Unclosed(format) if complete => {
            parsed.open_ended = true;
            parsed.warnings.push(format!(
                "front matter not closed ({} block); shown as text",
                format.name()
            ));
        }
        Split::Unclosed(format) => {
            parsed.open_ended = true;
            parsed.warnings.push(format!(
                "{} front matter not closed within {} KiB; not parsed",
                format.name(),
                MAX_FRONT_MATTER / 1024
            ));
            // The head is all front matter as far as anyone can tell: no body in it.
            parsed.body_start = text.len();
        }
        Split::TooLarge { format, body_start } => {
            parsed.warnings.push(too_large(format));
            parsed.body_start = body_start;
        }
        Split::Found {
            format,
            content,
            first_line,
            body_start,
        } => {
            parsed.body_start = body_start;
            match deserialize(format, content, first_line) {
                Ok(Value::Object(map)) => parsed.meta = meta::extract(map, &mut parsed.warnings),
                // An empty block (`---\n---`) or one holding only comments.
                Ok(Value::Null) => {}
                Ok(other) => parsed.warnings.push(format!(
                    "{} front matter is not a mapping of keys (found {}); ignored",
                    format.name(),
                    describe(&other)
                )),
                Err(message) => parsed.warnings.push(message),
            }
        }
    }
    parsed
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

/// Parses a front-matter block; `Err` is the warning to show, naming format and line.
fn deserialize(format: Format, content: &str, first_line: usize) -> Result<Value, String> {
    let fail = |line: Option<usize>, message: &str| {
        let message = message.lines().next().unwrap_or_default();
        match line {
            Some(line) => format!(
                "{} front matter not parsed (line {}): {message}",
                format.name(),
                line + first_line - 1
            ),
            None => format!("{} front matter not parsed: {message}", format.name()),
        }
    };
    match format {
        Format::Yaml if let Some(value) = simple_yaml::parse(content) => Ok(value),
        Format::Yaml => serde_yaml::from_str::<Loose>(content)
            .map(|loose| loose.0)
            .map_err(|err| {
                let message = err.to_string();
                let message = message.split(" at line ").next().unwrap_or_default();
                fail(err.location().map(|l| l.line()), message)
            }),
        Format::Toml => toml::from_str::<toml::Table>(content)
            .map(|table| value::from_toml(toml::Value::Table(table)))
            .map_err(|err| {
                let line = err.span().map(|span| {
                    let before = content.get(..span.start).unwrap_or(content);
                    before.matches('\n').count() + 1
                });
                fail(line, err.message())
            }),
        Format::Json => serde_json::from_str::<Value>(content).map_err(|err| {
            let message = err.to_string();
            let message = message.split(" at line ").next().unwrap_or_default();
            fail(Some(err.line()), message)
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
    fn split_body_keeps_the_body_and_reads_the_front_matter() {
        let (meta, body, warnings) = split_body("---\ntitle: 标题\n---\n正文\n".to_string());
        assert_eq!(meta.title.as_deref(), Some("标题"));
        assert_eq!(body, "正文\n");
        assert!(warnings.is_empty());
        let (meta, body, _) = split_body("no front matter".to_string());
        assert_eq!(meta.title, None);
        assert_eq!(body, "no front matter");
    }

    #[test]
    fn yaml_split_and_body() {
        let p = parse("---\ntitle: A\n---\nbody\n");
        assert_eq!(p.meta.title.as_deref(), Some("A"));
        assert_eq!(p.body_start, "---\ntitle: A\n---\n".len());
        assert!(p.warnings.is_empty());
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
        assert_eq!(p.warnings.len(), 1);
    }

    #[test]
    fn error_lines_are_file_lines() {
        let p = parse("---\ntitle: ok\ntags: [a\nnext: 1\n---\nbody");
        assert_eq!(p.warnings.len(), 1);
        assert!(
            p.warnings[0].starts_with("YAML front matter not parsed (line"),
            "{:?}",
            p.warnings
        );
        let p = parse("+++\ntitle = 'ok'\nbad = \n+++\n");
        assert!(
            p.warnings[0].starts_with("TOML front matter not parsed (line 3)"),
            "{:?}",
            p.warnings
        );
        let p = parse("{\n\"title\": \"x\",\n}\nbody");
        assert!(
            p.warnings[0].starts_with("JSON front matter not parsed (line 3)"),
            "{:?}",
            p.warnings
        );
        assert_eq!(p.body_start, 0);
    }

    #[test]
    fn shortcode_at_top_is_not_json() {
        let p = parse("{{< note >}}hi{{< /note >}}\n");
        assert!(p.warnings.is_empty());
        assert_eq!(p.body_start, 0);
    }

    #[test]
    fn head_without_end_is_not_closed_within_the_limit() {
        let text = format!("---\n{}", "k: v\n".repeat(100));
        let p = parse_head(&text, false);
        assert_eq!(p.body_start, text.len());
        assert!(
            p.warnings[0].contains("not closed within 64 KiB"),
            "{:?}",
            p.warnings
        );
        let json = "{\"title\": \"x\", \"more\": [1, 2";
        assert!(parse_head(json, false).warnings[0].contains("within 64 KiB"));
        assert!(parse(json).warnings[0].contains("not closed"));
    }

    #[test]
    fn scalar_front_matter_is_not_a_mapping() {
        let p = parse("---\n- a\n- b\n---\nbody");
        assert!(p.warnings[0].contains("not a mapping"), "{:?}", p.warnings);
        assert_eq!(&"---\n- a\n- b\n---\nbody"[p.body_start..], "body");
    }
}

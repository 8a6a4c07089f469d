//! Problems found in a post, as data rather than sentences. A warning used to be a
//! string with "(line 3)" baked into it: the list could show it, but nothing could ask
//! which line, how bad, or of what kind. A [`Diagnostic`] carries all of that, so
//! `folio check` can point at the place, filter by [`Code`] and decide its exit code by
//! [`Severity`], while [`Diagnostic::message`] still reads as the old warning did for
//! the list's badges and `list --json`.

use std::fmt;
use std::path::PathBuf;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// How much a problem matters: errors fail `folio check`, warnings fail it under
/// `--deny warnings`, infos never do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    /// How a problem of this severity is marked on screen, apart from its colour (so
    /// `NO_COLOR` keeps the difference).
    pub fn mark(self) -> &'static str {
        match self {
            Severity::Error => "✗",
            Severity::Warning => "⚠",
            Severity::Info => "·",
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// What kind of problem: each has a stable name (what `--only`, `--skip` and the JSON
/// use, so scripts can rely on it) and a default severity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Code {
    /// The front matter does not parse, is not closed, is too large or is not a mapping.
    FrontMatter,
    /// A front-matter field of the wrong kind (a list where text belongs, ...).
    BadField,
    /// A date field that cannot be read as a date.
    BadDate,
    MissingTitle,
    MissingDate,
    /// `draft: true` on a post whose date has passed: probably meant to be published.
    DraftPastDate,
    /// A relative link to a file that does not exist.
    BrokenLink,
    /// A `#anchor` that names no heading of the post it points into.
    BrokenAnchor,
    /// A relative link that leaves the collection's folder.
    OutsideCollection,
    /// A local image that does not exist.
    MissingImage,
    DuplicateSlug,
    DuplicateTitle,
    /// Tags that differ only by case or spacing (`Istio`, `istio`, ` istio`).
    TagCase,
    UnclosedShortcode,
    UnknownShortcode,
    UnterminatedFence,
    /// Not UTF-8, a byte-order mark, mixed line endings, undecodable bytes.
    Encoding,
    /// Control characters in the text (they are shown as markers, not as written).
    ControlChar,
    /// A post with no text besides its front matter.
    EmptyPost,
    /// A file that cannot be read at all: gone, not permitted, not a regular file,
    /// too large, or binary.
    Unreadable,
}

impl Code {
    pub const ALL: [Code; 20] = [
        Code::FrontMatter,
        Code::BadField,
        Code::BadDate,
        Code::MissingTitle,
        Code::MissingDate,
        Code::DraftPastDate,
        Code::BrokenLink,
        Code::BrokenAnchor,
        Code::OutsideCollection,
        Code::MissingImage,
        Code::DuplicateSlug,
        Code::DuplicateTitle,
        Code::TagCase,
        Code::UnclosedShortcode,
        Code::UnknownShortcode,
        Code::UnterminatedFence,
        Code::Encoding,
        Code::ControlChar,
        Code::EmptyPost,
        Code::Unreadable,
    ];

    /// The stable name.
    pub fn name(self) -> &'static str {
        match self {
            Code::FrontMatter => "front-matter",
            Code::BadField => "bad-field",
            Code::BadDate => "bad-date",
            Code::MissingTitle => "missing-title",
            Code::MissingDate => "missing-date",
            Code::DraftPastDate => "draft-past-date",
            Code::BrokenLink => "broken-link",
            Code::BrokenAnchor => "broken-anchor",
            Code::OutsideCollection => "outside-collection",
            Code::MissingImage => "missing-image",
            Code::DuplicateSlug => "duplicate-slug",
            Code::DuplicateTitle => "duplicate-title",
            Code::TagCase => "tag-case",
            Code::UnclosedShortcode => "unclosed-shortcode",
            Code::UnknownShortcode => "unknown-shortcode",
            Code::UnterminatedFence => "unterminated-fence",
            Code::Encoding => "encoding",
            Code::ControlChar => "control-char",
            Code::EmptyPost => "empty-post",
            Code::Unreadable => "unreadable",
        }
    }

    /// How much the problem matters unless configured otherwise: what breaks the
    /// published site (or loses the post's metadata) is an error, what is likely a
    /// mistake a warning, what may well be intended an info.
    pub fn default_severity(self) -> Severity {
        match self {
            Code::FrontMatter
            | Code::BadDate
            | Code::BrokenLink
            | Code::MissingImage
            | Code::DuplicateSlug
            | Code::UnclosedShortcode
            | Code::Unreadable => Severity::Error,
            Code::BadField
            | Code::MissingTitle
            | Code::MissingDate
            | Code::BrokenAnchor
            | Code::OutsideCollection
            | Code::DuplicateTitle
            | Code::TagCase
            | Code::UnterminatedFence
            | Code::Encoding
            | Code::ControlChar
            | Code::EmptyPost => Severity::Warning,
            Code::DraftPastDate | Code::UnknownShortcode => Severity::Info,
        }
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A name that is not one of [`Code::ALL`]'s.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown check {0:?} (known: {known})", known = known_names())]
pub struct UnknownCode(pub String);

fn known_names() -> String {
    Code::ALL.map(Code::name).join(", ")
}

impl FromStr for Code {
    type Err = UnknownCode;

    fn from_str(name: &str) -> Result<Code, UnknownCode> {
        let name = name.trim();
        Code::ALL
            .into_iter()
            .find(|code| code.name().eq_ignore_ascii_case(name))
            .ok_or_else(|| UnknownCode(name.to_string()))
    }
}

impl Serialize for Code {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.name())
    }
}

impl<'de> Deserialize<'de> for Code {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Code, D::Error> {
        let name = String::deserialize(deserializer)?;
        name.parse().map_err(serde::de::Error::custom)
    }
}

/// One problem, where it is and what to do about it. Lines and columns are 1-based,
/// columns counted in characters; `None` when the problem is the whole file's.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Diagnostic {
    pub code: Code,
    pub severity: Severity,
    /// The file, as given to or found by the command; empty until someone who knows it
    /// fills it in (the front-matter parser does not).
    pub path: PathBuf,
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub message: String,
    pub help: Option<String>,
}

impl Diagnostic {
    /// A problem of `code` at its default severity, not yet placed.
    pub fn new(code: Code, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            code,
            severity: code.default_severity(),
            path: PathBuf::new(),
            line: None,
            column: None,
            message: message.into(),
            help: None,
        }
    }

    pub fn at(mut self, line: Option<usize>, column: Option<usize>) -> Diagnostic {
        self.line = line;
        self.column = column;
        self
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Diagnostic {
        self.help = Some(help.into());
        self
    }

    pub fn in_file(mut self, path: impl Into<PathBuf>) -> Diagnostic {
        self.path = path.into();
        self
    }
}

/// The old one-line warning, worded as it always was (a syntax error names its line).
impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_has_a_distinct_name_that_parses_back() {
        let mut names: Vec<&str> = Code::ALL.iter().map(|c| c.name()).collect();
        for code in Code::ALL {
            assert_eq!(code.name().parse::<Code>(), Ok(code));
        }
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), Code::ALL.len());
    }

    #[test]
    fn unknown_names_are_refused_with_the_known_ones() {
        let err = "broken-links".parse::<Code>().unwrap_err();
        assert!(err.to_string().contains("broken-link,"), "{err}");
    }

    #[test]
    fn diagnostics_serialize_with_stable_names() {
        let d = Diagnostic::new(Code::BadDate, "date: nope")
            .at(Some(3), Some(7))
            .in_file("a.md");
        let json = serde_json::to_value(&d).unwrap();
        assert_eq!(json["code"], "bad-date");
        assert_eq!(json["severity"], "error");
        assert_eq!(json["line"], 3);
        assert_eq!(json["path"], "a.md");
    }
}

//! A post as the index knows it: where it lives, its front matter ([`Meta`]), the title
//! to show, and the problems found in its head, as [`Diagnostic`]s.

use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};

use chrono::{FixedOffset, NaiveDateTime};

use super::front_matter;
use super::text;
use super::{Names, PostId};
use crate::diagnostic::{Code, Diagnostic};

mod head;

pub(crate) use head::Checked;
#[cfg(target_os = "linux")]
pub(crate) use head::open_unseen;
use head::{HeadReader, open_regular};

/// Identifies the code that turns a file's head into a [`Post`]: a hash of its source.
/// The persisted index keeps it with the posts it indexed and forgets them when it
/// differs, so a folio with a fixed parser never shows what an older one made of a file.
pub const INDEXER_FINGERPRINT: u64 = {
    let sources: [&[u8]; 10] = [
        include_bytes!("post.rs"),
        include_bytes!("post/head.rs"),
        include_bytes!("front_matter.rs"),
        include_bytes!("front_matter/simple_yaml.rs"),
        include_bytes!("meta.rs"),
        include_bytes!("date.rs"),
        include_bytes!("text.rs"),
        include_bytes!("text/wide.rs"),
        include_bytes!("text/legacy.rs"),
        include_bytes!("value.rs"),
    ];
    // FNV-1a, evaluated at compile time.
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    let mut i = 0;
    while i < sources.len() {
        let source = sources[i];
        let mut j = 0;
        while j < source.len() {
            hash ^= source[j] as u64;
            hash = hash.wrapping_mul(0x0100_0000_01b3);
            j += 1;
        }
        i += 1;
    }
    hash
};

/// The most [`Post::read_text`] will read: far beyond any real post, small enough that a
/// runaway file cannot take the machine's memory.
const TEXT_LIMIT: u64 = 256 * 1024 * 1024;

/// A date as Hugo accepts it in front matter. `offset` is `None` when the source gave no
/// zone; `has_time` is false for a date-only value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PostDate {
    pub naive: NaiveDateTime,
    pub offset: Option<FixedOffset>,
    pub has_time: bool,
}

/// Front matter fields folio understands; everything else is kept in `extra`. The
/// persisted index stores it in a form of its own (`store::meta_codec`).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Meta {
    pub title: Option<Box<str>>,
    pub date: Option<PostDate>,
    pub lastmod: Option<PostDate>,
    /// `description`, else `summary`.
    pub description: Option<Box<str>>,
    pub tags: Names,
    pub categories: Names,
    /// `author` or `authors`, one or many.
    pub authors: Names,
    pub draft: bool,
    pub slug: Option<Box<str>>,
    /// `image`, else `cover` (or its `image`), `images[0]`, `featured_image`.
    pub image: Option<Box<str>>,
    /// A Hugo section page (`_index.md`) with a body of its own: listed, and marked as
    /// a section. Said by the file, not its front matter.
    pub section: bool,
    /// The encoding the file was read in when it is not UTF-8 (`GBK`, `Big5`,
    /// `UTF-16LE`, ...: [`text::Decoded::notable_encoding`]), for the card and the list
    /// to show. Said by the file, not its front matter.
    pub encoding: Option<Box<str>>,
    pub extra: BTreeMap<String, serde_json::Value>,
}

/// Where a post's bytes come from: a file on disk, or the sample posts compiled into the
/// binary.
#[derive(Debug, Clone)]
pub enum Source {
    File(PathBuf),
    Embedded(&'static [u8]),
}

#[derive(Debug, Clone)]
pub struct Post {
    /// Who the post is, whatever its place in the list: `rel_path` as a [`PostId`].
    pub id: PostId,
    /// Path relative to the collection root, for display (`blog/foo/index.md`).
    pub rel_path: Box<Path>,
    pub source: Source,
    /// From front matter, else the first `# ` heading, else the file name.
    pub title: Box<str>,
    pub meta: Meta,
    /// Problems found while indexing (broken front matter, undecodable bytes, ...),
    /// placed by line in the file but without its path (the post knows it).
    pub diagnostics: Vec<Diagnostic>,
}

/// Why a post's text could not be read.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    /// The OS error is part of the message and not also its `source()`: a chain
    /// printed whole (`{:#}`) would say it twice.
    #[error("{path}: {error}")]
    Io {
        path: PathBuf,
        error: std::io::Error,
    },
    #[error("{0}: not a text file (binary content)")]
    Binary(PathBuf),
    /// A FIFO, device or socket: opening or reading it could block or never end.
    #[error("{0}: not a regular file; not read")]
    NotRegular(PathBuf),
    #[error("{path}: larger than {limit_mib} MiB; not read")]
    TooLarge { path: PathBuf, limit_mib: u64 },
}

impl LoadError {
    /// What went wrong without the path, for a message that names the file already.
    pub fn reason(&self) -> String {
        match self {
            LoadError::Io { error, .. } => format!("cannot read: {error}"),
            LoadError::Binary(_) => "not a text file (binary content)".to_string(),
            LoadError::NotRegular(_) => "not a regular file; not read".to_string(),
            LoadError::TooLarge { limit_mib, .. } => {
                format!("larger than {limit_mib} MiB; not read")
            }
        }
    }

    /// Whether the file is no longer there (removed or renamed since it was indexed).
    pub fn is_missing(&self) -> bool {
        matches!(self, LoadError::Io { error, .. } if error.kind() == std::io::ErrorKind::NotFound)
    }
}

impl Post {
    /// Indexes a file from its head only (front matter and the first heading); the body
    /// is read later, on demand. Never fails: a problem becomes a warning on the post.
    pub fn load(path: &Path, rel: PathBuf) -> Post {
        Post::load_checked(path, rel, Checked::No).0
    }

    fn cannot_read(&mut self, err: LoadError, path: &Path) {
        *self = Post::empty(
            self.rel_path.to_path_buf(),
            Source::File(path.to_path_buf()),
        );
        self.diagnostics
            .push(Diagnostic::new(Code::Unreadable, err.reason()));
        self.title = fallback_title(&self.rel_path, Some(path)).into();
    }

    /// The same as [`Post::load`] for bytes compiled into the binary (or read from stdin).
    pub fn from_bytes(rel: PathBuf, bytes: &'static [u8]) -> Post {
        let mut post = Post::empty(rel, Source::Embedded(bytes));
        let read = post.index_in_steps(&mut HeadReader::bytes(bytes));
        debug_assert!(read.is_ok(), "bytes in memory always read");
        post
    }

    fn empty(rel: PathBuf, source: Source) -> Post {
        Post {
            id: PostId::from_rel(&rel),
            rel_path: rel.into(),
            source,
            title: String::new().into(),
            meta: Meta::default(),
            diagnostics: Vec::new(),
        }
    }

    /// Decodes and parses the head of the file; `complete` says it is the whole file.
    fn index_head(&mut self, bytes: &[u8], complete: bool) {
        let decoded = if complete {
            text::decode(bytes)
        } else {
            text::decode_prefix(bytes)
        };
        self.index_decoded(decoded, complete);
    }

    /// Fills the entry from decoded text; returns whether it is settled without a longer
    /// head: the text is binary, or its front matter closed and gave a title or a heading
    /// was found. (A title from the file's name is a last resort: not settled.)
    fn index_decoded(&mut self, decoded: text::Decoded, complete: bool) -> bool {
        let file_path = match &self.source {
            Source::File(path) => Some(path.clone()),
            Source::Embedded(_) => None,
        };
        if decoded.binary {
            self.diagnostics
                .push(Diagnostic::new(Code::Unreadable, "binary file, not shown"));
            self.title = fallback_title(&self.rel_path, file_path.as_deref()).into();
            return true;
        }
        if decoded.lossy {
            self.diagnostics.push(lossy_warning(decoded.encoding));
        }
        let encoding = decoded.notable_encoding();
        let parsed = front_matter::parse_head(&decoded.text, complete);
        self.diagnostics.extend(parsed.diagnostics);
        let body = decoded.text.get(parsed.body_start..).unwrap_or_default();
        let title = parsed
            .meta
            .title
            .as_deref()
            .map(one_line)
            .filter(|t| !t.is_empty())
            .or_else(|| first_heading(body));
        // A section page is one only with a body: it is not settled while the head
        // shows none and the file goes on.
        let section_page = super::rules::is_section_name(&self.rel_path);
        let has_body = !body.trim().is_empty();
        let settled =
            !parsed.open_ended && title.is_some() && (!section_page || has_body || complete);
        self.title = title
            .unwrap_or_else(|| fallback_title(&self.rel_path, file_path.as_deref()))
            .into();
        self.meta = parsed.meta;
        self.meta.section = section_page && has_body;
        self.meta.encoding = encoding.map(Into::into);
        settled
    }

    /// The whole post, decoded. Refuses what is not a regular file, larger than
    /// 256 MiB, or binary.
    pub fn read_text(&self) -> Result<String, LoadError> {
        self.read_decoded().map(|decoded| decoded.text)
    }

    fn read_decoded(&self) -> Result<text::Decoded, LoadError> {
        let decoded = match &self.source {
            Source::File(path) => text::decode_owned(read_regular(path, TEXT_LIMIT)?),
            Source::Embedded(bytes) => text::decode(bytes),
        };
        if decoded.binary {
            return Err(LoadError::Binary(self.rel_path.to_path_buf()));
        }
        Ok(decoded)
    }

    /// Metadata, body and problems of the whole post, or, when its file is larger than
    /// `max` bytes, of its first `head` bytes only, with the file's size (`None`: this
    /// is the whole post). A cut body ends at the last line break before `head`.
    pub fn head_and_meta(
        &self,
        max: u64,
        head: u64,
    ) -> Result<(front_matter::PostText, Option<u64>), LoadError> {
        let Source::File(path) = &self.source else {
            return Ok((self.text()?, None));
        };
        let file = open_regular(path, Checked::No)?;
        let size = file.metadata().map_or(0, |m| m.len());
        if size <= max {
            return Ok((self.text()?, None));
        }
        let head = head.min(max);
        let mut bytes = Vec::with_capacity(usize::try_from(head).unwrap_or(0));
        file.take(head)
            .read_to_end(&mut bytes)
            .map_err(|error| LoadError::Io {
                path: path.clone(),
                error,
            })?;
        if let Some(end) = bytes.iter().rposition(|&b| b == b'\n') {
            bytes.truncate(end + 1);
        }
        let decoded = text::decode_prefix(&bytes);
        if decoded.binary {
            return Err(LoadError::Binary(self.rel_path.to_path_buf()));
        }
        let encoding = decoded.notable_encoding();
        let mut text = front_matter::split_text(decoded.text);
        text.meta.encoding = encoding.map(Into::into);
        Ok((text, Some(size)))
    }

    /// Metadata, body and problems of the whole post, for the reader. The metadata is
    /// parsed again because the file may have changed since it was indexed.
    pub fn body_and_meta(&self) -> Result<(Meta, String, Vec<Diagnostic>), LoadError> {
        let text = self.text()?;
        Ok((text.meta, text.body, text.diagnostics))
    }

    /// The body alone, its front matter cut off unparsed: what full-text search reads.
    pub fn body(&self) -> Result<String, LoadError> {
        let mut text = self.read_decoded()?.text;
        let start = front_matter::body_start(&text);
        if text.is_char_boundary(start) {
            text.drain(..start);
        }
        Ok(text)
    }

    /// [`Post::body_and_meta`], also saying on which line of the file the body starts.
    pub fn text(&self) -> Result<front_matter::PostText, LoadError> {
        let decoded = self.read_decoded()?;
        let mut diagnostics = Vec::new();
        if decoded.lossy {
            diagnostics.push(lossy_warning(decoded.encoding));
        }
        let encoding = decoded.notable_encoding();
        let mut text = front_matter::split_text(decoded.text);
        text.meta.encoding = encoding.map(Into::into);
        diagnostics.append(&mut text.diagnostics);
        text.diagnostics = diagnostics;
        Ok(text)
    }

    /// The problems' messages, one line each, as `folio list` shows them.
    pub fn warnings(&self) -> Vec<String> {
        front_matter::messages(&self.diagnostics)
    }

    pub fn date_ymd(&self) -> Option<String> {
        self.meta.date.as_ref().map(PostDate::ymd)
    }

    /// Whether the post carries `tag`, compared as [`super::tag_key`] does.
    pub fn has_tag(&self, tag: &str) -> bool {
        let wanted = super::tag_key(tag);
        self.meta.tags.iter().any(|t| super::tag_key(t) == wanted)
    }

    /// The index entry as `folio list --json` prints it.
    pub fn to_json(&self) -> serde_json::Value {
        let path: Vec<String> = self
            .rel_path
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect();
        serde_json::json!({
            "title": self.title,
            "date": self.meta.date.as_ref().map(ToString::to_string),
            "lastmod": self.meta.lastmod.as_ref().map(ToString::to_string),
            "description": self.meta.description,
            "tags": self.meta.tags,
            "categories": self.meta.categories,
            "authors": self.meta.authors,
            "draft": self.meta.draft,
            "slug": self.meta.slug,
            "image": self.meta.image,
            "section": self.meta.section,
            "encoding": self.meta.encoding,
            "path": path.join("/"),
            "warnings": self.diagnostics.iter().map(|d| &d.message).collect::<Vec<_>>(),
            "diagnostics": self.diagnostics,
        })
    }
}

/// The whole of the regular file at `path`, refused when larger than `limit` bytes (a
/// whole number of MiB). Opened as a post is ([`open_regular`]): a FIFO, device or
/// socket is refused before anything waits on it or reads without end, so the config,
/// theme and `.tmTheme` files a user names are read this way too.
pub fn read_regular(path: &Path, limit: u64) -> Result<Vec<u8>, LoadError> {
    let file = open_regular(path, Checked::No)?;
    // Sized up front: growing a buffer to 5 MB by doubling touches three times the
    // memory, and fresh memory is what a long post's load costs.
    let size = file.metadata().map_or(0, |m| m.len()).min(limit) + 1;
    let mut bytes = Vec::with_capacity(usize::try_from(size).unwrap_or(0));
    file.take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|error| LoadError::Io {
            path: path.to_path_buf(),
            error,
        })?;
    if bytes.len() as u64 > limit {
        return Err(LoadError::TooLarge {
            path: path.to_path_buf(),
            limit_mib: limit / (1024 * 1024),
        });
    }
    Ok(bytes)
}

fn lossy_warning(encoding: &str) -> Diagnostic {
    Diagnostic::new(
        Code::Encoding,
        format!("not valid {encoding}; shown with replacement characters"),
    )
}

/// Titles are shown on one row: line breaks and runs of spaces become one space.
fn one_line(title: &str) -> String {
    title.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The first level-1 heading (`# Title`, or `Title` underlined with `=`), outside code
/// fences. Only the head of the body is ever given here.
fn first_heading(body: &str) -> Option<String> {
    let mut fence: Option<(char, usize)> = None;
    let mut previous: Option<&str> = None;
    for line in body.lines() {
        let indent = line.len() - line.trim_start_matches(' ').len();
        let trimmed = line.trim_start_matches(' ');
        let marker = trimmed.chars().next().filter(|c| *c == '`' || *c == '~');
        if let Some(c) = marker {
            let run = trimmed.chars().take_while(|x| *x == c).count();
            if indent < 4 && run >= 3 {
                match fence {
                    None => fence = Some((c, run)),
                    Some((open, len)) if open == c && run >= len => fence = None,
                    Some(_) => {}
                }
                previous = None;
                continue;
            }
        }
        if fence.is_some() || indent >= 4 {
            previous = None;
            continue;
        }
        if let Some(rest) = trimmed.strip_prefix('#')
            && (rest.is_empty() || rest.starts_with([' ', '\t']))
        {
            let title = one_line(strip_closing_hashes(rest));
            if !title.is_empty() {
                return Some(title);
            }
        }
        if !trimmed.is_empty()
            && trimmed.trim_end().chars().all(|c| c == '=')
            && let Some(title) = previous.map(one_line).filter(|t| !t.is_empty())
        {
            return Some(title);
        }
        previous = (!trimmed.trim().is_empty() && !trimmed.starts_with('#')).then_some(trimmed);
    }
    None
}

/// `# Title ##` → `Title`; a `#` glued to a word (`# C#`) is part of the title.
fn strip_closing_hashes(text: &str) -> &str {
    let text = text.trim();
    let without = text.trim_end_matches('#');
    if without.is_empty() {
        ""
    } else if without.ends_with([' ', '\t']) {
        without.trim_end()
    } else {
        text
    }
}

/// The file's name without extension; for a page bundle (`post/index.md`) the folder's.
fn fallback_title(rel: &Path, full: Option<&Path>) -> String {
    let stem = rel.file_stem().map(|s| s.to_string_lossy().into_owned());
    let is_bundle = stem
        .as_deref()
        .is_some_and(|s| s.eq_ignore_ascii_case("index") || s.eq_ignore_ascii_case("_index"));
    let folder = |p: &Path| {
        p.parent()
            .and_then(Path::file_name)
            .map(|s| s.to_string_lossy().into_owned())
    };
    let name = if is_bundle {
        folder(rel).or_else(|| full.and_then(folder)).or(stem)
    } else {
        stem
    };
    name.filter(|n| !n.trim().is_empty())
        .unwrap_or_else(|| rel.display().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn heading_fallbacks() {
        assert_eq!(
            first_heading("intro\n\n# Title ##\n").as_deref(),
            Some("Title")
        );
        assert_eq!(first_heading("# C#\n").as_deref(), Some("C#"));
        assert_eq!(
            first_heading("```sh\n# comment\n```\n# Real\n").as_deref(),
            Some("Real")
        );
        assert_eq!(first_heading("## two\n#nospace\n").as_deref(), None);
        assert_eq!(first_heading("    # code\n").as_deref(), None);
        assert_eq!(first_heading("Setext\n===\n").as_deref(), Some("Setext"));
        assert_eq!(first_heading("#\n# \n#   x  #\n").as_deref(), Some("x"));
    }

    #[test]
    fn fallback_names() {
        let t = |p: &str| fallback_title(Path::new(p), None);
        assert_eq!(t("blog/hello.md"), "hello");
        assert_eq!(t("blog/my-post/index.md"), "my-post");
        assert_eq!(t("blog/sec/_index.markdown"), "sec");
        assert_eq!(
            fallback_title(Path::new("index.md"), Some(Path::new("/x/bundle/index.md"))),
            "bundle"
        );
        assert_eq!(t("index.md"), "index");
    }

    #[test]
    fn embedded_posts_share_the_head_logic() {
        let post = Post::from_bytes(
            PathBuf::from("a/b.md"),
            b"---\ntitle: T\ntags: x\n---\n# H\n",
        );
        assert_eq!(&*post.title, "T");
        assert_eq!(post.meta.tags, ["x"]);
        let (meta, body, warnings) = post.body_and_meta().expect("embedded reads");
        assert_eq!(meta.title.as_deref(), Some("T"));
        assert_eq!(body, "# H\n");
        assert!(warnings.is_empty());
        let post = Post::from_bytes(PathBuf::from("x.md"), b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR");
        assert_eq!(post.diagnostics.len(), 1);
        assert_eq!(post.diagnostics[0].code, Code::Unreadable);
        assert_eq!(post.diagnostics[0].message, "binary file, not shown");
        assert!(matches!(post.read_text(), Err(LoadError::Binary(_))));
    }

    #[test]
    fn to_json_shape() {
        let post = Post::from_bytes(
            PathBuf::from("a").join("b.md"),
            b"---\ntitle: T\ndate: 2021-05-25T11:20:46+08:00\nlastmod: 2021-06-01\nauthor: x\n---\n",
        );
        let json = post.to_json();
        assert_eq!(json["date"], "2021-05-25T11:20:46+08:00");
        assert_eq!(json["lastmod"], "2021-06-01");
        assert_eq!(json["path"], "a/b.md");
        assert_eq!(json["authors"], serde_json::json!(["x"]));
        assert_eq!(json["draft"], false);
        assert!(json["description"].is_null());
        // UTF-8, as expected of a post: no encoding to point out.
        assert!(json["encoding"].is_null());
    }
}

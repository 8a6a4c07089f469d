//! A post as the index knows it: where it lives, its front matter ([`Meta`]), the title
//! to show, and any warnings about its content.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};

use chrono::{FixedOffset, NaiveDateTime};

use super::PostId;
use super::front_matter::{self, MAX_FRONT_MATTER};
use super::text;

/// How much of a file the index reads: the front-matter limit plus room for its closing
/// line and the first heading of the body.
const HEAD_LEN: usize = MAX_FRONT_MATTER + 4096;

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

/// Front matter fields folio understands; everything else is kept in `extra`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Meta {
    pub title: Option<String>,
    pub date: Option<PostDate>,
    pub lastmod: Option<PostDate>,
    /// `description`, else `summary`.
    pub description: Option<String>,
    pub tags: Vec<String>,
    pub categories: Vec<String>,
    /// `author` or `authors`, one or many.
    pub authors: Vec<String>,
    pub draft: bool,
    pub slug: Option<String>,
    pub image: Option<String>,
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
    pub rel_path: PathBuf,
    pub source: Source,
    /// From front matter, else the first `# ` heading, else the file name.
    pub title: String,
    pub meta: Meta,
    /// Problems found while indexing (broken front matter, undecodable bytes, ...).
    pub warnings: Vec<String>,
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
    /// Whether the file is no longer there (removed or renamed since it was indexed).
    pub fn is_missing(&self) -> bool {
        matches!(self, LoadError::Io { error, .. } if error.kind() == std::io::ErrorKind::NotFound)
    }
}

impl Post {
    /// Indexes a file from its head only (front matter and the first heading); the body
    /// is read later, on demand. Never fails: a problem becomes a warning on the post.
    pub fn load(path: &Path, rel: PathBuf) -> Post {
        let mut post = Post::empty(rel, Source::File(path.to_path_buf()));
        match read_head(path) {
            Ok((bytes, complete)) => post.index_head(&bytes, complete),
            Err(err) => {
                post.warnings.push(match err {
                    LoadError::Io { error, .. } => format!("cannot read: {error}"),
                    LoadError::NotRegular(_) => "not a regular file; not read".to_string(),
                    other => other.to_string(),
                });
                post.title = fallback_title(&post.rel_path, Some(path));
            }
        }
        post
    }

    /// The same as [`Post::load`] for bytes compiled into the binary (or read from stdin).
    pub fn from_bytes(rel: PathBuf, bytes: &'static [u8]) -> Post {
        let mut post = Post::empty(rel, Source::Embedded(bytes));
        match bytes.get(..HEAD_LEN) {
            Some(head) if bytes.len() > HEAD_LEN => post.index_head(head, false),
            _ => post.index_head(bytes, true),
        }
        post
    }

    fn empty(rel: PathBuf, source: Source) -> Post {
        Post {
            id: PostId::from_rel(&rel),
            rel_path: rel,
            source,
            title: String::new(),
            meta: Meta::default(),
            warnings: Vec::new(),
        }
    }

    /// Decodes and parses the head of the file; `complete` says it is the whole file.
    fn index_head(&mut self, bytes: &[u8], complete: bool) {
        let decoded = if complete {
            text::decode(bytes)
        } else {
            text::decode_prefix(bytes)
        };
        let file_path = match &self.source {
            Source::File(path) => Some(path.clone()),
            Source::Embedded(_) => None,
        };
        if decoded.binary {
            self.warnings.push("binary file, not shown".to_string());
            self.title = fallback_title(&self.rel_path, file_path.as_deref());
            return;
        }
        if decoded.lossy {
            let what = if decoded.encoding.starts_with("utf-16") {
                "UTF-16"
            } else {
                "UTF-8"
            };
            self.warnings.push(format!(
                "not valid {what}; shown with replacement characters"
            ));
        }
        let parsed = front_matter::parse_head(&decoded.text, complete);
        self.warnings.extend(parsed.warnings);
        let body = decoded.text.get(parsed.body_start..).unwrap_or_default();
        self.title = parsed
            .meta
            .title
            .as_deref()
            .map(one_line)
            .filter(|t| !t.is_empty())
            .or_else(|| first_heading(body))
            .unwrap_or_else(|| fallback_title(&self.rel_path, file_path.as_deref()));
        self.meta = parsed.meta;
    }

    /// The whole post, decoded. Refuses what is not a regular file, larger than
    /// 256 MiB, or binary.
    pub fn read_text(&self) -> Result<String, LoadError> {
        self.read_decoded().map(|decoded| decoded.text)
    }

    fn read_decoded(&self) -> Result<text::Decoded, LoadError> {
        let decoded = match &self.source {
            Source::File(path) => {
                let file = open_regular(path)?;
                // Sized up front: growing a buffer to 5 MB by doubling touches three
                // times the memory, and fresh memory is what a long post's load costs.
                let size = file.metadata().map_or(0, |m| m.len()).min(TEXT_LIMIT) + 1;
                let mut bytes = Vec::with_capacity(usize::try_from(size).unwrap_or(0));
                file.take(TEXT_LIMIT + 1)
                    .read_to_end(&mut bytes)
                    .map_err(|error| LoadError::Io {
                        path: path.clone(),
                        error,
                    })?;
                if bytes.len() as u64 > TEXT_LIMIT {
                    return Err(LoadError::TooLarge {
                        path: path.clone(),
                        limit_mib: TEXT_LIMIT / (1024 * 1024),
                    });
                }
                text::decode(&bytes)
            }
            Source::Embedded(bytes) => text::decode(bytes),
        };
        if decoded.binary {
            return Err(LoadError::Binary(self.rel_path.clone()));
        }
        Ok(decoded)
    }

    /// Metadata, body and warnings of the whole post, for the reader. The metadata is
    /// parsed again because the file may have changed since it was indexed.
    pub fn body_and_meta(&self) -> Result<(Meta, String, Vec<String>), LoadError> {
        let decoded = self.read_decoded()?;
        let mut warnings = Vec::new();
        if decoded.lossy {
            warnings.push(lossy_warning(decoded.encoding));
        }
        let (meta, body, front_matter_warnings) = front_matter::split_body(decoded.text);
        warnings.extend(front_matter_warnings);
        Ok((meta, body, warnings))
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
            "path": path.join("/"),
            "warnings": self.warnings,
        })
    }
}

/// Opens `path` only if it is a regular file. The check comes before `open` because
/// opening a FIFO for reading blocks until a writer appears; on Linux the open is also
/// non-blocking, and the handle is checked again, in case the file was swapped between.
fn open_regular(path: &Path) -> Result<File, LoadError> {
    let io = |error| LoadError::Io {
        path: path.to_path_buf(),
        error,
    };
    if !std::fs::metadata(path).map_err(io)?.is_file() {
        return Err(LoadError::NotRegular(path.to_path_buf()));
    }
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(target_os = "linux")]
    {
        use std::os::unix::fs::OpenOptionsExt;
        // O_NONBLOCK: no effect on regular files, no hang on a FIFO swapped in.
        options.custom_flags(0o4000);
    }
    let file = options.open(path).map_err(io)?;
    if !file.metadata().map_err(io)?.is_file() {
        return Err(LoadError::NotRegular(path.to_path_buf()));
    }
    Ok(file)
}

/// The first [`HEAD_LEN`] bytes, and whether that is the whole file.
fn read_head(path: &Path) -> Result<(Vec<u8>, bool), LoadError> {
    let file = open_regular(path)?;
    let mut bytes = Vec::with_capacity(8 * 1024);
    file.take(HEAD_LEN as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(|error| LoadError::Io {
            path: path.to_path_buf(),
            error,
        })?;
    let complete = bytes.len() <= HEAD_LEN;
    bytes.truncate(HEAD_LEN);
    Ok((bytes, complete))
}

fn lossy_warning(encoding: &str) -> String {
    let what = if encoding.starts_with("utf-16") {
        "UTF-16"
    } else {
        "UTF-8"
    };
    format!("not valid {what}; shown with replacement characters")
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
        assert_eq!(post.title, "T");
        assert_eq!(post.meta.tags, ["x"]);
        let (meta, body, warnings) = post.body_and_meta().expect("embedded reads");
        assert_eq!(meta.title.as_deref(), Some("T"));
        assert_eq!(body, "# H\n");
        assert!(warnings.is_empty());
        let post = Post::from_bytes(PathBuf::from("x.md"), b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR");
        assert_eq!(post.warnings, ["binary file, not shown"]);
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
    }
}

//! A post as the index knows it: where it lives, its front matter ([`Meta`]), the title
//! to show, and any warnings about its content.

use std::collections::BTreeMap;
use std::path::PathBuf;

use chrono::{FixedOffset, NaiveDateTime};

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
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{0}: not a text file (binary content)")]
    Binary(PathBuf),
}

impl PostDate {
    pub fn parse(_text: &str) -> Option<PostDate> {
        None
    }
    pub fn sort_key(&self) -> i64 {
        0
    }
    pub fn ymd(&self) -> String {
        self.naive.format("%Y-%m-%d").to_string()
    }
}

impl Post {
    pub fn load(_path: &std::path::Path, rel: PathBuf) -> Post {
        Post {
            title: rel.display().to_string(),
            source: Source::File(rel.clone()),
            rel_path: rel,
            meta: Meta::default(),
            warnings: Vec::new(),
        }
    }
    pub fn read_text(&self) -> Result<String, LoadError> {
        Ok(String::new())
    }
    pub fn body_and_meta(&self) -> Result<(Meta, String, Vec<String>), LoadError> {
        Ok((Meta::default(), String::new(), Vec::new()))
    }
    pub fn date_ymd(&self) -> Option<String> {
        None
    }
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::Value::Null
    }
    pub fn has_tag(&self, _tag: &str) -> bool {
        false
    }
}

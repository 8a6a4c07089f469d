//! The one place the renderer reads the disk: what a Hugo page refers to beyond itself.
//! `include` shows another page of the site, `param` a value of the site's config when
//! the page's own front matter lacks it, `section-toc` the pages beside it. The site is
//! found by walking up from the post's folder to the folder holding Hugo's config, and
//! nothing outside that folder is ever read, so a post cannot pull in an arbitrary file.
//! Every miss is `None`, which layout shows as a dimmed placeholder.

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::library::{Post, front_matter};

/// Hugo's config files, in the order Hugo looks for them.
const CONFIG_FILES: [&str; 8] = [
    "hugo.toml",
    "hugo.yaml",
    "hugo.yml",
    "hugo.json",
    "config.toml",
    "config.yaml",
    "config.yml",
    "config.json",
];
/// An included page or a config larger than this is not read.
const MAX_FILE_BYTES: u64 = 4 * 1024 * 1024;
/// Folders walked up from a post looking for the site's root.
const MAX_LEVELS: usize = 12;
/// Pages listed by a section's table of contents.
const MAX_SECTION_PAGES: usize = 200;

/// The site's root folder: the nearest folder at or above `from` with a Hugo config.
pub fn site_root(from: &Path) -> Option<PathBuf> {
    from.ancestors()
        .take(MAX_LEVELS)
        .find(|dir| config_file(dir).is_some())
        .map(Path::to_path_buf)
}

fn config_file(dir: &Path) -> Option<PathBuf> {
    CONFIG_FILES
        .iter()
        .map(|name| dir.join(name))
        .chain(
            CONFIG_FILES
                .iter()
                .map(|name| dir.join("config/_default").join(name)),
        )
        .find(|path| path.is_file())
}

fn read_small(path: &Path) -> Option<String> {
    let meta = std::fs::metadata(path).ok()?;
    if !meta.is_file() || meta.len() > MAX_FILE_BYTES {
        return None;
    }
    let bytes = std::fs::read(path).ok()?;
    Some(String::from_utf8_lossy(&bytes).into_owned())
}

/// Whether `path` is inside `root`, links and `..` resolved.
fn inside(root: &Path, path: &Path) -> bool {
    match (root.canonicalize(), path.canonicalize()) {
        (Ok(root), Ok(path)) => path.starts_with(root),
        _ => false,
    }
}

/// The body (front matter removed) of the page an `include` names, looked for as Hugo's
/// docs site does: from the content folder for `/…`, else beside the post, then from
/// the content folder and the site's root; with `.md`, `index.md` or `_index.md` added
/// where the name has none.
pub fn read_include(base_dir: &Path, name: &str) -> Option<String> {
    let root = site_root(base_dir)?;
    let name = name.trim();
    let relative = name.trim_start_matches('/');
    if relative.is_empty() {
        return None;
    }
    let mut bases = Vec::new();
    if !name.starts_with('/') {
        bases.push(base_dir.to_path_buf());
    }
    bases.push(root.join("content"));
    bases.push(root.clone());
    let found = bases.iter().find_map(|base| {
        let path = base.join(relative);
        [
            path.clone(),
            path.with_extension("md"),
            path.join("index.md"),
            path.join("_index.md"),
        ]
        .into_iter()
        .find(|candidate| candidate.is_file() && inside(&root, candidate))
    })?;
    let (_, body, _) = front_matter::split_body(read_small(&found)?);
    Some(body)
}

/// The site config as a mapping, from its TOML, YAML or JSON.
fn site_config(root: &Path) -> Option<Value> {
    let path = config_file(root)?;
    let text = read_small(&path)?;
    match path.extension().and_then(|e| e.to_str()) {
        Some("toml") => toml::from_str(&text).ok(),
        Some("json") => serde_json::from_str(&text).ok(),
        _ => serde_yaml::from_str(&text).ok(),
    }
}

/// A value found by a dotted name (`social.github`), keys compared without case as
/// Hugo compares them.
pub fn lookup<'v>(value: &'v Value, dotted: &str) -> Option<&'v Value> {
    dotted.split('.').try_fold(value, |value, key| {
        value
            .as_object()?
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(key))
            .map(|(_, v)| v)
    })
}

/// A value as the text Hugo would print for it.
pub fn value_text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Array(items) => {
            let parts: Vec<String> = items.iter().filter_map(value_text).collect();
            (!parts.is_empty()).then(|| parts.join(", "))
        }
        _ => None,
    }
}

/// `params.<name>` of the site config, as text.
pub fn site_param(base_dir: &Path, name: &str) -> Option<String> {
    let config = site_config(&site_root(base_dir)?)?;
    let params = lookup(&config, "params")?;
    value_text(lookup(params, name.trim())?)
}

/// The titles of the pages of the section in `dir` (the folder of its `_index.md`):
/// its Markdown files and its page bundles and subsections, by Hugo's `weight`, then
/// title.
pub fn section_pages(dir: &Path) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut pages: Vec<(i64, String)> = entries
        .filter_map(Result::ok)
        .filter_map(|entry| {
            let path = entry.path();
            let name = entry.file_name().to_string_lossy().to_lowercase();
            if name.starts_with('.') {
                return None;
            }
            let file = if path.is_dir() {
                ["index.md", "_index.md"]
                    .iter()
                    .map(|n| path.join(n))
                    .find(|p| p.is_file())?
            } else if name.ends_with(".md") && name != "_index.md" && name != "index.md" {
                path
            } else {
                return None;
            };
            let rel = file.strip_prefix(dir).unwrap_or(&file).to_path_buf();
            let post = Post::load(&file, rel);
            let weight = post
                .meta
                .extra
                .get("weight")
                .and_then(Value::as_i64)
                .unwrap_or(i64::MAX);
            Some((weight, post.title.into()))
        })
        .take(MAX_SECTION_PAGES)
        .collect();
    pages.sort();
    pages.into_iter().map(|(_, title)| title).collect()
}

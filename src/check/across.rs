//! The checks that need more than one post: where a relative link or image leads (to a
//! post, a heading in it, a file, or out of the collection), and what two posts must
//! not share (a slug in one section, a title) or should spell alike (a tag).

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};
use std::path::{Component, Path, PathBuf};

use super::Known;
use super::post::Reference;
use super::shortcodes::RefTarget;
use crate::diagnostic::{Code, Diagnostic};
use crate::library::link::percent_decode;

/// How a problem names another post: by its path as given (`folio check content` says
/// `content/blog/x.md`, as the user would type it), or from the collection's folder
/// (the reader, whose collection is known, says `blog/x.md`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Naming {
    AsGiven,
    FromRoot,
}

impl Naming {
    fn name(self, post: &Known) -> std::path::Display<'_> {
        match self {
            Naming::AsGiven => post.path.display(),
            Naming::FromRoot => post
                .path
                .strip_prefix(&post.root)
                .unwrap_or(&post.path)
                .display(),
        }
    }
}

/// The posts of a collection by where links lead to them (their path, normalised), for
/// following the links of each.
pub struct Targets<'a> {
    files: &'a [Known],
    /// Keyed by the post's own path where that is already normal (as it nearly always
    /// is): on 100,000 posts, a copy of every path was 10 MB at the check's peak.
    by_path: HashMap<Cow<'a, Path>, &'a Known>,
    naming: Naming,
}

impl<'a> Targets<'a> {
    pub fn new(files: &'a [Known], naming: Naming) -> Targets<'a> {
        let by_path = files
            .iter()
            .map(|file| (normalized(&file.path), file))
            .collect();
        Targets {
            files,
            by_path,
            naming,
        }
    }
}

/// A post's broken relative links and anchors, links out of the collection, missing
/// images; placed in the post, without its path.
pub fn links(
    file: &Known,
    references: &[Reference],
    targets: &Targets<'_>,
    exists: &(dyn Fn(&Path) -> bool + Sync),
) -> Vec<Diagnostic> {
    references
        .iter()
        .filter_map(|reference| {
            let problem = follow(file, reference, targets, exists)?;
            Some(problem.at(Some(reference.line), Some(reference.column)))
        })
        .collect()
}

/// A post's `ref` / `relref` targets that name no post: Hugo stops the build on them. A
/// target is a path from the collection (`/blog/x.md`), from the post (`../x.md`), or a
/// bare name (`x`, `x.md`) that Hugo looks up among all pages. Placed in the post,
/// without its path.
pub fn refs(file: &Known, refs: &[RefTarget], targets: &Targets<'_>) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for target in refs {
        let (path, anchor) = match target.target.split_once('#') {
            Some((path, anchor)) => (path, Some(anchor)),
            None => (target.target.as_str(), None),
        };
        let found = if path.is_empty() {
            Some(file)
        } else {
            find_ref(file, path, targets.files, &targets.by_path)
        };
        let problem = match found {
            None => Some(
                Diagnostic::new(Code::BrokenLink, format!("ref {path:?} names no post"))
                    .with_help("Hugo stops the build on a ref it cannot resolve"),
            ),
            Some(post) => anchor
                .filter(|anchor| !anchor.is_empty() && !has_anchor(post, anchor))
                .map(|anchor| {
                    Diagnostic::new(
                        Code::BrokenAnchor,
                        format!("no heading #{anchor} in {}", targets.naming.name(post)),
                    )
                    .with_help(anchor_help(post))
                }),
        };
        if let Some(problem) = problem {
            out.push(problem.at(Some(target.line), Some(target.column)));
        }
    }
    out
}

fn find_ref<'a>(
    file: &Known,
    path: &str,
    files: &'a [Known],
    by_path: &HashMap<Cow<'a, Path>, &'a Known>,
) -> Option<&'a Known> {
    let target = if let Some(rooted) = path.strip_prefix('/') {
        normalize(&file.root.join(rooted))
    } else {
        normalize(&file.path.parent().unwrap_or(Path::new("")).join(path))
    };
    if let Some(post) = candidates(&target, false, file)
        .iter()
        .find_map(|c| by_path.get(c.as_path()))
    {
        return Some(post);
    }
    if path.contains('/') {
        return None;
    }
    let name = path.trim_end_matches(".markdown").trim_end_matches(".md");
    files.iter().find(|post| {
        let stem = post.path.file_stem().and_then(|s| s.to_str());
        let own_name = match stem {
            Some("index" | "_index") => post
                .path
                .parent()
                .and_then(Path::file_name)
                .and_then(|n| n.to_str()),
            other => other,
        };
        own_name == Some(name)
    })
}

/// What is wrong with one link, if anything.
/// Whether a reference is one [`links`] follows at all (not a web address, not a
/// template): what a kept analysis needs of a post's links.
pub(crate) fn followed(reference: &Reference) -> bool {
    let url = reference.url.trim();
    !(url.is_empty() || url.starts_with("//") || has_scheme(url) || url.contains("{{"))
}

fn follow(
    file: &Known,
    reference: &Reference,
    targets: &Targets<'_>,
    exists: &(dyn Fn(&Path) -> bool + Sync),
) -> Option<Diagnostic> {
    if !followed(reference) {
        return None;
    }
    let url = reference.url.trim();
    let (path, anchor) = match url.split_once('#') {
        Some((path, anchor)) => (path, Some(percent_decode(anchor))),
        None => (url, None),
    };
    let path = percent_decode(path.split('?').next().unwrap_or_default());
    if path.is_empty() {
        let anchor = anchor.unwrap_or_default();
        return (!anchor.is_empty() && !has_anchor(file, &anchor)).then(|| {
            Diagnostic::new(
                Code::BrokenAnchor,
                format!("no heading #{anchor} in this post"),
            )
            .with_help(anchor_help(file))
        });
    }
    let root = normalize(&file.root);
    // A site-absolute path (`/blog/x/`) is the site's URL: resolved against the
    // collection when it matches a file there, otherwise left alone, since where it
    // leads depends on the site's permalinks and static folders.
    let site_absolute = path.starts_with('/');
    let target = if site_absolute {
        normalize(&root.join(path.trim_start_matches('/')))
    } else {
        let folder = file.path.parent().unwrap_or(Path::new(""));
        normalize(&folder.join(&path))
    };
    if !site_absolute && !target.starts_with(&root) {
        return Some(
            Diagnostic::new(
                Code::OutsideCollection,
                format!("{path} leads outside the collection"),
            )
            .with_help("the published site will not have it"),
        );
    }
    let candidates = candidates(&target, reference.image, file);
    if let Some(post) = candidates
        .iter()
        .find_map(|c| targets.by_path.get(c.as_path()))
    {
        return match anchor {
            Some(anchor) if !anchor.is_empty() && !has_anchor(post, &anchor) => Some(
                Diagnostic::new(
                    Code::BrokenAnchor,
                    format!("no heading #{anchor} in {}", targets.naming.name(post)),
                )
                .with_help(anchor_help(post)),
            ),
            _ => None,
        };
    }
    if site_absolute || candidates.iter().any(|c| exists(c)) {
        return None;
    }
    let problem = if reference.image {
        Diagnostic::new(Code::MissingImage, format!("image {path} not found"))
    } else {
        Diagnostic::new(Code::BrokenLink, format!("{path} not found"))
    };
    Some(match web_address_help(&path) {
        Some(help) => problem.with_help(help),
        None => problem,
    })
}

/// A path that reads as a web or mail address written without its scheme
/// (`istio.io`, `github.com/x`, `hello@example.com`): what was probably meant.
fn web_address_help(path: &str) -> Option<String> {
    let first = path.split('/').next().unwrap_or_default();
    if first.contains('@') && !path.contains('/') {
        return Some(format!("for an e-mail address write mailto:{path}"));
    }
    let looks_like_host = first.contains('.')
        && !first.starts_with('.')
        && first
            .rsplit('.')
            .next()
            .is_some_and(|tld| tld.len() >= 2 && tld.chars().all(|c| c.is_ascii_lowercase()))
        && !std::path::Path::new(first).extension().is_some_and(|ext| {
            [
                "md", "markdown", "html", "htm", "png", "jpg", "jpeg", "gif", "svg", "webp", "pdf",
            ]
            .contains(&ext.to_string_lossy().to_lowercase().as_str())
        });
    looks_like_host.then(|| format!("for a web address write https://{path}"))
}

/// The files a link path may mean: itself, and for a page the ways Hugo names one
/// (`x.md`, `x/index.md`, `x/_index.md`), also taken from the post's own URL, which for
/// a single-file post `a.md` is one folder deeper (`a/`) than the file.
fn candidates(target: &Path, image: bool, file: &Known) -> Vec<PathBuf> {
    let mut out = vec![target.to_path_buf()];
    if image {
        return out;
    }
    let mut bases = vec![target.to_path_buf()];
    let is_bundle = file
        .path
        .file_stem()
        .is_some_and(|stem| stem == "index" || stem == "_index");
    if !is_bundle && let Some(stem) = file.path.file_stem() {
        let relative = target.strip_prefix(normalize(file.path.parent().unwrap_or(Path::new(""))));
        if let Ok(relative) = relative {
            let from_url = file.path.with_file_name(stem).join(relative);
            bases.push(normalize(&from_url));
        }
    }
    for base in bases {
        let text = base.to_string_lossy().trim_end_matches('/').to_string();
        out.push(base.clone());
        out.push(PathBuf::from(format!("{text}.md")));
        out.push(PathBuf::from(format!("{text}.markdown")));
        out.push(base.join("index.md"));
        out.push(base.join("_index.md"));
    }
    out
}

fn has_anchor(file: &Known, anchor: &str) -> bool {
    let lower = anchor.to_lowercase();
    file.facts.anchors().any(|a| a == anchor || *a == lower)
}

fn anchor_help(file: &Known) -> String {
    let count = file.facts.anchors().count();
    if count == 0 {
        return "it has no headings".to_string();
    }
    let shown: Vec<String> = file
        .facts
        .anchors()
        .take(8)
        .map(|a| format!("#{a}"))
        .collect();
    let more = if count > shown.len() { ", …" } else { "" };
    format!("its headings: {}{more}", shown.join(", "))
}

/// `http:`, `mailto:`, `javascript:`...: a scheme is letters before the first colon,
/// with no slash before it (`a/b:c` is a path).
fn has_scheme(url: &str) -> bool {
    url.split_once(':').is_some_and(|(scheme, _)| {
        !scheme.is_empty()
            && scheme
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
    })
}

/// `a/./b/../c` → `a/c`, on the text alone: a link is checked without following
/// symlinks, as the site would serve it.
/// [`normalize`], borrowing `path` when there is nothing to do.
fn normalized(path: &Path) -> Cow<'_, Path> {
    let plain = path
        .components()
        .all(|c| !matches!(c, Component::CurDir | Component::ParentDir));
    if plain {
        // Paths compare and hash by their components, so `a//b` is `a/b` already.
        Cow::Borrowed(path)
    } else {
        Cow::Owned(normalize(path))
    }
}

fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() || out.as_os_str().is_empty() && path.is_relative() {
                    out.push("..");
                }
            }
            other => out.push(other),
        }
    }
    out
}

/// The same slug twice in one section (the first folder under the collection), and
/// the same title twice anywhere: each post after the first is told which came first.
pub fn duplicates(files: &[Known], naming: Naming) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    // Keys borrow the post's text where it is already in its compared form, as most
    // is: on 100,000 posts the copies were 20 MB at the check's peak.
    let mut slugs: HashMap<(&Path, Cow<str>), &Known> = HashMap::new();
    let mut titles: HashMap<Cow<str>, &Known> = HashMap::new();
    for file in files {
        if let Some(slug) = file.facts.slug() {
            let key = (section(file), lowercase(slug.trim()));
            match slugs.get(&key) {
                Some(first) => out.push(
                    Diagnostic::new(
                        Code::DuplicateSlug,
                        format!(
                            "slug {slug:?} is also {}'s: one page will replace the other",
                            naming.name(first)
                        ),
                    )
                    .at(file.facts.slug_line(), Some(1))
                    .in_file(&file.path),
                ),
                None => {
                    slugs.insert(key, file);
                }
            }
        }
        if let Some(title) = file.facts.title() {
            let key = title_key(title);
            match titles.get(&key) {
                Some(first) => out.push(
                    Diagnostic::new(
                        Code::DuplicateTitle,
                        format!("title {title:?} is also {}'s", naming.name(first)),
                    )
                    .at(file.facts.title_line(), Some(1))
                    .in_file(&file.path),
                ),
                None => {
                    titles.insert(key, file);
                }
            }
        }
    }
    out
}

/// The first folder of a post under its collection: where Hugo puts its URL.
fn section(file: &Known) -> &Path {
    let relative = file.path.strip_prefix(&file.root).unwrap_or(&file.path);
    let mut components = relative.components();
    match (components.next(), components.next()) {
        (Some(first), Some(_)) => Path::new(first.as_os_str()),
        _ => Path::new(""),
    }
}

/// `s` lowercased, borrowed when it is already.
fn lowercase(s: &str) -> Cow<'_, str> {
    if s.chars().any(|c| c.to_lowercase().ne(std::iter::once(c))) {
        Cow::Owned(s.to_lowercase())
    } else {
        Cow::Borrowed(s)
    }
}

/// A title as two titles are compared: its words lowercased, one space between them.
fn title_key(title: &str) -> Cow<'_, str> {
    let spaced_once = title.split_whitespace().map(str::len).sum::<usize>()
        + title.split_whitespace().count().saturating_sub(1)
        == title.len();
    if spaced_once && !title.contains(|c: char| c.is_whitespace() && c != ' ') {
        lowercase(title)
    } else {
        Cow::Owned(
            title
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
                .to_lowercase(),
        )
    }
}

/// What the spellings of one tag have in common: lowercased, without spaces.
/// Lowercased whole, before the spaces go, as `tag_key` lowercases: a capital sigma
/// ending a word is the final sigma (`ΟΔΟΣ` is `οδος`), which a character alone cannot
/// tell.
fn spelling_key(tag: &str) -> String {
    lowercase(tag)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect()
}

/// The ways one tag is written, each with where it is used: the post, and the tag's
/// line and column in it.
type Spellings<'a> = BTreeMap<&'a str, Vec<(&'a Known, (usize, Option<usize>))>>;

/// Tags that are one tag to a reader but two to the site (`Istio`, `istio`,
/// `service mesh`, `servicemesh`): each spelling but the most used is reported where
/// it is used.
pub fn tags(files: &[Known]) -> Vec<Diagnostic> {
    let mut spellings: BTreeMap<String, Spellings<'_>> = BTreeMap::new();
    for file in files {
        for (tag, place) in file.facts.tags() {
            spellings
                .entry(spelling_key(tag))
                .or_default()
                .entry(tag)
                .or_default()
                .push((file, place));
        }
    }
    let mut out = Vec::new();
    for uses in spellings.values().filter(|uses| uses.len() > 1) {
        // The most used spelling is the one to keep; on a tie, the first in order.
        let Some((&usual, usual_uses)) = uses
            .iter()
            .max_by(|a, b| a.1.len().cmp(&b.1.len()).then(b.0.cmp(a.0)))
        else {
            continue;
        };
        for (&spelling, places) in uses.iter().filter(|(s, _)| **s != usual) {
            for (file, (line, column)) in places {
                out.push(
                    Diagnostic::new(
                        Code::TagCase,
                        format!("tag {spelling:?} differs from {usual:?} only by case or spacing"),
                    )
                    .at(Some(*line), *column)
                    .with_help(format!(
                        "{usual:?} is used by {} post{}",
                        usual_uses.len(),
                        if usual_uses.len() == 1 { "" } else { "s" }
                    ))
                    .in_file(&file.path),
                );
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compared_forms_borrow_only_what_needs_no_change() {
        let titles = [
            "",
            " ",
            "Kubernetes 集群",
            "服务网格",
            "two  spaces",
            " lead",
            "trail ",
            "tab\there",
            "ideographic\u{3000}space",
            "ΣΑΣ",
            "already lower",
        ];
        for title in titles {
            let expected = title
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
                .to_lowercase();
            let key = title_key(title);
            assert_eq!(key, expected, "{title:?}");
            assert_eq!(
                matches!(key, Cow::Borrowed(_)),
                title == expected,
                "{title:?}"
            );
            assert_eq!(lowercase(title), title.to_lowercase(), "{title:?}");
        }
        assert!(matches!(normalized(Path::new("/c/a.md")), Cow::Borrowed(_)));
        assert_eq!(
            normalized(Path::new("/c/./b/../a.md")),
            Path::new("/c/a.md")
        );
    }

    #[test]
    fn spellings_of_one_tag_share_a_key() {
        for (a, b) in [
            ("Istio", "istio"),
            ("service mesh", "ServiceMesh"),
            ("ΟΔΟΣ", "οδος"),
            ("ΟΔΟΣ ΑΒ", "οδος αβ"),
            ("服务 网格", "服务网格"),
        ] {
            assert_eq!(spelling_key(a), spelling_key(b), "{a:?} {b:?}");
        }
        assert_ne!(spelling_key("istio"), spelling_key("linkerd"));
    }

    #[test]
    fn normalize_keeps_leading_parents_and_drops_dots() {
        assert_eq!(normalize(Path::new("a/./b/../c")), PathBuf::from("a/c"));
        assert_eq!(normalize(Path::new("a/../../x")), PathBuf::from("../x"));
        assert_eq!(normalize(Path::new("/r/a/../b")), PathBuf::from("/r/b"));
    }

    #[test]
    fn addresses_without_a_scheme_get_a_hint_and_files_do_not() {
        assert!(web_address_help("istio.io").is_some_and(|h| h.contains("https://istio.io")));
        assert!(web_address_help("github.com/a/b").is_some());
        assert!(web_address_help("hello@example.com").is_some_and(|h| h.contains("mailto:")));
        assert_eq!(web_address_help("other.md"), None);
        assert_eq!(web_address_help("img/a.png"), None);
        assert_eq!(web_address_help("../x/"), None);
    }

    #[test]
    fn schemes_are_told_from_paths() {
        assert!(has_scheme("https://x"));
        assert!(has_scheme("mailto:a@b"));
        assert!(!has_scheme("a/b:c"));
        assert!(!has_scheme("../x.md"));
    }
}

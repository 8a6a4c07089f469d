//! `folio list`: a collection's posts as lines or JSON, optionally narrowed by tags, a
//! search and the reading memory (`--unread`), in the order the TUI's list shows the
//! same filter.

use std::borrow::Cow;
use std::io::Write;

use anyhow::{Context, Result, bail};

use super::{IndexUse, MemoryUse, collection_dir, collection_indexed, tag_chips, write_warnings};
use crate::cli::ListArgs;
use crate::config::Config;
use crate::library::Post;
use crate::library::fulltext::{Terms, search_files};
use crate::library::query::{self, Bodies, Hit, Searcher};
use crate::markdown::sanitize::{is_clean_line, sanitize_flat};
use crate::ui::clip_to_width;

/// Lists the posts `args` asks for to `out`; problems with the index cache and the
/// reading memory go to `err`. The memory is only read when `--unread` or `--json`
/// needs it.
pub fn run(
    args: &ListArgs,
    config: &Config,
    index: &IndexUse,
    memory: &MemoryUse,
    out: &mut impl Write,
    err: &mut impl Write,
) -> Result<()> {
    let mut warnings = Vec::new();
    let root = collection_dir(args.dir.clone(), config);
    let (library, _, saving) = collection_indexed(root.clone(), config, index, &mut warnings)?;
    let remembered = if args.unread || args.json {
        memory.peek(root.as_deref(), &mut warnings)
    } else {
        Default::default()
    };
    write_warnings(&warnings, err)?;
    if args.unread && !remembered.enabled {
        bail!("--unread: {}", memory.unavailable());
    }
    // The same search the TUI runs for these chips and this line, so the same order.
    let search = query::parse(args.search.as_deref().unwrap_or_default());
    let chips = tag_chips(&args.tags);
    let hits = if args.full_text && !search.terms.is_empty() {
        // The files of the posts the chips and filters leave are read and searched one
        // by one, on all cores, and only the snippets kept: the bodies of 100,000 posts
        // are more than a listing should hold (as in the TUI past its memory budget).
        let candidates = Searcher::new(&library).filtered(&chips, &search);
        let posts: Vec<&Post> = candidates.iter().filter_map(|id| library.get(id)).collect();
        search_files(&posts, &Terms::new(&search.terms))
    } else if search.is_empty() && chips.is_empty() && !args.full_text {
        // Nothing to narrow or rank by: every post, in the list's order, without the
        // searcher's index of every title and tag (a tenth of a 10 000-post listing).
        library
            .posts()
            .iter()
            .map(|post| Hit {
                id: post.id.clone(),
                score: 0,
                text: None,
            })
            .collect()
    } else {
        Searcher::new(&library).search(&chips, &search, args.full_text, &Bodies::default())
    };
    let posts = hits
        .iter()
        .filter(|hit| !args.unread || !remembered.is_read(&hit.id))
        .filter_map(|hit| library.get(&hit.id).map(|post| (hit, post)));
    let snippet = |hit: &Hit| {
        let text = hit.text.as_ref()?;
        Some((text.count, text.kept.as_ref()?.text().to_string()))
    };
    let text = if args.json {
        let array: Vec<serde_json::Value> = posts
            .map(|(hit, post)| {
                let mut json = post.to_json();
                let Some(map) = json.as_object_mut() else {
                    return json;
                };
                // Unknown (null) rather than "unread" when there is no memory to ask.
                let enabled = remembered.enabled;
                let read = enabled.then(|| remembered.is_read(&post.id));
                let position = remembered.positions.get(&post.id).map(|spot| spot.block);
                map.insert("read".into(), read.into());
                map.insert("position".into(), position.into());
                if let Some((count, text)) = snippet(hit) {
                    map.insert("hits".into(), count.into());
                    map.insert("snippet".into(), text.into());
                }
                json
            })
            .collect();
        super::json::to_terminal_json(&array)?
    } else {
        let mut text = String::with_capacity(library.posts().len() * 120);
        for (hit, post) in posts {
            line(&mut text, post, snippet(hit));
        }
        text
    };
    out.write_all(text.as_bytes())
        .and_then(|()| out.flush())
        .context("cannot write to stdout")?;
    write_warnings(&saving.finish(), err)
}

/// Text made safe for one line of a terminal: what `clip_to_width(text, usize::MAX)`
/// gives (line breaks as spaces, control characters shown or dropped), without
/// measuring a width no line is cut to; for clean text (nearly all), no copy.
pub(super) fn clean(text: &str) -> Cow<'_, str> {
    if is_clean_line(text) {
        return Cow::Borrowed(text);
    }
    if text.contains(['\n', '\r']) {
        Cow::Owned(clip_to_width(text, usize::MAX))
    } else {
        sanitize_flat(text)
    }
}

/// One post's line: date, title, tags, path, then draft mark, encoding (when not
/// UTF-8), warnings and the full-text hits, each sanitised so a post cannot send
/// control codes to the terminal.
fn line(out: &mut String, post: &Post, snippet: Option<(usize, String)>) {
    use std::fmt::Write as _;
    // Writing to a String cannot fail.
    match &post.meta.date {
        Some(date) => date.push_ymd(out),
        None => out.push_str("----------"),
    }
    out.push_str("  ");
    out.push_str(&clean(&post.title));
    out.push_str("  ");
    for (i, tag) in post.meta.tags.iter().enumerate() {
        out.push_str(if i == 0 { "#" } else { " #" });
        out.push_str(&clean(tag));
    }
    out.push_str("  ");
    match post.rel_path.to_str() {
        Some(path) => out.push_str(&clean(path)),
        None => out.push_str(&clean(&post.rel_path.display().to_string())),
    }
    if post.meta.draft {
        out.push_str("  [draft]");
    }
    if let Some(encoding) = &post.meta.encoding {
        let _ = write!(out, "  [{}]", clean(encoding));
    }
    for problem in &post.diagnostics {
        let _ = write!(out, "  ⚠ {}", clean(&problem.message));
    }
    if let Some((count, text)) = snippet {
        let _ = write!(out, "  ({count}×) {}", clean(&text));
    }
    out.push('\n');
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn list(args: &ListArgs, config: &Config) -> String {
        let cache = tempfile::tempdir().expect("cache dir");
        let index = IndexUse {
            settings: crate::store::Settings {
                dir: Some(cache.path().to_path_buf()),
                busy_timeout: crate::store::DEFAULT_BUSY_TIMEOUT,
            },
            rescan: false,
        };
        let (mut out, mut err) = (Vec::new(), Vec::new());
        run(args, config, &index, &MemoryUse::off(), &mut out, &mut err).expect("list");
        assert!(err.is_empty(), "{}", String::from_utf8_lossy(&err));
        String::from_utf8(out).expect("utf-8")
    }

    fn args(dir: Option<&Path>) -> ListArgs {
        ListArgs {
            dir: dir.map(Path::to_path_buf),
            tags: Vec::new(),
            search: None,
            full_text: false,
            unread: false,
            json: false,
        }
    }

    #[test]
    fn lists_a_folder_with_drafts_warnings_and_no_control_codes() {
        let dir = tempfile::tempdir().expect("tempdir");
        let write = |name: &str, text: &str| {
            std::fs::write(dir.path().join(name), text).expect("write");
        };
        write(
            "a.md",
            "---\ntitle: \"A\\e[31m\"\ndate: 2024-01-02\ntags: [x]\n---\n",
        );
        write(
            "b.md",
            "---\ntitle: B\ndate: 2024-01-01\ndraft: true\n---\n",
        );
        write("c.md", "---\ntitle: [oops\n---\n");
        let out = list(&args(Some(dir.path())), &Config::default());
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines.len(), 3, "{out}");
        assert!(
            lines[0].starts_with("2024-01-02  A␛[31m  #x  a.md"),
            "{out}"
        );
        assert!(lines[1].ends_with("b.md  [draft]"), "{out}");
        assert!(
            lines[2].contains("c.md  ⚠ YAML front matter not parsed"),
            "{out}"
        );

        let hidden = Config {
            show_drafts: false,
            ..Config::default()
        };
        assert!(!list(&args(Some(dir.path())), &hidden).contains("b.md"));
    }

    #[test]
    fn json_and_tags_narrow_the_bundled_samples() {
        let all = list(&args(None), &Config::default());
        let istio = list(
            &ListArgs {
                tags: vec!["ISTIO".into(), " ".into()],
                json: true,
                ..args(None)
            },
            &Config::default(),
        );
        let posts: Vec<serde_json::Value> = serde_json::from_str(&istio).expect("JSON");
        assert!(!posts.is_empty() && posts.len() < all.lines().count());
        for post in posts {
            let tags = post["tags"].as_array().expect("tags");
            assert!(
                tags.iter()
                    .any(|t| t.as_str().is_some_and(|t| t.eq_ignore_ascii_case("istio"))),
                "{post}"
            );
        }
    }
}

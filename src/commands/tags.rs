//! `folio tags`: a collection's tags with how many posts carry each, most used first.

use std::io::Write;

use anyhow::{Context, Result};

use super::{IndexUse, collection_indexed, write_warnings};
use crate::cli::TagsArgs;
use crate::config::Config;
use crate::ui::clip_to_width;

/// Writes the tags of the collection `args` names to `out`; problems with the index
/// cache go to `err`.
pub fn run(
    args: &TagsArgs,
    config: &Config,
    index: &IndexUse,
    out: &mut impl Write,
    err: &mut impl Write,
) -> Result<()> {
    let mut warnings = Vec::new();
    let (library, _, saving) = collection_indexed(args.dir.clone(), config, index, &mut warnings)?;
    write_warnings(&warnings, err)?;
    let tags = library.tags();
    let text = if args.json {
        let array: Vec<serde_json::Value> = tags
            .iter()
            .map(|t| serde_json::json!({ "name": t.name, "count": t.count }))
            .collect();
        super::json::to_terminal_json(&array)?
    } else {
        tags.iter()
            .map(|t| format!("{:>5}  {}\n", t.count, clip_to_width(&t.name, usize::MAX)))
            .collect()
    };
    out.write_all(text.as_bytes())
        .and_then(|()| out.flush())
        .context("cannot write to stdout")?;
    write_warnings(&saving.finish(), err)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_merge_case_and_come_most_used_first() {
        let dir = tempfile::tempdir().expect("tempdir");
        for (name, tags) in [
            ("a.md", "[Go, rust]"),
            ("b.md", "[go]"),
            ("c.md", "[\"x\\ey\"]"),
        ] {
            let text = format!("---\ntitle: {name}\ntags: {tags}\n---\n");
            std::fs::write(dir.path().join(name), text).expect("write");
        }
        let args = TagsArgs {
            dir: Some(dir.path().to_path_buf()),
            json: false,
        };
        let cache = tempfile::tempdir().expect("cache dir");
        let index = IndexUse {
            settings: crate::store::Settings {
                dir: Some(cache.path().to_path_buf()),
                busy_timeout: crate::store::DEFAULT_BUSY_TIMEOUT,
            },
            rescan: false,
        };
        let mut out = Vec::new();
        run(&args, &Config::default(), &index, &mut out, &mut Vec::new()).expect("tags");
        let out = String::from_utf8(out).expect("utf-8");
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines.len(), 3, "{out}");
        assert!(lines[0].trim_start().starts_with("2  "), "{out}");
        assert!(lines[0].to_lowercase().ends_with("go"), "{out}");
        assert!(out.contains("x␛y") && !out.contains('\u{1b}'), "{out:?}");

        let mut json = Vec::new();
        run(
            &TagsArgs { json: true, ..args },
            &Config::default(),
            &index,
            &mut json,
            &mut Vec::new(),
        )
        .expect("json");
        let tags: Vec<serde_json::Value> = serde_json::from_slice(&json).expect("JSON");
        assert_eq!(tags.len(), 3);
        assert_eq!(tags[0]["count"], 2);
    }
}

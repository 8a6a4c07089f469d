//! The subcommands, one file each. A command gets its arguments, the setup it needs and
//! the writers its output goes to; what stdout is (a terminal or a pipe, how wide) is
//! found once in `main` and handed in as [`Surroundings`], so a test can run any command
//! in process, into a `Vec<u8>`, as if on a terminal or in a pipe.

pub mod completions;
pub mod config;
pub mod list;
pub mod man;
pub mod print;
pub mod tags;
pub mod themes;
pub mod tui;

use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};

use crate::config::Config;
use crate::library::Library;
use crate::library::query::Chips;
use crate::samples;
use crate::store;

/// What a command may know about where its output goes; `main` fills it in from the
/// process, tests write the case they want.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Surroundings {
    /// Whether stdout is a terminal: then output is styled and sized to it.
    pub stdout_is_terminal: bool,
    /// The terminal's columns, when stdout is a terminal and its size is known.
    pub terminal_columns: Option<usize>,
    /// The `COLUMNS` variable as set, if it is.
    pub columns_var: Option<String>,
}

/// How a command uses the index cache (`store`): where it is, and whether `--rescan`
/// asked to read every file regardless.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndexUse {
    pub settings: store::Settings,
    pub rescan: bool,
}

impl IndexUse {
    /// The user's cache folder (`FOLIO_CACHE_DIR` overrides it).
    pub fn from_env(rescan: bool) -> IndexUse {
        IndexUse {
            settings: store::Settings::from_env(),
            rescan,
        }
    }
}

/// The collection to use: the folder given, else the config's `collection`, else the
/// bundled samples. Returns the library and how to name it. A folder is read as it is
/// on disk, the index cache sparing only the reading of files that did not change;
/// problems with the cache are added to the library's warnings.
pub fn collection(dir: Option<PathBuf>, config: &Config) -> Result<(Library, String)> {
    let mut warnings = Vec::new();
    let (mut library, label) =
        collection_indexed(dir, config, &IndexUse::from_env(false), &mut warnings)?;
    library.warnings.extend(warnings);
    Ok((library, label))
}

/// [`collection`], using the index cache as `index` says; its problems (one line each)
/// go to `warnings`. The bundled samples have no folder and no cache.
pub fn collection_indexed(
    dir: Option<PathBuf>,
    config: &Config,
    index: &IndexUse,
    warnings: &mut Vec<String>,
) -> Result<(Library, String)> {
    let dir = dir.or_else(|| config.collection.clone());
    match dir {
        Some(dir) => {
            let (scanned, cache_warnings) =
                store::scan_collection(&dir, &index.settings, index.rescan)?;
            warnings.extend(cache_warnings);
            let mut library = scanned.library;
            if !config.show_drafts {
                library.retain(|p| !p.meta.draft);
            }
            Ok((library, dir.display().to_string()))
        }
        None => Ok((samples::library(), samples::LABEL.to_string())),
    }
}

/// Writes each warning as one `folio: warning:` line, with nothing from a path or a
/// post reaching the terminal raw.
pub fn write_warnings(warnings: &[String], err: &mut impl Write) -> Result<()> {
    for warning in warnings {
        writeln!(
            err,
            "folio: warning: {}",
            crate::ui::clip_to_width(warning, usize::MAX)
        )
        .context("cannot write to stderr")?;
    }
    Ok(())
}

/// `--tag` values as chips: every tag must match; blank ones are ignored.
pub fn tag_chips(tags: &[String]) -> Chips {
    Chips {
        tags: tags
            .iter()
            .filter(|t| !t.trim().is_empty())
            .cloned()
            .collect(),
        ..Chips::default()
    }
}

/// A post path must name a regular file: a folder or a device is refused up front with
/// a message that says so, rather than whatever reading it would fail with.
pub fn check_readable_file(path: &Path) -> Result<()> {
    let meta =
        std::fs::metadata(path).with_context(|| format!("cannot open {}", path.display()))?;
    if !meta.is_file() {
        bail!("{} is not a regular file", path.display());
    }
    Ok(())
}

/// The most of stdin read as a post: more is refused rather than held in memory.
pub const STDIN_LIMIT: u64 = 64 * 1024 * 1024;

/// Stdin is read whole, but never more than a post could sensibly be.
pub fn read_stdin(stdin: impl Read) -> Result<Vec<u8>> {
    let mut bytes = Vec::new();
    stdin
        .take(STDIN_LIMIT + 1)
        .read_to_end(&mut bytes)
        .context("cannot read stdin")?;
    if bytes.len() as u64 > STDIN_LIMIT {
        bail!("stdin: more than {} MiB, not shown", STDIN_LIMIT >> 20);
    }
    Ok(bytes)
}

//! The subcommands, one file each. A command gets its arguments, the setup it needs and
//! the writers its output goes to; what stdout is (a terminal or a pipe, how wide) is
//! found once in `main` and handed in as [`Surroundings`], so a test can run any command
//! in process, into a `Vec<u8>`, as if on a terminal or in a pipe.

pub mod bookmarks;
pub mod check;
pub mod completions;
pub mod config;
pub mod json;
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
use crate::memory::Memory;
use crate::samples;
use crate::store;
use crate::store::state::{self, StateStore};

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
    /// How to learn whether the terminal draws pictures (`folio print`).
    pub graphics: GraphicsProbe,
}

/// Asks the terminal how it draws pictures, under the config's `images:` setting; only
/// called when the answer matters (print to a terminal, images not turned off). Tests
/// put in the answer they want; the default knows of no pictures.
#[derive(Debug, Clone, Copy)]
pub struct GraphicsProbe(
    pub fn(crate::images::detect::ImagesSetting) -> Option<crate::images::detect::Graphics>,
);

impl Default for GraphicsProbe {
    fn default() -> Self {
        GraphicsProbe(|_| None)
    }
}

/// A probe is a way of asking, not data: any two count as equal.
impl PartialEq for GraphicsProbe {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl Eq for GraphicsProbe {}

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

/// How a command uses the reading memory (`store::state`): where it is kept, and
/// whether it is on at all (`remember: false` in the config or `--no-remember` turn it
/// off: then nothing is read or written, and no file is made).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MemoryUse {
    pub settings: store::Settings,
    pub remember: bool,
}

impl MemoryUse {
    /// The user's data folder (`FOLIO_DATA_DIR` overrides it); on unless the config or
    /// the command line turned it off.
    pub fn from_env(config: &Config, no_remember: bool) -> MemoryUse {
        MemoryUse {
            settings: state::settings_from_env(),
            remember: config.remember && !no_remember,
        }
    }

    /// No reading memory at all.
    pub fn off() -> MemoryUse {
        MemoryUse {
            settings: store::Settings {
                dir: None,
                busy_timeout: store::DEFAULT_BUSY_TIMEOUT,
            },
            remember: false,
        }
    }

    /// What the TUI starts with for the collection at `root` (`None`: the bundled
    /// samples): the memory and the store its changes go to. Disabled memory and no
    /// store when memory is off or its store cannot be used (why is in `warnings`).
    pub fn start(
        &self,
        root: Option<&Path>,
        warnings: &mut Vec<String>,
    ) -> (Memory, Option<StateStore>) {
        if !self.remember {
            return (Memory::default(), None);
        }
        state::start(&self.settings, root, warnings)
    }

    /// The memory of the collection at `root` for a command that only reads it:
    /// disabled when memory is off or cannot be read; empty where none was ever kept
    /// (and no database is made for it).
    pub fn peek(&self, root: Option<&Path>, warnings: &mut Vec<String>) -> Memory {
        if !self.remember {
            return Memory::default();
        }
        state::peek(&self.settings, root, warnings)
    }

    /// Why a command that needs the memory cannot have it, once its warnings (if any)
    /// are out.
    pub fn unavailable(&self) -> &'static str {
        if self.remember {
            "reading memory could not be read"
        } else {
            "reading memory is off (`remember: false` or --no-remember)"
        }
    }
}

/// The folder of the collection a command is about: the one given, else the config's
/// `collection`; `None`: the bundled samples.
pub fn collection_dir(dir: Option<PathBuf>, config: &Config) -> Option<PathBuf> {
    dir.or_else(|| config.collection.clone())
}

/// The collection to use: the folder given, else the config's `collection`, else the
/// bundled samples. Returns the library and how to name it. A folder is read as it is
/// on disk, the index cache sparing only the reading of files that did not change;
/// problems with the cache are added to the library's warnings.
pub fn collection(dir: Option<PathBuf>, config: &Config) -> Result<(Library, String)> {
    let mut warnings = Vec::new();
    let (mut library, label, saving) =
        collection_indexed(dir, config, &IndexUse::from_env(false), &mut warnings)?;
    warnings.extend(saving.finish());
    // They hold the library's own already.
    library.warnings = warnings;
    Ok((library, label))
}

/// [`collection`], using the index cache as `index` says; its problems and what the
/// walk left out (a folder that could not be read, a file that is not a regular one),
/// one line each, go to `warnings`. The cache is written while the caller goes on; the
/// problems with writing it come from [`store::Saving::finish`]. The bundled samples
/// have no folder and no cache.
pub fn collection_indexed(
    dir: Option<PathBuf>,
    config: &Config,
    index: &IndexUse,
    warnings: &mut Vec<String>,
) -> Result<(Library, String, store::Saving)> {
    match collection_dir(dir, config) {
        Some(dir) => {
            let (mut library, cache_warnings, saving) =
                store::scan_collection_saving(&dir, &index.settings, index.rescan)?;
            warnings.extend(library.warnings.iter().cloned());
            warnings.extend(cache_warnings);
            if !config.show_drafts {
                library.retain(|p| !p.meta.draft);
            }
            Ok((library, dir.display().to_string(), saving))
        }
        None => Ok((
            samples::library(),
            samples::LABEL.to_string(),
            store::Saving::none(),
        )),
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

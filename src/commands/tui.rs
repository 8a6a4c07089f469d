//! `folio [FOLDER]` and `folio FILE` on a terminal: the interactive reader. Unlike the
//! other commands these own the terminal, so they write to no `Write`; what they add
//! is choosing the library and the first screen.

use std::io::Read;
use std::path::{Path, PathBuf};

use anyhow::{Result, bail};

use super::MemoryUse;
use super::{Surroundings, check_readable_file, collection, read_stdin, tag_chips};
use crate::app::change::IndexStatus;
use crate::app::{Action, App, Effect};
use crate::indexer;
use crate::library::{Library, Post};
use crate::setup::Setup;
use crate::store::state::StateStore;
use crate::terminal;

/// How the TUI starts, from the command line.
#[derive(Debug, Clone, Copy, Default)]
pub struct StartOptions {
    /// `--rescan`: the cached index is not used.
    pub rescan: bool,
    /// `--no-remember`: no reading memory this run.
    pub no_remember: bool,
}

/// The post list of `dir` (else the config's collection, else the samples), filtered
/// to `tags` when given. A folder's list comes from the cached index at once and is
/// checked against the folder beside the event loop ([`indexer`]); `--rescan` ignores
/// the cache.
pub fn browse(
    dir: Option<PathBuf>,
    tags: &[String],
    setup: &Setup,
    surroundings: &Surroundings,
    options: StartOptions,
) -> Result<()> {
    let rescan = options.rescan;
    let dir = dir.or_else(|| setup.config.collection.clone());
    if let Some(dir) = &dir {
        indexer::check_root(dir)?;
    }
    if !surroundings.stdout_is_terminal {
        bail!("the post list needs a terminal; use `folio list` for a plain listing");
    }
    let (mut app, job) = match dir.clone() {
        Some(dir) => {
            let mut warnings = Vec::new();
            let settings = crate::store::Settings::from_env();
            let (mut library, job) = indexer::prepare(&dir, &settings, rescan, &mut warnings);
            if !setup.config.show_drafts {
                library.retain(|p| !p.meta.draft);
            }
            let mut app = app(library, dir.display().to_string(), setup);
            for warning in warnings {
                app.say(warning);
            }
            app.index_status = if job.warm {
                IndexStatus::Checking
            } else {
                IndexStatus::Indexing
            };
            (app, Some(job))
        }
        None => {
            let (library, label) = collection(None, &setup.config)?;
            (app(library, label, setup), None)
        }
    };
    // The check's analyses are kept with the index; `--rescan` reads every file again.
    let settings = crate::store::Settings::from_env();
    app.checks
        .keep_in(crate::store::AnalysisStore::open(&settings), rescan);
    let chips = tag_chips(tags);
    if !chips.is_empty() {
        app.set_chips(chips);
    }
    let store = remember(&mut app, dir.as_deref(), setup, options);
    terminal::run(app, &setup.theme, None, job, store)
}

/// Loads the reading memory of the collection at `root` (`None`: the samples) into
/// `app`, selecting the post that was open last; returns the store its changes go to.
fn remember(
    app: &mut App,
    root: Option<&Path>,
    setup: &Setup,
    options: StartOptions,
) -> Option<StateStore> {
    let mut warnings = Vec::new();
    let (memory, store) =
        MemoryUse::from_env(&setup.config, options.no_remember).start(root, &mut warnings);
    app.memory = memory;
    for warning in warnings {
        app.say(warning);
    }
    if let Some(last) = app.memory.recent.front().cloned()
        && app.library.contains(&last)
    {
        app.select(last);
    }
    store
}

/// The reader on `path` (`-`: `stdin`), with its folder's posts behind it: from the
/// cached index at once, checked against the folder after the first frame. The file
/// itself is read now, cached or not.
pub fn open_file(
    path: &Path,
    setup: &Setup,
    stdin: impl Read,
    options: StartOptions,
) -> Result<()> {
    if path.as_os_str() == "-" {
        // The library holds embedded posts as `'static` bytes; stdin is read once per
        // run, so leaking it costs nothing the process would not hold anyway.
        let bytes: &'static [u8] = Box::leak(read_stdin(stdin)?.into_boxed_slice());
        let library = Library::from_embedded(PathBuf::from("stdin"), &[("stdin", bytes)]);
        let id = library.posts().first().map(|p| p.id.clone());
        // What is piped in has no place to be remembered by.
        let app = app(library, "stdin".to_string(), setup);
        return terminal::run(app, &setup.theme, id.map(Effect::OpenPost), None, None);
    }
    check_readable_file(path)?;
    let folder = collection_folder_of(path);
    let mut warnings = Vec::new();
    let settings = crate::store::Settings::from_env();
    let (mut library, job) = indexer::prepare(&folder, &settings, false, &mut warnings);
    let id = match library.id_of_path(path) {
        Some(id) => id,
        None => {
            let rel = path.strip_prefix(&folder).unwrap_or(path).to_path_buf();
            library.insert_sorted(Post::load(path, rel))
        }
    };
    let mut app = app(library, folder.display().to_string(), setup);
    app.checks
        .keep_in(crate::store::AnalysisStore::open(&settings), false);
    for warning in warnings {
        app.log_only(warning);
    }
    app.index_status = if job.warm {
        IndexStatus::Checking
    } else {
        IndexStatus::Indexing
    };
    let store = remember(&mut app, Some(&folder), setup, options);
    terminal::run(
        app,
        &setup.theme,
        Some(Effect::OpenPost(id)),
        Some(job),
        store,
    )
}

/// The TUI's start-up: a bad config or configured theme is a warning, not a stop; the
/// status bar says so and the messages page (`!`) lists each problem.
pub fn app(library: Library, label: String, setup: &Setup) -> App {
    let mut app = App::new(library, label, (80, 24));
    app.prefs.catalog = setup.catalog.clone();
    app.configure(&setup.config, setup.theme.clone());
    for warning in &setup.warnings {
        app.say(warning.clone());
    }
    if setup.warnings.len() > 1 {
        let key = app.key_for(Action::Messages);
        app.message = Some(format!(
            "{} problems in the config, each left out; {key} shows them all",
            setup.warnings.len()
        ));
    }
    app
}

/// The folder whose list "back" shows: the file's folder, or for a page bundle
/// (`post/index.md`) the folder holding the bundle.
fn collection_folder_of(path: &Path) -> PathBuf {
    let parent = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let is_bundle = path.file_stem().is_some_and(|s| s == "index");
    match parent.parent() {
        Some(grand) if is_bundle && !grand.as_os_str().is_empty() => grand.to_path_buf(),
        _ => parent,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn back_from_a_file_goes_to_its_folder_or_its_bundles_folder() {
        let folder = |p: &str| collection_folder_of(Path::new(p));
        assert_eq!(folder("posts/a.md"), Path::new("posts"));
        assert_eq!(folder("a.md"), Path::new("."));
        assert_eq!(folder("posts/x/index.md"), Path::new("posts"));
        assert_eq!(folder("x/index.md"), Path::new("x"));
        assert_eq!(folder("index.md"), Path::new("."));
    }

    #[test]
    fn browsing_without_a_terminal_is_refused_after_the_folder_is_checked() {
        let setup = crate::setup::load_in(
            None,
            crate::theme::ColorDepth::NoColor,
            None,
            crate::setup::Strictness::Lenient,
        )
        .expect("setup");
        let piped = Surroundings::default();
        let start = StartOptions::default();
        let err = browse(None, &[], &setup, &piped, start).expect_err("no terminal");
        assert!(err.to_string().contains("folio list"), "{err}");
        let missing = PathBuf::from("/no/such/folder");
        let err = browse(Some(missing), &[], &setup, &piped, start).expect_err("missing");
        assert!(err.to_string().contains("/no/such/folder"), "{err}");
    }
}

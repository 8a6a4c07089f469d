//! folio's entry point: parse the command line, pick a mode (TUI, print, list, tags),
//! and turn any error into one clear line and an exit code (0 fine, 1 runtime error,
//! 2 usage).

use std::io::{self, IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use clap::Parser;

use folio::app::{App, Effect};
use folio::cli::{Cli, ColorChoice, Command, ConfigArgs, ListArgs, PrintArgs, TagsArgs};
use folio::config::Config;
use folio::library::query::{self, Chips, Searcher};
use folio::library::{Library, Post, Source, front_matter, text};
use folio::markdown::{self, HighlightMode, LayoutOptions};
use folio::setup::{self, Setup, Strictness};
use folio::ui::clip_to_width;
use folio::{bodies, commands, config, print, samples, terminal};

/// Layout and highlighting allocate many short strings; with mimalloc a 5 MB post prints
/// about a third faster than with the system allocator.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = Cli::parse();
    // `folio PATH COMMAND` is a mistake; clap's own check for it would also reject a
    // global option before the command (`folio --theme nord print x.md`).
    if let (Some(path), Some(_)) = (&cli.path, &cli.command) {
        <Cli as clap::CommandFactory>::command()
            .error(
                clap::error::ErrorKind::ArgumentConflict,
                format!("PATH ({}) cannot be used with a command", path.display()),
            )
            .exit();
    }
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) if is_broken_pipe(&err) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("folio: {err:#}");
            ExitCode::from(1)
        }
    }
}

/// `folio print big.md | head -1` closing the pipe early is not an error.
fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain()
        .filter_map(|e| e.downcast_ref::<io::Error>())
        .any(|e| e.kind() == io::ErrorKind::BrokenPipe)
}

fn run(cli: Cli) -> Result<()> {
    let theme = cli.theme.as_deref();
    let strict = || setup::load(theme, Strictness::Strict);
    match cli.command {
        Some(Command::Print(args)) => print_post(&args, &strict()?),
        Some(Command::List(args)) => list(&args, &strict()?.config),
        Some(Command::Tags(args)) => tags(&args, &strict()?.config),
        Some(Command::Themes) => themes(&strict()?),
        Some(Command::Config(args)) => config_command(&args),
        None => match cli.path {
            Some(path) if path.as_os_str() == "-" || !path.is_dir() => open_file(&path, theme),
            dir => browse(dir, theme, &cli.tags),
        },
    }
}

/// The collection to use: the folder given, else the config's `collection`, else the
/// bundled samples. Returns the library and how to name it.
fn collection(dir: Option<PathBuf>, config: &Config) -> Result<(Library, String)> {
    let dir = dir.or_else(|| config.collection.clone());
    match dir {
        Some(dir) => {
            let mut library = Library::scan(&dir)?;
            if !config.show_drafts {
                library.posts.retain(|p| !p.meta.draft);
            }
            Ok((library, dir.display().to_string()))
        }
        None => Ok((samples::library(), samples::LABEL.to_string())),
    }
}

/// The TUI's start-up: a bad config or configured theme is a warning, not a stop.
fn tui_app(library: Library, label: String, setup: &Setup) -> App {
    let mut app = App::new(library, label, (80, 24));
    app.prefs.catalog = setup.catalog.clone();
    app.configure(&setup.config, setup.theme.clone());
    if !setup.warnings.is_empty() {
        app.say(setup.warnings.join("; "));
    }
    app
}

/// `--tag` values as chips: every tag must match; blank ones are ignored.
fn tag_chips(tags: &[String]) -> Chips {
    Chips {
        tags: tags
            .iter()
            .filter(|t| !t.trim().is_empty())
            .cloned()
            .collect(),
        ..Chips::default()
    }
}

fn browse(dir: Option<PathBuf>, theme: Option<&str>, tags: &[String]) -> Result<()> {
    let setup = setup::load(theme, Strictness::Lenient)?;
    let (library, label) = collection(dir, &setup.config)?;
    if !io::stdout().is_terminal() {
        bail!("the post list needs a terminal; use `folio list` for a plain listing");
    }
    let mut app = tui_app(library, label, &setup);
    let chips = tag_chips(tags);
    if !chips.is_empty() {
        app.set_chips(chips);
    }
    terminal::run(app, &setup.theme, None)
}

/// `folio FILE`: the reader on that file, with its folder's posts behind it; or, when
/// stdout is not a terminal, the same as `folio print FILE`.
fn open_file(path: &Path, theme: Option<&str>) -> Result<()> {
    if !io::stdout().is_terminal() {
        let setup = setup::load(theme, Strictness::Strict)?;
        let args = PrintArgs {
            file: path.to_path_buf(),
            width: None,
            color: ColorChoice::Auto,
        };
        return print_post(&args, &setup);
    }
    let setup = setup::load(theme, Strictness::Lenient)?;
    let (library, label, index) = if path.as_os_str() == "-" {
        let bytes: &'static [u8] = Box::leak(read_stdin()?.into_boxed_slice());
        let library = Library::from_embedded(PathBuf::from("stdin"), &[("stdin", bytes)]);
        (library, "stdin".to_string(), 0)
    } else {
        check_readable_file(path)?;
        let folder = collection_folder_of(path);
        let mut library = Library::scan(&folder).unwrap_or_else(|_| Library {
            root: folder.clone(),
            ..Library::default()
        });
        let index = match library.position_of(path) {
            Some(index) => index,
            None => {
                let rel = path.strip_prefix(&folder).unwrap_or(path).to_path_buf();
                library.insert_sorted(Post::load(path, rel))
            }
        };
        (library, folder.display().to_string(), index)
    };
    let app = tui_app(library, label, &setup);
    terminal::run(app, &setup.theme, Some(Effect::OpenPost(index)))
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

fn check_readable_file(path: &Path) -> Result<()> {
    let meta =
        std::fs::metadata(path).with_context(|| format!("cannot open {}", path.display()))?;
    if !meta.is_file() {
        bail!("{} is not a regular file", path.display());
    }
    Ok(())
}

/// Stdin is read whole, but never more than a post could sensibly be.
fn read_stdin() -> Result<Vec<u8>> {
    const LIMIT: u64 = 64 * 1024 * 1024;
    let mut bytes = Vec::new();
    io::stdin()
        .take(LIMIT + 1)
        .read_to_end(&mut bytes)
        .context("cannot read stdin")?;
    if bytes.len() as u64 > LIMIT {
        bail!("stdin: more than 64 MiB, not shown");
    }
    Ok(bytes)
}

fn print_post(args: &PrintArgs, setup: &Setup) -> Result<()> {
    let stdout = io::stdout();
    let is_tty = stdout.is_terminal();
    let (meta, body, base_dir) = if args.file.as_os_str() == "-" {
        let decoded = text::decode(&read_stdin()?);
        if decoded.binary {
            bail!("stdin: binary data, not shown");
        }
        let (meta, body, _) = front_matter::split_body(decoded.text);
        (meta, body, None)
    } else {
        check_readable_file(&args.file)?;
        let post = Post::load(&args.file, args.file.clone());
        if post.warnings.iter().any(|w| w.contains("binary")) {
            bail!("{}: binary file, not shown", args.file.display());
        }
        let (meta, body, _) = post
            .body_and_meta()
            .with_context(|| format!("cannot read {}", args.file.display()))?;
        let base_dir = match &post.source {
            Source::File(p) => p.parent().map(Path::to_path_buf),
            Source::Embedded(_) => None,
        };
        (meta, body, base_dir)
    };
    // On a terminal, the config's reading width caps the terminal's, as in the reader.
    let reading = |w: usize| match setup.config.width {
        0 => w,
        cap => w.min(cap),
    };
    let width = args
        .width
        .or_else(|| {
            is_tty
                .then(|| {
                    crossterm::terminal::size()
                        .ok()
                        .map(|(w, _)| reading(usize::from(w)))
                })
                .flatten()
        })
        .unwrap_or(80)
        .max(1);
    let styled = match args.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => is_tty,
    };
    let options = LayoutOptions {
        width,
        meta: Some(meta),
        base_dir,
        code_theme: setup.theme.code_theme().map(str::to_string),
        numbered_links: true,
        // Colours that will not be printed are not worth computing.
        highlight: if styled {
            HighlightMode::Eager
        } else {
            HighlightMode::Off
        },
        estimated_minutes: None,
    };
    let render = |lines: &[markdown::Line], out: &mut String| {
        print::render_lines(lines, &setup.theme, styled, out)
    };
    let rendered = markdown::render_document(&body, &options, &render);
    let mut lock = stdout.lock();
    rendered
        .parts()
        .iter()
        .try_for_each(|part| lock.write_all(part.as_bytes()))
        .and_then(|()| lock.flush())
        .context("cannot write to stdout")?;
    // The process ends here; freeing the text would only delay it.
    std::mem::forget(rendered);
    Ok(())
}

fn list(args: &ListArgs, config: &Config) -> Result<()> {
    let (library, _) = collection(args.dir.clone(), config)?;
    // The same search the TUI runs for these chips and this line, so the same order.
    let search = query::parse(args.search.as_deref().unwrap_or_default());
    let bodies = if args.full_text {
        bodies::read_all(&library)
    } else {
        Vec::new()
    };
    let hits =
        Searcher::new(&library).search(&tag_chips(&args.tags), &search, args.full_text, &bodies);
    let posts = hits
        .iter()
        .filter_map(|hit| library.posts.get(hit.post).map(|post| (hit, post)));
    let snippet = |hit: &query::Hit| {
        let text = hit.text.as_ref()?;
        let s = text.snippet(bodies.get(hit.post)?.as_ref()?);
        Some((text.count, format!("{}{}{}", s.before, s.hit, s.after)))
    };
    let mut out = String::new();
    if args.json {
        let array: Vec<serde_json::Value> = posts
            .map(|(hit, post)| {
                let mut json = post.to_json();
                if let (Some((count, text)), Some(map)) = (snippet(hit), json.as_object_mut()) {
                    map.insert("hits".into(), count.into());
                    map.insert("snippet".into(), text.into());
                }
                json
            })
            .collect();
        out = serde_json::to_string_pretty(&array)?;
        out.push('\n');
    } else {
        for (hit, post) in posts {
            let clean = |s: &str| clip_to_width(s, usize::MAX);
            let date = post.date_ymd().unwrap_or_else(|| "----------".into());
            let tags: Vec<String> = post
                .meta
                .tags
                .iter()
                .map(|t| format!("#{}", clean(t)))
                .collect();
            out.push_str(&format!(
                "{date}  {}  {}  {}",
                clean(&post.title),
                tags.join(" "),
                clean(&post.rel_path.display().to_string())
            ));
            if post.meta.draft {
                out.push_str("  [draft]");
            }
            for warning in &post.warnings {
                out.push_str(&format!("  ⚠ {}", clean(warning)));
            }
            if let Some((count, text)) = snippet(hit) {
                out.push_str(&format!("  ({count}×) {}", clean(&text)));
            }
            out.push('\n');
        }
    }
    io::stdout()
        .lock()
        .write_all(out.as_bytes())
        .context("cannot write to stdout")?;
    Ok(())
}

fn tags(args: &TagsArgs, config: &Config) -> Result<()> {
    let (library, _) = collection(args.dir.clone(), config)?;
    let tags = library.tags();
    let out = if args.json {
        let array: Vec<serde_json::Value> = tags
            .iter()
            .map(|t| serde_json::json!({ "name": t.name, "count": t.count }))
            .collect();
        serde_json::to_string_pretty(&array)? + "\n"
    } else {
        tags.iter()
            .map(|t| format!("{:>5}  {}\n", t.count, clip_to_width(&t.name, usize::MAX)))
            .collect()
    };
    io::stdout()
        .lock()
        .write_all(out.as_bytes())
        .context("cannot write to stdout")?;
    Ok(())
}

/// `folio themes`: every theme with a sample line, coloured when stdout is a terminal.
fn themes(setup: &Setup) -> Result<()> {
    let depth = io::stdout().is_terminal().then(|| setup.theme.depth());
    let entries = setup.catalog.entries();
    let out = commands::themes_listing(&entries, setup.theme.name(), depth);
    io::stdout()
        .lock()
        .write_all(out.as_bytes())
        .context("cannot write to stdout")?;
    Ok(())
}

/// `folio config --path | --init`.
fn config_command(args: &ConfigArgs) -> Result<()> {
    let Some(path) = config::config_path() else {
        bail!("no config folder: set FOLIO_CONFIG_DIR or HOME");
    };
    let out = if args.init {
        commands::config_init(&path).with_context(|| format!("cannot write {}", path.display()))?
    } else {
        format!("{}\n", path.display())
    };
    io::stdout()
        .lock()
        .write_all(out.as_bytes())
        .context("cannot write to stdout")?;
    Ok(())
}

//! folio's entry point: parse the command line, pick a mode (TUI, print, list, tags),
//! and turn any error into one clear line and an exit code (0 fine, 1 runtime error,
//! 2 usage).

use std::io::{self, IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use clap::Parser;

use folio::app::{App, Effect};
use folio::cli::{Cli, Command, ListArgs, PrintArgs, TagsArgs};
use folio::library::query::{self, Chips, Searcher};
use folio::library::{Library, Post, Source, front_matter, text};
use folio::markdown::{self, LayoutOptions};
use folio::theme::Theme;
use folio::ui::clip_to_width;
use folio::{bodies, config, print, samples, terminal};

fn main() -> ExitCode {
    let cli = Cli::parse();
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

fn theme() -> Theme {
    let theme = Theme::dark();
    if Theme::no_color_requested() {
        theme.without_color()
    } else {
        theme
    }
}

fn run(cli: Cli) -> Result<()> {
    match cli.command {
        Some(Command::Print(args)) => print_post(&args),
        Some(Command::List(args)) => list(&args),
        Some(Command::Tags(args)) => tags(&args),
        None => match cli.path {
            Some(path) if path.as_os_str() == "-" || !path.is_dir() => open_file(&path),
            dir => browse(dir, &cli.tags),
        },
    }
}

/// The collection to use: the folder given, else the config's `collection`, else the
/// bundled samples. Returns the library and how to name it.
fn collection(dir: Option<PathBuf>) -> Result<(Library, String)> {
    let dir = match dir {
        Some(dir) => Some(dir),
        None => config::load()?.collection,
    };
    match dir {
        Some(dir) => {
            let library = Library::scan(&dir)?;
            Ok((library, dir.display().to_string()))
        }
        None => Ok((samples::library(), samples::LABEL.to_string())),
    }
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

fn browse(dir: Option<PathBuf>, tags: &[String]) -> Result<()> {
    let (library, label) = collection(dir)?;
    if !io::stdout().is_terminal() {
        bail!("the post list needs a terminal; use `folio list` for a plain listing");
    }
    let mut app = App::new(library, label, (80, 24));
    let chips = tag_chips(tags);
    if !chips.is_empty() {
        app.set_chips(chips);
    }
    terminal::run(app, &theme(), None)
}

/// `folio FILE`: the reader on that file, with its folder's posts behind it; or, when
/// stdout is not a terminal, the same as `folio print FILE`.
fn open_file(path: &Path) -> Result<()> {
    if !io::stdout().is_terminal() {
        return print_post(&PrintArgs {
            file: path.to_path_buf(),
            width: None,
        });
    }
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
    let app = App::new(library, label, (80, 24));
    terminal::run(app, &theme(), Some(Effect::OpenPost(index)))
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

fn print_post(args: &PrintArgs) -> Result<()> {
    let stdout = io::stdout();
    let is_tty = stdout.is_terminal();
    let (meta, body, base_dir) = if args.file.as_os_str() == "-" {
        let decoded = text::decode(&read_stdin()?);
        if decoded.binary {
            bail!("stdin: binary data, not shown");
        }
        let parsed = front_matter::parse(&decoded.text);
        let body = decoded
            .text
            .get(parsed.body_start..)
            .unwrap_or_default()
            .to_string();
        (parsed.meta, body, None)
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
    let width = args
        .width
        .or_else(|| {
            is_tty
                .then(|| {
                    crossterm::terminal::size()
                        .ok()
                        .map(|(w, _)| usize::from(w))
                })
                .flatten()
        })
        .unwrap_or(80)
        .max(1);
    let document = markdown::parse(&body);
    let options = LayoutOptions {
        width,
        meta: Some(meta),
        base_dir,
        code_theme: None,
    };
    let laid = markdown::layout(&document, &options);
    let out = print::render(&laid, &theme(), is_tty);
    let mut lock = stdout.lock();
    lock.write_all(out.as_bytes())
        .context("cannot write to stdout")?;
    lock.flush().context("cannot write to stdout")?;
    Ok(())
}

fn list(args: &ListArgs) -> Result<()> {
    let (library, _) = collection(args.dir.clone())?;
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

fn tags(args: &TagsArgs) -> Result<()> {
    let (library, _) = collection(args.dir.clone())?;
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

//! folio's entry point: parse the command line, find out what stdout is, hand both to
//! the command asked for (`commands`), and turn any error into one clear line and an
//! exit code (0 fine, 1 runtime error, 2 usage).

use std::io::{self, IsTerminal};
use std::process::ExitCode;

use anyhow::Result;
use clap::Parser;

use folio::cli::{Cli, ColorChoice, Command, ImagesChoice, PrintArgs};
use folio::commands::{self, Surroundings};
use folio::setup::{self, Strictness};
use folio::ui::clip_to_width;

/// Layout and highlighting allocate many short strings; with mimalloc a 5 MB post prints
/// about a third faster than with the system allocator.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

// mimalloc.h's option setter (mimalloc is linked in as the allocator above). The
// mimalloc crate has no way to set an option, and libmimalloc-sys's bindings lack the
// purge delay's name.
unsafe extern "C" {
    safe fn mi_option_set(option: std::ffi::c_int, value: std::ffi::c_long);
}

/// Has memory the TUI frees go back to the system at once. Its threads work in bursts
/// (a long post's layout, the check, the full-text loader) and then sit idle, and
/// mimalloc purges what a thread freed only when it next allocates, a second later at
/// the soonest: what a burst let go stayed resident, about 50 MB of the 125 MB peak
/// with a 5 MB post open and 30 MB of a 60 MB post's (issue 14: peak RSS at most four
/// times the post's size plus 100 MB; scripts/bench-bigpost). Purging at once costs
/// nothing measurable (the 5 MB post printed: 2.29 s against 2.21 s, hyperfine).
fn purge_freed_memory_at_once() {
    // mi_option_purge_delay: 15 in mimalloc v2 and v3 alike (the enum keeps retired
    // options in their places so that the numbers do not move).
    const MI_OPTION_PURGE_DELAY: std::ffi::c_int = 15;
    mi_option_set(MI_OPTION_PURGE_DELAY, 0);
}

/// Has the memory folio touches come in 4 KiB pages, never in transparent huge pages.
/// mimalloc advises huge pages on its arenas, and each first touch of one has the
/// kernel clear 2 MiB. On the 2-core machine a warm start on 100,000 posts drew its
/// first frame in 382–1211 ms with them (median 870) and 472–633 ms without (median
/// 550), alternated eight times; a cold `folio list` of 10,000 posts used half the
/// memory in the same time, and a coloured print of the 5 MB post 55 MB instead of 77.
fn no_huge_pages() {
    // mi_option_allow_thp: mimalloc no longer advises huge pages on what it maps.
    const MI_OPTION_ALLOW_THP: std::ffi::c_int = 43;
    mi_option_set(MI_OPTION_ALLOW_THP, 0);
    // And the kernel gives the process none, whatever was advised before this ran (as
    // mimalloc itself does when MIMALLOC_ALLOW_THP=0 is set before it starts).
    #[cfg(target_os = "linux")]
    let _ = rustix::thread::disable_transparent_huge_pages(true);
}

fn main() -> ExitCode {
    no_huge_pages();
    let cli = Cli::try_parse().unwrap_or_else(|err| usage_error(&err));
    // `folio PATH COMMAND` is a mistake; clap's own check for it would also reject a
    // global option before the command (`folio --theme nord print x.md`).
    if let (Some(path), Some(_)) = (&cli.path, &cli.command) {
        let err = plain_command().error(
            clap::error::ErrorKind::ArgumentConflict,
            format!("PATH ({}) cannot be used with a command", path.display()),
        );
        exit_with_usage(&err.render().ansi().to_string(), err.exit_code());
    }
    match run(cli, &surroundings()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) if is_broken_pipe(&err) => ExitCode::SUCCESS,
        // `folio check`'s report has said what failed.
        Err(err) if err.is::<commands::check::Failed>() => ExitCode::from(1),
        Err(err) => {
            // One line, and nothing from a file name or a post reaches the terminal raw.
            eprintln!("folio: {}", clip_to_width(&format!("{err:#}"), usize::MAX));
            ExitCode::from(1)
        }
    }
}

/// Ends folio on a command-line mistake (exit 2), as clap would, but with the message
/// sanitized: clap quotes what was typed, and a file name from a glob (`folio print *`)
/// can carry escape codes, which clap passes to a terminal as they are. Help and the
/// version hold nothing typed and go out as clap writes them.
fn usage_error(err: &clap::Error) -> ! {
    use clap::error::ErrorKind;
    if matches!(
        err.kind(),
        ErrorKind::DisplayHelp
            | ErrorKind::DisplayVersion
            | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
    ) {
        err.exit();
    }
    // The same mistake found again without clap's styles, so that every escape code
    // left in the message is one that was typed, and is shown as a marker, not dropped.
    let text = match plain_command().try_get_matches() {
        Err(plain) if plain.kind() == err.kind() => plain.render().ansi().to_string(),
        // Not found again (it came from past the parse): clap's text with every escape
        // code dropped, its styles and whatever was typed alike.
        _ => err.render().to_string(),
    };
    exit_with_usage(&text, err.exit_code());
}

/// Writes a usage error's plain text, each line sanitized, and exits with `code`.
fn exit_with_usage(text: &str, code: i32) -> ! {
    let lines: Vec<String> = text
        .lines()
        .map(|line| clip_to_width(line, usize::MAX))
        .collect();
    eprintln!("{}", lines.join("\n").trim_end());
    std::process::exit(code);
}

/// folio's command line with clap's styles off: its errors are plain text.
fn plain_command() -> clap::Command {
    <Cli as clap::CommandFactory>::command().styles(clap::builder::Styles::plain())
}

/// The one place that looks at the real stdout and the environment.
fn surroundings() -> Surroundings {
    let stdout_is_terminal = io::stdout().is_terminal();
    Surroundings {
        stdout_is_terminal,
        terminal_columns: stdout_is_terminal
            .then(|| {
                crossterm::terminal::size()
                    .ok()
                    .map(|(w, _)| usize::from(w))
            })
            .flatten(),
        columns_var: std::env::var("COLUMNS").ok(),
        graphics: commands::GraphicsProbe(folio::images::query::graphics),
    }
}

/// `folio print big.md | head -1` closing the pipe early is not an error.
fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain()
        .filter_map(|e| e.downcast_ref::<io::Error>())
        .any(|e| e.kind() == io::ErrorKind::BrokenPipe)
}

fn run(cli: Cli, surroundings: &Surroundings) -> Result<()> {
    let theme = cli.theme.as_deref();
    // What the command line says over the config.
    let flags = |mut setup: setup::Setup| {
        if let Some(columns) = cli.ambiguous_width {
            setup.config.ambiguous_width = columns;
        }
        setup
    };
    let strict = || setup::load(theme, Strictness::Strict).map(flags);
    let lenient = || setup::load(theme, Strictness::Lenient).map(flags);
    let start = commands::tui::StartOptions {
        rescan: cli.rescan,
        no_remember: cli.no_remember,
    };
    let index = commands::IndexUse::from_env(cli.rescan);
    // Locked per command: the TUI writes to stdout through its own handle.
    let stdout = || io::stdout().lock();
    let print = |args: &PrintArgs| {
        let (stdin, stderr) = (io::stdin(), &mut io::stderr());
        commands::print::run(args, &strict()?, surroundings, stdin, &mut stdout(), stderr)
    };
    match cli.command {
        Some(Command::Print(args)) => print(&args),
        Some(Command::List(args)) => {
            let config = strict()?.config;
            let memory = commands::MemoryUse::from_env(&config, cli.no_remember);
            let (out, err) = (&mut stdout(), &mut io::stderr());
            commands::list::run(&args, &config, &index, &memory, out, err)
        }
        Some(Command::Bookmarks(args)) => {
            let config = strict()?.config;
            let memory = commands::MemoryUse::from_env(&config, cli.no_remember);
            let (out, err) = (&mut stdout(), &mut io::stderr());
            commands::bookmarks::run(&args, &config, &index, &memory, out, err)
        }
        Some(Command::Tags(args)) => {
            let config = strict()?.config;
            commands::tags::run(&args, &config, &index, &mut stdout(), &mut io::stderr())
        }
        Some(Command::Check(args)) => {
            let config = strict()?.config;
            let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
            let (out, err) = (&mut stdout(), &mut io::stderr());
            commands::check::run(&args, &config, surroundings, no_color, out, err)
        }
        Some(Command::Themes) => commands::themes::run(&strict()?, surroundings, &mut stdout()),
        Some(Command::Completions(args)) => commands::completions::run(args.shell, &mut stdout()),
        Some(Command::Man) => commands::man::run(&mut stdout()),
        Some(Command::Config(args)) => commands::config::run(
            &args,
            folio::config::config_path().as_deref(),
            &mut stdout(),
        ),
        None => match cli.path {
            // A file into a pipe is printed, as `folio print FILE` would.
            Some(file) if !surroundings.stdout_is_terminal && !file.is_dir() => print(&PrintArgs {
                file,
                width: None,
                color: ColorChoice::Auto,
                images: ImagesChoice::Auto,
            }),
            Some(file) if file.as_os_str() == "-" || !file.is_dir() => {
                purge_freed_memory_at_once();
                commands::tui::open_file(&file, &lenient()?, io::stdin(), start)
            }
            dir => {
                purge_freed_memory_at_once();
                commands::tui::browse(dir, &cli.tags, &lenient()?, surroundings, start)
            }
        },
    }
}

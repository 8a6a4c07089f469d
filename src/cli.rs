//! Command-line interface definitions (clap). `main` turns these into a mode.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(
    name = "folio",
    version,
    about = "A terminal reader for a local collection of Markdown blog posts",
    long_about = "A terminal reader for a local collection of Markdown blog posts.\n\n\
        With a folder, browse its posts; with a file, read it (printed when stdout is not a terminal).\n\
        With no PATH, the `collection` from the config file, else the bundled sample posts."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,

    /// A folder of posts, or one post file (any extension; `-` reads stdin)
    pub path: Option<PathBuf>,

    /// Theme: a name from `folio themes`, `auto`, or a theme file's path
    #[arg(long, global = true, value_name = "NAME")]
    pub theme: Option<String>,
    /// Read every post again instead of trusting the index cache for unchanged files
    /// (the cache is then rewritten)
    #[arg(long, global = true)]
    pub rescan: bool,
    /// Remember nothing this run: no reading positions, read marks, bookmarks or
    /// recent posts are read or written (as `remember: false` in the config)
    #[arg(long, global = true)]
    pub no_remember: bool,
    /// Columns the terminal draws East Asian Ambiguous characters (“ ” … — ·, box
    /// drawing) in: 1 in most terminals, 2 in those set up for CJK (as
    /// `ambiguous_width` in the config)
    #[arg(long, global = true, value_name = "1|2", value_parser = clap::value_parser!(u8).range(1..=2))]
    pub ambiguous_width: Option<u8>,
    /// Start with the list showing only posts with this tag (repeat for several; all
    /// must match; case-insensitive)
    #[arg(long = "tag", short = 't', value_name = "TAG")]
    pub tags: Vec<String>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Render a post to stdout
    Print(PrintArgs),
    /// List the posts of a collection, newest first
    List(ListArgs),
    /// List the tags of a collection with their post counts
    Tags(TagsArgs),
    /// List the bookmarks made in the reader (`M`), newest first
    Bookmarks(BookmarksArgs),
    /// Check posts for problems before publishing (broken links and images, front
    /// matter that does not parse, duplicate slugs, ...); exit 1 when errors are found
    Check(CheckArgs),
    /// List the themes, each with a sample line in its colours
    Themes,
    /// Where the config file is, or create a commented one
    Config(ConfigArgs),
    /// Print a shell completion script (e.g. `folio completions bash >
    /// ~/.local/share/bash-completion/completions/folio`)
    Completions(CompletionsArgs),
    /// Print the man page, as roff (e.g. `folio man > ~/.local/share/man/man1/folio.1`)
    Man,
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to complete in
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

#[derive(Debug, Args)]
#[group(required = true, multiple = false)]
pub struct ConfigArgs {
    /// Print the config file's path
    #[arg(long)]
    pub path: bool,
    /// Write a commented default config file (never overwrites an existing one)
    #[arg(long)]
    pub init: bool,
}

#[derive(Debug, Args)]
pub struct PrintArgs {
    /// The post to render (`-` reads stdin)
    pub file: PathBuf,
    /// Columns to lay out at. Without it: on a terminal, its width capped by the config's
    /// `width`; into a pipe or file, `COLUMNS` (a positive whole number), then the
    /// config's `width` (100 unless set; 0: none), then 80. At most 1000: more is
    /// taken as 1000, with a note
    #[arg(long, short)]
    pub width: Option<usize>,
    /// When to style the output with SGR escapes (NO_COLOR still removes colours)
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
    /// Pictures: drawn when stdout is a terminal that speaks kitty's or iTerm2's
    /// image protocol (auto), or only their placeholder lines (never)
    #[arg(long, value_enum, default_value_t = ImagesChoice::Auto)]
    pub images: ImagesChoice,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ImagesChoice {
    /// Drawn on a terminal that can (kitty, iTerm2), else placeholder lines
    Auto,
    /// Placeholder lines only
    Never,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ColorChoice {
    /// Styled when stdout is a terminal
    Auto,
    Always,
    Never,
}

#[derive(Debug, Args)]
pub struct ListArgs {
    /// The collection folder (default: config `collection`, else the bundled samples)
    pub dir: Option<PathBuf>,
    /// Only posts with this tag (repeat for several; all must match; case-insensitive)
    #[arg(long = "tag", short = 't', value_name = "TAG")]
    pub tags: Vec<String>,
    /// Only posts matching this search, best first, as the TUI's `/` shows them
    /// (fuzzy over title, description, tags, categories and path; `#tag` and `@category`
    /// tokens filter)
    #[arg(long, short = 's', value_name = "TEXT")]
    pub search: Option<String>,
    /// Search post bodies instead (case-insensitive; every word must occur), as the
    /// TUI's full-text mode (Tab in the search line)
    #[arg(long, requires = "search")]
    pub full_text: bool,
    /// Only posts not read yet (reading memory: a post is read once its end has been
    /// on screen, or marked with `m`)
    #[arg(long)]
    pub unread: bool,
    /// Print the index as a JSON array (with each post's `read` mark and reading
    /// `position`, a block index, when reading memory is on; else null)
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct TagsArgs {
    /// The collection folder (default: config `collection`, else the bundled samples)
    pub dir: Option<PathBuf>,
    /// Print the tags as a JSON array
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct BookmarksArgs {
    /// The collection folder (default: config `collection`, else the bundled samples)
    pub dir: Option<PathBuf>,
    /// Print the bookmarks as a JSON array
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Folders of posts and single posts to check (default: config `collection`)
    pub paths: Vec<PathBuf>,
    /// Write one JSON object per problem, one a line, instead of text
    #[arg(long)]
    pub json: bool,
    /// Fail (exit 1) on warnings as well as errors
    #[arg(long, value_enum, value_name = "warnings")]
    pub deny: Option<Deny>,
    /// Report only these checks (comma-separated codes, e.g. broken-link,missing-image)
    #[arg(long, value_delimiter = ',', value_name = "CODE")]
    pub only: Vec<crate::diagnostic::Code>,
    /// Do not report these checks (comma-separated codes)
    #[arg(long, value_delimiter = ',', value_name = "CODE")]
    pub skip: Vec<crate::diagnostic::Code>,
    /// When to style the output with SGR escapes (NO_COLOR still removes colours)
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
}

/// What `--deny` makes fail besides errors.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Deny {
    Warnings,
}

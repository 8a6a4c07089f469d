//! `folio check`: finds the posts under the paths given, hands their bytes to
//! [`crate::check`], and writes what it found as a compiler would (`path:line:col:
//! warning[code]: message`, the source line and a caret, drawn by annotate-snippets) or
//! as JSON lines for CI. Everything from a file (paths, messages quoting front matter,
//! source lines) passes through the sanitizer on its way out.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};
use anyhow::{Context, Result, bail};

use super::Surroundings;
use crate::check::{self, Counts, Input, Selection};
use crate::cli::{CheckArgs, ColorChoice, Deny};
use crate::config::Config;
use crate::diagnostic::{Diagnostic, Severity};
use crate::library::rules::is_post_name;
use crate::markdown::sanitize::{expand_tabs, sanitize_flat};

/// `folio check` found what fails it: errors, or warnings under `--deny warnings`.
/// `main` turns it into exit code 1 with nothing more said (the report said it).
#[derive(Debug, thiserror::Error)]
#[error("problems found")]
pub struct Failed;

/// A file larger than this is not read: no post is, and it bounds the memory.
const MAX_FILE: u64 = 64 * 1024 * 1024;

/// Runs the check; `no_color` is `NO_COLOR` as set. Returns [`Failed`] as the error
/// when the report fails the check.
pub fn run(
    args: &CheckArgs,
    config: &Config,
    surroundings: &Surroundings,
    no_color: bool,
    out: &mut impl Write,
    err: &mut impl Write,
) -> Result<()> {
    let paths = if args.paths.is_empty() {
        match &config.collection {
            Some(dir) => vec![dir.clone()],
            None => bail!("nothing to check: give a folder or a post (or set `collection`)"),
        }
    } else {
        args.paths.clone()
    };
    let mut warnings = Vec::new();
    let inputs = gather(&paths, config.collection.as_deref(), &mut warnings)?;
    super::write_warnings(&warnings, err)?;
    let file_count = inputs.len();
    let selection = Selection {
        only: args.only.iter().copied().collect(),
        skip: args.skip.iter().copied().collect(),
    };
    let today = check::today();
    let exists = |path: &Path| path.exists();
    let (checked, diagnostics) =
        check::check(inputs, today.as_ref(), &exists, &selection, &config.check);
    if args.json {
        for diagnostic in &diagnostics {
            out.write_all(super::json::to_terminal_json_line(&Json::from(diagnostic))?.as_bytes())
                .context("cannot write to stdout")?;
        }
    } else {
        let styled = !no_color
            && match args.color {
                ColorChoice::Always => true,
                ColorChoice::Never => false,
                ColorChoice::Auto => surroundings.stdout_is_terminal,
            };
        // `checked` is sorted by path.
        let text_of = |path: &Path| {
            checked
                .binary_search_by(|c| c.path.as_path().cmp(path))
                .ok()
                .and_then(|at| checked.get(at))
                .map_or("", |c| c.analysis.text.as_str())
        };
        // A file's lines are found once, not from its start for each problem: a long
        // post with thousands of warnings took minutes.
        let mut lines: Option<(&Path, Vec<&str>)> = None;
        for diagnostic in &diagnostics {
            let path = diagnostic.path.as_path();
            if lines.as_ref().is_none_or(|(known, _)| *known != path) {
                lines = Some((path, text_of(path).lines().collect()));
            }
            let source = lines.as_ref().map_or(&[][..], |(_, l)| l.as_slice());
            let report = render_with_lines(diagnostic, source, styled);
            writeln!(out, "{report}").context("cannot write to stdout")?;
        }
        writeln!(out, "{}", summary(file_count, Counts::of(&diagnostics)))
            .context("cannot write to stdout")?;
    }
    let counts = Counts::of(&diagnostics);
    let denied = args.deny == Some(Deny::Warnings) && counts.warnings > 0;
    // A file that could not be read was not checked: a pass would be a claim about it.
    let unread = !warnings.is_empty();
    if counts.errors > 0 || denied || unread {
        return Err(Failed.into());
    }
    Ok(())
}

/// The posts under each path: a folder is walked as the library walks a collection
/// (hidden files and ignored ones left out) and is the root of its posts; a file is
/// taken whatever its name, its root the configured collection when it is inside it;
/// else it has no collection to leave (its links are checked against the disk alone).
fn gather(
    paths: &[PathBuf],
    collection: Option<&Path>,
    warnings: &mut Vec<String>,
) -> Result<Vec<Input>> {
    let mut inputs = Vec::new();
    for path in paths {
        let meta =
            std::fs::metadata(path).with_context(|| format!("cannot read {}", path.display()))?;
        if meta.is_dir() {
            let walk = crate::library::scan::walker(path).build();
            for entry in walk {
                match entry {
                    Ok(entry)
                        if entry.file_type().is_some_and(|t| t.is_file())
                            && is_post_name(entry.path()) =>
                    {
                        read_into(entry.path(), path, &mut inputs, warnings);
                    }
                    Ok(_) => {}
                    Err(error) => warnings.push(error.to_string()),
                }
            }
        } else if !meta.is_file() {
            // A FIFO or a device would block or never end.
            warnings.push(format!(
                "{}: not a regular file, not checked",
                path.display()
            ));
        } else {
            let root = collection
                .filter(|dir| path.starts_with(dir))
                .map(Path::to_path_buf)
                .or_else(|| path.ancestors().last().map(Path::to_path_buf))
                .unwrap_or_default();
            read_into(path, &root, &mut inputs, warnings);
        }
    }
    Ok(inputs)
}

fn read_into(path: &Path, root: &Path, inputs: &mut Vec<Input>, warnings: &mut Vec<String>) {
    let read = std::fs::metadata(path).and_then(|meta| {
        if meta.len() > MAX_FILE {
            Err(std::io::Error::other(format!(
                "larger than {} MiB, not checked",
                MAX_FILE >> 20
            )))
        } else {
            std::fs::read(path)
        }
    });
    match read {
        Ok(bytes) => inputs.push(Input {
            path: path.to_path_buf(),
            root: Arc::from(root),
            bytes,
        }),
        Err(error) => warnings.push(format!("{}: {error}", path.display())),
    }
}

/// One problem as text: the `path:line:col: severity[code]: message` line, then, when
/// it has a line, that line with a caret under the column, then its help.
pub fn render(diagnostic: &Diagnostic, text: &str, styled: bool) -> String {
    render_with_lines(diagnostic, &text.lines().collect::<Vec<_>>(), styled)
}

/// [`render`] with the file's text already cut into lines.
fn render_with_lines(diagnostic: &Diagnostic, lines: &[&str], styled: bool) -> String {
    let path = diagnostic.path.display().to_string();
    let place = match (diagnostic.line, diagnostic.column) {
        (Some(line), Some(column)) => format!("{path}:{line}:{column}"),
        (Some(line), None) => format!("{path}:{line}"),
        _ => path,
    };
    let header = format!(
        "{}: {}[{}]: {}",
        sanitize_flat(&place),
        diagnostic.severity,
        diagnostic.code,
        sanitize_flat(&diagnostic.message)
    );
    let level = match diagnostic.severity {
        Severity::Error => Level::ERROR,
        Severity::Warning => Level::WARNING,
        Severity::Info => Level::INFO,
    };
    let source_line = diagnostic
        .line
        .and_then(|line| lines.get(line.checked_sub(1)?).map(|s| (line, *s)));
    let mut group = Group::with_level(level.clone());
    let mut has_elements = false;
    if let Some((number, line)) = source_line {
        let (shown, span) = caret(line, diagnostic.column);
        group = group.element(
            Snippet::source(shown)
                .line_start(number)
                .fold(false)
                .annotation(AnnotationKind::Primary.span(span)),
        );
        has_elements = true;
    }
    if let Some(help) = &diagnostic.help {
        group = group.element(Level::HELP.message(sanitize_flat(help).into_owned()));
        has_elements = true;
    }
    if !has_elements {
        return header;
    }
    let renderer = if styled {
        Renderer::styled()
    } else {
        Renderer::plain()
    };
    format!("{header}\n{}", renderer.render(&[group]))
}

/// The source line as it can be shown (tabs expanded, controls as markers), and the
/// byte range of the character at `column` (1-based, in characters) in it; the whole
/// line when there is no column.
fn caret(line: &str, column: Option<usize>) -> (String, std::ops::Range<usize>) {
    let shown = sanitize_flat(&expand_tabs(line, 4)).into_owned();
    let Some(column) = column else {
        return (shown.clone(), 0..shown.len());
    };
    let start_byte = line
        .char_indices()
        .nth(column.saturating_sub(1))
        .map_or(line.len(), |(at, _)| at);
    // Tab stops count from the line's start, so the prefix expands as the line does.
    let prefix = line.get(..start_byte).unwrap_or_default();
    let before = sanitize_flat(&expand_tabs(prefix, 4))
        .len()
        .min(shown.len());
    let width = shown
        .get(before..)
        .and_then(|rest| rest.chars().next())
        .map_or(0, char::len_utf8);
    (shown, before..before + width)
}

fn summary(files: usize, counts: Counts) -> String {
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    let checked = plural(files, "file");
    if counts == Counts::default() {
        return format!("checked {checked}: no problems");
    }
    format!(
        "checked {checked}: {}, {}, {}",
        plural(counts.errors, "error"),
        plural(counts.warnings, "warning"),
        plural(counts.infos, "info")
    )
}

/// A diagnostic as `--json` writes it: the path as text.
#[derive(serde::Serialize)]
struct Json<'a> {
    path: String,
    line: Option<usize>,
    column: Option<usize>,
    severity: Severity,
    code: crate::diagnostic::Code,
    message: &'a str,
    help: Option<&'a str>,
}

impl<'a> From<&'a Diagnostic> for Json<'a> {
    fn from(d: &'a Diagnostic) -> Json<'a> {
        Json {
            path: d.path.to_string_lossy().into_owned(),
            line: d.line,
            column: d.column,
            severity: d.severity,
            code: d.code,
            message: &d.message,
            help: d.help.as_deref(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Code;
    use proptest::prelude::*;

    proptest! {
        /// Any line, any column: the report renders, and nothing in it is a control
        /// character but its own line ends.
        #[test]
        fn any_place_in_any_line_renders_clean(
            line in "([a-z \t]|\u{1b}|\u{9b}|\u{202e}|中|\u{200b}|e\u{301}){0,60}",
            column in 0usize..80,
        ) {
            let d = Diagnostic::new(Code::ControlChar, "m\u{1b}[2J")
                .at(Some(1), Some(column))
                .with_help("h\u{7}")
                .in_file("p\u{1b}.md");
            let out = render(&d, &line, false);
            prop_assert!(!out.chars().any(|c| c.is_control() && c != '\n'), "{out:?}");
        }
    }

    #[test]
    fn the_caret_is_under_the_column_after_tabs_and_wide_characters() {
        let d = Diagnostic::new(Code::BrokenLink, "x")
            .at(Some(1), Some(4))
            .in_file("a.md");
        let out = render(&d, "\t中x!", false);
        let lines: Vec<&str> = out.lines().collect();
        // `1 |     中x!` then the caret under `!`: tab to 4, 中 two columns, x one.
        assert_eq!(lines[2], "1 |     中x!");
        assert_eq!(lines[3], "  |        ^");
    }
}

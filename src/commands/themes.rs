//! `folio themes`: every theme folio can load, built-in or the user's, each with a
//! sample line in its own colours so a user can choose one without trying each.

use std::io::Write;

use anyhow::{Context, Result};
use ratatui::style::Style;

use super::Surroundings;

use crate::markdown::model::AlertKind;
use crate::markdown::{Role, Style as SpanStyle};
use crate::print;
use crate::setup::Setup;
use crate::theme::catalog::{Entry, Origin};
use crate::theme::{ColorDepth, Theme, UiRole};
use crate::ui::{clip_to_width, display_width};

/// Text from a theme file as one clean line.
fn one_line(text: &str) -> String {
    clip_to_width(text, usize::MAX)
}

/// Writes the listing to `out`, coloured when stdout is a terminal.
pub fn run(setup: &Setup, surroundings: &Surroundings, out: &mut impl Write) -> Result<()> {
    let depth = surroundings.stdout_is_terminal.then(|| setup.theme.depth());
    let listing = themes_listing(&setup.catalog.entries(), setup.theme.name(), depth);
    out.write_all(listing.as_bytes())
        .and_then(|()| out.flush())
        .context("cannot write to stdout")
}

/// The `folio themes` listing: each theme's name, where it comes from and what it is,
/// then a sample line in its colours at `depth` (`None`: plain text, for a pipe).
/// A user's theme files are written by anyone: names, paths, descriptions and errors are
/// shown with their control codes made visible (as `folio list` shows a post's).
pub fn themes_listing(entries: &[Entry], current: &str, depth: Option<ColorDepth>) -> String {
    let names: Vec<String> = entries.iter().map(|e| one_line(&e.name)).collect();
    let width = names.iter().map(|n| display_width(n)).max().unwrap_or(0);
    let mut out = String::new();
    for (entry, name) in entries.iter().zip(&names) {
        let mark = if entry.name == current { '*' } else { ' ' };
        let pad = " ".repeat(width.saturating_sub(display_width(name)));
        let origin = match &entry.origin {
            Origin::BuiltIn => "built-in".to_string(),
            Origin::User(path) => one_line(&path.display().to_string()),
        };
        match &entry.theme {
            Ok(theme) => {
                let code = one_line(theme.code_theme().unwrap_or("default"));
                out.push_str(&format!(
                    "{mark} {name}{pad}  {}  [{origin}; code: {code}]\n",
                    one_line(theme.description()),
                ));
                out.push_str("    ");
                match depth {
                    Some(depth) => out.push_str(&sample_line(&theme.clone().with_depth(depth))),
                    None => out.push_str(SAMPLE_TEXT),
                }
                out.push('\n');
            }
            Err(err) => {
                let err = one_line(&err.to_string());
                out.push_str(&format!("{mark} {name}{pad}  ✗ {err}\n"));
            }
        }
    }
    out
}

/// The sample line's text, as [`sample_line`] colours it.
pub const SAMPLE_TEXT: &str =
    " Heading Sub body text, emphasis, strong, a link, `code` #tag NOTE CAUTION  selected  ";

/// One line showing a theme's main colours, on its own background.
pub fn sample_line(theme: &Theme) -> String {
    let role = |r: Role| theme.span(&SpanStyle::role(r));
    let parts: Vec<(&str, Style)> = vec![
        (" Heading ", role(Role::Heading(1))),
        ("Sub ", role(Role::Heading(2))),
        ("body text, ", Style::default()),
        ("emphasis", role(Role::Emphasis)),
        (", ", Style::default()),
        ("strong", role(Role::Strong)),
        (", ", Style::default()),
        ("a link", role(Role::Link)),
        (", ", Style::default()),
        ("`code`", role(Role::InlineCode)),
        (" ", Style::default()),
        ("#tag", role(Role::Tag)),
        (" ", Style::default()),
        ("NOTE", role(Role::Alert(AlertKind::Note))),
        (" ", Style::default()),
        ("CAUTION", role(Role::Alert(AlertKind::Caution))),
        (" ", Style::default()),
        (" selected ", theme.ui(UiRole::Selected)),
        (" ", Style::default()),
    ];
    let base = theme.base();
    parts
        .into_iter()
        .map(|(text, style)| print::styled(text, base.patch(style)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::theme::catalog::Catalog;

    #[test]
    fn run_marks_the_theme_in_use_and_colours_only_a_terminal() {
        use crate::setup::{Strictness, load_in};
        let setup = load_in(
            None,
            ColorDepth::TrueColor,
            Some("nord"),
            Strictness::Strict,
        )
        .expect("setup");
        let listing = |surroundings: &Surroundings| {
            let mut out = Vec::new();
            run(&setup, surroundings, &mut out).expect("themes");
            String::from_utf8(out).expect("utf-8")
        };
        let piped = listing(&Surroundings::default());
        assert!(
            piped.contains("* nord") && !piped.contains('\u{1b}'),
            "{piped}"
        );
        let terminal = listing(&Surroundings {
            stdout_is_terminal: true,
            ..Surroundings::default()
        });
        assert!(terminal.contains("\u{1b}[1;38;2;"), "{terminal:?}");
    }

    #[test]
    fn names_paths_descriptions_and_errors_from_theme_files_are_shown_inert() {
        let dir = tempfile::tempdir().expect("tempdir");
        let write = |name: &str, text: &str| {
            std::fs::write(dir.path().join(name), text).expect("write theme");
        };
        write(
            "evil\u{1b}]2;x\u{7}.yaml",
            "description: \"\\e[2Jwiped\\u0085\\u2028next\"\n",
        );
        write("bad\u{1b}[2J.yaml", "markdown:\n  \"\\e[31m\": red\n");
        let entries = Catalog::new(Some(dir.path().to_path_buf())).entries();
        let listing = themes_listing(&entries, "dark", None);
        assert!(
            !listing
                .chars()
                .any(|c| c.is_control() && c != '\n' || matches!(c, '\u{2028}' | '\u{2029}')),
            "{listing:?}"
        );
        let lines: Vec<&str> = listing.lines().collect();
        let evil = lines
            .iter()
            .find(|l| l.starts_with("  evil␛]2;x␇  "))
            .unwrap_or_else(|| panic!("{listing}"));
        assert!(evil.contains("␛[2Jwiped\u{fffd} next"), "{evil}");
        assert!(evil.contains("evil␛]2;x␇.yaml;"), "{evil}");
        let bad = lines
            .iter()
            .find(|l| l.starts_with("  bad␛[2J"))
            .unwrap_or_else(|| panic!("{listing}"));
        assert!(bad.contains("✗ ") && bad.contains("␛[31m"), "{bad}");
        // One line a theme, and a sample line under each that loaded.
        assert_eq!(lines.len(), 2 * entries.len() - 1, "{listing}");
    }

    #[test]
    fn listing_marks_the_current_theme_and_has_a_sample_each() {
        let entries = Catalog::default().entries();
        let plain = themes_listing(&entries, "nord", None);
        assert!(plain.contains("* nord"), "{plain}");
        assert!(
            !plain.contains('\u{1b}'),
            "no colour without colour: {plain}"
        );
        assert_eq!(plain.matches("Heading").count(), entries.len());
        let coloured = themes_listing(&entries, "nord", Some(ColorDepth::TrueColor));
        assert!(coloured.contains("\u{1b}[1;38;2;"), "{coloured}");
        let attributes = themes_listing(&entries, "nord", Some(ColorDepth::NoColor));
        assert!(attributes.contains("\u{1b}[1m"), "{attributes}");
        assert!(!attributes.contains("38;"), "{attributes}");
        let strip = |s: &str| {
            let mut out = String::new();
            let mut in_sgr = false;
            for c in s.chars() {
                match c {
                    '\u{1b}' => in_sgr = true,
                    'm' if in_sgr => in_sgr = false,
                    _ if in_sgr => {}
                    c => out.push(c),
                }
            }
            out
        };
        assert_eq!(
            strip(&coloured),
            plain,
            "the sample text is the same either way"
        );
    }
}

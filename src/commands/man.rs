//! `folio man`: the man page in roff, generated from the clap definition (the same
//! text as `--help`), to be saved where `man` looks, e.g.
//! `folio man > ~/.local/share/man/man1/folio.1`.
//!
//! One page for the whole program: clap_mangen's own page would send the reader to a
//! `folio-print(1)` and others that nobody installs, so each command's synopsis,
//! description and options follow under COMMANDS instead.

use std::io::Write;

use anyhow::{Context, Result};
use clap::CommandFactory;
use clap_mangen::Man;

use crate::cli::Cli;

/// What roff output begins with: a string `Aq` for the apostrophes in the text.
/// clap_mangen writes it before every piece it renders; the page needs it once, after
/// `.TH`, which must come first.
const APOSTROPHE_PREAMBLE: &str = ".ie \\n(.g .ds Aq \\(aq\n.el .ds Aq '\n";

/// Writes the page to `out`.
pub fn run(out: &mut impl Write) -> Result<()> {
    let page = page().context("cannot make the man page")?;
    out.write_all(page.as_bytes())
        .and_then(|()| out.flush())
        .context("cannot write to stdout")
}

/// The whole page.
fn page() -> std::io::Result<String> {
    let mut cli = Cli::command().disable_help_subcommand(true);
    // Built, each subcommand knows its full name (`folio print`) for its synopsis.
    cli.build();
    let man = Man::new(cli.clone());
    let mut page = piece(|w| man.render_title(w))?;
    page.push_str(APOSTROPHE_PREAMBLE);
    page.push_str(&piece(|w| man.render_name_section(w))?);
    page.push_str(&piece(|w| man.render_synopsis_section(w))?);
    page.push_str(&piece(|w| man.render_description_section(w))?);
    page.push_str(&piece(|w| man.render_options_section(w))?);
    page.push_str(".SH COMMANDS\n");
    for command in cli.get_subcommands().filter(|c| !c.is_hide_set()) {
        let name = command.get_bin_name().unwrap_or_else(|| command.get_name());
        page.push_str(&format!(".SS \"{name}\"\n"));
        let man = Man::new(command.clone());
        page.push_str(&without_heading(&piece(|w| {
            man.render_synopsis_section(w)
        })?));
        page.push_str(".PP\n");
        page.push_str(&without_heading(&piece(|w| {
            man.render_description_section(w)
        })?));
        if command.get_arguments().any(|a| !a.is_hide_set()) {
            page.push_str(&without_heading(&piece(|w| man.render_options_section(w))?));
        }
    }
    page.push_str(&piece(|w| man.render_version_section(w))?);
    Ok(page)
}

/// One rendered piece, without the preamble the page holds once.
fn piece(render: impl FnOnce(&mut Vec<u8>) -> std::io::Result<()>) -> std::io::Result<String> {
    let mut bytes = Vec::new();
    render(&mut bytes)?;
    let text = String::from_utf8_lossy(&bytes);
    Ok(text
        .strip_prefix(APOSTROPHE_PREAMBLE)
        .unwrap_or(&text)
        .to_string())
}

/// A section's body without its `.SH` heading: a command's parts sit under its `.SS`.
fn without_heading(section: &str) -> String {
    section
        .lines()
        .filter(|line| !line.starts_with(".SH "))
        .map(|line| format!("{line}\n"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The requests a man(7) page may use, and those this page needs.
    const REQUESTS: [&str; 11] = [
        "TH", "SH", "SS", "TP", "PP", "IP", "RS", "RE", "br", "ie", "el",
    ];

    #[test]
    fn the_page_is_roff_from_th_on_and_documents_every_command() {
        let mut out = Vec::new();
        run(&mut out).expect("render");
        let page = String::from_utf8(out).expect("utf-8");
        assert!(page.starts_with(".TH folio 1 "), "{page}");
        assert_eq!(page.matches(APOSTROPHE_PREAMBLE).count(), 1, "{page}");
        for line in page.lines() {
            match line.strip_prefix('.') {
                Some(request) => {
                    let name = request.split_whitespace().next().unwrap_or("");
                    assert!(REQUESTS.contains(&name), "unknown request: {line:?}");
                }
                // A text line starting with ' would be taken as a request.
                None => assert!(!line.starts_with('\''), "{line:?}"),
            }
            assert!(!line.chars().any(char::is_control), "{line:?}");
            // Font changes are only bold, italic and back to roman.
            for font in line.split("\\f").skip(1) {
                assert!(
                    ["B", "I", "R"].iter().any(|f| font.starts_with(f)),
                    "{line:?}"
                );
            }
        }
        assert_eq!(page.matches("\n.TH ").count(), 0, "one title");
        for section in ["NAME", "SYNOPSIS", "DESCRIPTION", "OPTIONS", "COMMANDS"] {
            assert!(page.contains(&format!("\n.SH {section}\n")), "{section}");
        }
        let commands: Vec<String> = Cli::command()
            .get_subcommands()
            .map(|c| c.get_name().to_string())
            .collect();
        assert!(commands.len() >= 7, "{commands:?}");
        for name in &commands {
            assert!(
                page.contains(&format!("\n.SS \"folio {name}\"\n")),
                "{name}"
            );
            assert!(
                page.contains(&format!("\\fBfolio {name}\\fR")),
                "{name}'s synopsis"
            );
        }
        assert!(page.contains("\\-\\-width"), "print's options are there");
        assert!(
            !page.contains("folio\\-print(1)"),
            "no page nobody installs"
        );
    }
}

//! `folio completions SHELL`: a completion script for bash, zsh, fish, elvish or
//! PowerShell, generated from the same clap definition the parser uses, so completion
//! offers exactly the commands and options folio accepts.

use std::io::Write;

use anyhow::{Context, Result};
use clap::CommandFactory;
use clap_complete::Shell;

use crate::cli::Cli;

/// Writes the script for `shell` to `out`.
pub fn run(shell: Shell, out: &mut impl Write) -> Result<()> {
    // Made in memory first: the generator panics when a write fails, and a closed pipe
    // (`folio completions bash | head`) must not be a panic.
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "folio", &mut script);
    out.write_all(&script)
        .and_then(|()| out.flush())
        .context("cannot write to stdout")
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::ValueEnum;

    #[test]
    fn every_shell_gets_a_script_that_names_every_subcommand() {
        let subcommands: Vec<String> = Cli::command()
            .get_subcommands()
            .map(|c| c.get_name().to_string())
            .collect();
        assert!(subcommands.len() >= 7, "{subcommands:?}");
        for shell in Shell::value_variants() {
            let mut out = Vec::new();
            run(*shell, &mut out).expect("generate");
            let script = String::from_utf8(out).expect("utf-8");
            assert!(script.contains("folio"), "{shell}");
            for name in &subcommands {
                assert!(script.contains(name.as_str()), "{shell}: no {name}");
            }
            assert!(script.contains("width"), "{shell}: print's options");
        }
    }
}

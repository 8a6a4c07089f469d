//! Start-up for every command: read the config, choose the theme (`--theme`, else the
//! config's `theme`, else `dark`; `auto` asks the terminal), and show it at the
//! terminal's colour depth.
//!
//! How a bad file is reported depends on who asked for it: a theme given with `--theme`
//! is always fatal, and so is a bad config for the one-shot commands (print, list, …),
//! where a wrong result is worse than none. The TUI instead starts with the defaults
//! and says what was wrong in the status bar, so a typo never locks anyone out.

use std::path::Path;

use crate::config::{self, Config};
use crate::file_error::FileError;
use crate::termbg;
use crate::theme::catalog::{self, Catalog};
use crate::theme::{ColorDepth, Theme};

/// Whether problems with the config stop the command.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Strictness {
    /// One-shot commands: a bad config or configured theme is an error (exit 1).
    Strict,
    /// The TUI: carry on with defaults and show a warning.
    Lenient,
}

#[derive(Debug, Clone)]
pub struct Setup {
    pub config: Config,
    pub theme: Theme,
    pub catalog: Catalog,
    /// What went wrong but was worked around (lenient mode), for the status bar.
    pub warnings: Vec<String>,
}

/// Reads the config and resolves the theme for this run.
pub fn load(theme_arg: Option<&str>, strictness: Strictness) -> Result<Setup, FileError> {
    load_in(
        config::config_dir().as_deref(),
        ColorDepth::detect(),
        theme_arg,
        strictness,
    )
}

/// [`load`] with the config folder and colour depth given rather than taken from the
/// environment (tests, and anything that knows better).
pub fn load_in(
    config_dir: Option<&Path>,
    depth: ColorDepth,
    theme_arg: Option<&str>,
    strictness: Strictness,
) -> Result<Setup, FileError> {
    let mut warnings = Vec::new();
    let config = match (config_dir, strictness) {
        (None, _) => Config::default(),
        (Some(dir), Strictness::Strict) => config::load_from(&dir.join("config.yaml"))?,
        // Every valid part applies; each mistake is one warning of its own.
        (Some(dir), Strictness::Lenient) => {
            let (config, errors) = config::load_lenient(&dir.join("config.yaml"));
            warnings.extend(errors.iter().map(|e| format!("{e} (left out)")));
            config
        }
    };
    let catalog = Catalog::new(config_dir.map(|d| d.join("themes")));
    let theme = match (theme_arg, config.theme.as_deref()) {
        (Some(value), _) => resolve(&catalog, value, depth)?,
        (None, Some(value)) => match resolve(&catalog, &beside(config_dir, value), depth) {
            Ok(theme) => theme,
            Err(err) if strictness == Strictness::Lenient => {
                warnings.push(format!("{err} (using the dark theme)"));
                Theme::dark()
            }
            Err(err) => return Err(err),
        },
        // A dark theme's pale text is unreadable on a light terminal: with nothing
        // chosen, the terminal's background decides (dark when it does not say).
        (None, None) => resolve(&catalog, catalog::AUTO, depth)?,
    };
    Ok(Setup {
        config,
        theme: theme.with_depth(depth),
        catalog,
        warnings,
    })
}

/// A theme path written in the config is taken from the config's folder when relative
/// (`theme: themes/mine.yaml`), as a user reading the file would expect; names pass.
fn beside(config_dir: Option<&Path>, value: &str) -> String {
    let path = Path::new(value);
    match config_dir {
        Some(dir) if Catalog::is_path(value) && path.is_relative() && !value.starts_with('~') => {
            dir.join(path).to_string_lossy().into_owned()
        }
        _ => value.to_string(),
    }
}

/// A theme by name or path; `auto` is `light` or `dark` after the terminal's background.
/// Without colour (`NO_COLOR`) the two look the same, so the terminal is not asked (a
/// terminal that does not answer would hold the start for the question's wait).
pub fn resolve(catalog: &Catalog, value: &str, depth: ColorDepth) -> Result<Theme, FileError> {
    if value == catalog::AUTO {
        let background = match depth {
            ColorDepth::NoColor => None,
            _ => termbg::background(),
        };
        return catalog.load(catalog::auto_name(background));
    }
    catalog.load(value)
}

//! The themes compiled into the binary, so an installed folio has them wherever it runs.
//! Their YAML lives in `themes/` at the top of the repository, in the same format users
//! write; a test parses each strictly and checks its contrast.

use std::sync::OnceLock;

use super::Theme;
use super::spec::ThemeFile;

/// Built-in themes, the default first.
pub const THEMES: &[(&str, &str)] = &[
    ("dark", include_str!("../../themes/dark.yaml")),
    ("light", include_str!("../../themes/light.yaml")),
    ("dracula", include_str!("../../themes/dracula.yaml")),
    ("nord", include_str!("../../themes/nord.yaml")),
    (
        "gruvbox-dark",
        include_str!("../../themes/gruvbox-dark.yaml"),
    ),
    (
        "solarized-light",
        include_str!("../../themes/solarized-light.yaml"),
    ),
    (
        "catppuccin-mocha",
        include_str!("../../themes/catppuccin-mocha.yaml"),
    ),
];

pub fn names() -> impl Iterator<Item = &'static str> {
    THEMES.iter().map(|(name, _)| *name)
}

/// The YAML text of a built-in theme.
pub fn source(name: &str) -> Option<&'static str> {
    THEMES
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, text)| *text)
}

/// The parsed file of a built-in (parsed once per process).
pub fn file(name: &str) -> Option<&'static ThemeFile> {
    static PARSED: OnceLock<Vec<(&'static str, Option<ThemeFile>)>> = OnceLock::new();
    let parsed = PARSED.get_or_init(|| {
        THEMES
            .iter()
            .map(|(name, text)| (*name, ThemeFile::parse(text).ok()))
            .collect()
    });
    parsed
        .iter()
        .find(|(n, _)| *n == name)
        .and_then(|(_, file)| file.as_ref())
}

/// A built-in theme at full colour depth.
pub fn theme(name: &str) -> Option<Theme> {
    file(name).map(|file| Theme::from_file(name, file))
}

//! Finding a theme by name: the user's own (`<config dir>/folio/themes/NAME.yaml`), else
//! a built-in; or a theme file given by path. A theme may say `extends: BASE` and only
//! list what differs: it is laid over BASE element by element (an element it names
//! replaces the base's whole; `background`, `foreground`, `code_theme` likewise).
//!
//! Every failure is a [`FileError`] naming the file and, where there is one, the line
//! and key, so `--theme mine.yaml` with a typo says exactly where the typo is.

use std::path::{Path, PathBuf};

use super::spec::{ELEMENT_COUNT, StyleSpec, ThemeFile};
use super::{Theme, builtin};
use crate::file_error::{FileError, line_of_key, read_hand_written};
use crate::markdown::highlight;

/// The theme name that asks folio to pick `light` or `dark` from the terminal's
/// background.
pub const AUTO: &str = "auto";

/// How deep `extends` may chain; deeper is taken as a loop.
const MAX_EXTENDS: usize = 8;

/// Where a theme came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    BuiltIn,
    /// A file in the user's themes folder.
    User(PathBuf),
}

/// One line of `folio themes` or the picker: a theme by name, loaded or not.
#[derive(Debug, Clone)]
pub struct Entry {
    pub name: String,
    pub origin: Origin,
    pub theme: Result<Theme, FileError>,
}

/// The themes available: built-ins plus the user's folder.
#[derive(Debug, Clone, Default)]
pub struct Catalog {
    pub user_dir: Option<PathBuf>,
}

impl Catalog {
    pub fn new(user_dir: Option<PathBuf>) -> Self {
        Catalog { user_dir }
    }

    /// The catalog for this user: `<config dir>/folio/themes` (see [`crate::config`]).
    pub fn from_env() -> Self {
        Catalog::new(crate::config::config_dir().map(|d| d.join("themes")))
    }

    /// Whether a `--theme`/`theme:` value is a path rather than a name.
    pub fn is_path(value: &str) -> bool {
        let lower = value.to_ascii_lowercase();
        value.contains(['/', '\\']) || lower.ends_with(".yaml") || lower.ends_with(".yml")
    }

    /// Loads a theme by name or path (not `auto`: the caller decides what that means).
    pub fn load(&self, value: &str) -> Result<Theme, FileError> {
        if Catalog::is_path(value) {
            let path = expand_home(value);
            let name = path
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_else(|| value.to_string());
            return self
                .load_file(&name, &path, 0)
                .map(|f| Theme::from_file(&name, &f));
        }
        self.resolve(value, 0)
            .map(|file| Theme::from_file(value, &file))
    }

    /// The user's file for a theme name, when there is one.
    fn user_file(&self, name: &str) -> Option<PathBuf> {
        let dir = self.user_dir.as_ref()?;
        ["yaml", "yml"]
            .iter()
            .map(|ext| dir.join(format!("{name}.{ext}")))
            .find(|p| p.is_file())
    }

    /// The fully resolved file for a theme name: the user's own first, then a built-in.
    fn resolve(&self, name: &str, depth: usize) -> Result<ThemeFile, FileError> {
        if let Some(path) = self.user_file(name) {
            return self.load_file(name, &path, depth);
        }
        // No file is involved, so the error has no path (see `FileError`'s Display).
        builtin::file(name).cloned().ok_or_else(|| {
            FileError::new(
                Path::new(""),
                None,
                format!("no theme named `{name}`; {}", self.known_names()),
            )
        })
    }

    fn known_names(&self) -> String {
        let mut out = format!(
            "built-in themes: {}",
            builtin::names().collect::<Vec<_>>().join(", ")
        );
        let user: Vec<String> = self.user_themes().into_iter().map(|(n, _)| n).collect();
        if !user.is_empty() {
            out.push_str(&format!("; yours: {}", user.join(", ")));
        }
        if let Some(dir) = &self.user_dir {
            out.push_str(&format!(" (your themes go in {})", dir.display()));
        }
        out.push_str(", or auto");
        out
    }

    /// Reads, parses and resolves one theme file.
    fn load_file(&self, name: &str, path: &Path, depth: usize) -> Result<ThemeFile, FileError> {
        let text = read_hand_written(path).map_err(|e| FileError::new(path, None, e.reason()))?;
        let mut file = ThemeFile::parse(&text).map_err(|e| FileError::from_yaml(path, &e))?;
        let line = |key| line_of_key(&text, key);
        if let Some(code) = &file.code_theme {
            file.code_theme = Some(check_code_theme(code, path).map_err(|message| {
                FileError::new(path, line("code_theme"), format!("code_theme: {message}"))
            })?);
        }
        let Some(base_name) = file.extends.clone() else {
            return Ok(file);
        };
        if depth >= MAX_EXTENDS {
            return Err(FileError::new(
                path,
                line("extends"),
                format!("extends: more than {MAX_EXTENDS} themes deep; is there a loop?"),
            ));
        }
        // A user theme may shadow a built-in and extend it: `dark.yaml` saying
        // `extends: dark` means the built-in one, not itself.
        let base = if base_name == name || Catalog::is_path(&base_name) {
            match builtin::file(&base_name) {
                Some(file) => Ok(file.clone()),
                None if Catalog::is_path(&base_name) => {
                    let base_path = relative_to(path, &base_name);
                    self.load_file(&base_name, &base_path, depth + 1)
                }
                None => Err(FileError::new(
                    path,
                    line("extends"),
                    format!("extends: `{base_name}` is this theme itself"),
                )),
            }
        } else {
            self.resolve(&base_name, depth + 1)
        };
        let base = base.map_err(|err| {
            if err.path.as_os_str().is_empty() {
                // The base was not found: the error belongs to the `extends` line here.
                FileError::new(path, line("extends"), format!("extends: {}", err.message))
            } else {
                err
            }
        })?;
        Ok(overlay(base, file))
    }

    /// The user's theme files, by name (file stem), sorted.
    pub fn user_themes(&self) -> Vec<(String, PathBuf)> {
        let Some(dir) = &self.user_dir else {
            return Vec::new();
        };
        let Ok(entries) = std::fs::read_dir(dir) else {
            return Vec::new();
        };
        let mut out: Vec<(String, PathBuf)> = entries
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| {
                p.is_file()
                    && p.extension().is_some_and(|e| {
                        e.eq_ignore_ascii_case("yaml") || e.eq_ignore_ascii_case("yml")
                    })
            })
            .filter_map(|p| Some((p.file_stem()?.to_str()?.to_string(), p.clone())))
            .collect();
        out.sort();
        out.dedup_by(|a, b| a.0 == b.0);
        out
    }

    /// Every theme: built-ins (or the user's file shadowing one) in their order, then the
    /// user's own, each loaded or with the error that stopped it.
    pub fn entries(&self) -> Vec<Entry> {
        let user = self.user_themes();
        let mut out: Vec<Entry> = builtin::names()
            .map(|name| {
                let origin = match user.iter().find(|(n, _)| n == name) {
                    Some((_, path)) => Origin::User(path.clone()),
                    None => Origin::BuiltIn,
                };
                Entry {
                    name: name.to_string(),
                    origin,
                    theme: self.load(name),
                }
            })
            .collect();
        for (name, path) in user {
            if builtin::source(&name).is_none() {
                out.push(Entry {
                    theme: self.load(&name),
                    name,
                    origin: Origin::User(path),
                });
            }
        }
        out
    }
}

/// `light` or `dark` for a terminal background (`None`: the terminal did not say).
pub fn auto_name(background: Option<super::color::Rgb>) -> &'static str {
    match background {
        Some(bg) if super::color::is_light(bg) => "light",
        _ => "dark",
    }
}

/// Lays `top` over `base`: what `top` sets wins, element by element.
fn overlay(base: ThemeFile, top: ThemeFile) -> ThemeFile {
    let mut slots: Vec<Option<StyleSpec>> = vec![None; ELEMENT_COUNT];
    for (element, spec) in base.elements().chain(top.elements()) {
        if let Some(slot) = slots.get_mut(element.index()) {
            *slot = Some(*spec);
        }
    }
    let mut ui = Vec::new();
    let mut markdown = Vec::new();
    for (element, _, _, _) in super::spec::ELEMENTS {
        if let Some(Some(spec)) = slots.get(element.index()) {
            match element.section() {
                super::spec::Section::Ui => ui.push((*element, *spec)),
                super::spec::Section::Markdown => markdown.push((*element, *spec)),
            }
        }
    }
    ThemeFile {
        description: top.description.or(base.description),
        extends: None,
        background: top.background.or(base.background),
        foreground: top.foreground.or(base.foreground),
        code_theme: top.code_theme.or(base.code_theme),
        ui: super::spec::UiSection(super::spec::Elements(ui)),
        markdown: super::spec::MarkdownSection(super::spec::Elements(markdown)),
    }
}

/// Checks a `code_theme` value; a `.tmTheme` path is made absolute (relative to the theme
/// file) and loaded now, so a bad one is reported with the theme, not silently ignored.
fn check_code_theme(value: &str, theme_path: &Path) -> Result<String, String> {
    if highlight::is_theme_path(value) {
        let path = relative_to(theme_path, value);
        highlight::load_theme_file(&path)?;
        return Ok(path.to_string_lossy().into_owned());
    }
    if highlight::theme_exists(value) {
        Ok(value.to_string())
    } else {
        Err(format!(
            "no code theme named `{value}`; use a .tmTheme path or one of: {}",
            highlight::theme_names().join(", ")
        ))
    }
}

/// `value` as a path: `~/` expanded, and relative paths taken from the folder of `file`.
fn relative_to(file: &Path, value: &str) -> PathBuf {
    let path = expand_home(value);
    if path.is_absolute() {
        return path;
    }
    match file.parent() {
        Some(dir) => dir.join(path),
        None => path,
    }
}

/// `~/x` → `$HOME/x`: how people write paths in config files.
pub fn expand_home(value: &str) -> PathBuf {
    match (value.strip_prefix("~/"), dirs::home_dir()) {
        (Some(rest), Some(home)) => home.join(rest),
        _ => PathBuf::from(value),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::theme::Element;
    use ratatui::style::{Color, Modifier};

    fn catalog_with(files: &[(&str, &str)]) -> (tempfile::TempDir, Catalog) {
        let dir = tempfile::tempdir().expect("tempdir");
        for (name, text) in files {
            std::fs::write(dir.path().join(name), text).expect("write theme");
        }
        let catalog = Catalog::new(Some(dir.path().to_path_buf()));
        (dir, catalog)
    }

    #[test]
    fn a_partial_theme_is_laid_over_its_base_element_by_element() {
        let (_dir, catalog) = catalog_with(&[(
            "mine.yaml",
            "extends: dracula\ndescription: mine\nmarkdown:\n  h1: { fg: '#ffffff' }\n",
        )]);
        let mine = catalog.load("mine").expect("loads");
        let dracula = catalog.load("dracula").expect("built-in");
        assert_eq!(mine.raw(Element::H1).fg, Some(Color::Rgb(255, 255, 255)));
        // The element is replaced whole: dracula's bold is not inherited.
        assert!(!mine.raw(Element::H1).add_modifier.contains(Modifier::BOLD));
        assert_eq!(mine.raw(Element::H2), dracula.raw(Element::H2));
        assert_eq!(mine.background(), dracula.background());
        assert_eq!(mine.code_theme(), Some("Dracula"));
        assert_eq!(mine.description(), "mine");
    }

    #[test]
    fn a_user_theme_can_shadow_and_extend_a_built_in() {
        let (_dir, catalog) = catalog_with(&[("dark.yaml", "extends: dark\nbackground: black\n")]);
        let dark = catalog.load("dark").expect("loads");
        assert_eq!(dark.background(), Some(Color::Black));
        assert_eq!(dark.raw(Element::H2), Theme::dark().raw(Element::H2));
        let entries = catalog.entries();
        assert!(matches!(entries[0].origin, Origin::User(_)));
    }

    #[test]
    fn chains_and_loops() {
        let (_dir, catalog) = catalog_with(&[
            ("a.yaml", "extends: b\nmarkdown: { h1: red }\n"),
            ("b.yaml", "extends: nord\nmarkdown: { h2: blue }\n"),
            ("x.yaml", "# loop\nextends: y\n"),
            ("y.yaml", "extends: x\n"),
        ]);
        let a = catalog.load("a").expect("chain");
        assert_eq!(a.raw(Element::H1).fg, Some(Color::Red));
        assert_eq!(a.raw(Element::H2).fg, Some(Color::Blue));
        assert_eq!(a.code_theme(), Some("Nord"));
        let err = catalog.load("x").expect_err("loop");
        assert!(err.to_string().contains("extends"), "{err}");
        assert!(err.line.is_some(), "{err}");
    }

    #[test]
    fn bad_theme_files_name_file_line_and_key() {
        let (dir, catalog) = catalog_with(&[
            (
                "colour.yaml",
                "description: x\nmarkdown:\n  h1: { fg: blurple }\n",
            ),
            ("base.yaml", "description: x\n\nextends: nosuch\n"),
            ("code.yaml", "code_theme: Nosuch\n"),
            ("tm.yaml", "code_theme: missing.tmTheme\n"),
            ("shape.yaml", "markdown:\n  h1: [red]\n"),
            ("syntax.yaml", "markdown:\n  h1: red\n bad: [\n"),
        ]);
        let cases = [
            ("colour", 3, "markdown.h1.fg: unknown colour \"blurple\""),
            ("base", 3, "extends: no theme named `nosuch`"),
            ("code", 1, "code_theme: no code theme named `Nosuch`"),
            ("tm", 1, "missing.tmTheme"),
            ("shape", 2, "markdown.h1: invalid type: sequence"),
            ("syntax", 3, ""),
        ];
        for (name, line, needle) in cases {
            let err = catalog.load(name).expect_err(name);
            let shown = err.to_string();
            let file = dir.path().join(format!("{name}.yaml"));
            assert!(
                shown.starts_with(&format!("{}:{line}: ", file.display())),
                "{name}: {shown}"
            );
            assert!(shown.contains(needle), "{name}: {shown}");
        }
        let unknown = catalog.load("nosuch").expect_err("unknown");
        assert!(unknown.to_string().contains("dracula"), "{unknown}");
    }

    #[test]
    fn a_theme_given_by_path_resolves_relative_extends_and_code_theme() {
        let (dir, catalog) = catalog_with(&[
            ("base-theme.yaml", "markdown: { h3: green }\n"),
            (
                "top.yaml",
                "extends: ./base-theme.yaml\nmarkdown: { h1: red }\n",
            ),
        ]);
        let path = dir.path().join("top.yaml");
        let theme = Catalog::default()
            .load(&path.to_string_lossy())
            .expect("by path");
        assert_eq!(theme.name(), "top");
        assert_eq!(theme.raw(Element::H3).fg, Some(Color::Green));
        drop(catalog);
    }

    #[cfg(unix)]
    #[test]
    fn theme_and_code_theme_files_are_read_only_when_regular_and_small() {
        let (dir, catalog) = catalog_with(&[
            ("null.yaml", "description: x\ncode_theme: /dev/null\n"),
            ("big.yaml", "code_theme: big.tmTheme\n"),
        ]);
        let big = "<!-- padding -->\n".repeat(70_000);
        std::fs::write(dir.path().join("big.tmTheme"), big).expect("write");
        let err = catalog.load("null").expect_err("a device").to_string();
        let file = dir.path().join("null.yaml");
        assert_eq!(
            err,
            format!(
                "{}:2: code_theme: /dev/null: not a regular file; not read",
                file.display()
            )
        );
        let err = catalog.load("big").expect_err("too large").to_string();
        assert!(
            err.contains("big.tmTheme: larger than 1 MiB; not read"),
            "{err}"
        );
        // A theme given by path, and one that extends it, are read the same way.
        let err = catalog.load("/dev/null").expect_err("a device").to_string();
        assert_eq!(err, "/dev/null: not a regular file; not read");
        let (_dir, catalog) = catalog_with(&[("top.yaml", "extends: /dev/null\n")]);
        let err = catalog
            .load("top")
            .expect_err("base is a device")
            .to_string();
        assert!(
            err.ends_with("/dev/null: not a regular file; not read"),
            "{err}"
        );
    }

    #[test]
    fn auto_follows_the_background() {
        use crate::theme::color::Rgb;
        assert_eq!(auto_name(Some(Rgb(250, 250, 250))), "light");
        assert_eq!(auto_name(Some(Rgb(20, 20, 30))), "dark");
        assert_eq!(auto_name(None), "dark");
    }
}

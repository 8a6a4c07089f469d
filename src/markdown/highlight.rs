//! Syntax highlighting of code blocks with syntect, using bat's wider syntax set
//! (two-face: TOML, TypeScript, Dockerfile, protobuf, HCL, … that syntect lacks).
//!
//! The syntax and theme sets are large, so they load on the first code block, never on
//! the list's first frame. Each block is highlighted on its own; lines over
//! [`MAX_LINE`] bytes end highlighting for the rest of the block (bat does the same) so a
//! minified 1 MB line costs nothing, and a panic inside syntect falls back to plain text.

use std::collections::HashMap;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};

use syntect::easy::HighlightLines;
use syntect::highlighting::{FontStyle, Theme, ThemeSet};
use syntect::parsing::{SyntaxReference, SyntaxSet};
use syntect::util::LinesWithEndings;
use two_face::theme::{EmbeddedLazyThemeSet, EmbeddedThemeName};

use super::style::{Rgb, Role, Span, Style};

/// Lines longer than this (bytes) are not highlighted.
pub const MAX_LINE: usize = 16 * 1024;
/// The code theme used until themes choose one.
pub const DEFAULT_THEME: &str = "OneHalfDark";

fn syntaxes() -> &'static SyntaxSet {
    static SET: OnceLock<SyntaxSet> = OnceLock::new();
    SET.get_or_init(two_face::syntax::extra_newlines)
}

fn themes() -> &'static EmbeddedLazyThemeSet {
    static SET: OnceLock<EmbeddedLazyThemeSet> = OnceLock::new();
    SET.get_or_init(two_face::theme::extra)
}

/// A code theme by name, case-insensitively, ignoring spaces, `-` and `_`
/// (`"one-half-dark"`, `"Nord"`, `"gruvbox_dark"`).
pub fn theme_named(name: &str) -> Option<&'static Theme> {
    let wanted = normalize(name);
    EmbeddedLazyThemeSet::theme_names()
        .iter()
        .find(|n| normalize(&format!("{n:?}")) == wanted || normalize(n.as_name()) == wanted)
        .map(|n| themes().get(*n))
}

/// Whether a built-in code theme has this name (forgiving as [`theme_named`]), without
/// loading any theme.
pub fn theme_exists(name: &str) -> bool {
    let wanted = normalize(name);
    EmbeddedLazyThemeSet::theme_names()
        .iter()
        .any(|n| normalize(&format!("{n:?}")) == wanted || normalize(n.as_name()) == wanted)
}

/// The names of the built-in code themes, as `theme_named` accepts them.
pub fn theme_names() -> Vec<&'static str> {
    EmbeddedLazyThemeSet::theme_names()
        .iter()
        .map(|n| n.as_name())
        .collect()
}

/// Whether a `code_theme` value names a file rather than a built-in theme.
pub fn is_theme_path(value: &str) -> bool {
    value.contains(['/', '\\']) || value.to_ascii_lowercase().ends_with(".tmtheme")
}

/// Loads a `.tmTheme` file, once per path per process. A loaded theme is kept for the
/// rest of the run (leaked to get the same `'static` lifetime as the built-ins); there is
/// one per distinct path a user's themes name, so this is bounded.
pub fn load_theme_file(path: &Path) -> Result<&'static Theme, String> {
    type Cache = Mutex<HashMap<PathBuf, Result<&'static Theme, String>>>;
    static CACHE: OnceLock<Cache> = OnceLock::new();
    let cache = CACHE.get_or_init(|| Mutex::new(HashMap::new()));
    let mut cache = match cache.lock() {
        Ok(guard) => guard,
        // A panic while holding the lock left at worst a missing entry: carry on.
        Err(poisoned) => poisoned.into_inner(),
    };
    cache
        .entry(path.to_path_buf())
        .or_insert_with(|| {
            // Read as the config and themes are (a regular file, not too large):
            // syntect's own `get_theme` reads whatever the path is to its end.
            let text = crate::file_error::read_hand_written(path)
                .map_err(|e| format!("{}: {}", path.display(), e.reason()))?;
            ThemeSet::load_from_reader(&mut std::io::Cursor::new(text))
                .map(|theme| &*Box::leak(Box::new(theme)))
                .map_err(|e| format!("cannot load {}: {e}", path.display()))
        })
        .clone()
}

/// A code theme by built-in name or `.tmTheme` path; `None` when neither works.
pub fn resolve_theme(value: &str) -> Option<&'static Theme> {
    if is_theme_path(value) {
        load_theme_file(Path::new(value)).ok()
    } else {
        theme_named(value)
    }
}

fn normalize(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

fn default_theme() -> &'static Theme {
    theme_named(DEFAULT_THEME).unwrap_or_else(|| themes().get(EmbeddedThemeName::Base16OceanDark))
}

/// The syntax for a code block's language token: by name, then by file extension, with
/// a few common aliases.
fn syntax_for(lang: &str) -> Option<&'static SyntaxReference> {
    let set = syntaxes();
    let lang = match lang {
        "sh" | "shell" | "zsh" | "console" | "shell-session" => "bash",
        "golang" => "go",
        "yml" => "yaml",
        "js" | "javascript" | "jsx" => "js",
        "ts" | "typescript" | "tsx" => "ts",
        "py" | "python3" => "python",
        "rs" => "rust",
        "dockerfile" | "docker" => "Dockerfile",
        "c++" => "cpp",
        "proto" | "protobuf" => "proto",
        "hcl" | "terraform" | "tf" => "hcl",
        other => other,
    };
    set.find_syntax_by_token(lang)
        .or_else(|| set.find_syntax_by_extension(lang))
        .filter(|s| s.name != "Plain Text")
}

/// Whether folio can highlight a language token.
pub fn is_known(lang: &str) -> bool {
    syntax_for(lang).is_some()
}

/// Highlights `code` as `lang`, one `Vec<Span>` per source line (without newlines).
/// `None` when the language is unknown or highlighting failed: the caller shows plain
/// text.
pub fn highlight(lang: &str, code: &str, theme: Option<&str>) -> Option<Vec<Vec<Span>>> {
    let syntax = syntax_for(lang)?;
    let theme = theme.and_then(resolve_theme).unwrap_or_else(default_theme);
    catch_unwind(AssertUnwindSafe(|| highlight_with(syntax, theme, code)))
        .ok()
        .flatten()
}

fn highlight_with(syntax: &SyntaxReference, theme: &Theme, code: &str) -> Option<Vec<Vec<Span>>> {
    let set = syntaxes();
    let mut highlighter = HighlightLines::new(syntax, theme);
    let mut out = Vec::new();
    let mut plain_from_here = false;
    for line in LinesWithEndings::from(code) {
        let content = line.trim_end_matches('\n');
        if plain_from_here || line.len() > MAX_LINE {
            plain_from_here = true;
            out.push(vec![Span {
                text: content.into(),
                style: Style::role(Role::CodeBlock),
            }]);
            continue;
        }
        let ranges = highlighter.highlight_line(line, set).ok()?;
        let spans = ranges
            .into_iter()
            .filter_map(|(style, text)| {
                let text = text.trim_end_matches('\n');
                (!text.is_empty()).then(|| Span {
                    text: text.into(),
                    style: Style {
                        role: Role::CodeBlock,
                        fg: Some(Rgb(
                            style.foreground.r,
                            style.foreground.g,
                            style.foreground.b,
                        )),
                        bold: style.font_style.contains(FontStyle::BOLD),
                        italic: style.font_style.contains(FontStyle::ITALIC),
                        underline: false,
                        strike: false,
                        link: None,
                    },
                })
            })
            .collect();
        out.push(spans);
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn languages_missing_from_syntect_defaults_are_known() {
        for lang in [
            "rust",
            "go",
            "yaml",
            "toml",
            "bash",
            "json",
            "ts",
            "dockerfile",
            "python",
        ] {
            assert!(is_known(lang), "{lang} should highlight");
        }
        assert!(!is_known("mermaid"));
        assert!(!is_known("russt"));
    }

    #[test]
    fn highlighting_colours_tokens_and_keeps_the_text() {
        let code = "fn main() {\n    let x = 1;\n}\n";
        let lines = highlight("rust", code, None).expect("rust highlights");
        assert_eq!(lines.len(), 3);
        let text: Vec<String> = lines
            .iter()
            .map(|l| l.iter().map(|s| s.text.as_str()).collect())
            .collect();
        assert_eq!(text, ["fn main() {", "    let x = 1;", "}"]);
        let colours: std::collections::HashSet<_> =
            lines.iter().flatten().filter_map(|s| s.style.fg).collect();
        assert!(colours.len() > 1, "several token colours expected");
    }

    #[test]
    fn a_very_long_line_and_what_follows_stay_plain() {
        let long = "[".repeat(MAX_LINE + 10);
        let code = format!("{{\"a\": 1}}\n{long}\n{{\"b\": 2}}\n");
        let lines = highlight("json", &code, None).expect("json highlights");
        assert!(lines[0].iter().any(|s| s.style.fg.is_some()));
        assert!(lines[1].iter().all(|s| s.style.fg.is_none()));
        assert!(lines[2].iter().all(|s| s.style.fg.is_none()));
    }

    #[test]
    fn tm_theme_files_load_once_and_bad_ones_say_why() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("mine.tmTheme");
        let plist = r#"<?xml version="1.0" encoding="UTF-8"?>
<plist version="1.0"><dict>
<key>name</key><string>mine</string>
<key>settings</key><array>
<dict><key>settings</key><dict><key>foreground</key><string>#112233</string></dict></dict>
<dict><key>scope</key><string>keyword, storage</string>
<key>settings</key><dict><key>foreground</key><string>#ff0000</string></dict></dict>
</array></dict></plist>"#;
        std::fs::write(&path, plist).expect("write");
        let value = path.to_string_lossy().into_owned();
        assert!(is_theme_path(&value));
        let first = resolve_theme(&value).expect("loads");
        let again = resolve_theme(&value).expect("cached");
        assert!(std::ptr::eq(first, again), "loaded once");
        let lines = highlight("rust", "fn x() {}\n", Some(&value)).expect("highlights");
        let colours: Vec<_> = lines.iter().flatten().filter_map(|s| s.style.fg).collect();
        assert!(colours.contains(&Rgb(0xff, 0, 0)), "{colours:?}");
        let missing = dir.path().join("nope.tmTheme");
        let err = load_theme_file(&missing).expect_err("missing file");
        assert!(err.contains("nope.tmTheme"), "{err}");
        // Read as the config is: a device is refused, not read to its end.
        #[cfg(unix)]
        for device in ["/dev/null", "/dev/zero"] {
            let err = load_theme_file(Path::new(device)).expect_err(device);
            assert_eq!(err, format!("{device}: not a regular file; not read"));
        }
    }

    #[test]
    fn theme_names_are_forgiving() {
        assert!(theme_exists("gruvbox_dark"));
        assert!(!theme_exists("gruvbox-darker"));
        assert!(theme_named("one-half-dark").is_some());
        assert!(theme_named("Nord").is_some());
        assert!(theme_named("no such theme").is_none());
    }
}

//! The user's configuration file, `<config dir>/folio/config.yaml` (`FOLIO_CONFIG_DIR`
//! overrides the folder).
//!
//! The file is parsed strictly: an unknown key, a bad colour name in a theme it names, an
//! unknown action in `keys`, a strftime field chrono does not know — each is one message
//! with the file, line and key, because a setting that silently does nothing is worse
//! than an error. folio only ever reads this file; `folio config --init` creates it once
//! and never overwrites it.

mod de;

use std::path::{Path, PathBuf};

use crate::app::Action;
use crate::app::keymap::{Key, Screen};

pub use crate::file_error::FileError;
use crate::file_error::read_hand_written;

/// Errors reading the config are [`FileError`]s: file, line, key, what is wrong.
pub type ConfigError = FileError;

/// The reading width when the config does not set one.
pub const DEFAULT_WIDTH: usize = 100;

/// MiB past which a post is not read whole (`max_post_size`).
pub const DEFAULT_MAX_POST_MIB: usize = 64;

/// A collection the config names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Collection {
    pub name: String,
    pub path: PathBuf,
}

/// One remapped key: on `screen`, `key` does `action` (`None`: nothing).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyOverride {
    pub screen: Screen,
    pub key: Key,
    pub action: Option<Action>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    /// The collection folio opens with no PATH: the first of `collections`.
    pub collection: Option<PathBuf>,
    /// Every collection the config names (`C` in the TUI switches between them).
    pub collections: Vec<Collection>,
    /// A theme name, `auto`, or a path to a theme file.
    pub theme: Option<String>,
    /// Reading width in columns as the config writes it (0: the full terminal width);
    /// `None` when it says nothing (see [`Config::reading_width`]).
    pub width: Option<usize>,
    pub show_drafts: bool,
    /// Whether folio keeps reading memory (positions, read marks, bookmarks, recent
    /// posts); `remember: false` turns it all off (`--no-remember` for one run).
    pub remember: bool,
    /// Columns the terminal draws East Asian Ambiguous characters (`“ ” … —`, box
    /// drawing) in: 1 in most terminals, 2 in those set up for CJK.
    pub ambiguous_width: u8,
    /// MiB past which a post is too big to read whole: the reader shows its head with
    /// a notice (`None`: [`DEFAULT_MAX_POST_MIB`]).
    pub max_post_size: Option<usize>,
    /// MiB of post text full-text search keeps in memory (`None`: the default).
    pub full_text_memory: Option<usize>,
    /// A strftime format for dates in the post list (checked when the file is read).
    pub date_format: Option<String>,
    pub keys: Vec<KeyOverride>,
    /// `check:`: severities of `folio check`'s checks (and the TUI's badges), or off.
    pub check: crate::check::Policy,
    /// How the reader draws pictures: `auto` (the best the terminal offers),
    /// `halfblocks`, or `off` (placeholder lines).
    pub images: crate::images::detect::ImagesSetting,
    /// The most of the reading area's height a picture takes, in percent (`None`: the
    /// default, half).
    pub image_height: Option<u8>,
    /// The command to edit a post with (for features that open an editor).
    pub editor: Option<String>,
    /// The command to open links with.
    pub browser: Option<String>,
    /// The file this came from, when there was one.
    pub path: Option<PathBuf>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            collection: None,
            collections: Vec::new(),
            theme: None,
            width: None,
            show_drafts: true,
            remember: true,
            ambiguous_width: 1,
            max_post_size: None,
            full_text_memory: None,
            date_format: None,
            keys: Vec::new(),
            check: crate::check::Policy::default(),
            images: Default::default(),
            image_height: None,
            editor: None,
            browser: None,
            path: None,
        }
    }
}

impl Config {
    /// Bytes past which a post is not read whole (`max_post_size`, in MiB).
    pub fn max_post_bytes(&self) -> u64 {
        let mib = self.max_post_size.unwrap_or(DEFAULT_MAX_POST_MIB).max(1);
        u64::try_from(mib)
            .unwrap_or(u64::MAX)
            .saturating_mul(1 << 20)
    }

    /// The reader's width: the config's, else [`DEFAULT_WIDTH`]; 0 is the whole terminal.
    pub fn reading_width(&self) -> usize {
        self.width.unwrap_or(DEFAULT_WIDTH)
    }
}

/// The folder holding `config.yaml`: `$FOLIO_CONFIG_DIR`, else `<config dir>/folio`.
pub fn config_dir() -> Option<PathBuf> {
    match std::env::var_os("FOLIO_CONFIG_DIR") {
        Some(dir) if !dir.is_empty() => Some(PathBuf::from(dir)),
        _ => dirs::config_dir().map(|d| d.join("folio")),
    }
}

/// Where the config file is (whether or not it exists).
pub fn config_path() -> Option<PathBuf> {
    config_dir().map(|d| d.join("config.yaml"))
}

/// Reads the config file; a missing file is the default config.
pub fn load() -> Result<Config, ConfigError> {
    match config_path() {
        Some(path) => load_from(&path),
        None => Ok(Config::default()),
    }
}

pub fn load_from(path: &Path) -> Result<Config, ConfigError> {
    let text = match read_hand_written(path) {
        Ok(text) => text,
        Err(e) if e.is_missing() => return Ok(Config::default()),
        Err(e) => return Err(FileError::new(path, None, e.reason())),
    };
    let mut config = parse(&text).map_err(|e| FileError::from_yaml(path, &e))?;
    config.path = Some(path.to_path_buf());
    Ok(config)
}

/// Reads the config file keeping every part that is right: each entry the parser
/// rejects is reported (file, line, key, what) and left out, and the rest applies. The
/// TUI reads it this way, so one typo costs one setting, not the whole file.
pub fn load_lenient(path: &Path) -> (Config, Vec<ConfigError>) {
    let text = match read_hand_written(path) {
        Ok(text) => text,
        Err(e) if e.is_missing() => return (Config::default(), vec![]),
        Err(e) => {
            return (
                Config::default(),
                vec![FileError::new(path, None, e.reason())],
            );
        }
    };
    let (mut config, errors) = parse_lenient(&text);
    config.path = Some(path.to_path_buf());
    let errors = errors
        .iter()
        .map(|e| FileError::from_yaml(path, e))
        .collect();
    (config, errors)
}

/// [`parse`], leaving out what it rejects: after each error, the line it names (with
/// the lines nested under it) is blanked and the text parsed again, so line numbers
/// stay true and every mistake is found, however many there are. An error without a
/// line, or one that blanking does not remove, ends the search with the defaults.
pub fn parse_lenient(text: &str) -> (Config, Vec<serde_yaml::Error>) {
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    let mut errors = Vec::new();
    // Each round blanks at least one line, so this many rounds always suffice.
    for _ in 0..=lines.len() {
        let err = match parse(&lines.join("\n")) {
            Ok(config) => return (config, errors),
            Err(err) => err,
        };
        let blanked = err
            .location()
            .is_some_and(|at| blank_entry(&mut lines, at.line().saturating_sub(1)));
        errors.push(err);
        if !blanked {
            break;
        }
    }
    (Config::default(), errors)
}

/// Blanks line `index` and the more indented lines under it (its nested entries);
/// false when there is nothing left there to blank.
fn blank_entry(lines: &mut [String], index: usize) -> bool {
    let indent = |l: &str| l.len() - l.trim_start().len();
    let Some(first) = lines.get(index).filter(|l| !l.trim().is_empty()) else {
        return false;
    };
    let own = indent(first);
    let nested = lines
        .iter()
        .skip(index + 1)
        .take_while(|l| l.trim().is_empty() || indent(l) > own)
        .count();
    for line in lines.iter_mut().skip(index).take(nested + 1) {
        line.clear();
    }
    true
}

/// Parses config text (no file involved: the caller adds the path to errors).
pub fn parse(text: &str) -> Result<Config, serde_yaml::Error> {
    if text.trim().is_empty() {
        return Ok(Config::default());
    }
    let raw: Option<de::RawConfig> = serde_yaml::from_str(text)?;
    let raw = raw.unwrap_or_default();
    let collections = raw.collection.map(|c| c.0).unwrap_or_default();
    Ok(Config {
        collection: collections.first().map(|c| c.path.clone()),
        collections,
        theme: raw.theme,
        width: raw.width,
        full_text_memory: raw.full_text_memory,
        show_drafts: raw.show_drafts.unwrap_or(true),
        remember: raw.remember.unwrap_or(true),
        ambiguous_width: raw.ambiguous_width.map_or(1, |w| w.0),
        max_post_size: raw.max_post_size,
        date_format: raw.date_format.map(|f| f.0),
        keys: raw.keys.map(|k| k.0).unwrap_or_default(),
        check: crate::check::Policy {
            levels: raw.check.map(|c| c.0).unwrap_or_default(),
        },
        images: raw.images.map(|i| i.0).unwrap_or_default(),
        image_height: raw.image_height.map(|h| h.0),
        editor: raw.editor,
        browser: raw.browser,
        path: None,
    })
}

/// Creates the config file with [`TEMPLATE`]; never replaces an existing one. Returns
/// whether it was created.
pub fn init(path: &Path) -> std::io::Result<bool> {
    use std::io::Write;
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    match std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
    {
        Ok(mut file) => {
            file.write_all(TEMPLATE.as_bytes())?;
            Ok(true)
        }
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(false),
        Err(e) => Err(e),
    }
}

/// The commented default config `folio config --init` writes. Lines starting with `# `
/// are settings to uncomment; `##` lines explain them (a test uncomments every setting
/// and parses the result, so the examples stay valid).
pub const TEMPLATE: &str = include_str!("config_template.yaml");

#[cfg(test)]
mod tests {
    use super::*;
    use crossterm::event::KeyCode;

    fn write(dir: &tempfile::TempDir, text: &str) -> PathBuf {
        let path = dir.path().join("config.yaml");
        std::fs::write(&path, text).expect("write");
        path
    }

    #[test]
    fn missing_file_is_default_and_collection_is_read() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("config.yaml");
        assert_eq!(
            load_from(&path).expect("missing is fine"),
            Config::default()
        );
        let path = write(&dir, "collection: /srv/blog\ntheme: dark\n");
        let config = load_from(&path).expect("parses");
        assert_eq!(config.collection, Some(PathBuf::from("/srv/blog")));
        assert_eq!(config.theme.as_deref(), Some("dark"));
        assert_eq!(config.width, None);
        assert_eq!(config.reading_width(), DEFAULT_WIDTH);
        assert!(config.show_drafts);
    }

    #[test]
    fn check_levels_are_read_and_mistakes_named_with_their_line() {
        use crate::diagnostic::{Code, Severity};
        let config =
            parse("check:\n  broken-anchor: error\n  unknown-shortcode: off\n").expect("parses");
        assert_eq!(
            config.check.severity(Code::BrokenAnchor),
            Some(Severity::Error)
        );
        assert_eq!(config.check.severity(Code::UnknownShortcode), None);
        assert_eq!(config.check.severity(Code::BadDate), Some(Severity::Error));
        let err = parse("width: 80\ncheck:\n  broken-links: off\n").unwrap_err();
        let said = err.to_string();
        assert!(said.contains("unknown check \"broken-links\""), "{said}");
        assert_eq!(err.location().map(|l| l.line()), Some(3), "{said}");
        let err = parse("check:\n  broken-link: fatal\n").unwrap_err();
        assert!(
            err.to_string().contains("error, warning, info or off"),
            "{err}"
        );
        assert_eq!(err.location().map(|l| l.line()), Some(2));
    }

    #[test]
    fn every_key_is_read() {
        let config = parse(
            "collection:\n  - { name: blog, path: /srv/blog }\n  - /srv/notes\n\
             theme: nord\nwidth: 0\nshow_drafts: false\nremember: false\ndate_format: '%d %b %Y'\n\
             keys:\n  reader: { j: scroll-down, ctrl-n: down, x: none }\n  global: { Q: exit }\n\
             editor: hx\nbrowser: firefox\n",
        )
        .expect("parses");
        assert_eq!(
            config.collections,
            [
                Collection {
                    name: "blog".into(),
                    path: "/srv/blog".into()
                },
                Collection {
                    name: "notes".into(),
                    path: "/srv/notes".into()
                }
            ]
        );
        assert_eq!(config.collection, Some(PathBuf::from("/srv/blog")));
        assert_eq!(config.width, Some(0));
        assert!(!config.show_drafts);
        assert!(!config.remember);
        assert_eq!(config.date_format.as_deref(), Some("%d %b %Y"));
        assert_eq!(config.editor.as_deref(), Some("hx"));
        assert_eq!(config.browser.as_deref(), Some("firefox"));
        assert_eq!(
            config.keys,
            [
                KeyOverride {
                    screen: Screen::Reader,
                    key: Key::plain(KeyCode::Char('j')),
                    action: Some(Action::ScrollDown)
                },
                KeyOverride {
                    screen: Screen::Reader,
                    key: Key::ctrl('n'),
                    action: Some(Action::Down)
                },
                KeyOverride {
                    screen: Screen::Reader,
                    key: Key::plain(KeyCode::Char('x')),
                    action: None
                },
                KeyOverride {
                    screen: Screen::Global,
                    key: Key::plain(KeyCode::Char('Q')),
                    action: Some(Action::Exit)
                },
            ]
        );
    }

    #[test]
    fn images_and_their_height_are_read_and_checked() {
        use crate::images::detect::ImagesSetting;
        let config = parse("images: halfblocks\nimage_height: 30\n").expect("parses");
        assert_eq!(config.images, ImagesSetting::Halfblocks);
        assert_eq!(config.image_height, Some(30));
        assert_eq!(
            parse("images: off\n").expect("off").images,
            ImagesSetting::Off
        );
        let default = Config::default();
        assert_eq!(
            (default.images, default.image_height),
            (ImagesSetting::Auto, None)
        );
        for (text, needle) in [
            (
                "images: sixel\n",
                "images is auto, halfblocks or off, not `sixel`",
            ),
            ("image_height: 5\n", "from 10 to 100, not 5"),
            ("image_height: 101\n", "from 10 to 100, not 101"),
        ] {
            let err = parse(text).expect_err(text).to_string();
            assert!(err.contains(needle), "{text:?}: {err}");
        }
    }

    #[test]
    fn home_is_expanded_in_collections() {
        let Some(home) = dirs::home_dir() else {
            return;
        };
        let config = parse("collection: ~/blog\n").expect("parses");
        assert_eq!(config.collection, Some(home.join("blog")));
        assert_eq!(config.collections[0].name, "blog");
    }

    #[test]
    fn bad_files_name_the_file_the_line_and_the_key() {
        let dir = tempfile::tempdir().expect("tempdir");
        let cases = [
            ("collection: [unclosed\n", 2, ""),
            ("theme: dark\ncolour: red\n", 2, "unknown field `colour`"),
            (
                "keys:\n  reader:\n    j: scrol-down\n",
                3,
                "keys.reader.j: unknown action `scrol-down`",
            ),
            (
                "keys:\n  editor: { j: down }\n",
                2,
                "unknown screen `editor`",
            ),
            (
                "keys:\n  list:\n    hyper-x: down\n",
                3,
                "unknown key `hyper-x`",
            ),
            ("width: wide\n", 1, "width"),
            ("date_format: '%Q'\n", 1, "date_format"),
            (
                "collection:\n  - { name: a, folder: /x }\n",
                2,
                "unknown field `folder`",
            ),
        ];
        for (text, line, needle) in cases {
            let path = write(&dir, text);
            let err = load_from(&path).expect_err(text).to_string();
            let prefix = format!("{}:{line}: ", path.display());
            assert!(err.starts_with(&prefix), "{text:?}: {err}");
            assert!(err.contains(needle), "{text:?}: {err}");
        }
    }

    #[test]
    fn only_a_regular_file_of_sensible_size_is_read() {
        // A device reads as empty or without end; either way it is no config.
        #[cfg(unix)]
        for device in ["/dev/null", "/dev/zero"] {
            let err = load_from(Path::new(device)).expect_err(device).to_string();
            assert_eq!(err, format!("{device}: not a regular file; not read"));
            let (config, errors) = load_lenient(Path::new(device));
            assert_eq!(config, Config::default());
            assert_eq!(errors.len(), 1, "{errors:?}");
        }
        let dir = tempfile::tempdir().expect("tempdir");
        let comment = format!("# {}\n", "x".repeat(1024));
        let big = write(&dir, &comment.repeat(1100));
        let err = load_from(&big).expect_err("too large").to_string();
        assert!(err.ends_with(": larger than 1 MiB; not read"), "{err}");
    }

    #[test]
    fn a_lenient_read_keeps_every_valid_part_and_reports_every_mistake() {
        let text = "collection:\n  - { name: blog, path: /srv/blog }\n  - { name: x, folder: /x }\n\
                    theme: nord\nwidth: wide\ncolour: red\nkeys:\n  reader:\n    j: scrol-down\n    \
                    k: up\n  editor:\n    q: quit\n  list: { x: open }\neditor: hx\n";
        let (config, errors) = parse_lenient(text);
        let lines: Vec<usize> = errors
            .iter()
            .filter_map(|e| e.location().map(|l| l.line()))
            .collect();
        assert_eq!(lines, [3, 5, 6, 9, 11], "{errors:?}");
        assert_eq!(config.collections.len(), 1, "the good collection stays");
        assert_eq!(config.theme.as_deref(), Some("nord"));
        assert_eq!(config.width, None, "the bad width is left out");
        assert_eq!(config.editor.as_deref(), Some("hx"));
        let bound: Vec<(Screen, Option<Action>)> =
            config.keys.iter().map(|k| (k.screen, k.action)).collect();
        assert_eq!(
            bound,
            [
                (Screen::Reader, Some(Action::Up)),
                (Screen::List, Some(Action::Open))
            ]
        );
        // A file the parser cannot make sense of at all: the defaults, and why.
        let (config, errors) = parse_lenient("collection: [unclosed\n");
        assert_eq!(config, Config::default());
        assert_eq!(errors.len(), 1);
        // A clean file: no errors.
        let (_, errors) = parse_lenient("theme: dark\n");
        assert!(errors.is_empty());
    }

    #[test]
    fn the_template_parses_as_is_and_with_every_setting_uncommented() {
        assert_eq!(parse(TEMPLATE).expect("template parses"), Config::default());
        let uncommented: String = TEMPLATE
            .lines()
            .map(|l| match l.strip_prefix("# ") {
                Some(setting) if !l.starts_with("##") => setting,
                _ => l,
            })
            .collect::<Vec<_>>()
            .join("\n");
        let config = parse(&uncommented).unwrap_or_else(|e| panic!("{e}\n{uncommented}"));
        assert!(!config.keys.is_empty());
        assert!(config.theme.is_some());
    }

    #[test]
    fn init_creates_once_and_never_overwrites() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("sub/config.yaml");
        assert!(init(&path).expect("creates"));
        std::fs::write(&path, "theme: mine\n").expect("edit");
        assert!(!init(&path).expect("exists"));
        assert_eq!(
            std::fs::read_to_string(&path).expect("read"),
            "theme: mine\n"
        );
    }
}

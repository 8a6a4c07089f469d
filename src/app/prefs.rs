//! What the config asks of the TUI, applied to an [`App`]: the theme, remapped keys, the
//! reading width, how dates look, whether drafts show, and the collections `C` switches
//! between. Kept apart from the state machine so the config can grow without touching
//! every screen.

use std::fmt::Write as _;

use super::state::App;
use crate::config::{self, Collection, Config};
use crate::library::{Library, Post, PostDate};
use crate::theme::Theme;
use crate::theme::catalog::Catalog;

#[derive(Debug, Clone)]
pub struct Prefs {
    /// Reading width in columns; 0 is the full terminal width.
    pub width: usize,
    /// strftime format for list dates (validated when the config was read).
    pub date_format: Option<String>,
    pub show_drafts: bool,
    /// The config's collections, and which one is open (if any of them).
    pub collections: Vec<Collection>,
    pub current_collection: Option<usize>,
    /// Where the theme picker finds themes.
    pub catalog: Catalog,
    pub editor: Option<String>,
    pub browser: Option<String>,
    /// Columns ambiguous-width characters take on this terminal (1 or 2).
    pub ambiguous_width: u8,
    /// Bytes past which a post is not read whole.
    pub max_post_bytes: u64,
}

impl Default for Prefs {
    fn default() -> Self {
        Prefs {
            width: config::DEFAULT_WIDTH,
            date_format: None,
            show_drafts: true,
            collections: Vec::new(),
            current_collection: None,
            catalog: Catalog::default(),
            editor: None,
            browser: None,
            ambiguous_width: 1,
            max_post_bytes: Config::default().max_post_bytes(),
        }
    }
}

impl Prefs {
    pub fn from_config(config: &Config) -> Self {
        Prefs {
            width: config.reading_width(),
            date_format: config.date_format.clone(),
            show_drafts: config.show_drafts,
            collections: config.collections.clone(),
            current_collection: None,
            catalog: Catalog::default(),
            editor: config.editor.clone(),
            browser: config.browser.clone(),
            ambiguous_width: config.ambiguous_width,
            max_post_bytes: config.max_post_bytes(),
        }
    }

    /// A post's date as the list shows it: the config's format, else `2021-05-25`. The
    /// format is the user's text, copied into the date as it is, so it is sanitized.
    pub fn format_date(&self, post: &Post) -> String {
        post.meta
            .date
            .as_ref()
            .map(|date| format_date(date, self.date_format.as_deref()))
            .map(|date| crate::markdown::sanitize::sanitize_flat(&date).into_owned())
            .unwrap_or_default()
    }

    /// Drops drafts from a freshly scanned library when the config hides them.
    pub fn filter(&self, library: &mut Library) {
        if !self.show_drafts {
            library.retain(|p| !p.meta.draft);
        }
    }
}

/// Formats with a strftime string; a field the date cannot fill (a zone on a date that
/// has none) falls back to the plain date rather than failing.
pub fn format_date(date: &PostDate, format: Option<&str>) -> String {
    let Some(format) = format else {
        return date.ymd();
    };
    let mut out = String::new();
    let written = match date
        .offset
        .and_then(|o| date.naive.and_local_timezone(o).single())
    {
        Some(zoned) => write!(out, "{}", zoned.format(format)),
        None => write!(out, "{}", date.naive.format(format)),
    };
    match written {
        Ok(()) => out,
        Err(_) => date.ymd(),
    }
}

impl App {
    /// The collection as the status bar names it: its name in the config, else how it
    /// was opened (a path, "bundled samples").
    pub fn collection_name(&self) -> &str {
        self.prefs
            .current_collection
            .and_then(|i| self.prefs.collections.get(i))
            .map_or(self.collection_label.as_str(), |c| c.name.as_str())
    }

    /// Applies the config and the chosen theme: keys are remapped, the reading width,
    /// date format and drafts setting take effect, and the reader uses the theme's code
    /// colours.
    pub fn configure(&mut self, config: &Config, theme: Theme) {
        for rebind in &config.keys {
            self.keymap.rebind(rebind.screen, rebind.key, rebind.action);
        }
        self.checks.policy = config.check.clone();
        let mut prefs = Prefs::from_config(config);
        prefs.catalog = std::mem::take(&mut self.prefs.catalog);
        // The open folder is "one of the config's collections" however it was opened
        // (no PATH, or a PATH the config also names), so it goes by that name.
        let same = |a: &std::path::Path, b: &std::path::Path| {
            a == b
                || a.canonicalize()
                    .ok()
                    .is_some_and(|a| b.canonicalize().ok() == Some(a))
        };
        prefs.current_collection = config
            .collections
            .iter()
            .position(|c| same(&c.path, &self.library.root));
        prefs.filter(&mut self.library);
        self.prefs = prefs;
        match config.full_text_memory {
            Some(mib) => self.bodies.set_budget(mib.saturating_mul(1024 * 1024)),
            None => {
                self.bodies.budget = super::bodies::DEFAULT_BUDGET;
                self.bodies.budget_set = false;
            }
        }
        self.images.setting = config.images;
        self.images.height_percent = config
            .image_height
            .unwrap_or(super::images::DEFAULT_HEIGHT_PERCENT);
        self.set_theme(theme);
        self.keep_selection_visible();
        let (width, height) = self.size;
        self.resize(width, height);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(text: &str) -> PostDate {
        PostDate::parse(text).expect("date")
    }

    #[test]
    fn dates_follow_the_format_and_never_fail() {
        assert_eq!(format_date(&date("2021-05-25"), None), "2021-05-25");
        assert_eq!(
            format_date(&date("2021-05-25"), Some("%d %b %Y")),
            "25 May 2021"
        );
        assert_eq!(
            format_date(&date("2021-05-25T11:20:46+08:00"), Some("%H:%M %z")),
            "11:20 +0800"
        );
        // A zone asked of a date without one: the plain date, not a panic.
        assert_eq!(format_date(&date("2021-05-25"), Some("%z")), "2021-05-25");
    }
}

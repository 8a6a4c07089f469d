//! What the TUI knows at any moment. Views read this; only [`super::update`] and the
//! few methods here change it.

use std::path::PathBuf;

use super::bodies::BodyCache;
use super::find::DocFind;
use super::keymap::{Keymap, Screen};
use super::search::ListSearch;
use super::tags::TagBrowser;
use crate::library::{Library, Meta};
use crate::markdown::{self, Document, Laid, LayoutOptions};

/// The reader never lays text out wider than this, even on a wide terminal: long lines
/// are hard to read.
pub const MAX_READING_WIDTH: usize = 100;

/// A post open in the reader: parsed once, laid out once per width.
#[derive(Debug, Clone)]
pub struct ReaderState {
    /// Index of the post in the library.
    pub post: usize,
    pub document: Document,
    pub options: LayoutOptions,
    pub laid: Laid,
    /// First visible row of `laid`.
    pub scroll: usize,
    pub warnings: Vec<String>,
}

impl ReaderState {
    /// The top-level block the first visible row belongs to.
    fn block_at_scroll(&self) -> usize {
        self.laid
            .block_rows
            .partition_point(|&row| row <= self.scroll)
            .saturating_sub(1)
    }

    fn relayout(&mut self, width: usize) {
        if self.laid.width == width && !self.laid.lines.is_empty() {
            return;
        }
        let block = self.block_at_scroll();
        // Above the first block (the header card) the reader stays at the top.
        let in_body = self
            .laid
            .block_rows
            .first()
            .is_some_and(|&first| self.scroll >= first);
        self.options.width = width;
        self.laid = markdown::layout(&self.document, &self.options);
        if in_body {
            self.scroll = self.laid.block_rows.get(block).copied().unwrap_or(0);
        }
    }
}

#[derive(Debug, Clone)]
pub struct App {
    pub library: Library,
    /// How the collection is named in the status bar (a path, or "bundled samples").
    pub collection_label: String,
    pub keymap: Keymap,
    pub screen: Screen,
    /// Selected row in the list.
    pub selected: usize,
    /// First visible row in the list.
    pub list_offset: usize,
    pub reader: Option<ReaderState>,
    pub show_help: bool,
    pub should_quit: bool,
    /// Terminal size in cells (width, height).
    pub size: (u16, u16),
    /// A one-line message for the status bar (an error opening a post, ...).
    pub message: Option<String>,
    /// The list's search line and tag chips, and the rows they select.
    pub search: ListSearch,
    /// The reader's search in the open post.
    pub find: DocFind,
    /// The tag or category browser, when open.
    pub browser: Option<TagBrowser>,
    /// Post bodies read in the background, for full-text search.
    pub bodies: BodyCache,
}

impl App {
    pub fn new(library: Library, collection_label: String, size: (u16, u16)) -> Self {
        App {
            library,
            collection_label,
            keymap: Keymap::default(),
            screen: Screen::List,
            selected: 0,
            list_offset: 0,
            reader: None,
            show_help: false,
            should_quit: false,
            size,
            message: None,
            search: ListSearch::default(),
            find: DocFind::default(),
            browser: None,
            bodies: BodyCache::default(),
        }
    }

    /// Rows available to the list or the reader: all but the status bar (and the
    /// search line when it shows).
    pub fn body_height(&self) -> usize {
        let search_line = u16::from(self.search_line_visible());
        usize::from(self.size.1.saturating_sub(1 + search_line)).max(1)
    }

    /// Each post takes two rows (title, then description) when there is room for it.
    pub fn list_row_height(&self) -> usize {
        if self.size.1 >= 12 { 2 } else { 1 }
    }

    /// How many posts fit on one screen of the list.
    pub fn list_page(&self) -> usize {
        (self.body_height() / self.list_row_height()).max(1)
    }

    pub fn reading_width(&self) -> usize {
        usize::from(self.size.0).clamp(1, MAX_READING_WIDTH)
    }

    /// Shows a post whose text has been read: parse, lay out, switch to the reader.
    pub fn show_post(&mut self, post: usize, meta: Meta, body: &str, warnings: Vec<String>) {
        let base_dir = self.library.posts.get(post).and_then(|p| match &p.source {
            crate::library::Source::File(path) => path.parent().map(PathBuf::from),
            crate::library::Source::Embedded(_) => None,
        });
        let options = LayoutOptions {
            width: self.reading_width(),
            meta: Some(meta),
            base_dir,
            code_theme: None,
        };
        let document = markdown::parse(body);
        let laid = markdown::layout(&document, &options);
        self.selected = self.row_of_post(post).unwrap_or(self.selected);
        self.find = DocFind::default();
        self.reader = Some(ReaderState {
            post,
            document,
            options,
            laid,
            scroll: 0,
            warnings,
        });
        self.screen = Screen::Reader;
        self.message = None;
    }

    /// Reacts to a new terminal size: re-lays out the reader at the same block and keeps
    /// the list selection on screen.
    pub fn resize(&mut self, width: u16, height: u16) {
        self.size = (width, height);
        let reading_width = self.reading_width();
        if let Some(reader) = &mut self.reader {
            reader.relayout(reading_width);
        }
        self.refresh_find();
        self.clamp_reader_scroll();
        self.keep_selection_visible();
    }

    pub fn max_reader_scroll(&self) -> usize {
        self.reader
            .as_ref()
            .map(|r| r.laid.lines.len().saturating_sub(self.body_height()))
            .unwrap_or(0)
    }

    pub(super) fn clamp_reader_scroll(&mut self) {
        let max = self.max_reader_scroll();
        if let Some(reader) = &mut self.reader {
            reader.scroll = reader.scroll.min(max);
        }
    }

    pub(super) fn keep_selection_visible(&mut self) {
        let count = self.row_count();
        self.selected = self.selected.min(count.saturating_sub(1));
        let page = self.list_page();
        if self.selected < self.list_offset {
            self.list_offset = self.selected;
        } else if self.selected >= self.list_offset + page {
            self.list_offset = self.selected + 1 - page;
        }
        self.list_offset = self.list_offset.min(count.saturating_sub(page));
    }
}

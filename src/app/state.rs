//! What the TUI knows at any moment. Views read this; only [`super::update`] and the
//! few methods here change it.

use std::path::PathBuf;
use std::sync::{Arc, OnceLock};

use super::bodies::BodyCache;
use super::find::DocFind;
use super::history::History;
use super::keymap::Keymap;
use super::listing::ListOptions;
use super::mode::View;
use super::mouse::Clicks;
use super::outline::{self, Outline};
use super::picker::Picker;
use super::prefs::Prefs;
use super::related::{self, RelatedEntry};
use super::search::ListSearch;
use super::tags::TagBrowser;
use crate::diagnostic::Diagnostic;
use crate::library::front_matter::PostText;
use crate::library::{Library, PostId};
use crate::markdown::{self, Document, HighlightMode, Laid, LayoutOptions};
use crate::theme::Theme;

/// Posts longer than this open with only their first screens laid out.
const PROGRESSIVE_LAYOUT_BYTES: usize = 256 * 1024;

/// What the reader lays a post out from.
#[derive(Debug, Clone)]
pub enum PostSource {
    /// A short post, parsed once and laid out on the loop once per width.
    Parsed(Document),
    /// A long post (over [`PROGRESSIVE_LAYOUT_BYTES`]), of which nothing is kept but
    /// its head: each layout of the whole is made beside the loop a piece at a time,
    /// parsing as it goes, from the body just read or else from the file read again
    /// (see [`super::long_post`]). Its whole document model would take several times
    /// the body's size, and keeping that, or the body, with the layout was most of a
    /// long post's memory.
    Long(LongPost),
}

/// What the reader keeps of a long post.
#[derive(Debug, Clone)]
pub struct LongPost {
    /// The body as read to open (or reload) the post, until a layout job takes it.
    pub body: Option<String>,
    /// Its head, to make the first screens again at another width while only they
    /// are shown ([`markdown::first_screens`]).
    pub head: String,
    /// The body's size, for the first screens' estimated reading time.
    pub len: usize,
    /// What tells the body apart from other text, once the first layout job has made
    /// it: a later job reading the file again checks it got the same text.
    pub digest: Arc<OnceLock<u64>>,
}

impl PostSource {
    /// A short body parsed, a long one kept for its first layout.
    pub fn of(body: String) -> PostSource {
        if body.len() > PROGRESSIVE_LAYOUT_BYTES {
            PostSource::Long(LongPost {
                head: markdown::first_screens_head(&body).to_string(),
                len: body.len(),
                body: Some(body),
                digest: Arc::default(),
            })
        } else {
            PostSource::Parsed(markdown::parse(&body))
        }
    }
}

/// A post open in the reader: parsed once, laid out once per width.
#[derive(Debug, Clone)]
pub struct ReaderState {
    /// Which post it is.
    pub post: PostId,
    pub source: PostSource,
    pub options: LayoutOptions,
    pub laid: Laid,
    /// First visible row of `laid`.
    pub scroll: usize,
    /// What reading its text found (front matter, encoding), until the collection's
    /// check says more ([`App::checks`]).
    pub diagnostics: Vec<Diagnostic>,
    /// The file's line the body starts on (after the front matter).
    pub body_line: usize,
    /// The link Tab moved to (a `style.link` id), drawn highlighted.
    pub focus: Option<u32>,
    /// The "Related posts" section, appended after every layout of the post.
    pub related: Vec<RelatedEntry>,
    /// A layout of the whole long post at `options` is wanted: the loop hands it to a
    /// job after the next frame ([`App::take_layout_job`]). Meanwhile the reader shows
    /// its first screens, or the layout it had (at the width before a resize).
    pub wants_layout: bool,
    /// Where to put the view once the whole post is laid out (a remembered place past
    /// the head of a long post).
    pub landing: Option<super::Landing>,
    /// The layout of the whole being made beside the event loop (its token), for a long
    /// post (see [`super::long_post`]).
    pub pending_layout: Option<u64>,
}

impl ReaderState {
    /// The top-level block the first visible row belongs to.
    pub(super) fn block_at_scroll(&self) -> usize {
        self.laid
            .block_rows
            .partition_point(|&row| row <= self.scroll)
            .saturating_sub(1)
    }

    /// Where the view is, in terms that survive a new layout.
    pub(super) fn anchor(&self) -> ViewAnchor {
        let rows = &self.laid.block_rows;
        let total = self.laid.lines.len();
        match rows.first() {
            Some(&first) if self.scroll >= first => {
                let block = self.block_at_scroll();
                let start = rows.get(block).copied().unwrap_or(first);
                let end = rows.get(block + 1).copied().unwrap_or(total);
                ViewAnchor {
                    block: Some(block),
                    offset: self.scroll - start,
                    rows: end.saturating_sub(start),
                }
            }
            // Above the first block: in the header card.
            first => ViewAnchor {
                block: None,
                offset: self.scroll,
                rows: first.copied().unwrap_or(total),
            },
        }
    }

    /// Puts the view back at `anchor` in the current layout: the same block, as far
    /// into it (in proportion, since a new width changes how many rows it takes).
    pub(super) fn restore(&mut self, anchor: &ViewAnchor) {
        let rows = &self.laid.block_rows;
        let total = self.laid.lines.len();
        let (start, len) = match anchor.block {
            Some(block) => {
                let block = block.min(rows.len().saturating_sub(1));
                let start = rows.get(block).copied().unwrap_or(0);
                let end = rows.get(block + 1).copied().unwrap_or(total);
                (start, end.saturating_sub(start))
            }
            None => (0, rows.first().copied().unwrap_or(total)),
        };
        let mut offset = if anchor.rows == 0 || len == 0 {
            0
        } else {
            (anchor.offset * len / anchor.rows).min(len - 1)
        };
        // A block that shrank (a picture turned into its line) may put the view on the
        // blank row that ends it, past everything it shows: back to its last text row.
        while offset > 0 && self.row_is_blank(start + offset) {
            offset -= 1;
        }
        self.scroll = start + offset;
    }

    fn row_is_blank(&self, row: usize) -> bool {
        self.laid
            .lines
            .get(row)
            .is_some_and(|line| line.spans().all(|s| s.text.trim().is_empty()))
    }

    /// Lays the post out again at the current options: a short post here and now,
    /// with what folio adds after the post (related posts); a long post's whole is
    /// asked of a job, and if only its first screens are shown they are made again
    /// (`rows` of them) at once.
    pub(super) fn lay_out(&mut self, rows: usize) {
        match &self.source {
            PostSource::Parsed(document) => {
                self.laid = markdown::layout(document, &self.options);
                related::append(&mut self.laid, &self.related);
            }
            PostSource::Long(long) => {
                if self.laid.partial {
                    self.laid = markdown::first_screens(&long.head, long.len, &self.options, rows);
                }
                self.wants_layout = true;
            }
        }
    }
}

/// A place in the reader that a new layout can find again: the top-level block on top
/// (`None`: the header card) and how many rows into it, out of how many.
pub(super) struct ViewAnchor {
    block: Option<usize>,
    offset: usize,
    rows: usize,
}

#[derive(Debug, Clone)]
pub struct App {
    pub library: Library,
    /// How the collection is named in the status bar (a path, or "bundled samples").
    pub collection_label: String,
    pub keymap: Keymap,
    /// The list or the reader: the screen under every overlay ([`super::mode`]).
    pub view: View,
    /// Selected row in the list.
    pub selected: Option<PostId>,
    /// First visible row in the list.
    pub list_offset: usize,
    pub reader: Option<ReaderState>,
    pub show_help: bool,
    /// First row of the help page shown (it can be taller than the screen).
    pub help_scroll: usize,
    pub should_quit: bool,
    /// Terminal size in cells (width, height).
    pub size: (u16, u16),
    /// A one-line message for the status bar (an error opening a post, ...); set with
    /// [`App::say`], which also keeps it in `log`.
    pub message: Option<String>,
    /// Every message of this run, oldest first (bounded), whole: the messages screen
    /// shows what the status bar had to cut.
    pub log: Vec<String>,
    /// The messages screen is open.
    pub show_messages: bool,
    /// First row of the messages screen shown.
    pub messages_scroll: usize,
    pub outline: Outline,
    /// Positions to go back (Backspace) and forward (`L`) to.
    pub history: History,
    /// Sort and grouping of the list.
    pub list_options: ListOptions,
    pub clicks: Clicks,
    /// The theme drawn with; the theme picker changes it.
    pub theme: Theme,
    /// What the config asks for (see [`App::configure`]).
    pub prefs: Prefs,
    /// The open theme or collection picker, drawn over the view.
    pub picker: Option<Picker>,
    /// The list's search line and tag chips, and the rows they select.
    pub search: ListSearch,
    /// The reader's search in the open post.
    pub find: DocFind,
    /// The tag or category browser, when open.
    pub browser: Option<TagBrowser>,
    /// Post bodies read in the background, for full-text search.
    pub bodies: BodyCache,
    /// Full-text search of the files whose bodies are not in memory.
    pub text_search: super::textsearch::TextSearch,
    /// Whether the collection is still being checked or indexed at start-up.
    pub index_status: super::change::IndexStatus,
    /// Posts found so far by that check.
    pub index_found: usize,
    /// Where posts were left, which are read, bookmarks, recent posts.
    pub memory: crate::memory::Memory,
    /// Which long post's layout the reader waits for (see [`super::long_post`]).
    pub layouts: super::long_post::LayoutTokens,
    /// The line a bookmark's note is typed in (`M`), while it is open.
    pub note: Option<super::input::LineInput>,
    /// Changes with each new collection, so results a background thread worked out for
    /// the previous one are recognised and dropped.
    pub collection_epoch: u64,
    /// What `folio check` finds in the collection, by post.
    pub checks: super::checks::Checks,
    /// Pictures in the reader: what is known of them, those made, jobs to ask for more.
    pub images: super::images::Images,
}

impl App {
    pub fn new(library: Library, collection_label: String, size: (u16, u16)) -> Self {
        let selected = library.posts().first().map(|p| p.id.clone());
        App {
            library,
            collection_label,
            keymap: Keymap::default(),
            view: View::List,
            selected,
            list_offset: 0,
            reader: None,
            show_help: false,
            help_scroll: 0,
            should_quit: false,
            size,
            message: None,
            log: Vec::new(),
            show_messages: false,
            messages_scroll: 0,
            outline: Outline::default(),
            history: History::default(),
            list_options: ListOptions::default(),
            clicks: Clicks::default(),
            theme: Theme::default(),
            prefs: Prefs::default(),
            picker: None,
            search: ListSearch::default(),
            find: DocFind::default(),
            browser: None,
            bodies: BodyCache::default(),
            text_search: Default::default(),
            index_status: Default::default(),
            index_found: 0,
            memory: Default::default(),
            note: None,
            layouts: Default::default(),
            collection_epoch: 0,
            checks: super::checks::Checks::new(Default::default()),
            images: Default::default(),
        }
    }

    /// Shows `text` in the status bar and keeps it in the messages log.
    pub fn say(&mut self, text: String) {
        self.log_only(text.clone());
        self.message = Some(text);
    }

    /// Keeps `text` in the messages log (`!`) without taking the status bar: news that
    /// is worth finding, not worth interrupting for.
    pub fn log_only(&mut self, text: String) {
        /// Enough for any session; the oldest go first.
        const LOG_LIMIT: usize = 200;
        if self.log.last() != Some(&text) {
            self.log.push(text);
        }
        if self.log.len() > LOG_LIMIT {
            self.log.remove(0);
        }
    }

    /// Rows available to the list or the reader: all but the status bar (and the
    /// search line when it shows).
    /// How many rows of a long post are laid out at once, before the whole.
    pub(super) fn first_screen_rows(&self) -> usize {
        self.body_height() * 3
    }

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

    /// The config's `width` (long lines are hard to read), or the whole terminal for 0.
    pub fn reading_width(&self) -> usize {
        // The outline pane, when shown, takes its columns from the text; the config's
        // reading width (0: all of it) caps what is left.
        let room = usize::from(self.size.0.saturating_sub(outline::pane_width(self))).max(1);
        match self.prefs.width {
            0 => room,
            width => room.min(width),
        }
    }

    /// Shows a post whose text has been read: parse, lay out, switch to the reader.
    pub fn show_post(&mut self, post: PostId, text: PostText) {
        let PostText {
            meta,
            body,
            diagnostics,
            body_line,
        } = text;
        self.leave_post();
        self.layouts.forget();
        let base_dir = self.library.get(&post).and_then(|p| match &p.source {
            crate::library::Source::File(path) => path.parent().map(PathBuf::from),
            crate::library::Source::Embedded(_) => None,
        });
        let images = self.figure_options(base_dir.as_ref());
        let options = LayoutOptions {
            width: self.reading_width(),
            meta: Some(meta),
            base_dir,
            code_theme: self.theme.code_theme().map(str::to_string),
            numbered_links: false,
            highlight: HighlightMode::Lazy,
            estimated_minutes: None,
            ambiguous_width: self.prefs.ambiguous_width,
            images,
        };
        self.images_for_new_post();
        let related = related::entries(self, &post);
        // A very long post shows its first screens at once, from its head alone; the
        // whole is parsed and laid out right after that frame is drawn (`take_layout_job`).
        let source = PostSource::of(body);
        let laid = match &source {
            PostSource::Long(long) => {
                markdown::first_screens(&long.head, long.len, &options, self.first_screen_rows())
            }
            PostSource::Parsed(document) => {
                let mut laid = markdown::layout(document, &options);
                related::append(&mut laid, &related);
                laid
            }
        };
        self.selected = Some(post.clone());
        self.find = DocFind::default();
        self.memory.opened(&post);
        self.reader = Some(ReaderState {
            post,
            source,
            options,
            wants_layout: laid.partial,
            laid,
            scroll: 0,
            diagnostics,
            body_line,
            focus: None,
            related,
            landing: None,
            pending_layout: None,
        });
        self.view = View::Reader;
        self.message = None;
        self.outline.focused = false;
        self.outline.selected = 0;
        self.note_end_seen();
    }

    /// Lays the open post out again, the one way every cause does it (a resize, the
    /// outline pane, a theme with other code colours, a reload after editing): at the
    /// reading width and code theme of now, keeping the view at the same block, the
    /// related posts, the find hits and the link focus. A long post's whole is laid out
    /// beside the loop; it keeps the view at the same block when it comes
    /// ([`App::laid_out`]).
    pub fn relayout_reader(&mut self) {
        let width = self.reading_width();
        let code_theme = self.theme.code_theme().map(str::to_string);
        let first_rows = self.first_screen_rows();
        let images = self.figure_options(
            self.reader
                .as_ref()
                .and_then(|r| r.options.base_dir.as_ref()),
        );
        self.images_for_new_layout();
        let Some(reader) = self.reader.as_mut() else {
            return;
        };
        let anchor = reader.anchor();
        reader.options.width = width;
        reader.options.code_theme = code_theme;
        reader.options.images = images;
        reader.lay_out(first_rows);
        reader.restore(&anchor);
        // Link ids follow the document, so the focused link keeps its id; one that is
        // gone (a reload removed it) is dropped.
        let links = &reader.laid.links;
        reader.focus = reader.focus.filter(|id| links.iter().any(|l| l.id == *id));
        self.clamp_reader_scroll();
        self.refresh_find();
    }

    /// Colours the code blocks on screen (lazy highlighting): called before each frame,
    /// so a post with a thousand code blocks opens as fast as one with none.
    pub fn highlight_visible(&mut self) {
        let height = self.body_height();
        if let Some(reader) = &mut self.reader {
            let start = reader.scroll;
            let theme = reader.options.code_theme.clone();
            reader
                .laid
                .highlight_rows(start..start + height, theme.as_deref());
        }
    }

    /// Reacts to a new terminal size: re-lays out the reader at the same block and keeps
    /// the list selection on screen.
    pub fn resize(&mut self, width: u16, height: u16) {
        self.size = (width, height);
        let reading_width = self.reading_width();
        // Pictures take a share of the height: a new height is new boxes.
        let picture_rows =
            crate::images::fit::max_rows(self.body_height(), self.images.height_percent);
        if self.reader.as_ref().is_some_and(|r| {
            r.laid.width != reading_width
                || r.laid.lines.is_empty()
                || r.options
                    .images
                    .as_ref()
                    .is_some_and(|o| o.max_rows != picture_rows)
        }) {
            self.relayout_reader();
        }
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

    /// Selects `post` in the list and scrolls to it.
    pub fn select(&mut self, post: PostId) {
        self.selected = Some(post);
        self.keep_selection_visible();
    }

    /// Scrolls the list to the selection; rows follow the sort and grouping, so this
    /// lives with them in [`super::listing`].
    pub(super) fn keep_selection_visible(&mut self) {
        super::listing::keep_selection_visible(self);
    }
}

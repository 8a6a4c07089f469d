//! A long post parsed and laid out beside the event loop. The reader shows a long
//! post's first screens from its head at once ([`App::show_post`]); the whole is parsed
//! and laid out by a [`LayoutJob`] on a thread of its own, so keys stay live (scrolling
//! the head, leaving the post, quitting) however long that takes. Leaving the post
//! makes the job's result worthless: it is dropped when it arrives, and the job stops
//! before laying out once it sees it has been left.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use super::related::{self, RelatedEntry};
use super::state::App;
use crate::markdown::{self, Document, Laid, LayoutOptions};

/// The parse and layout of one long post's whole body.
pub struct LayoutJob {
    token: u64,
    /// The token of the post the reader shows now (0: none wanting a layout).
    wanted: Arc<AtomicU64>,
    body: String,
    options: LayoutOptions,
    related: Vec<RelatedEntry>,
}

/// What a [`LayoutJob`] made.
#[derive(Debug)]
pub struct LaidOut {
    pub token: u64,
    pub document: Document,
    pub laid: Laid,
}

impl LayoutJob {
    fn wanted(&self) -> bool {
        self.wanted.load(Ordering::Relaxed) == self.token
    }

    /// Parses and lays out the body; `None` when the post was left meanwhile.
    pub fn run(self) -> Option<LaidOut> {
        if !self.wanted() {
            return None;
        }
        let document = markdown::parse(&self.body);
        if !self.wanted() {
            return None;
        }
        let mut laid = markdown::layout(&document, &self.options);
        related::append(&mut laid, &self.related);
        Some(LaidOut {
            token: self.token,
            document,
            laid,
        })
    }
}

/// Which layout the reader waits for; shared with the jobs so they can stop early.
#[derive(Debug, Clone, Default)]
pub struct LayoutTokens {
    next: u64,
    wanted: Arc<AtomicU64>,
}

impl LayoutTokens {
    /// No layout is wanted any more (the post was left).
    pub fn forget(&self) {
        self.wanted.store(0, Ordering::Relaxed);
    }
}

impl App {
    /// The layout of the open post's whole body, when only its head is shown and no
    /// job is out for it yet.
    pub fn take_layout_job(&mut self) -> Option<LayoutJob> {
        let reader = self.reader.as_mut()?;
        let body = reader.unparsed_body.take()?;
        self.layouts.next += 1;
        let token = self.layouts.next;
        self.layouts.wanted.store(token, Ordering::Relaxed);
        reader.pending_layout = Some(token);
        Some(LayoutJob {
            token,
            wanted: Arc::clone(&self.layouts.wanted),
            body,
            options: reader.options.clone(),
            related: reader.related.clone(),
        })
    }

    /// A job's result: shown when it is still the open post's, at the place the head
    /// was scrolled to (rows already shown do not move), else dropped.
    pub fn laid_out(&mut self, result: LaidOut) {
        let Some(reader) = self
            .reader
            .as_mut()
            .filter(|r| r.pending_layout == Some(result.token))
        else {
            return;
        };
        reader.pending_layout = None;
        reader.document = result.document;
        let width_now = reader.laid.width;
        let same_width = result.laid.width == width_now;
        reader.laid = result.laid;
        let landing = reader.landing.take();
        if !same_width {
            // The terminal was resized while the job ran: once more, at the new width.
            self.relayout_reader();
        }
        self.clamp_reader_scroll();
        self.refresh_find();
        if let Some(landing) = landing {
            self.land(&landing);
        }
        self.note_end_seen();
    }

    /// Completes a layout that [`App::show_post`] left partial, here and now (tests
    /// and tools; the TUI runs the job beside its loop). Returns whether there was
    /// anything to do.
    pub fn finish_layout(&mut self) -> bool {
        let Some(job) = self.take_layout_job() else {
            return false;
        };
        match job.run() {
            Some(result) => self.laid_out(result),
            None => return false,
        }
        true
    }
}

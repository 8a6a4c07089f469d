//! A long post parsed and laid out beside the event loop. The reader shows a long
//! post's first screens from its head at once ([`App::show_post`]); the whole is parsed
//! and laid out by a [`LayoutJob`] on a thread of its own, so keys stay live (scrolling
//! the head, leaving the post, quitting) however long that takes. So is every later
//! layout of it (a resize, a theme, a reload): the reader keeps showing the layout it
//! has until the new one comes. A job works a group of pieces at a time
//! ([`markdown::layout_in_pieces`]), so the post's whole document model is never in
//! memory, and none of it is kept: the next layout parses the body again.
//!
//! Leaving the post, or asking for another layout of it, makes the job's result
//! worthless: it is dropped when it arrives, and the job stops at its next group of
//! pieces once it sees it is not wanted.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use super::related::{self, RelatedEntry};
use super::state::{App, PostSource};
use crate::markdown::{self, Laid, LayoutOptions};

/// The parse and layout of one long post's whole body.
pub struct LayoutJob {
    token: u64,
    /// The token of the layout the reader waits for now (0: none).
    wanted: Arc<AtomicU64>,
    body: Arc<str>,
    options: LayoutOptions,
    related: Vec<RelatedEntry>,
}

/// What a [`LayoutJob`] made.
#[derive(Debug)]
pub struct LaidOut {
    pub token: u64,
    pub laid: Laid,
}

impl LayoutJob {
    fn wanted(&self) -> bool {
        self.wanted.load(Ordering::Relaxed) == self.token
    }

    /// Parses and lays out the body; `None` when it stopped being wanted meanwhile.
    pub fn run(self) -> Option<LaidOut> {
        let keep_going = || self.wanted();
        let mut laid = markdown::layout_in_pieces(
            &self.body,
            &self.options,
            markdown::PIECE_BYTES,
            &keep_going,
        )?;
        related::append(&mut laid, &self.related);
        Some(LaidOut {
            token: self.token,
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
    /// The layout of the open post's whole body, when one is wanted and not yet asked
    /// of a job. A job still out for an earlier layout of the post is not wanted any
    /// more.
    pub fn take_layout_job(&mut self) -> Option<LayoutJob> {
        let reader = self.reader.as_mut()?;
        let PostSource::Long(body) = &reader.source else {
            return None;
        };
        if !reader.wants_layout {
            return None;
        }
        reader.wants_layout = false;
        let body = Arc::clone(body);
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

    /// A job's result: shown when it is the layout the reader waits for, else dropped.
    /// After the first screens it keeps the place they were scrolled to (rows already
    /// shown do not move); after a layout of the whole, the same block, as every
    /// relayout does.
    pub fn laid_out(&mut self, result: LaidOut) {
        let Some(reader) = self
            .reader
            .as_mut()
            .filter(|r| r.pending_layout == Some(result.token))
        else {
            return;
        };
        reader.pending_layout = None;
        let same_rows = reader.laid.partial && reader.laid.width == result.laid.width;
        let anchor = reader.anchor();
        reader.laid = result.laid;
        if !same_rows {
            reader.restore(&anchor);
        }
        let links = &reader.laid.links;
        reader.focus = reader.focus.filter(|id| links.iter().any(|l| l.id == *id));
        let landing = reader.landing.take();
        self.clamp_reader_scroll();
        self.refresh_find();
        if let Some(landing) = landing {
            self.land(&landing);
        }
        self.note_end_seen();
    }

    /// Makes the layout a long post waits for, here and now (tests and tools; the TUI
    /// runs the job beside its loop). Returns whether there was anything to do.
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

//! A long post parsed and laid out beside the event loop. The reader shows a long
//! post's first screens from its head at once ([`App::show_post`]); the whole is parsed
//! and laid out by a [`LayoutJob`] on a thread of its own, so keys stay live (scrolling
//! the head, leaving the post, quitting) however long that takes. So is every later
//! layout of it (a resize, a theme, a reload): the reader keeps showing the layout it
//! has until the new one comes. A job works a group of pieces at a time
//! ([`markdown::layout_in_pieces`]), so the post's whole document model is never in
//! memory, and none of it is kept, nor the body: a later layout reads the file again,
//! beside the loop, with the shell's reading ([`ReadBody`]). A body read again that is
//! not the text laid out before (the file changed, and no watcher said so) is not laid
//! out as if it were: the post is reloaded, its card and all ([`Unlaid::Changed`]).
//!
//! Leaving the post, or asking for another layout of it, makes the job's result
//! worthless: it is dropped when it arrives, and the job stops at its next group of
//! pieces once it sees it is not wanted.

use std::hash::{DefaultHasher, Hasher};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, OnceLock};

use super::Effect;
use super::related::{self, RelatedEntry};
use super::state::{App, PostSource};
use crate::library::Post;
use crate::library::front_matter::PostText;
use crate::markdown::{self, Laid, LayoutOptions};

/// The parse and layout of one long post's whole body.
pub struct LayoutJob {
    token: u64,
    /// The token of the layout the reader waits for now (0: none).
    wanted: Arc<AtomicU64>,
    body: JobBody,
    options: LayoutOptions,
    related: Vec<RelatedEntry>,
}

/// Where a job's body comes from.
enum JobBody {
    /// Read to open (or reload) the post.
    Read(FirstBody),
    /// Read again from the post's file, as the reader reads a post up to `max` bytes;
    /// it must be the text shown: the body whose digest the first job gives
    /// (`digest`), starting on `body_line`, under the front matter the card shows.
    Again {
        post: Box<Post>,
        max: u64,
        digest: Arc<OnceLock<u64>>,
        body_line: usize,
    },
}

/// The body a long post was opened (or reloaded) with, and the digest later reads of
/// it are checked against. The digest is made beside the loop, by the job, before
/// anything else; a job dropped without running makes it as it goes, so a later job
/// waiting for it is never left waiting.
struct FirstBody {
    text: String,
    digest: Arc<OnceLock<u64>>,
}

impl FirstBody {
    fn seal(&self) {
        self.digest.get_or_init(|| digest_of(&self.text));
    }
}

impl Drop for FirstBody {
    fn drop(&mut self) {
        self.seal();
    }
}

/// What tells two bodies apart (within one run of folio).
fn digest_of(text: &str) -> u64 {
    let mut hasher = DefaultHasher::new();
    hasher.write(text.as_bytes());
    hasher.write_usize(text.len());
    hasher.finish()
}

/// How the shell reads a post's text for the reader (a post over `max` bytes cut to
/// its head): a job reads a long post again with it. The error is said to the user.
pub type ReadBody = fn(&Post, u64) -> Result<PostText, String>;

/// Why a job made no layout.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unlaid {
    /// The post's file could not be read again (the error, to say).
    Unreadable(String),
    /// The file holds other text than the one shown (its body or front matter).
    Changed,
}

/// What a [`LayoutJob`] made: the layout, or why there is none.
#[derive(Debug)]
pub struct LaidOut {
    pub token: u64,
    pub laid: Result<Laid, Unlaid>,
}

impl LayoutJob {
    fn wanted(&self) -> bool {
        self.wanted.load(Ordering::Relaxed) == self.token
    }

    /// Parses and lays out the body, read again with `read` if need be; `None` when it
    /// stopped being wanted meanwhile.
    pub fn run(mut self, read: ReadBody) -> Option<LaidOut> {
        if !self.wanted() {
            return None;
        }
        // The body goes to the layout, which lets go of it as it is laid out.
        let body = match &mut self.body {
            JobBody::Read(first) => {
                first.seal();
                std::mem::take(&mut first.text)
            }
            JobBody::Again {
                post,
                max,
                digest,
                body_line,
            } => match read(post, *max) {
                Ok(text)
                    if text.body_line == *body_line
                        && self.options.meta.as_ref() == Some(&text.meta)
                        && digest_of(&text.body) == *digest.wait() =>
                {
                    text.body
                }
                Ok(_) => return Some(self.unlaid(Unlaid::Changed)),
                Err(error) => return Some(self.unlaid(Unlaid::Unreadable(error))),
            },
        };
        let keep_going = || self.wanted();
        let mut laid = markdown::layout_owned_in_pieces(
            body,
            &self.options,
            markdown::PIECE_BYTES,
            &keep_going,
        )?;
        related::append(&mut laid, &self.related);
        Some(LaidOut {
            token: self.token,
            laid: Ok(laid),
        })
    }

    fn unlaid(&self, why: Unlaid) -> LaidOut {
        LaidOut {
            token: self.token,
            laid: Err(why),
        }
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
        let PostSource::Long(long) = &mut reader.source else {
            return None;
        };
        if !reader.wants_layout {
            return None;
        }
        reader.wants_layout = false;
        let body = match long.body.take() {
            Some(text) => JobBody::Read(FirstBody {
                text,
                digest: Arc::clone(&long.digest),
            }),
            None => match self.library.get(&reader.post) {
                Some(post) => JobBody::Again {
                    post: Box::new(post.clone()),
                    max: self.prefs.max_post_bytes,
                    digest: Arc::clone(&long.digest),
                    body_line: reader.body_line,
                },
                None => {
                    // Its file is gone: what is on screen stays, as said when it went.
                    self.say(GONE.into());
                    return None;
                }
            },
        };
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
    /// relayout does. A post whose file now holds other text is read again whole
    /// (the effect returned), as when a watcher sees it change; one that cannot be
    /// read keeps the layout it has, with the reason said.
    pub fn laid_out(&mut self, result: LaidOut) -> Option<Effect> {
        let reader = self
            .reader
            .as_mut()
            .filter(|r| r.pending_layout == Some(result.token))?;
        reader.pending_layout = None;
        let laid = match result.laid {
            Ok(laid) => laid,
            Err(Unlaid::Changed) => {
                self.say(CHANGED.into());
                return Some(Effect::ReloadPost);
            }
            Err(Unlaid::Unreadable(error)) => {
                self.say(format!("cannot lay the post out again: {error}"));
                return None;
            }
        };
        let same_rows = reader.laid.partial && reader.laid.width == laid.width;
        let anchor = reader.anchor();
        reader.laid = laid;
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
        None
    }
}

/// Said when a long post's file holds other text than was laid out: it is read again.
pub const CHANGED: &str = "this post changed on disk since it was read; shown as it is now";

/// Said when a long post that left the collection would need a new layout.
pub const GONE: &str =
    "this post was removed from the collection; its text stays as it was laid out";

//! What the reader remembers as it reads (issue: reading memory): the place a post was
//! left at, recorded when the reader leaves it and returned to when it is opened again;
//! a post marked read once its end has been on screen; the posts opened lately. The
//! data and its rules are [`crate::memory`]; this is where the reader feeds it.

use super::mode::View;
use super::state::App;
use crate::memory::Spot;

impl App {
    /// Records where the reader is in the open post, as it leaves it (another post is
    /// opened, the list is shown, folio quits).
    pub fn leave_post(&mut self) {
        let Some(reader) = &self.reader else {
            return;
        };
        // A post still showing its head alone has its blocks numbered as the head's;
        // the spot is only taken from the whole.
        if reader.laid.partial {
            return;
        }
        let block = reader.block_at_scroll();
        let above_body = reader
            .laid
            .block_rows
            .first()
            .is_none_or(|&first| reader.scroll < first);
        let post = reader.post.clone();
        let spot = if above_body {
            None
        } else {
            Spot::of(&reader.laid.fingerprints, block)
        };
        match spot {
            Some(spot) => self.memory.remember_position(&post, spot),
            // At the top: nothing to come back to.
            None => {
                if let Some(first) = Spot::of(&reader.laid.fingerprints, 0) {
                    self.memory
                        .remember_position(&post, Spot { block: 0, ..first });
                }
            }
        }
    }

    /// Where the open post was left last time.
    pub(super) fn remembered_spot(&self) -> Option<Spot> {
        let post = &self.reader.as_ref()?.post;
        self.memory.positions.get(post).copied()
    }

    /// Scrolls the open post to `spot`'s passage, found by its text wherever it moved;
    /// a passage that is gone leaves the post at the top. A post laid out from its head
    /// alone lands once the whole is laid out (see [`App::laid_out`]).
    pub(super) fn land_at_spot(&mut self, spot: Spot, resumed: bool) {
        let Some(reader) = self.reader.as_mut() else {
            return;
        };
        if reader.laid.partial {
            reader.landing = Some(if resumed {
                super::Landing::Resume
            } else {
                super::Landing::Spot(spot)
            });
            return;
        }
        let Some(block) = spot.find(&reader.laid.fingerprints) else {
            return;
        };
        let row = reader.laid.block_rows.get(block).copied().unwrap_or(0);
        reader.scroll = row;
        self.clamp_reader_scroll();
        if resumed && block > 0 {
            let top = self.key_for(super::Action::Top);
            self.say(format!("resumed where you left off ({top}: the top)"));
        }
        self.note_end_seen();
    }

    /// A post is read once its end has been on screen.
    pub(super) fn note_end_seen(&mut self) {
        let height = self.body_height();
        let Some(reader) = &self.reader else {
            return;
        };
        if self.view != View::Reader || reader.laid.partial {
            return;
        }
        if reader.scroll + height >= reader.laid.lines.len() {
            let post = reader.post.clone();
            self.memory.set_read(&post, true);
        }
    }
}

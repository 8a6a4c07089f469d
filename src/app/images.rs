//! Pictures in the reader, as state: what is known of each image (its size, or why it
//! cannot be drawn), the pictures made so far, and the jobs for the image thread. No
//! disk and no terminal: jobs go out through [`App::take_image_batch`] and results come
//! back as [`Msg::Image`](super::msg::Msg::Image), so tests drive all of it by hand.
//!
//! The layout gives each picture a box of rows before anything is known of it (the
//! most rows a picture may take) and its exact size once its header has been read, so
//! the text around a picture never jumps when the picture arrives: it fills the box
//! that is there. The sizes of the pictures on the first screen come a moment after it
//! (a header read each, beside the loop) and are applied at once, before anything has
//! been read; from the first key on, a size learnt while its box is on screen waits
//! ([`App::prepare_images`] applies it once the box is off screen, keeping the rows on
//! screen where they are), and the picture is drawn centred in the box it has. Pictures
//! are probed a screen ahead of the view, so those met by scrolling have their size
//! before they come into view.

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::sync::Arc;

use super::state::App;
use crate::images::cache::Budgeted;
use crate::images::detect::{Graphics, ImagesSetting};
use crate::images::encode::Picture;
use crate::images::fit::{self, Cells};
use crate::images::worker::{Batch, Done, DrawKey, Fact, ImageKey, Job};
use crate::markdown::{FigureOptions, ImageRegion, Known};

/// Bytes of encoded pictures kept for drawing.
pub const PICTURE_BUDGET: usize = 64 << 20;
/// The default share of the reading area's height a picture may take (`image_height`).
pub const DEFAULT_HEIGHT_PERCENT: u8 = 50;

/// The reader's pictures.
#[derive(Debug, Clone)]
pub struct Images {
    /// What the config asks (`images:`).
    pub setting: ImagesSetting,
    /// How this terminal draws them; `None` until asked (and for `images: off`).
    pub graphics: Option<Graphics>,
    /// Images are on for this run (`i` turns them off and on).
    pub shown: bool,
    /// The share of the reading area's height a picture may take, in percent.
    pub height_percent: u8,
    /// What the image thread found, by image.
    found: HashMap<ImageKey, Fact>,
    /// What layout has been told: a fact waits here until its box is off screen.
    applied: HashMap<ImageKey, Known>,
    pictures: Budgeted<DrawKey, Arc<Picture>>,
    /// Pictures that could not be made, and why.
    broken: HashMap<DrawKey, String>,
    asked_probes: HashSet<ImageKey>,
    /// Images probed since the post was opened.
    verified: HashSet<ImageKey>,
    /// Every image of the layout has been probed or asked for.
    all_probed: bool,
    asked_draws: HashSet<DrawKey>,
    outbox: Vec<Job>,
    /// Changes when the jobs out there stop mattering (another post, images off, a
    /// new size), so the thread skips them.
    generation: u64,
    /// A key, click or wheel came since the post opened: from then on a box on screen
    /// keeps its size.
    pub touched: bool,
    next_id: u32,
}

impl Default for Images {
    fn default() -> Self {
        Images {
            setting: ImagesSetting::Auto,
            graphics: None,
            shown: true,
            height_percent: DEFAULT_HEIGHT_PERCENT,
            found: HashMap::new(),
            applied: HashMap::new(),
            pictures: Budgeted::new(PICTURE_BUDGET),
            broken: HashMap::new(),
            asked_probes: HashSet::new(),
            verified: HashSet::new(),
            all_probed: false,
            asked_draws: HashSet::new(),
            outbox: Vec::new(),
            generation: 0,
            touched: false,
            next_id: 0,
        }
    }
}

/// What the reader draws in a figure's box.
#[derive(Debug, Clone, Copy)]
pub enum Drawing<'a> {
    Picture(&'a Picture),
    /// Not there yet.
    Loading,
    /// It cannot be drawn, and why.
    Failed(&'a str),
}

impl Images {
    /// Whether figures are laid out now.
    pub fn on(&self) -> bool {
        self.shown && self.graphics.is_some()
    }

    /// Bytes held by encoded pictures (within [`PICTURE_BUDGET`]).
    pub fn picture_bytes(&self) -> usize {
        self.pictures.used()
    }

    /// The jobs out there no longer matter.
    fn new_generation(&mut self) {
        self.generation += 1;
        self.all_probed = false;
        self.asked_probes.clear();
        self.asked_draws.clear();
        self.outbox.clear();
    }

    /// What is drawn in `region` of a post in `post_dir`.
    pub fn drawing(&self, post_dir: Option<&PathBuf>, region: &ImageRegion) -> Drawing<'_> {
        let key = ImageKey {
            post_dir: post_dir.cloned(),
            url: region.url.clone(),
        };
        match (self.found.get(&key), self.graphics) {
            (Some(Fact::Failed(why)), _) => Drawing::Failed(why),
            (Some(found @ Fact::Found { .. }), Some(graphics)) => {
                let Some(draw) = draw_key(found, graphics, region.cells) else {
                    return Drawing::Loading;
                };
                if let Some(why) = self.broken.get(&draw) {
                    return Drawing::Failed(why);
                }
                self.pictures
                    .peek(&draw)
                    .map_or(Drawing::Loading, |p| Drawing::Picture(p))
            }
            _ => Drawing::Loading,
        }
    }

    /// Forgets the pictures made (the terminal forgot them: it was handed to another
    /// program, or cleared): they are made and sent again as they are needed.
    pub fn forget_pictures(&mut self) {
        self.pictures.clear();
        self.new_generation();
    }
}

/// The picture of a found image that fits `within`: its key.
fn draw_key(found: &Fact, graphics: Graphics, within: Cells) -> Option<DrawKey> {
    let Fact::Found {
        path,
        width,
        height,
        modified,
    } = found
    else {
        return None;
    };
    Some(DrawKey {
        path: path.clone(),
        modified: *modified,
        cells: fit::fit((*width, *height), graphics.cell, within),
        graphics,
    })
}

impl App {
    /// The figure options for a post in `post_dir`: what layout knows of its images,
    /// the box sizes; `None` when images are off or the post has no folder.
    pub(super) fn figure_options(&self, post_dir: Option<&PathBuf>) -> Option<Arc<FigureOptions>> {
        let images = &self.images;
        let graphics = images.graphics.filter(|_| images.shown)?;
        let dir = post_dir?;
        let known = images
            .applied
            .iter()
            .filter(|(key, _)| key.post_dir.as_ref() == Some(dir))
            .map(|(key, known)| (key.url.clone(), known.clone()))
            .collect();
        Some(Arc::new(FigureOptions {
            print: false,
            max_rows: fit::max_rows(self.body_height(), images.height_percent),
            cell: graphics.cell,
            known,
        }))
    }

    /// `i`: images off (their placeholder lines) or on again, for this run.
    pub(super) fn toggle_images(&mut self) {
        let images = &mut self.images;
        if images.graphics.is_none() {
            // `images: off` in the config: on now, the way that needs no question.
            images.graphics = Some(Graphics::HALFBLOCKS);
            images.shown = true;
        } else {
            images.shown = !images.shown;
        }
        images.new_generation();
        let note = match (images.shown, images.graphics) {
            (true, Some(graphics)) => format!("images on ({})", graphics.protocol.name()),
            _ => "images off: placeholder lines".to_string(),
        };
        self.relayout_reader();
        self.say(note);
    }

    /// A result of the image thread: a fact to apply (now, or once its box is off
    /// screen) or a picture to keep.
    pub fn image_done(&mut self, done: Done) {
        match done {
            Done::Probed { key, fact } => {
                self.images.asked_probes.remove(&key);
                self.images.verified.insert(key.clone());
                // A file whose pixels failed before (unchanged since) fails again.
                let failed_before = match &fact {
                    Fact::Found { path, modified, .. } => self
                        .images
                        .broken
                        .iter()
                        .find(|(k, _)| k.path == *path && k.modified == *modified)
                        .map(|(_, why)| why.clone()),
                    Fact::Failed(_) => None,
                };
                let fact = failed_before.map_or(fact, Fact::Failed);
                // A file that changed since its pictures were made needs new ones: its
                // new modification time is in the key they are looked up by.
                self.images.found.insert(key, fact);
            }
            Done::Drawn { key, picture } => {
                self.images.asked_draws.remove(&key);
                match picture {
                    Ok(picture) => {
                        let bytes = picture.bytes;
                        self.images.pictures.insert(key, picture, bytes);
                    }
                    Err(why) => {
                        // A file whose header read well but whose pixels do not (a
                        // truncated PNG) is a failed image: its box becomes the line
                        // saying so, once it is off screen.
                        for fact in self.images.found.values_mut() {
                            if matches!(fact, Fact::Found { path, .. } if *path == key.path) {
                                *fact = Fact::Failed(why.clone());
                            }
                        }
                        self.images.broken.insert(key, why);
                    }
                }
            }
        }
    }

    /// Before a frame: facts whose boxes are off screen go into the layout (the rows on
    /// screen stay where they are), and jobs are queued for the pictures on and near
    /// the screen that are neither made nor asked for.
    pub fn prepare_images(&mut self) {
        if !self.images.on() {
            return;
        }
        self.apply_facts_off_screen();
        self.queue_image_jobs();
    }

    /// The rows on screen and a screen either side: the pictures worth making now.
    fn image_window(&self) -> std::ops::Range<usize> {
        let height = self.body_height();
        let scroll = self.reader.as_ref().map_or(0, |r| r.scroll);
        scroll.saturating_sub(height)..scroll + 2 * height
    }

    fn apply_facts_off_screen(&mut self) {
        let height = self.body_height();
        let Some(reader) = self.reader.as_ref() else {
            return;
        };
        // A long post's head alone: its whole layout, coming, will use what is known.
        if reader.laid.partial {
            return;
        }
        let screen = reader.scroll..reader.scroll + height;
        let post_dir = reader.options.base_dir.clone();
        let mut changed = false;
        for region in &reader.laid.images {
            let key = ImageKey {
                post_dir: post_dir.clone(),
                url: region.url.clone(),
            };
            let Some(fact) = self.images.found.get(&key) else {
                continue;
            };
            let known = match fact {
                Fact::Found { width, height, .. } => Known::Size {
                    width: *width,
                    height: *height,
                },
                Fact::Failed(why) => Known::Failed(why.clone()),
            };
            if self.images.applied.get(&key) == Some(&known) {
                continue;
            }
            let on_screen = self.images.touched
                && region.rows.start < screen.end
                && screen.start < region.rows.end;
            // A box the picture fills already stays as it is.
            let same_box = match &known {
                Known::Size { width, height } => {
                    let most = max_box(region, self.images.height_percent, height_of(self));
                    let graphics = self.images.graphics.unwrap_or_default();
                    fit::fit((*width, *height), graphics.cell, most) == region.cells
                }
                Known::Failed(_) => false,
            };
            if same_box || !on_screen {
                self.images.applied.insert(key, known);
                changed |= !same_box;
            }
        }
        if changed {
            self.relayout_keeping_rows();
        }
    }

    /// Lays the open post out again with what is now known of its images, the rows on
    /// screen where they were: the view moves by as many rows as the boxes above it
    /// grew or shrank. (A long post's new layout comes later, at the same block.)
    fn relayout_keeping_rows(&mut self) {
        let options = self.figure_options(
            self.reader
                .as_ref()
                .and_then(|r| r.options.base_dir.as_ref()),
        );
        let first_rows = self.first_screen_rows();
        let Some(reader) = self.reader.as_mut() else {
            return;
        };
        let before: Vec<std::ops::Range<usize>> =
            reader.laid.images.iter().map(|r| r.rows.clone()).collect();
        reader.options.images = options;
        reader.lay_out(first_rows);
        if reader.wants_layout {
            // A long post is laid out beside the loop; its layout keeps the view at the
            // same block when it comes (`App::laid_out`).
            return;
        }
        let after = &reader.laid.images;
        if before.len() == after.len() {
            let scroll = reader.scroll;
            let shift: isize = before
                .iter()
                .zip(after)
                .filter(|(old, _)| old.end <= scroll)
                .map(|(old, new)| new.rows.len() as isize - old.len() as isize)
                .sum();
            reader.scroll = scroll.saturating_add_signed(shift);
        }
        let links = &reader.laid.links;
        reader.focus = reader.focus.filter(|id| links.iter().any(|l| l.id == *id));
        self.clamp_reader_scroll();
        self.refresh_find();
    }

    /// Every image of the post is probed (a header read each: cheap, and a jump to
    /// any of them then finds its box the right size); pictures are made for the
    /// boxes in [`App::image_window`].
    fn queue_image_jobs(&mut self) {
        let window = self.image_window();
        let Some(reader) = self.reader.as_ref() else {
            return;
        };
        let Some(graphics) = self.images.graphics else {
            return;
        };
        let post_dir = reader.options.base_dir.clone();
        let collection = self.library.root.clone();
        let images = &mut self.images;
        let mut jobs = Vec::new();
        if !images.all_probed {
            for region in &reader.laid.images {
                let key = ImageKey {
                    post_dir: post_dir.clone(),
                    url: region.url.clone(),
                };
                if !images.verified.contains(&key) && images.asked_probes.insert(key.clone()) {
                    jobs.push(Job::Probe {
                        key,
                        collection: collection.clone(),
                    });
                }
            }
            images.all_probed = true;
        }
        let first = reader
            .laid
            .images
            .partition_point(|r| r.rows.end <= window.start);
        for region in reader.laid.images.iter().skip(first) {
            if region.rows.start >= window.end {
                break;
            }
            let key = ImageKey {
                post_dir: post_dir.clone(),
                url: region.url.clone(),
            };
            match images.found.get(&key) {
                None => {}
                Some(found) => {
                    let Some(draw) = draw_key(found, graphics, region.cells) else {
                        continue;
                    };
                    let wanted = !images.pictures.contains(&draw)
                        && !images.broken.contains_key(&draw)
                        && images.asked_draws.insert(draw.clone());
                    if wanted {
                        images.next_id = images.next_id.wrapping_add(1).max(1);
                        jobs.push(Job::Draw {
                            key: draw,
                            id: images.next_id,
                        });
                    }
                }
            }
        }
        self.images.outbox.extend(jobs);
    }

    /// The jobs queued for the image thread, if any.
    pub fn take_image_batch(&mut self) -> Option<Batch> {
        if self.images.outbox.is_empty() {
            return None;
        }
        Some(Batch {
            generation: self.images.generation,
            jobs: std::mem::take(&mut self.images.outbox),
        })
    }

    /// Another post, or the same at a new size: what was asked for it no longer counts.
    pub(super) fn images_for_new_layout(&mut self) {
        self.images.new_generation();
    }

    /// A post was opened: until a key comes, sizes are applied wherever their boxes
    /// are; its images are probed again (a file may have changed since).
    pub(super) fn images_for_new_post(&mut self) {
        self.images.new_generation();
        self.images.touched = false;
        self.images.verified.clear();
    }
}

fn height_of(app: &App) -> usize {
    app.body_height()
}

/// The largest box a figure of `region` may have: the columns it was laid out in, the
/// rows a picture may take.
fn max_box(region: &ImageRegion, percent: u8, height: usize) -> Cells {
    Cells {
        cols: u16::try_from(region.width).unwrap_or(u16::MAX).max(1),
        rows: fit::max_rows(height, percent),
    }
}

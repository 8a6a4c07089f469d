//! A decoded picture made ready to draw: shrunk to the cells it takes and encoded for
//! the terminal's protocol by ratatui-image, as a [`SlicedProtocol`], which draws any
//! band of its rows (a picture scrolled half off the screen shows its visible half).
//! This is the slow part besides decoding, so it runs on the image thread.
//!
//! Transparent pixels are laid on white first: diagrams are often black lines on
//! nothing, drawn for a white page, and would vanish on a dark terminal.

use image::{DynamicImage, Rgba, RgbaImage, imageops};
use ratatui::layout::Size;
use ratatui_image::picker::{Picker, ProtocolType};
use ratatui_image::protocol::halfblocks::Halfblocks;
use ratatui_image::protocol::iterm2::Iterm2;
use ratatui_image::protocol::kitty::Kitty;
use ratatui_image::sliced::SlicedProtocol;
use ratatui_image::{FontSize, Resize};

use super::detect::{Graphics, Protocol};
use super::fit::{Cells, fit, pixels_for};

/// A picture encoded for one protocol at one size.
pub struct Picture {
    pub protocol: SlicedProtocol,
    /// The cells it covers (at most the box it was made for).
    pub cells: Cells,
    /// Roughly what it holds in memory, for the cache's budget.
    pub bytes: usize,
    pub kind: Protocol,
}

impl std::fmt::Debug for Picture {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Picture")
            .field("cells", &self.cells)
            .field("bytes", &self.bytes)
            .field("kind", &self.kind)
            .finish()
    }
}

/// `image` fitted into the box `within` and encoded for `graphics`; `id` names it to a
/// kitty terminal (each picture needs its own).
pub fn encode(
    image: &DynamicImage,
    graphics: Graphics,
    within: Cells,
    id: u32,
) -> Result<Picture, String> {
    let dims = (image.width(), image.height());
    let cells = fit(dims, graphics.cell, within);
    let (w, h) = match graphics.protocol {
        // A cell is two pixels, one above the other; shrunk here by averaging each
        // pixel's own area, where the protocol's own resize would blur neighbours in.
        Protocol::Halfblocks => (u32::from(cells.cols), u32::from(cells.rows) * 2),
        _ => pixels_for(dims, graphics.cell, cells),
    };
    let resized = on_white(image.thumbnail_exact(w, h));
    let size = Size::new(cells.cols, cells.rows);
    let fail = |err: ratatui_image::errors::Errors| err.to_string();
    let protocol = match graphics.protocol {
        Protocol::Halfblocks => {
            SlicedProtocol::Halfblocks(Halfblocks::new(resized, size).map_err(fail)?)
        }
        Protocol::Kitty => {
            SlicedProtocol::Kitty(Kitty::new(resized, size, id, false, false).map_err(fail)?)
        }
        Protocol::Iterm2 => {
            SlicedProtocol::Sliced(iterm2_rows(&resized, graphics, cells).map_err(fail)?)
        }
        Protocol::Sixel => {
            // Sixel's bands can only be cut through a Picker. Sixel is never chosen
            // inside tmux, where making one would change the tmux server's settings.
            #[allow(deprecated)]
            let mut picker =
                Picker::from_fontsize(FontSize::new(graphics.cell.width, graphics.cell.height));
            picker.set_protocol_type(ProtocolType::Sixel);
            SlicedProtocol::new_with_resize(&picker, resized, size, Resize::Fit(None))
                .map_err(fail)?
        }
    };
    let cells_drawn = protocol.size();
    let cells = Cells {
        cols: cells_drawn.width.min(within.cols),
        rows: cells_drawn.height.min(within.rows),
    };
    let area = usize::from(cells.cols) * usize::from(cells.rows);
    let bytes = match graphics.protocol {
        // A colour pair and a character per cell.
        Protocol::Halfblocks => area * 24,
        // Base64 of the picture's pixels, about.
        _ => (w as usize) * (h as usize) * 4 * 4 / 3 + area * 16,
    };
    Ok(Picture {
        protocol,
        cells,
        bytes,
        kind: graphics.protocol,
    })
}

/// An iTerm2 picture as one inline image a row of cells, so any band of rows can be
/// drawn (iTerm2 cannot show part of an image).
fn iterm2_rows(
    image: &DynamicImage,
    graphics: Graphics,
    cells: Cells,
) -> Result<Vec<ratatui_image::protocol::Protocol>, ratatui_image::errors::Errors> {
    let row_height = u32::from(graphics.cell.or_guess().height);
    (0..u32::from(cells.rows))
        .map(|row| {
            let top = (row * row_height).min(image.height().saturating_sub(1));
            let height = row_height.min(image.height() - top).max(1);
            let band = image.crop_imm(0, top, image.width(), height);
            Iterm2::new(band, Size::new(cells.cols, 1), false)
                .map(ratatui_image::protocol::Protocol::ITerm2)
        })
        .collect()
}

/// The picture with its transparent parts laid on white.
fn on_white(image: DynamicImage) -> DynamicImage {
    if !image.color().has_alpha() {
        return image;
    }
    let mut white =
        RgbaImage::from_pixel(image.width(), image.height(), Rgba([255, 255, 255, 255]));
    imageops::overlay(&mut white, &image.to_rgba8(), 0, 0);
    DynamicImage::ImageRgba8(white)
}

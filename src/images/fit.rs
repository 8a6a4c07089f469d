//! How many terminal cells an image takes. A picture in a post is drawn as a browser
//! would: at its own size when that fits, else shrunk (never stretched) to the column
//! width and to the most rows an image may take, its aspect kept. Cells are not square,
//! so the sum needs the size of a cell in pixels (the terminal's, or a 1:2 guess).

/// Columns × rows of terminal cells.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Cells {
    pub cols: u16,
    pub rows: u16,
}

/// The pixel size of one terminal cell.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct CellSize {
    pub width: u16,
    pub height: u16,
}

impl Default for CellSize {
    fn default() -> Self {
        CellSize::GUESS
    }
}

impl CellSize {
    /// What halfblocks and an unanswered query assume: cells twice as tall as wide.
    pub const GUESS: CellSize = CellSize {
        width: 10,
        height: 20,
    };

    /// The size, with zero sides (a terminal that answered nonsense) taken as the guess.
    pub fn or_guess(self) -> CellSize {
        if self.width == 0 || self.height == 0 {
            CellSize::GUESS
        } else {
            self
        }
    }
}

/// The most rows an image takes: `percent` of a reading area `height` rows tall, at
/// least 3 (a smaller picture says nothing) and never more than the area.
pub fn max_rows(height: usize, percent: u8) -> u16 {
    let rows = height.saturating_mul(usize::from(percent.clamp(1, 100))) / 100;
    let rows = rows.max(3).min(height.max(1));
    u16::try_from(rows).unwrap_or(u16::MAX)
}

/// The cells an image of `pixels` (width, height) takes: its own size in `cell`s,
/// shrunk to fit `max` keeping its aspect; at least one cell each way.
pub fn fit(pixels: (u32, u32), cell: CellSize, max: Cells) -> Cells {
    let cell = cell.or_guess();
    let (w, h) = (f64::from(pixels.0.max(1)), f64::from(pixels.1.max(1)));
    let (cw, ch) = (f64::from(cell.width), f64::from(cell.height));
    let max_w = f64::from(max.cols.max(1)) * cw;
    let max_h = f64::from(max.rows.max(1)) * ch;
    let scale = (max_w / w).min(max_h / h).min(1.0);
    let cells = |pixels: f64, cell: f64, most: u16| {
        // A hair under a whole cell is that cell: float error must not add a row.
        let n = (pixels * scale / cell - 1e-6).ceil();
        (n.max(1.0) as u16).min(most.max(1))
    };
    Cells {
        cols: cells(w, cw, max.cols),
        rows: cells(h, ch, max.rows),
    }
}

/// The pixel size an image is resized to for `cells`: the box's pixels, with the
/// image's aspect kept inside it (so nothing is stretched), at least 1×1.
pub fn pixels_for(pixels: (u32, u32), cell: CellSize, cells: Cells) -> (u32, u32) {
    let cell = cell.or_guess();
    let box_w = f64::from(cells.cols) * f64::from(cell.width);
    let box_h = f64::from(cells.rows) * f64::from(cell.height);
    let (w, h) = (f64::from(pixels.0.max(1)), f64::from(pixels.1.max(1)));
    let scale = (box_w / w).min(box_h / h);
    let side = |n: f64| (n * scale).round().clamp(1.0, f64::from(u32::MAX)) as u32;
    (side(w), side(h))
}

#[cfg(test)]
mod tests {
    use super::*;

    const CELL: CellSize = CellSize::GUESS;

    fn cells(cols: u16, rows: u16) -> Cells {
        Cells { cols, rows }
    }

    #[test]
    fn a_small_image_keeps_its_own_size() {
        // 200×100 px at 10×20 px a cell: 20 columns, 5 rows.
        assert_eq!(fit((200, 100), CELL, cells(80, 12)), cells(20, 5));
        // A part of a cell still takes the cell.
        assert_eq!(fit((201, 101), CELL, cells(80, 12)), cells(21, 6));
    }

    #[test]
    fn a_wide_image_is_shrunk_to_the_width_keeping_its_aspect() {
        // 1600×400: 160×20 cells at its own size; the width halves it.
        assert_eq!(fit((1600, 400), CELL, cells(80, 12)), cells(80, 10));
    }

    #[test]
    fn a_tall_image_is_shrunk_to_the_rows() {
        // 800×1600: 80×80 cells; 12 rows are 240 px, so 120 px wide: 12 columns.
        assert_eq!(fit((800, 1600), CELL, cells(80, 12)), cells(12, 12));
    }

    #[test]
    fn degenerate_sizes_take_at_least_a_cell_and_never_more_than_the_box() {
        assert_eq!(fit((0, 0), CELL, cells(80, 12)), cells(1, 1));
        assert_eq!(fit((100_000, 1), CELL, cells(80, 12)), cells(80, 1));
        assert_eq!(fit((1, 100_000), CELL, cells(80, 12)), cells(1, 12));
        assert_eq!(fit((u32::MAX, u32::MAX), CELL, cells(0, 0)), cells(1, 1));
        let zero = CellSize {
            width: 0,
            height: 7,
        };
        assert_eq!(fit((200, 100), zero, cells(80, 12)), cells(20, 5));
    }

    #[test]
    fn the_most_rows_are_a_share_of_the_height() {
        assert_eq!(max_rows(24, 50), 12);
        assert_eq!(max_rows(40, 25), 10);
        // Never under three rows, never over the area.
        assert_eq!(max_rows(4, 10), 3);
        assert_eq!(max_rows(2, 50), 2);
        assert_eq!(max_rows(0, 50), 1);
        assert_eq!(max_rows(30, 200), 30);
    }

    #[test]
    fn resized_pixels_keep_the_aspect_inside_the_box() {
        assert_eq!(pixels_for((1600, 400), CELL, cells(80, 10)), (800, 200));
        // A box taller than the image needs (a deferred default box): width decides.
        assert_eq!(pixels_for((1600, 400), CELL, cells(80, 12)), (800, 200));
        assert_eq!(pixels_for((800, 1600), CELL, cells(12, 12)), (120, 240));
        assert_eq!(pixels_for((3, 1), CELL, cells(1, 1)), (10, 3));
    }
}

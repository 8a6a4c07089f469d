//! Pictures in `folio print`, for a terminal that speaks kitty's graphics protocol or
//! iTerm2's inline images, as mdcat draws them: the file is found and read under the
//! same rules and limits as in the reader, shrunk to the columns and rows it may
//! take, and sent as PNG for the terminal to place at the cursor, centred. Anything
//! that goes wrong is the placeholder line instead, saying why.

use std::fmt::Write as _;
use std::io::Cursor;
use std::path::{Path, PathBuf};

use image::ImageFormat;

use super::decode::{self, Limits};
use super::detect::{Graphics, Protocol};
use super::fit::{Cells, fit, pixels_for};
use super::locate::{self, Roots};

/// Draws a post's images into printed text.
#[derive(Debug, Clone)]
pub struct Printer {
    pub graphics: Graphics,
    /// The most rows a picture takes.
    pub max_rows: u16,
    /// The post's folder, and the folders its images may come from.
    pub post_dir: PathBuf,
    pub roots: Roots,
    pub limits: Limits,
}

impl Printer {
    /// A printer for the post in `post_dir`, when the terminal draws with kitty or
    /// iTerm2 (the protocols that place a picture at the cursor in printed text).
    pub fn new(graphics: Graphics, max_rows: u16, post_dir: &Path) -> Option<Printer> {
        if !matches!(graphics.protocol, Protocol::Kitty | Protocol::Iterm2) {
            return None;
        }
        let collection = collection_of(post_dir);
        Some(Printer {
            graphics,
            max_rows,
            post_dir: post_dir.to_path_buf(),
            roots: Roots::find(&collection, post_dir),
            limits: Limits::default(),
        })
    }

    /// The escape that draws the image `url` in `width` columns, centred, ending with
    /// a newline; or why it cannot be drawn.
    pub fn draw(&self, url: &str, width: usize) -> Result<String, String> {
        let path =
            locate::locate(url, Some(&self.post_dir), &self.roots).map_err(|r| r.to_string())?;
        let image = decode::decode(&path, &self.limits).map_err(|f| f.to_string())?;
        let most = Cells {
            cols: u16::try_from(width).unwrap_or(u16::MAX).max(1),
            rows: self.max_rows.max(1),
        };
        let dims = (image.width(), image.height());
        let cells = fit(dims, self.graphics.cell, most);
        let (w, h) = pixels_for(dims, self.graphics.cell, cells);
        let mut png = Vec::new();
        image
            .thumbnail_exact(w, h)
            .write_to(&mut Cursor::new(&mut png), ImageFormat::Png)
            .map_err(|_| "cannot encode it".to_string())?;
        let pad = width.saturating_sub(usize::from(cells.cols)) / 2;
        let mut out = " ".repeat(pad);
        match self.graphics.protocol {
            Protocol::Iterm2 => iterm2(&png, cells, &mut out),
            _ => kitty(&png, cells, &mut out),
        }
        out.push('\n');
        Ok(out)
    }
}

/// The folder a printed post's images may come from besides its site: its own, or for
/// a page bundle (`x/index.md`) the folder holding the bundle.
fn collection_of(post_dir: &Path) -> PathBuf {
    post_dir.parent().unwrap_or(post_dir).to_path_buf()
}

/// kitty: PNG data (`f=100`), shown at once (`a=T`) over `cells`, no reply (`q=2`:
/// a reply would land in the shell's input), in chunks of 4096 bytes as the protocol
/// asks.
fn kitty(png: &[u8], cells: Cells, out: &mut String) {
    let data = base64(png);
    let chunks: Vec<&str> = data
        .as_bytes()
        .chunks(4096)
        .map(|c| std::str::from_utf8(c).unwrap_or_default())
        .collect();
    let last = chunks.len().saturating_sub(1);
    for (i, chunk) in chunks.iter().enumerate() {
        let more = u8::from(i < last);
        if i == 0 {
            let _ = write!(
                out,
                "\x1b_Gf=100,a=T,t=d,q=2,c={},r={},m={more};{chunk}\x1b\\",
                cells.cols, cells.rows
            );
        } else {
            let _ = write!(out, "\x1b_Gm={more};{chunk}\x1b\\");
        }
    }
}

/// iTerm2: the PNG file inline, over `cells`.
fn iterm2(png: &[u8], cells: Cells, out: &mut String) {
    let _ = write!(
        out,
        "\x1b]1337;File=inline=1;size={};width={};height={};preserveAspectRatio=1:{}\x07",
        png.len(),
        cells.cols,
        cells.rows,
        base64(png)
    );
}

/// Standard base64 with padding.
pub fn base64(bytes: &[u8]) -> String {
    const TABLE: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk.first().copied().unwrap_or(0),
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(TABLE[((n >> (18 - 6 * i)) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_is_the_standard_alphabet_with_padding() {
        assert_eq!(base64(b""), "");
        assert_eq!(base64(b"f"), "Zg==");
        assert_eq!(base64(b"fo"), "Zm8=");
        assert_eq!(base64(b"foo"), "Zm9v");
        assert_eq!(base64(b"foobar"), "Zm9vYmFy");
        assert_eq!(base64(&[0xff, 0xfe, 0xfd, 0x00]), "//79AA==");
    }

    #[test]
    fn kitty_sends_chunks_of_at_most_4096_and_marks_the_last() {
        let mut out = String::new();
        kitty(&vec![7u8; 7000], Cells { cols: 10, rows: 4 }, &mut out);
        let parts: Vec<&str> = out.split("\x1b\\").filter(|p| !p.is_empty()).collect();
        assert_eq!(parts.len(), 3, "9336 base64 bytes: three chunks");
        assert!(parts[0].starts_with("\x1b_Gf=100,a=T,t=d,q=2,c=10,r=4,m=1;"));
        assert!(parts[1].starts_with("\x1b_Gm=1;"));
        assert!(parts[2].starts_with("\x1b_Gm=0;"));
        for part in parts {
            let payload = part.split_once(';').map_or("", |(_, p)| p);
            assert!(payload.len() <= 4096);
        }
    }
}

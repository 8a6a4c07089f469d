//! Reading an image file, with every way a hostile one could hurt bounded: a FIFO or a
//! device is never read (it could block forever or never end), a file over
//! [`Limits::file_bytes`] is not read at all, the header's size is checked before any
//! pixel is decoded (a 100k×100k PNG of a few bytes is a decompression bomb), and the
//! decoder itself runs under the image crate's limits on size and allocation. A
//! truncated or corrupt file is an error with a reason, never a panic: the decoders
//! are wrapped in `catch_unwind` as a last guard.

use std::fs::File;
use std::io::{BufReader, Seek};
use std::path::Path;
use std::time::SystemTime;

use image::{DynamicImage, ImageFormat, ImageReader};

/// The bounds an image is read within.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Files larger than this are not read.
    pub file_bytes: u64,
    /// Neither side may be longer (pixels).
    pub side: u32,
    /// The most the decoder may allocate.
    pub alloc: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            file_bytes: 64 << 20,
            side: 16_384,
            alloc: 256 << 20,
        }
    }
}

/// Why an image file could not be drawn.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    /// Not a regular file (a FIFO, a device, a folder).
    NotAFile,
    /// Larger on disk than [`Limits::file_bytes`].
    FileTooBig { bytes: u64 },
    /// The header claims more pixels than folio decodes.
    TooManyPixels { width: u32, height: u32 },
    /// Not a format folio decodes (PNG, JPEG, GIF, WebP).
    Unsupported,
    /// The decoder gave up: truncated, corrupt, or over the allocation limit.
    Corrupt,
    /// The file could not be opened or read.
    Unreadable(String),
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Failure::NotAFile => f.write_str("not a regular file"),
            Failure::FileTooBig { bytes } => {
                write!(f, "{} MiB, too big to read", bytes.div_ceil(1 << 20))
            }
            Failure::TooManyPixels { width, height } => {
                write!(f, "{width}×{height} pixels, too large to draw")
            }
            Failure::Unsupported => f.write_str("not a PNG, JPEG, GIF or WebP image"),
            Failure::Corrupt => f.write_str("truncated or corrupt"),
            Failure::Unreadable(why) => write!(f, "cannot read: {why}"),
        }
    }
}

/// What the header of an image file says, and when the file was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Probe {
    pub width: u32,
    pub height: u32,
    pub modified: Option<SystemTime>,
}

/// Opens a regular file for reading without blocking on a FIFO put in its place after
/// it was found, and checks its size.
fn open(path: &Path, limits: &Limits) -> Result<(File, Option<SystemTime>), Failure> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(rustix::fs::OFlags::NONBLOCK.bits() as i32);
    }
    let file = options
        .open(path)
        .map_err(|err| Failure::Unreadable(err.kind().to_string()))?;
    let meta = file
        .metadata()
        .map_err(|err| Failure::Unreadable(err.kind().to_string()))?;
    if !meta.is_file() {
        return Err(Failure::NotAFile);
    }
    if meta.len() > limits.file_bytes {
        return Err(Failure::FileTooBig { bytes: meta.len() });
    }
    Ok((file, meta.modified().ok()))
}

fn reader(file: File) -> Result<ImageReader<BufReader<File>>, Failure> {
    let reader = ImageReader::new(BufReader::new(file))
        .with_guessed_format()
        .map_err(|err| Failure::Unreadable(err.kind().to_string()))?;
    match reader.format() {
        Some(ImageFormat::Png | ImageFormat::Jpeg | ImageFormat::Gif | ImageFormat::WebP) => {
            Ok(reader)
        }
        _ => Err(Failure::Unsupported),
    }
}

fn check_size(width: u32, height: u32, limits: &Limits) -> Result<(), Failure> {
    let pixels = u64::from(width) * u64::from(height);
    if width == 0 || height == 0 {
        return Err(Failure::Corrupt);
    }
    if width > limits.side || height > limits.side || pixels * 4 > limits.alloc {
        return Err(Failure::TooManyPixels { width, height });
    }
    Ok(())
}

/// The image's size from its header (a few KiB read), checked against `limits`.
pub fn probe(path: &Path, limits: &Limits) -> Result<Probe, Failure> {
    let (file, modified) = open(path, limits)?;
    let (width, height) = guarded(|| header_size(reader(file)?))?;
    check_size(width, height, limits)?;
    Ok(Probe {
        width,
        height,
        modified,
    })
}

/// The image decoded (a GIF's first frame), within `limits`.
pub fn decode(path: &Path, limits: &Limits) -> Result<DynamicImage, Failure> {
    let (file, _) = open(path, limits)?;
    guarded(|| {
        let mut file = file;
        // The size is checked from the header before the pixels are decoded.
        let copy = file
            .try_clone()
            .map_err(|e| Failure::Unreadable(e.kind().to_string()))?;
        let (width, height) = header_size(reader(copy)?)?;
        check_size(width, height, limits)?;
        file.rewind()
            .map_err(|err| Failure::Unreadable(err.kind().to_string()))?;
        let mut reader = reader(file)?;
        let mut bounds = image::Limits::default();
        bounds.max_image_width = Some(limits.side);
        bounds.max_image_height = Some(limits.side);
        bounds.max_alloc = Some(limits.alloc);
        reader.limits(bounds);
        reader.decode().map_err(|err| match err {
            image::ImageError::Limits(_) => Failure::TooManyPixels { width, height },
            _ => Failure::Corrupt,
        })
    })
}

/// The size the header claims. No pixel is decoded, so the decoder's own limits are
/// lifted here: a header claiming too much is reported with its size, by
/// [`check_size`], rather than as an error without one.
fn header_size(mut reader: ImageReader<BufReader<File>>) -> Result<(u32, u32), Failure> {
    reader.no_limits();
    reader.into_dimensions().map_err(|_| Failure::Corrupt)
}

/// Runs a decoder; a panic in it (a bug on a hostile file) is a corrupt image.
fn guarded<T>(work: impl FnOnce() -> Result<T, Failure>) -> Result<T, Failure> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(work)).unwrap_or(Err(Failure::Corrupt))
}

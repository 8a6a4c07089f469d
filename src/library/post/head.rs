//! Reading a post's head from disk for the index: in steps ([`HEAD_STEPS`]), stopping at
//! the first that settles the entry, from a file opened so that no FIFO or device can
//! make a scan wait.

use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};

use super::{LoadError, Post, Source};
use crate::library::front_matter::MAX_FRONT_MATTER;
use crate::library::text;

/// The most of a file the index reads: the front-matter limit plus room for its closing
/// line and the first heading of the body.
pub(super) const HEAD_LEN: usize = MAX_FRONT_MATTER + 4096;

/// How much of the head is decoded and parsed in turn. Nearly every post's front matter
/// and title are in its first kilobyte; decoding up to 68 KiB of body for each of them
/// was most of a cold start. More is decoded only while the front matter is still open
/// or no title has turned up yet. Files are read [`FIRST_READ`] bytes at a time at
/// least, and a head that is not UTF-8 is decoded from that much at least, so that a
/// legacy encoding is guessed from more than a title. What the index no longer sees: a
/// damaged byte or a NUL past the part it decoded, or a legacy encoding that starts
/// past it (the reader, which decodes the whole file, still reports and names them).
const HEAD_STEPS: [usize; 4] = [1024, 4 * 1024, 16 * 1024, HEAD_LEN];

/// The least that is read of a file: as much as the UTF-16 guess looks at, so a step
/// shorter than that can be taken only when the guess cannot depend on what follows.
const FIRST_READ: usize = text::SNIFF_LEN;

impl Post {
    /// [`Post::load`], also saying whether the file could be read: a post that could not
    /// be (its warning says why) is not worth remembering by its size and time.
    /// `checked` says whether the caller has just seen that `path` is a regular file.
    pub(crate) fn load_checked(path: &Path, rel: PathBuf, checked: Checked) -> (Post, bool) {
        match open_regular(path, checked) {
            Ok(file) => Post::load_open(file, path, rel),
            Err(err) => {
                let mut post = Post::empty(rel, Source::File(path.to_path_buf()));
                post.cannot_read(err, path);
                (post, false)
            }
        }
    }

    /// [`Post::load_checked`] for a regular file already open (at `path`).
    pub(crate) fn load_open(file: File, path: &Path, rel: PathBuf) -> (Post, bool) {
        let mut post = Post::empty(rel, Source::File(path.to_path_buf()));
        match post.index_in_steps(&mut HeadReader::file(file, path)) {
            Ok(()) => (post, true),
            Err(err) => {
                post.cannot_read(err, path);
                (post, false)
            }
        }
    }

    /// The index entry from the whole [`HEAD_LEN`] head at once, as folio read files before
    /// it read them in steps: the reference the stepped read is tested against.
    #[doc(hidden)]
    pub fn load_whole_head(path: &Path, rel: PathBuf) -> Post {
        let mut post = Post::empty(rel, Source::File(path.to_path_buf()));
        let read = open_regular(path, Checked::No).and_then(|file| {
            let mut head = HeadReader::file(file, path);
            let (bytes, more) = head.first(HEAD_LEN)?;
            post.index_step(bytes, more, true);
            Ok(())
        });
        if let Err(err) = read {
            post.cannot_read(err, path);
        }
        post
    }

    /// Indexes the head [`HEAD_STEPS`] at a time, until a step settles the entry.
    pub(super) fn index_in_steps(&mut self, head: &mut HeadReader) -> Result<(), LoadError> {
        for (step, &len) in HEAD_STEPS.iter().enumerate() {
            let (bytes, more) = head.first(len.max(FIRST_READ))?;
            if len < bytes.len() && !text::cut_decodes_alike(bytes) {
                continue;
            }
            let more = more || bytes.len() > len;
            let bytes = bytes.get(..len).unwrap_or(bytes);
            if self.index_step(bytes, more, step + 1 == HEAD_STEPS.len()) {
                return Ok(());
            }
            *self = Post::empty(self.rel_path.to_path_buf(), self.source.clone());
        }
        Ok(())
    }

    /// Indexes `head`, the start of the file; `more` says the file goes on after it. On
    /// the `last` step this is the index entry whatever it holds. Before that, a head that
    /// cannot settle the entry (the front matter still open, or no title yet where a
    /// heading further on could give one) returns false: try a longer one. Only whole
    /// lines of such a head are looked at, so a line cut at its end cannot pass for a
    /// closing `---` or a heading.
    fn index_step(&mut self, head: &[u8], more: bool, last: bool) -> bool {
        if !more || last {
            self.index_head(head, !more);
            return true;
        }
        let mut decoded = text::decode_prefix(head);
        if !decoded.binary {
            match decoded.text.rfind('\n') {
                Some(end) => decoded.text.truncate(end + 1),
                None => return false,
            }
        }
        self.index_decoded(decoded, false)
    }
}

/// Whether the caller has just seen (by `stat`) that a path is a regular file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Checked {
    Yes,
    No,
}

/// Opens `path` only if it is a regular file. The check comes before `open` because
/// opening a FIFO for reading blocks until a writer appears; on Linux the open is also
/// non-blocking, and the handle is checked again, in case the file was swapped between.
/// A scan has just looked at the file itself; on Linux that look is not repeated, as
/// the non-blocking open and the check of the handle cover it.
pub(super) fn open_regular(path: &Path, checked: Checked) -> Result<File, LoadError> {
    let io = |error| LoadError::Io {
        path: path.to_path_buf(),
        error,
    };
    let look_first = checked == Checked::No || !cfg!(target_os = "linux");
    if look_first && !std::fs::metadata(path).map_err(io)?.is_file() {
        return Err(LoadError::NotRegular(path.to_path_buf()));
    }
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(target_os = "linux")]
    {
        use std::os::unix::fs::OpenOptionsExt;
        // O_NONBLOCK: no effect on regular files, no hang on a FIFO swapped in.
        options.custom_flags(0o4000);
    }
    let file = options.open(path).map_err(io)?;
    if !file.metadata().map_err(io)?.is_file() {
        return Err(LoadError::NotRegular(path.to_path_buf()));
    }
    Ok(file)
}

/// Opens whatever is at `path` for reading without waiting on it (a FIFO opens at once
/// and reads nothing), and says what it is: a scan that has not looked at a path yet
/// learns from the handle what a `stat` would have told it, with one path look-up
/// instead of two.
#[cfg(target_os = "linux")]
pub(crate) fn open_unseen(path: &Path) -> std::io::Result<(File, std::fs::Metadata)> {
    use std::os::unix::fs::OpenOptionsExt;
    let file = std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(0o4000) // O_NONBLOCK
        .open(path)?;
    let meta = file.metadata()?;
    Ok((file, meta))
}

/// The start of a file, read as far as asked and no further, kept between asks.
pub(super) struct HeadReader<'a> {
    /// `None` once everything there is has been read (or for bytes in memory).
    file: Option<(File, &'a Path)>,
    bytes: Vec<u8>,
}

impl<'a> HeadReader<'a> {
    fn file(file: File, path: &'a Path) -> HeadReader<'a> {
        HeadReader {
            file: Some((file, path)),
            bytes: Vec::new(),
        }
    }

    /// Bytes already in memory; only as much as the index would read is copied.
    pub(super) fn bytes(bytes: &[u8]) -> HeadReader<'a> {
        HeadReader {
            file: None,
            bytes: bytes.get(..HEAD_LEN + 1).unwrap_or(bytes).to_vec(),
        }
    }

    /// The first `len` bytes (fewer if the file is shorter), and whether the file goes
    /// on after them.
    fn first(&mut self, len: usize) -> Result<(&[u8], bool), LoadError> {
        // One byte past `len` tells whether there is more.
        let wanted = len.saturating_add(1);
        if self.bytes.len() < wanted
            && let Some((file, path)) = &self.file
        {
            self.bytes.reserve_exact(wanted - self.bytes.len());
            let missing = (wanted - self.bytes.len()) as u64;
            let read = file
                .take(missing)
                .read_to_end(&mut self.bytes)
                .map_err(|error| LoadError::Io {
                    path: path.to_path_buf(),
                    error,
                })?;
            if (read as u64) < missing {
                self.file = None;
            }
        }
        let more = self.bytes.len() > len;
        let head = self.bytes.get(..len).unwrap_or(&self.bytes);
        Ok((head, more))
    }
}

//! Append-only buffers kept in chunks that never move. A long post's laid-out text and
//! line records run to hundreds of megabytes; grown as one buffer by doubling, each
//! growth copies the whole (old and new both resident while it does), and the freed
//! old buffers tend to stay with the allocator. Here a buffer past [`CHUNK`] bytes goes
//! on in a new chunk instead, and a piece (a line's text, a line's record) is never
//! split between two, so it can be read as one slice.

/// The size past which a buffer goes on in a new chunk rather than growing.
const CHUNK: usize = 1 << 20;

/// What a chunk can be: text, or bytes.
pub(super) trait Buf: Default + Clone {
    type Piece: ?Sized;
    fn with_capacity(bytes: usize) -> Self;
    fn len(&self) -> usize;
    fn capacity(&self) -> usize;
    fn append(&mut self, piece: &Self::Piece);
}

impl Buf for String {
    type Piece = str;
    fn with_capacity(bytes: usize) -> Self {
        String::with_capacity(bytes)
    }
    fn len(&self) -> usize {
        self.len()
    }
    fn capacity(&self) -> usize {
        self.capacity()
    }
    fn append(&mut self, piece: &str) {
        self.push_str(piece);
    }
}

impl Buf for Vec<u8> {
    type Piece = [u8];
    fn with_capacity(bytes: usize) -> Self {
        Vec::with_capacity(bytes)
    }
    fn len(&self) -> usize {
        self.len()
    }
    fn capacity(&self) -> usize {
        self.capacity()
    }
    fn append(&mut self, piece: &[u8]) {
        self.extend_from_slice(piece);
    }
}

/// A buffer addressed by one offset across its chunks.
#[derive(Clone, Default)]
pub(super) struct Chunks<B> {
    chunks: Vec<B>,
    /// Where each chunk starts.
    starts: Vec<usize>,
    len: usize,
}

impl<B: Buf> Chunks<B> {
    /// Bytes appended so far.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Makes room for a piece of `bytes` bytes, in the last chunk if it fits there,
    /// else in a new one; returns where the piece starts. The piece is then appended
    /// with [`Chunks::extend`], up to `bytes` bytes.
    pub fn start_piece(&mut self, bytes: usize) -> usize {
        let fits = self
            .chunks
            .last()
            .is_some_and(|last| last.len() + bytes <= CHUNK);
        if !fits {
            // The first chunk grows as needed, so a short layout stays small; the next
            // ones are made whole, so they are never copied as they fill.
            let room = if self.chunks.is_empty() {
                bytes
            } else {
                bytes.max(CHUNK)
            };
            self.chunks.push(B::with_capacity(room));
            self.starts.push(self.len);
        }
        self.len
    }

    /// Appends to the piece begun last.
    pub fn extend(&mut self, part: &B::Piece) {
        if let Some(last) = self.chunks.last_mut() {
            let before = last.len();
            last.append(part);
            self.len += last.len() - before;
        }
    }

    /// Appends a piece whole; returns where it starts.
    pub fn push(&mut self, piece: &B::Piece, bytes: usize) -> usize {
        let start = self.start_piece(bytes);
        self.extend(piece);
        start
    }

    /// The chunk holding offset `at`, and where `at` is in it.
    pub fn locate(&self, at: usize) -> Option<(&B, usize)> {
        let index = self
            .starts
            .partition_point(|&start| start <= at)
            .checked_sub(1)?;
        let chunk = self.chunks.get(index)?;
        let offset = at - self.starts.get(index)?;
        (offset <= chunk.len()).then_some((chunk, offset))
    }

    /// Bytes held, spare room included.
    pub fn capacity(&self) -> usize {
        self.chunks.iter().map(Buf::capacity).sum::<usize>()
            + self.starts.capacity() * size_of::<usize>()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pieces_are_never_split_and_are_found_by_their_offset() {
        let mut text: Chunks<String> = Chunks::default();
        let piece = "开源".repeat(1000);
        let mut starts = Vec::new();
        for _ in 0..1000 {
            starts.push(text.push(&piece, piece.len()));
        }
        assert!(text.chunks.len() > 1, "more than one chunk");
        assert!(text.chunks.iter().all(|c| c.len() <= CHUNK));
        for start in starts {
            let (chunk, at) = text.locate(start).expect("found");
            assert_eq!(chunk.get(at..at + piece.len()), Some(piece.as_str()));
        }
        // A piece bigger than a chunk gets one of its own.
        let big = "x".repeat(CHUNK + 3);
        let start = text.push(&big, big.len());
        let (chunk, at) = text.locate(start).expect("found");
        assert_eq!((at, chunk.len()), (0, big.len()));
        assert_eq!(text.len(), 1000 * piece.len() + big.len());
        assert!(text.locate(text.len() + 1).is_none());
    }

    #[test]
    fn a_piece_made_of_parts_stays_together() {
        let mut bytes: Chunks<Vec<u8>> = Chunks::default();
        bytes.push(&vec![7; CHUNK - 2], CHUNK - 2);
        let start = bytes.start_piece(4);
        bytes.extend(&[1, 2]);
        bytes.extend(&[3, 4]);
        let (chunk, at) = bytes.locate(start).expect("found");
        assert_eq!(&chunk[at..], &[1, 2, 3, 4]);
    }
}

//! The little byte form the check keeps things in ([`super::packed`], [`super::parts`]):
//! numbers as LEB128 varints, text as its length and its bytes. Reading never panics;
//! what does not read is `None`.

pub(super) fn put_varint(out: &mut Vec<u8>, mut value: u64) {
    while value >= 0x80 {
        out.push((value as u8) | 0x80);
        value >>= 7;
    }
    out.push(value as u8);
}

/// `None` as 0, `n` as `n + 1` (a line or column past `u64::MAX - 1` stays the last).
pub(super) fn put_place(out: &mut Vec<u8>, place: Option<usize>) {
    put_varint(out, place.map_or(0, |n| (n as u64).saturating_add(1)));
}

pub(super) fn put_text(out: &mut Vec<u8>, text: &str) {
    put_varint(out, text.len() as u64);
    out.extend_from_slice(text.as_bytes());
}

/// Bytes being read from the front.
pub(super) struct Reader<'a>(pub(super) &'a [u8]);

impl<'a> Reader<'a> {
    pub(super) fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub(super) fn byte(&mut self) -> Option<u8> {
        let (&first, rest) = self.0.split_first()?;
        self.0 = rest;
        Some(first)
    }

    pub(super) fn varint(&mut self) -> Option<u64> {
        let mut value = 0u64;
        for shift in (0..64).step_by(7) {
            let byte = self.byte()?;
            value |= u64::from(byte & 0x7f) << shift;
            if byte & 0x80 == 0 {
                return Some(value);
            }
        }
        None
    }

    pub(super) fn count(&mut self) -> Option<usize> {
        usize::try_from(self.varint()?).ok()
    }

    pub(super) fn place(&mut self) -> Option<Option<usize>> {
        match self.varint()? {
            0 => Some(None),
            n => Some(Some(usize::try_from(n - 1).ok()?)),
        }
    }

    pub(super) fn text(&mut self) -> Option<&'a str> {
        let length = self.count()?;
        let bytes = self.0.get(..length)?;
        self.0 = self.0.get(length..)?;
        std::str::from_utf8(bytes).ok()
    }
}

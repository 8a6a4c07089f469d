//! Bytes → text. (stub: being written)

#[derive(Debug, Clone, Default)]
pub struct Decoded {
    pub text: String,
    pub lossy: bool,
    pub encoding: &'static str,
    pub binary: bool,
}

pub fn decode(bytes: &[u8]) -> Decoded {
    Decoded {
        text: String::from_utf8_lossy(bytes).into_owned(),
        encoding: "utf-8",
        ..Decoded::default()
    }
}

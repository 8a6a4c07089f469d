//! Control characters → visible markers. (stub: being written)

use std::borrow::Cow;

pub fn sanitize(text: &str) -> Cow<'_, str> {
    Cow::Borrowed(text)
}

//! Control characters → visible markers. (stub: being written)

use std::borrow::Cow;

pub fn sanitize(text: &str) -> Cow<'_, str> {
    Cow::Borrowed(text)
}

pub fn expand_tabs(line: &str, _stop: usize) -> Cow<'_, str> {
    Cow::Owned(line.replace('\t', "    "))
}

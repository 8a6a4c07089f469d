//! [`Facts`]: what the checks across posts compare of a post (its title, slug and tags,
//! where they are written, the anchors of its headings), in one block of bytes. A check
//! of the reader's collection holds them for every post at once; as strings and lists
//! they were eleven allocations a post and 136 MB on 100,000 generated posts, and
//! decoding them from JSON was most of a check that read nothing. The index cache keeps
//! the same bytes.
//!
//! Layout: a form byte, the title's and the slug's lines, the title and the slug, the
//! tags each with its line and column, the anchors; numbers as varints, text as its
//! length and bytes ([`super::bytes`]). [`Facts::from_bytes`] takes only bytes that read
//! to the end, so the readers below find what they look for.

use super::bytes::{Reader, put_place, put_text, put_varint};

/// The first byte: another layout would start differently.
const FORM: u8 = 1;

/// What the checks across posts compare of a post.
#[derive(Clone, PartialEq, Eq)]
pub struct Facts(Box<[u8]>);

/// A tag as written, and where: its line and (when it is found on it) its column.
pub type Tag<'a> = (&'a str, (usize, Option<usize>));

/// The parts of [`Facts`] before the tags.
struct Head<'a> {
    title_line: Option<usize>,
    slug_line: Option<usize>,
    title: Option<&'a str>,
    slug: Option<&'a str>,
}

impl Default for Facts {
    fn default() -> Facts {
        Facts::new(None, None, None, None, &[], &[], &[])
    }
}

impl std::fmt::Debug for Facts {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Facts")
            .field("title", &self.title())
            .field("slug", &self.slug())
            .field("tags", &self.tags().collect::<Vec<_>>())
            .field("anchors", &self.anchors().collect::<Vec<_>>())
            .finish()
    }
}

impl Facts {
    /// `tag_places` are the places of `tags`, one for one (a tag without one is placed
    /// on line 1).
    pub fn new(
        title: Option<&str>,
        slug: Option<&str>,
        title_line: Option<usize>,
        slug_line: Option<usize>,
        tags: &[String],
        tag_places: &[(usize, Option<usize>)],
        anchors: &[String],
    ) -> Facts {
        let mut out = vec![FORM];
        put_place(&mut out, title_line);
        put_place(&mut out, slug_line);
        for text in [title, slug] {
            match text {
                None => put_varint(&mut out, 0),
                Some(text) => {
                    put_varint(&mut out, 1);
                    put_text(&mut out, text);
                }
            }
        }
        put_varint(&mut out, tags.len() as u64);
        for (at, tag) in tags.iter().enumerate() {
            let (line, column) = tag_places.get(at).copied().unwrap_or((1, None));
            put_text(&mut out, tag);
            put_place(&mut out, Some(line));
            put_place(&mut out, column);
        }
        put_varint(&mut out, anchors.len() as u64);
        for anchor in anchors {
            put_text(&mut out, anchor);
        }
        Facts(out.into_boxed_slice())
    }

    /// Facts kept as [`Facts::as_bytes`] gave them; `None` for bytes that are not.
    pub fn from_bytes(bytes: &[u8]) -> Option<Facts> {
        let mut reader = Reader(bytes);
        read_head(&mut reader)?;
        for _ in 0..reader.count()? {
            read_tag(&mut reader)?;
        }
        for _ in 0..reader.count()? {
            reader.text()?;
        }
        reader.is_empty().then(|| Facts(bytes.into()))
    }

    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }

    fn head(&self) -> Head<'_> {
        read_head(&mut Reader(&self.0)).unwrap_or(Head {
            title_line: None,
            slug_line: None,
            title: None,
            slug: None,
        })
    }

    pub fn title(&self) -> Option<&str> {
        self.head().title
    }

    pub fn slug(&self) -> Option<&str> {
        self.head().slug
    }

    pub fn title_line(&self) -> Option<usize> {
        self.head().title_line
    }

    pub fn slug_line(&self) -> Option<usize> {
        self.head().slug_line
    }

    /// The tags, each with its place, in the order written.
    pub fn tags(&self) -> impl Iterator<Item = Tag<'_>> {
        let mut reader = Reader(&self.0);
        let count = read_head(&mut reader).and_then(|_| reader.count());
        (0..count.unwrap_or(0)).map_while(move |_| read_tag(&mut reader))
    }

    /// The anchors of the post's headings, as Hugo makes them.
    pub fn anchors(&self) -> impl Iterator<Item = &str> {
        let mut reader = Reader(&self.0);
        let count = (|| {
            read_head(&mut reader)?;
            for _ in 0..reader.count()? {
                read_tag(&mut reader)?;
            }
            reader.count()
        })();
        (0..count.unwrap_or(0)).map_while(move |_| reader.text())
    }
}

fn read_head<'a>(reader: &mut Reader<'a>) -> Option<Head<'a>> {
    if reader.byte()? != FORM {
        return None;
    }
    let title_line = reader.place()?;
    let slug_line = reader.place()?;
    let mut text = || match reader.varint()? {
        0 => Some(None),
        1 => Some(Some(reader.text()?)),
        _ => None,
    };
    let title = text()?;
    let slug = text()?;
    Some(Head {
        title_line,
        slug_line,
        title,
        slug,
    })
}

fn read_tag<'a>(reader: &mut Reader<'a>) -> Option<Tag<'a>> {
    let tag = reader.text()?;
    let line = reader.place()??;
    let column = reader.place()?;
    Some((tag, (line, column)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(items: &[&str]) -> Vec<String> {
        items.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn what_goes_in_comes_out() {
        let tags = strings(&["Go", "服务 网格", ""]);
        let anchors = strings(&["intro", "中文-标题", "intro-1"]);
        let facts = Facts::new(
            Some("A title"),
            None,
            Some(2),
            None,
            &tags,
            &[(4, Some(9)), (5, None)],
            &anchors,
        );
        assert_eq!(facts.title(), Some("A title"));
        assert_eq!(facts.slug(), None);
        assert_eq!((facts.title_line(), facts.slug_line()), (Some(2), None));
        assert_eq!(
            facts.tags().collect::<Vec<_>>(),
            [
                ("Go", (4, Some(9))),
                ("服务 网格", (5, None)),
                ("", (1, None))
            ]
        );
        assert_eq!(facts.anchors().collect::<Vec<_>>(), anchors);
        assert_eq!(Facts::from_bytes(facts.as_bytes()), Some(facts.clone()));
        let empty = Facts::default();
        assert_eq!(
            (empty.title(), empty.tags().count(), empty.anchors().count()),
            (None, 0, 0)
        );
    }

    #[test]
    fn bytes_cut_short_or_with_more_after_are_not_facts() {
        let facts = Facts::new(
            Some("t"),
            Some("s"),
            Some(1),
            Some(2),
            &strings(&["a", "b"]),
            &[(3, Some(1)), (3, Some(4))],
            &strings(&["h"]),
        );
        let bytes = facts.as_bytes();
        for cut in 0..bytes.len() {
            assert_eq!(Facts::from_bytes(&bytes[..cut]), None, "cut at {cut}");
        }
        let mut more = bytes.to_vec();
        more.push(0);
        assert_eq!(Facts::from_bytes(&more), None);
        assert_eq!(Facts::from_bytes(b"\x02"), None, "another form");
        assert_eq!(
            Facts::from_bytes(b"\x01\x00\x00\x02\x00\x00\x00"),
            None,
            "not an option"
        );
    }
}

//! The list as computed for one state of the options, library and search: its rows,
//! and where among them each post is. Movement, the status bar's "12/100000", the
//! search's counts and J/K all ask by position or by post; asking this, rather than for
//! a fresh copy of the order, keeps a key and a frame on 100,000 posts from copying
//! (and freeing) every id each time.

use super::Row;
use crate::library::PostId;

/// The rows of the list and where its posts are among them.
#[derive(Debug, Clone, Default)]
pub struct Listing {
    rows: Vec<Row>,
    /// The index in `rows` of each post, in order; `None` when every row is a post
    /// (no group headers), the usual case.
    post_rows: Option<Vec<usize>>,
}

impl Listing {
    pub fn new(rows: Vec<Row>) -> Listing {
        let grouped = rows.iter().any(|row| matches!(row, Row::Group { .. }));
        let post_rows = grouped.then(|| {
            rows.iter()
                .enumerate()
                .filter(|(_, row)| matches!(row, Row::Post(_)))
                .map(|(at, _)| at)
                .collect()
        });
        Listing { rows, post_rows }
    }

    /// Every row, group headers included.
    pub fn rows(&self) -> &[Row] {
        &self.rows
    }

    pub fn into_rows(self) -> Vec<Row> {
        self.rows
    }

    /// How many posts the list shows.
    pub fn post_count(&self) -> usize {
        self.post_rows.as_ref().map_or(self.rows.len(), Vec::len)
    }

    /// The post at position `n` among the posts (headers aside).
    pub fn post(&self, n: usize) -> Option<&PostId> {
        let row = match &self.post_rows {
            Some(post_rows) => *post_rows.get(n)?,
            None => n,
        };
        match self.rows.get(row)? {
            Row::Post(id) => Some(id),
            Row::Group { .. } => None,
        }
    }

    /// The posts in order.
    pub fn posts(&self) -> impl Iterator<Item = &PostId> {
        self.rows.iter().filter_map(|row| match row {
            Row::Post(id) => Some(id),
            Row::Group { .. } => None,
        })
    }

    /// The position of `id` among the posts, if the list shows it.
    pub fn position(&self, id: &PostId) -> Option<usize> {
        self.posts().position(|shown| shown == id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(name: &str) -> PostId {
        PostId::from_rel(std::path::Path::new(name))
    }

    #[test]
    fn positions_count_posts_not_headers() {
        let group = |label: &str| Row::Group {
            label: label.into(),
            count: 1,
        };
        let plain = Listing::new(vec![Row::Post(id("a.md")), Row::Post(id("b.md"))]);
        let grouped = Listing::new(vec![
            group("2025"),
            Row::Post(id("a.md")),
            group("2024"),
            Row::Post(id("b.md")),
        ]);
        for listing in [&plain, &grouped] {
            assert_eq!(listing.post_count(), 2);
            assert_eq!(listing.post(0), Some(&id("a.md")));
            assert_eq!(listing.post(1), Some(&id("b.md")));
            assert_eq!(listing.post(2), None);
            assert_eq!(listing.position(&id("b.md")), Some(1));
            assert_eq!(listing.position(&id("c.md")), None);
            let posts: Vec<&PostId> = listing.posts().collect();
            assert_eq!(posts, [&id("a.md"), &id("b.md")]);
        }
        assert_eq!(grouped.rows().len(), 4);
        assert_eq!(Listing::new(Vec::new()).post(0), None);
    }
}

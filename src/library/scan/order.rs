//! The list's order, newest first: undated posts after all dated ones, then by title
//! and path, so the order never depends on the walk or on thread timing. It is worked
//! out for every post of a collection at each start, so the sort is made cheap.

use std::borrow::Borrow;
use std::cmp::Ordering;

use crate::library::post::{Post, PostDate};

/// Sorts as [`newest_first`] does, computing each post's date key once and moving
/// small entries, not posts: on 10,000 posts the plain sort was a seventh of a cold
/// `folio list` (a timestamp worked out per comparison, 300-byte posts moved about).
pub(super) fn sort_newest_first<P: Borrow<Post>>(posts: &mut [P]) {
    let mut order: Vec<(Option<i64>, usize)> = posts
        .iter()
        .enumerate()
        .map(|(at, post)| (post.borrow().meta.date.as_ref().map(PostDate::sort_key), at))
        .collect();
    order.sort_by(|&(a_date, a), &(b_date, b)| {
        let by_date = match (a_date, b_date) {
            (Some(x), Some(y)) => y.cmp(&x),
            (Some(_), None) => Ordering::Less,
            (None, Some(_)) => Ordering::Greater,
            (None, None) => Ordering::Equal,
        };
        by_date.then_with(
            || match (posts.get(a).map(P::borrow), posts.get(b).map(P::borrow)) {
                (Some(a), Some(b)) => a
                    .title
                    .cmp(&b.title)
                    .then_with(|| a.rel_path.cmp(&b.rel_path)),
                _ => Ordering::Equal,
            },
        )
    });
    // Put in that order by swaps, in place: a second vector of 100,000 posts would be
    // fresh memory to fault in on a warm start's way to its first frame. `order[i]`
    // names the post that belongs at `i`; a post already swapped away from there is
    // followed to where it went.
    let mut from: Vec<usize> = order.into_iter().map(|(_, at)| at).collect();
    for i in 0..from.len() {
        let mut at = from[i];
        while at < i {
            at = from[at];
        }
        from[i] = at;
        posts.swap(i, at);
    }
}

pub(super) fn newest_first(a: &Post, b: &Post) -> Ordering {
    let by_date = match (&a.meta.date, &b.meta.date) {
        (Some(x), Some(y)) => y.sort_key().cmp(&x.sort_key()),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => Ordering::Equal,
    };
    by_date
        .then_with(|| a.title.cmp(&b.title))
        .then_with(|| a.rel_path.cmp(&b.rel_path))
}

//! Each post's title keyed for the title sort: made once per title, kept by post, and
//! checked against the title as it now reads, so a sort of 100,000 posts compares bytes
//! rather than collating strings again.

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::Arc;

use crate::library::{Post, PostId, collate};

/// Each post's title collation key ([`collate::sort_key`]), by post, with a hash of the
/// title it was made from, so a title that changed (a post edited and reloaded) is keyed
/// again rather than sorted by its old name. A hash, not the title: a copy of every
/// title was 8 MB on 100,000 posts.
#[derive(Debug, Clone, Default)]
pub struct TitleKeys(pub(super) HashMap<PostId, (u64, Box<[u8]>)>);

/// What [`TitleKeys`] remembers of a title.
fn title_hash(title: &str) -> u64 {
    use std::hash::{BuildHasher, BuildHasherDefault, DefaultHasher};
    BuildHasherDefault::<DefaultHasher>::default().hash_one(title)
}

impl TitleKeys {
    /// The keys of every title of `posts`: made by the background loader, so the
    /// first sort by title does not wait for them (see
    /// [`offer_title_keys`](super::offer_title_keys)).
    pub fn of(posts: &[Arc<Post>]) -> TitleKeys {
        let mut keys = TitleKeys::default();
        keys.update(posts);
        keys
    }

    /// Keys the titles not yet keyed as they now read, on every core, and forgets
    /// posts that are gone.
    pub(super) fn update(&mut self, posts: &[Arc<Post>]) {
        let stale = self.stale(posts);
        self.key_titles(&stale);
    }

    /// The posts whose titles are not keyed as they now read; forgets posts that are
    /// gone.
    pub(super) fn stale<'p>(&mut self, posts: &'p [Arc<Post>]) -> Vec<&'p Post> {
        if self.0.len() > posts.len() {
            let present: std::collections::HashSet<&PostId> = posts.iter().map(|p| &p.id).collect();
            self.0.retain(|id, _| present.contains(id));
        }
        posts
            .iter()
            .map(|post| &**post)
            .filter(|post| {
                self.0
                    .get(&post.id)
                    .is_none_or(|(hash, _)| *hash != title_hash(&post.title))
            })
            .collect()
    }

    /// Keys `stale` on every core.
    pub(super) fn key_titles(&mut self, stale: &[&Post]) {
        use rayon::prelude::*;
        let fresh: Vec<(PostId, u64, Box<[u8]>)> = stale
            .par_iter()
            .map(|post| {
                let key = collate::sort_key(&post.title).into_boxed_slice();
                (post.id.clone(), title_hash(&post.title), key)
            })
            .collect();
        for (id, hash, key) in fresh {
            self.0.insert(id, (hash, key));
        }
    }

    /// The key of post `id`, made now if the kept one is missing or stale.
    pub(super) fn key(&self, id: &PostId, title: &str) -> Cow<'_, [u8]> {
        match self.0.get(id) {
            Some((kept, key)) if *kept == title_hash(title) => Cow::Borrowed(key),
            _ => Cow::Owned(collate::sort_key(title)),
        }
    }
}

/// `posts`, each with its place in the library, sorted by title: byte comparisons of
/// collation keys made once per title (see [`TitleKeys`]), then the library's order for
/// equal titles. `checked`: the keys are known to be of the titles as they read now.
pub(super) fn by_title<'p>(
    keys: &TitleKeys,
    checked: bool,
    posts: Vec<(usize, &'p Post)>,
) -> Vec<(usize, &'p Post)> {
    let mut keyed: Vec<(Cow<[u8]>, usize, &Post)> = posts
        .into_iter()
        .map(|(at, post)| {
            let key = match keys.0.get(&post.id) {
                Some((_, key)) if checked => Cow::Borrowed(&key[..]),
                _ => keys.key(&post.id, &post.title),
            };
            (key, at, post)
        })
        .collect();
    keyed.sort_unstable_by(|a, b| (&a.0, a.1).cmp(&(&b.0, b.1)));
    keyed.into_iter().map(|(_, at, post)| (at, post)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn post(title: &str) -> Post {
        let text = format!("---\ntitle: \"{title}\"\n---\n");
        Post::from_bytes(
            std::path::PathBuf::from(format!("{title}.md")),
            Box::leak(text.into_bytes().into_boxed_slice()),
        )
    }

    #[test]
    fn kept_title_keys_follow_a_title_that_changed() {
        let mut posts = vec![Arc::new(post("中国")), Arc::new(post("安装"))];
        let key = |keys: &TitleKeys, p: &Post| keys.key(&p.id, &p.title).into_owned();
        let mut keys = TitleKeys::default();
        keys.update(&posts);
        assert!(matches!(
            keys.key(&posts[0].id, &posts[0].title),
            Cow::Borrowed(_)
        ));
        assert!(key(&keys, &posts[1]) < key(&keys, &posts[0]));
        // Renamed: the kept key is not used for the new title, and the next update
        // keys it again.
        Arc::make_mut(&mut posts[0]).title = "Apple".into();
        assert!(matches!(
            keys.key(&posts[0].id, &posts[0].title),
            Cow::Owned(_)
        ));
        assert!(key(&keys, &posts[0]) < key(&keys, &posts[1]));
        keys.update(&posts);
        assert!(matches!(
            keys.key(&posts[0].id, &posts[0].title),
            Cow::Borrowed(_)
        ));
        posts.truncate(1);
        keys.update(&posts);
        assert_eq!(keys.0.len(), 1, "a post that is gone is forgotten");
    }
}

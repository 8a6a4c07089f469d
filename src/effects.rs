//! Carrying out the [`Effect`]s that `update` asks for: the disk side of the TUI, kept
//! apart from the terminal so tests can drive the whole app with a TestBackend.

use crate::app::{App, Effect};

pub fn perform(app: &mut App, effect: Effect) {
    match effect {
        Effect::OpenPost(index) => {
            let Some(post) = app.library.posts.get(index) else {
                return;
            };
            match post.body_and_meta() {
                Ok((meta, body, warnings)) => app.show_post(index, meta, &body, warnings),
                Err(err) => {
                    app.message = Some(format!("cannot open {}: {err}", post.rel_path.display()))
                }
            }
        }
        Effect::OpenPostAt { post, find } => {
            perform(app, Effect::OpenPost(post));
            if app.reader.as_ref().is_some_and(|r| r.post == post) {
                app.start_find(&find);
            }
        }
    }
}

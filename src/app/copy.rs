//! `y`: what to copy, decided without a terminal. The focused link, else the first code
//! block on screen, since those are the two things a reader of technical posts wants to
//! paste somewhere else. A link is copied as something usable outside the post: a web
//! link as its full URL, a link to a post or a file as its absolute path (a relative
//! `../x/index.md` means nothing in a shell or another program). The text goes out through OSC 52 (see
//! `crate::external::osc52`), so it is made free of control characters here first:
//! post content is hostile and must not reach the terminal raw, even base64-encoded,
//! because it is decoded again on the other side into someone's shell.

use super::action::Action;
use std::path::{Component, Path, PathBuf};

use super::links::{focused_on_screen, url_of};
use super::navigate::Handled;
use super::related;
use super::state::{App, ReaderState};
use super::update::Effect;
use crate::library::link::{LinkTarget, resolve_link};
use crate::library::{PostId, Source};
use crate::markdown::sanitize::sanitize;

/// Terminals drop larger OSC 52 payloads (xterm's default limit is about this).
pub const MAX_COPY_BYTES: usize = 74 * 1024;

pub(super) fn update(app: &mut App, action: Action) -> Handled {
    (action == Action::Copy).then(|| copy(app))
}

fn copy(app: &mut App) -> Option<Effect> {
    let reader = app.reader.as_ref()?;
    let (what, raw) = match focused_on_screen(app) {
        Some(id) => ("link", link_to_copy(app, reader, id)),
        None => match code_on_screen(reader, app.body_height()) {
            Some(code) => ("code block", code.to_string()),
            None => {
                let tab = app.key_for(Action::NextLink);
                app.say(format!(
                    "nothing to copy: focus a link with {tab}, or show a code block"
                ));
                return None;
            }
        },
    };
    let text = clipboard_text(&raw);
    if text.len() > MAX_COPY_BYTES {
        app.say(format!(
            "the {what} is too long to copy through the terminal ({} KiB)",
            text.len() / 1024
        ));
        return None;
    }
    let lines = text.lines().count().max(1);
    let noun = if lines == 1 { "line" } else { "lines" };
    app.say(format!("copied the {what} ({lines} {noun})"));
    Some(Effect::Copy(text))
}

/// The focused link `id` as it is useful outside folio.
fn link_to_copy(app: &App, reader: &ReaderState, id: u32) -> String {
    let url = url_of(reader, id).unwrap_or_default();
    let path_of = |post: &PostId| match &app.library.get(post)?.source {
        Source::File(path) => Some(absolute(path)),
        Source::Embedded(_) => None,
    };
    if let Some(post) = related::post_of(&reader.related, id) {
        return path_of(&post).unwrap_or_else(|| url.to_string());
    }
    let here = &reader.post;
    let found = match resolve_link(&app.library, here, url) {
        LinkTarget::External(full) => Some(full),
        LinkTarget::Post { id, .. } => path_of(&id),
        LinkTarget::Anchor(_) => path_of(here),
        // A file beside the post (an image, a PDF): where it is on disk.
        LinkTarget::NotFound(_) => reader
            .options
            .base_dir
            .as_ref()
            .filter(|_| !url.starts_with('/'))
            .map(|dir| {
                let path = url.split(['#', '?']).next().unwrap_or_default();
                absolute(&dir.join(path))
            }),
        LinkTarget::Refused(_) => None,
    };
    found.unwrap_or_else(|| url.to_string())
}

/// `path` made absolute against the working folder, with `.` and `..` folded away
/// (by the path alone: nothing is looked up on disk).
fn absolute(path: &Path) -> String {
    let full = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut out = PathBuf::new();
    for component in full.components() {
        match component {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            other => out.push(other),
        }
    }
    out.to_string_lossy().into_owned()
}

/// The source text of the first top-level code (or math) block with a row on screen.
pub fn code_on_screen(reader: &ReaderState, height: usize) -> Option<&str> {
    let rows = &reader.laid.block_rows;
    let top = reader.scroll;
    let bottom = top.saturating_add(height);
    rows.iter().enumerate().find_map(|(i, &start)| {
        let end = rows.get(i + 1).copied().unwrap_or(reader.laid.lines.len());
        if end <= top || start >= bottom {
            return None;
        }
        let code = &reader.laid.block_code;
        let at = code.binary_search_by_key(&i, |(block, _)| *block).ok()?;
        code.get(at).map(|(_, text)| &**text)
    })
}

/// `raw` with line breaks and tabs kept (code needs them) and every other control,
/// bidi override and invisible character neutralised by [`sanitize`]; CRLF becomes LF
/// and the final newline of a code block is dropped.
pub fn clipboard_text(raw: &str) -> String {
    raw.trim_end_matches(['\n', '\r'])
        .split('\n')
        .map(|line| {
            line.strip_suffix('\r')
                .unwrap_or(line)
                .split('\t')
                .map(|piece| sanitize(piece).into_owned())
                .collect::<Vec<_>>()
                .join("\t")
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clipboard_text_keeps_layout_and_defuses_controls() {
        assert_eq!(clipboard_text("a\tb\r\nc\n\n"), "a\tb\nc");
        let hostile = "ls\u{1b}]52;c;ZXZpbA==\u{7}\u{202e}x\u{9b}2J";
        let out = clipboard_text(hostile);
        assert!(
            !out.chars().any(|c| c.is_control()),
            "control left in {out:?}"
        );
        assert!(!out.contains('\u{202e}'));
    }
}

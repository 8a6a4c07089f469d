//! What a failed step of the folder walk means to a user, in one line: a folder that
//! could not be read is named (its posts are missing from the list, which would
//! otherwise look complete), with the path as the collection knows it.

use std::path::Path;

/// One line for an error of the walk under `root`. `is_dir` says whether a path is a
/// folder; the caller asks the disk, so this stays a function of its inputs.
pub(super) fn describe(root: &Path, err: &ignore::Error, is_dir: impl Fn(&Path) -> bool) -> String {
    let shown = |path: &Path| {
        let rel = path.strip_prefix(root).unwrap_or(path);
        if rel.as_os_str().is_empty() {
            root.display().to_string()
        } else {
            rel.display().to_string()
        }
    };
    match located(err) {
        (Some(path), ignore::Error::Io(io)) if is_dir(path) => format!(
            "cannot read folder {}: {io}; its posts are not listed",
            shown(path)
        ),
        (Some(path), ignore::Error::Io(io)) => format!("{}: {io}; skipped", shown(path)),
        _ => err.to_string(),
    }
}

/// The path an error is about (the innermost one given) and the error under the
/// wrappers that add a path, a depth or a line.
fn located(err: &ignore::Error) -> (Option<&Path>, &ignore::Error) {
    let mut path = None;
    let mut err = err;
    loop {
        match err {
            ignore::Error::WithPath {
                path: at,
                err: inner,
            } => {
                path = Some(at.as_path());
                err = inner;
            }
            ignore::Error::WithDepth { err: inner, .. }
            | ignore::Error::WithLineNumber { err: inner, .. } => err = inner,
            _ => return (path, err),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::changes::Found;
    use super::super::{Cached, gather};
    use super::*;
    use std::io;

    /// The error the walker gives for a folder `fs::read_dir` refused.
    fn unreadable(path: &Path, depth: usize) -> ignore::Error {
        ignore::Error::WithDepth {
            depth,
            err: Box::new(ignore::Error::WithPath {
                path: path.to_path_buf(),
                err: Box::new(ignore::Error::Io(io::Error::from(
                    io::ErrorKind::PermissionDenied,
                ))),
            }),
        }
    }

    #[test]
    fn a_folder_that_cannot_be_read_is_named_within_the_collection() {
        let root = Path::new("/blog/content");
        let folder = root.join("posts/locked");
        let line = describe(root, &unreadable(&folder, 2), |p| p == folder);
        assert_eq!(
            line,
            "cannot read folder posts/locked: permission denied; its posts are not listed"
        );
        // The collection itself is named by its path.
        let line = describe(root, &unreadable(root, 0), |_| true);
        assert!(
            line.starts_with("cannot read folder /blog/content: "),
            "{line}"
        );
        // A file: skipped, by its path.
        let file = root.join("a.md");
        let line = describe(root, &unreadable(&file, 1), |_| false);
        assert_eq!(line, "a.md: permission denied; skipped");
        // Anything else as the walker says it.
        let other = ignore::Error::Loop {
            ancestor: root.to_path_buf(),
            child: root.join("x"),
        };
        assert_eq!(describe(root, &other, |_| true), other.to_string());
    }

    /// A folder `read_dir` refuses (what `chmod 000` does to anyone but root), given to
    /// the walk's callback as the walker gives it: a warning naming the folder, kept in
    /// the library.
    #[test]
    fn a_folder_the_walk_cannot_read_is_a_warning_that_names_it() {
        let root = tempfile::tempdir().expect("tempdir");
        let locked = root.path().join("posts").join("locked");
        std::fs::create_dir_all(&locked).expect("mkdir");
        let refused = ignore::Error::WithDepth {
            depth: 2,
            err: Box::new(ignore::Error::WithPath {
                path: locked.clone(),
                err: Box::new(ignore::Error::Io(std::io::Error::from_raw_os_error(13))),
            }),
        };
        let found = super::super::walk::visit(root.path(), Err(refused), Some(&Cached::new()));
        let Some(Found::Warning(warning)) = found else {
            panic!("not a warning");
        };
        let expected = format!(
            "cannot read folder {}: {}; its posts are not listed",
            Path::new("posts").join("locked").display(),
            std::io::Error::from_raw_os_error(13)
        );
        assert_eq!(warning, expected);
        let scanned = gather(
            root.path(),
            vec![Found::Warning(warning)],
            Cached::new(),
            0,
            &super::super::recall_nothing,
        );
        assert_eq!(scanned.library.warnings, [expected]);
    }
}

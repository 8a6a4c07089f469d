//! One error shape for every file a user writes by hand (the config, a theme): which
//! file, which line, and what is wrong with which key, in one line.
//!
//! The YAML parser already knows the line and the key path of a problem; this keeps
//! both and puts them where an editor's "jump to file:line" finds them.
//!
//! Such a file is read as a post is ([`read_hand_written`]): only a regular file, and
//! only so much of it, because a path in a config can name anything (`/dev/zero`, a
//! FIFO) and a settings file that does not end must not take the machine with it.

use std::fmt;
use std::path::{Path, PathBuf};

use crate::library::LoadError;
use crate::library::post::read_regular;

/// The most of a config, theme or `.tmTheme` file folio reads. Such files are a few
/// kilobytes; a megabyte is far beyond any written by hand.
pub const HAND_WRITTEN_LIMIT: u64 = 1024 * 1024;

/// The text of a config, theme or `.tmTheme` file: a regular file of at most
/// [`HAND_WRITTEN_LIMIT`] bytes, in UTF-8. [`LoadError::is_missing`] tells a file that
/// is not there (for the config, no error) from one that cannot be read.
pub fn read_hand_written(path: &Path) -> Result<String, LoadError> {
    let bytes = read_regular(path, HAND_WRITTEN_LIMIT)?;
    String::from_utf8(bytes).map_err(|_| LoadError::Io {
        path: path.to_path_buf(),
        error: std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            "stream did not contain valid UTF-8",
        ),
    })
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileError {
    /// The file; empty when the problem is not in a file (a theme name that matches
    /// nothing), and then only the message is shown.
    pub path: PathBuf,
    /// 1-based line of the problem, when it has one.
    pub line: Option<usize>,
    /// What is wrong, starting with the key path when there is one
    /// (`markdown.h1: unknown colour "blurple" …`).
    pub message: String,
}

impl FileError {
    pub fn new(path: &Path, line: Option<usize>, message: impl Into<String>) -> Self {
        FileError {
            path: path.to_path_buf(),
            line,
            message: message.into(),
        }
    }

    /// A YAML parse or shape error, keeping its line and dropping the parser's own
    /// "at line L column C" (the line is shown in front, the column adds little).
    pub fn from_yaml(path: &Path, err: &serde_yaml::Error) -> Self {
        let text = err.to_string();
        match err.location() {
            Some(loc) => {
                let suffix = format!(" at line {} column {}", loc.line(), loc.column());
                FileError::new(path, Some(loc.line()), text.replacen(&suffix, "", 1))
            }
            None => FileError::new(path, None, text),
        }
    }
}

impl fmt::Display for FileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            _ if self.path.as_os_str().is_empty() => f.write_str(&self.message),
            Some(line) => write!(f, "{}:{line}: {}", self.path.display(), self.message),
            None => write!(f, "{}: {}", self.path.display(), self.message),
        }
    }
}

impl std::error::Error for FileError {}

/// The 1-based line where `key:` first starts a line (ignoring indentation), for errors
/// found after parsing, when the parser's positions are gone.
pub fn line_of_key(text: &str, key: &str) -> Option<usize> {
    text.lines()
        .position(|line| {
            line.trim_start()
                .strip_prefix(key)
                .is_some_and(|rest| rest.trim_start().starts_with(':'))
        })
        .map(|i| i + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yaml_errors_keep_line_and_path() {
        #[derive(Debug, serde::Deserialize)]
        #[serde(deny_unknown_fields)]
        #[allow(dead_code)]
        struct T {
            a: u8,
        }
        let err = serde_yaml::from_str::<T>("a: 1\nb: 2\n").expect_err("unknown key");
        let err = FileError::from_yaml(Path::new("/x/c.yaml"), &err);
        assert_eq!(err.line, Some(2));
        let shown = err.to_string();
        assert!(
            shown.starts_with("/x/c.yaml:2: unknown field `b`"),
            "{shown}"
        );
        assert!(!shown.contains("column"), "{shown}");
    }

    #[test]
    fn hand_written_files_are_read_only_when_regular_small_and_text() {
        let dir = tempfile::tempdir().expect("tempdir");
        let at = |name: &str, bytes: &[u8]| {
            let path = dir.path().join(name);
            std::fs::write(&path, bytes).expect("write");
            path
        };
        let fine = at("fine.yaml", b"theme: dark\n");
        assert_eq!(read_hand_written(&fine).expect("reads"), "theme: dark\n");
        let limit = usize::try_from(HAND_WRITTEN_LIMIT).expect("fits");
        let just = at("just.yaml", &vec![b'#'; limit]);
        assert_eq!(read_hand_written(&just).expect("at the limit").len(), limit);
        let over = at("over.yaml", &vec![b'#'; limit + 1]);
        assert!(matches!(
            read_hand_written(&over),
            Err(LoadError::TooLarge { limit_mib: 1, .. })
        ));
        let latin1 = at("latin1.yaml", b"description: caf\xe9\n");
        let err = read_hand_written(&latin1).expect_err("not UTF-8");
        assert_eq!(
            err.reason(),
            "cannot read: stream did not contain valid UTF-8"
        );
        assert!(read_hand_written(&dir.path().join("none")).is_err_and(|e| e.is_missing()));
        assert!(matches!(
            read_hand_written(dir.path()),
            Err(LoadError::NotRegular(_))
        ));
        #[cfg(unix)]
        {
            let fifo = dir.path().join("fifo.yaml");
            let made = std::process::Command::new("mkfifo").arg(&fifo).status();
            assert!(made.is_ok_and(|s| s.success()), "mkfifo");
            for path in [fifo.as_path(), Path::new("/dev/zero")] {
                let err = read_hand_written(path).expect_err("not regular");
                assert_eq!(err.reason(), "not a regular file; not read");
            }
        }
    }

    #[test]
    fn finds_a_key_line() {
        let text = "# c\ntheme: x\nkeys:\n  extends: y\n";
        assert_eq!(line_of_key(text, "theme"), Some(2));
        assert_eq!(line_of_key(text, "extends"), Some(4));
        assert_eq!(line_of_key(text, "them"), None);
    }
}

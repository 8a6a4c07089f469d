//! One error shape for every file a user writes by hand (the config, a theme): which
//! file, which line, and what is wrong with which key, in one line.
//!
//! The YAML parser already knows the line and the key path of a problem; this keeps
//! both and puts them where an editor's "jump to file:line" finds them.

use std::fmt;
use std::path::{Path, PathBuf};

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
    fn finds_a_key_line() {
        let text = "# c\ntheme: x\nkeys:\n  extends: y\n";
        assert_eq!(line_of_key(text, "theme"), Some(2));
        assert_eq!(line_of_key(text, "extends"), Some(4));
        assert_eq!(line_of_key(text, "them"), None);
    }
}

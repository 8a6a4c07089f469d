//! A post's tags, categories or authors, kept in one allocation. Every post of a
//! collection holds three such lists, usually of one to four short names; as a
//! `Vec<String>` each took a vector and a string per name (about 100 bytes for two
//! tags, 30 MB of a 100,000-post library). Here a list is its names one after
//! another, each ended by a NUL, which a name cannot hold (one read with a NUL has it
//! replaced by U+FFFD).

use std::fmt;

/// Names in their order, duplicates and all, as the front matter gave them.
#[derive(Clone, Default, PartialEq, Eq, Hash)]
pub struct Names(Box<str>);

const END: char = '\0';

impl Names {
    pub fn iter(&self) -> std::str::SplitTerminator<'_, char> {
        self.0.split_terminator(END)
    }

    /// The names as kept: each followed by a NUL. For a pass over every name's text
    /// that need not find where each ends (the search's labels, at every keystroke).
    pub fn as_terminated(&self) -> &str {
        &self.0
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn len(&self) -> usize {
        self.0.matches(END).count()
    }

    pub fn first(&self) -> Option<&str> {
        self.iter().next()
    }

    pub fn contains(&self, name: &str) -> bool {
        self.iter().any(|n| n == name)
    }

    pub fn join(&self, separator: &str) -> String {
        self.iter().collect::<Vec<_>>().join(separator)
    }

    /// The names as strings of their own, for what keeps them apart from the post.
    pub fn to_vec(&self) -> Vec<String> {
        self.iter().map(str::to_string).collect()
    }
}

impl<S: AsRef<str>> FromIterator<S> for Names {
    fn from_iter<I: IntoIterator<Item = S>>(names: I) -> Names {
        let mut joined = String::new();
        for name in names {
            let name = name.as_ref();
            if name.contains(END) {
                joined.push_str(&name.replace(END, "\u{fffd}"));
            } else {
                joined.push_str(name);
            }
            joined.push(END);
        }
        Names(joined.into_boxed_str())
    }
}

impl From<Vec<String>> for Names {
    fn from(names: Vec<String>) -> Names {
        names.into_iter().collect()
    }
}

impl<'a> IntoIterator for &'a Names {
    type Item = &'a str;
    type IntoIter = std::str::SplitTerminator<'a, char>;

    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

impl fmt::Debug for Names {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

impl serde::Serialize for Names {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.iter())
    }
}

impl<const N: usize> PartialEq<[&str; N]> for Names {
    fn eq(&self, other: &[&str; N]) -> bool {
        self.iter().eq(other.iter().copied())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_come_back_in_order_empty_ones_and_all() {
        let cases: [&[&str]; 5] = [
            &[],
            &[""],
            &["rust", "服务网格", "rust"],
            &["", "a", ""],
            &["two words", "x"],
        ];
        for names in cases {
            let kept: Names = names.iter().collect();
            assert_eq!(kept.iter().collect::<Vec<_>>(), names);
            assert_eq!(kept.len(), names.len());
            assert_eq!(kept.is_empty(), names.is_empty());
            assert_eq!(kept.join(", "), names.join(", "));
            assert_eq!(kept.first(), names.first().copied());
        }
    }

    #[test]
    fn a_nul_in_a_name_does_not_split_it() {
        let kept: Names = ["a\0b", "c"].iter().collect();
        assert_eq!(kept, ["a\u{fffd}b", "c"]);
        assert!(kept.contains("c") && !kept.contains("a"));
        assert_eq!(
            serde_json::to_string(&kept).expect("json"),
            r#"["a�b","c"]"#
        );
    }
}

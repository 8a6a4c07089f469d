//! One shortcode tag read from its source: `{{< name arg key="v" >}}`, `{{% /name %}}`,
//! `{{< name … />}}`. Kept apart from the expansion so the reading of arguments (quotes,
//! positional and named ones) is one small, tested thing.

/// A shortcode tag parsed from its source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Tag {
    pub name: String,
    pub closing: bool,
    /// Written `{{< name … />}}`: no closing tag follows.
    pub self_closing: bool,
    /// Positional and named arguments, in order; positional ones have an empty key.
    pub args: Vec<(String, String)>,
}

impl Tag {
    pub fn arg(&self, key: &str) -> Option<&str> {
        self.args
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    pub fn positional(&self, n: usize) -> Option<&str> {
        self.args
            .iter()
            .filter(|(k, _)| k.is_empty())
            .nth(n)
            .map(|(_, v)| v.as_str())
    }
}

/// A line that is exactly one shortcode tag.
pub(super) fn whole_line_tag(line: &str) -> Option<Tag> {
    let (tag, len) = parse_tag(line)?;
    (len == line.len()).then_some(tag)
}

/// Parses a tag at the start of `s`; returns it and its length in bytes.
pub(super) fn parse_tag(s: &str) -> Option<(Tag, usize)> {
    let (close, rest) = if let Some(r) = s.strip_prefix("{{<") {
        (">}}", r)
    } else {
        (("%}}"), s.strip_prefix("{{%")?)
    };
    let end = rest.find(close)?;
    let inner = rest.get(..end)?.trim();
    if inner.starts_with("/*") {
        return None;
    }
    let (closing, inner) = match inner.strip_prefix('/') {
        Some(i) => (true, i.trim()),
        None => (false, inner),
    };
    let (self_closing, inner) = match inner.strip_suffix('/') {
        Some(i) => (true, i.trim_end()),
        None => (false, inner),
    };
    let mut words = split_args(inner).into_iter();
    let name = words.next()?.1.to_lowercase();
    if name.is_empty()
        || !name
            .chars()
            .all(|c| c.is_alphanumeric() || "-_/.".contains(c))
    {
        return None;
    }
    Some((
        Tag {
            name,
            closing,
            self_closing,
            args: words.collect(),
        },
        3 + end + close.len(),
    ))
}

/// Splits shortcode arguments: `src="a b" caption='c' 42 "pos"`.
fn split_args(s: &str) -> Vec<(String, String)> {
    let mut args = Vec::new();
    let mut chars = s.chars().peekable();
    loop {
        while chars.next_if(|c| c.is_whitespace()).is_some() {}
        if chars.peek().is_none() {
            break;
        }
        let mut key = String::new();
        let mut current = String::new();
        let mut had_eq = false;
        while let Some(&c) = chars.peek() {
            if c.is_whitespace() {
                break;
            }
            chars.next();
            match c {
                '"' | '\'' | '`' => {
                    for q in chars.by_ref() {
                        if q == c {
                            break;
                        }
                        current.push(q);
                    }
                }
                '=' if !had_eq => {
                    had_eq = true;
                    key = std::mem::take(&mut current);
                }
                _ => current.push(c),
            }
        }
        args.push((key, current));
    }
    args
}

/// Whether `line` opens a shortcode (`{{<` or `{{%`, escaped or not) that it does not
/// close, as when a tag's parameters are written one per line: its last opening comes
/// after its last closing. Two searches from the end, so a line of thousands of `{{<`
/// costs no more than reading it.
pub(super) fn has_unclosed_open(line: &str) -> bool {
    let open_after_close = |open: &str, close: &str| match line.rfind(open) {
        Some(at) => line.rfind(close).is_none_or(|end| end < at),
        None => false,
    };
    open_after_close("{{<", ">}}") || open_after_close("{{%", "%}}")
}

/// Whether `line` closes a tag left open by [`unclosed_open`].
pub(super) fn closes_open_tag(line: &str) -> bool {
    line.contains(">}}") || line.contains("%}}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arguments_positional_named_and_quoted() {
        let (tag, len) = parse_tag(r#"{{< callout note "Karmada 名称的由来" >}} x"#).unwrap();
        assert_eq!(tag.name, "callout");
        assert_eq!(tag.positional(0), Some("note"));
        assert_eq!(tag.positional(1), Some("Karmada 名称的由来"));
        assert_eq!(len, r#"{{< callout note "Karmada 名称的由来" >}}"#.len());
        let (tag, _) = parse_tag("{{< new-in 0.140.0 />}}").unwrap();
        assert!(tag.self_closing && !tag.closing);
        assert_eq!(tag.positional(0), Some("0.140.0"));
        let (tag, _) = parse_tag("{{% /notice %}}").unwrap();
        assert!(tag.closing);
        assert_eq!(parse_tag("{{</* figure */>}}"), None);
    }

    #[test]
    fn an_open_tag_is_found_past_closed_ones() {
        assert!(has_unclosed_open("{{< a >}} and {{< figure"));
        assert!(!has_unclosed_open("{{< a >}} {{% b %}}"));
        assert!(has_unclosed_open("{{</* figure"));
        assert!(!has_unclosed_open("{{ .Title }}"));
    }
}

//! A fenced code block's info string: its language and the attributes Hugo reads after
//! it (`go {file="main.go" linenos=table hl_lines=[2,"4-5"] linenostart=10}`), which
//! say what the block is a file of, whether its lines are numbered and which to mark.

use super::model::CodeAttrs;

/// The most marked ranges kept: a hostile `hl_lines` cannot make a block slow to draw.
const MAX_RANGES: usize = 64;

/// The first token of a code block's info string: `go {linenos=true}`, `rust,ignore`,
/// `{.rust .numberLines}` and `mermaid "title"` all name their language first.
pub fn info_lang(info: &str) -> Option<String> {
    let token = info
        .trim()
        .trim_start_matches('{')
        .split(|c: char| c.is_whitespace() || matches!(c, ',' | '{' | '}' | '"'))
        .next()?
        .trim_start_matches('.');
    let token: String = token.chars().take(32).collect();
    (!token.is_empty() && !token.contains('=')).then(|| token.to_lowercase())
}

/// The attributes of an info string: the `{…}` after the language, or the words after
/// it when there are no braces (`go title="main.go"`).
pub fn info_attrs(info: &str) -> CodeAttrs {
    let info = info.trim();
    let area = match (info.find('{'), info.rfind('}')) {
        (Some(open), Some(close)) if open < close => info.get(open + 1..close).unwrap_or(""),
        _ => info
            .split_once(char::is_whitespace)
            .map_or("", |(_, rest)| rest),
    };
    let mut attrs = CodeAttrs::default();
    let mut numbered = false;
    let mut start = 1u64;
    for (key, value) in pairs(area) {
        match key.to_ascii_lowercase().as_str() {
            "file" | "filename" | "title" if !value.trim().is_empty() => {
                attrs.title = Some(value.trim().chars().take(200).collect());
            }
            "linenos" => numbered = matches!(value.as_str(), "true" | "inline" | "table"),
            "linenostart" => start = value.trim().parse().unwrap_or(1),
            "hl_lines" => attrs.marked = ranges(&value),
            _ => {}
        }
    }
    if numbered {
        attrs.line_numbers = Some(start);
    }
    if start != 1 {
        // Hugo counts `hl_lines` from the first line, whatever its number.
        let shift = start.saturating_sub(1);
        for (from, to) in &mut attrs.marked {
            *from = from.saturating_add(shift);
            *to = to.saturating_add(shift);
        }
    }
    attrs
}

/// `key=value` pairs, parted by spaces or commas; values may be quoted or a `[…]` list.
fn pairs(area: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut chars = area.chars().peekable();
    loop {
        while chars.next_if(|c| c.is_whitespace() || *c == ',').is_some() {}
        let mut key = String::new();
        while let Some(c) = chars.next_if(|c| !c.is_whitespace() && !matches!(c, '=' | ',')) {
            key.push(c);
        }
        if key.is_empty() && chars.peek().is_none() {
            break;
        }
        let mut value = String::new();
        if chars.next_if_eq(&'=').is_some() {
            match chars.peek().copied() {
                Some(q @ ('"' | '\'')) => {
                    chars.next();
                    value.extend(chars.by_ref().take_while(|c| *c != q));
                }
                Some('[') => {
                    chars.next();
                    value.extend(chars.by_ref().take_while(|c| *c != ']'));
                }
                _ => {
                    while let Some(c) = chars.next_if(|c| !c.is_whitespace() && *c != ',') {
                        value.push(c);
                    }
                }
            }
        } else if key.is_empty() {
            // A stray `=` or the like: skip it.
            chars.next();
            continue;
        }
        out.push((key, value));
    }
    out
}

/// `2 4-5`, `2,"4-5"` → `[(2, 2), (4, 5)]`.
fn ranges(value: &str) -> Vec<(u64, u64)> {
    value
        .split(|c: char| c.is_whitespace() || c == ',')
        .map(|item| item.trim_matches(|c| c == '"' || c == '\''))
        .filter_map(|item| match item.split_once('-') {
            Some((from, to)) => Some((from.trim().parse().ok()?, to.trim().parse().ok()?)),
            None => {
                let n = item.trim().parse().ok()?;
                Some((n, n))
            }
        })
        .filter(|(from, to)| from <= to)
        .take(MAX_RANGES)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn languages_come_first() {
        assert_eq!(info_lang("go {linenos=true}").as_deref(), Some("go"));
        assert_eq!(info_lang("{.rust .numberLines}").as_deref(), Some("rust"));
        assert_eq!(info_lang("{file=\"a\"}"), None);
    }

    #[test]
    fn hugo_attributes_are_read() {
        let attrs = info_attrs(r#"go {file="content/example.md" linenos=true hl_lines=[2,"4-5"]}"#);
        assert_eq!(attrs.title.as_deref(), Some("content/example.md"));
        assert_eq!(attrs.line_numbers, Some(1));
        assert_eq!(attrs.marked, [(2, 2), (4, 5)]);
        let attrs = info_attrs(r#"go {linenos="table" hl_lines="8 15-17" linenostart=199}"#);
        assert_eq!(attrs.line_numbers, Some(199));
        assert_eq!(attrs.marked, [(206, 206), (213, 215)]);
        assert!(attrs.is_marked(214) && !attrs.is_marked(207));
        assert_eq!(
            info_attrs("go title=\"main.go\"").title.as_deref(),
            Some("main.go")
        );
        assert_eq!(info_attrs("rust,ignore"), CodeAttrs::default());
        assert_eq!(info_attrs("go {linenos=false}").line_numbers, None);
    }
}

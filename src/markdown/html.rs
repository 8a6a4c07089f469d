//! Raw HTML in posts, reduced to the text a reader should see.
//!
//! folio is not a browser: `<br>` is a line break, `<img>` its alt text, block tags like
//! `<center>`, `<div>` and `<details>` give up their content, comments and `<script>` /
//! `<style>` vanish. The scan is a single linear pass with no regex, so a hostile block of
//! unclosed tags cannot make it slow.

/// Whether an inline HTML fragment is a line break (`<br>`, `<br/>`, `<BR />`).
pub fn is_line_break(html: &str) -> bool {
    let tag: String = html
        .trim()
        .trim_start_matches('<')
        .trim_end_matches('>')
        .trim_end_matches('/')
        .trim()
        .to_ascii_lowercase();
    tag == "br"
}

/// The visible text of an HTML block: tags removed, `<br>`, `<p>` and block ends as
/// newlines, `<img alt>` as `[image: alt]`, common entities decoded.
pub fn to_text(html: &str) -> String {
    let mut out = String::new();
    let mut rest = html;
    let mut skip_until: Option<&'static str> = None;
    while !rest.is_empty() {
        if let Some(end) = skip_until {
            match find_ci(rest, end) {
                Some(at) => {
                    rest = rest.get(at + end.len()..).unwrap_or_default();
                    skip_until = None;
                }
                None => break,
            }
            continue;
        }
        if let Some(after) = rest.strip_prefix("<!--") {
            rest = match after.find("-->") {
                Some(at) => after.get(at + 3..).unwrap_or_default(),
                None => "",
            };
            continue;
        }
        let Some(lt) = rest.find('<') else {
            out.push_str(&decode_entities(rest));
            break;
        };
        out.push_str(&decode_entities(rest.get(..lt).unwrap_or_default()));
        let tail = rest.get(lt..).unwrap_or_default();
        let Some(gt) = tail.find('>') else {
            out.push_str(&decode_entities(tail));
            break;
        };
        let tag = tail.get(1..gt).unwrap_or_default();
        rest = tail.get(gt + 1..).unwrap_or_default();
        let name: String = tag
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_ascii_lowercase();
        match name.as_str() {
            "script" if !tag.starts_with('/') => skip_until = Some("</script>"),
            "style" if !tag.starts_with('/') => skip_until = Some("</style>"),
            "br" | "p" | "div" | "center" | "details" | "summary" | "tr" | "li" | "h1" | "h2"
            | "h3" | "h4" | "h5" | "h6" | "blockquote" | "figure" | "figcaption"
                if !out.ends_with('\n') && !out.is_empty() =>
            {
                out.push('\n');
            }
            "td" | "th" if !tag.starts_with('/') => out.push(' '),
            "img" => {
                let alt = attribute(tag, "alt").unwrap_or_default();
                let src = attribute(tag, "src").unwrap_or_default();
                out.push_str(&format!("[image: {}] {}", decode_entities(&alt), src));
            }
            _ => {}
        }
    }
    let lines: Vec<&str> = out
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    lines.join("\n").trim().to_string()
}

fn find_ci(haystack: &str, needle: &str) -> Option<usize> {
    haystack.to_ascii_lowercase().find(needle)
}

/// The value of `name="…"` (or `'…'`) in a tag's source.
pub fn attribute(tag: &str, name: &str) -> Option<String> {
    let lower = tag.to_ascii_lowercase();
    let mut from = 0;
    while let Some(found) = lower.get(from..).and_then(|s| s.find(name)) {
        let at = from + found;
        from = at + name.len();
        let before_ok = at == 0
            || lower
                .get(..at)
                .and_then(|s| s.chars().last())
                .is_some_and(char::is_whitespace);
        let after = tag.get(at + name.len()..).unwrap_or_default().trim_start();
        let Some(value) = after.strip_prefix('=').map(str::trim_start) else {
            continue;
        };
        if !before_ok {
            continue;
        }
        let quote = value.chars().next()?;
        if quote == '"' || quote == '\'' {
            let inner = value.get(1..)?;
            return Some(inner.split(quote).next().unwrap_or_default().to_string());
        }
        return Some(
            value
                .split(|c: char| c.is_whitespace() || c == '>' || c == '/')
                .next()
                .unwrap_or_default()
                .to_string(),
        );
    }
    None
}

/// Decodes the entities HTML blocks commonly use; numeric ones through `char::from_u32`
/// (the sanitizer later makes any control character visible).
pub fn decode_entities(text: &str) -> String {
    if !text.contains('&') {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(rest.get(..amp).unwrap_or_default());
        let tail = rest.get(amp..).unwrap_or_default();
        let end = tail
            .char_indices()
            .take(12)
            .find(|(_, c)| *c == ';')
            .map(|(at, _)| at);
        let decoded = end.and_then(|end| entity(tail.get(1..end).unwrap_or_default()));
        match (decoded, end) {
            (Some(c), Some(end)) => {
                out.push(c);
                rest = tail.get(end + 1..).unwrap_or_default();
            }
            _ => {
                out.push('&');
                rest = tail.get(1..).unwrap_or_default();
            }
        }
    }
    out.push_str(rest);
    out
}

fn entity(name: &str) -> Option<char> {
    if let Some(num) = name.strip_prefix('#') {
        let code = match num.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok()?,
            None => num.parse().ok()?,
        };
        return char::from_u32(code);
    }
    Some(match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        "nbsp" => ' ',
        "copy" => '©',
        "reg" => '®',
        "trade" => '™',
        "hellip" => '…',
        "mdash" => '—',
        "ndash" => '–',
        "laquo" => '«',
        "raquo" => '»',
        "middot" => '·',
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn block_tags_give_up_their_text() {
        assert_eq!(to_text("<center>居中</center>"), "居中");
        assert_eq!(
            to_text("<details><summary>More</summary>\nHidden &amp; found</details>"),
            "More\nHidden & found"
        );
        assert_eq!(to_text("<!-- note --><script>x()</script>ok"), "ok");
    }

    #[test]
    fn images_keep_alt_and_source() {
        assert_eq!(
            to_text(r#"<img src="a.png" alt="架构图" width=300>"#),
            "[image: 架构图] a.png"
        );
        assert_eq!(
            attribute(r#"img data-src="x" src='y'"#, "src").as_deref(),
            Some("y")
        );
    }

    #[test]
    fn line_breaks_are_recognised() {
        for br in ["<br>", "<br/>", "<BR />", "<br >"] {
            assert!(is_line_break(br), "{br}");
        }
        assert!(!is_line_break("<b>"));
    }

    #[test]
    fn entities_decode_and_unknown_ones_stay() {
        assert_eq!(
            decode_entities("&copy; 2024 &foo; &#27;"),
            "© 2024 &foo; \u{1b}"
        );
        assert_eq!(decode_entities("a & b"), "a & b");
    }
}

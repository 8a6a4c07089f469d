//! Shortcodes used inside a line (`ref`, `figure`, embeds, `new-in`, `param`, an inline
//! `highlight`), each replaced by the Markdown or marker it stands for, and the
//! attribute lists Goldmark allows after an image (`![a](b){width=300}`), dropped.

use std::borrow::Cow;

use super::Marker;
use super::blocks::is_attribute_list;
use super::tag::{Tag, parse_tag};
use super::unescape;

/// Expands the shortcodes within one line.
pub(super) fn inline(line: &str) -> Cow<'_, str> {
    if !line.contains("{{") && !line.contains("){") {
        return Cow::Borrowed(line);
    }
    let line = drop_image_attributes(line);
    if !line.contains("{{") {
        return line;
    }
    let mut out = String::with_capacity(line.len());
    // Past the last closing `}}` no tag can complete: stop looking there, so a line of
    // thousands of unclosed `{{<` stays linear.
    let last_close = line.rfind("}}").unwrap_or(0);
    let definition = is_reference_definition(&line);
    let mut rest: &str = &line;
    while let Some(at) = rest.find("{{") {
        if line.len() - rest.len() + at > last_close {
            break;
        }
        out.push_str(rest.get(..at).unwrap_or_default());
        let tail = rest.get(at..).unwrap_or_default();
        if let Some(len) = escaped_len(tail) {
            out.push_str(&unescape(tail.get(..len).unwrap_or_default()));
            rest = tail.get(len..).unwrap_or_default();
            continue;
        }
        let Some((tag, len)) = parse_tag(tail) else {
            out.push_str("{{");
            rest = tail.get(2..).unwrap_or_default();
            continue;
        };
        let source = tail.get(..len).unwrap_or_default();
        let after = tail.get(len..).unwrap_or_default();
        // `{{< highlight go "hl_inline=true" >}}code{{< /highlight >}}`: inline code.
        if tag.name == "highlight"
            && !tag.closing
            && let Some((code, used)) = inline_pair(after, &tag.name)
        {
            out.push_str(&super::code_span(code));
            rest = after.get(used..).unwrap_or_default();
            continue;
        }
        // In a `<…>` link destination a shortcode Hugo would turn into a URL stays as
        // written: the destination must stay one, or the link is lost.
        let in_destination =
            out.ends_with("](<") || (definition && out.trim_end().ends_with("]: <"));
        if in_destination && !matches!(tag.name.as_str(), "ref" | "relref") {
            out.push_str(source);
        } else {
            out.push_str(&replacement(&tag, source));
        }
        rest = after;
    }
    out.push_str(rest);
    Cow::Owned(out)
}

/// The text up to `{{< /name >}}` on the rest of the line, and the length used.
fn inline_pair<'a>(after: &'a str, name: &str) -> Option<(&'a str, usize)> {
    let mut from = 0;
    while let Some(at) = after.get(from..)?.find("{{") {
        let start = from + at;
        if let Some((tag, len)) = parse_tag(after.get(start..)?)
            && tag.closing
            && tag.name == name
        {
            return Some((after.get(..start)?, start + len));
        }
        from = start + 2;
    }
    None
}

/// `[label]: destination` at the start of a line (up to three spaces in).
fn is_reference_definition(line: &str) -> bool {
    let t = line.trim_start();
    line.len() - t.len() < 4
        && t.starts_with('[')
        && t.find("]:")
            .is_some_and(|at| !t.get(1..at).unwrap_or("").contains(']'))
}

/// Removes an attribute list written right after an image: `![a](b){width=300}`.
fn drop_image_attributes(line: &str) -> Cow<'_, str> {
    if !line.contains("){") {
        return Cow::Borrowed(line);
    }
    let mut out = String::with_capacity(line.len());
    let mut rest = line;
    while let Some(at) = rest.find("){") {
        out.push_str(rest.get(..=at).unwrap_or_default());
        let tail = rest.get(at + 1..).unwrap_or_default();
        let list_len = tail.find('}').map(|end| end + 1);
        match list_len {
            Some(len) if is_attribute_list(tail.get(..len).unwrap_or_default()) => {
                rest = tail.get(len..).unwrap_or_default();
            }
            _ => rest = tail,
        }
    }
    out.push_str(rest);
    Cow::Owned(out)
}

fn escaped_len(s: &str) -> Option<usize> {
    for (open, close) in [("{{</*", "*/>}}"), ("{{%/*", "*/%}}")] {
        if s.starts_with(open) {
            return s.find(close).map(|at| at + close.len());
        }
    }
    None
}

fn md_escape(s: &str) -> String {
    s.replace(['[', ']'], "")
}

fn replacement(tag: &Tag, source: &str) -> String {
    let dimmed = || Marker::Shortcode.wrap(source);
    if tag.closing {
        return match tag.name.as_str() {
            "figure" | "img" | "image" | "ref" | "relref" | "youtube" | "vimeo" | "x" | "tweet"
            | "twitter" | "gist" | "instagram" | "new-in" | "glossary-term" | "param" => {
                String::new()
            }
            _ => dimmed(),
        };
    }
    let first = tag.positional(0).unwrap_or_default();
    match tag.name.as_str() {
        "figure" | "img" | "image" => {
            let src = tag.arg("src").unwrap_or(first);
            let caption = tag
                .arg("caption")
                .or_else(|| tag.arg("title"))
                .or_else(|| tag.arg("alt"))
                .unwrap_or_default();
            format!("![{}](<{}>)", md_escape(caption), src.replace('>', ""))
        }
        "ref" | "relref" => tag.arg("path").unwrap_or(first).to_string(),
        "youtube" => {
            let id = tag.arg("id").unwrap_or(first);
            format!("[▶ YouTube video {id}](https://www.youtube.com/watch?v={id})")
        }
        "vimeo" => {
            let id = tag.arg("id").unwrap_or(first);
            format!("[▶ Vimeo video {id}](https://vimeo.com/{id})")
        }
        "instagram" => {
            let id = tag.arg("id").unwrap_or(first);
            format!("[▶ Instagram post {id}](https://www.instagram.com/p/{id}/)")
        }
        "x" | "tweet" | "twitter" => {
            let user = tag.arg("user").unwrap_or(first);
            let id = tag.arg("id").or_else(|| tag.positional(1)).unwrap_or(first);
            format!("[Post by @{user}](https://x.com/{user}/status/{id})")
        }
        "gist" => {
            let user = first;
            let id = tag.positional(1).unwrap_or_default();
            format!("[Gist {user}/{id}](https://gist.github.com/{user}/{id})")
        }
        "new-in" if !first.is_empty() => {
            let version = if first.starts_with(|c: char| c.is_ascii_digit()) {
                format!("v{first}")
            } else {
                first.to_string()
            };
            Marker::Badge.wrap(&format!("New in {version}"))
        }
        "glossary-term" if !first.is_empty() => Marker::Term.wrap(first),
        "param" if !first.is_empty() => Marker::Param.wrap(first),
        _ => dimmed(),
    }
}

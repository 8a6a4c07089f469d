//! Hugo shortcodes, rewritten into the Markdown they stand for before parsing.
//!
//! Hugo expands `{{< … >}}` and `{{% … %}}` on the server; a terminal reader has no
//! templates, so folio maps the common ones to constructs it already draws: `figure` →
//! an image with its caption, `notice`-like boxes → GFM alerts, `highlight` → a fenced
//! code block, embeds → a link line, `ref` → the referenced path. Unknown shortcodes stay
//! visible, dimmed (their inner Markdown still renders), and escaped `{{</* … */>}}` shows
//! literally. Fenced code is left untouched. One pass over the lines, linear time.

use std::borrow::Cow;

/// A shortcode tag parsed from its source.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Tag {
    name: String,
    closing: bool,
    /// Positional and named arguments, in order; positional ones have an empty key.
    args: Vec<(String, String)>,
}

impl Tag {
    fn arg(&self, key: &str) -> Option<&str> {
        self.args
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    fn positional(&self, n: usize) -> Option<&str> {
        self.args
            .iter()
            .filter(|(k, _)| k.is_empty())
            .nth(n)
            .map(|(_, v)| v.as_str())
    }
}

/// Unknown shortcodes become inline code between these two inline HTML tags, so they stay
/// literal through Markdown parsing and the parser can tell them from the post's own code
/// spans (they are drawn dimmed, not as code).
pub const UNKNOWN_OPEN: &str = "<folio-shortcode>";
pub const UNKNOWN_CLOSE: &str = "</folio-shortcode>";

pub fn expand(body: &str) -> Cow<'_, str> {
    if !body.contains("{{") {
        return Cow::Borrowed(body);
    }
    let lines: Vec<&str> = body.lines().collect();
    let mut out = String::with_capacity(body.len());
    let mut fence: Option<(char, usize)> = None;
    let mut i = 0;
    while i < lines.len() {
        let line = lines.get(i).copied().unwrap_or_default();
        i += 1;
        if let Some(open) = fence {
            if closes_fence(line, open) {
                fence = None;
            }
            out.push_str(&unescape(line));
            out.push('\n');
            continue;
        }
        if let Some(open) = opens_fence(line) {
            fence = Some(open);
            out.push_str(line);
            out.push('\n');
            continue;
        }
        let trimmed = line.trim();
        if let Some(tag) = whole_line_tag(trimmed).filter(|t| !t.closing) {
            if let Some(kind) = box_kind(&tag) {
                let (inner, next) = collect_until_close(&lines, i, &tag.name);
                i = next;
                let title = tag
                    .arg("title")
                    .or_else(|| {
                        (tag.name == "details")
                            .then(|| tag.arg("summary"))
                            .flatten()
                    })
                    .map(str::to_string);
                push_alert(&mut out, kind, title.as_deref(), &expand(&inner.join("\n")));
                continue;
            }
            if tag.name == "highlight" {
                let (inner, next) = collect_until_close(&lines, i, &tag.name);
                i = next;
                let lang = tag.positional(0).unwrap_or_default();
                out.push_str(&format!("```{lang}\n"));
                for l in inner {
                    out.push_str(l);
                    out.push('\n');
                }
                out.push_str("```\n");
                continue;
            }
            if tag.name == "table" || tag.name == "center" {
                // Wrappers: their content is what matters.
                continue;
            }
        }
        if let Some(tag) = whole_line_tag(trimmed).filter(|t| t.closing)
            && matches!(tag.name.as_str(), "table" | "center")
        {
            continue;
        }
        out.push_str(&inline(line));
        out.push('\n');
    }
    Cow::Owned(out)
}

fn opens_fence(line: &str) -> Option<(char, usize)> {
    let t = line.trim_start();
    let c = t.chars().next().filter(|c| *c == '`' || *c == '~')?;
    let n = t.chars().take_while(|x| *x == c).count();
    (n >= 3).then_some((c, n))
}

fn closes_fence(line: &str, (c, n): (char, usize)) -> bool {
    let t = line.trim();
    t.chars().take_while(|x| *x == c).count() >= n && t.chars().all(|x| x == c)
}

/// Alert kinds for box-like shortcodes; the kind comes from the first argument or `type`.
fn box_kind(tag: &Tag) -> Option<&'static str> {
    if !matches!(
        tag.name.as_str(),
        "notice"
            | "callout"
            | "admonition"
            | "alert"
            | "hint"
            | "details"
            | "note"
            | "tip"
            | "warning"
    ) {
        return None;
    }
    let flavour = match tag.name.as_str() {
        "note" | "tip" | "warning" => tag.name.clone(),
        _ => tag
            .arg("type")
            .or_else(|| tag.positional(0))
            .unwrap_or("note")
            .to_lowercase(),
    };
    Some(match flavour.as_str() {
        "tip" | "success" | "hint" => "TIP",
        "important" => "IMPORTANT",
        "warning" | "warn" | "attention" => "WARNING",
        "danger" | "error" | "caution" | "bug" | "failure" => "CAUTION",
        _ => "NOTE",
    })
}

fn push_alert(out: &mut String, kind: &str, title: Option<&str>, inner: &str) {
    out.push_str(&format!("> [!{kind}]\n"));
    if let Some(title) = title.filter(|t| !t.is_empty()) {
        out.push_str(&format!("> **{title}**\n>\n"));
    }
    for line in inner.lines() {
        out.push_str("> ");
        out.push_str(line);
        out.push('\n');
    }
    out.push('\n');
}

/// Lines after an opening tag up to its closing tag (exclusive) and the index after it;
/// an unclosed shortcode takes the rest of the post, as Hugo would fail to close it.
fn collect_until_close<'a>(lines: &[&'a str], from: usize, name: &str) -> (Vec<&'a str>, usize) {
    let mut depth = 0usize;
    for (offset, line) in lines.iter().enumerate().skip(from) {
        if let Some(tag) = whole_line_tag(line.trim())
            && tag.name == name
        {
            if tag.closing {
                if depth == 0 {
                    return (
                        lines.get(from..offset).unwrap_or_default().to_vec(),
                        offset + 1,
                    );
                }
                depth -= 1;
            } else {
                depth += 1;
            }
        }
    }
    (lines.get(from..).unwrap_or_default().to_vec(), lines.len())
}

/// A line that is exactly one shortcode tag.
fn whole_line_tag(line: &str) -> Option<Tag> {
    let (tag, len) = parse_tag(line)?;
    (len == line.len()).then_some(tag)
}

/// Parses a tag at the start of `s`; returns it and its length in bytes.
fn parse_tag(s: &str) -> Option<(Tag, usize)> {
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
        let mut value = String::new();
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
        value.push_str(&current);
        args.push((key, value));
    }
    args
}

/// Expands the shortcodes within one line (inline use: `ref`, `figure`, embeds).
fn inline(line: &str) -> Cow<'_, str> {
    if !line.contains("{{") {
        return Cow::Borrowed(line);
    }
    let mut out = String::with_capacity(line.len());
    // Past the last closing `}}` no tag can complete: stop looking there, so a line of
    // thousands of unclosed `{{<` stays linear.
    let last_close = line.rfind("}}").unwrap_or(0);
    let mut rest = line;
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
        match parse_tag(tail) {
            Some((tag, len)) => {
                out.push_str(&replacement(&tag, tail.get(..len).unwrap_or_default()));
                rest = tail.get(len..).unwrap_or_default();
            }
            None => {
                out.push_str("{{");
                rest = tail.get(2..).unwrap_or_default();
            }
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

/// `{{</* figure */>}}` → `{{< figure >}}`, wherever it appears.
fn unescape(s: &str) -> Cow<'_, str> {
    if !s.contains("/*") {
        return Cow::Borrowed(s);
    }
    Cow::Owned(
        s.replace("{{</*", "{{<")
            .replace("*/>}}", ">}}")
            .replace("{{%/*", "{{%")
            .replace("*/%}}", "%}}"),
    )
}

fn md_escape(s: &str) -> String {
    s.replace(['[', ']'], "")
}

fn replacement(tag: &Tag, source: &str) -> String {
    let dimmed = || {
        format!(
            "{UNKNOWN_OPEN}`{}`{UNKNOWN_CLOSE}",
            source.replace('`', "'")
        )
    };
    if tag.closing {
        return match tag.name.as_str() {
            "figure" | "img" | "image" | "ref" | "relref" | "youtube" | "vimeo" | "x" | "tweet"
            | "twitter" | "gist" => String::new(),
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
        _ => dimmed(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn figure_becomes_an_image_with_its_caption() {
        let out = expand(r#"{{< figure src="diagram.png" caption="架构 图" >}}"#);
        assert_eq!(out.trim(), "![架构 图](<diagram.png>)");
    }

    #[test]
    fn notice_becomes_an_alert_around_its_markdown() {
        let out = expand("{{% notice warning %}}\n**小心** here\n{{% /notice %}}\nafter");
        assert_eq!(out, "> [!WARNING]\n> **小心** here\n\nafter\n");
    }

    #[test]
    fn highlight_becomes_a_fenced_block() {
        let out = expand("{{< highlight go >}}\nfunc main() {}\n{{< /highlight >}}");
        assert_eq!(out, "```go\nfunc main() {}\n```\n");
    }

    #[test]
    fn embeds_become_links_and_refs_become_paths() {
        assert!(
            expand("{{< youtube abc123 >}}").contains("(https://www.youtube.com/watch?v=abc123)")
        );
        assert_eq!(
            expand(r#"[see]({{< ref "rust-ownership" >}})"#).trim(),
            "[see](rust-ownership)"
        );
    }

    #[test]
    fn escaped_shortcodes_show_literally_and_code_is_untouched() {
        assert_eq!(
            expand("{{</* figure src=x */>}}").trim(),
            "{{< figure src=x >}}"
        );
        let code = "```\n{{< youtube x >}}\n```";
        assert_eq!(expand(code).trim(), code);
    }

    #[test]
    fn unknown_shortcodes_stay_visible_and_broken_ones_do_not_hang() {
        assert_eq!(
            expand("{{< mything a=1 >}}").trim(),
            "<folio-shortcode>`{{< mything a=1 >}}`</folio-shortcode>"
        );
        assert_eq!(expand("{{< unclosed").trim(), "{{< unclosed");
        let many = "{{<".repeat(10_000);
        assert_eq!(expand(&many).trim(), many);
    }
}

//! Hugo shortcodes in a post's body, as `folio check` sees them: `{{< name >}}` or
//! `{{% name %}}` tags that never end, closing tags with no opening, paired shortcodes
//! left open, names that neither Hugo nor folio know (an info: a site may define its
//! own), and the targets of `ref` / `relref`, which Hugo resolves at build time and
//! fails the build on. Shortcodes inside code (fences, backtick spans) and Hugo's
//! escaped form `{{</* */>}}` are text, not shortcodes.

use crate::diagnostic::{Code, Diagnostic};

/// Shortcodes Hugo ships and those folio draws; any other is the site's own.
const KNOWN: &[&str] = &[
    "figure",
    "gist",
    "highlight",
    "instagram",
    "param",
    "ref",
    "relref",
    "tweet",
    "x",
    "twitter",
    "vimeo",
    "youtube",
    "comment",
    "details",
    "qr",
    "img",
    "image",
    "new-in",
    "glossary-term",
    "code-toggle",
    "table",
    "center",
    "include",
    "section-toc",
    "note",
    "tip",
    "warning",
    "hint",
    "success",
    "important",
    "warn",
    "attention",
    "danger",
    "error",
    "caution",
    "bug",
    "failure",
    "notice",
    "admonition",
    "callout",
    "alert",
    "tabs",
    "tab",
    "columns",
    "expand",
    "info",
];

/// Shortcodes that wrap content and so need their closing tag.
const PAIRED: &[&str] = &[
    "highlight",
    "details",
    "code-toggle",
    "table",
    "center",
    "note",
    "tip",
    "warning",
    "hint",
    "notice",
    "admonition",
    "callout",
    "alert",
    "tabs",
    "tab",
    "columns",
    "expand",
    "comment",
];

/// A `ref` or `relref` target and where its tag starts.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct RefTarget {
    pub target: String,
    pub line: usize,
    pub column: usize,
}

/// How far a tag may run before it counts as never closed: no real one is longer.
const MAX_TAG: usize = 4096;

/// Finds the shortcode problems and `ref` targets of `body`, whose first line is line
/// `first_line` of the file.
pub fn scan(body: &str, first_line: usize, out: &mut Vec<Diagnostic>) -> Vec<RefTarget> {
    let mut refs = Vec::new();
    let mut open: Vec<(String, usize, usize)> = Vec::new();
    let mut fence: Option<String> = None;
    let mut line_start = 0;
    for (index, line) in body.split('\n').enumerate() {
        let here = line_start;
        line_start += line.len() + 1;
        let trimmed = line.trim_start();
        if let Some(marker) = &fence {
            if trimmed.starts_with(marker.as_str()) {
                fence = None;
            }
            continue;
        }
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            fence = trimmed.get(..3).map(str::to_string);
            continue;
        }
        let line_number = index + first_line;
        let mut from = 0;
        while let Some(found) = line.get(from..).and_then(|rest| rest.find("{{")) {
            let at = from + found;
            from = at + 2;
            let closer = match line.get(at + 2..at + 3) {
                Some("<") => ">}}",
                Some("%") => "%}}",
                _ => continue,
            };
            if in_code_span(line.get(..at).unwrap_or_default()) {
                continue;
            }
            let column = line.get(..at).map_or(0, |s| s.chars().count()) + 1;
            let tag_start = here + at + 3;
            let rest = body.get(tag_start..).unwrap_or_default();
            let mut cut = MAX_TAG.min(rest.len());
            while !rest.is_char_boundary(cut) {
                cut -= 1;
            }
            let window = rest.get(..cut).unwrap_or_default();
            let Some(end) = window.find(closer) else {
                out.push(
                    Diagnostic::new(
                        Code::UnclosedShortcode,
                        format!("shortcode tag never ends with {closer}"),
                    )
                    .at(Some(line_number), Some(column)),
                );
                continue;
            };
            let inner = window.get(..end).unwrap_or_default().trim();
            if inner.starts_with("/*") {
                continue;
            }
            if tag_start + end > here + line.len() {
                // The tag runs on past this line; its end was found, go on after it.
                from = line.len();
            } else {
                from = tag_start + end + closer.len() - here;
            }
            tag(inner, line_number, column, &mut open, &mut refs, out);
        }
    }
    for (name, line, column) in open {
        if PAIRED.contains(&name.as_str()) {
            out.push(
                Diagnostic::new(
                    Code::UnclosedShortcode,
                    format!("shortcode {name} is never closed"),
                )
                .at(Some(line), Some(column))
                .with_help(format!("close it with {{{{< /{name} >}}}}")),
            );
        }
    }
    refs
}

/// One tag's contents (between `{{<` and `>}}`).
fn tag(
    inner: &str,
    line: usize,
    column: usize,
    open: &mut Vec<(String, usize, usize)>,
    refs: &mut Vec<RefTarget>,
    out: &mut Vec<Diagnostic>,
) {
    if let Some(closing) = inner.strip_prefix('/') {
        let name = closing.trim().to_string();
        match open.iter().rposition(|(n, _, _)| *n == name) {
            // What opened after it and is still open is closed with it (a paired
            // shortcode inside was already reported when it is popped below).
            Some(at) => {
                for (inner_name, l, c) in open.drain(at..).skip(1) {
                    if PAIRED.contains(&inner_name.as_str()) {
                        out.push(
                            Diagnostic::new(
                                Code::UnclosedShortcode,
                                format!("shortcode {inner_name} is never closed"),
                            )
                            .at(Some(l), Some(c)),
                        );
                    }
                }
            }
            None => out.push(
                Diagnostic::new(
                    Code::UnclosedShortcode,
                    format!("closing {{{{< /{name} >}}}} with no opening tag"),
                )
                .at(Some(line), Some(column)),
            ),
        }
        return;
    }
    let self_closing = inner.ends_with('/');
    let inner = inner.trim_end_matches('/').trim();
    let name: String = inner.chars().take_while(|c| !c.is_whitespace()).collect();
    if name.is_empty() {
        return;
    }
    if !KNOWN.contains(&name.as_str()) {
        out.push(
            Diagnostic::new(
                Code::UnknownShortcode,
                format!("shortcode {name} is not one of Hugo's or folio's"),
            )
            .at(Some(line), Some(column))
            .with_help("fine if the site defines it in layouts/shortcodes; folio shows it as text"),
        );
    }
    if name == "ref" || name == "relref" {
        if let Some(target) = first_argument(inner.get(name.len()..).unwrap_or_default()) {
            refs.push(RefTarget {
                target,
                line,
                column,
            });
        }
        return;
    }
    if !self_closing {
        open.push((name, line, column));
    }
}

/// The first argument of a tag: `"x"`, `` `x` ``, `path="x"` or a bare word.
fn first_argument(args: &str) -> Option<String> {
    let args = args.trim();
    let args = args
        .strip_prefix("path")
        .map(|rest| rest.trim_start().trim_start_matches('=').trim_start())
        .unwrap_or(args);
    let quote = args.chars().next()?;
    if quote == '"' || quote == '`' {
        let rest = args.get(1..)?;
        return rest
            .find(quote)
            .and_then(|end| rest.get(..end))
            .map(str::to_string);
    }
    args.split_whitespace().next().map(str::to_string)
}

/// Whether an odd number of backticks precede: the position is inside a code span.
fn in_code_span(before: &str) -> bool {
    before.matches('`').count() % 2 == 1
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(body: &str) -> (Vec<(Code, Option<usize>)>, Vec<String>) {
        let mut out = Vec::new();
        let refs = scan(body, 1, &mut out);
        (
            out.iter().map(|d| (d.code, d.line)).collect(),
            refs.into_iter().map(|r| r.target).collect(),
        )
    }

    #[test]
    fn balanced_and_self_closing_tags_are_fine() {
        let body = "{{< note >}}\nx\n{{< /note >}}\n{{< figure src=\"a.png\" >}}\n{{% details title=\"t\" %}}y{{% /details %}}\n";
        assert_eq!(run(body).0, []);
    }

    #[test]
    fn unclosed_unmatched_and_never_ending_tags() {
        assert_eq!(
            run("a\n{{< note >}}\ntext\n").0,
            [(Code::UnclosedShortcode, Some(2))]
        );
        assert_eq!(
            run("{{< /tip >}}\n").0,
            [(Code::UnclosedShortcode, Some(1))]
        );
        assert_eq!(
            run("x {{< figure src=\"a\"\n\nno end\n").0,
            [(Code::UnclosedShortcode, Some(1))]
        );
    }

    #[test]
    fn unknown_names_are_an_info_and_code_is_not_looked_into() {
        assert_eq!(
            run("{{< mywidget a=1 >}}\n").0,
            [(Code::UnknownShortcode, Some(1))]
        );
        assert_eq!(
            run("`{{< /tip >}}`\n```\n{{< note >}}\n```\n{{</* x */>}}\n").0,
            []
        );
    }

    #[test]
    fn a_tag_is_looked_for_only_so_far_even_between_wide_characters() {
        let body = format!("{{{{< note {}\n", "中".repeat(3000));
        assert_eq!(run(&body).0, [(Code::UnclosedShortcode, Some(1))]);
    }

    #[test]
    fn ref_targets_are_collected() {
        let body = "[a]({{< ref \"other.md\" >}}) {{< relref path=\"/blog/x\" >}}\n";
        assert_eq!(
            run(body),
            (vec![], vec!["other.md".into(), "/blog/x".into()])
        );
    }
}

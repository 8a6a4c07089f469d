use super::*;

#[test]
fn figure_becomes_an_image_with_its_caption() {
    let out = expand(r#"{{< figure src="diagram.png" caption="架构 图" >}}"#);
    assert_eq!(out.trim(), "![架构 图](<diagram.png>)");
}

#[test]
fn a_figure_with_parameters_over_several_lines_is_one_tag() {
    let out = expand("{{< figure\n  src=\"a.png\"\n  caption=\"A caption\"\n>}}\n\nafter");
    assert_eq!(out, "![A caption](<a.png>)\n\nafter\n");
}

#[test]
fn notice_becomes_an_alert_around_its_markdown() {
    let out = expand("{{% notice warning %}}\n**小心** here\n{{% /notice %}}\nafter");
    assert_eq!(out, "> [!WARNING]\n> **小心** here\n\nafter\n");
}

#[test]
fn box_titles_ride_in_a_marker() {
    let out = expand("{{< callout note \"Karmada 名称的由来\" >}}\nbody\n{{< /callout >}}");
    assert_eq!(
        out,
        "> [!NOTE]\n> <folio-title>`Karmada 名称的由来`</folio-title>\n>\n> body\n\n"
    );
    let out = expand("{{< details summary=\"See the details\" >}}\nhidden\n{{< /details >}}");
    assert_eq!(
        out,
        "> <folio-details>`See the details`</folio-details>\n>\n> hidden\n\n"
    );
}

#[test]
fn highlight_becomes_a_fenced_block() {
    let out = expand("{{< highlight go >}}\nfunc main() {}\n{{< /highlight >}}");
    assert_eq!(out, "```go\nfunc main() {}\n```\n");
    let out =
        expand("{{< highlight go \"linenos=table,hl_lines=2 4-5\" >}}\na\n{{< /highlight >}}");
    assert_eq!(
        out,
        "```go {linenos=\"table\" hl_lines=\"2 4-5\"}\na\n```\n"
    );
    assert_eq!(
        expand(
            "Use {{< highlight go \"hl_inline=true\" >}}fmt.Println(`x`){{< /highlight >}} here."
        )
        .trim(),
        "Use ``fmt.Println(`x`)`` here."
    );
}

#[test]
fn code_toggle_keeps_its_content_verbatim_in_a_labelled_fence() {
    let out = expand(
        "{{< code-toggle file=hugo >}}\n[markup]\ndelimiters = ['\\[', '\\]']\nversion = 'v1.2.*'\n{{< /code-toggle >}}",
    );
    assert_eq!(
        out,
        "```toml {file=\"hugo.toml\"}\n[markup]\ndelimiters = ['\\[', '\\]']\nversion = 'v1.2.*'\n```\n"
    );
    let yaml = expand("  {{< code-toggle >}}\n  params:\n    a: 1\n  {{< /code-toggle >}}");
    assert_eq!(yaml, "  ```yaml\n  params:\n    a: 1\n  ```\n");
}

#[test]
fn embeds_become_links_and_refs_become_paths() {
    assert!(expand("{{< youtube abc123 >}}").contains("(https://www.youtube.com/watch?v=abc123)"));
    assert!(
        expand("{{< instagram BWNjjyYFxVx >}}")
            .contains("(https://www.instagram.com/p/BWNjjyYFxVx/)")
    );
    assert_eq!(
        expand(r#"[see]({{< ref "rust-ownership" >}})"#).trim(),
        "[see](rust-ownership)"
    );
}

#[test]
fn badges_terms_params_and_includes_become_markers() {
    assert_eq!(
        expand("{{< new-in 0.140.0 />}}").trim(),
        "<folio-badge>`New in v0.140.0`</folio-badge>"
    );
    assert_eq!(
        expand("a {{% glossary-term \"default site\" %}} b").trim(),
        "a <folio-term>`default site`</folio-term> b"
    );
    assert_eq!(
        expand("{{% param \"description\" %}}").trim(),
        "<folio-param>`description`</folio-param>"
    );
    assert_eq!(
        expand("{{% include \"/_common/a.md\" %}}").trim(),
        "<!-- folio-include: /_common/a.md -->"
    );
    assert_eq!(
        BlockMarker::of_html("<!-- folio-include: /_common/a.md -->\n"),
        Some(BlockMarker::Include("/_common/a.md".into()))
    );
}

#[test]
fn a_shortcode_in_an_angle_destination_stays_a_destination() {
    let out =
        expand("[source code][]\n\n[source code]: <{{% eturl details %}}>\n[b]: https://b.org");
    assert_eq!(
        out,
        "[source code][]\n\n[source code]: <{{% eturl details %}}>\n[b]: https://b.org\n"
    );
}

#[test]
fn math_attribute_lists_and_html_tables_are_prepared() {
    assert_eq!(expand("\\[\na + b\n\n= c\n\\]\n"), "$$\na + b\n= c\n$$\n");
    assert_eq!(
        expand("![a](b.png){width=3158 height=1200}"),
        "![a](b.png)\n"
    );
    assert_eq!(
        expand("para\n{class=\"!mt-6\"}\n\n# H {#id}"),
        "para\n\n# H {#id}\n"
    );
    assert_eq!(
        expand("{not an attribute list}"),
        "{not an attribute list}\n"
    );
    assert_eq!(
        expand("<table>\n<tr>\n\n<td>a</td>\n</tr>\n</table>\nafter"),
        "<table>\n<tr>\n<td>a</td>\n</tr>\n</table>\nafter\n"
    );
}

#[test]
fn escaped_shortcodes_show_literally_and_code_is_untouched() {
    assert_eq!(
        expand("{{</* figure src=x */>}}").trim(),
        "{{< figure src=x >}}"
    );
    assert_eq!(
        expand("{{</* figure\n  src=x\n*/>}}").trim(),
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

/// Every box kind, opened thousands of times and never closed, or nested thousands
/// deep and closed: the expansion stays a small multiple of the input (it was the
/// square of it, seconds and gigabytes), and says where boxes are drawn flat.
#[test]
fn hostile_box_nesting_expands_in_linear_size_with_a_notice() {
    use super::{FLATTENED_NOTICE, MAX_BOX_DEPTH};
    let openers = [
        ("{{< note >}}", "{{< /note >}}"),
        ("{{% notice warning %}}", "{{% /notice %}}"),
        ("{{< callout tip \"t\" >}}", "{{< /callout >}}"),
        ("{{< admonition >}}", "{{< /admonition >}}"),
        ("{{< details summary=\"s\" >}}", "{{< /details >}}"),
        ("{{< hint >}}", "{{< /hint >}}"),
    ];
    let n = 2000;
    for (open, close) in openers {
        let unclosed = format!("{open}\ntext\n").repeat(n);
        let nested = format!(
            "{}text\n{}",
            format!("{open}\n").repeat(n),
            format!("{close}\n").repeat(n)
        );
        for body in [unclosed, nested] {
            let out = expand(&body);
            assert!(
                out.len() <= body.len() * (2 * MAX_BOX_DEPTH + 4),
                "{open}: {} bytes from {}",
                out.len(),
                body.len()
            );
            assert_eq!(out.matches(FLATTENED_NOTICE).count(), 1, "{open}");
            let doc = crate::markdown::parse(&body);
            let laid = crate::markdown::layout(
                &doc,
                &crate::markdown::LayoutOptions {
                    width: 60,
                    ..Default::default()
                },
            );
            assert!(
                laid.lines.len() <= 4 * n + 100,
                "{open}: {}",
                laid.lines.len()
            );
        }
    }
    // Boxes as deep as real posts nest them are all drawn.
    let three = "{{< note >}}\n{{< tip >}}\n{{< warning >}}\nx\n{{< /warning >}}\n{{< /tip >}}\n{{< /note >}}";
    let out = expand(three);
    assert!(!out.contains(FLATTENED_NOTICE));
    assert_eq!(out.matches("[!").count(), 3, "{out}");
}

#[test]
fn line_map_leads_back_from_expanded_lines_to_the_source() {
    // A figure becomes one image line; a box grows a line for its title; a fence is
    // copied as it is.
    let body = "a\n\n{{< figure src=\"x.png\"\n  caption=\"C\" >}}\n\nb\n\n{{< notice warning \"T\" >}}\nin\n{{< /notice >}}\n\nc\n";
    let (text, map) = expand_mapped(body);
    let out: Vec<&str> = text.lines().collect();
    let at = |needle: &str| {
        let line = out.iter().position(|l| l.contains(needle)).expect(needle);
        map.source_line(line)
    };
    assert_eq!(at("a"), 0);
    assert_eq!(at("x.png"), 2);
    assert_eq!(at("b"), 5);
    // A box's first line is where it opens (lines within it are counted on from
    // there, and may run past its source when it grew).
    assert_eq!(at("[!WARNING]"), 7);
    assert_eq!(at("c"), 11);
}

#[test]
fn a_body_without_shortcodes_maps_each_line_to_itself() {
    let (_, map) = expand_mapped("a\n\nb\n");
    assert_eq!(LineMap::default(), map);
    assert_eq!(map.source_line(7), 7);
}

//! Random Markdown (CJK, emoji, tables, lists, quotes, code, controls) at random widths:
//! layout never panics, never produces a line wider than the width, never lets a
//! control character out, and lays out the same lines in parallel as in order.

use folio::markdown::{self, LayoutOptions};
use proptest::prelude::*;

mod common;
use common::{assert_laid_fits, assert_same_layout};

fn piece() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("开源社区的发展".to_string()),
        Just("，。、；：？！（）「」《》……——".to_string()),
        Just("hello world ".to_string()),
        Just("👩‍🔬🇨🇳❤️1️⃣ ".to_string()),
        Just("e\u{301}ｶﾞ".to_string()),
        Just("\n".to_string()),
        Just("\n\n".to_string()),
        Just("\n- ".to_string()),
        Just("\n1. ".to_string()),
        Just("\n  - [x] ".to_string()),
        Just("\n> ".to_string()),
        Just("\n> [!NOTE]\n> ".to_string()),
        Just("\n# ".to_string()),
        Just("\n### ".to_string()),
        Just("**".to_string()),
        Just("*".to_string()),
        Just("~~".to_string()),
        Just("`".to_string()),
        Just("\n```rust\nfn x() {}\n```\n".to_string()),
        Just("\n\n```\ncode\n\nStill code\n\n```\n\n".to_string()),
        Just("\n\n<!--\n\nHidden\n\n-->\n\n".to_string()),
        Just("\n\n  indented ".to_string()),
        Just("\n　　".to_string()),
        Just("\r".to_string()),
        Just("\n| a | 版本 |\n|:--|--:|\n| 很长的单元格内容 | x |\n".to_string()),
        Just("[link](http://example.com)".to_string()),
        Just("[again](http://example.com) [other](https://x.org/路径)".to_string()),
        Just("[#](#anchor) <https://auto.link>".to_string()),
        Just("\n\nTerm\n: [defined](http://d.example)\n".to_string()),
        Just("![图](a.png)".to_string()),
        Just("[^1]\n\n[^1]: note".to_string()),
        Just("{{< figure src=\"a.png\" >}}".to_string()),
        Just("<br>".to_string()),
        Just("&#27;[2J&#x202E;".to_string()),
        Just("\u{1b}[31m\u{7}\u{9b}\u{200b}\u{feff}".to_string()),
        Just("\t".to_string()),
        "[a-z ]{0,12}",
        "[\u{4e00}-\u{4e40}]{0,20}",
    ]
}

fn markdown_text() -> impl Strategy<Value = String> {
    prop::collection::vec(piece(), 0..40).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn layout_fits_any_width(text in markdown_text(), width in 1usize..300) {
        let doc = markdown::parse(&text);
        let laid = markdown::layout(&doc, &LayoutOptions { width, ..LayoutOptions::default() });
        // A failed check panics; proptest catches it and shrinks the input.
        assert_laid_fits(&laid, width, "random Markdown");
    }

    /// Top-level blocks are laid out in parallel with link numbers from a pass over the
    /// document; the result must be what laying them out one by one gives.
    #[test]
    fn parallel_layout_matches_layout_in_order(
        text in markdown_text(),
        width in 1usize..120,
        numbered_links in any::<bool>(),
    ) {
        let doc = markdown::parse(&text);
        let opts = LayoutOptions { width, numbered_links, ..LayoutOptions::default() };
        let parallel = markdown::layout(&doc, &opts);
        let in_order = markdown::layout_in_order(&doc, &opts);
        prop_assert_eq!(&parallel.lines, &in_order.lines);
        prop_assert_eq!(&parallel.links, &in_order.links);
        prop_assert_eq!(&parallel.headings, &in_order.headings);
        prop_assert_eq!(&parallel.block_rows, &in_order.block_rows);
    }

    /// The reader lays a long post out a group of pieces at a time; wherever the cuts
    /// fall, it is the layout of the whole document.
    #[test]
    fn layout_in_pieces_matches_layout(
        text in markdown_text(),
        width in 1usize..120,
        piece_bytes in 1usize..64,
        numbered_links in any::<bool>(),
    ) {
        let opts = LayoutOptions {
            width,
            numbered_links,
            highlight: markdown::HighlightMode::Lazy,
            ..LayoutOptions::default()
        };
        let whole = markdown::layout(&markdown::parse(&text), &opts);
        let in_pieces = markdown::layout_in_pieces(&text, &opts, piece_bytes, &|| true);
        assert_same_layout(&in_pieces.expect("wanted"), &whole, "in pieces");
    }

    /// Print mode parses pieces of the body on their own and lays them out in groups;
    /// wherever the cuts fall, the text is what laying the whole out in order gives.
    #[test]
    fn print_in_pieces_matches_layout_in_order(
        text in markdown_text(),
        width in 1usize..120,
        piece_bytes in 1usize..64,
    ) {
        let opts = LayoutOptions { width, numbered_links: true, ..LayoutOptions::default() };
        // Link ids index a layout's link table, which print does not use.
        let render = |lines: &[markdown::Line], out: &mut String| {
            for line in lines {
                for span in &line.spans {
                    let style = markdown::Style { link: None, ..span.style };
                    out.push_str(&format!("{:?}{style:?}", span.text));
                }
                out.push('\n');
            }
        };
        let mut in_order = String::new();
        render(&markdown::layout_in_order(&markdown::parse(&text), &opts).lines.to_vec(), &mut in_order);
        let pieces = markdown::render_in_pieces(&text, &opts, &render, piece_bytes).concat();
        prop_assert_eq!(pieces, in_order);
    }
}

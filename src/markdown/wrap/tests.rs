//! The wrapper's tests: every width from 1 up, kinsoku, graphemes, indents, and a
//! property test of its invariants over random text.

use super::*;
use crate::markdown::style::Role;
use proptest::prelude::*;
use unicode_segmentation::UnicodeSegmentation;

const PARAGRAPH: &str = "开源社区的活力，来自每一位愿意分享的普通人。一个项目能否长久，\
    往往不取决于代码写得多漂亮，而在于维护者是否耐心回复每一个“看起来很傻”的问题、\
    是否愿意花时间审阅新人的第一个合并请求……很多人第一次参与开源，只是修正了文档里的一个错别字；\
    但正是这种低门槛的参与，让社区得以新陈代谢——老的维护者离开了，新的贡献者接过了接力棒。\
    （当然，也有项目因为缺乏资金而停滞。）我们常说「开源不是免费的午餐」，《大教堂与集市》里\
    早就讨论过这一点：你是否真正理解了协作的代价？！";

const WIDTHS: [usize; 8] = [1, 2, 20, 40, 41, 79, 80, 120];

fn plain(text: &str) -> Vec<Span> {
    vec![Span {
        text: text.into(),
        style: Style::default(),
    }]
}

fn text_of(line: &[Span]) -> String {
    line.iter().map(|s| s.text.as_str()).collect()
}

fn texts(lines: &[Vec<Span>]) -> Vec<String> {
    lines.iter().map(|l| text_of(l)).collect()
}

/// Non-whitespace chars in order, each with the style of the grapheme it belongs to
/// (a grapheme cut by a style change takes the style of its start): what wrapping
/// must preserve.
fn visible(spans: &[Span]) -> Vec<(char, Style)> {
    let text: String = spans.iter().map(|s| s.text.as_str()).collect();
    let mut ends = spans.iter().scan(0, |end, s| {
        *end += s.text.len();
        Some((*end, s.style))
    });
    let mut run = ends.next();
    let mut out = Vec::new();
    for (at, g) in text.grapheme_indices(true) {
        while run.is_some_and(|(end, _)| end <= at) {
            run = ends.next();
        }
        let style = run.map(|(_, style)| style).unwrap_or_default();
        out.extend(g.chars().filter(|c| !c.is_whitespace()).map(|c| (c, style)));
    }
    out
}

fn visible_lines(lines: &[Vec<Span>]) -> Vec<(char, Style)> {
    lines.iter().flat_map(|l| visible(l)).collect()
}

/// Checks every invariant that holds at any width; returns the lines as strings.
fn check(spans: &[Span], width: usize) -> Vec<String> {
    let lines = wrap_spans(spans, width);
    assert!(!lines.is_empty());
    // Only a paragraph's or a hard break's leading whitespace may start a line.
    let hard = spans.iter().any(|s| s.text.contains(['\n', '\u{2028}']));
    for (i, line) in lines.iter().enumerate() {
        let text = text_of(line);
        let summed: usize = line.iter().map(|s| display_width(&s.text)).sum();
        assert!(
            summed <= width.max(1) && display_width(&text) <= width.max(1),
            "line {text:?} wider than {width}"
        );
        // A space carrying a combining mark is a visible grapheme, not whitespace.
        let blank = |g: Option<&str>| g.is_some_and(|g| g.chars().all(char::is_whitespace));
        if i > 0 && !hard {
            assert!(
                !blank(text.graphemes(true).next()),
                "leading space {text:?}"
            );
        }
        assert!(
            !blank(text.graphemes(true).next_back()),
            "trailing space {text:?}"
        );
        assert!(line.iter().all(|s| !s.text.is_empty()));
        assert!(
            line.windows(2).all(|w| w[0].style != w[1].style),
            "unmerged"
        );
    }
    if width >= 2 {
        assert!(
            visible_lines(&lines) == visible(spans),
            "content at width {width}"
        );
    }
    texts(&lines)
}

fn check_kinsoku(lines: &[String]) {
    for (i, line) in lines.iter().enumerate() {
        if i > 0 {
            assert!(
                !line.starts_with(closes),
                "line starts with closing mark: {line:?}"
            );
        }
        if i + 1 < lines.len() {
            assert!(
                !line.ends_with(opens),
                "line ends with opening mark: {line:?}"
            );
        }
    }
}

#[test]
fn chinese_paragraph_at_every_width() {
    for width in WIDTHS {
        let lines = check(&plain(PARAGRAPH), width);
        if width >= 20 {
            check_kinsoku(&lines);
            // Greedy: a line ends early only where kinsoku or a following wide char
            // forbids going on, so a line is never much shorter than the width.
            for line in &lines[..lines.len() - 1] {
                assert!(display_width(line) + 6 > width, "{line:?} at {width}");
            }
        }
        if width >= 2 {
            assert_eq!(lines.concat(), PARAGRAPH, "no text lost or added");
        }
    }
}

#[test]
fn english_breaks_between_words() {
    assert_eq!(check(&plain("hello world"), 7), ["hello", "world"]);
    assert_eq!(check(&plain("hello world"), 11), ["hello world"]);
    assert_eq!(check(&plain("a  b   c"), 80), ["a  b   c"]);
    assert_eq!(
        check(&plain("the quick brown fox jumps"), 10),
        ["the quick", "brown fox", "jumps"]
    );
    assert_eq!(
        check(&plain("well-known words"), 6),
        ["well-", "known", "words"]
    );
    assert_eq!(
        check(&plain("  leading and trailing  "), 80),
        ["  leading and trailing"]
    );
}

#[test]
fn empty_and_blank_input_give_one_empty_line() {
    assert_eq!(wrap_spans(&[], 10), vec![Vec::<Span>::new()]);
    assert_eq!(wrap_spans(&plain(""), 10), vec![Vec::<Span>::new()]);
    assert_eq!(wrap_spans(&plain("   "), 10), vec![Vec::<Span>::new()]);
}

#[test]
fn mixed_styles_survive_breaks() {
    let s = |text: &str, role| Span {
        text: text.into(),
        style: Style::role(role),
    };
    let spans = vec![
        s("我们在 ", Role::Text),
        s("GitHub", Role::Strong),
        s(" 上维护一个叫 ", Role::Text),
        s("folio", Role::InlineCode),
        s(" 的项目，它能在终端里阅读 ", Role::Text),
        s("Markdown 博客文章，", Role::Emphasis),
        s("并且正确处理中文换行。", Role::Text),
    ];
    for width in WIDTHS {
        let lines = check(&spans, width);
        if width >= 20 {
            check_kinsoku(&lines);
        }
    }
    let lines = wrap_spans(&spans, 12);
    let strong: Vec<&Span> = lines
        .iter()
        .flatten()
        .filter(|s| s.style.role == Role::Strong)
        .collect();
    assert_eq!(strong.len(), 1);
    assert_eq!(strong[0].text, "GitHub");
    // The emphasis wraps: each of its pieces keeps the style.
    let em: String = lines
        .iter()
        .flatten()
        .filter(|s| s.style.role == Role::Emphasis)
        .map(|s| s.text.as_str())
        .collect();
    assert_eq!(em.replace(' ', ""), "Markdown博客文章，");
}

#[test]
fn a_paragraph_indent_is_kept_but_never_alone() {
    let text = "\u{3000}\u{3000}开源社区的活力来自每一位愿意分享的普通人";
    let lines = check(&plain(text), 20);
    assert_eq!(lines[0], "\u{3000}\u{3000}开源社区的活力来");
    assert!(lines[1..].iter().all(|l| !l.starts_with('\u{3000}')));
    assert_eq!(check(&plain(text), 6)[0], "\u{3000}\u{3000}开");
    assert_eq!(check(&plain(text), 5)[0], "开源");
    let spans: Vec<Span> = ["一", "\n", "  二"].iter().flat_map(|t| plain(t)).collect();
    assert_eq!(check(&spans, 10), ["一", "  二"]);
}

#[test]
fn hard_breaks_force_a_new_line() {
    let spans = vec![
        plain("第一行").remove(0),
        plain("\n").remove(0),
        plain("second line").remove(0),
    ];
    assert_eq!(check(&spans, 80), ["第一行", "second line"]);
    assert_eq!(check(&spans, 6), ["第一行", "second", "line"]);
}

#[test]
fn long_url_is_cut_and_kept_whole() {
    let mut url = String::from("https://example.com/");
    while url.len() < 2000 {
        url.push_str("very-long_path.segment/with?query=1&x=");
    }
    for width in WIDTHS {
        let lines = check(&plain(&url), width);
        if width >= 2 {
            assert_eq!(lines.concat(), url);
        }
    }
    // A word far longer than any row, and a long paragraph, cut right at every width;
    // how fast (linear, not quadratic) is `cargo bench --bench wrap`'s to say.
    let word = "x".repeat(100_003);
    let lines = texts(&wrap_spans(&plain(&word), 80));
    assert_eq!(lines.len(), 100_003usize.div_ceil(80));
    assert!(lines[..lines.len() - 1].iter().all(|l| l.len() == 80));
    assert_eq!(lines.concat(), word);
    let cjk: String = PARAGRAPH.chars().cycle().take(3000).collect();
    for width in WIDTHS {
        check(&plain(&cjk), width);
    }
}

#[test]
fn wide_graphemes_at_width_one_become_placeholders() {
    let lines = check(&plain("中文👩\u{200d}🔬"), 1);
    assert_eq!(lines, ["…", "…", "…"]);
    assert_eq!(
        check(&plain("中文👩\u{200d}🔬"), 2),
        ["中", "文", "👩\u{200d}🔬"]
    );
    assert_eq!(check(&plain("a中b"), 1), ["a", "…", "b"]);
    assert_eq!(chop("中文👩\u{200d}🔬", 1), ["…", "…", "…"]);
}

#[test]
fn grapheme_clusters_stay_whole() {
    let zoo = "👩\u{200d}🔬👨\u{200d}👩\u{200d}👧🇨🇳e\u{301}❤\u{fe0f}1\u{fe0f}\u{20e3}ｶﾞ";
    let clusters: Vec<&str> = zoo.graphemes(true).collect();
    for width in [2, 3, 4, 5] {
        for line in check(&plain(zoo), width) {
            for g in line.graphemes(true) {
                assert!(clusters.contains(&g), "{g:?} split at {width}");
            }
        }
    }
    let marks = format!("a{}b", "\u{301}".repeat(500));
    assert_eq!(
        check(&plain(&marks), 1),
        [format!("a{}", "\u{301}".repeat(500)), "b".into()]
    );
}

#[test]
fn wide_char_at_the_edge_moves_down() {
    for width in [41, 79] {
        let all_cjk = "中".repeat(200);
        let lines = check(&plain(&all_cjk), width);
        assert!(
            lines[..lines.len() - 1]
                .iter()
                .all(|l| display_width(l) == width - 1)
        );
        let shifted = format!("a{all_cjk}");
        let lines = check(&plain(&shifted), width);
        assert_eq!(display_width(&lines[0]), width);
        assert_eq!(display_width(&lines[1]), width - 1);
    }
}

#[test]
fn kinsoku_pairs_stay_together() {
    let text = "他说“引号”……——然后停顿了很久（真的很久）「这样」。";
    for width in 8..40 {
        let lines = check(&plain(text), width);
        check_kinsoku(&lines);
        for line in &lines {
            assert!(!line.starts_with("…") && !line.starts_with("—"), "{line:?}");
        }
    }
    assert_eq!(check(&plain("abc\u{200b}def"), 3), ["abc\u{200b}", "def"]);
}

#[test]
fn first_line_can_be_narrower_or_wider() {
    let lines = wrap_spans_with(&plain("one two three four"), 3, 20);
    assert_eq!(texts(&lines), ["one", "two three four"]);
    let lines = wrap_spans_with(&plain("alpha beta gamma delta"), 20, 5);
    assert_eq!(texts(&lines), ["alpha beta gamma", "delta"]);
    let lines = wrap_spans_with(&plain("ab cdefgh ij"), 12, 4);
    assert_eq!(texts(&lines), ["ab cdefgh ij"]);
    // The word carried past the first line's break is too wide for the later,
    // narrower lines and must be walked again.
    let lines = wrap_spans_with(&plain("ab cdefghij"), 8, 3);
    assert_eq!(texts(&lines), ["ab", "cde", "fgh", "ij"]);
}

#[test]
fn clusters_wider_than_a_line_are_cut_between_glyphs() {
    let jamo = "\u{1100}".repeat(4);
    assert_eq!(jamo.graphemes(true).count(), 1);
    let w = display_width(&jamo);
    assert!(w > 2, "{w}");
    for width in 1..=w {
        let lines = check(&plain(&jamo), width);
        assert!(lines.len() > 1 || width >= w, "{lines:?}");
    }
    assert_eq!(chop(&jamo, 4), ["\u{1100}\u{1100}", "\u{1100}\u{1100}"]);
}

#[test]
fn chop_cuts_code_by_columns() {
    assert_eq!(chop("", 4), [""]);
    assert_eq!(chop("abcdefg", 3), ["abc", "def", "g"]);
    assert_eq!(chop("    x = 1", 4), ["    ", "x = ", "1"]);
    assert_eq!(chop("a中文", 2), ["a", "中", "文"]);
    assert_eq!(chop("ab", 0), ["a", "b"]);
}

#[test]
fn only_plain_words_take_the_short_way() {
    for text in ["a b", "word", "x1 y2 z3"] {
        assert!(wrap_plain_words(text, 2, 2).is_some(), "{text:?}");
    }
    for text in [
        " a", "a ", "a  b", "a-b", "a, b", "中文", "a\tb", "a\nb", "é",
    ] {
        assert!(wrap_plain_words(text, 2, 2).is_none(), "{text:?}");
    }
}

#[test]
fn display_width_ignores_controls() {
    assert_eq!(display_width("a\x1bb"), 2);
    assert_eq!(display_width("中文"), 4);
    assert_eq!(display_width("👩\u{200d}🔬"), 2);
}

fn piece() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(vec!["中", "文", "开", "源", "社", "区"]).prop_map(String::from),
        "[a-z]{1,12}",
        Just(" ".to_string()),
        Just("  ".to_string()),
        prop::sample::select(vec![
            "👩\u{200d}🔬",
            "🇨🇳",
            "❤\u{fe0f}",
            "1\u{fe0f}\u{20e3}",
            "👍🏽",
            "ｶﾞ"
        ])
        .prop_map(String::from),
        prop::sample::select(vec!["\u{301}", "\u{308}", "\u{200d}", "\u{fe0f}"])
            .prop_map(String::from),
        // Clusters wider than two columns, and spaces and invisibles UAX #14 treats apart.
        prop::sample::select(vec![
            "क्",
            "क",
            "ᄀ",
            "ᄀᄀᄀ",
            "\u{3000}",
            "\u{a0}",
            "\u{ad}",
            "\u{200b}",
            "\u{2028}",
            "\t"
        ])
        .prop_map(String::from),
        prop::sample::select(vec![
            "，", "。", "、", "（", "）", "「", "」", "“", "”", "…", "—", "·", "-", ",", ".", "(",
            ")", "/"
        ])
        .prop_map(String::from),
        Just("\n".to_string()),
    ]
}

proptest! {
    /// Words of ASCII letters and digits take the short way; it must give exactly what
    /// the full UAX #14 wrapper gives, at any first and later width.
    #[test]
    fn plain_words_wrap_as_the_full_wrapper_does(
        words in prop::collection::vec("[a-zA-Z0-9]{1,14}", 1..12),
        first in 1usize..20,
        rest in 1usize..20,
    ) {
        let text = words.join(" ");
        let fast = wrap_plain_words(&text, first, rest).expect("plain words");
        let runs = vec![Run { end: text.len(), style: Style::default() }];
        let full = wrap_full(&text, runs, first, rest);
        let full: Vec<String> = full.iter().map(|line| text_of(line)).collect();
        prop_assert_eq!(fast, full);
    }

    #[test]
    fn wrapping_keeps_its_invariants(
        pieces in prop::collection::vec(piece(), 0..80),
        width in 1usize..300,
        rest in 1usize..300,
        split in 0usize..80,
    ) {
        let mut spans: Vec<Span> = pieces
            .iter()
            .enumerate()
            .map(|(i, t)| Span {
                text: t.as_str().into(),
                style: Style::role(if i < split { Role::Text } else { Role::Strong }),
            })
            .collect();
        check(&spans, width);
        spans.retain(|s| s.text != "\n");
        let lines = wrap_spans_with(&spans, width, rest);
        for (i, line) in lines.iter().enumerate() {
            let limit = if i == 0 { width } else { rest };
            prop_assert!(display_width(&text_of(line)) <= limit);
        }
        if width >= 2 && rest >= 2 {
            prop_assert!(visible_lines(&lines) == visible(&spans));
        }
        let joined: String = pieces.concat();
        for piece in chop(&joined, width) {
            prop_assert!(display_width(&piece) <= width);
        }
    }
}

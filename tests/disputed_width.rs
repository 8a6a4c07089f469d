//! Characters whose width terminals disagree on (issue 14, item 9): the soft hyphen
//! (0 columns to unicode-width, 1 to glibc and tmux), the other default-ignorable code
//! points, tag characters, Hangul fillers, invisible operators and the interlinear
//! annotation characters. folio drops them from what it shows, so however a terminal
//! counts them, a line is as wide as folio made it. Every character of the class is
//! tried, in a paragraph, a table cell and a code block, at every width from 20 to 60:
//! none reaches the output, no line is wider than the width by unicode-width or by the
//! shared width-check tool (which counts some of them otherwise), and the table's
//! borders stay in line.

use std::process::{Command, Stdio};

use folio::markdown::{self, LayoutOptions};
use unicode_width::UnicodeWidthStr;

mod common;
use common::{require_program, shared};

/// The class, as issue 14 lists it; written out here rather than taken from folio.
fn disputed() -> Vec<char> {
    let ranges = [
        (0x00AD, 0x00AD),   // soft hyphen
        (0x034F, 0x034F),   // combining grapheme joiner
        (0x115F, 0x1160),   // Hangul choseong and jungseong fillers
        (0x17B4, 0x17B5),   // Khmer inherent vowels
        (0x180E, 0x180E),   // Mongolian vowel separator
        (0x200B, 0x200B),   // zero-width space
        (0x2060, 0x2065),   // word joiner, invisible operators
        (0x206A, 0x206F),   // deprecated format characters
        (0x3164, 0x3164),   // Hangul filler
        (0xFEFF, 0xFEFF),   // zero-width no-break space
        (0xFFA0, 0xFFA0),   // halfwidth Hangul filler
        (0xFFF0, 0xFFF8),   // unassigned, default ignorable
        (0xFFF9, 0xFFFB),   // interlinear annotation
        (0x1BCA0, 0x1BCA3), // shorthand format controls
        (0x1D173, 0x1D17A), // musical symbol format controls
        (0xE0000, 0xE007F), // tag characters
    ];
    ranges
        .iter()
        .flat_map(|&(from, to)| (from..=to).filter_map(char::from_u32))
        .collect()
}

/// A post with each of `chars` inside and after words of a paragraph that wraps many
/// times, in table cells (at a cell's start, middle and end), and in code. Three
/// characters share a table row and a line of code (the tool that checks the output is
/// slow on much text).
fn post_with(chars: &[char]) -> String {
    let mut post = String::from("Soft hyphen\u{ad}ated words:");
    for &c in chars {
        post.push_str(&format!(" par{c}ag{c}raph{c}"));
    }
    post.push_str("\n\n| word | other |\n|------|-------|\n");
    for three in chars.chunks(3) {
        let (a, b, c) = match three {
            [a, b, c] => (*a, *b, *c),
            [a, b] => (*a, *b, *b),
            [a] => (*a, *a, *a),
            _ => continue,
        };
        post.push_str(&format!("| {a}ab{b}cd{c} | x{a}y {b}z{c} |\n"));
    }
    post.push_str("\n```\n");
    for three in chars.chunks(3) {
        let code: String = three.iter().map(|c| format!("a{c}b ")).collect();
        post.push_str(&format!("let {code}= \"\"; // code\n"));
    }
    post.push_str("```\n");
    post
}

fn render(post: &str, width: usize) -> String {
    let laid = markdown::layout(
        &markdown::parse(post),
        &LayoutOptions {
            width,
            ..LayoutOptions::default()
        },
    );
    let rows: Vec<String> = laid.lines.iter().map(|l| l.plain_text()).collect();
    rows.join("\n") + "\n"
}

/// The display columns where a table's border glyphs stand on `line`.
fn border_columns(line: &str) -> Vec<usize> {
    let mut columns = Vec::new();
    let mut at = 0;
    for c in line.chars() {
        if "┌┬┐│├┼┤└┴┘".contains(c) {
            columns.push(at);
        }
        at += c.to_string().width();
    }
    columns
}

/// What the width-check tool says of `text` at `width`.
fn width_check(tool: &std::path::Path, text: &str, width: usize) -> Result<(), String> {
    use std::io::Write;
    let mut check = Command::new("python3")
        .arg(tool)
        .arg(width.to_string())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("width-check");
    check
        .stdin
        .take()
        .expect("stdin")
        .write_all(text.as_bytes())
        .expect("feed width-check");
    let verdict = check.wait_with_output().expect("width-check result");
    if verdict.status.success() {
        Ok(())
    } else {
        Err(String::from_utf8_lossy(&verdict.stdout).into_owned())
    }
}

#[test]
fn characters_of_disputed_width_never_reach_the_output() {
    let class = disputed();
    assert!(class.len() > 170, "the whole class: {}", class.len());
    let post = post_with(&class);
    let tool = shared("tools/width-check").filter(|_| require_program("python3"));
    // The tool takes one width, and starting it is most of its time: each width's lines
    // go to one run at 60, indented by what their width falls short of 60 (a space is a
    // column to everyone), so a line is over 60 there exactly when it is over its own
    // width.
    let mut for_the_tool = String::new();
    for width in 20..=60 {
        let text = render(&post, width);
        for &c in &class {
            assert!(
                !text.contains(c),
                "U+{:04X} in the output at {width}",
                u32::from(c)
            );
        }
        for line in text.lines() {
            assert!(line.width() <= width, "{line:?} wider than {width}");
        }
        // From the table's top border to its bottom one.
        let table: Vec<&str> = text
            .lines()
            .skip_while(|l| !l.starts_with('┌'))
            .scan(false, |ended, line| {
                let this = (!*ended).then_some(line);
                *ended |= line.starts_with('└');
                this
            })
            .collect();
        assert!(
            table.len() > class.len() / 3,
            "a table row per three characters"
        );
        let borders = border_columns(table[0]);
        for line in &table {
            assert_eq!(line.width(), table[0].width(), "{line:?} at {width}");
            let at = border_columns(line);
            assert!(
                at.first() == borders.first() && at.last() == borders.last(),
                "{line:?} at {width}: borders at {at:?}, not {borders:?}"
            );
        }
        for line in text.lines() {
            for_the_tool.push_str(&" ".repeat(60 - width));
            for_the_tool.push_str(line);
            for_the_tool.push('\n');
        }
    }
    if let Some(tool) = &tool
        && let Err(verdict) = width_check(tool, &for_the_tool, 60)
    {
        panic!("width-check: {verdict}");
    }
}

/// What the rule keeps: the joiners and variation selectors emoji and scripts need.
#[test]
fn joiners_and_variation_selectors_stay() {
    let kept = [
        "👩\u{200D}🔬", // ZWJ
        "ab\u{200C}cd", // ZWNJ
        "❤\u{FE0F}",    // VS16
        "葛\u{E0100}",  // ideographic variation selector
        "ᠠ\u{180B}",    // Mongolian free variation selector
    ];
    for text in kept {
        let out = render(&format!("{text}\n"), 40);
        assert_eq!(out.trim_end(), text, "{text:?}");
    }
}

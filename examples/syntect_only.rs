//! The floor for coloured print: syntect alone highlighting every fenced code block of a
//! post (pulldown-cmark finds them), on one thread and on all cores, with no layout and
//! no output. `cargo run --release --example syntect_only -- POST.md`

use std::time::Instant;

use pulldown_cmark::{CodeBlockKind, Event, Parser, Tag, TagEnd};
use rayon::prelude::*;
use syntect::easy::HighlightLines;
use syntect::util::LinesWithEndings;

fn main() {
    let path = std::env::args()
        .nth(1)
        .expect("usage: syntect_only POST.md");
    let text = std::fs::read_to_string(&path).expect("read post");
    let mut blocks: Vec<(String, String)> = Vec::new();
    let mut current: Option<(String, String)> = None;
    for event in Parser::new(&text) {
        match event {
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))) => {
                let lang = info.split_whitespace().next().unwrap_or("").to_string();
                current = Some((lang, String::new()));
            }
            Event::Text(t) => {
                if let Some((_, code)) = current.as_mut() {
                    code.push_str(&t);
                }
            }
            Event::End(TagEnd::CodeBlock) => blocks.extend(current.take()),
            _ => {}
        }
    }
    let syntaxes = two_face::syntax::extra_newlines();
    let themes = two_face::theme::extra();
    let theme = themes.get(two_face::theme::EmbeddedThemeName::OneHalfDark);
    let highlight = |(lang, code): &(String, String)| -> usize {
        let Some(syntax) = syntaxes
            .find_syntax_by_token(lang)
            .or_else(|| syntaxes.find_syntax_by_extension(lang))
        else {
            return 0;
        };
        let mut h = HighlightLines::new(syntax, theme);
        LinesWithEndings::from(code)
            .map(|line| h.highlight_line(line, &syntaxes).map_or(0, |r| r.len()))
            .sum()
    };
    let lines: usize = blocks.iter().map(|(_, c)| c.lines().count()).sum();
    // Warm up: compile the regexes each syntax needs once, as a run would.
    let start = Instant::now();
    let spans: usize = blocks.iter().map(highlight).sum();
    let first = start.elapsed();
    let start = Instant::now();
    let again: usize = blocks.iter().map(highlight).sum();
    let one_thread = start.elapsed();
    let start = Instant::now();
    let parallel: usize = blocks.par_iter().map(highlight).sum();
    let all_cores = start.elapsed();
    assert_eq!(spans, again);
    assert_eq!(spans, parallel);
    println!(
        "{} blocks, {lines} lines, {spans} spans: first pass {:.0} ms (regexes compiled), \
         one thread {:.0} ms, {} threads {:.0} ms",
        blocks.len(),
        first.as_secs_f64() * 1e3,
        one_thread.as_secs_f64() * 1e3,
        rayon::current_num_threads(),
        all_cores.as_secs_f64() * 1e3
    );
}

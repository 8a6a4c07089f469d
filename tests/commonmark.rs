//! Every CommonMark spec example (and pulldown-cmark's extension examples) renders
//! without panic at several widths, with no over-wide line and no control character.

use folio::markdown::{self, LayoutOptions};
use unicode_width::UnicodeWidthStr;

#[derive(serde::Deserialize)]
struct Example {
    suite: String,
    n: usize,
    markdown: String,
}

#[test]
fn every_example_renders_within_the_width() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/commonmark/examples.json"
    );
    let text = std::fs::read_to_string(path).expect("examples.json");
    let examples: Vec<Example> = serde_json::from_str(&text).expect("valid json");
    assert!(examples.len() > 1000, "the spec has 652 examples alone");
    for ex in &examples {
        let doc = markdown::parse(&ex.markdown);
        for width in [1, 7, 40, 80] {
            let laid = markdown::layout(
                &doc,
                &LayoutOptions {
                    width,
                    ..LayoutOptions::default()
                },
            );
            for line in &laid.lines {
                let plain = line.plain_text();
                assert!(
                    plain.width() <= width,
                    "{} #{} at {width}: {plain:?}",
                    ex.suite,
                    ex.n
                );
                assert!(
                    !plain.chars().any(char::is_control),
                    "{} #{}: control character in {plain:?}",
                    ex.suite,
                    ex.n
                );
            }
        }
    }
}

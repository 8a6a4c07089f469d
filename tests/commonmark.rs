//! Every CommonMark spec example (and pulldown-cmark's extension examples) renders
//! without panic at several widths, with no over-wide line and no control character.

use folio::markdown::{self, LayoutOptions};

mod common;
use common::{assert_laid_fits, commonmark_examples};

#[test]
fn every_example_renders_within_the_width() {
    let examples = commonmark_examples();
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
            assert_laid_fits(&laid, width, &format!("{} #{}", ex.suite, ex.n));
        }
    }
}

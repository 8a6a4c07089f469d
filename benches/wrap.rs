//! Wrapping speed on the inputs that would show a quadratic wrapper: one word of 1 MB
//! and of 2 MB (cut into rows at width 80), and a long CJK paragraph at every width
//! from 1 to 120. Twice the word should take about twice the time; a ratio near 4
//! means the cut rescans what it already cut. Moved here from a unit test, which
//! asserted a time limit that said more about the machine than about the code.
//!
//! `cargo bench --bench wrap`

use std::time::Duration;

use folio::markdown::wrap::wrap_spans;
use folio::markdown::{Span, Style};

mod common;
use common::median;

// The allocator the folio binary uses, so the figures are the binary's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn plain(text: &str) -> Vec<Span> {
    vec![Span {
        text: text.into(),
        style: Style::default(),
    }]
}

fn main() {
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let word = |bytes: usize| {
        let spans = plain(&"x".repeat(bytes));
        median(5, || {
            let rows = wrap_spans(&spans, 80);
            assert_eq!(rows.len(), bytes.div_ceil(80));
            std::hint::black_box(rows);
        })
    };
    let one = word(1 << 20);
    let two = word(2 << 20);
    println!("1 MB word at 80 columns     {:9.1} ms", ms(one));
    println!(
        "2 MB word at 80 columns     {:9.1} ms ({:.1}x the 1 MB word; 2x is linear)",
        ms(two),
        two.as_secs_f64() / one.as_secs_f64()
    );

    let paragraph: String = "开源社区的活力，来自每一位愿意分享的普通人。“看起来很傻”的问题……"
        .chars()
        .cycle()
        .take(3000)
        .collect();
    let spans = plain(&paragraph);
    let every_width = median(5, || {
        for width in 1..=120 {
            std::hint::black_box(wrap_spans(&spans, width));
        }
    });
    println!(
        "3000-char CJK paragraph, widths 1-120 {:9.1} ms",
        ms(every_width)
    );
}

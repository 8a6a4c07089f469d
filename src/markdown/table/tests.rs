use super::*;

fn cell(text: &str) -> Vec<Span> {
    vec![Span {
        text: text.into(),
        style: Style::default(),
    }]
}

fn plain(lines: &[Line]) -> Vec<String> {
    lines.iter().map(Line::plain_text).collect()
}

/// A GFM-shaped table: one header row, then `rows`.
fn layout_table(
    aligns: &[Align],
    head: Vec<Vec<Span>>,
    rows: Vec<Vec<Vec<Span>>>,
    hidden_columns: usize,
    width: usize,
) -> Vec<Line> {
    let shape = Shape {
        aligns,
        head_rows: 1,
        merges: &[],
        hidden_columns,
    };
    let all = std::iter::once(head).chain(rows).collect();
    layout_rows(&shape, all, width)
}

#[test]
fn a_table_that_fits_keeps_natural_widths_and_alignment() {
    let lines = layout_table(
        &[Align::Left, Align::Right],
        vec![cell("名称"), cell("n")],
        vec![vec![cell("版本"), cell("12")], vec![cell("a"), cell("3")]],
        0,
        40,
    );
    assert_eq!(
        plain(&lines),
        [
            "┌──────┬────┐",
            "│ 名称 │ n  │",
            "├──────┼────┤",
            "│ 版本 │ 12 │",
            "│ a    │  3 │",
            "└──────┴────┘",
        ]
    );
}

#[test]
fn wide_columns_wrap_while_narrow_ones_keep_their_words() {
    let long = "这是一段很长的说明文字，需要在表格单元格里面换行显示才能放得下。";
    let lines = layout_table(
        &[Align::None, Align::None],
        vec![cell("版本"), cell("说明")],
        vec![vec![cell("版本"), cell(long)]],
        0,
        30,
    );
    for line in &lines {
        assert!(line.width() <= 30, "{:?}", line.plain_text());
    }
    assert!(
        plain(&lines).iter().any(|l| l.contains("│ 版本 │")),
        "{lines:#?}"
    );
}

#[test]
fn rows_that_wrap_are_ruled_apart_and_no_cell_line_starts_with_a_closing_mark() {
    let lines = layout_table(
        &[],
        vec![cell("项目"), cell("说明")],
        vec![
            vec![cell("甲"), cell("控制平面（istiod），负责下发配置")],
            vec![cell("乙"), cell("数据平面")],
        ],
        0,
        24,
    );
    let text = plain(&lines);
    assert!(text.iter().any(|l| l.starts_with("├╌")), "{text:#?}");
    for line in &text {
        let inner = line.trim_start_matches('│').trim_start();
        assert!(
            !inner.starts_with(['，', '）', '。']),
            "a cell line starts with closing punctuation: {text:#?}"
        );
        for part in line.split('│') {
            let t = part.trim_start();
            assert!(!t.starts_with(['，', '）', '。']), "{text:#?}");
        }
    }
    // A table whose rows are one line each has no rules between them.
    let single = layout_table(
        &[],
        vec![cell("a")],
        vec![vec![cell("1")], vec![cell("2")]],
        0,
        20,
    );
    assert!(!plain(&single).iter().any(|l| l.contains('╌')));
}

#[test]
fn spanning_cells_cover_their_columns_and_rows() {
    let shape = Shape {
        aligns: &[],
        head_rows: 1,
        merges: &[
            Merge {
                row: 0,
                col: 0,
                rows: 1,
                cols: 2,
            },
            Merge {
                row: 1,
                col: 0,
                rows: 2,
                cols: 1,
            },
        ],
        hidden_columns: 0,
    };
    let rows = vec![
        vec![cell("合并标题"), Vec::new()],
        vec![cell("左"), cell("一")],
        vec![Vec::new(), cell("二")],
    ];
    assert_eq!(
        plain(&layout_rows(&shape, rows, 40)),
        [
            "┌──────────┐",
            "│ 合并标题 │",
            "├─────┬────┤",
            "│ 左  │ 一 │",
            "│     │ 二 │",
            "└─────┴────┘",
        ]
    );
}

#[test]
fn ragged_rows_are_padded_and_no_width_overflows() {
    for width in [1, 2, 5, 9, 20, 41, 80] {
        let lines = layout_table(
            &[],
            vec![cell("a"), cell("b"), cell("c")],
            vec![vec![cell("only one")], vec![]],
            0,
            width,
        );
        for line in &lines {
            assert!(
                line.width() <= width,
                "width {width}: {:?}",
                line.plain_text()
            );
        }
    }
}

#[test]
fn too_many_columns_are_capped_with_a_note() {
    let head: Vec<Vec<Span>> = (0..500).map(|i| cell(&i.to_string())).collect();
    let lines = layout_table(&[], head, vec![], 0, 1000);
    assert!(
        lines
            .last()
            .unwrap()
            .plain_text()
            .contains("436 more columns")
    );
}

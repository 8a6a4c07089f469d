use super::*;

fn table(html: &str) -> Table {
    match blocks(html).as_slice() {
        [Block::Table(t)] => (**t).clone(),
        other => panic!("not one table: {other:#?}"),
    }
}

fn text(cell: &[Inline]) -> String {
    Inline::plain(cell)
}

#[test]
fn header_rows_cells_links_lists_and_breaks() {
    let t = table(
        r#"<table>
  <thead><tr><th>名称</th><th>说明</th></tr></thead>
  <tbody>
    <tr><td><a href="https://istio.io">Istio</a></td>
        <td>服务网格<br>控制平面
          <ul><li>流量管理</li><li>安全</li></ul></td></tr>
    <tr><td>Envoy &amp; co</td><td><code>x  y</code></td></tr>
  </tbody>
</table>"#,
    );
    assert_eq!(t.head.len(), 1);
    assert_eq!(text(&t.head[0][0]), "名称");
    assert_eq!(t.rows.len(), 2);
    assert!(matches!(&t.rows[0][0][..], [Inline::Link { url, .. }] if url == "https://istio.io"));
    let described = &t.rows[0][1];
    assert_eq!(
        described
            .iter()
            .filter(|i| matches!(i, Inline::HardBreak))
            .count(),
        3,
        "{described:#?}"
    );
    assert_eq!(text(described), "服务网格 控制平面 • 流量管理 • 安全");
    assert_eq!(text(&t.rows[1][0]), "Envoy & co");
    assert_eq!(t.rows[1][1], vec![Inline::Code("x y".into())]);
}

#[test]
fn spans_are_placed_around_what_earlier_rows_cover() {
    let t = table(
        "<table><tr><th colspan=2>组</th><th>c</th></tr>\
         <tr><td rowspan=\"2\">a</td><td>b</td><td>c</td></tr>\
         <tr><td>d</td><td>e</td></tr></table>",
    );
    assert_eq!(t.head.len(), 1);
    assert_eq!(
        t.merges,
        [
            Merge {
                row: 0,
                col: 0,
                rows: 1,
                cols: 2
            },
            Merge {
                row: 1,
                col: 0,
                rows: 2,
                cols: 1
            }
        ]
    );
    assert_eq!(text(&t.rows[1][1]), "d");
    assert_eq!(text(&t.rows[1][2]), "e");
    assert!(t.rows[1][0].is_empty());
}

#[test]
fn text_around_a_table_stays_and_unclosed_cells_close() {
    let out =
        blocks("<p>before</p><table><caption>表 1</caption><tr><td>a<td>b<tr><td>c</table>after");
    assert!(matches!(&out[0], Block::Html(t) if t == "before"));
    let Block::Table(t) = &out[1] else {
        panic!("{out:#?}")
    };
    assert_eq!(t.caption.as_deref(), Some("表 1"));
    assert!(t.head.is_empty());
    assert_eq!(t.rows.len(), 2);
    assert_eq!(text(&t.rows[0][1]), "b");
    assert!(matches!(&out[2], Block::Html(t) if t == "after"));
}

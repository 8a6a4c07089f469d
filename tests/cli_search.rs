//! `folio list --search/--tag/--full-text` and `folio --tag`: the same results, in the
//! same order, as the TUI shows for the same query.

use folio::app::App;
use folio::library::Library;
use folio::library::query::{self, Chips, Searcher};

mod common;
use common::{folio, run, sample_dir as samples};

fn list(args: &[&str]) -> (String, i32) {
    let (out, err, code) = run(folio().arg("list").args(args).arg(samples()));
    assert!(code != 0 || err.is_empty(), "{err}");
    (out, code)
}

fn json_paths(out: &str) -> Vec<String> {
    let value: serde_json::Value = serde_json::from_str(out).expect("json");
    value
        .as_array()
        .expect("array")
        .iter()
        .map(|p| p["path"].as_str().unwrap_or_default().to_string())
        .collect()
}

/// The rows the TUI shows for this line and these tags.
fn tui_paths(line: &str, tags: &[&str]) -> Vec<String> {
    let library = Library::scan(&samples()).expect("scan");
    let mut app = App::new(library, "s".into(), (80, 24));
    app.set_chips(Chips {
        tags: tags.iter().map(|t| t.to_string()).collect(),
        ..Chips::default()
    });
    for c in line.chars() {
        folio::app::dispatch::type_char(&mut app, c);
    }
    (0..app.row_count())
        .filter_map(|r| app.post_at_row(r))
        .map(|id| id.as_str().to_string())
        .collect()
}

#[test]
fn list_search_prints_what_the_tui_shows_in_the_same_order() {
    for (search, tags) in [
        ("istio", vec![]),
        ("开源", vec![]),
        ("rust", vec!["RUST"]),
        ("#kubernetes notes", vec![]),
        ("", vec!["istio", "云原生"]),
    ] {
        let mut args = vec!["--json", "--search", search];
        for tag in &tags {
            args.extend(["--tag", tag]);
        }
        let (out, code) = list(&args);
        assert_eq!(code, 0);
        assert_eq!(
            json_paths(&out),
            tui_paths(search, &tags),
            "{search:?} {tags:?}"
        );
    }
}

#[test]
fn list_full_text_shows_counts_and_snippets() {
    let (out, code) = list(&["--search", "服务网格", "--full-text"]);
    assert_eq!(code, 0);
    assert_eq!(out.lines().count(), 1, "{out}");
    assert!(
        out.contains("istio-4th-anniversary") && out.contains("×) "),
        "{out}"
    );
    let (out, _) = list(&["--search", "服务网格", "--full-text", "--json"]);
    let value: serde_json::Value = serde_json::from_str(&out).expect("json");
    assert!(value[0]["hits"].as_u64().unwrap_or(0) >= 2);
    assert!(
        value[0]["snippet"]
            .as_str()
            .unwrap_or_default()
            .contains("服务网格")
    );
    // The same order as the pure search over bodies read the same way.
    let library = Library::scan(&samples()).expect("scan");
    let bodies = folio::bodies::read_all(&library);
    let hits = Searcher::new(&library).search(
        &Chips::default(),
        &query::parse("istio 社区"),
        true,
        &bodies,
    );
    let (out, _) = list(&["--search", "istio 社区", "--full-text", "--json"]);
    let expected: Vec<String> = hits.iter().map(|h| h.id.as_str().to_string()).collect();
    assert_eq!(json_paths(&out), expected);
    // With the same counts and snippets, though the listing reads the files one by one
    // rather than holding every body.
    let value: serde_json::Value = serde_json::from_str(&out).expect("json");
    for (at, hit) in hits.iter().enumerate() {
        let text = hit.text.as_ref().expect("a full-text hit");
        let body = bodies.get(&hit.id).expect("its body");
        assert_eq!(value[at]["hits"].as_u64(), Some(text.count as u64));
        let snippet = text.snippet(body);
        assert_eq!(value[at]["snippet"].as_str(), Some(snippet.text()));
    }
}

#[test]
fn full_text_needs_a_search() {
    let (_, code) = list(&["--full-text"]);
    assert_eq!(code, 2, "a usage error");
}

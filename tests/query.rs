//! The query module on its own: parsing, tag and category filters, fuzzy ranking by
//! characters (Chinese included), completion, and typing that narrows the last results.
use std::path::PathBuf;

use folio::library::Library;
use folio::library::query::*;

fn library(posts: &[(&str, &str)]) -> Library {
    let files: Vec<(&str, &'static [u8])> = posts
        .iter()
        .map(|(name, front)| {
            let text = format!("---\n{front}\n---\nbody of {name}\n");
            let bytes: &'static [u8] = Box::leak(text.into_bytes().into_boxed_slice());
            (*name, bytes)
        })
        .collect();
    Library::from_embedded(PathBuf::from("t"), &files)
}

fn titles(lib: &Library, hits: &[Hit]) -> Vec<String> {
    hits.iter()
        .map(|h| lib.get(&h.id).expect("post").title.to_string())
        .collect()
}

#[test]
fn parse_splits_tags_categories_and_words() {
    let q = parse("  istio #Service-Mesh @云原生 网格 # @ #\"Two Words\" ");
    assert_eq!(q.terms, ["istio", "网格"]);
    assert_eq!(q.tags, ["service-mesh", "two words"]);
    // Without the final space the last token is still being typed: a prefix.
    let typing = parse("istio #\"Two Wo");
    assert!(typing.tags.is_empty());
    assert_eq!(typing.typing.map(|t| t.prefix), Some("two wo".to_string()));
    assert_eq!(q.categories, ["云原生"]);
    assert!(parse("   ").is_empty());
    assert_eq!(token_for('#', "two words"), "#\"two words\"");
    assert_eq!(token_for('@', "go"), "@go");
}

#[test]
fn chinese_queries_match_by_character() {
    let lib = library(&[
        (
            "a.md",
            "title: Istio 开源四周年回顾与展望\ndate: 2022-01-01",
        ),
        ("b.md", "title: Go 并发模式\ndate: 2021-01-01"),
    ]);
    let mut s = Searcher::new(&lib);
    let hits = s.search(
        &Chips::default(),
        &parse("开源周年"),
        false,
        &Default::default(),
    );
    assert_eq!(titles(&lib, &hits), ["Istio 开源四周年回顾与展望"]);
    // Graphemes 6, 7, 9, 10: 开 源 _ 周 年.
    let title = &lib.get(&hits[0].id).expect("post").title;
    assert_eq!(title_match(title, &["开源周年".into()]), [6, 7, 9, 10]);
}

#[test]
fn tags_are_case_insensitive_and_and_ed() {
    let lib = library(&[
        ("a.md", "title: A\ntags: [Istio, Go]\ncategories: [Cloud]"),
        ("b.md", "title: B\ntags: [istio]"),
        ("c.md", "title: C\ntags: [go]"),
    ]);
    let mut s = Searcher::new(&lib);
    let mut run = |q: &str| {
        let hits = s.search(&Chips::default(), &parse(q), false, &Default::default());
        titles(&lib, &hits)
    };
    assert_eq!(run("#ISTIO"), ["A", "B"]);
    assert_eq!(run("#istio #GO"), ["A"]);
    assert_eq!(run("@cloud"), ["A"]);
    assert_eq!(run("#nope"), Vec::<String>::new());
    assert_eq!(run("#"), ["A", "B", "C"], "a lone # filters nothing");
}

#[test]
fn chips_all_or_any() {
    let lib = library(&[
        ("a.md", "title: A\ntags: [x, y]"),
        ("b.md", "title: B\ntags: [x]"),
        ("c.md", "title: C\ntags: [y]\ncategories: [k]"),
    ]);
    let mut s = Searcher::new(&lib);
    let mut chips = Chips {
        tags: vec!["X".into(), "y".into()],
        ..Chips::default()
    };
    let hits = s.search(&chips, &Query::default(), false, &Default::default());
    assert_eq!(titles(&lib, &hits), ["A"]);
    chips.any = true;
    let hits = s.search(&chips, &Query::default(), false, &Default::default());
    assert_eq!(titles(&lib, &hits), ["A", "B", "C"]);
    let chips = Chips {
        categories: vec!["K".into()],
        ..Chips::default()
    };
    let hits = s.search(&chips, &Query::default(), false, &Default::default());
    assert_eq!(titles(&lib, &hits), ["C"]);
}

#[test]
fn best_match_first_and_every_word_must_match() {
    let lib = library(&[
        (
            "one.md",
            "title: Notes on routing\ndescription: istio gateway",
        ),
        ("two.md", "title: Istio routing\ndate: 2020-01-01"),
        ("three.md", "title: Unrelated"),
    ]);
    let mut s = Searcher::new(&lib);
    let hits = s.search(
        &Chips::default(),
        &parse("istio"),
        false,
        &Default::default(),
    );
    assert_eq!(titles(&lib, &hits), ["Istio routing", "Notes on routing"]);
    let title = &lib.get(&hits[1].id).expect("post").title;
    assert!(
        title_match(title, &["istio".into()]).is_empty(),
        "matched in the description"
    );
    let hits = s.search(
        &Chips::default(),
        &parse("istio routing"),
        false,
        &Default::default(),
    );
    assert_eq!(hits.len(), 2);
    let hits = s.search(
        &Chips::default(),
        &parse("istio zebra"),
        false,
        &Default::default(),
    );
    assert!(hits.is_empty());
    // The path is searched too.
    let hits = s.search(
        &Chips::default(),
        &parse("three.md"),
        false,
        &Default::default(),
    );
    assert_eq!(titles(&lib, &hits), ["Unrelated"]);
}

#[test]
fn typing_narrows_from_the_last_results_without_changing_them() {
    let lib = library(&[
        ("a.md", "title: istio ambient"),
        ("b.md", "title: istanbul"),
        ("c.md", "title: rust"),
    ]);
    let mut typed = Searcher::new(&lib);
    for (q, expected) in [
        ("is", 2),
        ("ist", 2),
        ("isti", 1),
        ("istio amb", 1),
        ("i", 2),
    ] {
        let hits = typed.search(&Chips::default(), &parse(q), false, &Default::default());
        let fresh =
            Searcher::new(&lib).search(&Chips::default(), &parse(q), false, &Default::default());
        assert_eq!(hits, fresh, "{q}");
        assert_eq!(hits.len(), expected, "{q}");
    }
}

#[test]
fn completion_by_key_prefix() {
    let names = ["Istio", "istio-ambient", "Go", "云原生"];
    assert_eq!(completions(names, "IST"), ["Istio", "istio-ambient"]);
    assert_eq!(completions(names, "云"), ["云原生"]);
    assert_eq!(completions(names, "").len(), 4);
}

/// The description and the path are matched from the post's own text, a Chinese
/// description a character at a time.
#[test]
fn chinese_descriptions_and_paths_are_matched_too() {
    let lib = library(&[
        (
            "notes/a.md",
            "title: A\ndescription: 服务网格的流量管理\ndate: 2022-01-01",
        ),
        ("travel/kyoto.md", "title: B\ndate: 2021-01-01"),
        ("c.md", "title: C\ndescription: 别的内容"),
    ]);
    let mut s = Searcher::new(&lib);
    let mut found = |query: &str| {
        let hits = s.search(&Chips::default(), &parse(query), false, &Default::default());
        titles(&lib, &hits)
    };
    assert_eq!(found("流量管理"), ["A"]);
    assert_eq!(found("kyoto"), ["B"]);
    assert_eq!(found("服务 kyoto"), Vec::<String>::new());
}

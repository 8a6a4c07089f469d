//! `folio check` as a blogger's CI runs it: over the fixtures in tests/fixtures/check/,
//! one folder per kind of problem, each problem asserted by its code and place through
//! `--json`, and the text report, the exit codes and the filters asserted as printed.

mod common;

use common::*;
use std::path::Path;

/// A problem as asserted: code, path, line, column.
type Found = (String, String, Option<u64>, Option<u64>);

/// `folio check --json ARGS` from the repository's root: (code, path, line, column) of
/// each problem, and the exit code.
fn check_json(args: &[&str]) -> (Vec<Found>, i32) {
    let (out, err, code) = run(folio()
        .current_dir(root())
        .arg("check")
        .arg("--json")
        .args(args));
    assert!(err.is_empty(), "stderr: {err}");
    let found = out
        .lines()
        .map(|line| {
            let v: serde_json::Value = serde_json::from_str(line).expect("one JSON object a line");
            (
                v["code"].as_str().expect("code").to_string(),
                v["path"].as_str().expect("path").to_string(),
                v["line"].as_u64(),
                v["column"].as_u64(),
            )
        })
        .collect();
    (found, code)
}

fn at(code: &str, path: &str, line: u64, column: Option<u64>) -> Found {
    (
        code.to_string(),
        format!("tests/fixtures/check/{path}"),
        Some(line),
        column,
    )
}

#[test]
fn front_matter_problems_are_placed_on_their_lines() {
    let (found, code) = check_json(&["tests/fixtures/check/front-matter"]);
    assert_eq!(
        found,
        [
            at("bad-date", "front-matter/bad-date.md", 3, Some(1)),
            at("front-matter", "front-matter/bad-yaml.md", 5, Some(1)),
            at("draft-past-date", "front-matter/draft.md", 4, Some(1)),
            at("missing-title", "front-matter/missing.md", 1, Some(1)),
            at("missing-date", "front-matter/missing.md", 1, Some(1)),
            at("front-matter", "front-matter/unclosed.md", 1, Some(1)),
        ]
    );
    assert_eq!(code, 1, "errors fail the check");
}

#[test]
fn broken_links_anchors_and_images_are_found_and_good_ones_pass() {
    let (found, code) = check_json(&["tests/fixtures/check/links"]);
    assert_eq!(
        found,
        [
            at("broken-link", "links/a.md", 9, Some(9)),
            at("broken-anchor", "links/a.md", 9, Some(29)),
            at("broken-anchor", "links/a.md", 9, Some(56)),
            at("outside-collection", "links/a.md", 11, Some(10)),
            at("missing-image", "links/a.md", 13, Some(29)),
            at("missing-image", "links/bundle/index.md", 5, Some(17)),
        ]
    );
    assert_eq!(code, 1);
}

#[test]
fn a_single_file_is_checked_against_the_disk_around_it() {
    let (found, _) = check_json(&["tests/fixtures/check/links/bundle/index.md"]);
    assert_eq!(
        found,
        [at("missing-image", "links/bundle/index.md", 5, Some(17))]
    );
}

#[test]
fn duplicate_slugs_in_one_section_and_duplicate_titles_anywhere() {
    let (found, code) = check_json(&["tests/fixtures/check/duplicates"]);
    assert_eq!(
        found,
        [
            at("duplicate-title", "duplicates/posts/two.md", 2, Some(1)),
            at("duplicate-slug", "duplicates/posts/two.md", 4, Some(1)),
        ]
    );
    assert_eq!(code, 1);
}

#[test]
fn tags_differing_only_by_case_or_spacing_are_reported_where_written() {
    let (found, code) = check_json(&["tests/fixtures/check/tags"]);
    assert_eq!(
        found,
        [
            at("tag-case", "tags/c.md", 4, Some(8)),
            at("tag-case", "tags/c.md", 4, Some(15)),
        ]
    );
    assert_eq!(code, 0, "warnings alone pass");
    let (_, denied) = check_json(&["--deny", "warnings", "tests/fixtures/check/tags"]);
    assert_eq!(denied, 1, "--deny warnings fails on them");
}

#[test]
fn fences_encodings_controls_and_empty_posts() {
    let (found, _) = check_json(&[
        "tests/fixtures/check/fences",
        "tests/fixtures/check/encoding",
        "tests/fixtures/check/empty",
    ]);
    let whole_file = |code: &str, path: &str| {
        (
            code.to_string(),
            format!("tests/fixtures/check/{path}"),
            None,
            None,
        )
    };
    assert_eq!(
        found,
        [
            at("empty-post", "empty/empty.md", 5, None),
            at("encoding", "encoding/bom.md", 1, Some(1)),
            at("control-char", "encoding/control.md", 5, Some(5)),
            whole_file("encoding", "encoding/gbk.md"),
            whole_file("encoding", "encoding/mixed.md"),
            at("unterminated-fence", "fences/open.md", 7, Some(1)),
        ]
    );
}

#[test]
fn shortcodes_unclosed_unmatched_unknown_and_refs_that_name_no_post() {
    let (found, code) = check_json(&["tests/fixtures/check/shortcodes"]);
    assert_eq!(
        found,
        [
            at("unclosed-shortcode", "shortcodes/post.md", 7, Some(1)),
            at("unclosed-shortcode", "shortcodes/post.md", 10, Some(1)),
            at("unknown-shortcode", "shortcodes/post.md", 12, Some(1)),
            at("broken-link", "shortcodes/post.md", 16, Some(6)),
            at("broken-anchor", "shortcodes/post.md", 16, Some(31)),
            at("unclosed-shortcode", "shortcodes/post.md", 24, Some(1)),
        ]
    );
    assert_eq!(code, 1);
}

#[test]
fn only_and_skip_choose_the_checks() {
    let dir = "tests/fixtures/check/links";
    let (found, _) = check_json(&["--only", "missing-image,outside-collection", dir]);
    let codes: Vec<&str> = found.iter().map(|f| f.0.as_str()).collect();
    assert_eq!(
        codes,
        ["outside-collection", "missing-image", "missing-image"]
    );
    let (found, code) = check_json(&["--skip", "broken-link,missing-image", dir]);
    assert!(
        found
            .iter()
            .all(|f| f.0 != "broken-link" && f.0 != "missing-image")
    );
    assert_eq!(code, 0, "what is left are warnings");
}

#[test]
fn a_clean_collection_passes_and_says_so() {
    let (out, err, code) = run(folio()
        .current_dir(root())
        .args(["check", "tests/fixtures/check/clean"]));
    assert_eq!(
        (out.as_str(), err.as_str(), code),
        ("checked 1 file: no problems\n", "", 0)
    );
}

#[test]
fn the_text_report_points_at_the_place_with_a_caret() {
    let (out, _, code) = run(folio().current_dir(root()).args([
        "check",
        "--only",
        "bad-date",
        "tests/fixtures/check/front-matter",
    ]));
    let expected = "\
tests/fixtures/check/front-matter/bad-date.md:3:1: error[bad-date]: date: cannot read \"the day after tomorrow\" as a date; ignored
  |
3 | date = \"the day after tomorrow\"
  | ^
checked 5 files: 1 error, 0 warnings, 0 infos
";
    assert_eq!(out, expected);
    assert_eq!(code, 1);
}

#[test]
fn colour_only_on_request_and_never_under_no_color() {
    let args = ["check", "--color", "always", "tests/fixtures/check/fences"];
    let (styled, _, _) = run(folio().current_dir(root()).args(args));
    assert!(
        styled.contains('\u{1b}'),
        "--color always styles: {styled:?}"
    );
    let (plain, _, _) = run(folio().current_dir(root()).args(args).env("NO_COLOR", "1"));
    assert!(!plain.contains('\u{1b}'), "NO_COLOR wins: {plain:?}");
    let (piped, _, _) = run(folio()
        .current_dir(root())
        .args(["check", "tests/fixtures/check/fences"]));
    assert!(
        !piped.contains('\u{1b}'),
        "a pipe gets plain text: {piped:?}"
    );
}

#[test]
fn control_characters_from_a_post_never_reach_the_output_raw() {
    let (text, _, _) = run(folio()
        .current_dir(root())
        .args(["check", "tests/fixtures/check/encoding/control.md"]));
    assert!(text.contains("red "), "{text}");
    assert!(!text.contains('\u{1b}'), "raw ESC in {text:?}");
    let (json, _, _) = run(folio().current_dir(root()).args([
        "check",
        "--json",
        "tests/fixtures/check/encoding/control.md",
    ]));
    assert!(!json.contains('\u{1b}'), "raw ESC in {json:?}");
}

#[test]
fn usage_errors_exit_2() {
    let (_, err, code) = run(folio().args(["check", "--only", "no-such-check", "."]));
    assert_eq!(code, 2);
    assert!(err.contains("unknown check"), "{err}");
    let (_, _, code) = run(folio().args(["check", "--deny", "everything", "."]));
    assert_eq!(code, 2);
}

/// The real corpus's report, whole: a stable order (path, line, column) and the same
/// findings run after run; a change in what check says shows here as a diff.
#[test]
fn the_real_corpus_report_is_stable() {
    let Some(corpus) = shared("corpus/real") else {
        return;
    };
    let (out, err, code) = run(folio()
        .current_dir(&corpus)
        .args(["check", "--color", "never", "."]));
    assert!(err.is_empty(), "stderr: {err}");
    assert_eq!(code, 1, "the corpus has missing images");
    insta::assert_snapshot!("check_real_corpus", out);
}

#[cfg(unix)]
#[test]
fn a_file_that_cannot_be_read_fails_the_check_with_a_warning() {
    let dir = tempfile::tempdir().expect("temp dir");
    let fifo = dir.path().join("pipe.md");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .is_ok_and(|s| s.success());
    assert!(made, "mkfifo");
    let (out, err, code) = run(folio().args(["check"]).arg(&fifo));
    assert_eq!(out, "checked 0 files: no problems\n");
    assert!(err.contains("not a regular file, not checked"), "{err}");
    assert_eq!(code, 1);
}

/// The TUI keeps slimmed analyses between checks (no text, metadata but title, slug and
/// tags, no web links), in the index cache: the checks across files must find the same
/// with them, on any day (a draft's date is set against today when they are gathered).
#[test]
fn slimmed_analyses_find_what_whole_ones_do() {
    use folio::check::{self, Input, Policy, Selection};
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/check");
    for entry in std::fs::read_dir(&fixtures).expect("fixtures") {
        let root = entry.expect("entry").path();
        let inputs: Vec<Input> = walk(&root)
            .into_iter()
            .map(|path| Input {
                bytes: std::fs::read(&path).expect("read"),
                path,
                root: root.clone().into(),
            })
            .collect();
        let exists = |path: &Path| path.exists();
        let today = check::today();
        let (whole, found) = check::check(
            inputs,
            today.as_ref(),
            &exists,
            &Selection::default(),
            &Policy::default(),
        );
        let mut slim = whole.clone();
        for checked in &mut slim {
            checked.slim();
            // As the index cache keeps it, in its two parts.
            let (facts, own) = std::mem::take(&mut checked.analysis).into_parts();
            let own = serde_json::to_string(&own).expect("serialise");
            checked.analysis = folio::check::post::Analysis::from_parts(
                folio::check::facts::Facts::from_bytes(facts.as_bytes()).expect("facts"),
                serde_json::from_str(&own).expect("deserialise"),
            );
        }
        let again = check::findings(
            &slim,
            today.as_ref(),
            &exists,
            &Selection::default(),
            &Policy::default(),
        );
        assert_eq!(found, again, "{}", root.display());
    }
}

fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).expect("read dir").flatten() {
        let path = entry.path();
        if path.is_dir() {
            files.extend(walk(&path));
        } else if path.extension().is_some_and(|e| e == "md") {
            files.push(path);
        }
    }
    files
}

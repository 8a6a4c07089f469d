//! Hugo-site constructs that need more than one page, or print mode, to show: a page
//! of a small Hugo site (`tests/fixtures/hugo-site`) with includes, params and a
//! section's table of contents; section pages in the list; footnotes and link numbers
//! in print; heading levels in plain output.

use std::path::{Path, PathBuf};

use folio::library::Library;
use folio::markdown::{self, LayoutOptions, plain_dump, styled_dump};

mod common;
use common::{assert_fits, assert_laid_fits, folio, read_post, root};

fn site() -> PathBuf {
    root().join("tests/fixtures/hugo-site")
}

fn options(path: &Path, width: usize, numbered_links: bool) -> LayoutOptions {
    let (meta, _) = read_post(path);
    LayoutOptions {
        width,
        meta: Some(meta),
        base_dir: path.parent().map(Path::to_path_buf),
        numbered_links,
        highlight: markdown::HighlightMode::Off,
        ..LayoutOptions::default()
    }
}

fn laid(path: &Path, width: usize) -> markdown::Laid {
    let (_, body) = read_post(path);
    markdown::layout(&markdown::parse(&body), &options(path, width, false))
}

/// The text `folio print` writes (plain), made as print makes it.
fn printed(path: &Path, width: usize) -> String {
    let (_, body) = read_post(path);
    let render = |lines: &[markdown::Line], out: &mut String| {
        for line in lines {
            out.push_str(line.plain_text().trim_end());
            out.push('\n');
        }
    };
    markdown::render_document(&body, &options(path, width, true), &render).concat()
}

#[test]
fn a_site_page_includes_pages_lists_its_section_and_reads_params() {
    let page = site().join("content/docs/_index.md");
    for width in [20, 40, 41, 80, 120] {
        let laid = laid(&page, width);
        assert_laid_fits(&laid, width, "docs/_index.md");
        insta::assert_snapshot!(format!("docs_index__w{width}"), plain_dump(&laid));
    }
    insta::assert_snapshot!("docs_index__styled_w80", styled_dump(&laid(&page, 80)));
    // At 120 columns no sentence below wraps.
    let text = plain_dump(&laid(&page, 120));
    // The include, and the include inside it.
    assert!(
        text.contains("two editions: standard and extended"),
        "{text}"
    );
    assert!(
        text.contains("An included page can include another."),
        "{text}"
    );
    // A missing page and one outside the site are placeholders, not content.
    assert!(
        text.contains("{{% include \"/_common/missing.md\" %}}"),
        "{text}"
    );
    assert!(!text.contains("[package]"), "read outside the site: {text}");
    // Params: the site config's, dotted, and the page's own.
    assert!(
        text.contains("Site version 0.146.0, on GitHub as gohugoio"),
        "{text}"
    );
    assert!(
        text.contains("this page's title is \"Documentation\""),
        "{text}"
    );
    // The section's pages by weight, the section page itself not among them.
    let first = text.find("• First steps").expect("first page listed");
    let second = text.find("• A page bundle").expect("bundle listed");
    assert!(first < second, "{text}");
    // The card: the date from lastmod, the cover image, a space in the category chip.
    assert!(text.contains("2024-03-05"), "{text}");
    assert!(text.contains("[image] images/docs-cover.png"), "{text}");
    assert!(text.contains("▸\u{a0}Getting\u{a0}started"), "{text}");
}

#[test]
fn a_section_page_with_a_body_is_listed_and_marked_and_an_empty_one_is_not() {
    let library = Library::scan(&site()).expect("scan the site");
    let listed: Vec<(String, bool)> = library
        .posts()
        .iter()
        .map(|p| (p.rel_path.display().to_string(), p.meta.section))
        .collect();
    assert!(
        listed.contains(&("content/docs/_index.md".into(), true)),
        "{listed:?}"
    );
    assert!(
        !listed
            .iter()
            .any(|(p, _)| p.starts_with("content/empty-section")),
        "{listed:?}"
    );
    assert!(
        listed.contains(&("content/docs/first-steps.md".into(), false)),
        "{listed:?}"
    );
    // `folio list` shows the same posts, and its JSON says which is a section.
    let out = folio()
        .args(["list", "--json"])
        .arg(site())
        .output()
        .expect("folio list");
    assert!(out.status.success());
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let entries = json.as_array().expect("array");
    assert_eq!(entries.len(), library.posts().len());
    let docs = entries
        .iter()
        .find(|e| e["path"] == "content/docs/_index.md")
        .expect("section listed");
    assert_eq!(docs["section"], true);
    // Dated by lastmod when undated, with the image from `featured_image`.
    let bundle = entries
        .iter()
        .find(|e| e["path"] == "content/docs/page-bundle/index.md")
        .expect("bundle listed");
    assert_eq!(bundle["date"], "2024-02-01");
    assert_eq!(bundle["image"], "cover.jpg");
}

#[test]
fn print_numbers_links_apart_from_footnotes_and_inside_them() {
    let post = root().join("tests/fixtures/render/links-and-notes.md");
    for width in [40, 80] {
        let text = printed(&post, width);
        assert_fits(&text, width, "links-and-notes.md");
        insta::assert_snapshot!(format!("links_and_notes_printed__w{width}"), text);
    }
    let text = printed(&post, 80);
    // The footnote is `[^1]`, the first link `[1]`: one of each, told apart.
    assert!(text.contains("template[^1]"), "{text}");
    assert!(text.contains("v0.146.0[2]"), "{text}");
    // Links in the footnote are numbered too, after the body's, and listed with them.
    assert!(text.contains("templates guide[6]"), "{text}");
    assert!(text.contains("[6] https://gohugo.io/templates/"), "{text}");
    // The glossary link and the shortcode destination are no references.
    assert!(!text.contains("boolean["), "{text}");
    assert!(text.contains("source code (eturl details)"), "{text}");
}

#[test]
fn plain_print_tells_every_heading_level_apart() {
    let dir = tempfile::tempdir().expect("tempdir");
    let post = dir.path().join("headings.md");
    std::fs::write(
        &post,
        "# One\n\ntext\n\n## Two\n\ntext\n\n### Three\n\ntext\n\n#### Four\n\n##### Five\n\n###### Six\n\ntext\n",
    )
    .expect("write");
    let out = folio()
        .args(["print", "--color", "never", "--width", "40"])
        .arg(&post)
        .output()
        .expect("folio print");
    let text = String::from_utf8(out.stdout).expect("utf-8");
    let lines: Vec<&str> = text.lines().collect();
    let under = |heading: &str| {
        let at = lines.iter().position(|l| *l == heading).expect(heading);
        lines.get(at + 1).copied().unwrap_or_default()
    };
    assert_eq!(under("One"), "━━━");
    assert_eq!(under("Two"), "───");
    for heading in ["### Three", "#### Four", "##### Five", "###### Six"] {
        assert!(lines.contains(&heading), "{heading} in {text}");
    }
    assert!(lines.contains(&"text"), "{text}");
}

#[test]
fn a_heading_id_from_an_attribute_list_is_its_anchor() {
    let laid = laid(
        &root().join("tests/fixtures/render/math-and-attributes.md"),
        80,
    );
    let heading = laid
        .headings
        .iter()
        .find(|h| h.text == "A heading with an id")
        .expect("heading");
    assert_eq!(heading.anchor, "custom-id");
    let text = plain_dump(&laid);
    assert!(
        !text.contains("width=3158") && !text.contains("!mt-6"),
        "{text}"
    );
    assert!(!text.contains("key=\"value\""), "{text}");
}

#[test]
fn the_list_marks_a_section_page() {
    let library = Library::scan(&site()).expect("scan the site");
    let mut app = folio::app::App::new(library, "hugo-site".into(), (100, 20));
    app.resize(100, 20);
    let text = common::screen(&app);
    let row = text
        .lines()
        .find(|l| l.contains("Documentation"))
        .unwrap_or_else(|| panic!("section listed: {text}"));
    assert!(row.contains("SECTION"), "{text}");
    let other = text
        .lines()
        .find(|l| l.contains("First steps"))
        .unwrap_or_else(|| panic!("page listed: {text}"));
    assert!(!other.contains("SECTION"), "{text}");
    common::assert_screen_fits(&common::draw_buffer(&app), "list of the site");
}

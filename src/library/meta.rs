//! From a parsed front-matter mapping to [`Meta`], leniently. Front matter is written
//! by hand and by a dozen generators: `tags: rust` instead of a list, `title: 2024` as a
//! number, `draft: "false"` as text, `Author` capitalised. Hugo accepts all of these
//! (it lowercases keys and coerces scalars), so folio does too. A value that cannot be
//! read costs that one field, with a warning, never the rest of the post.

use serde_json::{Map, Value};

use super::Names;
use super::front_matter::Findings;
use super::post::{Meta, PostDate};
use crate::diagnostic::Code;

/// Keys Hugo reads as the publication date when `date` itself is absent.
const DATE_FALLBACKS: [&str; 3] = ["publishdate", "pubdate", "published"];

/// Keys themes read a post's image from when `image` is absent, in order.
const IMAGE_FALLBACKS: [&str; 4] = ["cover", "images", "featured_image", "featuredimage"];

/// An image path from `cover: x.png`, `cover: {image: x.png}` or `images: [x.png, …]`.
fn image_of(value: &Value) -> Option<String> {
    let path = match value {
        Value::String(s) => Some(s.clone()),
        Value::Array(items) => items.first().and_then(image_of),
        Value::Object(map) => map
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case("image"))
            .and_then(|(_, v)| image_of(v)),
        _ => None,
    };
    path.filter(|p| !p.trim().is_empty())
}

/// Fills a [`Meta`] from a front-matter mapping; problems go to `warnings`, each placed
/// on its key's line.
pub(crate) fn extract(map: Map<String, Value>, warnings: &mut Findings<'_>) -> Meta {
    // Hugo lowercases front-matter keys; when two spellings collide the later one wins.
    // Nearly always they are lowercase ASCII already, and the mapping is kept as it is.
    let lowercase = |key: &String| key.bytes().all(|b| b.is_ascii() && !b.is_ascii_uppercase());
    let mut fields = if map.keys().all(lowercase) {
        map
    } else {
        let mut fields: Map<String, Value> = Map::new();
        for (key, value) in map {
            fields.insert(key.to_lowercase(), value);
        }
        fields
    };
    let mut meta = Meta::default();
    let mut take = |key: &str| fields.remove(key);

    meta.title = take("title")
        .and_then(|v| text("title", v, warnings))
        .map(Into::into);
    meta.date = take("date").and_then(|v| date("date", v, warnings));
    meta.lastmod = take("lastmod").and_then(|v| date("lastmod", v, warnings));
    meta.description = take("description")
        .and_then(|v| text("description", v, warnings))
        .map(Into::into);
    meta.tags = take("tags").map_or_else(Names::default, |v| list("tags", v, warnings).into());
    meta.categories =
        take("categories").map_or_else(Names::default, |v| list("categories", v, warnings).into());
    let mut authors: Vec<String> = Vec::new();
    for key in ["author", "authors"] {
        for name in take(key).map_or_else(Vec::new, |v| list(key, v, warnings)) {
            if !authors.contains(&name) {
                authors.push(name);
            }
        }
    }
    meta.authors = authors.into();
    meta.draft = take("draft").is_some_and(|v| flag("draft", v, warnings));
    meta.slug = take("slug")
        .and_then(|v| text("slug", v, warnings))
        .map(Into::into);
    meta.image = take("image")
        .and_then(|v| text("image", v, warnings))
        .map(Into::into);
    if meta.image.is_none() {
        // Themes name the cover image in several ways; left in `extra` as well.
        meta.image = IMAGE_FALLBACKS
            .iter()
            .find_map(|key| fields.get(*key).and_then(image_of))
            .map(Into::into);
    }

    if meta.description.is_none()
        && let Some(summary) = fields.get("summary").cloned()
    {
        fields.remove("summary");
        meta.description = text("summary", summary, warnings).map(Into::into);
    }
    if meta.date.is_none() {
        // Left in `extra` as well: they are the post's own keys, only borrowed here.
        meta.date = DATE_FALLBACKS.iter().find_map(|key| {
            let value = fields.get(*key)?.clone();
            date(key, value, warnings)
        });
    }
    if meta.date.is_none() {
        // A page that says only when it was last changed is dated by that.
        meta.date = meta.lastmod.clone();
    }
    meta.extra = fields.into_iter().collect();
    meta
}

/// What a value is, for warnings: "expected text, found a list".
fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "nothing",
        Value::Bool(_) => "true/false",
        Value::Number(_) => "a number",
        Value::String(_) => "text",
        Value::Array(_) => "a list",
        Value::Object(_) => "a mapping",
    }
}

/// A scalar as text: numbers and booleans are written out (`title: 2024` is a title).
fn scalar(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// [`scalar`] of a value that is no longer needed: its text is moved, not copied. What
/// is not a scalar comes back as it was.
fn into_scalar(value: Value) -> Result<String, Value> {
    match value {
        Value::String(s) => Ok(s),
        other => scalar(&other).ok_or(other),
    }
}

/// A single text field; blank counts as absent so the title fallbacks still apply.
fn text(key: &str, value: Value, warnings: &mut Findings<'_>) -> Option<String> {
    if value.is_null() {
        return None;
    }
    match into_scalar(value) {
        Ok(s) if s.trim().is_empty() => None,
        Ok(s) => Some(s),
        Err(value) => {
            warnings.report(
                Code::BadField,
                key,
                format!("{key}: expected text, found {}; ignored", kind(&value)),
            );
            None
        }
    }
}

/// A list of names. A lone string is a one-element list: `tags: "a, b"` is one tag named
/// "a, b", as Hugo sees it. Nulls are skipped, other scalars written out.
fn list(key: &str, value: Value, warnings: &mut Findings<'_>) -> Vec<String> {
    let items = match value {
        Value::Array(items) => items,
        Value::Null => return Vec::new(),
        other => vec![other],
    };
    let mut out = Vec::new();
    let mut skipped = 0;
    for item in items {
        match item {
            Value::Null => {}
            // `author: {name: ...}` is a common theme convention.
            Value::Object(ref map) if map.get("name").and_then(scalar).is_some() => {
                out.extend(map.get("name").and_then(scalar));
            }
            other => match into_scalar(other) {
                Ok(s) if s.trim().is_empty() => {}
                // Moved when there is nothing to trim, as nearly always.
                Ok(s) if s.trim().len() == s.len() => out.push(s),
                Ok(s) => out.push(s.trim().to_owned()),
                Err(_) => skipped += 1,
            },
        }
    }
    if skipped > 0 {
        warnings.report(
            Code::BadField,
            key,
            format!(
                "{key}: {skipped} entr{} not text (a list or mapping); ignored",
                if skipped == 1 { "y is" } else { "ies are" }
            ),
        );
    }
    out
}

fn date(key: &str, value: Value, warnings: &mut Findings<'_>) -> Option<PostDate> {
    if value.is_null() {
        return None;
    }
    let raw = match into_scalar(value) {
        Ok(raw) => raw,
        Err(value) => {
            warnings.report(
                Code::BadDate,
                key,
                format!("{key}: expected a date, found {}; ignored", kind(&value)),
            );
            return None;
        }
    };
    if raw.trim().is_empty() {
        return None;
    }
    let parsed = PostDate::parse(&raw);
    if parsed.is_none() {
        let shown: String = raw.chars().take(40).collect();
        warnings.report(
            Code::BadDate,
            key,
            format!("{key}: cannot read {shown:?} as a date; ignored"),
        );
    }
    parsed
}

/// A boolean, also from the text `"true"`/`"false"` (and `yes`/`no`, which YAML 1.1
/// tools still write).
fn flag(key: &str, value: Value, warnings: &mut Findings<'_>) -> bool {
    match &value {
        Value::Bool(b) => *b,
        Value::Null => false,
        Value::String(s) => match s.trim().to_ascii_lowercase().as_str() {
            "true" | "yes" | "on" => true,
            "false" | "no" | "off" | "" => false,
            _ => {
                warnings.report(
                    Code::BadField,
                    key,
                    format!("{key}: expected true or false, found {s:?}; ignored"),
                );
                false
            }
        },
        other => {
            warnings.report(
                Code::BadField,
                key,
                format!(
                    "{key}: expected true or false, found {}; ignored",
                    kind(other)
                ),
            );
            false
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn meta(value: Value) -> (Meta, Vec<String>) {
        let mut warnings = Findings::new("", 1);
        let Value::Object(map) = value else {
            panic!("test input must be an object")
        };
        let meta = extract(map, &mut warnings);
        (meta, warnings.into_messages())
    }

    #[test]
    fn keys_are_case_insensitive() {
        let (m, w) = meta(json!({"Title": "T", "TAGS": ["a"], "Draft": true}));
        assert_eq!(m.title.as_deref(), Some("T"));
        assert_eq!(m.tags, ["a"]);
        assert!(m.draft);
        assert!(w.is_empty());
    }

    #[test]
    fn wrong_types_warn_and_skip_only_that_field() {
        let (m, w) = meta(json!({"title": ["x"], "draft": "maybe", "slug": "s", "date": {"a": 1}}));
        assert_eq!(m.title, None);
        assert!(!m.draft);
        assert_eq!(m.date, None);
        assert_eq!(m.slug.as_deref(), Some("s"));
        assert_eq!(w.len(), 3, "{w:?}");
        assert!(w.iter().any(|w| w.starts_with("title:")));
    }

    #[test]
    fn nested_list_entries_are_reported() {
        let (m, w) = meta(json!({"tags": ["a", ["b"], {"c": 1}, "d"]}));
        assert_eq!(m.tags, ["a", "d"]);
        assert_eq!(
            w,
            ["tags: 2 entries are not text (a list or mapping); ignored"]
        );
    }

    #[test]
    fn list_entries_are_trimmed_and_blank_ones_dropped() {
        let (m, w) = meta(json!({"tags": [" rust ", "", "   ", "go", 7, null, true]}));
        assert_eq!(m.tags, ["rust", "go", "7", "true"]);
        assert!(w.is_empty(), "{w:?}");
        let (m, _) = meta(json!({"tags": "  one tag  ", "categories": "  "}));
        assert_eq!(m.tags, ["one tag"]);
        assert!(m.categories.is_empty());
    }

    #[test]
    fn keys_already_lowercase_and_mixed_ones_give_the_same_meta() {
        let (lower, _) = meta(json!({"title": "T", "date": "2024-01-02", "tags": ["a"], "x": 1}));
        let (mixed, _) = meta(json!({"Title": "T", "DATE": "2024-01-02", "Tags": ["a"], "X": 1}));
        assert_eq!(lower, mixed);
        // Two spellings of one key: the later one (in the mapping's order) wins.
        let (m, _) = meta(json!({"TITLE": "first", "title": "second"}));
        assert_eq!(m.title.as_deref(), Some("second"));
    }

    #[test]
    fn author_objects_with_a_name_count() {
        let (m, _) = meta(json!({"author": {"name": "甲"}, "authors": ["乙", "甲"]}));
        assert_eq!(m.authors, ["甲", "乙"]);
    }

    #[test]
    fn lastmod_dates_an_undated_post_and_covers_are_images() {
        let (m, _) = meta(json!({"lastmod": "2024-03-05", "cover": {"image": "c.png"}}));
        assert_eq!(m.date.map(|d| d.ymd()).as_deref(), Some("2024-03-05"));
        assert_eq!(m.image.as_deref(), Some("c.png"));
        let (m, _) = meta(json!({"images": ["a.png", "b.png"], "featured_image": "f.png"}));
        assert_eq!(m.image.as_deref(), Some("a.png"));
        let (m, _) =
            meta(json!({"featuredImage": "f.png", "date": "2020-01-01", "lastmod": "2021-01-01"}));
        assert_eq!(m.image.as_deref(), Some("f.png"));
        assert_eq!(m.date.map(|d| d.ymd()).as_deref(), Some("2020-01-01"));
    }

    #[test]
    fn publish_date_stands_in_for_date() {
        let (m, _) = meta(json!({"publishDate": "2020-01-02"}));
        assert_eq!(m.date.map(|d| d.ymd()).as_deref(), Some("2020-01-02"));
        assert!(m.extra.contains_key("publishdate"));
    }
}

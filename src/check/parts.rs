//! A post's analysis in the two parts a check of a whole collection uses differently:
//! [`Facts`], what the checks across posts compare (titles, slugs, tags, headings), held
//! for every post at once, and [`Own`], what only the post's own problems need (its
//! links, its problems found alone), read one post at a time. The TUI keeps both in the
//! index cache; on 100,000 generated posts the links alone were half of an analysis, so
//! a check that holds only the facts of every post holds half as much.

use serde::{Deserialize, Serialize};

use super::post::{Analysis, Reference};
use super::shortcodes::RefTarget;
use crate::diagnostic::{Code, Diagnostic};
use crate::library::post::PostDate;

/// What the checks across posts compare of a post.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Facts {
    pub title: Option<String>,
    pub slug: Option<String>,
    pub tags: Vec<String>,
    /// Where each tag is written (line, column).
    pub tag_places: Vec<(usize, Option<usize>)>,
    pub slug_line: Option<usize>,
    pub title_line: Option<usize>,
    /// The anchors of its headings, as Hugo makes them.
    pub anchors: Vec<String>,
}

/// What only a post's own problems need.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Own {
    pub diagnostics: Vec<Diagnostic>,
    pub references: Vec<Reference>,
    pub refs: Vec<RefTarget>,
    pub draft: Option<DraftDate>,
}

/// [`Own`], borrowed from wherever it is.
#[derive(Debug, Clone, Copy, Default)]
pub struct OwnRef<'a> {
    pub diagnostics: &'a [Diagnostic],
    pub references: &'a [Reference],
    pub refs: &'a [RefTarget],
    pub draft: Option<&'a DraftDate>,
}

/// A draft's date, as written, and the line of its `draft` key: whether it has passed
/// is asked when the problems are gathered, so an analysis kept holds on any day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DraftDate {
    /// [`PostDate::sort_key`].
    pub seconds: i64,
    pub ymd: String,
    pub line: Option<usize>,
}

impl Analysis {
    /// The two parts; the text is let go.
    pub fn into_parts(self) -> (Facts, Own) {
        let facts = Facts {
            title: self.title,
            slug: self.slug,
            tags: self.tags,
            tag_places: self.tag_places,
            slug_line: self.slug_line,
            title_line: self.title_line,
            anchors: self.anchors,
        };
        let own = Own {
            diagnostics: self.diagnostics,
            references: self.references,
            refs: self.refs,
            draft: self.draft,
        };
        (facts, own)
    }

    /// An analysis from its parts, without its text.
    pub fn from_parts(facts: Facts, own: Own) -> Analysis {
        Analysis {
            text: String::new(),
            title: facts.title,
            slug: facts.slug,
            tags: facts.tags,
            tag_places: facts.tag_places,
            slug_line: facts.slug_line,
            title_line: facts.title_line,
            anchors: facts.anchors,
            diagnostics: own.diagnostics,
            references: own.references,
            refs: own.refs,
            draft: own.draft,
        }
    }

    pub fn own(&self) -> OwnRef<'_> {
        OwnRef {
            diagnostics: &self.diagnostics,
            references: &self.references,
            refs: &self.refs,
            draft: self.draft.as_ref(),
        }
    }
}

impl Own {
    pub fn borrowed(&self) -> OwnRef<'_> {
        OwnRef {
            diagnostics: &self.diagnostics,
            references: &self.references,
            refs: &self.refs,
            draft: self.draft.as_ref(),
        }
    }
}

impl OwnRef<'_> {
    /// `draft-past-date`: a draft whose date is before `today`, probably meant to be
    /// published.
    pub fn draft_problem(&self, today: Option<&PostDate>) -> Option<Diagnostic> {
        let draft = self.draft?;
        if draft.seconds >= today?.sort_key() {
            return None;
        }
        Some(
            Diagnostic::new(
                Code::DraftPastDate,
                format!(
                    "draft with a date that has passed ({}); not published",
                    draft.ymd
                ),
            )
            .at(draft.line, Some(1))
            .with_help("remove `draft: true` to publish it"),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::post::analyse;

    #[test]
    fn the_parts_make_the_analysis_again_and_survive_being_stored() {
        let text = "---\ntitle: T\nslug: s\ntags: [a, B]\ndate: 2020-01-01\ndraft: true\n---\n# Head\n\nSee [x](x.md#y) and {{< ref \"z\" >}}.\n\u{7}\n";
        let analysis = analyse(text.as_bytes(), false);
        assert!(!analysis.references.is_empty() && analysis.draft.is_some());
        let (facts, own) = analysis.clone().into_parts();
        let facts: Facts =
            serde_json::from_str(&serde_json::to_string(&facts).expect("json")).expect("facts");
        let own: Own =
            serde_json::from_str(&serde_json::to_string(&own).expect("json")).expect("own");
        let again = Analysis::from_parts(facts, own);
        assert_eq!(
            format!("{again:?}"),
            format!(
                "{:?}",
                Analysis {
                    text: String::new(),
                    ..analysis
                }
            )
        );
    }
}

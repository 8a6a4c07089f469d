//! A post's analysis in the two parts a check of a whole collection uses differently:
//! [`Facts`] ([`super::facts`]), what the checks across posts compare (titles, slugs,
//! tags, headings), held for every post at once, and [`Own`], what only the post's own
//! problems need (its links, its problems found alone), read one post at a time. The
//! TUI keeps both in the index cache; on 100,000 generated posts the links alone were
//! half of an analysis, so a check that holds only the facts of every post holds half
//! as much.

use serde::{Deserialize, Serialize};

pub use super::facts::Facts;
use super::post::{Analysis, Reference};
use super::shortcodes::RefTarget;
use crate::diagnostic::{Code, Diagnostic};
use crate::library::post::PostDate;

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
        let facts = self.facts();
        let own = Own {
            diagnostics: self.diagnostics,
            references: self.references,
            refs: self.refs,
            draft: self.draft,
        };
        (facts, own)
    }

    /// What the checks across posts compare of it.
    pub fn facts(&self) -> Facts {
        Facts::new(
            self.title.as_deref(),
            self.slug.as_deref(),
            self.title_line,
            self.slug_line,
            &self.tags,
            &self.tag_places,
            &self.anchors,
        )
    }

    /// An analysis from its parts, without its text.
    pub fn from_parts(facts: Facts, own: Own) -> Analysis {
        let (tags, tag_places) = facts
            .tags()
            .map(|(tag, place)| (tag.to_string(), place))
            .unzip();
        Analysis {
            text: String::new(),
            title: facts.title().map(str::to_string),
            slug: facts.slug().map(str::to_string),
            tags,
            tag_places,
            slug_line: facts.slug_line(),
            title_line: facts.title_line(),
            anchors: facts.anchors().map(str::to_string).collect(),
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
        let facts = Facts::from_bytes(facts.as_bytes()).expect("facts");
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

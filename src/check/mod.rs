//! `folio check`'s findings: each post read on its own ([`post`]), then what only the
//! whole collection shows (links into other posts, duplicate slugs and titles, tags
//! spelled two ways: [`across`]). Pure but for one question put to the disk, whether a
//! linked file exists, which the caller answers; the command (`commands::check`) finds
//! the files, reads them and prints.

pub mod across;
mod bytes;
pub mod facts;
pub mod packed;
pub mod parts;
pub mod post;
pub mod shortcodes;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use crate::diagnostic::{Code, Diagnostic, Severity};
use crate::library::post::PostDate;

/// A file to check: the path it is shown by (and links are resolved from), the folder of
/// the collection it belongs to, and its bytes.
#[derive(Debug, Clone)]
pub struct Input {
    pub path: PathBuf,
    /// Shared by all the files of a collection.
    pub root: Arc<Path>,
    pub bytes: Vec<u8>,
}

/// A file after checking: what it was, as text for showing its lines.
#[derive(Debug, Clone)]
pub struct Checked {
    pub path: PathBuf,
    pub root: Arc<Path>,
    pub analysis: post::Analysis,
}

/// A file as the checks across files know it: where it is, and its [`parts::Facts`].
#[derive(Debug, Clone)]
pub struct Known {
    pub path: PathBuf,
    pub root: Arc<Path>,
    pub facts: parts::Facts,
}

/// Today, as a date a post's can be compared with (`draft-past-date`).
pub fn today() -> Option<PostDate> {
    PostDate::parse(&chrono::Local::now().format("%Y-%m-%d").to_string())
}

impl Checked {
    /// What the checks across files know of it.
    pub fn known(&self) -> Known {
        let analysis = &self.analysis;
        Known {
            path: self.path.clone(),
            root: Arc::clone(&self.root),
            facts: analysis.facts(),
        }
    }

    /// [`Checked::known`] and the file's own part, taking them apart rather than
    /// copying.
    pub fn known_without_text(self) -> (Known, parts::Own) {
        let (facts, own) = self.analysis.into_parts();
        let known = Known {
            path: self.path,
            root: self.root,
            facts,
        };
        (known, own)
    }

    /// Drops what only showing the file's lines needs, and what the checks across
    /// files do not read (the text, web links), for
    /// keeping an analysis between checks of a large collection.
    pub fn slim(&mut self) {
        let analysis = &mut self.analysis;
        analysis.text = String::new();
        analysis.tags.shrink_to_fit();
        analysis.tag_places.shrink_to_fit();
        analysis.references.retain(across::followed);
        analysis.references.shrink_to_fit();
        analysis.anchors.shrink_to_fit();
        analysis.diagnostics.shrink_to_fit();
    }
}

/// Which codes to report: `--only` (none: all) less `--skip`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Selection {
    pub only: BTreeSet<Code>,
    pub skip: BTreeSet<Code>,
}

impl Selection {
    pub fn wants(&self, code: Code) -> bool {
        (self.only.is_empty() || self.only.contains(&code)) && !self.skip.contains(&code)
    }
}

/// The config's `check:` section: a severity of its own for a check, or `None` to
/// turn it off. What it does not name keeps [`Code::default_severity`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Policy {
    pub levels: BTreeMap<Code, Option<Severity>>,
}

impl Policy {
    /// The severity a problem of `code` is reported at; `None`: not reported.
    pub fn severity(&self, code: Code) -> Option<Severity> {
        self.levels
            .get(&code)
            .copied()
            .unwrap_or(Some(code.default_severity()))
    }

    /// Drops what is turned off and sets each problem's severity as configured.
    pub fn apply(&self, diagnostics: &mut Vec<Diagnostic>) {
        diagnostics.retain_mut(|d| match self.severity(d.code) {
            Some(severity) => {
                d.severity = severity;
                true
            }
            None => false,
        });
    }
}

/// Checks every file, alone and together; `exists` says whether a path (a linked file
/// that is not one of the inputs) is on disk. Returns the files and their problems,
/// sorted by path, line and column.
pub fn check(
    inputs: Vec<Input>,
    today: Option<&PostDate>,
    exists: &(dyn Fn(&Path) -> bool + Sync),
    selection: &Selection,
    policy: &Policy,
) -> (Vec<Checked>, Vec<Diagnostic>) {
    let mut checked: Vec<Checked> = inputs.into_par_iter().map(analyse).collect();
    checked.sort_by(|a, b| a.path.cmp(&b.path));
    checked.dedup_by(|a, b| a.path == b.path);
    let diagnostics = findings(&checked, today, exists, selection, policy);
    (checked, diagnostics)
}

/// One file read on its own (what does not depend on the others).
pub fn analyse(input: Input) -> Checked {
    Checked {
        analysis: post::analyse_owned(
            input.bytes,
            crate::library::rules::is_section_name(&input.path),
        ),
        path: input.path,
        root: input.root,
    }
}

/// The problems of files analysed already ([`analyse`]), alone and together, as the
/// policy has them, sorted; `today` decides which drafts' dates have passed.
pub fn findings(
    checked: &[Checked],
    today: Option<&PostDate>,
    exists: &(dyn Fn(&Path) -> bool + Sync),
    selection: &Selection,
    policy: &Policy,
) -> Vec<Diagnostic> {
    let mut diagnostics: Vec<Diagnostic> = findings_by_file(checked, today, exists, policy)
        .into_iter()
        .zip(checked)
        .flat_map(|(problems, file)| problems.into_iter().map(|d| d.in_file(&file.path)))
        .filter(|d| selection.wants(d.code))
        .collect();
    sort(&mut diagnostics);
    diagnostics
}

/// [`findings`] grouped by file, in the order of `checked`, each file's problems
/// without their path (the file says it) and sorted as [`sort`] does.
pub fn findings_by_file(
    checked: &[Checked],
    today: Option<&PostDate>,
    exists: &(dyn Fn(&Path) -> bool + Sync),
    policy: &Policy,
) -> Vec<Vec<Diagnostic>> {
    let known: Vec<Known> = checked.iter().map(Checked::known).collect();
    let collection = Collection::new(&known, across::Naming::AsGiven, today, exists, policy);
    checked
        .par_iter()
        .enumerate()
        .map(|(at, file)| collection.problems(at, file.analysis.own()))
        .collect()
}

/// A collection of files being checked: what is known of each file, and the problems
/// only all of them together show that are few (duplicates, tags spelled two ways),
/// found at once. A file's problems are then made one file at a time
/// ([`Collection::problems`], from its [`parts::Own`]), so a large collection's are
/// never all in memory at once, nor all its files' links.
pub struct Collection<'a> {
    known: &'a [Known],
    targets: across::Targets<'a>,
    /// By file, in the order of `known`.
    shared: Vec<Vec<Diagnostic>>,
    today: Option<&'a PostDate>,
    exists: &'a (dyn Fn(&Path) -> bool + Sync),
    policy: &'a Policy,
}

impl<'a> Collection<'a> {
    /// `known` in the order the files are reported in (by path, for `folio check`): the
    /// first of two posts with one slug is the one the second is told about. `naming`
    /// says how a problem names another post.
    pub fn new(
        known: &'a [Known],
        naming: across::Naming,
        today: Option<&'a PostDate>,
        exists: &'a (dyn Fn(&Path) -> bool + Sync),
        policy: &'a Policy,
    ) -> Collection<'a> {
        let mut shared: Vec<Vec<Diagnostic>> = vec![Vec::new(); known.len()];
        let index: std::collections::HashMap<&Path, usize> = known
            .iter()
            .enumerate()
            .map(|(at, file)| (file.path.as_path(), at))
            .collect();
        for mut diagnostic in across::duplicates(known, naming)
            .into_iter()
            .chain(across::tags(known))
        {
            if let Some(&at) = index.get(diagnostic.path.as_path()) {
                diagnostic.path = PathBuf::new();
                shared[at].push(diagnostic);
            }
        }
        Collection {
            known,
            targets: across::Targets::new(known, naming),
            shared,
            today,
            exists,
            policy,
        }
    }

    /// The problems of the file at `at` in `known`, as the policy has them, sorted;
    /// `own` is its own part.
    pub fn problems(&self, at: usize, own: parts::OwnRef<'_>) -> Vec<Diagnostic> {
        let Some(file) = self.known.get(at) else {
            return Vec::new();
        };
        let mut problems = self.shared.get(at).cloned().unwrap_or_default();
        problems.extend(own.diagnostics.iter().cloned());
        problems.extend(own.draft_problem(self.today));
        problems.extend(across::links(
            file,
            own.references,
            &self.targets,
            self.exists,
        ));
        problems.extend(across::refs(file, own.refs, &self.targets));
        self.policy.apply(&mut problems);
        sort(&mut problems);
        problems.shrink_to_fit();
        problems
    }
}

/// Path, then line (a whole-file problem first), then column, then code: the same
/// report for the same files, whatever order they were read in.
pub fn sort(diagnostics: &mut [Diagnostic]) {
    diagnostics.sort_by(|a, b| {
        (&a.path, a.line, a.column, a.code, &a.message)
            .cmp(&(&b.path, b.line, b.column, b.code, &b.message))
    });
}

/// How many of each severity.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
}

impl Counts {
    pub fn of(diagnostics: &[Diagnostic]) -> Counts {
        let mut counts = Counts::default();
        for d in diagnostics {
            match d.severity {
                Severity::Error => counts.errors += 1,
                Severity::Warning => counts.warnings += 1,
                Severity::Info => counts.infos += 1,
            }
        }
        counts
    }
}

//! A post's problems packed into a few bytes, for keeping those of a whole collection
//! between checks. The reader holds every post's problems for its badges and its `!`
//! list; a generated collection of 100,000 posts has 350,000 of them, which as
//! [`Diagnostic`]s (a struct of 112 bytes, two strings each) took about 90 MB. Packed,
//! a problem is its code and severity (a byte each), its place (two varints), its
//! message, and its help as a number: the helps are a handful of sentences said over
//! and over, kept once on the [`Shelf`] that holds the problems of the whole check.
//!
//! In memory only, made and read by the same folio: a packing that does not read back
//! (it cannot happen) gives the problems read so far.

use std::collections::HashMap;

use super::bytes::{Reader, put_place, put_text, put_varint};
use crate::diagnostic::{Code, Diagnostic, Severity};

/// Where one post's problems are in their [`Shelf`] (without their path: the post
/// says it).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Packed {
    start: usize,
    len: usize,
}

/// The problems of one check, packed one post after another into one block, and the
/// helps they refer to by number (0 is none, `n` is `helps[n - 1]`). One block, not one
/// allocation a post: made beside the check's passing data, 70,000 small blocks kept
/// the pages around them resident once the check was over.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Shelf {
    bytes: Box<[u8]>,
    helps: Vec<Box<str>>,
}

/// Packs the problems of one check onto a shelf, gathering their helps.
#[derive(Debug, Default)]
pub struct Packer {
    bytes: Vec<u8>,
    helps: Vec<Box<str>>,
    numbers: HashMap<Box<str>, u64>,
}

const SEVERITIES: [Severity; 3] = [Severity::Info, Severity::Warning, Severity::Error];

impl Packer {
    pub fn pack(&mut self, problems: &[Diagnostic]) -> Packed {
        let start = self.bytes.len();
        let out = &mut self.bytes;
        for problem in problems {
            let code = Code::ALL.iter().position(|c| *c == problem.code);
            let severity = SEVERITIES.iter().position(|s| *s == problem.severity);
            // Every code and severity is in its list; a byte each.
            out.push(code.and_then(|c| u8::try_from(c).ok()).unwrap_or(u8::MAX));
            out.push(
                severity
                    .and_then(|s| u8::try_from(s).ok())
                    .unwrap_or(u8::MAX),
            );
            put_place(out, problem.line);
            put_place(out, problem.column);
            put_text(out, &problem.message);
            let help = match problem.help.as_deref() {
                None => 0,
                Some(help) => match self.numbers.get(help) {
                    Some(&number) => number,
                    None => {
                        self.helps.push(help.into());
                        let number = self.helps.len() as u64;
                        self.numbers.insert(help.into(), number);
                        number
                    }
                },
            };
            put_varint(out, help);
        }
        Packed {
            start,
            len: self.bytes.len() - start,
        }
    }

    /// The shelf the packed problems are on.
    pub fn finish(self) -> Shelf {
        Shelf {
            bytes: self.bytes.into_boxed_slice(),
            helps: self.helps,
        }
    }
}

impl Packed {
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }
}

impl Shelf {
    /// One post's problems, as they were packed (a `packed` of another shelf gives
    /// what it finds there, whole problems only).
    pub fn unpack(&self, packed: Packed) -> Vec<Diagnostic> {
        let bytes = packed
            .start
            .checked_add(packed.len)
            .and_then(|end| self.bytes.get(packed.start..end))
            .unwrap_or_default();
        let mut problems = Vec::new();
        let mut reader = Reader(bytes);
        while !reader.is_empty() {
            match reader.problem(&self.helps) {
                Some(problem) => problems.push(problem),
                None => break,
            }
        }
        problems
    }
}

impl Reader<'_> {
    fn problem(&mut self, helps: &[Box<str>]) -> Option<Diagnostic> {
        let code = *Code::ALL.get(usize::from(self.byte()?))?;
        let severity = *SEVERITIES.get(usize::from(self.byte()?))?;
        let line = self.place()?;
        let column = self.place()?;
        let message = self.text()?.to_string();
        let help = match self.varint()? {
            0 => None,
            n => Some(helps.get(usize::try_from(n - 1).ok()?)?.to_string()),
        };
        let mut problem = Diagnostic::new(code, message).at(line, column);
        problem.severity = severity;
        problem.help = help;
        Some(problem)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn problem(
        code: Code,
        line: Option<usize>,
        column: Option<usize>,
        help: Option<&str>,
    ) -> Diagnostic {
        let mut problem = Diagnostic::new(code, format!("{code} at {line:?}")).at(line, column);
        problem.help = help.map(str::to_string);
        problem
    }

    #[test]
    fn problems_come_back_as_they_were_packed_and_helps_are_kept_once() {
        let mut packer = Packer::default();
        let mut raised = problem(Code::DraftPastDate, None, None, None);
        raised.severity = Severity::Error;
        let first = vec![
            problem(Code::BrokenLink, Some(12), Some(5), Some("check the path")),
            problem(Code::MissingTitle, Some(1), None, Some("add `title:`")),
            raised,
            problem(
                Code::Encoding,
                Some(usize::MAX - 1),
                Some(300),
                Some("中文 help"),
            ),
        ];
        let second = vec![problem(
            Code::BrokenLink,
            Some(1),
            Some(1),
            Some("check the path"),
        )];
        let (a, b) = (packer.pack(&first), packer.pack(&second));
        let nothing = packer.pack(&[]);
        let shelf = packer.finish();
        assert_eq!(shelf.helps.len(), 3);
        assert_eq!(shelf.unpack(a), first);
        assert_eq!(shelf.unpack(b), second);
        assert!(nothing.is_empty() && shelf.unpack(nothing).is_empty());
    }

    #[test]
    fn a_packing_cut_short_gives_the_whole_problems_before_the_cut() {
        let mut packer = Packer::default();
        let problems = vec![
            problem(Code::BrokenLink, Some(3), Some(4), Some("h")),
            problem(Code::TagCase, Some(300), None, None),
        ];
        let before = packer.pack(&problems[..1]);
        let packed = packer.pack(&problems);
        let shelf = packer.finish();
        assert_eq!(shelf.unpack(before), problems[..1]);
        for cut in 0..packed.len {
            let short = Packed { len: cut, ..packed };
            let back = shelf.unpack(short);
            assert!(back.len() < problems.len(), "cut at {cut}");
            assert_eq!(back, problems[..back.len()]);
        }
    }

    proptest! {
        #[test]
        fn any_problems_round_trip(
            found in proptest::collection::vec(
                (0..Code::ALL.len(), 0..3usize, any::<Option<usize>>(), any::<Option<usize>>(),
                 ".{0,20}", proptest::option::of("[a-c]{0,2}")),
                0..8,
            )
        ) {
            let problems: Vec<Diagnostic> = found
                .into_iter()
                .map(|(code, severity, line, column, message, help)| {
                    let mut problem = Diagnostic::new(Code::ALL[code], message)
                        .at(line.map(|l| l.min(usize::MAX - 1)), column.map(|c| c.min(usize::MAX - 1)));
                    problem.severity = SEVERITIES[severity];
                    problem.help = help;
                    problem
                })
                .collect();
            let mut packer = Packer::default();
            let packed = packer.pack(&problems);
            prop_assert_eq!(packer.finish().unpack(packed), problems);
        }
    }
}

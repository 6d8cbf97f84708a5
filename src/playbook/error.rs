//! What validation reports: errors (each with a hint saying what to write instead) and
//! warnings, all pointing at `file:line:column`.

use crate::text::line;
use std::fmt;

/// A position in a playbook. `line` and `column` are 1-based; 0 means "the whole file" (used
/// when the file cannot be read at all).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Location {
    pub file: String,
    pub line: u64,
    pub column: u64,
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The path is the user's: it may hold anything a file name can.
        let file = line(&self.file);
        if self.line == 0 {
            write!(f, "{file}")
        } else {
            write!(f, "{file}:{}:{}", self.line, self.column)
        }
    }
}

/// One thing wrong with a playbook.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    pub location: Location,
    /// What is wrong, lowercase.
    pub message: String,
    /// What to write instead.
    pub hint: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: error: {}\n  hint: {}",
            self.location, self.message, self.hint
        )
    }
}

/// A playbook that cannot be used: one or more problems, in file order.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{}", render(&self.problems))]
pub struct PlaybookError {
    pub problems: Vec<Problem>,
}

impl PlaybookError {
    pub fn problems(&self) -> &[Problem] {
        &self.problems
    }
}

fn render(problems: &[Problem]) -> String {
    let lines: Vec<String> = problems.iter().map(Problem::to_string).collect();
    lines.join("\n")
}

/// Something valid but probably not what was meant.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Warning {
    pub location: Location,
    pub message: String,
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: warning: {}", self.location, self.message)
    }
}

/// A line and column in the file being validated (1-based).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Pos {
    pub line: u64,
    pub column: u64,
}

impl Pos {
    pub const START: Pos = Pos { line: 1, column: 1 };
}

impl<T> From<&serde_saphyr::Spanned<T>> for Pos {
    fn from(s: &serde_saphyr::Spanned<T>) -> Pos {
        let (line, column) = (s.referenced.line(), s.referenced.column());
        if line == 0 {
            Pos::START
        } else {
            Pos { line, column }
        }
    }
}

/// A value rejected by a helper, before it is given a position.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Bad {
    pub message: String,
    pub hint: String,
}

impl Bad {
    pub fn new(message: impl Into<String>, hint: impl Into<String>) -> Bad {
        Bad {
            message: message.into(),
            hint: hint.into(),
        }
    }
}

/// Collects every problem and warning of one validation pass.
pub(crate) struct Diag {
    file: String,
    problems: Vec<(Pos, Problem)>,
    warnings: Vec<(Pos, Warning)>,
}

impl Diag {
    pub fn new(file: &str) -> Diag {
        Diag {
            file: file.to_string(),
            problems: Vec::new(),
            warnings: Vec::new(),
        }
    }

    fn location(&self, at: Pos) -> Location {
        Location {
            file: self.file.clone(),
            line: at.line,
            column: at.column,
        }
    }

    pub fn error(
        &mut self,
        at: impl Into<Pos>,
        message: impl Into<String>,
        hint: impl Into<String>,
    ) {
        let at = at.into();
        // Values echoed from junk input: one line that cannot garble a terminal or the log.
        let problem = Problem {
            location: self.location(at),
            message: line(&message.into()),
            hint: line(&hint.into()),
        };
        self.problems.push((at, problem));
    }

    pub fn bad(&mut self, at: impl Into<Pos>, bad: Bad) {
        self.error(at, bad.message, bad.hint);
    }

    /// The value of `result`, or `None` after recording its problem at `at`.
    pub fn check<T>(&mut self, at: impl Into<Pos>, result: Result<T, Bad>) -> Option<T> {
        match result {
            Ok(value) => Some(value),
            Err(bad) => {
                self.bad(at, bad);
                None
            }
        }
    }

    pub fn warn(&mut self, at: impl Into<Pos>, message: impl Into<String>) {
        let at = at.into();
        let warning = Warning {
            location: self.location(at),
            message: line(&message.into()),
        };
        self.warnings.push((at, warning));
    }

    /// How many errors so far: compare before and after a section to see if it added any.
    pub fn error_count(&self) -> usize {
        self.problems.len()
    }

    /// The problems in file order, or the warnings in file order when there are none.
    pub fn finish(mut self) -> Result<Vec<Warning>, PlaybookError> {
        if self.problems.is_empty() {
            self.warnings.sort_by_key(|(at, _)| *at);
            Ok(self.warnings.into_iter().map(|(_, w)| w).collect())
        } else {
            self.problems.sort_by_key(|(at, _)| *at);
            Err(PlaybookError {
                problems: self.problems.into_iter().map(|(_, p)| p).collect(),
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn problems_render_with_location_and_hint() {
        let mut d = Diag::new("pb.yaml");
        d.error(Pos { line: 7, column: 3 }, "second", "fix b");
        d.error(Pos { line: 2, column: 9 }, "first", "fix a");
        let err = d.finish().unwrap_err();
        assert_eq!(
            err.to_string(),
            "pb.yaml:2:9: error: first\n  hint: fix a\npb.yaml:7:3: error: second\n  hint: fix b"
        );
    }

    #[test]
    fn warnings_render_and_do_not_fail() {
        let mut d = Diag::new("pb.yaml");
        d.warn(Pos { line: 4, column: 1 }, "careful");
        let warnings = d.finish().unwrap();
        assert_eq!(warnings[0].to_string(), "pb.yaml:4:1: warning: careful");
    }

    #[test]
    fn unknown_position_renders_the_file_alone() {
        let p = Problem {
            location: Location {
                file: "x.yaml".into(),
                line: 0,
                column: 0,
            },
            message: "cannot read".into(),
            hint: "check the path".into(),
        };
        assert_eq!(
            p.to_string(),
            "x.yaml: error: cannot read\n  hint: check the path"
        );
    }
}

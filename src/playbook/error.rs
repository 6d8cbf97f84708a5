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

/// A playbook that cannot be used: one or more problems, in file order, each shown with its
/// source line and a caret under the column once [`PlaybookError::with_source`] gave the text.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{}", render(&self.problems, &self.lines))]
pub struct PlaybookError {
    pub problems: Vec<Problem>,
    /// The playbook's lines, when known (for the snippets).
    pub lines: Vec<String>,
}

impl PlaybookError {
    /// `problems` without the source's lines.
    pub fn of(problems: Vec<Problem>) -> PlaybookError {
        PlaybookError {
            problems,
            lines: Vec::new(),
        }
    }

    pub fn problems(&self) -> &[Problem] {
        &self.problems
    }

    /// The same problems, shown with the lines of `source` they point at.
    pub fn with_source(mut self, source: &str) -> PlaybookError {
        self.lines = source.lines().map(str::to_string).collect();
        self
    }
}

/// The most characters of a source line shown in a snippet.
const SNIPPET_WIDTH: usize = 120;

fn render(problems: &[Problem], lines: &[String]) -> String {
    let shown: Vec<String> = problems
        .iter()
        .map(|problem| match snippet(problem, lines) {
            Some(snippet) => {
                let text = problem.to_string();
                match text.split_once("\n") {
                    Some((head, hint)) => format!("{head}\n{snippet}\n{hint}"),
                    None => format!("{text}\n{snippet}"),
                }
            }
            None => problem.to_string(),
        })
        .collect();
    shown.join("\n")
}

/// "   2 | steps: 3\n     |        ^" for a problem at line 2, column 8.
fn snippet(problem: &Problem, lines: &[String]) -> Option<String> {
    let at = &problem.location;
    let number = usize::try_from(at.line).ok()?.checked_sub(1)?;
    let source = lines.get(number)?;
    // The user's text, column for column: a tab as a space, any character a terminal or the
    // Actions log would act on as a replacement character; cut around the column.
    let chars: Vec<char> = source
        .chars()
        .map(|c| match c {
            '\t' => ' ',
            c if crate::text::line::is_escaped(c) || matches!(c, '\u{2028}' | '\u{2029}') => {
                '\u{fffd}'
            }
            c => c,
        })
        .collect();
    let column = usize::try_from(at.column).unwrap_or(1).max(1) - 1;
    let start = column.saturating_sub(SNIPPET_WIDTH / 2);
    let end = (start + SNIPPET_WIDTH).min(chars.len());
    let start = start.min(end);
    let shown: String = chars[start..end]
        .iter()
        .collect::<String>()
        .replace("##[", "#\u{fffd}[");
    let caret = column.saturating_sub(start).min(shown.chars().count());
    let gutter = at.line.to_string();
    Some(format!(
        "  {gutter} | {shown}\n  {} | {}^",
        " ".repeat(gutter.len()),
        " ".repeat(caret)
    ))
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

impl<T> From<&super::model::Sp<T>> for Pos {
    fn from(s: &super::model::Sp<T>) -> Pos {
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

/// How many characters of a value a message echoes; the rest is said as a size. Long enough
/// for any ARN a playbook names (a listener rule's is about 130 characters).
pub(crate) const MAX_ECHO: usize = 200;

/// The longest message or hint, whatever it echoes.
const MAX_MESSAGE: usize = 1000;

/// A message made safe to print: control characters escaped, so values echoed from junk input
/// cannot garble a terminal, and every value a message quotes in backticks cut to its first
/// [`MAX_ECHO`] characters and its size, so a 50 MB value is not echoed whole.
pub(crate) fn sanitize(s: &str) -> String {
    let escaped = line(s);
    let mut out = String::with_capacity(escaped.len().min(4 * MAX_MESSAGE));
    for (i, part) in escaped.split('`').enumerate() {
        if i > 0 {
            out.push('`');
        }
        match i % 2 {
            1 => out.push_str(&crate::text::cut(part, MAX_ECHO)),
            _ => out.push_str(part),
        }
    }
    crate::text::cut(&out, MAX_MESSAGE)
}

/// The most problems one validation reports; the rest are counted in a last one.
const MAX_PROBLEMS: usize = 50;

/// `problems` in file order with each repeated mistake (same message, same hint) said once,
/// with a count, and at most [`MAX_PROBLEMS`] of them: ten thousand equal steps are one problem.
fn collapse(mut problems: Vec<(Pos, Problem)>) -> Vec<Problem> {
    problems.sort_by_key(|(at, _)| *at);
    let mut out: Vec<(Problem, usize, Pos)> = Vec::new();
    let mut index: std::collections::HashMap<(String, String), usize> = Default::default();
    for (at, problem) in problems {
        let key = (problem.message.clone(), problem.hint.clone());
        match index.get(&key) {
            Some(&i) => {
                out[i].1 += 1;
                out[i].2 = at;
            }
            None => {
                index.insert(key, out.len());
                out.push((problem, 0, at));
            }
        }
    }
    let total = out.len();
    let mut shown: Vec<Problem> = Vec::new();
    for (mut problem, more, last) in out.into_iter().take(MAX_PROBLEMS + 1) {
        if shown.len() == MAX_PROBLEMS {
            problem.message = format!(
                "{} more problems from here on are not shown",
                total - MAX_PROBLEMS
            );
            problem.hint = "fix the problems above and validate again".into();
        } else if more > 0 {
            problem.message = format!(
                "{} (and {more} more times, the last at {}:{})",
                problem.message, last.line, last.column
            );
        }
        shown.push(problem);
    }
    shown
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
            message: sanitize(&message.into()),
            hint: sanitize(&hint.into()),
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
            message: sanitize(&message.into()),
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
            Err(PlaybookError::of(collapse(self.problems)))
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
    fn a_repeated_problem_is_said_once_with_a_count() {
        let mut d = Diag::new("pb.yaml");
        for column in 1..=10_000 {
            d.error(Pos { line: 3, column }, "steps must increase", "fix it");
        }
        d.error(Pos { line: 1, column: 1 }, "other", "fix that");
        let err = d.finish().unwrap_err();
        assert_eq!(err.problems.len(), 2, "{err}");
        assert_eq!(
            err.problems[1].message,
            "steps must increase (and 9999 more times, the last at 3:10000)"
        );
        assert_eq!(err.problems[1].location.column, 1);
    }

    #[test]
    fn at_most_fifty_problems_are_shown() {
        let mut d = Diag::new("pb.yaml");
        for line in 1..=500 {
            d.error(Pos { line, column: 1 }, format!("problem {line}"), "fix it");
        }
        let err = d.finish().unwrap_err();
        assert_eq!(err.problems.len(), MAX_PROBLEMS + 1);
        let last = &err.problems[MAX_PROBLEMS];
        assert_eq!(last.message, "450 more problems from here on are not shown");
        assert_eq!(last.location.line, 51);
    }

    #[test]
    fn long_values_are_cut_and_control_characters_escaped() {
        let value = "a".repeat(50 * 1024 * 1024);
        let message = sanitize(&format!("name `{value}` is too long"));
        assert_eq!(
            message,
            format!(
                "name `{}… (52428800 bytes)` is too long",
                "a".repeat(MAX_ECHO)
            )
        );
        assert_eq!(sanitize("`a\u{1b}b`"), "`a\\u{1b}b`");
        assert!(sanitize(&"b".repeat(5000)).ends_with("… (5000 bytes)"));
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

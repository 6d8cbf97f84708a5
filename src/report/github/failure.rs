//! A command that failed before it had a deployment to report (an invalid playbook, a refused
//! preflight, an AWS error): its `::error` annotations and its job summary, so the run page says
//! what went wrong even when nothing was written. A playbook's problems are annotated at their
//! file, line and column, which GitHub shows on the file itself.

use crate::playbook::PlaybookError;
use crate::text::markdown::inline;
use crate::text::workflow::{data, property};
use crate::text::{line, shown};

/// The most problems annotated one by one (GitHub shows at most 10 error annotations per step).
const MAX_ANNOTATIONS: usize = 10;

/// The `::error` workflow commands for a failed `command`.
pub fn failure_annotations(command: &str, error: &anyhow::Error) -> Vec<String> {
    if let Some(playbook) = error.downcast_ref::<PlaybookError>() {
        return playbook
            .problems()
            .iter()
            .take(MAX_ANNOTATIONS)
            .map(|problem| {
                let at = &problem.location;
                let place = match at.line {
                    0 => format!("file={}", property(&line(&at.file))),
                    _ => format!(
                        "file={},line={},col={}",
                        property(&line(&at.file)),
                        at.line,
                        at.column
                    ),
                };
                format!(
                    "::error {place},title={}::{}",
                    property("canary playbook invalid"),
                    data(&line(&format!(
                        "{} (hint: {})",
                        problem.message, problem.hint
                    )))
                )
            })
            .collect();
    }
    vec![format!(
        "::error title={}::{}",
        property(&format!("canary {command} failed")),
        data(&line(&shown(&format!("{error:#}"), 2000)))
    )]
}

/// The job summary of a failed `command`: a heading and the error, as text.
pub fn failure_summary(command: &str, error: &anyhow::Error) -> String {
    let mut out = format!("### ❌ canary-deploy {}: failed\n\n", inline(command));
    let lines: Vec<String> = match error.downcast_ref::<PlaybookError>() {
        Some(playbook) => playbook.problems().iter().map(|p| p.to_string()).collect(),
        None => format!("{error:#}").lines().map(str::to_string).collect(),
    };
    for text in lines.iter().take(50) {
        out.push_str(&format!("- {}\n", inline(text)));
    }
    out.push_str("\nNothing was written for this command after the failure.\n\n");
    out
}

/// The job summary of a command that reports rather than deploys (`plan`, `status`,
/// `validate`, `backtest`): a heading and what it printed, line by line, as text.
pub fn report_summary(command: &str, lines: &[String]) -> String {
    let mut out = format!("### canary-deploy {}\n\n", inline(command));
    for text in lines.iter().filter(|l| !l.trim().is_empty()).take(300) {
        out.push_str(&format!("- {}\n", inline(text.trim_start())));
    }
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::test_support::{assert_inert_markdown, hostile, own_annotation};
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn hostile_errors_make_one_safe_annotation_and_an_inert_summary(text in hostile()) {
            let error = anyhow::anyhow!("{text}");
            let annotations = failure_annotations(&text, &error);
            prop_assert!(annotations.iter().all(|a| own_annotation(a)), "{annotations:?}");
            assert_inert_markdown(&report_summary(&text, &[text.clone(), format!("  {text}")]));
            assert_inert_markdown(&failure_summary(&text, &error));
        }
    }

    #[test]
    fn a_playbook_problem_is_annotated_at_its_line_and_column() {
        let Err(problems) = crate::playbook::parse("name: p\nsteps: 3\n", "deploy/p.yaml") else {
            panic!("an invalid playbook parsed")
        };
        let error = anyhow::Error::new(problems);
        let annotations = failure_annotations("run", &error);
        assert!(!annotations.is_empty());
        assert!(
            annotations[0].starts_with("::error file=deploy/p.yaml,line="),
            "{annotations:?}"
        );
        assert!(annotations[0].contains(",col="), "{annotations:?}");
        assert!(annotations.iter().all(|a| !a.contains('\n')));
        let summary = failure_summary("run", &error);
        assert!(
            summary.starts_with("### ❌ canary-deploy run: failed"),
            "{summary}"
        );
        assert_inert_markdown(&summary);
    }

    #[test]
    fn any_other_failure_is_one_annotation_that_cannot_forge_a_command() {
        let error = anyhow::anyhow!("aws said:\n::error::forged\r\n%0A");
        let annotations = failure_annotations("advance", &error);
        assert_eq!(annotations.len(), 1);
        let only = &annotations[0];
        assert!(
            only.starts_with("::error title=canary advance failed::"),
            "{only}"
        );
        assert!(!only.contains('\n') && !only.contains('\r'), "{only}");
        assert!(!only["::error title=".len()..].contains("\n::"), "{only}");
        assert_inert_markdown(&failure_summary("advance", &error));
    }
}

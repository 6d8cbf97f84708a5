//! The preflight as text: one line per check (its message, which quotes AWS, through
//! [`crate::text::line()`]), and `run`'s refusal with how to skip each failure.

use super::{how_to_skip, Outcome, Preflight};
use crate::text::line;

/// "preflight:\n  PASS target-groups: …\n  FAIL canary-healthy-targets: …"
pub fn render(preflight: &Preflight) -> String {
    let mut out = String::from("preflight:");
    for check in &preflight.checks {
        let word = match check.outcome {
            Outcome::Pass => "PASS",
            Outcome::Fail => "FAIL",
            Outcome::Skip => "SKIP",
        };
        out.push_str(&format!(
            "\n  {word} {}: {}",
            check.name,
            line(&check.message)
        ));
    }
    out
}

/// Why `run` or `advance` does not start, every failure with how to skip it by name.
pub fn refusal(preflight: &Preflight) -> String {
    let failures = preflight.failures();
    let mut out = format!(
        "preflight failed ({} of {} checks): not starting; nothing was written or saved",
        failures.len(),
        preflight.checks.len()
    );
    for check in failures {
        out.push_str(&format!(
            "\n  FAIL {}: {}\n    {}",
            check.name,
            line(&check.message),
            how_to_skip(check.name)
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::preflight::PreflightCheck;

    #[test]
    fn the_refusal_lists_each_failure_and_how_to_skip_it() {
        let preflight = Preflight {
            checks: vec![
                PreflightCheck::pass(crate::preflight::TARGET_GROUPS, "fine"),
                PreflightCheck::fail(crate::preflight::CANARY_HEALTHY_TARGETS, "none healthy"),
            ],
        };
        assert_eq!(
            refusal(&preflight),
            "preflight failed (1 of 2 checks): not starting; nothing was written or saved\n  \
             FAIL canary-healthy-targets: none healthy\n    to skip it: `preflight: { skip: \
             [canary-healthy-targets] }` in the playbook, or `--skip-preflight \
             canary-healthy-targets`"
        );
        assert_eq!(
            render(&preflight),
            "preflight:\n  PASS target-groups: fine\n  FAIL canary-healthy-targets: none healthy"
        );
    }
}

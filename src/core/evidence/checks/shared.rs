//! A failure the stable shares: neither a rollback (onto a broken stable) nor a promotion
//! (through an incident) is right, so the step pauses with both rates named. Two ways to see
//! it: both sides above the stable's own baseline, or both above a limit the check sets (a
//! baseline measured during the incident cannot tell).

use super::super::{math, text, Budget, CheckEvidence};
use super::Judged;
use crate::core::judge::CheckOutcome;

/// A failure the stable shares: both the canary and the stable shown above the stable's
/// baseline, and the canary not shown worse than the stable.
pub(super) fn shared_failure(state: &CheckEvidence, budget: Budget) -> Option<Judged> {
    let baseline = state.baseline?;
    let base = math::upper_rate(baseline);
    let stable_up = math::rate_above(state.step_stable, base) >= budget.fail_at;
    let canary_up = math::rate_above(state.step_canary, base) >= budget.pass_at;
    let canary_worse = state.share.e_value() >= budget.fail_at;
    (stable_up && canary_up && !canary_worse).then(|| Judged {
        outcome: CheckOutcome::Shared,
        detail: format!(
            "stable and canary both above the stable's baseline: canary {}, stable {}, baseline \
             {} before the deployment; neither rollback nor promotion is right",
            text::counts(state.step_canary),
            text::counts(state.step_stable),
            text::counts(baseline)
        ),
        counts: None,
    })
}

/// A limit the stable fails too: both shown above it in the step, the canary not shown worse
/// than the stable. (The stable's baseline may hold the same incident, so it cannot tell.)
pub(super) fn shared_limit(state: &CheckEvidence, limit: f64, budget: Budget) -> Option<Judged> {
    let stable_up = math::rate_above(state.step_stable, limit) >= budget.fail_at;
    let canary_worse = state.share.e_value() >= budget.fail_at;
    (stable_up && !canary_worse).then(|| Judged {
        outcome: CheckOutcome::Shared,
        detail: format!(
            "stable and canary both above max {}: canary {}, stable {}; neither rollback nor \
             promotion is right",
            text::percent(limit),
            text::counts(state.step_canary),
            text::counts(state.step_stable)
        ),
        counts: None,
    })
}

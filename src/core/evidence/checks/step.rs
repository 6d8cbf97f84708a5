//! A step's verdict once a window failed nothing: passed when the step's own canary counts show
//! the canary below the check's margin (after `min_requests`), else inconclusive, saying how
//! many more canary requests would show it.

use super::super::text::ratio;
use super::super::{math, Budget, CheckEvidence};
use super::Judged;
use crate::core::judge::{CheckOutcome, WindowCounts};
use crate::core::plan::Analysis;

/// A window that failed nothing: what the step's verdict is decided on.
pub(super) struct Undecided {
    /// The rate (a fraction) the step's canary counts must be shown below.
    pub(super) limit: f64,
    /// How the limit reads: "stable + 1 pt", "max 1.00%".
    pub(super) margin_text: String,
    /// The regression evidence after this window.
    pub(super) regression: f64,
    /// The counts compared, as the detail begins.
    pub(super) compared: String,
    pub(super) counts: Option<WindowCounts>,
}

/// Pass when the step's canary counts show it below the limit, else inconclusive with what
/// more it needs.
pub(super) fn step_verdict(
    state: &CheckEvidence,
    undecided: Undecided,
    budget: Budget,
    analysis: &Analysis,
) -> Judged {
    let Undecided {
        limit,
        margin_text,
        regression,
        compared,
        counts,
    } = undecided;
    let health = math::rate_below(state.step_canary, limit);
    let enough = state.step_canary.requests >= analysis.min_requests as f64;
    if health >= budget.pass_at && enough {
        return Judged {
            outcome: CheckOutcome::Pass,
            detail: format!(
                "{compared}: below {margin_text} with evidence {} ≥ {} (regression evidence {})",
                ratio(health),
                ratio(budget.pass_at),
                ratio(regression)
            ),
            counts,
        };
    }
    let observed_rate = state.step_canary.rate().unwrap_or(0.0);
    let needs = if health >= budget.pass_at {
        format!(
            "needs min_requests {} canary requests in the step",
            analysis.min_requests
        )
    } else {
        match math::requests_to_show_below(observed_rate, limit, health, budget.pass_at) {
            Some(more) => format!(
                "about {} more canary requests to show it below {margin_text}",
                super::text::count(
                    more.max(analysis.min_requests as f64 - state.step_canary.requests)
                )
            ),
            None => format!("the canary's rate is too close to {margin_text} to show it below"),
        }
    };
    Judged {
        outcome: CheckOutcome::Inconclusive,
        detail: format!(
            "{compared}: inconclusive (regression evidence {}, rolls back at {}; {needs})",
            ratio(regression),
            ratio(budget.fail_at)
        ),
        counts,
    }
}

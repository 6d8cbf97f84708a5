//! One statistical check's window folded into its evidence, and what the evidence now says.
//!
//! Two shapes cover every statistical check: a *comparison* (the canary's bad share against
//! the stable's, [`super::math::ShareTest`]; against the baseline at 100 %) and an *absolute
//! limit* (the canary's rate against a fixed fraction). Error rates count 5XX responses;
//! throttles count throttled requests among all requests.

mod shared;
mod step;

use super::math::{self, Counts};
use super::text::{self, percent, ratio};
use super::{Budget, CheckEvidence};
use crate::core::judge::{CheckOutcome, CheckResult, WindowCounts};
use crate::core::observe::{Observed, SlowCounts, Traffic};
use crate::core::plan::{Analysis, Check, CheckKind};
use crate::core::types::Share;
use shared::{shared_failure, shared_limit};
use step::{step_verdict, Undecided};

/// Whether the evidence judge tests this check on counts (the rest are judged per window): the
/// error checks, and a latency check once it has a threshold to count slow requests against
/// ([`super::resolve`]).
pub fn is_statistical(check: &Check) -> bool {
    match check.kind {
        CheckKind::ErrorRate { .. }
        | CheckKind::ErrorRateVsStable { .. }
        | CheckKind::Throttles { .. } => true,
        CheckKind::Latency { .. } | CheckKind::LatencyVsStable { .. } => {
            check.slower_than_ms.is_some()
        }
        CheckKind::Custom(_) | CheckKind::Alarms { .. } => false,
    }
}

/// The stable's counts in an observation, when it has them (for a latency check, its requests
/// and the slow ones).
pub(super) fn stable_counts(observed: &Observed) -> Option<Counts> {
    match observed {
        Observed::ErrorRate { stable, .. } => counts_of(*stable),
        Observed::Latency {
            slow:
                Some(SlowCounts {
                    stable: Some(stable),
                    ..
                }),
            ..
        } => counts_of(*stable),
        _ => None,
    }
}

/// The tail a latency percentile allows: `p99` lets 1 % of requests be slower.
pub(crate) fn tail(percentile: f64) -> f64 {
    ((100.0 - percentile) / 100.0).clamp(0.0, 1.0)
}

/// A target's counts; `None` when it reported no requests (ALB omits the 5XX metric while there
/// are none: no errors datapoint with requests present is zero errors).
fn counts_of(traffic: Traffic) -> Option<Counts> {
    let requests = traffic.requests.filter(|v| v.is_finite())?;
    Some(Counts::new(
        requests,
        traffic.errors.filter(|v| v.is_finite()).unwrap_or(0.0),
    ))
}

/// What one window and the accumulated evidence say about `check`.
pub(super) fn judge_check(
    check: &Check,
    observed: &Observed,
    state: &mut CheckEvidence,
    budget: Budget,
    analysis: &Analysis,
    share: Share,
) -> CheckResult {
    let judged = match (&check.kind, observed) {
        (_, Observed::Unavailable { why }) => Judged::no_data(why.clone()),
        (
            CheckKind::ErrorRateVsStable { max_delta_percent },
            Observed::ErrorRate { canary, stable },
        ) => {
            let sides = Sides {
                canary: counts_of(*canary),
                stable: counts_of(*stable),
            };
            let margin = max_delta_percent / 100.0;
            if share >= Share::CANARY_ONLY {
                against_baseline(state, sides.canary, margin, budget, analysis, "5XX")
            } else {
                comparison(state, sides, margin, budget, analysis, "5XX")
            }
        }
        (
            CheckKind::Latency { percentile, .. } | CheckKind::LatencyVsStable { percentile, .. },
            Observed::Latency {
                canary_requests,
                slow: Some(slow),
                ..
            },
        ) => {
            let threshold = check.slower_than_ms.unwrap_or(0.0);
            let what = format!("slower than {} ms", crate::core::judge::num(threshold));
            let canary = canary_requests
                .filter(|v| v.is_finite())
                .map(|n| Counts::new(n, slow.canary.filter(|v| v.is_finite()).unwrap_or(0.0)));
            let sides = Sides {
                canary,
                stable: slow.stable.and_then(counts_of),
            };
            let margin = tail(*percentile);
            match (&check.kind, share >= Share::CANARY_ONLY) {
                (CheckKind::Latency { .. }, _) => {
                    absolute(state, sides, margin, budget, analysis, &what)
                }
                (_, true) => against_baseline(state, sides.canary, margin, budget, analysis, &what),
                (_, false) => comparison(state, sides, margin, budget, analysis, &what),
            }
        }
        // A latency check the source answered without slow counts: one window's percentile.
        (
            CheckKind::Latency { .. } | CheckKind::LatencyVsStable { .. },
            Observed::Latency { .. },
        ) => {
            return crate::core::judge::judge_one(check, observed, analysis);
        }
        (CheckKind::ErrorRate { max_percent }, Observed::ErrorRate { canary, stable }) => {
            let sides = Sides {
                canary: counts_of(*canary),
                stable: counts_of(*stable),
            };
            absolute(state, sides, max_percent / 100.0, budget, analysis, "5XX")
        }
        (
            CheckKind::Throttles { max_percent },
            Observed::Throttles {
                invocations,
                throttles,
            },
        ) => {
            let throttled = throttles.filter(|v| v.is_finite()).unwrap_or(0.0);
            let canary = invocations
                .filter(|v| v.is_finite())
                .map(|ran| Counts::new(ran + throttled, throttled));
            let sides = Sides {
                canary,
                stable: None,
            };
            absolute(
                state,
                sides,
                max_percent / 100.0,
                budget,
                analysis,
                "throttled",
            )
        }
        (_, _) => Judged::no_data(
            "the metric source returned an observation of another kind for this check (a bug \
             in canary-deploy: please report it)"
                .to_string(),
        ),
    };
    CheckResult {
        check: check.name.clone(),
        outcome: judged.outcome,
        detail: judged.detail,
        counts: judged.counts,
    }
}

/// The canary's and the stable's counts in this window.
#[derive(Clone, Copy)]
struct Sides {
    canary: Option<Counts>,
    stable: Option<Counts>,
}

struct Judged {
    outcome: CheckOutcome,
    detail: String,
    counts: Option<WindowCounts>,
}

impl Judged {
    fn no_data(detail: String) -> Judged {
        Judged {
            outcome: CheckOutcome::NoData,
            detail,
            counts: None,
        }
    }
}

/// No canary counts: no data, or "silent" when the stable reported nothing either (then the
/// metrics have stopped, not the canary).
fn missing(sides: Sides, at_full: bool) -> Judged {
    let stable_silent = sides.stable.is_none() && !at_full;
    match (sides.canary, stable_silent) {
        (None, true) => Judged {
            outcome: CheckOutcome::Silent,
            detail: "neither the canary nor the stable reported requests in the window: the \
                     metrics have stopped"
                .to_string(),
            counts: None,
        },
        (None, false) => {
            Judged::no_data("the canary reported no requests in the window".to_string())
        }
        (Some(_), _) => {
            Judged::no_data("the stable reported no requests in the window".to_string())
        }
    }
}

fn window(canary: Counts, stable: Option<Counts>, evidence: f64) -> Option<WindowCounts> {
    Some(WindowCounts {
        canary,
        stable,
        evidence,
    })
}

/// Canary against stable while both serve: the share test fails it, the step's own counts pass
/// it (the canary shown below the stable's rate + `margin`).
fn comparison(
    state: &mut CheckEvidence,
    sides: Sides,
    margin: f64,
    budget: Budget,
    analysis: &Analysis,
    what: &str,
) -> Judged {
    let (Some(canary), Some(stable)) = (sides.canary, sides.stable) else {
        return missing(sides, false);
    };
    fold(state, canary, Some(stable));
    let e = state.share.e_value();
    let counts = window(canary, Some(stable), e);
    let stable_rate = state.step_stable.rate().or(state.stable.rate());
    let compared = format!(
        "canary {what} {} vs stable {}",
        text::counts(state.step_canary),
        stable_rate.map_or("no rate".to_string(), percent)
    );
    if e >= budget.fail_at {
        return Judged {
            outcome: CheckOutcome::Fail,
            detail: format!(
                "{compared}: evidence ratio {} ≥ {} (canary worse than stable; over the \
                 deployment canary {} vs stable {})",
                ratio(e),
                ratio(budget.fail_at),
                text::counts(state.canary),
                text::counts(state.stable)
            ),
            counts,
        };
    }
    if let Some(shared) = shared_failure(state, budget) {
        return Judged { counts, ..shared };
    }
    let limit = stable_rate.unwrap_or(0.0) + margin;
    let margin_text = format!("stable + {} pt", crate::core::judge::num(margin * 100.0));
    step_verdict(
        state,
        Undecided {
            limit,
            margin_text,
            regression: e,
            compared,
            counts,
        },
        budget,
        analysis,
    )
}

/// At 100 % the stable serves nothing: the canary against the stable's rate before the
/// deployment (or, without one, the stable's rate during it).
fn against_baseline(
    state: &mut CheckEvidence,
    canary: Option<Counts>,
    margin: f64,
    budget: Budget,
    analysis: &Analysis,
    what: &str,
) -> Judged {
    let Some(canary) = canary else {
        return missing(
            Sides {
                canary: None,
                stable: None,
            },
            true,
        );
    };
    fold(state, canary, None);
    let (reference, named) = match (state.baseline, state.stable.requests > 0.0) {
        (Some(baseline), _) => (baseline, "the stable before the deployment"),
        (None, true) => (state.stable, "the stable during the deployment"),
        (None, false) => {
            return Judged::no_data(
                "at 100% the canary is judged against the stable's rate before or during the \
                 deployment, and the stable reported none"
                    .to_string(),
            )
        }
    };
    let base = math::upper_rate(reference);
    let e = math::rate_above(state.step_canary, base);
    let counts = window(canary, None, e);
    let compared = format!(
        "canary {what} {} vs {named} {}",
        text::counts(state.step_canary),
        text::counts(reference)
    );
    if e >= budget.fail_at {
        return Judged {
            outcome: CheckOutcome::Fail,
            detail: format!(
                "{compared}: evidence ratio {} ≥ {} (canary above the stable's rate)",
                ratio(e),
                ratio(budget.fail_at)
            ),
            counts,
        };
    }
    let limit = reference.rate().unwrap_or(0.0) + margin;
    let margin_text = format!("that + {} pt", crate::core::judge::num(margin * 100.0));
    step_verdict(
        state,
        Undecided {
            limit,
            margin_text,
            regression: e,
            compared,
            counts,
        },
        budget,
        analysis,
    )
}

/// The canary's rate against a fixed `limit` (a fraction): the deployment's counts fail it, the
/// step's pass it.
fn absolute(
    state: &mut CheckEvidence,
    sides: Sides,
    limit: f64,
    budget: Budget,
    analysis: &Analysis,
    what: &str,
) -> Judged {
    let Some(canary) = sides.canary else {
        return missing(sides, false);
    };
    fold(state, canary, sides.stable);
    let e = math::rate_above(state.canary, limit);
    let counts = window(canary, sides.stable, e);
    let compared = format!(
        "canary {what} {} against max {}",
        text::counts(state.step_canary),
        percent(limit)
    );
    if e >= budget.fail_at {
        let shared = shared_failure(state, budget).or_else(|| shared_limit(state, limit, budget));
        if let Some(shared) = shared {
            return Judged { counts, ..shared };
        }
        return Judged {
            outcome: CheckOutcome::Fail,
            detail: format!(
                "canary {what} {} above max {}: evidence ratio {} ≥ {}",
                text::counts(state.canary),
                percent(limit),
                ratio(e),
                ratio(budget.fail_at)
            ),
            counts,
        };
    }
    let margin_text = format!("max {}", percent(limit));
    step_verdict(
        state,
        Undecided {
            limit,
            margin_text,
            regression: e,
            compared,
            counts,
        },
        budget,
        analysis,
    )
}

/// Adds the window's counts to the deployment's and the step's (and the share test, when the
/// stable's are there).
fn fold(state: &mut CheckEvidence, canary: Counts, stable: Option<Counts>) {
    state.canary = state.canary.plus(canary);
    state.step_canary = state.step_canary.plus(canary);
    if let Some(stable) = stable {
        state.share.fold(canary, stable);
        state.stable = state.stable.plus(stable);
        state.step_stable = state.step_stable.plus(stable);
    }
}

//! The smallest error-rate regression a step's counts detect: the regression `δ` whose expected
//! counts (canary errors at the stable's rate + `δ`, the stable's at its rate) carry the evidence
//! that rolls back, `m / α`. At that `δ` about half of deployments are rolled back within the
//! step; at twice it, nearly all. It is the figure to compare with the regression one must not
//! ship (`plan` warns below +1 point).

use super::{expected_and_limit, statistical};
use crate::core::evidence::math::{self, Counts, ShareTest};
use crate::core::plan::{Check, CheckKind, Plan};
use crate::core::types::Share;

/// The smallest regression (a fraction) that the most sensitive error check detects on
/// `canary` requests of a step at `share`, the stable erring at `rate` with `rps` requests per
/// second in all; `None` without an error check, without requests, or when no regression is
/// detectable on so few.
pub(super) fn step_power(
    plan: &Plan,
    checks: &[Check],
    share: Share,
    rate: f64,
    rps: f64,
    canary: f64,
) -> Option<f64> {
    if canary.is_nan() || canary <= 0.0 {
        return None;
    }
    let fail_at =
        checks.iter().filter(|c| statistical(c)).count().max(1) as f64 / plan.analysis.alpha();
    checks
        .iter()
        .filter_map(|check| {
            let evidence = regression_evidence(plan, check, share, rate, rps, canary)?;
            detectable_regression(rate, fail_at, evidence)
        })
        .min_by(f64::total_cmp)
}

/// How strongly a regression `δ` shows in `canary` expected requests for one check, or `None`
/// for a check that is not on the error rate.
fn regression_evidence<'a>(
    plan: &'a Plan,
    check: &'a Check,
    share: Share,
    rate: f64,
    rps: f64,
    canary: f64,
) -> Option<Box<dyn Fn(f64) -> f64 + 'a>> {
    let errors = move |delta: f64| Counts::new(canary, canary * (rate + delta).min(1.0));
    match check.kind {
        CheckKind::ErrorRate { .. } => {
            let (_, limit) = expected_and_limit(check, share, rate, rps, plan);
            Some(Box::new(move |delta| {
                math::rate_above(errors(delta), limit)
            }))
        }
        CheckKind::ErrorRateVsStable { .. } if share >= Share::CANARY_ONLY => {
            let requests = rps * plan.analysis.baseline.as_secs_f64();
            let base = math::upper_rate(Counts::new(requests, requests * rate));
            Some(Box::new(move |delta| math::rate_above(errors(delta), base)))
        }
        CheckKind::ErrorRateVsStable { .. } => {
            let w = share.percent() / 100.0;
            let stable = canary * (1.0 - w) / w.max(1e-9);
            Some(Box::new(move |delta| {
                let mut test = ShareTest::default();
                test.fold(errors(delta), Counts::new(stable, stable * rate));
                test.e_value()
            }))
        }
        _ => None,
    }
}

/// The smallest `δ` in `(0, 1 − rate]` with `evidence(δ) ≥ fail_at` (to 0.01 points), `None` when
/// even the largest falls short. `evidence` must grow with `δ`.
pub fn detectable_regression(
    rate: f64,
    fail_at: f64,
    evidence: impl Fn(f64) -> f64,
) -> Option<f64> {
    let most = 1.0 - rate;
    if most.is_nan() || most <= 0.0 || evidence(most) < fail_at {
        return None;
    }
    let (mut low, mut high) = (0.0, most);
    while high - low > 1e-4 {
        let mid = (low + high) / 2.0;
        if evidence(mid) >= fail_at {
            high = mid;
        } else {
            low = mid;
        }
    }
    Some(high)
}

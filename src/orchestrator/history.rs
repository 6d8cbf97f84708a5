//! Reading the stable's own history for the backtest: its requests and errors per period, and,
//! for each latency check, its percentile and its requests slower than the check's threshold
//! (CloudWatch's `TC(X:)`), through the canary's queries pointed at the stable.
//!
//! A `latency_vs_stable` check without a `threshold` counts against the stable's own percentile
//! before each deployment; the backtest fixes it at the stable's median per-period percentile
//! over the history (one threshold, so CloudWatch can count against it), and says so.

use crate::core::observe::{Observed, SlowCounts};
use crate::core::plan::{Check, CheckKind, Plan};
use crate::core::window::Window;
use crate::metrics::cloudwatch::CloudWatchSource;
use crate::metrics::history::History;
use crate::metrics::MetricsError;
use crate::replay::history::{StableHistory, StablePeriod};

/// The plan the backtest replays: its weighted steps (not a header lane) and builtin checks
/// (custom metrics and alarms have no split of the stable's history to judge) with every
/// latency threshold fixed, and what was changed.
pub struct BacktestPlan {
    pub plan: Plan,
    pub notes: Vec<String>,
}

/// Reads the stable's history over `window` and fixes the plan's latency thresholds on it.
pub async fn stable_history(
    source: &CloudWatchSource,
    plan: &Plan,
    window: Window,
) -> Result<(StableHistory, BacktestPlan), MetricsError> {
    let mut notes = Vec::new();
    let mut plan = plan.clone();
    if let Some(lane) = plan.lane.take() {
        // Validation put the lane's step first.
        if !plan.steps.is_empty() {
            plan.steps.remove(0);
        }
        notes.push(format!(
            "the header lane (`{}`) is left out: its traffic is whoever sends the header, which \
             the route's history does not hold",
            lane.describe()
        ));
    }
    plan.checks.retain(|check| {
        let kept = !matches!(check.kind, CheckKind::Custom(_) | CheckKind::Alarms { .. });
        if !kept {
            notes.push(format!(
                "`{}` is left out: the backtest judges the builtin checks, and a metric or an \
                 alarm of the stable cannot be split into a canary's share",
                check.name
            ));
        }
        kept
    });
    let traffic = probe("traffic", CheckKind::ErrorRate { max_percent: 100.0 }, None);
    // Percentiles first: a comparison without a threshold needs the stable's.
    let percentiles: Vec<Check> = latency_checks(&plan)
        .map(|(check, percentile)| {
            probe(
                &check.name,
                CheckKind::Latency {
                    percentile,
                    max_ms: 0.0,
                },
                None,
            )
        })
        .collect();
    let mut asked = vec![traffic];
    asked.extend(percentiles);
    let first = source.history(&asked, window).await?;
    let mut history = StableHistory::default();
    for (at, observed) in &first {
        let mut period = StablePeriod::default();
        if let Some(Observed::ErrorRate { canary, .. }) = observed.first() {
            period.requests = canary.requests.filter(|v| v.is_finite()).unwrap_or(0.0);
            period.errors = canary.errors.filter(|v| v.is_finite()).unwrap_or(0.0);
        }
        for ((_, percentile), obs) in latency_checks(&plan).zip(observed.iter().skip(1)) {
            if let Observed::Latency {
                canary_ms: Some(ms),
                ..
            } = obs
            {
                period.percentiles.push((percentile, *ms));
            }
        }
        if period.requests > 0.0 {
            history.periods.insert(at.as_millis(), period);
        }
    }
    fix_thresholds(&mut plan, &history, &mut notes);
    let slow: Vec<Check> = latency_checks(&plan)
        .filter_map(|(check, percentile)| {
            let ms = threshold_of(check)?;
            Some(probe(
                &check.name,
                CheckKind::Latency {
                    percentile,
                    max_ms: ms,
                },
                Some(ms),
            ))
        })
        .collect();
    if !slow.is_empty() {
        let counted: History = source.history(&slow, window).await?;
        for (at, observed) in counted {
            let Some(period) = history.periods.get_mut(&at.as_millis()) else {
                continue;
            };
            for (check, obs) in slow.iter().zip(&observed) {
                if let (
                    Some(ms),
                    Observed::Latency {
                        slow: Some(SlowCounts { canary, .. }),
                        ..
                    },
                ) = (check.slower_than_ms, obs)
                {
                    period
                        .slow
                        .push((ms, canary.filter(|v| v.is_finite()).unwrap_or(0.0)));
                }
            }
        }
    }
    Ok((history, BacktestPlan { plan, notes }))
}

/// Each latency check with its percentile.
fn latency_checks(plan: &Plan) -> impl Iterator<Item = (&Check, f64)> {
    plan.checks.iter().filter_map(|check| match check.kind {
        CheckKind::Latency { percentile, .. } | CheckKind::LatencyVsStable { percentile, .. } => {
            Some((check, percentile))
        }
        _ => None,
    })
}

fn threshold_of(check: &Check) -> Option<f64> {
    match check.kind {
        CheckKind::Latency { max_ms, .. } => Some(max_ms),
        CheckKind::LatencyVsStable { threshold_ms, .. } => threshold_ms,
        _ => None,
    }
}

/// A `latency_vs_stable` without a threshold gets the stable's median percentile.
fn fix_thresholds(plan: &mut Plan, history: &StableHistory, notes: &mut Vec<String>) {
    for check in &mut plan.checks {
        if let CheckKind::LatencyVsStable {
            percentile,
            ref mut threshold_ms,
            ..
        } = check.kind
        {
            if threshold_ms.is_none() {
                if let Some(ms) = history.median_percentile(percentile) {
                    *threshold_ms = Some(ms);
                    notes.push(format!(
                        "`{}` counts requests slower than {} ms, the stable's median per-period \
                         p{} over the history",
                        check.name,
                        crate::core::judge::num(ms),
                        crate::core::judge::num(percentile)
                    ));
                }
            }
        }
    }
}

fn probe(name: &str, kind: CheckKind, slower_than_ms: Option<f64>) -> Check {
    Check {
        name: name.to_string(),
        kind,
        slower_than_ms,
    }
}

//! What a deployment should do on the route's recent traffic, before it starts: when each step
//! ends, and the smallest error-rate regression each step can detect.
//!
//! Why: a timeline that is only the sum of the bakes is wrong twice over. A step is judged on
//! complete CloudWatch periods after `settle` and `ingestion_delay`, and only on a tick, so it
//! ends later than its bake; and the evidence judge extends a step until its counts show the
//! canary healthy, which at low traffic is far past the bake. A user choosing weights and bakes
//! also needs to know what a step can see: a 5 % step at 2 requests per second cannot tell a
//! +1 point regression from noise within five minutes, and `plan` should say so before any
//! traffic moves rather than after a promotion.
//!
//! The forecast follows the runner's loop on expected counts (the requests a step's weight gets
//! at the recent rate, errors at the stable's recent rate), with the same window rule
//! ([`crate::core::window`]) and the same evidence thresholds ([`crate::core::evidence`]); the
//! replay's seeded traffic is the independent check that it is right (see the tests).

mod passage;
mod power;
#[cfg(test)]
mod tests;

use super::evidence::{self, math};
use super::plan::{Analysis, Check, CheckKind, Method, NoDataPolicy, Plan, Step};
use super::types::{Share, Timestamp};
use super::window;
use std::time::Duration;

pub use power::detectable_regression;

/// The route's traffic over the recent past (`plan` reads the last hour).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Recent {
    /// Requests per second to both targets together.
    pub requests_per_second: f64,
    /// The stable's error rate (a fraction), `None` when it served nothing.
    pub error_rate: Option<f64>,
}

/// How a step is expected to end.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StepEnd {
    /// Judged healthy by the first judged tick after its bake.
    Baked,
    /// Extended past its bake until its counts show the canary healthy.
    Evidence,
    /// Still inconclusive at `max_bake`, kept waiting (`no_data: hold`) until its counts show
    /// the canary healthy.
    Held,
    /// Still inconclusive (or without data) at its deadline: `no_data` applies.
    Deadline(NoDataPolicy),
    /// Neither target has traffic: the step pauses at its deadline ("the metrics have stopped").
    Silent,
}

/// One step of the forecast; times are from the deployment's start.
#[derive(Clone, Debug, PartialEq)]
pub struct StepForecast {
    /// The step's index in the plan (0-based).
    pub index: usize,
    pub share: Share,
    pub starts: Duration,
    pub ends: Duration,
    pub end: StepEnd,
    /// The canary requests the step is judged on by its end.
    pub canary_requests: f64,
    /// The smallest error-rate regression (a fraction added to the stable's rate) this step's
    /// own counts detect by the end of its bake, and by its `max_bake`; `None` when the plan
    /// has no error check or the step no traffic.
    pub detects_in_bake: Option<f64>,
    pub detects_in_max_bake: Option<f64>,
}

/// Where the deployment is expected to end.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    Promoted {
        after: Duration,
    },
    /// A step holds (`no_data: hold` at its deadline): the forecast stops there.
    Holds {
        index: usize,
    },
    /// A step rolls back (`no_data: fail` at its deadline).
    RollsBack {
        index: usize,
    },
    /// A step pauses: no traffic at all.
    Pauses {
        index: usize,
    },
}

#[derive(Clone, Debug, PartialEq)]
pub struct Forecast {
    pub steps: Vec<StepForecast>,
    pub outcome: Outcome,
}

/// The regression every step should be able to see: +1 point.
pub const ONE_POINT: f64 = 0.01;

/// The forecast of `plan` from step `first`, started at `start` on `recent` traffic.
pub fn forecast(plan: &Plan, first: usize, recent: Recent, start: Timestamp) -> Forecast {
    let analysis = &plan.analysis;
    let rps = if recent.requests_per_second.is_finite() {
        recent.requests_per_second.max(0.0)
    } else {
        0.0
    };
    let rate = recent
        .error_rate
        .filter(|r| r.is_finite())
        .unwrap_or(0.0)
        .clamp(0.0, 1.0);
    let mut steps = Vec::new();
    let mut since = start;
    for (index, step) in plan.steps.iter().enumerate().skip(first) {
        // The header lane's traffic is whoever sends its header, which the route's recent
        // traffic does not tell: the lane lasts its bake, at least, and is not forecast.
        if plan.is_lane_step(index) {
            since = since.plus(step.bake);
            continue;
        }
        let checks = plan.checks_at(step.share);
        let canary_rps = rps * step.share.percent() / 100.0;
        let bake = step.bake;
        let max_bake = analysis.max_bake.for_bake(bake);
        let needs = Needs::of(plan, &checks, step, rate, rps);
        let step_end = end_of_step(analysis, &checks, &needs, since, (canary_rps, rps));
        let (ends_at, end, judged) = step_end;
        // A step's power on what it is judged on by its bake (by its first judged tick, for a
        // bake shorter than the grid allows) and by its max_bake.
        let first_tick = first_window_requests(analysis, since, canary_rps);
        let bake_requests =
            requests_by(analysis, since, since.plus(bake), canary_rps).max(first_tick);
        let max_bake_requests =
            requests_by(analysis, since, since.plus(max_bake), canary_rps).max(first_tick);
        let power = |canary: f64| power::step_power(plan, &checks, step.share, rate, rps, canary);
        steps.push(StepForecast {
            index,
            share: step.share,
            starts: since.since(start),
            ends: ends_at.since(start),
            end,
            canary_requests: judged,
            detects_in_bake: power(bake_requests),
            detects_in_max_bake: power(max_bake_requests),
        });
        let outcome = match end {
            StepEnd::Deadline(NoDataPolicy::Hold) => Some(Outcome::Holds { index }),
            StepEnd::Deadline(NoDataPolicy::Fail) => Some(Outcome::RollsBack { index }),
            StepEnd::Silent => Some(Outcome::Pauses { index }),
            _ => None,
        };
        if let Some(outcome) = outcome {
            return Forecast { steps, outcome };
        }
        since = ends_at;
    }
    Forecast {
        steps,
        outcome: Outcome::Promoted {
            after: since.since(start),
        },
    }
}

/// When a step that went live at `since` ends, how, and on how many canary requests: the
/// runner's ticks, each judging the periods the window rule allows, until the step passes after
/// its bake or reaches its deadline.
fn end_of_step(
    analysis: &Analysis,
    checks: &[Check],
    needs: &Needs,
    since: Timestamp,
    (canary_rps, rps): (f64, f64),
) -> (Timestamp, StepEnd, f64) {
    let interval = analysis.interval.max(Duration::from_secs(1));
    let bake = needs.bake;
    let max_bake = analysis.max_bake.for_bake(bake);
    let deadline = analysis.no_data_deadline_for(bake);
    // Past this, no window will ever come (a period longer than every deadline).
    let never = deadline.max(max_bake)
        + analysis.period * 4
        + analysis.settle
        + analysis.ingestion_delay
        + interval;
    let mut judged_through: Option<Timestamp> = None;
    let mut waited_after_bake = false;
    let mut held = false;
    let mut now = since;
    loop {
        now = now.plus(interval);
        let elapsed = now.since(since);
        let Some(window) = window::new_window(analysis, since, judged_through, now) else {
            if checks.is_empty() && elapsed >= bake {
                return (now, StepEnd::Baked, 0.0);
            }
            if elapsed > never {
                return (now, StepEnd::Deadline(analysis.no_data), 0.0);
            }
            continue;
        };
        judged_through = Some(window.end);
        let requests = canary_rps
            * window
                .end
                .since(first_judged(analysis, since))
                .as_secs_f64();
        let ended = |end| {
            if waited_after_bake && end == StepEnd::Baked {
                StepEnd::Evidence
            } else {
                end
            }
        };
        if checks.is_empty() {
            if elapsed >= bake {
                return (now, StepEnd::Baked, requests);
            }
            continue;
        }
        match analysis.method {
            Method::Evidence => {
                if rps <= 0.0 {
                    if elapsed >= deadline {
                        return (now, StepEnd::Silent, 0.0);
                    }
                    continue;
                }
                if requests >= needs.requests && elapsed >= bake {
                    let end = if held {
                        StepEnd::Held
                    } else {
                        ended(StepEnd::Baked)
                    };
                    return (now, end, requests);
                }
                let limit = if canary_rps > 0.0 { max_bake } else { deadline };
                // `no_data: hold` keeps waiting for the evidence, which comes unless it never can.
                let comes = canary_rps > 0.0 && needs.requests.is_finite();
                if elapsed >= limit {
                    if !(analysis.no_data == NoDataPolicy::Hold && comes) {
                        return (now, StepEnd::Deadline(analysis.no_data), requests);
                    }
                    held = true;
                }
            }
            Method::Threshold => {
                // Each window on its own: too few requests in it is "no data", applied at once.
                let enough =
                    canary_rps * window.duration().as_secs_f64() >= analysis.min_requests as f64;
                if !enough && (elapsed >= bake || analysis.no_data == NoDataPolicy::Fail) {
                    return (now, StepEnd::Deadline(analysis.no_data), requests);
                }
                if enough && elapsed >= bake {
                    return (now, ended(StepEnd::Baked), requests);
                }
            }
        }
        if elapsed >= bake {
            waited_after_bake = true;
        }
    }
}

/// Where a step's first judged period starts: its start plus `settle`, on the period grid.
fn first_judged(analysis: &Analysis, since: Timestamp) -> Timestamp {
    let period = analysis.period.as_millis().max(1) as i64;
    let t = since.plus(analysis.settle).as_millis();
    Timestamp(t.div_euclid(period) * period + if t.rem_euclid(period) == 0 { 0 } else { period })
}

/// The canary requests a step that went live at `since` has been judged on by the time a tick
/// at `at` judges (its complete, settled, ingested periods).
fn requests_by(analysis: &Analysis, since: Timestamp, at: Timestamp, canary_rps: f64) -> f64 {
    match window::analysis_window(analysis, since, at) {
        Some(w) => canary_rps * w.end.since(first_judged(analysis, since)).as_secs_f64(),
        None => 0.0,
    }
}

/// The canary requests of a step's first judged tick.
fn first_window_requests(analysis: &Analysis, since: Timestamp, canary_rps: f64) -> f64 {
    let interval = analysis.interval.max(Duration::from_secs(1));
    let mut at = since;
    for _ in 0..10_000 {
        at = at.plus(interval);
        if window::analysis_window(analysis, since, at).is_some() {
            return requests_by(analysis, since, at, canary_rps);
        }
    }
    0.0
}

/// What a step's counts must show before it passes.
struct Needs {
    /// The step's bake.
    bake: Duration,
    /// Canary requests for every statistical check to show the canary below its margin at the
    /// expected rate (`f64::INFINITY` when the rate is too close to the margin).
    requests: f64,
}

impl Needs {
    fn of(plan: &Plan, checks: &[Check], step: &Step, rate: f64, rps: f64) -> Needs {
        let share = step.share;
        let analysis = &plan.analysis;
        let pass_at = 1.0 / analysis.alpha();
        let mut passages = Vec::new();
        if analysis.method == Method::Evidence {
            for check in checks.iter().filter(|c| statistical(c)) {
                let (expected, limit) = expected_and_limit(check, share, rate, rps, plan);
                let mean = requests_to_show(expected, limit, pass_at);
                passages.push(passage::passage(expected, limit, mean));
            }
        }
        let requests = passage::median_of_all(&passages);
        // A timed gate holds the step that much longer (an approval is not forecast).
        let wait = match step.gate {
            Some(crate::core::plan::Gate::Wait(wait)) => wait,
            _ => std::time::Duration::ZERO,
        };
        Needs {
            bake: step.bake + wait,
            requests: requests.max(analysis.min_requests as f64),
        }
    }
}

/// A latency check counts slow requests once it has a threshold; the forecast assumes it will.
fn statistical(check: &Check) -> bool {
    evidence::is_statistical(check)
        || matches!(
            check.kind,
            CheckKind::Latency { .. } | CheckKind::LatencyVsStable { .. }
        )
}

/// A healthy canary's expected bad share for `check`, and the margin a step must show it below.
fn expected_and_limit(check: &Check, share: Share, rate: f64, rps: f64, plan: &Plan) -> (f64, f64) {
    let at_full = share >= Share::CANARY_ONLY;
    let baseline = |expected: f64| {
        // At 100 % the canary is compared with the baseline's rate (plus its uncertainty).
        let requests = rps * plan.analysis.baseline.as_secs_f64();
        math::upper_rate(math::Counts::new(requests, requests * expected)).max(expected)
    };
    match check.kind {
        CheckKind::ErrorRate { max_percent } => (rate, max_percent / 100.0),
        CheckKind::ErrorRateVsStable { max_delta_percent } => {
            let reference = if at_full { baseline(rate) } else { rate };
            (rate, reference.min(rate) + max_delta_percent / 100.0)
        }
        CheckKind::Throttles { max_percent } => (0.0, max_percent / 100.0),
        // Slow requests: the stable's own percentile leaves its tail above it, and a limit
        // the stable meets leaves at most that.
        CheckKind::Latency { percentile, .. } => {
            let tail = evidence::tail(percentile);
            (tail / 2.0, tail)
        }
        CheckKind::LatencyVsStable {
            percentile,
            threshold_ms,
            ..
        } => {
            let tail = evidence::tail(percentile);
            let share = match threshold_ms {
                Some(_) => tail,
                None => above_worst_period(tail, rps, &plan.analysis),
            };
            (share, share + tail)
        }
        CheckKind::Custom(_) | CheckKind::Alarms { .. } => (0.0, 1.0),
    }
}

/// The share of requests slower than the stable's worst period's percentile over the baseline
/// (the threshold a `latency_vs_stable` without one counts against): the worst of `k` periods
/// of `n` requests sits about `z_k` standard errors of the quantile's rank above the true one,
/// `z_k` the expected maximum of `k` standard normals (Blom's approximation).
fn above_worst_period(tail: f64, rps: f64, analysis: &Analysis) -> f64 {
    let period = analysis.period.as_secs_f64();
    let per_period = rps * period;
    let k = (analysis.baseline.as_secs_f64() / period.max(1.0)).floor();
    if !(per_period >= 1.0 && k >= 1.0) {
        return tail;
    }
    let z = math::normal_quantile((k - 0.375) / (k + 0.25));
    let lifted = tail - z * (tail * (1.0 - tail) / per_period).sqrt();
    lifted.max(tail / 20.0)
}

/// The fewest requests at `expected` whose `rate_below` evidence against `limit` reaches
/// `target` (infinite when it never does).
fn requests_to_show(expected: f64, limit: f64, target: f64) -> f64 {
    if limit >= 1.0 {
        return 1.0;
    }
    if expected.is_nan() || expected >= limit {
        return f64::INFINITY;
    }
    let shown = |n: f64| math::rate_below(math::Counts::new(n, n * expected), limit) >= target;
    let mut high = 1.0_f64;
    while !shown(high) {
        high *= 2.0;
        if high > 1e12 {
            return f64::INFINITY;
        }
    }
    let mut low = high / 2.0;
    while high - low > 1.0 {
        let mid = (low + high) / 2.0;
        if shown(mid) {
            high = mid;
        } else {
            low = mid;
        }
    }
    high.ceil()
}

//! The threshold judgement: `judge(checks, observations, analysis) -> Judgement`, and the
//! shapes every judgement shares.
//!
//! Each check is judged against the observation at the same index, and the judgement is the
//! worst of the checks: any failure fails it; otherwise any "no data" makes it "no data". What
//! "no data" then means (hold, fail or pass) is the state machine's business, not the judge's.
//! This is `analysis.method: threshold` (one window's point estimate against the limit); the
//! default judge is [`super::evidence`], which judges custom metrics and alarms here too.

use super::evidence::math::Counts;
use super::evidence::Evidence;
use super::observe::{Observed, Traffic};
use super::plan::{Analysis, Check, CheckKind, CustomQuery};
use serde::{Deserialize, Serialize};

mod alarms;
mod throttles;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Verdict {
    Pass,
    Fail,
    NoData,
    /// The evidence judge: data, but not yet enough to pass or fail the step.
    Inconclusive,
    /// The evidence judge: the stable degraded as much as the canary.
    Shared,
    /// The evidence judge: neither target reported anything (the metrics have stopped).
    Silent,
}

impl Verdict {
    /// The name used in records and reports: `pass`, `fail` or `no_data`.
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Pass => "pass",
            Verdict::Fail => "fail",
            Verdict::NoData => "no_data",
            Verdict::Inconclusive => "inconclusive",
            Verdict::Shared => "shared_failure",
            Verdict::Silent => "metrics_stopped",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum CheckOutcome {
    Pass,
    Fail,
    NoData,
    Inconclusive,
    Shared,
    Silent,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CheckResult {
    pub check: String,
    pub outcome: CheckOutcome,
    /// Human text with the numbers, e.g. "canary 5xx 2.10% > max 1.00% (42 of 2000 requests)".
    pub detail: String,
    /// The evidence judge's counts of this window and the evidence after it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub counts: Option<WindowCounts>,
}

/// One window's counts of a statistical check, as the history keeps them.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct WindowCounts {
    pub canary: Counts,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stable: Option<Counts>,
    /// The regression evidence (e-value) after this window.
    pub evidence: f64,
}

impl CheckResult {
    /// `"<check>: <detail>"`, as shown in verdicts and reasons.
    pub fn line(&self) -> String {
        format!("{}: {}", self.check, self.detail)
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Judgement {
    pub verdict: Verdict,
    pub results: Vec<CheckResult>,
    /// The evidence judge's state with this window folded in (`None` from the threshold judge).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub evidence: Option<Evidence>,
}

impl Judgement {
    /// Every result as `"<check>: <detail>"`, in the plan's order.
    pub fn details(&self) -> Vec<String> {
        self.results.iter().map(CheckResult::line).collect()
    }

    /// Whether a failure rests on accumulated evidence (it applies `on_failure` at once; a
    /// per-window failure waits for `failure_threshold`).
    pub fn conclusive_failure(&self) -> bool {
        self.results
            .iter()
            .any(|r| r.outcome == CheckOutcome::Fail && r.counts.is_some())
    }

    /// The results with the given outcome as `"<check>: <detail>"`.
    pub fn details_of(&self, outcome: CheckOutcome) -> Vec<String> {
        self.results
            .iter()
            .filter(|r| r.outcome == outcome)
            .map(CheckResult::line)
            .collect()
    }
}

/// Judges `observed[i]` against `checks[i]`. Never panics: when the two lists differ in length
/// no observation can be trusted to belong to its check, so every check is "no data"; an
/// observation of the wrong kind makes its check "no data".
pub fn judge(checks: &[Check], observed: &[Observed], analysis: &Analysis) -> Judgement {
    let results: Vec<CheckResult> = if checks.len() == observed.len() {
        checks
            .iter()
            .zip(observed)
            .map(|(check, obs)| judge_one(check, obs, analysis))
            .collect()
    } else {
        let why = format!(
            "the metric source returned {} observations for {} checks, so none can be matched \
             to its check (a bug in canary-deploy: please report it)",
            observed.len(),
            checks.len()
        );
        checks
            .iter()
            .map(|check| result(check, CheckOutcome::NoData, why.clone()))
            .collect()
    };
    Judgement {
        verdict: overall(&results),
        results,
        evidence: None,
    }
}

fn overall(results: &[CheckResult]) -> Verdict {
    if results.iter().any(|r| r.outcome == CheckOutcome::Fail) {
        Verdict::Fail
    } else if results.iter().any(|r| r.outcome == CheckOutcome::NoData) {
        Verdict::NoData
    } else {
        Verdict::Pass
    }
}

fn result(check: &Check, outcome: CheckOutcome, detail: String) -> CheckResult {
    CheckResult {
        check: check.name.clone(),
        outcome,
        detail,
        counts: None,
    }
}

type Outcome = (CheckOutcome, String);

/// One check judged on one window's observation alone.
pub(crate) fn judge_one(check: &Check, observed: &Observed, analysis: &Analysis) -> CheckResult {
    let min_requests = analysis.min_requests;
    let (outcome, detail) = match (&check.kind, observed) {
        (_, Observed::Unavailable { why }) => (CheckOutcome::NoData, why.clone()),
        (CheckKind::ErrorRate { max_percent }, Observed::ErrorRate { canary, .. }) => {
            error_rate(*canary, *max_percent, min_requests)
        }
        (
            CheckKind::ErrorRateVsStable { max_delta_percent },
            Observed::ErrorRate { canary, stable },
        ) => error_rate_vs_stable(*canary, *stable, *max_delta_percent, min_requests),
        (
            CheckKind::Latency { percentile, max_ms },
            Observed::Latency {
                canary_requests,
                canary_ms,
                ..
            },
        ) => latency(
            *canary_requests,
            *canary_ms,
            *percentile,
            *max_ms,
            min_requests,
        ),
        (
            CheckKind::LatencyVsStable {
                percentile,
                max_ratio,
                ..
            },
            Observed::Latency {
                canary_requests,
                canary_ms,
                stable_ms,
                ..
            },
        ) => latency_vs_stable(
            *canary_requests,
            (*canary_ms, *stable_ms),
            *percentile,
            *max_ratio,
            min_requests,
        ),
        (
            CheckKind::Throttles { max_percent },
            Observed::Throttles {
                invocations,
                throttles,
            },
        ) => throttles::judge_throttles(*invocations, *throttles, *max_percent, min_requests),
        (CheckKind::Custom(query), Observed::Value(value)) => custom(query, *value),
        (CheckKind::Alarms { names }, Observed::Alarms(alarms)) => {
            alarms::judge_alarms(names, alarms)
        }
        (kind, observed) => (
            CheckOutcome::NoData,
            format!(
                "expected {} observation, got {} (a bug in canary-deploy: please report it)",
                expected_name(kind),
                observed_name(observed)
            ),
        ),
    };
    result(check, outcome, detail)
}

fn expected_name(kind: &CheckKind) -> &'static str {
    match kind {
        CheckKind::ErrorRate { .. } | CheckKind::ErrorRateVsStable { .. } => "an error-rate",
        CheckKind::Latency { .. } | CheckKind::LatencyVsStable { .. } => "a latency",
        CheckKind::Throttles { .. } => "a throttles",
        CheckKind::Custom(_) => "a metric value",
        CheckKind::Alarms { .. } => "an alarm-state",
    }
}

fn observed_name(observed: &Observed) -> &'static str {
    match observed {
        Observed::ErrorRate { .. } => "an error-rate one",
        Observed::Latency { .. } => "a latency one",
        Observed::Throttles { .. } => "a throttles one",
        Observed::Value(_) => "a metric value",
        Observed::Alarms(_) => "alarm states",
        Observed::Unavailable { .. } => "none",
    }
}

/// Non-finite numbers (which CloudWatch never sends) are treated as missing.
fn finite(value: Option<f64>) -> Option<f64> {
    value.filter(|v| v.is_finite())
}

/// The target's request count when it meets `min_requests`, else the "no data" reason.
fn enough_requests(who: &str, requests: Option<f64>, min_requests: u64) -> Result<f64, String> {
    let min = min_requests as f64;
    match finite(requests) {
        None => Err(format!(
            "{who} served no requests (no datapoints), fewer than min_requests {min_requests}"
        )),
        Some(n) if n < min => Err(format!(
            "{who} served {} requests, fewer than min_requests {min_requests}",
            num(n)
        )),
        Some(n) => Ok(n),
    }
}

/// A target's 5XX rate in percent with its counts; `Err` is the "no data" reason.
fn rate(who: &str, traffic: Traffic, min_requests: u64) -> Result<(f64, f64, f64), String> {
    let requests = enough_requests(who, traffic.requests, min_requests)?;
    if requests <= 0.0 {
        return Err(format!("{who} served no requests: no error rate to judge"));
    }
    // ALB publishes no 5XX datapoint for a period without errors.
    let errors = finite(traffic.errors).unwrap_or(0.0);
    // errors * 100 is exact for counts, so a rate exactly at the limit compares equal.
    Ok((errors * 100.0 / requests, errors, requests))
}

fn error_rate(canary: Traffic, max_percent: f64, min_requests: u64) -> Outcome {
    let (rate, errors, requests) = match rate("canary", canary, min_requests) {
        Ok(r) => r,
        Err(why) => return (CheckOutcome::NoData, why),
    };
    let (outcome, op) = compare(rate > max_percent);
    let detail = format!(
        "canary 5XX rate {rate:.2}% {op} max {max_percent:.2}% ({} of {} requests)",
        num(errors),
        num(requests)
    );
    (outcome, detail)
}

fn error_rate_vs_stable(
    canary: Traffic,
    stable: Traffic,
    max_delta_percent: f64,
    min_requests: u64,
) -> Outcome {
    let canary = rate("canary", canary, min_requests);
    let stable = rate("stable", stable, min_requests);
    let ((c_rate, c_err, c_req), (s_rate, s_err, s_req)) = match (canary, stable) {
        (Ok(c), Ok(s)) => (c, s),
        (Err(why), _) | (_, Err(why)) => return (CheckOutcome::NoData, why),
    };
    let (outcome, op) = compare(exceeds(c_rate, s_rate + max_delta_percent));
    let detail = format!(
        "canary 5XX rate {c_rate:.2}% {op} stable {s_rate:.2}% + {max_delta_percent:.2} points \
         (canary {} of {}, stable {} of {} requests)",
        num(c_err),
        num(c_req),
        num(s_err),
        num(s_req)
    );
    (outcome, detail)
}

fn latency(
    canary_requests: Option<f64>,
    canary_ms: Option<f64>,
    percentile: f64,
    max_ms: f64,
    min_requests: u64,
) -> Outcome {
    let p = percentile_name(percentile);
    if let Err(why) = enough_requests("canary", canary_requests, min_requests) {
        return (CheckOutcome::NoData, why);
    }
    let Some(ms) = finite(canary_ms) else {
        return (
            CheckOutcome::NoData,
            format!("no canary {p} latency datapoint in the window"),
        );
    };
    let (outcome, op) = compare(ms > max_ms);
    let detail = format!("canary {p} {} ms {op} max {} ms", num(ms), num(max_ms));
    (outcome, detail)
}

fn latency_vs_stable(
    canary_requests: Option<f64>,
    (canary_ms, stable_ms): (Option<f64>, Option<f64>),
    percentile: f64,
    max_ratio: f64,
    min_requests: u64,
) -> Outcome {
    let p = percentile_name(percentile);
    if let Err(why) = enough_requests("canary", canary_requests, min_requests) {
        return (CheckOutcome::NoData, why);
    }
    let (c_ms, s_ms) = match (finite(canary_ms), finite(stable_ms)) {
        (Some(c), Some(s)) => (c, s),
        (None, _) => {
            let why = format!("no canary {p} latency datapoint in the window");
            return (CheckOutcome::NoData, why);
        }
        (_, None) => {
            let why = format!("no stable {p} latency datapoint in the window");
            return (CheckOutcome::NoData, why);
        }
    };
    if s_ms <= 0.0 {
        let why = format!("stable {p} is {} ms: no ratio to judge against", num(s_ms));
        return (CheckOutcome::NoData, why);
    }
    let limit = s_ms * max_ratio;
    let (outcome, op) = compare(exceeds(c_ms, limit));
    let detail = format!(
        "canary {p} {} ms {op} {} x stable {p} {} ms = {} ms",
        num(c_ms),
        num(max_ratio),
        num(s_ms),
        num(limit)
    );
    (outcome, detail)
}

fn custom(query: &CustomQuery, value: Option<f64>) -> Outcome {
    let what = format!("{} {} {}", query.namespace, query.metric, query.statistic);
    let Some(value) = finite(value) else {
        return (
            CheckOutcome::NoData,
            format!("no datapoint for {what} in the window"),
        );
    };
    let outcome = if query.comparison.holds(value, query.threshold) {
        CheckOutcome::Pass
    } else {
        CheckOutcome::Fail
    };
    let detail = format!(
        "{what} = {} (must be {} {})",
        num(value),
        query.comparison.symbol(),
        num(query.threshold)
    );
    (outcome, detail)
}

/// Pass/Fail and the comparison sign for a detail line.
fn compare(exceeded: bool) -> (CheckOutcome, &'static str) {
    if exceeded {
        (CheckOutcome::Fail, ">")
    } else {
        (CheckOutcome::Pass, "<=")
    }
}

/// `value > limit`, ignoring differences far below anything meaningful, so a value exactly at a
/// computed limit (stable + delta, stable × ratio) is not failed by floating-point rounding.
fn exceeds(value: f64, limit: f64) -> bool {
    value - limit > 1e-9 * limit.abs().max(1.0)
}

/// `99.0` → `p99`, `99.9` → `p99.9`.
pub fn percentile_name(percentile: f64) -> String {
    format!("p{}", num(percentile))
}

/// A number with at most two decimals and no trailing zeros: `812`, `812.5`, `0.35`.
pub fn num(value: f64) -> String {
    let text = format!("{value:.2}");
    let text = text.trim_end_matches('0').trim_end_matches('.');
    if text == "-0" {
        "0".to_string()
    } else {
        text.to_string()
    }
}

#[cfg(test)]
#[path = "tests_judge.rs"]
mod tests;

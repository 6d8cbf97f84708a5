//! `plan`'s forecast as people and programs read it: each step's expected end on the clock, what
//! it can detect, and warnings for steps that cannot see a +1 point regression.

use crate::core::evidence::text::count;
use crate::core::forecast::{Forecast, Outcome, Recent, StepEnd, StepForecast, ONE_POINT};
use crate::core::judge::num;
use crate::core::plan::{Method, NoDataPolicy, Plan};
use crate::core::Timestamp;
use serde_json::json;
use std::time::Duration;

/// "12.3 req/s, stable 5XX 0.41%"
pub fn recent_text(recent: &Recent) -> String {
    let rate = recent
        .error_rate
        .map_or("no stable requests".to_string(), |r| {
            format!("stable 5XX {}%", num(r * 100.0))
        });
    format!("{} req/s, {rate}", num(recent.requests_per_second))
}

/// One line per step, then the expected end.
pub fn lines(plan: &Plan, forecast: &Forecast, now: Timestamp) -> Vec<String> {
    let mut out: Vec<String> = forecast
        .steps
        .iter()
        .map(|step| step_line(plan, step, now))
        .collect();
    out.push(match forecast.outcome {
        Outcome::Promoted { after } => format!(
            "expected end: promoted at about {} UTC ({} from now, if the canary is as healthy as \
             the stable)",
            now.plus(after).clock(),
            show(after)
        ),
        Outcome::Holds { index } => format!(
            "expected end: none; step {} holds (no_data: hold) for want of traffic to judge it",
            index + 1
        ),
        Outcome::RollsBack { index } => format!(
            "expected end: rolled back at step {} (no_data: fail) for want of traffic to judge it",
            index + 1
        ),
        Outcome::Pauses { index } => format!(
            "expected end: paused at step {}: the route had no traffic in the last hour",
            index + 1
        ),
    });
    out
}

fn step_line(plan: &Plan, step: &StepForecast, now: Timestamp) -> String {
    let bake = plan
        .steps
        .get(step.index)
        .map_or(Duration::ZERO, |s| s.bake);
    let ends = now.plus(step.ends).clock();
    let how = match step.end {
        StepEnd::Baked => format!("ends about {ends}"),
        StepEnd::Evidence => {
            format!("ends about {ends}, past its bake, once its counts show the canary healthy")
        }
        StepEnd::Held => {
            format!("past max_bake, holds (no_data: hold) until about {ends} for its evidence")
        }
        StepEnd::Deadline(NoDataPolicy::Pass) => {
            format!("moves on unjudged at {ends} (too little traffic; no_data: pass)")
        }
        StepEnd::Deadline(NoDataPolicy::Fail) => {
            format!("rolls back at {ends} (too little traffic to judge; no_data: fail)")
        }
        StepEnd::Deadline(NoDataPolicy::Hold) => {
            format!("holds from {ends}: too little traffic to ever judge it (no_data: hold)")
        }
        StepEnd::Silent => format!("pauses at {ends}: no traffic"),
    };
    let judged = if step.canary_requests > 0.0 {
        format!(" on ~{} canary requests", count(step.canary_requests))
    } else {
        String::new()
    };
    let power = match (
        plan.analysis.method,
        step.detects_in_bake,
        step.detects_in_max_bake,
    ) {
        (Method::Threshold, _, _) | (_, None, None) => String::new(),
        (_, bake, max) => format!(
            "; detects {} in its bake, {} by max_bake",
            points(bake),
            points(max)
        ),
    };
    format!(
        "step {}  {:>6}  {}  bake {}  {how}{judged}{power}",
        step.index + 1,
        step.share.to_string(),
        now.plus(step.starts).clock(),
        show(bake)
    )
}

/// The steps that cannot detect a +1 point error-rate regression within their `max_bake`.
pub fn warnings(plan: &Plan, forecast: &Forecast) -> Vec<String> {
    if plan.analysis.method == Method::Threshold {
        return Vec::new();
    }
    forecast
        .steps
        .iter()
        .filter(|step| step.canary_requests > 0.0 || step.detects_in_max_bake.is_some())
        .filter(|step| step.detects_in_max_bake.is_none_or(|d| d > ONE_POINT))
        .map(|step| {
            let bake = plan
                .steps
                .get(step.index)
                .map_or(Duration::ZERO, |s| s.bake);
            let max_bake = plan.analysis.max_bake.for_bake(bake);
            let within = if max_bake.is_zero() {
                "in its first judged window".to_string()
            } else {
                format!("within max_bake {}", show(max_bake))
            };
            format!(
                "step {} ({}) cannot detect a +1 pt error-rate regression {within} on the last \
                 hour's traffic (it detects {}): raise the step's weight or bake, or lower \
                 analysis.confidence",
                step.index + 1,
                step.share,
                points(step.detects_in_max_bake)
            )
        })
        .collect()
}

/// The forecast as JSON: times in RFC 3339, regressions in points.
pub fn as_json(
    plan: &Plan,
    forecast: &Forecast,
    recent: &Recent,
    now: Timestamp,
) -> serde_json::Value {
    let at = |d: Duration| now.plus(d).rfc3339();
    let steps: Vec<serde_json::Value> = forecast
        .steps
        .iter()
        .map(|s| {
            json!({
                "step": s.index + 1,
                "percent": s.share.percent(),
                "starts_at": at(s.starts),
                "ends_at": at(s.ends),
                "ends": end_name(s.end),
                "canary_requests": s.canary_requests.round(),
                "detects_in_bake_points": s.detects_in_bake.map(|d| d * 100.0),
                "detects_in_max_bake_points": s.detects_in_max_bake.map(|d| d * 100.0),
            })
        })
        .collect();
    let (outcome, end) = match forecast.outcome {
        Outcome::Promoted { after } => ("promoted", Some(at(after))),
        Outcome::Holds { .. } => ("holds", None),
        Outcome::RollsBack { .. } => ("rolled_back", None),
        Outcome::Pauses { .. } => ("paused", None),
    };
    json!({
        "recent": {
            "requests_per_second": recent.requests_per_second,
            "stable_error_percent": recent.error_rate.map(|r| r * 100.0),
        },
        "steps": steps,
        "outcome": outcome,
        "expected_end": end,
        "warnings": warnings(plan, forecast),
    })
}

fn end_name(end: StepEnd) -> &'static str {
    match end {
        StepEnd::Baked => "baked",
        StepEnd::Evidence => "evidence",
        StepEnd::Held => "held",
        StepEnd::Deadline(NoDataPolicy::Pass) => "unjudged",
        StepEnd::Deadline(NoDataPolicy::Fail) => "rolled_back",
        StepEnd::Deadline(NoDataPolicy::Hold) => "holds",
        StepEnd::Silent => "paused",
    }
}

/// "+0.8 pt", or "nothing" when no regression is detectable.
fn points(delta: Option<f64>) -> String {
    match delta {
        Some(d) => format!("+{} pt", num(d * 100.0)),
        None => "nothing".to_string(),
    }
}

/// `90s` → `1m 30s`.
fn show(d: Duration) -> String {
    humantime::format_duration(Duration::from_secs(d.as_secs())).to_string()
}

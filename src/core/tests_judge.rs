//! Every judge rule, with its boundary values: error rates and latencies here, the other
//! checks and the overall verdict in `tests_judge_checks.rs`.

use super::*;
use crate::core::observe::{AlarmObservation, AlarmState};
use crate::core::plan::{Comparison, CustomQuery};
use crate::core::step::test_support::{analysis, check};

fn one(kind: CheckKind, observed: Observed) -> CheckResult {
    let j = judge(&[check("c", kind)], &[observed], &analysis());
    assert_eq!(j.results.len(), 1);
    j.results[0].clone()
}

fn outcome(kind: CheckKind, observed: Observed) -> CheckOutcome {
    one(kind, observed).outcome
}

fn traffic(requests: Option<f64>, errors: Option<f64>) -> Traffic {
    Traffic { requests, errors }
}

fn errors(canary: Traffic, stable: Traffic) -> Observed {
    Observed::ErrorRate { canary, stable }
}

const ER: CheckKind = CheckKind::ErrorRate { max_percent: 1.0 };
const ER_VS: CheckKind = CheckKind::ErrorRateVsStable {
    max_delta_percent: 1.0,
};
const LAT: CheckKind = CheckKind::Latency {
    percentile: 99.0,
    max_ms: 500.0,
};
const LAT_VS: CheckKind = CheckKind::LatencyVsStable {
    percentile: 99.9,
    max_ratio: 1.5,
    threshold_ms: None,
};

fn latency(requests: Option<f64>, canary_ms: Option<f64>, stable_ms: Option<f64>) -> Observed {
    Observed::Latency {
        canary_requests: requests,
        canary_ms,
        stable_ms,
        slow: None,
    }
}

fn alarm(name: &str, state: AlarmState, reason: &str) -> AlarmObservation {
    AlarmObservation {
        name: name.to_string(),
        state,
        reason: reason.to_string(),
    }
}

fn queue_depth(comparison: Comparison) -> CheckKind {
    CheckKind::Custom(CustomQuery {
        namespace: "MyApp".to_string(),
        metric: "QueueDepth".to_string(),
        dimensions: vec![("Service".to_string(), "checkout".to_string())],
        statistic: "Maximum".to_string(),
        comparison,
        threshold: 100.0,
    })
}

#[test]
fn error_rate_fails_above_the_maximum() {
    let r = one(
        ER,
        errors(traffic(Some(1000.0), Some(52.0)), Traffic::default()),
    );
    assert_eq!(r.outcome, CheckOutcome::Fail);
    assert_eq!(
        r.detail,
        "canary 5XX rate 5.20% > max 1.00% (52 of 1000 requests)"
    );
    let r = one(
        ER,
        errors(traffic(Some(1000.0), Some(1.0)), Traffic::default()),
    );
    assert_eq!(r.outcome, CheckOutcome::Pass);
    assert_eq!(
        r.detail,
        "canary 5XX rate 0.10% <= max 1.00% (1 of 1000 requests)"
    );
}

#[test]
fn error_rate_exactly_at_the_maximum_passes() {
    let at = errors(traffic(Some(1000.0), Some(10.0)), Traffic::default());
    assert_eq!(outcome(ER, at), CheckOutcome::Pass);
    let above = errors(traffic(Some(1000.0), Some(11.0)), Traffic::default());
    assert_eq!(outcome(ER, above), CheckOutcome::Fail);
    // Decimal limits compare exactly too: 3 of 3000 is 0.1 %.
    let tenth = CheckKind::ErrorRate { max_percent: 0.1 };
    let at = errors(traffic(Some(3000.0), Some(3.0)), Traffic::default());
    assert_eq!(outcome(tenth, at), CheckOutcome::Pass);
}

#[test]
fn error_rate_without_a_5xx_datapoint_counts_zero_errors() {
    let r = one(ER, errors(traffic(Some(500.0), None), Traffic::default()));
    assert_eq!(r.outcome, CheckOutcome::Pass);
    assert_eq!(
        r.detail,
        "canary 5XX rate 0.00% <= max 1.00% (0 of 500 requests)"
    );
}

#[test]
fn error_rate_below_min_requests_is_no_data() {
    // min_requests is 100 in the test analysis.
    let r = one(
        ER,
        errors(traffic(Some(99.0), Some(99.0)), Traffic::default()),
    );
    assert_eq!(r.outcome, CheckOutcome::NoData);
    assert_eq!(
        r.detail,
        "canary served 99 requests, fewer than min_requests 100"
    );
    let at_min = errors(traffic(Some(100.0), Some(0.0)), Traffic::default());
    assert_eq!(outcome(ER, at_min), CheckOutcome::Pass);
    let none = one(ER, errors(traffic(None, Some(3.0)), Traffic::default()));
    assert_eq!(none.outcome, CheckOutcome::NoData);
    assert!(
        none.detail.contains("fewer than min_requests 100"),
        "{}",
        none.detail
    );
}

#[test]
fn error_rate_with_zero_requests_and_zero_minimum_is_no_data() {
    let mut a = analysis();
    a.min_requests = 0;
    let obs = errors(traffic(Some(0.0), None), Traffic::default());
    let j = judge(&[check("c", ER)], &[obs], &a);
    assert_eq!(j.verdict, Verdict::NoData);
}

#[test]
fn error_rate_vs_stable_compares_with_the_stable_rate_plus_delta() {
    let stable = traffic(Some(1000.0), Some(10.0)); // 1 %
    let at = one(ER_VS, errors(traffic(Some(2000.0), Some(40.0)), stable)); // 2 %
    assert_eq!(at.outcome, CheckOutcome::Pass);
    assert_eq!(
        at.detail,
        "canary 5XX rate 2.00% <= stable 1.00% + 1.00 points (canary 40 of 2000, stable 10 of \
         1000 requests)"
    );
    let above = one(ER_VS, errors(traffic(Some(2000.0), Some(41.0)), stable));
    assert_eq!(above.outcome, CheckOutcome::Fail);
    assert!(
        above
            .detail
            .starts_with("canary 5XX rate 2.05% > stable 1.00%"),
        "{}",
        above.detail
    );
    // A decimal delta exactly met is not failed by rounding: 0.8 % = 0.1 % + 0.7 points
    // (0.1 + 0.7 is 0.7999999999999999 in binary).
    let decimal = CheckKind::ErrorRateVsStable {
        max_delta_percent: 0.7,
    };
    let obs = errors(
        traffic(Some(1000.0), Some(8.0)),
        traffic(Some(1000.0), Some(1.0)),
    );
    assert_eq!(outcome(decimal, obs), CheckOutcome::Pass);
}

#[test]
fn error_rate_vs_stable_needs_enough_requests_on_both_sides() {
    let enough = traffic(Some(1000.0), Some(0.0));
    let r = one(ER_VS, errors(enough, traffic(Some(50.0), Some(0.0))));
    assert_eq!(r.outcome, CheckOutcome::NoData);
    assert_eq!(
        r.detail,
        "stable served 50 requests, fewer than min_requests 100"
    );
    let r = one(ER_VS, errors(traffic(Some(10.0), Some(5.0)), enough));
    assert_eq!(r.outcome, CheckOutcome::NoData);
    assert!(
        r.detail.starts_with("canary served 10 requests"),
        "{}",
        r.detail
    );
    // Stable with no 5XX datapoint counts as 0 %.
    let r = one(
        ER_VS,
        errors(traffic(Some(100.0), Some(1.0)), traffic(Some(100.0), None)),
    );
    assert_eq!(r.outcome, CheckOutcome::Pass);
}

#[test]
fn latency_fails_above_the_maximum() {
    let r = one(LAT, latency(Some(1000.0), Some(812.0), None));
    assert_eq!(r.outcome, CheckOutcome::Fail);
    assert_eq!(r.detail, "canary p99 812 ms > max 500 ms");
    let r = one(LAT, latency(Some(1000.0), Some(500.0), None));
    assert_eq!(r.outcome, CheckOutcome::Pass);
    assert_eq!(r.detail, "canary p99 500 ms <= max 500 ms");
    assert_eq!(
        outcome(LAT, latency(Some(1000.0), Some(500.01), None)),
        CheckOutcome::Fail
    );
}

#[test]
fn latency_without_requests_or_datapoint_is_no_data() {
    assert_eq!(
        outcome(LAT, latency(None, Some(900.0), None)),
        CheckOutcome::NoData
    );
    assert_eq!(
        outcome(LAT, latency(Some(99.0), Some(900.0), None)),
        CheckOutcome::NoData
    );
    let r = one(LAT, latency(Some(1000.0), None, Some(100.0)));
    assert_eq!(r.outcome, CheckOutcome::NoData);
    assert_eq!(r.detail, "no canary p99 latency datapoint in the window");
    assert_eq!(
        outcome(LAT, latency(Some(1000.0), Some(f64::NAN), None)),
        CheckOutcome::NoData
    );
}

#[test]
fn latency_vs_stable_compares_with_a_ratio_of_stable() {
    let at = one(LAT_VS, latency(Some(1000.0), Some(600.0), Some(400.0)));
    assert_eq!(at.outcome, CheckOutcome::Pass);
    assert_eq!(
        at.detail,
        "canary p99.9 600 ms <= 1.5 x stable p99.9 400 ms = 600 ms"
    );
    let above = one(LAT_VS, latency(Some(1000.0), Some(600.5), Some(400.0)));
    assert_eq!(above.outcome, CheckOutcome::Fail);
    assert_eq!(
        above.detail,
        "canary p99.9 600.5 ms > 1.5 x stable p99.9 400 ms = 600 ms"
    );
    // 1.2 × 3 is 3.5999999999999996 in binary: exactly at the limit still passes.
    let ratio = CheckKind::LatencyVsStable {
        percentile: 99.0,
        max_ratio: 1.2,
        threshold_ms: None,
    };
    assert_eq!(
        outcome(ratio.clone(), latency(Some(1000.0), Some(3.6), Some(3.0))),
        CheckOutcome::Pass
    );
    assert_eq!(
        outcome(ratio, latency(Some(1000.0), Some(3.61), Some(3.0))),
        CheckOutcome::Fail
    );
}

#[test]
fn latency_vs_stable_without_a_usable_baseline_is_no_data() {
    assert_eq!(
        outcome(LAT_VS, latency(Some(1000.0), Some(600.0), None)),
        CheckOutcome::NoData
    );
    assert_eq!(
        outcome(LAT_VS, latency(Some(1000.0), None, Some(400.0))),
        CheckOutcome::NoData
    );
    assert_eq!(
        outcome(LAT_VS, latency(Some(99.0), Some(900.0), Some(1.0))),
        CheckOutcome::NoData
    );
    let r = one(LAT_VS, latency(Some(1000.0), Some(600.0), Some(0.0)));
    assert_eq!(r.outcome, CheckOutcome::NoData);
    assert_eq!(r.detail, "stable p99.9 is 0 ms: no ratio to judge against");
}

#[path = "tests_judge_checks.rs"]
mod checks;

//! Test helpers of the per-backend publish tests: targets, one second's datums, and what a
//! test compares them by, so each backend's test states only what that backend publishes.

use super::second_datums;
use crate::simulator::{Failure, SimBackend, SimTarget, TargetProfile};
use aws_sdk_cloudwatch::types::{MetricDatum, StandardUnit};
use std::collections::BTreeMap;
use std::time::{Duration, UNIX_EPOCH};

/// The first second the tests publish.
pub(super) const START: u64 = 1_700_000_000;

/// A target group (a version) `dimension` with `error_rate`, answering in `latency_ms` at the
/// median and `p99_ms` at the 99th percentile.
pub(super) fn target(
    dimension: &str,
    error_rate: f64,
    (latency_ms, p99_ms): (f64, f64),
) -> SimTarget {
    SimTarget {
        target_group_dimension: dimension.to_string(),
        profile: TargetProfile {
            error_rate,
            latency_ms,
            p99_ms,
            failure: Failure::Error,
        },
    }
}

/// [`target`] whose failed requests show as `failure`.
pub(super) fn failing(
    dimension: &str,
    error_rate: f64,
    latency: (f64, f64),
    failure: Failure,
) -> SimTarget {
    let mut target = target(dimension, error_rate, latency);
    target.profile.failure = failure;
    target
}

/// The datums of `second` (seconds since the epoch) for `(target, requests)`.
pub(super) fn datums_at(
    backend: &SimBackend,
    targets: &[(SimTarget, u64)],
    second: u64,
) -> Vec<MetricDatum> {
    second_datums(backend, targets, UNIX_EPOCH + Duration::from_secs(second))
}

/// (the value of dimension number `dimension`, "" for a datum without it, metric, unit, value)
/// of one datum.
pub(super) type Shape<'a> = (&'a str, &'a str, Option<&'a StandardUnit>, Option<f64>);

/// The [`Shape`] of each datum, in order.
pub(super) fn shapes(datums: &[MetricDatum], dimension: usize) -> Vec<Shape<'_>> {
    datums
        .iter()
        .map(|d| {
            (
                d.dimensions()
                    .get(dimension)
                    .and_then(|x| x.value())
                    .unwrap_or(""),
                d.metric_name().unwrap_or(""),
                d.unit(),
                d.value(),
            )
        })
        .collect()
}

/// Over the minute from [`START`], per metric of the target group whose dimension number
/// `dimension` is `target_group`: the counts summed, and for the latency (a datum of Values and
/// Counts) the requests its Counts cover.
pub(super) fn minute_totals(
    datums_at: impl Fn(u64) -> Vec<MetricDatum>,
    dimension: usize,
    target_group: &str,
) -> BTreeMap<String, f64> {
    let mut totals = BTreeMap::new();
    for second in START..START + 60 {
        for d in datums_at(second)
            .iter()
            .filter(|d| d.dimensions().get(dimension).and_then(|x| x.value()) == Some(target_group))
        {
            let value = match d.value() {
                Some(count) => count,
                None => d.counts().iter().sum::<f64>(),
            };
            let metric = d.metric_name().unwrap_or_default().to_string();
            *totals.entry(metric).or_default() += value;
        }
    }
    totals
}

/// `(metric, total)` pairs as [`minute_totals`] returns them.
pub(super) fn totals(pairs: &[(&str, f64)]) -> BTreeMap<String, f64> {
    pairs.iter().map(|(m, n)| (m.to_string(), *n)).collect()
}

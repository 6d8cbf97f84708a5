//! One second of ALB metrics for each target group, published with `PutMetricData`.
//!
//! What a target group with `n` requests in a second publishes, like the ALB (metric names from
//! [`crate::metrics::templates`]), all with `StorageResolution` 1 and dimensions `TargetGroup`
//! + `LoadBalancer` in `AWS/ApplicationELB`:
//! - `RequestCount` = n (Count); nothing at all when n = 0 (ALB reports only while requests
//!   flow);
//! - `HTTPCode_Target_5XX_Count` = errors, only when > 0 (ALB omits zero counts);
//! - `HTTPCode_Target_2XX_Count` = n − errors, only when > 0;
//! - `TargetResponseTime` as Values/Counts in seconds.
//!
//! Deterministic, without randomness: a share `r` of `n` requests in second `s` (Unix seconds)
//! is `⌊r·n·(s+1)⌋ − ⌊r·n·s⌋`, the fractional requests accumulated over time. Each second gets
//! ⌊r·n⌋ or ⌈r·n⌉, and k consecutive seconds at a constant n get ⌊r·n·k⌋ or ⌈r·n·k⌉ in total
//! (exactly r·n·k when that is whole). Rates are taken in parts per million.
//!
//! Latency distribution: 97 % of requests at `latency_ms`, 1 % halfway between `latency_ms` and
//! `p99_ms`, 2 % at `p99_ms`. So the median is `latency_ms`, and the 99th percentile falls in
//! the middle of the top 2 %: exactly `p99_ms` under nearest-rank or interpolating percentile
//! definitions (with ≥ 100 requests in the period).

use super::{SimTarget, SimulatorError, TargetProfile};
use crate::metrics::templates::{
    ALB_NAMESPACE, REQUEST_COUNT, TARGET_2XX_COUNT, TARGET_5XX_COUNT, TARGET_RESPONSE_TIME,
};
use aws_sdk_cloudwatch::error::DisplayErrorContext;
use aws_sdk_cloudwatch::types::{Dimension, MetricDatum, StandardUnit};
use aws_smithy_types::DateTime;
use std::time::{SystemTime, UNIX_EPOCH};

/// Parts per million of requests at the p99 latency.
const SLOW_PPM: u64 = 20_000;
/// Parts per million of requests halfway between median and p99.
const MID_PPM: u64 = 10_000;
/// Metric data per `PutMetricData` call (the API takes up to 1,000).
const DATUMS_PER_CALL: usize = 500;

/// What one target group answered in one second.
#[derive(Clone, Debug, PartialEq)]
pub struct SecondCounts {
    pub requests: u64,
    pub errors: u64,
    pub ok: u64,
    /// `(seconds, count)` pairs, distinct values, counts > 0.
    pub latency: Vec<(f64, f64)>,
}

/// The deterministic outcome of `requests` requests to a target with `profile` in Unix second
/// `second`.
pub fn second_counts(profile: &TargetProfile, requests: u64, second: u64) -> SecondCounts {
    let errors = share(ppm(profile.error_rate), requests, second);
    let slow = share(SLOW_PPM, requests, second);
    let mid = share(MID_PPM, requests, second).min(requests - slow);
    let fast = requests - slow - mid;
    let mut latency: Vec<(f64, f64)> = Vec::new();
    let mid_ms = (profile.latency_ms + profile.p99_ms) / 2.0;
    for (ms, count) in [
        (profile.latency_ms, fast),
        (mid_ms, mid),
        (profile.p99_ms, slow),
    ] {
        if count == 0 {
            continue;
        }
        let seconds = ms / 1000.0;
        match latency.iter_mut().find(|(v, _)| *v == seconds) {
            Some((_, c)) => *c += count as f64,
            None => latency.push((seconds, count as f64)),
        }
    }
    SecondCounts {
        requests,
        errors,
        ok: requests - errors,
        latency,
    }
}

/// `rate` (0..1) in parts per million.
fn ppm(rate: f64) -> u64 {
    if rate.is_nan() {
        return 0;
    }
    (rate.clamp(0.0, 1.0) * 1_000_000.0).round() as u64
}

/// `⌊p·n·(s+1)⌋ − ⌊p·n·s⌋` with p in parts per million: never more than n.
fn share(ppm: u64, n: u64, second: u64) -> u64 {
    let rate = u128::from(ppm) * u128::from(n);
    let s = u128::from(second);
    let got = rate * (s + 1) / 1_000_000 - rate * s / 1_000_000;
    (got as u64).min(n)
}

/// The metric data of one second for every target (none for a target without requests).
pub fn second_datums(
    load_balancer_dimension: &str,
    targets: &[(SimTarget, u64)],
    at: SystemTime,
) -> Vec<MetricDatum> {
    let second = at
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    let timestamp = DateTime::from(at);
    let mut out = Vec::new();
    for (target, requests) in targets {
        if *requests == 0 {
            continue;
        }
        let counts = second_counts(&target.profile, *requests, second);
        let datum = |metric: &str, unit: StandardUnit| {
            MetricDatum::builder()
                .metric_name(metric)
                .dimensions(dimension("TargetGroup", &target.target_group_dimension))
                .dimensions(dimension("LoadBalancer", load_balancer_dimension))
                .timestamp(timestamp)
                .unit(unit)
                .storage_resolution(1)
        };
        out.push(
            datum(REQUEST_COUNT, StandardUnit::Count)
                .value(counts.requests as f64)
                .build(),
        );
        if counts.errors > 0 {
            out.push(
                datum(TARGET_5XX_COUNT, StandardUnit::Count)
                    .value(counts.errors as f64)
                    .build(),
            );
        }
        if counts.ok > 0 {
            out.push(
                datum(TARGET_2XX_COUNT, StandardUnit::Count)
                    .value(counts.ok as f64)
                    .build(),
            );
        }
        let (values, weights): (Vec<f64>, Vec<f64>) = counts.latency.into_iter().unzip();
        out.push(
            datum(TARGET_RESPONSE_TIME, StandardUnit::Seconds)
                .set_values(Some(values))
                .set_counts(Some(weights))
                .build(),
        );
    }
    out
}

fn dimension(name: &str, value: &str) -> Dimension {
    Dimension::builder().name(name).value(value).build()
}

/// Publishes one second of ALB metrics at `at` for each `(target, requests)`.
pub async fn publish_second(
    client: &aws_sdk_cloudwatch::Client,
    load_balancer_dimension: &str,
    targets: &[(SimTarget, u64)],
    at: SystemTime,
) -> Result<(), SimulatorError> {
    let datums = second_datums(load_balancer_dimension, targets, at);
    for chunk in datums.chunks(DATUMS_PER_CALL) {
        client
            .put_metric_data()
            .namespace(ALB_NAMESPACE)
            .set_metric_data(Some(chunk.to_vec()))
            .send()
            .await
            .map_err(|e| SimulatorError::Call {
                service: "cloudwatch",
                operation: "PutMetricData",
                message: DisplayErrorContext(&e).to_string(),
            })?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    const PROFILE: TargetProfile = TargetProfile {
        error_rate: 0.01,
        latency_ms: 40.0,
        p99_ms: 400.0,
    };

    fn total(profile: &TargetProfile, n: u64, from: u64, seconds: u64) -> (u64, Vec<(f64, f64)>) {
        let mut errors = 0;
        let mut latency: Vec<(f64, f64)> = Vec::new();
        for s in from..from + seconds {
            let c = second_counts(profile, n, s);
            assert_eq!(c.errors + c.ok, n);
            assert_eq!(c.latency.iter().map(|(_, k)| k).sum::<f64>(), n as f64);
            errors += c.errors;
            for (v, k) in c.latency {
                match latency.iter_mut().find(|(x, _)| *x == v) {
                    Some((_, t)) => *t += k,
                    None => latency.push((v, k)),
                }
            }
        }
        (errors, latency)
    }

    /// Nearest-rank percentile of (value, count) pairs.
    fn percentile(pairs: &[(f64, f64)], p: f64) -> f64 {
        let mut pairs = pairs.to_vec();
        pairs.sort_by(|a, b| a.0.total_cmp(&b.0));
        let n: f64 = pairs.iter().map(|x| x.1).sum();
        let rank = (p / 100.0 * n).ceil();
        let mut seen = 0.0;
        for (v, k) in pairs {
            seen += k;
            if seen >= rank {
                return v;
            }
        }
        f64::NAN
    }

    #[test]
    fn fractional_errors_accumulate_over_seconds() {
        // 1 % of 50 = 0.5 per second: 30 over a minute, starting at any second.
        for start in [1_700_000_000, 1_700_000_001, 7] {
            assert_eq!(total(&PROFILE, 50, start, 60).0, 30);
        }
        let exact = TargetProfile {
            error_rate: 0.05,
            ..PROFILE
        };
        assert_eq!(second_counts(&exact, 200, 123).errors, 10);
        let none = TargetProfile {
            error_rate: 0.0,
            ..PROFILE
        };
        assert_eq!(total(&none, 1000, 5, 60).0, 0);
        let all = TargetProfile {
            error_rate: 1.0,
            ..PROFILE
        };
        assert_eq!(second_counts(&all, 7, 5).errors, 7);
        assert_eq!(second_counts(&all, 7, 5).ok, 0);
    }

    #[test]
    fn p99_of_a_minute_is_the_profile_p99_and_median_the_latency() {
        for n in [50, 100, 333] {
            let (_, latency) = total(&PROFILE, n, 1_700_000_040, 60);
            assert_eq!(percentile(&latency, 99.0), 0.4, "n={n}");
            assert_eq!(percentile(&latency, 50.0), 0.04, "n={n}");
            assert_eq!(
                percentile(&latency, 98.5),
                0.4,
                "n={n}: the top 2 % is the p99"
            );
        }
    }

    #[test]
    fn equal_latencies_merge_into_one_value() {
        let flat = TargetProfile {
            error_rate: 0.0,
            latency_ms: 10.0,
            p99_ms: 10.0,
        };
        assert_eq!(second_counts(&flat, 100, 0).latency, vec![(0.01, 100.0)]);
    }

    #[test]
    fn datums_look_like_the_alb_and_skip_zeros() {
        let target = |name: &str, error_rate| SimTarget {
            target_group_dimension: format!("targetgroup/{name}/1"),
            profile: TargetProfile {
                error_rate,
                ..PROFILE
            },
        };
        let at = UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        let datums = second_datums(
            "app/web/9",
            &[
                (target("blue", 0.0), 100),
                (target("green", 0.1), 10),
                (target("idle", 0.5), 0),
            ],
            at,
        );
        let names: Vec<(&str, &str)> = datums
            .iter()
            .map(|d| {
                (
                    d.dimensions()[0].value().unwrap_or(""),
                    d.metric_name().unwrap_or(""),
                )
            })
            .collect();
        assert_eq!(
            names,
            vec![
                ("targetgroup/blue/1", "RequestCount"),
                ("targetgroup/blue/1", "HTTPCode_Target_2XX_Count"),
                ("targetgroup/blue/1", "TargetResponseTime"),
                ("targetgroup/green/1", "RequestCount"),
                ("targetgroup/green/1", "HTTPCode_Target_5XX_Count"),
                ("targetgroup/green/1", "HTTPCode_Target_2XX_Count"),
                ("targetgroup/green/1", "TargetResponseTime"),
            ]
        );
        assert!(datums.iter().all(|d| d.storage_resolution() == Some(1)));
        assert!(datums
            .iter()
            .all(|d| d.dimensions()[1].value() == Some("app/web/9")));
        assert_eq!(datums[4].value(), Some(1.0));
        assert_eq!(datums[6].unit(), Some(&StandardUnit::Seconds));
        assert_eq!(
            datums[0].timestamp(),
            Some(&DateTime::from_secs(1_700_000_000))
        );
    }
}

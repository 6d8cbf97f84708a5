//! What a target group answers in one second, shared by every backend: requests, failures, the
//! rest, and the latency distribution in milliseconds (each backend's datums convert to its
//! unit). Failures are errors of the requests that ran, or, for [`Failure::Throttle`], requests
//! that never ran (not in `requests`, no latency).
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

use crate::metrics::templates::LatencyUnit;
use crate::simulator::{Failure, TargetProfile};

/// Parts per million of requests at the p99 latency.
const SLOW_PPM: u64 = 20_000;
/// Parts per million of requests halfway between median and p99.
const MID_PPM: u64 = 10_000;

/// What one target group answered in one second.
#[derive(Clone, Debug, PartialEq)]
pub struct SecondCounts {
    /// The requests that ran (throttled ones left out).
    pub requests: u64,
    /// The failed ones among `requests`, shown as the profile's [`Failure`] says.
    pub errors: u64,
    pub ok: u64,
    /// Requests rejected before running ([`Failure::Throttle`]).
    pub throttled: u64,
    /// `(milliseconds, count)` pairs, distinct values, counts > 0.
    pub latency_ms: Vec<(f64, f64)>,
}

impl SecondCounts {
    /// The latency as `(value, count)` pairs in `unit`, distinct values, in the same order.
    pub fn latency_in(&self, unit: LatencyUnit) -> Vec<(f64, f64)> {
        let mut out: Vec<(f64, f64)> = Vec::new();
        for (ms, count) in &self.latency_ms {
            add(&mut out, from_ms(unit, *ms), *count);
        }
        out
    }
}

/// `ms` milliseconds in `unit`.
fn from_ms(unit: LatencyUnit, ms: f64) -> f64 {
    match unit {
        LatencyUnit::Seconds => ms / 1000.0,
        LatencyUnit::Milliseconds => ms,
    }
}

/// Adds `count` at `value`, merging equal values.
fn add(pairs: &mut Vec<(f64, f64)>, value: f64, count: f64) {
    match pairs.iter_mut().find(|(v, _)| *v == value) {
        Some((_, c)) => *c += count,
        None => pairs.push((value, count)),
    }
}

/// The deterministic outcome of `requests` requests to a target with `profile` in Unix second
/// `second`.
pub fn second_counts(profile: &TargetProfile, requests: u64, second: u64) -> SecondCounts {
    let failed = share(ppm(profile.error_rate), requests, second);
    let (throttled, errors) = match profile.failure {
        Failure::Throttle => (failed, 0),
        _ => (0, failed),
    };
    let requests = requests - throttled;
    let slow = share(SLOW_PPM, requests, second);
    let mid = share(MID_PPM, requests, second).min(requests - slow);
    let fast = requests - slow - mid;
    let mut latency_ms: Vec<(f64, f64)> = Vec::new();
    let mid_ms = (profile.latency_ms + profile.p99_ms) / 2.0;
    for (ms, count) in [
        (profile.latency_ms, fast),
        (mid_ms, mid),
        (profile.p99_ms, slow),
    ] {
        if count > 0 {
            add(&mut latency_ms, ms, count as f64);
        }
    }
    SecondCounts {
        requests,
        errors,
        ok: requests - errors,
        throttled,
        latency_ms,
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

#[cfg(test)]
mod tests {
    use super::*;

    const PROFILE: TargetProfile = TargetProfile {
        error_rate: 0.01,
        latency_ms: 40.0,
        p99_ms: 400.0,
        failure: Failure::Error,
    };

    fn total(profile: &TargetProfile, n: u64, from: u64, seconds: u64) -> (u64, Vec<(f64, f64)>) {
        let mut errors = 0;
        let mut latency: Vec<(f64, f64)> = Vec::new();
        for s in from..from + seconds {
            let c = second_counts(profile, n, s);
            assert_eq!(c.errors + c.ok, n);
            assert_eq!(c.latency_ms.iter().map(|(_, k)| k).sum::<f64>(), n as f64);
            errors += c.errors;
            for (v, k) in c.latency_ms {
                add(&mut latency, v, k);
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
    fn throttled_requests_never_run() {
        let throttling = TargetProfile {
            error_rate: 0.05,
            failure: Failure::Throttle,
            ..PROFILE
        };
        let c = second_counts(&throttling, 200, 123);
        assert_eq!((c.throttled, c.requests, c.errors, c.ok), (10, 190, 0, 190));
        assert_eq!(
            c.latency_ms.iter().map(|(_, k)| k).sum::<f64>(),
            190.0,
            "only the requests that ran have a latency"
        );
        let user = TargetProfile {
            failure: Failure::LambdaUserError,
            ..throttling
        };
        let c = second_counts(&user, 200, 123);
        assert_eq!((c.throttled, c.requests, c.errors, c.ok), (0, 200, 10, 190));
    }

    #[test]
    fn p99_of_a_minute_is_the_profile_p99_and_median_the_latency() {
        for n in [50, 100, 333] {
            let (_, latency) = total(&PROFILE, n, 1_700_000_040, 60);
            assert_eq!(percentile(&latency, 99.0), 400.0, "n={n}");
            assert_eq!(percentile(&latency, 50.0), 40.0, "n={n}");
            assert_eq!(
                percentile(&latency, 98.5),
                400.0,
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
            failure: Failure::Error,
        };
        let counts = second_counts(&flat, 100, 0);
        assert_eq!(counts.latency_ms, vec![(10.0, 100.0)]);
        assert_eq!(counts.latency_in(LatencyUnit::Seconds), vec![(0.01, 100.0)]);
    }

    #[test]
    fn latency_converts_to_the_backend_unit() {
        let counts = second_counts(&PROFILE, 100, 1_700_000_000);
        assert_eq!(
            counts.latency_in(LatencyUnit::Milliseconds),
            vec![(40.0, 97.0), (220.0, 1.0), (400.0, 2.0)]
        );
        assert_eq!(
            counts.latency_in(LatencyUnit::Seconds),
            vec![(0.04, 97.0), (0.22, 1.0), (0.4, 2.0)]
        );
    }
}

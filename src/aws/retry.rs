//! How long a runner waits before trying a failed tick again.
//!
//! *Whether* to retry is [`super::error::Kind::is_retryable`], the one rule (throttled and
//! transient failures, from the traffic router, the metric source and the record store alike).
//! Each single AWS call is first retried by the SDK itself, as `AWS_MAX_ATTEMPTS`,
//! `AWS_RETRY_MODE` or the profile's `max_attempts` / `retry_mode` say (3 attempts in standard
//! mode by default). When a tick still fails, the runner waits the tick interval doubled per
//! failure in a row, capped, with equal jitter: half of the wait fixed, half random, so runners
//! throttled together do not come back together.

use std::time::Duration;

/// The wait before the retry after `failures` failed ticks in a row (1 for the first retry):
/// `interval × 2^(failures−1)`, at most `cap`, of which the upper half is random.
pub fn backoff(failures: u32, interval: Duration, cap: Duration) -> Duration {
    backoff_at(failures, interval, cap, fastrand::f64())
}

/// [`backoff`] with its random draw `unit` in `[0, 1)` given.
pub fn backoff_at(failures: u32, interval: Duration, cap: Duration, unit: f64) -> Duration {
    let doubling = 2u32.saturating_pow(failures.saturating_sub(1).min(16));
    let full = interval.saturating_mul(doubling).min(cap);
    let half = full / 2;
    half + half.mul_f64(unit.clamp(0.0, 1.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECOND: Duration = Duration::from_secs(1);

    #[test]
    fn the_wait_doubles_per_failure_up_to_the_cap() {
        let cap = Duration::from_secs(20);
        let waits: Vec<u64> = (1..=6)
            .map(|n| backoff_at(n, 5 * SECOND, cap, 1.0).as_secs())
            .collect();
        assert_eq!(waits, [5, 10, 20, 20, 20, 20]);
    }

    #[test]
    fn half_of_the_wait_is_random() {
        let at = |unit| backoff_at(2, 5 * SECOND, 60 * SECOND, unit);
        assert_eq!(at(0.0), 5 * SECOND);
        assert_eq!(at(0.5), Duration::from_millis(7500));
        assert!(at(0.999) < 10 * SECOND);
        for _ in 0..100 {
            let drawn = backoff(2, 5 * SECOND, 60 * SECOND);
            assert!(drawn >= 5 * SECOND && drawn <= 10 * SECOND, "{drawn:?}");
        }
    }

    #[test]
    fn many_failures_never_overflow() {
        assert_eq!(backoff_at(u32::MAX, SECOND, 30 * SECOND, 1.0), 30 * SECOND);
    }
}

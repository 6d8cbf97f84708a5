//! A route's own history as a traffic source: the stable's requests, errors, slow requests and
//! percentiles per period, as CloudWatch reported them, split between a "canary" and the stable
//! as the load balancer would split them, each request independently at the live weight. A
//! canary made of the stable's own requests is exactly as healthy as the stable, so whatever the
//! judge does with it is what it would do to a healthy canary on this route's real traffic:
//! its bursts, its daily swings, its incidents.

use super::drive::{PeriodTraffic, Side, TrafficSource};
use super::model::{published, Sampler};
use crate::core::types::{Share, Timestamp};
use std::collections::BTreeMap;

/// The stable's figures in one period.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct StablePeriod {
    pub requests: f64,
    pub errors: f64,
    /// `(threshold ms, requests slower than it)`.
    pub slow: Vec<(f64, f64)>,
    /// `(percentile, ms)`.
    pub percentiles: Vec<(f64, f64)>,
}

/// The stable's periods with data, by start (milliseconds since the epoch).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct StableHistory {
    pub periods: BTreeMap<i64, StablePeriod>,
}

impl StableHistory {
    /// The average requests per second over `seconds`, and the stable's error rate.
    pub fn average(&self, seconds: f64) -> (f64, Option<f64>) {
        let requests: f64 = self.periods.values().map(|p| p.requests).sum();
        let errors: f64 = self.periods.values().map(|p| p.errors).sum();
        let rate = (requests > 0.0).then(|| errors / requests);
        (requests / seconds.max(1.0), rate)
    }

    /// The median over periods of the stable's `percentile` (ms), `None` without any.
    pub fn median_percentile(&self, percentile: f64) -> Option<f64> {
        let mut values: Vec<f64> = self
            .periods
            .values()
            .filter_map(|p| lookup(&p.percentiles, percentile))
            .filter(|v| v.is_finite())
            .collect();
        values.sort_by(f64::total_cmp);
        values.get(values.len() / 2).copied()
    }
}

/// The history split at the live share by a seeded sampler.
pub struct HistorySource<'a> {
    pub history: &'a StableHistory,
    pub sampler: Sampler,
}

impl TrafficSource for HistorySource<'_> {
    fn period(&mut self, start: Timestamp, share: Share) -> PeriodTraffic {
        let Some(p) = self.history.periods.get(&start.as_millis()) else {
            return PeriodTraffic::default();
        };
        let w = share.percent() / 100.0;
        let errors = p.errors.clamp(0.0, p.requests);
        let canary_ok = self.sampler.binomial(p.requests - errors, w);
        let canary_errors = self.sampler.binomial(errors, w);
        let canary = canary_ok + canary_errors;
        PeriodTraffic {
            canary: published(canary, canary_errors),
            stable: published(p.requests - canary, errors - canary_errors),
        }
    }

    /// The side's part of the period's slow requests: each slow request is on the side with the
    /// side's share of the period's requests.
    fn slower_than(&mut self, start: Timestamp, _: Side, requests: f64, ms: f64) -> Option<f64> {
        let p = self.history.periods.get(&start.as_millis())?;
        let slow = lookup(&p.slow, ms)?;
        let part = if p.requests > 0.0 {
            (requests / p.requests).clamp(0.0, 1.0)
        } else {
            0.0
        };
        Some(self.sampler.binomial(slow.min(p.requests), part))
    }

    /// The stable's own percentile, for either side (one number per period is all CloudWatch
    /// kept).
    fn percentile(&mut self, start: Timestamp, _: Side, requests: f64, p: f64) -> Option<f64> {
        if requests < 1.0 {
            return None;
        }
        lookup(
            &self.history.periods.get(&start.as_millis())?.percentiles,
            p,
        )
    }
}

fn lookup(pairs: &[(f64, f64)], key: f64) -> Option<f64> {
    pairs
        .iter()
        .find(|(k, _)| (k - key).abs() <= 1e-9 * key.abs().max(1.0))
        .map(|(_, v)| *v)
}

//! From the datapoints CloudWatch returned to one [`Observed`] per check.
//!
//! Pure. Counts are summed over the window's periods, and a target group's error counts (an ALB
//! Lambda target group has three) over each other, here and nowhere else; latency is the worst (largest) period,
//! converted to milliseconds from the backend's unit ([`LatencyUnit`]: ALB seconds, VPC Lattice
//! and Lambda milliseconds); a custom metric is summed for Sum/SampleCount and otherwise the worst period
//! for the check's comparison. A query without a datapoint gives `None`: "no data" is an
//! observation, never an error.

use super::templates::{CheckQueries, LatencyUnit, MetricQuery, Reduce, TrafficQueries};
use crate::core::observe::{AlarmObservation, Observed, SlowCounts, Traffic};
use std::collections::HashMap;

/// The datapoint values of each unique query over the window (any order).
pub type Datapoints = HashMap<MetricQuery, Vec<f64>>;

/// The alarms found by name.
pub type Alarms = HashMap<String, AlarmObservation>;

/// The observation of one check.
pub fn observe_check(check: &CheckQueries, points: &Datapoints, alarms: &Alarms) -> Observed {
    match check {
        CheckQueries::ErrorRate { canary, stable } => Observed::ErrorRate {
            canary: traffic(canary, points),
            stable: stable
                .as_ref()
                .map(|s| traffic(s, points))
                .unwrap_or_default(),
        },
        CheckQueries::Latency {
            canary_requests,
            canary,
            stable,
            unit,
            slow,
        } => Observed::Latency {
            canary_requests: reduce(values(canary_requests, points), Reduce::Sum),
            canary_ms: worst_ms(canary, *unit, points),
            stable_ms: stable.as_ref().and_then(|s| worst_ms(s, *unit, points)),
            slow: slow.as_ref().map(|slow| SlowCounts {
                canary: sum(std::slice::from_ref(&slow.canary), points),
                stable: slow
                    .stable
                    .as_ref()
                    .map(|(slow_stable, stable_requests)| Traffic {
                        requests: sum(std::slice::from_ref(stable_requests), points),
                        errors: sum(std::slice::from_ref(slow_stable), points),
                    }),
            }),
        },
        CheckQueries::Throttles {
            invocations,
            throttles,
        } => Observed::Throttles {
            invocations: sum(std::slice::from_ref(invocations), points),
            throttles: sum(std::slice::from_ref(throttles), points),
        },
        CheckQueries::Custom { query, reduce: how } => {
            Observed::Value(reduce(values(query, points), *how))
        }
        CheckQueries::Alarms { names } => observe_alarms(names, alarms),
        CheckQueries::Unavailable { why } => Observed::Unavailable { why: why.clone() },
    }
}

fn observe_alarms(names: &[String], alarms: &Alarms) -> Observed {
    let missing: Vec<&str> = names
        .iter()
        .filter(|n| !alarms.contains_key(*n))
        .map(String::as_str)
        .collect();
    match missing.as_slice() {
        [] => Observed::Alarms(
            names
                .iter()
                .filter_map(|n| alarms.get(n).cloned())
                .collect(),
        ),
        [one] => Observed::Unavailable {
            why: format!("alarm {one} does not exist"),
        },
        many => Observed::Unavailable {
            why: format!("alarms {} do not exist", many.join(", ")),
        },
    }
}

fn traffic(queries: &TrafficQueries, points: &Datapoints) -> Traffic {
    Traffic {
        requests: sum(std::slice::from_ref(&queries.requests), points),
        errors: sum(&queries.errors, points),
    }
}

/// Every datapoint of every query, summed; `None` when none of them has one (a count reported
/// only when non-zero is then 0 only if the check knows there was traffic).
fn sum(queries: &[MetricQuery], points: &Datapoints) -> Option<f64> {
    let all: Vec<f64> = queries
        .iter()
        .flat_map(|q| values(q, points).iter().copied())
        .collect();
    reduce(&all, Reduce::Sum)
}

fn values<'a>(query: &MetricQuery, points: &'a Datapoints) -> &'a [f64] {
    points.get(query).map(Vec::as_slice).unwrap_or(&[])
}

/// Sum, max or min of the values; `None` when there are none.
pub fn reduce(values: &[f64], how: Reduce) -> Option<f64> {
    let mut values = values.iter().copied().filter(|v| v.is_finite());
    let first = values.next()?;
    Some(match how {
        Reduce::Sum => values.fold(first, |a, b| a + b),
        Reduce::Max => values.fold(first, f64::max),
        Reduce::Min => values.fold(first, f64::min),
    })
}

/// The worst (largest) period of a latency query, in milliseconds.
fn worst_ms(query: &MetricQuery, unit: LatencyUnit, points: &Datapoints) -> Option<f64> {
    reduce(values(query, points), Reduce::Max).map(|v| unit.to_ms(v))
}

#[cfg(test)]
#[path = "aggregate_tests.rs"]
mod tests;

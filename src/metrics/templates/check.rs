//! One check of the plan as the CloudWatch queries it needs (pure: no IO).
//!
//! The builtin checks (error rate, latency, each alone or against stable) ask every backend the
//! same three questions per target group through [`TargetGroupMetrics`]: its request count,
//! error counts (summed) and latency metric; `throttles` is asked only of a Lambda alias. A backend's file answers with its names, unit and
//! dimensions; the shape of each check's queries is written once, here. Custom checks and
//! alarms do not depend on the route.

use super::query::{
    slower_than_stat, CheckQueries, LatencyUnit, MetricQuery, Reduce, SlowQueries, TrafficQueries,
};
use super::RouteDimensions;
use crate::core::plan::{Check, CheckKind, Comparison, CustomQuery};

/// What a backend publishes per target group, as the builtin checks need it. Implemented by
/// each backend's dimensions ([`super::AlbDimensions`], [`super::LatticeDimensions`],
/// [`super::LambdaDimensions`], whose "target groups" are the alias's two versions).
pub(super) trait TargetGroupMetrics {
    /// Requests answered by the target group's targets (statistic Sum).
    const REQUESTS: &'static str;
    /// 5XX responses of the target group's targets (statistic Sum).
    const ERRORS: &'static str;
    /// The target group's response time, in [`Self::LATENCY_UNIT`].
    const LATENCY: &'static str;
    const LATENCY_UNIT: LatencyUnit;

    fn stable_target_group(&self) -> &str;
    fn canary_target_group(&self) -> &str;
    /// `metric` of `target_group` at `stat`, in the backend's namespace and dimensions.
    fn query(&self, target_group: &str, metric: &str, stat: &str) -> MetricQuery;

    fn requests(&self, target_group: &str) -> MetricQuery {
        self.query(target_group, Self::REQUESTS, "Sum")
    }

    /// The counts whose sum is the target group's errors (statistic Sum): [`Self::ERRORS`],
    /// unless the backend knows more kinds of failure for this target group.
    fn errors(&self, target_group: &str) -> Vec<MetricQuery> {
        vec![self.query(target_group, Self::ERRORS, "Sum")]
    }

    /// The queries of a `throttles` check, if the backend has throttles (a Lambda alias).
    fn throttles(&self) -> Option<CheckQueries> {
        None
    }

    /// The target group's response time at `stat` (e.g. `p99`).
    fn latency(&self, target_group: &str, stat: &str) -> MetricQuery {
        self.query(target_group, Self::LATENCY, stat)
    }
}

/// The queries of one check of the plan.
pub fn check_queries(kind: &CheckKind, dims: &RouteDimensions) -> CheckQueries {
    counting_slow(kind, None, dims)
}

/// The queries of one check as observed: with the evidence judge's slow-request counts when
/// the check carries a threshold ([`Check::slower_than_ms`]).
pub fn queries_of(check: &Check, dims: &RouteDimensions) -> CheckQueries {
    counting_slow(&check.kind, check.slower_than_ms, dims)
}

fn counting_slow(
    kind: &CheckKind,
    slower_than_ms: Option<f64>,
    dims: &RouteDimensions,
) -> CheckQueries {
    match dims {
        RouteDimensions::Alb(dims) => builtin_queries(kind, slower_than_ms, dims),
        RouteDimensions::Lattice(dims) => builtin_queries(kind, slower_than_ms, dims),
        RouteDimensions::Lambda(dims) => builtin_queries(kind, slower_than_ms, dims),
    }
}

fn builtin_queries<M: TargetGroupMetrics>(
    kind: &CheckKind,
    slower_than_ms: Option<f64>,
    m: &M,
) -> CheckQueries {
    let canary = m.canary_target_group();
    let stable = m.stable_target_group();
    let traffic = |target_group: &str| TrafficQueries {
        requests: m.requests(target_group),
        errors: m.errors(target_group),
    };
    match kind {
        // The stable's counts too: the evidence judge tells a failure the stable shares from
        // the canary's own.
        CheckKind::ErrorRate { .. } => CheckQueries::ErrorRate {
            canary: traffic(canary),
            stable: Some(traffic(stable)),
        },
        CheckKind::ErrorRateVsStable { .. } => CheckQueries::ErrorRate {
            canary: traffic(canary),
            stable: Some(traffic(stable)),
        },
        CheckKind::Latency { percentile, .. } => CheckQueries::Latency {
            canary_requests: m.requests(canary),
            canary: m.latency(canary, &percentile_stat(*percentile)),
            stable: None,
            unit: M::LATENCY_UNIT,
            slow: slower_than_ms.map(|ms| {
                Box::new(SlowQueries {
                    canary: m.latency(canary, &slower_than_stat(ms, M::LATENCY_UNIT)),
                    stable: None,
                })
            }),
        },
        CheckKind::LatencyVsStable { percentile, .. } => {
            let stat = percentile_stat(*percentile);
            CheckQueries::Latency {
                canary_requests: m.requests(canary),
                canary: m.latency(canary, &stat),
                stable: Some(m.latency(stable, &stat)),
                unit: M::LATENCY_UNIT,
                slow: slower_than_ms.map(|ms| {
                    let tc = slower_than_stat(ms, M::LATENCY_UNIT);
                    Box::new(SlowQueries {
                        canary: m.latency(canary, &tc),
                        stable: Some((m.latency(stable, &tc), m.requests(stable))),
                    })
                }),
            }
        }
        CheckKind::Throttles { .. } => m.throttles().unwrap_or_else(|| CheckQueries::Unavailable {
            why: "throttles is a check of a lambda_alias route; this route has no throttles"
                .to_string(),
        }),
        CheckKind::Custom(custom) => custom_queries(custom),
        CheckKind::Alarms { names } => CheckQueries::Alarms {
            names: names.clone(),
        },
    }
}

fn custom_queries(custom: &CustomQuery) -> CheckQueries {
    let query = MetricQuery::new(
        &custom.namespace,
        &custom.metric,
        custom.dimensions.clone(),
        &custom.statistic,
    );
    let reduce = match custom.statistic.as_str() {
        "Sum" | "SampleCount" => Reduce::Sum,
        _ => match custom.comparison {
            Comparison::LessThan | Comparison::LessThanOrEqual => Reduce::Max,
            Comparison::GreaterThan | Comparison::GreaterThanOrEqual => Reduce::Min,
        },
    };
    CheckQueries::Custom { query, reduce }
}

/// CloudWatch's percentile statistic: 99.0 → `p99`, 99.9 → `p99.9`, 99.95 → `p99.95`.
pub fn percentile_stat(percentile: f64) -> String {
    // f64's Display is the shortest representation that round-trips: no trailing zeros.
    format!("p{percentile}")
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{error_rate, latency, routes};
    use super::*;

    #[test]
    fn percentiles_format_without_trailing_zeros() {
        assert_eq!(percentile_stat(99.0), "p99");
        assert_eq!(percentile_stat(99.9), "p99.9");
        assert_eq!(percentile_stat(50.0), "p50");
        assert_eq!(percentile_stat(99.95), "p99.95");
    }

    #[test]
    fn every_backend_shares_the_canary_request_count_between_checks() {
        for dims in routes() {
            let error_rate = error_rate(&dims);
            let latency = latency(&dims, 99.0);
            assert_eq!(error_rate.requests, latency.canary_requests, "{dims:?}");
        }
    }

    #[test]
    fn custom_reduce_follows_statistic_and_comparison() {
        let custom = |statistic: &str, comparison| {
            CheckKind::Custom(CustomQuery {
                namespace: "App".into(),
                metric: "Orders".into(),
                dimensions: vec![("Z".into(), "1".into()), ("A".into(), "2".into())],
                statistic: statistic.into(),
                comparison,
                threshold: 1.0,
            })
        };
        for dims in routes() {
            let reduce = |kind: CheckKind| match check_queries(&kind, &dims) {
                CheckQueries::Custom { reduce, query } => {
                    assert_eq!(query.dimensions[0].0, "A", "dimensions sorted");
                    assert_eq!(query.namespace, "App", "custom queries ignore the route");
                    reduce
                }
                other => panic!("{other:?}"),
            };
            assert_eq!(reduce(custom("Sum", Comparison::LessThan)), Reduce::Sum);
            assert_eq!(
                reduce(custom("SampleCount", Comparison::GreaterThan)),
                Reduce::Sum
            );
            assert_eq!(
                reduce(custom("Maximum", Comparison::LessThanOrEqual)),
                Reduce::Max
            );
            assert_eq!(reduce(custom("p90", Comparison::LessThan)), Reduce::Max);
            assert_eq!(
                reduce(custom("Average", Comparison::GreaterThanOrEqual)),
                Reduce::Min
            );
            assert_eq!(
                reduce(custom("Minimum", Comparison::GreaterThan)),
                Reduce::Min
            );
        }
    }
}

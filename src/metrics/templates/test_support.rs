//! Test helpers of the template tests: one sample route per backend, and each builtin check's
//! queries taken apart, so a backend's test states only what its metrics are (a wrong shape
//! fails here, naming what it got).

use super::{
    check_queries, AlbDimensions, CheckQueries, LambdaDimensions, LatencyUnit, LatticeDimensions,
    MetricQuery, RouteDimensions, TrafficQueries,
};
use crate::core::plan::CheckKind;

pub(crate) fn alb() -> AlbDimensions {
    AlbDimensions {
        load_balancer: "app/web/50dc6c495c0c9188".into(),
        stable_target_group: "targetgroup/blue/73e2d6bc24d8a067".into(),
        canary_target_group: "targetgroup/green/943f017f100becff".into(),
        stable_is_lambda: false,
        canary_is_lambda: false,
    }
}

pub(crate) fn lattice() -> LatticeDimensions {
    LatticeDimensions {
        stable_target_group: "tg-0123456789abcdef0".into(),
        canary_target_group: "tg-0fedcba9876543210".into(),
    }
}

pub(crate) fn lambda() -> LambdaDimensions {
    LambdaDimensions {
        function_name: "checkout".into(),
        alias: "live".into(),
        stable_version: "7".into(),
        canary_version: "8".into(),
    }
}

pub(crate) fn routes() -> [RouteDimensions; 3] {
    [alb().into(), lattice().into(), lambda().into()]
}

/// The canary's queries of an `error_rate` check (which asks the stable's as a comparison does,
/// for the evidence judge's shared-failure rule).
pub(super) fn error_rate(dims: &RouteDimensions) -> TrafficQueries {
    let absolute = check_queries(&CheckKind::ErrorRate { max_percent: 1.0 }, dims);
    let (canary, stable) = error_rate_vs_stable(dims);
    match absolute {
        CheckQueries::ErrorRate {
            canary: c,
            stable: Some(s),
        } if c == canary && s == stable => c,
        other => panic!("not an error rate with the stable's counts: {other:?}"),
    }
}

/// The canary's and the stable's queries of an `error_rate_vs_stable` check.
pub(crate) fn error_rate_vs_stable(dims: &RouteDimensions) -> (TrafficQueries, TrafficQueries) {
    let kind = CheckKind::ErrorRateVsStable {
        max_delta_percent: 1.0,
    };
    match check_queries(&kind, dims) {
        CheckQueries::ErrorRate {
            canary,
            stable: Some(stable),
        } => (canary, stable),
        other => panic!("no stable queries: {other:?}"),
    }
}

/// The queries of a latency check.
#[derive(Debug)]
pub(super) struct Latency {
    pub canary_requests: MetricQuery,
    pub canary: MetricQuery,
    /// Only of a vs-stable check.
    pub stable: Option<MetricQuery>,
    pub unit: LatencyUnit,
}

/// The queries of a `latency` check at `percentile`.
pub(super) fn latency(dims: &RouteDimensions, percentile: f64) -> Latency {
    let kind = CheckKind::Latency {
        percentile,
        max_ms: 500.0,
    };
    let latency = latency_of(check_queries(&kind, dims));
    assert_eq!(latency.stable, None, "{latency:?}");
    latency
}

/// The queries of a `latency_vs_stable` check at `percentile`: three, the stable's included.
pub(super) fn latency_vs_stable(dims: &RouteDimensions, percentile: f64) -> Latency {
    let kind = CheckKind::LatencyVsStable {
        percentile,
        max_ratio: 1.5,
        threshold_ms: None,
    };
    let queries = check_queries(&kind, dims);
    assert_eq!(queries.metric_queries().len(), 3, "{queries:?}");
    latency_of(queries)
}

fn latency_of(queries: CheckQueries) -> Latency {
    match queries {
        CheckQueries::Latency {
            canary_requests,
            canary,
            stable,
            unit,
            ..
        } => Latency {
            canary_requests,
            canary,
            stable,
            unit,
        },
        other => panic!("not a latency check: {other:?}"),
    }
}

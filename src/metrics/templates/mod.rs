//! Builtin CloudWatch queries per check, from the dimensions of the route's target groups.
//!
//! Pure: no IO. Each [`Check`](crate::core::plan::Check) becomes a [`CheckQueries`], which names
//! the metric+statistic pairs ([`MetricQuery`]) the check needs and how its observation is put
//! together from them.
//!
//! The shapes are shared, what each backend publishes is not: one file per backend holds its
//! metric knowledge (namespace, names, dimensions, latency unit, cited from AWS's page), [`alb`],
//! [`lattice`] and [`lambda`]. A builtin check asks each the same questions (request count, error
//! count, latency percentile per target group — for a Lambda alias, per version);
//! [`CheckQueries::Latency`] carries the backend's [`LatencyUnit`], so aggregation converts to
//! milliseconds correctly.

pub mod alb;
pub mod lambda;
pub mod lattice;

pub use alb::{
    AlbDimensions, ALB_NAMESPACE, REQUEST_COUNT, TARGET_2XX_COUNT, TARGET_5XX_COUNT,
    TARGET_RESPONSE_TIME,
};
pub use lambda::{LambdaDimensions, DURATION, ERRORS, INVOCATIONS, LAMBDA_NAMESPACE, THROTTLES};
pub use lattice::{
    LatticeDimensions, HTTP_2XX_COUNT, HTTP_5XX_COUNT, LATTICE_NAMESPACE, REQUEST_TIME,
    TOTAL_REQUEST_COUNT,
};

use crate::core::plan::{CheckKind, Comparison, CustomQuery};

/// The CloudWatch dimension values of a route's stable and canary target groups (a Lambda
/// alias: versions), per backend.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RouteDimensions {
    Alb(AlbDimensions),
    Lattice(LatticeDimensions),
    Lambda(LambdaDimensions),
}

impl From<AlbDimensions> for RouteDimensions {
    fn from(dims: AlbDimensions) -> RouteDimensions {
        RouteDimensions::Alb(dims)
    }
}

impl From<LatticeDimensions> for RouteDimensions {
    fn from(dims: LatticeDimensions) -> RouteDimensions {
        RouteDimensions::Lattice(dims)
    }
}

impl From<LambdaDimensions> for RouteDimensions {
    fn from(dims: LambdaDimensions) -> RouteDimensions {
        RouteDimensions::Lambda(dims)
    }
}

/// The unit a backend reports its latency metric in. Checks speak milliseconds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum LatencyUnit {
    /// ALB `TargetResponseTime`.
    Seconds,
    /// VPC Lattice `RequestTime`, Lambda `Duration`.
    Milliseconds,
}

impl LatencyUnit {
    /// `value`, in this unit, in milliseconds.
    pub fn to_ms(self, value: f64) -> f64 {
        match self {
            LatencyUnit::Seconds => value * 1000.0,
            LatencyUnit::Milliseconds => value,
        }
    }
}

/// One CloudWatch metric with one statistic: the unit of deduplication. Dimensions are kept
/// sorted by name so two spellings of the same metric compare equal.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct MetricQuery {
    pub namespace: String,
    pub metric: String,
    pub dimensions: Vec<(String, String)>,
    pub stat: String,
}

impl MetricQuery {
    pub fn new(
        namespace: &str,
        metric: &str,
        mut dimensions: Vec<(String, String)>,
        stat: &str,
    ) -> MetricQuery {
        dimensions.sort();
        MetricQuery {
            namespace: namespace.to_string(),
            metric: metric.to_string(),
            dimensions,
            stat: stat.to_string(),
        }
    }
}

impl std::fmt::Display for MetricQuery {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {} {}", self.namespace, self.metric, self.stat)?;
        for (name, value) in &self.dimensions {
            write!(f, " {name}={value}")?;
        }
        Ok(())
    }
}

/// How a check reduces the datapoints of one query over the window.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reduce {
    /// Counts: the sum of every period.
    Sum,
    /// The worst period when lower is better.
    Max,
    /// The worst period when higher is better.
    Min,
}

/// Request and 5XX count queries of one target group.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TrafficQueries {
    pub requests: MetricQuery,
    pub errors: MetricQuery,
}

/// What one check asks CloudWatch for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CheckQueries {
    ErrorRate {
        canary: TrafficQueries,
        /// Only for the vs-stable check.
        stable: Option<TrafficQueries>,
    },
    Latency {
        canary_requests: MetricQuery,
        /// The backend's latency percentile, in `unit`.
        canary: MetricQuery,
        /// Only for the vs-stable check.
        stable: Option<MetricQuery>,
        /// What `canary` and `stable` are reported in; converted to ms on aggregation.
        unit: LatencyUnit,
    },
    Custom {
        query: MetricQuery,
        reduce: Reduce,
    },
    Alarms {
        names: Vec<String>,
    },
}

impl CheckQueries {
    /// The metric queries of this check (none for alarms), in a stable order.
    pub fn metric_queries(&self) -> Vec<&MetricQuery> {
        match self {
            CheckQueries::ErrorRate { canary, stable } => {
                let mut out = vec![&canary.requests, &canary.errors];
                if let Some(stable) = stable {
                    out.extend([&stable.requests, &stable.errors]);
                }
                out
            }
            CheckQueries::Latency {
                canary_requests,
                canary,
                stable,
                ..
            } => {
                let mut out = vec![canary_requests, canary];
                out.extend(stable);
                out
            }
            CheckQueries::Custom { query, .. } => vec![query],
            CheckQueries::Alarms { .. } => Vec::new(),
        }
    }
}

/// What a backend publishes per target group, as the builtin checks need it. Implemented by
/// each backend's dimensions ([`AlbDimensions`], [`LatticeDimensions`], [`LambdaDimensions`],
/// whose "target groups" are the alias's two versions).
trait TargetGroupMetrics {
    fn stable_target_group(&self) -> &str;
    fn canary_target_group(&self) -> &str;
    /// Requests answered by the target group's targets (statistic Sum).
    fn requests(&self, target_group: &str) -> MetricQuery;
    /// 5XX responses of the target group's targets (statistic Sum).
    fn errors(&self, target_group: &str) -> MetricQuery;
    /// The target group's response time at `stat` (e.g. `p99`), in [`Self::latency_unit`].
    fn latency(&self, target_group: &str, stat: &str) -> MetricQuery;
    fn latency_unit(&self) -> LatencyUnit;
}

/// The queries of one check of the plan.
pub fn check_queries(kind: &CheckKind, dims: &RouteDimensions) -> CheckQueries {
    match dims {
        RouteDimensions::Alb(dims) => builtin_queries(kind, dims),
        RouteDimensions::Lattice(dims) => builtin_queries(kind, dims),
        RouteDimensions::Lambda(dims) => builtin_queries(kind, dims),
    }
}

fn builtin_queries(kind: &CheckKind, m: &impl TargetGroupMetrics) -> CheckQueries {
    let canary = m.canary_target_group();
    let stable = m.stable_target_group();
    let traffic = |target_group: &str| TrafficQueries {
        requests: m.requests(target_group),
        errors: m.errors(target_group),
    };
    match kind {
        CheckKind::ErrorRate { .. } => CheckQueries::ErrorRate {
            canary: traffic(canary),
            stable: None,
        },
        CheckKind::ErrorRateVsStable { .. } => CheckQueries::ErrorRate {
            canary: traffic(canary),
            stable: Some(traffic(stable)),
        },
        CheckKind::Latency { percentile, .. } => CheckQueries::Latency {
            canary_requests: m.requests(canary),
            canary: m.latency(canary, &percentile_stat(*percentile)),
            stable: None,
            unit: m.latency_unit(),
        },
        CheckKind::LatencyVsStable { percentile, .. } => {
            let stat = percentile_stat(*percentile);
            CheckQueries::Latency {
                canary_requests: m.requests(canary),
                canary: m.latency(canary, &stat),
                stable: Some(m.latency(stable, &stat)),
                unit: m.latency_unit(),
            }
        }
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
    use super::*;

    fn routes() -> [RouteDimensions; 3] {
        [
            AlbDimensions {
                load_balancer: "app/web/50dc6c495c0c9188".into(),
                stable_target_group: "targetgroup/blue/73e2d6bc24d8a067".into(),
                canary_target_group: "targetgroup/green/943f017f100becff".into(),
            }
            .into(),
            LatticeDimensions {
                stable_target_group: "tg-0123456789abcdef0".into(),
                canary_target_group: "tg-0fedcba9876543210".into(),
            }
            .into(),
            LambdaDimensions {
                function_name: "checkout".into(),
                alias: "live".into(),
                stable_version: "7".into(),
                canary_version: "8".into(),
            }
            .into(),
        ]
    }

    #[test]
    fn percentiles_format_without_trailing_zeros() {
        assert_eq!(percentile_stat(99.0), "p99");
        assert_eq!(percentile_stat(99.9), "p99.9");
        assert_eq!(percentile_stat(50.0), "p50");
        assert_eq!(percentile_stat(99.95), "p99.95");
    }

    #[test]
    fn latency_units_convert_to_ms() {
        assert_eq!(LatencyUnit::Seconds.to_ms(0.25), 250.0);
        assert_eq!(LatencyUnit::Milliseconds.to_ms(250.0), 250.0);
    }

    #[test]
    fn every_backend_shares_the_canary_request_count_between_checks() {
        for dims in routes() {
            let error_rate = check_queries(&CheckKind::ErrorRate { max_percent: 1.0 }, &dims);
            let latency = check_queries(
                &CheckKind::Latency {
                    percentile: 99.0,
                    max_ms: 500.0,
                },
                &dims,
            );
            assert_eq!(
                error_rate.metric_queries()[0],
                latency.metric_queries()[0],
                "{dims:?}"
            );
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

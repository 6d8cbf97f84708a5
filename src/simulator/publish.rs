//! One second of a backend's target group metrics, published with `PutMetricData`.
//!
//! What a target group (a Lambda alias: a version) with `n` requests in a second publishes, like
//! the load balancer (or Lambda) would
//! (metric names from [`crate::metrics::templates`], so the simulator and the checks cannot
//! drift apart), all with `StorageResolution` 1, under the [`SimBackend`]'s namespace and
//! dimensions:
//! - the request count = n (Count); nothing at all when n = 0 (the backends report only while
//!   requests flow);
//! - the 5XX (Lambda: `Errors`) count = errors, only when > 0 (zero counts are omitted);
//! - the 2XX count = n − errors, only when > 0 (Lambda has none);
//! - the latency as Values/Counts in the backend's unit.
//!
//! | backend | namespace | dimensions | requests, 5XX, 2XX | latency |
//! | --- | --- | --- | --- | --- |
//! | ALB (`publish/alb.rs`) | `AWS/ApplicationELB` | `TargetGroup` + `LoadBalancer` | `RequestCount`, `HTTPCode_Target_5XX_Count`, `HTTPCode_Target_2XX_Count` | `TargetResponseTime`, seconds |
//! | Lattice (`publish/lattice.rs`) | `AWS/VpcLattice` | `TargetGroup` (`tg-…`) | `TotalRequestCount`, `HTTPCode_5XX_Count`, `HTTPCode_2XX_Count` | `RequestTime`, milliseconds |
//! | Lambda alias (`publish/lambda.rs`) | `AWS/Lambda` | `FunctionName` + `Resource` (`fn:alias`) + `ExecutedVersion` | `Invocations`, `Errors`, — | `Duration`, milliseconds |
//!
//! The counting is shared ([`counts`]); a backend only says where the numbers go (its `Layout`
//! and its dimensions).

mod alb;
pub mod counts;
mod lambda;
mod lattice;
#[cfg(test)]
mod test_support;

pub use counts::{second_counts, SecondCounts};

use super::{SimBackend, SimTarget, SimulatorError};
use crate::metrics::templates::LatencyUnit;
use aws_sdk_cloudwatch::error::DisplayErrorContext;
use aws_sdk_cloudwatch::types::{Dimension, MetricDatum, StandardUnit};
use aws_smithy_types::DateTime;
use std::time::{SystemTime, UNIX_EPOCH};

/// Metric data per `PutMetricData` call (the API takes up to 1,000).
const DATUMS_PER_CALL: usize = 500;

/// Where a backend puts one target group's second: namespace, metric names, latency unit.
struct Layout {
    namespace: &'static str,
    requests: &'static str,
    errors: &'static str,
    /// The success count, if the backend has one.
    ok: Option<&'static str>,
    latency: &'static str,
    latency_unit: LatencyUnit,
}

impl SimBackend {
    /// The CloudWatch namespace the backend publishes in.
    pub fn namespace(&self) -> &'static str {
        self.layout().namespace
    }

    fn layout(&self) -> &'static Layout {
        match self {
            SimBackend::Alb { .. } => &alb::LAYOUT,
            SimBackend::Lattice => &lattice::LAYOUT,
            SimBackend::Lambda { .. } => &lambda::LAYOUT,
        }
    }

    /// The dimensions of one target group's (a Lambda alias: one version's) metrics.
    fn dimensions(&self, target_group: &str) -> Vec<Dimension> {
        match self {
            SimBackend::Alb {
                load_balancer_dimension,
            } => alb::dimensions(target_group, load_balancer_dimension),
            SimBackend::Lattice => lattice::dimensions(target_group),
            SimBackend::Lambda {
                function_name,
                alias,
            } => lambda::dimensions(target_group, function_name, alias),
        }
    }
}

/// `AWS/ApplicationELB LoadBalancer=app/<name>/<id>`, `AWS/VpcLattice` or
/// `AWS/Lambda Resource=<function>:<alias>`, for logs.
impl std::fmt::Display for SimBackend {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.namespace())?;
        match self {
            SimBackend::Alb {
                load_balancer_dimension,
            } => write!(f, " LoadBalancer={load_balancer_dimension}"),
            SimBackend::Lattice => Ok(()),
            SimBackend::Lambda {
                function_name,
                alias,
            } => write!(f, " Resource={function_name}:{alias}"),
        }
    }
}

fn dimension(name: &str, value: &str) -> Dimension {
    Dimension::builder().name(name).value(value).build()
}

fn standard_unit(unit: LatencyUnit) -> StandardUnit {
    match unit {
        LatencyUnit::Seconds => StandardUnit::Seconds,
        LatencyUnit::Milliseconds => StandardUnit::Milliseconds,
    }
}

/// The metric data of one second for every target (none for a target without requests).
pub fn second_datums(
    backend: &SimBackend,
    targets: &[(SimTarget, u64)],
    at: SystemTime,
) -> Vec<MetricDatum> {
    let layout = backend.layout();
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
        let dimensions = backend.dimensions(&target.target_group_dimension);
        let datum = |metric: &str, unit: StandardUnit| {
            MetricDatum::builder()
                .metric_name(metric)
                .set_dimensions(Some(dimensions.clone()))
                .timestamp(timestamp)
                .unit(unit)
                .storage_resolution(1)
        };
        let count = |metric: &str, n: u64| datum(metric, StandardUnit::Count).value(n as f64);
        out.push(count(layout.requests, counts.requests).build());
        if counts.errors > 0 {
            out.push(count(layout.errors, counts.errors).build());
        }
        if let Some(ok) = layout.ok.filter(|_| counts.ok > 0) {
            out.push(count(ok, counts.ok).build());
        }
        let (values, weights): (Vec<f64>, Vec<f64>) =
            counts.latency_in(layout.latency_unit).into_iter().unzip();
        out.push(
            datum(layout.latency, standard_unit(layout.latency_unit))
                .set_values(Some(values))
                .set_counts(Some(weights))
                .build(),
        );
    }
    out
}

/// Publishes one second of the backend's metrics at `at` for each `(target, requests)`.
pub async fn publish_second(
    client: &aws_sdk_cloudwatch::Client,
    backend: &SimBackend,
    targets: &[(SimTarget, u64)],
    at: SystemTime,
) -> Result<(), SimulatorError> {
    let datums = second_datums(backend, targets, at);
    for chunk in datums.chunks(DATUMS_PER_CALL) {
        client
            .put_metric_data()
            .namespace(backend.namespace())
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
    use super::test_support::{datums_at, target, START};
    use super::*;
    use crate::core::plan::CheckKind;
    use crate::metrics::templates::test_support::{alb, lambda, lattice};
    use crate::metrics::templates::{check_queries, RouteDimensions};

    /// Every builtin query of a route's checks names a metric the simulator publishes: same
    /// namespace, metric name and full dimension set.
    #[test]
    fn the_checks_find_what_the_simulator_publishes() {
        let (alb, lattice, lambda) = (alb(), lattice(), lambda());
        let routes = [
            (
                SimBackend::Alb {
                    load_balancer_dimension: alb.load_balancer.clone(),
                },
                [
                    alb.stable_target_group.clone(),
                    alb.canary_target_group.clone(),
                ],
                RouteDimensions::from(alb),
            ),
            (
                SimBackend::Lattice,
                [
                    lattice.stable_target_group.clone(),
                    lattice.canary_target_group.clone(),
                ],
                RouteDimensions::from(lattice),
            ),
            (
                SimBackend::Lambda {
                    function_name: lambda.function_name.clone(),
                    alias: lambda.alias.clone(),
                },
                [lambda.stable_version.clone(), lambda.canary_version.clone()],
                RouteDimensions::from(lambda),
            ),
        ];
        let profile = (40.0, 400.0);
        for (backend, [stable, canary], dims) in routes {
            let targets = [
                (target(&stable, 0.1, profile), 100),
                (target(&canary, 0.1, profile), 100),
            ];
            let datums = datums_at(&backend, &targets, START);
            let published: Vec<(&str, Vec<(String, String)>)> = datums
                .iter()
                .map(|d| {
                    let mut dims: Vec<(String, String)> = d
                        .dimensions()
                        .iter()
                        .map(|x| {
                            let name = x.name().unwrap_or_default().to_string();
                            (name, x.value().unwrap_or_default().to_string())
                        })
                        .collect();
                    dims.sort();
                    (d.metric_name().unwrap_or_default(), dims)
                })
                .collect();
            let kinds = [
                CheckKind::ErrorRateVsStable {
                    max_delta_percent: 1.0,
                },
                CheckKind::LatencyVsStable {
                    percentile: 99.0,
                    max_ratio: 1.5,
                },
                CheckKind::ErrorRate { max_percent: 1.0 },
                CheckKind::Latency {
                    percentile: 50.0,
                    max_ms: 100.0,
                },
            ];
            for kind in kinds {
                let queries = check_queries(&kind, &dims);
                for query in queries.metric_queries() {
                    assert_eq!(query.namespace, backend.namespace(), "{query}");
                    assert!(
                        published
                            .iter()
                            .any(|(m, d)| *m == query.metric && *d == query.dimensions),
                        "{query} is not published by {backend:?}: {published:?}"
                    );
                }
            }
        }
    }
}

//! One second of a backend's target group metrics, published with `PutMetricData`.
//!
//! What a target group (a Lambda alias: a version) with `n` requests in a second publishes, like
//! the load balancer (or Lambda) would
//! (metric names from [`crate::metrics::templates`], so the simulator and the checks cannot
//! drift apart), all with `StorageResolution` 1, under the [`SimBackend`]'s namespace and
//! dimensions:
//! - the request count = n (Count); nothing at all when n = 0 (the backends report only while
//!   requests flow);
//! - the 5XX (Lambda: `Errors`) count = errors, only when > 0 (zero counts are omitted); an ALB
//!   target whose profile fails with [`Failure::LambdaUserError`] or
//!   [`Failure::LambdaInternalError`] (a target group of Lambda functions) counts them in
//!   `LambdaUserError` or `LambdaInternalError` instead, and never in the 5XX count;
//! - the 2XX count = n − errors, only when > 0 (Lambda has none);
//! - the latency as Values/Counts in the backend's unit.
//!
//! A Lambda alias also publishes alias-wide (`FunctionName` + `Resource`, no `ExecutedVersion`):
//! `Invocations`, the versions' sum, and `Throttles`, the requests a [`Failure::Throttle`]
//! profile rejected (only when > 0; they are in neither `Invocations` nor `Errors`).
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

use super::{Failure, SimBackend, SimTarget, SimulatorError};
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
    /// ALB: where a Lambda target group's failed invocations go, (user, internal).
    lambda_failures: Option<(&'static str, &'static str)>,
}

impl Layout {
    /// The count a failure of `failure` goes to; one the backend does not have is a plain error.
    fn failure_metric(&self, failure: Failure) -> &'static str {
        match (failure, self.lambda_failures) {
            (Failure::LambdaUserError, Some((user, _))) => user,
            (Failure::LambdaInternalError, Some((_, internal))) => internal,
            _ => self.errors,
        }
    }
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

    /// The dimensions of the route's alias-wide metrics: a Lambda alias only.
    fn alias_dimensions(&self) -> Option<Vec<Dimension>> {
        match self {
            SimBackend::Lambda {
                function_name,
                alias,
            } => Some(lambda::alias_dimensions(function_name, alias)),
            SimBackend::Alb { .. } | SimBackend::Lattice => None,
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

/// A count datum of `metric` with `dimensions` at `timestamp`.
fn count(metric: &str, dimensions: &[Dimension], timestamp: DateTime, n: u64) -> MetricDatum {
    MetricDatum::builder()
        .metric_name(metric)
        .set_dimensions(Some(dimensions.to_vec()))
        .timestamp(timestamp)
        .unit(StandardUnit::Count)
        .storage_resolution(1)
        .value(n as f64)
        .build()
}

/// The metric data of one second for every target (none for a target without requests), then
/// the alias-wide counts of a Lambda alias.
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
    let (mut invocations, mut throttled) = (0, 0);
    for (target, requests) in targets {
        let counts = second_counts(&target.profile, *requests, second);
        invocations += counts.requests;
        throttled += counts.throttled;
        if counts.requests == 0 {
            continue;
        }
        let dimensions = backend.dimensions(&target.target_group_dimension);
        out.push(count(
            layout.requests,
            &dimensions,
            timestamp,
            counts.requests,
        ));
        if counts.errors > 0 {
            let metric = layout.failure_metric(target.profile.failure);
            out.push(count(metric, &dimensions, timestamp, counts.errors));
        }
        if let Some(ok) = layout.ok.filter(|_| counts.ok > 0) {
            out.push(count(ok, &dimensions, timestamp, counts.ok));
        }
        let (values, weights): (Vec<f64>, Vec<f64>) =
            counts.latency_in(layout.latency_unit).into_iter().unzip();
        out.push(
            MetricDatum::builder()
                .metric_name(layout.latency)
                .set_dimensions(Some(dimensions))
                .timestamp(timestamp)
                .unit(standard_unit(layout.latency_unit))
                .storage_resolution(1)
                .set_values(Some(values))
                .set_counts(Some(weights))
                .build(),
        );
    }
    if let Some(dimensions) = backend.alias_dimensions() {
        for (metric, n) in lambda::alias_counts(invocations, throttled) {
            out.push(count(metric, &dimensions, timestamp, n));
        }
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
#[path = "publish_tests.rs"]
mod tests;

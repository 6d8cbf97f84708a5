//! The builtin checks' metrics for a Lambda alias that splits invocations between two versions.
//!
//! Lambda metrics, as documented by AWS in "Types of metrics for Lambda functions",
//! <https://docs.aws.amazon.com/lambda/latest/dg/monitoring-metrics-types.html>, and "Viewing
//! metrics for Lambda functions",
//! <https://docs.aws.amazon.com/lambda/latest/dg/monitoring-metrics-view.html>: namespace
//! `AWS/Lambda`, sent per minute;
//! - `Invocations`: invocations of the function code, successful or with a function error; not
//!   throttled requests; statistic Sum;
//! - `Errors`: invocations with a function error; statistic Sum; "to calculate the error rate,
//!   divide the value of `Errors` by the value of `Invocations`";
//! - `Duration`: the time the function code spends processing an event, in **milliseconds**;
//!   percentile statistics supported;
//! - `Throttles`: "the number of invocation requests that are throttled", for lack of
//!   concurrency; statistic Sum. A throttled request is counted in neither `Invocations`
//!   ("invocations aren't recorded if the invocation request is throttled") nor `Errors`.
//!
//! Per version: AWS documents the `ExecutedVersion` dimension as the way "to compare error rates
//! for two versions of a function that are both targets of a weighted alias" (alias invocations
//! only). The dimension set is `FunctionName` + `Resource` + `ExecutedVersion`, with `Resource`
//! the alias as `<function>:<alias>`: the set is listed by AWS's generated metric catalogue
//! (aws-cdk-lib `lambda-canned-metrics`), not in the page text. So a builtin check compares the
//! canary version with the stable version *as invoked through the alias*; a version invoked
//! directly is not counted. A query whose dimension set is not the published one returns no
//! data, which a check reports as "no data", never as a pass.
//!
//! Throttles, alias-wide: whether AWS publishes `Throttles` per `ExecutedVersion` is not
//! documented, and a throttled request runs no version, so the `throttles` check reads the alias
//! as a whole ([`LambdaDimensions::alias_query`]: `FunctionName` + `Resource`, a set the same
//! catalogue lists): `Throttles / (Invocations + Throttles)` of the alias, both versions
//! together. It cannot tell which version's traffic was throttled; a canary that needs more
//! concurrency (a longer `Duration`) shows as throttles of the alias. Timestamps are invocation
//! times: a long invocation's data lands late.

use super::{CheckQueries, LatencyUnit, MetricQuery, TargetGroupMetrics};

pub const LAMBDA_NAMESPACE: &str = "AWS/Lambda";
pub const INVOCATIONS: &str = "Invocations";
pub const ERRORS: &str = "Errors";
pub const DURATION: &str = "Duration";
pub const THROTTLES: &str = "Throttles";
pub const FUNCTION_NAME_DIMENSION: &str = "FunctionName";
pub const RESOURCE_DIMENSION: &str = "Resource";
pub const EXECUTED_VERSION_DIMENSION: &str = "ExecutedVersion";

/// The CloudWatch dimension values of one Lambda alias route. Built by the orchestrator's setup
/// from the resolved alias (the function's name out of its ARN, the alias name, and the two
/// versions of the alias's routing), so that the ARN knowledge stays with the traffic layer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LambdaDimensions {
    /// The function's name, e.g. `checkout` — the `FunctionName` dimension. Not its ARN, and
    /// without a qualifier.
    pub function_name: String,
    /// The alias the traffic goes through, e.g. `live`; the `Resource` dimension is
    /// `<function_name>:<alias>`.
    pub alias: String,
    /// The version the alias serves as its `FunctionVersion`, e.g. `7` — the stable
    /// `ExecutedVersion`. A published version number, never `$LATEST`.
    pub stable_version: String,
    /// The version that gets the canary's weight in the alias's `AdditionalVersionWeights`,
    /// e.g. `8` — the canary `ExecutedVersion`.
    pub canary_version: String,
}

impl LambdaDimensions {
    /// The `Resource` dimension value of the alias: `<function_name>:<alias>`.
    pub fn alias_resource(&self) -> String {
        format!("{}:{}", self.function_name, self.alias)
    }

    /// `metric` of the invocations of `version` through the alias (`FunctionName` + `Resource`
    /// + `ExecutedVersion`).
    pub fn version_query(&self, version: &str, metric: &str, stat: &str) -> MetricQuery {
        let mut dimensions = self.alias_dimensions();
        dimensions.push((EXECUTED_VERSION_DIMENSION.to_string(), version.to_string()));
        MetricQuery::new(LAMBDA_NAMESPACE, metric, dimensions, stat)
    }

    /// `metric` of the alias as a whole, both versions together (`FunctionName` + `Resource`):
    /// where `Throttles` is looked for.
    pub fn alias_query(&self, metric: &str, stat: &str) -> MetricQuery {
        MetricQuery::new(LAMBDA_NAMESPACE, metric, self.alias_dimensions(), stat)
    }

    /// `FunctionName` + `Resource`: the alias's dimensions, which every query of it has.
    fn alias_dimensions(&self) -> Vec<(String, String)> {
        vec![
            (
                FUNCTION_NAME_DIMENSION.to_string(),
                self.function_name.clone(),
            ),
            (RESOURCE_DIMENSION.to_string(), self.alias_resource()),
        ]
    }
}

/// A Lambda alias's "target groups" are its two versions.
impl TargetGroupMetrics for LambdaDimensions {
    const REQUESTS: &'static str = INVOCATIONS;
    const ERRORS: &'static str = ERRORS;
    const LATENCY: &'static str = DURATION;
    const LATENCY_UNIT: LatencyUnit = LatencyUnit::Milliseconds;

    fn stable_target_group(&self) -> &str {
        &self.stable_version
    }

    fn canary_target_group(&self) -> &str {
        &self.canary_version
    }

    fn query(&self, version: &str, metric: &str, stat: &str) -> MetricQuery {
        self.version_query(version, metric, stat)
    }

    /// The alias's `Invocations` and `Throttles` (Sum), both versions together.
    fn throttles(&self) -> Option<CheckQueries> {
        Some(CheckQueries::Throttles {
            invocations: self.alias_query(INVOCATIONS, "Sum"),
            throttles: self.alias_query(THROTTLES, "Sum"),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{
        alb, error_rate, error_rate_vs_stable, lambda, latency, latency_vs_stable, lattice,
    };
    use super::super::{check_queries, RouteDimensions};
    use super::*;
    use crate::core::plan::CheckKind;

    fn dims() -> RouteDimensions {
        lambda().into()
    }

    fn version(v: &str) -> Vec<(String, String)> {
        vec![
            ("ExecutedVersion".to_string(), v.to_string()),
            ("FunctionName".to_string(), "checkout".to_string()),
            ("Resource".to_string(), "checkout:live".to_string()),
        ]
    }

    #[test]
    fn error_rate_is_errors_over_invocations_of_the_canary_version() {
        let canary = error_rate(&dims());
        assert_eq!(canary.errors.len(), 1, "{canary:?}");
        for query in [&canary.requests, &canary.errors[0]] {
            assert_eq!(query.namespace, "AWS/Lambda");
            assert_eq!(query.stat, "Sum");
            assert_eq!(query.dimensions, version("8"));
        }
        assert_eq!(canary.requests.metric, "Invocations");
        assert_eq!(canary.errors[0].metric, "Errors");
    }

    #[test]
    fn vs_stable_error_rate_adds_the_stable_version_of_the_same_alias() {
        let (canary, stable) = error_rate_vs_stable(&dims());
        assert_eq!(canary.errors[0].dimensions, version("8"));
        assert_eq!(stable.requests.metric, "Invocations");
        assert_eq!(stable.requests.dimensions, version("7"));
        assert_eq!(stable.errors.len(), 1, "{stable:?}");
        assert_eq!(stable.errors[0].metric, "Errors");
        assert_eq!(stable.errors[0].dimensions, version("7"));
    }

    #[test]
    fn latency_is_duration_percentiles_in_milliseconds() {
        let q = latency_vs_stable(&dims(), 99.0);
        let stable = q.stable.expect("stable latency");
        assert_eq!(q.canary_requests.metric, "Invocations");
        assert_eq!(q.canary_requests.dimensions, version("8"));
        assert_eq!(q.canary.namespace, "AWS/Lambda");
        assert_eq!(q.canary.metric, "Duration");
        assert_eq!(q.canary.stat, "p99");
        assert_eq!(q.canary.dimensions, version("8"));
        assert_eq!(stable.metric, "Duration");
        assert_eq!(stable.dimensions, version("7"));
        assert_eq!(q.unit, LatencyUnit::Milliseconds, "Duration is in ms");

        let plain = latency(&dims(), 99.9);
        assert_eq!(plain.unit, LatencyUnit::Milliseconds);
        assert_eq!(plain.canary.stat, "p99.9");
    }

    #[test]
    fn throttles_are_asked_of_the_whole_alias() {
        let kind = CheckKind::Throttles { max_percent: 1.0 };
        let CheckQueries::Throttles {
            invocations,
            throttles,
        } = check_queries(&kind, &dims())
        else {
            panic!("not a throttles check");
        };
        assert_eq!(
            invocations.to_string(),
            "AWS/Lambda Invocations Sum FunctionName=checkout Resource=checkout:live"
        );
        assert_eq!(
            throttles.to_string(),
            "AWS/Lambda Throttles Sum FunctionName=checkout Resource=checkout:live"
        );
    }

    #[test]
    fn other_backends_have_no_throttles() {
        let kind = CheckKind::Throttles { max_percent: 1.0 };
        for dims in [alb().into(), lattice().into()] {
            let queries = check_queries(&kind, &dims);
            assert!(
                matches!(&queries, CheckQueries::Unavailable { why } if why.contains("lambda_alias")),
                "{queries:?}"
            );
            assert!(queries.metric_queries().is_empty());
        }
    }
}

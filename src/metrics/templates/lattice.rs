//! The builtin checks' metrics for a VPC Lattice target group.
//!
//! VPC Lattice metrics, as documented by AWS in "CloudWatch metrics for Amazon VPC Lattice",
//! <https://docs.aws.amazon.com/vpc-lattice/latest/ug/monitoring-cloudwatch.html> (section
//! "Target group metrics"): namespace `AWS/VpcLattice`; per target group with the single
//! dimension `TargetGroup`, whose value is the target group ID `tg-<17 characters>` (the last
//! segment of its ARN `arn:aws:vpc-lattice:<region>:<account>:targetgroup/tg-…`);
//! - `TotalRequestCount`: requests processed by the target group; statistic Sum;
//! - `HTTPCode_5XX_Count`: 5XX responses of the target group's targets; statistic Sum;
//!   reported only when non-zero (so "no datapoint" with requests present means 0 errors);
//! - `RequestTime`: the request's time to the target's response, in **milliseconds** (not
//!   seconds as on the ALB); statistics Average and pNN.NN.
//!
//! Reported per 60 s and only while requests flow. The namespace, the existence of target
//! group metrics and their names match AWS's page and public code; the exact dimension sets
//! (`TargetGroup` alone rather than with `Service` or `AvailabilityZone`) could not be read
//! from AWS's page here: a real account's `ListMetrics --namespace AWS/VpcLattice` settles it.
//! A query whose dimension set is not the published one returns no data, which a check reports
//! as "no data", never as a pass.

use super::{LatencyUnit, MetricQuery, TargetGroupMetrics};

pub const LATTICE_NAMESPACE: &str = "AWS/VpcLattice";
pub const TOTAL_REQUEST_COUNT: &str = "TotalRequestCount";
pub const HTTP_5XX_COUNT: &str = "HTTPCode_5XX_Count";
pub const HTTP_2XX_COUNT: &str = "HTTPCode_2XX_Count";
pub const REQUEST_TIME: &str = "RequestTime";
/// The one dimension of the target group metrics.
pub const TARGET_GROUP_DIMENSION: &str = "TargetGroup";

/// The CloudWatch dimension values of one VPC Lattice route: its two target groups. As for the
/// ALB, the ARN knowledge stays with the traffic layer, which derives these IDs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LatticeDimensions {
    /// The stable target group's ID, `tg-` and 17 lowercase letters or digits, e.g.
    /// `tg-0123456789abcdef0` (not its ARN, not its name).
    pub stable_target_group: String,
    /// The canary target group's ID, e.g. `tg-0fedcba9876543210`.
    pub canary_target_group: String,
}

impl TargetGroupMetrics for LatticeDimensions {
    const REQUESTS: &'static str = TOTAL_REQUEST_COUNT;
    const ERRORS: &'static str = HTTP_5XX_COUNT;
    const LATENCY: &'static str = REQUEST_TIME;
    const LATENCY_UNIT: LatencyUnit = LatencyUnit::Milliseconds;

    fn stable_target_group(&self) -> &str {
        &self.stable_target_group
    }

    fn canary_target_group(&self) -> &str {
        &self.canary_target_group
    }

    fn query(&self, target_group: &str, metric: &str, stat: &str) -> MetricQuery {
        MetricQuery::new(
            LATTICE_NAMESPACE,
            metric,
            vec![(TARGET_GROUP_DIMENSION.to_string(), target_group.to_string())],
            stat,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{
        error_rate, error_rate_vs_stable, latency, latency_vs_stable, lattice,
    };
    use super::super::RouteDimensions;
    use super::*;

    const STABLE: &str = "tg-0123456789abcdef0";
    const CANARY: &str = "tg-0fedcba9876543210";

    fn dims() -> RouteDimensions {
        lattice().into()
    }

    fn only_target_group(id: &str) -> Vec<(String, String)> {
        vec![("TargetGroup".to_string(), id.to_string())]
    }

    #[test]
    fn error_rate_queries_total_requests_and_5xx_sums_by_target_group_id() {
        let canary = error_rate(&dims());
        for query in [&canary.requests, &canary.errors[0]] {
            assert_eq!(query.namespace, "AWS/VpcLattice");
            assert_eq!(query.stat, "Sum");
            assert_eq!(query.dimensions, only_target_group(CANARY));
        }
        assert_eq!(canary.requests.metric, "TotalRequestCount");
        assert_eq!(canary.errors[0].metric, "HTTPCode_5XX_Count");
    }

    #[test]
    fn vs_stable_error_rate_adds_the_stable_target_group() {
        let (canary, stable) = error_rate_vs_stable(&dims());
        assert_eq!(canary.errors[0].dimensions, only_target_group(CANARY));
        assert_eq!(stable.requests.metric, "TotalRequestCount");
        assert_eq!(stable.requests.dimensions, only_target_group(STABLE));
        assert_eq!(stable.errors[0].dimensions, only_target_group(STABLE));
    }

    #[test]
    fn latency_is_request_time_percentiles_in_milliseconds() {
        let q = latency_vs_stable(&dims(), 99.9);
        let stable = q.stable.expect("stable latency");
        assert_eq!(q.canary_requests.metric, "TotalRequestCount");
        assert_eq!(q.canary_requests.stat, "Sum");
        assert_eq!(q.canary.namespace, "AWS/VpcLattice");
        assert_eq!(q.canary.metric, "RequestTime");
        assert_eq!(q.canary.stat, "p99.9");
        assert_eq!(q.canary.dimensions, only_target_group(CANARY));
        assert_eq!(stable.metric, "RequestTime");
        assert_eq!(stable.dimensions, only_target_group(STABLE));
        assert_eq!(q.unit, LatencyUnit::Milliseconds, "RequestTime is in ms");

        let plain = latency(&dims(), 50.0);
        assert_eq!(plain.unit, LatencyUnit::Milliseconds);
        assert_eq!(plain.canary.stat, "p50");
    }
}

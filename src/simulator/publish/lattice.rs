//! Where VPC Lattice puts a target group's second: `AWS/VpcLattice`, the single dimension
//! `TargetGroup` (the id `tg-…`), latency `RequestTime` in milliseconds (see
//! [`crate::metrics::templates::lattice`], which these names and the dimension come from).

use super::{dimension, Layout};
use crate::metrics::templates::lattice::TARGET_GROUP_DIMENSION;
use crate::metrics::templates::{
    LatencyUnit, HTTP_2XX_COUNT, HTTP_5XX_COUNT, LATTICE_NAMESPACE, REQUEST_TIME,
    TOTAL_REQUEST_COUNT,
};
use aws_sdk_cloudwatch::types::Dimension;

pub(super) const LAYOUT: Layout = Layout {
    namespace: LATTICE_NAMESPACE,
    requests: TOTAL_REQUEST_COUNT,
    errors: HTTP_5XX_COUNT,
    ok: Some(HTTP_2XX_COUNT),
    latency: REQUEST_TIME,
    latency_unit: LatencyUnit::Milliseconds,
    lambda_failures: None,
};

pub(super) fn dimensions(target_group: &str) -> Vec<Dimension> {
    vec![dimension(TARGET_GROUP_DIMENSION, target_group)]
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{datums_at, minute_totals, shapes, target, totals, START};
    use crate::simulator::SimBackend;
    use aws_sdk_cloudwatch::types::{MetricDatum, StandardUnit};
    use aws_smithy_types::DateTime;

    const BLUE: &str = "tg-0123456789abcdef0";
    const GREEN: &str = "tg-0fedcba9876543210";
    const IDLE: &str = "tg-00000000000000000";

    fn datums(second: u64) -> Vec<MetricDatum> {
        let profile = (40.0, 400.0);
        let targets = [
            (target(BLUE, 0.0, profile), 100),
            (target(GREEN, 0.1, profile), 10),
            (target(IDLE, 0.5, profile), 0),
        ];
        datums_at(&SimBackend::Lattice, &targets, second)
    }

    #[test]
    fn datums_look_like_lattice_and_skip_zeros() {
        assert_eq!(SimBackend::Lattice.namespace(), "AWS/VpcLattice");
        let datums = datums(START);
        let count = Some(&StandardUnit::Count);
        let ms = Some(&StandardUnit::Milliseconds);
        assert_eq!(
            shapes(&datums, 0),
            vec![
                (BLUE, "TotalRequestCount", count, Some(100.0)),
                (BLUE, "HTTPCode_2XX_Count", count, Some(100.0)),
                (BLUE, "RequestTime", ms, None),
                (GREEN, "TotalRequestCount", count, Some(10.0)),
                (GREEN, "HTTPCode_5XX_Count", count, Some(1.0)),
                (GREEN, "HTTPCode_2XX_Count", count, Some(9.0)),
                (GREEN, "RequestTime", ms, None),
            ]
        );
        for d in &datums {
            assert_eq!(d.storage_resolution(), Some(1));
            assert_eq!(d.timestamp(), Some(&DateTime::from_secs(START as i64)));
            let dims = d.dimensions();
            assert_eq!(dims.len(), 1, "TargetGroup only, no LoadBalancer");
            assert_eq!(dims[0].name(), Some("TargetGroup"));
        }
        // RequestTime in milliseconds, not seconds: 97 at the median, 1 halfway, 2 at the p99;
        // 10 requests in this second are all at the median.
        assert_eq!(datums[2].values(), [40.0, 220.0, 400.0]);
        assert_eq!(datums[2].counts(), [97.0, 1.0, 2.0]);
        assert_eq!(datums[6].values(), [40.0]);
        assert_eq!(datums[6].counts(), [10.0]);
    }

    #[test]
    fn lattice_counts_add_up_over_a_minute() {
        // 10 % of 10 requests is one error every second; the latency counts sum to requests.
        assert_eq!(
            minute_totals(datums, 0, GREEN),
            totals(&[
                ("TotalRequestCount", 600.0),
                ("HTTPCode_5XX_Count", 60.0),
                ("HTTPCode_2XX_Count", 540.0),
                ("RequestTime", 600.0),
            ])
        );
    }
}

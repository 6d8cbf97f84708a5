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
};

pub(super) fn dimensions(target_group: &str) -> Vec<Dimension> {
    vec![dimension(TARGET_GROUP_DIMENSION, target_group)]
}

#[cfg(test)]
mod tests {
    use super::super::second_datums;
    use crate::simulator::{SimBackend, SimTarget, TargetProfile};
    use aws_sdk_cloudwatch::types::{MetricDatum, StandardUnit};
    use aws_smithy_types::DateTime;
    use std::time::{Duration, UNIX_EPOCH};

    const BLUE: &str = "tg-0123456789abcdef0";
    const GREEN: &str = "tg-0fedcba9876543210";
    const IDLE: &str = "tg-00000000000000000";

    fn target(id: &str, error_rate: f64) -> SimTarget {
        SimTarget {
            target_group_dimension: id.to_string(),
            profile: TargetProfile {
                error_rate,
                latency_ms: 40.0,
                p99_ms: 400.0,
            },
        }
    }

    fn datums(second: u64) -> Vec<MetricDatum> {
        second_datums(
            &SimBackend::Lattice,
            &[
                (target(BLUE, 0.0), 100),
                (target(GREEN, 0.1), 10),
                (target(IDLE, 0.5), 0),
            ],
            UNIX_EPOCH + Duration::from_secs(second),
        )
    }

    #[test]
    fn datums_look_like_lattice_and_skip_zeros() {
        assert_eq!(SimBackend::Lattice.namespace(), "AWS/VpcLattice");
        let datums = datums(1_700_000_000);
        let shape: Vec<(&str, &str, Option<&StandardUnit>, Option<f64>)> = datums
            .iter()
            .map(|d| {
                (
                    d.dimensions()[0].value().unwrap_or(""),
                    d.metric_name().unwrap_or(""),
                    d.unit(),
                    d.value(),
                )
            })
            .collect();
        let count = Some(&StandardUnit::Count);
        let ms = Some(&StandardUnit::Milliseconds);
        assert_eq!(
            shape,
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
            assert_eq!(d.timestamp(), Some(&DateTime::from_secs(1_700_000_000)));
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
        let (mut requests, mut errors, mut ok, mut timed) = (0.0, 0.0, 0.0, 0.0);
        for second in 1_700_000_000..1_700_000_060 {
            for d in datums(second)
                .iter()
                .filter(|d| d.dimensions()[0].value() == Some(GREEN))
            {
                let value = d.value().unwrap_or_default();
                match d.metric_name().unwrap_or_default() {
                    "TotalRequestCount" => requests += value,
                    "HTTPCode_5XX_Count" => errors += value,
                    "HTTPCode_2XX_Count" => ok += value,
                    "RequestTime" => timed += d.counts().iter().sum::<f64>(),
                    other => panic!("unexpected metric {other}"),
                }
            }
        }
        assert_eq!((requests, errors, ok, timed), (600.0, 60.0, 540.0, 600.0));
    }
}

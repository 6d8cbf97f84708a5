//! Where an Application Load Balancer puts a target group's second: `AWS/ApplicationELB`,
//! dimensions `TargetGroup` (`targetgroup/<name>/<id>`) + `LoadBalancer` (`app/<name>/<id>`),
//! latency `TargetResponseTime` in seconds (see [`crate::metrics::templates::alb`]).

use super::{dimension, Layout};
use crate::metrics::templates::{
    LatencyUnit, ALB_NAMESPACE, REQUEST_COUNT, TARGET_2XX_COUNT, TARGET_5XX_COUNT,
    TARGET_RESPONSE_TIME,
};
use aws_sdk_cloudwatch::types::Dimension;

pub(super) const LAYOUT: Layout = Layout {
    namespace: ALB_NAMESPACE,
    requests: REQUEST_COUNT,
    errors: TARGET_5XX_COUNT,
    ok: Some(TARGET_2XX_COUNT),
    latency: TARGET_RESPONSE_TIME,
    latency_unit: LatencyUnit::Seconds,
};

/// The dimensions the ALB's checks query (`templates::alb` names them the same way).
pub(super) fn dimensions(target_group: &str, load_balancer: &str) -> Vec<Dimension> {
    vec![
        dimension("TargetGroup", target_group),
        dimension("LoadBalancer", load_balancer),
    ]
}

#[cfg(test)]
mod tests {
    use super::super::second_datums;
    use crate::simulator::{SimBackend, SimTarget, TargetProfile};
    use aws_sdk_cloudwatch::types::StandardUnit;
    use aws_smithy_types::DateTime;
    use std::time::{Duration, UNIX_EPOCH};

    #[test]
    fn datums_look_like_the_alb_and_skip_zeros() {
        let target = |name: &str, error_rate| SimTarget {
            target_group_dimension: format!("targetgroup/{name}/1"),
            profile: TargetProfile {
                error_rate,
                latency_ms: 40.0,
                p99_ms: 400.0,
            },
        };
        let at = UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        let backend = SimBackend::Alb {
            load_balancer_dimension: "app/web/9".into(),
        };
        assert_eq!(backend.namespace(), "AWS/ApplicationELB");
        let datums = second_datums(
            &backend,
            &[
                (target("blue", 0.0), 100),
                (target("green", 0.1), 10),
                (target("idle", 0.5), 0),
            ],
            at,
        );
        let names: Vec<(&str, &str)> = datums
            .iter()
            .map(|d| {
                (
                    d.dimensions()[0].value().unwrap_or(""),
                    d.metric_name().unwrap_or(""),
                )
            })
            .collect();
        assert_eq!(
            names,
            vec![
                ("targetgroup/blue/1", "RequestCount"),
                ("targetgroup/blue/1", "HTTPCode_Target_2XX_Count"),
                ("targetgroup/blue/1", "TargetResponseTime"),
                ("targetgroup/green/1", "RequestCount"),
                ("targetgroup/green/1", "HTTPCode_Target_5XX_Count"),
                ("targetgroup/green/1", "HTTPCode_Target_2XX_Count"),
                ("targetgroup/green/1", "TargetResponseTime"),
            ]
        );
        assert!(datums.iter().all(|d| d.storage_resolution() == Some(1)));
        assert!(datums.iter().all(|d| d.dimensions().len() == 2
            && d.dimensions()[0].name() == Some("TargetGroup")
            && d.dimensions()[1].name() == Some("LoadBalancer")
            && d.dimensions()[1].value() == Some("app/web/9")));
        assert_eq!(datums[4].value(), Some(1.0));
        assert_eq!(datums[6].unit(), Some(&StandardUnit::Seconds));
        assert_eq!(
            datums[0].timestamp(),
            Some(&DateTime::from_secs(1_700_000_000))
        );
        // The latency in seconds: 97 at the median, 1 halfway, 2 at the p99.
        assert_eq!(datums[2].values(), [0.04, 0.22, 0.4]);
        assert_eq!(datums[2].counts(), [97.0, 1.0, 2.0]);
    }
}

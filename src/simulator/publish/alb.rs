//! Where an Application Load Balancer puts a target group's second: `AWS/ApplicationELB`,
//! dimensions `TargetGroup` (`targetgroup/<name>/<id>`) + `LoadBalancer` (`app/<name>/<id>`),
//! latency `TargetResponseTime` in seconds (see [`crate::metrics::templates::alb`]); a Lambda
//! target group's failed invocations in `LambdaUserError` or `LambdaInternalError`.

use super::{dimension, Layout};
use crate::metrics::templates::{
    LatencyUnit, ALB_NAMESPACE, LAMBDA_INTERNAL_ERROR, LAMBDA_USER_ERROR, REQUEST_COUNT,
    TARGET_2XX_COUNT, TARGET_5XX_COUNT, TARGET_RESPONSE_TIME,
};
use aws_sdk_cloudwatch::types::Dimension;

pub(super) const LAYOUT: Layout = Layout {
    namespace: ALB_NAMESPACE,
    requests: REQUEST_COUNT,
    errors: TARGET_5XX_COUNT,
    ok: Some(TARGET_2XX_COUNT),
    latency: TARGET_RESPONSE_TIME,
    latency_unit: LatencyUnit::Seconds,
    lambda_failures: Some((LAMBDA_USER_ERROR, LAMBDA_INTERNAL_ERROR)),
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
    use super::super::test_support::{datums_at, failing, shapes, target, START};
    use crate::simulator::{Failure, SimBackend};
    use aws_sdk_cloudwatch::types::StandardUnit;
    use aws_smithy_types::DateTime;

    #[test]
    fn datums_look_like_the_alb_and_skip_zeros() {
        let profile = (40.0, 400.0);
        let (blue, green) = ("targetgroup/blue/1", "targetgroup/green/1");
        let backend = SimBackend::Alb {
            load_balancer_dimension: "app/web/9".into(),
        };
        assert_eq!(backend.namespace(), "AWS/ApplicationELB");
        let targets = [
            (target(blue, 0.0, profile), 100),
            (target(green, 0.1, profile), 10),
            (target("targetgroup/idle/1", 0.5, profile), 0),
        ];
        let datums = datums_at(&backend, &targets, START);
        let count = Some(&StandardUnit::Count);
        let seconds = Some(&StandardUnit::Seconds);
        assert_eq!(
            shapes(&datums, 0),
            vec![
                (blue, "RequestCount", count, Some(100.0)),
                (blue, "HTTPCode_Target_2XX_Count", count, Some(100.0)),
                (blue, "TargetResponseTime", seconds, None),
                (green, "RequestCount", count, Some(10.0)),
                (green, "HTTPCode_Target_5XX_Count", count, Some(1.0)),
                (green, "HTTPCode_Target_2XX_Count", count, Some(9.0)),
                (green, "TargetResponseTime", seconds, None),
            ]
        );
        assert!(datums.iter().all(|d| d.storage_resolution() == Some(1)));
        assert!(datums.iter().all(|d| d.dimensions().len() == 2
            && d.dimensions()[0].name() == Some("TargetGroup")
            && d.dimensions()[1].name() == Some("LoadBalancer")
            && d.dimensions()[1].value() == Some("app/web/9")));
        assert_eq!(
            datums[0].timestamp(),
            Some(&DateTime::from_secs(START as i64))
        );
        // The latency in seconds: 97 at the median, 1 halfway, 2 at the p99.
        assert_eq!(datums[2].values(), [0.04, 0.22, 0.4]);
        assert_eq!(datums[2].counts(), [97.0, 1.0, 2.0]);
    }

    #[test]
    fn a_lambda_target_groups_failed_invocations_are_no_target_5xx() {
        let backend = SimBackend::Alb {
            load_balancer_dimension: "app/web/9".into(),
        };
        let (user, internal) = ("targetgroup/fn-user/1", "targetgroup/fn-internal/1");
        let targets = [
            (
                failing(user, 0.1, (40.0, 400.0), Failure::LambdaUserError),
                10,
            ),
            (
                failing(internal, 0.2, (40.0, 400.0), Failure::LambdaInternalError),
                10,
            ),
        ];
        let count = Some(&StandardUnit::Count);
        let seconds = Some(&StandardUnit::Seconds);
        assert_eq!(
            shapes(&datums_at(&backend, &targets, START), 0),
            vec![
                (user, "RequestCount", count, Some(10.0)),
                (user, "LambdaUserError", count, Some(1.0)),
                (user, "HTTPCode_Target_2XX_Count", count, Some(9.0)),
                (user, "TargetResponseTime", seconds, None),
                (internal, "RequestCount", count, Some(10.0)),
                (internal, "LambdaInternalError", count, Some(2.0)),
                (internal, "HTTPCode_Target_2XX_Count", count, Some(8.0)),
                (internal, "TargetResponseTime", seconds, None),
            ]
        );
    }
}

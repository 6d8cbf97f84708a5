//! Where Lambda puts one version's second: `AWS/Lambda`, dimensions `FunctionName` +
//! `Resource` (`<function>:<alias>`) + `ExecutedVersion` (the version number), latency
//! `Duration` in milliseconds (see [`crate::metrics::templates::lambda`], which these names and
//! dimensions come from). Lambda has no success count: `Invocations` and `Errors` only.

use super::{dimension, Layout};
use crate::metrics::templates::lambda::{
    EXECUTED_VERSION_DIMENSION, FUNCTION_NAME_DIMENSION, RESOURCE_DIMENSION,
};
use crate::metrics::templates::{LatencyUnit, DURATION, ERRORS, INVOCATIONS, LAMBDA_NAMESPACE};
use aws_sdk_cloudwatch::types::Dimension;

pub(super) const LAYOUT: Layout = Layout {
    namespace: LAMBDA_NAMESPACE,
    requests: INVOCATIONS,
    errors: ERRORS,
    ok: None,
    latency: DURATION,
    latency_unit: LatencyUnit::Milliseconds,
};

/// The dimensions the Lambda checks query, for `version` invoked through `alias`.
pub(super) fn dimensions(version: &str, function_name: &str, alias: &str) -> Vec<Dimension> {
    vec![
        dimension(FUNCTION_NAME_DIMENSION, function_name),
        dimension(RESOURCE_DIMENSION, &format!("{function_name}:{alias}")),
        dimension(EXECUTED_VERSION_DIMENSION, version),
    ]
}

#[cfg(test)]
mod tests {
    use super::super::second_datums;
    use crate::simulator::{SimBackend, SimTarget, TargetProfile};
    use aws_sdk_cloudwatch::types::{MetricDatum, StandardUnit};
    use std::time::{Duration, UNIX_EPOCH};

    fn backend() -> SimBackend {
        SimBackend::Lambda {
            function_name: "checkout".into(),
            alias: "live".into(),
        }
    }

    fn target(version: &str, error_rate: f64) -> SimTarget {
        SimTarget {
            target_group_dimension: version.to_string(),
            profile: TargetProfile {
                error_rate,
                latency_ms: 130.0,
                p99_ms: 320.0,
            },
        }
    }

    fn datums(second: u64) -> Vec<MetricDatum> {
        second_datums(
            &backend(),
            &[
                (target("7", 0.0), 100),
                (target("8", 0.1), 10),
                (target("9", 0.5), 0),
            ],
            UNIX_EPOCH + Duration::from_secs(second),
        )
    }

    fn dims(d: &MetricDatum) -> Vec<(&str, &str)> {
        d.dimensions()
            .iter()
            .map(|x| (x.name().unwrap_or(""), x.value().unwrap_or("")))
            .collect()
    }

    #[test]
    fn datums_look_like_lambda_per_executed_version() {
        assert_eq!(backend().namespace(), "AWS/Lambda");
        assert_eq!(backend().to_string(), "AWS/Lambda Resource=checkout:live");
        let datums = datums(1_700_000_000);
        let shape: Vec<(&str, &str, Option<&StandardUnit>, Option<f64>)> = datums
            .iter()
            .map(|d| {
                (
                    d.dimensions()[2].value().unwrap_or(""),
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
                ("7", "Invocations", count, Some(100.0)),
                ("7", "Duration", ms, None),
                ("8", "Invocations", count, Some(10.0)),
                ("8", "Errors", count, Some(1.0)),
                ("8", "Duration", ms, None),
            ],
            "no 2XX count, no zero errors, nothing for a version without invocations"
        );
        for d in &datums {
            assert_eq!(d.storage_resolution(), Some(1));
            let [_, _, (_, version)] = dims(d)[..] else {
                panic!("three dimensions: {d:?}");
            };
            assert_eq!(
                dims(d),
                vec![
                    ("FunctionName", "checkout"),
                    ("Resource", "checkout:live"),
                    ("ExecutedVersion", version),
                ]
            );
        }
        // Duration in milliseconds: 97 at the median, 1 halfway, 2 at the p99.
        assert_eq!(datums[1].values(), [130.0, 225.0, 320.0]);
        assert_eq!(datums[1].counts(), [97.0, 1.0, 2.0]);
    }

    #[test]
    fn lambda_counts_add_up_over_a_minute() {
        let (mut invocations, mut errors, mut timed) = (0.0, 0.0, 0.0);
        for second in 1_700_000_000..1_700_000_060 {
            for d in datums(second).iter().filter(|d| dims(d)[2].1 == "8") {
                let value = d.value().unwrap_or_default();
                match d.metric_name().unwrap_or_default() {
                    "Invocations" => invocations += value,
                    "Errors" => errors += value,
                    "Duration" => timed += d.counts().iter().sum::<f64>(),
                    other => panic!("unexpected metric {other}"),
                }
            }
        }
        assert_eq!((invocations, errors, timed), (600.0, 60.0, 600.0));
    }
}

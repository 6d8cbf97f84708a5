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
    use super::super::test_support::{datums_at, minute_totals, shapes, target, totals, START};
    use crate::simulator::SimBackend;
    use aws_sdk_cloudwatch::types::{MetricDatum, StandardUnit};

    fn backend() -> SimBackend {
        SimBackend::Lambda {
            function_name: "checkout".into(),
            alias: "live".into(),
        }
    }

    fn datums(second: u64) -> Vec<MetricDatum> {
        let profile = (130.0, 320.0);
        let targets = [
            (target("7", 0.0, profile), 100),
            (target("8", 0.1, profile), 10),
            (target("9", 0.5, profile), 0),
        ];
        datums_at(&backend(), &targets, second)
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
        let datums = datums(START);
        let count = Some(&StandardUnit::Count);
        let ms = Some(&StandardUnit::Milliseconds);
        assert_eq!(
            shapes(&datums, 2),
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
        assert_eq!(
            minute_totals(datums, 2, "8"),
            totals(&[
                ("Invocations", 600.0),
                ("Errors", 60.0),
                ("Duration", 600.0)
            ])
        );
    }
}

//! Where Lambda puts one version's second: `AWS/Lambda`, dimensions `FunctionName` +
//! `Resource` (`<function>:<alias>`) + `ExecutedVersion` (the version number), latency
//! `Duration` in milliseconds (see [`crate::metrics::templates::lambda`], which these names and
//! dimensions come from). Lambda has no success count: `Invocations` and `Errors` only. And the
//! alias as a whole (`FunctionName` + `Resource`): `Invocations` and `Throttles`, which the
//! `throttles` check reads.

use super::{dimension, Layout};
use crate::metrics::templates::lambda::{
    EXECUTED_VERSION_DIMENSION, FUNCTION_NAME_DIMENSION, RESOURCE_DIMENSION,
};
use crate::metrics::templates::{
    LatencyUnit, DURATION, ERRORS, INVOCATIONS, LAMBDA_NAMESPACE, THROTTLES,
};
use aws_sdk_cloudwatch::types::Dimension;

pub(super) const LAYOUT: Layout = Layout {
    namespace: LAMBDA_NAMESPACE,
    requests: INVOCATIONS,
    errors: ERRORS,
    ok: None,
    latency: DURATION,
    latency_unit: LatencyUnit::Milliseconds,
    lambda_failures: None,
};

/// The dimensions the Lambda checks query, for `version` invoked through `alias`.
pub(super) fn dimensions(version: &str, function_name: &str, alias: &str) -> Vec<Dimension> {
    let mut out = alias_dimensions(function_name, alias);
    out.push(dimension(EXECUTED_VERSION_DIMENSION, version));
    out
}

/// The alias's own dimensions, both versions together.
pub(super) fn alias_dimensions(function_name: &str, alias: &str) -> Vec<Dimension> {
    vec![
        dimension(FUNCTION_NAME_DIMENSION, function_name),
        dimension(RESOURCE_DIMENSION, &format!("{function_name}:{alias}")),
    ]
}

/// The alias-wide counts of one second: `Invocations` and `Throttles`, each only when > 0.
pub(super) fn alias_counts(invocations: u64, throttled: u64) -> Vec<(&'static str, u64)> {
    [(INVOCATIONS, invocations), (THROTTLES, throttled)]
        .into_iter()
        .filter(|(_, n)| *n > 0)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{
        datums_at, failing, minute_totals, shapes, target, totals, START,
    };
    use crate::simulator::{Failure, SimBackend};
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
                ("", "Invocations", count, Some(110.0)),
            ],
            "no 2XX count, no zero errors, nothing for a version without invocations; the \
             alias's own invocations, and no zero throttles"
        );
        for d in datums.iter().filter(|d| d.dimensions().len() == 3) {
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
    fn throttled_requests_are_the_alias_throttles_and_not_invocations() {
        let profile = (130.0, 320.0);
        let targets = [
            (target("7", 0.0, profile), 90),
            (failing("8", 0.1, profile, Failure::Throttle), 10),
        ];
        let datums = datums_at(&backend(), &targets, START);
        let count = Some(&StandardUnit::Count);
        let ms = Some(&StandardUnit::Milliseconds);
        assert_eq!(
            shapes(&datums, 2),
            vec![
                ("7", "Invocations", count, Some(90.0)),
                ("7", "Duration", ms, None),
                ("8", "Invocations", count, Some(9.0)),
                ("8", "Duration", ms, None),
                ("", "Invocations", count, Some(99.0)),
                ("", "Throttles", count, Some(1.0)),
            ],
            "a throttle is no error, and no invocation of the version or of the alias"
        );
        let alias = &datums[5];
        assert_eq!(
            dims(alias),
            vec![("FunctionName", "checkout"), ("Resource", "checkout:live")]
        );
        // Everything throttled: no invocation datum at all, the throttles still.
        let all = [(failing("8", 1.0, profile, Failure::Throttle), 10)];
        assert_eq!(
            shapes(&datums_at(&backend(), &all, START), 2),
            vec![("", "Throttles", count, Some(10.0))]
        );
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

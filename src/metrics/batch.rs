//! Packing the queries of one tick into as few `GetMetricData` calls as the limits allow.
//!
//! Pure: deduplication, query ids and chunking. Identical metric+statistic pairs are asked for
//! once (the canary's `RequestCount` serves every builtin check); each unique query gets the
//! id `q<index>` (CloudWatch's rule: first character a lowercase letter, then letters, digits
//! and underscores; unique within a call); and the list is cut into calls of at most
//! [`MAX_QUERIES_PER_CALL`].

use super::templates::{CheckQueries, MetricQuery};
use std::collections::HashMap;

/// `GetMetricData` accepts at most 500 `MetricDataQuery` structures per call.
pub const MAX_QUERIES_PER_CALL: usize = 500;
/// `DescribeAlarms` accepts at most 100 names in `AlarmNames`.
pub const MAX_ALARM_NAMES_PER_CALL: usize = 100;

/// The unique queries of a tick, in first-seen order; a query's index is its id.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Batch {
    pub queries: Vec<MetricQuery>,
}

impl Batch {
    /// Every metric query of every check, each identical one once.
    pub fn of(checks: &[CheckQueries]) -> Batch {
        let mut seen: HashMap<&MetricQuery, usize> = HashMap::new();
        let mut queries = Vec::new();
        for query in checks.iter().flat_map(CheckQueries::metric_queries) {
            if !seen.contains_key(query) {
                seen.insert(query, queries.len());
                queries.push(query.clone());
            }
        }
        Batch { queries }
    }

    /// The queries cut into calls of at most `max` each, with their ids.
    pub fn calls(&self, max: usize) -> Vec<Vec<(String, &MetricQuery)>> {
        let max = max.max(1);
        self.queries
            .iter()
            .enumerate()
            .map(|(i, q)| (query_id(i), q))
            .collect::<Vec<_>>()
            .chunks(max)
            .map(<[_]>::to_vec)
            .collect()
    }
}

/// The id of the query at `index`: `q0`, `q1`, …
pub fn query_id(index: usize) -> String {
    format!("q{index}")
}

/// The unique alarm names of every alarm check, in first-seen order, cut into calls.
pub fn alarm_name_calls(checks: &[CheckQueries], max: usize) -> Vec<Vec<String>> {
    let mut names: Vec<String> = Vec::new();
    for check in checks {
        if let CheckQueries::Alarms { names: wanted } = check {
            for name in wanted {
                if !names.contains(name) {
                    names.push(name.clone());
                }
            }
        }
    }
    names.chunks(max.max(1)).map(<[_]>::to_vec).collect()
}

/// True when `id` is a valid `MetricDataQuery` id.
pub fn is_valid_query_id(id: &str) -> bool {
    let mut chars = id.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_lowercase())
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::plan::{CheckKind, Comparison, CustomQuery};
    use crate::metrics::templates::{check_queries, test_support, RouteDimensions};

    fn dims() -> RouteDimensions {
        test_support::alb().into()
    }

    fn custom(metric: String) -> CheckKind {
        CheckKind::Custom(CustomQuery {
            namespace: "App".into(),
            metric,
            dimensions: vec![],
            statistic: "Sum".into(),
            comparison: Comparison::LessThan,
            threshold: 1.0,
        })
    }

    #[test]
    fn demo_checks_share_the_canary_request_count() {
        let checks: Vec<CheckQueries> = [
            CheckKind::ErrorRate { max_percent: 1.0 },
            CheckKind::Latency {
                percentile: 99.0,
                max_ms: 500.0,
            },
            CheckKind::ErrorRateVsStable {
                max_delta_percent: 0.5,
            },
        ]
        .iter()
        .map(|k| check_queries(k, &dims()))
        .collect();
        let batch = Batch::of(&checks);
        // canary requests + 5xx, canary p99, stable requests + 5xx.
        assert_eq!(batch.queries.len(), 5);
        let request_counts = batch
            .queries
            .iter()
            .filter(|q| {
                q.metric == "RequestCount" && q.dimensions.iter().any(|d| d.1.contains("green"))
            })
            .count();
        assert_eq!(request_counts, 1);
        assert_eq!(batch.calls(MAX_QUERIES_PER_CALL).len(), 1);
    }

    #[test]
    fn same_metric_with_another_statistic_is_another_query() {
        let checks = vec![
            check_queries(
                &CheckKind::Latency {
                    percentile: 99.0,
                    max_ms: 1.0,
                },
                &dims(),
            ),
            check_queries(
                &CheckKind::Latency {
                    percentile: 99.9,
                    max_ms: 1.0,
                },
                &dims(),
            ),
        ];
        assert_eq!(Batch::of(&checks).queries.len(), 3);
    }

    #[test]
    fn ids_follow_cloudwatch_rule_and_are_unique() {
        let checks: Vec<CheckQueries> = (0..40)
            .map(|i| check_queries(&custom(format!("m{i}")), &dims()))
            .collect();
        let batch = Batch::of(&checks);
        let ids: Vec<String> = batch
            .calls(7)
            .into_iter()
            .flatten()
            .map(|(id, _)| id)
            .collect();
        assert_eq!(ids.len(), 40);
        assert!(ids.iter().all(|id| is_valid_query_id(id)), "{ids:?}");
        let unique: std::collections::HashSet<_> = ids.iter().collect();
        assert_eq!(unique.len(), 40);
        assert!(!is_valid_query_id("Q1"));
        assert!(!is_valid_query_id("1q"));
        assert!(!is_valid_query_id("q-1"));
        assert!(!is_valid_query_id(""));
    }

    #[test]
    fn chunks_at_500() {
        let checks: Vec<CheckQueries> = (0..1001)
            .map(|i| check_queries(&custom(format!("m{i}")), &dims()))
            .collect();
        let batch = Batch::of(&checks);
        let calls = batch.calls(MAX_QUERIES_PER_CALL);
        let sizes: Vec<usize> = calls.iter().map(Vec::len).collect();
        assert_eq!(sizes, vec![500, 500, 1]);
        assert_eq!(calls[1][0].0, "q500");

        let exactly: Vec<CheckQueries> = (0..500)
            .map(|i| check_queries(&custom(format!("m{i}")), &dims()))
            .collect();
        assert_eq!(Batch::of(&exactly).calls(MAX_QUERIES_PER_CALL).len(), 1);
        assert!(Batch::default().calls(MAX_QUERIES_PER_CALL).is_empty());
    }

    #[test]
    fn alarm_names_are_deduplicated_and_chunked() {
        let alarms = |names: &[&str]| CheckQueries::Alarms {
            names: names.iter().map(|s| s.to_string()).collect(),
        };
        let checks = vec![alarms(&["a", "b"]), alarms(&["b", "c"])];
        assert_eq!(alarm_name_calls(&checks, 100), vec![vec!["a", "b", "c"]]);
        assert_eq!(
            alarm_name_calls(&checks, 2),
            vec![vec!["a", "b"], vec!["c"]]
        );
        assert!(alarm_name_calls(&[], 100).is_empty());
    }
}

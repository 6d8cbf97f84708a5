//! Checks the user writes in CloudWatch's own terms: `metric:` (any namespace, metric,
//! dimensions and statistic, against a `max` or a `min`) and `alarms:` (CloudWatch alarm names).
//! Lengths and counts are CloudWatch's limits, so a bad value is refused before any AWS call.

use super::required;
use crate::core::plan::{Comparison, CustomQuery};
use crate::playbook::error::{Bad, Diag, Pos};
use crate::playbook::model::{MetricDoc, Sp};
use crate::playbook::values::statistic;
use std::collections::HashMap;

pub(super) fn metric(d: &mut Diag, m: &Sp<MetricDoc>) -> Option<CustomQuery> {
    let errors_before = d.error_count();
    let v = &m.value;
    let example = "metric: { namespace: MyApp, metric: QueueDepth, statistic: Maximum, max: 100 }";
    let namespace = required(d, m, "metric", "namespace", example, &v.namespace).and_then(|n| {
        d.check(
            n,
            text_len("`namespace`", &n.value, 255, "namespace: MyApp"),
        )
    });
    let metric = required(d, m, "metric", "metric", example, &v.metric)
        .and_then(|n| d.check(n, text_len("`metric`", &n.value, 255, "metric: QueueDepth")));
    let statistic = required(d, m, "metric", "statistic", example, &v.statistic)
        .and_then(|s| d.check(s, statistic(s.value.trim())));
    let mut dimensions = Vec::new();
    if let Some(dims) = &v.dimensions {
        if dims.value.0.len() > 30 {
            d.error(
                dims,
                format!(
                    "{} dimensions is more than CloudWatch's 30",
                    dims.value.0.len()
                ),
                "keep at most 30 dimensions",
            );
        }
        for (name, value) in &dims.value.0 {
            d.check(
                name,
                text_len(
                    "a dimension name",
                    &name.value,
                    255,
                    "dimensions: { Queue: orders }",
                ),
            );
            d.check(
                value,
                text_len(
                    "a dimension value",
                    &value.value,
                    1024,
                    "dimensions: { Queue: orders }",
                ),
            );
            dimensions.push((name.value.clone(), value.value.clone()));
        }
    }
    let bound = match (&v.max, &v.min) {
        (Some(_), Some(min)) => {
            d.error(min, "`metric` has both `max` and `min`; a check compares against one", "keep `max:` (passes while value <= max) or `min:` (passes while value >= min); for both, write two checks");
            None
        }
        (None, None) => {
            d.error(
                m,
                "`metric` needs `max:` or `min:`",
                "add `max: 100` (passes while value <= 100) or `min: 5` (passes while value >= 5)",
            );
            None
        }
        (Some(max), None) => d
            .check(max, finite("max", max.value))
            .map(|t| (Comparison::LessThanOrEqual, t)),
        (None, Some(min)) => d
            .check(min, finite("min", min.value))
            .map(|t| (Comparison::GreaterThanOrEqual, t)),
    };
    if d.error_count() > errors_before {
        return None;
    }
    let (comparison, threshold) = bound?;
    Some(CustomQuery {
        namespace: namespace?,
        metric: metric?,
        dimensions,
        statistic: statistic?,
        comparison,
        threshold,
    })
}

pub(super) fn alarms(d: &mut Diag, list: &Sp<Vec<Sp<String>>>) -> Option<Vec<String>> {
    let errors_before = d.error_count();
    if list.value.is_empty() {
        d.error(
            list,
            "`alarms` lists no alarms",
            "write the CloudWatch alarm names, e.g. `alarms: [checkout-5xx, checkout-latency]`",
        );
        return None;
    }
    if list.value.len() > 100 {
        d.error(
            list,
            format!(
                "{} alarms is more than the 100 a check may watch",
                list.value.len()
            ),
            "split them over several `alarms:` checks",
        );
    }
    let mut seen: HashMap<&str, u64> = HashMap::new();
    for name in &list.value {
        if d.check(
            name,
            text_len("an alarm name", &name.value, 255, "alarms: [checkout-5xx]"),
        )
        .is_none()
        {
            continue;
        }
        if let Some(wildcard) = name.value.chars().find(|c| matches!(c, '*' | '?')) {
            // iam-policy scopes DescribeAlarms to each alarm's ARN, and IAM reads `*` and `?`
            // in a resource as wildcards with no way to escape them.
            d.error(
                name,
                format!(
                    "alarm `{}` has `{wildcard}` in its name, which IAM reads as a wildcard (IAM has no escape), so no policy can grant exactly this alarm",
                    name.value
                ),
                "rename the alarm in CloudWatch without `*` and `?` and list it by that name",
            );
            continue;
        }
        if let Some(line) = seen.get(name.value.as_str()) {
            d.error(
                name,
                format!(
                    "alarm `{}` is listed twice (first on line {line})",
                    name.value
                ),
                "remove one of them",
            );
        }
        seen.insert(&name.value, Pos::from(name).line);
    }
    (d.error_count() == errors_before).then(|| list.value.iter().map(|n| n.value.clone()).collect())
}

/// A text of 1–`max` characters; `subject` describes it, `example` is YAML to write instead.
fn text_len(subject: &str, raw: &str, max: usize, example: &str) -> Result<String, Bad> {
    let len = raw.chars().count();
    if len == 0 || len > max {
        return Err(Bad::new(
            format!("{subject} must be 1–{max} characters, not {len}"),
            format!("write e.g. `{example}`"),
        ));
    }
    Ok(raw.to_string())
}

fn finite(field: &str, v: f64) -> Result<f64, Bad> {
    if v.is_finite() {
        Ok(v)
    } else {
        Err(Bad::new(
            format!("`{field}` must be a finite number"),
            format!("write e.g. `{field}: 100`"),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::run;
    use crate::core::plan::{CheckKind, Comparison};

    #[test]
    fn custom_metrics_and_alarms() {
        let c = run("- name: queue-depth\n  metric:\n    namespace: MyApp\n    metric: QueueDepth\n    dimensions: { Queue: orders, Shard: 3 }\n    statistic: Maximum\n    max: 100\n- metric: { namespace: MyApp, metric: Orders, statistic: Sum, min: 5 }\n- alarms: [a, b]\n").unwrap();
        let CheckKind::Custom(q) = &c[0].kind else {
            panic!("{c:?}")
        };
        assert_eq!(
            q.dimensions,
            vec![
                ("Queue".to_string(), "orders".to_string()),
                ("Shard".to_string(), "3".to_string())
            ]
        );
        assert_eq!(
            (q.comparison, q.threshold),
            (Comparison::LessThanOrEqual, 100.0)
        );
        let CheckKind::Custom(q) = &c[1].kind else {
            panic!("{c:?}")
        };
        assert_eq!(
            (q.comparison, q.threshold),
            (Comparison::GreaterThanOrEqual, 5.0)
        );
        assert_eq!(
            c[2].kind,
            CheckKind::Alarms {
                names: vec!["a".into(), "b".into()]
            }
        );
    }

    #[test]
    fn metric_problems() {
        let e =
            run("- metric: { namespace: MyApp, metric: Q, statistic: Maximum, max: 1, min: 0 }\n")
                .unwrap_err();
        assert!(e[0].contains("both `max` and `min`"), "{e:?}");
        let e = run("- metric: { namespace: '', metric: Q, statistic: avg }\n").unwrap_err();
        assert_eq!(e.len(), 3, "{e:?}");
        assert!(e.iter().any(|p| p.contains("`namespace` must be 1–255")));
        assert!(e
            .iter()
            .any(|p| p.contains("`avg` is not a CloudWatch statistic")));
        assert!(e.iter().any(|p| p.contains("needs `max:` or `min:`")));
        let dims: Vec<String> = (0..31).map(|i| format!("D{i}: v")).collect();
        let e = run(&format!("- metric: {{ namespace: N, metric: M, statistic: Sum, max: 1, dimensions: {{ {} }} }}\n", dims.join(", "))).unwrap_err();
        assert!(e[0].contains("31 dimensions"), "{e:?}");
    }

    #[test]
    fn alarm_lists() {
        assert!(run("- alarms: []\n").unwrap_err()[0].contains("lists no alarms"));
        assert!(run("- alarms: [a, a]\n").unwrap_err()[0].contains("listed twice"));
        let long = "x".repeat(256);
        assert!(run(&format!("- alarms: [{long}]\n")).unwrap_err()[0].contains("1–255"));
        let many: Vec<String> = (0..101).map(|i| format!("a{i}")).collect();
        assert!(
            run(&format!("- alarms: [{}]\n", many.join(", "))).unwrap_err()[0]
                .contains("101 alarms")
        );
    }

    #[test]
    fn alarm_names_iam_would_read_as_wildcards_are_refused() {
        let e = run("- alarms: ['*', prod-*, '?', ok]\n").unwrap_err();
        assert_eq!(e.len(), 3, "{e:?}");
        assert!(e[0].contains("alarm `*` has `*` in its name"), "{e:?}");
        assert!(e[1].contains("alarm `prod-*`"), "{e:?}");
        assert!(e[2].contains("alarm `?` has `?`"), "{e:?}");
        assert!(e[0].contains("IAM reads as a wildcard"), "{e:?}");
    }
}

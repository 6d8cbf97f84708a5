//! `checks:` → [`Check`]s: one kind key per item, unique names, values in range.

use super::error::{Bad, Diag, Pos};
use super::model::{CheckDoc, MetricDoc, Sp};
use super::values::{duration, number_in, percentile, simple_name, statistic};
use crate::core::plan::{Check, CheckKind, Comparison, CustomQuery};
use std::collections::HashMap;

const KINDS_HINT: &str = "start the check with one of `error_rate:`, `latency:`, `error_rate_vs_stable:`, `latency_vs_stable:`, `metric:` or `alarms:`";
const DEFAULT_PERCENTILE: f64 = 99.0;

pub(crate) fn checks(d: &mut Diag, list: &Sp<Vec<Sp<CheckDoc>>>) -> Option<Vec<Check>> {
    let errors_before = d.error_count();
    let mut out = Vec::new();
    let mut names: HashMap<String, Pos> = HashMap::new();
    for item in &list.value {
        let Some((kind_key, kind)) = one_check(d, item) else {
            continue;
        };
        let (name, name_at) = match &item.value.name {
            Some(n) => match d.check(n, simple_name("name", &n.value, "check name")) {
                Some(name) => (name, Pos::from(n)),
                None => continue,
            },
            None => (kind_key.to_string(), Pos::from(item)),
        };
        if let Some(first) = names.get(&name) {
            let how = if item.value.name.is_some() {
                ""
            } else {
                " (a check without `name:` is named after its kind)"
            };
            d.error(
                name_at,
                format!(
                    "two checks are named `{name}`; the first is on line {}{how}",
                    first.line
                ),
                format!("give each check a distinct `name:`, e.g. `name: {name}-2`"),
            );
            continue;
        }
        names.insert(name.clone(), name_at);
        if let Some(kind) = kind {
            out.push(Check { name, kind });
        }
    }
    (d.error_count() == errors_before).then_some(out)
}

/// The single kind key of a check item and, when its values are valid, the kind.
fn one_check(d: &mut Diag, item: &Sp<CheckDoc>) -> Option<(&'static str, Option<CheckKind>)> {
    let c = &item.value;
    let present: Vec<(&'static str, Pos)> = [
        ("error_rate", c.error_rate.as_ref().map(Pos::from)),
        ("latency", c.latency.as_ref().map(Pos::from)),
        (
            "error_rate_vs_stable",
            c.error_rate_vs_stable.as_ref().map(Pos::from),
        ),
        (
            "latency_vs_stable",
            c.latency_vs_stable.as_ref().map(Pos::from),
        ),
        ("metric", c.metric.as_ref().map(Pos::from)),
        ("alarms", c.alarms.as_ref().map(Pos::from)),
    ]
    .into_iter()
    .filter_map(|(k, at)| at.map(|at| (k, at)))
    .collect();
    match present.as_slice() {
        [] => {
            d.error(item, "this check has no kind", KINDS_HINT);
            None
        }
        [(first, _), rest @ ..] if !rest.is_empty() => {
            for (second, at) in rest {
                d.error(
                    *at,
                    format!("this check has two kinds, `{first}` and `{second}`; a check has exactly one"),
                    format!("split it into two list items, each starting with `- `: `- {first}: ...` and `- {second}: ...`"),
                );
            }
            None
        }
        [(key, _)] => Some((key, kind(d, c))),
        _ => None,
    }
}

fn kind(d: &mut Diag, c: &CheckDoc) -> Option<CheckKind> {
    if let Some(e) = &c.error_rate {
        let max = required(
            d,
            e,
            "error_rate",
            "max_percent",
            "error_rate: { max_percent: 1 }",
            &e.value.max_percent,
        )?;
        let max_percent = d.check(max, number_in("max_percent", max.value, 0.0, 100.0, "1"))?;
        return Some(CheckKind::ErrorRate { max_percent });
    }
    if let Some(l) = &c.latency {
        let percentile = percentile_or_default(d, &l.value.percentile);
        let max = required(
            d,
            l,
            "latency",
            "max",
            "latency: { percentile: p99, max: 500ms }",
            &l.value.max,
        )?;
        let max_ms = latency_ms(d, max)?;
        return Some(CheckKind::Latency {
            percentile: percentile?,
            max_ms,
        });
    }
    if let Some(e) = &c.error_rate_vs_stable {
        let example = "error_rate_vs_stable: { max_delta_percent: 0.5 }";
        let max = required(
            d,
            e,
            "error_rate_vs_stable",
            "max_delta_percent",
            example,
            &e.value.max_delta_percent,
        )?;
        let max_delta_percent = d.check(
            max,
            number_in("max_delta_percent", max.value, 0.0, 100.0, "0.5"),
        )?;
        return Some(CheckKind::ErrorRateVsStable { max_delta_percent });
    }
    if let Some(l) = &c.latency_vs_stable {
        let percentile = percentile_or_default(d, &l.value.percentile);
        let example = "latency_vs_stable: { percentile: p99, max_ratio: 1.2 }";
        let ratio = required(
            d,
            l,
            "latency_vs_stable",
            "max_ratio",
            example,
            &l.value.max_ratio,
        )?;
        let max_ratio = d.check(ratio, positive("max_ratio", ratio.value, 100.0, "1.2"))?;
        return Some(CheckKind::LatencyVsStable {
            percentile: percentile?,
            max_ratio,
        });
    }
    if let Some(m) = &c.metric {
        return metric(d, m).map(CheckKind::Custom);
    }
    if let Some(a) = &c.alarms {
        return alarms(d, a).map(|names| CheckKind::Alarms { names });
    }
    None
}

/// A required field of a check kind; missing → error at the kind's mapping.
fn required<'a, P, T>(
    d: &mut Diag,
    parent: &Sp<P>,
    kind: &str,
    field: &str,
    example: &str,
    value: &'a Option<Sp<T>>,
) -> Option<&'a Sp<T>> {
    if value.is_none() {
        d.error(
            parent,
            format!("`{kind}` needs `{field}:`"),
            format!("write e.g. `{example}`"),
        );
    }
    value.as_ref()
}

fn percentile_or_default(d: &mut Diag, p: &Option<Sp<String>>) -> Option<f64> {
    match p {
        Some(p) => d.check(p, percentile("percentile", p.value.trim())),
        None => Some(DEFAULT_PERCENTILE),
    }
}

fn latency_ms(d: &mut Diag, max: &Sp<String>) -> Option<f64> {
    let mut parsed = duration("max", &max.value);
    if let Err(bad) = &mut parsed {
        if max.value.trim().parse::<f64>().is_ok() {
            bad.hint = format!(
                "add a unit: write `max: {}ms` for milliseconds (or `s`)",
                max.value.trim()
            );
        }
    }
    let dur = d.check(max, parsed)?;
    if dur.is_zero() {
        d.error(
            max,
            "`max: 0` would fail every request",
            "write the highest acceptable latency, e.g. `max: 500ms`",
        );
        return None;
    }
    Some(dur.as_secs_f64() * 1000.0)
}

/// A number above 0 and at most `max`.
fn positive(field: &str, v: f64, max: f64, example: &str) -> Result<f64, Bad> {
    if !v.is_finite() || v <= 0.0 || v > max {
        return Err(Bad::new(
            format!("`{field}: {v}` must be above 0 and at most {max}"),
            format!("write e.g. `{field}: {example}`"),
        ));
    }
    Ok(v)
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

fn metric(d: &mut Diag, m: &Sp<MetricDoc>) -> Option<CustomQuery> {
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

fn alarms(d: &mut Diag, list: &Sp<Vec<Sp<String>>>) -> Option<Vec<String>> {
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

#[cfg(test)]
mod tests {
    use super::*;

    fn run(yaml: &str) -> Result<Vec<Check>, Vec<String>> {
        let doc: Sp<Vec<Sp<CheckDoc>>> = serde_saphyr::from_str(yaml).expect("yaml");
        let mut d = Diag::new("t.yaml");
        let c = checks(&mut d, &doc);
        match d.finish() {
            Ok(_) => Ok(c.expect("checks")),
            Err(e) => Err(e
                .problems
                .iter()
                .map(|p| {
                    format!(
                        "{}:{} {} | {}",
                        p.location.line, p.location.column, p.message, p.hint
                    )
                })
                .collect()),
        }
    }

    #[test]
    fn builtin_kinds_map_to_the_plan() {
        let c = run("- name: canary-5xx\n  error_rate: { max_percent: 1 }\n- latency: { percentile: p99.9, max: 500ms }\n- error_rate_vs_stable: { max_delta_percent: 0.5 }\n- latency_vs_stable: { max_ratio: 1.2 }\n").unwrap();
        assert_eq!(
            c[0],
            Check {
                name: "canary-5xx".into(),
                kind: CheckKind::ErrorRate { max_percent: 1.0 }
            }
        );
        assert_eq!(
            c[1],
            Check {
                name: "latency".into(),
                kind: CheckKind::Latency {
                    percentile: 99.9,
                    max_ms: 500.0
                }
            }
        );
        assert_eq!(
            c[2].kind,
            CheckKind::ErrorRateVsStable {
                max_delta_percent: 0.5
            }
        );
        assert_eq!(
            c[3].kind,
            CheckKind::LatencyVsStable {
                percentile: 99.0,
                max_ratio: 1.2
            }
        );
        assert_eq!(c[3].name, "latency_vs_stable");
    }

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
    fn exactly_one_kind() {
        let e = run("- error_rate: { max_percent: 1 }\n  latency: { max: 1s }\n").unwrap_err();
        assert!(
            e[0].starts_with("2:12 this check has two kinds, `error_rate` and `latency`"),
            "{e:?}"
        );
        let e = run("- name: lonely\n").unwrap_err();
        assert!(e[0].starts_with("1:3 this check has no kind"), "{e:?}");
    }

    #[test]
    fn names_are_unique_including_defaults() {
        let e = run("- error_rate: { max_percent: 1 }\n- error_rate: { max_percent: 2 }\n")
            .unwrap_err();
        assert!(
            e[0].contains(
                "two checks are named `error_rate`; the first is on line 1 (a check without"
            ),
            "{e:?}"
        );
        let e = run("- name: x\n  alarms: [a]\n- name: x\n  alarms: [b]\n").unwrap_err();
        assert!(e[0].starts_with("3:9 two checks are named `x`"), "{e:?}");
        assert!(run("- name: a/b\n  alarms: [a]\n").unwrap_err()[0].contains("check name `a/b`"));
    }

    #[test]
    fn values_are_checked() {
        let e = run("- error_rate: { max_percent: 150 }\n- latency: { percentile: p100, max: 500 }\n- latency_vs_stable: { max_ratio: 0 }\n- name: e2\n  error_rate: {}\n").unwrap_err();
        assert_eq!(e.len(), 5, "{e:?}");
        assert!(
            e[0].contains("`max_percent: 150` is outside 0–100"),
            "{e:?}"
        );
        assert!(
            e[1].contains("`percentile: p100` is not a percentile"),
            "{e:?}"
        );
        assert!(
            e[2].contains("`max: 500` is not a duration") && e[2].contains("`max: 500ms`"),
            "{e:?}"
        );
        assert!(e[3].contains("`max_ratio: 0` must be above 0"), "{e:?}");
        assert!(e[4].contains("`error_rate` needs `max_percent:`"), "{e:?}");
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
}

//! The builtin checks, read from the route's per-target-group metrics (ALB or VPC Lattice; a
//! Lambda alias's versions) and compared against a threshold or against the stable target group:
//! `error_rate`, `latency`, `error_rate_vs_stable` and `latency_vs_stable`; and `throttles`, a
//! Lambda alias's own, refused on any other route (its metrics exist only there, and a check
//! that can never see data would hold every step). Percentiles default to p99; latencies need a
//! unit.

use super::required;
use crate::core::plan::{CheckKind, Route};
use crate::playbook::error::{Bad, Diag};
use crate::playbook::model::{
    ErrorRateDoc, ErrorRateVsStableDoc, LatencyDoc, LatencyVsStableDoc, Sp, ThrottlesDoc,
};
use crate::playbook::values::{duration, number_in, percentile};

const DEFAULT_PERCENTILE: f64 = 99.0;

pub(super) fn error_rate(d: &mut Diag, e: &Sp<ErrorRateDoc>) -> Option<CheckKind> {
    let max_percent = max_percent(d, e, "error_rate", &e.value.max_percent)?;
    Some(CheckKind::ErrorRate { max_percent })
}

/// `throttles: { max_percent }`, on a Lambda alias route only. Without a valid route there is
/// nothing to judge it against: the route's own problem is reported instead.
pub(super) fn throttles(
    d: &mut Diag,
    t: &Sp<ThrottlesDoc>,
    route: Option<&Route>,
) -> Option<CheckKind> {
    let max_percent = max_percent(d, t, "throttles", &t.value.max_percent);
    let other = match route {
        Some(Route::LambdaAlias(_)) | None => None,
        Some(Route::Alb(_)) => Some("an ALB"),
        Some(Route::Lattice(_)) => Some("a VPC Lattice"),
    };
    if let Some(other) = other {
        d.error(
            t,
            format!("`throttles` is a check of a Lambda alias route, and this is {other} route"),
            "remove it, or route through `lambda_alias:`; for Lambda functions behind this route, \
             watch their throttles with a `metric:` check (namespace: AWS/Lambda, metric: \
             Throttles, dimensions: { FunctionName: <function> }, statistic: Sum)",
        );
        return None;
    }
    Some(CheckKind::Throttles {
        max_percent: max_percent?,
    })
}

/// The required `max_percent` (0–100) of a `kind: { max_percent: … }` check.
fn max_percent<P>(
    d: &mut Diag,
    parent: &Sp<P>,
    kind: &str,
    value: &Option<Sp<f64>>,
) -> Option<f64> {
    let example = format!("{kind}: {{ max_percent: 1 }}");
    let max = required(d, parent, kind, "max_percent", &example, value)?;
    d.check(max, number_in("max_percent", max.value, 0.0, 100.0, "1"))
}

pub(super) fn latency(d: &mut Diag, l: &Sp<LatencyDoc>) -> Option<CheckKind> {
    let percentile = percentile_or_default(d, &l.value.percentile);
    let max = required(
        d,
        l,
        "latency",
        "max",
        "latency: { percentile: p99, max: 500ms }",
        &l.value.max,
    )?;
    let max_ms = latency_ms(d, "max", max)?;
    Some(CheckKind::Latency {
        percentile: percentile?,
        max_ms,
    })
}

pub(super) fn error_rate_vs_stable(
    d: &mut Diag,
    e: &Sp<ErrorRateVsStableDoc>,
) -> Option<CheckKind> {
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
    Some(CheckKind::ErrorRateVsStable { max_delta_percent })
}

pub(super) fn latency_vs_stable(d: &mut Diag, l: &Sp<LatencyVsStableDoc>) -> Option<CheckKind> {
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
    let max_ratio = d.check(ratio, positive("max_ratio", ratio.value, 100.0, "1.2"));
    let threshold_ms = match &l.value.threshold {
        Some(t) => Some(latency_ms(d, "threshold", t)?),
        None => None,
    };
    Some(CheckKind::LatencyVsStable {
        percentile: percentile?,
        max_ratio: max_ratio?,
        threshold_ms,
    })
}

fn percentile_or_default(d: &mut Diag, p: &Option<Sp<String>>) -> Option<f64> {
    match p {
        Some(p) => d.check(p, percentile("percentile", p.value.trim())),
        None => Some(DEFAULT_PERCENTILE),
    }
}

/// A latency duration written under `field` (`max`, `threshold`), in milliseconds, above zero.
fn latency_ms(d: &mut Diag, field: &str, value: &Sp<String>) -> Option<f64> {
    let mut parsed = duration(field, &value.value);
    if let Err(bad) = &mut parsed {
        if value.value.trim().parse::<f64>().is_ok() {
            bad.hint = format!(
                "add a unit: write `{field}: {}ms` for milliseconds (or `s`)",
                value.value.trim()
            );
        }
    }
    let dur = d.check(value, parsed)?;
    if dur.is_zero() {
        d.error(
            value,
            format!("`{field}: 0` would count every request as slow"),
            format!("write a latency above zero, e.g. `{field}: 500ms`"),
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

#[cfg(test)]
mod tests {
    use super::super::tests::{run, run_on};
    use crate::core::plan::{
        AlbRoute, AlbTarget, Check, CheckKind, LambdaAliasRoute, LatticeRef, LatticeRoute, Route,
        TargetGroupRef,
    };

    fn lambda_alias() -> Route {
        Route::LambdaAlias(LambdaAliasRoute {
            function: "checkout".into(),
            alias: "live".into(),
            canary_version: "8".into(),
            stable_version: None,
        })
    }

    #[test]
    fn throttles_are_a_lambda_alias_check() {
        let yaml = "- throttles: { max_percent: 0.5 }\n";
        let c = run_on(yaml, Some(&lambda_alias())).unwrap();
        assert_eq!(
            c,
            vec![Check {
                name: "throttles".into(),
                kind: CheckKind::Throttles { max_percent: 0.5 },
                slower_than_ms: None,
            }]
        );
        let alb = Route::Alb(AlbRoute {
            target: AlbTarget::ListenerArn(
                crate::arn::OwnedArn::parse(
                    "arn:aws:elasticloadbalancing:us-east-1:1:listener/app/a/1/2",
                )
                .unwrap(),
            ),
            stable: TargetGroupRef::Name("blue".into()),
            canary: TargetGroupRef::Name("green".into()),
        });
        let e = run_on(yaml, Some(&alb)).unwrap_err();
        assert_eq!(e.len(), 1, "{e:?}");
        assert!(
            e[0].starts_with(
                "1:14 `throttles` is a check of a Lambda alias route, and this is an ALB route | remove it"
            ),
            "{e:?}"
        );
        assert!(e[0].contains("metric: Throttles"), "{e:?}");
        let lattice = Route::Lattice(LatticeRoute {
            service: Some(LatticeRef::Name("checkout".into())),
            listener: Some(LatticeRef::Name("https".into())),
            rule: None,
            stable: LatticeRef::Name("blue".into()),
            canary: LatticeRef::Name("green".into()),
        });
        let e = run_on(yaml, Some(&lattice)).unwrap_err();
        assert!(e[0].contains("this is a VPC Lattice route"), "{e:?}");
        let e = run_on("- throttles: { max_percent: 101 }\n", Some(&lambda_alias())).unwrap_err();
        assert!(
            e[0].contains("`max_percent: 101` is outside 0–100"),
            "{e:?}"
        );
        let e = run_on("- throttles: {}\n", Some(&lambda_alias())).unwrap_err();
        assert!(e[0].contains("`throttles` needs `max_percent:`"), "{e:?}");
        assert!(
            e[0].contains("write e.g. `throttles: { max_percent: 1 }`"),
            "{e:?}"
        );
    }

    #[test]
    fn builtin_kinds_map_to_the_plan() {
        let c = run("- name: canary-5xx\n  error_rate: { max_percent: 1 }\n- latency: { percentile: p99.9, max: 500ms }\n- error_rate_vs_stable: { max_delta_percent: 0.5 }\n- latency_vs_stable: { max_ratio: 1.2 }\n").unwrap();
        assert_eq!(
            c[0],
            Check {
                name: "canary-5xx".into(),
                kind: CheckKind::ErrorRate { max_percent: 1.0 },
                slower_than_ms: None,
            }
        );
        assert_eq!(
            c[1],
            Check {
                name: "latency".into(),
                kind: CheckKind::Latency {
                    percentile: 99.9,
                    max_ms: 500.0
                },
                slower_than_ms: None,
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
                max_ratio: 1.2,
                threshold_ms: None
            }
        );
        assert_eq!(c[3].name, "latency_vs_stable");
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
}

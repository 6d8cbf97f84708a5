//! The builtin checks, read from the route's per-target-group metrics (ALB or VPC Lattice) and
//! compared against a threshold or against the stable target group: `error_rate`, `latency`,
//! `error_rate_vs_stable` and `latency_vs_stable`. Percentiles default to p99; latencies need a
//! unit.

use super::required;
use crate::core::plan::CheckKind;
use crate::playbook::error::{Bad, Diag};
use crate::playbook::model::{
    ErrorRateDoc, ErrorRateVsStableDoc, LatencyDoc, LatencyVsStableDoc, Sp,
};
use crate::playbook::values::{duration, number_in, percentile};

const DEFAULT_PERCENTILE: f64 = 99.0;

pub(super) fn error_rate(d: &mut Diag, e: &Sp<ErrorRateDoc>) -> Option<CheckKind> {
    let max = required(
        d,
        e,
        "error_rate",
        "max_percent",
        "error_rate: { max_percent: 1 }",
        &e.value.max_percent,
    )?;
    let max_percent = d.check(max, number_in("max_percent", max.value, 0.0, 100.0, "1"))?;
    Some(CheckKind::ErrorRate { max_percent })
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
    let max_ms = latency_ms(d, max)?;
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
    let max_ratio = d.check(ratio, positive("max_ratio", ratio.value, 100.0, "1.2"))?;
    Some(CheckKind::LatencyVsStable {
        percentile: percentile?,
        max_ratio,
    })
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

#[cfg(test)]
mod tests {
    use super::super::tests::run;
    use crate::core::plan::{Check, CheckKind};

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

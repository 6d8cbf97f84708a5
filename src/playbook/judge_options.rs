//! The judge's options under `analysis:`: `method`, `confidence`, `max_bake`,
//! `no_data_deadline` and `baseline` (kept apart from the window options in `validate.rs`).

use super::error::{Bad, Diag};
use super::model::AnalysisDoc;
use super::schema::METHOD;
use super::validate::did_you_mean;
use super::values::{number_in, whole_seconds};
use crate::core::plan::{Analysis, MaxBake, Method, DEFAULT_BASELINE, DEFAULT_CONFIDENCE};
use std::time::Duration;

/// The judge's options a playbook that names none gets (every other field of the result is
/// replaced by the caller).
pub(crate) fn defaults() -> Analysis {
    Analysis {
        interval: Duration::ZERO,
        period: Duration::ZERO,
        lookback: Duration::ZERO,
        settle: Duration::ZERO,
        ingestion_delay: Duration::ZERO,
        min_requests: 0,
        no_data: crate::core::plan::NoDataPolicy::Hold,
        failure_threshold: 1,
        method: Method::Evidence,
        confidence: DEFAULT_CONFIDENCE,
        max_bake: MaxBake::default(),
        no_data_deadline: None,
        baseline: DEFAULT_BASELINE,
    }
}

/// The judge's options of `a` (the window options of the result are the defaults' zeros, for
/// the caller to replace); `None` after reporting an error.
pub(crate) fn judge_options(d: &mut Diag, a: &AnalysisDoc) -> Option<Analysis> {
    let base = defaults();
    let method = match &a.method {
        None => Some(base.method),
        Some(m) => d.check(m, method(m.value.trim())),
    };
    let confidence = match &a.confidence {
        None => Some(base.confidence),
        Some(c) => d
            .check(c, number_in("confidence", c.value, 50.0, 99.9999, "99"))
            .map(|percent| percent / 100.0),
    };
    let max_bake = match &a.max_bake {
        None => Some(base.max_bake),
        Some(m) => d.check(m, max_bake(m.value.trim())),
    };
    let no_data_deadline = match &a.no_data_deadline {
        None => Some(None),
        Some(n) => d
            .check(n, whole_seconds("no_data_deadline", &n.value))
            .map(Some),
    };
    let baseline = match &a.baseline {
        None => Some(base.baseline),
        Some(b) => d.check(b, whole_seconds("baseline", &b.value)),
    };
    Some(Analysis {
        method: method?,
        confidence: confidence?,
        max_bake: max_bake?,
        no_data_deadline: no_data_deadline?,
        baseline: baseline?,
        ..base
    })
}

fn method(raw: &str) -> Result<Method, Bad> {
    match raw {
        "evidence" => Ok(Method::Evidence),
        "threshold" => Ok(Method::Threshold),
        _ => Err(Bad::new(
            format!(
                "`method: {raw}` is not a judge{}",
                did_you_mean(raw, &METHOD)
            ),
            "write `method: evidence` (sequential tests on counts, the default) or `method: \
             threshold` (each window against the limits)",
        )),
    }
}

/// `3x` (a multiple of each step's bake, at least 1) or a duration (`20m`).
fn max_bake(raw: &str) -> Result<MaxBake, Bad> {
    if let Some(factor) = raw.strip_suffix('x').or_else(|| raw.strip_suffix('×')) {
        return match factor.trim().parse::<f64>() {
            Ok(f) if f.is_finite() && (1.0..=100.0).contains(&f) => Ok(MaxBake::Factor(f)),
            _ => Err(Bad::new(
                format!("`max_bake: {raw}` is not a multiple of the bake from 1x to 100x"),
                "write how many bakes a step may extend to, e.g. `max_bake: 3x`, or a duration, \
                 e.g. `max_bake: 20m`",
            )),
        };
    }
    whole_seconds("max_bake", raw).map(MaxBake::Fixed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn max_bake_is_a_multiple_or_a_duration() {
        assert_eq!(max_bake("3x").unwrap(), MaxBake::Factor(3.0));
        assert_eq!(max_bake("1.5x").unwrap(), MaxBake::Factor(1.5));
        assert_eq!(
            max_bake("20m").unwrap(),
            MaxBake::Fixed(Duration::from_secs(1200))
        );
        assert!(max_bake("0.5x").unwrap_err().message.contains("1x to 100x"));
        assert!(max_bake("lots").is_err());
        assert_eq!(method("threshold").unwrap(), Method::Threshold);
        assert!(method("evidense")
            .unwrap_err()
            .message
            .contains("did you mean `evidence`"));
    }
}

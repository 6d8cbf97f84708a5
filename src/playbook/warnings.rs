//! Valid but probably unintended: warnings about a plan that passed validation.

use super::error::{Diag, Pos};
use super::values::show_duration;
use crate::core::plan::{CheckKind, Plan, Route};
use std::time::Duration;

/// Where to point each warning: the field if written, else its parent.
pub(crate) struct Sites {
    pub analysis: Pos,
    pub period: Option<Pos>,
    pub lookback: Option<Pos>,
    pub checks: Pos,
}

pub(crate) fn collect(d: &mut Diag, plan: &Plan, sites: &Sites) {
    let a = &plan.analysis;
    let builtin = plan.checks.iter().any(|c| {
        matches!(
            c.kind,
            CheckKind::ErrorRate { .. }
                | CheckKind::Latency { .. }
                | CheckKind::ErrorRateVsStable { .. }
                | CheckKind::LatencyVsStable { .. }
                | CheckKind::Throttles { .. }
        )
    });
    if builtin && a.period < Duration::from_secs(60) {
        let p = show_duration(a.period);
        let publisher = match plan.route {
            Route::Alb(_) => "ALB publishes",
            Route::Lattice(_) => "VPC Lattice publishes",
            Route::LambdaAlias(_) => "Lambda publishes",
        };
        d.warn(
            sites.period.unwrap_or(sites.analysis),
            format!("period {p}: {publisher} its metrics per 60 seconds on AWS; a {p} period sees only partial data there (fine against the local emulator)"),
        );
    }
    if a.lookback < a.period.saturating_mul(2) {
        d.warn(
            sites.lookback.or(sites.period).unwrap_or(sites.analysis),
            format!(
                "lookback {} is shorter than twice the period {}: each analysis rests on a single datapoint; consider `lookback: {}`",
                show_duration(a.lookback),
                show_duration(a.period),
                show_duration(a.period.saturating_mul(2))
            ),
        );
    }
    if plan.checks.is_empty() {
        d.warn(
            sites.checks,
            "no checks: nothing will be watched: the canary is promoted on time alone",
        );
    }
}

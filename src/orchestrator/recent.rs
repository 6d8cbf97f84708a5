//! The route's traffic over the last hour, which `plan` forecasts the deployment on: requests per
//! second to both targets and the stable's error rate, read with the builtin error-rate
//! queries of the route's backend (one `GetMetricData` call).

use crate::core::forecast::Recent;
use crate::core::observe::{Observed, Traffic};
use crate::core::plan::{Check, CheckKind, Plan};
use crate::core::window::{self, Window};
use crate::core::Timestamp;
use crate::metrics::{MetricSource, MetricsError};
use std::time::Duration;

/// How far back `plan` looks.
pub const RECENT: Duration = Duration::from_secs(3600);

/// The complete periods of the last [`RECENT`] before `now` (less the ingestion delay), or
/// `None` for a period longer than that.
pub fn recent_window(plan: &Plan, now: Timestamp) -> Option<Window> {
    let mut analysis = plan.analysis.clone();
    analysis.baseline = RECENT;
    window::before(&analysis, now.minus(analysis.ingestion_delay))
}

/// The route's recent traffic over `window`, as the metric source reports it.
pub async fn recent_traffic(
    metrics: &impl MetricSource,
    window: Window,
) -> Result<Recent, MetricsError> {
    let probe = Check {
        name: "recent-traffic".to_string(),
        kind: CheckKind::ErrorRateVsStable {
            max_delta_percent: 0.0,
        },
        slower_than_ms: None,
    };
    let observed = metrics.observe(&[probe], window).await?;
    let seconds = window.duration().as_secs_f64().max(1.0);
    Ok(match observed.first() {
        Some(Observed::ErrorRate { canary, stable }) => of(*canary, *stable, seconds),
        _ => Recent {
            requests_per_second: 0.0,
            error_rate: None,
        },
    })
}

fn of(canary: Traffic, stable: Traffic, seconds: f64) -> Recent {
    let finite = |v: Option<f64>| v.filter(|x| x.is_finite() && *x >= 0.0);
    let stable_requests = finite(stable.requests).unwrap_or(0.0);
    let requests = finite(canary.requests).unwrap_or(0.0) + stable_requests;
    Recent {
        requests_per_second: requests / seconds,
        error_rate: (stable_requests > 0.0)
            .then(|| (finite(stable.errors).unwrap_or(0.0) / stable_requests).min(1.0)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_targets_count_and_the_stable_sets_the_rate() {
        let t = |requests, errors| Traffic { requests, errors };
        let recent = of(t(Some(360.0), Some(36.0)), t(Some(3240.0), None), 3600.0);
        assert_eq!(recent.requests_per_second, 1.0);
        assert_eq!(recent.error_rate, Some(0.0));
        let none = of(t(None, None), t(None, None), 3600.0);
        assert_eq!(none.requests_per_second, 0.0);
        assert_eq!(none.error_rate, None);
        let odd = of(t(Some(f64::NAN), None), t(Some(100.0), Some(1e9)), 100.0);
        assert_eq!(odd.requests_per_second, 1.0);
        assert_eq!(odd.error_rate, Some(1.0));
    }
}

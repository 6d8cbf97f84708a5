//! A route's checks period by period over a long window, for the backtest: the same queries and
//! aggregation as a tick's [`MetricSource::observe`](super::MetricSource::observe), answered
//! once per period instead of once for the window (the same `GetMetricData` calls, whose
//! results carry each period's timestamp).

use super::aggregate::{observe_check, Alarms, Datapoints};
use super::batch::Batch;
use super::cloudwatch::CloudWatchSource;
use super::templates::{queries_of, CheckQueries};
use super::MetricsError;
use crate::core::observe::Observed;
use crate::core::plan::Check;
use crate::core::window::Window;
use crate::core::Timestamp;
use std::collections::BTreeMap;

/// Each period with data: its start and the observation of each check in it.
pub type History = Vec<(Timestamp, Vec<Observed>)>;

impl CloudWatchSource {
    /// The observation of each of `checks` in every period of `window` that has a datapoint
    /// (alarms and custom metrics included as the tick would see them; alarms have no history
    /// and are observed as unavailable).
    pub async fn history(&self, checks: &[Check], window: Window) -> Result<History, MetricsError> {
        if window.start >= window.end {
            return Err(MetricsError::EmptyWindow {
                start_ms: window.start.as_millis(),
                end_ms: window.end.as_millis(),
            });
        }
        let queries: Vec<CheckQueries> = checks
            .iter()
            .map(|c| match queries_of(c, self.dimensions()) {
                CheckQueries::Alarms { .. } => CheckQueries::Unavailable {
                    why: "alarms have no history".to_string(),
                },
                other => other,
            })
            .collect();
        let batch = Batch::of(&queries);
        let timed = self.timed_datapoints(&batch, window).await?;
        let mut by_period: BTreeMap<i64, Datapoints> = BTreeMap::new();
        for (query, points) in timed {
            for (at, value) in points {
                if let Some(at) = at {
                    by_period
                        .entry(at)
                        .or_default()
                        .entry(query.clone())
                        .or_default()
                        .push(value);
                }
            }
        }
        let alarms = Alarms::new();
        Ok(by_period
            .into_iter()
            .map(|(at, points)| {
                let observed = queries
                    .iter()
                    .map(|q| observe_check(q, &points, &alarms))
                    .collect();
                (Timestamp(at), observed)
            })
            .collect())
    }
}

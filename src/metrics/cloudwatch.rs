//! [`CloudWatchSource`]: the checks of a tick answered by CloudWatch.
//!
//! One tick = every metric query of every check, deduplicated, in as few `GetMetricData` calls
//! as the 500-query limit allows (each followed through `NextToken`, which is also how
//! `PartialData` results are completed), plus one `DescribeAlarms` call per 100 alarm names.
//! Both kinds of call run concurrently.
//!
//! The CloudWatch period of every query is the plan's analysis period, given once to
//! [`CloudWatchSource::new`] (not derived from the window: a window of several periods is
//! judged period by period, e.g. latency is the worst period, not one percentile over the whole
//! window). The window is `[start, end)`, sent as `StartTime`/`EndTime`.

use super::aggregate::{observe_check, Alarms, Datapoints};
use super::batch::{alarm_name_calls, Batch, MAX_ALARM_NAMES_PER_CALL, MAX_QUERIES_PER_CALL};
use super::templates::{queries_of, CheckQueries, MetricQuery, RouteDimensions};
use super::{MetricSource, MetricsError};
use crate::aws::error::service::CLOUDWATCH;
use crate::aws::AwsError;
use crate::core::observe::{AlarmObservation, AlarmState, Observed};
use crate::core::plan::Check;
use crate::core::window::Window;
use aws_sdk_cloudwatch::types::{
    AlarmType, Dimension, Metric, MetricDataQuery, MetricStat, StateValue, StatusCode,
};
use aws_smithy_types::DateTime;
use std::collections::HashMap;
use std::time::Duration;

/// Datapoints with their period's start (when CloudWatch gave it), per query.
pub(super) type TimedDatapoints = HashMap<MetricQuery, Vec<(Option<i64>, f64)>>;

/// Pages followed for one call before giving up (a misbehaving endpoint must not loop forever).
const MAX_PAGES: usize = 1000;

/// The checks of a route answered by CloudWatch (its calls are counted by the clients'
/// `aws::CallLog`).
#[derive(Debug)]
pub struct CloudWatchSource {
    client: aws_sdk_cloudwatch::Client,
    dims: RouteDimensions,
    period: Duration,
}

impl CloudWatchSource {
    /// `dims` are the route's target group dimensions: an [`AlbDimensions`], a
    /// [`LatticeDimensions`](super::LatticeDimensions) or a
    /// [`LambdaDimensions`](super::LambdaDimensions), or any as a [`RouteDimensions`].
    /// `period` is the plan's analysis period (1, 5, 10, 30 s or a multiple of 60 s).
    ///
    /// [`AlbDimensions`]: super::AlbDimensions
    pub fn new(
        client: aws_sdk_cloudwatch::Client,
        dims: impl Into<RouteDimensions>,
        period: Duration,
    ) -> CloudWatchSource {
        CloudWatchSource {
            client,
            dims: dims.into(),
            period,
        }
    }

    /// The route's target group dimensions the builtin checks query.
    pub fn dimensions(&self) -> &RouteDimensions {
        &self.dims
    }

    async fn datapoints(&self, batch: &Batch, window: Window) -> Result<Datapoints, MetricsError> {
        let timed = self.timed_datapoints(batch, window).await?;
        Ok(timed
            .into_iter()
            .map(|(query, points)| (query, points.into_iter().map(|(_, v)| v).collect()))
            .collect())
    }

    /// Each query's datapoints with their period's start (milliseconds since the epoch).
    pub(super) async fn timed_datapoints(
        &self,
        batch: &Batch,
        window: Window,
    ) -> Result<TimedDatapoints, MetricsError> {
        let period = period_seconds(self.period)?;
        let mut points = TimedDatapoints::new();
        for call in batch.calls(MAX_QUERIES_PER_CALL) {
            let by_id: HashMap<&str, &MetricQuery> =
                call.iter().map(|(id, q)| (id.as_str(), *q)).collect();
            let queries: Vec<MetricDataQuery> = call
                .iter()
                .map(|(id, q)| to_sdk_query(id, q, period))
                .collect();
            let mut token: Option<String> = None;
            for page in 1.. {
                if page > MAX_PAGES {
                    return Err(MetricsError::Pagination {
                        operation: "GetMetricData",
                        pages: MAX_PAGES,
                    });
                }
                let out = self
                    .client
                    .get_metric_data()
                    .set_metric_data_queries(Some(queries.clone()))
                    .start_time(DateTime::from_millis(window.start.as_millis()))
                    .end_time(DateTime::from_millis(window.end.as_millis()))
                    .set_next_token(token.take())
                    .send()
                    .await
                    .map_err(|e| {
                        MetricsError::Aws(AwsError::from_sdk(
                            CLOUDWATCH,
                            "GetMetricData",
                            "the checks' metrics",
                            &e,
                        ))
                    })?;
                for result in out.metric_data_results() {
                    let Some(query) = result.id().and_then(|id| by_id.get(id)) else {
                        continue;
                    };
                    if let Some(status @ (StatusCode::InternalError | StatusCode::Forbidden)) =
                        result.status_code()
                    {
                        let messages: Vec<String> = result
                            .messages()
                            .iter()
                            .filter_map(|m| m.value().map(str::to_string))
                            .collect();
                        return Err(MetricsError::Query {
                            metric: query.to_string(),
                            status: status.as_str().to_string(),
                            messages: if messages.is_empty() {
                                String::new()
                            } else {
                                format!(": {}", messages.join("; "))
                            },
                        });
                    }
                    // A value keeps its timestamp when CloudWatch gave one (the window's sums
                    // need none; the history drops values without).
                    let times = result.timestamps();
                    points.entry((*query).clone()).or_default().extend(
                        result
                            .values()
                            .iter()
                            .enumerate()
                            .map(|(i, v)| (times.get(i).and_then(|t| t.to_millis().ok()), *v)),
                    );
                }
                match out.next_token() {
                    Some(next) if !next.is_empty() => token = Some(next.to_string()),
                    _ => break,
                }
            }
        }
        Ok(points)
    }

    async fn alarms(&self, calls: &[Vec<String>]) -> Result<Alarms, MetricsError> {
        let mut found = Alarms::new();
        for names in calls {
            let mut token: Option<String> = None;
            for page in 1.. {
                if page > MAX_PAGES {
                    return Err(MetricsError::Pagination {
                        operation: "DescribeAlarms",
                        pages: MAX_PAGES,
                    });
                }
                let out = self
                    .client
                    .describe_alarms()
                    .set_alarm_names(Some(names.clone()))
                    .alarm_types(AlarmType::MetricAlarm)
                    .alarm_types(AlarmType::CompositeAlarm)
                    .set_next_token(token.take())
                    .send()
                    .await
                    .map_err(|e| {
                        MetricsError::Aws(AwsError::from_sdk(
                            CLOUDWATCH,
                            "DescribeAlarms",
                            "the checks' alarms",
                            &e,
                        ))
                    })?;
                let metric = out
                    .metric_alarms()
                    .iter()
                    .map(|a| (a.alarm_name(), a.state_value(), a.state_reason()));
                let composite = out
                    .composite_alarms()
                    .iter()
                    .map(|a| (a.alarm_name(), a.state_value(), a.state_reason()));
                for (name, state, reason) in metric.chain(composite) {
                    let Some(name) = name else { continue };
                    found.insert(name.to_string(), alarm_observation(name, state, reason));
                }
                match out.next_token() {
                    Some(next) if !next.is_empty() => token = Some(next.to_string()),
                    _ => break,
                }
            }
        }
        Ok(found)
    }
}

impl MetricSource for CloudWatchSource {
    async fn observe(
        &self,
        checks: &[Check],
        window: Window,
    ) -> Result<Vec<Observed>, MetricsError> {
        if window.start >= window.end {
            return Err(MetricsError::EmptyWindow {
                start_ms: window.start.as_millis(),
                end_ms: window.end.as_millis(),
            });
        }
        let queries: Vec<CheckQueries> = checks.iter().map(|c| queries_of(c, &self.dims)).collect();
        let batch = Batch::of(&queries);
        let alarm_calls = alarm_name_calls(&queries, MAX_ALARM_NAMES_PER_CALL);
        let (points, alarms) =
            tokio::try_join!(self.datapoints(&batch, window), self.alarms(&alarm_calls))?;
        Ok(queries
            .iter()
            .map(|q| observe_check(q, &points, &alarms))
            .collect())
    }
}

fn alarm_observation(
    name: &str,
    state: Option<&StateValue>,
    reason: Option<&str>,
) -> AlarmObservation {
    let state = match state {
        Some(StateValue::Alarm) => AlarmState::Alarm,
        Some(StateValue::Ok) => AlarmState::Ok,
        _ => AlarmState::InsufficientData,
    };
    AlarmObservation {
        name: name.to_string(),
        state,
        reason: reason.unwrap_or_default().to_string(),
    }
}

/// The period in whole seconds, if CloudWatch accepts it.
pub fn period_seconds(period: Duration) -> Result<i32, MetricsError> {
    let secs = period.as_secs();
    let valid = period.subsec_nanos() == 0
        && (matches!(secs, 1 | 5 | 10 | 30) || (secs > 0 && secs.is_multiple_of(60)));
    match i32::try_from(secs) {
        Ok(s) if valid => Ok(s),
        _ => Err(MetricsError::Period {
            seconds: period.as_secs_f64(),
        }),
    }
}

/// The SDK form of one query.
pub fn to_sdk_query(id: &str, query: &MetricQuery, period: i32) -> MetricDataQuery {
    let mut metric = Metric::builder()
        .namespace(&query.namespace)
        .metric_name(&query.metric);
    for (name, value) in &query.dimensions {
        metric = metric.dimensions(Dimension::builder().name(name).value(value).build());
    }
    MetricDataQuery::builder()
        .id(id)
        .metric_stat(
            MetricStat::builder()
                .metric(metric.build())
                .period(period)
                .stat(&query.stat)
                .build(),
        )
        .return_data(true)
        .build()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periods_cloudwatch_accepts() {
        for ok in [1, 5, 10, 30, 60, 120, 300, 3600] {
            assert_eq!(
                period_seconds(Duration::from_secs(ok)).ok(),
                Some(ok as i32)
            );
        }
        for bad in [0, 2, 45, 90] {
            assert!(period_seconds(Duration::from_secs(bad)).is_err(), "{bad}");
        }
        assert!(period_seconds(Duration::from_millis(60_500)).is_err());
    }

    #[test]
    fn sdk_query_carries_metric_stat_and_period() {
        let q = MetricQuery::new(
            "AWS/ApplicationELB",
            "TargetResponseTime",
            vec![("TargetGroup".into(), "targetgroup/g/1".into())],
            "p99",
        );
        let sdk = to_sdk_query("q3", &q, 60);
        assert_eq!(sdk.id(), Some("q3"));
        assert_eq!(sdk.return_data(), Some(true));
        let stat = sdk.metric_stat().expect("metric stat");
        assert_eq!(stat.period(), Some(60));
        assert_eq!(stat.stat(), Some("p99"));
        assert_eq!(
            stat.unit(),
            None,
            "no unit: a unit filter would hide data published without one"
        );
        let metric = stat.metric().expect("metric");
        assert_eq!(metric.namespace(), Some("AWS/ApplicationELB"));
        assert_eq!(metric.dimensions()[0].value(), Some("targetgroup/g/1"));
    }

    #[test]
    fn alarm_states_map() {
        let obs = alarm_observation("a", Some(&StateValue::Alarm), Some("crossed"));
        assert_eq!(obs.state, AlarmState::Alarm);
        assert_eq!(obs.reason, "crossed");
        assert_eq!(
            alarm_observation("a", Some(&StateValue::Ok), None).state,
            AlarmState::Ok
        );
        assert_eq!(
            alarm_observation("a", None, None).state,
            AlarmState::InsufficientData
        );
    }
}

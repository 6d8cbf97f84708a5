//! Shared fixtures of the CloudWatch tests: names unique to a run, windows two hours back, a
//! source on the emulator, checks, and custom metric data.

use crate::emulator::sdk_config;
use aws_sdk_cloudwatch::types::{Dimension, MetricDatum};
use canary_deploy::aws::{CallLog, Clients};
use canary_deploy::core::observe::Observed;
use canary_deploy::core::plan::{Check, CheckKind, Comparison, CustomQuery};
use canary_deploy::core::types::Timestamp;
use canary_deploy::core::window::Window;
use canary_deploy::metrics::{AlbDimensions, CloudWatchSource, MetricSource};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

const MINUTE: Duration = Duration::from_secs(60);

fn since_epoch() -> Duration {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("clock after 1970")
}

/// A name unique to this test run and `tag`.
pub(super) fn unique(tag: &str) -> String {
    let nanos = since_epoch().as_nanos();
    format!("{tag}{}x{:x}", std::process::id(), nanos % 0xffff_ffff_ffff)
}

/// A custom metric namespace unique to this test run and `tag`.
pub(super) fn namespace(tag: &str) -> String {
    format!("CanaryTest/{}", unique(tag))
}

/// Two hours ago, aligned to the minute.
pub(super) fn two_hours_ago() -> u64 {
    let now = since_epoch().as_secs();
    (now - 2 * 3600) / 60 * 60
}

/// A CloudWatch client on the emulator.
pub(super) async fn cloudwatch() -> aws_sdk_cloudwatch::Client {
    aws_sdk_cloudwatch::Client::new(&sdk_config().await)
}

/// A CloudWatch client on the emulator whose calls go to a [`CallLog`].
pub(super) async fn logged_cloudwatch() -> (aws_sdk_cloudwatch::Client, CallLog) {
    let clients = Clients::new(&sdk_config().await);
    (clients.cloudwatch, clients.calls)
}

/// The metric source under test, with a one-minute period.
pub(super) fn source(client: aws_sdk_cloudwatch::Client, dims: AlbDimensions) -> CloudWatchSource {
    CloudWatchSource::new(client, dims, MINUTE)
}

/// The source's observations of `checks` over `window`; a failed call fails the test.
pub(super) async fn observe(
    source: &CloudWatchSource,
    checks: &[Check],
    window: Window,
) -> Vec<Observed> {
    source.observe(checks, window).await.expect("observe")
}

/// Publishes `data` under `namespace` in one `PutMetricData` call.
pub(super) async fn put_data(
    client: &aws_sdk_cloudwatch::Client,
    namespace: &str,
    data: Vec<MetricDatum>,
) {
    client
        .put_metric_data()
        .namespace(namespace)
        .set_metric_data(Some(data))
        .send()
        .await
        .expect("put metric data");
}

pub(super) fn window(start: u64, seconds: u64) -> Window {
    Window {
        start: Timestamp::from_secs(start as i64),
        end: Timestamp::from_secs((start + seconds) as i64),
    }
}

/// ALB dimensions unique to this test run and `tag`.
pub(super) fn dims(tag: &str) -> AlbDimensions {
    let id = unique(tag);
    AlbDimensions {
        load_balancer: format!("app/{id}/50dc6c495c0c9188"),
        stable_target_group: format!("targetgroup/{id}-stable/73e2d6bc24d8a067"),
        canary_target_group: format!("targetgroup/{id}-canary/943f017f100becff"),
        stable_is_lambda: false,
        canary_is_lambda: false,
    }
}

pub(super) fn check(name: &str, kind: CheckKind) -> Check {
    Check {
        name: name.to_string(),
        kind,
        slower_than_ms: None,
    }
}

/// A check on `statistic` of `namespace`/`metric` for `Service=service`, named after the metric
/// and statistic.
pub(super) fn custom(
    namespace: &str,
    metric: &str,
    service: &str,
    statistic: &str,
    cmp: Comparison,
) -> Check {
    check(
        &format!("{metric}-{statistic}"),
        CheckKind::Custom(CustomQuery {
            namespace: namespace.to_string(),
            metric: metric.to_string(),
            dimensions: vec![("Service".to_string(), service.to_string())],
            statistic: statistic.to_string(),
            comparison: cmp,
            threshold: 0.0,
        }),
    )
}

/// One value of `metric` for `Service=service` at `secs`.
pub(super) fn datum(metric: &str, service: &str, secs: u64, value: f64) -> MetricDatum {
    MetricDatum::builder()
        .metric_name(metric)
        .dimensions(Dimension::builder().name("Service").value(service).build())
        .timestamp(aws_smithy_types::DateTime::from_secs(secs as i64))
        .value(value)
        .build()
}

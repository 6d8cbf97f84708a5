//! The CloudWatch metric source and the traffic simulator against the emulator, over real HTTP
//! with the real SDK clients.
//!
//! Data is published at explicit timestamps two hours back, aligned to the minute, under
//! dimension and metric names unique to each test, so tests never see each other's data.

use crate::emulator::{demo_alb, sdk_config};
use aws_sdk_cloudwatch::types::{
    ComparisonOperator, Dimension, MetricDatum, StateValue, Statistic,
};
use canary_deploy::core::observe::{AlarmState, Observed, Traffic};
use canary_deploy::core::plan::{Check, CheckKind, Comparison, CustomQuery};
use canary_deploy::core::types::Timestamp;
use canary_deploy::core::window::Window;
use canary_deploy::metrics::{AlbDimensions, CloudWatchSource, MetricSource};
use canary_deploy::simulator::{
    publish_second, read_weights, split_requests, RouteRef, SimTarget, TargetProfile,
};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

const MINUTE: Duration = Duration::from_secs(60);

/// A name unique to this test run and `tag`.
fn unique(tag: &str) -> String {
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("clock after 1970")
        .as_nanos();
    format!("{tag}{}x{:x}", std::process::id(), nanos % 0xffff_ffff_ffff)
}

/// Two hours ago, aligned to the minute.
fn two_hours_ago() -> u64 {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("clock after 1970")
        .as_secs();
    (now - 2 * 3600) / 60 * 60
}

/// A CloudWatch client on the emulator.
async fn cloudwatch() -> aws_sdk_cloudwatch::Client {
    aws_sdk_cloudwatch::Client::new(&sdk_config().await)
}

/// The source's observations of `checks` over `window`; a failed call fails the test.
async fn observe(source: &CloudWatchSource, checks: &[Check], window: Window) -> Vec<Observed> {
    source.observe(checks, window).await.expect("observe")
}

/// Publishes `data` under `namespace` in one `PutMetricData` call.
async fn put_data(client: &aws_sdk_cloudwatch::Client, namespace: &str, data: Vec<MetricDatum>) {
    client
        .put_metric_data()
        .namespace(namespace)
        .set_metric_data(Some(data))
        .send()
        .await
        .expect("put metric data");
}

fn at(secs: u64) -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(secs)
}

fn window(start: u64, seconds: u64) -> Window {
    Window {
        start: Timestamp::from_secs(start as i64),
        end: Timestamp::from_secs((start + seconds) as i64),
    }
}

fn dims(tag: &str) -> AlbDimensions {
    let id = unique(tag);
    AlbDimensions {
        load_balancer: format!("app/{id}/50dc6c495c0c9188"),
        stable_target_group: format!("targetgroup/{id}-stable/73e2d6bc24d8a067"),
        canary_target_group: format!("targetgroup/{id}-canary/943f017f100becff"),
    }
}

fn check(name: &str, kind: CheckKind) -> Check {
    Check {
        name: name.to_string(),
        kind,
    }
}

fn sim_target(dimension: &str, error_rate: f64, latency_ms: f64, p99_ms: f64) -> SimTarget {
    SimTarget {
        target_group_dimension: dimension.to_string(),
        profile: TargetProfile {
            error_rate,
            latency_ms,
            p99_ms,
        },
    }
}

/// Publishes `seconds` consecutive seconds from `from`, as the simulator binary would.
async fn publish_seconds(
    client: &aws_sdk_cloudwatch::Client,
    lb: &str,
    targets: &[(SimTarget, u64)],
    from: u64,
    seconds: u64,
) {
    for s in from..from + seconds {
        publish_second(client, lb, targets, at(s))
            .await
            .unwrap_or_else(|e| panic!("publish second {s}: {e}"));
    }
}

fn demo_checks() -> Vec<Check> {
    vec![
        check("errors", CheckKind::ErrorRate { max_percent: 1.0 }),
        check(
            "latency",
            CheckKind::Latency {
                percentile: 99.0,
                max_ms: 500.0,
            },
        ),
        check(
            "errors-vs-stable",
            CheckKind::ErrorRateVsStable {
                max_delta_percent: 0.5,
            },
        ),
    ]
}

#[tokio::test]
async fn alb_counts_sum_exactly_over_the_window_in_one_call() {
    let client = cloudwatch().await;
    let dims = dims("counts");
    let start = two_hours_ago();
    // 250 requests/s split 200/50 (weights 800/200); stable never fails, so it publishes no
    // 5XX metric at all; the canary fails 1 % of 50 = 0.5 requests/s.
    let (stable_n, canary_n) = split_requests(250, 800, 200);
    assert_eq!((stable_n, canary_n), (200, 50));
    let targets = [
        (
            sim_target(&dims.stable_target_group, 0.0, 20.0, 100.0),
            stable_n,
        ),
        (
            sim_target(&dims.canary_target_group, 0.01, 40.0, 400.0),
            canary_n,
        ),
    ];
    publish_seconds(&client, &dims.load_balancer, &targets, start, 120).await;

    let source = CloudWatchSource::new(client, dims, MINUTE);
    let observed = observe(&source, &demo_checks(), window(start, 120)).await;
    let canary = Traffic {
        requests: Some(6000.0),
        errors: Some(60.0),
    };
    assert_eq!(
        observed,
        vec![
            Observed::ErrorRate {
                canary,
                stable: Traffic::default(),
            },
            Observed::Latency {
                canary_requests: Some(6000.0),
                canary_ms: Some(400.0),
                stable_ms: None,
            },
            Observed::ErrorRate {
                canary,
                stable: Traffic {
                    requests: Some(24000.0),
                    errors: None,
                },
            },
        ]
    );
    // The demo playbook's checks: 5 unique queries, one GetMetricData call, no alarms.
    assert_eq!(source.metric_data_calls(), 1);
    assert_eq!(source.calls(), 1);

    // Only the second minute: half the counts.
    let observed = observe(&source, &demo_checks()[..1], window(start + 60, 60)).await;
    assert_eq!(
        observed,
        vec![Observed::ErrorRate {
            canary: Traffic {
                requests: Some(3000.0),
                errors: Some(30.0),
            },
            stable: Traffic::default(),
        }]
    );
}

#[tokio::test]
async fn no_traffic_is_no_data_not_an_error() {
    let source = CloudWatchSource::new(cloudwatch().await, dims("empty"), MINUTE);
    let observed = observe(&source, &demo_checks(), window(two_hours_ago(), 300)).await;
    assert_eq!(
        observed,
        vec![
            Observed::ErrorRate {
                canary: Traffic::default(),
                stable: Traffic::default(),
            },
            Observed::Latency {
                canary_requests: None,
                canary_ms: None,
                stable_ms: None,
            },
            Observed::ErrorRate {
                canary: Traffic::default(),
                stable: Traffic::default(),
            },
        ]
    );
}

#[tokio::test]
async fn latency_percentiles_match_the_profiles_in_ms() {
    let client = cloudwatch().await;
    let dims = dims("latency");
    let start = two_hours_ago();
    let targets = [
        (sim_target(&dims.stable_target_group, 0.0, 20.0, 100.0), 100),
        (sim_target(&dims.canary_target_group, 0.0, 40.0, 400.0), 100),
    ];
    publish_seconds(&client, &dims.load_balancer, &targets, start, 60).await;
    // A slower second minute for the canary only: the worst minute counts.
    let slower = [(sim_target(&dims.canary_target_group, 0.0, 40.0, 700.0), 100)];
    publish_seconds(&client, &dims.load_balancer, &slower, start + 60, 60).await;

    let source = CloudWatchSource::new(client, dims, MINUTE);
    let checks = [
        check(
            "p99-vs-stable",
            CheckKind::LatencyVsStable {
                percentile: 99.0,
                max_ratio: 2.0,
            },
        ),
        check(
            "p50",
            CheckKind::Latency {
                percentile: 50.0,
                max_ms: 100.0,
            },
        ),
    ];
    let first_minute = observe(&source, &checks, window(start, 60)).await;
    assert_eq!(
        first_minute,
        vec![
            Observed::Latency {
                canary_requests: Some(6000.0),
                canary_ms: Some(400.0),
                stable_ms: Some(100.0),
            },
            Observed::Latency {
                canary_requests: Some(6000.0),
                canary_ms: Some(40.0),
                stable_ms: None,
            },
        ]
    );
    let both = observe(&source, &checks[..1], window(start, 120)).await;
    assert_eq!(
        both,
        vec![Observed::Latency {
            canary_requests: Some(12000.0),
            canary_ms: Some(700.0),
            stable_ms: Some(100.0),
        }]
    );
}

fn custom(namespace: &str, metric: &str, service: &str, statistic: &str, cmp: Comparison) -> Check {
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

fn datum(metric: &str, service: &str, secs: u64, value: f64) -> MetricDatum {
    MetricDatum::builder()
        .metric_name(metric)
        .dimensions(Dimension::builder().name("Service").value(service).build())
        .timestamp(aws_smithy_types::DateTime::from_secs(secs as i64))
        .value(value)
        .build()
}

#[tokio::test]
async fn custom_metric_sums_and_worst_periods() {
    let client = cloudwatch().await;
    let namespace = format!("CanaryTest/{}", unique("custom"));
    let service = "checkout";
    let start = two_hours_ago();
    // Minute 0: 1, 2 — minute 1: 10 — minute 2: 4, 5.
    let points = [(0, 1.0), (10, 2.0), (60, 10.0), (120, 4.0), (150, 5.0)];
    let data = points
        .iter()
        .map(|(offset, v)| datum("Orders", service, start + offset, *v))
        .collect();
    put_data(&client, &namespace, data).await;

    let source = CloudWatchSource::new(client, dims("unused"), MINUTE);
    let checks: Vec<Check> = [
        (service, "Sum", Comparison::LessThan),
        (service, "SampleCount", Comparison::GreaterThan),
        (service, "Maximum", Comparison::LessThanOrEqual),
        (service, "Minimum", Comparison::GreaterThan),
        (service, "Average", Comparison::GreaterThanOrEqual),
        ("other-service", "Sum", Comparison::LessThan),
    ]
    .into_iter()
    .map(|(svc, statistic, cmp)| custom(&namespace, "Orders", svc, statistic, cmp))
    .collect();
    let observed = observe(&source, &checks, window(start, 180)).await;
    assert_eq!(
        observed,
        vec![
            Observed::Value(Some(22.0)),
            Observed::Value(Some(5.0)),
            Observed::Value(Some(10.0)),
            Observed::Value(Some(1.0)),
            Observed::Value(Some(1.5)),
            Observed::Value(None),
        ]
    );
    assert_eq!(source.metric_data_calls(), 1);
}

#[tokio::test]
async fn alarms_report_their_state_and_a_missing_alarm_is_unavailable() {
    let client = cloudwatch().await;
    let firing = unique("firing");
    let calm = unique("calm");
    for name in [&firing, &calm] {
        client
            .put_metric_alarm()
            .alarm_name(name)
            .namespace("CanaryTest/Alarms")
            .metric_name("Errors")
            .statistic(Statistic::Sum)
            .period(60)
            .evaluation_periods(1)
            .threshold(1.0)
            .comparison_operator(ComparisonOperator::GreaterThanThreshold)
            .send()
            .await
            .expect("put metric alarm");
    }
    for (name, state, reason) in [
        (&firing, StateValue::Alarm, "errors above threshold"),
        (&calm, StateValue::Ok, "all quiet"),
    ] {
        client
            .set_alarm_state()
            .alarm_name(name)
            .state_value(state)
            .state_reason(reason)
            .send()
            .await
            .expect("set alarm state");
    }

    let source = CloudWatchSource::new(client, dims("alarms"), MINUTE);
    let missing = unique("missing");
    let checks = [
        check(
            "alarms",
            CheckKind::Alarms {
                names: vec![firing.clone(), calm.clone()],
            },
        ),
        check(
            "with-missing",
            CheckKind::Alarms {
                names: vec![calm.clone(), missing.clone()],
            },
        ),
    ];
    let observed = observe(&source, &checks, window(two_hours_ago(), 60)).await;
    let [Observed::Alarms(alarms), unavailable] = observed.as_slice() else {
        panic!("unexpected observations: {observed:?}");
    };
    let states: Vec<(&str, AlarmState, &str)> = alarms
        .iter()
        .map(|a| (a.name.as_str(), a.state, a.reason.as_str()))
        .collect();
    assert_eq!(
        states,
        vec![
            (firing.as_str(), AlarmState::Alarm, "errors above threshold"),
            (calm.as_str(), AlarmState::Ok, "all quiet"),
        ]
    );
    assert_eq!(
        unavailable,
        &Observed::Unavailable {
            why: format!("alarm {missing} does not exist"),
        }
    );
    // Three distinct names, one DescribeAlarms call; no metric queries, no GetMetricData.
    assert_eq!(source.describe_alarms_calls(), 1);
    assert_eq!(source.metric_data_calls(), 0);
}

#[tokio::test]
async fn more_than_500_queries_split_into_two_calls_and_map_back() {
    let client = cloudwatch().await;
    let namespace = format!("CanaryTest/{}", unique("batch"));
    let start = two_hours_ago();
    let metrics: Vec<String> = (0..260).map(|i| format!("M{i}")).collect();
    let data: Vec<MetricDatum> = metrics
        .iter()
        .enumerate()
        .map(|(i, m)| datum(m, "svc", start + 5, i as f64))
        .collect();
    for chunk in data.chunks(20) {
        put_data(&client, &namespace, chunk.to_vec()).await;
    }

    let source = CloudWatchSource::new(client, dims("batch"), MINUTE);
    let checks: Vec<Check> = metrics
        .iter()
        .flat_map(|m| {
            [
                custom(&namespace, m, "svc", "Sum", Comparison::LessThan),
                custom(&namespace, m, "svc", "Maximum", Comparison::LessThan),
            ]
        })
        .collect();
    assert_eq!(checks.len(), 520);
    let observed = observe(&source, &checks, window(start, 60)).await;
    let expected: Vec<Observed> = (0..260)
        .flat_map(|i| vec![Observed::Value(Some(i as f64)); 2])
        .collect();
    assert_eq!(observed, expected);
    assert_eq!(source.metric_data_calls(), 2, "520 queries: 500 + 20");
}

#[tokio::test]
async fn simulator_reads_the_live_weights_of_a_listener() {
    let config = sdk_config().await;
    let elbv2 = aws_sdk_elasticloadbalancingv2::Client::new(&config);
    let alb = demo_alb(&unique("sim")).await;
    let route = RouteRef::Listener(alb.listener_arn.clone());
    assert_eq!(
        read_weights(&elbv2, &route).await.expect("read weights"),
        vec![(alb.stable_arn.clone(), 1)]
    );

    use aws_sdk_elasticloadbalancingv2::types::{
        Action, ActionTypeEnum, ForwardActionConfig, TargetGroupTuple,
    };
    let tuple = |arn: &str, weight| {
        TargetGroupTuple::builder()
            .target_group_arn(arn)
            .weight(weight)
            .build()
    };
    elbv2
        .modify_listener()
        .listener_arn(&alb.listener_arn)
        .default_actions(
            Action::builder()
                .r#type(ActionTypeEnum::Forward)
                .forward_config(
                    ForwardActionConfig::builder()
                        .target_groups(tuple(&alb.stable_arn, 900))
                        .target_groups(tuple(&alb.canary_arn, 100))
                        .build(),
                )
                .build(),
        )
        .send()
        .await
        .expect("modify listener");
    assert_eq!(
        read_weights(&elbv2, &route).await.expect("read weights"),
        vec![(alb.stable_arn.clone(), 900), (alb.canary_arn.clone(), 100)]
    );
}

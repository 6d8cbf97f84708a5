//! ALB metrics as the traffic simulator publishes them: exact request and error counts over a
//! window in one call, no traffic as no data, and latency percentiles in milliseconds.

use super::fixtures::{
    check, cloudwatch, dims, logged_cloudwatch, observe, source, two_hours_ago, window,
};
use canary_deploy::core::observe::{Observed, Traffic};
use canary_deploy::core::plan::{Check, CheckKind};
use canary_deploy::simulator::{
    publish_second, split_requests, Failure, SimBackend, SimTarget, TargetProfile,
};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

fn at(secs: u64) -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(secs)
}

fn sim_target(dimension: &str, error_rate: f64, latency_ms: f64, p99_ms: f64) -> SimTarget {
    SimTarget {
        target_group_dimension: dimension.to_string(),
        profile: TargetProfile {
            error_rate,
            latency_ms,
            p99_ms,
            failure: Failure::Error,
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
    let backend = SimBackend::Alb {
        load_balancer_dimension: lb.to_string(),
    };
    for s in from..from + seconds {
        publish_second(client, &backend, targets, at(s))
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
    let (client, calls) = logged_cloudwatch().await;
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

    let source = source(client, dims);
    calls.take();
    let observed = observe(&source, &demo_checks(), window(start, 120)).await;
    let canary = Traffic {
        requests: Some(6000.0),
        errors: Some(60.0),
    };
    // An error rate asks the stable's counts too (the evidence judge's shared-failure rule).
    let stable = Traffic {
        requests: Some(24000.0),
        errors: None,
    };
    assert_eq!(
        observed,
        vec![
            Observed::ErrorRate { canary, stable },
            Observed::Latency {
                canary_requests: Some(6000.0),
                canary_ms: Some(400.0),
                stable_ms: None,
                slow: None,
            },
            Observed::ErrorRate { canary, stable },
        ]
    );
    // The demo playbook's checks: 5 unique queries, one GetMetricData call, no alarms.
    assert_eq!(calls.take(), ["GetMetricData"]);

    // Only the second minute: half the counts.
    let observed = observe(&source, &demo_checks()[..1], window(start + 60, 60)).await;
    assert_eq!(
        observed,
        vec![Observed::ErrorRate {
            canary: Traffic {
                requests: Some(3000.0),
                errors: Some(30.0),
            },
            stable: Traffic {
                requests: Some(12000.0),
                errors: None,
            },
        }]
    );
}

#[tokio::test]
async fn no_traffic_is_no_data_not_an_error() {
    let source = source(cloudwatch().await, dims("empty"));
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
                slow: None,
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

    let source = source(client, dims);
    let checks = [
        check(
            "p99-vs-stable",
            CheckKind::LatencyVsStable {
                percentile: 99.0,
                max_ratio: 2.0,
                threshold_ms: None,
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
                slow: None,
            },
            Observed::Latency {
                canary_requests: Some(6000.0),
                canary_ms: Some(40.0),
                stable_ms: None,
                slow: None,
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
            slow: None,
        }]
    );
}

/// Latency as counts: with a threshold, each latency check also asks CloudWatch's trimmed count
/// `TC(X:)` of requests slower than it, the canary's alone for a limit and both sides' for the
/// comparison. The emulator computes `TC` over the published values as CloudWatch defines it
/// (the lower bound exclusive).
#[tokio::test]
async fn slow_requests_are_counted_above_the_threshold() {
    let client = cloudwatch().await;
    let dims = dims("slow-counts");
    let start = two_hours_ago();
    // Canary: 97 % at 40 ms, 1 % at 220 ms, 2 % at 400 ms. Stable: 20, 60 and 100 ms.
    let targets = [
        (sim_target(&dims.stable_target_group, 0.0, 20.0, 100.0), 100),
        (sim_target(&dims.canary_target_group, 0.0, 40.0, 400.0), 100),
    ];
    publish_seconds(&client, &dims.load_balancer, &targets, start, 60).await;

    let source = source(client, dims);
    let slower_than = |name: &str, kind: CheckKind, ms: f64| Check {
        slower_than_ms: Some(ms),
        ..check(name, kind)
    };
    let checks = [
        slower_than(
            "p99-vs-stable",
            CheckKind::LatencyVsStable {
                percentile: 99.0,
                max_ratio: 2.0,
                threshold_ms: None,
            },
            200.0,
        ),
        slower_than(
            "p99",
            CheckKind::Latency {
                percentile: 99.0,
                max_ms: 300.0,
            },
            300.0,
        ),
    ];
    let observed = observe(&source, &checks, window(start, 60)).await;
    let slow = |o: &Observed| match o {
        Observed::Latency { slow, .. } => *slow,
        other => panic!("not a latency observation: {other:?}"),
    };
    // Above 200 ms: the 1 % at 220 and the 2 % at 400 of 6,000 canary requests; none of the
    // stable's.
    let vs_stable = slow(&observed[0]).expect("slow counts for the comparison");
    assert_eq!(vs_stable.canary, Some(180.0));
    let stable = vs_stable.stable.expect("the stable's slow counts");
    assert_eq!(stable.requests, Some(6000.0));
    assert_eq!(stable.errors.unwrap_or(0.0), 0.0);
    // Above 300 ms: the 2 % at 400 ms only; a limit does not ask the stable.
    let limit = slow(&observed[1]).expect("slow counts for the limit");
    assert_eq!(limit.canary, Some(120.0));
    assert_eq!(limit.stable, None);
}

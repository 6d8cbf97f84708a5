//! A route's recent past as CloudWatch would hold it: the stable target group's traffic published
//! minute by minute before now (one datum set in the middle of each minute), for the commands
//! that read history (`plan`'s forecast, `backtest`).

use crate::emulator::{sdk_config, DemoAlb};
use canary_deploy::simulator::{publish_second, Failure, SimBackend, SimTarget, TargetProfile};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// The stable of the history fixtures: 1 % errors, 100 ms median, 300 ms p99.
pub const STABLE: TargetProfile = TargetProfile {
    error_rate: 0.01,
    latency_ms: 100.0,
    p99_ms: 300.0,
    failure: Failure::Error,
};

/// Publishes `per_minute` stable requests for each of the `minutes` minutes before now (and the
/// current one, so a window read a moment later is still full), answering as `profile(m)` in the
/// minute `m` minutes ago.
pub async fn publish_stable(
    route: &DemoAlb,
    minutes: u64,
    per_minute: u64,
    profile: impl Fn(u64) -> TargetProfile,
) {
    let client = aws_sdk_cloudwatch::Client::new(&sdk_config().await);
    let after = |arn: &str, marker: &str| -> String {
        arn.split_once(marker)
            .map(|(_, rest)| rest.to_string())
            .expect("an ARN with the marker")
    };
    let backend = SimBackend::Alb {
        load_balancer_dimension: after(&route.lb_arn, ":loadbalancer/"),
    };
    let dimension = format!("targetgroup/{}", after(&route.stable_arn, ":targetgroup/"));
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("after the epoch")
        .as_secs();
    let minute_start = now / 60 * 60;
    for m in 0..=minutes + 3 {
        let stable = SimTarget {
            target_group_dimension: dimension.clone(),
            profile: profile(m),
        };
        let at = UNIX_EPOCH + Duration::from_secs(minute_start - m * 60 + 30);
        publish_second(&client, &backend, &[(stable, per_minute)], at)
            .await
            .expect("publish a minute of the stable's traffic");
    }
}

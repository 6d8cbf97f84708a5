//! `plan`'s forecast on the route's own last hour, as CloudWatch (the emulator) reports it: a
//! busy route promotes about when the bakes say and sees +1 point in every step; a quiet one
//! extends its steps and warns that they cannot see +1 point; a route without traffic says it
//! would pause.

use super::{alb, command};
use crate::emulator::sdk_config;
use canary_deploy::simulator::{publish_second, Failure, SimBackend, SimTarget, TargetProfile};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

const REST: &str = "steps:\n  canary: [10, 50]\n  bake: 5m\nanalysis:\n  interval: 60s\n  period: 60s\n  settle: 30s\n  ingestion_delay: 60s\nchecks:\n  - error_rate_vs_stable: { max_delta_percent: 1 }\n";

/// Publishes the stable's traffic, `per_minute` requests failing 1 %, as one datum set in the
/// middle of each minute of the last hour and a bit beyond, so the hour `plan` reads (complete
/// minutes, less the ingestion delay) is full even if a minute turns meanwhile.
async fn last_hour(route: &crate::emulator::DemoAlb, per_minute: u64) {
    let client = aws_sdk_cloudwatch::Client::new(&sdk_config().await);
    let suffix = |arn: &str, marker: &str| {
        arn.split_once(marker)
            .map(|(_, rest)| format!("{}{rest}", marker.trim_start_matches(':')))
            .expect("an ARN with the marker")
    };
    let backend = SimBackend::Alb {
        load_balancer_dimension: suffix(&route.lb_arn, ":loadbalancer/")
            .trim_start_matches("loadbalancer/")
            .to_string(),
    };
    let stable = SimTarget {
        target_group_dimension: suffix(&route.stable_arn, ":targetgroup/"),
        profile: TargetProfile {
            error_rate: 0.01,
            latency_ms: 100.0,
            p99_ms: 300.0,
            failure: Failure::Error,
        },
    };
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("after the epoch")
        .as_secs();
    let minute_start = now / 60 * 60;
    for minute in 0..=63u64 {
        let at = UNIX_EPOCH + Duration::from_secs(minute_start - minute * 60 + 30);
        publish_second(&client, &backend, &[(stable.clone(), per_minute)], at)
            .await
            .expect("publish a minute of traffic");
    }
}

fn plan(route: &crate::emulator::DemoAlb, name: &str) -> String {
    let ran = command("plan", &route.playbook(name, REST), &[]);
    let out = ran.stdout();
    assert_eq!(ran.code(), Some(0), "{out}\n{}", ran.stderr());
    out
}

#[tokio::test]
async fn a_busy_route_sees_one_point_in_every_step_and_promotes_on_the_grid() {
    let route = alb("fc-busy", &[]);
    last_hour(&route, 60_000).await;
    let out = plan(&route, "fc-busy");
    assert!(
        out.contains("forecast on the last hour's traffic: 1000 req/s, stable 5XX 1%"),
        "{out}"
    );
    assert!(out.contains("expected end: promoted at about"), "{out}");
    assert!(!out.contains("warnings:"), "{out}");
    let step1 = out.lines().find(|l| l.contains("step 1 ")).expect("step 1");
    assert!(step1.contains("detects +0."), "{step1}");
}

#[tokio::test]
async fn a_quiet_route_extends_its_steps_and_warns() {
    let route = alb("fc-quiet", &[]);
    last_hour(&route, 600).await;
    let out = plan(&route, "fc-quiet");
    assert!(out.contains("10 req/s"), "{out}");
    assert!(
        out.contains("past its bake") || out.contains("past max_bake"),
        "{out}"
    );
    assert!(
        out.contains(
            "step 1 (10%) cannot detect a +1 pt error-rate regression within max_bake 15m"
        ),
        "{out}"
    );
}

#[tokio::test]
async fn a_route_without_traffic_would_pause() {
    let route = alb("fc-none", &[]);
    let out = plan(&route, "fc-none");
    assert!(
        out.contains("forecast on the last hour's traffic: 0 req/s"),
        "{out}"
    );
    assert!(out.contains("expected end: paused at step 1"), "{out}");
}

//! `plan`'s forecast on the route's own last hour, as CloudWatch (the emulator) reports it: a
//! busy route promotes about when the bakes say and sees +1 point in every step; a quiet one
//! extends its steps and warns that they cannot see +1 point; a route without traffic says it
//! would pause.

use super::{alb, command};
use crate::history_fixture::{publish_stable, STABLE};

const REST: &str = "steps:\n  canary: [10, 50]\n  bake: 5m\nanalysis:\n  interval: 60s\n  period: 60s\n  settle: 30s\n  ingestion_delay: 60s\nchecks:\n  - error_rate_vs_stable: { max_delta_percent: 1 }\n";

async fn last_hour(route: &crate::emulator::DemoAlb, per_minute: u64) {
    publish_stable(route, 60, per_minute, |_| STABLE).await;
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
    let step1 = out
        .lines()
        .find(|l| l.trim_start().starts_with("step 1 "))
        .expect("step 1");
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

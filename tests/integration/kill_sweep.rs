//! Crashes end where an uninterrupted run ends: a runner killed at any AWS call of a rollout,
//! and started again, reaches the same outcome with the same live weights, nothing left in
//! flight and no lease left behind.
//!
//! The sweep: run the rollout once uninterrupted for the reference. Then for every tick `t` and
//! every call `k` of it, on a fresh route: play the rollout to tick `t`, hold the tick's `k`-th
//! request in the emulator (a fault rule in `hang` mode: the request lands a moment later, as a
//! call in flight when its process dies may), drop the tick there (the process is gone), start a
//! new deployment on the same state and play on to the end.

use crate::emulator_control::control;
use crate::route_fixture::Backend;
use crate::scenario::{playbook, Scenario, ANALYSIS};
use canary_deploy::core::{Phase, Record, Split};
use canary_deploy::simulator::TargetProfile;
use std::time::Duration;

const CHECKS: &str = "checks:\n  - error_rate: { max_percent: 1 }\n";
/// How long the emulator holds the request the runner dies in.
const HANG: Duration = Duration::from_millis(400);
/// Ticks (simulated minutes) a rollout may take to settle.
const MAX_TICKS: usize = 30;

fn settled(record: &Record) -> bool {
    !matches!(record.phase, Phase::Stepping { .. } | Phase::Pending)
}

/// The header lane's variant: a two-minute lane before the steps, lane traffic on.
const LANE_STEPS: &str = "steps:\n  header_lane: { header: x-lane, value: \"1\", bake: 2m }\n  canary: [50, 100]\n  bake: 1m\n";

async fn scenario(backend: Backend, key: &str, canary: TargetProfile, lane: bool) -> Scenario {
    let mut s = Scenario::signed_as(key, backend, key, |route| match lane {
        true => route.playbook(key, &format!("{LANE_STEPS}{ANALYSIS}{CHECKS}")),
        false => playbook(route, key, &format!("{ANALYSIS}{CHECKS}")),
    })
    .await;
    s.canary = canary;
    if lane {
        s.lane_requests_per_minute = 60;
    }
    s
}

/// Tick `t` of the rollout: the first tick, or one simulated minute of traffic and a tick.
async fn play_to(s: &mut Scenario, t: usize) -> Record {
    let mut record = s.tick().await;
    for _ in 0..t {
        record = s.minute().await;
    }
    record
}

/// Whether the next tick's `k`-th request was reached (and the tick dropped there); the tick
/// follows a minute of traffic unless it is the first.
async fn kill_at(s: &mut Scenario, key: &str, first: bool, k: u32) -> bool {
    if !first {
        s.publish_minute().await;
    }
    let now = s.now;
    let tick = s.deployment.tick(now, &mut s.events);
    dies_at(key, k, tick).await
}

/// Runs `work` (signed with `key`) until its `k`-th request, which the emulator holds while
/// `work` is dropped there, as its process would be killed; whether that request was reached.
async fn dies_at<T>(key: &str, k: u32, work: impl std::future::Future<Output = T>) -> bool {
    let rule = serde_json::json!({
        "action": "*", "code": "Hang", "after": k, "times": 1, "mode": "hang",
        "hang_seconds": HANG.as_secs_f64(),
    });
    control("POST", &format!("faults/{key}"), Some(rule));
    let held = async {
        loop {
            let key = key.to_string();
            let state =
                tokio::task::spawn_blocking(move || control("GET", &format!("faults/{key}"), None))
                    .await
                    .expect("poll the faults");
            if state["rules"][0]["injected"].as_u64().unwrap_or(0) > 0 {
                return;
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    };
    let reached = tokio::select! {
        _ = work => false,
        () = held => true,
    };
    // The held request lands (or not) by itself; then nothing is faulted any more.
    tokio::time::sleep(HANG + Duration::from_millis(200)).await;
    control("DELETE", &format!("faults/{key}"), None);
    reached
}

/// The outcome to compare: the phase's name and the live split.
async fn outcome(s: &Scenario, record: &Record) -> (&'static str, Split) {
    (record.phase.name(), s.live().await)
}

async fn sweep(backend: Backend, name: &str, canary: TargetProfile) {
    sweep_ticks(backend, name, canary, false).await
}

/// The sweep; with `lane`, of a deployment with a header lane, killed at every call of the
/// ticks that create and remove its rule (the first and the last): it ends as the reference
/// with no lane rule left and every other rule as it was.
async fn sweep_ticks(backend: Backend, name: &str, canary: TargetProfile, lane: bool) {
    let mut reference = scenario(backend, &format!("{name}-ref"), canary, lane).await;
    let mut record = reference.tick().await;
    let mut ticks = 0;
    while !settled(&record) && ticks < MAX_TICKS {
        record = reference.minute().await;
        ticks += 1;
    }
    assert!(
        settled(&record),
        "the reference settles: {:?}",
        record.phase
    );
    let expected = outcome(&reference, &record).await;

    let mut trials = 0;
    let swept: Vec<usize> = match lane {
        true => vec![0, ticks],
        false => (0..=ticks).collect(),
    };
    for &t in &swept {
        for k in 0.. {
            let key = format!("{name}-{t}-{k}");
            let mut s = scenario(backend, &key, canary, lane).await;
            let rules_before = crate::lane_fixture::rules(&s.clients, &s.deployment.router).await;
            if t > 0 {
                let record = play_to(&mut s, t - 1).await;
                assert!(!settled(&record), "tick {t} is before the end");
            }
            if !kill_at(&mut s, &key, t == 0, k).await {
                break;
            }
            trials += 1;
            s.restart().await;
            let mut record = s.tick().await;
            for _ in 0..MAX_TICKS {
                if settled(&record) {
                    break;
                }
                record = s.minute().await;
            }
            let got = outcome(&s, &record).await;
            assert_eq!(got, expected, "killed at call {k} of tick {t}: {record:?}");
            assert_eq!(record.in_flight, None, "killed at call {k} of tick {t}");
            assert_eq!(record.lease, None, "killed at call {k} of tick {t}");
            assert!(
                !record.history.iter().any(|e| matches!(
                    e.kind,
                    canary_deploy::core::EventKind::DriftDetected { .. }
                )),
                "killed at call {k} of tick {t}: its own write seen as drift: {record:?}"
            );
            if lane {
                let after = crate::lane_fixture::rules(&s.clients, &s.deployment.router).await;
                let resource = canary_deploy::traffic::Router::route(&s.deployment.router);
                let comparable = |rules: Vec<crate::lane_fixture::LiveRule>| {
                    rules
                        .into_iter()
                        .filter(|r| r.arn != resource.resource_arn())
                        .collect::<Vec<_>>()
                };
                assert_eq!(
                    comparable(after),
                    comparable(rules_before.clone()),
                    "killed at call {k} of tick {t}: no lane rule left, others untouched"
                );
                assert!(
                    matches!(
                        record.lane.as_ref().map(|l| &l.state),
                        Some(canary_deploy::core::lane::LaneState::Closed { left: None, .. })
                    ),
                    "killed at call {k} of tick {t}: {:?}",
                    record.lane
                );
            }
        }
    }
    assert!(
        trials >= swept.len(),
        "{trials} kills over {} ticks",
        swept.len()
    );
    eprintln!("{name}: {trials} kills over ticks {swept:?}, each ended as the reference");
}

#[tokio::test]
async fn alb_promotion_ends_the_same_after_a_kill_at_any_call() {
    sweep(Backend::Alb, "kill-alb", crate::scenario::HEALTHY).await;
}

#[tokio::test]
async fn alb_rollback_ends_the_same_after_a_kill_at_any_call() {
    let failing = TargetProfile {
        error_rate: 0.05,
        ..crate::scenario::HEALTHY
    };
    sweep(Backend::Alb, "kill-albrb", failing).await;
}

#[tokio::test]
async fn lattice_promotion_ends_the_same_after_a_kill_at_any_call() {
    sweep(Backend::Lattice, "kill-lat", crate::scenario::HEALTHY).await;
}

#[tokio::test]
async fn alb_header_lane_ends_the_same_after_a_kill_at_any_of_its_calls() {
    sweep_ticks(Backend::Alb, "kill-lane", crate::scenario::HEALTHY, true).await;
}

#[tokio::test]
async fn lattice_rule_header_lane_rollback_ends_the_same_after_a_kill_at_any_of_its_calls() {
    let failing = TargetProfile {
        error_rate: 0.3,
        ..crate::scenario::HEALTHY
    };
    sweep_ticks(Backend::LatticeRule, "kill-latl", failing, true).await;
}

#[tokio::test]
async fn lambda_promotion_ends_the_same_after_a_kill_at_any_call() {
    sweep(Backend::LambdaAlias, "kill-lam", crate::scenario::HEALTHY).await;
}

/// An operator's rollback killed after it saved its intent, before its write: the runner that
/// finds it finishes it (all traffic on stable, verified) rather than walking away.
#[tokio::test]
async fn a_runner_finishes_an_operators_rollback_killed_before_its_write() {
    let key = "kill-oprb";
    let mut s = scenario(Backend::Alb, key, crate::scenario::HEALTHY, false).await;
    s.tick().await;
    let canary_at_ten = s.live().await;
    assert!(canary_at_ten.canary > 0);
    let command = canary_deploy::core::OperatorCommand::rollback("pager");
    let now = s.now;
    // Its calls: the live read, then the write's own read (held: the process dies there).
    let rollback = s.deployment.operate(now, command, &mut s.events);
    assert!(dies_at(key, 1, rollback).await, "killed in the write");
    assert_eq!(
        s.live().await,
        canary_at_ten,
        "the rollback was not written"
    );

    s.restart().await;
    let record = s.tick().await;
    assert!(
        matches!(record.phase, Phase::RolledBack { .. }),
        "{:?}",
        record.phase
    );
    let stable_only = s.split_for(canary_deploy::core::Share::STABLE_ONLY);
    assert_eq!(s.live().await, stable_only, "finished by the runner");
    assert_eq!(record.written, Some(stable_only));
    assert_eq!(record.in_flight, None);
}

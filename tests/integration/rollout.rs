//! Whole rollouts against the emulator on simulated time: promotion, each rollback rule, each
//! no-data policy, drift, and the operator's rollback, each on every backend (an ALB listener, a
//! VPC Lattice listener, and the main ones on a Lattice rule too).

use crate::alarm_fixture::{create_alarm, set_alarm_state};
use crate::route_fixture::{for_backends, Backend, RouteFixture};
use crate::scenario::{playbook, steps_started, Scenario, ANALYSIS};
use canary_deploy::core::{EventKind, Phase, Record, Share, Split};
use canary_deploy::simulator::TargetProfile;
use canary_deploy::traffic::Router;

const BUILTIN_CHECKS: &str = "checks:\n  - error_rate: { max_percent: 1 }\n  - latency: { percentile: p99, max: 800ms }\n  - error_rate_vs_stable: { max_delta_percent: 1 }\n";

fn rolled_back_why(record: &Record) -> &str {
    match &record.phase {
        Phase::RolledBack { why, .. } => why,
        other => panic!("expected rolled back, got {other:?}"),
    }
}

async fn a_healthy_canary_is_promoted_step_by_step(backend: Backend) {
    let mut s = Scenario::new(backend, "promote", |route| {
        playbook(route, "promote", &format!("{ANALYSIS}{BUILTIN_CHECKS}"))
    })
    .await;
    let record = s.run(20).await;
    assert!(
        matches!(record.phase, Phase::Promoted { .. }),
        "{:?}",
        record.phase
    );
    assert_eq!(steps_started(&record), vec![0, 1, 2]);
    assert_eq!(s.live().await, s.split_for(Share::CANARY_ONLY));
    assert_eq!(record.written, Some(s.split_for(Share::CANARY_ONLY)));
    // Every step baked for its two minutes before the next one started.
    let starts: Vec<_> = record
        .history
        .iter()
        .filter(|e| matches!(e.kind, EventKind::StepStarted { .. }))
        .map(|e| e.at)
        .collect();
    for pair in starts.windows(2) {
        assert!(
            pair[1].since(pair[0]).as_secs() >= 120,
            "a step was cut short: {starts:?}"
        );
    }
}

async fn a_canary_with_errors_is_rolled_back_at_the_first_step(backend: Backend) {
    let mut s = Scenario::new(backend, "errors", |route| {
        playbook(route, "errors", &format!("{ANALYSIS}{BUILTIN_CHECKS}"))
    })
    .await;
    s.canary = TargetProfile {
        error_rate: 0.05,
        ..s.canary
    };
    let record = s.run(20).await;
    let why = rolled_back_why(&record);
    assert!(why.contains("5XX"), "{why}");
    assert_eq!(steps_started(&record), vec![0]);
    assert_eq!(s.live().await, s.split_for(Share::STABLE_ONLY));
}

async fn a_slow_canary_is_rolled_back_on_p99(backend: Backend) {
    let mut s = Scenario::new(backend, "slow", |route| {
        playbook(route, "slow", &format!("{ANALYSIS}{BUILTIN_CHECKS}"))
    })
    .await;
    s.canary = TargetProfile {
        p99_ms: 2000.0,
        ..s.canary
    };
    let record = s.run(20).await;
    let why = rolled_back_why(&record);
    assert!(why.contains("p99"), "{why}");
    assert_eq!(s.live().await, s.split_for(Share::STABLE_ONLY));
}

async fn an_alarm_in_alarm_rolls_back(backend: Backend) {
    // One alarm per backend: the tests of both backends share the emulator.
    let alarm = format!("alarm-scenario-5xx-{backend:?}").to_lowercase();
    let mut s = Scenario::new(backend, "alarm", |route| {
        playbook(
            route,
            "alarm",
            &format!("{ANALYSIS}checks:\n  - alarms: [{alarm}]\n"),
        )
    })
    .await;
    let cw = s.clients.cloudwatch.clone();
    create_alarm(&cw, &alarm).await;
    let record = s.minute().await;
    assert!(
        matches!(record.phase, Phase::Stepping { index: 0, .. }),
        "{:?}",
        record.phase
    );
    set_alarm_state(
        &cw,
        &alarm,
        aws_sdk_cloudwatch::types::StateValue::Alarm,
        "5xx above 10 for 1 datapoint",
    )
    .await;
    let record = s.minute().await;
    let why = rolled_back_why(&record);
    assert!(why.contains(&alarm), "{why}");
    assert_eq!(s.live().await, s.split_for(Share::STABLE_ONLY));
}

fn no_data_playbook(policy: &'static str) -> impl Fn(&dyn RouteFixture) -> String {
    move |route| {
        let analysis = ANALYSIS.replace(
            "failure_threshold: 1",
            &format!("failure_threshold: 1\n  no_data: {policy}"),
        );
        playbook(
            route,
            &format!("nodata-{policy}"),
            &format!("{analysis}{BUILTIN_CHECKS}"),
        )
    }
}

async fn no_data_hold_keeps_the_first_step_without_failing(backend: Backend) {
    let mut s = Scenario::new(backend, "nodata-hold", no_data_playbook("hold")).await;
    s.requests_per_minute = 0;
    let record = s.run(8).await;
    assert!(
        matches!(record.phase, Phase::Stepping { index: 0, .. }),
        "{:?}",
        record.phase
    );
    assert_eq!(record.consecutive_failures, 0);
    assert!(record
        .history
        .iter()
        .any(|e| matches!(e.kind, EventKind::Holding { .. })));
    assert_eq!(s.live().await, Split::new(900, 100));
}

async fn no_data_fail_rolls_back(backend: Backend) {
    let mut s = Scenario::new(backend, "nodata-fail", no_data_playbook("fail")).await;
    s.requests_per_minute = 0;
    let record = s.run(8).await;
    rolled_back_why(&record);
    assert_eq!(s.live().await, s.split_for(Share::STABLE_ONLY));
}

async fn no_data_pass_promotes(backend: Backend) {
    let mut s = Scenario::new(backend, "nodata-pass", no_data_playbook("pass")).await;
    s.requests_per_minute = 0;
    let record = s.run(20).await;
    assert!(
        matches!(record.phase, Phase::Promoted { .. }),
        "{:?}",
        record.phase
    );
}

async fn weights_changed_by_someone_else_pause_without_a_write(backend: Backend) {
    let mut s = Scenario::new(backend, "drift", |route| {
        playbook(route, "drift", &format!("{ANALYSIS}{BUILTIN_CHECKS}"))
    })
    .await;
    let record = s.tick().await;
    assert_eq!(record.written, Some(Split::new(900, 100)));
    // Someone moves the canary to 30% in the console.
    let theirs = Split::new(700, 300);
    s.deployment
        .router
        .write(None, theirs)
        .await
        .expect("outside write");
    let record = s.minute().await;
    let Phase::Paused { why, .. } = &record.phase else {
        panic!("expected paused, got {:?}", record.phase)
    };
    assert!(
        why.contains("stable 900 / canary 100") && why.contains("stable 700 / canary 300"),
        "{why}"
    );
    assert_eq!(
        s.live().await,
        theirs,
        "canary-deploy must not fight the change"
    );
    // Later ticks do nothing while paused.
    s.minute().await;
    assert_eq!(s.live().await, theirs);
}

async fn the_operator_rolls_back_mid_step_with_a_reason(backend: Backend) {
    let mut s = Scenario::new(backend, "operator", |route| {
        playbook(route, "operator", &format!("{ANALYSIS}{BUILTIN_CHECKS}"))
    })
    .await;
    s.run(3).await;
    assert!(s.live().await.canary > 0);
    let record = s.rollback("pager: checkout latency").await;
    let why = rolled_back_why(&record);
    assert!(why.contains("pager: checkout latency"), "{why}");
    assert_eq!(s.live().await, s.split_for(Share::STABLE_ONLY));
    assert_eq!(record.written, Some(s.split_for(Share::STABLE_ONLY)));
    // A rolled-back deployment stays rolled back.
    let record = s.minute().await;
    assert!(matches!(record.phase, Phase::RolledBack { .. }));
    assert_eq!(s.live().await, s.split_for(Share::STABLE_ONLY));
}

async fn a_write_left_in_flight_by_a_killed_runner_is_finished_not_seen_as_drift(backend: Backend) {
    let mut s = Scenario::new(backend, "inflight", |route| {
        playbook(route, "inflight", &format!("{ANALYSIS}{BUILTIN_CHECKS}"))
    })
    .await;
    let mut record = s.tick().await;
    // The runner decided to move to 50% (step 2), saved that intent, wrote it, and died
    // before saving the outcome.
    let intent = Split::new(500, 500);
    record.in_flight = Some(intent);
    let Phase::Stepping { since, .. } = record.phase else {
        panic!("the first tick steps: {:?}", record.phase);
    };
    record.phase = Phase::Stepping { index: 1, since };
    let store = canary_deploy::store::FileStore::new(s.state_dir.path());
    canary_deploy::store::Store::save(&store, &mut record)
        .await
        .expect("save");
    s.deployment
        .router
        .write(None, intent)
        .await
        .expect("the write that landed");
    let record = s.tick().await;
    assert_eq!(record.written, Some(intent));
    assert_eq!(record.in_flight, None);
    assert!(
        matches!(record.phase, Phase::Stepping { .. }),
        "{:?}",
        record.phase
    );
}

async fn an_operator_rollback_does_not_first_finish_a_step_left_in_flight(backend: Backend) {
    let mut s = Scenario::new(backend, "inflight-rollback", |route| {
        playbook(
            route,
            "inflight-rollback",
            &format!("{ANALYSIS}{BUILTIN_CHECKS}"),
        )
    })
    .await;
    let mut record = s.tick().await;
    // A runner decided to move to 50% and died before writing it.
    record.in_flight = Some(Split::new(500, 500));
    let store = canary_deploy::store::FileStore::new(s.state_dir.path());
    canary_deploy::store::Store::save(&store, &mut record)
        .await
        .expect("save");
    s.clients.calls.take();
    let record = s.rollback("pager").await;
    let modifies = s
        .clients
        .calls
        .take()
        .into_iter()
        .filter(|op| op.starts_with("Modify") || op.starts_with("Update"))
        .count();
    assert_eq!(modifies, 1, "only the rollback itself is written");
    assert_eq!(record.written, Some(s.split_for(Share::STABLE_ONLY)));
    assert_eq!(record.in_flight, None);
    assert_eq!(s.live().await, s.split_for(Share::STABLE_ONLY));
}

for_backends!(alb => Alb, lattice => Lattice, lambda_alias => LambdaAlias; [
    a_healthy_canary_is_promoted_step_by_step,
    a_canary_with_errors_is_rolled_back_at_the_first_step,
    a_slow_canary_is_rolled_back_on_p99,
    an_alarm_in_alarm_rolls_back,
    no_data_hold_keeps_the_first_step_without_failing,
    no_data_fail_rolls_back,
    no_data_pass_promotes,
    weights_changed_by_someone_else_pause_without_a_write,
    the_operator_rolls_back_mid_step_with_a_reason,
    a_write_left_in_flight_by_a_killed_runner_is_finished_not_seen_as_drift,
    an_operator_rollback_does_not_first_finish_a_step_left_in_flight,
]);

for_backends!(lattice_rule => LatticeRule; [
    a_healthy_canary_is_promoted_step_by_step,
    a_canary_with_errors_is_rolled_back_at_the_first_step,
    the_operator_rolls_back_mid_step_with_a_reason,
]);

//! What a write's outcome means when AWS answers badly: a write whose read-back failed may have
//! landed (recorded as in flight, resolved by the next tick, never called someone else's
//! change); a target group someone adds to the forward action mid-run is drift; a rollback whose
//! record cannot be saved afterwards still put the traffic back (a warning, exit 0).

use crate::alb_actions::{forward, set_default_action};
use crate::emulator::{binary, endpoint};
use crate::emulator_control::{control, inject_fault};
use crate::route_fixture::Backend;
use crate::scenario::{playbook, Scenario, ANALYSIS};
use canary_deploy::core::{EventKind, Phase, Share};
use canary_deploy::orchestrator::OrchestratorError;
use canary_deploy::store::{FileStore, Store};
use canary_deploy::traffic::{Router, TrafficError};

const CHECKS: &str = "checks:\n  - error_rate: { max_percent: 1 }\n";

async fn alb_scenario(key: &str) -> Scenario {
    Scenario::signed_as(key, Backend::Alb, key, |route| {
        playbook(route, key, &format!("{ANALYSIS}{CHECKS}"))
    })
    .await
}

#[tokio::test]
async fn a_write_whose_read_back_failed_is_in_flight_and_the_next_tick_resolves_it() {
    let key = "unconfirmed-write";
    let mut s = alb_scenario(key).await;
    // The tick's read and the write's own read pass; every read after the write fails.
    let rule = serde_json::json!({
        "action": "elasticloadbalancing:DescribeListeners", "code": "InternalFailure",
        "status": 500, "after": 2,
    });
    control("POST", &format!("faults/{key}"), Some(rule));
    let err = s
        .deployment
        .tick(s.now, &mut s.events)
        .await
        .expect_err("the read-back fails");
    assert!(
        matches!(
            &err,
            OrchestratorError::Traffic(TrafficError::Unconfirmed { .. })
        ),
        "{err:?}"
    );
    assert!(err.to_string().contains("may have landed"), "{err}");
    assert!(err.is_retryable(), "a run tries again: {err}");
    control("DELETE", &format!("faults/{key}"), None);

    let first = s.split_for(Share::from_permille(100).expect("10%"));
    let stored = FileStore::new(s.state_dir.path())
        .load(key)
        .await
        .expect("load")
        .expect("the intent was saved");
    assert_eq!(stored.in_flight, Some(first), "recorded as in flight");
    assert!(matches!(stored.phase, Phase::Stepping { index: 0, .. }));
    assert_eq!(s.live().await, first, "the write landed");

    let record = s.tick().await;
    assert_eq!(record.written, Some(first));
    assert_eq!(record.in_flight, None);
    assert!(matches!(record.phase, Phase::Stepping { index: 0, .. }));
    assert!(
        !record
            .history
            .iter()
            .any(|e| matches!(e.kind, EventKind::DriftDetected { .. })),
        "its own write is not drift: {:?}",
        record.history
    );
}

#[tokio::test]
async fn a_target_group_added_mid_run_is_drift_and_blocks_the_operators_writes() {
    let mut s = alb_scenario("third-group").await;
    let record = s.tick().await;
    let written = record.written.expect("the first step was written");
    let route = s.deployment.router.route();
    let alb = route.as_alb().expect("an ALB route").clone();
    let elbv2 = &s.clients.elbv2;
    let stable = elbv2
        .describe_target_groups()
        .target_group_arns(&alb.stable_arn)
        .send()
        .await
        .expect("describe the stable group");
    let vpc = stable.target_groups()[0]
        .vpc_id()
        .expect("a VPC")
        .to_string();
    let theirs = elbv2
        .create_target_group()
        .name("third-group-theirs")
        .protocol(aws_sdk_elasticloadbalancingv2::types::ProtocolEnum::Http)
        .port(80)
        .vpc_id(vpc)
        .send()
        .await
        .expect("their target group");
    let theirs = theirs.target_groups()[0]
        .target_group_arn()
        .expect("an ARN")
        .to_string();
    let groups = [
        (alb.stable_arn.as_str(), written.stable as i32),
        (alb.canary_arn.as_str(), written.canary as i32),
        (theirs.as_str(), 500),
    ];
    set_default_action(
        &s.clients.elbv2,
        &alb.listener_arn,
        forward(&groups, None, None),
    )
    .await;

    s.clients.calls.take();
    let record = s.minute().await;
    let Phase::Paused { why, .. } = &record.phase else {
        panic!("drift pauses: {:?}", record.phase);
    };
    assert!(why.contains("other target groups 500"), "{why}");
    let writes = s.clients.calls.take();
    assert!(
        !writes.iter().any(|op| op.starts_with("Modify")),
        "nothing written: {writes:?}"
    );
    let command = canary_deploy::core::OperatorCommand::rollback("pager");
    let refused = s
        .deployment
        .operate(s.now, command, &mut s.events)
        .await
        .expect_err("no rollback beside a group of someone else's");
    assert!(
        refused
            .to_string()
            .contains("neither the stable nor the canary"),
        "{refused}"
    );
    assert_eq!(s.live().await.others, 500, "their group kept its weight");
}

#[tokio::test]
async fn a_rollback_whose_record_cannot_be_saved_is_a_warning_with_the_traffic_safe() {
    let key = "unsaved-rollback";
    let alb = crate::emulator::demo_alb(key).await;
    let dir = tempfile::tempdir().expect("temp dir");
    let playbook = alb.playbook_file(
        dir.path(),
        key,
        "steps:\n  canary: [10, 100]\n  bake: 1h\nanalysis:\n  interval: 1s\n",
    );
    let playbook = playbook.to_string_lossy().to_string();
    let advanced = cli(key, &["advance", &playbook]);
    assert_eq!(advanced.status.code(), Some(0), "{advanced:?}");
    // From now on no tag can be written on the listener.
    inject_fault(
        key,
        "elasticloadbalancing:AddTags",
        "AccessDenied",
        403,
        1,
        None,
    );
    let arn = alb.listener_arn.as_str();
    let out = cli(key, &["rollback", "--target", arn, "--reason", "pager"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(
        stderr.contains("warning: all traffic is back on stable (verified)"),
        "{stderr}"
    );
    control("DELETE", &format!("faults/{key}"), None);
    let status = cli(key, &["status", "--target", arn, "--json"]);
    let json: serde_json::Value = serde_json::from_slice(&status.stdout).expect("status --json");
    assert_eq!(json["live"]["canary"], 0, "all on stable: {json}");
    assert_eq!(
        json["record"]["phase"]["phase"], "stepping",
        "the record is behind"
    );
}

/// The binary signed with `key`, against the emulator.
fn cli(key: &str, args: &[&str]) -> std::process::Output {
    binary()
        .env("AWS_ACCESS_KEY_ID", key)
        .args(args)
        .args(["--endpoint-url", endpoint()])
        .output()
        .expect("run canary-deploy")
}

#[tokio::test]
async fn an_answer_no_valid_listener_holds_pauses_the_run_and_writes_nothing() {
    let mut s = alb_scenario("unusable-read").await;
    s.tick().await;
    let route = s.deployment.router.route();
    let alb = route.as_alb().expect("an ALB route").clone();
    // The stable listed twice, which no ALB holds (AWS refuses it): as an odd server could
    // answer. A write on it would set both entries.
    let groups = [
        (alb.stable_arn.as_str(), 900),
        (alb.stable_arn.as_str(), 50),
        (alb.canary_arn.as_str(), 100),
    ];
    set_default_action(
        &s.clients.elbv2,
        &alb.listener_arn,
        forward(&groups, None, None),
    )
    .await;
    s.clients.calls.take();
    // (No simulated traffic: the simulator itself cannot read such a listener.)
    s.now = s.now.plus(std::time::Duration::from_secs(60));
    let record = s.tick().await;
    let Phase::Paused { why, .. } = &record.phase else {
        panic!("an unusable answer pauses: {:?}", record.phase);
    };
    assert!(why.contains("could not be used"), "{why}");
    assert!(why.contains("twice"), "{why}");
    let calls = s.clients.calls.take();
    assert!(
        !calls.iter().any(|op| op.starts_with("Modify")),
        "nothing written: {calls:?}"
    );
}

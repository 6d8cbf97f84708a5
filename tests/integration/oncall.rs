//! The on-call button from a "second machine": no playbook, no state directory, nothing but
//! credentials and the routed resource's ARN. The deployment's record lives in that resource's
//! tags, and says which target group is stable.

use crate::emulator::canary_deploy_in;
use crate::route_fixture::{for_backends, Backend, RouteFixture};
use canary_deploy::core::{EventKind, OperatorAction, Phase, Record, Split};
use std::path::Path;
use std::process::Output;

pub(crate) const STEPS: &str =
    "steps:\n  canary: [10, 50, 100]\n  bake: 1h\nanalysis:\n  interval: 1s\n";

fn ok(output: &Output) -> String {
    let stdout = String::from_utf8_lossy(&output.stdout).to_string();
    assert_eq!(
        output.status.code(),
        Some(0),
        "{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    stdout
}

/// The record in the resource's tags, as `status --target --json` shows it, and the live split.
fn status(cwd: &Path, arn: &str) -> (Record, Split) {
    let out = ok(&canary_deploy_in(
        cwd,
        &["status", "--target", arn, "--json"],
    ));
    let json: serde_json::Value = serde_json::from_str(&out).expect("status --json");
    let record = serde_json::from_value(json["record"].clone()).expect("a record in the tags");
    let live = serde_json::from_value(json["live"].clone()).expect("live weights");
    (record, live)
}

/// A deployment started on the first machine with `advance` (one tick: the canary at 10 %),
/// its record kept only in the resource's tags.
async fn started(backend: Backend, name: &str) -> (Box<dyn RouteFixture>, tempfile::TempDir) {
    let route = backend.fixture(name).await;
    let first_machine = tempfile::tempdir().expect("temp dir");
    let playbook = first_machine.path().join("p.yaml");
    std::fs::write(&playbook, route.playbook(name, STEPS)).expect("write playbook");
    let path = playbook.to_string_lossy().to_string();
    ok(&canary_deploy_in(first_machine.path(), &["advance", &path]));
    assert!(
        !first_machine.path().join(".canary-deploy").exists(),
        "no local state by default"
    );
    (route, first_machine)
}

async fn rollback_with_only_the_arn(backend: Backend) {
    let (route, _first) = started(backend, "oncall-rollback").await;
    let arn = route.resource_arn();
    let second_machine = tempfile::tempdir().expect("temp dir");
    let (before, live) = status(second_machine.path(), &arn);
    assert!(matches!(before.phase, Phase::Stepping { index: 0, .. }));
    assert_eq!(live.canary, 100);

    let out = ok(&canary_deploy_in(
        second_machine.path(),
        &["rollback", "--target", &arn, "--reason", "pager: 5xx"],
    ));
    assert!(out.contains("outcome: rolled back"), "{out}");
    let (after, live) = status(second_machine.path(), &arn);
    assert!(live.canary == 0 && live.stable > 0, "all on stable: {live}");
    assert_eq!(after.written, Some(live));
    let Phase::RolledBack { why, .. } = &after.phase else {
        panic!("{:?}", after.phase)
    };
    // Who: the caller's identity from STS (the emulator's default user); why: the reason.
    assert!(
        why.starts_with("operator: pager: 5xx (by arn:aws:"),
        "{why}"
    );
    assert!(after.history.iter().any(|e| matches!(
        &e.kind,
        EventKind::Operator {
            action: OperatorAction::Rollback,
            by: Some(_),
            ..
        }
    )));
    let human = ok(&canary_deploy_in(
        second_machine.path(),
        &["status", "--target", &arn],
    ));
    assert!(human.contains("rolled_back | stable "), "{human}");
    assert!(human.contains(" / canary 0 (0% canary)"), "{human}");
}

async fn pause_resume_and_promote_with_only_the_arn(backend: Backend) {
    let (route, first) = started(backend, "oncall-promote").await;
    let arn = route.resource_arn();
    let second = tempfile::tempdir().expect("temp dir");
    let cwd = second.path();

    ok(&canary_deploy_in(
        cwd,
        &["pause", "--target", &arn, "--reason", "looking"],
    ));
    assert!(matches!(
        status(cwd, &arn).0.phase,
        Phase::Paused { index: Some(0), .. }
    ));
    // A paused deployment: the scheduled job does nothing and says so.
    let playbook = first.path().join("p.yaml").to_string_lossy().to_string();
    let paused = canary_deploy_in(first.path(), &["advance", &playbook]);
    assert_eq!(paused.status.code(), Some(4));
    // Pausing twice is refused, with the phase.
    let again = canary_deploy_in(cwd, &["pause", "--target", &arn]);
    assert_eq!(again.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&again.stderr)
        .contains("nothing to pause: the deployment is paused"));

    ok(&canary_deploy_in(
        cwd,
        &["resume", "--target", &arn, "--reason", "fine"],
    ));
    assert!(matches!(
        status(cwd, &arn).0.phase,
        Phase::Stepping { index: 0, .. }
    ));

    ok(&canary_deploy_in(
        cwd,
        &["promote", "--target", &arn, "--reason", "ship it"],
    ));
    let (record, live) = status(cwd, &arn);
    assert!(matches!(record.phase, Phase::Promoted { .. }));
    assert!(
        live.stable == 0 && live.canary > 0,
        "all on the canary: {live}"
    );
}

/// The "live weights:" line `plan` prints for `playbook` (a read: plan writes nothing).
fn live_weights(cwd: &Path, playbook: &Path) -> String {
    let out = canary_deploy_in(cwd, &["plan", &playbook.to_string_lossy()]);
    let stdout = String::from_utf8_lossy(&out.stdout).to_string();
    match stdout.lines().find(|l| l.starts_with("live weights: ")) {
        Some(line) => line.to_string(),
        None => panic!("plan printed no live weights:\n{stdout}"),
    }
}

/// A resource no deployment ran on: the button refuses, says what it looked for, and writes
/// nothing (no tag appears, the weights stay).
async fn rollback_without_a_record_says_what_to_check(backend: Backend) {
    let route = backend.fixture("oncall-norecord").await;
    let cwd = tempfile::tempdir().expect("temp dir");
    let arn = route.resource_arn();
    let playbook = cwd.path().join("p.yaml");
    std::fs::write(&playbook, route.playbook("oncall-norecord", STEPS)).expect("write");
    let before = live_weights(cwd.path(), &playbook);
    let out = canary_deploy_in(cwd.path(), &["rollback", "--target", &arn, "--reason", "x"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains(&format!(
            "no deployment record in the tags of {arn}: is this the rule, listener or Lambda \
             alias whose weights the deployment shifts?"
        )),
        "{stderr}"
    );
    assert_eq!(
        live_weights(cwd.path(), &playbook),
        before,
        "nothing written"
    );
    let status = ok(&canary_deploy_in(cwd.path(), &["status", "--target", &arn]));
    assert!(
        status.contains("no deployment recorded"),
        "still no record: {status}"
    );
}

#[tokio::test]
async fn a_function_arn_instead_of_its_alias_is_refused_naming_the_alias_form() {
    let route = Backend::LambdaAlias.fixture("oncall-fnarn").await;
    let cwd = tempfile::tempdir().expect("temp dir");
    let alias_arn = route.resource_arn();
    let function_arn = alias_arn
        .rsplit_once(':')
        .map_or(alias_arn.clone(), |(f, _)| f.to_string());
    let out = canary_deploy_in(
        cwd.path(),
        &["rollback", "--target", &function_arn, "--reason", "x"],
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_ne!(out.status.code(), Some(0), "{stderr}");
    assert!(
        stderr.contains("give the alias's ARN, not the function's or a version's"),
        "{stderr}"
    );
}

/// A 16 KB reason (a pasted log) cannot block the button: the record keeps its first 256
/// characters, says how many were dropped, and still fits the resource's tags.
async fn a_huge_reason_never_blocks_the_rollback(backend: Backend) {
    let (route, _first) = started(backend, "oncall-huge").await;
    let arn = route.resource_arn();
    let cwd = tempfile::tempdir().expect("temp dir");
    let reason = "log line\n".repeat(1820);
    let out = ok(&canary_deploy_in(
        cwd.path(),
        &["rollback", "--target", &arn, "--reason", &reason],
    ));
    assert!(out.contains("outcome: rolled back"), "{out}");
    let (after, live) = status(cwd.path(), &arn);
    assert_eq!(live.canary, 0, "all on stable: {live}");
    let Phase::RolledBack { why, .. } = &after.phase else {
        panic!("{:?}", after.phase);
    };
    assert!(why.contains("… (16124 more characters dropped)"), "{why}");
    assert!(why.len() < 400, "{} bytes kept", why.len());
}

for_backends!(alb => Alb, lattice => Lattice, lattice_rule => LatticeRule, lambda_alias => LambdaAlias; [
    rollback_with_only_the_arn,
    a_huge_reason_never_blocks_the_rollback,
    pause_resume_and_promote_with_only_the_arn,
    rollback_without_a_record_says_what_to_check,
]);

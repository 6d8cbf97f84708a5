//! The dead-man's switch against the emulator, whose scheduler fires due one-time schedules and
//! makes their universal-target calls: a runner killed with its canary at 10 % has the stable
//! split restored by AWS alone within `max_gap` plus one scheduler pass; a healthy run that
//! keeps ticking is never touched and leaves no schedule behind; an operator's pause disarms it.

use crate::emulator::{
    binary, demo_alb, deploy_command, endpoint, sdk_config, spawn_run, wait_until, DemoAlb,
};
use crate::emulator_control::control;
use std::path::Path;
use std::process::Stdio;
use std::time::Duration;

const ROLE: &str = "arn:aws:iam::123456789012:role/canary-deploy-switch";

fn playbook(
    alb: &DemoAlb,
    dir: &Path,
    name: &str,
    bake: &str,
    max_gap: &str,
) -> std::path::PathBuf {
    alb.playbook_file(
        dir,
        name,
        &format!(
            "steps:\n  canary: [10, 50, 100]\n  bake: {bake}\nanalysis:\n  interval: 1s\n  max_gap: \
             {max_gap}\nswitch:\n  role: {ROLE}\n"
        ),
    )
}

async fn schedule_exists(name: &str) -> bool {
    let client = aws_sdk_scheduler::Client::new(&sdk_config().await);
    client
        .get_schedule()
        .name(format!("canary-deploy-{name}"))
        .send()
        .await
        .is_ok()
}

/// The emulator's fired schedules whose ARN ends with the deployment's schedule name.
async fn fired(name: &str) -> Vec<serde_json::Value> {
    let doc = tokio::task::spawn_blocking(|| control("GET", "scheduler/fired", None))
        .await
        .expect("fetch task");
    let suffix = format!("/canary-deploy-{name}");
    doc["fired"]
        .as_array()
        .map(|all| {
            all.iter()
                .filter(|f| f["arn"].as_str().is_some_and(|a| a.ends_with(&suffix)))
                .cloned()
                .collect()
        })
        .unwrap_or_default()
}

async fn wait_for(what: &str, limit: Duration, done: impl AsyncFnMut() -> bool) -> Duration {
    wait_until(what, limit, done, async || String::new()).await
}

#[tokio::test]
async fn a_killed_runner_has_its_canary_put_back_on_stable_by_the_switch() {
    let alb = demo_alb("switch-kill").await;
    let dir = tempfile::tempdir().expect("temp dir");
    let path = playbook(&alb, dir.path(), "switch-kill", "1h", "6s");
    let mut run = spawn_run(&path, &dir.path().join("state"));
    wait_for(
        "step 1 written and the switch armed",
        Duration::from_secs(30),
        async || alb.canary_weight().await == 100 && schedule_exists("switch-kill").await,
    )
    .await;
    run.kill().expect("kill -9 the runner");
    let _ = run.wait();
    let restored = wait_for(
        "the stable split restored",
        Duration::from_secs(20),
        async || alb.canary_weight().await == 0,
    )
    .await;
    // max_gap (6 s) plus one scheduler pass (1 s), with a second for the polling.
    assert!(
        restored <= Duration::from_secs(8),
        "restored after {restored:?}"
    );
    let fired = fired("switch-kill").await;
    assert_eq!(fired.len(), 1, "{fired:?}");
    assert_eq!(fired[0]["ok"], true, "{fired:?}");
    assert!(
        fired[0]["target"]
            .as_str()
            .is_some_and(|t| t.ends_with(":aws-sdk:elasticloadbalancingv2:modifyListener")),
        "{fired:?}"
    );
    assert!(
        !schedule_exists("switch-kill").await,
        "a fired switch deletes itself"
    );

    // A runner that comes back does not fight the switch's write: it sees the drift and pauses.
    let back = deploy_command("advance", &path, endpoint(), &dir.path().join("state"))
        .output()
        .expect("advance");
    let said = String::from_utf8_lossy(&back.stdout);
    assert!(said.contains("drift") && said.contains("PAUSED"), "{said}");
    assert_eq!(alb.canary_weight().await, 0, "still all on stable");
}

#[tokio::test]
async fn a_healthy_run_that_ticks_is_never_touched_and_leaves_no_schedule() {
    let alb = demo_alb("switch-healthy").await;
    let dir = tempfile::tempdir().expect("temp dir");
    // Three 3 s bakes outlast a 4 s gap: only the runner's pushes keep the switch from firing.
    let path = playbook(&alb, dir.path(), "switch-healthy", "3s", "4s");
    let output = spawn_run(&path, &dir.path().join("state"))
        .wait_with_output()
        .expect("run to the end");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{stdout}{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(stdout.contains("dead-man's switch armed"), "{stdout}");
    assert!(stdout.contains("dead-man's switch disarmed"), "{stdout}");
    assert!(!stdout.contains("WARNING"), "{stdout}");
    assert_eq!(alb.canary_weight().await, 999, "promoted");
    assert!(!schedule_exists("switch-healthy").await);
    tokio::time::sleep(Duration::from_secs(2)).await;
    assert!(
        fired("switch-healthy").await.is_empty(),
        "the switch never fired"
    );
}

#[tokio::test]
async fn an_operators_pause_disarms_the_switch() {
    let alb = demo_alb("switch-pause").await;
    let dir = tempfile::tempdir().expect("temp dir");
    let path = playbook(&alb, dir.path(), "switch-pause", "1h", "6s");
    let state = dir.path().join("state");
    let mut run = spawn_run(&path, &state);
    wait_for("the switch armed", Duration::from_secs(30), async || {
        schedule_exists("switch-pause").await
    })
    .await;
    let status = |dir: &Path| {
        let out = deploy_command("status", &path, endpoint(), &dir.join("state"))
            .output()
            .expect("status");
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let armed = status(dir.path());
    assert!(
        armed.contains("dead-man's switch: armed, schedule default/canary-deploy-switch-pause"),
        "{armed}"
    );
    let paused = deploy_command("pause", &path, endpoint(), &state)
        .args(["--reason", "investigating"])
        .output()
        .expect("pause");
    assert_eq!(
        paused.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&paused.stderr)
    );
    assert!(
        !schedule_exists("switch-pause").await,
        "pause deletes the schedule"
    );
    run.kill().expect("kill the runner");
    let _ = run.wait();
    tokio::time::sleep(Duration::from_secs(8)).await;
    assert_eq!(
        alb.canary_weight().await,
        100,
        "a paused canary stays where it was paused"
    );
    assert!(fired("switch-pause").await.is_empty());
}

/// The on-call button with nothing but the ARN disarms the switch too: the record on the
/// resource names the switch's group.
#[tokio::test]
async fn a_rollback_by_target_disarms_the_switch() {
    let alb = demo_alb("switch-target").await;
    let dir = tempfile::tempdir().expect("temp dir");
    let path = playbook(&alb, dir.path(), "switch-target", "1h", "6s");
    let mut run = binary()
        .arg("run")
        .arg(&path)
        .args(["--endpoint-url", endpoint()])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start run");
    wait_for("the switch armed", Duration::from_secs(30), async || {
        schedule_exists("switch-target").await
    })
    .await;
    let rolled = binary()
        .args([
            "rollback",
            "--target",
            &alb.listener_arn,
            "--reason",
            "pager",
        ])
        .args(["--endpoint-url", endpoint()])
        .output()
        .expect("rollback --target");
    let said = String::from_utf8_lossy(&rolled.stdout);
    assert_eq!(
        rolled.status.code(),
        Some(0),
        "{said}{}",
        String::from_utf8_lossy(&rolled.stderr)
    );
    assert!(said.contains("dead-man's switch disarmed"), "{said}");
    assert!(!schedule_exists("switch-target").await);
    assert_eq!(alb.canary_weight().await, 0);
    run.kill().expect("kill the runner");
    let _ = run.wait();
}

/// With a header lane, the switch has a second schedule that deletes the lane's rule: a runner
/// killed in the lane's step (no weight on the canary, but its lane open) has the rule removed
/// by AWS alone within `max_gap`; the runner that comes back sees it gone and pauses.
#[tokio::test]
async fn a_killed_runner_has_its_header_lane_removed_by_the_switch() {
    let alb = demo_alb("switch-lane").await;
    let dir = tempfile::tempdir().expect("temp dir");
    let path = alb.playbook_file(
        dir.path(),
        "switch-lane",
        &format!(
            "steps:\n  header_lane: {{ header: x-canary, value: \"1\", bake: 1h }}\n  canary: [10, 100]\n  \
             bake: 1h\nanalysis:\n  interval: 1s\n  max_gap: 6s\nswitch:\n  role: {ROLE}\n"
        ),
    );
    let clients = canary_deploy::aws::Clients::new(&sdk_config().await);
    let lane_rules = async || {
        let rules = clients
            .elbv2
            .describe_rules()
            .listener_arn(&alb.listener_arn)
            .send()
            .await
            .expect("DescribeRules")
            .rules
            .unwrap_or_default();
        rules.iter().filter(|r| r.is_default != Some(true)).count()
    };
    let mut run = spawn_run(&path, &dir.path().join("state"));
    wait_for(
        "the lane open and its switch armed",
        Duration::from_secs(30),
        async || lane_rules().await == 1 && schedule_exists("switch-lane.lane").await,
    )
    .await;
    assert!(
        !schedule_exists("switch-lane").await,
        "no weight on the canary: the weights' switch is not armed"
    );
    run.kill().expect("kill -9 the runner");
    let _ = run.wait();
    let removed = wait_for(
        "the lane's rule removed",
        Duration::from_secs(20),
        async || lane_rules().await == 0,
    )
    .await;
    assert!(
        removed <= Duration::from_secs(8),
        "removed after {removed:?}"
    );
    let fired = fired("switch-lane.lane").await;
    assert_eq!(fired.len(), 1, "{fired:?}");
    assert_eq!(fired[0]["ok"], true, "{fired:?}");
    assert!(
        fired[0]["target"]
            .as_str()
            .is_some_and(|t| t.ends_with(":aws-sdk:elasticloadbalancingv2:deleteRule")),
        "{fired:?}"
    );
    assert_eq!(alb.canary_weight().await, 0, "the weights were never moved");

    let back = deploy_command("advance", &path, endpoint(), &dir.path().join("state"))
        .output()
        .expect("advance");
    let said = String::from_utf8_lossy(&back.stdout);
    assert!(
        said.contains("PAUSED") && said.contains("is gone"),
        "{said}"
    );
    assert_eq!(lane_rules().await, 0, "no second rule without an operator");
}

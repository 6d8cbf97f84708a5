//! Gates against the emulator: `run` holds a baked step at its approval gate (still judging)
//! until `resume` releases it, or `promote` finishes at once; a timed gate lets it on by
//! itself once its wait is over. `status` says the gate holds and who releases it.

use crate::alarm_fixture::{create_alarm, set_alarm_state};
use crate::emulator::{
    demo_alb, deploy_command, endpoint, sdk_config, spawn_run, wait_until, DemoAlb,
};
use aws_sdk_cloudwatch::types::StateValue;
use std::path::{Path, PathBuf};
use std::process::Output;
use std::time::{Duration, Instant};

/// Steps 10 % and 50 %, `gate` after the first, judged by an alarm in OK.
async fn gated(name: &str, gate: &str, dir: &Path) -> (DemoAlb, PathBuf) {
    let alb = demo_alb(name).await;
    let cw = aws_sdk_cloudwatch::Client::new(&sdk_config().await);
    let alarm = format!("{name}-alarm");
    create_alarm(&cw, &alarm).await;
    set_alarm_state(&cw, &alarm, StateValue::Ok, "healthy").await;
    let path = alb.playbook_file(
        dir,
        name,
        &format!(
            "steps:\n  canary: [10, {{gate: {gate}}}, 50, 100]\n  bake: 1s\nanalysis:\n  \
             interval: 1s\n  period: 1s\n  lookback: 2s\n  settle: 0s\n  ingestion_delay: 0s\n  \
             failure_threshold: 1\n  method: threshold\nchecks:\n  - alarms: [{alarm}]\n"
        ),
    );
    (alb, path)
}

fn said(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

fn command(what: &str, playbook: &Path, state: &Path) -> Output {
    deploy_command(what, playbook, endpoint(), state)
        .args(["--reason", "checked the dashboards"])
        .output()
        .expect("operator command")
}

fn status(playbook: &Path, state: &Path) -> String {
    said(
        &deploy_command("status", playbook, endpoint(), state)
            .output()
            .expect("status"),
    )
}

async fn held_at_the_gate(path: &Path, state: &Path) {
    wait_until(
        "held at the gate",
        Duration::from_secs(30),
        async || status(path, state).contains("gate (approval)"),
        async || status(path, state),
    )
    .await;
}

#[tokio::test]
async fn an_approval_gate_holds_until_resume_and_the_run_then_promotes() {
    let dir = tempfile::tempdir().expect("temp dir");
    let state = dir.path().join("state");
    let (alb, path) = gated("gate-resume", "approval", dir.path()).await;
    let run = spawn_run(&path, &state);
    held_at_the_gate(&path, &state).await;
    let shown = status(&path, &state);
    assert!(
        shown.contains("released by an operator's `canary-deploy resume`"),
        "{shown}"
    );
    assert!(shown.contains("may release it"), "{shown}");
    assert!(
        shown.contains("run or advance would: holds step 1 (10%) at its gate"),
        "{shown}"
    );
    // Held, and still held a few bakes later.
    tokio::time::sleep(Duration::from_secs(3)).await;
    assert_eq!(alb.canary_weight().await, 100, "held at 10 %");

    let resumed = command("resume", &path, &state);
    assert_eq!(resumed.status.code(), Some(0), "{}", said(&resumed));
    assert!(
        said(&resumed).contains("gate released: step 1"),
        "{}",
        said(&resumed)
    );
    let output = run.wait_with_output().expect("run to the end");
    let out = said(&output);
    assert_eq!(output.status.code(), Some(0), "{out}");
    assert!(
        out.contains("GATE: step 1 has baked; its gate (approval) holds it"),
        "{out}"
    );
    assert!(out.contains("PROMOTED"), "{out}");
    assert_eq!(out.matches("GATE:").count(), 1, "said once: {out}");
    assert_eq!(alb.canary_weight().await, 999);
}

#[tokio::test]
async fn promote_finishes_now_through_a_held_gate() {
    let dir = tempfile::tempdir().expect("temp dir");
    let state = dir.path().join("state");
    let (alb, path) = gated("gate-promote", "approval", dir.path()).await;
    let run = spawn_run(&path, &state);
    held_at_the_gate(&path, &state).await;
    let promoted = command("promote", &path, &state);
    assert_eq!(promoted.status.code(), Some(0), "{}", said(&promoted));
    assert_eq!(
        alb.canary_weight().await,
        999,
        "all traffic on the canary at once"
    );
    let output = run.wait_with_output().expect("run ends");
    assert_eq!(output.status.code(), Some(0), "{}", said(&output));
    assert!(
        !said(&output).contains("step 2: canary to 50%"),
        "{}",
        said(&output)
    );
}

#[tokio::test]
async fn a_timed_gate_lets_the_step_on_when_its_wait_is_over() {
    let dir = tempfile::tempdir().expect("temp dir");
    let state = dir.path().join("state");
    let (alb, path) = gated("gate-wait", "4s", dir.path()).await;
    let start = Instant::now();
    let output = spawn_run(&path, &state).wait_with_output().expect("run");
    let out = said(&output);
    assert_eq!(output.status.code(), Some(0), "{out}");
    assert!(
        out.contains("its gate (a 4s wait) holds it until time, at"),
        "{out}"
    );
    assert!(out.contains("gate released: step 1"), "{out}");
    // Three 1 s bakes and the 4 s wait.
    assert!(
        start.elapsed() >= Duration::from_secs(5),
        "{:?}",
        start.elapsed()
    );
    assert_eq!(alb.canary_weight().await, 999);
}

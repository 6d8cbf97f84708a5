//! Hooks against the emulator and a real local HTTP server: Lambda hooks answered by the
//! emulator from a configured reply (it stands in for the function, not for the hook logic),
//! HTTPS hooks by the test's server. Passing hooks let a deployment through, and each is sent
//! the deployment's state; a failing `post_step` hook is a failed check (rolled back, the next
//! step never written) and a failing `after_rollback` hook never undoes the rollback; a
//! hanging `pre_step` hook times out, is retried, and holds the first step unwritten.

use crate::alarm_fixture::{create_alarm, set_alarm_state};
use crate::emulator::{demo_alb, deploy_command, endpoint, sdk_config, DemoAlb};
use crate::emulator_control::control;
use crate::http_fixture::Hooks;
use crate::iam_policy::{held_to, recording};
use aws_sdk_cloudwatch::types::StateValue;
use std::path::{Path, PathBuf};
use std::process::Output;

fn said(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

/// The emulator answers Invoke of `function` with `payload`.
async fn reply(function: &str, payload: serde_json::Value) {
    let spec = serde_json::json!({"function": function, "payload": payload});
    tokio::task::spawn_blocking(move || control("POST", "lambda/replies", Some(spec)))
        .await
        .expect("configure");
}

/// The payloads `function` was invoked with.
async fn calls(function: &str) -> Vec<serde_json::Value> {
    let doc = tokio::task::spawn_blocking(|| control("GET", "lambda/replies", None))
        .await
        .expect("fetch");
    doc["calls"]
        .as_array()
        .map(|all| {
            all.iter()
                .filter(|c| c["function"] == function)
                .filter_map(|c| {
                    c["payload"]
                        .as_str()
                        .and_then(|p| serde_json::from_str(p).ok())
                })
                .collect()
        })
        .unwrap_or_default()
}

async fn route(name: &str, dir: &Path, hooks: &str) -> (DemoAlb, PathBuf) {
    let alb = demo_alb(name).await;
    let cw = aws_sdk_cloudwatch::Client::new(&sdk_config().await);
    let alarm = format!("{name}-alarm");
    create_alarm(&cw, &alarm).await;
    set_alarm_state(&cw, &alarm, StateValue::Ok, "healthy").await;
    let path = alb.playbook_file(
        dir,
        name,
        &format!(
            "steps:\n  canary: [10, 50, 100]\n  bake: 1s\nanalysis:\n  interval: 1s\n  \
             period: 1s\n  lookback: 2s\n  settle: 0s\n  ingestion_delay: 0s\n  \
             failure_threshold: 1\n  method: threshold\nchecks:\n  - alarms: [{alarm}]\n\
             hooks:\n{hooks}"
        ),
    );
    (alb, path)
}

#[tokio::test]
async fn passing_hooks_are_sent_the_state_and_let_the_deployment_through() {
    let server = Hooks::start();
    reply("hooks-pass-smoke", serde_json::json!({"pass": true})).await;
    let dir = tempfile::tempdir().expect("temp dir");
    let hooks = format!(
        "  pre_step:\n    - lambda: hooks-pass-smoke\n  post_step:\n    - https: {{ url: \"{}\" }}\n  \
         before_promote:\n    - lambda: hooks-pass-smoke\n",
        server.url("/ok-post")
    );
    let (alb, path) = route("hooks-pass", dir.path(), &hooks).await;
    let key = "hookspassrun";
    tokio::task::spawn_blocking(move || recording("POST", key))
        .await
        .expect("record");
    let output = deploy_command("run", &path, endpoint(), &dir.path().join("state"))
        .env("AWS_ACCESS_KEY_ID", key)
        .output()
        .expect("run");
    let out = said(&output);
    assert_eq!(output.status.code(), Some(0), "{out}");
    assert_eq!(alb.canary_weight().await, 999, "promoted");
    // pre_step before each of the three steps, and before_promote before the last.
    let invoked = calls("hooks-pass-smoke").await;
    let seen: Vec<(String, u64)> = invoked
        .iter()
        .map(|p| {
            (
                p["hook"].as_str().unwrap_or("").to_string(),
                p["step"].as_u64().unwrap_or(0),
            )
        })
        .collect();
    assert_eq!(
        seen,
        [
            ("pre_step".into(), 1),
            ("pre_step".into(), 2),
            ("pre_step".into(), 3),
            ("before_promote".into(), 3)
        ],
        "{invoked:#?}"
    );
    assert_eq!(invoked[1]["deployment"], "hooks-pass");
    assert!(
        invoked[1]["weights"]["canary"].is_number(),
        "{}",
        invoked[1]
    );
    // post_step after each step's bake: three.
    let posted = server.bodies("/ok-post");
    assert_eq!(posted.len(), 3, "{posted:?}");
    let first: serde_json::Value = serde_json::from_str(&posted[0]).expect("JSON");
    assert_eq!(first["hook"], "post_step");
    assert_eq!(first["step"], 1);
    assert_eq!(out.matches("hook passed:").count(), 7, "{out}");
    // Every call the run made, the hooks' Invoke included, is one `iam-policy` allows.
    let printed = deploy_command("iam-policy", &path, endpoint(), &dir.path().join("state"))
        .arg("--resolve")
        .output()
        .expect("iam-policy");
    let policy: canary_deploy::iam::Policy =
        serde_json::from_slice(&printed.stdout).expect("a policy");
    let calls = tokio::task::spawn_blocking(move || recording("DELETE", key))
        .await
        .expect("recording")["requests"]
        .as_array()
        .cloned()
        .expect("requests");
    assert!(
        calls.iter().any(|c| c["action"] == "InvokeFunction"),
        "{calls:?}"
    );
    let (denied, _) = held_to(&policy, &calls);
    assert!(denied.is_empty(), "not allowed: {denied:#?}");
}

#[tokio::test]
async fn a_failing_post_step_hook_rolls_back_and_a_failing_after_rollback_hook_is_a_warning() {
    let server = Hooks::start();
    reply(
        "hooks-fail-check",
        serde_json::json!({"pass": false, "reason": "synthetic checkout failed 3 of 20"}),
    )
    .await;
    let dir = tempfile::tempdir().expect("temp dir");
    let hooks = format!(
        "  post_step:\n    - lambda: hooks-fail-check\n  after_rollback:\n    - https: {{ url: \"{}\" }}\n",
        server.url("/fail")
    );
    let (alb, path) = route("hooks-fail", dir.path(), &hooks).await;
    let output = deploy_command("run", &path, endpoint(), &dir.path().join("state"))
        .output()
        .expect("run");
    let out = said(&output);
    assert_eq!(output.status.code(), Some(3), "rolled back: {out}");
    assert!(
        out.contains("HOOK FAILED: post_step lambda hooks-fail-check (step 1): synthetic checkout failed 3 of 20"),
        "{out}"
    );
    assert!(
        !out.contains("step 2: canary to 50%"),
        "the next step is never written: {out}"
    );
    assert!(
        out.contains("HOOK FAILED: after_rollback https 127.0.0.1"),
        "{out}"
    );
    assert!(out.contains("answered HTTP 500"), "{out}");
    assert_eq!(alb.canary_weight().await, 0, "the rollback stands");
    assert_eq!(server.bodies("/fail").len(), 1);
}

#[tokio::test]
async fn a_hanging_pre_step_hook_times_out_is_retried_and_holds_the_first_step() {
    let server = Hooks::start();
    let dir = tempfile::tempdir().expect("temp dir");
    let hooks = format!(
        "  pre_step:\n    - https: {{ url: \"{}\" }}\n      timeout: 1s\n      retries: 1\n",
        server.url("/hang")
    );
    let (alb, path) = route("hooks-hang", dir.path(), &hooks).await;
    let output = deploy_command("advance", &path, endpoint(), &dir.path().join("state"))
        .output()
        .expect("advance");
    let out = said(&output);
    assert!(
        out.contains(
            "HOOK FAILED: pre_step https 127.0.0.1 (step 1): no answer within 1s (2 attempts)"
        ),
        "{out}"
    );
    assert_eq!(server.bodies("/hang").len(), 2, "tried twice");
    assert_eq!(alb.canary_weight().await, 0, "nothing written");
    let status = deploy_command("status", &path, endpoint(), &dir.path().join("state"))
        .output()
        .expect("status");
    assert!(
        said(&status).contains("no deployment recorded") || said(&status).contains("pending"),
        "{}",
        said(&status)
    );
}

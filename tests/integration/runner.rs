//! The runner that needs no runner, against the emulator: `schedule` creates the recurring
//! schedule, the emulator's scheduler fires it, and its function runtime runs this binary as the
//! runner function's bootstrap through the Lambda Runtime API, one tick per invocation. No `run`
//! or `advance` process exists in these tests: a deployment is promoted, or rolled back, by the
//! schedule alone, which the runner deletes at the end; a playbook in S3 changed after it was
//! scheduled is refused; and when the runner stops ticking the dead-man's switch puts the
//! traffic back.

use crate::alarm_fixture::{create_alarm, set_alarm_state};
use crate::emulator::{binary, demo_alb, endpoint, sdk_config, wait_until, DemoAlb};
use crate::emulator_control::control;
use crate::iam_policy::{held_to, recording};
use aws_sdk_cloudwatch::types::StateValue;
use std::path::{Path, PathBuf};
use std::process::Output;
use std::time::Duration;

const ROLE: &str = "arn:aws:iam::123456789012:role/canary-deploy-scheduler";
const DEAD_LETTER: &str = "arn:aws:sqs:us-east-1:123456789012:canary-deploy-dead-letter";
const SWITCH_ROLE: &str = "arn:aws:iam::123456789012:role/canary-deploy-switch";

fn function_arn(function: &str) -> String {
    format!("arn:aws:lambda:us-east-1:123456789012:function:{function}")
}

/// Registers this binary as `function`'s bootstrap in the emulator, signing its requests with
/// access key `key`, and makes a rate schedule's minute last one second.
async fn register_runner_as(function: &str, key: &str) {
    let spec = serde_json::json!({
        "function": function,
        "command": [env!("CARGO_BIN_EXE_canary-deploy")],
        "env": {
            "AWS_ENDPOINT_URL": endpoint(),
            "AWS_ACCESS_KEY_ID": key,
            "AWS_SECRET_ACCESS_KEY": "testing",
            "CANARY_DEPLOY_LEASE_SETTLE": "200ms",
        },
        "timeout": 60,
    });
    tokio::task::spawn_blocking(move || {
        control(
            "POST",
            "scheduler/minute",
            Some(serde_json::json!({"seconds": 1})),
        );
        control("POST", "lambda/runtimes", Some(spec));
    })
    .await
    .expect("register task");
}

/// The invocations of `function` so far, oldest first.
async fn invocations(function: &str) -> Vec<serde_json::Value> {
    let doc = tokio::task::spawn_blocking(|| control("GET", "lambda/invocations", None))
        .await
        .expect("fetch task");
    doc["invocations"]
        .as_array()
        .map(|all| {
            all.iter()
                .filter(|i| i["function"] == function)
                .cloned()
                .collect()
        })
        .unwrap_or_default()
}

fn schedule(playbook: &Path, function: &str, extra: &[&str]) -> Output {
    binary()
        .arg("schedule")
        .arg(playbook)
        .args(["--endpoint-url", endpoint(), "--function"])
        .arg(function_arn(function))
        .args(["--role", ROLE, "--dead-letter", DEAD_LETTER])
        .args(extra)
        .output()
        .expect("schedule")
}

async fn tick_schedule(
    name: &str,
) -> Option<aws_sdk_scheduler::operation::get_schedule::GetScheduleOutput> {
    let client = aws_sdk_scheduler::Client::new(&sdk_config().await);
    client
        .get_schedule()
        .name(format!("canary-deploy-{name}.tick"))
        .send()
        .await
        .ok()
}

/// [`wait_until`], failing with what `function`'s last ticks said.
async fn wait_for(
    function: &str,
    what: &str,
    limit: Duration,
    done: impl AsyncFnMut() -> bool,
) -> Duration {
    wait_until(what, limit, done, async || {
        let ticks = invocations(function).await;
        let shown: Vec<String> = ticks
            .iter()
            .rev()
            .take(3)
            .map(|t| format!("{} {} logs: {}", t["response"], t["error"], t["logs"]))
            .collect();
        format!("{} ticks, the last: {shown:#?}", ticks.len())
    })
    .await
}

/// A fresh ALB named `name`, its alarm `<name>-alarm` in OK, and this binary registered as
/// `function`'s bootstrap signing with `key`.
async fn fixture(name: &str, function: &str, key: &str) -> (DemoAlb, tempfile::TempDir) {
    let alb = demo_alb(name).await;
    let cw = aws_sdk_cloudwatch::Client::new(&sdk_config().await);
    let alarm = format!("{name}-alarm");
    create_alarm(&cw, &alarm).await;
    set_alarm_state(&cw, &alarm, StateValue::Ok, "healthy").await;
    register_runner_as(function, key).await;
    (alb, tempfile::tempdir().expect("temp dir"))
}

/// A playbook on `alb` judged by one alarm, three steps of `bake`, ticking every second.
fn playbook(alb: &DemoAlb, dir: &Path, name: &str, alarm: &str, rest: &str) -> PathBuf {
    alb.playbook_file(
        dir,
        name,
        &format!(
            "steps:\n  canary: [10, 50, 100]\n  bake: 2s\nanalysis:\n  interval: 1s\n  period: 1s\n  lookback: 2s\n  settle: 0s\n  ingestion_delay: 0s\n  failure_threshold: 1\n  method: threshold\nchecks:\n  - \
             alarms: [{alarm}]\n{rest}"
        ),
    )
}

fn said(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

#[tokio::test]
async fn a_scheduled_deployment_is_promoted_by_the_runner_alone() {
    let (name, function) = ("runner-promote", "runner-promote-fn");
    // The function's calls are recorded on a key of their own, to hold them to its policy.
    let key = "runnerpromotefunction";
    let (alb, dir) = fixture(name, function, key).await;
    tokio::task::spawn_blocking(move || recording("POST", key))
        .await
        .expect("record");
    // With a dead-man's switch whose gap the deployment outlasts: armed, pushed and disarmed.
    let switch = format!("switch:\n  role: {SWITCH_ROLE}\n");
    let path = playbook(&alb, dir.path(), name, "runner-promote-alarm", &switch);
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(
        &path,
        text.replace("interval: 1s", "interval: 1s\n  max_gap: 4s"),
    )
    .unwrap();

    let scheduled = schedule(&path, function, &[]);
    assert_eq!(scheduled.status.code(), Some(0), "{}", said(&scheduled));
    assert!(
        said(&scheduled)
            .contains("created schedule default/canary-deploy-runner-promote.tick: rate(1 minute)"),
        "{}",
        said(&scheduled)
    );
    let held = tick_schedule(name).await.expect("the schedule exists");
    let target = held.target().expect("a target");
    assert_eq!(target.arn(), function_arn(function));
    assert_eq!(target.role_arn(), ROLE);
    assert_eq!(
        target.dead_letter_config().and_then(|d| d.arn()),
        Some(DEAD_LETTER)
    );
    assert_eq!(
        target
            .retry_policy()
            .and_then(|r| r.maximum_event_age_in_seconds()),
        Some(60)
    );
    assert_eq!(
        held.flexible_time_window().map(|w| w.mode().as_str()),
        Some("OFF")
    );

    let status = binary()
        .args(["status"])
        .arg(&path)
        .args(["--endpoint-url", endpoint()])
        .output()
        .expect("status");
    assert!(
        said(&status).contains(
            "runner schedule: default/canary-deploy-runner-promote.tick rate(1 minute) invokes"
        ),
        "{}",
        said(&status)
    );

    wait_for(
        function,
        "promoted by the schedule",
        Duration::from_secs(60),
        async || alb.canary_weight().await == 999 && tick_schedule(name).await.is_none(),
    )
    .await;
    let ticks = invocations(function).await;
    assert!(
        ticks.len() >= 4,
        "a tick per step and one to promote: {ticks:?}"
    );
    assert!(ticks.iter().all(|t| t["ok"] == true), "{ticks:?}");
    let last = &ticks.last().expect("a tick")["response"];
    assert_eq!(last["outcome"], "promoted", "{last}");
    assert_eq!(last["exit_code"], 0);
    assert_eq!(last["schedule"], "deleted");
    // The switch disarmed and the tick schedule ended, by the same tick.
    assert!(last["aws_calls"]["DeleteSchedule"] == 2, "{last}");
    // A warm environment resolves the route once: a later quiet tick reads the record and the
    // live weights once each (and the switch's schedule), nothing else.
    let calls = |t: &serde_json::Value| t["response"]["aws_calls"].clone();
    assert!(
        calls(&ticks[0])["DescribeTargetGroups"].as_u64() >= Some(1),
        "{ticks:?}"
    );
    let quiet = ticks.iter().map(calls).find(|c| {
        c.as_object()
            .is_some_and(|c| c.values().filter_map(|n| n.as_u64()).sum::<u64>() == 3)
    });
    assert_eq!(
        quiet,
        Some(serde_json::json!({"DescribeListeners": 1, "DescribeTags": 1, "GetSchedule": 1})),
        "{ticks:#?}"
    );
    // The tick's events are the function's log, as JSON lines.
    let logs: Vec<String> = ticks
        .iter()
        .flat_map(|t| t["logs"].as_array().cloned().unwrap_or_default())
        .filter_map(|l| l.as_str().map(str::to_string))
        .collect();
    let events: Vec<serde_json::Value> = logs
        .iter()
        .filter_map(|l| serde_json::from_str(l).ok())
        .collect();
    for kind in ["started", "step_started", "weights_verified", "promoted"] {
        assert!(
            events.iter().any(|e| e["event"] == kind),
            "no {kind} event in {logs:?}"
        );
    }
    // Every tick after the first ran in the same warm process, holding the lease as
    // `advance` does: the lease's owner names the function.
    let record = binary()
        .args(["status"])
        .arg(&path)
        .args(["--endpoint-url", endpoint(), "--json"])
        .output()
        .expect("status");
    let doc: serde_json::Value = serde_json::from_slice(&record.stdout).expect("status JSON");
    assert_eq!(doc["record"]["phase"]["phase"], "promoted", "{doc}");
    assert_eq!(doc["schedule"], serde_json::Value::Null, "{doc}");

    // Every call the function made is allowed by `iam-policy --runner`, and it uses all of it.
    let printed = binary()
        .args(["iam-policy"])
        .arg(&path)
        .args(["--runner", "--resolve", "--endpoint-url", endpoint()])
        .output()
        .expect("iam-policy");
    assert!(
        said(&printed).contains("DeploymentPolicyArns"),
        "{}",
        said(&printed)
    );
    let policy: canary_deploy::iam::Policy =
        serde_json::from_slice(&printed.stdout).expect("a policy");
    let calls = tokio::task::spawn_blocking(move || recording("DELETE", key))
        .await
        .expect("recording")["requests"]
        .as_array()
        .cloned()
        .expect("requests");
    let (denied, unused) = held_to(&policy, &calls);
    assert!(denied.is_empty(), "not allowed: {denied:#?}\n{policy:#?}");
    // iam:PassRole is authorised within CreateSchedule (the switch's role in its target), not
    // a call of its own.
    assert_eq!(unused, vec!["iam:PassRole".to_string()], "never called");
    let called = |action: &str| calls.iter().any(|c| c["action"] == action);
    for action in [
        "CreateSchedule",
        "UpdateSchedule",
        "GetSchedule",
        "DeleteSchedule",
    ] {
        assert!(
            called(action),
            "the switch and the tick schedule: no {action}"
        );
    }
    assert!(
        !policy.actions().contains("sts:GetCallerIdentity"),
        "a runner has no operator"
    );
}

#[tokio::test]
async fn an_alarm_rolls_a_scheduled_deployment_back_and_ends_its_schedule() {
    let (name, function) = ("runner-rollback", "runner-rollback-fn");
    let (alb, dir) = fixture(name, function, "testing").await;
    let path = playbook(&alb, dir.path(), name, "runner-rollback-alarm", "");
    let scheduled = schedule(&path, function, &[]);
    assert_eq!(scheduled.status.code(), Some(0), "{}", said(&scheduled));
    wait_for(
        function,
        "step 1 live",
        Duration::from_secs(30),
        async || alb.canary_weight().await == 100,
    )
    .await;
    let cw = aws_sdk_cloudwatch::Client::new(&sdk_config().await);
    set_alarm_state(
        &cw,
        "runner-rollback-alarm",
        StateValue::Alarm,
        "5XX above 1%",
    )
    .await;
    wait_for(
        function,
        "rolled back by the schedule",
        Duration::from_secs(30),
        async || alb.canary_weight().await == 0 && tick_schedule(name).await.is_none(),
    )
    .await;
    let ticks = invocations(function).await;
    let last = &ticks.last().expect("a tick")["response"];
    assert_eq!(last["outcome"], "rolled_back", "{last}");
    assert_eq!(last["exit_code"], 3);
    assert_eq!(last["schedule"], "deleted");
    assert!(
        last["why"]
            .as_str()
            .is_some_and(|w| w.contains("runner-rollback-alarm")),
        "{last}"
    );
    // Nothing ticks any more.
    let count = ticks.len();
    tokio::time::sleep(Duration::from_secs(3)).await;
    assert_eq!(
        invocations(function).await.len(),
        count,
        "the schedule is gone"
    );
}

#[tokio::test]
async fn a_runner_that_stops_ticking_has_its_canary_put_back_by_the_switch() {
    let (name, function) = ("runner-switch", "runner-switch-fn");
    let (alb, dir) = fixture(name, function, "testing").await;
    let rest = format!("switch:\n  role: {SWITCH_ROLE}\n");
    let path = playbook(&alb, dir.path(), name, "runner-switch-alarm", &rest);
    // A long bake, and a 6 s gap: the switch fires only if the ticks stop.
    let text = std::fs::read_to_string(&path)
        .unwrap()
        .replace("bake: 2s", "bake: 1h")
        .replace("interval: 1s", "interval: 1s\n  max_gap: 6s");
    std::fs::write(&path, text).unwrap();
    let scheduled = schedule(&path, function, &[]);
    assert_eq!(scheduled.status.code(), Some(0), "{}", said(&scheduled));
    wait_for(
        function,
        "step 1 live",
        Duration::from_secs(30),
        async || alb.canary_weight().await == 100,
    )
    .await;
    // Ticking for longer than the gap: the ticks push the switch forward.
    tokio::time::sleep(Duration::from_secs(8)).await;
    assert_eq!(
        alb.canary_weight().await,
        100,
        "a deployment that ticks is left alone"
    );
    // Every runner gone: the schedule deleted, nothing ticks.
    let deleted = binary()
        .arg("schedule")
        .arg(&path)
        .args(["--endpoint-url", endpoint(), "--delete"])
        .output()
        .expect("schedule --delete");
    assert!(
        said(&deleted).contains("deleted schedule default/canary-deploy-runner-switch.tick"),
        "{}",
        said(&deleted)
    );
    let restored = wait_for(
        function,
        "the stable split restored",
        Duration::from_secs(20),
        async || alb.canary_weight().await == 0,
    )
    .await;
    // max_gap (6 s) plus one scheduler pass (1 s), with two for the last tick and polling.
    assert!(
        restored <= Duration::from_secs(9),
        "restored after {restored:?}"
    );
}

#[tokio::test]
async fn a_playbook_in_s3_changed_after_scheduling_is_refused() {
    let (name, function) = ("runner-s3", "runner-s3-fn");
    let alb = demo_alb(name).await;
    let dir = tempfile::tempdir().expect("temp dir");
    let path = playbook(&alb, dir.path(), name, "runner-s3-alarm", "");
    let s3 = aws_sdk_s3::Client::from_conf(
        aws_sdk_s3::config::Builder::from(&sdk_config().await)
            .force_path_style(true)
            .build(),
    );
    s3.create_bucket()
        .bucket("runner-s3-playbooks")
        .send()
        .await
        .expect("bucket");
    let uri = "s3://runner-s3-playbooks/deploy/runner-s3.yaml";
    let put = |body: Vec<u8>| {
        s3.put_object()
            .bucket("runner-s3-playbooks")
            .key("deploy/runner-s3.yaml")
            .body(body.into())
            .send()
    };

    // Not uploaded yet: refused, saying how to upload it.
    let missing = schedule(&path, function, &["--playbook-uri", uri]);
    assert_eq!(missing.status.code(), Some(1), "{}", said(&missing));
    assert!(said(&missing).contains("aws s3 cp"), "{}", said(&missing));
    assert!(tick_schedule(name).await.is_none());

    put(std::fs::read(&path).unwrap()).await.expect("upload");
    let scheduled = schedule(&path, function, &["--playbook-uri", uri]);
    assert_eq!(scheduled.status.code(), Some(0), "{}", said(&scheduled));
    let held = tick_schedule(name).await.expect("scheduled");
    let input = held
        .target()
        .and_then(|t| t.input())
        .expect("an input")
        .to_string();
    let event: serde_json::Value = serde_json::from_str(&input).expect("JSON input");
    assert_eq!(event["playbook_uri"], uri);
    assert!(event.get("playbook").is_none(), "{event}");
    // No runtime is registered for this function: the test ticks by hand, with the schedule's
    // own input, after someone edits the object.
    binary()
        .arg("schedule")
        .arg(&path)
        .args(["--endpoint-url", endpoint(), "--delete"])
        .output()
        .expect("delete");
    let edited = std::fs::read_to_string(&path)
        .unwrap()
        .replace("[10, 50, 100]", "[100]");
    put(edited.into_bytes()).await.expect("edit");
    let event_file = dir.path().join("event.json");
    std::fs::write(&event_file, &input).unwrap();
    let tick = binary()
        .arg("runner-tick")
        .arg(&event_file)
        .args(["--endpoint-url", endpoint()])
        .output()
        .expect("runner-tick");
    assert_eq!(tick.status.code(), Some(1), "{}", said(&tick));
    assert!(
        said(&tick).contains("has changed since it was scheduled"),
        "{}",
        said(&tick)
    );
    assert_eq!(alb.canary_weight().await, 0, "nothing deployed");
}

#[tokio::test]
async fn schedule_refuses_what_it_cannot_use_before_any_call() {
    let dir = tempfile::tempdir().expect("temp dir");
    let alb = DemoAlb {
        lb_arn: String::new(),
        listener_arn: "arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/x/1/2"
            .into(),
        stable_arn: "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/s/1".into(),
        canary_arn: "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/c/2".into(),
        vpc_id: String::new(),
    };
    let path = playbook(&alb, dir.path(), "offline", "a", "");
    // Port 9 (discard): any call would fail with a connection error, not these messages.
    let run = |args: &[&str]| {
        binary()
            .arg("schedule")
            .arg(&path)
            .args(["--endpoint-url", "http://127.0.0.1:9"])
            .args(args)
            .env_remove("CANARY_DEPLOY_RUNNER_FUNCTION")
            .output()
            .expect("schedule")
    };
    let none = run(&[]);
    assert_eq!(none.status.code(), Some(1));
    assert!(
        said(&none).contains("schedule needs --function <ARN> (or CANARY_DEPLOY_RUNNER_FUNCTION)"),
        "{}",
        said(&none)
    );
    let wrong = run(&[
        "--function",
        ROLE,
        "--role",
        ROLE,
        "--dead-letter",
        DEAD_LETTER,
    ]);
    assert!(said(&wrong).contains("--function `arn:aws:iam::123456789012:role/canary-deploy-scheduler` is not the ARN of a Lambda function"), "{}", said(&wrong));
    let hostile = run(&[
        "--function",
        &function_arn("f"),
        "--role",
        "role\n::error::x",
        "--dead-letter",
        DEAD_LETTER,
    ]);
    assert!(
        said(&hostile).contains("is not the ARN of an IAM role"),
        "{}",
        said(&hostile)
    );
    assert!(
        !said(&hostile).contains("\n::error::x"),
        "{}",
        said(&hostile)
    );
    let uri = run(&[
        "--function",
        &function_arn("f"),
        "--role",
        ROLE,
        "--dead-letter",
        DEAD_LETTER,
        "--playbook-uri",
        "https://bucket/key",
    ]);
    assert!(said(&uri).contains("is not an S3 URI"), "{}", said(&uri));
    for output in [none, wrong, hostile, uri] {
        assert!(
            !said(&output).contains("dispatch failure"),
            "{}",
            said(&output)
        );
    }
}

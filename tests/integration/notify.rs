//! Notifications against the emulator and a real local HTTP server: one message per state
//! change (never per tick) to an SNS topic (the emulator records what it published), a Slack
//! webhook whose URL is in an environment variable, and generic webhooks; a webhook that fails
//! or hangs is a warning and the rollout goes on; messages name the deployment, account,
//! region, weights and the commands to run, escape what came from outside, and never carry the
//! secret URL.

use crate::alarm_fixture::{create_alarm, set_alarm_state};
use crate::emulator::{demo_alb, deploy_command, endpoint, sdk_config};
use crate::emulator_control::control;
use crate::http_fixture::Hooks;
use aws_sdk_cloudwatch::types::StateValue;
use std::path::Path;
use std::process::Output;

async fn published(topic: &str) -> Vec<serde_json::Value> {
    let doc = tokio::task::spawn_blocking(|| control("GET", "sns/published", None))
        .await
        .expect("fetch");
    doc["published"]
        .as_array()
        .map(|all| {
            all.iter()
                .filter(|p| p["topic"] == topic)
                .cloned()
                .collect()
        })
        .unwrap_or_default()
}

fn said(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

/// A fresh ALB, an alarm in OK, an SNS topic and a playbook notifying all of `hooks`' paths.
async fn setup(
    name: &str,
    hooks: &Hooks,
    dir: &Path,
    bake: &str,
) -> (std::path::PathBuf, String, String) {
    let alb = demo_alb(name).await;
    let cw = aws_sdk_cloudwatch::Client::new(&sdk_config().await);
    let alarm = format!("{name}-alarm");
    create_alarm(&cw, &alarm).await;
    set_alarm_state(&cw, &alarm, StateValue::Ok, "healthy").await;
    let sns = aws_sdk_sns::Client::new(&sdk_config().await);
    let topic = sns
        .create_topic()
        .name(format!("{name}-deploys"))
        .send()
        .await
        .expect("topic")
        .topic_arn()
        .expect("an ARN")
        .to_string();
    let path = alb.playbook_file(
        dir,
        name,
        &format!(
            "steps:\n  canary: [10, 50, 100]\n  bake: {bake}\nanalysis:\n  interval: 1s\n  \
             period: 1s\n  lookback: 2s\n  settle: 0s\n  ingestion_delay: 0s\n  \
             failure_threshold: 1\n  method: threshold\nchecks:\n  - alarms: [{alarm}]\n\
             notify:\n  - sns: {topic}\n  - slack: {{ url_env: TEST_SLACK_URL }}\n  - webhook: \
             {{ url: \"{}\" }}\n  - webhook: {{ url: \"{}\" }}\n  - webhook: {{ url: \"{}\" }}\n    \
             timeout: 1s\n",
            hooks.url("/ok"),
            hooks.url("/fail"),
            hooks.url("/hang"),
        ),
    );
    (path, topic, alb.listener_arn.clone())
}

#[tokio::test]
async fn every_state_change_is_told_once_and_failing_webhooks_never_stop_the_rollout() {
    let hooks = Hooks::start();
    let dir = tempfile::tempdir().expect("temp dir");
    let (path, topic, listener) = setup("notify-run", &hooks, dir.path(), "1s").await;
    let secret = hooks.url("/ok-slack-secret-token");
    let output = deploy_command("run", &path, endpoint(), &dir.path().join("state"))
        .env("TEST_SLACK_URL", &secret)
        .output()
        .expect("run");
    let out = said(&output);
    assert_eq!(
        output.status.code(),
        Some(0),
        "promoted all the same: {out}"
    );
    assert!(out.contains("PROMOTED"), "{out}");
    // started, three steps, promoted: five changes, each told once (ticks are many more).
    let messages = published(&topic).await;
    assert_eq!(messages.len(), 5, "{messages:#?}");
    let subjects: Vec<&str> = messages
        .iter()
        .filter_map(|m| m["subject"].as_str())
        .collect();
    assert_eq!(
        subjects,
        [
            "canary-deploy notify-run: started",
            "canary-deploy notify-run: step",
            "canary-deploy notify-run: step",
            "canary-deploy notify-run: step",
            "canary-deploy notify-run: promoted"
        ]
    );
    let last = messages[4]["message"].as_str().unwrap_or_default();
    assert!(
        last.contains("account 123456789012, region us-east-1"),
        "{last}"
    );
    assert!(last.contains("weights: stable 0 / canary 999"), "{last}");
    assert!(last.contains("evidence: alarms: all OK"), "{last}");
    assert!(
        last.contains(&format!(
            "roll back: canary-deploy rollback --target {listener} --region us-east-1"
        )),
        "{last}"
    );
    // The same five to Slack and to the webhooks, including the failing and the hanging one.
    let slack = hooks.bodies("/ok-slack-secret-token");
    assert_eq!(slack.len(), 5, "{slack:?}");
    let first: serde_json::Value = serde_json::from_str(&slack[0]).expect("Slack JSON");
    assert!(first["text"]
        .as_str()
        .is_some_and(|t| t.starts_with("canary-deploy notify-run: started")));
    let hooked = hooks.bodies("/ok");
    assert_eq!(hooked.len(), 5);
    let doc: serde_json::Value = serde_json::from_str(&hooked[4]).expect("webhook JSON");
    assert_eq!(doc["state"], "promoted");
    assert_eq!(doc["deployment"], "notify-run");
    assert_eq!(doc["resource"], listener.as_str());
    assert_eq!(hooks.bodies("/fail").len(), 5);
    let paths: Vec<String> = hooks
        .seen
        .lock()
        .unwrap()
        .iter()
        .map(|(p, _)| p.clone())
        .collect();
    assert_eq!(hooks.bodies("/hang").len(), 5, "{paths:?}");
    assert_eq!(
        out.matches("notification to webhook failed: answered HTTP 500")
            .count(),
        5,
        "{out}"
    );
    assert_eq!(
        out.matches("notification to webhook failed: no answer within 1s")
            .count(),
        5,
        "{out}"
    );
    // The secret URL is nowhere: not in the log, not in the record.
    assert!(!out.contains("slack-secret-token"), "{out}");
    let state = std::fs::read_dir(dir.path().join("state")).expect("state dir");
    for file in state.flatten() {
        let text = std::fs::read_to_string(file.path()).unwrap_or_default();
        assert!(!text.contains("slack-secret-token"));
    }
}

#[tokio::test]
async fn an_operators_rollback_is_told_with_what_came_from_outside_escaped() {
    let hooks = Hooks::start();
    let dir = tempfile::tempdir().expect("temp dir");
    let (path, topic, _) = setup("notify-oncall", &hooks, dir.path(), "1h").await;
    let state = dir.path().join("state");
    // No TEST_SLACK_URL: the Slack channel fails, saying which variable is missing.
    let started = deploy_command("advance", &path, endpoint(), &state)
        .env_remove("TEST_SLACK_URL")
        .output()
        .expect("advance");
    assert_eq!(started.status.code(), Some(0), "{}", said(&started));
    assert!(
        said(&started).contains(
            "notification to slack (url_env TEST_SLACK_URL) failed: TEST_SLACK_URL is not set"
        ),
        "{}",
        said(&started)
    );
    let rolled = deploy_command("rollback", &path, endpoint(), &state)
        .env("TEST_SLACK_URL", hooks.url("/ok-slack"))
        .args([
            "--reason",
            "<!channel> bad deploy\n::error::injected & more",
        ])
        .output()
        .expect("rollback");
    assert_eq!(rolled.status.code(), Some(0), "{}", said(&rolled));
    let messages = published(&topic).await;
    let last = messages.last().expect("a message");
    assert_eq!(last["subject"], "canary-deploy notify-oncall: rolled_back");
    let text = last["message"].as_str().unwrap_or_default();
    // The reason's line break is gone before it reaches the record; no line of the message
    // can begin a workflow command.
    assert!(text.contains("bad deploy ::error::injected"), "{text}");
    assert!(!text.lines().any(|l| l.starts_with("::")), "{text}");
    let slack = hooks.bodies("/ok-slack");
    let body: serde_json::Value =
        serde_json::from_str(slack.last().expect("told Slack")).expect("JSON");
    let shown = body["text"].as_str().unwrap_or_default();
    assert!(shown.contains("&lt;!channel&gt; bad deploy"), "{shown}");
    assert!(!shown.contains("<!channel>"), "{shown}");
    assert!(shown.contains("&amp; more"), "{shown}");
}

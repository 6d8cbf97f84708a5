//! The one retry rule, end to end: `run` as the real binary against an emulator that fails
//! chosen AWS calls with AWS's own errors. Throttling of the record store (the route's tags) is
//! retried like throttling of the weights; an access denied on the weight write is never retried.

use crate::emulator::{binary, demo_alb, endpoint, DemoAlb};
use crate::emulator_control::{fault_counts, inject_fault};
use std::path::Path;
use std::process::Output;

const STEPS: &str = "steps:\n  canary: [50, 100]\n  bake: 0s\nanalysis:\n  interval: 1s\n";

/// `canary-deploy run` of a playbook on `alb`'s listener, signed with `key`, the record in the
/// listener's tags; `attempts` sets `AWS_MAX_ATTEMPTS` (the SDK's own tries per call).
fn run(alb: &DemoAlb, dir: &Path, key: &str, attempts: Option<u32>) -> Output {
    let playbook = alb.playbook_file(dir, key, STEPS);
    let mut command = binary();
    command
        .env("AWS_ACCESS_KEY_ID", key)
        .arg("run")
        .arg(&playbook)
        // A pause ends the run, so each test sees the outcome.
        .arg("--exit-on-pause")
        .args(["--endpoint-url", endpoint()]);
    if let Some(attempts) = attempts {
        command.env("AWS_MAX_ATTEMPTS", attempts.to_string());
    }
    command.output().expect("run canary-deploy")
}

fn text(output: &Output) -> String {
    format!(
        "{}\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

const TAG_CALLS: [&str; 3] = [
    "elasticloadbalancing:DescribeTags",
    "elasticloadbalancing:AddTags",
    "elasticloadbalancing:RemoveTags",
];

#[tokio::test]
async fn run_promotes_while_every_second_record_store_call_is_throttled() {
    let alb = demo_alb("retry-tags").await;
    let dir = tempfile::tempdir().expect("temporary dir");
    let key = "retry-tags-every-second";
    for action in TAG_CALLS {
        inject_fault(key, action, "Throttling", 400, 2, None);
    }
    let output = run(&alb, dir.path(), key, None);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output));
    assert!(
        text(&output).contains("outcome: promoted"),
        "{}",
        text(&output)
    );
    let (_, throttled) = fault_counts(key, TAG_CALLS[0]);
    assert!(throttled >= 2, "DescribeTags throttled {throttled} times");
    let (_, throttled) = fault_counts(key, TAG_CALLS[1]);
    assert!(throttled >= 1, "AddTags throttled {throttled} times");
}

#[tokio::test]
async fn a_tick_failed_by_a_throttled_record_store_is_retried_with_backoff() {
    let alb = demo_alb("retry-tick").await;
    let dir = tempfile::tempdir().expect("temporary dir");
    let key = "retry-tick-throttled";
    // The SDK tries each call once, so each throttled AddTags (a save: the lease's claim or a
    // tick's) fails its turn of the loop.
    inject_fault(key, TAG_CALLS[1], "Throttling", 400, 2, Some(2));
    let output = run(&alb, dir.path(), key, Some(1));
    let shown = text(&output);
    assert_eq!(output.status.code(), Some(0), "{shown}");
    assert!(shown.contains("outcome: promoted"), "{shown}");
    assert_eq!(fault_counts(key, TAG_CALLS[1]).1, 2, "{shown}");
    assert!(shown.contains("tick failed (1/5), retrying in"), "{shown}");
    assert!(
        shown.contains("throttled by aws on ALB listener"),
        "{shown}"
    );
}

#[tokio::test]
async fn access_denied_on_the_weight_write_is_tried_exactly_once() {
    let alb = demo_alb("retry-denied").await;
    let dir = tempfile::tempdir().expect("temporary dir");
    let key = "retry-denied-write";
    let action = "elasticloadbalancing:ModifyListener";
    inject_fault(key, action, "AccessDenied", 403, 1, None);
    let output = run(&alb, dir.path(), key, None);
    let shown = text(&output);
    assert_eq!(output.status.code(), Some(4), "{shown}");
    assert!(
        shown.contains("outcome: paused (could not set the canary to 50%"),
        "{shown}"
    );
    assert_eq!(fault_counts(key, action), (1, 1), "{shown}");
    assert!(
        shown.contains("aws ModifyListener failed: listener arn:"),
        "{shown}"
    );
    assert!(shown.contains("AccessDenied"), "{shown}");
    assert!(!shown.contains("retrying"), "{shown}");
}

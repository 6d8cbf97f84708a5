//! `advance` (a scheduled job's one tick, its record in the listener's tags) refusing on a
//! preflight failure: exit 1 with the failure and how to skip it, the weights read back
//! unchanged and no record in the tags; skipping that check by name lets the same call start.

use super::{alb, alb_weights, clients, REST};
use crate::emulator::{binary, endpoint};
use std::process::Output;

fn advance(playbook: &str, args: &[&str]) -> Output {
    let dir = tempfile::tempdir().expect("a directory for the playbook");
    let path = dir.path().join("playbook.yaml");
    std::fs::write(&path, playbook).expect("write the playbook");
    binary()
        .arg("advance")
        .arg(&path)
        .args(["--endpoint-url", endpoint()])
        .args(args)
        .output()
        .expect("run canary-deploy advance")
}

#[tokio::test]
async fn advance_refuses_an_unhealthy_canary_and_writes_nothing() {
    let route = alb(
        "pf-adv-sick",
        &["--canary-health", "unhealthy;Target.Timeout"],
    );
    let playbook = route.playbook("pf-adv-sick", REST);
    let clients = clients().await;
    let before = alb_weights(&clients, &route.listener_arn).await;

    let refused = advance(&playbook, &[]);
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert_eq!(refused.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains(
            "preflight failed (1 of 8 checks): not starting; nothing was written or saved\n  \
             FAIL canary-healthy-targets: canary target group pf-adv-sick-canary has 0 healthy \
             target(s)"
        ) && stderr.contains("`--skip-preflight canary-healthy-targets`"),
        "{stderr}"
    );
    assert_eq!(alb_weights(&clients, &route.listener_arn).await, before);
    let tags = clients
        .elbv2
        .describe_tags()
        .resource_arns(&route.listener_arn)
        .send()
        .await
        .expect("describe the listener's tags");
    let keys: Vec<&str> = tags
        .tag_descriptions()
        .iter()
        .flat_map(|d| d.tags())
        .filter_map(|t| t.key())
        .collect();
    assert!(keys.is_empty(), "no record in the tags: {keys:?}");

    let started = advance(&playbook, &["--skip-preflight", "canary-healthy-targets"]);
    assert_eq!(
        started.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&started.stderr)
    );
    let after = alb_weights(&clients, &route.listener_arn).await;
    assert!(
        after
            .iter()
            .any(|(arn, weight)| *arn == route.canary_arn && *weight > 0),
        "the first step gives the canary weight: {after:?}"
    );
}

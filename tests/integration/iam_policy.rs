//! `iam-policy` held to the calls actually made: every command of a deployment (`advance`,
//! `status`, `pause`, `resume`, `promote`, `rollback --target`, then `run` to promotion with an
//! alarms check) runs as the real binary with the emulator recording its requests, and every
//! recorded call must be allowed by `iam-policy --resolve`'s statements (action and resource,
//! wildcards as IAM evaluates them), and every action of the policy must have been called. It
//! runs on every backend: the ALB listener with instance targets and with Lambda targets, the
//! Lattice listener and rule (Lambda targets: preflight reads their resource policies) and the Lambda alias, once more
//! with `warm_starts` (the alias's provisioned concurrency).
//!
//! The emulator is shared by the tests running in parallel, so this test records on a channel of
//! its own: the binary signs its requests with an access key id used by nothing else (moto keeps
//! the same account for it), and the emulator records only requests signed with that key. That
//! is exact where filtering by ARN is not: GetMetricData, DescribeAlarms' names, STS and the List*
//! calls of resolution name no resource of the fixture, and would be lost or mixed up.

use crate::alarm_fixture::{create_alarm, set_alarm_state};
use crate::emulator::{binary, endpoint, sdk_config};
use crate::emulator_control::control;
use crate::route_fixture::{for_backends, Backend, RouteFixture};
use aws_sdk_cloudwatch::types::StateValue;
use canary_deploy::iam::Policy;
use std::collections::BTreeSet;
use std::path::Path;
use std::process::Output;

/// `METHOD /_canary/recording/<key>` on the emulator, with the JSON answer.
pub fn recording(method: &str, key: &str) -> serde_json::Value {
    control(method, &format!("recording/{key}"), None)
}

/// `canary-deploy <args>` against the emulator, signed with `key`, expecting exit 0.
fn canary_deploy(cwd: &Path, key: &str, args: &[&str]) -> String {
    let output: Output = binary()
        .current_dir(cwd)
        .env("AWS_ACCESS_KEY_ID", key)
        .args(args)
        .args(["--endpoint-url", endpoint()])
        .output()
        .expect("run canary-deploy");
    let stdout = String::from_utf8_lossy(&output.stdout).to_string();
    assert_eq!(
        output.status.code(),
        Some(0),
        "{args:?}\n{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    stdout
}

fn analysis_and_checks(alarm: &str) -> String {
    format!(
        "analysis:\n  interval: 1s\n  period: 1s\n  lookback: 2s\n  settle: 0s\n  ingestion_delay: 0s\n  no_data: pass\n  method: threshold\n\
         checks:\n  - error_rate: {{ max_percent: 1 }}\n  - alarms: [{alarm}]\n"
    )
}

async fn ok_alarm(name: &str) {
    let cw = aws_sdk_cloudwatch::Client::new(&sdk_config().await);
    create_alarm(&cw, name).await;
    set_alarm_state(&cw, name, StateValue::Ok, "quiet").await;
}

async fn every_call_is_allowed_and_every_action_is_used(backend: Backend) {
    let tag = format!("{backend:?}").to_lowercase();
    let route = backend.fixture(&format!("iam-{tag}")).await;
    holds_the_policy_to_the_calls(route.as_ref(), &tag, "", "").await;
}

/// With a header lane (`steps.header_lane`), `advance` creates its rule, `promote` and the
/// promotion of `run` remove it: the policy grants exactly those calls too.
async fn a_header_lane_is_made_and_removed_within_the_policy(backend: Backend) {
    let tag = format!("lane{backend:?}").to_lowercase();
    let route = backend.fixture(&format!("iam-{tag}")).await;
    let lane = "  header_lane: { header: x-lane, value: \"1\", bake: 1s }\n";
    holds_the_policy_to_the_calls(route.as_ref(), &tag, "", lane).await;
}

/// With `warm_starts`, preflight also reads the alias's provisioned concurrency: the policy
/// must grant exactly that read.
#[tokio::test]
async fn a_warm_alias_route_reads_its_provisioned_concurrency() {
    let demo = crate::emulator::demo_lambda("iam-warm").await;
    let lambda = aws_sdk_lambda::Client::new(&sdk_config().await);
    lambda
        .put_provisioned_concurrency_config()
        .function_name(&demo.function_name)
        .qualifier(&demo.alias)
        .provisioned_concurrent_executions(1)
        .send()
        .await
        .expect("put provisioned concurrency");
    let warm = "preflight:\n  warm_starts: true\n";
    holds_the_policy_to_the_calls(&demo, "warmalias", warm, "").await;
}

/// Runs every command on `route` with `extra` in its playbooks (and `lane` in their `steps:`),
/// recording the calls, and holds `iam-policy --resolve` to them both ways.
async fn holds_the_policy_to_the_calls(
    route: &dyn RouteFixture,
    tag: &str,
    extra: &str,
    lane: &str,
) {
    let alarm = format!("iam-policy-{tag}");
    ok_alarm(&alarm).await;
    let dir = tempfile::tempdir().expect("temp dir");
    let cwd = dir.path();
    let checks = format!("{}{extra}", analysis_and_checks(&alarm));
    let oncall = cwd.join("oncall.yaml");
    let steps = format!("steps:\n{lane}  canary: [10, 50, 100]\n  bake: 1h\n");
    std::fs::write(
        &oncall,
        route.playbook("iam-oncall", &format!("{steps}{checks}")),
    )
    .expect("write");
    let run = cwd.join("run.yaml");
    let steps = format!("steps:\n{lane}  canary: [50, 100]\n  bake: 0s\n");
    std::fs::write(&run, route.playbook("iam-run", &format!("{steps}{checks}"))).expect("write");
    let (oncall, run) = (oncall.to_string_lossy(), run.to_string_lossy());

    let policy_of = |playbook: &str| -> Policy {
        let json = canary_deploy(cwd, "testing", &["iam-policy", playbook, "--resolve"]);
        serde_json::from_str(&json).expect("iam-policy prints a policy")
    };
    // One route, one set of checks: one policy, but for each deployment's own tick schedule
    // (which `status` reads); the calls are held to both together.
    let per_deployment = |mut p: Policy| {
        p.statements.retain(|s| s.sid != "ReadTickSchedule");
        p
    };
    let mut policy = policy_of(&oncall);
    let of_run = policy_of(&run);
    assert_eq!(
        per_deployment(policy.clone()),
        per_deployment(of_run.clone()),
        "one route, one set of checks: one policy"
    );
    policy.statements.extend(
        of_run
            .statements
            .into_iter()
            .filter(|s| s.sid == "ReadTickSchedule"),
    );

    let key = format!("iampolicy{tag}");
    recording("POST", &key);
    let arn = route.resource_arn();
    canary_deploy(cwd, &key, &["advance", &oncall]);
    canary_deploy(cwd, &key, &["status", &oncall]);
    canary_deploy(cwd, &key, &["status", "--target", &arn]);
    // Long reasons make the on-call record span more tags than the next deployment's fresh
    // one, so that save removes tags too (UntagResource, RemoveTags).
    let reason = "iam ".repeat(60);
    for command in ["pause", "resume", "promote", "rollback"] {
        canary_deploy(cwd, &key, &[command, "--target", &arn, "--reason", &reason]);
    }
    let out = canary_deploy(cwd, &key, &["run", &run]);
    assert!(out.contains("promoted"), "{out}");
    let calls = recording("DELETE", &key)["requests"]
        .as_array()
        .expect("a list of requests")
        .clone();

    let (denied, unused) = held_to(&policy, &calls);
    assert!(
        denied.is_empty(),
        "not allowed by the policy: {denied:#?}\n{policy:#?}"
    );
    assert!(unused.is_empty(), "never called: {unused:?}");
}

/// The recorded `calls` that `policy` does not allow ("action on resource"), and the actions
/// of `policy` no call made.
pub fn held_to(policy: &Policy, calls: &[serde_json::Value]) -> (Vec<String>, Vec<String>) {
    let mut used = BTreeSet::new();
    let mut denied = Vec::new();
    for call in calls {
        let action = format!(
            "{}:{}",
            call["service"].as_str().unwrap_or("?"),
            call["action"].as_str().unwrap_or("?")
        );
        let named: Vec<String> = call["resources"]
            .as_array()
            .map(|r| {
                r.iter()
                    .filter_map(|v| v.as_str().map(String::from))
                    .collect()
            })
            .unwrap_or_default();
        let resources = if named.is_empty() {
            vec!["*".to_string()]
        } else {
            named
        };
        for resource in resources {
            if !policy.allows(&action, &resource) {
                denied.push(format!("{action} on {resource}"));
            }
        }
        used.insert(action);
    }
    let unused = policy.actions().difference(&used).cloned().collect();
    (denied, unused)
}

for_backends!(alb => Alb, alb_lambda => AlbLambda, lattice => Lattice,
    lattice_rule => LatticeRule, lambda_alias => LambdaAlias;
    [every_call_is_allowed_and_every_action_is_used]);

for_backends!(lane_alb_rule => AlbRule, lane_lattice => Lattice;
    [a_header_lane_is_made_and_removed_within_the_policy]);

//! `backtest` over the emulator's CloudWatch history, published by the simulator: on a steady
//! stable the evidence judge rolls back none of the deployments the history holds; an incident in
//! the history pauses the evidence judge's deployments that meet it (a shared failure) where the
//! threshold judge rolls them back.

use crate::history_fixture::{publish_stable, STABLE};
use crate::preflight::{alb, command};
use canary_deploy::simulator::TargetProfile;

const REST: &str = "steps:\n  canary: [10, 50]\n  bake: 5m\nanalysis:\n  interval: 60s\n  period: 60s\n  settle: 30s\n  ingestion_delay: 60s\n  baseline: 30m\nchecks:\n  - error_rate: { max_percent: 3 }\n  - error_rate_vs_stable: { max_delta_percent: 1 }\n  - latency_vs_stable: { percentile: p99, max_ratio: 1.2 }\n";

fn backtest(route: &crate::emulator::DemoAlb, name: &str) -> serde_json::Value {
    let ran = command(
        "backtest",
        &route.playbook(name, REST),
        &["--since", "3h", "--every", "10m", "--output", "json"],
    );
    assert_eq!(ran.code(), Some(0), "{}\n{}", ran.stdout(), ran.stderr());
    serde_json::from_str(ran.stdout().trim()).expect("one JSON object")
}

fn judge<'a>(doc: &'a serde_json::Value, method: &str) -> &'a serde_json::Value {
    doc["judges"]
        .as_array()
        .and_then(|judges| judges.iter().find(|j| j["method"] == method))
        .unwrap_or_else(|| panic!("no {method} judge in {doc}"))
}

#[tokio::test]
async fn a_steady_stable_is_never_rolled_back_by_the_evidence_judge() {
    let route = alb("bt-steady", &[]);
    publish_stable(&route, 4 * 60, 3_000, |_| STABLE).await;
    let doc = backtest(&route, "bt-steady");
    let evidence = judge(&doc, "evidence");
    assert_eq!(evidence["as_written"], true, "{doc}");
    let deployments = evidence["deployments"].as_u64().expect("a count");
    assert!(deployments >= 10, "{doc}");
    assert_eq!(evidence["rolled_back"], 0, "{doc}");
    assert_eq!(evidence["promoted"].as_u64(), Some(deployments), "{doc}");
    assert_eq!(
        doc["history"]["requests_per_second"]
            .as_f64()
            .map(f64::round),
        Some(50.0)
    );
    // The comparison's threshold is fixed at the stable's p99, and the note says so.
    let notes = doc["notes"].to_string();
    assert!(notes.contains("slower than 300 ms"), "{notes}");
    // The same as a table for people.
    let ran = command(
        "backtest",
        &route.playbook("bt-steady", REST),
        &["--since", "3h", "--every", "10m"],
    );
    let out = ran.stdout();
    assert!(out.contains("every rollback is a false one"), "{out}");
    assert!(
        out.lines().any(|l| l.starts_with(&format!(
            "| evidence (as written) | {deployments} | 100.0% | 0.0% |"
        ))),
        "{out}"
    );
}

#[tokio::test]
async fn an_incident_in_the_history_pauses_the_evidence_judge_and_rolls_back_the_threshold_judge() {
    let route = alb("bt-incident", &[]);
    // From 100 to 80 minutes ago the stable failed one request in ten.
    publish_stable(&route, 4 * 60, 3_000, |m| {
        if (80..100).contains(&m) {
            TargetProfile {
                error_rate: 0.10,
                ..STABLE
            }
        } else {
            STABLE
        }
    })
    .await;
    let doc = backtest(&route, "bt-incident");
    let evidence = judge(&doc, "evidence");
    let threshold = judge(&doc, "threshold");
    assert!(evidence["paused"].as_u64() >= Some(1), "{doc}");
    assert_eq!(evidence["rolled_back"], 0, "{doc}");
    let stopped = evidence["stopped"].to_string();
    assert!(stopped.contains("shared failure"), "{stopped}");
    assert!(threshold["rolled_back"].as_u64() >= Some(1), "{doc}");
}

#[test]
fn history_older_than_cloudwatch_keeps_is_refused_before_any_call() {
    let route = alb("bt-long", &[]);
    let ran = command(
        "backtest",
        &route.playbook("bt-long", REST),
        &["--since", "30d"],
    );
    assert_eq!(ran.code(), Some(1), "{}", ran.stdout());
    let err = ran.stderr();
    assert!(err.contains("CloudWatch keeps 60s data (15days)"), "{err}");
}

//! A deployment's end is not a dead end: a scheduled `advance` on an ended deployment reports it
//! once more and exits 0 (not a failed job on every tick), `restart` deploys the same revision
//! again recording who and why, and the next `advance` starts it. The records live in the
//! route's tags, as for a scheduled workflow.

use crate::emulator::canary_deploy_in;
use crate::route_fixture::Backend;
use canary_deploy::core::{EventKind, Phase, Record};
use std::path::Path;
use std::process::Output;

const STEPS: &str = "steps:\n  canary: [10, 50, 100]\n  bake: 1h\nanalysis:\n  interval: 1s\n";

fn text(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

fn record(cwd: &Path, playbook: &str) -> Record {
    let out = canary_deploy_in(cwd, &["status", playbook, "--json"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("status --json");
    serde_json::from_value(json["record"].clone()).expect("a record in the tags")
}

#[tokio::test]
async fn an_ended_deployment_is_reported_then_restarted_and_started_again() {
    let route = Backend::Alb.fixture("restart-journey").await;
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("p.yaml");
    std::fs::write(&path, route.playbook("restart-journey", STEPS)).expect("write playbook");
    let playbook = path.to_string_lossy().to_string();
    let run = |args: &[&str]| canary_deploy_in(dir.path(), args);

    // Nothing ended yet: restart refuses and changes nothing.
    let early = run(&["restart", &playbook]);
    assert_eq!(early.status.code(), Some(1), "{}", text(&early));
    assert!(
        text(&early).contains("nothing to restart"),
        "{}",
        text(&early)
    );

    assert_eq!(run(&["advance", &playbook]).status.code(), Some(0));
    let busy = run(&["restart", &playbook]);
    assert_eq!(busy.status.code(), Some(1), "{}", text(&busy));
    assert!(
        text(&busy).contains("is stepping, not ended"),
        "{}",
        text(&busy)
    );

    let rollback = run(&["rollback", &playbook, "--reason", "bad deploy"]);
    assert_eq!(rollback.status.code(), Some(0), "{}", text(&rollback));

    // The scheduled tick after the rollback: reported, exit 0, nothing written.
    let tick = run(&["advance", &playbook]);
    let said = text(&tick);
    assert_eq!(tick.status.code(), Some(0), "{said}");
    assert!(
        said.contains(
            "nothing to do: the deployment of `restart-journey` rolled back (operator: bad deploy"
        ),
        "{said}"
    );
    assert!(said.contains("canary-deploy restart"), "{said}");
    assert!(matches!(
        record(dir.path(), &playbook).phase,
        Phase::RolledBack { .. }
    ));
    // `plan` and `status` say the same, from the record.
    for command in ["plan", "status"] {
        let shown = text(&run(&[command, &playbook]));
        assert!(
            shown.contains("run or advance would: nothing: this revision was rolled back at"),
            "{command}: {shown}"
        );
    }
    // `status --watch` on an ended deployment shows it once and exits.
    let watched = run(&["status", &playbook, "--watch", "--every", "1s"]);
    assert_eq!(watched.status.code(), Some(0), "{}", text(&watched));
    assert_eq!(
        text(&watched).matches("── ").count(),
        1,
        "{}",
        text(&watched)
    );
    assert!(text(&watched).contains("rolled back"), "{}", text(&watched));

    let restarted = run(&["restart", &playbook, "--reason", "fixed the config"]);
    assert_eq!(restarted.status.code(), Some(0), "{}", text(&restarted));
    assert!(
        text(&restarted).contains("is pending again"),
        "{}",
        text(&restarted)
    );
    let pending = record(dir.path(), &playbook);
    assert_eq!(pending.phase, Phase::Pending);
    let Some(EventKind::Restarted {
        previous,
        reason,
        by,
    }) = pending.history.front().map(|e| &e.kind)
    else {
        panic!("{:?}", pending.history)
    };
    assert!(previous.starts_with("was rolled back at"), "{previous}");
    assert_eq!(reason, "fixed the config");
    assert!(
        by.as_deref().is_some_and(|by| by.starts_with("arn:aws:")),
        "{by:?}"
    );

    // The next tick starts the same revision again at step 1.
    let again = run(&["advance", &playbook]);
    assert_eq!(again.status.code(), Some(0), "{}", text(&again));
    assert!(matches!(
        record(dir.path(), &playbook).phase,
        Phase::Stepping { index: 0, .. }
    ));
}

#[tokio::test]
async fn plan_accepts_start_from_in_either_spelling() {
    let route = Backend::Alb.fixture("restart-plan").await;
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("p.yaml");
    let yaml = route.playbook("restart-plan", &format!("start_from: first-step\n{STEPS}"));
    std::fs::write(&path, yaml).expect("write playbook");
    let playbook = path.to_string_lossy().to_string();
    for spelling in ["first-step", "first_step", "live"] {
        let out = canary_deploy_in(dir.path(), &["plan", &playbook, "--start-from", spelling]);
        assert_eq!(out.status.code(), Some(0), "{spelling}: {}", text(&out));
    }
}

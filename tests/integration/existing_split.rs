//! Starting on a route whose canary already has traffic (AWS's Lattice sample deploys 60/40):
//! `run` refuses and names the live split and both ways on, touching nothing; with
//! `--start-from live` it continues at the first step at or above the live weight; with
//! `start_from: first_step` it resets to the first step. The same rule for every backend.

use crate::emulator::{deploy_command, endpoint, sdk_config};
use crate::route_fixture::{for_backends, Backend, RouteFixture};
use canary_deploy::aws::Clients;
use canary_deploy::core::{EventKind, Record, Share, Split};
use canary_deploy::traffic::RouteRouter;
use canary_deploy::traffic::Router;
use std::path::Path;

const STEPS: &str = "steps:\n  canary: [10, 50, 100]\n  bake: 0s\nanalysis:\n  interval: 1s\n";
const LIVE: Split = Split::new(600, 400);

/// The fixture's router, with the canary set to 40 % by hand.
async fn route_at_60_40(fixture: &dyn RouteFixture, name: &str) -> RouteRouter {
    let yaml = fixture.playbook(name, STEPS);
    let plan = canary_deploy::playbook::parse(&yaml, "p.yaml")
        .expect("valid playbook")
        .plan;
    let clients = Clients::new(&sdk_config().await);
    let router = canary_deploy::traffic::RouteRouter::resolve(&plan.route, &clients)
        .await
        .expect("the fixture resolves");
    router.write(None, LIVE).await.expect("set 60/40 by hand");
    router
}

fn record(state: &Path, name: &str) -> Record {
    let text = std::fs::read_to_string(state.join(format!("{name}.json"))).expect("a record");
    serde_json::from_str(&text).expect("a record in JSON")
}

fn first_step(record: &Record) -> Option<usize> {
    record.history.iter().find_map(|e| match e.kind {
        EventKind::StepStarted { index, .. } => Some(index),
        _ => None,
    })
}

async fn refused_then_continued_from_live(backend: Backend) {
    let name = "split-live";
    let fixture = backend.fixture(name).await;
    let fixture = fixture.as_ref();
    let router = route_at_60_40(fixture, name).await;
    let dir = tempfile::tempdir().expect("temp dir");
    let playbook = dir.path().join("p.yaml");
    std::fs::write(&playbook, fixture.playbook(name, STEPS)).expect("write playbook");
    let state = dir.path().join("state");

    let status = deploy_command("status", &playbook, endpoint(), &state)
        .output()
        .expect("status");
    let status = String::from_utf8_lossy(&status.stdout);
    assert!(
        status.contains(
            "run or advance would: refuses to start: the canary already receives 40% of traffic"
        ),
        "{status}"
    );

    let refused = deploy_command("run", &playbook, endpoint(), &state)
        .output()
        .expect("run");
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert_eq!(refused.status.code(), Some(1), "{stderr}");
    for says in [
        "the canary already receives 40% of traffic (stable 600 / canary 400 (40% canary))",
        "`--start-from live` moves the canary up to step 2 (50%), skipping 10%",
        "`--start-from first-step` moves the canary down to step 1 (10%)",
    ] {
        assert!(stderr.contains(says), "missing `{says}` in:\n{stderr}");
    }
    assert!(
        !state.join(format!("{name}.json")).exists(),
        "a refusal saves nothing"
    );
    assert_eq!(router.read().await.expect("read"), LIVE, "nothing written");

    let continued = deploy_command("run", &playbook, endpoint(), &state)
        .args(["--start-from", "live"])
        .output()
        .expect("run");
    assert_eq!(
        continued.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&continued.stderr)
    );
    let record = record(&state, name);
    assert_eq!(
        first_step(&record),
        Some(1),
        "continued at 50%, skipping 10%"
    );
    assert!(record
        .history
        .iter()
        .any(|e| matches!(e.kind, EventKind::ExistingSplit { live: LIVE, .. })));
}

async fn first_step_resets_down(backend: Backend) {
    let name = "split-reset";
    let fixture = backend.fixture(name).await;
    let fixture = fixture.as_ref();
    let router = route_at_60_40(fixture, name).await;
    let dir = tempfile::tempdir().expect("temp dir");
    let playbook = dir.path().join("p.yaml");
    let yaml = fixture.playbook(name, &format!("start_from: first_step\n{STEPS}"));
    std::fs::write(&playbook, yaml).expect("write playbook");
    let state = dir.path().join("state");
    let output = deploy_command("run", &playbook, endpoint(), &state)
        .output()
        .expect("run");
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let record = record(&state, name);
    assert_eq!(first_step(&record), Some(0));
    let first_write = record.history.iter().find_map(|e| match e.kind {
        EventKind::WeightsVerified { split } => Some(split),
        _ => None,
    });
    assert_eq!(
        first_write,
        Some(Split::new(900, 100)),
        "down from 40% to the first step"
    );
    assert_eq!(
        router.read().await.expect("read"),
        router.split_for(Share::CANARY_ONLY),
        "promoted"
    );
}

for_backends!(alb => Alb, lattice => Lattice, lattice_rule => LatticeRule, lambda_alias => LambdaAlias; [
    refused_then_continued_from_live,
    first_step_resets_down,
]);

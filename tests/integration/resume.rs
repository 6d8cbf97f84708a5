//! The real binary, killed with SIGKILL in the middle of a step and started again, continues at
//! the same step with the same bake timer; `status` and `rollback` work on what it left.

use crate::emulator::{deploy_command, endpoint};
use crate::route_fixture::{for_backends, Backend};
use canary_deploy::core::{EventKind, Phase, Record};
use std::path::Path;
use std::process::{Child, Command, Output};
use std::time::{Duration, Instant};

fn canary_deploy(args: &[&str], playbook: &Path, state: &Path) -> Command {
    let mut command = deploy_command(args[0], playbook, endpoint(), state);
    command.args(&args[1..]);
    command
}

fn record(state: &Path) -> Option<Record> {
    let bytes = std::fs::read(state.join("resume.json")).ok()?;
    serde_json::from_slice(&bytes).ok()
}

fn wait_for(child: &mut Child, state: &Path, what: impl Fn(&Record) -> bool) -> Record {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        if let Some(record) = record(state).filter(|r| what(r)) {
            return record;
        }
        if let Ok(Some(status)) = child.try_wait() {
            panic!("run exited early with {status}");
        }
        assert!(
            Instant::now() < deadline,
            "timed out; record: {:?}",
            record(state)
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn finish(child: Child) -> Output {
    child.wait_with_output().expect("run finishes")
}

async fn a_killed_run_resumes_at_the_same_step_with_the_same_bake_timer(backend: Backend) {
    let route = backend.fixture("resume").await;
    // All traffic on one side: ALB and Lattice weights top out at 999, a Lambda alias's at 1000.
    let full = match backend {
        Backend::LambdaAlias => 1000,
        _ => 999,
    };
    let dir = tempfile::tempdir().expect("temp dir");
    let playbook = dir.path().join("resume.yaml");
    let yaml = route.playbook(
        "resume",
        "steps:\n  canary: [10, 50, 100]\n  bake: 8s\nanalysis:\n  interval: 1s\n  period: 10s\n  lookback: 10s\n",
    );
    std::fs::write(&playbook, yaml).expect("write the playbook");
    let state = dir.path().join("state");

    let mut first = canary_deploy(&["run"], &playbook, &state)
        .spawn()
        .expect("spawn run");
    let at_step_two = wait_for(&mut first, &state, |r| {
        matches!(r.phase, Phase::Stepping { index: 1, .. }) && r.in_flight.is_none()
    });
    first.kill().expect("SIGKILL the first run");
    let _ = first.wait();
    let Phase::Stepping { since, .. } = at_step_two.phase else {
        unreachable!()
    };

    // Stay down for most of the bake: a reset timer would make the third step start a full bake
    // after the restart, a kept one right away.
    std::thread::sleep(Duration::from_secs(6));
    let restarted_at =
        canary_deploy::orchestrator::Clock::now(&canary_deploy::orchestrator::SystemClock);
    let second = canary_deploy(&["run"], &playbook, &state)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("spawn run again");
    let output = finish(second);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(String::from_utf8_lossy(&output.stdout).contains("outcome: promoted"));

    let done = record(&state).expect("record after promotion");
    assert!(matches!(done.phase, Phase::Promoted { .. }));
    let starts: Vec<_> = done
        .history
        .iter()
        .filter_map(|e| match e.kind {
            EventKind::StepStarted { index, .. } => Some((index, e.at)),
            _ => None,
        })
        .collect();
    assert_eq!(
        starts.iter().map(|s| s.0).collect::<Vec<_>>(),
        vec![0, 1, 2],
        "no step repeated or skipped"
    );
    assert_eq!(starts[1].1, since, "the second step kept its start time");
    let third = starts[2].1;
    assert!(
        third.since(since) >= Duration::from_secs(8),
        "the bake was cut short"
    );
    assert!(
        third.since(restarted_at) < Duration::from_secs(5),
        "the bake timer restarted with the runner"
    );

    // status shows it; the on-call rollback puts everything back on stable.
    let status = canary_deploy(&["status", "--json"], &playbook, &state)
        .output()
        .expect("status");
    assert_eq!(status.status.code(), Some(0));
    let status: serde_json::Value = serde_json::from_slice(&status.stdout).expect("status --json");
    assert_eq!(status["record"]["phase"]["phase"], "promoted");
    assert_eq!(
        status["live"],
        serde_json::json!({"stable": 0, "canary": full, "canary_percent": 100.0})
    );
    let rollback = canary_deploy(
        &["rollback", "--reason", "test: back to stable"],
        &playbook,
        &state,
    )
    .output()
    .expect("rollback");
    assert_eq!(
        rollback.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&rollback.stderr)
    );
    let after = record(&state).expect("record after rollback");
    assert_eq!(
        after.written,
        Some(canary_deploy::core::Split::new(full, 0))
    );
    assert!(
        matches!(after.phase, Phase::RolledBack { ref why, .. } if why.contains("test: back to stable"))
    );
    let human = canary_deploy(&["status"], &playbook, &state)
        .output()
        .expect("status");
    let human = String::from_utf8_lossy(&human.stdout);
    assert!(
        human.contains(&format!(
            "live weights: stable {full} / canary 0 (0% canary)"
        )),
        "{human}"
    );
    assert!(
        human.contains("why: operator: test: back to stable"),
        "{human}"
    );
    assert!(!human.contains("DRIFT"), "{human}");
}

for_backends!(alb => Alb, lattice => Lattice, lambda_alias => LambdaAlias; [
    a_killed_run_resumes_at_the_same_step_with_the_same_bake_timer,
]);

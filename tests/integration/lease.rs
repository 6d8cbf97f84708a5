//! The lease, with the real binary and the record in the routed listener's tags: several
//! `advance` processes started at once on one deployment (exactly one acts per round, the others
//! exit 5 naming the holder, the record always decodes), a held lease turning `run` and `advance`
//! away, and the operator's rollback and another runner's claim stopping a `run` at its next tick.

use crate::emulator::{binary, demo_alb, endpoint, sdk_config, DemoAlb};
use crate::route_fixture::{for_backends, Backend};
use canary_deploy::aws::Clients;
use canary_deploy::core::record::Lease;
use canary_deploy::core::{EventKind, Phase, Record, Split, Timestamp};
use canary_deploy::session::Session;
use canary_deploy::store::{Store, TagStore};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};
use tempfile::TempDir;

const SETTLE_VAR: &str = "CANARY_DEPLOY_LEASE_SETTLE";
const BUSY: i32 = 5;

/// `canary-deploy <command> <playbook>` on the emulator, the record in tags (no --state-dir).
fn command(name: &str, playbook: &Path, settle: &str) -> Command {
    let mut command = binary();
    command
        .arg(name)
        .arg(playbook)
        .args(["--endpoint-url", endpoint()])
        .env(SETTLE_VAR, settle)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    command
}

fn text(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

async fn tags(alb: &DemoAlb) -> TagStore {
    let clients = Clients::new(&sdk_config().await);
    TagStore::alb(clients.elbv2.clone(), alb.listener_arn.clone())
}

async fn stored(store: &TagStore, name: &str) -> Record {
    store
        .load(name)
        .await
        .expect("the record in the tags decodes")
        .expect("a record in the tags")
}

/// Events that only a runner acting on the deployment records.
fn acts(record: &Record) -> usize {
    record
        .history
        .iter()
        .filter(|e| {
            matches!(
                e.kind,
                EventKind::Started { .. } | EventKind::StepStarted { .. } | EventKind::Promoted
            )
        })
        .count()
}

fn wall_now() -> Timestamp {
    let millis = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("clock")
        .as_millis();
    Timestamp(millis as i64)
}

/// Four processes per round on one deployment; run on the ALB listener and on the Lambda alias,
/// whose record shares its function's tags and whose promoted alias needs the record to know
/// its stable version.
async fn several_advance_processes_at_once_one_acts_per_round(backend: Backend) {
    let route = backend.fixture("lease-crowd").await;
    let dir = tempfile::tempdir().expect("temp dir");
    let steps = "steps:\n  canary: [10, 50, 100]\n  bake: 0s\n";
    let playbook = dir.path().join("crowd.yaml");
    std::fs::write(&playbook, route.playbook("crowd", steps)).expect("write the playbook");
    let clients = Clients::new(&sdk_config().await);
    let store = Session::new(clients, None)
        .target(&route.resource_arn())
        .await
        .expect("the route's tag store")
        .store;
    // All on the canary: ALB weights top out at 999, a Lambda alias's at 1000.
    let full = match backend {
        Backend::LambdaAlias => 1000,
        _ => 999,
    };
    let expected_live = [100, 500, full, full];
    let mut before: Option<Record> = None;
    for (round, canary) in expected_live.into_iter().enumerate() {
        let children: Vec<Child> = (0..4)
            .map(|_| command("advance", &playbook, "1s").spawn().expect("spawn"))
            .collect();
        let pids: Vec<u32> = children.iter().map(Child::id).collect();
        let outputs: Vec<Output> = children
            .into_iter()
            .map(|child| child.wait_with_output().expect("advance ends"))
            .collect();
        let codes: Vec<Option<i32>> = outputs.iter().map(|o| o.status.code()).collect();
        let all: Vec<String> = outputs.iter().map(text).collect();
        assert_eq!(
            codes.iter().filter(|c| **c == Some(0)).count(),
            1,
            "round {round}: {codes:?}\n{all:#?}"
        );
        assert_eq!(
            codes.iter().filter(|c| **c == Some(BUSY)).count(),
            3,
            "round {round}: {codes:?}\n{all:#?}"
        );
        for (output, code) in all.iter().zip(&codes) {
            if *code != Some(BUSY) {
                continue;
            }
            assert!(
                output.contains("another runner holds the deployment: advance on ")
                    && output.contains("not a failure of the deployment"),
                "{output}"
            );
            assert!(
                pids.iter()
                    .any(|pid| output.contains(&format!(" pid {pid} until "))),
                "names one of this round's processes {pids:?}: {output}"
            );
        }
        let record = stored(&store, "crowd").await;
        let acted = acts(&record) - before.as_ref().map_or(0, acts);
        let expected_acts = if round == 0 { 2 } else { 1 }; // started + the first step
        assert_eq!(acted, expected_acts, "round {round}: {:?}", record.history);
        assert_eq!(record.lease, None, "released");
        assert_eq!(record.in_flight, None);
        assert_eq!(record.written.map(|s| s.canary), Some(canary));
        before = Some(record);
    }
    let record = before.expect("four rounds");
    assert!(matches!(record.phase, Phase::Promoted { .. }), "{record:?}");

    // Once promoted there is nothing to do: every process reports it, none takes the lease.
    let children: Vec<Child> = (0..4)
        .map(|_| command("advance", &playbook, "1s").spawn().expect("spawn"))
        .collect();
    for child in children {
        let output = child.wait_with_output().expect("advance ends");
        assert_eq!(output.status.code(), Some(0), "{}", text(&output));
    }
    assert_eq!(stored(&store, "crowd").await.revision, record.revision);
}

/// A deployment `name` on a fresh ALB, `advance`d once (the canary at 10 %, its record in the
/// listener's tags), whose record is then given `lease` by hand. Returns the temporary dir
/// holding the playbook, the playbook, the store and the record as saved.
async fn advanced_then_leased(name: &str, lease: Lease) -> (TempDir, PathBuf, TagStore, Record) {
    let alb = demo_alb(&format!("lease-{name}")).await;
    let dir = tempfile::tempdir().expect("temp dir");
    let steps = "steps:\n  canary: [10, 100]\n  bake: 0s\nanalysis:\n  interval: 1s\n";
    let playbook = alb.playbook_file(dir.path(), name, steps);
    let store = tags(&alb).await;
    let first = command("advance", &playbook, "200ms")
        .output()
        .expect("advance");
    assert_eq!(first.status.code(), Some(0), "{}", text(&first));
    let mut record = stored(&store, name).await;
    record.lease = Some(lease);
    store.save(&mut record).await.expect("save");
    (dir, playbook, store, record)
}

#[tokio::test]
async fn a_held_lease_turns_run_and_advance_away_until_it_expires() {
    let theirs = Lease {
        owner: "advance on elsewhere pid 7 (github run 99/2)".into(),
        token: "theirs".into(),
        until: wall_now().plus(Duration::from_secs(600)),
    };
    let (_dir, playbook, store, mut record) = advanced_then_leased("held", theirs).await;
    for name in ["advance", "run"] {
        let output = command(name, &playbook, "200ms").output().expect(name);
        let said = text(&output);
        assert_eq!(output.status.code(), Some(BUSY), "{name}: {said}");
        assert!(
            said.contains(
                "another runner holds the deployment: advance on elsewhere pid 7 (github run \
                 99/2) until 20"
            ),
            "{name}: {said}"
        );
        assert_eq!(
            stored(&store, "held").await,
            record,
            "{name} changed nothing"
        );
    }

    // An expired lease is anyone's.
    record.lease.as_mut().expect("lease").until = wall_now().minus(Duration::from_secs(1));
    store.save(&mut record).await.expect("save");
    let output = command("advance", &playbook, "200ms")
        .output()
        .expect("advance");
    assert_eq!(output.status.code(), Some(0), "{}", text(&output));
    let after = stored(&store, "held").await;
    assert_eq!(after.lease, None);
    assert_eq!(after.written.map(|s| s.canary), Some(999), "the next step");
}

#[tokio::test]
async fn a_lease_no_runner_would_take_is_ignored_and_said() {
    // Someone who may edit the tags writes a lease until 2100.
    let forged = Lease {
        owner: "nobody\n::error::forged".into(),
        token: "theirs".into(),
        until: Timestamp::from_secs(4_102_444_800),
    };
    let (_dir, playbook, store, _) = advanced_then_leased("forged", forged).await;
    let output = command("advance", &playbook, "200ms")
        .output()
        .expect("advance");
    let said = text(&output);
    assert_eq!(output.status.code(), Some(0), "{said}");
    assert!(
        said.contains(
            "ignoring the lease of nobody ::error::forged until 2100-01-01T00:00:00Z: it runs \
             longer than any runner takes (5m)"
        ),
        "{said}"
    );
    assert!(!said.contains("nobody\n"), "{said}");
    let after = stored(&store, "forged").await;
    assert_eq!(after.lease, None, "the runner released the lease it took");
    assert_eq!(after.written.map(|s| s.canary), Some(999), "the next step");
}

/// A `run` on a long bake, its record in the tags, once it holds the lease at the first step.
async fn running(alb: &DemoAlb, dir: &Path, name: &str) -> (Child, TagStore) {
    let steps = "steps:\n  canary: [10, 50, 100]\n  bake: 1h\nanalysis:\n  interval: 1s\n";
    let playbook = alb.playbook_file(dir, name, steps);
    let mut child = command("run", &playbook, "200ms").spawn().expect("run");
    let store = tags(alb).await;
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let record = store.load(name).await;
        let Ok(record) = record else {
            let _ = child.kill();
            let _ = child.wait();
            panic!("the record does not decode: {record:?}");
        };
        let leased = record.as_ref().is_some_and(|r| {
            matches!(r.phase, Phase::Stepping { index: 0, .. })
                && r.in_flight.is_none()
                && r.lease
                    .as_ref()
                    .is_some_and(|l| l.owner.starts_with("run on "))
        });
        if leased {
            return (child, store);
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let output = child.wait_with_output().expect("output");
            panic!("run never held the lease: {record:?}\n{}", text(&output));
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Waits for `child` to exit by itself, at most `limit`.
fn exits_within(mut child: Child, limit: Duration) -> Output {
    let deadline = Instant::now() + limit;
    while child.try_wait().expect("try_wait").is_none() {
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!(
                "did not stop within {limit:?}: {}",
                text(&child.wait_with_output().expect("output"))
            );
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    child.wait_with_output().expect("output")
}

#[tokio::test]
async fn an_operators_rollback_takes_the_lease_at_once_and_the_run_stops() {
    let alb = demo_alb("lease-oncall").await;
    let dir = tempfile::tempdir().expect("temp dir");
    let (run, store) = running(&alb, dir.path(), "oncall").await;
    let playbook = dir.path().join("oncall.yaml");
    let started = Instant::now();
    let rollback = command("rollback", &playbook, "200ms")
        .args(["--reason", "pager"])
        .output()
        .expect("rollback");
    assert_eq!(rollback.status.code(), Some(0), "{}", text(&rollback));
    // The run's lease had a minute to go: the on-call button did not wait for it.
    assert!(
        started.elapsed() < Duration::from_secs(20),
        "{:?}",
        started.elapsed()
    );
    let record = stored(&store, "oncall").await;
    assert!(
        matches!(record.phase, Phase::RolledBack { .. }),
        "{record:?}"
    );

    let output = exits_within(run, Duration::from_secs(30));
    let said = text(&output);
    assert_eq!(
        output.status.code(),
        Some(3),
        "reported as rolled back: {said}"
    );
    assert!(
        said.contains("outcome: rolled back (operator: pager"),
        "{said}"
    );
    let record = stored(&store, "oncall").await;
    assert_eq!(record.lease, None);
    assert_eq!(record.written, Some(Split::new(999, 0)));
}

#[tokio::test]
async fn a_run_whose_lease_another_runner_claimed_stops_acting() {
    let alb = demo_alb("lease-stolen").await;
    let dir = tempfile::tempdir().expect("temp dir");
    let (run, store) = running(&alb, dir.path(), "stolen").await;
    let mut record = stored(&store, "stolen").await;
    let theirs = Lease {
        owner: "advance on elsewhere pid 8".into(),
        token: "theirs".into(),
        until: wall_now().plus(Duration::from_secs(600)),
    };
    record.lease = Some(theirs.clone());
    store.save(&mut record).await.expect("claim over the run");

    let output = exits_within(run, Duration::from_secs(30));
    let said = text(&output);
    assert_eq!(output.status.code(), Some(BUSY), "{said}");
    assert!(
        said.contains("another runner holds the deployment: advance on elsewhere pid 8"),
        "{said}"
    );
    let after = stored(&store, "stolen").await;
    assert_eq!(
        after.lease,
        Some(theirs),
        "the run leaves another's lease alone"
    );
    assert_eq!(after.phase, record.phase);
}

#[tokio::test]
async fn an_interrupted_run_releases_its_lease() {
    let alb = demo_alb("lease-sigterm").await;
    let dir = tempfile::tempdir().expect("temp dir");
    let (run, store) = running(&alb, dir.path(), "sigterm").await;
    let killed = Command::new("kill")
        .args(["-TERM", &run.id().to_string()])
        .status()
        .expect("kill -TERM");
    assert!(killed.success());
    let output = exits_within(run, Duration::from_secs(30));
    let said = text(&output);
    assert_eq!(output.status.code(), Some(130), "{said}");
    assert!(said.contains("the lease is released"), "{said}");
    assert!(
        said.contains("`canary-deploy run "),
        "the hint names the command: {said}"
    );
    let record = stored(&store, "sigterm").await;
    assert_eq!(record.lease, None);
    assert!(matches!(record.phase, Phase::Stepping { index: 0, .. }));
}

for_backends!(alb => Alb, lambda_alias => LambdaAlias; [
    several_advance_processes_at_once_one_acts_per_round,
]);

/// An operator's pause does not end a `run`: it waits (without the lease, saying so), goes on
/// after `resume` (taking the lease again), and ends when the operator rolls back.
#[tokio::test]
async fn a_run_waits_through_a_pause_goes_on_after_resume_and_ends_on_rollback() {
    let alb = demo_alb("lease-pause").await;
    let dir = tempfile::tempdir().expect("temp dir");
    let (mut run, store) = running(&alb, dir.path(), "pause").await;
    let playbook = dir.path().join("pause.yaml");
    let operator = |name: &str, reason: &str| {
        let out = command(name, &playbook, "200ms")
            .args(["--reason", reason])
            .output()
            .expect("operator command");
        assert_eq!(out.status.code(), Some(0), "{name}: {}", text(&out));
        out
    };
    operator("pause", "looking");
    // A few intervals later the run is still there, and holds no lease while paused.
    std::thread::sleep(Duration::from_secs(4));
    assert!(
        run.try_wait().expect("try_wait").is_none(),
        "the run ended on the pause"
    );
    let paused = stored(&store, "pause").await;
    assert!(matches!(paused.phase, Phase::Paused { .. }), "{paused:?}");
    assert_eq!(paused.lease, None);

    let resumed = operator("resume", "fine");
    assert!(
        text(&resumed).contains("a `run` waiting on this deployment"),
        "{}",
        text(&resumed)
    );
    // The waiting run claims the deployment again.
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let record = stored(&store, "pause").await;
        if record
            .lease
            .as_ref()
            .is_some_and(|l| l.owner.starts_with("run on "))
        {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the run did not go on: {record:?}"
        );
        std::thread::sleep(Duration::from_millis(200));
    }
    // Past the claim's settle time: the run ticks on, as the lease test above stops one.
    std::thread::sleep(Duration::from_millis(1500));
    operator("rollback", "done");
    let output = exits_within(run, Duration::from_secs(30));
    let said = text(&output);
    assert_eq!(output.status.code(), Some(3), "{said}");
    assert!(
        said.contains("waiting for `canary-deploy resume`"),
        "{said}"
    );
    assert!(
        said.contains("outcome: rolled back (operator: done"),
        "{said}"
    );
}

//! The command line as a user meets it: usage errors, a missing region, the schema, and JSON
//! lines.

use crate::emulator::{binary, demo_alb, deploy_command, endpoint};
use std::process::{Command, Output};

fn canary_deploy(args: &[&str]) -> Output {
    binary().args(args).output().expect("run canary-deploy")
}

#[test]
fn usage_errors_exit_with_two() {
    for args in [
        &[][..],
        &["run"],
        &["run", "p.yaml", "--output", "yaml"],
        &["deploy", "p.yaml"],
    ] {
        let output = canary_deploy(args);
        assert_eq!(
            output.status.code(),
            Some(2),
            "{args:?}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    assert_eq!(canary_deploy(&["--help"]).status.code(), Some(0));
}

/// `schema` needs no region or credentials, and prints the committed schema, which validates
/// (the unit tests in `playbook/schema_tests.rs` hold what it accepts and refuses).
#[test]
fn schema_prints_the_committed_playbook_schema() {
    let output = binary()
        .arg("schema")
        .env_remove("AWS_REGION")
        .env_remove("AWS_DEFAULT_REGION")
        .output()
        .expect("run canary-deploy schema");
    assert_eq!(output.status.code(), Some(0));
    let committed = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/schema/playbook.schema.json"
    ))
    .expect("the committed schema");
    assert!(
        output.stdout == committed,
        "`schema` differs from the committed copy"
    );
    let parsed: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
    assert_eq!(parsed["title"], "canary-deploy playbook");
}

#[test]
fn a_missing_region_is_named_before_any_call() {
    let dir = tempfile::tempdir().expect("temp dir");
    let playbook = dir.path().join("p.yaml");
    std::fs::write(
        &playbook,
        "name: p\nroute:\n  alb:\n    load_balancer: lb\n    port: 80\n    stable: s\n    canary: c\nsteps:\n  canary: [50]\n  bake: 1m\n",
    )
    .expect("write playbook");
    let output = Command::new(env!("CARGO_BIN_EXE_canary-deploy"))
        .arg("run")
        .arg(&playbook)
        .arg("--state-dir")
        .arg(dir.path())
        .env_clear()
        .env("AWS_ACCESS_KEY_ID", "testing")
        .env("AWS_SECRET_ACCESS_KEY", "testing")
        .env("AWS_CONFIG_FILE", dir.path().join("none"))
        .env("AWS_SHARED_CREDENTIALS_FILE", dir.path().join("none"))
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .output()
        .expect("run canary-deploy");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("no AWS region is configured: pass --region"),
        "{stderr}"
    );
}

#[tokio::test]
async fn output_json_prints_one_json_object_per_line() {
    let alb = demo_alb("json").await;
    let dir = tempfile::tempdir().expect("temp dir");
    let playbook = alb.playbook_file(
        dir.path(),
        "json",
        "steps:\n  canary: [50, 100]\n  bake: 0s\nanalysis:\n  interval: 1s\n",
    );
    let path = playbook.to_string_lossy().to_string();
    let state = dir.path().join("state").to_string_lossy().to_string();
    let output = canary_deploy(&[
        "run",
        &path,
        "--output",
        "json",
        "--endpoint-url",
        endpoint(),
        "--state-dir",
        &state,
    ]);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let stdout = String::from_utf8_lossy(&output.stdout);
    let events: Vec<serde_json::Value> = stdout
        .lines()
        .map(|line| serde_json::from_str(line).unwrap_or_else(|e| panic!("not JSON ({e}): {line}")))
        .collect();
    let names: Vec<&str> = events.iter().filter_map(|e| e["event"].as_str()).collect();
    for expected in [
        "started",
        "step_started",
        "weights_verified",
        "progress",
        "promoted",
    ] {
        assert!(
            names.contains(&expected),
            "no {expected} event in {names:?}"
        );
    }
    let verified = events
        .iter()
        .rfind(|e| e["event"] == "weights_verified")
        .expect("a verified write");
    assert_eq!(
        verified["split"],
        serde_json::json!({"stable": 0, "canary": 999, "canary_percent": 100.0})
    );
    // One schema: every line versioned, times as RFC 3339.
    assert!(events.iter().all(|e| e["schema_version"] == 1), "{stdout}");
    let at = verified["at"].as_str().expect("a time string");
    assert!(at.ends_with('Z') && at.contains('T'), "{at}");

    // A failure in JSON mode is a JSON line on stdout too, in the same schema.
    let bad = dir.path().join("bad.yaml");
    std::fs::write(&bad, "name: bad\nsteps: 3\n").expect("write playbook");
    for command in ["validate", "run", "plan"] {
        let failed = canary_deploy(&[command, &bad.to_string_lossy(), "--output", "json"]);
        assert_eq!(failed.status.code(), Some(1));
        let line: serde_json::Value =
            serde_json::from_slice(&failed.stdout).expect("one JSON line on stdout");
        assert_eq!(line["schema_version"], 1);
        assert_eq!(line["event"], "error");
        assert_eq!(line["command"], command);
        assert_eq!(line["problems"][0]["line"], 2, "{line}");
    }
    // validate and status answer in JSON when asked.
    let valid = canary_deploy(&["validate", &path, "--output", "json"]);
    let doc: serde_json::Value = serde_json::from_slice(&valid.stdout).expect("JSON");
    assert_eq!(doc["kind"], "validate");
    assert_eq!(doc["valid"], true);
    let status = canary_deploy(&[
        "status",
        &path,
        "--output",
        "json",
        "--endpoint-url",
        endpoint(),
        "--state-dir",
        &state,
    ]);
    let doc: serde_json::Value = serde_json::from_slice(&status.stdout).expect("JSON");
    assert_eq!(doc["kind"], "status");
    assert_eq!(doc["schema_version"], 1);
    assert!(doc["record"]["phase"]["phase"] == "promoted", "{doc}");
}

#[tokio::test]
async fn status_shows_the_live_weights_and_flags_a_change_made_outside() {
    use canary_deploy::traffic::Router;
    let alb = demo_alb("status").await;
    let dir = tempfile::tempdir().expect("temp dir");
    let steps = "steps:\n  canary: [50]\n  bake: 1m\n";
    let yaml = alb.playbook("status", steps);
    let playbook = alb.playbook_file(dir.path(), "status", steps);
    let path = playbook.to_string_lossy().to_string();
    let state = dir.path().join("state").to_string_lossy().to_string();
    let args = |cmd: &'static str| {
        [
            cmd,
            path.as_str(),
            "--endpoint-url",
            endpoint(),
            "--state-dir",
            state.as_str(),
        ]
    };
    assert_eq!(canary_deploy(&args("rollback")).status.code(), Some(0));

    // Someone moves a fifth of the traffic to the canary by hand.
    let plan = canary_deploy::playbook::parse(&yaml, "status.yaml")
        .expect("valid")
        .plan;
    let clients = canary_deploy::aws::Clients::new(&crate::emulator::sdk_config().await);
    let router = canary_deploy::traffic::RouteRouter::resolve(&plan.route, &clients)
        .await
        .expect("resolve");
    let theirs = canary_deploy::core::Split::new(800, 200);
    router.write(None, theirs).await.expect("outside write");

    let output = canary_deploy(&args("status"));
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(0));
    assert!(
        stdout.contains("live weights: stable 800 / canary 200 (20% canary)"),
        "{stdout}"
    );
    assert!(
        stdout.contains("DRIFT: canary-deploy last wrote stable 999 / canary 0 (0% canary)"),
        "{stdout}"
    );
}

#[tokio::test]
async fn sigterm_stops_run_leaving_the_deployment_resumable() {
    let alb = demo_alb("sigterm").await;
    let dir = tempfile::tempdir().expect("temp dir");
    let playbook = alb.playbook_file(
        dir.path(),
        "sigterm",
        "steps:\n  canary: [10, 100]\n  bake: 1h\nanalysis:\n  interval: 1s\n",
    );
    let state = dir.path().join("state");
    let child = deploy_command("run", &playbook, endpoint(), &state)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("spawn run");
    let record_file = state.join("sigterm.json");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    let settled = || -> bool {
        let Ok(text) = std::fs::read_to_string(&record_file) else {
            return false;
        };
        serde_json::from_str::<canary_deploy::core::Record>(&text)
            .is_ok_and(|r| r.written.is_some() && r.in_flight.is_none())
    };
    while !settled() {
        assert!(
            std::time::Instant::now() < deadline,
            "run never reached its first step"
        );
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let killed = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .expect("send SIGTERM");
    assert!(killed.success());
    let output = child.wait_with_output().expect("run exits");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(130), "{stderr}");
    assert!(
        stderr.contains("interrupted: traffic stays on the last verified weights"),
        "{stderr}"
    );
    let record: canary_deploy::core::Record =
        serde_json::from_str(&std::fs::read_to_string(&record_file).expect("record"))
            .expect("json");
    assert!(matches!(
        record.phase,
        canary_deploy::core::Phase::Stepping { index: 0, .. }
    ));
    assert_eq!(
        record.written,
        Some(canary_deploy::core::Split::new(900, 100))
    );
}

//! ALB and Lattice routes: a passing plan, and the target-group, healthy-targets and start-split
//! failures.

use super::{alb, command, lattice, line, REST};

#[test]
fn plan_passes_on_a_healthy_alb_route_and_shows_the_queries() {
    let route = alb("pf-alb-ok", &[]);
    let ran = command("plan", &route.playbook("pf-alb-ok", REST), &[]);
    let out = ran.stdout();
    assert_eq!(ran.code(), Some(0), "{out}\n{}", ran.stderr());
    assert!(
        out.contains(&format!("  listener: {}", route.listener_arn)),
        "{out}"
    );
    assert!(out.contains("live weights: stable 1 / canary 0"), "{out}");
    // No traffic in the last hour: the forecast says the evidence judge would pause.
    assert!(out.contains("expected end: paused at step 1"), "{out}");
    assert!(
        out.contains(
            "AWS/ApplicationELB HTTPCode_Target_5XX_Count Sum LoadBalancer=app/pf-alb-ok/"
        ),
        "{out}"
    );
    assert!(line(&out, "PASS", "canary-healthy-targets").contains("has 1 healthy target(s)"));
    line(&out, "PASS", "target-groups");
    line(&out, "PASS", "start-split");
    line(&out, "SKIP", "lambda-qualified-arn");
    assert_eq!(
        line(&out, "SKIP", "lambda-alias-versions"),
        "  SKIP lambda-alias-versions: not applicable: the route is not a Lambda alias"
    );
}

#[test]
fn plan_passes_on_a_healthy_lattice_route_as_one_json_object() {
    let route = lattice("pf-lat-ok", &[]);
    let ran = command(
        "plan",
        &route.playbook("pf-lat-ok", REST),
        &["--output", "json"],
    );
    assert_eq!(ran.code(), Some(0), "{}\n{}", ran.stdout(), ran.stderr());
    let doc: serde_json::Value =
        serde_json::from_str(ran.stdout().trim()).expect("one JSON object");
    assert_eq!(doc["preflight_passed"], true);
    assert_eq!(doc["live"]["stable"], 100);
    assert_eq!(doc["steps"].as_array().map(Vec::len), Some(3));
    let checks = doc["preflight"]["checks"].as_array().expect("checks");
    let outcome = |name: &str| {
        checks
            .iter()
            .find(|c| c["name"] == name)
            .map(|c| c["outcome"].clone())
    };
    assert_eq!(outcome("lambda-invoke-permission"), Some("pass".into()));
    assert_eq!(outcome("provisioned-concurrency"), Some("skip".into()));
}

#[test]
fn an_alb_canary_without_targets_fails_plan_and_run_refuses() {
    let route = alb("pf-alb-empty", &["--no-targets"]);
    let playbook = route.playbook("pf-alb-empty", REST);
    let ran = command("plan", &playbook, &[]);
    assert_eq!(ran.code(), Some(1), "{}", ran.stdout());
    assert_eq!(
        line(&ran.stdout(), "FAIL", "canary-healthy-targets"),
        "  FAIL canary-healthy-targets: canary target group pf-alb-empty-canary has 0 healthy \
         target(s) but at least 1 are needed (no targets are registered); register healthy \
         targets in it, or set `preflight: { min_healthy_targets: N }`"
    );
    line(&ran.stdout(), "FAIL", "stable-healthy-targets");

    let run = command("run", &playbook, &[]);
    assert_eq!(run.code(), Some(1), "{}", run.stderr());
    assert!(
        run.stderr().contains(
            "preflight failed (2 of 8 checks): not starting; nothing was written or saved"
        ),
        "{}",
        run.stderr()
    );
    assert!(
        run.stderr()
            .contains("`--skip-preflight canary-healthy-targets`"),
        "{}",
        run.stderr()
    );
    let records = run.state.path().join("records");
    let saved = std::fs::read_dir(&records).map(|d| d.count()).unwrap_or(0);
    assert_eq!(saved, 0, "nothing saved");
}

#[test]
fn a_skipped_check_is_shown_skipped_and_no_longer_fails() {
    let route = alb("pf-alb-skip", &["--no-targets"]);
    let playbook = route.playbook(
        "pf-alb-skip",
        &format!("{REST}preflight:\n  skip: [stable-healthy-targets]\n"),
    );
    let ran = command(
        "plan",
        &playbook,
        &["--skip-preflight", "canary-healthy-targets"],
    );
    let out = ran.stdout();
    assert_eq!(ran.code(), Some(0), "{out}");
    assert_eq!(
        line(&out, "SKIP", "canary-healthy-targets"),
        "  SKIP canary-healthy-targets: skipped by `--skip-preflight canary-healthy-targets`"
    );
    assert_eq!(
        line(&out, "SKIP", "stable-healthy-targets"),
        "  SKIP stable-healthy-targets: skipped by the playbook's `preflight.skip`"
    );
}

#[test]
fn a_lattice_canary_without_targets_fails() {
    let route = lattice("pf-lat-empty", &["--no-targets"]);
    let ran = command("plan", &route.playbook("pf-lat-empty", REST), &[]);
    assert_eq!(ran.code(), Some(1));
    let failed = line(&ran.stdout(), "FAIL", "canary-healthy-targets");
    assert!(
        failed.contains("canary target group pf-lat-empty-canary (tg-")
            && failed.contains("has 0 registered (Lambda, no health checks) target(s) but at least 1 are needed (no targets are registered)"),
        "{failed}"
    );
}

#[test]
fn a_live_split_without_start_from_fails_start_split() {
    let route = lattice("pf-lat-split", &["--weights", "60,40"]);
    let ran = command("plan", &route.playbook("pf-lat-split", REST), &[]);
    assert_eq!(ran.code(), Some(1));
    let failed = line(&ran.stdout(), "FAIL", "start-split");
    assert!(
        failed.contains("the canary already receives 40% of traffic")
            && failed.contains("`start_from: live`"),
        "{failed}"
    );
}

#[test]
fn an_unknown_skip_name_is_a_usage_error_listing_the_names() {
    let route = alb("pf-alb-usage", &[]);
    let ran = command(
        "plan",
        &route.playbook("pf-alb-usage", REST),
        &["--skip-preflight", "nope"],
    );
    assert_eq!(ran.code(), Some(2));
    assert!(
        ran.stderr().contains("canary-healthy-targets"),
        "{}",
        ran.stderr()
    );
}

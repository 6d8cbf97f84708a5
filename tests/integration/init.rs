//! `init --from <ARN>`: a playbook drafted from the live route validates, names what the route
//! forwards to, suits its bake to the route's traffic, and is never written over a file; what
//! can be refused on the ARN's text or the file is refused before any AWS call.

use crate::alb_actions::forward;
use crate::emulator::{
    binary, canary_deploy_in, demo_alb, demo_lambda, demo_lattice, endpoint, sdk_config,
};
use crate::history_fixture::{publish_stable, STABLE};
use aws_sdk_elasticloadbalancingv2::types::{PathPatternConditionConfig, RuleCondition};
use std::path::Path;

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// `init` from `dir`, and the drafted playbook's text (from stdout, or from `file` in `dir`).
fn init(dir: &Path, args: &[&str]) -> (std::process::Output, String) {
    let mut all = vec!["init"];
    all.extend_from_slice(args);
    let output = canary_deploy_in(dir, &all);
    let file = args.iter().find(|a| a.ends_with(".yaml"));
    let drafted = match file {
        Some(name) => std::fs::read_to_string(dir.join(name)).unwrap_or_default(),
        None => text(&output.stdout),
    };
    (output, drafted)
}

fn validates(dir: &Path, file: &str) -> String {
    let output = canary_deploy_in(dir, &["validate", file]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    text(&output.stdout)
}

/// The path rule of the EC2-to-Lambda journey: two weighted target groups at 90/10.
async fn weighted_rule(listener: &str, stable: &str, canary: &str) -> String {
    let client = aws_sdk_elasticloadbalancingv2::Client::new(&sdk_config().await);
    let out = client
        .create_rule()
        .listener_arn(listener)
        .priority(10)
        .conditions(
            RuleCondition::builder()
                .field("path-pattern")
                .path_pattern_config(
                    PathPatternConditionConfig::builder()
                        .values("/checkout/*")
                        .build(),
                )
                .build(),
        )
        .actions(forward(&[(stable, 90), (canary, 10)], Some(1), None))
        .send()
        .await
        .expect("create the rule");
    out.rules()[0].rule_arn().expect("a rule ARN").to_string()
}

#[tokio::test]
async fn a_weighted_rule_drafts_a_playbook_that_validates_and_plans() {
    let alb = demo_alb("init-rule").await;
    let rule = weighted_rule(&alb.listener_arn, &alb.stable_arn, &alb.canary_arn).await;
    let dir = tempfile::tempdir().expect("temp dir");
    let (output, drafted) = init(dir.path(), &["--from", &rule, "checkout.yaml"]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    assert!(text(&output.stdout).contains("wrote checkout.yaml"));
    assert!(drafted.contains(&format!("rule: {rule}")), "{drafted}");
    assert!(drafted.contains("stable: init-rule-stable"), "{drafted}");
    assert!(drafted.contains("canary: init-rule-canary"), "{drafted}");
    assert!(drafted.contains("at 90 % (weight 90)"), "{drafted}");
    assert!(
        drafted.contains("# start_from: live"),
        "the canary has 10 %: {drafted}"
    );
    assert!(validates(dir.path(), "checkout.yaml").contains("valid playbook `init-rule-canary`"));
    let plan = canary_deploy_in(dir.path(), &["plan", "checkout.yaml"]);
    assert!(
        text(&plan.stdout).contains(&alb.canary_arn),
        "plan resolves the drafted route: {}{}",
        text(&plan.stdout),
        text(&plan.stderr)
    );
    // A second init never writes over the first.
    let (again, after) = init(dir.path(), &["--from", &rule, "checkout.yaml"]);
    assert_eq!(again.status.code(), Some(1));
    assert!(
        text(&again.stderr).contains("never overwrites"),
        "{}",
        text(&again.stderr)
    );
    assert_eq!(after, drafted);
}

#[tokio::test]
async fn a_listener_forwarding_to_one_group_needs_the_canary_named() {
    let alb = demo_alb("init-one").await;
    let dir = tempfile::tempdir().expect("temp dir");
    let (output, _) = init(dir.path(), &["--from", &alb.listener_arn, "p.yaml"]);
    assert_eq!(output.status.code(), Some(1));
    let err = text(&output.stderr);
    assert!(
        err.contains("forwards only to init-one-stable") && err.contains("--canary"),
        "{err}"
    );
    assert!(
        !dir.path().join("p.yaml").exists(),
        "nothing written on a refusal"
    );
    let (output, drafted) = init(
        dir.path(),
        &[
            "--from",
            &alb.listener_arn,
            "--canary",
            &alb.canary_arn,
            "--name",
            "shop",
            "p.yaml",
        ],
    );
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    assert!(drafted.contains("canary: init-one-canary"), "{drafted}");
    assert!(
        drafted.contains("init-one-canary (no traffic yet)"),
        "{drafted}"
    );
    assert!(!drafted.contains("start_from"), "{drafted}");
    assert!(validates(dir.path(), "p.yaml").contains("valid playbook `shop`"));
}

/// The bake is the shortest at which every step sees +1 point on the last hour's traffic: five
/// minutes on a busy route, longer on a quiet one.
#[tokio::test]
async fn the_bake_follows_the_routes_recent_traffic() {
    let busy = demo_alb("init-busy").await;
    let quiet = demo_alb("init-quiet").await;
    publish_stable(&busy, 60, 12_000, |_| STABLE).await;
    publish_stable(&quiet, 60, 240, |_| STABLE).await;
    let dir = tempfile::tempdir().expect("temp dir");
    let mut bakes = Vec::new();
    for alb in [&busy, &quiet] {
        let (output, drafted) = init(
            dir.path(),
            &["--from", &alb.listener_arn, "--canary", &alb.canary_arn],
        );
        assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
        assert!(drafted.contains("# last hour: "), "{drafted}");
        let bake = drafted
            .lines()
            .find_map(|l| l.strip_prefix("  bake: "))
            .expect("a bake")
            .to_string();
        bakes.push((bake, drafted));
    }
    assert_eq!(bakes[0].0, "5m", "{}", bakes[0].1);
    assert!(
        bakes[0].1.contains("the shortest at which every step"),
        "{}",
        bakes[0].1
    );
    assert_ne!(
        bakes[1].0, "5m",
        "a quiet route bakes longer: {}",
        bakes[1].1
    );
}

#[tokio::test]
async fn a_lattice_listener_and_a_lambda_alias_draft_their_routes() {
    let lattice = demo_lattice("init-lattice", Some((80, 20))).await;
    let dir = tempfile::tempdir().expect("temp dir");
    let (output, drafted) = init(dir.path(), &["--from", &lattice.listener_arn, "l.yaml"]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    assert!(drafted.contains("  lattice:\n"), "{drafted}");
    assert!(drafted.contains("stable: init-lattice-stable"), "{drafted}");
    assert!(drafted.contains("already has 20 %"), "{drafted}");
    validates(dir.path(), "l.yaml");

    let lambda = demo_lambda("init-fn").await;
    let (output, drafted) = init(dir.path(), &["--from", &lambda.alias_arn, "f.yaml"]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    assert!(drafted.contains(&format!("stable_version: \"{}\"", lambda.stable_version)));
    assert!(
        drafted.contains(&format!("canary_version: \"{}\"", lambda.canary_version)),
        "the newest published version is the canary: {drafted}"
    );
    assert!(drafted.contains("throttles:"), "{drafted}");
    assert!(validates(dir.path(), "f.yaml").contains("valid playbook `init-fn-live`"));

    let json = binary()
        .args(["--output", "json", "init", "--from", &lambda.alias_arn])
        .args(["--endpoint-url", endpoint()])
        .output()
        .expect("run init");
    let doc: serde_json::Value = serde_json::from_slice(&json.stdout).expect("one JSON document");
    assert_eq!(doc["schema_version"], 1);
    assert_eq!(doc["type"], "init");
    assert!(doc["playbook"]
        .as_str()
        .is_some_and(|p| p.contains("lambda_alias:")));
}

/// What the ARN's text or the file already shows is refused with no AWS call: the endpoint
/// here is a closed port, so any call would fail differently.
#[test]
fn refusals_before_any_call() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("taken.yaml"), "name: mine\n").expect("write");
    let listener = "arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/shop/50dc6c495c0c9188/f2f7dc8efc522ab2";
    for (args, expect) in [
        (
            vec!["--from", "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/tg/73e2d6bc24d8a067"],
            "--from arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/tg/73e2d6bc24d8a067 names a target group",
        ),
        (vec!["--from", "checkout"], "--from checkout is not an ARN"),
        (
            vec!["--from", "arn:aws:lambda:us-east-1:123456789012:function:checkout"],
            "is not the ARN of a Lambda alias",
        ),
        (vec!["--from", listener, "taken.yaml"], "never overwrites"),
        (vec!["--from", listener, "--name", "a b"], "`--name"),
    ] {
        let output = binary()
            .current_dir(dir.path())
            .arg("init")
            .args(&args)
            .args(["--endpoint-url", "http://127.0.0.1:9"])
            .output()
            .expect("run init");
        assert_eq!(output.status.code(), Some(1), "{args:?}");
        let err = text(&output.stderr);
        assert!(err.contains(expect), "{args:?}: {err}");
        assert!(!err.contains("127.0.0.1:9"), "{args:?} made a call: {err}");
    }
    assert_eq!(
        std::fs::read_to_string(dir.path().join("taken.yaml")).expect("read"),
        "name: mine\n"
    );
}

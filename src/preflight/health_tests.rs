use super::*;
use crate::preflight::gather::GroupInfo;
use crate::preflight::Outcome;

fn target(id: &str, state: &str, reason: Option<&str>) -> Target {
    Target {
        id: id.into(),
        state: state.into(),
        reason: reason.map(str::to_string),
    }
}

fn group(lambda: bool, targets: Vec<Target>) -> Group {
    Group {
        role: Role::Canary,
        arn: "arn:tg".into(),
        label: "demo-canary".into(),
        info: Ok(GroupInfo {
            lambda,
            attached_to: Vec::new(),
            vpc: None,
            health_checks: !lambda,
        }),
        targets: Ok(targets),
    }
}

/// `group` with the given role, attached to `attached` load balancers (or services).
fn used(mut g: Group, role: Role, attached: &[&str]) -> Group {
    g.role = role;
    if let Ok(info) = g.info.as_mut() {
        info.attached_to = attached.iter().map(|a| a.to_string()).collect();
    }
    g
}

fn alb(g: &Group, min: u32) -> PreflightCheck {
    evaluate(CANARY_HEALTHY_TARGETS, g, min, Backend::Alb)
}

#[test]
fn healthy_targets_are_counted_against_the_minimum() {
    let g = group(
        false,
        vec![
            target("i-1", "healthy", None),
            target("i-2", "unhealthy", Some("Target.Timeout")),
        ],
    );
    let passed = alb(&g, 1);
    assert_eq!(passed.outcome, Outcome::Pass);
    assert_eq!(
        passed.message,
        "canary target group demo-canary has 1 healthy target(s) (at least 1 needed)"
    );
    let failed = alb(&g, 2);
    assert_eq!(failed.outcome, Outcome::Fail);
    assert_eq!(
        failed.message,
        "canary target group demo-canary has 1 healthy target(s) but at least 2 are needed \
         (its targets: i-1 healthy, i-2 unhealthy (Target.Timeout)); register healthy \
         targets in it, or set `preflight: { min_healthy_targets: N }`"
    );
}

#[test]
fn an_empty_group_says_nothing_is_registered() {
    let failed = alb(&group(false, Vec::new()), 1);
    assert!(
        failed.message.contains("has 0 healthy target(s)")
            && failed.message.contains("(no targets are registered)"),
        "{}",
        failed.message
    );
}

#[test]
fn an_unchecked_lambda_function_counts_as_serving() {
    let arn = "arn:aws:lambda:us-east-1:1:function:f:live";
    let g = group(
        true,
        vec![target(
            arn,
            "unavailable",
            Some("Target.HealthCheckDisabled"),
        )],
    );
    let check = alb(&g, 1);
    assert_eq!(check.outcome, Outcome::Pass, "{}", check.message);
    assert!(check
        .message
        .contains("has 1 registered (Lambda, no health checks) target(s)"));
    let g = group(false, vec![target("i-1", "unavailable", None)]);
    assert_eq!(alb(&g, 1).outcome, Outcome::Fail);
}

#[test]
fn a_lattice_group_without_health_checks_counts_unavailable_targets() {
    let mut g = group(false, vec![target("10.0.0.1", "unavailable", None)]);
    if let Ok(info) = g.info.as_mut() {
        info.health_checks = false;
    }
    let check = evaluate(CANARY_HEALTHY_TARGETS, &g, 1, Backend::Lattice);
    assert_eq!(check.outcome, Outcome::Pass, "{}", check.message);
    assert!(check
        .message
        .contains("has 1 registered (no health checks) target(s)"));
}

#[test]
fn a_canary_group_no_listener_rule_uses_yet_counts_as_not_yet_checked() {
    let g = group(
        false,
        vec![
            target("i-1", "unused", Some("Target.NotInUse")),
            target("i-2", "healthy", None),
        ],
    );
    let check = alb(&g, 2);
    assert_eq!(check.outcome, Outcome::Pass, "{}", check.message);
    assert_eq!(
        check.message,
        "canary target group demo-canary has 1 healthy and 1 registered, not yet \
         health-checked target(s) (at least 2 needed); not yet health-checked: no listener \
         rule uses the target group yet (unused, Target.NotInUse), so the load balancer starts \
         checking it with the first weighted write, and the rollout's checks judge the canary \
         from there"
    );
}

#[test]
fn not_in_use_does_not_count_when_a_load_balancer_uses_the_group() {
    let g = used(
        group(
            false,
            vec![target("i-1", "unused", Some("Target.NotInUse"))],
        ),
        Role::Canary,
        &["arn:lb"],
    );
    let check = alb(&g, 1);
    assert_eq!(check.outcome, Outcome::Fail);
    assert!(
        check.message.contains(
            "Target.NotInUse in a target group that a load balancer uses means the target's \
             Availability Zone is not enabled for it"
        ),
        "{}",
        check.message
    );
}

#[test]
fn other_unused_reasons_and_the_stable_side_do_not_count() {
    let stopped = group(
        false,
        vec![target("i-1", "unused", Some("Target.InvalidState"))],
    );
    assert_eq!(alb(&stopped, 1).outcome, Outcome::Fail);
    let stable = used(
        group(
            false,
            vec![target("i-1", "unused", Some("Target.NotInUse"))],
        ),
        Role::Stable,
        &[],
    );
    let check = evaluate(STABLE_HEALTHY_TARGETS, &stable, 1, Backend::Alb);
    assert_eq!(check.outcome, Outcome::Fail, "{}", check.message);
    assert!(
        !check.message.contains("Availability Zone"),
        "{}",
        check.message
    );
}

#[test]
fn lattice_unused_counts_only_while_no_service_routes_to_the_canary() {
    let targets = vec![target("10.0.0.1", "unused", None)];
    let fresh = group(false, targets.clone());
    let check = evaluate(CANARY_HEALTHY_TARGETS, &fresh, 1, Backend::Lattice);
    assert_eq!(check.outcome, Outcome::Pass, "{}", check.message);
    assert!(
        check
            .message
            .contains("no service routes to the target group yet (UNUSED)"),
        "{}",
        check.message
    );
    let routed = used(group(false, targets), Role::Canary, &["arn:svc"]);
    let check = evaluate(CANARY_HEALTHY_TARGETS, &routed, 1, Backend::Lattice);
    assert_eq!(check.outcome, Outcome::Fail, "{}", check.message);
    assert!(
        check.message.contains("its targets: 10.0.0.1 unused"),
        "{}",
        check.message
    );
}

#[test]
fn lattice_draining_initial_and_unhealthy_do_not_count() {
    let g = group(
        false,
        vec![
            target("10.0.0.1", "draining", None),
            target("10.0.0.2", "initial", None),
            target("10.0.0.3", "unhealthy", Some("HealthCheckFailed")),
            target("10.0.0.4", "unavailable", None),
        ],
    );
    let check = evaluate(CANARY_HEALTHY_TARGETS, &g, 1, Backend::Lattice);
    assert_eq!(check.outcome, Outcome::Fail);
    assert!(
        check
            .message
            .starts_with("canary target group demo-canary has 0 healthy target(s)"),
        "{}",
        check.message
    );
}

#[test]
fn zero_needed_always_passes() {
    assert_eq!(
        evaluate(
            STABLE_HEALTHY_TARGETS,
            &group(false, Vec::new()),
            0,
            Backend::Alb
        )
        .outcome,
        Outcome::Pass
    );
}

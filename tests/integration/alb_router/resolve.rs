//! Resolution of a route to ARNs: by names (and the calls it takes), the errors that name what
//! is missing, ARNs that do not exist, and target groups of another load balancer.

use super::busy_rule::busy_rule;
use super::fixtures::{
    arns, assert_kind, assert_starts_with, listener_route, resolve_err, router, setup, target_group,
};
use crate::emulator::demo_alb;
use canary_deploy::core::plan::{AlbRoute, AlbTarget, TargetGroupRef};
use canary_deploy::core::Split;
use canary_deploy::traffic::{ResolvedAlb, Router};

#[tokio::test]
async fn resolves_a_rule_by_names() {
    let (client, log, alb) = setup("ar-names").await;
    let third = target_group(&client, "ar-names-third", &alb.vpc_id).await;
    let rule_arn = busy_rule(&client, &alb, &third).await;
    log.take();

    let route = AlbRoute {
        target: AlbTarget::Rule {
            load_balancer: "ar-names".into(),
            port: 80,
            priority: 10,
        },
        stable: TargetGroupRef::Name("ar-names-stable".into()),
        canary: TargetGroupRef::Name("ar-names-canary".into()),
    };
    let router = router(&client, &route).await;
    assert_eq!(
        router.resolved(),
        &ResolvedAlb {
            load_balancer_arn: alb.lb_arn.clone(),
            listener_arn: alb.listener_arn.clone(),
            rule_arn: Some(rule_arn.clone()),
            stable_arn: alb.stable_arn.clone(),
            canary_arn: alb.canary_arn.clone(),
            stable_is_lambda: false,
            canary_is_lambda: false,
        }
    );
    assert_eq!(
        log.take(),
        [
            "DescribeLoadBalancers",
            "DescribeListeners",
            "DescribeRules",
            "DescribeTargetGroups",
            "DescribeTargetGroups"
        ]
    );
    let resolved = router.resolved();
    let lb_suffix = alb.lb_arn.split(":loadbalancer/").nth(1).unwrap();
    assert_eq!(resolved.load_balancer_dimension(), lb_suffix);
    assert!(lb_suffix.starts_with("app/ar-names/"), "{lb_suffix}");
    let tg = resolved.target_group_dimension(&resolved.canary_arn);
    assert!(tg.starts_with("targetgroup/ar-names-canary/"), "{tg}");
    assert_eq!(
        router.describe(),
        format!("ALB rule {rule_arn} (stable ar-names-stable, canary ar-names-canary)")
    );
    assert_eq!(
        router.read().await.unwrap(),
        Split::new(990, 0).with_others(10)
    );
}

#[tokio::test]
async fn resolution_errors_name_what_is_missing() {
    let (client, _log, alb) = setup("ar-errors").await;
    let names = |target: AlbTarget, stable: &str, canary: &str| AlbRoute {
        target,
        stable: TargetGroupRef::Name(stable.into()),
        canary: TargetGroupRef::Name(canary.into()),
    };
    let rule = |lb: &str, port, priority| AlbTarget::Rule {
        load_balancer: lb.into(),
        port,
        priority,
    };
    let (stable, canary) = ("ar-errors-stable", "ar-errors-canary");

    let err = resolve_err(
        &client,
        names(rule("ar-errors-nope", 80, 10), stable, canary),
    )
    .await;
    assert_kind!(err, NotFound);
    assert_eq!(
        err.to_string(),
        "load balancer \"ar-errors-nope\" not found: check the name or ARN in the playbook, and \
         the account and region in use"
    );

    let err = resolve_err(&client, names(rule("ar-errors", 8080, 10), stable, canary)).await;
    assert_kind!(err, NotFound);
    assert_starts_with(
        &err,
        "listener on port 8080 of load balancer \"ar-errors\" (it has listeners on ports 80) not \
         found",
    );

    let err = resolve_err(&client, names(rule("ar-errors", 80, 99), stable, canary)).await;
    assert_kind!(err, NotFound);
    assert_starts_with(
        &err,
        &format!(
            "rule with priority 99 on listener {} (its rules have priorities default) not found",
            alb.listener_arn
        ),
    );

    let listener = AlbTarget::Listener {
        load_balancer: "ar-errors".into(),
        port: 80,
    };
    let err = resolve_err(&client, names(listener.clone(), "ar-errors-nope", canary)).await;
    assert_kind!(err, NotFound);
    assert_starts_with(&err, "stable target group \"ar-errors-nope\" not found");
    let err = resolve_err(&client, names(listener.clone(), stable, "ar-errors-nope")).await;
    assert_starts_with(&err, "canary target group \"ar-errors-nope\" not found");

    let err = resolve_err(&client, names(listener, stable, stable)).await;
    assert_kind!(err, Ambiguous);
    assert!(err.to_string().contains("same target group"), "{err}");
}

#[tokio::test]
async fn resolution_checks_arns_exist() {
    let (client, _log, alb) = setup("ar-arns").await;
    let gone_rule = alb.listener_arn.replace(":listener/", ":listener-rule/") + "/0123456789abcdef";
    let err = resolve_err(
        &client,
        arns(
            AlbTarget::RuleArn(crate::emulator::owned_arn(&gone_rule)),
            &alb,
        ),
    )
    .await;
    assert_kind!(err, NotFound);
    assert_starts_with(&err, &format!("listener rule {gone_rule} not found"));

    let gone_listener = format!("{}0", alb.listener_arn);
    let err = resolve_err(
        &client,
        arns(
            AlbTarget::ListenerArn(crate::emulator::owned_arn(&gone_listener)),
            &alb,
        ),
    )
    .await;
    assert_starts_with(&err, &format!("listener {gone_listener} not found"));

    let mut route = listener_route(&alb);
    let gone_group = format!("{}0", alb.canary_arn);
    route.canary = TargetGroupRef::Arn(crate::emulator::owned_arn(&gone_group));
    let err = resolve_err(&client, route).await;
    assert_starts_with(&err, &format!("canary target group {gone_group} not found"));

    let err = resolve_err(
        &client,
        arns(
            AlbTarget::ListenerArn(crate::emulator::owned_arn(&alb.canary_arn)),
            &alb,
        ),
    )
    .await;
    assert!(err.to_string().contains("not a listener ARN"), "{err}");
}

#[tokio::test]
async fn resolution_refuses_a_target_group_of_another_load_balancer() {
    let (client, _log, alb) = setup("ar-mine").await;
    let other = demo_alb("ar-theirs").await;
    let mut route = listener_route(&alb);
    route.canary = TargetGroupRef::Arn(crate::emulator::owned_arn(&other.stable_arn));
    let err = resolve_err(&client, route).await;
    assert_kind!(err, WrongLoadBalancer);
    let text = err.to_string();
    assert!(
        text.contains(&other.stable_arn) && text.contains(&other.lb_arn),
        "{text}"
    );
    assert!(text.contains(&alb.lb_arn), "{text}");

    // The unattached canary of the same fixture is fine.
    router(&client, &listener_route(&alb)).await;
}

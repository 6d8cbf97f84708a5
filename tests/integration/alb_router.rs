//! The ALB traffic router over real HTTP with the real SDK client, against the emulator:
//! resolution, reads, writes that keep everything but the two weights, conflicts, and the number
//! of AWS calls per read and write.

use crate::emulator::{demo_alb, sdk_config, DemoAlb};
use aws_sdk_elasticloadbalancingv2::config::interceptors::BeforeTransmitInterceptorContextRef;
use aws_sdk_elasticloadbalancingv2::config::{ConfigBag, Intercept, RuntimeComponents};
use aws_sdk_elasticloadbalancingv2::error::BoxError;
use aws_sdk_elasticloadbalancingv2::types::{
    Action, ActionTypeEnum, AuthenticateOidcActionConditionalBehaviorEnum,
    AuthenticateOidcActionConfig, ForwardActionConfig, HostHeaderConditionConfig,
    PathPatternConditionConfig, ProtocolEnum, Rule, RuleCondition, TargetGroupStickinessConfig,
    TargetGroupTuple,
};
use aws_sdk_elasticloadbalancingv2::Client;
use canary_deploy::core::plan::{AlbRoute, AlbTarget, TargetGroupRef};
use canary_deploy::core::types::{Share, Split};
use canary_deploy::traffic::{AlbRouter, ResolvedAlb, Router, TrafficError};
use std::sync::{Arc, Mutex};

/// Records the `Action=` of every request the client transmits (retries included).
#[derive(Clone, Debug, Default)]
struct CallLog(Arc<Mutex<Vec<String>>>);

impl CallLog {
    fn take(&self) -> Vec<String> {
        std::mem::take(&mut *self.0.lock().unwrap())
    }
}

impl Intercept for CallLog {
    fn name(&self) -> &'static str {
        "CallLog"
    }

    fn read_before_transmit(
        &self,
        context: &BeforeTransmitInterceptorContextRef<'_>,
        _runtime_components: &RuntimeComponents,
        _cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        let body = context.request().body().bytes().unwrap_or_default();
        let body = String::from_utf8_lossy(body);
        let action = body
            .split('&')
            .find_map(|pair| pair.strip_prefix("Action="))
            .unwrap_or("?")
            .to_string();
        self.0.lock().unwrap().push(action);
        Ok(())
    }
}

/// A client that logs its calls, and a fresh demo ALB.
async fn setup(prefix: &str) -> (Client, CallLog, DemoAlb) {
    let config = sdk_config().await;
    let log = CallLog::default();
    let conf = aws_sdk_elasticloadbalancingv2::config::Builder::from(&config)
        .interceptor(log.clone())
        .build();
    let alb = demo_alb(prefix).await;
    (Client::from_conf(conf), log, alb)
}

fn split(stable: u32, canary: u32) -> Split {
    Split { stable, canary }
}

fn arns(target: AlbTarget, alb: &DemoAlb) -> AlbRoute {
    AlbRoute {
        target,
        stable: TargetGroupRef::Arn(alb.stable_arn.clone()),
        canary: TargetGroupRef::Arn(alb.canary_arn.clone()),
    }
}

async fn router(client: &Client, route: &AlbRoute) -> AlbRouter {
    AlbRouter::resolve(client.clone(), route)
        .await
        .unwrap_or_else(|e| panic!("resolve {route:?}: {e}"))
}

async fn resolve_err(client: &Client, route: AlbRoute) -> TrafficError {
    match AlbRouter::resolve(client.clone(), &route).await {
        Ok(router) => panic!("{route:?} resolved to {:?}", router.resolved()),
        Err(e) => e,
    }
}

async fn target_group(client: &Client, name: &str, vpc: &str) -> String {
    let out = client
        .create_target_group()
        .name(name)
        .protocol(ProtocolEnum::Http)
        .port(80)
        .vpc_id(vpc)
        .send()
        .await
        .expect("create target group");
    out.target_groups()[0]
        .target_group_arn()
        .unwrap()
        .to_string()
}

async fn listener_actions(client: &Client, listener: &str) -> Vec<Action> {
    let out = client
        .describe_listeners()
        .listener_arns(listener)
        .send()
        .await
        .expect("describe listener");
    out.listeners()[0].default_actions().to_vec()
}

async fn describe_rule(client: &Client, rule: &str) -> Rule {
    let out = client
        .describe_rules()
        .rule_arns(rule)
        .send()
        .await
        .expect("describe rule");
    out.rules()[0].clone()
}

fn forward(groups: &[(&str, i32)], order: Option<i32>, sticky: Option<i32>) -> Action {
    let mut config = ForwardActionConfig::builder();
    for (arn, weight) in groups {
        config = config.target_groups(
            TargetGroupTuple::builder()
                .target_group_arn(*arn)
                .weight(*weight)
                .build(),
        );
    }
    if let Some(seconds) = sticky {
        config = config.target_group_stickiness_config(
            TargetGroupStickinessConfig::builder()
                .enabled(true)
                .duration_seconds(seconds)
                .build(),
        );
    }
    Action::builder()
        .r#type(ActionTypeEnum::Forward)
        .set_order(order)
        .forward_config(config.build())
        .build()
}

fn weights(action: &Action) -> Vec<(String, Option<i32>)> {
    action
        .forward_config()
        .expect("a forward config")
        .target_groups()
        .iter()
        .map(|g| (g.target_group_arn().unwrap().to_string(), g.weight()))
        .collect()
}

fn oidc() -> Action {
    Action::builder()
        .r#type(ActionTypeEnum::AuthenticateOidc)
        .order(1)
        .authenticate_oidc_config(
            AuthenticateOidcActionConfig::builder()
                .issuer("https://idp.example.com")
                .authorization_endpoint("https://idp.example.com/authorize")
                .token_endpoint("https://idp.example.com/token")
                .user_info_endpoint("https://idp.example.com/userinfo")
                .client_id("canary-client")
                .client_secret("s3cret")
                .session_cookie_name("AWSELBAuthSessionCookie")
                .scope("openid email")
                .session_timeout(3600)
                .on_unauthenticated_request(
                    AuthenticateOidcActionConditionalBehaviorEnum::Authenticate,
                )
                .build(),
        )
        .build()
}

/// `oidc()` as Describe* shows it: AWS never returns the client secret (nor
/// UseExistingClientSecret), so the router has to write it back with UseExistingClientSecret.
fn oidc_as_described() -> Action {
    let mut action = oidc();
    action
        .authenticate_oidc_config
        .as_mut()
        .unwrap()
        .client_secret = None;
    action
}

/// A rule at priority 10: OIDC (order 1), then a sticky weighted forward to stable, a third
/// group and the canary (order 2), under path and host conditions.
async fn busy_rule(client: &Client, alb: &DemoAlb, third: &str) -> String {
    let out = client
        .create_rule()
        .listener_arn(&alb.listener_arn)
        .priority(10)
        .conditions(
            RuleCondition::builder()
                .field("path-pattern")
                .path_pattern_config(
                    PathPatternConditionConfig::builder()
                        .values("/api/*")
                        .values("/v2/*")
                        .build(),
                )
                .build(),
        )
        .conditions(
            RuleCondition::builder()
                .field("host-header")
                .host_header_config(
                    HostHeaderConditionConfig::builder()
                        .values("shop.example.com")
                        .build(),
                )
                .build(),
        )
        .actions(oidc())
        .actions(forward(
            &[(&alb.stable_arn, 990), (third, 10), (&alb.canary_arn, 0)],
            Some(2),
            Some(3600),
        ))
        .send()
        .await
        .expect("create rule");
    out.rules()[0].rule_arn().unwrap().to_string()
}

// ---- reads and writes -----------------------------------------------------------------------

#[tokio::test]
async fn reads_a_plain_forward_default_action() {
    let (client, log, alb) = setup("ar-read").await;
    let router = router(
        &client,
        &arns(AlbTarget::ListenerArn(alb.listener_arn.clone()), &alb),
    )
    .await;
    log.take();

    assert_eq!(router.read().await.unwrap(), split(1, 0));
    assert_eq!(
        log.take(),
        ["DescribeListeners"],
        "a read is exactly one call"
    );
    assert_eq!(
        router.describe(),
        format!(
            "ALB listener {} default action (stable ar-read-stable, canary ar-read-canary)",
            alb.listener_arn
        )
    );
    assert_eq!(
        router.split_for(Share::from_permille(50).unwrap()),
        split(950, 50)
    );
}

#[tokio::test]
async fn write_turns_a_plain_forward_into_a_weighted_forward_config() {
    let (client, log, alb) = setup("ar-convert").await;
    let router = router(
        &client,
        &arns(AlbTarget::ListenerArn(alb.listener_arn.clone()), &alb),
    )
    .await;
    log.take();

    let written = router
        .write(Some(split(1, 0)), split(950, 50))
        .await
        .unwrap();
    assert_eq!(written, split(950, 50));
    assert_eq!(
        log.take(),
        ["DescribeListeners", "ModifyListener", "DescribeListeners"],
        "a write is describe + modify + describe"
    );

    let actions = listener_actions(&client, &alb.listener_arn).await;
    assert_eq!(actions.len(), 1);
    assert_eq!(actions[0].r#type(), Some(&ActionTypeEnum::Forward));
    assert_eq!(
        actions[0].target_group_arn(),
        None,
        "TargetGroupArn is dropped"
    );
    assert_eq!(
        weights(&actions[0]),
        [
            (alb.stable_arn.clone(), Some(950)),
            (alb.canary_arn.clone(), Some(50))
        ]
    );
    assert_eq!(router.read().await.unwrap(), split(950, 50));

    // Full canary, then roll back to stable.
    let full = router.split_for(Share::CANARY_ONLY);
    assert_eq!(
        router.write(Some(split(950, 50)), full).await.unwrap(),
        split(0, 999)
    );
    let back = router.split_for(Share::STABLE_ONLY);
    assert_eq!(router.write(None, back).await.unwrap(), split(999, 0));
    assert_eq!(router.read().await.unwrap(), split(999, 0));
}

#[tokio::test]
async fn rule_write_keeps_every_other_field_exactly() {
    let (client, log, alb) = setup("ar-busy").await;
    let third = target_group(&client, "ar-busy-third", &alb.vpc_id).await;
    let rule_arn = busy_rule(&client, &alb, &third).await;
    let router = router(&client, &arns(AlbTarget::RuleArn(rule_arn.clone()), &alb)).await;
    assert_eq!(
        router.resolved().rule_arn.as_deref(),
        Some(rule_arn.as_str())
    );
    let before = describe_rule(&client, &rule_arn).await;
    // Created with a client secret, described without one (as on AWS). The write below only
    // succeeds because the router sends UseExistingClientSecret: ModifyRule with neither that
    // nor a secret is a ValidationError.
    assert_eq!(before.actions()[0], oidc_as_described());
    log.take();

    assert_eq!(router.read().await.unwrap(), split(990, 0));
    assert_eq!(log.take(), ["DescribeRules"]);
    let written = router
        .write(Some(split(990, 0)), split(900, 90))
        .await
        .unwrap();
    assert_eq!(written, split(900, 90));
    assert_eq!(log.take(), ["DescribeRules", "ModifyRule", "DescribeRules"]);

    let after = describe_rule(&client, &rule_arn).await;
    let forward_after = after
        .actions()
        .iter()
        .find(|a| a.r#type() == Some(&ActionTypeEnum::Forward))
        .unwrap();
    assert_eq!(
        weights(forward_after),
        [
            (alb.stable_arn.clone(), Some(900)),
            (third.clone(), Some(10)),
            (alb.canary_arn.clone(), Some(90))
        ]
    );

    // Put the old two weights back into the new description: it must then equal the old one in
    // every field (priority, conditions, OIDC action, orders, stickiness, the third group).
    let mut normalised = after.clone();
    for action in normalised.actions.as_mut().unwrap() {
        if let Some(groups) = action
            .forward_config
            .as_mut()
            .and_then(|c| c.target_groups.as_mut())
        {
            for group in groups {
                if group.target_group_arn() == Some(alb.stable_arn.as_str()) {
                    group.weight = Some(990);
                }
                if group.target_group_arn() == Some(alb.canary_arn.as_str()) {
                    group.weight = Some(0);
                }
            }
        }
    }
    assert_eq!(normalised, before, "only the two weights may change");
}

#[tokio::test]
async fn listener_default_action_with_sticky_weighted_forward_keeps_its_stickiness() {
    let (client, _log, alb) = setup("ar-listener").await;
    let third = target_group(&client, "ar-listener-third", &alb.vpc_id).await;
    // The third group joins the default action, sticky for 10 minutes.
    client
        .modify_listener()
        .listener_arn(&alb.listener_arn)
        .default_actions(forward(
            &[(&alb.stable_arn, 5), (&third, 1)],
            None,
            Some(600),
        ))
        .send()
        .await
        .expect("modify listener");
    let before = listener_actions(&client, &alb.listener_arn).await;
    let route = AlbRoute {
        target: AlbTarget::Listener {
            load_balancer: "ar-listener".into(),
            port: 80,
        },
        stable: TargetGroupRef::Name("ar-listener-stable".into()),
        canary: TargetGroupRef::Name("ar-listener-canary".into()),
    };
    let router = router(&client, &route).await;
    assert_eq!(router.resolved().rule_arn, None);
    assert_eq!(router.read().await.unwrap(), split(5, 0));

    router
        .write(Some(split(5, 0)), split(500, 500))
        .await
        .unwrap();
    let after = listener_actions(&client, &alb.listener_arn).await;
    assert_eq!(after.len(), 1);
    assert_eq!(
        weights(&after[0]),
        [
            (alb.stable_arn.clone(), Some(500)),
            (third.clone(), Some(1)),
            (alb.canary_arn.clone(), Some(500))
        ]
    );
    let sticky = |actions: &[Action]| {
        actions[0]
            .forward_config()
            .and_then(|c| c.target_group_stickiness_config())
            .cloned()
    };
    assert_eq!(sticky(&after), sticky(&before));
    assert_eq!(after[0].order(), before[0].order());
}

#[tokio::test]
async fn write_refuses_with_conflict_when_someone_else_changed_the_weights() {
    let (client, log, alb) = setup("ar-conflict").await;
    let router = router(
        &client,
        &arns(AlbTarget::ListenerArn(alb.listener_arn.clone()), &alb),
    )
    .await;
    let live = router.read().await.unwrap();
    router.write(Some(live), split(950, 50)).await.unwrap();

    // An operator moves the weights by hand between two ticks.
    client
        .modify_listener()
        .listener_arn(&alb.listener_arn)
        .default_actions(forward(
            &[(&alb.stable_arn, 500), (&alb.canary_arn, 500)],
            None,
            None,
        ))
        .send()
        .await
        .expect("modify listener");
    log.take();

    let err = router
        .write(Some(split(950, 50)), split(900, 100))
        .await
        .unwrap_err();
    match &err {
        TrafficError::Conflict { expected, live } => {
            assert_eq!((*expected, *live), (split(950, 50), split(500, 500)));
        }
        other => panic!("expected Conflict, got {other:?}"),
    }
    assert!(
        err.to_string().contains("someone else changed them"),
        "{err}"
    );
    assert_eq!(
        log.take(),
        ["DescribeListeners"],
        "a refused write modifies nothing"
    );
    assert_eq!(router.read().await.unwrap(), split(500, 500));
}

#[tokio::test]
async fn write_of_the_live_split_is_verified_by_one_read() {
    let (client, log, alb) = setup("ar-noop").await;
    let router = router(
        &client,
        &arns(AlbTarget::ListenerArn(alb.listener_arn.clone()), &alb),
    )
    .await;
    router.write(None, split(999, 0)).await.unwrap();
    log.take();
    assert_eq!(
        router
            .write(Some(split(999, 0)), split(999, 0))
            .await
            .unwrap(),
        split(999, 0)
    );
    assert_eq!(log.take(), ["DescribeListeners"]);
}

#[tokio::test]
async fn read_refuses_a_listener_that_does_not_forward_to_stable() {
    let (client, _log, alb) = setup("ar-notrouted").await;
    let third = target_group(&client, "ar-notrouted-third", &alb.vpc_id).await;
    let route = AlbRoute {
        target: AlbTarget::ListenerArn(alb.listener_arn.clone()),
        stable: TargetGroupRef::Arn(third.clone()),
        canary: TargetGroupRef::Arn(alb.canary_arn.clone()),
    };
    let router = router(&client, &route).await;
    let err = router.read().await.unwrap_err();
    assert!(
        matches!(err, TrafficError::StableNotRouted { .. }),
        "{err:?}"
    );
    let text = err.to_string();
    assert!(text.contains(&alb.listener_arn), "{text}");
    assert!(text.contains(&third), "{text}");
    assert!(
        text.contains(&format!("{} (weight 1)", alb.stable_arn)),
        "{text}"
    );
    let err = router.write(None, split(999, 0)).await.unwrap_err();
    assert!(
        matches!(err, TrafficError::StableNotRouted { .. }),
        "{err:?}"
    );
}

// ---- resolution -----------------------------------------------------------------------------

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
    assert_eq!(router.read().await.unwrap(), split(990, 0));
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
    assert!(matches!(err, TrafficError::NotFound { .. }), "{err:?}");
    assert_eq!(
        err.to_string(),
        "load balancer \"ar-errors-nope\" not found: check the name or ARN in the playbook, and \
         the account and region in use"
    );

    let err = resolve_err(&client, names(rule("ar-errors", 8080, 10), stable, canary)).await;
    assert!(matches!(err, TrafficError::NotFound { .. }), "{err:?}");
    assert!(
        err.to_string().starts_with(
            "listener on port 8080 of load balancer \"ar-errors\" (it has listeners on ports \
             80) not found"
        ),
        "{err}"
    );

    let err = resolve_err(&client, names(rule("ar-errors", 80, 99), stable, canary)).await;
    assert!(matches!(err, TrafficError::NotFound { .. }), "{err:?}");
    assert!(
        err.to_string().starts_with(&format!(
            "rule with priority 99 on listener {} (its rules have priorities default) not found",
            alb.listener_arn
        )),
        "{err}"
    );

    let listener = AlbTarget::Listener {
        load_balancer: "ar-errors".into(),
        port: 80,
    };
    let err = resolve_err(&client, names(listener.clone(), "ar-errors-nope", canary)).await;
    assert!(matches!(err, TrafficError::NotFound { .. }), "{err:?}");
    assert!(
        err.to_string()
            .starts_with("stable target group \"ar-errors-nope\" not found"),
        "{err}"
    );
    let err = resolve_err(&client, names(listener.clone(), stable, "ar-errors-nope")).await;
    assert!(
        err.to_string()
            .starts_with("canary target group \"ar-errors-nope\" not found"),
        "{err}"
    );

    let err = resolve_err(&client, names(listener, stable, stable)).await;
    assert!(matches!(err, TrafficError::Ambiguous { .. }), "{err:?}");
    assert!(err.to_string().contains("same target group"), "{err}");
}

#[tokio::test]
async fn resolution_checks_arns_exist() {
    let (client, _log, alb) = setup("ar-arns").await;
    let gone_rule = alb.listener_arn.replace(":listener/", ":listener-rule/") + "/0123456789abcdef";
    let err = resolve_err(&client, arns(AlbTarget::RuleArn(gone_rule.clone()), &alb)).await;
    assert!(matches!(err, TrafficError::NotFound { .. }), "{err:?}");
    assert!(
        err.to_string()
            .starts_with(&format!("listener rule {gone_rule} not found")),
        "{err}"
    );

    let gone_listener = format!("{}0", alb.listener_arn);
    let err = resolve_err(
        &client,
        arns(AlbTarget::ListenerArn(gone_listener.clone()), &alb),
    )
    .await;
    assert!(
        err.to_string()
            .starts_with(&format!("listener {gone_listener} not found")),
        "{err}"
    );

    let mut route = arns(AlbTarget::ListenerArn(alb.listener_arn.clone()), &alb);
    let gone_group = format!("{}0", alb.canary_arn);
    route.canary = TargetGroupRef::Arn(gone_group.clone());
    let err = resolve_err(&client, route).await;
    assert!(
        err.to_string()
            .starts_with(&format!("canary target group {gone_group} not found")),
        "{err}"
    );

    let err = resolve_err(
        &client,
        arns(AlbTarget::ListenerArn("demo-listener".into()), &alb),
    )
    .await;
    assert!(err.to_string().contains("not a listener ARN"), "{err}");
}

#[tokio::test]
async fn resolution_refuses_a_target_group_of_another_load_balancer() {
    let (client, _log, alb) = setup("ar-mine").await;
    let other = demo_alb("ar-theirs").await;
    let mut route = arns(AlbTarget::ListenerArn(alb.listener_arn.clone()), &alb);
    route.canary = TargetGroupRef::Arn(other.stable_arn.clone());
    let err = resolve_err(&client, route).await;
    assert!(
        matches!(err, TrafficError::WrongLoadBalancer { .. }),
        "{err:?}"
    );
    let text = err.to_string();
    assert!(
        text.contains(&other.stable_arn) && text.contains(&other.lb_arn),
        "{text}"
    );
    assert!(text.contains(&alb.lb_arn), "{text}");

    // The unattached canary of the same fixture is fine.
    router(
        &client,
        &arns(AlbTarget::ListenerArn(alb.listener_arn.clone()), &alb),
    )
    .await;
}

//! Shared fixtures of the router tests: a logging client on a fresh demo ALB, routes by ARN,
//! resolved routers, resolution errors, and what the emulator describes afterwards.

use crate::emulator::{demo_alb, sdk_config, DemoAlb};
pub(super) use crate::traffic_errors::assert_starts_with;
use aws_sdk_elasticloadbalancingv2::types::{Action, ProtocolEnum, Rule};
use aws_sdk_elasticloadbalancingv2::Client;
use canary_deploy::aws::{CallLog, Clients};
use canary_deploy::core::plan::{AlbRoute, AlbTarget, TargetGroupRef};
use canary_deploy::traffic::{AlbRouter, TrafficError};

/// A client that logs its calls, and a fresh demo ALB.
pub(super) async fn setup(prefix: &str) -> (Client, CallLog, DemoAlb) {
    let clients = Clients::new(&sdk_config().await);
    let alb = demo_alb(prefix).await;
    (clients.elbv2, clients.calls, alb)
}

/// [`setup`], plus a router on the demo listener's default action (the log keeps the calls of
/// its resolution).
pub(super) async fn setup_listener(prefix: &str) -> (Client, CallLog, DemoAlb, AlbRouter) {
    let (client, log, alb) = setup(prefix).await;
    let router = router(&client, &listener_route(&alb)).await;
    (client, log, alb, router)
}

/// A route to `target` with the demo ALB's stable and canary groups by ARN.
pub(super) fn arns(target: AlbTarget, alb: &DemoAlb) -> AlbRoute {
    AlbRoute {
        target,
        stable: TargetGroupRef::Arn(crate::emulator::owned_arn(&alb.stable_arn)),
        canary: TargetGroupRef::Arn(crate::emulator::owned_arn(&alb.canary_arn)),
    }
}

/// A route to the demo listener's default action, everything by ARN.
pub(super) fn listener_route(alb: &DemoAlb) -> AlbRoute {
    arns(
        AlbTarget::ListenerArn(crate::emulator::owned_arn(&alb.listener_arn)),
        alb,
    )
}

pub(super) async fn router(client: &Client, route: &AlbRoute) -> AlbRouter {
    AlbRouter::resolve(client.clone(), route)
        .await
        .unwrap_or_else(|e| panic!("resolve {route:?}: {e}"))
}

pub(super) async fn resolve_err(client: &Client, route: AlbRoute) -> TrafficError {
    match AlbRouter::resolve(client.clone(), &route).await {
        Ok(router) => panic!("{route:?} resolved to {:?}", router.resolved()),
        Err(e) => e,
    }
}

/// Asserts that a [`TrafficError`] is of the given variant, showing it if not.
macro_rules! assert_kind {
    ($err:expr, $kind:ident) => {
        assert!(
            matches!($err, canary_deploy::traffic::TrafficError::$kind { .. }),
            "{:?}",
            $err
        )
    };
}
pub(super) use assert_kind;

/// Creates an HTTP:80 target group `name` in `vpc`; its ARN.
pub(super) async fn target_group(client: &Client, name: &str, vpc: &str) -> String {
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

pub(super) async fn listener_actions(client: &Client, listener: &str) -> Vec<Action> {
    let out = client
        .describe_listeners()
        .listener_arns(listener)
        .send()
        .await
        .expect("describe listener");
    out.listeners()[0].default_actions().to_vec()
}

pub(super) async fn describe_rule(client: &Client, rule: &str) -> Rule {
    let out = client
        .describe_rules()
        .rule_arns(rule)
        .send()
        .await
        .expect("describe rule");
    out.rules()[0].clone()
}

/// The (target group ARN, weight) pairs of a forward action, in order.
pub(super) fn weights(action: &Action) -> Vec<(String, Option<i32>)> {
    action
        .forward_config()
        .expect("a forward config")
        .target_groups()
        .iter()
        .map(|g| (g.target_group_arn().unwrap().to_string(), g.weight()))
        .collect()
}

//! Shared fixtures of the Lattice router tests: a logging client on a fresh demo service,
//! routes by ARN, resolved routers, resolution errors, and the rule and listener as the
//! emulator describes them.

use crate::emulator::{demo_lattice, sdk_config, DemoLattice};
pub(super) use crate::traffic_errors::{assert_kind, assert_starts_with};
use aws_sdk_vpclattice::operation::get_rule::GetRuleOutput;
use aws_sdk_vpclattice::types::{
    FixedResponseAction, ForwardAction, RuleAction, TargetGroupType, WeightedTargetGroup,
};
use aws_sdk_vpclattice::Client;
use canary_deploy::aws::{CallLog, Clients};
use canary_deploy::core::plan::{LatticeRef, LatticeRoute};
use canary_deploy::traffic::{LatticeRouter, TrafficError};

/// A client that logs its calls, and a fresh demo service (see [`demo_lattice`]).
pub(super) async fn setup(
    prefix: &str,
    weights: Option<(u32, u32)>,
) -> (Client, CallLog, DemoLattice) {
    let clients = Clients::new(&sdk_config().await);
    let demo = demo_lattice(prefix, weights).await;
    (clients.lattice, clients.calls, demo)
}

pub(super) fn arn(value: &str) -> LatticeRef {
    LatticeRef::Arn(crate::emulator::owned_arn(value))
}

pub(super) fn id(value: &str) -> LatticeRef {
    LatticeRef::Id(value.to_string())
}

pub(super) fn name(value: &str) -> LatticeRef {
    LatticeRef::Name(value.to_string())
}

/// The demo listener's default action, listener and target groups by ARN.
pub(super) fn listener_route(demo: &DemoLattice) -> LatticeRoute {
    LatticeRoute {
        service: None,
        listener: Some(arn(&demo.listener_arn)),
        rule: None,
        stable: arn(&demo.stable_arn),
        canary: arn(&demo.canary_arn),
    }
}

/// The demo rule, rule and target groups by ARN.
pub(super) fn rule_route(demo: &DemoLattice) -> LatticeRoute {
    LatticeRoute {
        listener: None,
        rule: Some(arn(&demo.rule_arn)),
        ..listener_route(demo)
    }
}

pub(super) async fn router(client: &Client, route: &LatticeRoute) -> LatticeRouter {
    LatticeRouter::resolve(client.clone(), route)
        .await
        .unwrap_or_else(|e| panic!("resolve {route:?}: {e}"))
}

pub(super) async fn resolve_err(client: &Client, route: LatticeRoute) -> TrafficError {
    match LatticeRouter::resolve(client.clone(), &route).await {
        Ok(router) => panic!("{route:?} resolved to {:?}", router.resolved()),
        Err(e) => e,
    }
}

/// A forward to `groups` (identifier, weight).
pub(super) fn forward(groups: &[(&str, i32)]) -> RuleAction {
    let groups = groups
        .iter()
        .map(|(identifier, weight)| {
            WeightedTargetGroup::builder()
                .target_group_identifier(*identifier)
                .weight(*weight)
                .build()
                .unwrap()
        })
        .collect();
    RuleAction::Forward(
        ForwardAction::builder()
            .set_target_groups(Some(groups))
            .build()
            .unwrap(),
    )
}

pub(super) fn fixed_response(status: i32) -> RuleAction {
    RuleAction::FixedResponse(
        FixedResponseAction::builder()
            .status_code(status)
            .build()
            .unwrap(),
    )
}

/// The (identifier, weight) pairs of a forward action, in order.
pub(super) fn weights(action: &RuleAction) -> Vec<(String, Option<i32>)> {
    action
        .as_forward()
        .expect("a forward action")
        .target_groups()
        .iter()
        .map(|g| (g.target_group_identifier().to_string(), g.weight()))
        .collect()
}

/// Creates a LAMBDA target group `name`; its id.
pub(super) async fn target_group(client: &Client, name: &str) -> String {
    let out = client
        .create_target_group()
        .name(name)
        .r#type(TargetGroupType::Lambda)
        .send()
        .await
        .expect("create target group");
    out.id().unwrap().to_string()
}

pub(super) async fn get_rule(client: &Client, demo: &DemoLattice) -> GetRuleOutput {
    client
        .get_rule()
        .service_identifier(&demo.service_id)
        .listener_identifier(&demo.listener_id)
        .rule_identifier(&demo.rule_id)
        .send()
        .await
        .expect("get rule")
}

pub(super) async fn default_action(client: &Client, demo: &DemoLattice) -> RuleAction {
    let out = client
        .get_listener()
        .service_identifier(&demo.service_id)
        .listener_identifier(&demo.listener_id)
        .send()
        .await
        .expect("get listener");
    out.default_action.expect("a default action")
}

/// Sets the listener's default action by hand (as an operator would).
pub(super) async fn set_default_action(client: &Client, demo: &DemoLattice, action: RuleAction) {
    client
        .update_listener()
        .service_identifier(&demo.service_id)
        .listener_identifier(&demo.listener_id)
        .default_action(action)
        .send()
        .await
        .expect("update listener");
}

/// Sets the rule's action by hand (as an operator would).
pub(super) async fn set_rule_action(client: &Client, demo: &DemoLattice, action: RuleAction) {
    client
        .update_rule()
        .service_identifier(&demo.service_id)
        .listener_identifier(&demo.listener_id)
        .rule_identifier(&demo.rule_id)
        .action(action)
        .send()
        .await
        .expect("update rule");
}

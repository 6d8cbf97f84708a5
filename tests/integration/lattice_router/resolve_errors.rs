//! Each way resolution refuses a Lattice route, naming what it looked for as the playbook wrote
//! it: unknown service, listener, rule or target group (by name, id and ARN), parts of two
//! different routes, an action that does not forward, and a forward without the stable group.

use super::fixtures::{
    arn, assert_kind, assert_starts_with, fixed_response, forward, id, listener_route, name,
    resolve_err, rule_route, set_default_action, set_rule_action, setup, target_group,
};
use crate::emulator::demo_lattice;
use aws_sdk_vpclattice::types::ListenerProtocol;
use canary_deploy::core::plan::LatticeRoute;

const NO_SUCH_SERVICE: &str = "svc-0000000000000000a";

#[tokio::test]
async fn unknown_services_listeners_and_rules_are_not_found() {
    let (client, _log, demo) = setup("lr-unknown", None).await;
    let names = |service: &str, listener: &str, rule: Option<&str>| LatticeRoute {
        service: Some(name(service)),
        listener: Some(name(listener)),
        rule: rule.map(name),
        stable: name("lr-unknown-stable"),
        canary: name("lr-unknown-canary"),
    };

    let err = resolve_err(&client, names("lr-unknown-nope", "lr-unknown-http", None)).await;
    assert_kind(&err, "NotFound");
    assert_eq!(
        err.to_string(),
        "service \"lr-unknown-nope\" not found: check the name or ARN in the playbook, and the \
         account and region in use"
    );

    let mut by_id = names("x", "lr-unknown-http", None);
    by_id.service = Some(id(NO_SUCH_SERVICE));
    let err = resolve_err(&client, by_id).await;
    assert_kind(&err, "NotFound");
    assert_starts_with(&err, &format!("service {NO_SUCH_SERVICE} not found"));

    let err = resolve_err(&client, names("lr-unknown", "nope", None)).await;
    assert_kind(&err, "NotFound");
    assert_starts_with(
        &err,
        "listener \"nope\" of service lr-unknown (there are: lr-unknown-http) not found",
    );

    let gone_listener = format!("{}/listener/listener-0000000000000000b", demo.service_arn);
    let mut route = listener_route(&demo);
    route.listener = Some(arn(&gone_listener));
    let err = resolve_err(&client, route).await;
    assert_kind(&err, "NotFound");
    assert_starts_with(
        &err,
        &format!(
            "listener {gone_listener} of service {} not found",
            demo.service_id
        ),
    );

    let err = resolve_err(
        &client,
        names("lr-unknown", "lr-unknown-http", Some("nope")),
    )
    .await;
    assert_kind(&err, "NotFound");
    assert_starts_with(
        &err,
        "rule \"nope\" of listener lr-unknown-http of service lr-unknown (there are: \
         lr-unknown-rule, default) not found",
    );

    let mut route = names("lr-unknown", "lr-unknown-http", None);
    route.rule = Some(id("rule-0000000000000000c"));
    let err = resolve_err(&client, route).await;
    assert_kind(&err, "NotFound");
    assert_starts_with(
        &err,
        "rule rule-0000000000000000c of listener lr-unknown-http of service lr-unknown not found",
    );

    // An ARN, but of a target group, where the listener's is due.
    let mut route = listener_route(&demo);
    route.listener = Some(arn(&demo.stable_arn));
    let err = resolve_err(&client, route).await;
    assert_starts_with(
        &err,
        &format!(
            "listener \"{}\" (not a VPC Lattice listener ARN) not found",
            demo.stable_arn
        ),
    );
}

#[tokio::test]
async fn unknown_target_groups_are_not_found() {
    let (client, _log, demo) = setup("lr-unknown-tg", None).await;
    let mut route = listener_route(&demo);
    route.stable = name("lr-unknown-tg-nope");
    let err = resolve_err(&client, route).await;
    assert_kind(&err, "NotFound");
    assert_starts_with(&err, "stable target group \"lr-unknown-tg-nope\" not found");

    let gone = demo
        .canary_arn
        .replace(&demo.canary_id, "tg-0000000000000000d");
    let mut route = listener_route(&demo);
    route.canary = arn(&gone);
    let err = resolve_err(&client, route).await;
    assert_kind(&err, "NotFound");
    assert_starts_with(&err, &format!("canary target group {gone} not found"));

    let mut route = listener_route(&demo);
    route.canary = id("tg-0000000000000000d");
    let err = resolve_err(&client, route).await;
    assert_starts_with(&err, "canary target group tg-0000000000000000d not found");

    let mut route = listener_route(&demo);
    route.canary = route.stable.clone();
    let err = resolve_err(&client, route).await;
    assert_kind(&err, "Ambiguous");
    assert!(err.to_string().contains("same target group"), "{err}");
}

#[tokio::test]
async fn parts_of_two_routes_are_refused() {
    let (client, log, demo) = setup("lr-mine", None).await;
    let other = demo_lattice("lr-theirs", None).await;

    // A listener ARN of another service: refused by the ARN, after the service's own Get.
    log.take();
    let mut route = listener_route(&demo);
    route.service = Some(id(&demo.service_id));
    route.listener = Some(arn(&other.listener_arn));
    let err = resolve_err(&client, route).await;
    assert_kind(&err, "WrongParent");
    assert_eq!(
        err.to_string(),
        format!(
            "listener {} belongs to service {}, not to service lr-mine ({}) as the playbook \
             says: name parts of one route (an ARN names its own service and listener, so those \
             can be left out)",
            other.listener_arn, other.service_id, demo.service_id
        )
    );
    assert_eq!(log.take(), ["GetService"]);

    // A listener id of another service: not found in this one.
    let mut route = listener_route(&demo);
    route.service = Some(id(&demo.service_id));
    route.listener = Some(id(&other.listener_id));
    let err = resolve_err(&client, route).await;
    assert_kind(&err, "NotFound");
    assert_starts_with(
        &err,
        &format!(
            "listener {} of service lr-mine not found",
            other.listener_id
        ),
    );

    // A rule ARN of another listener of the same service.
    let alt = client
        .create_listener()
        .service_identifier(&demo.service_id)
        .name("lr-mine-alt")
        .protocol(ListenerProtocol::Http)
        .port(8080)
        .default_action(forward(&[(&demo.stable_id, 1)]))
        .send()
        .await
        .expect("create listener");
    let mut route = rule_route(&demo);
    route.listener = Some(arn(alt.arn().unwrap()));
    let err = resolve_err(&client, route).await;
    assert_kind(&err, "WrongParent");
    assert_starts_with(
        &err,
        &format!(
            "rule {} belongs to listener {}, not to listener lr-mine-alt ({}) as the playbook says",
            demo.rule_arn,
            demo.listener_id,
            alt.id().unwrap()
        ),
    );

    // A rule ARN of another service than the one named.
    let mut route = rule_route(&other);
    route.listener = Some(arn(&demo.listener_arn));
    route.service = Some(arn(&demo.service_arn));
    let err = resolve_err(&client, route).await;
    assert_kind(&err, "WrongParent");
    assert_starts_with(
        &err,
        &format!(
            "rule {} belongs to service {}, not to service lr-mine",
            other.rule_arn, other.service_id
        ),
    );
}

#[tokio::test]
async fn an_action_that_does_not_forward_is_refused_naming_its_kind() {
    let (client, _log, demo) = setup("lr-fixed", None).await;
    set_default_action(&client, &demo, fixed_response(404)).await;
    let err = resolve_err(&client, listener_route(&demo)).await;
    assert_kind(&err, "NoForwardAction");
    assert_eq!(
        err.to_string(),
        format!(
            "Lattice listener {} (default action) of service {} has no forward action (its \
             actions: fixedResponse (status 404)): weights can only be shifted on a rule or \
             listener that forwards to target groups",
            demo.listener_arn, demo.service_id
        )
    );

    set_rule_action(&client, &demo, fixed_response(500)).await;
    let err = resolve_err(&client, rule_route(&demo)).await;
    assert_kind(&err, "NoForwardAction");
    assert!(
        err.to_string()
            .contains("(its actions: fixedResponse (status 500))"),
        "{err}"
    );
}

#[tokio::test]
async fn a_forward_without_the_stable_target_group_is_refused() {
    let (client, _log, demo) = setup("lr-notrouted", None).await;
    let third = target_group(&client, "lr-notrouted-third").await;
    let mut route = rule_route(&demo);
    route.stable = id(&third);
    let err = resolve_err(&client, route).await;
    assert_kind(&err, "StableNotRouted");
    let text = err.to_string();
    assert!(
        text.starts_with(&format!("Lattice rule {} ", demo.rule_arn)),
        "{text}"
    );
    assert!(
        text.contains(&format!(
            "does not forward to the stable target group lr-notrouted-third ({third}) (it \
             forwards to: {} (weight 100))",
            demo.stable_id
        )),
        "{text}"
    );

    // Swapped roles: the canary is in the forward, the stable is not.
    let mut route = listener_route(&demo);
    std::mem::swap(&mut route.stable, &mut route.canary);
    let err = resolve_err(&client, route).await;
    assert_kind(&err, "StableNotRouted");
}

//! Resolution of a Lattice route by ARN, by id and by name: what it resolves to, the exact calls
//! each takes, and the demo playbooks' routes.

use super::fixtures::{arn, id, listener_route, name, router, rule_route, setup};
use crate::emulator::DemoLattice;
use canary_deploy::core::plan::{LatticeRoute, Route};
use canary_deploy::core::Split;
use canary_deploy::traffic::{LatticeResource, LatticeRouter, ResolvedLattice, Router};

fn resource(id: &str, arn: &str, name: Option<&str>) -> LatticeResource {
    LatticeResource {
        id: id.to_string(),
        arn: arn.to_string(),
        name: name.map(str::to_string),
    }
}

/// The demo route fully resolved, every name known.
fn resolved(demo: &DemoLattice, prefix: &str, on_rule: bool) -> ResolvedLattice {
    ResolvedLattice {
        service: resource(&demo.service_id, &demo.service_arn, Some(prefix)),
        listener: resource(
            &demo.listener_id,
            &demo.listener_arn,
            Some(&format!("{prefix}-http")),
        ),
        rule: on_rule.then(|| {
            resource(
                &demo.rule_id,
                &demo.rule_arn,
                Some(&format!("{prefix}-rule")),
            )
        }),
        stable: resource(
            &demo.stable_id,
            &demo.stable_arn,
            Some(&format!("{prefix}-stable")),
        ),
        canary: resource(
            &demo.canary_id,
            &demo.canary_arn,
            Some(&format!("{prefix}-canary")),
        ),
    }
}

#[tokio::test]
async fn resolves_a_listener_arn_with_three_calls() {
    let (client, log, demo) = setup("lr-listener-arn", None).await;
    log.take();
    let router = router(&client, &listener_route(&demo)).await;
    assert_eq!(
        log.take(),
        ["GetListener", "GetTargetGroup", "GetTargetGroup"]
    );
    let mut expected = resolved(&demo, "lr-listener-arn", false);
    expected.service.name = None; // read off the ARN: never looked up
    assert_eq!(router.resolved(), &expected);
    assert_eq!(
        router.resolved().resource(),
        format!(
            "Lattice listener {} (default action) of service {}",
            demo.listener_arn, demo.service_id
        )
    );
    assert_eq!(
        router.describe(),
        format!(
            "Lattice listener {} default action of service {} (stable lr-listener-arn-stable, \
             canary lr-listener-arn-canary)",
            demo.listener_id, demo.service_id
        )
    );
}

#[tokio::test]
async fn resolves_a_rule_arn_with_three_calls() {
    let (client, log, demo) = setup("lr-rule-arn", None).await;
    log.take();
    let router = router(&client, &rule_route(&demo)).await;
    assert_eq!(log.take(), ["GetRule", "GetTargetGroup", "GetTargetGroup"]);
    let mut expected = resolved(&demo, "lr-rule-arn", true);
    expected.service.name = None;
    expected.listener.name = None;
    assert_eq!(router.resolved(), &expected);
    assert_eq!(
        router.describe(),
        format!(
            "Lattice rule {} of service {} (stable lr-rule-arn-stable, canary \
             lr-rule-arn-canary)",
            demo.rule_id, demo.service_id
        )
    );
    assert_eq!(router.read().await.unwrap(), Split::new(100, 0));
}

#[tokio::test]
async fn resolves_ids_with_one_get_each() {
    let (client, log, demo) = setup("lr-ids", None).await;
    log.take();
    let route = LatticeRoute {
        service: Some(id(&demo.service_id)),
        listener: Some(id(&demo.listener_id)),
        rule: Some(id(&demo.rule_id)),
        stable: id(&demo.stable_id),
        canary: id(&demo.canary_id),
    };
    let router = router(&client, &route).await;
    assert_eq!(
        log.take(),
        [
            "GetService",
            "GetListener",
            "GetRule",
            "GetTargetGroup",
            "GetTargetGroup"
        ]
    );
    assert_eq!(router.resolved(), &resolved(&demo, "lr-ids", true));
    assert_eq!(
        router.resolved().resource(),
        format!(
            "Lattice rule {} of listener lr-ids-http of service lr-ids",
            demo.rule_arn
        )
    );

    // The listener's default action by ids: its GetListener also yields the action.
    let route = LatticeRoute {
        rule: None,
        ..route
    };
    let router = super::fixtures::router(&client, &route).await;
    assert_eq!(
        log.take(),
        [
            "GetService",
            "GetListener",
            "GetTargetGroup",
            "GetTargetGroup"
        ]
    );
    assert_eq!(router.resolved(), &resolved(&demo, "lr-ids", false));
}

#[tokio::test]
async fn resolves_names_with_list_calls() {
    let (client, log, demo) = setup("lr-names", None).await;
    log.take();
    let route = LatticeRoute {
        service: Some(name("lr-names")),
        listener: Some(name("lr-names-http")),
        rule: Some(name("lr-names-rule")),
        stable: name("lr-names-stable"),
        canary: name("lr-names-canary"),
    };
    let router = router(&client, &route).await;
    // The shared emulator holds every test's target groups, so the one walk may take pages.
    let mut calls = log.take();
    calls.dedup();
    assert_eq!(
        calls,
        [
            "ListServices",
            "ListListeners",
            "ListRules",
            "GetRule",
            "ListTargetGroups"
        ],
        "one ListTargetGroups walk finds both target groups"
    );
    assert_eq!(router.resolved(), &resolved(&demo, "lr-names", true));
    assert_eq!(
        router.describe(),
        format!(
            "Lattice rule {} of service lr-names (stable lr-names-stable, canary \
             lr-names-canary)",
            demo.rule_id
        )
    );

    let route = LatticeRoute {
        rule: None,
        ..route
    };
    let router = super::fixtures::router(&client, &route).await;
    let mut calls = log.take();
    calls.dedup();
    assert_eq!(
        calls,
        [
            "ListServices",
            "ListListeners",
            "GetListener",
            "ListTargetGroups"
        ]
    );
    assert_eq!(router.resolved(), &resolved(&demo, "lr-names", false));
}

#[tokio::test]
async fn the_default_rule_given_as_a_rule_is_the_listener_default_action() {
    let (client, _log, demo) = setup("lr-default-rule", None).await;
    let route = LatticeRoute {
        service: Some(arn(&demo.service_arn)),
        listener: Some(arn(&demo.listener_arn)),
        rule: Some(name("default")),
        stable: arn(&demo.stable_arn),
        canary: arn(&demo.canary_arn),
    };
    let router = router(&client, &route).await;
    assert_eq!(router.resolved().rule, None);
    assert_eq!(router.read().await.unwrap(), Split::new(100, 0));
}

#[tokio::test]
async fn the_demo_playbooks_resolve_to_the_listener_and_to_the_rule() {
    let (client, _log, demo) = setup("lr-playbook", Some((60, 40))).await;
    let dir = tempfile::tempdir().unwrap();
    let rest = "steps:\n  canary: [10, 50, 100]\n  bake: 0s\n";
    let files = [
        (demo.playbook_file(dir.path(), "on-listener", rest), false),
        (
            demo.playbook_on_rule_file(dir.path(), "on-rule", rest),
            true,
        ),
    ];
    for (file, on_rule) in files {
        let plan = canary_deploy::playbook::load(&file)
            .unwrap_or_else(|e| panic!("{}: {e}", file.display()))
            .plan;
        let Route::Lattice(route) = &plan.route else {
            panic!("{}: not a Lattice route: {:?}", file.display(), plan.route);
        };
        let router = LatticeRouter::resolve(client.clone(), route).await.unwrap();
        assert_eq!(router.resolved().rule.is_some(), on_rule);
        let live = if on_rule {
            Split::new(100, 0)
        } else {
            Split::new(60, 40)
        };
        assert_eq!(router.read().await.unwrap(), live);
    }
    assert_eq!(
        demo.playbook("x", rest),
        format!(
            "name: x\nroute:\n  lattice:\n    listener: {}\n    stable: {}\n    canary: {}\n{rest}",
            demo.listener_arn, demo.stable_arn, demo.canary_arn
        )
    );
}

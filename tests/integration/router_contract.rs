//! What every traffic router must do, written once and run on each backend: a read is one call;
//! a write is a read (the conflict check), one update and a read back, and a write of what is
//! live updates nothing; someone else's change is a conflict that names both splits and writes
//! nothing; an override writes whatever is live; and the route the record keeps rebuilds the
//! same router with no AWS call. Backend-specific shapes (what else the action keeps, RevisionId
//! locking) stay in each backend's own tests.

use crate::emulator::sdk_config;
use crate::route_fixture::{for_backends, Backend};
use canary_deploy::aws::Clients;
use canary_deploy::core::Share;
use canary_deploy::playbook;
use canary_deploy::traffic::{RouteRouter, Router, TrafficError};

const STEPS: &str = "steps:\n  canary: [10, 50, 100]\n  bake: 1m\n";

fn share(permille: u16) -> Share {
    Share::from_permille(permille).expect("a share")
}

async fn the_router_contract_holds(backend: Backend) {
    let name = format!("rc-{}", format!("{backend:?}").to_lowercase());
    let fixture = backend.fixture(&name).await;
    let yaml = fixture.playbook("contract", STEPS);
    let plan = playbook::parse(&yaml, "contract.yaml").expect("valid").plan;
    let clients = Clients::new(&sdk_config().await);
    let router = RouteRouter::resolve(&plan.route, &clients)
        .await
        .expect("the fixture resolves");
    let calls = || clients.calls.take();
    calls();

    let before = router.read().await.expect("read");
    assert_eq!(
        before.canary, 0,
        "{backend:?}: the fixture starts on stable"
    );
    assert_eq!(calls().len(), 1, "a read is one call");

    assert_eq!(
        router.write(Some(before), before).await.expect("write"),
        before
    );
    assert_eq!(
        calls().len(),
        1,
        "a write of what is live is verified by its one read"
    );

    let ten = router.split_for(share(100));
    assert_eq!(router.write(Some(before), ten).await.expect("write"), ten);
    let made = calls();
    assert_eq!(made.len(), 3, "read, update, read back: {made:?}");
    assert_eq!(made[0], made[2], "{made:?}");
    assert_eq!(router.read().await.expect("read"), ten);

    // Someone else moves half of the traffic between two ticks.
    let theirs = router.split_for(share(500));
    router.write(None, theirs).await.expect("an outside write");
    calls();
    let err = router
        .write(Some(ten), router.split_for(share(250)))
        .await
        .expect_err("someone else's change is refused");
    assert!(
        matches!(err, TrafficError::Conflict { expected, live } if expected == ten && live == theirs),
        "{err:?}"
    );
    assert!(
        err.to_string().contains("someone else changed them"),
        "{err}"
    );
    assert_eq!(calls().len(), 1, "a refused write updates nothing");
    assert_eq!(router.read().await.expect("read"), theirs);

    let stable = router.split_for(Share::STABLE_ONLY);
    assert_eq!(router.write(None, stable).await.expect("override"), stable);
    calls();

    let rebuilt = router.route().router(&clients);
    assert_eq!(rebuilt.route(), router.route());
    assert_eq!(rebuilt.describe(), router.describe());
    assert!(calls().is_empty(), "rebuilding makes no call");
    assert_eq!(rebuilt.read().await.expect("read"), stable);
    assert_eq!(
        rebuilt.split_for(share(100)),
        ten,
        "the rebuilt router writes the same raw weights"
    );
}

for_backends!(
    alb => Alb, alb_lambda => AlbLambda, lattice => Lattice, lattice_rule => LatticeRule,
    lambda_alias => LambdaAlias;
    [the_router_contract_holds]
);

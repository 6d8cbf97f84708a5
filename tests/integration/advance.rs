//! Scheduled `advance` over simulated time: each call is a fresh deployment (new clients, the
//! route resolved again, no local state), as separate processes a few minutes apart would be,
//! and everything between two calls lives in the routed resource's tags. One sequence reaches
//! promotion, another (a canary with errors) rollback; the lease is released after every call.

use crate::route_fixture::{for_backends, Backend};
use crate::scenario::{playbook, steps_started, Scenario, ANALYSIS};
use canary_deploy::core::{Phase, Record, Share};
use canary_deploy::simulator::TargetProfile;
use canary_deploy::store::Store;

const CHECKS: &str = "checks:\n  - error_rate: { max_percent: 1 }\n  - latency: { percentile: p99, max: 800ms }\n  - error_rate_vs_stable: { max_delta_percent: 1 }\n";

/// A scenario whose own deployment is never ticked: only [`Scenario::advance`] acts.
async fn scheduled(backend: Backend, name: &str) -> Scenario {
    Scenario::new(backend, name, |route| {
        playbook(route, name, &format!("{ANALYSIS}{CHECKS}"))
    })
    .await
}

/// Scheduled calls one simulated minute apart until the deployment settles (at most
/// `max_calls`); after each one the lease is released and the record is in the tags only.
async fn advance_until_settled(s: &mut Scenario, name: &str, max_calls: usize) -> Record {
    let mut record = s.advance("advance call 0").await.expect("advance");
    for call in 1..max_calls {
        let stored = s
            .tag_store(&s.clients)
            .load(name)
            .await
            .expect("the record in the tags decodes")
            .expect("a record in the tags");
        assert_eq!(stored.lease, None, "call {call}: the lease is released");
        assert_eq!(
            stored, record,
            "call {call}: the returned record is the stored one"
        );
        if !matches!(record.phase, Phase::Stepping { .. } | Phase::Pending) {
            break;
        }
        s.publish_minute().await;
        record = s
            .advance(&format!("advance call {call}"))
            .await
            .expect("advance");
    }
    let local = std::fs::read_dir(s.state_dir.path())
        .expect("state dir")
        .count();
    assert_eq!(local, 0, "no local state: the record lives in the tags");
    record
}

async fn scheduled_advances_promote_a_healthy_canary(backend: Backend) {
    let mut s = scheduled(backend, "adv-promote").await;
    let record = advance_until_settled(&mut s, "adv-promote", 20).await;
    assert!(
        matches!(record.phase, Phase::Promoted { .. }),
        "{:?}",
        record.phase
    );
    assert_eq!(steps_started(&record), vec![0, 1, 2]);
    assert_eq!(s.live().await, s.split_for(Share::CANARY_ONLY));
    // Each step baked its two simulated minutes between two calls.
    let minutes = record.updated_at.since(record.started_at).as_secs() / 60;
    assert!(minutes >= 4, "promoted after {minutes} simulated minutes");

    // A call after the end only reports: no lease taken, nothing saved.
    let again = s.advance("advance after the end").await.expect("advance");
    assert_eq!(again, record);
}

async fn scheduled_advances_roll_back_a_canary_with_errors(backend: Backend) {
    let mut s = scheduled(backend, "adv-errors").await;
    s.canary = TargetProfile {
        error_rate: 0.05,
        ..s.canary
    };
    let record = advance_until_settled(&mut s, "adv-errors", 20).await;
    let Phase::RolledBack { why, .. } = &record.phase else {
        panic!("expected rolled back, got {:?}", record.phase);
    };
    assert!(why.contains("5XX"), "{why}");
    assert_eq!(steps_started(&record), vec![0]);
    assert_eq!(s.live().await, s.split_for(Share::STABLE_ONLY));
}

for_backends!(alb => Alb, lattice => Lattice, lambda_alias => LambdaAlias; [
    scheduled_advances_promote_a_healthy_canary,
    scheduled_advances_roll_back_a_canary_with_errors,
]);

//! The evidence judge end to end: the real clients, CloudWatch as the emulator answers it, the
//! record in the route's resource tags, on each backend. A healthy canary is promoted on
//! evidence, a regression rolled back with its evidence named, a failure the stable shares
//! paused, and every judged window's counts kept in the history.

use crate::route_fixture::Backend;
use crate::scenario::{playbook, Scenario};
use canary_deploy::core::{EventKind, Phase, Record};
use canary_deploy::simulator::TargetProfile;

/// One-minute periods, judged as soon as complete; the evidence judge is the default.
const ANALYSIS: &str = "analysis:\n  interval: 60s\n  period: 60s\n  settle: 0s\n  ingestion_delay: 0s\n  min_requests: 20\n";
const CHECKS: &str = "checks:\n  - error_rate: { max_percent: 3 }\n  - error_rate_vs_stable: { max_delta_percent: 1 }\n";

/// The p99 against the stable's: requests slower than the stable's p99 before the deployment,
/// counted with CloudWatch's `TC(X:)` and tested like errors.
const LATENCY: &str = "checks:\n  - latency_vs_stable: { percentile: p99, max_ratio: 1.2 }\n";

async fn scenario(backend: Backend, name: &str) -> Scenario {
    scenario_with(backend, name, CHECKS).await
}

async fn scenario_with(backend: Backend, name: &str, checks: &str) -> Scenario {
    let mut s = Scenario::new(backend, name, |route| {
        playbook(route, name, &format!("{ANALYSIS}{checks}"))
    })
    .await;
    s.requests_per_minute = 6_000;
    s
}

fn windows_with_counts(record: &Record) -> usize {
    record
        .history
        .iter()
        .filter(|e| matches!(&e.kind, EventKind::Analysed { evidence, .. } if !evidence.is_empty()))
        .count()
}

/// The stable's baseline: ten minutes of traffic before the deployment starts.
async fn publish_baseline(s: &mut Scenario) {
    for _ in 0..10 {
        s.publish_minute().await;
    }
}

/// Promoted, on at least three judged windows' counts.
fn assert_promoted_on_evidence(record: &Record) {
    assert!(
        matches!(record.phase, Phase::Promoted { .. }),
        "{:?}\n{:#?}",
        record.phase,
        record.history
    );
    assert!(windows_with_counts(record) >= 3, "{:#?}", record.history);
}

async fn healthy_is_promoted_on_evidence(backend: Backend, name: &str) {
    let mut s = scenario(backend, name).await;
    publish_baseline(&mut s).await;
    let record = s.run(40).await;
    assert_promoted_on_evidence(&record);
    let last = record.last_verdict.as_ref().expect("a verdict");
    assert_eq!(last.verdict, "pass");
    // The 100 % step was judged, against the stable's rate before the deployment.
    assert!(
        last.details
            .iter()
            .any(|d| d.contains("vs the stable before the deployment")),
        "{:?}",
        last.details
    );
    assert!(record.evidence.baseline_measured);
}

async fn regression_is_rolled_back_with_its_evidence(backend: Backend, name: &str) {
    let mut s = scenario(backend, name).await;
    s.canary = TargetProfile {
        error_rate: 0.03,
        ..s.canary
    };
    let record = s.run(20).await;
    let Phase::RolledBack { why, .. } = &record.phase else {
        panic!("{:?}\n{:#?}", record.phase, record.history)
    };
    assert!(why.contains("evidence ratio"), "{why}");
    assert_eq!(
        s.live().await,
        s.split_for(canary_deploy::core::Share::STABLE_ONLY)
    );
}

mod alb {
    use super::*;

    #[tokio::test]
    async fn a_healthy_canary_is_promoted_on_evidence() {
        healthy_is_promoted_on_evidence(Backend::Alb, "ev-alb-ok").await;
    }

    #[tokio::test]
    async fn a_regression_is_rolled_back_with_its_evidence() {
        regression_is_rolled_back_with_its_evidence(Backend::Alb, "ev-alb-bad").await;
    }
}

mod lattice {
    use super::*;

    #[tokio::test]
    async fn a_healthy_canary_is_promoted_on_evidence() {
        healthy_is_promoted_on_evidence(Backend::Lattice, "ev-lat-ok").await;
    }
}

mod lambda_alias {
    use super::*;

    #[tokio::test]
    async fn a_regression_is_rolled_back_with_its_evidence() {
        regression_is_rolled_back_with_its_evidence(Backend::LambdaAlias, "ev-fn-bad").await;
    }
}

#[tokio::test]
async fn a_failure_the_stable_shares_pauses_with_both_rates_named() {
    let mut s = scenario(Backend::Alb, "ev-shared").await;
    publish_baseline(&mut s).await;
    s.tick().await;
    // An incident on both targets from the first step on.
    let failing = TargetProfile {
        error_rate: 0.06,
        ..s.canary
    };
    s.stable = failing;
    s.canary = failing;
    let record = s.run(20).await;
    let Phase::Paused { why, .. } = &record.phase else {
        panic!("{:?}\n{:#?}", record.phase, record.history)
    };
    assert!(why.starts_with("shared failure"), "{why}");
    assert!(why.contains("baseline"), "{why}");
    // Nothing was rolled back onto the broken stable: the step's weights are still live.
    assert_ne!(
        s.live().await,
        s.split_for(canary_deploy::core::Share::STABLE_ONLY)
    );
}

/// The stable's p99 before the deployment becomes the threshold; a canary whose slow tail grew
/// (its p99 three times the stable's) is rolled back on the count of requests slower than it,
/// and one like the stable is promoted.
mod latency_as_counts {
    use super::*;

    async fn with_baseline(name: &str) -> Scenario {
        let mut s = scenario_with(Backend::Alb, name, LATENCY).await;
        publish_baseline(&mut s).await;
        s
    }

    #[tokio::test]
    async fn a_slower_tail_is_rolled_back_on_slow_counts() {
        let mut s = with_baseline("ev-slow-bad").await;
        s.canary = TargetProfile {
            p99_ms: s.stable.p99_ms * 3.0,
            ..s.canary
        };
        let record = s.run(20).await;
        let Phase::RolledBack { why, .. } = &record.phase else {
            panic!("{:?}\n{:#?}", record.phase, record.history)
        };
        let threshold = format!("slower than {} ms", s.stable.p99_ms);
        assert!(why.contains(&threshold), "{why}");
        assert!(why.contains("evidence ratio"), "{why}");
        assert_eq!(
            s.live().await,
            s.split_for(canary_deploy::core::Share::STABLE_ONLY)
        );
    }

    #[tokio::test]
    async fn a_tail_like_the_stables_is_promoted() {
        let mut s = with_baseline("ev-slow-ok").await;
        let record = s.run(40).await;
        assert_promoted_on_evidence(&record);
    }
}

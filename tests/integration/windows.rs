//! Windows, not ticks: each complete CloudWatch period is judged once, however often ticks look,
//! so `failure_threshold: 2` needs two failing periods (with an interval shorter than the period,
//! two ticks used to judge one window twice and roll back on a single bad minute).

use crate::route_fixture::Backend;
use crate::scenario::{playbook, Scenario, ANALYSIS};
use canary_deploy::core::{EventKind, Phase};
use canary_deploy::simulator::TargetProfile;

#[tokio::test]
async fn two_ticks_in_one_period_judge_it_once() {
    let mut s = Scenario::new(Backend::Alb, "win-once", |route| {
        let analysis = ANALYSIS.replace("failure_threshold: 1", "failure_threshold: 2");
        playbook(
            route,
            "win-once",
            &format!("{analysis}checks:\n  - error_rate: {{ max_percent: 1 }}\n"),
        )
    })
    .await;
    s.canary = TargetProfile {
        error_rate: 0.05,
        ..s.canary
    };
    s.tick().await;
    let record = s.minute().await;
    assert_eq!(record.consecutive_failures, 1, "{:?}", record.history);
    // Another tick in the same minute: no new complete period, nothing judged.
    let again = s.tick().await;
    assert_eq!(again.consecutive_failures, 1);
    assert!(matches!(again.phase, Phase::Stepping { index: 0, .. }));
    let judged = |r: &canary_deploy::core::Record| {
        r.history
            .iter()
            .filter(|e| matches!(e.kind, EventKind::Analysed { .. }))
            .count()
    };
    assert_eq!(
        judged(&again),
        judged(&record),
        "the period was judged once"
    );
    // The next minute brings a second failing period: that is two.
    let record = s.minute().await;
    assert!(
        matches!(record.phase, Phase::RolledBack { .. }),
        "{:?}",
        record.phase
    );
}

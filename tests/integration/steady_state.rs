//! Steady state costs nothing: a deployment holding on no data, advanced every minute for an
//! hour as a scheduled job does, writes its record once when the hold begins and then never
//! again (the record store's writes share ELB's mutating-API budget with the whole account).

use crate::route_fixture::Backend;
use crate::scenario::{playbook, Scenario, ANALYSIS};
use canary_deploy::core::Phase;

const CHECKS: &str = "checks:\n  - error_rate: { max_percent: 1 }\n";
const MUTATING: [&str; 4] = ["AddTags", "RemoveTags", "ModifyListener", "ModifyRule"];

#[tokio::test]
async fn an_hour_holding_on_no_data_writes_the_record_once() {
    let key = "steady-hold";
    let mut s = Scenario::signed_as(key, Backend::Alb, key, |route| {
        let analysis = ANALYSIS.replace(
            "failure_threshold: 1",
            "failure_threshold: 1\n  no_data: hold",
        );
        playbook(route, key, &format!("{analysis}{CHECKS}"))
    })
    .await;
    s.requests_per_minute = 0;
    let mut per_minute = Vec::new();
    for minute in 0..62 {
        if minute > 0 {
            s.publish_minute().await;
        }
        s.clients.calls.take();
        let record = s.advance("scheduled").await.expect("advance");
        assert!(
            matches!(record.phase, Phase::Stepping { index: 0, .. }),
            "{:?}",
            record.phase
        );
        let calls = s.clients.calls.take();
        let writes = calls
            .iter()
            .filter(|op| MUTATING.contains(&op.as_str()))
            .count();
        per_minute.push((calls.len(), writes));
    }
    // The first advance starts the deployment (lease, step, record); the hold begins once the
    // first window is due, and is recorded once.
    let hour = &per_minute[2..];
    let writes: usize = hour.iter().map(|(_, w)| w).sum();
    let calls: usize = hour.iter().map(|(c, _)| c).sum();
    eprintln!(
        "holding for {} advances: {calls} calls, {writes} mutating (start: {:?})",
        hour.len(),
        &per_minute[..2]
    );
    assert!(
        writes <= 3,
        "{writes} mutating calls in an hour's hold: {per_minute:?}"
    );
}

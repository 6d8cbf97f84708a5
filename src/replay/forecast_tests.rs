//! The forecast `plan` prints, held against the replay: on healthy seeded traffic, the
//! deployment's simulated end (the median over seeds) is within 10 % of the forecast's.

use super::model::{Drawn, Sampler, Traffic};
use super::{replay, Ending};
use crate::core::forecast::{forecast, Outcome, Recent};
use crate::core::plan::Plan;
use crate::core::Timestamp;
use std::time::Duration;

const START: Timestamp = Timestamp(1_700_000_000_000);
const RATE: f64 = 0.01;
const SEEDS: u64 = 101;

fn plan(analysis: &str, checks: &str) -> Plan {
    let yaml = format!(
        "name: p\nroute:\n  alb:\n    load_balancer: lb\n    port: 80\n    stable: s\n    canary: c\n\
         steps:\n  canary: [10, 25, 50]\n  bake: 5m\nanalysis:\n{analysis}checks:\n{checks}"
    );
    match crate::playbook::parse(&yaml, "p.yaml") {
        Ok(validated) => validated.plan,
        Err(e) => panic!("{e}"),
    }
}

/// The median promotion time over seeded healthy runs. The false-rollback budget (1 %) allows
/// a rare healthy rollback; more than 3 in 101 fails the test.
fn simulated_end(plan: &Plan, rps: f64) -> Duration {
    let mut ends = Vec::new();
    let mut others = Vec::new();
    for seed in 0..SEEDS {
        let mut source = Drawn {
            traffic: Traffic {
                period: plan.analysis.period,
                ..Traffic::healthy(rps, RATE)
            },
            sampler: Sampler::new(seed * 7919 + 17),
        };
        match replay(plan, &mut source, START, Duration::from_secs(6 * 3600)).ending {
            Ending::Promoted { at } => ends.push(at),
            other => others.push(other),
        }
    }
    assert!(
        others.len() <= 3,
        "healthy runs that did not promote at {rps} req/s: {others:?}"
    );
    ends.sort();
    ends[ends.len() / 2]
}

fn predicted_end(plan: &Plan, rps: f64) -> Duration {
    let recent = Recent {
        requests_per_second: rps,
        error_rate: Some(RATE),
    };
    match forecast(plan, 0, recent, START).outcome {
        Outcome::Promoted { after } => after,
        other => panic!("the forecast does not promote at {rps} req/s: {other:?}"),
    }
}

fn assert_within_ten_percent(analysis: &str, checks: &str, rps: f64) {
    let plan = plan(analysis, checks);
    let simulated = simulated_end(&plan, rps).as_secs_f64();
    let predicted = predicted_end(&plan, rps).as_secs_f64();
    let off = (predicted - simulated).abs() / simulated;
    assert!(
        off <= 0.10,
        "at {rps} req/s with\n{analysis}{checks}the forecast ends at {predicted} s, the replay's \
         median at {simulated} s ({:.0} % off)",
        off * 100.0
    );
}

const AWS: &str =
    "  interval: 60s\n  period: 60s\n  settle: 30s\n  ingestion_delay: 60s\n  min_requests: 50\n";
const ERRORS: &str =
    "  - error_rate: { max_percent: 3 }\n  - error_rate_vs_stable: { max_delta_percent: 1 }\n";

#[test]
fn busy_routes_end_on_the_period_grid_after_each_bake() {
    assert_within_ten_percent(AWS, ERRORS, 500.0);
}

#[test]
fn quieter_routes_end_when_their_evidence_is_in() {
    for rps in [10.0, 20.0, 33.0, 100.0] {
        assert_within_ten_percent(AWS, ERRORS, rps);
    }
}

#[test]
fn faster_ticks_and_longer_periods_move_the_end() {
    let analysis = "  interval: 20s\n  period: 120s\n  settle: 10s\n  ingestion_delay: 30s\n  min_requests: 50\n";
    assert_within_ten_percent(analysis, ERRORS, 100.0);
}

#[test]
fn latency_counts_are_forecast_like_errors() {
    let latency = "  - latency_vs_stable: { percentile: p99, max_ratio: 1.2 }\n";
    let both = format!("{ERRORS}{latency}");
    for rps in [15.0, 50.0] {
        assert_within_ten_percent(AWS, latency, rps);
        assert_within_ten_percent(AWS, &both, rps);
    }
}

#[test]
fn the_threshold_judge_ends_on_the_grid() {
    let analysis = format!("{AWS}  method: threshold\n");
    assert_within_ten_percent(&analysis, ERRORS, 500.0);
}

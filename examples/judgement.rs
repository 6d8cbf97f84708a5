//! The judgement benchmark: the evidence judge and the threshold judge on the same seeded,
//! noisy traffic, as a table a user can read.
//!
//! `cargo run --release --example judgement` (or without `--release`, slower). Pure core on a
//! simulated clock (`canary_deploy::replay`): no emulator, no AWS. Every deployment runs the
//! playbook below (steps 10/25/50/100 %, bakes of 5 minutes, AWS's 60 s periods with a 60 s
//! ingestion delay) on Poisson arrivals with per-request errors and log-normal latency (median
//! 120 ms, p99 300 ms); a stable error rate of 1 %.
//! `--deployments N` changes the count per row (default 500), `--seed S` the seed.

// A command-line program: its output is the table.
#![allow(clippy::print_stdout, clippy::print_stderr)]

use canary_deploy::core::plan::{Method, Plan};
use canary_deploy::core::Timestamp;
use canary_deploy::replay::model::{Drawn, Sampler, Traffic};
use canary_deploy::replay::{replay, Ending, Tally};
use std::time::Duration;

const PLAYBOOK: &str = "\
name: judgement-benchmark
route:
  alb:
    load_balancer: web
    port: 443
    stable: blue
    canary: green
steps:
  canary: [10, 25, 50, 100]
  bake: 5m
analysis:
  interval: 60s
  period: 60s
  lookback: 3m
  settle: 30s
  ingestion_delay: 60s
  min_requests: 50
  failure_threshold: 2
checks:
  - error_rate: { max_percent: 3 }
  - error_rate_vs_stable: { max_delta_percent: 1 }
  - latency_vs_stable: { percentile: p99, max_ratio: 1.2 }
";

const STABLE_RATE: f64 = 0.01;
const HORIZON: Duration = Duration::from_secs(3 * 3600);
const START: Timestamp = Timestamp(1_700_000_000_000);

fn plan(method: Method) -> Plan {
    let mut plan = match canary_deploy::playbook::parse(PLAYBOOK, "benchmark.yaml") {
        Ok(validated) => validated.plan,
        Err(error) => panic!("the benchmark's playbook is invalid: {error}"),
    };
    plan.analysis.method = method;
    plan
}

/// `runs` deployments of the benchmark's playbook judged by `method` on `traffic`.
fn run(scenario: &str, method: Method, traffic: &Traffic, runs: usize, seed: u64) -> Tally {
    let plan = plan(method);
    let mut tally = Tally::default();
    for i in 0..runs {
        let mut source = Drawn {
            traffic: traffic.clone(),
            sampler: Sampler::new(seed.wrapping_mul(1_000_003).wrapping_add(i as u64)),
        };
        let result = replay(&plan, &mut source, START, HORIZON);
        if let Ending::RolledBack { why, .. } = &result.ending {
            if std::env::var_os("JUDGEMENT_WHY").is_some() {
                eprintln!("{scenario} ({}): rolled back: {why}", method.as_str());
            }
        }
        tally.add(&result);
    }
    tally
}

fn args() -> (usize, u64) {
    let mut runs = 500;
    let mut seed = 20_261_207;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let value = args.next().and_then(|v| v.parse::<u64>().ok());
        match (arg.as_str(), value) {
            ("--deployments", Some(v)) => runs = v as usize,
            ("--seed", Some(v)) => seed = v,
            _ => {
                eprintln!("usage: judgement [--deployments N] [--seed S]");
                std::process::exit(2);
            }
        }
    }
    (runs, seed)
}

fn main() {
    let (runs, seed) = args();
    let mut scenarios: Vec<(String, Traffic, usize)> = Vec::new();
    for rps in [10.0, 33.0, 100.0, 500.0] {
        scenarios.push((
            format!("healthy, {rps} req/s"),
            Traffic::healthy(rps, STABLE_RATE),
            runs,
        ));
    }
    for (points, label) in [(0.5, "+0.5 pt"), (1.0, "+1 pt"), (5.0, "+5 pt")] {
        let mut t = Traffic::healthy(100.0, STABLE_RATE);
        t.canary_rate = STABLE_RATE + points / 100.0;
        scenarios.push((format!("regression {label}, 100 req/s"), t, runs));
    }
    let mut slower = Traffic::healthy(100.0, STABLE_RATE);
    slower.canary_latency = slower.canary_latency.times(1.4);
    scenarios.push(("regression p99 +40%, 100 req/s".to_string(), slower, runs));
    let mut plus_one_33 = Traffic::healthy(33.0, STABLE_RATE);
    plus_one_33.canary_rate = STABLE_RATE + 0.01;
    scenarios.push(("regression +1 pt, 33 req/s".to_string(), plus_one_33, runs));
    let few = runs;
    scenarios.push((
        "low traffic, 5 req/s".to_string(),
        Traffic::healthy(5.0, STABLE_RATE),
        few,
    ));
    let mut silent = Traffic::healthy(100.0, STABLE_RATE);
    silent.canary_silent = true;
    scenarios.push(("no canary data".to_string(), silent, few));
    let mut stopped = Traffic::healthy(100.0, STABLE_RATE);
    stopped.stops_at = Some(START.plus(Duration::from_secs(3 * 60)));
    scenarios.push(("all data stops at 3 min".to_string(), stopped, few));
    let mut shared = Traffic::healthy(100.0, STABLE_RATE);
    shared.shared = Some((START.plus(Duration::from_secs(2 * 60)), 0.05));
    scenarios.push((
        "shared failure: both 5% from 2 min".to_string(),
        shared,
        few,
    ));

    println!(
        "| scenario | judge | runs | promoted | rolled back | paused | still holding at 3 h | \
         unjudged step | rolled back ≤ 10 min | median / p90 min to rollback |"
    );
    println!("|---|---|---|---|---|---|---|---|---|---|");
    let only = std::env::var("JUDGEMENT_ONLY").unwrap_or_default();
    for (i, (name, traffic, n)) in scenarios.iter().enumerate() {
        if !name.contains(only.as_str()) {
            continue;
        }
        for method in [Method::Evidence, Method::Threshold] {
            let row = run(name, method, traffic, *n, seed.wrapping_add(i as u64));
            let within_10m = row.rollback_minutes.iter().filter(|m| **m <= 10.0).count();
            println!(
                "| {} | {} | {} | {} | {} / {} |",
                name,
                method.as_str(),
                row.outcome_cells(),
                row.percent(within_10m),
                Tally::quantile(&row.rollback_minutes, 0.5),
                Tally::quantile(&row.rollback_minutes, 0.9),
            );
        }
    }
}

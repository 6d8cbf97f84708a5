use super::*;

fn plan(extra: &str) -> Plan {
    let yaml = format!(
        "name: p\nroute:\n  alb:\n    load_balancer: lb\n    port: 80\n    stable: s\n    canary: c\n\
         steps:\n  canary: [10, 50]\n  bake: 5m\nanalysis:\n  interval: 60s\n  period: 60s\n  \
         settle: 30s\n  ingestion_delay: 60s\n  min_requests: 50\n{extra}\
         checks:\n  - error_rate_vs_stable: {{ max_delta_percent: 1 }}\n"
    );
    match crate::playbook::parse(&yaml, "p.yaml") {
        Ok(validated) => validated.plan,
        Err(e) => panic!("{e}"),
    }
}

const START: Timestamp = Timestamp(1_700_000_000_000);

fn recent(rps: f64) -> Recent {
    Recent {
        requests_per_second: rps,
        error_rate: Some(0.01),
    }
}

#[test]
fn plenty_of_traffic_ends_each_step_at_the_first_judged_tick_after_its_bake() {
    let f = forecast(&plan(""), 0, recent(500.0), START);
    assert_eq!(f.steps.len(), 3);
    for step in &f.steps {
        assert_eq!(step.end, StepEnd::Baked, "{step:?}");
        let took = step.ends - step.starts;
        let bake = plan("").steps[step.index].bake;
        assert!(took >= bake, "{step:?}");
        // Settle, the period grid and the ingestion delay cost at most a few minutes.
        assert!(took <= bake + Duration::from_secs(240), "{step:?}");
    }
    let Outcome::Promoted { after } = f.outcome else {
        panic!("{:?}", f.outcome)
    };
    assert_eq!(after, f.steps[2].ends);
}

#[test]
fn low_traffic_extends_a_step_until_its_counts_can_show_the_canary_healthy() {
    let f = forecast(&plan(""), 0, recent(40.0), START);
    assert_eq!(f.steps[0].end, StepEnd::Evidence, "{:?}", f.steps[0]);
    assert!(f.steps[0].ends - f.steps[0].starts > Duration::from_secs(6 * 60));
    // Past max_bake, `no_data: hold` keeps waiting for the evidence.
    let held = forecast(&plan(""), 0, recent(20.0), START);
    assert_eq!(held.steps[0].end, StepEnd::Held, "{:?}", held.steps[0]);
    // The counts it ended on are what showing 1 % below 2 % takes at 99 %.
    let needed = requests_to_show(0.01, 0.02, 100.0);
    assert!(f.steps[0].canary_requests >= needed, "{:?}", f.steps[0]);
}

#[test]
fn too_little_traffic_for_max_bake_applies_no_data_at_the_deadline_unless_it_holds() {
    let fail = forecast(&plan("  no_data: fail\n"), 0, recent(0.5), START);
    assert_eq!(fail.steps[0].end, StepEnd::Deadline(NoDataPolicy::Fail));
    assert_eq!(fail.outcome, Outcome::RollsBack { index: 0 });
    let pass = forecast(&plan("  no_data: pass\n"), 0, recent(0.5), START);
    assert_eq!(pass.steps[0].end, StepEnd::Deadline(NoDataPolicy::Pass));
    assert!(matches!(pass.outcome, Outcome::Promoted { .. }));
}

#[test]
fn no_traffic_at_all_pauses() {
    let f = forecast(&plan(""), 0, recent(0.0), START);
    assert_eq!(f.outcome, Outcome::Pauses { index: 0 });
    assert_eq!(f.steps[0].detects_in_bake, None);
}

#[test]
fn a_later_first_step_starts_the_forecast_there() {
    let f = forecast(&plan(""), 1, recent(500.0), START);
    assert_eq!(f.steps[0].index, 1);
    assert_eq!(f.steps[0].starts, Duration::ZERO);
}

#[test]
fn more_traffic_or_a_longer_bake_detects_smaller_regressions() {
    let at = |rps| forecast(&plan(""), 0, recent(rps), START).steps[0].clone();
    let (low, high) = (at(10.0), at(200.0));
    let (Some(low_bake), Some(high_bake)) = (low.detects_in_bake, high.detects_in_bake) else {
        panic!("{low:?} {high:?}")
    };
    assert!(high_bake < low_bake, "{high_bake} vs {low_bake}");
    let Some(low_max) = low.detects_in_max_bake else {
        panic!("{low:?}")
    };
    assert!(low_max < low_bake);
    // At 200 req/s a 10 % step sees +1 point within its 5 minute bake; at 10 req/s it cannot.
    assert!(high_bake < ONE_POINT, "{high_bake}");
    assert!(low_bake > ONE_POINT, "{low_bake}");
}

#[test]
fn the_detectable_regression_is_where_its_evidence_crosses_the_threshold() {
    // A made-up evidence growing linearly: 1 + 1000 δ crosses 101 at δ = 0.1.
    let found = detectable_regression(0.0, 101.0, |d| 1.0 + 1000.0 * d);
    let Some(d) = found else { panic!("none") };
    assert!((d - 0.1).abs() < 1e-3, "{d}");
    assert_eq!(detectable_regression(0.0, 1e9, |d| 1.0 + d), None);
}

#[test]
fn the_threshold_judge_passes_each_baked_step_on_its_first_window() {
    let f = forecast(&plan("  method: threshold\n"), 0, recent(5.0), START);
    assert_eq!(f.steps[0].end, StepEnd::Baked, "{:?}", f.steps[0]);
}

#[test]
fn a_header_lane_lasts_its_bake_and_is_not_forecast() {
    let yaml = "name: p\nroute:\n  alb:\n    load_balancer: lb\n    port: 80\n    stable: s\n    canary: c\n\
                steps:\n  header_lane: { header: x-canary, value: \"1\", bake: 7m }\n  canary: [10, 50]\n  bake: 5m\n\
                analysis:\n  interval: 60s\n  period: 60s\n  settle: 30s\n  ingestion_delay: 60s\n  min_requests: 50\n\
                checks:\n  - error_rate_vs_stable: { max_delta_percent: 1 }\n";
    let lane = match crate::playbook::parse(yaml, "p.yaml") {
        Ok(validated) => validated.plan,
        Err(e) => panic!("{e}"),
    };
    let f = forecast(&lane, 0, recent(500.0), START);
    assert!(
        matches!(f.outcome, Outcome::Promoted { .. }),
        "{:?}",
        f.outcome
    );
    assert_eq!(
        f.steps.first().map(|s| s.index),
        Some(1),
        "the lane is not forecast"
    );
    assert_eq!(
        f.steps[0].starts,
        Duration::from_secs(7 * 60),
        "after the lane's bake"
    );
}

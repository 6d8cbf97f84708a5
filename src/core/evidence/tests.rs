//! The evidence judge through the state machine: windows of counts in, steps, rollbacks and
//! pauses out, with the evidence carried in the record between ticks.

use super::math::Counts;
use super::*;
use crate::core::judge::{CheckOutcome, Verdict};
use crate::core::observe::Traffic;
use crate::core::plan::{CheckKind, NoDataPolicy, Plan};
use crate::core::record::{EventKind, Phase};
use crate::core::step::current_share;
use crate::core::step::test_support::{check, events, secs, stepping_record, PlanBuilder, Shell};
use crate::core::types::Split;

fn vs_stable() -> Check {
    check(
        "errors-vs-stable",
        CheckKind::ErrorRateVsStable {
            max_delta_percent: 1.0,
        },
    )
}

fn absolute() -> Check {
    check("errors", CheckKind::ErrorRate { max_percent: 2.0 })
}

fn traffic(requests: f64, errors: f64) -> Traffic {
    Traffic {
        requests: Some(requests),
        errors: Some(errors),
    }
}

/// 10 % then 100 %, 5-minute bakes.
fn plan(checks: Vec<Check>) -> Plan {
    PlanBuilder::new(&[(100, 5), (1000, 5)])
        .evidence(checks)
        .build()
}

/// Ticks once a minute from `from` for `minutes`, each judging one window in which the canary
/// and the stable serve `(requests, errors)` as `window(minute, share)` says.
fn run(
    shell: &mut Shell,
    plan: &Plan,
    from: i64,
    minutes: i64,
    window: impl Fn(i64, Share) -> (Traffic, Traffic),
) -> Vec<EventKind> {
    let mut all = Vec::new();
    for m in 0..minutes {
        let now = secs(from + 60 * m);
        let Phase::Stepping { index, .. } = shell.record.phase else {
            break;
        };
        let share = current_share(&shell.record, plan).unwrap_or(Share::STABLE_ONLY);
        let checks = plan.checks_at(share);
        let (canary, stable) = window(m, share);
        let observed: Vec<Observed> = checks
            .iter()
            .map(|c| match c.kind {
                CheckKind::ErrorRate { .. } | CheckKind::ErrorRateVsStable { .. } => {
                    Observed::ErrorRate { canary, stable }
                }
                _ => Observed::Value(None),
            })
            .collect();
        let judgement = judge(
            &checks,
            &observed,
            &plan.analysis,
            &shell.record.evidence,
            index,
            share,
        );
        // The record carries the evidence between ticks exactly as a store would.
        let json = serde_json::to_string(&shell.record).unwrap();
        shell.record = serde_json::from_str(&json).unwrap();
        shell.tick(Some(judgement), plan, now);
        all.extend(events(&shell.actions));
    }
    all
}

fn at_ten_percent() -> Shell {
    Shell {
        live: Split::new(900, 100),
        ..Shell::new(stepping_record(0, secs(0), Split::new(900, 100)))
    }
}

fn healthy(_: i64, share: Share) -> (Traffic, Traffic) {
    if share == Share::CANARY_ONLY {
        (traffic(6_000.0, 30.0), Traffic::default())
    } else {
        (traffic(600.0, 3.0), traffic(5_400.0, 27.0))
    }
}

#[test]
fn a_healthy_canary_passes_each_step_on_evidence_after_its_bake() {
    let plan = plan(vec![vs_stable(), absolute()]);
    let mut shell = at_ten_percent();
    let events = run(&mut shell, &plan, 60, 15, healthy);
    assert!(
        matches!(shell.record.phase, Phase::Promoted { .. }),
        "{:?}\n{events:#?}",
        shell.record.phase
    );
    let analysed: Vec<&EventKind> = events
        .iter()
        .filter(|e| matches!(e, EventKind::Analysed { .. }))
        .collect();
    // Every judged window keeps its counts in the history.
    assert!(analysed.iter().all(|e| matches!(
        e,
        EventKind::Analysed { evidence, .. } if !evidence.is_empty()
    )));
    // The 100 % step was judged (against the stable's counts from the 10 % step), not skipped.
    let last = shell.record.last_verdict.as_ref().unwrap();
    assert!(
        last.details
            .iter()
            .any(|d| d.contains("vs the stable during")),
        "{:?}",
        last.details
    );
}

#[test]
fn a_regression_is_rolled_back_on_evidence_without_waiting_for_failure_threshold() {
    let mut plan = plan(vec![vs_stable()]);
    plan.analysis.failure_threshold = 5;
    let mut shell = at_ten_percent();
    // Canary at 2 %, stable at 0.5 %.
    let events = run(&mut shell, &plan, 60, 10, |_, _| {
        (traffic(600.0, 12.0), traffic(5_400.0, 27.0))
    });
    let Phase::RolledBack { why, .. } = &shell.record.phase else {
        panic!("{:?}", shell.record.phase)
    };
    assert!(why.contains("evidence ratio"), "{why}");
    assert!(why.contains("≥ 100"), "{why}");
    let windows = events
        .iter()
        .filter(|e| matches!(e, EventKind::Analysed { .. }))
        .count();
    assert!(windows <= 4, "took {windows} windows");
}

#[test]
fn thin_traffic_extends_the_bake_and_says_what_it_needs() {
    let plan = plan(vec![vs_stable()]);
    let mut shell = at_ten_percent();
    let events = run(&mut shell, &plan, 60, 6, |_, _| {
        (traffic(20.0, 0.0), traffic(180.0, 1.0))
    });
    assert!(matches!(
        shell.record.phase,
        Phase::Stepping { index: 0, .. }
    ));
    let holding: Vec<&String> = events
        .iter()
        .filter_map(|e| match e {
            EventKind::Holding { why } => Some(why),
            _ => None,
        })
        .collect();
    assert!(
        holding
            .iter()
            .any(|w| w.contains("insufficient evidence") && w.contains("more canary requests")),
        "{holding:#?}"
    );
}

#[test]
fn at_max_bake_no_data_decides_what_inconclusive_evidence_means() {
    let thin = |_: i64, _: Share| (traffic(5.0, 0.0), traffic(45.0, 0.0));
    // max_bake is 3 × 5 minutes: by minute 16 the policy applies.
    let mut hold = at_ten_percent();
    let events = run(&mut hold, &plan(vec![vs_stable()]), 60, 20, thin);
    assert!(
        matches!(hold.record.phase, Phase::Stepping { index: 0, .. }),
        "{:?} {events:#?}",
        hold.record.phase
    );
    // Every tick past max_bake says so.
    let why = events.iter().rev().find_map(|e| match e {
        EventKind::Holding { why } => Some(why.clone()),
        _ => None,
    });
    assert!(why.unwrap().contains("no_data: hold keeps waiting"));

    let mut fail = at_ten_percent();
    let mut p = plan(vec![vs_stable()]);
    p.analysis.no_data = NoDataPolicy::Fail;
    run(&mut fail, &p, 60, 20, thin);
    let Phase::RolledBack { why, .. } = &fail.record.phase else {
        panic!("{:?}", fail.record.phase)
    };
    assert!(
        why.contains("still inconclusive after max_bake 15m"),
        "{why}"
    );

    let mut pass = at_ten_percent();
    p.analysis.no_data = NoDataPolicy::Pass;
    let events = run(&mut pass, &p, 60, 17, thin);
    assert!(matches!(
        pass.record.phase,
        Phase::Stepping { index: 1, .. }
    ));
    assert!(events
        .iter()
        .any(|e| matches!(e, EventKind::Unjudged { index: 0, .. })));
    assert!(pass
        .record
        .history
        .iter()
        .any(|e| matches!(e.kind, EventKind::Unjudged { .. })));
}

#[test]
fn metrics_stopped_on_both_sides_pause_at_the_deadline_whatever_no_data_says() {
    let mut p = plan(vec![vs_stable()]);
    p.analysis.no_data = NoDataPolicy::Fail;
    let mut shell = at_ten_percent();
    let events = run(&mut shell, &p, 60, 17, |_, _| {
        (Traffic::default(), Traffic::default())
    });
    let Phase::Paused { why, .. } = &shell.record.phase else {
        panic!("{:?}", shell.record.phase)
    };
    assert!(why.contains("metrics pipeline is down"), "{why}");
    // Before the deadline it held, saying when no_data applies.
    assert!(events.iter().any(|e| matches!(
        e,
        EventKind::Holding { why } if why.contains("applies at the deadline")
    )));
}

#[test]
fn a_failure_the_stable_shares_pauses_instead_of_rolling_back() {
    let p = plan(vec![absolute()]);
    let mut shell = at_ten_percent();
    shell.record.evidence.baseline_measured = true;
    shell.record.evidence.checks.push(CheckEvidence {
        check: "errors".into(),
        baseline: Some(Counts::new(50_000.0, 250.0)),
        ..CheckEvidence::default()
    });
    // Both at 3 % against a 0.5 % baseline and a 2 % limit.
    run(&mut shell, &p, 60, 10, |_, _| {
        (traffic(600.0, 18.0), traffic(5_400.0, 162.0))
    });
    let Phase::Paused { why, .. } = &shell.record.phase else {
        panic!("{:?}", shell.record.phase)
    };
    assert!(why.starts_with("shared failure"), "{why}");
    assert!(why.contains("baseline 250 of 50,000 (0.50%)"), "{why}");
}

#[test]
fn a_limit_the_stable_fails_too_pauses_even_when_the_baseline_holds_the_incident() {
    let p = plan(vec![absolute()]);
    let mut shell = at_ten_percent();
    shell.record.evidence.baseline_measured = true;
    // The baseline was measured while the incident had begun: 4 %, above the 2 % limit.
    shell.record.evidence.checks.push(CheckEvidence {
        check: "errors".into(),
        baseline: Some(Counts::new(50_000.0, 2_000.0)),
        ..CheckEvidence::default()
    });
    run(&mut shell, &p, 60, 10, |_, _| {
        (traffic(600.0, 30.0), traffic(5_400.0, 270.0))
    });
    let Phase::Paused { why, .. } = &shell.record.phase else {
        panic!("{:?}", shell.record.phase)
    };
    assert!(
        why.contains("stable and canary both above max 2.00%"),
        "{why}"
    );
    // A canary worse than a stable that also fails the limit is still rolled back.
    let mut worse = at_ten_percent();
    run(&mut worse, &p, 60, 10, |_, _| {
        (traffic(600.0, 120.0), traffic(5_400.0, 270.0))
    });
    assert!(
        matches!(worse.record.phase, Phase::RolledBack { .. }),
        "{:?}",
        worse.record.phase
    );
}

#[test]
fn the_hundred_percent_step_is_judged_against_the_baseline() {
    let p = plan(vec![vs_stable()]);
    let mut shell = Shell {
        live: Split::new(0, 1000),
        ..Shell::new(stepping_record(1, secs(0), Split::new(0, 1000)))
    };
    shell.record.evidence.step = 1;
    shell.record.evidence.checks.push(CheckEvidence {
        check: "errors-vs-stable".into(),
        baseline: Some(Counts::new(50_000.0, 250.0)),
        ..CheckEvidence::default()
    });
    // The canary alone at 3 %: far above the stable's 0.5 % before the deployment.
    run(&mut shell, &p, 60, 5, |_, _| {
        (traffic(6_000.0, 180.0), Traffic::default())
    });
    let Phase::RolledBack { why, .. } = &shell.record.phase else {
        panic!("{:?}", shell.record.phase)
    };
    assert!(why.contains("before the deployment"), "{why}");
}

#[test]
fn the_evidence_outcome_names_each_side_and_the_threshold() {
    let p = plan(vec![vs_stable()]);
    let j = judge(
        &p.checks,
        &[Observed::ErrorRate {
            canary: traffic(1_210.0, 14.0),
            stable: traffic(10_960.0, 57.0),
        }],
        &p.analysis,
        &Evidence::default(),
        0,
        Share::from_permille(100).unwrap(),
    );
    let detail = &j.results[0].detail;
    assert!(
        detail.contains("canary 5XX 14 of 1,210 (1.16%) vs stable 0.52%"),
        "{detail}"
    );
    assert!(detail.contains("rolls back at 100"), "{detail}");
    assert_eq!(j.results[0].outcome, CheckOutcome::Inconclusive);
    assert_eq!(j.verdict, Verdict::Inconclusive);
    let counts = j.results[0].counts.unwrap();
    assert_eq!(counts.canary, Counts::new(1_210.0, 14.0));
}

#[test]
fn observations_that_do_not_match_the_checks_judge_nothing_and_keep_the_evidence() {
    let p = plan(vec![vs_stable()]);
    let mut before = Evidence::default();
    before.of("errors-vs-stable").canary = Counts::new(10.0, 1.0);
    let j = judge(&p.checks, &[], &p.analysis, &before, 0, Share::CANARY_ONLY);
    assert_eq!(j.verdict, Verdict::NoData);
    assert_eq!(j.evidence.unwrap().checks, before.checks);
}

fn latency_observation(canary: (f64, f64), stable: Option<(f64, f64)>) -> Observed {
    Observed::Latency {
        canary_requests: Some(canary.0),
        canary_ms: Some(250.0),
        stable_ms: Some(250.0),
        slow: Some(crate::core::observe::SlowCounts {
            canary: Some(canary.1),
            stable: stable.map(|(n, slow)| traffic(n, slow)),
        }),
    }
}

#[test]
fn latency_checks_count_slow_requests_once_they_have_a_threshold() {
    let absolute = check(
        "p99",
        CheckKind::Latency {
            percentile: 99.0,
            max_ms: 500.0,
        },
    );
    let vs_stable = check(
        "p99-vs-stable",
        CheckKind::LatencyVsStable {
            percentile: 99.0,
            max_ratio: 1.2,
            threshold_ms: None,
        },
    );
    let checks = vec![absolute, vs_stable];
    // Before the baseline, the comparison has no threshold: judged per window.
    let resolved = resolve(&checks, &Evidence::default());
    assert_eq!(resolved[0].slower_than_ms, Some(500.0));
    assert_eq!(resolved[1].slower_than_ms, None);
    assert!(is_statistical(&resolved[0]) && !is_statistical(&resolved[1]));
    // The baseline's stable p99 becomes the comparison's threshold.
    let mut evidence = Evidence::default();
    evidence.measure_baseline(
        &resolved,
        &[
            latency_observation((0.0, 0.0), None),
            Observed::Latency {
                canary_requests: None,
                canary_ms: None,
                stable_ms: Some(310.0),
                slow: None,
            },
        ],
    );
    let resolved = resolve(&checks, &evidence);
    assert_eq!(resolved[1].slower_than_ms, Some(310.0));

    // A canary with 6 % of requests slower than the threshold against the stable's 1 %.
    let plan = plan(checks.clone());
    let mut state = evidence;
    let mut last = None;
    for _ in 0..5 {
        let j = judge(
            &resolved,
            &[
                latency_observation((600.0, 2.0), None),
                latency_observation((600.0, 36.0), Some((5_400.0, 54.0))),
            ],
            &plan.analysis,
            &state,
            0,
            Share::from_permille(100).unwrap(),
        );
        state = j.evidence.clone().unwrap();
        last = Some(j);
    }
    let j = last.unwrap();
    assert_eq!(
        j.results[0].outcome,
        CheckOutcome::Pass,
        "{:?}",
        j.results[0]
    );
    assert_eq!(
        j.results[1].outcome,
        CheckOutcome::Fail,
        "{:?}",
        j.results[1]
    );
    assert!(
        j.results[1].detail.contains("slower than 310 ms"),
        "{}",
        j.results[1].detail
    );
    assert!(j.conclusive_failure());
}

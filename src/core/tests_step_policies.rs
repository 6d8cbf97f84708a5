//! The failure and no-data policies of the stepping phase.

use super::test_support::*;
use super::*;
use crate::core::judge::Verdict;
use crate::core::plan::{NoDataPolicy, OnFailure};

/// A record on step `index` (of the standard plan) since 0 s, with its weights written.
fn on_step(index: usize) -> Record {
    let plan = PlanBuilder::standard().build();
    let mut r = record(secs(0));
    r.phase = Phase::Stepping {
        index,
        since: secs(0),
    };
    r.written = Some(split_for(plan.steps[index].share));
    r
}

/// One tick on the step's own weights.
fn tick(rec: Record, verdict: Option<Verdict>, plan: &Plan, at: i64) -> (Record, Vec<Action>) {
    let live = rec.written.unwrap_or(Split::new(1000, 0));
    step(rec, &inputs(live, verdict.map(judgement)), plan, secs(at))
}

#[test]
fn a_failure_at_threshold_one_rolls_back() {
    let plan = PlanBuilder::standard().build();
    let now = secs(120);
    let on_step = on_step(1);
    let written = on_step.written.expect("written");
    let (r, actions) = tick(on_step, Some(Verdict::Fail), &plan, 120);
    let why = "errors: canary 5XX rate 5.20% > max 1.00%".to_string();
    assert_eq!(
        r.phase,
        Phase::RolledBack {
            why: why.clone(),
            at: now
        }
    );
    assert_eq!(
        actions,
        vec![
            Action::Emit(Event {
                at: now,
                kind: EventKind::Analysed {
                    verdict: "fail".to_string(),
                    details: vec![why.clone()],
                    evidence: vec![],
                },
            }),
            Action::SetWeights {
                share: Share::STABLE_ONLY,
                guard: WriteGuard::Expect(written),
            },
            Action::Emit(Event {
                at: now,
                kind: EventKind::RolledBack { why }
            }),
            Action::Save,
        ]
    );
    assert_eq!(r.consecutive_failures, 0);
    assert_eq!(r.last_verdict.map(|v| v.verdict), Some("fail".to_string()));
}

#[test]
fn a_threshold_of_three_needs_three_failures_in_a_row() {
    let plan = PlanBuilder::standard().threshold(3).build();
    let mut rec = on_step(0);
    // Two failures, a pass that resets the streak, two more failures: still stepping.
    for (at, verdict, failures) in [
        (60, Verdict::Fail, 1),
        (120, Verdict::Fail, 2),
        (180, Verdict::Pass, 0),
        (240, Verdict::Fail, 1),
        (300, Verdict::Fail, 2),
    ] {
        let (r, actions) = tick(rec, Some(verdict), &plan, at);
        assert!(
            matches!(r.phase, Phase::Stepping { index: 0, .. }),
            "at {at}"
        );
        assert_eq!(r.consecutive_failures, failures, "at {at}");
        assert!(writes(&actions).is_empty(), "at {at}");
        rec = r;
    }
    let (r, actions) = tick(rec, Some(Verdict::Fail), &plan, 360);
    let Phase::RolledBack { why, .. } = &r.phase else {
        panic!("expected rolled back, got {:?}", r.phase)
    };
    assert!(
        why.starts_with("3 failed analyses in a row (failure_threshold 3); last: errors:"),
        "{why}"
    );
    assert_eq!(writes(&actions), vec![Share::STABLE_ONLY]);
}

#[test]
fn a_failure_below_threshold_blocks_a_baked_step() {
    let plan = PlanBuilder::standard().threshold(2).build();
    let (r, actions) = tick(on_step(0), Some(Verdict::Fail), &plan, 3_600);
    assert!(matches!(r.phase, Phase::Stepping { index: 0, .. }));
    assert!(writes(&actions).is_empty());
    // The next pass moves it on and the new step starts with a clean streak.
    let (r, actions) = tick(r, Some(Verdict::Pass), &plan, 3_660);
    assert_eq!(
        r.phase,
        Phase::Stepping {
            index: 1,
            since: secs(3_660)
        }
    );
    assert_eq!(writes(&actions), vec![share(250)]);
    assert_eq!(r.consecutive_failures, 0);
}

#[test]
fn advancing_resets_the_failure_streak() {
    let plan = PlanBuilder::standard()
        .threshold(3)
        .no_data(NoDataPolicy::Pass)
        .build();
    let mut rec = on_step(0);
    rec.consecutive_failures = 2;
    let (r, _) = tick(rec, Some(Verdict::NoData), &plan, 600);
    assert_eq!(
        r.phase,
        Phase::Stepping {
            index: 1,
            since: secs(600)
        }
    );
    assert_eq!(r.consecutive_failures, 0);
}

#[test]
fn on_failure_pause_holds_the_weights() {
    let plan = PlanBuilder::standard().on_failure(OnFailure::Pause).build();
    let (r, actions) = tick(on_step(2), Some(Verdict::Fail), &plan, 60);
    let Phase::Paused { why, index } = &r.phase else {
        panic!("expected paused, got {:?}", r.phase)
    };
    assert_eq!(*index, Some(2));
    assert!(
        why.starts_with("errors: canary 5XX rate 5.20% > max 1.00%"),
        "{why}"
    );
    assert!(why.contains("canary-deploy rollback"), "{why}");
    assert!(writes(&actions).is_empty());
    assert_eq!(
        events(&actions).last(),
        Some(&EventKind::Paused { why: why.clone() })
    );
    assert_eq!(actions.last(), Some(&Action::Save));
    // And it stays paused until an operator acts.
    let (again, actions) = tick(r.clone(), Some(Verdict::Pass), &plan, 9_000);
    assert_eq!(again, r);
    assert!(actions.is_empty());
}

#[test]
fn no_data_hold_neither_advances_nor_counts() {
    let plan = PlanBuilder::standard().no_data(NoDataPolicy::Hold).build();
    let mut rec = on_step(0);
    for at in [600, 660, 720, 780] {
        let (r, actions) = tick(rec, Some(Verdict::NoData), &plan, at);
        assert_eq!(
            r.phase,
            Phase::Stepping {
                index: 0,
                since: secs(0)
            }
        );
        assert_eq!(r.consecutive_failures, 0);
        assert!(writes(&actions).is_empty());
        assert_eq!(
            events(&actions),
            vec![
                EventKind::Analysed {
                    verdict: "no_data".to_string(),
                    details: vec!["errors: canary served 3 requests".to_string()],
                    evidence: vec![],
                },
                EventKind::Holding {
                    why: "no data: errors: canary served 3 requests".to_string()
                },
            ]
        );
        rec = r;
    }
    // Data arrives: the baked step advances.
    let (r, _) = tick(rec, Some(Verdict::Pass), &plan, 840);
    assert_eq!(
        r.phase,
        Phase::Stepping {
            index: 1,
            since: secs(840)
        }
    );
}

#[test]
fn no_data_hold_keeps_an_existing_streak() {
    let plan = PlanBuilder::standard().threshold(2).build();
    let (r, _) = tick(on_step(0), Some(Verdict::Fail), &plan, 60);
    let (r, _) = tick(r, Some(Verdict::NoData), &plan, 120);
    assert_eq!(r.consecutive_failures, 1);
    let (r, _) = tick(r, Some(Verdict::Fail), &plan, 180);
    assert!(matches!(r.phase, Phase::RolledBack { .. }));
}

#[test]
fn no_data_fail_counts_as_a_failure() {
    let plan = PlanBuilder::standard()
        .no_data(NoDataPolicy::Fail)
        .threshold(2)
        .build();
    let (r, actions) = tick(on_step(1), Some(Verdict::NoData), &plan, 600);
    assert_eq!(r.consecutive_failures, 1);
    assert!(
        matches!(r.phase, Phase::Stepping { index: 1, .. }),
        "a failure never advances"
    );
    assert!(writes(&actions).is_empty());
    let (r, actions) = tick(r, Some(Verdict::NoData), &plan, 660);
    let Phase::RolledBack { why, .. } = &r.phase else {
        panic!("expected rolled back, got {:?}", r.phase)
    };
    assert!(
        why.contains("no data (no_data: fail): errors: canary served 3 requests"),
        "{why}"
    );
    assert_eq!(writes(&actions), vec![Share::STABLE_ONLY]);
}

#[test]
fn no_data_pass_advances() {
    let plan = PlanBuilder::standard().no_data(NoDataPolicy::Pass).build();
    let (r, actions) = tick(on_step(0), Some(Verdict::NoData), &plan, 600);
    assert_eq!(
        r.phase,
        Phase::Stepping {
            index: 1,
            since: secs(600)
        }
    );
    assert_eq!(writes(&actions), vec![share(250)]);
    assert!(!events(&actions)
        .iter()
        .any(|e| matches!(e, EventKind::Holding { .. })));
}

#[test]
fn no_judgement_neither_advances_nor_counts_even_under_no_data_fail() {
    let plan = PlanBuilder::standard().no_data(NoDataPolicy::Fail).build();
    let mut rec = on_step(0);
    rec.consecutive_failures = 0;
    for at in [600, 1_200, 100_000] {
        let (r, actions) = tick(rec.clone(), None, &plan, at);
        assert_eq!(r, rec, "at {at}");
        assert!(actions.is_empty(), "at {at}");
    }
}

#[test]
fn without_checks_a_baked_step_advances_on_time_alone() {
    let plan = PlanBuilder::standard().no_checks().build();
    let (r, actions) = tick(on_step(0), None, &plan, 599);
    assert!(actions.is_empty());
    let (r, actions) = tick(r, None, &plan, 600);
    assert_eq!(
        r.phase,
        Phase::Stepping {
            index: 1,
            since: secs(600)
        }
    );
    assert_eq!(writes(&actions), vec![share(250)]);
}

#[test]
fn a_failure_on_the_last_step_rolls_back_instead_of_promoting() {
    let plan = PlanBuilder::standard().build();
    let (r, actions) = tick(on_step(3), Some(Verdict::Fail), &plan, 600);
    assert!(matches!(r.phase, Phase::RolledBack { .. }));
    assert_eq!(writes(&actions), vec![Share::STABLE_ONLY]);
    assert!(!events(&actions).contains(&EventKind::Promoted));
}

#[test]
fn a_zero_threshold_acts_like_one() {
    let plan = PlanBuilder::standard().threshold(0).build();
    let (r, _) = tick(on_step(0), Some(Verdict::Fail), &plan, 60);
    assert!(matches!(r.phase, Phase::RolledBack { .. }));
}

#[test]
fn a_rollout_with_a_bad_canary_rolls_back_mid_way() {
    let plan = PlanBuilder::standard().threshold(2).build();
    let mut shell = Shell::new(record(secs(0)));
    let mut minute = 0;
    while !shell.record.phase.is_terminal() && minute < 60 {
        // The canary starts failing once it takes 25 % of traffic.
        let verdict = match shell.record.phase {
            Phase::Stepping { index, .. } if index >= 1 => Verdict::Fail,
            _ => Verdict::Pass,
        };
        shell.tick(Some(judgement(verdict)), &plan, secs(minute * 60));
        minute += 1;
    }
    assert!(matches!(shell.record.phase, Phase::RolledBack { .. }));
    assert_eq!(shell.live, Split::new(1000, 0));
    // Started at 0, step 1 at minute 10, failures at minutes 11 and 12.
    assert_eq!(minute, 13);
}

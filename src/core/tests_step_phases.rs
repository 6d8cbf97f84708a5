//! Operator rollback, inert phases, the event history, a changed plan and the helpers.

use super::test_support::*;
use super::*;
use crate::core::judge::Verdict;
use crate::core::record::HISTORY_LIMIT;

/// The emitted events of the last tick.
fn emitted_events(shell: &Shell) -> Vec<Event> {
    shell
        .actions
        .iter()
        .filter_map(|a| match a {
            Action::Emit(e) => Some(e.clone()),
            _ => None,
        })
        .collect()
}

#[test]
fn events_are_mirrored_in_the_history_in_order() {
    let plan = PlanBuilder::standard().build();
    let mut shell = Shell::new(record(secs(0)));
    for minute in 0..40 {
        let before = shell.record.history.len();
        // Alternate the verdicts so that every analysis is a change worth keeping.
        let verdict = if minute % 4 == 1 {
            Verdict::Pass
        } else {
            Verdict::NoData
        };
        let judged = (minute % 2 == 1).then(|| judgement(verdict));
        shell.tick(judged, &plan, secs(minute * 60));
        let appended: Vec<Event> = shell.record.history.iter().skip(before).cloned().collect();
        assert_eq!(appended, emitted_events(&shell), "minute {minute}");
        if !shell.actions.is_empty() {
            assert_eq!(shell.actions.last(), Some(&Action::Save), "minute {minute}");
            assert_eq!(shell.record.updated_at, secs(minute * 60));
        }
    }
}

#[test]
fn a_repeated_verdict_is_emitted_but_not_kept() {
    let plan = PlanBuilder::standard().build();
    let mut shell = Shell::new(stepping_record(0, secs(0), Split::new(950, 50)));
    shell.live = Split::new(950, 50);
    shell.tick(Some(judgement(Verdict::NoData)), &plan, secs(60));
    let kept = shell.record.history.len();
    assert_eq!(kept, 2, "the first no-data analysis and its hold are kept");
    shell.tick(Some(judgement(Verdict::NoData)), &plan, secs(120));
    assert_eq!(
        emitted_events(&shell).len(),
        2,
        "the repeat is still reported"
    );
    assert_eq!(shell.record.history.len(), kept, "but not kept");
    assert_eq!(
        shell.record.last_verdict.as_ref().map(|v| v.at),
        Some(secs(120))
    );
}

#[test]
fn history_is_bounded() {
    let plan = PlanBuilder::standard().build();
    let mut rec = stepping_record(0, secs(0), Split::new(950, 50));
    let last = HISTORY_LIMIT as i64 + 50;
    for minute in 0..=last {
        let verdict = if minute % 2 == 0 {
            Verdict::Pass
        } else {
            Verdict::NoData
        };
        rec = step(
            rec,
            &inputs(Split::new(950, 50), Some(judgement(verdict))),
            &plan,
            secs(minute),
        )
        .0;
    }
    assert_eq!(rec.history.len(), HISTORY_LIMIT);
    assert_eq!(rec.history.back().map(|e| e.at), Some(secs(last)));
}

#[test]
fn operator_rollback_wins_in_every_phase() {
    let plan = PlanBuilder::standard().build();
    let phases = [
        Phase::Pending,
        Phase::Stepping {
            index: 2,
            since: secs(0),
        },
        Phase::Paused {
            why: "drift".to_string(),
            index: Some(1),
        },
        Phase::Paused {
            why: "canary live".to_string(),
            index: None,
        },
        Phase::Promoted { at: secs(10) },
        Phase::RolledBack {
            why: "errors".to_string(),
            at: secs(10),
        },
        Phase::Failed {
            why: "write failed".to_string(),
        },
    ];
    let now = secs(500);
    for phase in phases {
        let mut rec = record(secs(0));
        rec.phase = phase.clone();
        rec.written = Some(Split::new(500, 500));
        rec.consecutive_failures = 2;
        // The live split differs from the written one: the operator overrides drift.
        let (r, actions) = step(
            rec,
            &operator(Split::new(100, 900), "bad deploy"),
            &plan,
            now,
        );
        let why = "operator: bad deploy".to_string();
        assert_eq!(
            actions,
            vec![
                emitted(
                    EventKind::Operator {
                        action: OperatorAction::Rollback,
                        reason: "bad deploy".to_string(),
                        by: None,
                    },
                    now
                ),
                Action::SetWeights {
                    share: Share::STABLE_ONLY,
                    guard: WriteGuard::Override,
                },
                emitted(EventKind::RolledBack { why: why.clone() }, now),
                Action::Save,
            ],
            "from {phase:?}"
        );
        assert_eq!(
            r.phase,
            Phase::RolledBack { why, at: now },
            "from {phase:?}"
        );
        assert_eq!(r.consecutive_failures, 0);
        assert_eq!(r.updated_at, now);
    }
}

#[test]
fn terminal_and_paused_phases_are_inert() {
    let plan = PlanBuilder::standard().build();
    let phases = [
        Phase::Paused {
            why: "drift".to_string(),
            index: Some(1),
        },
        Phase::Promoted { at: secs(10) },
        Phase::RolledBack {
            why: "errors".to_string(),
            at: secs(10),
        },
        Phase::Failed {
            why: "write failed".to_string(),
        },
    ];
    for phase in phases {
        let mut rec = record(secs(0));
        rec.phase = phase.clone();
        rec.written = Some(Split::new(500, 500));
        for verdict in [Verdict::Pass, Verdict::Fail, Verdict::NoData] {
            // Drifted weights and any verdict: still nothing.
            let input = inputs(Split::new(100, 900), Some(judgement(verdict)));
            let (r, actions) = step(rec.clone(), &input, &plan, secs(9_999));
            assert_eq!(r, rec, "{phase:?} {verdict:?}");
            assert!(actions.is_empty(), "{phase:?} {verdict:?}");
        }
    }
}

#[test]
fn a_plan_shorter_than_the_record_fails_instead_of_panicking() {
    let plan = PlanBuilder::new(&[(500, 1), (1000, 0)]).build();
    let rec = stepping_record(3, secs(0), Split::new(0, 1000));
    let (r, actions) = step(
        rec,
        &inputs(Split::new(0, 1000), Some(judgement(Verdict::Pass))),
        &plan,
        secs(60),
    );
    let Phase::Failed { why } = &r.phase else {
        panic!("expected failed, got {:?}", r.phase)
    };
    assert!(why.contains("step 4") && why.contains("2 step(s)"), "{why}");
    assert!(why.contains("canary-deploy rollback"), "{why}");
    assert!(writes(&actions).is_empty());
    assert_eq!(
        events(&actions),
        vec![EventKind::Failed { why: why.clone() }]
    );
}

#[test]
fn time_to_next_step_counts_down_the_bake() {
    let plan = PlanBuilder::standard().build();
    let rec = stepping_record(1, secs(1_000), Split::new(750, 250));
    assert_eq!(time_to_next_step(&rec, &plan, secs(1_000)), Some(mins(10)));
    assert_eq!(
        time_to_next_step(&rec, &plan, secs(1_240)),
        Some(Duration::from_secs(360))
    );
    assert_eq!(
        time_to_next_step(&rec, &plan, secs(9_000)),
        Some(Duration::ZERO)
    );
    assert_eq!(time_to_next_step(&record(secs(0)), &plan, secs(5)), None);
    let out_of_range = stepping_record(9, secs(0), Split::new(0, 1000));
    assert_eq!(time_to_next_step(&out_of_range, &plan, secs(5)), None);
}

#[test]
fn current_share_follows_the_phase() {
    let plan = PlanBuilder::standard().build();
    let mut rec = record(secs(0));
    let cases = [
        (Phase::Pending, None),
        (
            Phase::Stepping {
                index: 1,
                since: secs(0),
            },
            Some(share(250)),
        ),
        (
            Phase::Stepping {
                index: 7,
                since: secs(0),
            },
            None,
        ),
        (
            Phase::Paused {
                why: String::new(),
                index: Some(2),
            },
            Some(share(500)),
        ),
        (
            Phase::Paused {
                why: String::new(),
                index: None,
            },
            None,
        ),
        (Phase::Promoted { at: secs(1) }, Some(Share::CANARY_ONLY)),
        (
            Phase::RolledBack {
                why: String::new(),
                at: secs(1),
            },
            Some(Share::STABLE_ONLY),
        ),
        (Phase::Failed { why: String::new() }, None),
    ];
    for (phase, expected) in cases {
        rec.phase = phase.clone();
        assert_eq!(current_share(&rec, &plan), expected, "{phase:?}");
    }
}

//! Transitions of the state machine: start, drift, bake, advance and promote.

use super::test_support::*;
use super::*;
use crate::core::judge::Verdict;
use crate::core::plan::StartFrom;

#[test]
fn pending_starts_the_first_step() {
    let plan = PlanBuilder::standard().build();
    let now = secs(100);
    let (r, actions) = step(
        record(secs(0)),
        &inputs(Split::new(1000, 0), None),
        &plan,
        now,
    );
    assert_eq!(
        actions,
        vec![
            emitted(EventKind::Started { steps: 4 }, now),
            Action::SetWeights {
                share: share(50),
                guard: WriteGuard::Expect(Split::new(1000, 0)),
            },
            emitted(
                EventKind::StepStarted {
                    index: 0,
                    share: share(50)
                },
                now
            ),
            Action::Save,
        ]
    );
    assert_eq!(
        r.phase,
        Phase::Stepping {
            index: 0,
            since: now
        }
    );
    assert_eq!(r.updated_at, now);
    assert_eq!(r.history.len(), 2);
}

#[test]
fn pending_with_both_weights_zero_counts_as_stable_only() {
    let plan = PlanBuilder::standard().build();
    let (r, _) = step(
        record(secs(0)),
        &inputs(Split::new(0, 0), None),
        &plan,
        secs(1),
    );
    assert!(matches!(r.phase, Phase::Stepping { index: 0, .. }));
}

#[test]
fn pending_with_a_canary_already_live_and_no_start_from_pauses_without_writing() {
    // The shell refuses before core sees this; core still never moves traffic on its own.
    let plan = PlanBuilder::standard().build();
    let (r, actions) = step(
        record(secs(0)),
        &inputs(Split::new(800, 200), None),
        &plan,
        secs(5),
    );
    assert!(writes(&actions).is_empty());
    let Phase::Paused { why, index } = &r.phase else {
        panic!("expected paused, got {:?}", r.phase)
    };
    assert_eq!(*index, None);
    assert!(
        why.starts_with("the canary already receives 20% of traffic"),
        "{why}"
    );
    assert!(
        why.contains("`--start-from live` stays at 25% as step 2")
            || why.contains("`--start-from live` moves the canary up to step 2 (25%), skipping 5%"),
        "{why}"
    );
    assert_eq!(actions.last(), Some(&Action::Save));
}

#[test]
fn start_from_live_judges_the_live_split_before_it_raises_it() {
    let plan = PlanBuilder::standard().start_from(StartFrom::Live).build();
    let now = secs(5);
    let live = Split::new(600, 400);
    let (r, actions) = step(record(secs(0)), &inputs(live, None), &plan, now);
    assert!(
        writes(&actions).is_empty(),
        "nothing raised before a window is judged"
    );
    assert_eq!(r.written, Some(live));
    assert!(r.judging_live);
    assert_eq!(
        r.phase,
        Phase::Stepping {
            index: 2,
            since: now
        }
    );
    assert_eq!(
        events(&actions)[0],
        EventKind::ExistingSplit {
            live,
            start_from: StartFrom::Live
        }
    );
    // The checks at the live share apply while it is judged.
    assert_eq!(
        crate::core::step::current_share(&r, &plan),
        Some(share(400))
    );

    // An already failing canary is rolled back from 40 %, never raised to 50 % first.
    let (failed, actions) = step(
        r.clone(),
        &inputs(live, Some(judgement(Verdict::Fail))),
        &plan,
        secs(65),
    );
    assert_eq!(writes(&actions), vec![Share::STABLE_ONLY]);
    assert!(matches!(failed.phase, Phase::RolledBack { .. }));

    // A passing window writes the step at once (no bake of the live split).
    let (passed, actions) = step(
        r,
        &inputs(live, Some(judgement(Verdict::Pass))),
        &plan,
        secs(65),
    );
    assert_eq!(writes(&actions), vec![share(500)]);
    assert!(!passed.judging_live);
    assert_eq!(
        passed.phase,
        Phase::Stepping {
            index: 2,
            since: secs(65)
        }
    );
}

#[test]
fn start_from_live_adopts_a_live_split_that_is_a_step() {
    let plan = PlanBuilder::standard().start_from(StartFrom::Live).build();
    let now = secs(5);
    let (r, actions) = step(
        record(secs(0)),
        &inputs(Split::new(750, 250), None),
        &plan,
        now,
    );
    assert!(writes(&actions).is_empty(), "no write: the step is live");
    assert_eq!(r.written, Some(Split::new(750, 250)));
    assert_eq!(
        r.phase,
        Phase::Stepping {
            index: 1,
            since: now
        }
    );
    assert_eq!(actions.last(), Some(&Action::Save));
    // The adopted split is what must stay live: a later change is drift.
    let (r, _) = step(r, &inputs(Split::new(500, 500), None), &plan, secs(10));
    assert!(matches!(r.phase, Phase::Paused { .. }), "{:?}", r.phase);
}

#[test]
fn start_from_first_step_resets_down() {
    let plan = PlanBuilder::standard()
        .start_from(StartFrom::FirstStep)
        .build();
    let (r, actions) = step(
        record(secs(0)),
        &inputs(Split::new(600, 400), None),
        &plan,
        secs(5),
    );
    assert_eq!(writes(&actions), vec![share(50)]);
    assert!(matches!(r.phase, Phase::Stepping { index: 0, .. }));
}

#[test]
fn pending_with_an_empty_plan_fails() {
    let plan = PlanBuilder::new(&[]).build();
    let (r, actions) = step(
        record(secs(0)),
        &inputs(Split::new(1000, 0), None),
        &plan,
        secs(5),
    );
    assert!(matches!(&r.phase, Phase::Failed { why } if why.contains("no steps")));
    assert!(writes(&actions).is_empty());
    assert_eq!(actions.last(), Some(&Action::Save));
}

#[test]
fn drift_while_pending_pauses() {
    let plan = PlanBuilder::standard().build();
    let mut rec = record(secs(0));
    rec.written = Some(Split::new(1000, 0));
    let (r, actions) = step(rec, &inputs(Split::new(900, 100), None), &plan, secs(5));
    assert!(matches!(r.phase, Phase::Paused { index: None, .. }));
    assert!(writes(&actions).is_empty());
    assert_eq!(
        events(&actions)[0],
        EventKind::DriftDetected {
            expected: Split::new(1000, 0),
            live: Split::new(900, 100)
        }
    );
}

#[test]
fn drift_while_stepping_pauses_naming_both_splits() {
    let plan = PlanBuilder::standard().build();
    let rec = stepping_record(0, secs(0), Split::new(950, 50));
    let judged = Some(judgement(Verdict::Pass));
    let (r, actions) = step(
        rec,
        &inputs(Split::new(800, 200), judged),
        &plan,
        secs(3_600),
    );
    let why = "live weights changed outside canary-deploy: expected stable 950 / canary 50 (5% \
               canary), found stable 800 / canary 200 (20% canary); run `canary-deploy rollback` \
               to put all traffic on stable, or fix the weights";
    assert_eq!(
        r.phase,
        Phase::Paused {
            why: why.to_string(),
            index: Some(0)
        }
    );
    assert_eq!(
        events(&actions),
        vec![
            EventKind::DriftDetected {
                expected: Split::new(950, 50),
                live: Split::new(800, 200)
            },
            EventKind::Paused {
                why: why.to_string()
            },
        ]
    );
    assert!(writes(&actions).is_empty(), "drift never writes");
    assert_eq!(r.last_verdict, None, "a drifted tick is not judged");
    assert_eq!(actions.last(), Some(&Action::Save));
}

#[test]
fn live_weights_of_an_unconfirmed_write_are_not_drift() {
    // Killed between the write and the save: the write reached AWS, `in_flight` says so.
    let plan = PlanBuilder::standard().build();
    let mut rec = stepping_record(1, secs(0), Split::new(950, 50));
    rec.in_flight = Some(Split::new(750, 250));
    let (r, actions) = step(
        rec.clone(),
        &inputs(Split::new(750, 250), None),
        &plan,
        secs(60),
    );
    assert_eq!(r, rec);
    assert!(actions.is_empty());
}

#[test]
fn still_baking_without_judgement_does_nothing() {
    let plan = PlanBuilder::standard().build();
    let rec = stepping_record(0, secs(0), Split::new(950, 50));
    let (r, actions) = step(
        rec.clone(),
        &inputs(Split::new(950, 50), None),
        &plan,
        secs(120),
    );
    assert_eq!(r, rec, "record untouched, updated_at included");
    assert!(actions.is_empty());
}

#[test]
fn a_pass_before_the_bake_has_elapsed_does_not_advance() {
    let plan = PlanBuilder::standard().build();
    let rec = stepping_record(0, secs(0), Split::new(950, 50));
    let now = secs(599);
    let (r, actions) = step(
        rec,
        &inputs(Split::new(950, 50), Some(judgement(Verdict::Pass))),
        &plan,
        now,
    );
    assert_eq!(
        r.phase,
        Phase::Stepping {
            index: 0,
            since: secs(0)
        }
    );
    assert!(writes(&actions).is_empty());
    assert_eq!(
        events(&actions),
        vec![EventKind::Analysed {
            verdict: "pass".to_string(),
            details: vec!["errors: canary 5XX rate 0.10% <= max 1.00%".to_string()],
            evidence: vec![],
        }]
    );
    let last = r.last_verdict.as_ref().map(|v| (v.at, v.verdict.as_str()));
    assert_eq!(last, Some((now, "pass")));
    assert_eq!(r.updated_at, now);
    assert_eq!(actions.last(), Some(&Action::Save));
}

#[test]
fn a_pass_once_baked_advances_to_the_next_step() {
    let plan = PlanBuilder::standard().build();
    let mut rec = stepping_record(0, secs(0), Split::new(950, 50));
    rec.consecutive_failures = 0;
    let now = secs(600);
    let (r, actions) = step(
        rec,
        &inputs(Split::new(950, 50), Some(judgement(Verdict::Pass))),
        &plan,
        now,
    );
    assert_eq!(
        r.phase,
        Phase::Stepping {
            index: 1,
            since: now
        }
    );
    assert_eq!(writes(&actions), vec![share(250)]);
    assert_eq!(
        events(&actions)[1],
        EventKind::StepStarted {
            index: 1,
            share: share(250)
        }
    );
    assert_eq!(actions.last(), Some(&Action::Save));
}

#[test]
fn the_last_step_promotes_without_writing() {
    let plan = PlanBuilder::standard().build();
    let rec = stepping_record(3, secs(0), Split::new(0, 1000));
    let now = secs(60);
    let (r, actions) = step(
        rec,
        &inputs(Split::new(0, 1000), Some(judgement(Verdict::Pass))),
        &plan,
        now,
    );
    assert_eq!(r.phase, Phase::Promoted { at: now });
    assert!(writes(&actions).is_empty());
    assert_eq!(events(&actions).last(), Some(&EventKind::Promoted));
}

#[test]
fn an_ended_deployment_keeps_no_lease() {
    let plan = PlanBuilder::standard().build();
    let mut rec = stepping_record(3, secs(0), Split::new(0, 1000));
    rec.lease = Some(crate::core::record::Lease {
        owner: "run on a pid 1".into(),
        token: "t".into(),
        until: secs(600),
    });
    let live = Split::new(0, 1000);
    let (r, _) = step(
        rec.clone(),
        &inputs(live, Some(judgement(Verdict::Pass))),
        &plan,
        secs(60),
    );
    assert_eq!(r.phase, Phase::Promoted { at: secs(60) });
    assert_eq!(r.lease, None);
    // A tick that does not end the deployment keeps its runner's lease.
    let (r, _) = step(rec, &inputs(live, None), &plan, secs(1));
    assert!(r.lease.is_some());
}

#[test]
fn a_thirty_minute_rollout_promotes_through_every_step() {
    let plan = PlanBuilder::standard().build();
    let mut shell = Shell::new(record(secs(0)));
    let mut all_writes = Vec::new();
    let mut minute = 0;
    while !shell.record.phase.is_terminal() && minute <= 60 {
        // No judgement in the first minute of a step (no complete window yet), then passes.
        let judged = match shell.record.phase {
            Phase::Stepping { since, .. } if secs(minute * 60).since(since) >= mins(1) => {
                Some(judgement(Verdict::Pass))
            }
            _ => None,
        };
        shell.tick(judged, &plan, secs(minute * 60));
        all_writes.extend(writes(&shell.actions));
        minute += 1;
    }
    assert_eq!(shell.record.phase, Phase::Promoted { at: secs(31 * 60) });
    assert_eq!(
        all_writes,
        vec![share(50), share(250), share(500), share(1000)]
    );
    assert_eq!(shell.live, Split::new(0, 1000));
    let kinds: Vec<EventKind> = shell
        .record
        .history
        .iter()
        .map(|e| e.kind.clone())
        .collect();
    let steps: Vec<usize> = kinds
        .iter()
        .filter_map(|k| match k {
            EventKind::StepStarted { index, .. } => Some(*index),
            _ => None,
        })
        .collect();
    assert_eq!(steps, vec![0, 1, 2, 3]);
    assert_eq!(kinds.first(), Some(&EventKind::Started { steps: 4 }));
    assert_eq!(kinds.last(), Some(&EventKind::Promoted));
}

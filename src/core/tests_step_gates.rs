//! Gates: a step that has baked holds at its gate, still judged, until an operator's `resume`
//! (approval) or its wait ends; `promote` finishes at once, a failure still rolls back.

use super::test_support::*;
use super::*;
use crate::core::judge::Verdict;
use crate::core::plan::Gate;

fn resume() -> OperatorCommand {
    OperatorCommand::new(OperatorAction::Resume, "looks good", Some("ana".into()))
}

/// Steps 10 % and 50 % (1 min bakes each) and 100 %, the first gated by `gate`, on step 1.
fn gated(gate: Gate) -> (Plan, Shell) {
    let plan = PlanBuilder::new(&[(100, 1), (500, 1), (1000, 0)])
        .gate(0, gate)
        .build();
    let mut shell = Shell::new(stepping_record(0, secs(0), Split::new(900, 100)));
    shell.live = Split::new(900, 100);
    (plan, shell)
}

fn gate_events(actions: &[Action]) -> Vec<EventKind> {
    events(actions)
        .into_iter()
        .filter(|e| {
            matches!(
                e,
                EventKind::GateHeld { .. } | EventKind::GateReleased { .. }
            )
        })
        .collect()
}

#[test]
fn an_approval_gate_holds_a_baked_step_until_resume_and_says_so_once() {
    let (plan, mut shell) = gated(Gate::Approval);
    shell.tick(Some(judgement(Verdict::Pass)), &plan, secs(30));
    assert!(gate_events(&shell.actions).is_empty(), "not baked yet");
    let actions = shell
        .tick(Some(judgement(Verdict::Pass)), &plan, secs(61))
        .to_vec();
    assert!(writes(&actions).is_empty(), "held at 10%");
    let held = gate_events(&actions);
    assert!(
        matches!(&held[..], [EventKind::GateHeld { index: 0, gate, until: None, how }]
            if gate == "approval" && how.contains("canary-deploy resume")),
        "{held:?}"
    );
    assert!(actions.contains(&Action::Save), "the hold is recorded");
    assert_eq!(shell.record.gate_held, Some(0));
    // Hours later: still held, said no more.
    let later = shell
        .tick(Some(judgement(Verdict::Pass)), &plan, secs(7_200))
        .to_vec();
    assert!(
        writes(&later).is_empty() && gate_events(&later).is_empty(),
        "{later:?}"
    );

    // The operator's resume releases it, writing nothing; the next tick moves on.
    let (record, actions) =
        operate(shell.record.clone(), &resume(), shell.live, secs(7_300)).unwrap();
    assert!(writes(&actions).is_empty());
    assert_eq!(
        gate_events(&actions),
        vec![EventKind::GateReleased { index: 0 }]
    );
    assert_eq!(record.released_gates, vec![0]);
    assert_eq!(record.gate_held, None);
    shell.record = record;
    let moved = shell
        .tick(Some(judgement(Verdict::Pass)), &plan, secs(7_310))
        .to_vec();
    assert_eq!(writes(&moved), vec![share(500)]);
}

#[test]
fn a_held_gate_still_judges_and_a_failure_rolls_back() {
    let (plan, mut shell) = gated(Gate::Approval);
    shell.tick(Some(judgement(Verdict::Pass)), &plan, secs(61));
    assert_eq!(shell.record.gate_held, Some(0));
    let failed = shell
        .tick(Some(judgement(Verdict::Fail)), &plan, secs(120))
        .to_vec();
    assert_eq!(writes(&failed), vec![Share::STABLE_ONLY]);
    assert!(matches!(shell.record.phase, Phase::RolledBack { .. }));
    assert_eq!(shell.record.gate_held, None, "a gate belongs to its phase");
    // A resume of the ended deployment is refused, not taken for a gate's release.
    let refused = operate(shell.record.clone(), &resume(), shell.live, secs(130));
    assert!(refused.is_err(), "{refused:?}");
}

#[test]
fn promote_finishes_now_through_a_held_gate() {
    let (plan, mut shell) = gated(Gate::Approval);
    shell.tick(Some(judgement(Verdict::Pass)), &plan, secs(61));
    let promote = OperatorCommand::new(OperatorAction::Promote, "ship it", None);
    let (record, actions) = operate(shell.record.clone(), &promote, shell.live, secs(90)).unwrap();
    assert_eq!(writes(&actions), vec![Share::CANARY_ONLY]);
    assert!(matches!(record.phase, Phase::Promoted { .. }));
}

#[test]
fn a_timed_gate_waits_past_the_bake_then_moves_on() {
    let (plan, mut shell) = gated(Gate::Wait(mins(10)));
    let held = shell
        .tick(Some(judgement(Verdict::Pass)), &plan, secs(61))
        .to_vec();
    assert!(
        matches!(&gate_events(&held)[..], [EventKind::GateHeld { until: Some(until), how, .. }]
            if *until == secs(660) && how.contains("time")),
        "{held:?}"
    );
    let waiting = shell
        .tick(Some(judgement(Verdict::Pass)), &plan, secs(659))
        .to_vec();
    assert!(writes(&waiting).is_empty());
    let moved = shell
        .tick(Some(judgement(Verdict::Pass)), &plan, secs(660))
        .to_vec();
    assert_eq!(writes(&moved), vec![share(500)]);
    assert_eq!(
        gate_events(&moved),
        vec![EventKind::GateReleased { index: 0 }]
    );
    assert_eq!(shell.record.gate_held, None);
}

#[test]
fn resume_with_no_held_gate_and_no_pause_is_refused() {
    let (plan, mut shell) = gated(Gate::Approval);
    shell.tick(Some(judgement(Verdict::Pass)), &plan, secs(30));
    let refused = operate(shell.record.clone(), &resume(), shell.live, secs(40));
    assert!(
        refused
            .as_ref()
            .is_err_and(|why| why.contains("nothing to resume")),
        "{refused:?}"
    );
}

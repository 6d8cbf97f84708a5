//! The operator's commands: promote, pause and resume (rollback is in `tests_step_phases`).

use super::test_support::*;
use super::*;

fn command(action: OperatorAction) -> OperatorCommand {
    OperatorCommand::new(
        action,
        "on-call",
        Some("arn:aws:iam::123456789012:user/ana".into()),
    )
}

#[test]
fn promote_writes_all_traffic_to_the_canary_from_any_unpromoted_phase() {
    let now = secs(300);
    let rec = stepping_record(1, secs(0), Split::new(750, 250));
    let (r, actions) = operate(
        rec,
        &command(OperatorAction::Promote),
        Split::new(750, 250),
        now,
    )
    .unwrap();
    assert_eq!(writes(&actions), vec![Share::CANARY_ONLY]);
    assert_eq!(r.phase, Phase::Promoted { at: now });
    assert_eq!(
        events(&actions)[0],
        EventKind::Operator {
            action: OperatorAction::Promote,
            reason: "on-call".into(),
            by: Some("arn:aws:iam::123456789012:user/ana".into()),
        }
    );
    let mut promoted = r;
    promoted.phase = Phase::Promoted { at: now };
    let refused = operate(
        promoted,
        &command(OperatorAction::Promote),
        Split::new(0, 999),
        now,
    );
    assert_eq!(
        refused.unwrap_err(),
        "nothing to promote: the deployment is promoted"
    );
}

#[test]
fn pause_holds_the_step_and_resume_restarts_its_bake() {
    let rec = stepping_record(2, secs(0), Split::new(500, 500));
    let (paused, actions) = operate(
        rec,
        &command(OperatorAction::Pause),
        Split::new(500, 500),
        secs(60),
    )
    .unwrap();
    assert!(writes(&actions).is_empty());
    assert_eq!(
        paused.phase,
        Phase::Paused {
            why: "operator: on-call (by arn:aws:iam::123456789012:user/ana)".into(),
            index: Some(2)
        }
    );
    // A runner's tick does nothing while paused.
    let plan = PlanBuilder::standard().build();
    let (same, actions) = step(
        paused.clone(),
        &inputs(Split::new(500, 500), None),
        &plan,
        secs(90),
    );
    assert!(actions.is_empty());
    assert_eq!(same.phase, paused.phase);

    let (resumed, actions) = operate(
        paused,
        &command(OperatorAction::Resume),
        Split::new(500, 500),
        secs(120),
    )
    .unwrap();
    assert!(writes(&actions).is_empty());
    assert_eq!(
        resumed.phase,
        Phase::Stepping {
            index: 2,
            since: secs(120)
        }
    );
}

#[test]
fn resume_refuses_while_the_weights_differ_from_the_last_written() {
    let mut rec = stepping_record(1, secs(0), Split::new(750, 250));
    rec.phase = Phase::Paused {
        why: "drift".into(),
        index: Some(1),
    };
    let why = operate(
        rec,
        &command(OperatorAction::Resume),
        Split::new(700, 300),
        secs(5),
    )
    .unwrap_err();
    assert_eq!(
        why,
        "cannot resume: the live weights are stable 700 / canary 300 (30% canary), but \
         canary-deploy last wrote stable 750 / canary 250 (25% canary); put them back to stable \
         750 / canary 250 (25% canary), or roll back"
    );
}

#[test]
fn commands_that_do_not_apply_are_refused_with_the_phase() {
    let mut rec = record(secs(0));
    rec.phase = Phase::RolledBack {
        why: "errors".into(),
        at: secs(1),
    };
    let pause = operate(
        rec.clone(),
        &command(OperatorAction::Pause),
        Split::new(999, 0),
        secs(5),
    );
    assert_eq!(
        pause.unwrap_err(),
        "nothing to pause: the deployment is rolled_back"
    );
    let resume = operate(
        rec,
        &command(OperatorAction::Resume),
        Split::new(999, 0),
        secs(5),
    );
    assert_eq!(
        resume.unwrap_err(),
        "nothing to resume: the deployment is rolled_back"
    );
}

#[test]
fn resuming_a_deployment_paused_before_its_first_step_makes_it_pending() {
    let mut rec = record(secs(0));
    rec.phase = Phase::Paused {
        why: "operator: wait".into(),
        index: None,
    };
    let (r, _) = operate(
        rec,
        &command(OperatorAction::Resume),
        Split::new(1000, 0),
        secs(5),
    )
    .unwrap();
    assert_eq!(r.phase, Phase::Pending);
}

#[test]
fn promote_checks_the_last_written_split_and_rollback_overrides_it() {
    let written = Split::new(750, 250);
    let someone_elses = Split::new(400, 600);
    let rec = stepping_record(1, secs(0), written);
    let promote = command(OperatorAction::Promote);
    let (_, actions) = operate(rec.clone(), &promote, someone_elses, secs(300)).unwrap();
    assert_eq!(guards(&actions), [WriteGuard::Expect(written)]);
    let rollback = command(OperatorAction::Rollback);
    let (_, actions) = operate(rec, &rollback, someone_elses, secs(300)).unwrap();
    assert_eq!(guards(&actions), [WriteGuard::Override]);
}

#[test]
fn a_runners_first_write_expects_the_split_it_read() {
    let plan = PlanBuilder::standard().build();
    let live = Split::new(1000, 0);
    let (_, actions) = step(record(secs(0)), &inputs(live, None), &plan, secs(1));
    assert_eq!(guards(&actions), [WriteGuard::Expect(live)]);
}

#[test]
fn a_reason_is_kept_to_its_first_256_characters() {
    let long = "x".repeat(16 * 1024);
    let command = OperatorCommand::new(OperatorAction::Rollback, long, Some("é".repeat(300)));
    let kept = format!("{}… (16128 more characters dropped)", "x".repeat(256));
    assert_eq!(command.reason, kept);
    let by = command.by.expect("an identity");
    assert!(by.ends_with("… (44 more characters dropped)"), "{by}");
    let short = OperatorCommand::rollback("pager: 5xx");
    assert_eq!(short.reason, "pager: 5xx");
}

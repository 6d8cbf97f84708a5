use super::*;
use crate::core::record::{Event, EventKind, Phase};
use crate::core::step::test_support::{
    record, secs, share, split_for, stepping_record, PlanBuilder,
};

fn promoted(written: Split) -> Record {
    let mut r = record(secs(0));
    r.phase = Phase::Promoted { at: secs(60) };
    r.written = Some(written);
    r
}

#[test]
fn a_stepping_record_agrees_with_its_own_write_or_the_one_in_flight() {
    let plan = PlanBuilder::standard().build();
    let r = stepping_record(1, secs(0), split_for(share(250)));
    assert_eq!(runner(&r, &plan, split_for(share(250))), Ok(()));
    let mut moving = stepping_record(2, secs(0), split_for(share(250)));
    moving.in_flight = Some(split_for(share(500)));
    assert_eq!(runner(&moving, &plan, split_for(share(250))), Ok(()));
}

#[test]
fn a_forged_step_index_is_a_contradiction_naming_both_sides() {
    let plan = PlanBuilder::standard().build();
    // Written at 5 % (step 1), but the record claims step 3 (50 %): a run would skip 25 %.
    let r = stepping_record(2, secs(0), split_for(share(50)));
    let why = runner(&r, &plan, split_for(share(50))).unwrap_err();
    assert!(why.contains("step 3 (50%)"), "{why}");
    assert!(why.contains("stable 950 / canary 50"), "{why}");
}

#[test]
fn a_promoted_record_with_a_canary_at_ten_percent_is_a_contradiction() {
    let plan = PlanBuilder::standard().build();
    // The record's write says 10 %: the phase is forged.
    let why = runner(
        &promoted(split_for(share(100))),
        &plan,
        split_for(share(100)),
    )
    .unwrap_err();
    assert!(why.contains("says promoted (100% canary)"), "{why}");
    // The record's write agrees with the phase, but the live split does not.
    let why = runner(
        &promoted(split_for(share(1000))),
        &plan,
        split_for(share(100)),
    )
    .unwrap_err();
    assert!(
        why.contains("live weights are stable 900 / canary 100"),
        "{why}"
    );
    assert_eq!(
        runner(
            &promoted(split_for(share(1000))),
            &plan,
            split_for(share(1000))
        ),
        Ok(())
    );
}

#[test]
fn an_operator_never_writes_beside_a_third_target_group() {
    let r = stepping_record(0, secs(0), Split::new(950, 50));
    let live = Split {
        stable: 950,
        canary: 50,
        others: 500,
    };
    for identity in [Identity::Playbook, Identity::Record] {
        let why = operator(&r, live, identity).unwrap_err();
        assert!(why.contains("weight 500"), "{why}");
    }
}

#[test]
fn by_the_record_alone_the_live_split_must_be_what_the_record_wrote() {
    // Stable and canary swapped in the record: live reads as the mirror of what it wrote.
    let r = stepping_record(0, secs(0), Split::new(900, 100));
    let why = operator(&r, Split::new(100, 900), Identity::Record).unwrap_err();
    assert!(why.contains("cannot say which target is stable"), "{why}");
    assert!(why.contains("stable 100 / canary 900"), "{why}");
    // The playbook names the stable itself: drift is the operator's to override.
    assert_eq!(
        operator(&r, Split::new(100, 900), Identity::Playbook),
        Ok(())
    );
    assert_eq!(operator(&r, Split::new(900, 100), Identity::Record), Ok(()));
}

#[test]
fn drift_the_record_itself_saw_does_not_block_the_rollback() {
    let mut r = stepping_record(0, secs(0), Split::new(900, 100));
    r.phase = Phase::Paused {
        why: "drift".into(),
        index: Some(0),
    };
    r.remember(Event {
        at: secs(30),
        kind: EventKind::DriftDetected {
            expected: Split::new(900, 100),
            live: Split::new(500, 500),
        },
    });
    assert_eq!(operator(&r, Split::new(500, 500), Identity::Record), Ok(()));
    assert!(operator(&r, Split::new(400, 600), Identity::Record).is_err());
}

#[test]
fn by_the_record_alone_a_forged_terminal_phase_is_refused() {
    let mut r = promoted(split_for(share(100)));
    r.phase = Phase::RolledBack {
        why: "x".into(),
        at: secs(1),
    };
    let why = operator(&r, split_for(share(100)), Identity::Record).unwrap_err();
    assert!(why.contains("says rolled_back"), "{why}");
}

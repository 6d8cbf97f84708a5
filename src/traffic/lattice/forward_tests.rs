//! Unit tests of `forward.rs` on hand-built SDK actions: reading the two weights (by id or ARN,
//! missing weights), what counts as routed, and the edit that changes only the two weights.

use super::*;
use aws_sdk_vpclattice::types::FixedResponseAction;

pub(super) const RULE: &str =
    "Lattice rule arn:aws:vpc-lattice:us-east-1:123456789012:service/svc-1/\
                    listener/listener-2/rule/rule-3 of listener http of service demo";
pub(super) const TG_PREFIX: &str = "arn:aws:vpc-lattice:us-east-1:123456789012:targetgroup/";

fn group(id: &str, name: &str) -> LatticeResource {
    LatticeResource {
        id: id.into(),
        arn: format!("{TG_PREFIX}{id}"),
        name: Some(name.into()),
    }
}

pub(super) fn stable() -> LatticeResource {
    group("tg-a1", "demo-stable")
}

pub(super) fn canary() -> LatticeResource {
    group("tg-b2", "demo-canary")
}

pub(super) fn weighted(identifier: &str, weight: Option<i32>) -> WeightedTargetGroup {
    WeightedTargetGroup::builder()
        .target_group_identifier(identifier)
        .set_weight(weight)
        .build()
        .unwrap()
}

/// A forward to `groups` (identifier, weight; `None` leaves the weight out).
fn forward_to(groups: &[(&str, Option<i32>)]) -> RuleAction {
    let groups = groups.iter().map(|(id, w)| weighted(id, *w)).collect();
    RuleAction::Forward(
        ForwardAction::builder()
            .set_target_groups(Some(groups))
            .build()
            .unwrap(),
    )
}

pub(super) fn fixed(status: i32) -> RuleAction {
    RuleAction::FixedResponse(
        FixedResponseAction::builder()
            .status_code(status)
            .build()
            .unwrap(),
    )
}

fn groups_of(action: &RuleAction) -> Vec<(String, Option<i32>)> {
    action
        .as_forward()
        .unwrap()
        .target_groups()
        .iter()
        .map(|g| (g.target_group_identifier().to_string(), g.weight()))
        .collect()
}

fn owned(groups: &[(&str, Option<i32>)]) -> Vec<(String, Option<i32>)> {
    groups.iter().map(|(id, w)| (id.to_string(), *w)).collect()
}

// ---- reading --------------------------------------------------------------------------------

#[test]
fn reads_both_weights_by_id_or_arn_and_sums_the_others() {
    let by_id = forward_to(&[
        ("tg-other", Some(7)),
        ("tg-a1", Some(900)),
        ("tg-b2", Some(100)),
    ]);
    assert_eq!(
        live_split(Some(&by_id), &stable(), &canary(), RULE).unwrap(),
        Split {
            stable: 900,
            canary: 100,
            others: 7
        }
    );
    let by_arn = forward_to(&[(&stable().arn, Some(5)), (&canary().arn, Some(995))]);
    assert_eq!(
        live_split(Some(&by_arn), &stable(), &canary(), RULE).unwrap(),
        Split::new(5, 995)
    );
}

#[test]
fn a_canary_not_in_the_forward_weighs_zero_and_a_missing_weight_is_100() {
    let only_stable = forward_to(&[("tg-a1", None)]);
    assert_eq!(
        live_split(Some(&only_stable), &stable(), &canary(), RULE).unwrap(),
        Split::new(100, 0)
    );
    // Without the stable the forward is not this deployment's to read.
    let only_canary = forward_to(&[("tg-b2", Some(999))]);
    assert!(live_split(Some(&only_canary), &stable(), &canary(), RULE).is_err());
    assert_eq!(
        target_group_weights(only_stable.as_forward().unwrap()),
        [("tg-a1".to_string(), 100)]
    );
}

#[test]
fn neither_group_routed_is_stable_not_routed_naming_what_is() {
    let action = forward_to(&[("tg-other", Some(3))]);
    let err = live_split(Some(&action), &stable(), &canary(), RULE).unwrap_err();
    assert!(
        matches!(err, TrafficError::StableNotRouted { .. }),
        "{err:?}"
    );
    let text = err.to_string();
    assert!(text.starts_with(RULE), "{text}");
    assert!(
        text.contains("stable target group demo-stable (tg-a1)"),
        "{text}"
    );
    assert!(
        text.contains("it forwards to: tg-other (weight 3)"),
        "{text}"
    );
}

#[test]
fn resolution_wants_the_stable_group_itself() {
    let with_stable = forward_to(&[("tg-a1", Some(1))]);
    assert!(check_stable_routed(Some(&with_stable), &stable(), RULE).is_ok());
    let only_canary = forward_to(&[("tg-b2", Some(1))]);
    let err = check_stable_routed(Some(&only_canary), &stable(), RULE).unwrap_err();
    assert!(
        matches!(err, TrafficError::StableNotRouted { .. }),
        "{err:?}"
    );
}

#[test]
fn a_fixed_response_or_no_action_is_no_forward_action_naming_its_kind() {
    let err = live_split(Some(&fixed(404)), &stable(), &canary(), RULE).unwrap_err();
    assert!(
        matches!(err, TrafficError::NoForwardAction { .. }),
        "{err:?}"
    );
    assert!(
        err.to_string().starts_with(&format!(
            "{RULE} has no forward action (its actions: fixedResponse (status 404))"
        )),
        "{err}"
    );
    let err = check_stable_routed(None, &stable(), RULE).unwrap_err();
    assert!(err.to_string().contains("(its actions: none)"), "{err}");
    assert!(matches!(
        with_weights(
            Some(&fixed(500)),
            &stable(),
            &canary(),
            Split::new(1, 1),
            RULE
        ),
        Err(TrafficError::NoForwardAction { .. })
    ));
}

// ---- editing --------------------------------------------------------------------------------

#[test]
fn only_the_two_weights_change_and_others_keep_weight_place_and_identifier() {
    let before = forward_to(&[
        (&stable().arn, Some(999)),
        ("tg-other", Some(10)),
        ("tg-b2", Some(0)),
    ]);
    let out = with_weights(
        Some(&before),
        &stable(),
        &canary(),
        Split::new(900, 100),
        RULE,
    )
    .unwrap();
    assert_eq!(
        groups_of(&out),
        owned(&[
            (&stable().arn, Some(900)),
            ("tg-other", Some(10)),
            ("tg-b2", Some(100))
        ])
    );
    assert_eq!(
        live_split(Some(&out), &stable(), &canary(), RULE).unwrap(),
        Split {
            stable: 900,
            canary: 100,
            others: 10
        }
    );
}

#[test]
fn writing_the_live_weights_changes_nothing() {
    let before = forward_to(&[
        ("tg-other", Some(1)),
        ("tg-a1", Some(500)),
        ("tg-b2", Some(500)),
    ]);
    let live = live_split(Some(&before), &stable(), &canary(), RULE).unwrap();
    assert_eq!(
        with_weights(Some(&before), &stable(), &canary(), live, RULE).unwrap(),
        before
    );
}

#[test]
fn the_canary_is_appended_by_id_and_a_missing_stable_weight_becomes_explicit() {
    let before = forward_to(&[("tg-a1", None)]);
    let out = with_weights(
        Some(&before),
        &stable(),
        &canary(),
        Split::new(950, 50),
        RULE,
    )
    .unwrap();
    assert_eq!(
        groups_of(&out),
        owned(&[("tg-a1", Some(950)), ("tg-b2", Some(50))])
    );
}

#[test]
fn a_write_never_adds_the_stable_back() {
    let before = forward_to(&[("tg-b2", Some(999))]);
    let err = with_weights(
        Some(&before),
        &stable(),
        &canary(),
        Split::new(999, 0),
        RULE,
    )
    .unwrap_err();
    assert!(
        matches!(err, TrafficError::StableNotRouted { .. }),
        "{err:?}"
    );
}

#[test]
fn ten_groups_fit_and_eleven_are_refused() {
    let others: Vec<String> = (0..8).map(|i| format!("tg-o{i}")).collect();
    let mut groups: Vec<(&str, Option<i32>)> =
        others.iter().map(|id| (id.as_str(), Some(1))).collect();
    groups.push(("tg-a1", Some(1)));
    let nine = forward_to(&groups);
    let out = with_weights(Some(&nine), &stable(), &canary(), Split::new(1, 1), RULE).unwrap();
    assert_eq!(groups_of(&out).len(), 10);

    groups.insert(0, ("tg-o9", Some(1)));
    let ten = forward_to(&groups);
    let err = with_weights(Some(&ten), &stable(), &canary(), Split::new(1, 1), RULE).unwrap_err();
    assert!(
        matches!(
            err,
            TrafficError::TooManyTargetGroups {
                count: 11,
                max: 10,
                ..
            }
        ),
        "{err:?}"
    );
    assert!(err.to_string().starts_with(RULE), "{err}");
}

#[test]
fn weights_out_of_range_and_the_same_group_twice_are_refused() {
    let before = forward_to(&[("tg-a1", Some(1))]);
    let err = with_weights(
        Some(&before),
        &stable(),
        &canary(),
        Split::new(1000, 0),
        RULE,
    )
    .unwrap_err();
    assert!(
        matches!(err, TrafficError::InvalidWeights { max: 999, .. }),
        "{err:?}"
    );
    let err =
        with_weights(Some(&before), &stable(), &stable(), Split::new(1, 1), RULE).unwrap_err();
    assert!(matches!(err, TrafficError::Ambiguous { .. }), "{err:?}");
}

#[test]
fn describe_action_names_each_kind() {
    assert_eq!(describe_action(None), "none");
    assert_eq!(
        describe_action(Some(&forward_to(&[("tg-a1", None)]))),
        "forward"
    );
    assert_eq!(
        describe_action(Some(&fixed(500))),
        "fixedResponse (status 500)"
    );
}

#[test]
fn an_answer_no_valid_rule_holds_is_not_used() {
    type Groups<'a> = &'a [(&'a str, Option<i32>)];
    let cases: [(Groups, &str); 3] = [
        (
            &[("tg-a1", Some(5000)), ("tg-b2", Some(1))],
            "has weight 5000",
        ),
        (&[("tg-a1", Some(-1)), ("tg-b2", Some(1))], "has weight -1"),
        (
            &[
                ("tg-a1", Some(45)),
                ("tg-a1", Some(45)),
                ("tg-b2", Some(10)),
            ],
            "is listed twice",
        ),
    ];
    for (groups, says) in cases {
        let action = forward_to(groups);
        let err = live_split(Some(&action), &stable(), &canary(), RULE).unwrap_err();
        assert!(
            matches!(err, TrafficError::UnusableAnswer { .. }) && err.to_string().contains(says),
            "{groups:?}: {err}"
        );
    }
}

#[test]
fn a_group_named_by_id_and_by_arn_is_listed_twice_and_never_written() {
    // Found by the property test: the stable by id (weight 0) and by ARN (weight 494) read as
    // stable 0, and a write set both.
    let by_arn = format!("{TG_PREFIX}tg-a1");
    let twice = forward_to(&[("tg-a1", Some(0)), (&by_arn, Some(494))]);
    let err = live_split(Some(&twice), &stable(), &canary(), RULE).unwrap_err();
    assert!(
        matches!(err, TrafficError::UnusableAnswer { .. }) && err.to_string().contains("twice"),
        "{err}"
    );
    let out_of_range = forward_to(&[("tg-a1", Some(1)), ("tg-o5", Some(-1))]);
    for before in [twice, out_of_range] {
        let err = with_weights(
            Some(&before),
            &stable(),
            &canary(),
            Split::new(940, 60),
            RULE,
        )
        .unwrap_err();
        assert!(
            matches!(err, TrafficError::UnusableAnswer { .. }),
            "{err:?}"
        );
    }
}

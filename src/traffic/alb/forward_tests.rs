//! Unit tests of `forward.rs` that read an action list: the ALB split of a share, the weight
//! limits, the target groups of a forward action and the live split of the two named groups.

use super::fixtures::*;
use super::*;

// ---- split_for / check_weights ------------------------------------------------------------

#[test]
fn split_for_uses_the_shared_rule_with_alb_limits() {
    // The rule itself is unit-tested in `traffic::split`.
    let at = |p| split_for(Share::from_permille(p).unwrap());
    assert_eq!(at(0), Split::new(999, 0));
    assert_eq!(at(50), Split::new(950, 50));
    assert_eq!(at(1000), Split::new(0, 999));
}

#[test]
fn weights_above_999_are_refused() {
    assert!(check_weights(Split::new(999, 999), RULE).is_ok());
    assert!(check_weights(Split::new(0, 0), RULE).is_ok());
    let err = check_weights(Split::new(1000, 0), RULE).unwrap_err();
    assert!(matches!(err, TrafficError::InvalidWeights { .. }));
    assert!(err.to_string().contains(RULE), "{err}");
    assert!(err.to_string().contains("0–999"), "{err}");
    let actions = [plain_forward(STABLE)];
    assert!(matches!(
        with_weights(&actions, STABLE, CANARY, Split::new(0, 1000), RULE),
        Err(TrafficError::InvalidWeights { .. })
    ));
}

// ---- target_group_weights -------------------------------------------------------------------

#[test]
fn target_group_weights_lists_every_group_in_order() {
    let weighted = weighted_forward(&[(OTHER, 7), (STABLE, 900), (CANARY, 100)], 1, None);
    assert_eq!(
        target_group_weights(&weighted),
        vec![
            (OTHER.to_string(), 7),
            (STABLE.to_string(), 900),
            (CANARY.to_string(), 100)
        ]
    );
    assert_eq!(
        target_group_weights(&plain_forward(STABLE)),
        vec![(STABLE.to_string(), 1)]
    );
    assert_eq!(
        target_group_weights(&described_plain_forward(STABLE)),
        vec![(STABLE.to_string(), 1)]
    );
    let unweighted = Action::builder()
        .r#type(ActionTypeEnum::Forward)
        .forward_config(
            ForwardActionConfig::builder()
                .target_groups(TargetGroupTuple::builder().target_group_arn(OTHER).build())
                .build(),
        )
        .build();
    assert_eq!(
        target_group_weights(&unweighted),
        vec![(OTHER.to_string(), 1)]
    );
    assert!(target_group_weights(&fixed_response(1)).is_empty());
}

// ---- live_split -----------------------------------------------------------------------------

#[test]
fn plain_forward_reads_as_weight_one_and_canary_zero() {
    assert_eq!(
        live_split(&[plain_forward(STABLE)], STABLE, CANARY, RULE).unwrap(),
        Split::new(1, 0)
    );
    assert_eq!(
        live_split(&[described_plain_forward(STABLE)], STABLE, CANARY, RULE).unwrap(),
        Split::new(1, 0)
    );
}

#[test]
fn weighted_forward_reads_both_weights_and_sums_the_others() {
    let actions = [
        oidc(1, None),
        weighted_forward(
            &[(OTHER, 7), (STABLE, 900), (CANARY, 100)],
            2,
            Some((true, 3600)),
        ),
    ];
    let live = live_split(&actions, STABLE, CANARY, RULE).unwrap();
    assert_eq!(
        live,
        Split {
            stable: 900,
            canary: 100,
            others: 7
        }
    );
    // The other group's weight counts in the canary's share of the traffic.
    assert_eq!(live.canary_share().permille(), 99);
}

#[test]
fn a_missing_canary_reads_zero_and_a_missing_stable_is_not_routed() {
    let only_stable = [weighted_forward(&[(STABLE, 5)], 1, None)];
    assert_eq!(
        live_split(&only_stable, STABLE, CANARY, RULE).unwrap(),
        Split::new(5, 0)
    );
    let only_canary = [weighted_forward(&[(CANARY, 999)], 1, None)];
    let err = live_split(&only_canary, STABLE, CANARY, RULE).unwrap_err();
    assert!(
        matches!(err, TrafficError::StableNotRouted { .. }),
        "{err:?}"
    );
}

#[test]
fn neither_group_routed_is_stable_not_routed_naming_what_is() {
    let actions = [weighted_forward(&[(OTHER, 3)], 1, None)];
    let err = live_split(&actions, STABLE, CANARY, RULE).unwrap_err();
    assert!(
        matches!(err, TrafficError::StableNotRouted { .. }),
        "{err:?}"
    );
    let text = err.to_string();
    assert!(text.contains(RULE) && text.contains(STABLE), "{text}");
    assert!(text.contains(&format!("{OTHER} (weight 3)")), "{text}");
}

#[test]
fn no_forward_action_names_the_actions_there_are() {
    let err = live_split(&[oidc(1, None), fixed_response(2)], STABLE, CANARY, RULE).unwrap_err();
    assert!(
        matches!(err, TrafficError::NoForwardAction { .. }),
        "{err:?}"
    );
    let text = err.to_string();
    assert!(text.contains(RULE), "{text}");
    assert!(
        text.contains("authenticate-oidc (order 1), fixed-response (order 2)"),
        "{text}"
    );
    let err = live_split(&[], STABLE, CANARY, RULE).unwrap_err();
    assert!(err.to_string().contains("(its actions: none)"), "{err}");
}

#[test]
fn two_forward_actions_are_ambiguous() {
    let actions = [plain_forward(STABLE), plain_forward(CANARY)];
    assert!(matches!(
        live_split(&actions, STABLE, CANARY, RULE),
        Err(TrafficError::Ambiguous { .. })
    ));
    assert!(matches!(
        with_weights(&actions, STABLE, CANARY, Split::new(1, 1), RULE),
        Err(TrafficError::Ambiguous { .. })
    ));
}

#[test]
fn an_answer_no_valid_rule_holds_is_not_used() {
    type Groups<'a> = &'a [(&'a str, i32)];
    let cases: [(Groups, &str); 4] = [
        (
            &[(STABLE, 5000), (CANARY, 100)],
            "has weight 5000, outside 0–999",
        ),
        (
            &[(STABLE, -5), (CANARY, 100)],
            "has weight -5, outside 0–999",
        ),
        (
            &[(STABLE, 450), (STABLE, 450), (CANARY, 100)],
            "is listed twice",
        ),
        (
            &[
                (STABLE, 1),
                (CANARY, 1),
                ("a", 1),
                ("b", 1),
                ("c", 1),
                ("d", 1),
            ],
            "lists 6 target groups, and at most 5 are allowed",
        ),
    ];
    for (groups, says) in cases {
        let actions = [weighted_forward(groups, 1, None)];
        let err = live_split(&actions, STABLE, CANARY, RULE).unwrap_err();
        assert!(
            matches!(err, TrafficError::UnusableAnswer { .. }) && err.to_string().contains(says),
            "{groups:?}: {err}"
        );
        assert!(err.to_string().contains("nothing was written"), "{err}");
    }
}

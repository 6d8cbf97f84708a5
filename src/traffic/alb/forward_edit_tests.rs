//! Unit tests of `forward.rs` that edit an action list: only the two weights change, a plain
//! forward becomes a `ForwardConfig`, OIDC keeps its secret, and the 5-group limit holds.

use super::fixtures::*;
use super::*;

// ---- with_weights ---------------------------------------------------------------------------

#[test]
fn plain_forward_becomes_a_forward_config_without_target_group_arn() {
    let out = with_weights(
        &[plain_forward(STABLE)],
        STABLE,
        CANARY,
        Split::new(950, 50),
        RULE,
    )
    .unwrap();
    assert_eq!(out.len(), 1);
    let forward = &out[0];
    assert_eq!(forward.r#type(), Some(&ActionTypeEnum::Forward));
    assert_eq!(forward.target_group_arn(), None);
    assert_eq!(forward.order(), None);
    assert_eq!(groups_of(forward), owned(&[(STABLE, 950), (CANARY, 50)]));
    assert_eq!(
        forward
            .forward_config()
            .unwrap()
            .target_group_stickiness_config(),
        None
    );
    assert_eq!(
        live_split(&out, STABLE, CANARY, RULE).unwrap(),
        Split::new(950, 50)
    );
}

#[test]
fn described_plain_forward_drops_target_group_arn_and_keeps_its_stickiness_block() {
    let before = [described_plain_forward(STABLE)];
    let out = with_weights(&before, STABLE, CANARY, Split::new(999, 0), RULE).unwrap();
    let forward = &out[0];
    assert_eq!(forward.target_group_arn(), None);
    assert_eq!(forward.order(), Some(1));
    assert_eq!(groups_of(forward), owned(&[(STABLE, 999), (CANARY, 0)]));
    assert_eq!(
        forward
            .forward_config()
            .unwrap()
            .target_group_stickiness_config(),
        before[0]
            .forward_config()
            .unwrap()
            .target_group_stickiness_config()
    );
}

#[test]
fn only_the_two_weights_change_in_a_busy_rule() {
    let before = vec![
        oidc(1, None),
        weighted_forward(
            &[(STABLE, 999), (OTHER, 10), (CANARY, 0)],
            2,
            Some((true, 3600)),
        ),
    ];
    let out = with_weights(&before, STABLE, CANARY, Split::new(900, 100), RULE).unwrap();

    // The expected list, built by hand from `before`: the two weights, and the OIDC flag.
    let mut expected = before.clone();
    expected[0]
        .authenticate_oidc_config
        .as_mut()
        .unwrap()
        .use_existing_client_secret = Some(true);
    let groups = expected[1]
        .forward_config
        .as_mut()
        .unwrap()
        .target_groups
        .as_mut()
        .unwrap();
    groups[0].weight = Some(900);
    groups[2].weight = Some(100);
    assert_eq!(out, expected);
    let config = out[1].forward_config().unwrap();
    let sticky = config.target_group_stickiness_config().unwrap();
    assert_eq!(
        (sticky.enabled(), sticky.duration_seconds()),
        (Some(true), Some(3600))
    );
}

#[test]
fn writing_the_live_weights_changes_nothing_but_the_oidc_flag() {
    let before = vec![
        cognito(1),
        weighted_forward(
            &[(OTHER, 1), (STABLE, 500), (CANARY, 500)],
            2,
            Some((false, 1)),
        ),
    ];
    let live = live_split(&before, STABLE, CANARY, RULE).unwrap();
    assert_eq!(
        with_weights(&before, STABLE, CANARY, live, RULE).unwrap(),
        before
    );
}

#[test]
fn oidc_without_secret_keeps_the_existing_secret_and_nothing_else_changes() {
    let before = oidc(1, None);
    let copy = copy_for_modify(&before);
    let mut expected = before.clone();
    expected
        .authenticate_oidc_config
        .as_mut()
        .unwrap()
        .use_existing_client_secret = Some(true);
    assert_eq!(copy, expected);
}

#[test]
fn oidc_with_a_secret_is_copied_untouched() {
    let before = oidc(1, Some("s3cret"));
    assert_eq!(copy_for_modify(&before), before);
}

#[test]
fn other_actions_are_copied_exactly() {
    for action in [cognito(1), fixed_response(3), plain_forward(OTHER)] {
        assert_eq!(copy_for_modify(&action), action);
    }
}

#[test]
fn canary_is_appended_and_other_groups_keep_their_places() {
    let before = [weighted_forward(&[(OTHER, 3), (STABLE, 999)], 5, None)];
    let out = with_weights(&before, STABLE, CANARY, Split::new(990, 10), RULE).unwrap();
    assert_eq!(
        groups_of(&out[0]),
        owned(&[(OTHER, 3), (STABLE, 990), (CANARY, 10)])
    );
    assert_eq!(out[0].order(), Some(5));
}

#[test]
fn a_write_never_adds_the_stable_back() {
    // Only the groups already in the action change (the canary may join at its first step).
    let before = [weighted_forward(&[(CANARY, 999)], 1, None)];
    let err = with_weights(&before, STABLE, CANARY, Split::new(999, 0), RULE).unwrap_err();
    assert!(
        matches!(err, TrafficError::StableNotRouted { .. }),
        "{err:?}"
    );
}

#[test]
fn five_groups_fit_and_six_are_refused() {
    let (a, b, c) = (tg("a"), tg("b"), tg("c"));
    let five = [weighted_forward(
        &[(&a, 1), (&b, 1), (&c, 1), (STABLE, 1)],
        1,
        None,
    )];
    let out = with_weights(&five, STABLE, CANARY, Split::new(1, 1), RULE).unwrap();
    assert_eq!(groups_of(&out[0]).len(), 5);

    let d = tg("d");
    let six = [weighted_forward(
        &[(&a, 1), (&b, 1), (&c, 1), (&d, 1), (STABLE, 1)],
        1,
        None,
    )];
    let err = with_weights(&six, STABLE, CANARY, Split::new(1, 1), RULE).unwrap_err();
    assert!(
        matches!(
            err,
            TrafficError::TooManyTargetGroups {
                count: 6,
                max: 5,
                ..
            }
        ),
        "{err:?}"
    );
    assert!(
        err.to_string().contains(RULE) && err.to_string().contains("at most 5"),
        "{err}"
    );
}

#[test]
fn same_stable_and_canary_is_refused() {
    let err = with_weights(
        &[plain_forward(STABLE)],
        STABLE,
        STABLE,
        Split::new(1, 1),
        RULE,
    )
    .unwrap_err();
    assert!(matches!(err, TrafficError::Ambiguous { .. }), "{err:?}");
}

#[test]
fn edit_with_neither_group_routed_is_refused() {
    let before = [weighted_forward(&[(OTHER, 1)], 1, None)];
    let err = with_weights(&before, STABLE, CANARY, Split::new(999, 0), RULE).unwrap_err();
    assert!(err.to_string().contains("demo-other"), "{err}");
}

#[test]
fn order_of_actions_is_kept() {
    let before = vec![oidc(1, None), plain_forward(STABLE).to_owned()];
    let out = with_weights(&before, STABLE, CANARY, Split::new(500, 500), RULE).unwrap();
    assert_eq!(out[0].r#type(), Some(&ActionTypeEnum::AuthenticateOidc));
    assert_eq!(out[1].r#type(), Some(&ActionTypeEnum::Forward));
}

#[test]
fn a_forward_no_valid_rule_holds_is_never_written() {
    // Found by the property test: the stable listed twice (once with weight -1) was written
    // twice over instead of refused as live_split refuses it.
    let twice = [weighted_forward(&[(STABLE, 690), (STABLE, -1)], 1, None)];
    let out_of_range = [weighted_forward(&[(STABLE, 1), (OTHER, 5000)], 1, None)];
    for before in [twice, out_of_range] {
        let err = with_weights(&before, STABLE, CANARY, Split::new(756, 143), RULE).unwrap_err();
        assert!(
            matches!(err, TrafficError::UnusableAnswer { .. }),
            "{err:?}"
        );
    }
}

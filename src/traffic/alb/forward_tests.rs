//! Unit tests of `forward.rs` on hand-built SDK structs.

use super::*;
use aws_sdk_elasticloadbalancingv2::types::{
    AuthenticateCognitoActionConfig, AuthenticateOidcActionConditionalBehaviorEnum,
    AuthenticateOidcActionConfig, FixedResponseActionConfig, TargetGroupStickinessConfig,
};

const RULE: &str =
    "arn:aws:elasticloadbalancing:us-east-1:123456789012:listener-rule/app/demo/1/2/3";
const STABLE: &str =
    "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/demo-stable/a1";
const CANARY: &str =
    "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/demo-canary/b2";
const OTHER: &str = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/demo-other/c3";

fn tg(name: &str) -> String {
    format!("arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/{name}/ff")
}

fn split(stable: u32, canary: u32) -> Split {
    Split { stable, canary }
}

fn tuple(arn: &str, weight: i32) -> TargetGroupTuple {
    TargetGroupTuple::builder()
        .target_group_arn(arn)
        .weight(weight)
        .build()
}

fn plain_forward(arn: &str) -> Action {
    Action::builder()
        .r#type(ActionTypeEnum::Forward)
        .target_group_arn(arn)
        .build()
}

fn weighted_forward(groups: &[(&str, i32)], order: i32, sticky: Option<(bool, i32)>) -> Action {
    let mut config = ForwardActionConfig::builder();
    for (arn, weight) in groups {
        config = config.target_groups(tuple(arn, *weight));
    }
    if let Some((enabled, seconds)) = sticky {
        config = config.target_group_stickiness_config(
            TargetGroupStickinessConfig::builder()
                .enabled(enabled)
                .duration_seconds(seconds)
                .build(),
        );
    }
    Action::builder()
        .r#type(ActionTypeEnum::Forward)
        .order(order)
        .forward_config(config.build())
        .build()
}

/// What real AWS returns for a forward created with a plain TargetGroupArn: both the ARN and a
/// one-group ForwardConfig with weight 1 and stickiness off.
fn described_plain_forward(arn: &str) -> Action {
    let mut action = weighted_forward(&[(arn, 1)], 1, Some((false, 0)));
    action.target_group_arn = Some(arn.to_string());
    action
        .forward_config
        .as_mut()
        .unwrap()
        .target_group_stickiness_config = Some(
        TargetGroupStickinessConfig::builder()
            .enabled(false)
            .build(),
    );
    action
}

fn oidc(order: i32, secret: Option<&str>) -> Action {
    let config = AuthenticateOidcActionConfig::builder()
        .issuer("https://idp.example.com")
        .authorization_endpoint("https://idp.example.com/authorize")
        .token_endpoint("https://idp.example.com/token")
        .user_info_endpoint("https://idp.example.com/userinfo")
        .client_id("client-1")
        .set_client_secret(secret.map(str::to_string))
        .session_cookie_name("AWSELBAuthSessionCookie")
        .scope("openid email")
        .session_timeout(604_800)
        .authentication_request_extra_params("prompt", "login")
        .on_unauthenticated_request(AuthenticateOidcActionConditionalBehaviorEnum::Authenticate)
        .build();
    Action::builder()
        .r#type(ActionTypeEnum::AuthenticateOidc)
        .order(order)
        .authenticate_oidc_config(config)
        .build()
}

fn cognito(order: i32) -> Action {
    Action::builder()
        .r#type(ActionTypeEnum::AuthenticateCognito)
        .order(order)
        .authenticate_cognito_config(
            AuthenticateCognitoActionConfig::builder()
                .user_pool_arn("arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_x")
                .user_pool_client_id("abc")
                .user_pool_domain("demo")
                .build(),
        )
        .build()
}

fn fixed_response(order: i32) -> Action {
    Action::builder()
        .r#type(ActionTypeEnum::FixedResponse)
        .order(order)
        .fixed_response_config(
            FixedResponseActionConfig::builder()
                .status_code("503")
                .content_type("text/plain")
                .message_body("down")
                .build(),
        )
        .build()
}

fn groups_of(action: &Action) -> Vec<(String, i32)> {
    action
        .forward_config()
        .unwrap()
        .target_groups()
        .iter()
        .map(|g| {
            (
                g.target_group_arn().unwrap().to_string(),
                g.weight().unwrap(),
            )
        })
        .collect()
}

fn owned(groups: &[(&str, i32)]) -> Vec<(String, i32)> {
    groups.iter().map(|(a, w)| (a.to_string(), *w)).collect()
}

// ---- split_for / check_weights ------------------------------------------------------------

#[test]
fn split_for_is_exact_per_mille_clamped_to_999() {
    let at = |p| split_for(Share::from_permille(p).unwrap());
    assert_eq!(at(0), split(999, 0));
    assert_eq!(at(1), split(999, 1));
    assert_eq!(at(5), split(995, 5));
    assert_eq!(at(50), split(950, 50));
    assert_eq!(at(500), split(500, 500));
    assert_eq!(at(999), split(1, 999));
    assert_eq!(at(1000), split(0, 999));
    for p in 0..=1000 {
        let s = at(p);
        assert!(s.stable <= 999 && s.canary <= 999);
        assert_eq!(
            s.canary_share().permille(),
            p,
            "share {p} survives the round trip"
        );
    }
}

#[test]
fn weights_above_999_are_refused() {
    assert!(check_weights(split(999, 999), RULE).is_ok());
    assert!(check_weights(split(0, 0), RULE).is_ok());
    let err = check_weights(split(1000, 0), RULE).unwrap_err();
    assert!(matches!(err, TrafficError::InvalidWeights { .. }));
    assert!(err.to_string().contains(RULE), "{err}");
    assert!(err.to_string().contains("0–999"), "{err}");
    let actions = [plain_forward(STABLE)];
    assert!(matches!(
        with_weights(&actions, STABLE, CANARY, split(0, 1000), RULE),
        Err(TrafficError::InvalidWeights { .. })
    ));
}

// ---- live_split -----------------------------------------------------------------------------

#[test]
fn plain_forward_reads_as_weight_one_and_canary_zero() {
    assert_eq!(
        live_split(&[plain_forward(STABLE)], STABLE, CANARY, RULE).unwrap(),
        split(1, 0)
    );
    assert_eq!(
        live_split(&[described_plain_forward(STABLE)], STABLE, CANARY, RULE).unwrap(),
        split(1, 0)
    );
}

#[test]
fn weighted_forward_reads_both_weights_and_ignores_others() {
    let actions = [
        oidc(1, None),
        weighted_forward(
            &[(OTHER, 7), (STABLE, 900), (CANARY, 100)],
            2,
            Some((true, 3600)),
        ),
    ];
    assert_eq!(
        live_split(&actions, STABLE, CANARY, RULE).unwrap(),
        split(900, 100)
    );
}

#[test]
fn missing_canary_reads_zero_and_missing_stable_reads_zero_when_canary_is_there() {
    let only_stable = [weighted_forward(&[(STABLE, 5), (OTHER, 1)], 1, None)];
    assert_eq!(
        live_split(&only_stable, STABLE, CANARY, RULE).unwrap(),
        split(5, 0)
    );
    let only_canary = [weighted_forward(&[(CANARY, 999)], 1, None)];
    assert_eq!(
        live_split(&only_canary, STABLE, CANARY, RULE).unwrap(),
        split(0, 999)
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
        with_weights(&actions, STABLE, CANARY, split(1, 1), RULE),
        Err(TrafficError::Ambiguous { .. })
    ));
}

// ---- with_weights ---------------------------------------------------------------------------

#[test]
fn plain_forward_becomes_a_forward_config_without_target_group_arn() {
    let out = with_weights(
        &[plain_forward(STABLE)],
        STABLE,
        CANARY,
        split(950, 50),
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
        split(950, 50)
    );
}

#[test]
fn described_plain_forward_drops_target_group_arn_and_keeps_its_stickiness_block() {
    let before = [described_plain_forward(STABLE)];
    let out = with_weights(&before, STABLE, CANARY, split(999, 0), RULE).unwrap();
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
    let out = with_weights(&before, STABLE, CANARY, split(900, 100), RULE).unwrap();

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
    let out = with_weights(&before, STABLE, CANARY, split(990, 10), RULE).unwrap();
    assert_eq!(
        groups_of(&out[0]),
        owned(&[(OTHER, 3), (STABLE, 990), (CANARY, 10)])
    );
    assert_eq!(out[0].order(), Some(5));
}

#[test]
fn stable_is_added_back_when_only_the_canary_is_routed() {
    let before = [weighted_forward(&[(CANARY, 999)], 1, None)];
    let out = with_weights(&before, STABLE, CANARY, split(999, 0), RULE).unwrap();
    assert_eq!(groups_of(&out[0]), owned(&[(CANARY, 0), (STABLE, 999)]));
}

#[test]
fn five_groups_fit_and_six_are_refused() {
    let (a, b, c) = (tg("a"), tg("b"), tg("c"));
    let five = [weighted_forward(
        &[(&a, 1), (&b, 1), (&c, 1), (STABLE, 1)],
        1,
        None,
    )];
    let out = with_weights(&five, STABLE, CANARY, split(1, 1), RULE).unwrap();
    assert_eq!(groups_of(&out[0]).len(), 5);

    let d = tg("d");
    let six = [weighted_forward(
        &[(&a, 1), (&b, 1), (&c, 1), (&d, 1), (STABLE, 1)],
        1,
        None,
    )];
    let err = with_weights(&six, STABLE, CANARY, split(1, 1), RULE).unwrap_err();
    assert!(
        matches!(err, TrafficError::TooManyTargetGroups { count: 6, .. }),
        "{err:?}"
    );
    assert!(
        err.to_string().contains(RULE) && err.to_string().contains("at most 5"),
        "{err}"
    );
}

#[test]
fn same_stable_and_canary_is_refused() {
    let err =
        with_weights(&[plain_forward(STABLE)], STABLE, STABLE, split(1, 1), RULE).unwrap_err();
    assert!(matches!(err, TrafficError::Ambiguous { .. }), "{err:?}");
}

#[test]
fn edit_with_neither_group_routed_keeps_the_other_group() {
    let before = [weighted_forward(&[(OTHER, 1)], 1, None)];
    // The router reads first and refuses (StableNotRouted); the pure edit alone appends both.
    let out = with_weights(&before, STABLE, CANARY, split(999, 0), RULE).unwrap();
    assert_eq!(
        groups_of(&out[0]),
        owned(&[(OTHER, 1), (STABLE, 999), (CANARY, 0)])
    );
}

#[test]
fn order_of_actions_is_kept() {
    let before = vec![oidc(1, None), plain_forward(STABLE).to_owned()];
    let out = with_weights(&before, STABLE, CANARY, split(500, 500), RULE).unwrap();
    assert_eq!(out[0].r#type(), Some(&ActionTypeEnum::AuthenticateOidc));
    assert_eq!(out[1].r#type(), Some(&ActionTypeEnum::Forward));
}

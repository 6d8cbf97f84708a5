//! Hand-built SDK actions and target groups for the unit tests of `forward.rs`: the shapes
//! Describe* returns (plain and weighted forwards, authentication and fixed-response actions),
//! shared by the read tests (`forward_tests.rs`) and the edit tests (`forward_edit_tests.rs`).

use super::*;
use aws_sdk_elasticloadbalancingv2::types::{
    AuthenticateCognitoActionConfig, AuthenticateOidcActionConditionalBehaviorEnum,
    AuthenticateOidcActionConfig, FixedResponseActionConfig, TargetGroupStickinessConfig,
};

pub(super) const RULE: &str =
    "arn:aws:elasticloadbalancing:us-east-1:123456789012:listener-rule/app/demo/1/2/3";
pub(super) const STABLE: &str =
    "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/demo-stable/a1";
pub(super) const CANARY: &str =
    "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/demo-canary/b2";
pub(super) const OTHER: &str =
    "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/demo-other/c3";

pub(super) fn tg(name: &str) -> String {
    format!("arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/{name}/ff")
}

fn tuple(arn: &str, weight: i32) -> TargetGroupTuple {
    TargetGroupTuple::builder()
        .target_group_arn(arn)
        .weight(weight)
        .build()
}

pub(super) fn plain_forward(arn: &str) -> Action {
    Action::builder()
        .r#type(ActionTypeEnum::Forward)
        .target_group_arn(arn)
        .build()
}

pub(super) fn weighted_forward(
    groups: &[(&str, i32)],
    order: i32,
    sticky: Option<(bool, i32)>,
) -> Action {
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
pub(super) fn described_plain_forward(arn: &str) -> Action {
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

pub(super) fn oidc(order: i32, secret: Option<&str>) -> Action {
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

pub(super) fn cognito(order: i32) -> Action {
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

pub(super) fn fixed_response(order: i32) -> Action {
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

pub(super) fn groups_of(action: &Action) -> Vec<(String, i32)> {
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

pub(super) fn owned(groups: &[(&str, i32)]) -> Vec<(String, i32)> {
    groups.iter().map(|(a, w)| (a.to_string(), *w)).collect()
}

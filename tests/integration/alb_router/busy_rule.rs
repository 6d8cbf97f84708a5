//! The busy listener rule fixture: OIDC authentication, then a sticky weighted forward to three
//! target groups, under path and host conditions, so that a write has many fields to keep.

use crate::alb_actions::forward;
use crate::emulator::DemoAlb;
use aws_sdk_elasticloadbalancingv2::types::{
    Action, ActionTypeEnum, AuthenticateOidcActionConditionalBehaviorEnum,
    AuthenticateOidcActionConfig, HostHeaderConditionConfig, PathPatternConditionConfig,
    RuleCondition,
};
use aws_sdk_elasticloadbalancingv2::Client;

fn oidc() -> Action {
    Action::builder()
        .r#type(ActionTypeEnum::AuthenticateOidc)
        .order(1)
        .authenticate_oidc_config(
            AuthenticateOidcActionConfig::builder()
                .issuer("https://idp.example.com")
                .authorization_endpoint("https://idp.example.com/authorize")
                .token_endpoint("https://idp.example.com/token")
                .user_info_endpoint("https://idp.example.com/userinfo")
                .client_id("canary-client")
                .client_secret("s3cret")
                .session_cookie_name("AWSELBAuthSessionCookie")
                .scope("openid email")
                .session_timeout(3600)
                .on_unauthenticated_request(
                    AuthenticateOidcActionConditionalBehaviorEnum::Authenticate,
                )
                .build(),
        )
        .build()
}

/// `oidc()` as Describe* shows it: AWS never returns the client secret (nor
/// UseExistingClientSecret), so the router has to write it back with UseExistingClientSecret.
pub(super) fn oidc_as_described() -> Action {
    let mut action = oidc();
    action
        .authenticate_oidc_config
        .as_mut()
        .unwrap()
        .client_secret = None;
    action
}

/// A rule at priority 10: OIDC (order 1), then a sticky weighted forward to stable, a third
/// group and the canary (order 2), under path and host conditions.
pub(super) async fn busy_rule(client: &Client, alb: &DemoAlb, third: &str) -> String {
    let out = client
        .create_rule()
        .listener_arn(&alb.listener_arn)
        .priority(10)
        .conditions(
            RuleCondition::builder()
                .field("path-pattern")
                .path_pattern_config(
                    PathPatternConditionConfig::builder()
                        .values("/api/*")
                        .values("/v2/*")
                        .build(),
                )
                .build(),
        )
        .conditions(
            RuleCondition::builder()
                .field("host-header")
                .host_header_config(
                    HostHeaderConditionConfig::builder()
                        .values("shop.example.com")
                        .build(),
                )
                .build(),
        )
        .actions(oidc())
        .actions(forward(
            &[(&alb.stable_arn, 990), (third, 10), (&alb.canary_arn, 0)],
            Some(2),
            Some(3600),
        ))
        .send()
        .await
        .expect("create rule");
    out.rules()[0].rule_arn().unwrap().to_string()
}

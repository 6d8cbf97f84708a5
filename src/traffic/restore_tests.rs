use super::*;
use aws_sdk_elasticloadbalancingv2::types::{
    AuthenticateOidcActionConfig, FixedResponseActionConfig, ForwardActionConfig,
    TargetGroupStickinessConfig, TargetGroupTuple,
};
use aws_sdk_vpclattice::types::{ForwardAction, WeightedTargetGroup};

const LISTENER: &str = "arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/a/1/2";
const RULE: &str = "arn:aws:elasticloadbalancing:us-east-1:123456789012:listener-rule/app/a/1/2/3";

fn forward(groups: &[(&str, i32)]) -> Action {
    let mut config = ForwardActionConfig::builder().target_group_stickiness_config(
        TargetGroupStickinessConfig::builder()
            .enabled(true)
            .duration_seconds(300)
            .build(),
    );
    for (arn, weight) in groups {
        config = config.target_groups(
            TargetGroupTuple::builder()
                .target_group_arn(*arn)
                .weight(*weight)
                .build(),
        );
    }
    Action::builder()
        .r#type(ActionTypeEnum::Forward)
        .order(2)
        .forward_config(config.build())
        .build()
}

#[test]
fn an_alb_rule_is_restored_by_modify_rule_with_its_whole_action_list() {
    let fixed = Action::builder()
        .r#type(ActionTypeEnum::FixedResponse)
        .order(3)
        .fixed_response_config(
            FixedResponseActionConfig::builder()
                .status_code("503")
                .content_type("text/plain")
                .build(),
        )
        .build();
    let call = alb(
        LISTENER,
        Some(RULE),
        &[forward(&[("stable", 999), ("canary", 0)]), fixed],
    )
    .unwrap();
    assert_eq!(
        call.target_arn("aws"),
        "arn:aws:scheduler:::aws-sdk:elasticloadbalancingv2:modifyRule"
    );
    assert_eq!(call.iam_action, "elasticloadbalancing:ModifyRule");
    assert_eq!(
        call.input,
        json!({
            "RuleArn": RULE,
            "Actions": [
                {"Type": "forward", "Order": 2, "ForwardConfig": {
                    "TargetGroups": [
                        {"TargetGroupArn": "stable", "Weight": 999},
                        {"TargetGroupArn": "canary", "Weight": 0}
                    ],
                    "TargetGroupStickinessConfig": {"Enabled": true, "DurationSeconds": 300}
                }},
                {"Type": "fixed-response", "Order": 3, "FixedResponseConfig": {
                    "StatusCode": "503", "ContentType": "text/plain"
                }}
            ]
        })
    );
    let listener = alb(LISTENER, None, &[forward(&[("stable", 999)])]).unwrap();
    assert_eq!(listener.action, "modifyListener");
    assert_eq!(listener.input["ListenerArn"], LISTENER);
    assert!(listener.input["DefaultActions"].is_array());
}

#[test]
fn an_action_that_cannot_be_restated_is_refused() {
    let oidc = Action::builder()
        .r#type(ActionTypeEnum::AuthenticateOidc)
        .order(1)
        .authenticate_oidc_config(
            AuthenticateOidcActionConfig::builder()
                .issuer("https://issuer")
                .authorization_endpoint("https://a")
                .token_endpoint("https://t")
                .user_info_endpoint("https://u")
                .client_id("id")
                .build(),
        )
        .build();
    let err = alb(LISTENER, Some(RULE), &[oidc, forward(&[("stable", 999)])]).unwrap_err();
    assert!(err.to_string().contains("authenticate-oidc"), "{err}");
}

#[test]
fn lattice_and_lambda_requests_use_their_apis_member_names() {
    let action = RuleAction::Forward(
        ForwardAction::builder()
            .target_groups(
                WeightedTargetGroup::builder()
                    .target_group_identifier("tg-1")
                    .weight(100)
                    .build()
                    .unwrap(),
            )
            .target_groups(
                WeightedTargetGroup::builder()
                    .target_group_identifier("tg-2")
                    .weight(0)
                    .build()
                    .unwrap(),
            )
            .build()
            .unwrap(),
    );
    let rule = lattice(
        "svc-1",
        "listener-1",
        Some(("rule-1", "arn:rule")),
        "arn:l",
        &action,
    )
    .unwrap();
    assert_eq!(
        rule.target_arn("aws"),
        "arn:aws:scheduler:::aws-sdk:vpclattice:updateRule"
    );
    assert_eq!(rule.input["ruleIdentifier"], "rule-1");
    assert_eq!(
        rule.input["action"]["forward"]["targetGroups"][1]["weight"],
        0
    );
    let listener = lattice("svc-1", "listener-1", None, "arn:l", &action).unwrap();
    assert_eq!(listener.action, "updateListener");
    assert!(listener.input["defaultAction"]["forward"].is_object());
    let alias = lambda_alias("arn:f", "live", "arn:f:live", "7");
    assert_eq!(
        alias.target_arn("aws-cn"),
        "arn:aws-cn:scheduler:::aws-sdk:lambda:updateAlias"
    );
    assert_eq!(
        alias.input,
        json!({"FunctionName": "arn:f", "Name": "live", "FunctionVersion": "7",
               "RoutingConfig": {"AdditionalVersionWeights": {}}})
    );
}

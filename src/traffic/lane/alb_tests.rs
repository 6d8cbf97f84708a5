use super::*;
use aws_sdk_elasticloadbalancingv2::types::{
    AuthenticateCognitoActionConfig, HostHeaderConditionConfig, PathPatternConditionConfig,
};

const CANARY: &str = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/green/1";

fn lane() -> HeaderLane {
    HeaderLane {
        header: "x-canary".into(),
        value: "1".into(),
    }
}

fn path(values: &[&str]) -> RuleCondition {
    let config = PathPatternConditionConfig::builder()
        .set_values(Some(values.iter().map(|v| v.to_string()).collect()))
        .build();
    RuleCondition::builder()
        .field("path-pattern")
        .set_values(Some(values.iter().map(|v| v.to_string()).collect()))
        .path_pattern_config(config)
        .build()
}

fn forward(groups: &[(&str, i32)]) -> Action {
    let tuples = groups
        .iter()
        .map(|(arn, w)| {
            TargetGroupTuple::builder()
                .target_group_arn(*arn)
                .weight(*w)
                .build()
        })
        .collect();
    Action::builder()
        .r#type(ActionTypeEnum::Forward)
        .order(2)
        .forward_config(
            ForwardActionConfig::builder()
                .set_target_groups(Some(tuples))
                .build(),
        )
        .build()
}

#[test]
fn the_lane_keeps_the_routes_conditions_and_adds_its_header() {
    let host = RuleCondition::builder()
        .field("host-header")
        .host_header_config(
            HostHeaderConditionConfig::builder()
                .values("a.example.com")
                .build(),
        )
        .build();
    let conditions = lane_conditions(&[path(&["/api/*"]), host], &lane()).expect("fits");
    assert_eq!(conditions.len(), 3);
    assert_eq!(conditions[0].values, None, "only the config form is sent");
    assert!(conditions[0].path_pattern_config.is_some());
    let header = conditions[2].http_header_config.as_ref().expect("header");
    assert_eq!(header.http_header_name.as_deref(), Some("x-canary"));
    assert_eq!(header.values.as_deref(), Some(&["1".to_string()][..]));
}

#[test]
fn a_rule_at_the_evaluation_limit_or_matching_the_header_has_no_lane() {
    let full = path(&["/a", "/b", "/c"]);
    let methods = RuleCondition::builder()
        .field("http-request-method")
        .http_request_method_config(
            aws_sdk_elasticloadbalancingv2::types::HttpRequestMethodConditionConfig::builder()
                .values("GET")
                .values("POST")
                .build(),
        )
        .build();
    let Err(LaneError::Refused(why)) = lane_conditions(&[full, methods], &lane()) else {
        panic!("five evaluations already")
    };
    assert!(why.contains("5 match evaluations"), "{why}");
    let same = RuleCondition::builder()
        .field("http-header")
        .http_header_config(
            HttpHeaderConditionConfig::builder()
                .http_header_name("X-Canary")
                .values("0")
                .build(),
        )
        .build();
    let Err(LaneError::Refused(why)) = lane_conditions(&[same], &lane()) else {
        panic!("same header")
    };
    assert!(why.contains("already matches the header X-Canary"), "{why}");
}

#[test]
fn the_lane_forwards_to_the_canary_alone_after_the_routes_authentication() {
    let cognito = Action::builder()
        .r#type(ActionTypeEnum::AuthenticateCognito)
        .order(1)
        .authenticate_cognito_config(
            AuthenticateCognitoActionConfig::builder()
                .user_pool_arn("arn:pool")
                .user_pool_client_id("c")
                .user_pool_domain("d")
                .build(),
        )
        .build();
    let stable = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/blue/2";
    let actions = lane_actions(
        &[cognito.clone(), forward(&[(stable, 900), (CANARY, 100)])],
        CANARY,
    )
    .expect("copyable");
    assert_eq!(actions[0], cognito, "the authentication is kept as it is");
    let groups = actions[1]
        .forward_config
        .as_ref()
        .and_then(|f| f.target_groups.clone())
        .expect("forward");
    assert_eq!(groups.len(), 1);
    assert_eq!(groups[0].target_group_arn.as_deref(), Some(CANARY));
    assert_eq!(actions[1].order, Some(2));
}

#[test]
fn an_oidc_route_has_no_lane() {
    let oidc = Action::builder()
        .r#type(ActionTypeEnum::AuthenticateOidc)
        .order(1)
        .build();
    let Err(LaneError::Refused(why)) = lane_actions(&[oidc, forward(&[(CANARY, 1)])], CANARY)
    else {
        panic!("oidc")
    };
    assert!(why.contains("OIDC"), "{why}");
}

#[test]
fn a_read_back_must_forward_to_the_canary_at_the_priority() {
    let rule =
        |priority: &str, action: Action| Rule::builder().priority(priority).actions(action).build();
    assert_eq!(
        check_created(&rule("9", forward(&[(CANARY, 1)])), 9, CANARY),
        Ok(())
    );
    assert!(check_created(&rule("8", forward(&[(CANARY, 1)])), 9, CANARY).is_err());
    let other = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/blue/2";
    assert!(check_created(&rule("9", forward(&[(other, 1)])), 9, CANARY).is_err());
}

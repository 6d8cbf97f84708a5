//! ALB forward actions for tests that rearrange a listener by hand: building a weighted forward
//! and making it a listener's default action. Shared by the `alb_router` and `cloudwatch`
//! (traffic simulator) tests.

use aws_sdk_elasticloadbalancingv2::types::{
    Action, ActionTypeEnum, ForwardActionConfig, TargetGroupStickinessConfig, TargetGroupTuple,
};
use aws_sdk_elasticloadbalancingv2::Client;

/// A forward action to `groups` (ARN, weight), with the given order, sticky for `sticky`
/// seconds if set.
pub fn forward(groups: &[(&str, i32)], order: Option<i32>, sticky: Option<i32>) -> Action {
    let mut config = ForwardActionConfig::builder();
    for (arn, weight) in groups {
        config = config.target_groups(
            TargetGroupTuple::builder()
                .target_group_arn(*arn)
                .weight(*weight)
                .build(),
        );
    }
    if let Some(seconds) = sticky {
        config = config.target_group_stickiness_config(
            TargetGroupStickinessConfig::builder()
                .enabled(true)
                .duration_seconds(seconds)
                .build(),
        );
    }
    Action::builder()
        .r#type(ActionTypeEnum::Forward)
        .set_order(order)
        .forward_config(config.build())
        .build()
}

/// Makes `action` the only default action of `listener`, as an operator would by hand.
pub async fn set_default_action(client: &Client, listener: &str, action: Action) {
    client
        .modify_listener()
        .listener_arn(listener)
        .default_actions(action)
        .send()
        .await
        .expect("modify listener");
}

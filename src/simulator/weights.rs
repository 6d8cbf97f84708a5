//! The live weights of a route, read the way the load balancer would apply them.
//!
//! ALB here: a small, independent read (`DescribeRules` or `DescribeListeners`) of the first
//! forward action, with the simulator's own errors. The weights of all its target groups are read
//! by [`forward::target_group_weights`], the same reading the traffic router uses:
//! `ForwardConfig.TargetGroups` weights by target group ARN (a missing weight counts as 1), or a
//! plain `TargetGroupArn` with weight 1. VPC Lattice in [`lattice`], a Lambda alias's split of
//! versions in [`lambda`], each with its own client: each backend's read takes only the client it
//! calls.

pub mod lambda;
pub mod lane;
pub mod lattice;

use super::SimulatorError;
use crate::traffic::alb::forward;
use aws_sdk_elasticloadbalancingv2::error::DisplayErrorContext;
use aws_sdk_elasticloadbalancingv2::types::Action;

/// The ALB resource whose forward action carries the weights (VPC Lattice: [`lattice::LatticeRouteRef`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RouteRef {
    Rule(String),
    Listener(String),
}

impl RouteRef {
    pub fn arn(&self) -> &str {
        match self {
            RouteRef::Rule(arn) | RouteRef::Listener(arn) => arn,
        }
    }
}

/// `(target group ARN, weight)` of the route's forward action.
pub async fn read_weights(
    client: &aws_sdk_elasticloadbalancingv2::Client,
    route: &RouteRef,
) -> Result<Vec<(String, u32)>, SimulatorError> {
    let call_error = |operation: &'static str, message: String| SimulatorError::Call {
        service: "elbv2",
        operation,
        message,
    };
    let actions: Vec<Action> = match route {
        RouteRef::Rule(arn) => {
            let out = client
                .describe_rules()
                .rule_arns(arn)
                .send()
                .await
                .map_err(|e| call_error("DescribeRules", DisplayErrorContext(&e).to_string()))?;
            let rule = out
                .rules()
                .first()
                .ok_or_else(|| SimulatorError::NotFound {
                    what: "rule",
                    arn: arn.clone(),
                })?;
            rule.actions().to_vec()
        }
        RouteRef::Listener(arn) => {
            let out = client
                .describe_listeners()
                .listener_arns(arn)
                .send()
                .await
                .map_err(|e| {
                    call_error("DescribeListeners", DisplayErrorContext(&e).to_string())
                })?;
            let listener = out
                .listeners()
                .first()
                .ok_or_else(|| SimulatorError::NotFound {
                    what: "listener",
                    arn: arn.clone(),
                })?;
            listener.default_actions().to_vec()
        }
    };
    forward_weights(&actions).ok_or_else(|| SimulatorError::NoForward {
        arn: route.arn().to_string(),
    })
}

/// The weights of the first forward action, if there is one and it names a target group.
pub fn forward_weights(actions: &[Action]) -> Option<Vec<(String, u32)>> {
    let first = actions.iter().find(|a| forward::is_forward(a))?;
    Some(forward::target_group_weights(first)).filter(|weights| !weights.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_sdk_elasticloadbalancingv2::types::{
        ActionTypeEnum, ForwardActionConfig, TargetGroupTuple,
    };

    fn tuple(arn: &str, weight: Option<i32>) -> TargetGroupTuple {
        TargetGroupTuple::builder()
            .target_group_arn(arn)
            .set_weight(weight)
            .build()
    }

    #[test]
    fn weighted_forward_config() {
        let actions = vec![
            Action::builder()
                .r#type(ActionTypeEnum::AuthenticateOidc)
                .build(),
            Action::builder()
                .r#type(ActionTypeEnum::Forward)
                .forward_config(
                    ForwardActionConfig::builder()
                        .target_groups(tuple("arn:blue", Some(90)))
                        .target_groups(tuple("arn:green", Some(10)))
                        .target_groups(tuple("arn:other", None))
                        .build(),
                )
                .build(),
        ];
        assert_eq!(
            forward_weights(&actions),
            Some(vec![
                ("arn:blue".to_string(), 90),
                ("arn:green".to_string(), 10),
                ("arn:other".to_string(), 1)
            ])
        );
    }

    #[test]
    fn plain_target_group_is_weight_one_and_no_forward_is_none() {
        let plain = Action::builder()
            .r#type(ActionTypeEnum::Forward)
            .target_group_arn("arn:blue")
            .build();
        assert_eq!(
            forward_weights(&[plain]),
            Some(vec![("arn:blue".to_string(), 1)])
        );
        let fixed = Action::builder()
            .r#type(ActionTypeEnum::FixedResponse)
            .build();
        assert_eq!(forward_weights(&[fixed]), None);
    }
}

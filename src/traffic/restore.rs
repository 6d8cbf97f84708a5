//! The request that puts all traffic back on stable, as one EventBridge Scheduler universal
//! target sends it (`arn:aws:scheduler:::aws-sdk:<service>:<apiAction>` with the request as
//! JSON in the service's own member names): ModifyRule or ModifyListener with the whole action
//! list (ELBv2 replaces it as a whole), UpdateRule or UpdateListener with the forward (VPC
//! Lattice), UpdateAlias with the stable version and no routing (Lambda).
//!
//! Pure: each backend passes what it read and the stable-only edit it already makes for its own
//! rollback, so the switch restores exactly what a rollback would write. An ALB action the
//! request cannot carry over faithfully (an authenticate action, whose client secret AWS never
//! returns) is refused: the switch is then not armed, and says why.

use super::TrafficError;
use aws_sdk_elasticloadbalancingv2::types::{Action, ActionTypeEnum};
use aws_sdk_vpclattice::types::RuleAction;
use serde_json::{json, Map, Value};

/// One restoring request.
#[derive(Clone, Debug, PartialEq)]
pub struct RestoreCall {
    /// The AWS SDK service id of the universal target (`elasticloadbalancingv2`, `vpclattice`,
    /// `lambda`).
    pub service: &'static str,
    /// The API action, as the universal target names it (`modifyRule`).
    pub action: &'static str,
    /// The IAM action the switch's role needs (`elasticloadbalancing:ModifyRule`).
    pub iam_action: &'static str,
    /// The ARN the request acts on, for the role's policy.
    pub resource_arn: String,
    /// The request.
    pub input: Value,
}

impl RestoreCall {
    /// The universal target's ARN in `partition`.
    pub fn target_arn(&self, partition: &str) -> String {
        format!(
            "arn:{partition}:scheduler:::aws-sdk:{}:{}",
            self.service, self.action
        )
    }
}

/// ModifyRule (`rule_arn`) or ModifyListener with `actions`, already edited to stable-only.
pub fn alb(
    listener_arn: &str,
    rule_arn: Option<&str>,
    actions: &[Action],
) -> Result<RestoreCall, TrafficError> {
    let resource = rule_arn.unwrap_or(listener_arn);
    let listed: Result<Vec<Value>, String> = actions.iter().map(alb_action).collect();
    let listed = listed.map_err(|why| TrafficError::NotRestatable {
        resource: resource.to_string(),
        why,
    })?;
    Ok(match rule_arn {
        Some(rule) => RestoreCall {
            service: "elasticloadbalancingv2",
            action: "modifyRule",
            iam_action: "elasticloadbalancing:ModifyRule",
            resource_arn: rule.to_string(),
            input: json!({ "RuleArn": rule, "Actions": listed }),
        },
        None => RestoreCall {
            service: "elasticloadbalancingv2",
            action: "modifyListener",
            iam_action: "elasticloadbalancing:ModifyListener",
            resource_arn: listener_arn.to_string(),
            input: json!({ "ListenerArn": listener_arn, "DefaultActions": listed }),
        },
    })
}

/// One ALB action in the ELBv2 API's member names: forward, fixed-response and redirect.
fn alb_action(action: &Action) -> Result<Value, String> {
    let mut out = Map::new();
    let kind = action.r#type().map(|t| t.as_str().to_string());
    out.insert("Type".into(), json!(kind));
    if let Some(order) = action.order() {
        out.insert("Order".into(), json!(order));
    }
    match action.r#type() {
        Some(ActionTypeEnum::Forward) => {
            let config = action.forward_config();
            let groups: Vec<Value> = config
                .map(|c| c.target_groups())
                .unwrap_or_default()
                .iter()
                .map(|g| json!({ "TargetGroupArn": g.target_group_arn(), "Weight": g.weight() }))
                .collect();
            let mut forward = Map::new();
            forward.insert("TargetGroups".into(), json!(groups));
            if let Some(sticky) = config.and_then(|c| c.target_group_stickiness_config()) {
                let mut stickiness = Map::new();
                stickiness.insert("Enabled".into(), json!(sticky.enabled()));
                if let Some(seconds) = sticky.duration_seconds() {
                    stickiness.insert("DurationSeconds".into(), json!(seconds));
                }
                forward.insert(
                    "TargetGroupStickinessConfig".into(),
                    Value::Object(stickiness),
                );
            }
            out.insert("ForwardConfig".into(), Value::Object(forward));
        }
        Some(ActionTypeEnum::FixedResponse) => {
            let c = action.fixed_response_config();
            out.insert(
                "FixedResponseConfig".into(),
                strip_nulls(json!({
                    "StatusCode": c.map(|c| c.status_code()),
                    "ContentType": c.and_then(|c| c.content_type()),
                    "MessageBody": c.and_then(|c| c.message_body()),
                })),
            );
        }
        Some(ActionTypeEnum::Redirect) => {
            let c = action.redirect_config();
            out.insert(
                "RedirectConfig".into(),
                strip_nulls(json!({
                    "Protocol": c.and_then(|c| c.protocol()),
                    "Port": c.and_then(|c| c.port()),
                    "Host": c.and_then(|c| c.host()),
                    "Path": c.and_then(|c| c.path()),
                    "Query": c.and_then(|c| c.query()),
                    "StatusCode": c.and_then(|c| c.status_code()).map(|s| s.as_str()),
                })),
            );
        }
        other => {
            return Err(format!(
                "its `{}` action cannot be restated (AWS never returns what it holds)",
                other.map_or("unknown", |t| t.as_str())
            ))
        }
    }
    Ok(Value::Object(out))
}

fn strip_nulls(value: Value) -> Value {
    match value {
        Value::Object(map) => {
            Value::Object(map.into_iter().filter(|(_, v)| !v.is_null()).collect())
        }
        other => other,
    }
}

/// UpdateRule or UpdateListener (VPC Lattice's member names are camelCase) with `action`, already
/// edited to stable-only.
pub fn lattice(
    service_id: &str,
    listener_id: &str,
    rule: Option<(&str, &str)>,
    listener_arn: &str,
    action: &RuleAction,
) -> Result<RestoreCall, TrafficError> {
    let resource = rule.map_or(listener_arn, |(_, arn)| arn);
    let RuleAction::Forward(forward) = action else {
        return Err(TrafficError::NotRestatable {
            resource: resource.to_string(),
            why: "its action is not a forward".into(),
        });
    };
    let groups: Vec<Value> = forward
        .target_groups()
        .iter()
        .map(|g| {
            json!({ "targetGroupIdentifier": g.target_group_identifier(), "weight": g.weight() })
        })
        .collect();
    let forward = json!({ "forward": { "targetGroups": groups } });
    Ok(match rule {
        Some((rule_id, rule_arn)) => RestoreCall {
            service: "vpclattice",
            action: "updateRule",
            iam_action: "vpc-lattice:UpdateRule",
            resource_arn: rule_arn.to_string(),
            input: json!({
                "serviceIdentifier": service_id,
                "listenerIdentifier": listener_id,
                "ruleIdentifier": rule_id,
                "action": forward,
            }),
        },
        None => RestoreCall {
            service: "vpclattice",
            action: "updateListener",
            iam_action: "vpc-lattice:UpdateListener",
            resource_arn: listener_arn.to_string(),
            input: json!({
                "serviceIdentifier": service_id,
                "listenerIdentifier": listener_id,
                "defaultAction": forward,
            }),
        },
    })
}

/// UpdateAlias to the stable version with the routing cleared. No RevisionId: the switch acts
/// when no runner can, on whatever the alias holds by then.
pub fn lambda_alias(function_arn: &str, alias: &str, alias_arn: &str, stable: &str) -> RestoreCall {
    RestoreCall {
        service: "lambda",
        action: "updateAlias",
        iam_action: "lambda:UpdateAlias",
        resource_arn: alias_arn.to_string(),
        input: json!({
            "FunctionName": function_arn,
            "Name": alias,
            "FunctionVersion": stable,
            "RoutingConfig": { "AdditionalVersionWeights": {} },
        }),
    }
}

#[cfg(test)]
#[path = "restore_tests.rs"]
mod tests;

//! The ALB route's facts: DescribeLoadBalancers (the VPC), DescribeTargetGroups and
//! DescribeTargetHealth per target group. Five calls.

use super::gather::{sdk_error, Group, GroupInfo, Owner, Role, RouteFacts, Target};
use crate::aws::Clients;
use crate::traffic::alb::ResolvedAlb;
use aws_sdk_elasticloadbalancingv2::types::TargetTypeEnum;
use aws_sdk_elasticloadbalancingv2::Client;

pub async fn gather(resolved: &ResolvedAlb, clients: &Clients) -> RouteFacts {
    let client = &clients.elbv2;
    let vpc = client
        .describe_load_balancers()
        .load_balancer_arns(&resolved.load_balancer_arn)
        .send()
        .await
        .ok()
        .and_then(|out| out.load_balancers?.into_iter().next()?.vpc_id);
    let mut groups = Vec::new();
    for (role, arn) in [
        (Role::Stable, &resolved.stable_arn),
        (Role::Canary, &resolved.canary_arn),
    ] {
        groups.push(Group {
            role,
            arn: arn.clone(),
            label: label(arn),
            info: info(client, arn).await,
            targets: targets(client, arn).await,
        });
    }
    RouteFacts {
        owner: Owner::LoadBalancer {
            arn: resolved.load_balancer_arn.clone(),
            vpc,
        },
        groups,
        invoker: "elasticloadbalancing.amazonaws.com",
    }
}

/// The name in `…:targetgroup/<name>/<id>`, or the ARN.
fn label(arn: &str) -> String {
    arn.split('/').nth(1).unwrap_or(arn).to_string()
}

async fn info(client: &Client, arn: &str) -> Result<GroupInfo, String> {
    let out = client
        .describe_target_groups()
        .target_group_arns(arn)
        .send()
        .await
        .map_err(|e| sdk_error("DescribeTargetGroups", e))?;
    let group = out
        .target_groups
        .and_then(|groups| groups.into_iter().next())
        .ok_or_else(|| format!("DescribeTargetGroups did not return {arn}"))?;
    Ok(GroupInfo {
        lambda: group.target_type == Some(TargetTypeEnum::Lambda),
        attached_to: group.load_balancer_arns.unwrap_or_default(),
        vpc: group.vpc_id,
        health_checks: group.health_check_enabled.unwrap_or(true),
    })
}

async fn targets(client: &Client, arn: &str) -> Result<Vec<Target>, String> {
    let out = client
        .describe_target_health()
        .target_group_arn(arn)
        .send()
        .await
        .map_err(|e| sdk_error("DescribeTargetHealth", e))?;
    Ok(out
        .target_health_descriptions
        .unwrap_or_default()
        .into_iter()
        .map(|description| {
            let health = description.target_health;
            Target {
                id: description.target.and_then(|t| t.id).unwrap_or_default(),
                state: health
                    .as_ref()
                    .and_then(|h| h.state.as_ref())
                    .map_or("unknown".to_string(), |s| s.as_str().to_lowercase()),
                reason: health
                    .and_then(|h| h.reason)
                    .map(|r| r.as_str().to_string()),
            }
        })
        .collect())
}

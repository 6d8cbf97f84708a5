//! The VPC Lattice route's facts: GetTargetGroup and ListTargets (every page) per target group.

use super::gather::{sdk_error, Group, GroupInfo, Owner, Role, RouteFacts, Target};
use crate::aws::Clients;
use crate::traffic::lattice::{LatticeResource, ResolvedLattice};
use aws_sdk_vpclattice::types::TargetGroupType;
use aws_sdk_vpclattice::Client;

pub async fn gather(resolved: &ResolvedLattice, clients: &Clients) -> RouteFacts {
    let client = &clients.lattice;
    let mut groups = Vec::new();
    for (role, group) in [
        (Role::Stable, &resolved.stable),
        (Role::Canary, &resolved.canary),
    ] {
        groups.push(Group {
            role,
            arn: group.arn.clone(),
            label: group.label_with_id(),
            info: info(client, group).await,
            targets: targets(client, group).await,
        });
    }
    RouteFacts {
        owner: Owner::Service {
            arn: resolved.service.arn.clone(),
            label: resolved.service.label().to_string(),
        },
        groups,
        invoker: "vpc-lattice.amazonaws.com",
    }
}

async fn info(client: &Client, group: &LatticeResource) -> Result<GroupInfo, String> {
    let out = client
        .get_target_group()
        .target_group_identifier(&group.id)
        .send()
        .await
        .map_err(|e| sdk_error("GetTargetGroup", e))?;
    let lambda = out.r#type == Some(TargetGroupType::Lambda);
    // A Lambda target group has no health checks; any other one may have them turned off.
    let enabled = out
        .config
        .as_ref()
        .and_then(|c| c.health_check.as_ref())
        .and_then(|h| h.enabled);
    Ok(GroupInfo {
        lambda,
        attached_to: out.service_arns.unwrap_or_default(),
        vpc: None,
        health_checks: !lambda && enabled.unwrap_or(true),
    })
}

async fn targets(client: &Client, group: &LatticeResource) -> Result<Vec<Target>, String> {
    let mut found = Vec::new();
    let mut token: Option<String> = None;
    loop {
        let out = client
            .list_targets()
            .target_group_identifier(&group.id)
            .set_next_token(token.take())
            .send()
            .await
            .map_err(|e| sdk_error("ListTargets", e))?;
        found.extend(out.items.into_iter().map(|t| {
            Target {
                id: t.id.unwrap_or_default(),
                state: t
                    .status
                    .map_or("unknown".to_string(), |s| s.as_str().to_lowercase()),
                reason: t.reason_code,
            }
        }));
        match out.next_token {
            Some(next) if !next.is_empty() => token = Some(next),
            _ => return Ok(found),
        }
    }
}

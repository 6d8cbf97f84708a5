//! What a routed resource forwards to today, from its ARN alone, for `init --from`: the target
//! groups of an ALB or VPC Lattice listener's default action or rule, with their weights and
//! names, or the versions a Lambda alias serves (and the newest published one). Reads only,
//! through the same lookups resolution uses, so the errors read the same.
//!
//! AWS calls: ALB one DescribeListeners or DescribeRules and one DescribeTargetGroups per
//! group; VPC Lattice one GetListener or GetRule and one GetTargetGroup per group; a Lambda
//! alias one GetAlias and, when it serves one version, ListVersionsByFunction (every page).

mod pick;

pub use pick::{Picked, Side};

use super::alb::{self, forward as alb_forward};
use super::lambda_alias::arn::is_published_version;
use super::lambda_alias::{self, routing::permille};
use super::lattice::{self, arn::ServicePath, forward as lattice_forward};
use super::{aws_error, TrafficError};
use crate::arn::OwnedArn;
use crate::aws::error::service::LAMBDA;
use crate::aws::Clients;
use crate::core::plan::TargetGroupRef;
use crate::store::tags::RecordTags;

/// Which resource carries the weights, as a playbook's `route` names it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Routed {
    AlbListener { arn: String },
    AlbRule { arn: String },
    LatticeListener { arn: String },
    LatticeRule { arn: String },
    LambdaAlias { function: String, alias: String },
}

/// One target of the live forward (a target group, or a Lambda version).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LiveTarget {
    /// The target group's ARN (or a Lattice forward's identifier), or the version number.
    pub id: String,
    /// The target group's name, when AWS gave one.
    pub name: Option<String>,
    /// The target type (`lambda`, `instance`, `ip`, `alb`), when AWS gave one.
    pub kind: Option<String>,
    /// Its raw weight: ALB and Lattice weights as written, a Lambda version's per-mille.
    pub weight: u32,
}

/// What `routed` forwards to today.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LiveForward {
    pub routed: Routed,
    /// In the forward's order; a Lambda alias's version first, then its additional version.
    pub targets: Vec<LiveTarget>,
    /// A Lambda alias serving one version: the newest published version above it.
    pub newer_version: Option<String>,
    /// Something `init` should say about the route (a default rule written as its listener).
    pub note: Option<String>,
}

/// The live forward of the resource at `at` (checked on its text by [`RecordTags`]).
pub async fn live_forward(clients: &Clients, at: &RecordTags) -> Result<LiveForward, TrafficError> {
    match at {
        RecordTags::Alb { arn } => alb_forward_of(clients, arn).await,
        RecordTags::Lattice { arn } => lattice_forward_of(clients, arn).await,
        RecordTags::LambdaAlias {
            function_arn,
            alias,
        } => alias_forward_of(clients, function_arn, alias).await,
    }
}

async fn alb_forward_of(clients: &Clients, arn: &str) -> Result<LiveForward, TrafficError> {
    let client = &clients.elbv2;
    let (routed, actions, note) = if arn.contains(":listener-rule/") {
        let rule = alb::rule_by_arn(client, arn).await?;
        if rule.is_default() == Some(true) {
            // A listener's default rule is changed through its listener (ModifyListener).
            let listener = alb::arn::listener_arn(arn).unwrap_or_default();
            let note = format!("{arn} is its listener's default rule: the route is the listener");
            let actions = rule.actions.unwrap_or_default();
            (Routed::AlbListener { arn: listener }, actions, Some(note))
        } else {
            let routed = Routed::AlbRule {
                arn: arn.to_string(),
            };
            (routed, rule.actions.unwrap_or_default(), None)
        }
    } else {
        let listener = alb::listener_by_arn(client, arn).await?;
        let routed = Routed::AlbListener {
            arn: arn.to_string(),
        };
        (routed, listener.default_actions.unwrap_or_default(), None)
    };
    let forward = actions
        .iter()
        .find(|a| alb_forward::is_forward(a))
        .ok_or_else(|| TrafficError::NoForwardAction {
            resource: arn.to_string(),
            actions: alb_forward::describe_actions(&actions),
        })?;
    let mut targets = Vec::new();
    for (group_arn, weight) in alb_forward::target_group_weights(forward) {
        let reference = OwnedArn::parse(&group_arn)
            .map(TargetGroupRef::Arn)
            .unwrap_or_else(|| TargetGroupRef::Name(group_arn.clone()));
        let group = alb::target_group(client, &reference, "forwarded").await?;
        targets.push(LiveTarget {
            id: group_arn,
            name: group.target_group_name,
            kind: group.target_type.map(|t| t.as_str().to_string()),
            weight,
        });
    }
    Ok(LiveForward {
        routed,
        targets,
        newer_version: None,
        note,
    })
}

async fn lattice_forward_of(clients: &Clients, arn: &str) -> Result<LiveForward, TrafficError> {
    let client = &clients.lattice;
    let not_found = || TrafficError::NotFound {
        what: format!("VPC Lattice listener or rule {arn}"),
    };
    let path = ServicePath::parse(arn).ok_or_else(not_found)?;
    let listener_id = path.listener_id.ok_or_else(not_found)?;
    let (routed, action) = match path.rule_id {
        Some(rule_id) => {
            let out = lattice::get_rule(client, path.service_id, listener_id, rule_id, arn).await?;
            let routed = Routed::LatticeRule {
                arn: arn.to_string(),
            };
            (routed, out.action)
        }
        None => {
            let out = lattice::get_listener(client, path.service_id, listener_id, arn).await?;
            let routed = Routed::LatticeListener {
                arn: arn.to_string(),
            };
            (routed, out.default_action)
        }
    };
    let forward = lattice_forward::forward(action.as_ref(), arn)?;
    let mut targets = Vec::new();
    for (identifier, weight) in lattice_forward::target_group_weights(forward) {
        let id = lattice::arn::target_group_id(&identifier)
            .unwrap_or(&identifier)
            .to_string();
        let shown = format!("forwarded target group {identifier}");
        let group = lattice::get_target_group(client, &id, &shown).await?;
        targets.push(LiveTarget {
            id: group.arn,
            name: group.name,
            kind: None,
            weight,
        });
    }
    Ok(LiveForward {
        routed,
        targets,
        newer_version: None,
        note: None,
    })
}

async fn alias_forward_of(
    clients: &Clients,
    function_arn: &str,
    alias: &str,
) -> Result<LiveForward, TrafficError> {
    let what = format!("Lambda alias {function_arn}:{alias}");
    let out = lambda_alias::get_alias(&clients.lambda, function_arn, alias, &what).await?;
    let routing = lambda_alias::routing_of(&out);
    let extra: u32 = routing.weights.values().map(|w| permille(*w)).sum();
    let mut targets = vec![LiveTarget {
        id: routing.function_version.clone(),
        name: None,
        kind: None,
        weight: 1000u32.saturating_sub(extra),
    }];
    targets.extend(routing.weights.iter().map(|(version, weight)| LiveTarget {
        id: version.clone(),
        name: None,
        kind: None,
        weight: permille(*weight),
    }));
    let newer_version = if routing.weights.is_empty() {
        newest_above(clients, function_arn, &routing.function_version).await?
    } else {
        None
    };
    let function = crate::traffic::lambda_alias::arn::FunctionArn::parse(function_arn)
        .map_or(function_arn, |f| f.name)
        .to_string();
    Ok(LiveForward {
        routed: Routed::LambdaAlias {
            function,
            alias: alias.to_string(),
        },
        targets,
        newer_version,
        note: None,
    })
}

/// The newest published version of the function above `serving` (ListVersionsByFunction).
async fn newest_above(
    clients: &Clients,
    function_arn: &str,
    serving: &str,
) -> Result<Option<String>, TrafficError> {
    let floor: u64 = serving.parse().unwrap_or(0);
    let mut newest: Option<u64> = None;
    let mut marker: Option<String> = None;
    loop {
        let out = clients
            .lambda
            .list_versions_by_function()
            .function_name(function_arn)
            .set_marker(marker.take())
            .send()
            .await
            .map_err(|e| aws_error(LAMBDA, "ListVersionsByFunction", function_arn, &e))?;
        for version in out.versions().iter().filter_map(|v| v.version()) {
            if is_published_version(version) {
                if let Ok(n) = version.parse::<u64>() {
                    if n > floor && newest.is_none_or(|m| n > m) {
                        newest = Some(n);
                    }
                }
            }
        }
        match out.next_marker {
            Some(next) if !next.is_empty() => marker = Some(next),
            _ => break,
        }
    }
    Ok(newest.map(|n| n.to_string()))
}

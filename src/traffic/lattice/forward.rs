//! Pure reading and editing of a VPC Lattice rule action (a rule's `action` or a listener's
//! `defaultAction`), on the SDK's own types.
//!
//! This is where "change only the two weights, keep everything else exactly" lives for Lattice.
//! UpdateRule and UpdateListener replace the whole action, so a write sends back the freshly read
//! forward with exactly these changes: the stable and canary weights are set (each group keeps
//! its place and its identifier as written, id or ARN; a missing one is appended by id), and
//! every other target group keeps its weight and place. A target group written without a weight
//! carries AWS's documented default, 100.

use super::arn::target_group_id;
use super::resolved::LatticeResource;
use crate::aws::error::service::LATTICE;
use crate::aws::AwsError;
use crate::core::types::Split;
use crate::traffic::split::LATTICE_WEIGHTS;
use crate::traffic::TrafficError;
use aws_sdk_vpclattice::types::{ForwardAction, RuleAction, WeightedTargetGroup};

/// The weight AWS gives a target group written without one.
pub const DEFAULT_WEIGHT: u32 = 100;

/// The forward of an action; NoForwardAction (naming the action's kind) otherwise.
pub fn forward<'a>(
    action: Option<&'a RuleAction>,
    resource: &str,
) -> Result<&'a ForwardAction, TrafficError> {
    match action {
        Some(RuleAction::Forward(forward)) => Ok(forward),
        other => Err(TrafficError::NoForwardAction {
            resource: resource.to_string(),
            actions: describe_action(other),
        }),
    }
}

/// The target groups a forward sends to, with their weights, in the forward's order.
pub fn target_group_weights(forward: &ForwardAction) -> Vec<(String, u32)> {
    forward
        .target_groups()
        .iter()
        .map(|g| (g.target_group_identifier().to_string(), weight_of(g)))
        .collect()
}

/// The live split of `stable` and `canary` in the action, and the weight on any other group;
/// a canary not in the forward weighs 0. StableNotRouted when the forward lacks the stable.
pub fn live_split(
    action: Option<&RuleAction>,
    stable: &LatticeResource,
    canary: &LatticeResource,
    resource: &str,
) -> Result<Split, TrafficError> {
    let config = forward(action, resource)?;
    check_read(config, resource)?;
    let groups = target_group_weights(config);
    let weight = |group: &LatticeResource| {
        groups
            .iter()
            .find(|(identifier, _)| group.is(identifier))
            .map(|(_, w)| *w)
    };
    let Some(stable_weight) = weight(stable) else {
        return Err(not_routed(&groups, stable, resource));
    };
    let others = groups
        .iter()
        .filter(|(identifier, _)| !stable.is(identifier) && !canary.is(identifier))
        .map(|(_, w)| *w)
        .sum();
    Ok(Split {
        stable: stable_weight,
        canary: weight(canary).unwrap_or(0),
        others,
    })
}

/// At resolution: the action must be a forward that includes the stable target group.
pub fn check_stable_routed(
    action: Option<&RuleAction>,
    stable: &LatticeResource,
    resource: &str,
) -> Result<(), TrafficError> {
    let groups = target_group_weights(forward(action, resource)?);
    if groups.iter().any(|(identifier, _)| stable.is(identifier)) {
        Ok(())
    } else {
        Err(not_routed(&groups, stable, resource))
    }
}

/// The action to send back so that the forward carries `target`, everything else kept (see the
/// module doc). Checks the weights and the number of target groups first.
pub fn with_weights(
    action: Option<&RuleAction>,
    stable: &LatticeResource,
    canary: &LatticeResource,
    target: Split,
    resource: &str,
) -> Result<RuleAction, TrafficError> {
    LATTICE_WEIGHTS.check_weights(target, resource)?;
    if stable.id == canary.id {
        return Err(TrafficError::Ambiguous {
            what: format!("stable and canary are the same target group {}", stable.id),
        });
    }
    let mut edited = forward(action, resource)?.clone();
    // Only ever written on a read that live_split would use: no group twice, weights in range.
    check_read(&edited, resource)?;
    // Only the canary may join the forward (at its first step); the stable must be there.
    check_stable_routed(action, stable, resource)?;
    set_weight(&mut edited.target_groups, stable, target.stable)?;
    set_weight(&mut edited.target_groups, canary, target.canary)?;
    LATTICE_WEIGHTS.check_target_groups(edited.target_groups.len(), resource)?;
    Ok(RuleAction::Forward(edited))
}

/// The action's kind for messages: "forward", "fixedResponse (status 404)", "none".
pub fn describe_action(action: Option<&RuleAction>) -> String {
    match action {
        None => "none".to_string(),
        Some(RuleAction::Forward(_)) => "forward".to_string(),
        Some(RuleAction::FixedResponse(fixed)) => {
            format!("fixedResponse (status {})", fixed.status_code())
        }
        Some(_) => "an action kind this version does not know".to_string(),
    }
}

/// Refuses a forward as read that no valid rule holds ([`WeightLimits::check_read`]), a group
/// named once by id and once by ARN counting as listed twice.
///
/// [`WeightLimits::check_read`]: crate::traffic::WeightLimits::check_read
fn check_read(forward: &ForwardAction, resource: &str) -> Result<(), TrafficError> {
    let raw: Vec<(&str, Option<i32>)> = forward
        .target_groups
        .iter()
        .map(|g| {
            let identifier = g.target_group_identifier();
            (
                target_group_id(identifier).unwrap_or(identifier),
                g.weight(),
            )
        })
        .collect();
    LATTICE_WEIGHTS.check_read(&raw, resource)
}

/// A group's weight; AWS implies [`DEFAULT_WEIGHT`] when it is missing, and never returns a
/// negative one.
fn weight_of(group: &WeightedTargetGroup) -> u32 {
    group
        .weight()
        .map_or(DEFAULT_WEIGHT, |w| u32::try_from(w).unwrap_or(0))
}

fn not_routed(groups: &[(String, u32)], stable: &LatticeResource, resource: &str) -> TrafficError {
    let forwards_to = if groups.is_empty() {
        "no target group".to_string()
    } else {
        groups
            .iter()
            .map(|(identifier, weight)| format!("{identifier} (weight {weight})"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    TrafficError::StableNotRouted {
        resource: resource.to_string(),
        stable: stable.label_with_id(),
        forwards_to,
    }
}

/// Sets the weight of `group` in place (keeping its position and identifier), or appends it.
fn set_weight(
    groups: &mut Vec<WeightedTargetGroup>,
    group: &LatticeResource,
    weight: u32,
) -> Result<(), TrafficError> {
    // Checked against LATTICE_WEIGHTS before: always fits.
    let weight = i32::try_from(weight).unwrap_or(i32::MAX);
    let mut found = false;
    for existing in groups
        .iter_mut()
        .filter(|g| group.is(g.target_group_identifier()))
    {
        existing.weight = Some(weight);
        found = true;
    }
    if !found {
        let appended = WeightedTargetGroup::builder()
            .target_group_identifier(&group.id)
            .weight(weight)
            .build()
            // Only fails without an identifier, which is set just above.
            .map_err(|e| {
                AwsError::unusable(
                    LATTICE,
                    "UpdateRule",
                    format!("target group {}", group.id),
                    e.to_string(),
                )
            })?;
        groups.push(appended);
    }
    Ok(())
}

#[cfg(test)]
#[path = "forward_tests.rs"]
mod tests;

#[cfg(test)]
#[path = "forward_props.rs"]
mod props;

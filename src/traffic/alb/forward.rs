//! Pure reading and editing of an ALB action list (a rule's `Actions` or a listener's
//! `DefaultActions`), on the SDK's own types.
//!
//! This is where "change only the two weights, keep everything else exactly" lives. ModifyRule
//! and ModifyListener replace the whole action list, so a write sends back the freshly read list
//! with exactly these changes:
//! - in the forward action, the stable and canary weights are set (each group is added when
//!   missing); its `Order`, stickiness and any other target groups with their weights stay;
//! - a plain single-`TargetGroupArn` forward becomes a `ForwardConfig` and loses the top-level
//!   `TargetGroupArn` (AWS refuses it next to a multi-group `ForwardConfig`);
//! - an `authenticate-oidc` action gets `UseExistingClientSecret=true`, because Describe* never
//!   returns the client secret and AWS needs the secret or that flag on modify.

use crate::core::types::{Share, Split};
use crate::traffic::split::ALB_WEIGHTS;
use crate::traffic::TrafficError;
use aws_sdk_elasticloadbalancingv2::types::{
    Action, ActionTypeEnum, ForwardActionConfig, TargetGroupTuple,
};

/// The raw ALB split for a share, by the rule shared with Lattice
/// ([`crate::traffic::WeightLimits::split_for`]): 0 → 999/0, 50 → 950/50, 1000 → 0/999.
pub fn split_for(share: Share) -> Split {
    ALB_WEIGHTS.split_for(share)
}

/// Refuses weights an ALB does not accept (0–999 each), before any call to AWS.
pub fn check_weights(target: Split, resource: &str) -> Result<(), TrafficError> {
    ALB_WEIGHTS.check_weights(target, resource)
}

/// The live split of `stable` and `canary` in the action list's forward action.
pub fn live_split(
    actions: &[Action],
    stable: &str,
    canary: &str,
    resource: &str,
) -> Result<Split, TrafficError> {
    let forward = &actions[find_forward(actions, resource)?];
    check_read(forward, resource)?;
    let groups = target_group_weights(forward);
    let weight_of = |arn: &str| groups.iter().find(|(a, _)| a == arn).map(|(_, w)| *w);
    let Some(stable_weight) = weight_of(stable) else {
        return Err(TrafficError::StableNotRouted {
            resource: resource.to_string(),
            stable: stable.to_string(),
            forwards_to: describe_groups(&groups),
        });
    };
    let others = groups
        .iter()
        .filter(|(arn, _)| arn != stable && arn != canary)
        .map(|(_, w)| *w)
        .sum();
    Ok(Split {
        stable: stable_weight,
        canary: weight_of(canary).unwrap_or(0),
        others,
    })
}

/// The action list to send back so that the forward action carries `target`, everything else
/// kept (see the module doc for the exact changes).
pub fn with_weights(
    actions: &[Action],
    stable: &str,
    canary: &str,
    target: Split,
    resource: &str,
) -> Result<Vec<Action>, TrafficError> {
    check_weights(target, resource)?;
    if stable == canary {
        return Err(TrafficError::Ambiguous {
            what: format!("stable and canary are the same target group {stable}"),
        });
    }
    let index = find_forward(actions, resource)?;
    let forward = &actions[index];
    // Only ever written on a read that live_split would use: no group twice, weights in range.
    check_read(forward, resource)?;
    let mut groups: Vec<TargetGroupTuple> = match configured_groups(forward) {
        Some(groups) => groups.to_vec(),
        None => forward
            .target_group_arn()
            .map(|arn| vec![tuple(arn, 1)])
            .unwrap_or_default(),
    };
    // Only the canary may join the forward action (at its first step); the stable must be
    // there already, and no other group is touched.
    if !groups.iter().any(|g| g.target_group_arn() == Some(stable)) {
        let listed: Vec<(String, u32)> = target_group_weights(forward);
        return Err(TrafficError::StableNotRouted {
            resource: resource.to_string(),
            stable: stable.to_string(),
            forwards_to: describe_groups(&listed),
        });
    }
    set_weight(&mut groups, stable, target.stable);
    set_weight(&mut groups, canary, target.canary);
    ALB_WEIGHTS.check_target_groups(groups.len(), resource)?;

    let mut edited = forward.clone();
    let mut config = edited
        .forward_config
        .take()
        .unwrap_or_else(|| ForwardActionConfig::builder().build());
    config.target_groups = Some(groups);
    edited.forward_config = Some(config);
    edited.target_group_arn = None;

    Ok(actions
        .iter()
        .enumerate()
        .map(|(i, action)| {
            if i == index {
                edited.clone()
            } else {
                copy_for_modify(action)
            }
        })
        .collect())
}

/// A non-forward action as it must be sent back on modify: an exact copy, except that an OIDC
/// action without a client secret (Describe* never returns it) keeps the existing secret.
pub fn copy_for_modify(action: &Action) -> Action {
    let mut copy = action.clone();
    if copy.r#type() == Some(&ActionTypeEnum::AuthenticateOidc) {
        if let Some(oidc) = copy.authenticate_oidc_config.as_mut() {
            if oidc.client_secret.is_none() {
                oidc.use_existing_client_secret = Some(true);
            }
        }
    }
    copy
}

/// True for a forward action.
pub fn is_forward(action: &Action) -> bool {
    action.r#type() == Some(&ActionTypeEnum::Forward)
}

/// The target groups a forward action sends to, with their weights, in the action's order:
/// ForwardConfig's when it lists any, else the plain TargetGroupArn with its implied weight 1
/// (empty when it names neither). This is the one reading of a forward action's weights; the
/// router picks its two groups from it, the simulator splits requests over all of them.
pub fn target_group_weights(forward: &Action) -> Vec<(String, u32)> {
    match configured_groups(forward) {
        Some(groups) => groups
            .iter()
            .map(|g| {
                let arn = g.target_group_arn().unwrap_or_default().to_string();
                (arn, weight_of(g))
            })
            .collect(),
        None => forward
            .target_group_arn()
            .map(|arn| vec![(arn.to_string(), 1)])
            .unwrap_or_default(),
    }
}

/// A short list of the actions for messages, e.g. "authenticate-oidc (order 1), fixed-response
/// (order 2)"; "none" for an empty list.
pub fn describe_actions(actions: &[Action]) -> String {
    if actions.is_empty() {
        return "none".to_string();
    }
    actions
        .iter()
        .map(|action| {
            let kind = action.r#type().map_or("unknown", |t| t.as_str());
            match action.order() {
                Some(order) => format!("{kind} (order {order})"),
                None => kind.to_string(),
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// The one forward action's index; none is NoForwardAction, several are Ambiguous.
fn find_forward(actions: &[Action], resource: &str) -> Result<usize, TrafficError> {
    let forwards: Vec<usize> = actions
        .iter()
        .enumerate()
        .filter(|(_, a)| is_forward(a))
        .map(|(i, _)| i)
        .collect();
    match forwards.as_slice() {
        [index] => Ok(*index),
        [] => Err(TrafficError::NoForwardAction {
            resource: resource.to_string(),
            actions: describe_actions(actions),
        }),
        many => Err(TrafficError::Ambiguous {
            what: format!(
                "{resource} has {} forward actions ({}): expected exactly one",
                many.len(),
                describe_actions(actions)
            ),
        }),
    }
}

/// Refuses a forward action as read that no valid rule holds ([`WeightLimits::check_read`]).
///
/// [`WeightLimits::check_read`]: crate::traffic::WeightLimits::check_read
fn check_read(forward: &Action, resource: &str) -> Result<(), TrafficError> {
    let raw: Vec<(&str, Option<i32>)> = configured_groups(forward)
        .unwrap_or_default()
        .iter()
        .map(|g| (g.target_group_arn().unwrap_or_default(), g.weight()))
        .collect();
    ALB_WEIGHTS.check_read(&raw, resource)
}

/// The ForwardConfig's target groups, when it lists any.
fn configured_groups(forward: &Action) -> Option<&[TargetGroupTuple]> {
    forward
        .forward_config()
        .and_then(|config| config.target_groups.as_deref())
        .filter(|groups| !groups.is_empty())
}

/// A tuple's weight; AWS implies 1 when it is missing, and never returns a negative one.
fn weight_of(group: &TargetGroupTuple) -> u32 {
    group.weight().map_or(1, |w| u32::try_from(w).unwrap_or(0))
}

fn describe_groups(groups: &[(String, u32)]) -> String {
    if groups.is_empty() {
        return "no target group".to_string();
    }
    groups
        .iter()
        .map(|(arn, weight)| format!("{arn} (weight {weight})"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn tuple(arn: &str, weight: u32) -> TargetGroupTuple {
    TargetGroupTuple::builder()
        .target_group_arn(arn)
        .weight(i32::try_from(weight).unwrap_or(i32::MAX))
        .build()
}

/// Sets the weight of `arn` in place (keeping its position), or appends it.
fn set_weight(groups: &mut Vec<TargetGroupTuple>, arn: &str, weight: u32) {
    let mut found = false;
    for group in groups
        .iter_mut()
        .filter(|g| g.target_group_arn() == Some(arn))
    {
        group.weight = Some(i32::try_from(weight).unwrap_or(i32::MAX));
        found = true;
    }
    if !found {
        groups.push(tuple(arn, weight));
    }
}

#[cfg(test)]
#[path = "forward_fixtures.rs"]
mod fixtures;

#[cfg(test)]
#[path = "forward_tests.rs"]
mod tests;

#[cfg(test)]
#[path = "forward_edit_tests.rs"]
mod edit_tests;

#[cfg(test)]
#[path = "forward_props.rs"]
mod props;

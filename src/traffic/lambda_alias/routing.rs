//! The pure part of the Lambda alias backend: how an alias's `FunctionVersion` and routing
//! config read as a raw split of the stable and canary versions, and what an UpdateAlias sends
//! for a split.
//!
//! Kept apart from the AWS calls so that every reading and every edit is a unit test. A Lambda
//! alias weights its one extra version with a fraction 0.0–1.0 and sends the rest to its
//! `FunctionVersion`; the product works in per-mille, so canary = round(weight × 1000) and
//! stable = 1000 − canary, and a split always adds up to 1000 (no clamping as on ALB/Lattice).

use crate::core::types::{Share, Split};
use crate::traffic::split::WeightLimits;
use crate::traffic::TrafficError;
use std::collections::BTreeMap;

/// The raw weight unit: a split adds up to this.
pub const PER_MILLE: u32 = 1000;

/// A Lambda alias: weights 0–1000 (per-mille of the invocations), two versions.
pub const LAMBDA_WEIGHTS: WeightLimits = WeightLimits {
    max_weight: PER_MILLE,
    max_target_groups: 2,
};

/// The part of an alias the split lives in, as GetAlias returns it.
#[derive(Clone, Debug, PartialEq)]
pub struct AliasRouting {
    /// What UpdateAlias must send back for optimistic locking.
    pub revision_id: Option<String>,
    /// The version the alias serves (its share is 1 − the extra version's weight).
    pub function_version: String,
    /// `RoutingConfig.AdditionalVersionWeights`: at most one version, weight 0.0–1.0.
    pub weights: BTreeMap<String, f64>,
}

/// The two versions of a route, for reading and editing an alias.
#[derive(Clone, Copy, Debug)]
pub struct Versions<'a> {
    pub stable: &'a str,
    pub canary: &'a str,
    /// The alias, for messages: "Lambda alias arn:…".
    pub resource: &'a str,
}

/// The raw split for a share: canary = per-mille, stable = 1000 − per-mille (exact, both ends
/// included: 1000 is the promotion, 0 the rollback).
pub fn split_for(share: Share) -> Split {
    let canary = u32::from(share.permille());
    Split::new(PER_MILLE - canary, canary)
}

/// A fraction 0.0–1.0 as per-mille, rounded to the nearest.
pub fn permille(weight: f64) -> u32 {
    // Clamped first, so the cast cannot overflow or see a NaN (NaN.clamp is NaN: 0 by `as`).
    (weight.clamp(0.0, 1.0) * f64::from(PER_MILLE)).round() as u32
}

/// The live split of `alias`. A promoted alias (serving the canary, no extra version) reads as
/// 0/1000. An alias serving, or routing to, a version that is neither is an error naming it:
/// someone else changed it, or another deployment is under way.
pub fn live_split(alias: &AliasRouting, v: Versions<'_>) -> Result<Split, TrafficError> {
    let extra = extra_version(alias, v)?;
    let canary = match (alias.function_version.as_str(), extra) {
        (served, None) if served == v.stable => 0,
        (served, None) if served == v.canary => PER_MILLE,
        (served, Some(weight)) if served == v.stable => permille(weight),
        (served, _) => {
            return Err(TrafficError::Ambiguous {
                what: format!(
                    "{} serves version {served}, which is neither the stable version {} nor the \
                     canary version {}: point the playbook's stable_version at the version the \
                     alias serves today",
                    v.resource, v.stable, v.canary
                ),
            })
        }
    };
    Ok(Split::new(PER_MILLE - canary, canary))
}

/// The canary's weight in the routing config, if any; an extra version that is not the canary
/// (or more than one) is an error naming it. Every weight is checked first: one that is not a
/// number within 0.0–1.0 is an unusable answer, whatever else the routing says.
fn extra_version(alias: &AliasRouting, v: Versions<'_>) -> Result<Option<f64>, TrafficError> {
    for (version, w) in &alias.weights {
        if !w.is_finite() || !(0.0..=1.0).contains(w) {
            return Err(TrafficError::UnusableAnswer {
                resource: v.resource.to_string(),
                why: format!("version {version} has weight {w}, outside 0.0–1.0"),
            });
        }
    }
    let mut weight = None;
    for (version, w) in &alias.weights {
        if version != v.canary {
            return Err(TrafficError::Ambiguous {
                what: format!(
                    "{} routes {}% of its invocations to version {version}, which is not the \
                     canary version {}: an alias routes to one extra version only; finish or \
                     undo that shift first (clear the alias's routing config)",
                    v.resource,
                    f64::from(permille(*w)) / 10.0,
                    v.canary
                ),
            });
        }
        weight = Some(*w);
    }
    Ok(weight)
}

/// What one UpdateAlias sends for `target` (pure). 1000 to the canary is the promotion: the
/// canary becomes the FunctionVersion and the routing is cleared. 0 is the rollback: the stable
/// version with the routing cleared. Otherwise the stable version, with the canary weighted
/// `canary / 1000`. The revision is the one read, so a concurrent change is refused by AWS.
pub fn edit(
    alias: &AliasRouting,
    target: Split,
    v: Versions<'_>,
) -> Result<AliasRouting, TrafficError> {
    check(target, v.resource)?;
    let (function_version, weights) = match target.canary {
        0 => (v.stable, BTreeMap::new()),
        PER_MILLE => (v.canary, BTreeMap::new()),
        canary => {
            let weight = f64::from(canary) / f64::from(PER_MILLE);
            (v.stable, BTreeMap::from([(v.canary.to_string(), weight)]))
        }
    };
    Ok(AliasRouting {
        revision_id: alias.revision_id.clone(),
        function_version: function_version.to_string(),
        weights,
    })
}

/// Refuses a split the alias cannot carry: each weight 0–1000, and both adding up to 1000.
pub fn check(target: Split, resource: &str) -> Result<(), TrafficError> {
    LAMBDA_WEIGHTS.check_weights(target, resource)?;
    if target.stable + target.canary != PER_MILLE {
        return Err(TrafficError::InvalidWeights {
            resource: format!("{resource} (the two weights must add up to {PER_MILLE})"),
            split: target,
            max: PER_MILLE,
        });
    }
    Ok(())
}

#[cfg(test)]
#[path = "routing_tests.rs"]
mod tests;

#[cfg(test)]
#[path = "routing_props.rs"]
mod props;

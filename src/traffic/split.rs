//! The weight rules shared by the backends that weight target groups with small integers (ALB
//! and VPC Lattice): how a share becomes raw weights, and which weights and how many target
//! groups a forward action accepts.
//!
//! Both backends turn a share into weights the same way, so the rule lives here once and each
//! backend only names its limits; a write is checked against them before any call to AWS.

use crate::core::types::{Share, Split};
use crate::traffic::TrafficError;

/// What one backend's forward action accepts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct WeightLimits {
    /// The largest weight of one target group.
    pub max_weight: u32,
    /// The most target groups one forward action can carry.
    pub max_target_groups: usize,
}

/// An ALB forward action: weights 0–999, at most 5 target groups.
pub const ALB_WEIGHTS: WeightLimits = WeightLimits {
    max_weight: 999,
    max_target_groups: 5,
};

/// A VPC Lattice forward action: weights 0–999, at most 10 target groups.
pub const LATTICE_WEIGHTS: WeightLimits = WeightLimits {
    max_weight: 999,
    max_target_groups: 10,
};

impl WeightLimits {
    /// The raw split for a share: canary = per-mille, stable = 1000 − per-mille, each clamped
    /// to the largest weight (with 999: 0 → 999/0, 50 → 950/50, 1000 → 0/999). Every share
    /// survives the round trip through [`Split::canary_share`] as long as the limit is 999+.
    pub fn split_for(self, share: Share) -> Split {
        let canary = u32::from(share.permille());
        let stable = 1000 - canary;
        Split::new(stable.min(self.max_weight), canary.min(self.max_weight))
    }

    /// Refuses weights the backend does not accept, before any call to AWS.
    pub fn check_weights(self, target: Split, resource: &str) -> Result<(), TrafficError> {
        if target.stable > self.max_weight || target.canary > self.max_weight {
            return Err(TrafficError::InvalidWeights {
                resource: resource.to_string(),
                split: target,
                max: self.max_weight,
            });
        }
        Ok(())
    }

    /// Refuses a forward action as read, `groups` being each target group's identifier and
    /// weight as AWS gave them (`None`: the default weight): every weight in range, no group
    /// twice, no more groups than the backend allows. A write is only ever made on a read that
    /// passed this.
    pub fn check_read(
        self,
        groups: &[(&str, Option<i32>)],
        resource: &str,
    ) -> Result<(), TrafficError> {
        let unusable = |why: String| TrafficError::UnusableAnswer {
            resource: resource.to_string(),
            why,
        };
        if groups.len() > self.max_target_groups {
            return Err(unusable(format!(
                "its forward action lists {} target groups, and at most {} are allowed",
                groups.len(),
                self.max_target_groups
            )));
        }
        for (index, (group, weight)) in groups.iter().enumerate() {
            if let Some(weight) = weight {
                if u32::try_from(*weight).map_or(true, |w| w > self.max_weight) {
                    return Err(unusable(format!(
                        "target group {group} has weight {weight}, outside 0–{}",
                        self.max_weight
                    )));
                }
            }
            if groups[..index].iter().any(|(other, _)| other == group) {
                return Err(unusable(format!("target group {group} is listed twice")));
            }
        }
        Ok(())
    }

    /// Refuses a forward action of more target groups than the backend accepts.
    pub fn check_target_groups(self, count: usize, resource: &str) -> Result<(), TrafficError> {
        if count > self.max_target_groups {
            return Err(TrafficError::TooManyTargetGroups {
                resource: resource.to_string(),
                count,
                max: self.max_target_groups,
            });
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_for_is_exact_per_mille_clamped_to_999() {
        for limits in [ALB_WEIGHTS, LATTICE_WEIGHTS] {
            let at = |p| limits.split_for(Share::from_permille(p).unwrap());
            assert_eq!(at(0), Split::new(999, 0));
            assert_eq!(at(1), Split::new(999, 1));
            assert_eq!(at(5), Split::new(995, 5));
            assert_eq!(at(50), Split::new(950, 50));
            assert_eq!(at(500), Split::new(500, 500));
            assert_eq!(at(999), Split::new(1, 999));
            assert_eq!(at(1000), Split::new(0, 999));
            for p in 0..=1000 {
                let s = at(p);
                assert!(s.stable <= 999 && s.canary <= 999);
                assert_eq!(s.canary_share().permille(), p, "share {p} round trip");
            }
        }
    }

    #[test]
    fn weights_above_the_limit_are_refused_naming_it() {
        assert!(LATTICE_WEIGHTS
            .check_weights(Split::new(999, 999), "r")
            .is_ok());
        assert!(LATTICE_WEIGHTS.check_weights(Split::new(0, 0), "r").is_ok());
        let err = LATTICE_WEIGHTS
            .check_weights(Split::new(0, 1000), "Lattice rule r")
            .unwrap_err();
        assert!(
            matches!(err, TrafficError::InvalidWeights { max: 999, .. }),
            "{err:?}"
        );
        assert_eq!(
            err.to_string(),
            "weights stable 0 / canary 1000 (100% canary) for Lattice rule r are out of range: \
             each weight must be 0–999"
        );
    }

    #[test]
    fn target_group_count_is_checked_against_each_backend() {
        assert!(ALB_WEIGHTS.check_target_groups(5, "r").is_ok());
        assert!(LATTICE_WEIGHTS.check_target_groups(10, "r").is_ok());
        let err = ALB_WEIGHTS.check_target_groups(6, "rule r").unwrap_err();
        assert!(
            err.to_string().contains("forward to 6 target groups")
                && err.to_string().contains("at most 5"),
            "{err}"
        );
        let err = LATTICE_WEIGHTS
            .check_target_groups(11, "Lattice rule r")
            .unwrap_err();
        assert!(
            matches!(
                err,
                TrafficError::TooManyTargetGroups {
                    count: 11,
                    max: 10,
                    ..
                }
            ),
            "{err:?}"
        );
        assert_eq!(
            err.to_string(),
            "Lattice rule r would forward to 11 target groups, but its forward action takes at \
             most 10: remove an unused target group from the forward action first"
        );
    }
}

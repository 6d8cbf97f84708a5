//! The playbook's `preflight:` as the plan carries it. Its own file because only preflight
//! (`crate::preflight`) reads it: the state machine never looks at it, and the preflight
//! checks change without touching the rest of the plan.

use serde::{Deserialize, Serialize};

/// The playbook's `preflight:`: how many healthy targets each target group needs, whether the
/// canary must be warm (provisioned concurrency READY), and the checks skipped by name.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PreflightPolicy {
    pub min_healthy_targets: u32,
    pub warm_starts: bool,
    /// The checks the playbook skips.
    pub skip: Vec<PreflightKind>,
}

impl Default for PreflightPolicy {
    fn default() -> Self {
        PreflightPolicy {
            min_healthy_targets: 1,
            warm_starts: false,
            skip: Vec::new(),
        }
    }
}

/// The preflight checks, each by the stable name a playbook's `preflight.skip` and
/// `--skip-preflight` use, in the order they run and are shown.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum PreflightKind {
    TargetGroups,
    CanaryHealthyTargets,
    StableHealthyTargets,
    LambdaQualifiedArn,
    LambdaInvokePermission,
    LambdaAliasVersions,
    ProvisionedConcurrency,
    StartSplit,
}

impl PreflightKind {
    /// Every check, in the order they run and are shown.
    pub const ALL: [PreflightKind; 8] = [
        PreflightKind::TargetGroups,
        PreflightKind::CanaryHealthyTargets,
        PreflightKind::StableHealthyTargets,
        PreflightKind::LambdaQualifiedArn,
        PreflightKind::LambdaInvokePermission,
        PreflightKind::LambdaAliasVersions,
        PreflightKind::ProvisionedConcurrency,
        PreflightKind::StartSplit,
    ];

    /// Every check's name, in [`Self::ALL`] order.
    pub const NAMES: [&'static str; 8] = [
        "target-groups",
        "canary-healthy-targets",
        "stable-healthy-targets",
        "lambda-qualified-arn",
        "lambda-invoke-permission",
        "lambda-alias-versions",
        "provisioned-concurrency",
        "start-split",
    ];

    /// The check's stable name, e.g. `start-split`.
    pub fn name(self) -> &'static str {
        match self {
            PreflightKind::TargetGroups => Self::NAMES[0],
            PreflightKind::CanaryHealthyTargets => Self::NAMES[1],
            PreflightKind::StableHealthyTargets => Self::NAMES[2],
            PreflightKind::LambdaQualifiedArn => Self::NAMES[3],
            PreflightKind::LambdaInvokePermission => Self::NAMES[4],
            PreflightKind::LambdaAliasVersions => Self::NAMES[5],
            PreflightKind::ProvisionedConcurrency => Self::NAMES[6],
            PreflightKind::StartSplit => Self::NAMES[7],
        }
    }

    /// The check named `name`, if there is one.
    pub fn parse(name: &str) -> Option<PreflightKind> {
        Self::ALL.into_iter().find(|kind| kind.name() == name)
    }
}

impl std::fmt::Display for PreflightKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_check_has_its_own_name_and_serialises_as_it() {
        for kind in PreflightKind::ALL {
            assert_eq!(PreflightKind::parse(kind.name()), Some(kind));
            let json = serde_json::to_string(&kind).expect("serialises");
            assert_eq!(json, format!("\"{}\"", kind.name()));
        }
        let names: std::collections::BTreeSet<_> =
            PreflightKind::ALL.iter().map(|k| k.name()).collect();
        assert_eq!(names.len(), PreflightKind::ALL.len());
        assert_eq!(PreflightKind::parse("start_split"), None);
    }
}

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
    /// Names from `crate::preflight::CHECK_NAMES`, validated by the playbook.
    pub skip: Vec<String>,
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

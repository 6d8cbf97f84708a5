//! The playbook's header test lane (`steps.header_lane`) as the plan carries it; its rule's
//! state is in `core::lane`, its placement on the load balancer in `traffic::lane`.

use serde::{Deserialize, Serialize};

/// A header test lane: before the weighted steps, a listener rule of the tool's own at a free
/// priority above the route's, with the route's conditions plus `header: value`, forwards those
/// requests (and only those) to the canary. The lane's step judges them with the canary's own
/// metrics; the rule is removed when the deployment ends.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HeaderLane {
    /// The request header the lane matches (e.g. `x-canary`), matched case-insensitively.
    pub header: String,
    /// Its value, matched exactly (ALB: case-insensitively; no wildcards).
    pub value: String,
}

impl HeaderLane {
    /// `x-canary: 1`, for messages.
    pub fn describe(&self) -> String {
        format!("{}: {}", self.header, self.value)
    }
}

//! The header test lane's rule on the load balancer: placing it (a free priority above the
//! route's rule, the route's conditions plus the header, everything else of the route's rule
//! kept, all traffic to the canary), creating it tagged as the deployment's own in the same
//! call, finding it again by that tag after a crash, and removing it only while it still
//! carries the tag. ALB (`alb.rs`) and VPC Lattice (`lattice.rs`); a Lambda alias has no lane.
//!
//! AWS calls: placing reads the listener's rules (and, on Lattice, the route's rule); creating
//! is one Create and one read-back; finding reads the rule at the decided priority and its
//! tags; removing reads the tags, deletes, and reads back that it is gone.

mod alb;
mod lattice;
pub mod priority;

pub use alb::AlbLane;
pub use lattice::LatticeLane;

use crate::core::lane::LANE_TAG;
use crate::core::plan::HeaderLane;
use crate::traffic::TrafficError;

/// The lane's rule on one route's listener.
#[derive(Clone, Debug)]
pub enum LaneRouter {
    Alb(AlbLane),
    Lattice(LatticeLane),
}

/// Why the lane's rule was not created or removed.
#[derive(Debug, thiserror::Error)]
pub enum LaneError {
    /// The route does not allow a lane as asked (no free priority, a condition limit, an
    /// authentication canary-deploy cannot copy): nothing was created.
    #[error("{0}")]
    Refused(String),
    #[error(transparent)]
    Traffic(#[from] TrafficError),
}

/// What the lane's rule will be, read from the live listener: where and what to create.
#[derive(Clone, Debug)]
pub enum Placement {
    Alb(alb::AlbPlacement),
    Lattice(lattice::LatticePlacement),
}

impl Placement {
    pub fn priority(&self) -> u32 {
        match self {
            Placement::Alb(p) => p.priority,
            Placement::Lattice(p) => p.priority,
        }
    }
}

/// A lane rule as found or created: its ARN and priority.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LaneRule {
    pub arn: String,
    pub priority: u32,
}

/// How a removal ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Removed {
    /// Deleted now, and read back gone.
    Deleted,
    /// Already gone.
    Gone,
    /// The rule no longer carries the deployment's tag: someone else's, left alone.
    NotOurs(String),
}

impl LaneRouter {
    /// Reads the listener and decides the lane's rule, or refuses (nothing is created).
    pub async fn place(&self, lane: &HeaderLane) -> Result<Placement, LaneError> {
        match self {
            LaneRouter::Alb(l) => l.place(lane).await.map(Placement::Alb),
            LaneRouter::Lattice(l) => l.place(lane).await.map(Placement::Lattice),
        }
    }

    /// Creates the rule of `placement`, tagged `token` in the same call, and reads it back.
    pub async fn create(&self, placement: &Placement, token: &str) -> Result<LaneRule, LaneError> {
        match (self, placement) {
            (LaneRouter::Alb(l), Placement::Alb(p)) => l.create(p, token).await,
            (LaneRouter::Lattice(l), Placement::Lattice(p)) => l.create(p, token).await,
            _ => Err(LaneError::Refused(
                "the lane's placement is of another backend than the route".into(),
            )),
        }
    }

    /// The deployment's own rule at `priority` (the one its `Opening` record decided), if it
    /// exists: a creation that landed before its process died.
    pub async fn find(&self, priority: u32, token: &str) -> Result<Option<LaneRule>, LaneError> {
        match self {
            LaneRouter::Alb(l) => find_own(l, priority, token).await,
            LaneRouter::Lattice(l) => find_own(l, priority, token).await,
        }
    }

    /// Whether the rule `arn` still exists: one read.
    pub async fn exists(&self, arn: &str) -> Result<bool, TrafficError> {
        match self {
            LaneRouter::Alb(l) => l.exists(arn).await,
            LaneRouter::Lattice(l) => l.exists(arn).await,
        }
    }

    /// Removes the rule `arn` if it still carries `token`.
    pub async fn remove(&self, arn: &str, token: &str) -> Result<Removed, LaneError> {
        match self {
            LaneRouter::Alb(l) => remove_own(l, arn, token).await,
            LaneRouter::Lattice(l) => remove_own(l, arn, token).await,
        }
    }
}

impl LaneRouter {
    /// The one request that deletes the lane's rule `arn`, as the lane's dead-man's switch
    /// sends it (a Scheduler universal target, in the service's own member names).
    pub fn remove_call(&self, arn: &str) -> crate::traffic::RestoreCall {
        let (service, action, iam_action, input) = match self {
            LaneRouter::Alb(_) => (
                "elasticloadbalancingv2",
                "deleteRule",
                "elasticloadbalancing:DeleteRule",
                serde_json::json!({ "RuleArn": arn }),
            ),
            LaneRouter::Lattice(l) => (
                "vpclattice",
                "deleteRule",
                "vpc-lattice:DeleteRule",
                l.delete_input(arn),
            ),
        };
        crate::traffic::RestoreCall {
            service,
            action,
            iam_action,
            resource_arn: arn.to_string(),
            input,
        }
    }
}

/// A rule's tags, as (key, value).
type Tags = Vec<(String, String)>;

/// What finding and removing the deployment's own rule need of a backend.
trait Listed {
    /// The ARN of the listener's rule at `priority`, if any.
    async fn rule_at(&self, priority: u32) -> Result<Option<String>, TrafficError>;
    /// A rule's tags; `None` when the rule is gone.
    async fn tags(&self, arn: &str) -> Result<Option<Tags>, TrafficError>;
    /// Whether the rule `arn` exists: one read by its ARN.
    async fn exists(&self, arn: &str) -> Result<bool, TrafficError>;
    /// Deletes the rule `arn`; false when it was already gone.
    async fn delete(&self, arn: &str) -> Result<bool, TrafficError>;
}

/// The rule at `priority`, if it carries exactly `token`.
async fn find_own(
    listed: &impl Listed,
    priority: u32,
    token: &str,
) -> Result<Option<LaneRule>, LaneError> {
    let Some(arn) = listed.rule_at(priority).await? else {
        return Ok(None);
    };
    Ok(match listed.tags(&arn).await? {
        Some(tags) if ownership(&tags, token).is_ok() => Some(LaneRule { arn, priority }),
        _ => None,
    })
}

/// Removes the rule `arn` if it still carries `token`: its tags, the delete, and a read that
/// it is gone.
async fn remove_own(listed: &impl Listed, arn: &str, token: &str) -> Result<Removed, LaneError> {
    let Some(tags) = listed.tags(arn).await? else {
        return Ok(Removed::Gone);
    };
    if let Err(why) = ownership(&tags, token) {
        return Ok(Removed::NotOurs(why));
    }
    if !listed.delete(arn).await? {
        return Ok(Removed::Gone);
    }
    match listed.exists(arn).await? {
        false => Ok(Removed::Deleted),
        true => Err(not_as_created(arn, "it is still there after DeleteRule")),
    }
}

/// Whether tags mark a rule as the one of `token`; otherwise what they say.
fn ownership(tags: &Tags, token: &str) -> Result<(), String> {
    match tags.iter().find(|(key, _)| key == LANE_TAG) {
        Some((_, value)) if value == token => Ok(()),
        Some((_, value)) => Err(format!(
            "its {LANE_TAG} tag is `{value}`, not this deployment's `{token}`"
        )),
        None => Err(format!("it has no {LANE_TAG} tag")),
    }
}

/// Why a read-back of a created rule is refused.
fn not_as_created(what: &str, why: &str) -> LaneError {
    LaneError::Refused(format!(
        "the header lane's rule {what} does not read back as created ({why}); run \
         `canary-deploy rollback`, which removes it"
    ))
}

#[cfg(test)]
mod tests {
    use super::ownership;

    #[test]
    fn only_the_exact_token_owns_a_rule() {
        let tags = |pairs: &[(&str, &str)]| -> super::Tags {
            pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect()
        };
        let ours = tags(&[("canary-deploy:lane", "web/abc"), ("team", "x")]);
        assert_eq!(ownership(&ours, "web/abc"), Ok(()));
        let err = ownership(&ours, "web/abd").expect_err("another token");
        assert!(err.contains("web/abc"), "{err}");
        let err = ownership(&tags(&[("team", "x")]), "web/abc").expect_err("untagged");
        assert!(err.contains("no canary-deploy:lane tag"), "{err}");
    }
}

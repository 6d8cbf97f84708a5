//! Traffic routers: read and write the weights of the stable and canary targets on AWS's own
//! load-balancing layer.
//!
//! One trait, [`Router`], used generically by the orchestrator; one module per backend. Core
//! works in [`Share`] (per-mille); each backend converts a share into its own raw [`Split`] with
//! [`Router::split_for`], and drift is detected by comparing raw splits exactly.
//!
//! Every write is guarded and verified: with an `expected` split the router re-reads the live
//! weights first and refuses with [`TrafficError::Conflict`] when someone else changed them, and
//! after the write it reads back and refuses with [`TrafficError::VerifyFailed`] when the live
//! weights are not what it wrote. A write changes only the two weights and keeps everything
//! else on the resource exactly as it was (conditions, other actions, other target groups,
//! stickiness).

pub mod alb;
pub mod discover;
pub mod hub;
pub mod lambda_alias;
pub mod lane;
pub mod lattice;
pub mod restore;
pub mod route;
pub mod split;
#[cfg(test)]
pub(crate) mod test_support;
mod write;

pub use alb::{AlbRouter, ResolvedAlb};
pub use hub::RouteRouter;
pub use lattice::{LatticeResource, LatticeRouter, ResolvedLattice};
pub use restore::RestoreCall;
pub use route::ResolvedRoute;
pub use split::{WeightLimits, ALB_WEIGHTS, LATTICE_WEIGHTS};

use crate::aws::error::ResponseStatus;
use crate::aws::AwsError;
use crate::core::types::{Share, Split};
use aws_smithy_runtime_api::client::result::SdkError;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;
use std::future::Future;

/// Everything that can go wrong reading or writing the traffic split.
#[derive(Debug, thiserror::Error)]
pub enum TrafficError {
    /// A resource named in the playbook does not exist (in this account and region).
    #[error("{what} not found: check the name or ARN in the playbook, and the account and region in use")]
    NotFound { what: String },

    /// The playbook's route cannot be pinned to exactly one thing.
    #[error("ambiguous route: {what}")]
    Ambiguous { what: String },

    /// A Lambda alias route that does not pin `stable_version`, on an alias that already
    /// serves the canary version (a promoted deployment): only the deployment's record still
    /// knows the stable version.
    #[error(
        "Lambda alias {alias_arn} already serves the canary version {canary_version}, and the \
         playbook does not say which version is stable: set stable_version in the playbook to \
         the version to roll back to"
    )]
    StableUnknown {
        alias_arn: String,
        /// The alias's function (unqualified ARN) and name: where its record is.
        function_arn: String,
        alias: String,
        canary_version: String,
    },

    /// The rule or listener does not forward (e.g. a fixed-response or redirect).
    #[error(
        "{resource} has no forward action (its actions: {actions}): weights can only be shifted \
         on a rule or listener that forwards to target groups"
    )]
    NoForwardAction { resource: String, actions: String },

    /// The forward action does not include the stable target group (nor the canary).
    #[error(
        "{resource} does not forward to the stable target group {stable} (it forwards to: \
         {forwards_to}): point the playbook's stable target group at what the rule serves today"
    )]
    StableNotRouted {
        resource: String,
        stable: String,
        forwards_to: String,
    },

    /// Adding the canary would exceed the backend's target groups per forward action (ALB: 5,
    /// Lattice: 10).
    #[error(
        "{resource} would forward to {count} target groups, but its forward action takes at \
         most {max}: remove an unused target group from the forward action first"
    )]
    TooManyTargetGroups {
        resource: String,
        count: usize,
        max: usize,
    },

    /// Weights outside what the backend accepts (ALB and Lattice: 0–999 each).
    #[error("weights {split} for {resource} are out of range: each weight must be 0–{max}")]
    InvalidWeights {
        resource: String,
        split: Split,
        max: u32,
    },

    /// The playbook names parts of two routes: a listener of another service, or a rule of
    /// another listener, than the one it names.
    #[error(
        "{what} belongs to {belongs_to}, not to {parent} as the playbook says: name parts of one \
         route (an ARN names its own service and listener, so those can be left out)"
    )]
    WrongParent {
        what: String,
        parent: String,
        belongs_to: String,
    },

    /// A target group is attached to another load balancer than the routed listener's.
    #[error(
        "target group {target_group} is attached to {attached_to}, not to load balancer \
         {load_balancer} that the routed listener belongs to: use a target group of that load \
         balancer (or an unattached one)"
    )]
    WrongLoadBalancer {
        target_group: String,
        load_balancer: String,
        attached_to: String,
    },

    /// The live weights differ from what the caller expected right before a write: someone (or
    /// something) else changed them. (The caller knows the resource: [`Router::describe`].)
    #[error(
        "live weights are {live}, but {expected} was expected: someone else changed them; not \
         writing (find out who, then resume or roll back)"
    )]
    Conflict { expected: Split, live: Split },

    /// The read-back after a write does not show what was written.
    #[error(
        "after writing {wanted}, the read-back shows {got}: something else is changing the \
         weights, or the write did not take"
    )]
    VerifyFailed { wanted: Split, got: Split },

    /// AWS answered, but with what no valid resource holds (a weight out of range, a target
    /// group listed twice, more target groups than the backend allows): the answer is not used,
    /// and nothing is written on the strength of it.
    #[error(
        "AWS's answer for {resource} could not be used: {why}; nothing was written (read it \
         again, and if it persists look at the resource in the console)"
    )]
    UnusableAnswer { resource: String, why: String },

    /// The write was sent, but whether it landed is unknown: the update timed out or failed
    /// the way a landed write can (a 5xx), or its read-back failed. Not "not written": the
    /// intent stays in flight, and the next tick (or command) goes on from the live weights.
    #[error(
        "the write of {wanted} may have landed: {cause}; the next tick (or command) reads the \
         live weights and goes on from there"
    )]
    Unconfirmed {
        wanted: Split,
        cause: Box<TrafficError>,
    },

    /// The dead-man's switch cannot restate this resource's write as one API request (an
    /// action it does not carry over, such as an ALB authenticate action).
    #[error("the dead-man's switch cannot restore {resource} by itself: {why}")]
    NotRestatable { resource: String, why: String },

    /// An AWS SDK call failed (after the SDK's own retries).
    #[error(transparent)]
    Aws(#[from] AwsError),
}

impl TrafficError {
    /// The AWS call that failed, when that is what this is.
    pub fn aws(&self) -> Option<&AwsError> {
        match self {
            TrafficError::Aws(error) => Some(error),
            TrafficError::Unconfirmed { cause, .. } => cause.aws(),
            _ => None,
        }
    }

    /// Whether AWS may have applied the write this error ended: its update failed the way a
    /// landed one can (timed out, a 5xx), rather than being refused before it applied.
    pub(crate) fn may_have_landed(&self) -> bool {
        self.aws()
            .is_some_and(|error| error.kind == crate::aws::Kind::Transient)
    }
}

/// Maps an AWS SDK error of `operation` (a call of `service`) on `resource` to
/// [`TrafficError::Aws`].
pub(crate) fn aws_error<E, R>(
    service: &'static str,
    operation: &'static str,
    resource: &str,
    err: &SdkError<E, R>,
) -> TrafficError
where
    E: std::error::Error + ProvideErrorMetadata + 'static,
    R: ResponseStatus + std::fmt::Debug,
{
    TrafficError::Aws(AwsError::from_sdk(service, operation, resource, err))
}

/// One traffic backend: reads and writes the raw split between the stable and canary targets.
pub trait Router {
    /// The raw split this backend writes for a share.
    fn split_for(&self, share: Share) -> Split;

    /// The live raw weights of the stable and canary target groups.
    fn read(&self) -> impl Future<Output = Result<Split, TrafficError>> + Send;

    /// Writes `target`, changing only the two weights. If `expected` is Some, first re-reads and
    /// refuses with Conflict when the live split differs. Then reads back and returns the
    /// verified split, or VerifyFailed.
    fn write(
        &self,
        expected: Option<Split>,
        target: Split,
    ) -> impl Future<Output = Result<Split, TrafficError>> + Send;

    /// e.g. "ALB rule arn:... (stable demo-stable, canary demo-canary)"
    fn describe(&self) -> String;

    /// The header test lane's rules on this route's listener; `None` where requests carry no
    /// headers to match (a Lambda alias) or the router cannot make rules.
    fn lane(&self) -> Option<lane::LaneRouter> {
        None
    }

    /// What resolution found, kept in the deployment record so that an operator with only the
    /// resource's ARN can rebuild this router ([`ResolvedRoute::router`]).
    fn route(&self) -> ResolvedRoute;

    /// The one request that puts all traffic back on stable, read from the live resource now,
    /// as the dead-man's switch's schedule sends it ([`restore`]). A router that cannot say
    /// refuses.
    fn restore_call(&self) -> impl Future<Output = Result<RestoreCall, TrafficError>> + Send {
        let resource = self.describe();
        async move {
            Err(TrafficError::NotRestatable {
                resource,
                why: "this router has no restoring request".into(),
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::aws::error::service::{ELBV2, LATTICE};
    use crate::aws::Kind;
    use aws_sdk_elasticloadbalancingv2::error::ErrorMetadata;
    use aws_sdk_elasticloadbalancingv2::operation::describe_rules::DescribeRulesError;

    fn service_error(code: &str, message: &str) -> SdkError<DescribeRulesError, ()> {
        let meta = ErrorMetadata::builder().code(code).message(message).build();
        SdkError::service_error(DescribeRulesError::generic(meta), ())
    }

    #[test]
    fn throttling_is_named_clearly() {
        let err = aws_error(
            ELBV2,
            "DescribeRules",
            "rule arn:r",
            &service_error("Throttling", "Rate exceeded"),
        );
        assert!(err.aws().is_some_and(AwsError::is_throttled));
        assert_eq!(
            err.to_string(),
            "aws DescribeRules failed: throttled by aws on rule arn:r (Throttling: Rate \
             exceeded): the API's request rate is shared by the whole account and region; \
             retry later, or lengthen the analysis interval"
        );
    }

    #[test]
    fn lattice_throttling_exception_is_throttling() {
        use aws_sdk_vpclattice::operation::get_rule::GetRuleError;
        let meta = aws_sdk_vpclattice::error::ErrorMetadata::builder()
            .code("ThrottlingException")
            .message("Rate exceeded")
            .build();
        let sdk: SdkError<GetRuleError, ()> =
            SdkError::service_error(GetRuleError::generic(meta), ());
        let err = aws_error(LATTICE, "GetRule", "Lattice rule arn:r", &sdk);
        assert!(err.aws().is_some_and(AwsError::is_throttled), "{err}");
        assert!(
            err.to_string()
                .starts_with("aws GetRule failed: throttled by aws on Lattice rule arn:r"),
            "{err}"
        );
    }

    #[test]
    fn wrong_parent_names_both_parents() {
        let err = TrafficError::WrongParent {
            what: "listener listener-2".into(),
            parent: "service svc-1".into(),
            belongs_to: "service svc-9".into(),
        };
        assert_eq!(
            err.to_string(),
            "listener listener-2 belongs to service svc-9, not to service svc-1 as the playbook \
             says: name parts of one route (an ARN names its own service and listener, so those \
             can be left out)"
        );
    }

    #[test]
    fn service_errors_carry_code_and_message() {
        let err = aws_error(
            ELBV2,
            "ModifyRule",
            "rule arn:r",
            &service_error("ValidationError", "bad"),
        );
        assert_eq!(err.aws().map(|e| e.kind), Some(Kind::Validation));
        assert_eq!(
            err.to_string(),
            "aws ModifyRule failed: rule arn:r: ValidationError: bad"
        );
    }

    #[test]
    fn other_failures_show_their_whole_chain() {
        let sdk: SdkError<DescribeRulesError, ()> = SdkError::timeout_error("took too long");
        let err = aws_error(ELBV2, "DescribeRules", "rule arn:r", &sdk);
        assert_eq!(err.aws().map(|e| e.kind), Some(Kind::Transient));
        let text = err.to_string();
        assert!(
            text.starts_with("aws DescribeRules failed: rule arn:r: "),
            "{text}"
        );
        assert!(text.contains("took too long"), "{text}");
    }

    #[test]
    fn conflict_and_verify_show_both_splits() {
        let a = Split::new(950, 50);
        let b = Split::new(500, 500);
        let conflict = TrafficError::Conflict {
            expected: a,
            live: b,
        };
        assert_eq!(
            conflict.to_string(),
            "live weights are stable 500 / canary 500 (50% canary), but stable 950 / canary 50 \
             (5% canary) was expected: someone else changed them; not writing (find out who, \
             then resume or roll back)"
        );
        let verify = TrafficError::VerifyFailed { wanted: a, got: b };
        assert!(verify.to_string().starts_with(
            "after writing stable 950 / canary 50 (5% canary), the read-back shows stable 500 / \
             canary 500 (50% canary)"
        ));
    }
}

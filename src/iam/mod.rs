//! The least-privilege IAM policy of a playbook: exactly the actions canary-deploy calls for it,
//! on exactly the resources it calls them on (`canary-deploy iam-policy`).
//!
//! Why here, as pure data: the policy must follow the code, not a hand-written README table. It
//! is derived from the validated [`Plan`] (what resolution will look up, which resource carries
//! the weights, which checks need CloudWatch) and, when the route has been resolved, from its
//! [`RouteIdentity`] (exact ARNs instead of patterns). No IO here; the integration test
//! `iam_policy` runs every command against the emulator with request recording on and holds the
//! policy to the calls actually made, both ways (nothing missing, nothing unused).
//!
//! The calls, per backend (see `traffic/`, `store/tags/`, `metrics/cloudwatch.rs`, `aws.rs`):
//! - ALB: resolution DescribeLoadBalancers (names only), DescribeListeners (a listener, or a
//!   listener found by port), DescribeRules (a rule), DescribeTargetGroups; the read is
//!   DescribeRules or DescribeListeners; the write ModifyRule or ModifyListener; the record
//!   DescribeTags, AddTags, RemoveTags on the rule or listener.
//! - VPC Lattice: resolution ListServices / GetService, ListListeners / GetListener, ListRules /
//!   GetRule, ListTargetGroups / GetTargetGroup (a List* for a name, a Get* for an id or ARN);
//!   the read GetRule or GetListener; the write UpdateRule or UpdateListener; the record
//!   ListTagsForResource, TagResource, UntagResource.
//! - Preflight (before a deployment starts): ALB DescribeLoadBalancers and DescribeTargetHealth;
//!   Lattice GetTargetGroup and ListTargets (TargetGroup*) on both target groups. Lambda targets'
//!   lambda:GetPolicy / GetProvisionedConcurrencyConfig are not covered yet (which functions the
//!   target groups hold is known only from their targets).
//! - CloudWatch: GetMetricData for the metric checks, DescribeAlarms for an `alarms` check.
//! - STS: GetCallerIdentity, the operator's identity for rollback, promote, pause and resume.
//!
//! `*` is used only where the Service Authorization Reference lists no resource type for the
//! action (a policy must then say `*`):
//! - <https://docs.aws.amazon.com/service-authorization/latest/reference/list_awselasticloadbalancingv2.html>:
//!   every Describe* (DescribeTags included) has none; ModifyRule takes `listener-rule/app/…`,
//!   ModifyListener `listener/app/…`, AddTags and RemoveTags either.
//! - <https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonvpclattice.html>:
//!   ListServices, ListListeners, ListRules, ListTargetGroups and ListTagsForResource have none;
//!   GetService (Service*), GetListener and UpdateListener (Listener*), GetRule and UpdateRule
//!   (Rule*), GetTargetGroup (TargetGroup*), TagResource and UntagResource (Listener, Rule).
//! - <https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazoncloudwatch.html>:
//!   GetMetricData has none; DescribeAlarms requires `alarm*`
//!   (`arn:aws:cloudwatch:REGION:ACCOUNT:alarm:NAME`).
//! - <https://docs.aws.amazon.com/service-authorization/latest/reference/list_awssecuritytokenservice.html>:
//!   GetCallerIdentity has none.
//!
//! Lambda alias routes are refused until their backend exists (its calls are not known yet).

mod eval;
mod grants;
#[cfg(test)]
mod tests;

pub use eval::arn_matches;

use crate::core::plan::{CheckKind, Route};
use crate::core::record::RouteIdentity;
use crate::core::Plan;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// Where the deployment record is kept: tags need the tag actions, files need none.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RecordStore {
    Tags,
    Files,
}

#[derive(Debug, thiserror::Error)]
pub enum IamError {
    #[error(
        "iam-policy does not cover Lambda alias routes yet (this build cannot deploy them); \
         use an ALB or VPC Lattice route"
    )]
    LambdaAlias,
}

/// An IAM policy document, serialized as AWS spells it, in a stable order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Policy {
    #[serde(rename = "Version")]
    pub version: String,
    #[serde(rename = "Statement")]
    pub statements: Vec<Statement>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Statement {
    #[serde(rename = "Sid")]
    pub sid: String,
    #[serde(rename = "Effect")]
    pub effect: String,
    /// Sorted, `service:Action`.
    #[serde(rename = "Action")]
    pub actions: Vec<String>,
    /// Sorted ARNs or ARN patterns, or `["*"]`.
    #[serde(rename = "Resource")]
    pub resources: Vec<String>,
}

/// The policy, and which of its resources are patterns (a name in the playbook stands for an
/// ARN only resolution can tell): say so to the user, and suggest `--resolve`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Generated {
    pub policy: Policy,
    pub patterns: Vec<String>,
}

/// One permission: `action` on `resource`, in the statement named `sid`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Grant {
    pub sid: &'static str,
    pub action: String,
    pub resource: String,
}

/// The statement order: what a reader expects first (the route), last (the identity).
const SID_ORDER: [&str; 12] = [
    "ResolveRoute",
    "Preflight",
    "ReadService",
    "ReadListener",
    "ReadRule",
    "ReadTargetGroups",
    "WriteWeights",
    "ReadDeploymentRecord",
    "WriteDeploymentRecord",
    "ReadMetrics",
    "ReadAlarms",
    "OperatorIdentity",
];

/// The policy for `plan`: exact ARNs where the playbook or `resolved` give them, patterns
/// where it names resources by name.
pub fn policy(
    plan: &Plan,
    resolved: Option<&RouteIdentity>,
    store: RecordStore,
) -> Result<Generated, IamError> {
    let route = match &plan.route {
        Route::Alb(route) => grants::alb(route, resolved),
        Route::Lattice(route) => grants::lattice(route, resolved),
        Route::LambdaAlias(_) => return Err(IamError::LambdaAlias),
    };
    let mut all = route.grants;
    if store == RecordStore::Tags {
        all.extend(route.record);
    }
    all.extend(metrics(plan, &route.alarm_prefix));
    all.push(Grant {
        sid: "OperatorIdentity",
        action: "sts:GetCallerIdentity".into(),
        resource: "*".into(),
    });
    let patterns: BTreeSet<String> = all
        .iter()
        .filter(|g| g.resource != "*" && g.resource.contains('*'))
        .map(|g| g.resource.clone())
        .collect();
    Ok(Generated {
        policy: assemble(all),
        patterns: patterns.into_iter().collect(),
    })
}

/// CloudWatch: GetMetricData when any check reads metrics, DescribeAlarms on each alarm.
fn metrics(plan: &Plan, alarm_prefix: &str) -> Vec<Grant> {
    let mut out = Vec::new();
    for check in &plan.checks {
        match &check.kind {
            CheckKind::Alarms { names } => out.extend(names.iter().map(|name| Grant {
                sid: "ReadAlarms",
                action: "cloudwatch:DescribeAlarms".into(),
                resource: format!("{alarm_prefix}alarm:{name}"),
            })),
            _ => out.push(Grant {
                sid: "ReadMetrics",
                action: "cloudwatch:GetMetricData".into(),
                resource: "*".into(),
            }),
        }
    }
    out
}

/// Groups grants into statements by sid, in [`SID_ORDER`], actions and resources sorted and
/// without repeats.
fn assemble(grants: Vec<Grant>) -> Policy {
    let mut by_sid: BTreeMap<&'static str, (BTreeSet<String>, BTreeSet<String>)> = BTreeMap::new();
    for grant in grants {
        let (actions, resources) = by_sid.entry(grant.sid).or_default();
        actions.insert(grant.action);
        resources.insert(grant.resource);
    }
    let rank = |sid: &str| {
        SID_ORDER
            .iter()
            .position(|s| *s == sid)
            .unwrap_or(usize::MAX)
    };
    let mut statements: Vec<Statement> = by_sid
        .into_iter()
        .map(|(sid, (actions, resources))| Statement {
            sid: sid.to_string(),
            effect: "Allow".to_string(),
            actions: actions.into_iter().collect(),
            resources: resources.into_iter().collect(),
        })
        .collect();
    statements.sort_by_key(|s| rank(&s.sid));
    Policy {
        version: "2012-10-17".to_string(),
        statements,
    }
}

impl Policy {
    /// Whether some statement allows `action` (`service:Action`, matched case-insensitively
    /// with `*` and `?`) on `resource` (an ARN, or `*` for an action without resource-level
    /// permissions), with ARN wildcards evaluated as IAM does.
    pub fn allows(&self, action: &str, resource: &str) -> bool {
        self.statements.iter().any(|s| {
            s.actions.iter().any(|a| eval::action_matches(a, action))
                && s.resources.iter().any(|r| arn_matches(r, resource))
        })
    }

    /// Every action in the policy, sorted.
    pub fn actions(&self) -> BTreeSet<String> {
        self.statements
            .iter()
            .flat_map(|s| s.actions.iter().cloned())
            .collect()
    }
}

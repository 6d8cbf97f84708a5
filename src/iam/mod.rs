//! The least-privilege IAM policy of a playbook: exactly the actions canary-deploy calls for it,
//! on exactly the resources it calls them on (`canary-deploy iam-policy`).
//!
//! Why here, as pure data: the policy must follow the code, not a hand-written README table. It
//! is derived from the validated [`Plan`] (what resolution will look up, which resource carries
//! the weights, which checks need CloudWatch) and, when the route has been resolved, from its
//! [`ResolvedRoute`] (exact ARNs instead of patterns). No IO here; the integration test
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
//! - The header lane (`steps.header_lane`, ALB and Lattice): its rule created on the route's
//!   listener, tagged in the same call, read back, its tags read, deleted (see [`lane`]).
//! - Lambda alias: GetAlias, GetFunctionConfiguration (each version), UpdateAlias; the record
//!   ListTags, TagResource, UntagResource on the function (see [`lambda`]).
//! - Preflight (before a deployment starts): ALB DescribeLoadBalancers and DescribeTargetHealth;
//!   Lattice GetTargetGroup and ListTargets (TargetGroup*) on both target groups; lambda:GetPolicy
//!   (and GetProvisionedConcurrencyConfig with `warm_starts`) on the functions registered in
//!   them, which only their targets say: exact with `--resolve`, else a pattern.
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
//! - <https://docs.aws.amazon.com/lambda/latest/dg/lambda-api-permissions-ref.html>: function
//!   actions take the function's, a version's or an alias's ARN (see [`lambda`]).

mod eval;
mod grants;
mod lambda;
mod lane;
pub mod switch;
#[cfg(test)]
mod tests;

pub use eval::arn_matches;

use crate::core::plan::{CheckKind, Route};
use crate::core::Plan;
use crate::traffic::ResolvedRoute;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// Where the deployment record is kept: tags need the tag actions, files need none.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RecordStore {
    Tags,
    Files,
}

/// What resolving the route found: its resources by ARN, and the Lambda functions registered
/// in its target groups (none for a Lambda alias route).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Resolved {
    pub route: ResolvedRoute,
    pub functions: Vec<TargetFunction>,
}

/// A function ARN registered in one of the route's target groups, as registered.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TargetFunction {
    pub arn: String,
    /// In the canary target group (whose provisioned concurrency `warm_starts` checks).
    pub canary: bool,
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

/// The policy, and which of its resources are patterns (resources only resolution can name
/// exactly): say so to the user, and suggest `--resolve`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Generated {
    pub policy: Policy,
    pub patterns: Vec<String>,
    /// With `switch:`, the policy of the role EventBridge Scheduler assumes to make the
    /// restoring write: exactly the weight write the runner makes.
    pub switch_role: Option<Policy>,
    /// The Lambda runner's policy for this deployment (`iam-policy --runner`): a tick's calls,
    /// and deleting the deployment's tick schedule when it ends; not the operator's identity.
    pub runner: Policy,
}

/// One permission: `action` on `resource`, in the statement named `sid`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Grant {
    pub sid: &'static str,
    pub action: String,
    pub resource: String,
}

/// The statement order: what a reader expects first (the route), last (the identity).
const SID_ORDER: [&str; 21] = [
    "ResolveRoute",
    "Preflight",
    "ReadService",
    "ReadListener",
    "ReadRule",
    "ReadTargetGroups",
    "ReadAlias",
    "ReadVersions",
    "WriteWeights",
    "ReadDeploymentRecord",
    "WriteDeploymentRecord",
    "ReadMetrics",
    "ReadAlarms",
    "DeadMansSwitch",
    "PassSwitchRole",
    "EndTickSchedule",
    "ReadTickSchedule",
    "HeaderLane",
    "CallHooks",
    "Notify",
    "OperatorIdentity",
];

/// The policy for `plan`: exact ARNs where the playbook or `resolved` give them, patterns
/// where only resolution can tell (a resource named by name, the functions behind target
/// groups).
pub fn policy(plan: &Plan, resolved: Option<&Resolved>, store: RecordStore) -> Generated {
    let found = resolved.map(|r| &r.route);
    let functions = resolved.map(|r| r.functions.as_slice());
    let route = match &plan.route {
        Route::Alb(route) => grants::alb(route, found.and_then(ResolvedRoute::as_alb)),
        Route::Lattice(route) => grants::lattice(route, found.and_then(ResolvedRoute::as_lattice)),
        Route::LambdaAlias(route) => {
            lambda::alias_route(plan, route, found.and_then(ResolvedRoute::as_lambda_alias))
        }
    };
    let mut all = route.grants;
    if plan.lane.is_some() {
        let written = all.iter().find(|g| g.sid == "WriteWeights");
        let resource = written.map(|g| g.resource.clone()).unwrap_or_default();
        all.extend(lane::grants(&plan.route, &resource));
    }
    let switch_role = plan.switch.as_ref().map(|_| switch::role_policy(&all));
    all.extend(switch::runner_grants(plan, &route.scope));
    if !matches!(plan.route, Route::LambdaAlias(_)) {
        all.extend(lambda::target_functions(plan, functions, &route.scope));
    }
    if store == RecordStore::Tags {
        all.extend(route.record);
    }
    all.extend(metrics(plan, &route.scope.prefix("cloudwatch")));
    all.extend(notify_topics(plan));
    all.extend(hook_functions(plan, &route.scope.prefix("lambda")));
    let mut runner = all.clone();
    runner.push(switch::tick_schedule_grant(plan, &route.scope));
    // `status` shows the runner's tick schedule.
    all.push(switch::tick_schedule_read(plan, &route.scope));
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
    Generated {
        policy: assemble(all),
        patterns: patterns.into_iter().collect(),
        switch_role,
        runner: assemble(runner),
    }
}

/// lambda:InvokeFunction on each Lambda hook (by name: in the route's account and region), on
/// the function and its qualified forms.
fn hook_functions(plan: &Plan, lambda_prefix: &str) -> Vec<Grant> {
    let mut out = Vec::new();
    for point in crate::core::plan::HookPoint::ALL {
        for hook in plan.hooks.at(point) {
            let crate::core::plan::HookCall::Lambda { function } = &hook.call else {
                continue;
            };
            let arn = match function.starts_with("arn:") {
                true => function.clone(),
                false => format!("{lambda_prefix}function:{function}"),
            };
            for resource in [arn.clone(), format!("{arn}:*")] {
                out.push(Grant {
                    sid: "CallHooks",
                    action: "lambda:InvokeFunction".into(),
                    resource,
                });
            }
        }
    }
    out
}

/// SNS Publish on each `notify: - sns:` topic (webhooks need no AWS permission).
fn notify_topics(plan: &Plan) -> Vec<Grant> {
    plan.notify
        .iter()
        .filter_map(|n| match &n.channel {
            crate::core::plan::Channel::Sns { topic_arn } => Some(Grant {
                sid: "Notify",
                action: "sns:Publish".into(),
                resource: topic_arn.clone(),
            }),
            _ => None,
        })
        .collect()
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
/// without repeats. A statement allows each of its actions on each of its resources, so the
/// actions of one sid are grouped by their exact resource set: one sid whose actions are granted
/// on different resources becomes several statements (`Preflight`, `Preflight2`, …), never a
/// cross product that grants an action on a resource it was not given.
fn assemble(grants: Vec<Grant>) -> Policy {
    type Resources = BTreeSet<String>;
    let mut by_sid: BTreeMap<&'static str, BTreeMap<String, Resources>> = BTreeMap::new();
    for grant in grants {
        by_sid
            .entry(grant.sid)
            .or_default()
            .entry(grant.action)
            .or_default()
            .insert(grant.resource);
    }
    let rank = |sid: &str| {
        SID_ORDER
            .iter()
            .position(|s| *s == sid)
            .unwrap_or(usize::MAX)
    };
    let mut statements: Vec<(usize, Statement)> = Vec::new();
    for (sid, actions) in by_sid {
        let order = rank(sid);
        let mut by_resources: BTreeMap<Resources, BTreeSet<String>> = BTreeMap::new();
        for (action, resources) in actions {
            by_resources.entry(resources).or_default().insert(action);
        }
        for (index, (resources, actions)) in by_resources.into_iter().enumerate() {
            let sid = match index {
                0 => sid.to_string(),
                n => format!("{sid}{}", n + 1),
            };
            let statement = Statement {
                sid,
                effect: "Allow".to_string(),
                actions: actions.into_iter().collect(),
                resources: resources.into_iter().collect(),
            };
            statements.push((order, statement));
        }
    }
    statements.sort_by_key(|(rank, _)| *rank);
    Policy {
        version: "2012-10-17".to_string(),
        statements: statements.into_iter().map(|(_, s)| s).collect(),
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

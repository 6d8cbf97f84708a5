//! Preflight: what must hold before a deployment's first step, checked against AWS and shown
//! by `plan`, and required by `run` and `advance` before they write anything.
//!
//! A canary that cannot serve (no healthy target), a Lambda target that is a moving target
//! (`$LATEST`) or that the load balancer may not invoke, or a live split the plan does not start
//! from, would otherwise surface as a rollback minutes into the deployment, or not at all. Each
//! check has a stable name ([`CHECK_NAMES`]) so it can be skipped only by naming it (the
//! playbook's `preflight.skip`, or `--skip-preflight NAME`).
//!
//! The calls are made once ([`gather()`]: target groups and their targets, per backend); every
//! judgement is a pure function over what they returned, unit-tested in its family's file.
//! A Lambda alias route has no target groups: `lambda-alias-versions` (the two versions can
//! share the alias) and `start-split` apply, and with `warm_starts` `provisioned-concurrency` on
//! the alias itself; the others are shown as not applicable.

mod alias_versions;
mod concurrency;
mod gather;
mod gather_alb;
mod gather_lambda;
mod gather_lattice;
mod health;
mod lambda;
mod render;
mod start_split;
mod target_groups;

pub use gather::{gather, Group, GroupInfo, Role, RouteFacts, Target};
use gather_lambda::FunctionFacts;
pub use render::{refusal, render};

use crate::aws::Clients;
use crate::core::plan::PreflightKind;
use crate::core::{Plan, Split};
use crate::traffic::lambda_alias::LambdaAliasRouter;
use crate::traffic::RouteRouter;
use serde::Serialize;

pub const TARGET_GROUPS: PreflightKind = PreflightKind::TargetGroups;
pub const CANARY_HEALTHY_TARGETS: PreflightKind = PreflightKind::CanaryHealthyTargets;
pub const STABLE_HEALTHY_TARGETS: PreflightKind = PreflightKind::StableHealthyTargets;
pub const LAMBDA_QUALIFIED_ARN: PreflightKind = PreflightKind::LambdaQualifiedArn;
pub const LAMBDA_INVOKE_PERMISSION: PreflightKind = PreflightKind::LambdaInvokePermission;
pub const LAMBDA_ALIAS_VERSIONS: PreflightKind = PreflightKind::LambdaAliasVersions;
pub const PROVISIONED_CONCURRENCY: PreflightKind = PreflightKind::ProvisionedConcurrency;
pub const START_SPLIT: PreflightKind = PreflightKind::StartSplit;

/// Every check's name, in the order they are run and shown.
pub const CHECK_NAMES: [&str; 8] = PreflightKind::NAMES;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Outcome {
    Pass,
    Fail,
    /// Skipped by name, or not applicable to this route (the message says which).
    Skip,
}

/// One check's result, with a message that says what was found and what to do about it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PreflightCheck {
    pub name: PreflightKind,
    pub outcome: Outcome,
    pub message: String,
}

impl PreflightCheck {
    pub fn pass(name: PreflightKind, message: impl Into<String>) -> Self {
        Self::new(name, Outcome::Pass, message)
    }
    pub fn fail(name: PreflightKind, message: impl Into<String>) -> Self {
        Self::new(name, Outcome::Fail, message)
    }
    pub fn skip(name: PreflightKind, message: impl Into<String>) -> Self {
        Self::new(name, Outcome::Skip, message)
    }
    fn new(name: PreflightKind, outcome: Outcome, message: impl Into<String>) -> Self {
        PreflightCheck {
            name,
            outcome,
            message: message.into(),
        }
    }
}

/// Every check's result, in [`CHECK_NAMES`] order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Preflight {
    pub checks: Vec<PreflightCheck>,
}

impl Preflight {
    pub fn failures(&self) -> Vec<&PreflightCheck> {
        self.checks
            .iter()
            .filter(|c| c.outcome == Outcome::Fail)
            .collect()
    }

    pub fn passed(&self) -> bool {
        self.failures().is_empty()
    }
}

/// Runs every check of `plan` on its resolved route. `live` is the route's live split (or why
/// it could not be read); `skipped` adds checks to the playbook's `preflight.skip` (from
/// `--skip-preflight`). Skipped checks make no call.
pub async fn run(
    plan: &Plan,
    router: &RouteRouter,
    live: Result<Split, String>,
    clients: &Clients,
    skipped: &[PreflightKind],
) -> Preflight {
    let facts = gather::gather(router, clients).await;
    let policy = &plan.preflight;
    let runs = |kind| !skipped.contains(&kind) && !policy.skip.contains(&kind);
    let wanted = gather_lambda::Wanted {
        policies: runs(LAMBDA_INVOKE_PERMISSION),
        concurrency: policy.warm_starts && runs(PROVISIONED_CONCURRENCY),
    };
    // The one backend whose checks need more than the gathered facts.
    let alias = match router {
        RouteRouter::LambdaAlias(alias) => Some(alias),
        RouteRouter::Alb(_) | RouteRouter::Lattice(_) => None,
    };
    let resolved_alias = alias.map(LambdaAliasRouter::resolved);
    let functions = gather_lambda::gather(facts.as_ref(), resolved_alias, wanted, clients).await;
    let mut checks = Vec::new();
    for kind in PreflightKind::ALL {
        let skipped_by = if skipped.contains(&kind) {
            Some(format!("skipped by `--skip-preflight {kind}`"))
        } else if policy.skip.contains(&kind) {
            Some("skipped by the playbook's `preflight.skip`".to_string())
        } else {
            None
        };
        let check = match skipped_by {
            Some(why) => PreflightCheck::skip(kind, why),
            None => check(kind, plan, alias, facts.as_ref(), &functions, &live),
        };
        checks.push(check);
    }
    Preflight { checks }
}

/// One check on what was gathered: the target-group checks on the route's facts (none on a
/// Lambda alias route), the Lambda checks on the functions' reads too, the alias checks on the
/// alias, `start-split` on the live split. Pure: every read is made before.
fn check(
    kind: PreflightKind,
    plan: &Plan,
    alias: Option<&LambdaAliasRouter>,
    facts: Option<&RouteFacts>,
    functions: &FunctionFacts,
    live: &Result<Split, String>,
) -> PreflightCheck {
    use PreflightKind as K;
    let policy = &plan.preflight;
    match (kind, facts) {
        (K::StartSplit, _) => start_split::check(plan, live),
        (K::TargetGroups, Some(facts)) => target_groups::check(facts),
        (K::CanaryHealthyTargets, Some(facts)) => health::check(facts, Role::Canary, policy),
        (K::StableHealthyTargets, Some(facts)) => health::check(facts, Role::Stable, policy),
        (K::LambdaQualifiedArn, Some(facts)) => lambda::qualified_check(facts),
        (K::LambdaInvokePermission, Some(facts)) => lambda::permission_check(facts, functions),
        (K::ProvisionedConcurrency, Some(facts)) => concurrency::check(facts, policy, functions),
        (K::LambdaAliasVersions, _) => match alias {
            Some(alias) => alias_versions::check(alias),
            None => PreflightCheck::skip(kind, "not applicable: the route is not a Lambda alias"),
        },
        (K::ProvisionedConcurrency, None) => match alias {
            Some(alias) => concurrency::alias_check(alias.resolved(), policy, functions),
            None => no_target_groups(kind),
        },
        (
            K::TargetGroups
            | K::CanaryHealthyTargets
            | K::StableHealthyTargets
            | K::LambdaQualifiedArn
            | K::LambdaInvokePermission,
            None,
        ) => no_target_groups(kind),
    }
}

fn no_target_groups(kind: PreflightKind) -> PreflightCheck {
    PreflightCheck::skip(kind, "not applicable: the route has no target groups")
}

/// The instruction that gets past a failure of `name`: skipping it, except for `start-split`,
/// whose refusal the first tick makes again (skipping the check would not start anything).
pub fn how_to_skip(name: PreflightKind) -> String {
    if name == PreflightKind::StartSplit {
        return "to start anyway, choose how: `--start-from live` (or `start_from: live` in the \
                playbook) to continue from the live weights, `--start-from first-step` \
                (`start_from: first_step`) to reset to the first step, or put all traffic on \
                stable first"
            .to_string();
    }
    format!("to skip it: `preflight: {{ skip: [{name}] }}` in the playbook, or `--skip-preflight {name}`")
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_start_split_refusal_suggests_what_starts_not_a_skip_that_refuses_again() {
        let hint = super::how_to_skip(super::PreflightKind::StartSplit);
        assert!(hint.contains("--start-from live"), "{hint}");
        assert!(hint.contains("--start-from first-step"), "{hint}");
        assert!(!hint.contains("--skip-preflight"), "{hint}");
    }

    #[test]
    fn an_unknown_skip_name_lists_the_alias_versions_check() {
        let playbook =
            "name: p\nroute:\n  lambda_alias:\n    function: checkout\n    alias: live\n    \
                        canary_version: \"8\"\nsteps:\n  canary: [10, 50]\n  bake: 2m\n\
                        preflight:\n  skip: [lambda-alias-version]\n";
        let error = crate::playbook::parse(playbook, "p.yaml")
            .map(|_| ())
            .unwrap_err()
            .to_string();
        assert!(
            error.contains("did you mean `lambda-alias-versions`?"),
            "{error}"
        );
        assert!(
            error.contains(
                "lambda-invoke-permission, lambda-alias-versions, provisioned-concurrency"
            ),
            "{error}"
        );
    }
}

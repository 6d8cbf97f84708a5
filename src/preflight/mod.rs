//! Preflight: what must hold before a deployment's first step, checked against AWS and shown
//! by `plan`, and required by `run` and `advance` before they write anything.
//!
//! A canary that cannot serve (no healthy target), a Lambda target that is a moving target
//! (`$LATEST`) or that the load balancer may not invoke, or a live split the plan does not start
//! from, would otherwise surface as a rollback minutes into the deployment, or not at all. Each
//! check has a stable name ([`CHECK_NAMES`]) so it can be skipped only by naming it (the
//! playbook's `preflight.skip`, or `--skip-preflight NAME`).
//!
//! The calls are made once ([`gather`]: target groups and their targets, per backend); every
//! judgement is a pure function over what they returned, unit-tested in its family's file.
//! A Lambda alias route has no target groups: `lambda-alias-versions` (the two versions can
//! share the alias) and `start-split` apply, and with `warm_starts` `provisioned-concurrency` on
//! the alias itself; the others are shown as not applicable.

mod alias_versions;
mod concurrency;
mod gather;
mod gather_alb;
mod gather_lattice;
mod health;
mod lambda;
mod render;
mod start_split;
mod target_groups;

pub use gather::{gather, Group, GroupInfo, Role, RouteFacts, Target};
pub use render::{refusal, render};

use crate::aws::Clients;
use crate::core::{Plan, Split};
use crate::orchestrator::route_router::RouteRouter;
use serde::Serialize;

pub const TARGET_GROUPS: &str = "target-groups";
pub const CANARY_HEALTHY_TARGETS: &str = "canary-healthy-targets";
pub const STABLE_HEALTHY_TARGETS: &str = "stable-healthy-targets";
pub const LAMBDA_QUALIFIED_ARN: &str = "lambda-qualified-arn";
pub const LAMBDA_INVOKE_PERMISSION: &str = "lambda-invoke-permission";
pub const LAMBDA_ALIAS_VERSIONS: &str = "lambda-alias-versions";
pub const PROVISIONED_CONCURRENCY: &str = "provisioned-concurrency";
pub const START_SPLIT: &str = "start-split";

/// Every preflight check, in the order they are run and shown.
pub const CHECK_NAMES: &[&str] = &[
    TARGET_GROUPS,
    CANARY_HEALTHY_TARGETS,
    STABLE_HEALTHY_TARGETS,
    LAMBDA_QUALIFIED_ARN,
    LAMBDA_INVOKE_PERMISSION,
    LAMBDA_ALIAS_VERSIONS,
    PROVISIONED_CONCURRENCY,
    START_SPLIT,
];

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
    pub name: &'static str,
    pub outcome: Outcome,
    pub message: String,
}

impl PreflightCheck {
    pub fn pass(name: &'static str, message: impl Into<String>) -> Self {
        Self::new(name, Outcome::Pass, message)
    }
    pub fn fail(name: &'static str, message: impl Into<String>) -> Self {
        Self::new(name, Outcome::Fail, message)
    }
    pub fn skip(name: &'static str, message: impl Into<String>) -> Self {
        Self::new(name, Outcome::Skip, message)
    }
    fn new(name: &'static str, outcome: Outcome, message: impl Into<String>) -> Self {
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
/// it could not be read); `skipped` adds names to the playbook's `preflight.skip` (from
/// `--skip-preflight`). Skipped checks make no call.
pub async fn run(
    plan: &Plan,
    router: &RouteRouter,
    live: Result<Split, String>,
    clients: &Clients,
    skipped: &[String],
) -> Preflight {
    let facts = gather::gather(router, clients).await;
    let policy = &plan.preflight;
    let skip = |name: &str| -> Option<String> {
        if skipped.iter().any(|s| s == name) {
            Some(format!("skipped by `--skip-preflight {name}`"))
        } else if policy.skip.iter().any(|s| s == name) {
            Some("skipped by the playbook's `preflight.skip`".to_string())
        } else {
            None
        }
    };
    let mut checks = Vec::new();
    for name in CHECK_NAMES.iter().copied() {
        if let Some(why) = skip(name) {
            checks.push(PreflightCheck::skip(name, why));
            continue;
        }
        let Some(facts) = facts.as_ref().filter(|_| name != START_SPLIT) else {
            checks.push(match (name, router) {
                (START_SPLIT, _) => start_split::check(plan, &live),
                (LAMBDA_ALIAS_VERSIONS, RouteRouter::LambdaAlias(alias)) => {
                    alias_versions::check(alias)
                }
                (PROVISIONED_CONCURRENCY, RouteRouter::LambdaAlias(alias)) => {
                    concurrency::alias_check(alias.resolved(), policy, clients).await
                }
                _ => PreflightCheck::skip(name, "not applicable: the route has no target groups"),
            });
            continue;
        };
        let check = match name {
            TARGET_GROUPS => target_groups::check(facts),
            CANARY_HEALTHY_TARGETS => health::check(facts, Role::Canary, policy),
            STABLE_HEALTHY_TARGETS => health::check(facts, Role::Stable, policy),
            LAMBDA_QUALIFIED_ARN => lambda::qualified_check(facts),
            LAMBDA_INVOKE_PERMISSION => lambda::permission_check(facts, clients).await,
            LAMBDA_ALIAS_VERSIONS => {
                PreflightCheck::skip(name, "not applicable: the route is not a Lambda alias")
            }
            PROVISIONED_CONCURRENCY => concurrency::check(facts, policy, clients).await,
            _ => start_split::check(plan, &live),
        };
        checks.push(check);
    }
    Preflight { checks }
}

/// The instruction that skips `name`, for failure messages.
pub fn how_to_skip(name: &str) -> String {
    format!("to skip it: `preflight: {{ skip: [{name}] }}` in the playbook, or `--skip-preflight {name}`")
}

#[cfg(test)]
mod tests {
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

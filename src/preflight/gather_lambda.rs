//! What the preflight reads of the Lambda functions a route involves, once and before any
//! check runs: each Lambda target's resource policy (for `lambda-invoke-permission`) and the
//! provisioned concurrency of the canary's targets or of the routed alias (for
//! `provisioned-concurrency`, with `warm_starts`). A check that is skipped, or does not apply,
//! costs no call. Each answer is kept as it came, so the checks judge it as pure functions.

use super::gather::{sdk_error, Role, RouteFacts};
use crate::aws::Clients;
use crate::traffic::lambda_alias::arn::FunctionArn;
use crate::traffic::lambda_alias::ResolvedAlias;
use std::collections::BTreeMap;

/// One read of something that may not exist.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Read<T> {
    Found(T),
    /// AWS answered that there is none (no resource policy, no provisioned concurrency).
    Missing,
    /// The call failed: the line to show.
    Failed(String),
}

/// A provisioned-concurrency config as GetProvisionedConcurrencyConfig answers it: status,
/// status reason, allocated executions.
pub type Config = (Option<String>, Option<String>, Option<i32>);

/// The Lambda reads, by function ARN (as registered, or the alias's).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FunctionFacts {
    /// GetPolicy's JSON document.
    pub policies: BTreeMap<String, Read<String>>,
    /// GetProvisionedConcurrencyConfig, for qualified ARNs only.
    pub concurrency: BTreeMap<String, Read<Config>>,
}

/// What each read is for: the checks that will run.
pub struct Wanted {
    pub policies: bool,
    pub concurrency: bool,
}

/// The reads `wanted` of the route's Lambda targets (`facts`) or of its alias.
pub async fn gather(
    facts: Option<&RouteFacts>,
    alias: Option<&ResolvedAlias>,
    wanted: Wanted,
    clients: &Clients,
) -> FunctionFacts {
    let mut out = FunctionFacts::default();
    let lambda_groups = facts
        .into_iter()
        .flat_map(|f| f.groups.iter())
        .filter(|g| g.info.as_ref().is_ok_and(|i| i.lambda));
    for group in lambda_groups {
        for target in group.targets.iter().flatten() {
            let arn = &target.id;
            if wanted.policies && !out.policies.contains_key(arn) {
                out.policies.insert(arn.clone(), policy(clients, arn).await);
            }
            let qualified = FunctionArn::parse(arn).and_then(|f| f.pinned());
            if let (true, Role::Canary, Some((function, q))) =
                (wanted.concurrency, group.role, qualified)
            {
                let read = concurrency(clients, function, q).await;
                out.concurrency.insert(arn.clone(), read);
            }
        }
    }
    if let (true, Some(alias)) = (wanted.concurrency, alias) {
        let read = concurrency(clients, &alias.function_arn, &alias.alias).await;
        out.concurrency.insert(alias.alias_arn.clone(), read);
    }
    out
}

async fn policy(clients: &Clients, arn: &str) -> Read<String> {
    match clients.lambda.get_policy().function_name(arn).send().await {
        Ok(out) => Read::Found(out.policy.unwrap_or_default()),
        Err(e)
            if e.as_service_error()
                .is_some_and(|s| s.is_resource_not_found_exception()) =>
        {
            Read::Missing
        }
        Err(e) => Read::Failed(sdk_error("GetPolicy", e)),
    }
}

async fn concurrency(clients: &Clients, function: &str, qualifier: &str) -> Read<Config> {
    let answer = clients
        .lambda
        .get_provisioned_concurrency_config()
        .function_name(function)
        .qualifier(qualifier)
        .send()
        .await;
    match answer {
        Ok(out) => Read::Found((
            out.status.map(|s| s.as_str().to_string()),
            out.status_reason,
            out.allocated_provisioned_concurrent_executions,
        )),
        Err(e)
            if e.as_service_error()
                .is_some_and(|s| s.is_provisioned_concurrency_config_not_found_exception()) =>
        {
            Read::Missing
        }
        Err(e) => Read::Failed(sdk_error("GetProvisionedConcurrencyConfig", e)),
    }
}

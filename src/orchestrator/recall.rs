//! Resolving a playbook's route with what only the deployment's record knows.
//!
//! A Lambda alias route may leave `stable_version` out: the stable version is then the one the
//! alias serves when the deployment starts, and the record keeps it. Once the canary is
//! promoted the alias serves the canary, so resolution alone cannot tell the stable version
//! any more ([`TrafficError::StableUnknown`]), and a scheduled `advance`, a `status` or a
//! `rollback` by playbook after promotion would fail where the ALB and Lattice routes report
//! "promoted". Here the record of this playbook's deployment supplies the stable version it
//! started from (only for the same alias and the same canary version), and the route is
//! resolved again with it. Without such a record the error stands, and says to pin
//! `stable_version`.

use super::OrchestratorError;
use crate::aws::Clients;
use crate::core::plan::{LambdaAliasRoute, Route};
use crate::core::Plan;
use crate::store::tags::RecordTags;
use crate::store::Store;
use crate::traffic::{ResolvedRoute, RouteRouter, TrafficError};

/// The plan's route resolved (names to ARNs); for a Lambda alias that already serves the
/// canary, with the stable version from the record in `store_of(tags)`, the store the command
/// keeps records in for the alias's record tags (`None`: no store, the error stands).
pub async fn router<S: Store>(
    plan: &Plan,
    clients: &Clients,
    store_of: impl Fn(&RecordTags) -> Option<S>,
) -> Result<RouteRouter, OrchestratorError> {
    let error = match RouteRouter::resolve(&plan.route, clients).await {
        Ok(router) => return Ok(router),
        Err(error) => error,
    };
    let (
        Route::LambdaAlias(route),
        TrafficError::StableUnknown {
            alias_arn,
            function_arn,
            alias,
            canary_version,
        },
    ) = (&plan.route, &error)
    else {
        return Err(error.into());
    };
    let tags = RecordTags::LambdaAlias {
        function_arn: function_arn.clone(),
        alias: alias.clone(),
    };
    let Some(store) = store_of(&tags) else {
        return Err(error.into());
    };
    let Some(stable) = recorded_stable(&store, &plan.name, alias_arn, canary_version).await? else {
        return Err(error.into());
    };
    let pinned = Route::LambdaAlias(LambdaAliasRoute {
        stable_version: Some(stable),
        ..route.clone()
    });
    Ok(RouteRouter::resolve(&pinned, clients).await?)
}

/// The stable version in the record `name` on `alias_arn`, if it is this alias's deployment of
/// this canary version.
async fn recorded_stable<S: Store>(
    store: &S,
    name: &str,
    alias_arn: &str,
    canary_version: &str,
) -> Result<Option<String>, OrchestratorError> {
    let record = store.load(name).await?;
    let Some(ResolvedRoute::LambdaAlias(route)) = record.and_then(|record| record.route) else {
        return Ok(None);
    };
    let same = route.alias_arn == alias_arn && route.canary_version == canary_version;
    Ok(same.then_some(route.stable_version))
}

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

use super::route_router::RouteRouter;
use super::{setup, OrchestratorError};
use crate::aws::Clients;
use crate::core::plan::{LambdaAliasRoute, Route};
use crate::core::record::{RouteBackend, RouteIdentity};
use crate::core::Plan;
use crate::store::Store;
use crate::traffic::lambda_alias::arn::FunctionArn;
use crate::traffic::TrafficError;

/// The plan's route resolved (names to ARNs); for a Lambda alias that already serves the
/// canary, with the stable version from the record in `store_of(alias)`, the store the
/// command keeps records in (`None`: no store, the error stands).
pub async fn router<S: Store>(
    plan: &Plan,
    clients: &Clients,
    store_of: impl Fn(&RouteIdentity) -> Option<S>,
) -> Result<RouteRouter, OrchestratorError> {
    let error = match setup::router(&plan.route, clients).await {
        Ok(router) => return Ok(router),
        Err(error) => error,
    };
    let (
        Route::LambdaAlias(route),
        OrchestratorError::Traffic(TrafficError::StableUnknown {
            alias_arn,
            canary_version,
        }),
    ) = (&plan.route, &error)
    else {
        return Err(error);
    };
    let alias = RouteIdentity {
        backend: RouteBackend::LambdaAlias,
        listener_arn: String::new(),
        rule_arn: Some(alias_arn.clone()),
        stable_arn: String::new(),
        canary_arn: String::new(),
    };
    let Some(store) = store_of(&alias) else {
        return Err(error);
    };
    let Some(stable) = recorded_stable(&store, &plan.name, alias_arn, canary_version).await? else {
        return Err(error);
    };
    let pinned = Route::LambdaAlias(LambdaAliasRoute {
        stable_version: Some(stable),
        ..route.clone()
    });
    setup::router(&pinned, clients).await
}

/// The stable version in the record `name` on `alias_arn`, if it is this alias's deployment of
/// this canary version.
async fn recorded_stable<S: Store>(
    store: &S,
    name: &str,
    alias_arn: &str,
    canary_version: &str,
) -> Result<Option<String>, OrchestratorError> {
    let Some(route) = store.load(name).await?.and_then(|record| record.route) else {
        return Ok(None);
    };
    let version = |arn| FunctionArn::parse(arn).and_then(|f| f.qualifier);
    let same = route.rule_arn.as_deref() == Some(alias_arn)
        && version(&route.canary_arn) == Some(canary_version);
    Ok(version(&route.stable_arn)
        .filter(|_| same)
        .map(str::to_string))
}

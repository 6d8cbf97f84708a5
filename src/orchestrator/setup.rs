//! Connecting a validated plan to AWS: resolve the route once (names to ARNs) and build the
//! router and the metric source it implies. The only place that matches on the route's kind.

use super::route_router::RouteRouter;
use super::{Deployment, OrchestratorError};
use crate::aws::Clients;
use crate::core::plan::Route;
use crate::core::Plan;
use crate::metrics::cloudwatch::CloudWatchSource;
use crate::metrics::templates::{AlbDimensions, LambdaDimensions, LatticeDimensions};
use crate::store::Store;
use crate::traffic::alb::AlbRouter;
use crate::traffic::lambda_alias::LambdaAliasRouter;
use crate::traffic::lattice::LatticeRouter;

/// A deployment on any route, watched through CloudWatch.
pub type RouteDeployment<S> = Deployment<RouteRouter, CloudWatchSource, S>;

/// Resolves the plan's route and returns a deployment ready to tick. Costs the calls of name
/// resolution, once.
pub async fn connect<S: Store>(
    plan: Plan,
    clients: &Clients,
    store: S,
) -> Result<RouteDeployment<S>, OrchestratorError> {
    let router = router(&plan.route, clients).await?;
    Ok(deployment(plan, router, clients, store))
}

/// A deployment on an already resolved router (no AWS call), watched through CloudWatch with
/// the builtin metrics of its backend.
pub fn deployment<S: Store>(
    plan: Plan,
    router: RouteRouter,
    clients: &Clients,
    store: S,
) -> RouteDeployment<S> {
    let period = plan.analysis.period;
    let metrics = match &router {
        RouteRouter::Alb(router) => {
            let resolved = router.resolved();
            let dimensions = AlbDimensions {
                load_balancer: resolved.load_balancer_dimension(),
                stable_target_group: resolved.target_group_dimension(&resolved.stable_arn),
                canary_target_group: resolved.target_group_dimension(&resolved.canary_arn),
                stable_is_lambda: resolved.stable_is_lambda,
                canary_is_lambda: resolved.canary_is_lambda,
            };
            CloudWatchSource::new(clients.cloudwatch.clone(), dimensions, period)
        }
        RouteRouter::Lattice(router) => {
            let resolved = router.resolved();
            let dimensions = LatticeDimensions {
                stable_target_group: resolved.stable.id.clone(),
                canary_target_group: resolved.canary.id.clone(),
            };
            CloudWatchSource::new(clients.cloudwatch.clone(), dimensions, period)
        }
        RouteRouter::LambdaAlias(router) => {
            let resolved = router.resolved();
            let dimensions = LambdaDimensions {
                function_name: resolved.function_name.clone(),
                alias: resolved.alias.clone(),
                stable_version: resolved.stable_version.clone(),
                canary_version: resolved.canary_version.clone(),
            };
            CloudWatchSource::new(clients.cloudwatch.clone(), dimensions, period)
        }
    };
    Deployment {
        plan,
        router,
        metrics,
        store,
    }
}

/// The router of a route, resolved (names to ARNs). Costs the calls of resolution.
pub async fn router(route: &Route, clients: &Clients) -> Result<RouteRouter, OrchestratorError> {
    match route {
        Route::Alb(route) => Ok(RouteRouter::Alb(
            AlbRouter::resolve(clients.elbv2.clone(), route).await?,
        )),
        Route::Lattice(route) => Ok(RouteRouter::Lattice(
            LatticeRouter::resolve(clients.lattice.clone(), route).await?,
        )),
        Route::LambdaAlias(route) => Ok(RouteRouter::LambdaAlias(
            LambdaAliasRouter::resolve(clients.lambda.clone(), route).await?,
        )),
    }
}

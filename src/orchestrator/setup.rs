//! Connecting a validated plan to AWS: a deployment on a resolved router, watched through
//! CloudWatch with its route's builtin dimensions.

use super::Deployment;
use crate::aws::Clients;
use crate::core::Plan;
use crate::metrics::cloudwatch::CloudWatchSource;
use crate::store::Store;
use crate::traffic::{RouteRouter, Router};

/// A deployment on any route, watched through CloudWatch.
pub type RouteDeployment<S> = Deployment<RouteRouter, CloudWatchSource, S>;

/// A deployment on an already resolved router (no AWS call), watched through CloudWatch with
/// the builtin metrics of its backend.
pub fn deployment<S: Store>(
    plan: Plan,
    router: RouteRouter,
    clients: &Clients,
    store: S,
) -> RouteDeployment<S> {
    let metrics = CloudWatchSource::new(
        clients.cloudwatch.clone(),
        router.route().dimensions(),
        plan.analysis.period,
    );
    let switch = plan
        .switch
        .clone()
        .map(|config| super::switch::Switch::new(clients.scheduler.clone(), config, &plan.name));
    let notifier = match plan.notify.is_empty() {
        true => None,
        false => crate::notify::Notifier::new(plan.notify.clone(), clients.sns.clone())
            .map_err(|why| tracing::warn!("notifications are off: {why}"))
            .ok(),
    };
    let hooks = match plan.hooks.is_empty() {
        true => None,
        false => crate::hook::HookRunner::new(clients.lambda.clone())
            .map_err(|why| tracing::warn!("hooks cannot be called: {why}"))
            .ok(),
    };
    Deployment {
        plan,
        router,
        metrics,
        store,
        switch,
        notifier,
        hooks,
    }
}

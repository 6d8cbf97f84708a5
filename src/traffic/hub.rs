//! [`RouteRouter`]: the router of whichever backend the route is on, behind the one [`Router`]
//! trait, and the one factory that resolves a playbook's route into it
//! ([`RouteRouter::resolve`]). `Router`'s methods return `impl Future`, so the trait is not
//! object-safe; an exhaustive enum dispatches instead, and a new backend is a compile error
//! until it is handled here and in [`super::route`].

use crate::aws::Clients;
use crate::core::plan::Route;
use crate::core::types::{Share, Split};
use crate::traffic::alb::AlbRouter;
use crate::traffic::lambda_alias::LambdaAliasRouter;
use crate::traffic::lattice::LatticeRouter;
use crate::traffic::route::ResolvedRoute;
use crate::traffic::{Router, TrafficError};

/// The router of one route, of any backend.
#[derive(Clone, Debug)]
pub enum RouteRouter {
    Alb(AlbRouter),
    Lattice(LatticeRouter),
    LambdaAlias(LambdaAliasRouter),
}

impl RouteRouter {
    /// Resolves a playbook's route (names to ARNs, checked to exist and belong together).
    /// Costs the calls of resolution, once; the on-call path, which has a resolved route
    /// already, uses [`ResolvedRoute::router`] instead.
    pub async fn resolve(route: &Route, clients: &Clients) -> Result<RouteRouter, TrafficError> {
        Ok(match route {
            Route::Alb(route) => {
                RouteRouter::Alb(AlbRouter::resolve(clients.elbv2.clone(), route).await?)
            }
            Route::Lattice(route) => {
                RouteRouter::Lattice(LatticeRouter::resolve(clients.lattice.clone(), route).await?)
            }
            Route::LambdaAlias(route) => RouteRouter::LambdaAlias(
                LambdaAliasRouter::resolve(clients.lambda.clone(), route).await?,
            ),
        })
    }
}

impl Router for RouteRouter {
    fn split_for(&self, share: Share) -> Split {
        match self {
            RouteRouter::Alb(router) => router.split_for(share),
            RouteRouter::Lattice(router) => router.split_for(share),
            RouteRouter::LambdaAlias(router) => router.split_for(share),
        }
    }

    async fn read(&self) -> Result<Split, TrafficError> {
        match self {
            RouteRouter::Alb(router) => router.read().await,
            RouteRouter::Lattice(router) => router.read().await,
            RouteRouter::LambdaAlias(router) => router.read().await,
        }
    }

    async fn write(&self, expected: Option<Split>, target: Split) -> Result<Split, TrafficError> {
        match self {
            RouteRouter::Alb(router) => router.write(expected, target).await,
            RouteRouter::Lattice(router) => router.write(expected, target).await,
            RouteRouter::LambdaAlias(router) => router.write(expected, target).await,
        }
    }

    fn lane(&self) -> Option<crate::traffic::lane::LaneRouter> {
        match self {
            RouteRouter::Alb(router) => router.lane(),
            RouteRouter::Lattice(router) => router.lane(),
            RouteRouter::LambdaAlias(router) => router.lane(),
        }
    }

    fn describe(&self) -> String {
        match self {
            RouteRouter::Alb(router) => router.describe(),
            RouteRouter::Lattice(router) => router.describe(),
            RouteRouter::LambdaAlias(router) => router.describe(),
        }
    }

    fn route(&self) -> ResolvedRoute {
        match self {
            RouteRouter::Alb(router) => router.route(),
            RouteRouter::Lattice(router) => router.route(),
            RouteRouter::LambdaAlias(router) => router.route(),
        }
    }

    async fn restore_call(&self) -> Result<crate::traffic::RestoreCall, TrafficError> {
        match self {
            RouteRouter::Alb(router) => router.restore_call().await,
            RouteRouter::Lattice(router) => router.restore_call().await,
            RouteRouter::LambdaAlias(router) => router.restore_call().await,
        }
    }
}

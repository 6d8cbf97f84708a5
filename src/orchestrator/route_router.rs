//! [`RouteRouter`]: the router of whichever backend the playbook's route names, behind the one
//! [`Router`] trait. `Router`'s methods return `impl Future`, so the trait is not object-safe;
//! an exhaustive enum dispatches instead, and a new backend is a compile error until it is
//! handled here.

use crate::aws::Clients;
use crate::core::record::{RouteBackend, RouteIdentity};
use crate::core::types::{Share, Split};
use crate::traffic::alb::AlbRouter;
use crate::traffic::lambda_alias::LambdaAliasRouter;
use crate::traffic::lattice::LatticeRouter;
use crate::traffic::{Router, TrafficError};

impl RouteRouter {
    /// The router of a deployment record's route, with no AWS call: the on-call commands that
    /// have only the resource's ARN.
    pub fn from_identity(
        identity: &RouteIdentity,
        clients: &Clients,
    ) -> Result<RouteRouter, TrafficError> {
        match identity.backend {
            RouteBackend::Alb => Ok(RouteRouter::Alb(AlbRouter::from_identity(
                clients.elbv2.clone(),
                identity,
            )?)),
            RouteBackend::Lattice => Ok(RouteRouter::Lattice(LatticeRouter::from_identity(
                clients.lattice.clone(),
                identity,
            )?)),
            RouteBackend::LambdaAlias => Ok(RouteRouter::LambdaAlias(
                LambdaAliasRouter::from_identity(clients.lambda.clone(), identity)?,
            )),
        }
    }
}

/// The router of one route, of any backend.
#[derive(Clone, Debug)]
pub enum RouteRouter {
    Alb(AlbRouter),
    Lattice(LatticeRouter),
    LambdaAlias(LambdaAliasRouter),
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

    fn describe(&self) -> String {
        match self {
            RouteRouter::Alb(router) => router.describe(),
            RouteRouter::Lattice(router) => router.describe(),
            RouteRouter::LambdaAlias(router) => router.describe(),
        }
    }

    fn identity(&self) -> RouteIdentity {
        match self {
            RouteRouter::Alb(router) => router.identity(),
            RouteRouter::Lattice(router) => router.identity(),
            RouteRouter::LambdaAlias(router) => router.identity(),
        }
    }
}

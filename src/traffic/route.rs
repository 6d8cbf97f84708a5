//! [`ResolvedRoute`]: what resolution found, one variant per backend, and each capability that
//! differs per backend as one method with one match.
//!
//! Resolution returns it inside the router ([`crate::traffic::Router::route`]); the deployment record
//! keeps it, so the on-call commands rebuild the router from it with no AWS call and no
//! re-parsing ([`ResolvedRoute::router`]); the metric source takes its dimensions, the record
//! store its tags, `plan` its words. Adding a backend is one variant here and one module beside
//! this one.

use super::alb::{AlbRouter, ResolvedAlb};
use super::hub::RouteRouter;
use super::lambda_alias::{LambdaAliasRouter, ResolvedAlias};
use super::lattice::{LatticeRouter, ResolvedLattice};
use crate::aws::Clients;
use crate::metrics::templates::{
    AlbDimensions, LambdaDimensions, LatticeDimensions, RouteDimensions,
};
use crate::store::tags::RecordTags;
use serde::{Deserialize, Serialize};

/// A route as resolution verified it, by backend.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "backend", rename_all = "snake_case")]
pub enum ResolvedRoute {
    Alb(ResolvedAlb),
    /// Boxed: five resources of ids, ARNs and names.
    Lattice(Box<ResolvedLattice>),
    LambdaAlias(ResolvedAlias),
}

impl ResolvedRoute {
    /// The router of this route, with no AWS call.
    pub fn router(&self, clients: &Clients) -> RouteRouter {
        match self {
            ResolvedRoute::Alb(route) => RouteRouter::Alb(AlbRouter::from_resolved(
                clients.elbv2.clone(),
                route.clone(),
            )),
            ResolvedRoute::Lattice(route) => RouteRouter::Lattice(LatticeRouter::from_resolved(
                clients.lattice.clone(),
                route.as_ref().clone(),
            )),
            ResolvedRoute::LambdaAlias(route) => RouteRouter::LambdaAlias(
                LambdaAliasRouter::from_resolved(clients.lambda.clone(), route.clone()),
            ),
        }
    }

    /// How the backend is named to a reader.
    pub fn backend_name(&self) -> &'static str {
        match self {
            ResolvedRoute::Alb(_) => "Application Load Balancer",
            ResolvedRoute::Lattice(_) => "VPC Lattice",
            ResolvedRoute::LambdaAlias(_) => "Lambda alias",
        }
    }

    /// The ARN of the resource whose action (or routing) carries the weights: the resource
    /// the on-call commands are given.
    pub fn resource_arn(&self) -> &str {
        match self {
            ResolvedRoute::Alb(route) => route.rule_arn.as_deref().unwrap_or(&route.listener_arn),
            ResolvedRoute::Lattice(route) => match &route.rule {
                Some(rule) => &rule.arn,
                None => &route.listener.arn,
            },
            ResolvedRoute::LambdaAlias(route) => &route.alias_arn,
        }
    }

    /// Whether this route, as a record found in the tags of `arn` states it, can be the route
    /// of that resource: it must route `arn` itself (a record naming another rule, listener or
    /// alias was copied or edited), its stable and canary must differ, and a Lambda alias's
    /// stable version must be older than its canary (a rollback goes back, never forward to a
    /// version published later). `Err` says what disagrees; nothing may be written on it.
    pub fn check_found_at(&self, arn: &str) -> Result<(), String> {
        let routed = self.resource_arn();
        if routed != arn {
            return Err(format!(
                "the deployment record in the tags of {arn} is for another resource ({routed}): \
                 the record was copied or edited; nothing was written. Give the playbook instead"
            ));
        }
        let (stable, canary) = match self {
            ResolvedRoute::Alb(route) => (route.stable_arn.as_str(), route.canary_arn.as_str()),
            ResolvedRoute::Lattice(route) => (route.stable.id.as_str(), route.canary.id.as_str()),
            ResolvedRoute::LambdaAlias(route) => {
                (route.stable_version.as_str(), route.canary_version.as_str())
            }
        };
        if stable == canary {
            return Err(format!(
                "the deployment record on {arn} names {stable} as both stable and canary: the \
                 record was edited; nothing was written. Give the playbook instead"
            ));
        }
        if let ResolvedRoute::LambdaAlias(route) = self {
            let numbers = (
                route.stable_version.parse::<u64>(),
                route.canary_version.parse::<u64>(),
            );
            if let (Ok(stable), Ok(canary)) = numbers {
                if stable >= canary {
                    return Err(format!(
                        "the deployment record on {arn} says stable version {stable} and canary \
                         version {canary}, but a stable version is published before its canary: \
                         the record was edited, or the deployment went back to an older \
                         version; nothing was written. Give the playbook, which names the stable \
                         version itself"
                    ));
                }
            }
        }
        Ok(())
    }

    /// Where the deployment record's tags are (a Lambda alias's: on its function).
    pub fn record_tags(&self) -> RecordTags {
        let arn = self.resource_arn().to_string();
        match self {
            ResolvedRoute::Alb(_) => RecordTags::Alb { arn },
            ResolvedRoute::Lattice(_) => RecordTags::Lattice { arn },
            ResolvedRoute::LambdaAlias(route) => RecordTags::LambdaAlias {
                function_arn: route.function_arn.clone(),
                alias: route.alias.clone(),
            },
        }
    }

    /// The CloudWatch dimensions of the builtin checks.
    pub fn dimensions(&self) -> RouteDimensions {
        match self {
            ResolvedRoute::Alb(route) => RouteDimensions::Alb(AlbDimensions {
                load_balancer: route.load_balancer_dimension(),
                stable_target_group: route.target_group_dimension(&route.stable_arn),
                canary_target_group: route.target_group_dimension(&route.canary_arn),
                stable_is_lambda: route.stable_is_lambda,
                canary_is_lambda: route.canary_is_lambda,
            }),
            ResolvedRoute::Lattice(route) => RouteDimensions::Lattice(LatticeDimensions {
                stable_target_group: route.stable.id.clone(),
                canary_target_group: route.canary.id.clone(),
            }),
            ResolvedRoute::LambdaAlias(route) => RouteDimensions::Lambda(LambdaDimensions {
                function_name: route.function_name.clone(),
                alias: route.alias.clone(),
                stable_version: route.stable_version.clone(),
                canary_version: route.canary_version.clone(),
            }),
        }
    }

    /// The resolved resources by what they are on this backend, for `plan`.
    pub fn resources(&self) -> Vec<(&'static str, String)> {
        let mut out = Vec::new();
        match self {
            ResolvedRoute::Alb(route) => {
                out.push(("listener", route.listener_arn.clone()));
                out.extend(route.rule_arn.clone().map(|rule| ("rule", rule)));
                out.push(("stable", route.stable_arn.clone()));
                out.push(("canary", route.canary_arn.clone()));
            }
            ResolvedRoute::Lattice(route) => {
                out.push(("listener", route.listener.arn.clone()));
                out.extend(route.rule.as_ref().map(|rule| ("rule", rule.arn.clone())));
                out.push(("stable", route.stable.arn.clone()));
                out.push(("canary", route.canary.arn.clone()));
            }
            ResolvedRoute::LambdaAlias(route) => {
                out.push(("function", route.function_arn.clone()));
                out.push(("alias", route.alias_arn.clone()));
                out.push(("stable version", route.stable_arn()));
                out.push(("canary version", route.canary_arn()));
            }
        }
        out
    }

    /// The ALB route, when this is one.
    pub fn as_alb(&self) -> Option<&ResolvedAlb> {
        match self {
            ResolvedRoute::Alb(route) => Some(route),
            _ => None,
        }
    }

    /// The VPC Lattice route, when this is one.
    pub fn as_lattice(&self) -> Option<&ResolvedLattice> {
        match self {
            ResolvedRoute::Lattice(route) => Some(route),
            _ => None,
        }
    }

    /// The Lambda alias route, when this is one.
    pub fn as_lambda_alias(&self) -> Option<&ResolvedAlias> {
        match self {
            ResolvedRoute::LambdaAlias(route) => Some(route),
            _ => None,
        }
    }
}

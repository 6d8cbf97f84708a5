//! The Lambda alias backend: an alias's routing config sends a share of its invocations to a
//! second published version (`RoutingConfig.AdditionalVersionWeights`, one version, 0.0–1.0);
//! the rest goes to its `FunctionVersion`. The canary is the extra version; promotion makes it
//! the FunctionVersion and clears the routing, rollback clears the routing on the stable version.
//!
//! Raw weights are per-mille of the invocations: canary = round(weight × 1000), stable = 1000 −
//! canary, so unlike ALB and Lattice 1000 is reachable (the promoted alias reads 0/1000).
//! Lambda routes each invocation at random: at low traffic the live split is rough.
//!
//! The write is the shared guarded write ([`crate::traffic::write`]), with one difference that
//! AWS offers here and not on ALB or Lattice: the UpdateAlias carries the RevisionId of the
//! conflict-check read, so a change made between that read and the update is refused by AWS
//! itself (PreconditionFailedException) and reported as [`TrafficError::Conflict`] with the
//! live split read again.
//!
//! AWS calls: resolution once (see `resolve`); `read` exactly one GetAlias; `write` one GetAlias,
//! one UpdateAlias (FunctionVersion, RoutingConfig and RevisionId; never the description), one
//! GetAlias, and one more GetAlias when AWS refused a stale revision. A write whose target
//! already is live sends no UpdateAlias.

pub mod arn;
mod resolve;
pub(crate) use resolve::{get_alias, routing_of};
mod resolved;
pub mod routing;
mod version;

pub use resolved::ResolvedAlias;
pub use version::VersionConfig;

use crate::aws::error::service::LAMBDA;
use crate::core::plan::LambdaAliasRoute;
use crate::core::types::{Share, Split};
use crate::traffic::route::ResolvedRoute;
use crate::traffic::split::WeightLimits;
use crate::traffic::write::{self, ForwardStore};
use crate::traffic::{aws_error, Router, TrafficError};
use aws_sdk_lambda::types::AliasRoutingConfiguration;
use aws_sdk_lambda::Client;
use routing::{AliasRouting, LAMBDA_WEIGHTS};
use std::collections::HashMap;

/// Reads and writes the split on one Lambda alias.
#[derive(Clone, Debug)]
pub struct LambdaAliasRouter {
    client: Client,
    /// Boxed: routers of all backends share an enum.
    resolved: Box<ResolvedAlias>,
    /// The stable and the canary version's configurations as resolution read them; `None` for
    /// a router rebuilt from a deployment record (no AWS call).
    configs: Option<Box<[VersionConfig; 2]>>,
}

/// An alias as one GetAlias read it, and (once edited) the split that read showed, so that a
/// refused update can report what was expected.
#[derive(Clone, Debug)]
pub(crate) struct AliasAction {
    routing: AliasRouting,
    read: Option<Split>,
}

impl LambdaAliasRouter {
    /// Resolves the route and verifies the alias and both versions (see `resolve`). Called once
    /// at start.
    pub async fn resolve(
        client: Client,
        route: &LambdaAliasRoute,
    ) -> Result<LambdaAliasRouter, TrafficError> {
        let (resolved, configs) = resolve::resolve(&client, route).await?;
        Ok(LambdaAliasRouter {
            configs: Some(Box::new(configs)),
            ..LambdaAliasRouter::from_resolved(client, resolved)
        })
    }

    /// A router on an already resolved route (no AWS call).
    pub fn from_resolved(client: Client, resolved: ResolvedAlias) -> LambdaAliasRouter {
        LambdaAliasRouter {
            client,
            resolved: Box::new(resolved),
            configs: None,
        }
    }

    /// The verified function, alias and versions, for CloudWatch dimensions.
    pub fn resolved(&self) -> &ResolvedAlias {
        &self.resolved
    }

    /// The stable and the canary version's configurations, as resolution read them (none for
    /// a router rebuilt from a record or from a resolved route).
    pub fn version_configs(&self) -> Option<&[VersionConfig; 2]> {
        self.configs.as_deref()
    }
}

impl ForwardStore for LambdaAliasRouter {
    type Action = AliasAction;

    fn limits(&self) -> WeightLimits {
        LAMBDA_WEIGHTS
    }

    fn resource(&self) -> String {
        self.resolved.resource()
    }

    /// One GetAlias; an alias gone since resolution is NotFound.
    async fn fetch(&self) -> Result<AliasAction, TrafficError> {
        let r = &self.resolved;
        let out =
            resolve::get_alias(&self.client, &r.function_arn, &r.alias, &r.resource()).await?;
        Ok(AliasAction {
            routing: resolve::routing_of(&out),
            read: None,
        })
    }

    fn split_of(&self, action: &AliasAction) -> Result<Split, TrafficError> {
        let resource = self.resource();
        routing::live_split(
            &action.routing,
            resolve::versions(&self.resolved, &resource),
        )
    }

    fn edit(&self, action: &AliasAction, target: Split) -> Result<AliasAction, TrafficError> {
        let resource = self.resource();
        let versions = resolve::versions(&self.resolved, &resource);
        Ok(AliasAction {
            routing: routing::edit(&action.routing, target, versions)?,
            read: Some(routing::live_split(&action.routing, versions)?),
        })
    }

    /// UpdateAlias with FunctionVersion, RoutingConfig (an empty map clears it) and the
    /// RevisionId read; a stale revision is a Conflict with the split read again.
    async fn store(&self, action: AliasAction) -> Result<(), TrafficError> {
        let r = &self.resolved;
        let weights: HashMap<String, f64> = action.routing.weights.into_iter().collect();
        let config = AliasRoutingConfiguration::builder()
            .set_additional_version_weights(Some(weights))
            .build();
        let sent = self
            .client
            .update_alias()
            .function_name(&r.function_arn)
            .name(&r.alias)
            .function_version(&action.routing.function_version)
            .routing_config(config)
            .set_revision_id(action.routing.revision_id)
            .send()
            .await;
        match sent {
            Ok(_) => Ok(()),
            Err(e)
                if e.as_service_error()
                    .is_some_and(|s| s.is_precondition_failed_exception()) =>
            {
                let live = write::read(self).await?;
                Err(TrafficError::Conflict {
                    expected: action.read.unwrap_or(live),
                    live,
                })
            }
            Err(e) => Err(aws_error(LAMBDA, "UpdateAlias", &r.resource(), &e)),
        }
    }
}

impl Router for LambdaAliasRouter {
    fn split_for(&self, share: Share) -> Split {
        routing::split_for(share)
    }

    async fn read(&self) -> Result<Split, TrafficError> {
        write::read(self).await
    }

    async fn write(&self, expected: Option<Split>, target: Split) -> Result<Split, TrafficError> {
        routing::check(target, &self.resource())?;
        write::guarded_write(self, expected, target).await
    }

    fn describe(&self) -> String {
        self.resolved.describe()
    }

    fn route(&self) -> ResolvedRoute {
        ResolvedRoute::LambdaAlias(self.resolved.as_ref().clone())
    }

    async fn restore_call(&self) -> Result<crate::traffic::RestoreCall, TrafficError> {
        let r = &self.resolved;
        Ok(crate::traffic::restore::lambda_alias(
            &r.function_arn,
            &r.alias,
            &r.alias_arn,
            &r.stable_version,
        ))
    }
}

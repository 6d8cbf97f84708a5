//! The VPC Lattice backend: the weights of the stable and canary target groups in the forward
//! action of a listener rule (UpdateRule) or of a listener's default action (UpdateListener).
//! Weights are 0–999 each, at most 10 target groups per forward.
//!
//! AWS calls: resolution once at start (one Get per part written by id or ARN, one List walk per
//! part written by name, one GetRule or GetListener for the action, one GetTargetGroup per target
//! group by id or ARN or one ListTargetGroups walk for those by name); `read` exactly one GetRule
//! or GetListener; `write` one Get (the conflict check, which also yields the action to edit),
//! one UpdateRule (its `action` only, so the rule's match and priority stay exactly as they were)
//! or UpdateListener (`defaultAction`), and one Get (the verification). A write whose target
//! already is live sends no Update.

pub mod arn;
pub mod forward;
mod lookup;
pub(crate) use lookup::{get_listener, get_rule, get_target_group};
mod resolve;
mod resolved;

pub use resolved::{LatticeResource, ResolvedLattice};

use crate::aws::error::service::LATTICE;
use crate::core::plan::LatticeRoute;
use crate::core::types::{Share, Split};
use crate::traffic::route::ResolvedRoute;
use crate::traffic::split::{WeightLimits, LATTICE_WEIGHTS};
use crate::traffic::write::{self, ForwardStore};
use crate::traffic::{aws_error, Router, TrafficError};
use aws_sdk_vpclattice::types::RuleAction;
use aws_sdk_vpclattice::Client;

/// Reads and writes the split on one Lattice rule or listener default action.
#[derive(Clone, Debug)]
pub struct LatticeRouter {
    client: Client,
    /// Boxed: five ids, ARNs and names are large, and routers of all backends share an enum.
    resolved: Box<ResolvedLattice>,
}

impl LatticeRouter {
    /// Resolves the route's names to ids and ARNs and verifies that everything exists, belongs
    /// together and forwards to the stable target group (see the `resolve` module). Called once
    /// at start.
    pub async fn resolve(
        client: Client,
        route: &LatticeRoute,
    ) -> Result<LatticeRouter, TrafficError> {
        let resolved = resolve::resolve(&client, route).await?;
        Ok(LatticeRouter::from_resolved(client, resolved))
    }

    /// A router on an already resolved route (no AWS call).
    pub fn from_resolved(client: Client, resolved: ResolvedLattice) -> LatticeRouter {
        LatticeRouter {
            client,
            resolved: Box::new(resolved),
        }
    }

    /// The verified ids and ARNs, for CloudWatch dimensions.
    pub fn resolved(&self) -> &ResolvedLattice {
        &self.resolved
    }
}

impl ForwardStore for LatticeRouter {
    type Action = Option<RuleAction>;

    fn limits(&self) -> WeightLimits {
        LATTICE_WEIGHTS
    }

    fn resource(&self) -> String {
        self.resolved.resource()
    }

    /// The live action of the rule, or the listener's default action: one Get. A rule or
    /// listener gone since resolution is NotFound.
    async fn fetch(&self) -> Result<Option<RuleAction>, TrafficError> {
        let r = &self.resolved;
        let what = r.resource();
        match &r.rule {
            Some(rule) => {
                let out =
                    lookup::get_rule(&self.client, &r.service.id, &r.listener.id, &rule.id, &what)
                        .await?;
                Ok(out.action)
            }
            None => {
                let out = lookup::get_listener(&self.client, &r.service.id, &r.listener.id, &what)
                    .await?;
                Ok(out.default_action)
            }
        }
    }

    fn split_of(&self, action: &Option<RuleAction>) -> Result<Split, TrafficError> {
        let r = &self.resolved;
        forward::live_split(action.as_ref(), &r.stable, &r.canary, &r.resource())
    }

    fn edit(
        &self,
        action: &Option<RuleAction>,
        target: Split,
    ) -> Result<Option<RuleAction>, TrafficError> {
        let r = &self.resolved;
        forward::with_weights(action.as_ref(), &r.stable, &r.canary, target, &r.resource())
            .map(Some)
    }

    /// UpdateRule with the action only (never match or priority), or UpdateListener with the
    /// default action only.
    async fn store(&self, action: Option<RuleAction>) -> Result<(), TrafficError> {
        let r = &self.resolved;
        match &r.rule {
            Some(rule) => {
                self.client
                    .update_rule()
                    .service_identifier(&r.service.id)
                    .listener_identifier(&r.listener.id)
                    .rule_identifier(&rule.id)
                    .set_action(action)
                    .send()
                    .await
                    .map_err(|e| aws_error(LATTICE, "UpdateRule", &r.resource(), &e))?;
            }
            None => {
                self.client
                    .update_listener()
                    .service_identifier(&r.service.id)
                    .listener_identifier(&r.listener.id)
                    .set_default_action(action)
                    .send()
                    .await
                    .map_err(|e| aws_error(LATTICE, "UpdateListener", &r.resource(), &e))?;
            }
        }
        Ok(())
    }
}

impl Router for LatticeRouter {
    fn split_for(&self, share: Share) -> Split {
        LATTICE_WEIGHTS.split_for(share)
    }

    async fn read(&self) -> Result<Split, TrafficError> {
        write::read(self).await
    }

    async fn write(&self, expected: Option<Split>, target: Split) -> Result<Split, TrafficError> {
        write::guarded_write(self, expected, target).await
    }

    fn lane(&self) -> Option<crate::traffic::lane::LaneRouter> {
        Some(crate::traffic::lane::LaneRouter::Lattice(
            crate::traffic::lane::LatticeLane::new(
                self.client.clone(),
                self.resolved.as_ref().clone(),
            ),
        ))
    }

    fn describe(&self) -> String {
        self.resolved.describe()
    }

    fn route(&self) -> ResolvedRoute {
        ResolvedRoute::Lattice(self.resolved.clone())
    }

    async fn restore_call(&self) -> Result<crate::traffic::RestoreCall, TrafficError> {
        let action = self.fetch().await?;
        let stable_only = self.edit(&action, self.split_for(Share::STABLE_ONLY))?;
        let r = &self.resolved;
        let rule = r
            .rule
            .as_ref()
            .map(|rule| (rule.id.as_str(), rule.arn.as_str()));
        let resource = r.resource();
        let action = stable_only.ok_or_else(|| TrafficError::NotRestatable {
            resource,
            why: "it has no action".into(),
        })?;
        crate::traffic::restore::lattice(
            &r.service.id,
            &r.listener.id,
            rule,
            &r.listener.arn,
            &action,
        )
    }
}

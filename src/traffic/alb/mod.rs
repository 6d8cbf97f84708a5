//! The Application Load Balancer backend: the weights of the stable and canary target groups in
//! the forward action of a listener rule (ModifyRule) or of a listener's default action
//! (ModifyListener). Weights are 0–999 each.
//!
//! AWS calls: resolution 3–6 Describe calls once at start; `read` exactly one Describe
//! (DescribeRules or DescribeListeners by ARN); `write` one Describe (the conflict check, which
//! also yields the action list to edit), one Modify and one Describe (the verification). A write
//! whose target already is live is verified by that first Describe and sends no Modify.
//!
//! The write is the shared guarded write ([`crate::traffic::write`]); this module gives it the
//! ALB's own Describe, Modify and pure edit ([`forward::with_weights`]) of the whole action list.

pub mod arn;
pub mod forward;
mod resolve;

pub use resolve::ResolvedAlb;
pub(crate) use resolve::{listener_by_arn, rule_by_arn, target_group};

use crate::aws::error::service::ELBV2;
use crate::core::plan::AlbRoute;
use crate::core::types::{Share, Split};
use crate::traffic::route::ResolvedRoute;
use crate::traffic::split::{WeightLimits, ALB_WEIGHTS};
use crate::traffic::write::{self, ForwardStore};
use crate::traffic::{aws_error, Router, TrafficError};
use aws_sdk_elasticloadbalancingv2::types::Action;
use aws_sdk_elasticloadbalancingv2::Client;

/// Reads and writes the split on one ALB rule or listener default action.
#[derive(Clone, Debug)]
pub struct AlbRouter {
    client: Client,
    resolved: ResolvedAlb,
}

impl AlbRouter {
    /// Resolves the route's names to ARNs and verifies that everything exists and belongs
    /// together (see the `resolve` module). Called once at start.
    pub async fn resolve(client: Client, route: &AlbRoute) -> Result<AlbRouter, TrafficError> {
        let resolved = resolve::resolve(&client, route).await?;
        Ok(AlbRouter { client, resolved })
    }

    /// A router on already resolved ARNs (no AWS call).
    pub fn from_resolved(client: Client, resolved: ResolvedAlb) -> AlbRouter {
        AlbRouter { client, resolved }
    }

    /// The verified ARNs, for CloudWatch dimensions.
    pub fn resolved(&self) -> &ResolvedAlb {
        &self.resolved
    }

    /// The rule or listener disappeared after resolution.
    fn gone(&self) -> TrafficError {
        TrafficError::NotFound {
            what: self.resolved.resource(),
        }
    }
}

impl ForwardStore for AlbRouter {
    /// The whole action list: ModifyRule and ModifyListener replace it as a whole.
    type Action = Vec<Action>;

    fn limits(&self) -> WeightLimits {
        ALB_WEIGHTS
    }

    fn resource(&self) -> String {
        self.resolved.resource()
    }

    /// The live action list of the rule, or the listener's default actions: one Describe call.
    /// A rule or listener gone since resolution is NotFound.
    async fn fetch(&self) -> Result<Vec<Action>, TrafficError> {
        match &self.resolved.rule_arn {
            Some(rule_arn) => {
                let out = self
                    .client
                    .describe_rules()
                    .rule_arns(rule_arn)
                    .send()
                    .await
                    .map_err(|e| {
                        if e.as_service_error()
                            .is_some_and(|s| s.is_rule_not_found_exception())
                        {
                            self.gone()
                        } else {
                            aws_error(ELBV2, "DescribeRules", &self.resolved.resource(), &e)
                        }
                    })?;
                let rule = out.rules.unwrap_or_default().into_iter().next();
                Ok(rule.ok_or_else(|| self.gone())?.actions.unwrap_or_default())
            }
            None => {
                let listener_arn = &self.resolved.listener_arn;
                let out = self
                    .client
                    .describe_listeners()
                    .listener_arns(listener_arn)
                    .send()
                    .await
                    .map_err(|e| {
                        if e.as_service_error()
                            .is_some_and(|s| s.is_listener_not_found_exception())
                        {
                            self.gone()
                        } else {
                            aws_error(ELBV2, "DescribeListeners", &self.resolved.resource(), &e)
                        }
                    })?;
                let listener = out.listeners.unwrap_or_default().into_iter().next();
                Ok(listener
                    .ok_or_else(|| self.gone())?
                    .default_actions
                    .unwrap_or_default())
            }
        }
    }

    fn split_of(&self, actions: &Vec<Action>) -> Result<Split, TrafficError> {
        let r = &self.resolved;
        forward::live_split(actions, &r.stable_arn, &r.canary_arn, &r.resource())
    }

    /// The forward's two weights set, every other action copied for modify (an OIDC action
    /// keeps its client secret by `UseExistingClientSecret`).
    fn edit(&self, actions: &Vec<Action>, target: Split) -> Result<Vec<Action>, TrafficError> {
        let r = &self.resolved;
        forward::with_weights(actions, &r.stable_arn, &r.canary_arn, target, &r.resource())
    }

    /// Replaces the whole action list: ModifyRule (without Conditions, so conditions and
    /// priority stay) or ModifyListener (DefaultActions only).
    async fn store(&self, actions: Vec<Action>) -> Result<(), TrafficError> {
        let r = &self.resolved;
        match &r.rule_arn {
            Some(rule_arn) => {
                self.client
                    .modify_rule()
                    .rule_arn(rule_arn)
                    .set_actions(Some(actions))
                    .send()
                    .await
                    .map_err(|e| aws_error(ELBV2, "ModifyRule", &r.resource(), &e))?;
            }
            None => {
                self.client
                    .modify_listener()
                    .listener_arn(&r.listener_arn)
                    .set_default_actions(Some(actions))
                    .send()
                    .await
                    .map_err(|e| aws_error(ELBV2, "ModifyListener", &r.resource(), &e))?;
            }
        }
        Ok(())
    }
}

impl Router for AlbRouter {
    fn split_for(&self, share: Share) -> Split {
        forward::split_for(share)
    }

    async fn read(&self) -> Result<Split, TrafficError> {
        write::read(self).await
    }

    async fn write(&self, expected: Option<Split>, target: Split) -> Result<Split, TrafficError> {
        write::guarded_write(self, expected, target).await
    }

    fn route(&self) -> ResolvedRoute {
        ResolvedRoute::Alb(self.resolved.clone())
    }

    async fn restore_call(&self) -> Result<crate::traffic::RestoreCall, TrafficError> {
        let actions = self.fetch().await?;
        let stable_only = self.edit(&actions, self.split_for(Share::STABLE_ONLY))?;
        let r = &self.resolved;
        crate::traffic::restore::alb(&r.listener_arn, r.rule_arn.as_deref(), &stable_only)
    }

    fn lane(&self) -> Option<crate::traffic::lane::LaneRouter> {
        let r = &self.resolved;
        Some(crate::traffic::lane::LaneRouter::Alb(
            crate::traffic::lane::AlbLane::new(
                self.client.clone(),
                r.listener_arn.clone(),
                r.rule_arn.clone(),
                r.canary_arn.clone(),
            ),
        ))
    }

    fn describe(&self) -> String {
        let name = |arn: &str| arn::target_group_name(arn).unwrap_or(arn).to_string();
        let stable = name(&self.resolved.stable_arn);
        let canary = name(&self.resolved.canary_arn);
        match &self.resolved.rule_arn {
            Some(rule) => format!("ALB rule {rule} (stable {stable}, canary {canary})"),
            None => format!(
                "ALB listener {} default action (stable {stable}, canary {canary})",
                self.resolved.listener_arn
            ),
        }
    }
}

//! The header lane on an ALB listener: CreateRule at the chosen priority with the route's
//! conditions plus an `http-header` condition, the route's actions with the forward replaced by
//! one to the canary alone (an authentication before it is kept), the route's transforms, and
//! the lane tag; DescribeTags before DeleteRule.
//!
//! AWS's limits it checks before any write (the condition reference): at most five match
//! evaluations per rule (each condition value is one; the lane adds one), and one rule cannot
//! match the same header twice. An `authenticate-oidc` action cannot be copied: CreateRule
//! needs its client secret, which no read returns, and a lane without it would skip the
//! authentication, so such a route has no lane.

use super::{find_own, not_as_created, priority, LaneError, LaneRule, Listed, Tags};
use crate::aws::error::service::ELBV2;
use crate::core::lane::LANE_TAG;
use crate::core::plan::HeaderLane;
use crate::traffic::{aws_error, TrafficError};
use aws_sdk_elasticloadbalancingv2::types::{
    Action, ActionTypeEnum, ForwardActionConfig, HttpHeaderConditionConfig, Rule, RuleCondition,
    RuleTransform, Tag, TargetGroupTuple,
};
use aws_sdk_elasticloadbalancingv2::Client;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;

/// ALB's highest rule priority.
const HIGHEST: u32 = 50_000;
/// Match evaluations per rule (the condition values of all its conditions).
const MAX_EVALUATIONS: usize = 5;

/// The lane's rules on one ALB listener.
#[derive(Clone, Debug)]
pub struct AlbLane {
    client: Client,
    listener_arn: String,
    /// The route's rule; `None` for the listener's default action.
    rule_arn: Option<String>,
    canary_arn: String,
}

/// The rule to create.
#[derive(Clone, Debug)]
pub struct AlbPlacement {
    pub priority: u32,
    conditions: Vec<RuleCondition>,
    actions: Vec<Action>,
    transforms: Option<Vec<RuleTransform>>,
}

impl AlbLane {
    pub fn new(
        client: Client,
        listener_arn: String,
        rule_arn: Option<String>,
        canary_arn: String,
    ) -> AlbLane {
        AlbLane {
            client,
            listener_arn,
            rule_arn,
            canary_arn,
        }
    }

    fn listener(&self) -> String {
        format!("ALB listener {}", self.listener_arn)
    }

    /// Every rule of the listener, the default rule included: DescribeRules, page by page.
    async fn rules(&self) -> Result<Vec<Rule>, TrafficError> {
        let mut rules = Vec::new();
        let mut marker = None;
        loop {
            let out = self
                .client
                .describe_rules()
                .listener_arn(&self.listener_arn)
                .set_marker(marker)
                .send()
                .await
                .map_err(|e| aws_error(ELBV2, "DescribeRules", &self.listener(), &e))?;
            rules.extend(out.rules.unwrap_or_default());
            match out.next_marker.filter(|m| !m.is_empty()) {
                Some(next) => marker = Some(next),
                None => return Ok(rules),
            }
        }
    }

    pub(super) async fn place(&self, lane: &HeaderLane) -> Result<AlbPlacement, LaneError> {
        let rules = self.rules().await?;
        let taken: Vec<u32> = rules.iter().filter_map(number).collect();
        let route = match &self.rule_arn {
            Some(arn) => rules.iter().find(|r| r.rule_arn.as_deref() == Some(arn)),
            None => rules.iter().find(|r| r.is_default == Some(true)),
        };
        let Some(route) = route else {
            return Err(TrafficError::NotFound {
                what: match &self.rule_arn {
                    Some(arn) => format!("listener rule {arn} on {}", self.listener()),
                    None => format!("the default rule of {}", self.listener()),
                },
            }
            .into());
        };
        let route_priority = self.rule_arn.as_ref().and_then(|_| number(route));
        let priority =
            priority::choose(&taken, route_priority, HIGHEST).map_err(LaneError::Refused)?;
        Ok(AlbPlacement {
            priority,
            conditions: lane_conditions(route.conditions.as_deref().unwrap_or_default(), lane)?,
            actions: lane_actions(
                route.actions.as_deref().unwrap_or_default(),
                &self.canary_arn,
            )?,
            transforms: route.transforms.clone().filter(|t| !t.is_empty()),
        })
    }

    pub(super) async fn create(
        &self,
        placement: &AlbPlacement,
        token: &str,
    ) -> Result<LaneRule, LaneError> {
        let priority = i32::try_from(placement.priority).unwrap_or(i32::MAX);
        let tag = Tag::builder().key(LANE_TAG).value(token).build();
        let created = self
            .client
            .create_rule()
            .listener_arn(&self.listener_arn)
            .priority(priority)
            .set_conditions(Some(placement.conditions.clone()))
            .set_actions(Some(placement.actions.clone()))
            .set_transforms(placement.transforms.clone())
            .tags(tag)
            .send()
            .await;
        let out = match created {
            Ok(out) => out,
            Err(e) if e.code() == Some("PriorityInUse") => {
                // A creation of ours that landed after its process died holds it: adopt it.
                return match find_own(self, placement.priority, token).await? {
                    Some(rule) => Ok(rule),
                    None => Err(LaneError::Refused(format!(
                        "priority {} of {} was taken by another rule meanwhile",
                        placement.priority,
                        self.listener()
                    ))),
                };
            }
            Err(e) => return Err(aws_error(ELBV2, "CreateRule", &self.listener(), &e).into()),
        };
        let arn = out
            .rules
            .unwrap_or_default()
            .into_iter()
            .find_map(|r| r.rule_arn)
            .ok_or_else(|| not_as_created(&self.listener(), "CreateRule returned no rule ARN"))?;
        let back = crate::traffic::alb::rule_by_arn(&self.client, &arn).await?;
        check_created(&back, placement.priority, &self.canary_arn)
            .map_err(|why| not_as_created(&arn, &why))?;
        Ok(LaneRule {
            arn,
            priority: placement.priority,
        })
    }
}

impl Listed for AlbLane {
    async fn rule_at(&self, priority: u32) -> Result<Option<String>, TrafficError> {
        let rules = self.rules().await?;
        let found = rules.iter().find(|r| number(r) == Some(priority));
        Ok(found.and_then(|r| r.rule_arn.clone()))
    }

    /// DescribeTags of the rule; `None` when it is gone.
    async fn tags(&self, arn: &str) -> Result<Option<Tags>, TrafficError> {
        let out = self.client.describe_tags().resource_arns(arn).send().await;
        match out {
            Ok(out) => Ok(out
                .tag_descriptions
                .unwrap_or_default()
                .into_iter()
                .find(|d| d.resource_arn.as_deref() == Some(arn))
                .map(|d| {
                    let tags = d.tags.unwrap_or_default().into_iter();
                    tags.map(|t| (t.key.unwrap_or_default(), t.value.unwrap_or_default()))
                        .collect()
                })),
            Err(e) if e.code() == Some("RuleNotFound") => Ok(None),
            Err(e) => Err(aws_error(ELBV2, "DescribeTags", arn, &e)),
        }
    }

    /// DescribeRules by ARN.
    async fn exists(&self, arn: &str) -> Result<bool, TrafficError> {
        match crate::traffic::alb::rule_by_arn(&self.client, arn).await {
            Ok(_) => Ok(true),
            Err(TrafficError::NotFound { .. }) => Ok(false),
            Err(e) => Err(e),
        }
    }

    async fn delete(&self, arn: &str) -> Result<bool, TrafficError> {
        match self.client.delete_rule().rule_arn(arn).send().await {
            Ok(_) => Ok(true),
            Err(e) if e.code() == Some("RuleNotFound") => Ok(false),
            Err(e) => Err(aws_error(ELBV2, "DeleteRule", arn, &e)),
        }
    }
}

/// A rule's priority as a number; `None` for the default rule.
fn number(rule: &Rule) -> Option<u32> {
    rule.priority.as_deref().and_then(|p| p.parse().ok())
}

/// The route's conditions as CreateRule takes them (a `*Config` form only, not also the
/// legacy `Values` DescribeRules repeats), plus the lane's header.
fn lane_conditions(
    route: &[RuleCondition],
    lane: &HeaderLane,
) -> Result<Vec<RuleCondition>, LaneError> {
    let mut conditions = Vec::with_capacity(route.len() + 1);
    let mut evaluations = 0;
    for condition in route {
        let mut condition = condition.clone();
        if condition.host_header_config.is_some() || condition.path_pattern_config.is_some() {
            condition.values = None;
        }
        if let Some(header) = &condition.http_header_config {
            let name = header.http_header_name.as_deref().unwrap_or_default();
            if name.eq_ignore_ascii_case(&lane.header) {
                return Err(LaneError::Refused(format!(
                    "the route's rule already matches the header {name}: choose another \
                     `header_lane.header`"
                )));
            }
        }
        evaluations += evaluations_of(&condition);
        conditions.push(condition);
    }
    if evaluations + 1 > MAX_EVALUATIONS {
        return Err(LaneError::Refused(format!(
            "the route's rule has {evaluations} match evaluations and a rule takes at most \
             {MAX_EVALUATIONS}: the lane's header would be one too many"
        )));
    }
    let header = HttpHeaderConditionConfig::builder()
        .http_header_name(&lane.header)
        .values(&lane.value)
        .build();
    conditions.push(
        RuleCondition::builder()
            .field("http-header")
            .http_header_config(header)
            .build(),
    );
    Ok(conditions)
}

/// The values a condition matches (each one a match evaluation).
fn evaluations_of(c: &RuleCondition) -> usize {
    let count = |v: Option<&Vec<String>>| v.map_or(0, Vec::len);
    let config = [
        count(
            c.host_header_config
                .as_ref()
                .and_then(|h| h.values.as_ref()),
        ),
        count(
            c.path_pattern_config
                .as_ref()
                .and_then(|h| h.values.as_ref()),
        ),
        count(
            c.http_header_config
                .as_ref()
                .and_then(|h| h.values.as_ref()),
        ),
        count(
            c.http_request_method_config
                .as_ref()
                .and_then(|h| h.values.as_ref()),
        ),
        count(c.source_ip_config.as_ref().and_then(|h| h.values.as_ref())),
        c.query_string_config
            .as_ref()
            .and_then(|q| q.values.as_ref())
            .map_or(0, Vec::len),
        count(c.values.as_ref()),
        count(c.regex_values.as_ref()),
    ];
    config.iter().sum::<usize>().max(1)
}

/// The route's actions with its forward sending everything to the canary alone.
fn lane_actions(route: &[Action], canary_arn: &str) -> Result<Vec<Action>, LaneError> {
    let mut forwards = 0;
    let mut actions = Vec::with_capacity(route.len());
    for action in route {
        match action.r#type() {
            Some(ActionTypeEnum::AuthenticateOidc) => {
                return Err(LaneError::Refused(
                    "the route authenticates with OIDC, whose client secret no read returns: a \
                     lane rule could not authenticate as the route does; remove `header_lane` \
                     or add the lane's rule yourself"
                        .to_string(),
                ))
            }
            Some(ActionTypeEnum::Forward) => {
                forwards += 1;
                let canary = TargetGroupTuple::builder()
                    .target_group_arn(canary_arn)
                    .weight(1)
                    .build();
                let forward = ForwardActionConfig::builder().target_groups(canary).build();
                actions.push(
                    Action::builder()
                        .r#type(ActionTypeEnum::Forward)
                        .set_order(action.order)
                        .forward_config(forward)
                        .build(),
                );
            }
            _ => actions.push(action.clone()),
        }
    }
    match forwards {
        1 => Ok(actions),
        n => Err(LaneError::Refused(format!(
            "the route's rule has {n} forward actions; the lane copies a rule with exactly one"
        ))),
    }
}

/// Whether the read-back is the lane's rule: at `priority`, forwarding to the canary alone.
fn check_created(rule: &Rule, priority: u32, canary_arn: &str) -> Result<(), String> {
    if number(rule) != Some(priority) {
        return Err(format!(
            "priority {:?}, not {priority}",
            rule.priority.as_deref().unwrap_or("none")
        ));
    }
    let forwards: Vec<&str> = rule
        .actions
        .iter()
        .flatten()
        .filter(|a| a.r#type() == Some(&ActionTypeEnum::Forward))
        .flat_map(|a| {
            let tuples = a
                .forward_config
                .as_ref()
                .and_then(|f| f.target_groups.as_ref());
            let listed = tuples
                .into_iter()
                .flatten()
                .filter_map(|t| t.target_group_arn.as_deref());
            listed.chain(a.target_group_arn.as_deref())
        })
        .collect();
    match forwards.iter().all(|arn| *arn == canary_arn) && !forwards.is_empty() {
        true => Ok(()),
        false => Err(format!("it forwards to {}", forwards.join(", "))),
    }
}

#[cfg(test)]
#[path = "alb_tests.rs"]
mod tests;

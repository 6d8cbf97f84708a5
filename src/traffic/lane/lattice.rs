//! The header lane on a VPC Lattice listener: CreateRule at the chosen priority (1–100) with the
//! route's rule's `httpMatch` plus an exact, case-insensitive header match (a listener's
//! default action has none: the header alone), forwarding everything to the canary, named
//! `canary-lane-<token>` and tagged; ListTagsForResource before DeleteRule.
//!
//! Lattice's limit it checks before any write: at most five header matches per rule.

use super::{find_own, not_as_created, priority, LaneError, LaneRule, Listed, Tags};
use crate::aws::error::service::LATTICE;
use crate::core::lane::LANE_TAG;
use crate::core::plan::HeaderLane;
use crate::traffic::lattice::{arn, get_rule, ResolvedLattice};
use crate::traffic::{aws_error, TrafficError};
use aws_sdk_vpclattice::types::{
    ForwardAction, HeaderMatch, HeaderMatchType, HttpMatch, RuleAction, RuleMatch, RuleSummary,
    WeightedTargetGroup,
};
use aws_sdk_vpclattice::Client;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;

/// Lattice's highest rule priority.
const HIGHEST: u32 = 100;
/// Header matches per rule.
const MAX_HEADER_MATCHES: usize = 5;

/// The lane's rules on one Lattice listener.
#[derive(Clone, Debug)]
pub struct LatticeLane {
    client: Client,
    route: Box<ResolvedLattice>,
}

/// The rule to create.
#[derive(Clone, Debug)]
pub struct LatticePlacement {
    pub priority: u32,
    matches: HttpMatch,
}

impl LatticeLane {
    pub fn new(client: Client, route: ResolvedLattice) -> LatticeLane {
        LatticeLane {
            client,
            route: Box::new(route),
        }
    }

    fn listener(&self) -> String {
        format!("Lattice listener {}", self.route.listener.arn)
    }

    /// Every rule of the listener: ListRules, page by page.
    async fn rules(&self) -> Result<Vec<RuleSummary>, TrafficError> {
        let mut rules = Vec::new();
        let mut token = None;
        loop {
            let out = self
                .client
                .list_rules()
                .service_identifier(&self.route.service.id)
                .listener_identifier(&self.route.listener.id)
                .set_next_token(token)
                .send()
                .await
                .map_err(|e| aws_error(LATTICE, "ListRules", &self.listener(), &e))?;
            rules.extend(out.items);
            match out.next_token.filter(|t| !t.is_empty()) {
                Some(next) => token = Some(next),
                None => return Ok(rules),
            }
        }
    }

    pub(super) async fn place(&self, lane: &HeaderLane) -> Result<LatticePlacement, LaneError> {
        let rules = self.rules().await?;
        let taken: Vec<u32> = rules.iter().filter_map(number).collect();
        let (route_priority, route_match) = match &self.route.rule {
            Some(rule) => {
                let shown = self.route.resource();
                let r = &self.route;
                let out = get_rule(
                    &self.client,
                    &r.service.id,
                    &r.listener.id,
                    &rule.id,
                    &shown,
                )
                .await?;
                let priority = out.priority.and_then(|p| u32::try_from(p).ok());
                (priority, out.r#match)
            }
            None => (None, None),
        };
        if self.route.rule.is_some() && route_priority.is_none() {
            return Err(LaneError::Refused(
                "the route's rule has no priority (a default rule): name the listener instead"
                    .to_string(),
            ));
        }
        let priority =
            priority::choose(&taken, route_priority, HIGHEST).map_err(LaneError::Refused)?;
        let route_match = match route_match {
            Some(RuleMatch::HttpMatch(m)) => Some(m),
            Some(other) => {
                return Err(LaneError::Refused(format!(
                    "the route's rule matches with {other:?}, which the lane cannot extend"
                )))
            }
            None => None,
        };
        Ok(LatticePlacement {
            priority,
            matches: lane_match(route_match, lane)?,
        })
    }

    /// `canary-lane-<first 16 hex of the token's random part>`: unique per listener.
    fn name(token: &str) -> String {
        let random = token.rsplit('/').next().unwrap_or(token);
        let short: String = random
            .chars()
            .filter(char::is_ascii_alphanumeric)
            .take(16)
            .collect::<String>()
            .to_ascii_lowercase();
        format!("canary-lane-{short}")
    }

    pub(super) async fn create(
        &self,
        placement: &LatticePlacement,
        token: &str,
    ) -> Result<LaneRule, LaneError> {
        let r = &self.route;
        let canary = WeightedTargetGroup::builder()
            .target_group_identifier(&r.canary.id)
            .weight(100)
            .build()
            .map_err(|e| LaneError::Refused(e.to_string()))?;
        let forward = ForwardAction::builder()
            .target_groups(canary)
            .build()
            .map_err(|e| LaneError::Refused(e.to_string()))?;
        let created = self
            .client
            .create_rule()
            .service_identifier(&r.service.id)
            .listener_identifier(&r.listener.id)
            .name(Self::name(token))
            .priority(i32::try_from(placement.priority).unwrap_or(i32::MAX))
            .r#match(RuleMatch::HttpMatch(placement.matches.clone()))
            .action(RuleAction::Forward(forward))
            .tags(LANE_TAG, token)
            .send()
            .await;
        let out = match created {
            Ok(out) => out,
            Err(e) if e.code() == Some("ConflictException") => {
                // Our own creation that landed after its process died, or someone else's rule.
                return match find_own(self, placement.priority, token).await? {
                    Some(rule) => Ok(rule),
                    None => Err(LaneError::Refused(format!(
                        "priority {} (or the name {}) of {} was taken by another rule meanwhile",
                        placement.priority,
                        Self::name(token),
                        self.listener()
                    ))),
                };
            }
            Err(e) => return Err(aws_error(LATTICE, "CreateRule", &self.listener(), &e).into()),
        };
        let arn = out
            .arn
            .ok_or_else(|| not_as_created(&self.listener(), "CreateRule returned no ARN"))?;
        let id = arn::id_of(&arn).unwrap_or(&arn).to_string();
        let back = get_rule(&self.client, &r.service.id, &r.listener.id, &id, &arn).await?;
        let priority = back.priority.and_then(|p| u32::try_from(p).ok());
        let forwards_canary = match &back.action {
            Some(RuleAction::Forward(f)) => {
                !f.target_groups.is_empty()
                    && f.target_groups
                        .iter()
                        .all(|g| r.canary.is(g.target_group_identifier()) || g.weight == Some(0))
            }
            _ => false,
        };
        if priority != Some(placement.priority) || !forwards_canary {
            return Err(not_as_created(
                &arn,
                &format!(
                    "priority {priority:?}, action {:?}",
                    back.action.as_ref().map(|_| "not the canary alone")
                ),
            ));
        }
        Ok(LaneRule {
            arn,
            priority: placement.priority,
        })
    }

    /// DeleteRule's input for the rule `arn`, in the API's member names.
    pub(super) fn delete_input(&self, arn: &str) -> serde_json::Value {
        serde_json::json!({
            "serviceIdentifier": self.route.service.id,
            "listenerIdentifier": self.route.listener.id,
            "ruleIdentifier": arn::id_of(arn).unwrap_or(arn),
        })
    }
}

impl Listed for LatticeLane {
    async fn rule_at(&self, priority: u32) -> Result<Option<String>, TrafficError> {
        let rules = self.rules().await?;
        let found = rules.iter().find(|r| number(r) == Some(priority));
        Ok(found.and_then(|r| r.arn.clone()))
    }

    /// ListTagsForResource of the rule; `None` when it is gone.
    async fn tags(&self, arn: &str) -> Result<Option<Tags>, TrafficError> {
        let out = self
            .client
            .list_tags_for_resource()
            .resource_arn(arn)
            .send()
            .await;
        match out {
            Ok(out) => Ok(Some(out.tags.unwrap_or_default().into_iter().collect())),
            Err(e) if e.code() == Some("ResourceNotFoundException") => Ok(None),
            Err(e) => Err(aws_error(LATTICE, "ListTagsForResource", arn, &e)),
        }
    }

    /// GetRule.
    async fn exists(&self, arn: &str) -> Result<bool, TrafficError> {
        let r = &self.route;
        let id = arn::id_of(arn).unwrap_or(arn);
        match get_rule(&self.client, &r.service.id, &r.listener.id, id, arn).await {
            Ok(_) => Ok(true),
            Err(TrafficError::NotFound { .. }) => Ok(false),
            Err(e) => Err(e),
        }
    }

    async fn delete(&self, arn: &str) -> Result<bool, TrafficError> {
        let r = &self.route;
        let deleted = self
            .client
            .delete_rule()
            .service_identifier(&r.service.id)
            .listener_identifier(&r.listener.id)
            .rule_identifier(arn::id_of(arn).unwrap_or(arn))
            .send()
            .await;
        match deleted {
            Ok(_) => Ok(true),
            Err(e) if e.code() == Some("ResourceNotFoundException") => Ok(false),
            Err(e) => Err(aws_error(LATTICE, "DeleteRule", arn, &e)),
        }
    }
}

fn number(rule: &RuleSummary) -> Option<u32> {
    match rule.is_default {
        Some(true) => None,
        _ => rule.priority.and_then(|p| u32::try_from(p).ok()),
    }
}

/// The route's match plus the lane's header (exact, case-insensitive value).
fn lane_match(route: Option<HttpMatch>, lane: &HeaderLane) -> Result<HttpMatch, LaneError> {
    let route = route.unwrap_or_else(|| HttpMatch::builder().build());
    let mut headers = route.header_matches.clone().unwrap_or_default();
    if let Some(same) = headers
        .iter()
        .find(|h| h.name.eq_ignore_ascii_case(&lane.header))
    {
        return Err(LaneError::Refused(format!(
            "the route's rule already matches the header {}: choose another \
             `header_lane.header`",
            same.name
        )));
    }
    if headers.len() + 1 > MAX_HEADER_MATCHES {
        return Err(LaneError::Refused(format!(
            "the route's rule has {} header matches and a Lattice rule takes at most \
             {MAX_HEADER_MATCHES}: the lane's header would be one too many",
            headers.len()
        )));
    }
    let header = HeaderMatch::builder()
        .name(&lane.header)
        .r#match(HeaderMatchType::Exact(lane.value.clone()))
        .case_sensitive(false)
        .build()
        .map_err(|e| LaneError::Refused(e.to_string()))?;
    headers.push(header);
    Ok(HttpMatch::builder()
        .set_method(route.method)
        .set_path_match(route.path_match)
        .set_header_matches(Some(headers))
        .build())
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_sdk_vpclattice::types::{PathMatch, PathMatchType};

    fn lane() -> HeaderLane {
        HeaderLane {
            header: "x-canary".into(),
            value: "1".into(),
        }
    }

    fn header(name: &str) -> HeaderMatch {
        HeaderMatch::builder()
            .name(name)
            .r#match(HeaderMatchType::Exact("v".into()))
            .build()
            .expect("header")
    }

    #[test]
    fn the_lane_keeps_the_routes_path_and_headers_and_adds_its_own() {
        let path = PathMatch::builder()
            .r#match(PathMatchType::Prefix("/api".into()))
            .build();
        let route = HttpMatch::builder()
            .method("GET")
            .path_match(path.clone())
            .header_matches(header("x-team"))
            .build();
        let m = lane_match(Some(route), &lane()).expect("fits");
        assert_eq!(m.method.as_deref(), Some("GET"));
        assert_eq!(m.path_match, Some(path));
        let headers = m.header_matches.expect("headers");
        assert_eq!(headers.len(), 2);
        assert_eq!(headers[1].name, "x-canary");
        assert_eq!(headers[1].r#match, Some(HeaderMatchType::Exact("1".into())));
        assert_eq!(headers[1].case_sensitive, Some(false));
        let alone = lane_match(None, &lane()).expect("the default action");
        assert_eq!(alone.header_matches.map(|h| h.len()), Some(1));
        assert_eq!(alone.path_match, None);
    }

    #[test]
    fn a_rule_with_five_headers_or_the_same_header_has_no_lane() {
        let full = HttpMatch::builder()
            .set_header_matches(Some((0..5).map(|n| header(&format!("h{n}"))).collect()))
            .build();
        let Err(LaneError::Refused(why)) = lane_match(Some(full), &lane()) else {
            panic!("five headers")
        };
        assert!(why.contains("at most 5"), "{why}");
        let same = HttpMatch::builder()
            .header_matches(header("X-CANARY"))
            .build();
        assert!(matches!(
            lane_match(Some(same), &lane()),
            Err(LaneError::Refused(_))
        ));
    }

    #[test]
    fn the_rule_name_is_the_tokens_and_fits_lattice() {
        let name = LatticeLane::name("web/0123456789ABCDEFfff");
        assert_eq!(name, "canary-lane-0123456789abcdef");
        assert!(name.len() <= 63);
    }
}

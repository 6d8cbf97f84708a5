//! What a listener's rules look like on the emulator, for the header lane's tests: every rule
//! with its priority, tags and a readable summary of what it matches and where it forwards, on
//! an ALB or a VPC Lattice listener alike; and a rule of someone else's to put in the way.

use canary_deploy::aws::Clients;
use canary_deploy::core::lane::LANE_TAG;
use canary_deploy::traffic::RouteRouter;
use std::collections::BTreeMap;

/// One live rule (the default rule left out).
#[derive(Clone, Debug, PartialEq)]
pub struct LiveRule {
    pub arn: String,
    pub priority: u32,
    pub tags: BTreeMap<String, String>,
    /// `Debug` of its conditions (ALB) or match (Lattice).
    pub matches: String,
    /// The target groups it forwards to (ARNs or ids), with their weights.
    pub forwards: Vec<(String, i64)>,
}

impl LiveRule {
    pub fn is_lane(&self) -> bool {
        self.tags.contains_key(LANE_TAG)
    }
}

/// Every rule of the route's listener, by priority.
pub async fn rules(clients: &Clients, router: &RouteRouter) -> Vec<LiveRule> {
    let mut out = match router {
        RouteRouter::Alb(r) => alb_rules(clients, &r.resolved().listener_arn).await,
        RouteRouter::Lattice(r) => {
            let r = r.resolved();
            lattice_rules(clients, &r.service.id, &r.listener.id).await
        }
        RouteRouter::LambdaAlias(_) => Vec::new(),
    };
    out.sort_by_key(|r| r.priority);
    out
}

/// The rules carrying the lane tag.
pub async fn lane_rules(clients: &Clients, router: &RouteRouter) -> Vec<LiveRule> {
    rules(clients, router)
        .await
        .into_iter()
        .filter(LiveRule::is_lane)
        .collect()
}

async fn alb_rules(clients: &Clients, listener_arn: &str) -> Vec<LiveRule> {
    let out = clients
        .elbv2
        .describe_rules()
        .listener_arn(listener_arn)
        .send()
        .await
        .expect("DescribeRules");
    let mut rules = Vec::new();
    for rule in out.rules.unwrap_or_default() {
        let Some(priority) = rule.priority.as_deref().and_then(|p| p.parse().ok()) else {
            continue;
        };
        let arn = rule.rule_arn.clone().expect("rule arn");
        let tags = clients
            .elbv2
            .describe_tags()
            .resource_arns(&arn)
            .send()
            .await
            .expect("DescribeTags");
        let tags = tags
            .tag_descriptions
            .unwrap_or_default()
            .into_iter()
            .flat_map(|d| d.tags.unwrap_or_default())
            .map(|t| (t.key.unwrap_or_default(), t.value.unwrap_or_default()))
            .collect();
        let forwards = rule
            .actions
            .iter()
            .flatten()
            .filter_map(|a| a.forward_config.as_ref())
            .flat_map(|f| f.target_groups.clone().unwrap_or_default())
            .map(|t| {
                (
                    t.target_group_arn.unwrap_or_default(),
                    i64::from(t.weight.unwrap_or(1)),
                )
            })
            .collect();
        rules.push(LiveRule {
            arn,
            priority,
            tags,
            matches: format!("{:?}", rule.conditions.unwrap_or_default()),
            forwards,
        });
    }
    rules
}

async fn lattice_rules(clients: &Clients, service: &str, listener: &str) -> Vec<LiveRule> {
    let out = clients
        .lattice
        .list_rules()
        .service_identifier(service)
        .listener_identifier(listener)
        .send()
        .await
        .expect("ListRules");
    let mut rules = Vec::new();
    for summary in out.items {
        if summary.is_default == Some(true) {
            continue;
        }
        let arn = summary.arn.clone().expect("rule arn");
        let rule = clients
            .lattice
            .get_rule()
            .service_identifier(service)
            .listener_identifier(listener)
            .rule_identifier(summary.id.clone().expect("rule id"))
            .send()
            .await
            .expect("GetRule");
        let tags = clients
            .lattice
            .list_tags_for_resource()
            .resource_arn(&arn)
            .send()
            .await
            .expect("ListTagsForResource")
            .tags
            .unwrap_or_default()
            .into_iter()
            .collect();
        let forwards = match &rule.action {
            Some(aws_sdk_vpclattice::types::RuleAction::Forward(f)) => f
                .target_groups
                .iter()
                .map(|g| {
                    (
                        g.target_group_identifier.clone(),
                        i64::from(g.weight.unwrap_or(1)),
                    )
                })
                .collect(),
            _ => Vec::new(),
        };
        rules.push(LiveRule {
            arn,
            priority: u32::try_from(rule.priority.unwrap_or(0)).unwrap_or(0),
            tags,
            matches: format!("{:?}", rule.r#match),
            forwards,
        });
    }
    rules
}

/// A rule of someone else's on the route's listener at `priority`, forwarding to the route's
/// stable target group; tagged `tags` (e.g. a forged lane tag). Returns its ARN.
pub async fn foreign_rule(
    clients: &Clients,
    router: &RouteRouter,
    priority: u32,
    tags: &[(&str, &str)],
) -> String {
    match router {
        RouteRouter::Alb(r) => {
            use aws_sdk_elasticloadbalancingv2::types::{
                Action, ActionTypeEnum, PathPatternConditionConfig, RuleCondition, Tag,
            };
            let r = r.resolved();
            let condition = RuleCondition::builder()
                .field("path-pattern")
                .path_pattern_config(
                    PathPatternConditionConfig::builder()
                        .values(format!("/other-{priority}/*"))
                        .build(),
                )
                .build();
            let action = Action::builder()
                .r#type(ActionTypeEnum::Forward)
                .target_group_arn(&r.stable_arn)
                .build();
            let tags = tags
                .iter()
                .map(|(k, v)| Tag::builder().key(*k).value(*v).build())
                .collect();
            let out = clients
                .elbv2
                .create_rule()
                .listener_arn(&r.listener_arn)
                .priority(i32::try_from(priority).expect("priority"))
                .conditions(condition)
                .actions(action)
                .set_tags(Some(tags))
                .send()
                .await
                .expect("CreateRule");
            out.rules.unwrap_or_default()[0]
                .rule_arn
                .clone()
                .expect("arn")
        }
        RouteRouter::Lattice(r) => {
            use aws_sdk_vpclattice::types::{
                ForwardAction, HttpMatch, PathMatch, PathMatchType, RuleAction, RuleMatch,
                WeightedTargetGroup,
            };
            let r = r.resolved();
            let path = PathMatch::builder()
                .r#match(PathMatchType::Prefix(format!("/other-{priority}")))
                .build();
            let stable = WeightedTargetGroup::builder()
                .target_group_identifier(&r.stable.id)
                .weight(100)
                .build()
                .expect("group");
            let mut create = clients
                .lattice
                .create_rule()
                .service_identifier(&r.service.id)
                .listener_identifier(&r.listener.id)
                .name(format!("someone-else-{priority}"))
                .priority(i32::try_from(priority).expect("priority"))
                .r#match(RuleMatch::HttpMatch(
                    HttpMatch::builder().path_match(path).build(),
                ))
                .action(RuleAction::Forward(
                    ForwardAction::builder()
                        .target_groups(stable)
                        .build()
                        .expect("forward"),
                ));
            for (k, v) in tags {
                create = create.tags(*k, *v);
            }
            create.send().await.expect("CreateRule").arn.expect("arn")
        }
        RouteRouter::LambdaAlias(_) => panic!("a Lambda alias has no rules"),
    }
}

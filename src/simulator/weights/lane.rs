//! Where the header lane's requests go: the target group a rule tagged `canary-deploy:lane` on
//! the route's listener forwards to, as the load balancer would send the requests that carry
//! the lane's header (`traffic-sim --lane-rps`). `None` while no such rule exists: those
//! requests then match the route itself and are split by its weights like the others.
//!
//! ALB: DescribeRules of the listener, DescribeTags of its rules (20 ARNs a call). Lattice:
//! ListRules of the listener, ListTagsForResource and GetRule of each rule. A small read of the
//! simulator's own, each second; the keys are [`crate::simulator::target::Target::key`]'s (an ALB target
//! group ARN, a Lattice `tg-…` id).

use crate::core::lane::LANE_TAG;
use crate::simulator::SimulatorError;
use crate::traffic::alb::arn as alb_arn;
use crate::traffic::lattice::arn::ServicePath;
use aws_sdk_vpclattice::error::DisplayErrorContext;
use aws_sdk_vpclattice::types::RuleAction;

fn call(
    service: &'static str,
    operation: &'static str,
    e: impl std::error::Error,
) -> SimulatorError {
    SimulatorError::Call {
        service,
        operation,
        message: DisplayErrorContext(e).to_string(),
    }
}

/// The lane's target on the ALB listener of `route_arn` (a rule or listener ARN).
pub async fn alb_lane_target(
    client: &aws_sdk_elasticloadbalancingv2::Client,
    route_arn: &str,
) -> Result<Option<String>, SimulatorError> {
    let Some(listener) = alb_arn::listener_arn(route_arn) else {
        return Ok(None);
    };
    let rules = client
        .describe_rules()
        .listener_arn(&listener)
        .send()
        .await
        .map_err(|e| call("elbv2", "DescribeRules", e))?
        .rules
        .unwrap_or_default();
    let arns: Vec<String> = rules
        .iter()
        .filter(|r| r.is_default != Some(true))
        .filter_map(|r| r.rule_arn.clone())
        .collect();
    for chunk in arns.chunks(20) {
        let tagged = client
            .describe_tags()
            .set_resource_arns(Some(chunk.to_vec()))
            .send()
            .await
            .map_err(|e| call("elbv2", "DescribeTags", e))?;
        let lane = tagged
            .tag_descriptions
            .unwrap_or_default()
            .into_iter()
            .find(|d| {
                d.tags
                    .iter()
                    .flatten()
                    .any(|t| t.key.as_deref() == Some(LANE_TAG))
            });
        let Some(arn) = lane.and_then(|d| d.resource_arn) else {
            continue;
        };
        let rule = rules.iter().find(|r| r.rule_arn.as_deref() == Some(&arn));
        let target = rule.and_then(|r| {
            r.actions.iter().flatten().find_map(|a| {
                let listed = a
                    .forward_config
                    .as_ref()
                    .and_then(|f| f.target_groups.as_ref());
                listed
                    .and_then(|groups| groups.iter().find_map(|g| g.target_group_arn.clone()))
                    .or_else(|| a.target_group_arn.clone())
            })
        });
        return Ok(target);
    }
    Ok(None)
}

/// The lane's target on the Lattice listener of `route_arn` (a rule or listener ARN).
pub async fn lattice_lane_target(
    client: &aws_sdk_vpclattice::Client,
    route_arn: &str,
) -> Result<Option<String>, SimulatorError> {
    let Some(path) = ServicePath::parse(route_arn) else {
        return Ok(None);
    };
    let Some(listener) = path.listener_id else {
        return Ok(None);
    };
    let service = path.service_id;
    let rules = client
        .list_rules()
        .service_identifier(service)
        .listener_identifier(listener)
        .send()
        .await
        .map_err(|e| call("vpc-lattice", "ListRules", e))?
        .items;
    for rule in rules.iter().filter(|r| r.is_default != Some(true)) {
        let Some(arn) = rule.arn.as_deref() else {
            continue;
        };
        let tags = client
            .list_tags_for_resource()
            .resource_arn(arn)
            .send()
            .await
            .map_err(|e| call("vpc-lattice", "ListTagsForResource", e))?;
        if !tags.tags.unwrap_or_default().contains_key(LANE_TAG) {
            continue;
        }
        let got = client
            .get_rule()
            .service_identifier(service)
            .listener_identifier(listener)
            .rule_identifier(arn)
            .send()
            .await
            .map_err(|e| call("vpc-lattice", "GetRule", e))?;
        return Ok(match got.action {
            Some(RuleAction::Forward(f)) => f.target_groups.first().map(|g| {
                let id = g.target_group_identifier();
                crate::traffic::lattice::arn::id_of(id)
                    .unwrap_or(id)
                    .to_string()
            }),
            _ => None,
        });
    }
    Ok(None)
}

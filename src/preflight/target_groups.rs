//! `target-groups`: both target groups exist and belong to the route's load balancer (ALB: not
//! attached to another one, and in its VPC for instance and ip targets) or, on VPC Lattice, are
//! routed to by no other service than the route's. Resolution already refused a missing or
//! foreign ALB target group; this re-reads them, and adds what resolution does not look at.

use super::gather::{Group, Owner, RouteFacts};
use super::{PreflightCheck, TARGET_GROUPS};

pub fn check(facts: &RouteFacts) -> PreflightCheck {
    let problems: Vec<String> = facts
        .groups
        .iter()
        .filter_map(|group| problem(group, &facts.owner))
        .collect();
    if !problems.is_empty() {
        return PreflightCheck::fail(TARGET_GROUPS, problems.join("; "));
    }
    let owner = match &facts.owner {
        Owner::LoadBalancer { arn, .. } => format!("load balancer {arn}"),
        Owner::Service { label, .. } => format!("service {label}"),
    };
    let names: Vec<String> = facts.groups.iter().map(Group::shown).collect();
    PreflightCheck::pass(
        TARGET_GROUPS,
        format!("{} exist and belong to {owner}", names.join(" and ")),
    )
}

fn problem(group: &Group, owner: &Owner) -> Option<String> {
    let info = match &group.info {
        Ok(info) => info,
        Err(why) => return Some(format!("{} ({}): {why}", group.shown(), group.arn)),
    };
    let foreign = |owner_arn: &str| {
        !info.attached_to.is_empty() && !info.attached_to.iter().any(|a| a == owner_arn)
    };
    match owner {
        Owner::LoadBalancer { arn, vpc } => {
            if foreign(arn) {
                return Some(format!(
                    "{} is attached to {} and not to the route's load balancer {arn}; give the \
                     route a target group of its own load balancer",
                    group.shown(),
                    info.attached_to.join(", ")
                ));
            }
            match (&info.vpc, vpc) {
                (Some(group_vpc), Some(lb_vpc)) if !info.lambda && group_vpc != lb_vpc => {
                    Some(format!(
                        "{} is in {group_vpc} but the load balancer is in {lb_vpc}; an ALB \
                         forwards only to target groups of its own VPC: give the route a target \
                         group created in {lb_vpc}",
                        group.shown()
                    ))
                }
                _ => None,
            }
        }
        Owner::Service { arn, .. } => foreign(arn).then(|| {
            format!(
                "{} is routed to by service {} and not by the route's service {arn}; give \
                 the route a target group that no other service routes to",
                group.shown(),
                info.attached_to.join(", ")
            )
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::preflight::gather::{GroupInfo, Role};
    use crate::preflight::Outcome;

    fn group(role: Role, attached: &[&str], vpc: Option<&str>) -> Group {
        Group {
            role,
            arn: format!("arn:tg/{}", role.word()),
            label: role.word().to_string(),
            info: Ok(GroupInfo {
                lambda: false,
                attached_to: attached.iter().map(|s| s.to_string()).collect(),
                vpc: vpc.map(str::to_string),
                health_checks: true,
            }),
            targets: Ok(Vec::new()),
        }
    }

    fn alb(groups: Vec<Group>) -> RouteFacts {
        RouteFacts {
            owner: Owner::LoadBalancer {
                arn: "arn:lb".into(),
                vpc: Some("vpc-1".into()),
            },
            groups,
            invoker: "elasticloadbalancing.amazonaws.com",
        }
    }

    #[test]
    fn groups_attached_to_the_route_or_to_nothing_pass() {
        let facts = alb(vec![
            group(Role::Stable, &["arn:lb"], Some("vpc-1")),
            group(Role::Canary, &[], Some("vpc-1")),
        ]);
        let check = check(&facts);
        assert_eq!(check.outcome, Outcome::Pass, "{}", check.message);
        assert_eq!(
            check.message,
            "stable target group stable and canary target group canary exist and belong to \
             load balancer arn:lb"
        );
    }

    #[test]
    fn another_load_balancer_or_vpc_fails_naming_both() {
        let facts = alb(vec![
            group(Role::Stable, &["arn:other"], Some("vpc-1")),
            group(Role::Canary, &[], Some("vpc-2")),
        ]);
        let check = check(&facts);
        assert_eq!(check.outcome, Outcome::Fail);
        assert!(check
            .message
            .contains("stable target group stable is attached to arn:other"));
        assert!(check.message.contains(
            "canary target group canary is in vpc-2 but the load \
                                        balancer is in vpc-1"
        ));
    }

    #[test]
    fn a_missing_group_fails_with_the_call_error() {
        let mut canary = group(Role::Canary, &[], None);
        canary.info = Err("DescribeTargetGroups failed: TargetGroupNotFound".into());
        let check = check(&alb(vec![group(Role::Stable, &[], None), canary]));
        assert_eq!(
            check.message,
            "canary target group canary (arn:tg/canary): DescribeTargetGroups failed: \
             TargetGroupNotFound"
        );
    }

    #[test]
    fn a_lattice_group_of_another_service_fails() {
        let facts = RouteFacts {
            owner: Owner::Service {
                arn: "arn:svc-1".into(),
                label: "demo".into(),
            },
            groups: vec![group(Role::Canary, &["arn:svc-2"], None)],
            invoker: "vpc-lattice.amazonaws.com",
        };
        let check = check(&facts);
        assert!(
            check.message.contains(
                "routed to by service arn:svc-2 and not by the route's service arn:svc-1; give \
                 the route a target group that no other service routes to"
            ),
            "{}",
            check.message
        );
    }
}

//! The grants of each backend's route: the calls of resolution, read and write (and of the
//! record in tags), each on the resource IAM authorizes it against. See the module doc of
//! [`crate::iam`] for the calls and the Service Authorization Reference.

use super::Grant;
use crate::arn::Arn;
use crate::core::plan::{AlbRoute, AlbTarget, LatticeRef, LatticeRoute, TargetGroupRef};
use crate::traffic::lattice::arn::ServicePath;
use crate::traffic::{ResolvedAlb, ResolvedLattice};

/// A route's grants, its record's grants (tags), and the region and account its other
/// resources (alarms, Lambda functions) are in, as far as the route's ARNs say.
pub(super) struct RouteGrants {
    pub grants: Vec<Grant>,
    pub record: Vec<Grant>,
    pub scope: Scope,
}

pub(super) fn grant(sid: &'static str, action: &str, resource: &str) -> Grant {
    Grant {
        sid,
        action: action.to_string(),
        resource: resource.to_string(),
    }
}

/// The partition, region and account of a route (`*` where no ARN of it says).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Scope {
    partition: String,
    region: String,
    account: String,
}

impl Scope {
    /// From the first of `arns` that names a region and an account.
    pub fn of(arns: &[&str]) -> Scope {
        for arn in arns {
            if let Some(parsed) = Arn::parse(arn) {
                if !parsed.region.is_empty() && !parsed.account.is_empty() {
                    return Scope {
                        partition: parsed.partition.to_string(),
                        region: parsed.region.to_string(),
                        account: parsed.account.to_string(),
                    };
                }
            }
        }
        Scope {
            partition: "aws".into(),
            region: "*".into(),
            account: "*".into(),
        }
    }

    /// `arn:PARTITION:SERVICE:REGION:ACCOUNT:`.
    pub fn prefix(&self, service: &str) -> String {
        format!(
            "arn:{}:{service}:{}:{}:",
            self.partition, self.region, self.account
        )
    }
}

/// An ALB route. Describe* have no resource-level permissions: `*`.
pub(super) fn alb(route: &AlbRoute, resolved: Option<&ResolvedAlb>) -> RouteGrants {
    let elb = |action: &str| format!("elasticloadbalancing:{action}");
    // Preflight (`run`, `advance` and `plan` before a deployment starts) describes the load
    // balancer by ARN and the target groups' health.
    let mut grants = vec![
        grant("ResolveRoute", &elb("DescribeTargetGroups"), "*"),
        grant("Preflight", &elb("DescribeLoadBalancers"), "*"),
        grant("Preflight", &elb("DescribeTargetHealth"), "*"),
    ];
    let by_name = matches!(
        route.target,
        AlbTarget::Listener { .. } | AlbTarget::Rule { .. }
    );
    if by_name {
        grants.push(grant("ResolveRoute", &elb("DescribeLoadBalancers"), "*"));
    }
    // The routed resource: exact when resolved or given by ARN, else a pattern by the load
    // balancer's name (`listener/app/NAME/LB-ID/LISTENER-ID`, `listener-rule/app/NAME/…/RULE-ID`).
    let pattern =
        |kind: &str, lb: &str| format!("arn:aws:elasticloadbalancing:*:*:{kind}/app/{lb}/*");
    let (rule, listener) = match (resolved, &route.target) {
        (Some(resolved), _) => (resolved.rule_arn.clone(), resolved.listener_arn.clone()),
        (None, AlbTarget::RuleArn(arn)) => (Some(arn.to_string()), String::new()),
        (None, AlbTarget::ListenerArn(arn)) => (None, arn.to_string()),
        (None, AlbTarget::Rule { load_balancer, .. }) => {
            (Some(pattern("listener-rule", load_balancer)), String::new())
        }
        (None, AlbTarget::Listener { load_balancer, .. }) => {
            (None, pattern("listener", load_balancer))
        }
    };
    // A rule is resolved with DescribeRules even when it turns out to be the default rule.
    let names_a_rule = matches!(route.target, AlbTarget::RuleArn(_) | AlbTarget::Rule { .. });
    if names_a_rule || rule.is_some() {
        grants.push(grant("ResolveRoute", &elb("DescribeRules"), "*"));
    }
    // A listener is read (its default action), found by port, or described by ARN.
    if rule.is_none() || matches!(route.target, AlbTarget::Rule { .. }) {
        grants.push(grant("ResolveRoute", &elb("DescribeListeners"), "*"));
    }
    let (write, resource) = match &rule {
        Some(rule) => ("ModifyRule", rule.clone()),
        None => ("ModifyListener", listener.clone()),
    };
    grants.push(grant("WriteWeights", &elb(write), &resource));
    let record = vec![
        grant("ReadDeploymentRecord", &elb("DescribeTags"), "*"),
        grant("WriteDeploymentRecord", &elb("AddTags"), &resource),
        grant("WriteDeploymentRecord", &elb("RemoveTags"), &resource),
    ];
    let mut arns = vec![resource.as_str()];
    for tg in [&route.stable, &route.canary] {
        if let TargetGroupRef::Arn(arn) = tg {
            arns.push(arn.as_str());
        }
    }
    RouteGrants {
        grants,
        record,
        scope: Scope::of(&arns),
    }
}

/// The ids (or `*`) of a Lattice route's service, listener and rule, from what the playbook
/// wrote (ARNs name their parents) or from the resolved route.
struct LatticeIds {
    prefix: String,
    service: String,
    listener: String,
    rule: Option<String>,
}

impl LatticeIds {
    fn new(route: &LatticeRoute, resolved: Option<&ResolvedLattice>) -> LatticeIds {
        let mut arns: Vec<&str> = Vec::new();
        if let Some(resolved) = resolved {
            arns.extend(resolved.rule.as_ref().map(|rule| rule.arn.as_str()));
            arns.push(&resolved.listener.arn);
        }
        for reference in [&route.rule, &route.listener, &route.service]
            .into_iter()
            .flatten()
        {
            if let LatticeRef::Arn(arn) = reference {
                arns.push(arn.as_str());
            }
        }
        let paths: Vec<ServicePath> = arns.iter().filter_map(|a| ServicePath::parse(a)).collect();
        let id = |reference: Option<&LatticeRef>, from_path: Option<&str>| match (
            reference, from_path,
        ) {
            (_, Some(id)) => id.to_string(),
            (Some(LatticeRef::Id(id)), None) => id.clone(),
            _ => "*".to_string(),
        };
        let service = id(route.service.as_ref(), paths.first().map(|p| p.service_id));
        let listener = id(
            route.listener.as_ref(),
            paths.iter().find_map(|p| p.listener_id),
        );
        let rule = match (resolved, &route.rule) {
            (Some(resolved), _) => resolved.rule.as_ref().map(|rule| rule.id.clone()),
            (None, Some(reference)) => {
                Some(id(Some(reference), paths.iter().find_map(|p| p.rule_id)))
            }
            (None, None) => None,
        };
        let prefix = match arns.first().and_then(|arn| Arn::parse(arn)) {
            Some(arn) => arn.prefix(),
            None => "arn:aws:vpc-lattice:*:*:".to_string(),
        };
        LatticeIds {
            prefix,
            service,
            listener,
            rule,
        }
    }

    fn service_arn(&self) -> String {
        format!("{}service/{}", self.prefix, self.service)
    }

    fn listener_arn(&self) -> String {
        format!("{}/listener/{}", self.service_arn(), self.listener)
    }

    fn rule_arn(&self, rule: &str) -> String {
        format!("{}/rule/{rule}", self.listener_arn())
    }
}

/// A VPC Lattice route. List* and ListTagsForResource have no resource-level permissions.
pub(super) fn lattice(route: &LatticeRoute, resolved: Option<&ResolvedLattice>) -> RouteGrants {
    let vpc = |action: &str| format!("vpc-lattice:{action}");
    let ids = LatticeIds::new(route, resolved);
    let mut grants = Vec::new();
    let named = |r: Option<&LatticeRef>| matches!(r, Some(LatticeRef::Name(_)));
    let given = |r: Option<&LatticeRef>| matches!(r, Some(LatticeRef::Id(_) | LatticeRef::Arn(_)));
    if named(route.service.as_ref()) {
        grants.push(grant("ResolveRoute", &vpc("ListServices"), "*"));
    } else if given(route.service.as_ref()) {
        grants.push(grant("ReadService", &vpc("GetService"), &ids.service_arn()));
    }
    if named(route.listener.as_ref()) {
        grants.push(grant("ResolveRoute", &vpc("ListListeners"), "*"));
    }
    if named(route.rule.as_ref()) {
        grants.push(grant("ResolveRoute", &vpc("ListRules"), "*"));
    }
    // A rule the playbook names is got once in resolution, even if it is the default rule
    // (which is then written as the listener, and whose ARN resolution does not keep).
    if route.rule.is_some() {
        let rule = ids.rule.clone().unwrap_or_else(|| "*".to_string());
        grants.push(grant("ReadRule", &vpc("GetRule"), &ids.rule_arn(&rule)));
    }
    let reads_listener = ids.rule.is_none() || given(route.listener.as_ref());
    if reads_listener {
        grants.push(grant(
            "ReadListener",
            &vpc("GetListener"),
            &ids.listener_arn(),
        ));
    }
    // Resolution gets a target group given by id or ARN; preflight gets both and lists their
    // targets (by id: the ARN, exact once resolved).
    let resolved_tgs = resolved.map(|r| [r.stable.arn.clone(), r.canary.arn.clone()]);
    for (index, tg) in [&route.stable, &route.canary].into_iter().enumerate() {
        let arn = match (tg, &resolved_tgs) {
            (LatticeRef::Name(_), _) => {
                grants.push(grant("ResolveRoute", &vpc("ListTargetGroups"), "*"));
                match &resolved_tgs {
                    Some(arns) => arns[index].clone(),
                    None => format!("{}targetgroup/*", ids.prefix),
                }
            }
            (LatticeRef::Arn(arn), _) => arn.to_string(),
            (LatticeRef::Id(id), _) => format!("{}targetgroup/{id}", ids.prefix),
        };
        grants.push(grant("ReadTargetGroups", &vpc("GetTargetGroup"), &arn));
        grants.push(grant("ReadTargetGroups", &vpc("ListTargets"), &arn));
    }
    let (write, resource) = match &ids.rule {
        Some(rule) => ("UpdateRule", ids.rule_arn(rule)),
        None => ("UpdateListener", ids.listener_arn()),
    };
    grants.push(grant("WriteWeights", &vpc(write), &resource));
    let record = vec![
        grant("ReadDeploymentRecord", &vpc("ListTagsForResource"), "*"),
        grant("WriteDeploymentRecord", &vpc("TagResource"), &resource),
        grant("WriteDeploymentRecord", &vpc("UntagResource"), &resource),
    ];
    RouteGrants {
        grants,
        record,
        scope: Scope::of(&[&resource]),
    }
}

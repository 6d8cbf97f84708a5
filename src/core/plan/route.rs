//! Where a plan shifts the traffic: the route of each backend, as the user wrote it (by ARN,
//! id or name). `traffic/` resolves it to ARNs once at start; the rest of the plan (steps,
//! checks, analysis) is the same for every backend, so the routes live apart from it.

use crate::arn::OwnedArn;
use serde::{Deserialize, Serialize};

/// Where the traffic is shifted. An exhaustive enum: a backend is never chosen by a string.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Route {
    Alb(AlbRoute),
    Lattice(LatticeRoute),
    LambdaAlias(LambdaAliasRoute),
}

impl Route {
    /// The ARNs the playbook wrote for this route, in the order written.
    pub fn arns(&self) -> Vec<OwnedArn> {
        match self {
            Route::Alb(route) => {
                let mut arns = Vec::new();
                if let AlbTarget::ListenerArn(arn) | AlbTarget::RuleArn(arn) = &route.target {
                    arns.push(arn.clone());
                }
                for group in [&route.stable, &route.canary] {
                    if let TargetGroupRef::Arn(arn) = group {
                        arns.push(arn.clone());
                    }
                }
                arns
            }
            Route::Lattice(route) => [
                route.service.as_ref(),
                route.listener.as_ref(),
                route.rule.as_ref(),
                Some(&route.stable),
                Some(&route.canary),
            ]
            .into_iter()
            .flatten()
            .filter_map(|reference| match reference {
                LatticeRef::Arn(arn) => Some(arn.clone()),
                LatticeRef::Id(_) | LatticeRef::Name(_) => None,
            })
            .collect(),
            Route::LambdaAlias(route) => OwnedArn::parse(&route.function).into_iter().collect(),
        }
    }
}

/// A Lambda alias whose routing config sends a share of invocations to a second version.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LambdaAliasRoute {
    /// The function, by name or (unqualified) ARN.
    pub function: String,
    /// The alias callers invoke, e.g. `live`.
    pub alias: String,
    /// The published version that receives the canary's share (never `$LATEST`).
    pub canary_version: String,
    /// The version the alias serves today; `None`: whatever the alias's FunctionVersion is at
    /// the start (read once and kept in the record).
    pub stable_version: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AlbRoute {
    pub target: AlbTarget,
    pub stable: TargetGroupRef,
    pub canary: TargetGroupRef,
}

/// The ALB resource whose forward action carries the weights.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum AlbTarget {
    /// A listener's default action, by listener ARN.
    ListenerArn(OwnedArn),
    /// A listener's default action, by load balancer name and listener port.
    Listener { load_balancer: String, port: u16 },
    /// A listener rule, by rule ARN.
    RuleArn(OwnedArn),
    /// A listener rule, by load balancer name, listener port and rule priority.
    Rule {
        load_balancer: String,
        port: u16,
        priority: u32,
    },
}

/// A VPC Lattice listener's default action or one of its rules, and the two target groups.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LatticeRoute {
    /// `None` only when `listener` or `rule` is an ARN (an ARN names its service).
    pub service: Option<LatticeRef>,
    /// `None` only when `rule` is an ARN.
    pub listener: Option<LatticeRef>,
    /// `None`: the listener's default action carries the weights.
    pub rule: Option<LatticeRef>,
    pub stable: LatticeRef,
    pub canary: LatticeRef,
}

/// A VPC Lattice service, listener, rule or target group as the playbook names it. The Lattice
/// API takes an id or an ARN as an identifier; a name is looked up with the List* calls.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum LatticeRef {
    Arn(OwnedArn),
    /// `svc-…`, `listener-…`, `rule-…` or `tg-…`
    Id(String),
    Name(String),
}

impl LatticeRef {
    /// The identifier as written (ARN, id or name).
    pub fn as_str(&self) -> &str {
        match self {
            LatticeRef::Arn(arn) => arn.as_str(),
            LatticeRef::Id(s) | LatticeRef::Name(s) => s,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum TargetGroupRef {
    Arn(OwnedArn),
    Name(String),
}

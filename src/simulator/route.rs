//! The route the simulator follows, of any backend: its weights, where its metrics go, and
//! which target groups (a Lambda alias: versions) belong to it.
//!
//! One enum so the `traffic-sim` loop is the same for every backend; each read takes only the
//! client of its own backend out of [`Clients`].

use super::target::{Target, TargetKind};
use super::weights::lambda::{read_lambda_alias_weights, LambdaAliasRef};
use super::weights::lattice::{read_lattice_weights, LatticeRouteRef};
use super::weights::{read_weights, RouteRef};
use super::{SimBackend, SimulatorError};
use crate::aws::Clients;
use crate::traffic::alb::arn;

/// An ALB rule or listener, a VPC Lattice rule or listener, or a Lambda alias.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SimRoute {
    Alb(RouteRef),
    Lattice(LatticeRouteRef),
    Lambda(LambdaAliasRef),
}

impl SimRoute {
    /// A VPC Lattice rule, after checking that `arn` is a rule ARN.
    pub fn lattice_rule(arn: &str) -> Result<SimRoute, SimulatorError> {
        SimRoute::lattice(LatticeRouteRef::Rule(arn.to_string()))
    }

    /// A VPC Lattice listener, after checking that `arn` is a listener ARN.
    pub fn lattice_listener(arn: &str) -> Result<SimRoute, SimulatorError> {
        SimRoute::lattice(LatticeRouteRef::Listener(arn.to_string()))
    }

    /// A Lambda alias, after checking that `arn` is an alias ARN.
    pub fn lambda_alias(arn: &str) -> Result<SimRoute, SimulatorError> {
        LambdaAliasRef::parse(arn).map(SimRoute::Lambda)
    }

    fn lattice(route: LatticeRouteRef) -> Result<SimRoute, SimulatorError> {
        route.path()?;
        Ok(SimRoute::Lattice(route))
    }

    pub fn arn(&self) -> &str {
        match self {
            SimRoute::Alb(route) => route.arn(),
            SimRoute::Lattice(route) => route.arn(),
            SimRoute::Lambda(alias) => alias.arn(),
        }
    }

    /// The backend whose target groups the route forwards to.
    pub fn kind(&self) -> TargetKind {
        match self {
            SimRoute::Alb(_) => TargetKind::Alb,
            SimRoute::Lattice(_) => TargetKind::Lattice,
            SimRoute::Lambda(_) => TargetKind::Lambda,
        }
    }

    /// Where the route's metrics go. An ALB route needs its load balancer's `app/<name>/<id>`:
    /// `load_balancer_dimension` when given, else derived from the rule or listener ARN of an
    /// application load balancer; `None` when it cannot be (a network load balancer, a bad ARN).
    pub fn backend(&self, load_balancer_dimension: Option<&str>) -> Option<SimBackend> {
        match self {
            SimRoute::Lattice(_) => Some(SimBackend::Lattice),
            SimRoute::Lambda(alias) => Some(SimBackend::Lambda {
                function_name: alias.function_name().to_string(),
                alias: alias.alias().to_string(),
            }),
            SimRoute::Alb(route) => {
                let dimension = match load_balancer_dimension {
                    Some(given) => given.to_string(),
                    None => alb_load_balancer_dimension(route.arn())?,
                };
                Some(SimBackend::Alb {
                    load_balancer_dimension: dimension,
                })
            }
        }
    }

    /// The first target that is not a target group of the route's backend.
    pub fn foreign_target<'a>(&self, targets: &'a [Target]) -> Option<&'a Target> {
        targets.iter().find(|t| t.kind != self.kind())
    }

    /// `(target group, weight)` of the route's forward action, keyed as [`Target::key`]: the
    /// ARN for ALB, the `tg-…` id for Lattice; for a Lambda alias `(version, parts per
    /// million)`.
    pub async fn read_weights(
        &self,
        clients: &Clients,
    ) -> Result<Vec<(String, u32)>, SimulatorError> {
        match self {
            SimRoute::Alb(route) => read_weights(&clients.elbv2, route).await,
            SimRoute::Lattice(route) => read_lattice_weights(&clients.lattice, route).await,
            SimRoute::Lambda(alias) => read_lambda_alias_weights(&clients.lambda, alias).await,
        }
    }

    /// The target group the header lane's rule on this route's listener forwards to (keyed as
    /// [`Self::read_weights`]), while there is one; never for a Lambda alias.
    pub async fn lane_target(&self, clients: &Clients) -> Result<Option<String>, SimulatorError> {
        match self {
            SimRoute::Alb(route) => {
                super::weights::lane::alb_lane_target(&clients.elbv2, route.arn()).await
            }
            SimRoute::Lattice(route) => {
                super::weights::lane::lattice_lane_target(&clients.lattice, route.arn()).await
            }
            SimRoute::Lambda(_) => Ok(None),
        }
    }
}

/// CloudWatch's `LoadBalancer` dimension, `app/<name>/<id>`, of the application load balancer a
/// rule or listener ARN belongs to; `None` for anything else (a network load balancer too).
pub fn alb_load_balancer_dimension(route_arn: &str) -> Option<String> {
    arn::load_balancer_dimension(route_arn).filter(|_| arn::is_application(route_arn))
}

#[cfg(test)]
mod tests {
    use super::super::target::parse_target;
    use super::*;
    use crate::traffic::alb::arn::target_group_dimension;

    #[test]
    fn dimensions_come_from_arns() {
        let rule = "arn:aws:elasticloadbalancing:us-east-1:123456789012:listener-rule/app/web/50dc6c495c0c9188/f2f7dc8efc522ab2/9683b2d02a6cabee";
        let listener = "arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/web/50dc6c495c0c9188/f2f7dc8efc522ab2";
        let lb = "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/web/50dc6c495c0c9188";
        for arn in [rule, listener, lb] {
            assert_eq!(
                alb_load_balancer_dimension(arn).as_deref(),
                Some("app/web/50dc6c495c0c9188")
            );
        }
        let tg = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/green/943f017f100becff";
        assert_eq!(
            target_group_dimension(tg).as_deref(),
            Some("targetgroup/green/943f017f100becff")
        );
        assert_eq!(target_group_dimension(rule), None);
        assert_eq!(alb_load_balancer_dimension(tg), None);
        assert_eq!(alb_load_balancer_dimension("not-an-arn"), None);
        let nlb = "arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/net/x/1/2";
        assert_eq!(alb_load_balancer_dimension(nlb), None);
    }

    #[test]
    fn each_backend_publishes_where_its_checks_look() {
        let rule = "arn:aws:elasticloadbalancing:us-east-1:1:listener-rule/app/w/1/2/3";
        let alb = SimRoute::Alb(RouteRef::Rule(rule.into()));
        let derived = SimBackend::Alb {
            load_balancer_dimension: "app/w/1".into(),
        };
        assert_eq!(alb.backend(None), Some(derived));
        let nlb = SimRoute::Alb(RouteRef::Listener(
            "arn:aws:elasticloadbalancing:us-east-1:1:listener/net/x/1/2".into(),
        ));
        assert_eq!(nlb.backend(None), None);
        let given = SimBackend::Alb {
            load_balancer_dimension: "app/x/1".into(),
        };
        assert_eq!(nlb.backend(Some("app/x/1")), Some(given));
        let lattice = SimRoute::Lattice(LatticeRouteRef::Listener("arn".into()));
        assert_eq!(lattice.backend(None), Some(SimBackend::Lattice));
        let listener = "arn:aws:vpc-lattice:us-east-1:1:service/svc-0123456789abcdef0/listener/listener-0123456789abcdef1";
        assert!(SimRoute::lattice_listener(listener).is_ok());
        assert!(SimRoute::lattice_rule(listener).is_err());
        let alias = "arn:aws:lambda:us-east-1:1:function:checkout:live";
        let lambda = SimRoute::lambda_alias(alias).expect("an alias");
        let expected = SimBackend::Lambda {
            function_name: "checkout".into(),
            alias: "live".into(),
        };
        assert_eq!(lambda.backend(Some("app/x/1")), Some(expected));
        assert!(SimRoute::lambda_alias(listener).is_err());
    }

    #[test]
    fn targets_of_the_other_backend_are_foreign() {
        let alb_tg = "arn:aws:elasticloadbalancing:us-east-1:1:targetgroup/g/1=0,1,2";
        let lattice_tg = "tg-0123456789abcdef0=0,1,2";
        let targets: Vec<Target> = [alb_tg, lattice_tg]
            .iter()
            .map(|spec| parse_target(spec).expect("valid"))
            .collect();
        let alb = SimRoute::Alb(RouteRef::Listener("arn".into()));
        let lattice = SimRoute::Lattice(LatticeRouteRef::Rule("arn".into()));
        assert_eq!(alb.foreign_target(&targets), Some(&targets[1]));
        assert_eq!(lattice.foreign_target(&targets), Some(&targets[0]));
        assert_eq!(alb.foreign_target(&targets[..1]), None);
        assert_eq!(lattice.foreign_target(&targets[1..]), None);
    }
}

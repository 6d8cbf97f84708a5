//! The `traffic-sim` command line: the route flags (one of five, of three backends), the
//! `--target`s, the rate and the duration, checked together into a [`Session`] before any AWS
//! call.
//!
//! Here rather than in the binary so that the flags and every refusal (which names the flags
//! to fix) are unit-tested with the library; the binary only parses, sets up the clients and
//! runs the session.

use super::route::SimRoute;
use super::session::Session;
use super::target::{parse_target, Target};
use super::weights::lattice::LatticeRouteRef;
use super::weights::RouteRef;
use super::SimulatorError;
use crate::aws::AwsOptions;
use clap::{ArgGroup, Parser};
use std::time::Duration;

/// Longest run accepted: the simulator is always bounded.
const MAX_DURATION: Duration = Duration::from_secs(24 * 3600);

#[derive(Debug, Parser)]
#[command(
    name = "traffic-sim",
    version,
    about = "Publish simulated ALB, VPC Lattice or Lambda metrics for the local emulator, \
             following a route's live weights"
)]
#[command(group(ArgGroup::new("route").required(true).args([
    "rule_arn",
    "listener_arn",
    "lattice_rule_arn",
    "lattice_listener_arn",
    "lambda_alias_arn",
])))]
pub struct SimArgs {
    /// Endpoint of the emulator (otherwise AWS_ENDPOINT_URL or the real AWS).
    #[arg(long, env = "AWS_ENDPOINT_URL")]
    endpoint_url: Option<String>,
    #[arg(long, env = "AWS_REGION", default_value = "us-east-1")]
    region: String,
    /// ALB: the listener rule whose forward action carries the weights.
    #[arg(long, value_name = "ARN", value_parser = alb(RouteRef::Rule))]
    rule_arn: Option<SimRoute>,
    /// ALB: the listener whose default action carries the weights.
    #[arg(long, value_name = "ARN", value_parser = alb(RouteRef::Listener))]
    listener_arn: Option<SimRoute>,
    /// VPC Lattice: the listener rule whose forward action carries the weights.
    #[arg(long, value_name = "ARN", value_parser = SimRoute::lattice_rule)]
    lattice_rule_arn: Option<SimRoute>,
    /// VPC Lattice: the listener whose default action carries the weights.
    #[arg(long, value_name = "ARN", value_parser = SimRoute::lattice_listener)]
    lattice_listener_arn: Option<SimRoute>,
    /// Lambda: the alias whose routing config splits invocations between two versions
    /// (`arn:aws:lambda:REGION:ACCOUNT:function:NAME:ALIAS`).
    #[arg(long, value_name = "ARN", value_parser = SimRoute::lambda_alias)]
    lambda_alias_arn: Option<SimRoute>,
    /// ALB only: `app/<name>/<id>`; derived from the rule or listener ARN when omitted.
    #[arg(long, value_name = "app/NAME/ID")]
    #[arg(conflicts_with_all = ["lattice_rule_arn", "lattice_listener_arn", "lambda_alias_arn"])]
    load_balancer_dimension: Option<String>,
    /// `<target-group>=<error_rate>,<latency_ms>,<p99_ms>`, repeated for each target group.
    /// The target group is an ALB target group ARN for an ALB route
    /// (`arn:...:targetgroup/green/2=0.02,50,400`), a VPC Lattice target group ARN or id
    /// for a Lattice route (`tg-0123456789abcdef0=0.02,50,400`), and a version number for a
    /// Lambda alias (`2=0.05,130,320`). An optional fourth field says how the failed requests
    /// show: `error` (the default: 5XX, a Lambda version's `Errors`), `lambda-user-error` or
    /// `lambda-internal-error` (an ALB target group of Lambda functions), `throttle` (a Lambda
    /// version: throttled, in the alias's `Throttles`).
    #[arg(
        long = "target",
        value_name = "TARGET_GROUP=RATE,MS,P99_MS[,FAILURE]",
        required = true
    )]
    #[arg(value_parser = parse_target)]
    targets: Vec<Target>,
    /// Requests per second over the whole route.
    #[arg(long, default_value_t = 50)]
    rps: u64,
    /// Requests per second more that carry the header lane's header (`steps.header_lane`):
    /// they reach the target group of the lane's rule (the rule tagged `canary-deploy:lane`
    /// on the route's listener) while it exists, and are split with the others while not.
    #[arg(long, default_value_t = 0)]
    lane_rps: u64,
    /// How long to run (at most 24h).
    #[arg(long, default_value = "10m", value_parser = humantime::parse_duration)]
    duration: Duration,
}

impl SimArgs {
    /// How to reach the emulator (or AWS).
    pub fn aws_options(&self) -> AwsOptions {
        AwsOptions {
            endpoint_url: self.endpoint_url.clone(),
            region: Some(self.region.clone()),
            profile: None,
        }
    }

    /// The run these flags ask for: a bounded duration, one route, and `--target`s that all
    /// belong to it; a refusal names the flag to fix.
    pub fn session(&self) -> Result<Session, SimulatorError> {
        if self.duration > MAX_DURATION {
            return Err(SimulatorError::Usage(format!(
                "--duration {:?} is longer than 24h; run it again instead",
                self.duration
            )));
        }
        let route = self.route()?;
        if let Some(target) = route.foreign_target(&self.targets) {
            return Err(SimulatorError::Usage(format!(
                "--target {}: {} target group, but {} is {} route; pass {}",
                target.identifier,
                target.kind.describe(),
                flag(&route),
                route.kind().describe(),
                route.kind().expected(),
            )));
        }
        let backend = route
            .backend(self.load_balancer_dimension.as_deref())
            .ok_or_else(|| {
                SimulatorError::Usage(format!(
                    "cannot derive the load balancer from {} {}; pass \
                     --load-balancer-dimension app/NAME/ID",
                    flag(&route),
                    route.arn()
                ))
            })?;
        Ok(Session {
            route,
            backend,
            targets: self.targets.clone(),
            rps: self.rps,
            lane_rps: self.lane_rps,
            duration: self.duration,
        })
    }

    /// The route of the one route flag given (clap's `route` group allows exactly one).
    fn route(&self) -> Result<SimRoute, SimulatorError> {
        let flags = [
            &self.rule_arn,
            &self.listener_arn,
            &self.lattice_rule_arn,
            &self.lattice_listener_arn,
            &self.lambda_alias_arn,
        ];
        let mut given = flags.into_iter().flatten();
        match (given.next(), given.next()) {
            (Some(route), None) => Ok(route.clone()),
            _ => Err(SimulatorError::Usage(
                "pass exactly one of --rule-arn, --listener-arn, --lattice-rule-arn, \
                 --lattice-listener-arn, --lambda-alias-arn"
                    .to_string(),
            )),
        }
    }
}

/// An ALB route flag: any string (a bad ARN fails the first read, naming it).
fn alb(kind: fn(String) -> RouteRef) -> impl Fn(&str) -> Result<SimRoute, SimulatorError> + Clone {
    move |arn| Ok(SimRoute::Alb(kind(arn.to_string())))
}

/// The flag that names `route`.
fn flag(route: &SimRoute) -> &'static str {
    match route {
        SimRoute::Alb(RouteRef::Rule(_)) => "--rule-arn",
        SimRoute::Alb(RouteRef::Listener(_)) => "--listener-arn",
        SimRoute::Lattice(LatticeRouteRef::Rule(_)) => "--lattice-rule-arn",
        SimRoute::Lattice(LatticeRouteRef::Listener(_)) => "--lattice-listener-arn",
        SimRoute::Lambda(_) => "--lambda-alias-arn",
    }
}

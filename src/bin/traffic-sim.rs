//! traffic-sim: the local emulator's stand-in data plane, for an ALB or a VPC Lattice route, or
//! a Lambda alias.
//!
//! The emulator has no data plane, so nothing publishes load balancer (or Lambda) metrics; this
//! does. Every second it reads the live weights of the route (an ALB rule or listener,
//! `--rule-arn` / `--listener-arn`, a VPC Lattice rule or listener, `--lattice-rule-arn` /
//! `--lattice-listener-arn`, or a Lambda alias's routing, `--lambda-alias-arn`), splits `--rps`
//! requests between its target groups (versions) by those weights, and publishes the metrics
//! those requests would produce for each `--target` (error rate and latency profile),
//! timestamped now: `AWS/ApplicationELB` per target group and load balancer for an ALB route,
//! `AWS/VpcLattice` per target group id for a Lattice route, `AWS/Lambda` per `ExecutedVersion`
//! of the alias for a Lambda alias. Runs for `--duration` (default 10 minutes), logs a line every
//! 10 s to stderr, and stops cleanly on ctrl-c or SIGTERM.
//!
//! ```text
//! traffic-sim --endpoint-url http://localhost:4566 --rule-arn arn:...:listener-rule/app/web/1/2/3 \
//!   --target arn:...:targetgroup/blue/1=0.001,40,120 --target arn:...:targetgroup/green/2=0.05,60,900
//! traffic-sim --endpoint-url http://localhost:4566 \
//!   --lattice-listener-arn arn:...:service/svc-…/listener/listener-… \
//!   --target tg-0123456789abcdef0=0.001,40,120 --target arn:...:targetgroup/tg-0fedcba9876543210=0.05,60,900
//! traffic-sim --endpoint-url http://localhost:4566 \
//!   --lambda-alias-arn arn:aws:lambda:us-east-1:000000000000:function:checkout:live \
//!   --target 1=0.001,90,200 --target 2=0.05,130,320
//! ```

use anyhow::{anyhow, bail, Context};
use canary_deploy::aws::{load_config, AwsOptions, Clients};
use canary_deploy::simulator::target::{parse_target, requests_per_target, Target};
use canary_deploy::simulator::{
    publish_second, LatticeRouteRef, RouteRef, SimBackend, SimRoute, SimulatorError, Splitter,
};
use canary_deploy::traffic::alb::arn::target_group_dimension;
use clap::{ArgGroup, Parser};
use std::collections::HashMap;
use std::process::ExitCode;
use std::time::{Duration, Instant, SystemTime};

/// Longest run accepted: the simulator is always bounded.
const MAX_DURATION: Duration = Duration::from_secs(24 * 3600);
const LOG_EVERY: u64 = 10;

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
struct Args {
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
    /// Lambda alias (`2=0.05,130,320`).
    #[arg(
        long = "target",
        value_name = "TARGET_GROUP=RATE,MS,P99_MS",
        required = true
    )]
    #[arg(value_parser = parse_target)]
    targets: Vec<Target>,
    /// Requests per second over the whole route.
    #[arg(long, default_value_t = 50)]
    rps: u64,
    /// How long to run (at most 24h).
    #[arg(long, default_value = "10m", value_parser = humantime::parse_duration)]
    duration: Duration,
}

/// An ALB route flag: any string (a bad ARN fails the first read, naming it).
fn alb(kind: fn(String) -> RouteRef) -> impl Fn(&str) -> Result<SimRoute, SimulatorError> + Clone {
    move |arn| Ok(SimRoute::Alb(kind(arn.to_string())))
}

/// The route of the one route flag given (clap's `route` group allows exactly one).
fn route(args: &Args) -> anyhow::Result<SimRoute> {
    let flags = [
        &args.rule_arn,
        &args.listener_arn,
        &args.lattice_rule_arn,
        &args.lattice_listener_arn,
        &args.lambda_alias_arn,
    ];
    let mut given = flags.into_iter().flatten();
    match (given.next(), given.next()) {
        (Some(route), None) => Ok(route.clone()),
        _ => bail!(
            "pass exactly one of --rule-arn, --listener-arn, --lattice-rule-arn, \
             --lattice-listener-arn, --lambda-alias-arn"
        ),
    }
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

/// The route, where its metrics go, after checking that every `--target` belongs to it.
fn route_and_backend(args: &Args) -> anyhow::Result<(SimRoute, SimBackend)> {
    let route = route(args)?;
    if let Some(target) = route.foreign_target(&args.targets) {
        bail!(
            "--target {}: {} target group, but {} is {} route; pass {}",
            target.identifier,
            target.kind.describe(),
            flag(&route),
            route.kind().describe(),
            route.kind().expected(),
        );
    }
    let backend = route
        .backend(args.load_balancer_dimension.as_deref())
        .ok_or_else(|| {
            anyhow!(
                "cannot derive the load balancer from {} {}; pass --load-balancer-dimension \
                 app/NAME/ID",
                flag(&route),
                route.arn()
            )
        })?;
    Ok((route, backend))
}

#[tokio::main]
async fn main() -> ExitCode {
    let args = Args::parse();
    match run(args).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("traffic-sim: error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

async fn run(args: Args) -> anyhow::Result<()> {
    if args.duration > MAX_DURATION {
        bail!(
            "--duration {:?} is longer than 24h; run it again instead",
            args.duration
        );
    }
    let (route, backend) = route_and_backend(&args)?;
    let config = load_config(&AwsOptions {
        endpoint_url: args.endpoint_url.clone(),
        region: Some(args.region.clone()),
        profile: None,
    })
    .await?;
    let clients = Clients::new(&config);

    eprintln!(
        "traffic-sim: {} rps on {} ({backend}) for {}",
        args.rps,
        route.arn(),
        humantime::format_duration(args.duration)
    );
    let deadline = Instant::now() + args.duration;
    let mut ticker = tokio::time::interval(Duration::from_secs(1));
    ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
    let mut splitter = Splitter::default();
    let mut sim = Totals::default();
    let shutdown = canary_deploy::cli::interrupt::interrupted();
    tokio::pin!(shutdown);
    loop {
        tokio::select! {
            _ = &mut shutdown => break,
            _ = ticker.tick() => {}
        }
        if Instant::now() >= deadline {
            break;
        }
        let second = async {
            let weights = route.read_weights(&clients).await?;
            let split = splitter.next(
                args.rps,
                &weights.iter().map(|(_, w)| *w).collect::<Vec<_>>(),
            );
            let targets = requests_per_target(&args.targets, &weights, &split);
            publish_second(&clients.cloudwatch, &backend, &targets, SystemTime::now()).await?;
            Ok::<_, SimulatorError>((weights, targets))
        };
        let outcome = tokio::select! {
            _ = &mut shutdown => break,
            outcome = second => outcome,
        };
        sim.seconds += 1;
        match outcome {
            Ok((weights, targets)) => {
                for (t, n) in &targets {
                    *sim.requests
                        .entry(t.target_group_dimension.clone())
                        .or_default() += n;
                }
                sim.weights = weights;
            }
            Err(e) if sim.seconds == 1 => {
                return Err(e).context("the first second failed; check the ARNs and endpoint")
            }
            Err(e) => {
                sim.failures += 1;
                eprintln!("traffic-sim: second {} failed: {e}", sim.seconds);
            }
        }
        if sim.seconds.is_multiple_of(LOG_EVERY) {
            eprintln!("traffic-sim: {}", sim.summary());
        }
    }
    eprintln!("traffic-sim: stopped after {}", sim.summary());
    Ok(())
}

#[derive(Default)]
struct Totals {
    seconds: u64,
    failures: u64,
    weights: Vec<(String, u32)>,
    requests: HashMap<String, u64>,
}

impl Totals {
    fn summary(&self) -> String {
        let weights: Vec<String> = self
            .weights
            .iter()
            .map(|(key, w)| {
                let name = target_group_dimension(key).unwrap_or_else(|| key.clone());
                format!("{name}={w}")
            })
            .collect();
        let mut requests: Vec<String> = self
            .requests
            .iter()
            .map(|(tg, n)| format!("{tg}: {n}"))
            .collect();
        requests.sort();
        format!(
            "{}s, weights [{}], requests published [{}], failed seconds {}",
            self.seconds,
            weights.join(" "),
            requests.join(", "),
            self.failures
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    const ALB_RULE: &str = "arn:aws:elasticloadbalancing:us-east-1:1:listener-rule/app/w/1/2/3";
    const ALB_TG: &str = "arn:aws:elasticloadbalancing:us-east-1:1:targetgroup/g/1=0,1,2";
    const LATTICE: &str = "arn:aws:vpc-lattice:us-east-1:1:service/svc-0123456789abcdef0/listener/listener-0123456789abcdef1";
    const LATTICE_TG: &str = "tg-0123456789abcdef0=0,1,2";
    const ALIAS: &str = "arn:aws:lambda:us-east-1:1:function:checkout:live";

    fn parse(args: &[&str]) -> Result<Args, clap::Error> {
        Args::try_parse_from(std::iter::once("traffic-sim").chain(args.iter().copied()))
    }

    #[test]
    fn one_route_flag_of_either_backend() {
        Args::command().debug_assert();
        let alb = parse(&[
            "--rule-arn",
            ALB_RULE,
            "--target",
            ALB_TG,
            "--duration",
            "2m",
        ]);
        let alb = alb.expect("parses");
        assert_eq!((alb.duration, alb.rps), (Duration::from_secs(120), 50));
        let (route, backend) = route_and_backend(&alb).expect("an ALB route");
        assert_eq!(route, SimRoute::Alb(RouteRef::Rule(ALB_RULE.into())));
        assert_eq!(backend.namespace(), "AWS/ApplicationELB");
        let lattice = parse(&["--lattice-listener-arn", LATTICE, "--target", LATTICE_TG]);
        let (route, backend) = route_and_backend(&lattice.expect("parses")).expect("Lattice");
        let listener = LatticeRouteRef::Listener(LATTICE.into());
        assert_eq!(
            (route, backend),
            (SimRoute::Lattice(listener), SimBackend::Lattice)
        );
        let lambda = parse(&["--lambda-alias-arn", ALIAS, "--target", "2=0.05,130,320"]);
        let (route, backend) = route_and_backend(&lambda.expect("parses")).expect("Lambda");
        assert_eq!(route.arn(), ALIAS);
        let expected = SimBackend::Lambda {
            function_name: "checkout".into(),
            alias: "live".into(),
        };
        assert_eq!(backend, expected);
    }

    #[test]
    fn refusals_name_the_flags() {
        let nlb = "arn:aws:elasticloadbalancing:us-east-1:1:listener/net/x/1/2";
        let (lb, t) = ("--load-balancer-dimension", "--target");
        let cases: [(&[&str], &[&str]); 11] = [
            (&[t, ALB_TG], &["--rule-arn", "--lattice-rule-arn"]),
            (&["--rule-arn", ALB_RULE], &[t]),
            (
                &["--rule-arn", ALB_RULE, "--lattice-listener-arn", LATTICE],
                &["--rule-arn"],
            ),
            (
                &["--lattice-rule-arn", LATTICE, t, LATTICE_TG],
                &["--lattice-rule-arn <ARN>"],
            ),
            (
                &[
                    "--lattice-listener-arn",
                    LATTICE,
                    lb,
                    "app/w/1",
                    t,
                    LATTICE_TG,
                ],
                &[lb],
            ),
            (
                &["--lattice-listener-arn", LATTICE, t, ALB_TG],
                &["--target arn:aws:elastic"],
            ),
            (
                &["--rule-arn", ALB_RULE, t, ALB_TG, t, LATTICE_TG],
                &["--target tg-0", "--rule-arn"],
            ),
            (&["--listener-arn", nlb, t, ALB_TG], &[lb]),
            (
                &["--lambda-alias-arn", ALIAS, t, LATTICE_TG],
                &["--target tg-0", "the alias's version numbers"],
            ),
            (
                &["--lambda-alias-arn", ALIAS, lb, "app/w/1", t, "2=0,1,2"],
                &[lb],
            ),
            (
                &[
                    "--lambda-alias-arn",
                    "arn:aws:lambda:us-east-1:1:function:checkout:7",
                ],
                &["a Lambda alias ARN"],
            ),
        ];
        for (args, needles) in cases {
            let err = match parse(args) {
                Ok(args) => format!("{:#}", route_and_backend(&args).expect_err("refused")),
                Err(e) => e.to_string(),
            };
            for needle in needles.iter().chain(&[args[0]]) {
                assert!(err.contains(needle), "{args:?}: {err}");
            }
        }
    }
}

//! traffic-sim: the local emulator's stand-in data plane.
//!
//! Every second it reads the live weights of an ALB rule or listener, splits `--rps` requests
//! between its target groups by those weights, and publishes the ALB metrics those requests
//! would produce for each `--target` (error rate and latency profile), timestamped now. Runs for
//! `--duration` (default 10 minutes), logs a line every 10 s to stderr, and stops cleanly on
//! ctrl-c or SIGTERM.
//!
//! ```text
//! traffic-sim --endpoint-url http://localhost:4566 --rule-arn arn:...:listener-rule/app/web/1/2/3 \
//!   --target arn:...:targetgroup/blue/1=0.001,40,120 --target arn:...:targetgroup/green/2=0.05,60,900
//! ```

use anyhow::{anyhow, bail, Context};
use canary_deploy::aws::{load_config, AwsOptions};
use canary_deploy::simulator::{
    publish_second, read_weights, RouteRef, SimTarget, Splitter, TargetProfile,
};
use canary_deploy::traffic::alb::arn::{self, target_group_dimension};
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
    about = "Publish simulated ALB metrics for the local emulator, following a route's live weights"
)]
#[command(group(ArgGroup::new("route").required(true).args(["rule_arn", "listener_arn"])))]
struct Args {
    /// Endpoint of the emulator (otherwise AWS_ENDPOINT_URL or the real AWS).
    #[arg(long, env = "AWS_ENDPOINT_URL")]
    endpoint_url: Option<String>,
    #[arg(long, env = "AWS_REGION", default_value = "us-east-1")]
    region: String,
    /// The listener rule whose forward action carries the weights.
    #[arg(long)]
    rule_arn: Option<String>,
    /// The listener whose default action carries the weights.
    #[arg(long)]
    listener_arn: Option<String>,
    /// `app/<name>/<id>`; derived from the rule or listener ARN when omitted.
    #[arg(long)]
    load_balancer_dimension: Option<String>,
    /// `<target-group-arn>=<error_rate>,<latency_ms>,<p99_ms>`, e.g.
    /// `arn:...:targetgroup/green/2=0.02,50,400`. Repeat for each target group.
    #[arg(long = "target", required = true, value_parser = parse_target)]
    targets: Vec<(String, SimTarget)>,
    /// Requests per second over the whole route.
    #[arg(long, default_value_t = 50)]
    rps: u64,
    /// How long to run (at most 24h).
    #[arg(long, default_value = "10m", value_parser = humantime::parse_duration)]
    duration: Duration,
}

fn parse_target(spec: &str) -> Result<(String, SimTarget), String> {
    let usage = "expected <target-group-arn>=<error_rate>,<latency_ms>,<p99_ms>";
    let (arn, profile) = spec
        .split_once('=')
        .ok_or_else(|| format!("{spec:?}: {usage}"))?;
    let dimension = target_group_dimension(arn)
        .ok_or_else(|| format!("{arn:?} is not a target group ARN (…:targetgroup/NAME/ID)"))?;
    let numbers: Vec<f64> = profile
        .split(',')
        .map(|n| n.trim().parse::<f64>())
        .collect::<Result<_, _>>()
        .map_err(|e| format!("{profile:?}: {e}; {usage}"))?;
    let [error_rate, latency_ms, p99_ms] = numbers[..] else {
        return Err(format!("{profile:?}: {usage}"));
    };
    if !(0.0..=1.0).contains(&error_rate) {
        return Err(format!("error rate {error_rate} must be between 0 and 1"));
    }
    if !(latency_ms >= 0.0 && p99_ms >= latency_ms) {
        return Err(format!(
            "latencies {latency_ms},{p99_ms}: need 0 <= latency_ms <= p99_ms"
        ));
    }
    Ok((
        arn.to_string(),
        SimTarget {
            target_group_dimension: dimension,
            profile: TargetProfile {
                error_rate,
                latency_ms,
                p99_ms,
            },
        },
    ))
}

/// CloudWatch's `LoadBalancer` dimension, `app/<name>/<id>`, of the application load balancer a
/// rule or listener ARN belongs to; `None` for anything else (a network load balancer too).
fn load_balancer_dimension(route_arn: &str) -> Option<String> {
    arn::load_balancer_dimension(route_arn).filter(|_| arn::is_application(route_arn))
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
    let route = match (&args.rule_arn, &args.listener_arn) {
        (Some(rule), _) => RouteRef::Rule(rule.clone()),
        (None, Some(listener)) => RouteRef::Listener(listener.clone()),
        (None, None) => bail!("pass --rule-arn or --listener-arn"),
    };
    let lb_dimension = match &args.load_balancer_dimension {
        Some(d) => d.clone(),
        None => load_balancer_dimension(route.arn()).ok_or_else(|| {
            anyhow!(
                "cannot derive the load balancer from {}; pass --load-balancer-dimension app/NAME/ID",
                route.arn()
            )
        })?,
    };
    let config = load_config(&AwsOptions {
        endpoint_url: args.endpoint_url.clone(),
        region: Some(args.region.clone()),
        profile: None,
    })
    .await?;
    let clients = canary_deploy::aws::Clients::new(&config);
    let (elbv2, cloudwatch) = (clients.elbv2, clients.cloudwatch);

    eprintln!(
        "traffic-sim: {} rps on {} ({lb_dimension}) for {}",
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
            let weights = read_weights(&elbv2, &route).await?;
            let split = splitter.next(
                args.rps,
                &weights.iter().map(|(_, w)| *w).collect::<Vec<_>>(),
            );
            let by_arn: HashMap<&str, u64> = weights
                .iter()
                .zip(&split)
                .map(|((arn, _), n)| (arn.as_str(), *n))
                .collect();
            let targets: Vec<(SimTarget, u64)> = args
                .targets
                .iter()
                .map(|(arn, t)| (t.clone(), by_arn.get(arn.as_str()).copied().unwrap_or(0)))
                .collect();
            publish_second(&cloudwatch, &lb_dimension, &targets, SystemTime::now()).await?;
            Ok::<_, canary_deploy::simulator::SimulatorError>((weights, targets))
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
            .map(|(arn, w)| {
                let name = target_group_dimension(arn).unwrap_or_else(|| arn.clone());
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

    #[test]
    fn target_specs_parse() {
        let (arn, t) = parse_target(
            "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/green/943f=0.02,50,400",
        )
        .expect("valid");
        assert!(arn.ends_with("targetgroup/green/943f"));
        assert_eq!(t.target_group_dimension, "targetgroup/green/943f");
        assert_eq!(t.profile.p99_ms, 400.0);
        assert!(parse_target("arn:x:targetgroup/g/1").is_err());
        assert!(parse_target("arn:aws:elasticloadbalancing:r:a:targetgroup/g/1=2,1,2").is_err());
        assert!(parse_target("arn:aws:elasticloadbalancing:r:a:targetgroup/g/1=0.1,5,2").is_err());
        assert!(parse_target("arn:aws:elasticloadbalancing:r:a:targetgroup/g/1=0.1,5").is_err());
        assert!(parse_target("not-an-arn=0.1,1,2").is_err());
    }

    #[test]
    fn cli_requires_a_route_and_a_target() {
        use clap::CommandFactory;
        Args::command().debug_assert();
        let tg = "arn:aws:elasticloadbalancing:us-east-1:1:targetgroup/g/1=0,1,2";
        assert!(Args::try_parse_from(["traffic-sim", "--target", tg]).is_err());
        let ok = Args::try_parse_from([
            "traffic-sim",
            "--rule-arn",
            "arn:aws:elasticloadbalancing:us-east-1:1:listener-rule/app/w/1/2/3",
            "--target",
            tg,
            "--duration",
            "2m",
        ])
        .expect("parses");
        assert_eq!(ok.duration, Duration::from_secs(120));
        assert_eq!(ok.rps, 50);
    }

    #[test]
    fn dimensions_come_from_arns() {
        let rule = "arn:aws:elasticloadbalancing:us-east-1:123456789012:listener-rule/app/web/50dc6c495c0c9188/f2f7dc8efc522ab2/9683b2d02a6cabee";
        let listener = "arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/web/50dc6c495c0c9188/f2f7dc8efc522ab2";
        let lb = "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/web/50dc6c495c0c9188";
        for arn in [rule, listener, lb] {
            assert_eq!(
                load_balancer_dimension(arn).as_deref(),
                Some("app/web/50dc6c495c0c9188")
            );
        }
        let tg = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/green/943f017f100becff";
        assert_eq!(
            target_group_dimension(tg).as_deref(),
            Some("targetgroup/green/943f017f100becff")
        );
        assert_eq!(target_group_dimension(rule), None);
        assert_eq!(load_balancer_dimension(tg), None);
        assert_eq!(load_balancer_dimension("not-an-arn"), None);
        let nlb = "arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/net/x/1/2";
        assert_eq!(load_balancer_dimension(nlb), None);
    }
}

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
//! A thin main: the flags and their checks are [`canary_deploy::simulator::args`], the seconds
//! [`canary_deploy::simulator::session`]; this file parses, sets up the clients and logs.
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

// A binary: it reports on standard error.
#![allow(clippy::print_stderr)]

use anyhow::Context;
use canary_deploy::aws::{load_config, Clients};
use canary_deploy::simulator::SimArgs;
use clap::Parser;
use std::process::ExitCode;

#[tokio::main]
async fn main() -> ExitCode {
    match run(SimArgs::parse()).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("traffic-sim: error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

async fn run(args: SimArgs) -> anyhow::Result<()> {
    let session = args.session()?;
    let clients = Clients::new(&load_config(&args.aws_options()).await?);
    let shutdown = canary_deploy::cli::interrupt::interrupted();
    session
        .run(&clients, shutdown, |line| eprintln!("traffic-sim: {line}"))
        .await
        .context("the first second failed; check the ARNs and endpoint")?;
    Ok(())
}

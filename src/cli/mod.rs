//! Command-line definitions, one file per command. `main.rs` only parses, sets up tracing,
//! calls [`execute`] and exits with the code it returns.

pub mod exit;
pub mod interrupt;
mod rollback;
mod run;
mod status;
mod validate;

use crate::aws::AwsOptions;
use clap::{Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

pub use exit::Exit;

#[derive(Debug, Parser)]
#[command(
    name = "canary-deploy",
    version,
    about = "Progressive traffic shifting on AWS load balancers, watched by CloudWatch",
    after_help = "Exit codes: 0 promoted or done, 1 error, 2 usage, 3 rolled back, 4 paused \
                  (an operator must act).\nAWS_ENDPOINT_URL, AWS_REGION, AWS_PROFILE and the \
                  standard credential chain are honoured."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
    #[command(flatten)]
    pub global: Global,
}

#[derive(Debug, clap::Args)]
pub struct Global {
    /// Send every AWS call to this endpoint (e.g. a local emulator).
    #[arg(long, global = true, value_name = "URL")]
    pub endpoint_url: Option<String>,
    /// AWS region (default: the standard chain, e.g. AWS_REGION or the profile's region).
    #[arg(long, global = true)]
    pub region: Option<String>,
    /// AWS profile to use.
    #[arg(long, global = true)]
    pub profile: Option<String>,
    /// Directory of the deployment records.
    #[arg(
        long,
        global = true,
        default_value = ".canary-deploy",
        value_name = "DIR"
    )]
    pub state_dir: PathBuf,
    /// Progress as human text or as JSON lines.
    #[arg(long, global = true, value_enum, default_value_t = Output::Human)]
    pub output: Output,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Output {
    Human,
    Json,
}

/// `--start-from`, spelled as on the command line.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum StartFromArg {
    /// Continue from the canary's live weight (the first step at or above it).
    Live,
    /// Reset to the first step.
    FirstStep,
}

impl From<StartFromArg> for crate::core::plan::StartFrom {
    fn from(arg: StartFromArg) -> Self {
        match arg {
            StartFromArg::Live => crate::core::plan::StartFrom::Live,
            StartFromArg::FirstStep => crate::core::plan::StartFrom::FirstStep,
        }
    }
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check a playbook without calling AWS.
    Validate { playbook: PathBuf },
    /// Shift traffic step by step until the canary is promoted or rolled back.
    Run {
        playbook: PathBuf,
        /// When the canary already has traffic: continue from its live weight, or reset to the
        /// first step (overrides the playbook's `start_from`; without either, `run` refuses).
        #[arg(long, value_enum, value_name = "HOW")]
        start_from: Option<StartFromArg>,
    },
    /// Show the deployment record of a playbook.
    Status {
        playbook: PathBuf,
        /// Print the record as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Put all traffic back on the stable target now, at any phase, and verify it.
    Rollback {
        playbook: PathBuf,
        /// Why, recorded in the deployment's history.
        #[arg(long, default_value = "operator requested rollback")]
        reason: String,
    },
}

impl Global {
    pub fn aws(&self) -> AwsOptions {
        AwsOptions {
            endpoint_url: self.endpoint_url.clone(),
            region: self.region.clone(),
            profile: self.profile.clone(),
        }
    }
}

/// Runs the parsed command; every failure is already printed when this returns.
pub async fn execute(cli: Cli) -> Exit {
    let result = match &cli.command {
        Command::Validate { playbook } => validate::execute(playbook),
        Command::Run {
            playbook,
            start_from,
        } => run::execute(playbook, *start_from, &cli.global).await,
        Command::Status { playbook, json } => status::execute(playbook, *json, &cli.global).await,
        Command::Rollback { playbook, reason } => {
            rollback::execute(playbook, reason, &cli.global).await
        }
    };
    result.unwrap_or_else(|error| {
        eprintln!("error: {error:#}");
        Exit::Error
    })
}

/// Loads and validates a playbook, printing warnings; an invalid one never reaches AWS.
fn load_playbook(path: &std::path::Path) -> anyhow::Result<crate::core::Plan> {
    let validated = crate::playbook::load(path)?;
    for warning in &validated.warnings {
        eprintln!("{warning}");
    }
    Ok(validated.plan)
}

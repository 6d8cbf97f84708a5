//! Command-line definitions, one file per command. `main.rs` only parses, sets up tracing,
//! calls [`execute`] and exits with the code it returns.

// The command line is the one place that prints (the house rule the crate's lints hold).
#![allow(clippy::print_stdout, clippy::print_stderr)]

mod advance;
mod backtest;
pub mod exit;
mod failure;
mod forecast_view;
mod iam_policy;
mod init;
pub mod interrupt;
mod oncall;
mod plan;
pub mod print;
mod restart;
mod run;
mod runner_tick;
mod schedule;
mod shell;
mod status;
mod tick_calls;
mod validate;

use crate::aws::AwsOptions;
use crate::core::plan::PreflightKind;
use crate::core::OperatorAction;
use crate::session::Session;
use clap::{Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

pub use crate::report::Output;
pub use exit::Exit;

#[derive(Debug, Parser)]
#[command(
    name = "canary-deploy",
    version,
    about = "Progressive traffic shifting on AWS load balancers, watched by CloudWatch",
    after_help = "Exit codes: 0 promoted or done, 1 error, 2 usage, 3 rolled back, 4 paused \
                  (an operator must act), 5 busy (another run or advance holds the deployment's \
                  lease: nothing done, not a failure), 130 interrupted (Ctrl-C or SIGTERM: run \
                  the same command to continue).\nAWS_ENDPOINT_URL, AWS_REGION, \
                  AWS_PROFILE and the standard credential chain are honoured."
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
    /// Keep the deployment records as files in this directory, instead of in tags on the
    /// routed resource (the default, which needs no storage of its own).
    #[arg(long, global = true, value_name = "DIR")]
    pub state_dir: Option<PathBuf>,
    /// Progress as human text or as JSON lines.
    #[arg(long, global = true, value_enum, default_value_t = Output::Human)]
    pub output: Output,
}

/// `--start-from`, spelled as on the command line.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum StartFromArg {
    /// Continue from the canary's live weight (the first step at or above it).
    Live,
    /// Reset to the first step (`first_step`, as the playbook spells it, works too).
    #[value(alias = "first_step")]
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
    /// Dry run: resolve the route, show the live weights, the timeline, each check's CloudWatch
    /// query and the preflight results (exit 1 when a preflight check fails). Writes nothing.
    Plan {
        playbook: PathBuf,
        /// As for `run`: what the deployment would do when the canary already has traffic.
        #[arg(long, value_enum, value_name = "HOW")]
        start_from: Option<StartFromArg>,
        #[command(flatten)]
        skip: SkipPreflight,
    },
    /// Shift traffic step by step until the canary is promoted or rolled back; a paused
    /// deployment is waited on until it is resumed, rolled back or promoted.
    Run {
        playbook: PathBuf,
        /// When the canary already has traffic: continue from its live weight, or reset to the
        /// first step (overrides the playbook's `start_from`; without either, `run` refuses).
        #[arg(long, value_enum, value_name = "HOW")]
        start_from: Option<StartFromArg>,
        /// End the run when the deployment is paused (exit 4) instead of waiting for an
        /// operator: for pipelines.
        #[arg(long)]
        exit_on_pause: bool,
        #[command(flatten)]
        skip: SkipPreflight,
    },
    /// One tick, then exit: start, judge, step, promote or roll back as due (scheduled jobs).
    Advance {
        playbook: PathBuf,
        /// As for `run`.
        #[arg(long, value_enum, value_name = "HOW")]
        start_from: Option<StartFromArg>,
        #[command(flatten)]
        skip: SkipPreflight,
    },
    /// Show the deployment record beside the live weights.
    Status {
        #[command(flatten)]
        which: Which,
        /// Print the record as JSON.
        #[arg(long)]
        json: bool,
        /// Keep watching: read again every `--every` and print what changed, until the
        /// deployment ends (promoted, rolled back or failed) or Ctrl-C.
        #[arg(long, conflicts_with = "json")]
        watch: bool,
        /// How often `--watch` reads the record and the live weights.
        #[arg(long, default_value = "10s", value_parser = humantime::parse_duration, requires = "watch")]
        every: std::time::Duration,
    },
    /// Put all traffic back on the stable target now, at any phase, and verify it.
    Rollback {
        #[command(flatten)]
        which: Which,
        #[command(flatten)]
        why: Why,
    },
    /// Put all traffic on the canary now (skipping the remaining steps), and verify it.
    Promote {
        #[command(flatten)]
        which: Which,
        #[command(flatten)]
        why: Why,
    },
    /// Hold the current weights: a running or scheduled deployment does nothing until resumed.
    Pause {
        #[command(flatten)]
        which: Which,
        #[command(flatten)]
        why: Why,
    },
    /// Continue a paused deployment at its step, with a fresh bake.
    Resume {
        #[command(flatten)]
        which: Which,
        #[command(flatten)]
        why: Why,
    },
    /// Print the least-privilege IAM policy (JSON) for a playbook: the exact actions and
    /// resources canary-deploy calls. No AWS call unless --resolve.
    IamPolicy {
        playbook: PathBuf,
        /// Resolve the route (names to ARNs, as `run` does) and print exact ARNs, not patterns.
        #[arg(long)]
        resolve: bool,
        /// Print the policy of the dead-man's switch's role (`switch.role`) instead: the one
        /// write that restores the stable split (its trust policy is said on stderr).
        #[arg(long)]
        switch_role: bool,
        /// Print the Lambda runner's policy for this deployment instead: a tick's calls and
        /// deleting its tick schedule. Attach it to the role of deploy/runner.yaml (its
        /// `DeploymentPolicyArns`), which grants the function's logs itself.
        #[arg(long, conflicts_with = "switch_role")]
        runner: bool,
    },
    /// Deploy the same playbook revision again after its deployment ended (rolled back,
    /// promoted or failed): the next run or advance starts it. Records who and why.
    Restart {
        playbook: PathBuf,
        #[command(flatten)]
        why: Why,
    },
    /// Draft a starting playbook from a live route: the ARN of an ALB or VPC Lattice listener
    /// or rule, or of a Lambda alias. Reads only; validates the draft before writing it.
    Init(init::InitArgs),
    /// Tick on AWS with no runner of your own: create (or update) the deployment's EventBridge
    /// Scheduler schedule, which invokes the runner function (deploy/runner.yaml) every
    /// `analysis.interval` in whole minutes; the runner deletes it when the deployment ends.
    Schedule(schedule::ScheduleArgs),
    /// Run the Lambda runner's handler here, once, on an event (a JSON file, or - for standard
    /// input) as a schedule sends it; prints the tick's outcome as JSON.
    RunnerTick {
        #[arg(value_name = "EVENT")]
        event: PathBuf,
    },
    /// Print a shell completion script (bash, zsh, fish, powershell or elvish), e.g.
    /// `canary-deploy completions bash > /etc/bash_completion.d/canary-deploy`.
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff), e.g. `canary-deploy man > canary-deploy.1`.
    Man,
    /// Print the playbook's JSON Schema, for editors: save it and name it in the playbook's
    /// first line, `# yaml-language-server: $schema=playbook.schema.json`.
    Schema,
    /// Replay the playbook over the route's own CloudWatch history, the stable against itself,
    /// and print how often it would have rolled back a canary as healthy as the stable. Reads
    /// only.
    Backtest {
        playbook: PathBuf,
        /// How much history to replay (CloudWatch keeps 60-second data for 15 days).
        #[arg(long, default_value = "7d", value_parser = humantime::parse_duration)]
        since: std::time::Duration,
        /// A deployment starts every this long over the history.
        #[arg(long, default_value = "1h", value_parser = humantime::parse_duration)]
        every: std::time::Duration,
        /// The seed of the split of the stable's requests between the two sides.
        #[arg(long, default_value_t = 20_261_207)]
        seed: u64,
    },
}

impl Command {
    /// The command's name as typed.
    pub fn name(&self) -> &'static str {
        match self {
            Command::Validate { .. } => "validate",
            Command::Plan { .. } => "plan",
            Command::Run { .. } => "run",
            Command::Advance { .. } => "advance",
            Command::Status { .. } => "status",
            Command::Rollback { .. } => "rollback",
            Command::Promote { .. } => "promote",
            Command::Pause { .. } => "pause",
            Command::Resume { .. } => "resume",
            Command::Restart { .. } => "restart",
            Command::Init(_) => "init",
            Command::Schedule(_) => "schedule",
            Command::RunnerTick { .. } => "runner-tick",
            Command::Backtest { .. } => "backtest",
            Command::Completions { .. } => "completions",
            Command::Man => "man",
            Command::Schema => "schema",
            Command::IamPolicy { .. } => "iam-policy",
        }
    }
}

/// Preflight checks skipped by name, beside the playbook's `preflight.skip`.
#[derive(Debug, clap::Args)]
pub struct SkipPreflight {
    /// Skip this preflight check (repeatable); see `canary-deploy plan` for the names.
    #[arg(
        long = "skip-preflight",
        value_name = "NAME",
        value_parser = clap::builder::PossibleValuesParser::new(PreflightKind::NAMES)
    )]
    pub names: Vec<String>,
}

impl SkipPreflight {
    /// The checks named (clap has already refused any other name).
    pub fn kinds(&self) -> Vec<PreflightKind> {
        self.names
            .iter()
            .filter_map(|name| PreflightKind::parse(name))
            .collect()
    }
}

/// Which deployment an on-call command acts on: a playbook, or only the routed resource's ARN
/// (the record in its tags says the rest).
#[derive(Debug, clap::Args)]
#[group(required = true, multiple = false)]
pub struct Which {
    /// The deployment's playbook.
    pub playbook: Option<PathBuf>,
    /// The ARN of the routed resource (ALB rule or listener, VPC Lattice rule or listener),
    /// whose tags hold the deployment record: no playbook needed. Not with --state-dir,
    /// whose records are not on the resource.
    #[arg(long, value_name = "ARN", conflicts_with = "state_dir")]
    pub target: Option<String>,
}

impl Which {
    /// Refuses a `--target` that cannot name a routed resource, on its text alone: before the
    /// session is opened, so that it costs no AWS call.
    pub fn check_target(&self) -> anyhow::Result<()> {
        match &self.target {
            Some(arn) => crate::store::tags::RecordTags::of_arn(arn)
                .map(drop)
                .map_err(anyhow::Error::msg),
            None => Ok(()),
        }
    }
}

/// Why an operator acts, for the record's history (who is asked from AWS STS).
#[derive(Debug, clap::Args)]
pub struct Why {
    /// Why, recorded in the deployment's history.
    #[arg(long, default_value = "operator request")]
    pub reason: String,
}

impl Global {
    pub fn aws(&self) -> AwsOptions {
        AwsOptions {
            endpoint_url: self.endpoint_url.clone(),
            region: self.region.clone(),
            profile: self.profile.clone(),
        }
    }

    /// The session these options open: the AWS clients, and where records are kept.
    pub async fn session(&self) -> anyhow::Result<Session> {
        Ok(Session::open(&self.aws(), self.state_dir.clone()).await?)
    }
}

/// Runs the parsed command; every failure is already printed when this returns.
pub async fn execute(cli: Cli) -> Exit {
    let result = match &cli.command {
        Command::Validate { playbook } => validate::execute(playbook, cli.global.output),
        Command::Plan {
            playbook,
            start_from,
            skip,
        } => plan::execute(playbook, *start_from, &skip.kinds(), &cli.global).await,
        Command::Run {
            playbook,
            start_from,
            exit_on_pause,
            skip,
        } => {
            let on_pause = match exit_on_pause {
                true => crate::orchestrator::run::OnPause::Exit,
                false => crate::orchestrator::run::OnPause::Wait,
            };
            run::execute(playbook, *start_from, on_pause, &skip.kinds(), &cli.global).await
        }
        Command::Advance {
            playbook,
            start_from,
            skip,
        } => advance::execute(playbook, *start_from, &skip.kinds(), &cli.global).await,
        Command::Status {
            which,
            json,
            watch,
            every,
        } => match watch {
            true => status::watch(which, *every, &cli.global).await,
            false => status::execute(which, *json, &cli.global).await,
        },
        Command::Rollback { which, why } => {
            oncall::execute(OperatorAction::Rollback, which, why, &cli.global).await
        }
        Command::Promote { which, why } => {
            oncall::execute(OperatorAction::Promote, which, why, &cli.global).await
        }
        Command::Pause { which, why } => {
            oncall::execute(OperatorAction::Pause, which, why, &cli.global).await
        }
        Command::Resume { which, why } => {
            oncall::execute(OperatorAction::Resume, which, why, &cli.global).await
        }
        Command::Restart { playbook, why } => restart::execute(playbook, why, &cli.global).await,
        Command::Init(args) => init::execute(args, &cli.global).await,
        Command::Schedule(args) => schedule::execute(args, &cli.global).await,
        Command::RunnerTick { event } => runner_tick::execute(event, &cli.global).await,
        Command::Completions { shell } => shell::completions(*shell),
        Command::Man => shell::man(),
        Command::Schema => shell::schema(),
        Command::Backtest {
            playbook,
            since,
            every,
            seed,
        } => {
            let options = backtest::Options {
                since: *since,
                every: *every,
                seed: *seed,
            };
            backtest::execute(playbook, &options, &cli.global).await
        }
        Command::IamPolicy {
            playbook,
            resolve,
            switch_role,
            runner,
        } => {
            let which = match (switch_role, runner) {
                (true, _) => iam_policy::Which::SwitchRole,
                (_, true) => iam_policy::Which::Runner,
                _ => iam_policy::Which::Deployment,
            };
            iam_policy::execute(playbook, *resolve, which, &cli.global).await
        }
    };
    result.unwrap_or_else(|error| failure::report(cli.command.name(), cli.global.output, &error))
}

/// Prints why the command line could not be parsed (through [`mod@print`]: clap echoes the
/// arguments it refused, which are the user's), or the help or version asked for; and the exit
/// code that goes with it.
pub fn parse_failed(error: &clap::Error) -> Exit {
    if !error.use_stderr() {
        let _ = error.print();
        return Exit::Done;
    }
    print::err(&error.render().to_string());
    Exit::Usage
}

/// Loads and validates a playbook, printing warnings; an invalid one never reaches AWS.
/// The plan of the playbook at `path`, with `--start-from` in place of the playbook's
/// `start_from` when given.
fn load_plan(
    path: &std::path::Path,
    start_from: Option<StartFromArg>,
) -> anyhow::Result<crate::core::Plan> {
    let mut plan = load_playbook(path)?;
    if let Some(start_from) = start_from {
        plan.start_from = Some(start_from.into());
    }
    Ok(plan)
}

fn load_playbook(path: &std::path::Path) -> anyhow::Result<crate::core::Plan> {
    Ok(warned(crate::playbook::load(path)?))
}

/// The plan of a validated playbook, its warnings printed.
fn warned(validated: crate::playbook::Validated) -> crate::core::Plan {
    if !validated.warnings.is_empty() {
        let warnings: Vec<String> = validated.warnings.iter().map(|w| w.to_string()).collect();
        print::err(&warnings.join("\n"));
    }
    validated.plan
}

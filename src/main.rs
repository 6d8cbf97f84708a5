//! The `canary-deploy` binary: parse, set up tracing, run the command, exit with its code.

use canary_deploy::cli::print::LogWriter;
use canary_deploy::cli::{execute, parse_failed, Cli};
use clap::Parser;

#[tokio::main]
async fn main() {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) => std::process::exit(parse_failed(&error).code()),
    };
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("CANARY_DEPLOY_LOG")
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn")),
        )
        .with_writer(|| LogWriter)
        .with_ansi(false)
        .init();
    let exit = execute(cli).await;
    std::process::exit(exit.code());
}

//! The `canary-deploy` binary: parse, set up tracing, run the command, exit with its code; or,
//! as a Lambda function's bootstrap, serve the runner (`canary_deploy::runner::lambda`).

use canary_deploy::cli::print::LogWriter;
use canary_deploy::cli::{execute, parse_failed, Cli};
use clap::Parser;

#[tokio::main]
async fn main() {
    #[cfg(feature = "lambda")]
    if canary_deploy::runner::lambda::in_lambda() {
        init_tracing();
        let served = canary_deploy::runner::lambda::serve().await;
        if let Err(error) = &served {
            tracing::error!("the Lambda runtime stopped: {error}");
        }
        std::process::exit(i32::from(served.is_err()));
    }
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) => std::process::exit(parse_failed(&error).code()),
    };
    init_tracing();
    let exit = execute(cli).await;
    std::process::exit(exit.code());
}

/// Log lines to standard error through [`LogWriter`], at `CANARY_DEPLOY_LOG` (default `warn`).
fn init_tracing() {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("CANARY_DEPLOY_LOG")
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn")),
        )
        .with_writer(|| LogWriter)
        .with_ansi(false)
        .init();
}

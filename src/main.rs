//! The `canary-deploy` binary: parse, set up tracing, run the command, exit with its code.

use canary_deploy::cli::{execute, Cli, Exit};
use clap::Parser;

#[tokio::main]
async fn main() {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) => {
            let _ = error.print();
            let code = if error.use_stderr() {
                Exit::Usage.code()
            } else {
                Exit::Done.code()
            };
            std::process::exit(code);
        }
    };
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("CANARY_DEPLOY_LOG")
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn")),
        )
        .with_writer(std::io::stderr)
        .init();
    let exit = execute(cli).await;
    std::process::exit(exit.code());
}

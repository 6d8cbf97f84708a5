//! The Lambda Runtime API loop (the `lambda` feature): when the binary runs as a function's
//! bootstrap (`AWS_LAMBDA_RUNTIME_API` is set), it serves invocations with [`super::tick`]
//! instead of parsing a command line. The clients are built once per execution environment and
//! reused by every warm invocation, with [`super::warm`]'s resolved routes. A tick's events go to standard output as JSON lines, which
//! Lambda sends to CloudWatch Logs; its [`super::Outcome`] is the invocation's response.

use super::warm::Warm;
use super::{tick, RunnerEvent};
use crate::aws::AwsOptions;
use crate::report::{reporter, Output};
use crate::session::Session;
use lambda_runtime::{service_fn, LambdaEvent};

/// The variable Lambda sets in a function's environment: the Runtime API's host and port.
pub const RUNTIME_API_VAR: &str = "AWS_LAMBDA_RUNTIME_API";

/// Whether this process is a Lambda function's bootstrap.
pub fn in_lambda() -> bool {
    std::env::var_os(RUNTIME_API_VAR).is_some()
}

/// Serves invocations until the environment is shut down.
pub async fn serve() -> Result<(), lambda_runtime::Error> {
    let session = Session::open(&AwsOptions::default(), None).await?;
    let session = &session;
    let warm = &Warm::default();
    lambda_runtime::run(service_fn(
        move |invocation: LambdaEvent<serde_json::Value>| async move {
            let event = RunnerEvent::from_json(invocation.payload)?;
            let mut sink = reporter(Output::Json);
            let outcome = tick::tick(&event, session, warm, sink.as_mut()).await;
            drop(sink);
            let outcome = outcome.map_err(|e| crate::text::line(&format!("{e:#}")))?;
            Ok::<_, lambda_runtime::Error>(serde_json::to_value(outcome)?)
        },
    ))
    .await
}

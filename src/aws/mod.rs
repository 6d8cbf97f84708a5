//! The only place that builds the AWS SDK configuration and clients.
//!
//! Region, profile and credentials come through the standard aws-config chain. An endpoint
//! override (`--endpoint-url`, or `AWS_ENDPOINT_URL` which aws-config reads itself) points every
//! client at a local emulator. Each call's retries are the SDK's, as the environment and the
//! profile set them (`AWS_MAX_ATTEMPTS`, `AWS_RETRY_MODE`; standard mode with 3 attempts by
//! default); what a runner does when a call still fails is [`error`] and [`retry`].

mod endpoint;
pub mod error;
pub mod retry;
pub mod scheduler;
mod setup;

pub use error::{AwsError, Kind};
pub use setup::{load_config, AwsOptions, AwsSetupError};

use aws_config::SdkConfig;
use aws_smithy_runtime_api::box_error::BoxError;
use aws_smithy_runtime_api::client::interceptors::context::BeforeSerializationInterceptorContextRef;
use aws_smithy_runtime_api::client::interceptors::Intercept;
use aws_smithy_runtime_api::client::orchestrator::Metadata;
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use aws_smithy_types::config_bag::ConfigBag;
use std::sync::{Arc, Mutex};

/// The clients one deployment needs, all counting their calls into one [`CallLog`].
#[derive(Clone, Debug)]
pub struct Clients {
    pub elbv2: aws_sdk_elasticloadbalancingv2::Client,
    pub cloudwatch: aws_sdk_cloudwatch::Client,
    pub lattice: aws_sdk_vpclattice::Client,
    /// Only for the operator's identity (GetCallerIdentity), recorded with every command.
    pub sts: aws_sdk_sts::Client,
    pub lambda: aws_sdk_lambda::Client,
    /// EventBridge Scheduler: the dead-man's switch's one-time schedule.
    pub scheduler: aws_sdk_scheduler::Client,
    /// S3: only the Lambda runner's read of a playbook kept there (`s3://bucket/key`).
    pub s3: aws_sdk_s3::Client,
    /// SNS: notifications to a topic (`notify: - sns:`).
    pub sns: aws_sdk_sns::Client,
    pub calls: CallLog,
}

impl Clients {
    pub fn new(config: &SdkConfig) -> Clients {
        let calls = CallLog::default();
        let elbv2 = aws_sdk_elasticloadbalancingv2::config::Builder::from(config)
            .interceptor(calls.clone())
            .build();
        let cloudwatch = aws_sdk_cloudwatch::config::Builder::from(config)
            .interceptor(calls.clone())
            .build();
        let lattice = aws_sdk_vpclattice::config::Builder::from(config)
            .interceptor(calls.clone())
            .build();
        let sts = aws_sdk_sts::config::Builder::from(config)
            .interceptor(calls.clone())
            .build();
        let lambda = aws_sdk_lambda::config::Builder::from(config)
            .interceptor(calls.clone())
            .build();
        let scheduler = aws_sdk_scheduler::config::Builder::from(config)
            .interceptor(calls.clone())
            .build();
        let s3 = aws_sdk_s3::config::Builder::from(config)
            .interceptor(calls.clone())
            // A custom endpoint (a local emulator) has no bucket subdomains.
            .force_path_style(config.endpoint_url().is_some())
            .build();
        let sns = aws_sdk_sns::config::Builder::from(config)
            .interceptor(calls.clone())
            .build();
        Clients {
            sns: aws_sdk_sns::Client::from_conf(sns),
            s3: aws_sdk_s3::Client::from_conf(s3),
            scheduler: aws_sdk_scheduler::Client::from_conf(scheduler),
            sts: aws_sdk_sts::Client::from_conf(sts),
            lambda: aws_sdk_lambda::Client::from_conf(lambda),
            elbv2: aws_sdk_elasticloadbalancingv2::Client::from_conf(elbv2),
            cloudwatch: aws_sdk_cloudwatch::Client::from_conf(cloudwatch),
            lattice: aws_sdk_vpclattice::Client::from_conf(lattice),
            calls,
        }
    }
}

impl Clients {
    /// The caller's identity (the ARN STS GetCallerIdentity answers), recorded with every
    /// operator command; `None`, with a warning, when STS cannot say (the command still acts:
    /// the on-call button never waits on who is pressing it).
    pub async fn caller(&self) -> Option<String> {
        match self.sts.get_caller_identity().send().await {
            Ok(identity) => identity.arn,
            Err(error) => {
                tracing::warn!(
                    "cannot learn the caller's identity from STS ({}); recording the reason only",
                    aws_sdk_sts::error::DisplayErrorContext(&error)
                );
                None
            }
        }
    }
}

/// Records the AWS operations the clients make, by name, oldest first (once per operation:
/// retries are not repeated), so `run` can say what a tick cost and tests can pin exact calls.
#[derive(Clone, Debug, Default)]
pub struct CallLog {
    operations: Arc<Mutex<Vec<String>>>,
}

impl CallLog {
    /// The operations made since the last `take`, oldest first.
    pub fn take(&self) -> Vec<String> {
        self.operations
            .lock()
            .map(|mut ops| std::mem::take(&mut *ops))
            .unwrap_or_default()
    }
}

impl Intercept for CallLog {
    fn name(&self) -> &'static str {
        "CallLog"
    }

    fn read_before_serialization(
        &self,
        _context: &BeforeSerializationInterceptorContextRef<'_>,
        _components: &RuntimeComponents,
        cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        let name = operation_name(cfg).unwrap_or("unknown").to_string();
        if let Ok(mut operations) = self.operations.lock() {
            operations.push(name);
        }
        Ok(())
    }
}

/// The name of the operation an SDK interceptor is called for (`UpdateAlias`, …), as
/// [`CallLog`] records it; `None` when the SDK did not set it.
pub fn operation_name(cfg: &ConfigBag) -> Option<&str> {
    cfg.load::<Metadata>().map(|m| m.name())
}

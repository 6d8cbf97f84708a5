//! A deployment's recurring tick schedule on EventBridge Scheduler: `rate(N minutes)` (the
//! playbook's `analysis.interval` in whole minutes, at least one), flexible window off, a retry
//! policy and a dead-letter queue, whose target is the runner function with the deployment's
//! [`RunnerEvent`] as input. `canary-deploy schedule` puts it (create, or update when it exists),
//! `schedule --delete` and the runner at the deployment's end delete it, `status` reads it.

use super::event::{RunnerEvent, ScheduleRef};
use crate::aws::error::service::SCHEDULER;
use crate::aws::scheduler::{not_found, window_off};
use crate::aws::AwsError;
use crate::core::switch::tick_schedule_name;
use aws_sdk_scheduler::types::{DeadLetterConfig, RetryPolicy, ScheduleState, Target};
use aws_sdk_scheduler::Client;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;
use std::time::Duration;

/// CreateSchedule and UpdateSchedule take the same whole definition (their builders are two
/// types): the tick schedule, every `$every`, invoking `$target`.
macro_rules! definition {
    ($schedule:expr, $operation:ident(), $target:expr, $every:expr) => {
        $schedule
            .client
            .$operation()
            .name(&$schedule.name)
            .group_name(&$schedule.group)
            .description(DESCRIPTION)
            .schedule_expression(rate($every))
            .flexible_time_window($schedule.off()?)
            .state(ScheduleState::Enabled)
            .target($target)
    };
}

/// How many times Scheduler retries a tick it could not deliver (throttled, the function
/// missing) before the dead-letter queue gets it.
const RETRIES: i32 = 3;

/// The largest input this release puts on a schedule; a larger playbook goes to S3
/// (`--playbook-uri`). Scheduler's own limit is not stated in its API reference (AWS-FACTS.md):
/// this is Lambda's asynchronous payload limit, 256 KiB.
pub const MAX_INPUT: usize = 256 * 1024;

/// What a tick schedule is made of, besides its name and group.
#[derive(Clone, Debug)]
pub struct TickSpec {
    /// The runner function's ARN.
    pub function_arn: String,
    /// The role Scheduler assumes to invoke it (`lambda:InvokeFunction`, `sqs:SendMessage`).
    pub role_arn: String,
    /// The SQS queue's ARN for ticks that could not be delivered.
    pub dead_letter_arn: String,
    /// How often it ticks.
    pub every: Duration,
    pub event: RunnerEvent,
}

/// What `put` did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Put {
    Created,
    Updated,
}

/// The schedule as AWS holds it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Held {
    pub expression: String,
    pub enabled: bool,
    pub target_arn: String,
}

/// One deployment's tick schedule.
#[derive(Clone, Debug)]
pub struct TickSchedule {
    client: Client,
    pub name: String,
    pub group: String,
}

/// `rate(5 minutes)` for `every` (whole minutes, rounded down, at least one).
pub fn rate(every: Duration) -> String {
    match (every.as_secs() / 60).max(1) {
        1 => "rate(1 minute)".to_string(),
        minutes => format!("rate({minutes} minutes)"),
    }
}

impl TickSchedule {
    pub fn new(client: Client, deployment: &str, group: &str) -> TickSchedule {
        TickSchedule {
            client,
            name: tick_schedule_name(deployment),
            group: group.to_string(),
        }
    }

    /// The schedule the runner was invoked by, as its event names it.
    pub fn named(client: Client, by: &ScheduleRef) -> TickSchedule {
        TickSchedule {
            client,
            name: by.name.clone(),
            group: by.group.clone(),
        }
    }

    pub fn reference(&self) -> ScheduleRef {
        ScheduleRef {
            name: self.name.clone(),
            group: self.group.clone(),
        }
    }

    /// Creates the schedule, or replaces its whole definition when it exists.
    pub async fn put(&self, spec: &TickSpec) -> Result<Put, AwsError> {
        let target = self.target(spec)?;
        let created = definition!(self, create_schedule(), target.clone(), spec.every)
            .send()
            .await;
        match created {
            Ok(_) => Ok(Put::Created),
            Err(e)
                if e.as_service_error()
                    .is_some_and(|s| s.is_conflict_exception()) =>
            {
                definition!(self, update_schedule(), target, spec.every)
                    .send()
                    .await
                    .map_err(|e| self.error("UpdateSchedule", &e))?;
                Ok(Put::Updated)
            }
            Err(e) => Err(self.error("CreateSchedule", &e)),
        }
    }

    fn off(&self) -> Result<aws_sdk_scheduler::types::FlexibleTimeWindow, AwsError> {
        window_off().map_err(|why| self.local(why))
    }

    /// Deletes the schedule; `false` when there was none.
    pub async fn delete(&self) -> Result<bool, AwsError> {
        let out = self
            .client
            .delete_schedule()
            .name(&self.name)
            .group_name(&self.group)
            .send()
            .await;
        match out {
            Ok(_) => Ok(true),
            Err(e) if not_found(&e) => Ok(false),
            Err(e) => Err(self.error("DeleteSchedule", &e)),
        }
    }

    /// The schedule as AWS holds it; `None` when there is none.
    pub async fn read(&self) -> Result<Option<Held>, AwsError> {
        let out = self
            .client
            .get_schedule()
            .name(&self.name)
            .group_name(&self.group)
            .send()
            .await;
        match out {
            Ok(out) => Ok(Some(Held {
                expression: out.schedule_expression().unwrap_or_default().to_string(),
                enabled: out.state() == Some(&ScheduleState::Enabled),
                target_arn: out
                    .target()
                    .map(|t| t.arn().to_string())
                    .unwrap_or_default(),
            })),
            Err(e) if not_found(&e) => Ok(None),
            Err(e) => Err(self.error("GetSchedule", &e)),
        }
    }

    fn target(&self, spec: &TickSpec) -> Result<Target, AwsError> {
        let input = serde_json::to_string(&spec.event).map_err(|e| self.local(e.to_string()))?;
        // A tick older than the next one is worth nothing: Scheduler stops retrying it then.
        let max_age = i32::try_from(spec.every.as_secs().clamp(60, 86_400)).unwrap_or(86_400);
        Target::builder()
            .arn(&spec.function_arn)
            .role_arn(&spec.role_arn)
            .input(input)
            .retry_policy(
                RetryPolicy::builder()
                    .maximum_retry_attempts(RETRIES)
                    .maximum_event_age_in_seconds(max_age)
                    .build(),
            )
            .dead_letter_config(
                DeadLetterConfig::builder()
                    .arn(&spec.dead_letter_arn)
                    .build(),
            )
            .build()
            .map_err(|e| self.local(e.to_string()))
    }

    fn error<E, R>(
        &self,
        operation: &'static str,
        e: &aws_smithy_runtime_api::client::result::SdkError<E, R>,
    ) -> AwsError
    where
        E: std::error::Error + ProvideErrorMetadata + 'static,
        R: crate::aws::error::ResponseStatus + std::fmt::Debug,
    {
        AwsError::from_sdk(SCHEDULER, operation, self.resource(), e)
    }

    /// A request this release could not build (a bug, said as an AWS-shaped error).
    fn local(&self, why: String) -> AwsError {
        AwsError::unusable(SCHEDULER, "CreateSchedule", self.resource(), why)
    }

    fn resource(&self) -> String {
        format!("schedule {}/{}", self.group, self.name)
    }
}

const DESCRIPTION: &str = "canary-deploy: one tick of the deployment per run, by the runner \
                           function; deleted by the runner when the deployment ends";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_rate_is_the_interval_in_whole_minutes() {
        assert_eq!(rate(Duration::from_secs(1)), "rate(1 minute)");
        assert_eq!(rate(Duration::from_secs(60)), "rate(1 minute)");
        assert_eq!(rate(Duration::from_secs(150)), "rate(2 minutes)");
        assert_eq!(rate(Duration::from_secs(3600)), "rate(60 minutes)");
    }
}

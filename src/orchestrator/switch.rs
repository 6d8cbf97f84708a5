//! The dead-man's switch on AWS: one one-time EventBridge Scheduler schedule per deployment,
//! `at(now + max_gap)`, whose universal target is the request that puts all traffic back on
//! stable ([`crate::traffic::restore`]), read from the live resource when it is armed. After
//! every tick and operator command [`Switch::sync`] reads the schedule (GetSchedule), asks
//! [`crate::core::switch::decide`] what to do, and creates, moves or deletes it. If every runner dies,
//! AWS itself makes the restoring write at the schedule's time, and the schedule deletes itself
//! (ActionAfterCompletion DELETE).
//!
//! A switch that cannot be synced (Scheduler refuses, the role is missing) never stops the
//! deployment: it is reported as a `switch_unavailable` event on every tick it lasts.

use crate::aws::error::service::SCHEDULER;
use crate::aws::scheduler::{not_found, window_off};
use crate::aws::AwsError;
use crate::core::plan::DeadMansSwitch;
use crate::core::switch::{decide, decide_lane, lane_schedule_name, schedule_name, SwitchMove};
use crate::core::{Event, EventKind, Record, Timestamp};
use crate::report::EventSink;
use crate::traffic::Router;
use aws_sdk_scheduler::types::{ActionAfterCompletion, RetryPolicy, ScheduleState, Target};
use aws_sdk_scheduler::Client;

/// CreateSchedule and UpdateSchedule take the same whole definition (their builders are two
/// types): the switch's schedule, firing once at `$fires_at` with `$target`.
macro_rules! schedule {
    ($switch:expr, $operation:ident(), $target:expr, $fires_at:expr) => {
        $switch
            .client
            .$operation()
            .name(&$switch.name)
            .group_name(&$switch.config.group)
            .description($switch.description())
            .schedule_expression(at($fires_at))
            .schedule_expression_timezone("UTC")
            .flexible_time_window(window_off()?)
            .state(ScheduleState::Enabled)
            .action_after_completion(ActionAfterCompletion::Delete)
            .target($target)
    };
}

/// The schedule's description, for whoever finds it in the console.
const DESCRIPTION: &str = "canary-deploy dead-man's switch: puts all traffic back on stable at \
                           this time unless the deployment's runner pushes it forward first";
/// The header lane switch's description.
const LANE_DESCRIPTION: &str = "canary-deploy dead-man's switch: deletes the deployment's header \
                                lane rule at this time unless its runner pushes it forward first";

/// What a switch's schedule puts right when it fires.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Watches {
    /// The weights: its call is the route's stable-only write.
    Weights,
    /// The header lane's rule: its call deletes it.
    Lane,
}

/// How long Scheduler keeps retrying a restoring write that fails (its maximum is 24 h).
const RETRY_FOR_SECONDS: i32 = 3_600;

/// One deployment's switch.
#[derive(Clone, Debug)]
pub struct Switch {
    client: Client,
    config: DeadMansSwitch,
    /// The schedule's name: [`schedule_name`] of the deployment.
    pub name: String,
    /// False for an operator's `--target` command, which knows no playbook (so no role): it
    /// only disarms a switch in the default group that its command ends.
    may_arm: bool,
    deployment: String,
    watches: Watches,
}

impl Switch {
    pub fn new(client: Client, config: DeadMansSwitch, deployment: &str) -> Switch {
        Switch {
            client,
            config,
            name: schedule_name(deployment),
            may_arm: true,
            deployment: deployment.to_string(),
            watches: Watches::Weights,
        }
    }

    /// The same deployment's second switch, which deletes its header lane's rule
    /// ([`decide_lane`]): its own schedule, `canary-deploy-<name>.lane`, in the same group.
    pub fn for_lane(&self) -> Switch {
        Switch {
            name: lane_schedule_name(&self.deployment),
            watches: Watches::Lane,
            ..self.clone()
        }
    }

    fn description(&self) -> &'static str {
        match self.watches {
            Watches::Weights => DESCRIPTION,
            Watches::Lane => LANE_DESCRIPTION,
        }
    }

    /// The switch an operator's `--target` command can see: the deployment's schedule in the
    /// record's group, to disarm when the command ends the deployment or pauses it.
    pub fn for_target(client: Client, deployment: &str, group: &str) -> Switch {
        let config = DeadMansSwitch {
            role_arn: String::new(),
            group: group.to_string(),
            max_gap: std::time::Duration::from_secs(600),
        };
        Switch {
            may_arm: false,
            ..Switch::new(client, config, deployment)
        }
    }

    /// Brings the schedule in line with `record` at `now`.
    pub async fn sync<R: Router + Sync>(
        &self,
        router: &R,
        record: &Record,
        now: Timestamp,
        sink: &mut dyn EventSink,
    ) {
        if let Err(why) = self.try_sync(router, record, now, sink).await {
            sink.emit(&Event {
                at: now,
                kind: EventKind::SwitchUnavailable { why },
            });
        }
    }

    async fn try_sync<R: Router + Sync>(
        &self,
        router: &R,
        record: &Record,
        now: Timestamp,
        sink: &mut dyn EventSink,
    ) -> Result<(), String> {
        let armed = self.read().await?;
        let fires = armed.as_ref().and_then(|s| s.fires_at);
        // A schedule of ours that no longer reads as one (someone edited it) counts as due.
        let fires = match (&armed, fires) {
            (Some(_), None) => Some(now),
            (_, fires) => fires,
        };
        let decided = match self.watches {
            Watches::Weights => decide(record, fires, self.config.max_gap, now),
            Watches::Lane => decide_lane(record, fires, self.config.max_gap, now),
        };
        match decided {
            SwitchMove::Keep => Ok(()),
            SwitchMove::Arm { .. } | SwitchMove::Push { .. } if !self.may_arm => Ok(()),
            SwitchMove::Arm { fires_at } => {
                let call = match self.watches {
                    Watches::Weights => router.restore_call().await.map_err(|e| e.to_string())?,
                    Watches::Lane => {
                        let rule = record.lane.as_ref().and_then(|l| l.rule());
                        let lanes = router.lane();
                        match (rule, lanes) {
                            (Some(rule), Some(lanes)) => lanes.remove_call(rule),
                            _ => return Err("the header lane has no rule to remove".into()),
                        }
                    }
                };
                let partition = partition_of(&self.config.role_arn);
                let target = Target::builder()
                    .arn(call.target_arn(partition))
                    .role_arn(&self.config.role_arn)
                    .input(call.input.to_string())
                    .retry_policy(
                        RetryPolicy::builder()
                            .maximum_event_age_in_seconds(RETRY_FOR_SECONDS)
                            .maximum_retry_attempts(185)
                            .build(),
                    )
                    .build()
                    .map_err(|e| e.to_string())?;
                self.create(target, fires_at).await?;
                sink.emit(&Event {
                    at: now,
                    kind: EventKind::SwitchArmed {
                        schedule: self.name.clone(),
                        fires_at,
                    },
                });
                Ok(())
            }
            SwitchMove::Push { fires_at } => match armed.and_then(|s| s.target) {
                Some(target) => self.update(target, fires_at).await,
                None => Err(format!("schedule {} has no target to keep", self.name)),
            },
            SwitchMove::Disarm => {
                self.delete().await?;
                sink.emit(&Event {
                    at: now,
                    kind: EventKind::SwitchDisarmed {
                        schedule: self.name.clone(),
                    },
                });
                Ok(())
            }
        }
    }

    /// For `status`: when the armed switch restores the stable split (`Ok(None)`: not armed;
    /// a schedule whose time cannot be read says so).
    pub async fn fires_at(&self) -> Result<Option<String>, String> {
        Ok(self.read().await?.map(|armed| match armed.fires_at {
            Some(at) => at.rfc3339(),
            None => "an unreadable time (the schedule was edited)".to_string(),
        }))
    }

    /// The schedule as AWS holds it; `None` when there is none.
    async fn read(&self) -> Result<Option<Armed>, String> {
        let out = self
            .client
            .get_schedule()
            .name(&self.name)
            .group_name(&self.config.group)
            .send()
            .await;
        match out {
            Ok(out) => Ok(Some(Armed {
                fires_at: out.schedule_expression().and_then(parse_at),
                target: out.target().cloned(),
            })),
            Err(e) if not_found(&e) => Ok(None),
            Err(e) => Err(self.aws_error("GetSchedule", &e)),
        }
    }

    async fn create(&self, target: Target, fires_at: Timestamp) -> Result<(), String> {
        let out = schedule!(self, create_schedule(), target.clone(), fires_at)
            .send()
            .await;
        match out {
            Ok(_) => Ok(()),
            // Created meanwhile (a second runner, a retried call): move it instead.
            Err(e)
                if e.as_service_error()
                    .is_some_and(|s| s.is_conflict_exception()) =>
            {
                self.update(target, fires_at).await
            }
            Err(e) => Err(self.aws_error("CreateSchedule", &e)),
        }
    }

    /// UpdateSchedule replaces the whole definition: the same target, a new time.
    async fn update(&self, target: Target, fires_at: Timestamp) -> Result<(), String> {
        schedule!(self, update_schedule(), target, fires_at)
            .send()
            .await
            .map(|_| ())
            .map_err(|e| self.aws_error("UpdateSchedule", &e))
    }

    async fn delete(&self) -> Result<(), String> {
        let out = self
            .client
            .delete_schedule()
            .name(&self.name)
            .group_name(&self.config.group)
            .send()
            .await;
        match out {
            Ok(_) => Ok(()),
            Err(e) if not_found(&e) => Ok(()),
            Err(e) => Err(self.aws_error("DeleteSchedule", &e)),
        }
    }

    fn aws_error<E, R>(
        &self,
        operation: &'static str,
        e: &aws_smithy_runtime_api::client::result::SdkError<E, R>,
    ) -> String
    where
        E: std::error::Error + aws_smithy_types::error::metadata::ProvideErrorMetadata + 'static,
        R: crate::aws::error::ResponseStatus + std::fmt::Debug,
    {
        let resource = format!("schedule {}/{}", self.config.group, self.name);
        AwsError::from_sdk(SCHEDULER, operation, resource, e).to_string()
    }
}

/// What GetSchedule says of an armed switch.
struct Armed {
    fires_at: Option<Timestamp>,
    target: Option<Target>,
}

/// `at(2026-12-07T11:33:19)`, in UTC.
fn at(time: Timestamp) -> String {
    let text = time.rfc3339();
    format!("at({})", text.trim_end_matches('Z'))
}

/// The time of an `at(...)` expression in UTC; `None` for anything else.
fn parse_at(expression: &str) -> Option<Timestamp> {
    let inner = expression.strip_prefix("at(")?.strip_suffix(')')?;
    let at = humantime::parse_rfc3339(&format!("{inner}Z")).ok()?;
    let secs = at.duration_since(std::time::UNIX_EPOCH).ok()?.as_secs();
    Some(Timestamp::from_secs(i64::try_from(secs).ok()?))
}

fn partition_of(arn: &str) -> &str {
    crate::arn::Arn::parse(arn).map_or("aws", |a| a.partition)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schedule_times_read_back_and_names_fit() {
        let t = Timestamp::from_secs(1_796_643_199);
        assert_eq!(at(t), "at(2026-12-07T11:33:19)");
        assert_eq!(parse_at(&at(t)), Some(t));
        assert_eq!(parse_at("rate(5 minutes)"), None);
        assert_eq!(
            partition_of("arn:aws-cn:iam::123456789012:role/r"),
            "aws-cn"
        );
    }
}

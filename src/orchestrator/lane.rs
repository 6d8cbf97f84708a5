//! Where a tick or an operator's command meets the header test lane: the rule is created when
//! the deployment enters the lane's step, and removed when it ends (promoted, rolled back or
//! failed), by whoever ends it: a runner, or an on-call command with only the resource's ARN
//! (the record has the rule and its token).
//!
//! Creation is two-phase like a weight write (see [`crate::core::lane`]): the record is saved
//! `Opening` (priority, token) before CreateRule, and `Open` after the read-back; a record
//! found `Opening` first looks for its own rule at that priority. Removal reads the rule's tags
//! first and leaves a rule that no longer carries the deployment's token. A failure to create
//! pauses the deployment (all traffic is still on stable); a failure to remove is a warning,
//! and the next tick or command tries again. In the lane's step each tick checks that the rule
//! is still there (one read): a rule removed outside the run pauses the deployment.

use super::perform::Shell;
use super::{Deployment, OrchestratorError};
use crate::core::lane::{self, Lane, LaneMove, LaneState};
use crate::core::plan::HeaderLane;
use crate::core::{Event, EventKind, Phase, Record, Split, Timestamp};
use crate::metrics::MetricSource;
use crate::report::EventSink;
use crate::store::Store;
use crate::traffic::lane::{LaneError, LaneRouter, LaneRule, Removed};
use crate::traffic::Router;

impl<R: Router + Sync, M: MetricSource + Sync, S: Store + Sync> Deployment<R, M, S> {
    /// Whether a pending deployment may start on `live`: the plan's `start_from` rule, and,
    /// with `place_lane`, when it starts in the header lane, a lane the route allows (a free
    /// priority, conditions within the limits: one read of the listener). A refusal writes and
    /// saves nothing.
    pub(super) async fn check_start(
        &self,
        live: Split,
        place_lane: bool,
    ) -> Result<(), OrchestratorError> {
        let start = crate::core::start::start(&self.plan, live);
        if let crate::core::start::Start::Refuse { why } = start {
            return Err(OrchestratorError::ExistingSplit(why));
        }
        let in_lane = place_lane && start.index() == 0;
        let Some(lane) = self.plan.lane.as_ref().filter(|_| in_lane) else {
            return Ok(());
        };
        let Some(router) = self.router.lane() else {
            return Err(OrchestratorError::LaneRefused(format!(
                "{} has no listener rules to add a lane to",
                self.router.describe()
            )));
        };
        match router.place(lane).await {
            Ok(_) => Ok(()),
            Err(LaneError::Refused(why)) => Err(OrchestratorError::LaneRefused(why)),
            Err(LaneError::Traffic(e)) => Err(e.into()),
        }
    }
}

impl<R: Router + Sync, S: Store + Sync> Shell<'_, R, S> {
    /// The lane's rule brought in line with `record` (created in the lane's step, removed once
    /// the deployment ended); `plan_lane` is the playbook's lane (`None` for an operator with
    /// only the record, who never creates one). Returns the record as saved.
    pub(super) async fn sync_lane(
        &self,
        record: Record,
        plan_lane: Option<&HeaderLane>,
        now: Timestamp,
        sink: &mut dyn EventSink,
    ) -> Result<Record, OrchestratorError> {
        let Some(router) = self.router.lane() else {
            return Ok(record);
        };
        match (lane::wanted(&record, plan_lane), plan_lane) {
            (LaneMove::Open, Some(spec)) => self.open(&router, record, spec, now, sink).await,
            (LaneMove::Close, _) => self.close(&router, record, now, sink).await,
            (LaneMove::Verify, _) => self.verify(&router, record, now, sink).await,
            _ => Ok(record),
        }
    }

    /// In the lane's step, the rule must still be there: gone, the deployment pauses (and a
    /// `resume` creates it again).
    async fn verify(
        &self,
        router: &LaneRouter,
        record: Record,
        now: Timestamp,
        sink: &mut dyn EventSink,
    ) -> Result<Record, OrchestratorError> {
        let Some(rule) = record
            .lane
            .as_ref()
            .and_then(|l| l.rule())
            .map(str::to_string)
        else {
            return Ok(record);
        };
        match router.exists(&rule).await? {
            true => Ok(record),
            false => {
                let (mut paused, events) = lane::vanished(record, &rule, now);
                for event in &events {
                    sink.emit(event);
                }
                self.store.save(&mut paused).await?;
                Ok(paused)
            }
        }
    }

    async fn open(
        &self,
        router: &LaneRouter,
        mut record: Record,
        spec: &HeaderLane,
        now: Timestamp,
        sink: &mut dyn EventSink,
    ) -> Result<Record, OrchestratorError> {
        if let Some(Lane {
            token,
            state: LaneState::Opening { priority },
            ..
        }) = &record.lane
        {
            match router.find(*priority, token).await {
                Ok(Some(rule)) => return self.opened(record, rule, now, sink).await,
                Ok(None) => {}
                Err(error) => return self.open_failed(record, error, now, sink).await,
            }
        }
        let placement = match router.place(spec).await {
            Ok(placement) => placement,
            Err(error) => return self.open_failed(record, error, now, sink).await,
        };
        let token = match &record.lane {
            Some(lane) => lane.token.clone(),
            None => {
                let random = crate::orchestrator::lease::random_hex();
                format!("{}/{}", record.playbook.name, &random[..16])
            }
        };
        record.lane = Some(Lane {
            lane: spec.clone(),
            token: token.clone(),
            state: LaneState::Opening {
                priority: placement.priority(),
            },
        });
        record.updated_at = now;
        self.store.save(&mut record).await?;
        match router.create(&placement, &token).await {
            Ok(rule) => self.opened(record, rule, now, sink).await,
            Err(error) => self.open_failed(record, error, now, sink).await,
        }
    }

    async fn opened(
        &self,
        mut record: Record,
        rule: LaneRule,
        now: Timestamp,
        sink: &mut dyn EventSink,
    ) -> Result<Record, OrchestratorError> {
        let Some(lane) = record.lane.as_mut() else {
            return Ok(record);
        };
        lane.state = LaneState::Open {
            rule: rule.arn.clone(),
            priority: rule.priority,
        };
        let kind = EventKind::LaneOpened {
            rule: rule.arn,
            priority: rule.priority,
            header: lane.lane.header.clone(),
            value: lane.lane.value.clone(),
        };
        self.said(record, kind, now, sink).await
    }

    /// A creation that a later tick may manage (throttled, transient) is left `Opening` for it;
    /// any other pauses the deployment where it is.
    async fn open_failed(
        &self,
        record: Record,
        error: LaneError,
        now: Timestamp,
        sink: &mut dyn EventSink,
    ) -> Result<Record, OrchestratorError> {
        let error = match error {
            LaneError::Traffic(e) if e.aws().is_some_and(crate::aws::AwsError::is_retryable) => {
                return Err(e.into())
            }
            other => other,
        };
        if !matches!(record.phase, Phase::Stepping { .. }) {
            return Ok(record);
        }
        let (mut paused, events) = lane::open_failed(record, &error.to_string(), now);
        for event in &events {
            sink.emit(event);
        }
        self.store.save(&mut paused).await?;
        Ok(paused)
    }

    async fn close(
        &self,
        router: &LaneRouter,
        mut record: Record,
        now: Timestamp,
        sink: &mut dyn EventSink,
    ) -> Result<Record, OrchestratorError> {
        let Some(lane) = record.lane.clone() else {
            return Ok(record);
        };
        let rule = match &lane.state {
            LaneState::Open { rule, .. } => Some(rule.clone()),
            LaneState::Opening { priority } => match router.find(*priority, &lane.token).await {
                Ok(found) => found.map(|rule| rule.arn),
                Err(error) => return self.not_removed(record, None, error, now, sink).await,
            },
            LaneState::Closed { .. } => return Ok(record),
        };
        let removed = match &rule {
            Some(arn) => router.remove(arn, &lane.token).await,
            None => Ok(Removed::Gone),
        };
        let (left, kind) = match removed {
            Ok(Removed::Deleted | Removed::Gone) => (
                None,
                rule.clone().map(|rule| EventKind::LaneClosed { rule }),
            ),
            Ok(Removed::NotOurs(why)) => {
                let why = format!(
                    "{why}: it is not this deployment's any more, so it was not removed; \
                     delete it yourself if it should go"
                );
                let kind = rule.clone().map(|rule| EventKind::LaneLeft {
                    rule,
                    why: why.clone(),
                });
                (Some(why), kind)
            }
            Err(error) => return self.not_removed(record, rule, error, now, sink).await,
        };
        if let Some(lane) = record.lane.as_mut() {
            lane.state = LaneState::Closed { rule, left };
        }
        match kind {
            Some(kind) => self.said(record, kind, now, sink).await,
            None => {
                record.updated_at = now;
                self.store.save(&mut record).await?;
                Ok(record)
            }
        }
    }

    /// The removal failed: said as a warning, the record kept as it was for the next try.
    async fn not_removed(
        &self,
        record: Record,
        rule: Option<String>,
        error: LaneError,
        now: Timestamp,
        sink: &mut dyn EventSink,
    ) -> Result<Record, OrchestratorError> {
        let kind = EventKind::LaneLeft {
            rule: rule.unwrap_or_else(|| "(not found yet)".to_string()),
            why: format!(
                "it could not be removed: {error}; run `canary-deploy rollback` (or the next \
                 tick) to try again"
            ),
        };
        sink.emit(&Event { at: now, kind });
        Ok(record)
    }

    /// `kind` remembered in the record, emitted, and the record saved.
    async fn said(
        &self,
        mut record: Record,
        kind: EventKind,
        now: Timestamp,
        sink: &mut dyn EventSink,
    ) -> Result<Record, OrchestratorError> {
        let event = Event { at: now, kind };
        sink.emit(&event);
        record.remember(event);
        record.updated_at = now;
        self.store.save(&mut record).await?;
        Ok(record)
    }
}

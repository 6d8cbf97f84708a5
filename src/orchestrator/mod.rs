//! The imperative shell around core: one tick = load the record → read the live weights and the
//! metrics → `core::step` → perform the actions → save.
//!
//! `run` is ticks in a loop with a sleep, `advance` is one tick and exit, `rollback` is a tick
//! with an operator command; all go through the same tick, so there is one code path to trust.
//! `run` and `advance` act only while they hold the deployment's lease (see [`lease`]); an
//! operator's command takes the lease over and never waits for it. Writes follow a small
//! two-phase protocol: the intended split is saved as `in_flight` before the write, and the
//! verified split replaces it after the read-back, so a runner killed between the two recognises
//! its own write on restart instead of mistaking it for someone else's change.

mod advance;
mod analyse;
pub mod clock;
pub mod history;
pub mod hooks;
mod lane;
pub mod lease;
mod notify;
pub mod operate;
mod perform;
pub mod recall;
pub mod recent;
mod recovery;
mod restart;
pub mod run;
pub mod setup;
pub mod switch;

use crate::core::record::PlaybookId;
use crate::core::{
    self, Event, EventKind, Inputs, OperatorCommand, Phase, Plan, Record, Timestamp,
};
use crate::metrics::{MetricSource, MetricsError};
use crate::report::EventSink;
use crate::store::{Store, StoreError};
use crate::traffic::{Router, TrafficError};
use perform::Shell;

pub use clock::{Clock, SystemClock};
pub use lease::{LeaseTerms, DEFAULT_SETTLE};

#[derive(Debug, thiserror::Error)]
pub enum OrchestratorError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Traffic(#[from] TrafficError),
    #[error(transparent)]
    Metrics(#[from] MetricsError),
    #[error(
        "the playbook changed while the deployment of its previous revision is {phase}; finish \
         it with `canary-deploy rollback` or restore the previous playbook"
    )]
    PlaybookChanged { phase: &'static str },
    #[error("{0}")]
    Setup(String),
    /// An operator's command that cannot be applied in the deployment's phase: nothing changed.
    #[error("{0}")]
    Refused(String),
    /// The canary already has traffic and the plan does not say how to go on: nothing was
    /// written or saved.
    #[error("{0}")]
    ExistingSplit(String),
    /// The header lane the plan starts with cannot be made on this route: nothing was written
    /// or saved.
    #[error("the header lane cannot be made: {0}; nothing was written or saved")]
    LaneRefused(String),
    /// The deployment record contradicts the live resource (or itself): it was changed
    /// outside canary-deploy. Nothing was written or saved.
    #[error("{0}")]
    Contradiction(String),
    /// An operator's rollback was written and verified, but the record could not be saved
    /// afterwards: the traffic is safe, the record is behind.
    #[error(
        "all traffic is back on stable (verified), but the deployment record could not be \
         saved: {error}. The traffic is safe; `canary-deploy status` shows the old record until \
         `canary-deploy rollback` is run again (which writes nothing and saves the record)"
    )]
    Unsaved {
        record: Box<Record>,
        error: StoreError,
    },
    /// Another runner holds the deployment's lease: this one did nothing.
    #[error(
        "another runner holds the deployment: {owner} until {}; not acting",
        .until.rfc3339()
    )]
    Busy { owner: String, until: Timestamp },
    /// This runner could not take the lease, or lost it (an operator's command took it over, or
    /// another runner claimed it after it lapsed): it stops acting.
    #[error("this runner does not hold the deployment's lease: {0}; not acting")]
    LeaseLost(String),
}

impl OrchestratorError {
    /// The AWS call that failed, from whichever layer made it.
    pub fn aws(&self) -> Option<&crate::aws::AwsError> {
        match self {
            OrchestratorError::Store(error) | OrchestratorError::Unsaved { error, .. } => {
                error.aws()
            }
            OrchestratorError::Traffic(error) => error.aws(),
            OrchestratorError::Metrics(error) => error.aws(),
            _ => None,
        }
    }

    /// Whether another tick may succeed where this one failed: the one retry rule
    /// ([`crate::aws::Kind::is_retryable`]) applied to the AWS call that failed. Anything else
    /// (a bad record, a changed playbook, a resource that is gone) will not fix itself.
    pub fn is_retryable(&self) -> bool {
        self.aws().is_some_and(crate::aws::AwsError::is_retryable)
    }
}

/// One deployment: its plan, the three things a tick talks to, and its dead-man's switch when
/// the plan has one.
pub struct Deployment<R, M, S> {
    pub plan: Plan,
    pub router: R,
    pub metrics: M,
    pub store: S,
    pub switch: Option<switch::Switch>,
    /// Who is told of the deployment's state changes (`notify:`), when anyone is.
    pub notifier: Option<crate::notify::Notifier>,
    /// The playbook's hooks' caller, when it has hooks.
    pub hooks: Option<crate::hook::HookRunner>,
}

impl<R: Router + Sync, M: MetricSource + Sync, S: Store + Sync> Deployment<R, M, S> {
    /// An operator's command at `now` (rollback, promote, pause, resume), which takes over any
    /// runner's lease and never waits for it. Returns the saved record.
    pub async fn operate(
        &self,
        now: Timestamp,
        command: OperatorCommand,
        sink: &mut dyn EventSink,
    ) -> Result<Record, OrchestratorError> {
        let load = || self.load_or_start(now, true);
        let identity = core::agree::Identity::Playbook;
        let before = self
            .store
            .load(&self.plan.name)
            .await
            .ok()
            .flatten()
            .map(|r| r.phase);
        let mut capture = notify::Capture::new(sink);
        let operated =
            operate::operate(&self.shell(), load, identity, command, now, &mut capture).await;
        let changes = std::mem::take(&mut capture.changes);
        let record = operated?;
        if let Some(before) = &before {
            self.after_rollback(before, &record, now, sink).await;
        }
        self.sync_switch(&record, now, sink).await;
        self.notify(&changes, &record, sink).await;
        Ok(record)
    }

    /// The state changes of a tick or command told to the playbook's channels.
    async fn notify(&self, changes: &[Event], record: &Record, sink: &mut dyn EventSink) {
        if let (Some(notifier), false) = (&self.notifier, changes.is_empty()) {
            notify::deliver(notifier, changes, record, sink).await;
        }
    }

    /// The dead-man's switch brought in line with `record` (a no-op without one).
    async fn sync_switch(&self, record: &Record, now: Timestamp, sink: &mut dyn EventSink) {
        if let Some(switch) = &self.switch {
            switch.sync(&self.router, record, now, sink).await;
            if record.lane.is_some() {
                switch
                    .for_lane()
                    .sync(&self.router, record, now, sink)
                    .await;
            }
        }
    }

    /// One runner's tick at `now`, the tick `run` makes each turn, but with no lease taken or
    /// checked: for a caller that knows it is alone on the deployment (`run` and
    /// [`Self::advance`] hold the lease around the same tick). Returns the saved record.
    pub async fn tick(
        &self,
        now: Timestamp,
        sink: &mut dyn EventSink,
    ) -> Result<Record, OrchestratorError> {
        let record = self.load_or_start(now, false).await?;
        self.tick_record(record, now, false, sink).await
    }

    /// A runner's tick on `record` as just loaded (and, for a leased runner, checked to carry
    /// its lease). `force_save` saves the record even when the tick changes nothing (a lease
    /// renewal).
    async fn tick_record(
        &self,
        record: Record,
        now: Timestamp,
        force_save: bool,
        sink: &mut dyn EventSink,
    ) -> Result<Record, OrchestratorError> {
        let mut capture = notify::Capture::new(sink);
        let ticked = self
            .tick_unnotified(record, now, force_save, &mut capture)
            .await;
        let changes = std::mem::take(&mut capture.changes);
        if let Ok(record) = &ticked {
            self.notify(&changes, record, sink).await;
        }
        ticked
    }

    async fn tick_unnotified(
        &self,
        mut record: Record,
        now: Timestamp,
        force_save: bool,
        sink: &mut dyn EventSink,
    ) -> Result<Record, OrchestratorError> {
        record.route = Some(self.router.route());
        record.switch_group = self.plan.switch.as_ref().map(|s| s.group.clone());
        let live = match self.router.read().await {
            Ok(live) => live,
            Err(error @ TrafficError::UnusableAnswer { .. }) => {
                return self.pause_on_unusable(record, error, now, sink).await
            }
            Err(error) => return Err(error.into()),
        };
        if record.phase == Phase::Pending {
            // A leased runner (`run`, `advance`) placed the lane before it claimed the record.
            self.check_start(live, record.lease.is_none()).await?;
        }
        let shell = self.shell();
        let (mut record, recovered, live) = shell
            .recover_in_flight(record, live, false, now, sink)
            .await?;
        core::agree::runner(&record, &self.plan, live).map_err(OrchestratorError::Contradiction)?;
        let judgement = self.analyse(&mut record, now, sink).await;
        let inputs = Inputs {
            live,
            judgement,
            operator: None,
        };
        let before = record.phase.clone();
        let (record, actions) = self.decide_with_hooks(record, inputs, now, sink).await;
        let record = match shell
            .perform(record, actions, now, recovered || force_save, sink)
            .await
        {
            Err(OrchestratorError::Store(conflict @ StoreError::Conflict { .. })) => {
                return self.yield_to_newer_record(conflict, now, sink).await
            }
            result => result?,
        };
        let record = shell
            .sync_lane(record, self.plan.lane.as_ref(), now, sink)
            .await?;
        self.after_rollback(&before, &record, now, sink).await;
        self.sync_switch(&record, now, sink).await;
        Ok(record)
    }

    /// A tick whose read of the live weights could not be used pauses the deployment where it
    /// is (saved, nothing written); a deployment that does not act on the read reports it.
    async fn pause_on_unusable(
        &self,
        record: Record,
        error: TrafficError,
        now: Timestamp,
        sink: &mut dyn EventSink,
    ) -> Result<Record, OrchestratorError> {
        let Some((mut paused, events)) =
            core::failure::read_unusable(record, &error.to_string(), now)
        else {
            return Err(error.into());
        };
        for event in &events {
            sink.emit(event);
        }
        self.store.save(&mut paused).await?;
        Ok(paused)
    }

    /// An ended deployment's record is believed only when the live split agrees with it (a
    /// forged `promoted` on a canary at 10 % is a contradiction, not a result to report).
    async fn check_resting(&self, record: &Record) -> Result<(), OrchestratorError> {
        if !matches!(
            record.phase,
            Phase::Promoted { .. } | Phase::RolledBack { .. }
        ) {
            return Ok(());
        }
        let live = self.router.read().await?;
        core::agree::runner(record, &self.plan, live).map_err(OrchestratorError::Contradiction)
    }

    /// The router and the store, which perform core's actions.
    fn shell(&self) -> Shell<'_, R, S> {
        Shell {
            router: &self.router,
            store: &self.store,
        }
    }

    /// The stored record of this playbook, or a new one. A changed playbook starts a new
    /// deployment only once the previous one has ended.
    async fn load_or_start(
        &self,
        now: Timestamp,
        operator: bool,
    ) -> Result<Record, OrchestratorError> {
        let id = PlaybookId {
            name: self.plan.name.clone(),
            content_hash: self.plan.content_hash.clone(),
        };
        match self.store.load(&self.plan.name).await? {
            None => Ok(Record::new(id, now)),
            Some(record) if record.playbook == id || operator => Ok(record),
            Some(record) if record.phase.is_terminal() => {
                let mut fresh = Record::new(id, now);
                fresh.revision = record.revision;
                fresh.written = record.written;
                Ok(fresh)
            }
            Some(record) => Err(OrchestratorError::PlaybookChanged {
                phase: record.phase.name(),
            }),
        }
    }
}

/// Records a verified write: this split is now what must be live, and nothing is in flight.
fn record_verified(
    record: &mut Record,
    verified: core::Split,
    now: Timestamp,
    sink: &mut dyn EventSink,
) {
    record.written = Some(verified);
    record.in_flight = None;
    let event = core::Event {
        at: now,
        kind: EventKind::WeightsVerified { split: verified },
    };
    sink.emit(&event);
    record.remember(event);
}

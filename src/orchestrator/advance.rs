//! `advance`: one leased tick, for scheduled jobs that keep no runner alive and no state of their
//! own. Take the lease, make one tick (which never waits for a bake: it judges, steps, promotes
//! or rolls back as due at `now`, or does nothing), release the lease. A deployment is started
//! when none is active for this playbook revision. Everything it needs between two calls is in
//! the record, so a call is the same whether the last one ran a minute ago or on another machine.

use super::lease::{Acquired, LeaseTerms};
use super::{Deployment, OrchestratorError};
use crate::core::lease::ADVANCE_TTL;
use crate::core::{Record, Timestamp};
use crate::metrics::MetricSource;
use crate::report::EventSink;
use crate::store::{Store, StoreError};
use crate::traffic::Router;
use std::time::Duration;

impl<R: Router + Sync, M: MetricSource + Sync, S: Store + Sync> Deployment<R, M, S> {
    /// One tick at `now` under a lease held by `owner` (taken with the given `settle`, see
    /// [`super::lease`]). Returns the record as stored afterwards, or
    /// [`OrchestratorError::Busy`] when another runner holds the deployment (nothing done).
    pub async fn advance(
        &self,
        now: Timestamp,
        owner: &str,
        settle: Duration,
        sink: &mut dyn EventSink,
    ) -> Result<Record, OrchestratorError> {
        if let Some(record) = self.quiet_tick(now, sink).await? {
            return Ok(record);
        }
        let terms = LeaseTerms::new(owner, ADVANCE_TTL, settle);
        let record = match self.acquire(now, &terms).await? {
            Acquired::Idle(record) => {
                self.check_resting(&record).await?;
                return Ok(record);
            }
            Acquired::Held(record) => record,
        };
        let ticked = match self.tick_record(record, now, false, sink).await {
            Err(conflict @ OrchestratorError::Store(StoreError::Conflict { .. })) => {
                self.after_conflict(conflict, now, &terms).await
            }
            ticked => ticked,
        };
        // Released whatever the tick came to; a lease that cannot be released lapses by itself.
        let released = self.release_lease(&terms).await;
        let record = ticked?;
        match released {
            Ok(Some(stored)) => Ok(stored),
            Ok(None) => Ok(record),
            Err(error) => {
                tracing::warn!(
                    "could not release the lease; it lapses at {}: {error}",
                    now.plus(ADVANCE_TTL).rfc3339()
                );
                Ok(record)
            }
        }
    }

    /// The tick looked at first without a lease, read-only: when it would write nothing and
    /// save nothing (a hold, a bake in progress, a repeated verdict), its events are reported
    /// and the dead-man's switch is pushed forward when due; that is all, so a deployment holding
    /// still costs no record writes at all (taking and releasing the lease would be two). `None` when the tick has something to do, or when
    /// the deployment is another runner's, is starting, or has a write in flight: the leased
    /// tick then runs as usual.
    async fn quiet_tick(
        &self,
        now: Timestamp,
        sink: &mut dyn EventSink,
    ) -> Result<Option<Record>, OrchestratorError> {
        let record = match self.load_or_start(now, false).await {
            Ok(record) => record,
            Err(_) => return Ok(None),
        };
        let quiet_phase = matches!(record.phase, crate::core::Phase::Stepping { .. });
        if !quiet_phase || record.in_flight.is_some() || record.lease.is_some() {
            return Ok(None);
        }
        let live = self.router.read().await?;
        if crate::core::agree::runner(&record, &self.plan, live).is_err() {
            return Ok(None);
        }
        let mut looked = record.clone();
        let judgement = self.analyse(&mut looked, now, sink).await;
        let inputs = crate::core::Inputs {
            live,
            judgement,
            operator: None,
        };
        let (_, actions) = crate::core::step(looked, &inputs, &self.plan, now);
        let changes = actions
            .iter()
            .any(|action| !matches!(action, crate::core::Action::Emit(_)));
        if changes {
            return Ok(None);
        }
        for action in actions {
            if let crate::core::Action::Emit(event) = action {
                sink.emit(&event);
            }
        }
        // A tick that finds the deployment as it should be keeps its switch from firing, as a
        // writing tick does.
        self.sync_switch(&record, now, sink).await;
        // What is stored is what the next call starts from: the record as loaded.
        Ok(Some(record))
    }
}

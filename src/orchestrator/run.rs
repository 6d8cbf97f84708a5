//! `run`: ticks in a loop until the deployment is promoted, rolled back or failed, under the
//! deployment's lease: taken once at the start (see [`super::lease`]), renewed by the ticks'
//! saves, released when the run ends. A run whose lease is gone at a tick (an operator's command
//! took it over, or it lapsed and another runner claimed it) stops acting at once.
//!
//! A paused deployment (by an operator, or by the run's own judgement) is waited on: the run
//! releases the lease, says it is waiting, reads the record once an interval, and goes on when
//! someone resumes it, or ends when someone rolls it back or promotes it. [`OnPause::Exit`]
//! keeps the pipeline behaviour instead: the run ends on a pause (exit 4).

use super::lease::{not_ours, Acquired, LeaseTerms};
use super::{Clock, Deployment, OrchestratorError};
use crate::aws::retry;
use crate::core::lease::{self, Holder};
use crate::core::{Phase, Record};
use crate::metrics::MetricSource;
use crate::report::EventSink;
use crate::store::{Store, StoreError};
use crate::traffic::Router;
use std::time::Duration;

/// Consecutive failed ticks (AWS unreachable, throttled past the SDK's retries) before `run`
/// gives up; only failures [`OrchestratorError::is_retryable`] are retried at all. Traffic stays on the last verified weights, and `run` can be started again.
pub const MAX_FAILED_TICKS: u32 = 5;

/// What `run` does when the deployment is paused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OnPause {
    /// Wait for an operator's resume, rollback or promote.
    Wait,
    /// End the run, as paused.
    Exit,
}

/// The record a leased runner's tick works on, or why it stops.
enum Next {
    Act(Record),
    /// The deployment rests (it has ended, or an operator rolled it back and so holds the
    /// lease): report it as usual.
    Stop(Record),
}

impl<R: Router + Sync, M: MetricSource + Sync, S: Store + Sync> Deployment<R, M, S> {
    /// Ticks under the lease of `terms` until the phase needs no more ticks, then releases the
    /// lease (also after an error). Transient tick errors are reported and retried up to
    /// [`MAX_FAILED_TICKS`] times in a row. [`OrchestratorError::Busy`] when another runner holds
    /// the deployment. The lease's ttl should be [`lease::run_ttl`] of the analysis interval.
    pub async fn run(
        &self,
        clock: &impl Clock,
        terms: &LeaseTerms,
        on_pause: OnPause,
        sink: &mut dyn EventSink,
    ) -> Result<Record, OrchestratorError> {
        let result = self.run_leased(clock, terms, on_pause, sink).await;
        if let Err(error) = self.release_lease(terms).await {
            tracing::warn!("could not release the lease (it lapses by itself): {error}");
        }
        result
    }

    async fn run_leased(
        &self,
        clock: &impl Clock,
        terms: &LeaseTerms,
        on_pause: OnPause,
        sink: &mut dyn EventSink,
    ) -> Result<Record, OrchestratorError> {
        // The lease is taken at the first turn of the loop, so a throttled claim is retried
        // like a throttled tick.
        let mut held = false;
        let mut failures = 0;
        loop {
            let now = clock.now();
            let next = match held {
                false => self
                    .acquire(now, terms)
                    .await
                    .map(|acquired| match acquired {
                        Acquired::Idle(record) => Next::Stop(record),
                        Acquired::Held(record) => {
                            held = true;
                            Next::Act(record)
                        }
                    }),
                true => self.next_record(now, terms).await,
            };
            let result = match next {
                Ok(Next::Act(mut record)) => {
                    let due = lease::renewal_due(record.lease.as_ref(), now, terms.ttl);
                    lease::renew(&mut record, &terms.token, now, terms.ttl);
                    match self.tick_record(record, now, due, sink).await {
                        Err(conflict @ OrchestratorError::Store(StoreError::Conflict { .. })) => {
                            self.after_conflict(conflict, now, terms).await
                        }
                        ticked => ticked,
                    }
                }
                Ok(Next::Stop(record)) => {
                    self.check_resting(&record).await?;
                    sink.progress(&record, &self.plan, now);
                    if !waits(&record, on_pause) {
                        return Ok(record);
                    }
                    Ok(record)
                }
                Err(error) => Err(error),
            };
            match result {
                Ok(record) => {
                    failures = 0;
                    sink.progress(&record, &self.plan, now);
                    if record.phase.is_terminal() {
                        return Ok(record);
                    }
                    if matches!(record.phase, Phase::Paused { .. }) {
                        if !waits(&record, on_pause) {
                            return Ok(record);
                        }
                        let after = self.wait_while_paused(record, clock, terms, sink).await?;
                        if after.phase.is_terminal() {
                            self.check_resting(&after).await?;
                            sink.progress(&after, &self.plan, clock.now());
                            return Ok(after);
                        }
                        // Resumed: claim the lease again before the next tick.
                        held = false;
                        continue;
                    }
                }
                Err(error) if failures + 1 < MAX_FAILED_TICKS && error.is_retryable() => {
                    failures += 1;
                    let wait = retry::backoff(failures, self.tick_interval(), terms.ttl / 3);
                    tracing::warn!(
                        "tick failed ({failures}/{MAX_FAILED_TICKS}), retrying in {}: {error}",
                        humantime::format_duration(round_to_ms(wait))
                    );
                    clock.sleep(wait).await;
                    continue;
                }
                Err(error) => return Err(error),
            }
            clock.sleep(self.tick_interval()).await;
        }
    }

    /// The stored record, when this runner still holds its lease. A lease of ours that lapsed
    /// (a stalled runner), or one no runner wrote, is claimed again through the protocol;
    /// anyone else's, or none, stops the run.
    async fn next_record(
        &self,
        now: crate::core::Timestamp,
        terms: &LeaseTerms,
    ) -> Result<Next, OrchestratorError> {
        let record = self.load_or_start(now, false).await?;
        match lease::holder(
            record.lease.as_ref(),
            &terms.token,
            now,
            self.longest_lease(),
        ) {
            Holder::Ours => Ok(Next::Act(record)),
            // Ours lapsed, or someone wrote a lease no runner takes: claim it again.
            Holder::Forged(_) => self.reacquire(now, terms).await,
            Holder::Expired(held) if held.token == terms.token => self.reacquire(now, terms).await,
            _ if super::lease::is_idle(&record) => Ok(Next::Stop(record)),
            // An operator took the lease and left a write unfinished (killed mid-rollback):
            // nobody else will finish it, so this runner claims the deployment and does.
            Holder::Nobody if record.in_flight.is_some() => self.reacquire(now, terms).await,
            // An operator's `resume` released a gate (taking the lease to do it): go on.
            Holder::Nobody if released_a_gate(&record) => self.reacquire(now, terms).await,
            _ => Err(not_ours(&record, &terms.token, now, self.longest_lease())),
        }
    }

    /// Waits, without the lease, while the deployment stays paused: one read of the record per
    /// interval. Returns the record once it is no longer paused (resumed, rolled back,
    /// promoted) or gone.
    async fn wait_while_paused(
        &self,
        paused: Record,
        clock: &impl Clock,
        terms: &LeaseTerms,
        sink: &mut dyn EventSink,
    ) -> Result<Record, OrchestratorError> {
        if paused.lease.is_some() {
            self.release_lease(terms).await?;
        }
        if let Phase::Paused { why, .. } = &paused.phase {
            sink.waiting(why);
        }
        let mut failures = 0;
        loop {
            clock.sleep(self.tick_interval()).await;
            match self.store.load(&self.plan.name).await {
                Ok(Some(record)) if matches!(record.phase, Phase::Paused { .. }) => failures = 0,
                Ok(Some(record)) => return Ok(record),
                Ok(None) => return Ok(paused),
                Err(error) => {
                    let error = OrchestratorError::from(error);
                    failures += 1;
                    if failures >= MAX_FAILED_TICKS || !error.is_retryable() {
                        return Err(error);
                    }
                    tracing::warn!("could not read the paused deployment ({failures}/{MAX_FAILED_TICKS}): {error}");
                }
            }
        }
    }

    /// The lease claimed again through the protocol, or the resting record.
    async fn reacquire(
        &self,
        now: crate::core::Timestamp,
        terms: &LeaseTerms,
    ) -> Result<Next, OrchestratorError> {
        match self.acquire(now, terms).await? {
            Acquired::Held(record) => Ok(Next::Act(record)),
            Acquired::Idle(record) => Ok(Next::Stop(record)),
        }
    }

    fn tick_interval(&self) -> Duration {
        self.plan.analysis.interval.max(Duration::from_millis(100))
    }
}

/// Whether the run waits on `record`: paused, and told to wait.
/// Whether the last thing that happened to the deployment is an operator releasing its gate.
fn released_a_gate(record: &Record) -> bool {
    matches!(record.phase, Phase::Stepping { .. })
        && record
            .history
            .back()
            .is_some_and(|e| matches!(e.kind, crate::core::EventKind::GateReleased { .. }))
}

fn waits(record: &Record, on_pause: OnPause) -> bool {
    on_pause == OnPause::Wait && matches!(record.phase, Phase::Paused { .. })
}

/// `wait` to the millisecond, for messages.
fn round_to_ms(wait: Duration) -> Duration {
    Duration::from_millis(u64::try_from(wait.as_millis()).unwrap_or(u64::MAX))
}

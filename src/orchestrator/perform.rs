//! Performing core's actions: verified weight writes, saves and events.
//!
//! [`Shell`] is the router and the store, which is all that performing needs: a runner's tick
//! (with the playbook) and an operator's command (perhaps with only the resource's ARN) share it.
//!
//! A write is two-phase: the intent is saved as `in_flight`, the weights are written and read
//! back, the verified split is saved as `written`. The operator's rollback is the exception that
//! bookkeeping never blocks: its intent is saved when it can be, its write is made either way,
//! and a record that cannot be saved after a verified rollback is [`OrchestratorError::Unsaved`],
//! a warning (the traffic is safe), not a failure. A write that fails the way a retry may fix
//! (throttled, a 5xx before it was applied) is tried again within the tick; one whose outcome is
//! unknown stays in flight for the next tick to resolve from the live weights.

use super::{record_verified, OrchestratorError};
use crate::aws::retry;
use crate::core::{self, Action, Record, Share, Split, Timestamp, WriteFailure, WriteGuard};
use crate::report::EventSink;
use crate::store::Store;
use crate::traffic::{Router, TrafficError};
use std::time::Duration;

/// Tries of one weight write within a tick, when AWS throttles it or fails transiently.
const WRITE_ATTEMPTS: u32 = 3;
/// The first wait between two tries of a write (doubled per try, half of it random).
const WRITE_RETRY_WAIT: Duration = Duration::from_millis(400);

/// What performs core's actions: one route's router and the store of its record.
pub(super) struct Shell<'a, R, S> {
    pub router: &'a R,
    pub store: &'a S,
}

/// How a write of one share ended.
enum Wrote {
    /// Verified by its read-back.
    Verified,
    /// Refused or failed for sure: core's failure rule has been applied to the record.
    Failed,
}

impl<R: Router + Sync, S: Store + Sync> Shell<'_, R, S> {
    /// Performs `actions` in order. After a failed write the remaining events (which describe
    /// the state the write would have reached) are dropped and the record is saved as the
    /// failure left it.
    pub(super) async fn perform(
        &self,
        mut record: Record,
        actions: Vec<Action>,
        now: Timestamp,
        mut dirty: bool,
        sink: &mut dyn EventSink,
    ) -> Result<Record, OrchestratorError> {
        let mut write_failed = false;
        let mut overridden = false;
        for action in actions {
            match action {
                Action::SetWeights { share, guard } => {
                    let (next, wrote) = self.set_weights(record, share, guard, now, sink).await?;
                    record = next;
                    write_failed = matches!(wrote, Wrote::Failed);
                    overridden |= !write_failed && guard == WriteGuard::Override;
                    dirty = true;
                }
                Action::Save => dirty = true,
                Action::Emit(event) if !write_failed => sink.emit(&event),
                Action::Emit(_) => {}
            }
        }
        if dirty {
            if let Err(error) = self.store.save(&mut record).await {
                if overridden {
                    return Err(OrchestratorError::Unsaved {
                        record: Box::new(record),
                        error,
                    });
                }
                return Err(error.into());
            }
        }
        Ok(record)
    }

    /// Writes one share: saves the intent, writes (trying again on throttling and transient
    /// failures), verifies, records.
    async fn set_weights(
        &self,
        mut record: Record,
        share: Share,
        guard: WriteGuard,
        now: Timestamp,
        sink: &mut dyn EventSink,
    ) -> Result<(Record, Wrote), OrchestratorError> {
        let target = self.router.split_for(share);
        let expected = match guard {
            WriteGuard::Expect(split) => Some(split),
            WriteGuard::Override => None,
        };
        record.in_flight = Some(target);
        match (self.store.save(&mut record).await, guard) {
            (Ok(()), _) => {}
            (Err(error), WriteGuard::Override) => tracing::warn!(
                "could not save the rollback's intent before writing it (writing anyway): {error}"
            ),
            (Err(error), WriteGuard::Expect(_)) => return Err(error.into()),
        }
        let failure = match self.write_with_retries(expected, target).await {
            Ok(verified) => {
                record_verified(&mut record, verified, now, sink);
                return Ok((record, Wrote::Verified));
            }
            Err(TrafficError::Conflict { expected, live }) => {
                WriteFailure::Conflict { expected, live }
            }
            // In flight as saved: the next tick (or command) resolves it from the live weights.
            Err(error @ TrafficError::Unconfirmed { .. }) => return Err(error.into()),
            // Still failing the way a later try may fix: the run tries again (the intent stays
            // in flight), rather than pausing on a passing throttle.
            Err(error) if error.aws().is_some_and(crate::aws::AwsError::is_retryable) => {
                return Err(error.into())
            }
            Err(error) => WriteFailure::Error {
                why: error.to_string(),
            },
        };
        let (record, events) = core::write_failed(record, share, failure, now);
        for event in &events {
            sink.emit(event);
        }
        Ok((record, Wrote::Failed))
    }

    /// The router's guarded write, tried up to [`WRITE_ATTEMPTS`] times while it fails the way
    /// a retry may fix. A retry is safe: the write reads first, and sends nothing when the
    /// target is already live (an earlier try landed).
    async fn write_with_retries(
        &self,
        expected: Option<Split>,
        target: Split,
    ) -> Result<Split, TrafficError> {
        let mut attempt = 1;
        // Once a try may have landed, a later try that fails before writing does not make the
        // outcome known: the failure stays "may have landed".
        let mut maybe_landed = false;
        loop {
            let result = match self.router.write(expected, target).await {
                Err(error @ TrafficError::Unconfirmed { .. }) => {
                    maybe_landed = true;
                    Err(error)
                }
                Err(error) if maybe_landed => Err(TrafficError::Unconfirmed {
                    wanted: target,
                    cause: Box::new(error),
                }),
                result => result,
            };
            match result {
                Err(error)
                    if attempt < WRITE_ATTEMPTS
                        && error.aws().is_some_and(crate::aws::AwsError::is_retryable) =>
                {
                    let wait = retry::backoff(attempt, WRITE_RETRY_WAIT, WRITE_RETRY_WAIT * 4);
                    tracing::warn!("weight write failed (try {attempt}), trying again: {error}");
                    tokio::time::sleep(wait).await;
                    attempt += 1;
                }
                result => return result,
            }
        }
    }
}

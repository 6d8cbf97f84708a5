//! Performing core's actions: verified weight writes, saves and events.
//!
//! [`Shell`] is the router and the store, which is all that performing needs: a runner's tick
//! (with the playbook) and an operator's command (perhaps with only the resource's ARN) share it.

use super::{record_verified, OrchestratorError};
use crate::core::{self, Action, Record, Share, Timestamp, WriteFailure, WriteGuard};
use crate::report::EventSink;
use crate::store::Store;
use crate::traffic::{Router, TrafficError};

/// What performs core's actions: one route's router and the store of its record.
pub(super) struct Shell<'a, R, S> {
    pub router: &'a R,
    pub store: &'a S,
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
        for action in actions {
            match action {
                Action::SetWeights { share, guard } => {
                    let (next, ok) = self.set_weights(record, share, guard, now, sink).await?;
                    record = next;
                    write_failed = !ok;
                    dirty = true;
                }
                Action::Save => dirty = true,
                Action::Emit(event) if !write_failed => sink.emit(&event),
                Action::Emit(_) => {}
            }
        }
        if dirty {
            self.store.save(&mut record).await?;
        }
        Ok(record)
    }

    /// Writes one share: saves the intent, writes, verifies, records. Returns whether it landed.
    async fn set_weights(
        &self,
        mut record: Record,
        share: Share,
        guard: WriteGuard,
        now: Timestamp,
        sink: &mut dyn EventSink,
    ) -> Result<(Record, bool), OrchestratorError> {
        let target = self.router.split_for(share);
        let expected = match guard {
            WriteGuard::Expect(split) => Some(split),
            WriteGuard::Override => None,
        };
        record.in_flight = Some(target);
        self.store.save(&mut record).await?;
        let failure = match self.router.write(expected, target).await {
            Ok(verified) => {
                record_verified(&mut record, verified, now, sink);
                return Ok((record, true));
            }
            Err(TrafficError::Conflict { expected, live }) => {
                WriteFailure::Conflict { expected, live }
            }
            Err(error) => WriteFailure::Error {
                why: error.to_string(),
            },
        };
        let (record, events) = core::write_failed(record, share, failure, now);
        for event in &events {
            sink.emit(event);
        }
        Ok((record, false))
    }
}

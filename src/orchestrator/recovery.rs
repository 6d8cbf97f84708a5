//! Putting things right after an interrupted tick: a write that a killed runner left in flight,
//! and a tick that lost a race with an operator's rollback.

use super::perform::Shell;
use super::{record_verified, Deployment, OrchestratorError};
use crate::core::{Phase, Record, Share, Split, Timestamp};
use crate::metrics::MetricSource;
use crate::report::EventSink;
use crate::store::Store;
use crate::store::StoreError;
use crate::traffic::Router;

impl<R: Router + Sync, S: Store + Sync> Shell<'_, R, S> {
    /// If the last writer decided a write and died (or lost its read-back) before recording its
    /// outcome: when the live weights show the write landed, record it as written. When the
    /// record is rolled back, the write in flight is that rollback, unfinished: finish it
    /// (all traffic on stable, verified), whatever is live. When the live weights still show
    /// the previous split, make the write now, unless an operator's rollback or promotion is on
    /// its way (finishing a step forward only to undo it would move traffic the wrong way
    /// first). Anything else is left for core's drift check. Returns the record, whether it
    /// changed, and the live split after recovery (what the tick goes on from).
    pub(super) async fn recover_in_flight(
        &self,
        mut record: Record,
        live: Split,
        to_one_side: bool,
        now: Timestamp,
        sink: &mut dyn EventSink,
    ) -> Result<(Record, bool, Split), OrchestratorError> {
        let Some(target) = record.in_flight else {
            return Ok((record, false, live));
        };
        let previous_still_live = match record.written {
            Some(written) => written == live,
            None => live.canary == 0,
        };
        let unfinished_rollback = matches!(record.phase, Phase::RolledBack { .. })
            && target == self.router.split_for(Share::STABLE_ONLY);
        let verified = if live == target {
            live
        } else if unfinished_rollback && live.others == 0 {
            self.router.write(None, target).await?
        } else if previous_still_live && !to_one_side {
            self.router.write(Some(live), target).await?
        } else {
            return Ok((record, false, live));
        };
        record_verified(&mut record, verified, now, sink);
        Ok((record, true, verified))
    }
}

impl<R: Router + Sync, M: MetricSource + Sync, S: Store + Sync> Deployment<R, M, S> {
    /// Called when this tick's save found a newer record: someone else acted meanwhile. If that
    /// was a rollback, it wins, and since this tick may have written weights after the rollback
    /// did, all traffic is put back on stable (verified) before returning the rolled-back record.
    /// Anything else is reported as the conflict it is, without touching traffic.
    pub(super) async fn yield_to_newer_record(
        &self,
        conflict: StoreError,
        now: Timestamp,
        sink: &mut dyn EventSink,
    ) -> Result<Record, OrchestratorError> {
        let Some(mut record) = self.store.load(&self.plan.name).await? else {
            return Err(conflict.into());
        };
        if !matches!(record.phase, Phase::RolledBack { .. }) {
            return Err(conflict.into());
        }
        // The router's write reads first and sends no Modify when stable already has it all.
        let stable_only = self.router.split_for(Share::STABLE_ONLY);
        let verified = self.router.write(None, stable_only).await?;
        if record.written != Some(verified) || record.in_flight.is_some() {
            record_verified(&mut record, verified, now, sink);
            self.store.save(&mut record).await?;
        }
        Ok(record)
    }
}

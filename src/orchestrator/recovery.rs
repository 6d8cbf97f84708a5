//! Finishing a write that a killed runner left in flight.

use super::{Deployment, OrchestratorError};
use crate::core::{Event, EventKind, Record, Split};
use crate::metrics::MetricSource;
use crate::report::EventSink;
use crate::store::Store;
use crate::traffic::Router;

impl<R: Router + Sync, M: MetricSource + Sync, S: Store + Sync> Deployment<R, M, S> {
    /// If the last runner decided a write and died before recording its outcome: when the live
    /// weights show the write landed, record it as written; when they still show the previous
    /// split, make the write now. Anything else is left for core's drift check. Returns whether
    /// the record changed.
    pub(super) async fn recover_in_flight(
        &self,
        mut record: Record,
        live: Split,
        sink: &mut dyn EventSink,
    ) -> Result<(Record, bool), OrchestratorError> {
        let Some(target) = record.in_flight else {
            return Ok((record, false));
        };
        let previous_still_live = match record.written {
            Some(written) => written == live,
            None => live.canary == 0,
        };
        let verified = if live == target {
            live
        } else if previous_still_live {
            self.router.write(Some(live), target).await?
        } else {
            return Ok((record, false));
        };
        record.written = Some(verified);
        record.in_flight = None;
        let event = Event {
            at: record.updated_at,
            kind: EventKind::WeightsVerified { split: verified },
        };
        sink.emit(&event);
        record.remember(event);
        Ok((record, true))
    }
}

//! `run`: ticks in a loop until the deployment is promoted, rolled back, paused or failed.

use super::{Clock, Deployment, OrchestratorError};
use crate::core::{Phase, Record};
use crate::metrics::MetricSource;
use crate::report::EventSink;
use crate::store::Store;
use crate::traffic::Router;
use std::time::Duration;

/// Consecutive failed ticks (AWS unreachable, throttled past the SDK's retries) before `run`
/// gives up. Traffic stays on the last verified weights, and `run` can be started again.
pub const MAX_FAILED_TICKS: u32 = 5;

impl<R: Router + Sync, M: MetricSource + Sync, S: Store + Sync> Deployment<R, M, S> {
    /// Ticks until the phase needs no more ticks. Transient tick errors are reported and retried
    /// up to [`MAX_FAILED_TICKS`] times in a row.
    pub async fn run(
        &self,
        clock: &impl Clock,
        sink: &mut dyn EventSink,
    ) -> Result<Record, OrchestratorError> {
        let mut failures = 0;
        loop {
            let now = clock.now();
            match self.tick(now, None, sink).await {
                Ok(record) => {
                    failures = 0;
                    sink.progress(&record, &self.plan, now);
                    if record.phase.is_terminal() || matches!(record.phase, Phase::Paused { .. }) {
                        return Ok(record);
                    }
                }
                Err(error) if failures + 1 < MAX_FAILED_TICKS && is_transient(&error) => {
                    failures += 1;
                    tracing::warn!(
                        "tick failed ({failures}/{MAX_FAILED_TICKS}), retrying: {error}"
                    );
                }
                Err(error) => return Err(error),
            }
            clock.sleep(self.tick_interval()).await;
        }
    }

    fn tick_interval(&self) -> Duration {
        self.plan.analysis.interval.max(Duration::from_millis(100))
    }
}

/// Errors worth another tick: AWS calls that failed. A bad record, a changed playbook or a
/// resource that is gone will not fix themselves.
fn is_transient(error: &OrchestratorError) -> bool {
    matches!(
        error,
        OrchestratorError::Traffic(crate::traffic::TrafficError::Aws { .. })
            | OrchestratorError::Metrics(_)
    )
}

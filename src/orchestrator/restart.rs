//! `restart`: a new deployment of the same playbook revision once the last one has ended. The
//! record is keyed by the playbook's name and revision, so without it a rolled-back revision
//! could only be deployed again by editing the playbook. The new record starts pending, keeps
//! the store's revision (so a concurrent save is a conflict, not a lost write) and the split
//! last written, and its history begins with who restarted it, why, and how the last one ended.

use super::{Deployment, OrchestratorError};
use crate::core::record::{Event, EventKind, PlaybookId};
use crate::core::{Phase, Record, Timestamp};
use crate::metrics::MetricSource;
use crate::report::EventSink;
use crate::store::Store;
use crate::traffic::Router;

impl<R: Router + Sync, M: MetricSource + Sync, S: Store + Sync> Deployment<R, M, S> {
    /// Replaces this playbook's ended deployment with a pending one (the next `run` or
    /// `advance` starts it, preflight first). Refused, changing nothing, unless the stored
    /// deployment is of this revision and has ended, and the live weights agree with it.
    pub async fn restart(
        &self,
        now: Timestamp,
        reason: String,
        by: Option<String>,
        sink: &mut dyn EventSink,
    ) -> Result<Record, OrchestratorError> {
        let name = &self.plan.name;
        let Some(ended) = self.store.load(name).await? else {
            return Err(OrchestratorError::Refused(format!(
                "nothing to restart: no deployment of `{name}` is recorded in {}; `run` or \
                 `advance` starts one",
                self.store.location(name)
            )));
        };
        if ended.playbook.content_hash != self.plan.content_hash {
            return Err(OrchestratorError::Refused(format!(
                "the recorded deployment of `{name}` is of another revision of the playbook \
                 ({}); restart starts this revision again only after its own deployment ended. \
                 A changed playbook needs no restart: `run` or `advance` starts it once that \
                 deployment has ended",
                ended.phase.name()
            )));
        }
        if !ended.phase.is_terminal() {
            return Err(OrchestratorError::Refused(format!(
                "the deployment of `{name}` is {}, not ended: restart starts a new one only \
                 after a promotion, rollback or failure (`canary-deploy rollback` ends it now)",
                ended.phase.name()
            )));
        }
        self.check_resting(&ended).await?;
        let id = PlaybookId {
            name: name.clone(),
            content_hash: self.plan.content_hash.clone(),
        };
        let mut fresh = Record::new(id, now);
        fresh.revision = ended.revision;
        fresh.written = ended.written;
        let event = Event {
            at: now,
            kind: EventKind::Restarted {
                previous: previous(&ended.phase),
                reason,
                by,
            },
        };
        sink.emit(&event);
        fresh.remember(event);
        self.store.save(&mut fresh).await?;
        Ok(fresh)
    }
}

/// "rolled back at 14:03:07 UTC (…)"
fn previous(phase: &Phase) -> String {
    match phase {
        Phase::Promoted { at } => format!("was promoted at {} UTC", at.clock()),
        Phase::RolledBack { at, why, .. } => {
            format!("was rolled back at {} UTC ({why})", at.clock())
        }
        Phase::Failed { why } => format!("failed ({why})"),
        other => format!("was {}", other.name()),
    }
}

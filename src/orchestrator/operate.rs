//! An operator's command (rollback, promote, pause, resume), with the playbook or with only the
//! resource's ARN: load the record, read the live split, put an interrupted write right, let core
//! decide, perform, save.
//!
//! The on-call button must never lose to a runner: when the save finds a newer record (a runner
//! saved in between), the command is applied again on that newer record. Re-applying is safe: a
//! write reads first and sends nothing when the weights already are the target. The command also
//! takes over any runner's lease, which a runner notices at its next tick.

use super::perform::Shell;
use super::OrchestratorError;
use crate::core::agree::Identity;
use crate::core::{self, OperatorAction, OperatorCommand, Record, Timestamp};
use crate::report::EventSink;
use crate::store::{Store, StoreError};
use crate::traffic::Router;
use std::future::Future;

/// Saves that may find a newer record before the command gives up.
const ATTEMPTS: usize = 3;

/// Applies `command` to the record `load` returns, at `now`; `identity` says who named the
/// stable and canary targets (the playbook, or only the record). Returns the saved record, or
/// [`OrchestratorError::Refused`] when the command does not apply in the record's phase or the
/// record disagrees with the live resource.
pub(super) async fn operate<R, S, L, F>(
    shell: &Shell<'_, R, S>,
    load: L,
    identity: Identity,
    command: OperatorCommand,
    now: Timestamp,
    sink: &mut dyn EventSink,
) -> Result<Record, OrchestratorError>
where
    R: Router + Sync,
    S: Store + Sync,
    L: Fn() -> F,
    F: Future<Output = Result<Record, OrchestratorError>>,
{
    let mut attempt = 1;
    loop {
        let record = load().await?;
        match operate_once(shell, record, identity, &command, now, sink).await {
            Err(
                OrchestratorError::Store(StoreError::Conflict { .. })
                | OrchestratorError::Unsaved {
                    error: StoreError::Conflict { .. },
                    ..
                },
            ) if attempt < ATTEMPTS => {
                attempt += 1;
            }
            result => return result,
        }
    }
}

/// [`operate`] on a deployment known only by its record (an ARN-only on-call command).
pub async fn operate_on_record<R: Router + Sync, S: Store + Sync>(
    router: &R,
    store: &S,
    name: &str,
    command: OperatorCommand,
    now: Timestamp,
    sink: &mut dyn EventSink,
) -> Result<Record, OrchestratorError> {
    let shell = Shell { router, store };
    let load = || async {
        store.load(name).await?.ok_or_else(|| {
            OrchestratorError::Setup(format!(
                "no deployment record found in {}",
                store.location(name)
            ))
        })
    };
    operate(&shell, load, Identity::Record, command, now, sink).await
}

async fn operate_once<R: Router + Sync, S: Store + Sync>(
    shell: &Shell<'_, R, S>,
    mut record: Record,
    identity: Identity,
    command: &OperatorCommand,
    now: Timestamp,
    sink: &mut dyn EventSink,
) -> Result<Record, OrchestratorError> {
    if record.route.is_none() {
        record.route = Some(shell.router.route());
    }
    let live = shell.router.read().await?;
    // A rollback or a promotion moves all traffic to one side at once: never finish a step left
    // in flight first (that would move traffic one way only to move it back). Whether its write
    // may override what is live is core's decision ([`core::WriteGuard`]).
    let to_one_side = matches!(
        command.action,
        OperatorAction::Rollback | OperatorAction::Promote
    );
    let (mut record, recovered, live) = shell
        .recover_in_flight(record, live, to_one_side, now, sink)
        .await?;
    if to_one_side {
        core::agree::operator(&record, live, identity).map_err(OrchestratorError::Refused)?;
    }
    // The operator takes over: whoever held the lease finds it gone at its next tick.
    let took_lease = record.lease.take().is_some();
    let (record, actions) =
        core::operate(record, command, live, now).map_err(OrchestratorError::Refused)?;
    let record = shell
        .perform(record, actions, now, recovered || took_lease, sink)
        .await?;
    // An operator never creates a lane (a runner does, in its step); ending one removes it.
    shell.sync_lane(record, None, now, sink).await
}

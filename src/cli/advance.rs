//! `advance`: one tick of the deployment, then exit, for scheduled jobs (a GitHub Action every
//! few minutes) that keep no runner alive and no storage of their own: the record lives in the
//! routed resource's tags. It starts a deployment when none is active for this playbook revision,
//! otherwise judges, steps, promotes or rolls back as due. Exit codes as for `run`; 5 when
//! another runner holds the deployment's lease (nothing done, not a failure).
//! Who this runner is and the lease's settle time are [`crate::orchestrator::lease::owner`]'s.

use super::{Exit, Global, Output, StartFromArg};
use crate::core::plan::PreflightKind;
use crate::core::Phase;
use crate::orchestrator::lease::owner::{owner, settle};
use crate::orchestrator::{Clock, OrchestratorError, SystemClock};
use crate::report::reporter;
use std::path::Path;

pub async fn execute(
    path: &Path,
    start_from: Option<StartFromArg>,
    skip_preflight: &[PreflightKind],
    global: &Global,
) -> anyhow::Result<Exit> {
    let settle = settle()?;
    let plan = super::load_plan(path, start_from)?;
    let session = global.session().await?;
    let deployment = session.deployment(plan).await?;
    let clients = session.clients();
    tracing::info!(
        "aws calls to resolve the route: {}",
        super::tick_calls::calls_made(&clients.calls)
    );
    // Before the first step only; a refusal has written and saved nothing.
    session.gate(&deployment, skip_preflight).await?;
    let mut sink = reporter(global.output);
    let now = SystemClock.now();
    let advanced = deployment
        .advance(now, &owner("advance"), settle, sink.as_mut())
        .await;
    tracing::info!(
        "aws calls of this tick, lease included: {}",
        super::tick_calls::calls_made(&clients.calls)
    );
    let record = match advanced {
        Ok(record) => record,
        Err(error) => return not_acting(error, global.output),
    };
    sink.progress(&record, &deployment.plan, now);
    drop(sink);
    // A deployment that had ended before this tick: reported once more, not a failure of this
    // job (a scheduled workflow would otherwise fail on every tick forever).
    if let Some(notice) = ended_before(&record, now, path) {
        match global.output {
            Output::Human => super::print::out_lines(&[notice]),
            Output::Json => super::print::err_lines(&[notice]),
        }
        return Ok(Exit::Done);
    }
    if global.output == Output::Human {
        super::print::out_lines(&[super::run::outcome(&record.phase)]);
    }
    Ok(Exit::for_phase(&record.phase))
}

/// "nothing to do: …" when the deployment had ended before `now`.
pub fn ended_before(
    record: &crate::core::Record,
    now: crate::core::Timestamp,
    path: &Path,
) -> Option<String> {
    let at = match &record.phase {
        Phase::Promoted { at } | Phase::RolledBack { at, .. } => *at,
        Phase::Failed { .. } => record.history.back().map(|e| e.at)?,
        _ => return None,
    };
    (at < now).then(|| {
        format!(
            "nothing to do: the deployment of `{}` {} at {} UTC; change the playbook, or run \
             `canary-deploy restart {}` to deploy this revision again",
            record.playbook.name,
            super::run::outcome(&record.phase).trim_start_matches("outcome: "),
            at.utc(),
            path.display()
        )
    })
}

/// [`Exit::Busy`] with its message when `error` means another runner has the deployment (this
/// one did nothing); any other error is returned as it is.
pub fn not_acting(error: OrchestratorError, output: Output) -> anyhow::Result<Exit> {
    let Some(exit) = Exit::for_lease(&error) else {
        return Err(error.into());
    };
    let message = [
        error.to_string(),
        format!(
            "this is not a failure of the deployment: the runner holding it goes on, or a later \
             run or advance does (exit {})",
            exit.code()
        ),
    ];
    match output {
        Output::Human => super::print::out_lines(&message),
        // Standard output carries only JSON lines.
        Output::Json => super::print::err_lines(&message),
    }
    Ok(exit)
}

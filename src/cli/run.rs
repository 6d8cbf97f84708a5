//! `run`: shift traffic until the canary is promoted, rolled back or paused, holding the
//! deployment's lease meanwhile (exit 5, nothing done, when another runner holds it). Ctrl-C or
//! SIGTERM stops it with the lease released, so another runner may continue at once.

use super::tick_calls::CallsPerTick;
use super::{Exit, Global, Output, StartFromArg};
use crate::core::lease::run_ttl;
use crate::core::plan::PreflightKind;
use crate::core::{Phase, Plan};
use crate::orchestrator::run::OnPause;
use crate::orchestrator::{LeaseTerms, SystemClock};
use crate::report::run_reporter;
use crate::store::{AnyStore, Store};
use crate::text::line;
use std::path::Path;

pub async fn execute(
    path: &Path,
    start_from: Option<StartFromArg>,
    on_pause: OnPause,
    skip_preflight: &[PreflightKind],
    global: &Global,
) -> anyhow::Result<Exit> {
    let settle = crate::orchestrator::lease::owner::settle()?;
    let plan = super::load_plan(path, start_from)?;
    let session = global.session().await?;
    let deployment = session.deployment(plan).await?;
    let ended_before = ended_deployment(&deployment.store, &deployment.plan).await?;
    // Before the first step only; a refusal has written and saved nothing.
    session.gate(&deployment, skip_preflight).await?;

    let ttl = run_ttl(deployment.plan.analysis.interval);
    let terms = LeaseTerms::new(crate::orchestrator::lease::owner::owner("run"), ttl, settle);
    let clients = session.clients();
    tracing::info!(
        "aws calls to resolve the route: {}",
        clients.calls.take().len()
    );
    let mut sink = CallsPerTick::new(run_reporter(global.output), clients.calls.clone());
    let ran = tokio::select! {
        ran = deployment.run(&SystemClock, &terms, on_pause, &mut sink) => ran,
        _ = super::interrupt::interrupted() => {
            // The run's future is dropped: nothing else saves while the lease goes, and the
            // live view is finished before the hint is printed below it.
            drop(sink);
            let released = tokio::time::timeout(
                std::time::Duration::from_secs(15),
                deployment.release_lease(&terms),
            )
            .await;
            let lease = match released {
                Ok(Ok(_)) => "the lease is released".to_string(),
                Ok(Err(error)) => format!("the lease could not be released ({error})"),
                Err(_) => "the lease could not be released in time".to_string(),
            };
            super::print::err_lines(&[format!(
                "interrupted: traffic stays on the last verified weights; {lease}; `canary-deploy \
                 run {}` continues where this stopped, `canary-deploy rollback {}` puts all \
                 traffic on stable",
                path.display(),
                path.display()
            )]);
            return Ok(Exit::Interrupted);
        }
    };
    drop(sink);
    let record = match ran {
        Ok(record) => record,
        Err(error) => return super::advance::not_acting(error, global.output),
    };
    if global.output == Output::Human {
        let mut shown = Vec::new();
        if let Some(state_file) = ended_before {
            shown.push(format!(
                "this playbook's deployment had already ended; to deploy this revision again run \
                 `canary-deploy restart {}`, or change the playbook (a new revision starts a new \
                 deployment); its record is in {state_file}",
                path.display()
            ));
        }
        shown.push(outcome(&record.phase));
        super::print::out_lines(&shown);
    }
    Ok(Exit::for_phase(&record.phase))
}

/// The state file of this playbook's deployment when it has already ended (a rerun of the same
/// playbook then only reports the outcome).
async fn ended_deployment(store: &AnyStore, plan: &Plan) -> anyhow::Result<Option<String>> {
    let ended = store.load(&plan.name).await?.is_some_and(|record| {
        record.phase.is_terminal() && record.playbook.content_hash == plan.content_hash
    });
    Ok(ended.then(|| store.location(&plan.name)))
}

/// The last line of a run: what happened, in one line (the why folded onto it).
pub fn outcome(phase: &Phase) -> String {
    match phase {
        Phase::Promoted { .. } => "outcome: promoted".to_string(),
        Phase::RolledBack { why, .. } => format!("outcome: rolled back ({})", line(why)),
        Phase::Paused { why, .. } => format!("outcome: paused ({})", line(why)),
        Phase::Failed { why } => format!("outcome: failed ({})", line(why)),
        Phase::Pending | Phase::Stepping { .. } => format!("outcome: {}", phase.name()),
    }
}

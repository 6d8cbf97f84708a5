//! `advance`: one tick of the deployment, then exit, for scheduled jobs (a GitHub Action every
//! few minutes) that keep no runner alive and no storage of their own: the record lives in the
//! routed resource's tags. It starts a deployment when none is active for this playbook revision,
//! otherwise judges, steps, promotes or rolls back as due. Exit codes as for `run`; 5 when
//! another runner holds the deployment's lease (nothing done, not a failure).
//!
//! Also the lease details `run` shares: who this runner is ([`owner`]: host, pid, and the GitHub
//! run when there is one) and the protocol's settle time ([`settle`]: 2 s, or
//! `CANARY_DEPLOY_LEASE_SETTLE` for a store faster than AWS, such as the local emulator).

use super::{Exit, Global, Output, StartFromArg};
use crate::core::plan::PreflightKind;
use crate::core::Phase;
use crate::orchestrator::{Clock, OrchestratorError, SystemClock, DEFAULT_SETTLE};
use crate::report::reporter;
use std::path::Path;
use std::time::Duration;

/// Overrides the lease protocol's settle time (a duration such as `200ms`).
pub const SETTLE_VAR: &str = "CANARY_DEPLOY_LEASE_SETTLE";

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

/// Who this runner is, for the lease's owner: "advance on ci-7 pid 4242", plus
/// "(github run 123/1)" inside a GitHub Actions run.
pub fn owner(command: &str) -> String {
    let mut owner = format!("{command} on {} pid {}", hostname(), std::process::id());
    if let Ok(run) = std::env::var("GITHUB_RUN_ID") {
        let attempt = std::env::var("GITHUB_RUN_ATTEMPT").unwrap_or_else(|_| "1".to_string());
        owner.push_str(&format!(" (github run {run}/{attempt})"));
    }
    owner
}

/// The lease protocol's settle time: [`DEFAULT_SETTLE`], or [`SETTLE_VAR`].
pub fn settle() -> anyhow::Result<Duration> {
    match std::env::var(SETTLE_VAR) {
        Err(_) => Ok(DEFAULT_SETTLE),
        Ok(text) => parse_settle(&text),
    }
}

/// A settle time from [`SETTLE_VAR`]'s text: a duration above zero.
fn parse_settle(text: &str) -> anyhow::Result<Duration> {
    match humantime::parse_duration(text.trim()) {
        Ok(settle) if !settle.is_zero() => Ok(settle),
        Ok(_) => anyhow::bail!(
            "{SETTLE_VAR}={text}: the lease needs a settle time above zero (no runner could ever \
             claim it); write e.g. 2s, or 200ms for a local emulator"
        ),
        Err(e) => {
            anyhow::bail!("{SETTLE_VAR}={text} is not a duration ({e}); write e.g. 2s or 500ms")
        }
    }
}

fn hostname() -> String {
    let from_file = |path: &str| std::fs::read_to_string(path).ok();
    from_file("/proc/sys/kernel/hostname")
        .or_else(|| from_file("/etc/hostname"))
        .or_else(|| std::env::var("HOSTNAME").ok())
        .or_else(|| std::env::var("COMPUTERNAME").ok())
        .map(|name| name.trim().to_string())
        .filter(|name| !name.is_empty())
        .unwrap_or_else(|| "an unknown host".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_settle_time_is_a_duration_above_zero() {
        assert_eq!(parse_settle("200ms").unwrap(), Duration::from_millis(200));
        let zero = parse_settle("0s").unwrap_err().to_string();
        assert!(zero.contains("needs a settle time above zero"), "{zero}");
        let junk = parse_settle("soon").unwrap_err().to_string();
        assert!(junk.contains("is not a duration"), "{junk}");
    }
}

//! `restart`: deploy the same playbook revision again after its deployment ended (a rollback, a
//! promotion to redo, a failure), recording who and why. It only replaces the ended record with a
//! pending one; the next `run` or `advance` starts it, through the preflight as always.

use super::{print, Exit, Global, Output, Why};
use crate::orchestrator::{Clock, SystemClock};
use crate::report::reporter;
use std::path::Path;

pub async fn execute(path: &Path, why: &Why, global: &Global) -> anyhow::Result<Exit> {
    let plan = super::load_playbook(path)?;
    let session = global.session().await?;
    let caller = session.clients().caller().await;
    let deployment = session.deployment(plan).await?;
    let mut sink = reporter(global.output);
    let record = deployment
        .restart(SystemClock.now(), why.reason.clone(), caller, sink.as_mut())
        .await?;
    drop(sink);
    if global.output == Output::Human {
        print::out_lines(&[format!(
            "restarted: `{}` is pending again; the next `canary-deploy run {}` or `advance` starts \
             it (preflight first), at revision {}",
            record.playbook.name,
            path.display(),
            record.revision
        )]);
    }
    Ok(Exit::Done)
}

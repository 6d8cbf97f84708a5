//! `run`: shift traffic until the canary is promoted, rolled back or paused.

use super::{Exit, Global, Output};
use crate::aws::{self, Clients};
use crate::core::Phase;
use crate::orchestrator::{setup, SystemClock};
use crate::report::{EventSink, HumanReporter, JsonReporter};
use crate::store::FileStore;
use std::path::Path;

pub async fn execute(path: &Path, global: &Global) -> anyhow::Result<Exit> {
    let plan = super::load_playbook(path)?;
    let clients = Clients::new(&aws::load_config(&global.aws()).await);
    let deployment = setup::connect(plan, &clients, FileStore::new(&global.state_dir)).await?;
    let mut sink = reporter(global.output);
    let record = tokio::select! {
        record = deployment.run(&SystemClock, sink.as_mut()) => record?,
        _ = tokio::signal::ctrl_c() => {
            eprintln!(
                "interrupted: traffic stays on the last verified weights; run again to continue, \
                 or `canary-deploy rollback`"
            );
            return Ok(Exit::Error);
        }
    };
    if global.output == Output::Human {
        println!("{}", outcome(&record.phase));
    }
    Ok(Exit::for_phase(&record.phase))
}

/// The sink for `--output`.
pub fn reporter(output: Output) -> Box<dyn EventSink> {
    match output {
        Output::Human => Box::new(HumanReporter::new(std::io::stdout())),
        Output::Json => Box::new(JsonReporter::new(std::io::stdout())),
    }
}

/// The last line of a run: what happened, in one line.
pub fn outcome(phase: &Phase) -> String {
    match phase {
        Phase::Promoted { .. } => "outcome: promoted".to_string(),
        Phase::RolledBack { why, .. } => format!("outcome: rolled back ({why})"),
        Phase::Paused { why, .. } => format!("outcome: paused ({why})"),
        Phase::Failed { why } => format!("outcome: failed ({why})"),
        Phase::Pending | Phase::Stepping { .. } => format!("outcome: {}", phase.name()),
    }
}

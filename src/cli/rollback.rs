//! `rollback`: the on-call button. All traffic back on stable, verified, at any phase, with the
//! reason recorded. It skips CloudWatch entirely: resolve, read, write, read back, save.

use super::{Exit, Global};
use crate::aws::{self, Clients};
use crate::core::{OperatorCommand, Phase};
use crate::orchestrator::{setup, Clock, SystemClock};
use crate::store::FileStore;
use std::path::Path;

pub async fn execute(path: &Path, reason: &str, global: &Global) -> anyhow::Result<Exit> {
    let plan = super::load_playbook(path)?;
    let clients = Clients::new(&aws::load_config(&global.aws()).await?);
    let deployment = setup::connect(plan, &clients, FileStore::new(&global.state_dir)).await?;
    let mut sink = super::run::reporter(global.output);
    let command = OperatorCommand::rollback(reason.to_string());
    let record = deployment
        .tick(SystemClock.now(), Some(command), sink.as_mut())
        .await?;
    if global.output == super::Output::Human {
        println!("{}", super::run::outcome(&record.phase));
    }
    Ok(match record.phase {
        Phase::RolledBack { .. } => Exit::Done,
        _ => Exit::Error,
    })
}

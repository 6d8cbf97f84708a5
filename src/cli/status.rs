//! `status`: what the deployment record says. Reads only the local record.

use super::{Exit, Global};
use crate::report::human::{clock_time, describe, status_line};
use crate::store::{FileStore, Store};
use std::path::Path;

pub async fn execute(path: &Path, json: bool, global: &Global) -> anyhow::Result<Exit> {
    let plan = super::load_playbook(path)?;
    let store = FileStore::new(&global.state_dir);
    let Some(record) = store.load(&plan.name).await? else {
        if json {
            println!("null");
        } else {
            println!(
                "no deployment recorded for `{}` (looked in {})",
                plan.name,
                store.location(&plan.name)
            );
        }
        return Ok(Exit::Done);
    };
    if json {
        println!("{}", serde_json::to_string_pretty(&record)?);
        return Ok(Exit::Done);
    }
    let now = crate::orchestrator::Clock::now(&crate::orchestrator::SystemClock);
    println!("deployment `{}` (revision {})", plan.name, record.revision);
    if record.playbook.content_hash != plan.content_hash {
        println!("note: the playbook changed since this deployment started");
    }
    println!("{}", status_line(&record, &plan, now));
    match &record.phase {
        crate::core::Phase::Paused { why, .. } | crate::core::Phase::Failed { why } => {
            println!("why: {why}")
        }
        crate::core::Phase::RolledBack { why, .. } => println!("why: {why}"),
        _ => {}
    }
    println!("recent events:");
    for event in record.history.iter().rev().take(10).rev() {
        println!("  {}  {}", clock_time(event.at), describe(&event.kind));
    }
    Ok(Exit::Done)
}

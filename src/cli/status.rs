//! `status`: what the deployment record says, with the live weights beside it so that a change
//! made outside canary-deploy shows at once. The record is local; reading the live weights costs
//! the route's resolution and one Describe call, and `status` still answers when AWS does not.

use super::{Exit, Global};
use crate::aws::{self, Clients};
use crate::core::start::{start, Start};
use crate::core::{Phase, Plan, Record, Share, Split};
use crate::orchestrator::{setup, Clock, SystemClock};
use crate::report::human::{clock_time, describe, status_line};
use crate::store::{FileStore, Store};
use crate::traffic::Router;
use std::path::Path;

pub async fn execute(path: &Path, json: bool, global: &Global) -> anyhow::Result<Exit> {
    let plan = super::load_playbook(path)?;
    let store = FileStore::new(&global.state_dir);
    let record = store.load(&plan.name).await?;
    let live = live_weights(&plan, global).await;
    if json {
        let (live, live_error) = match live {
            Ok(split) => (Some(split), None),
            Err(error) => (None, Some(error)),
        };
        let status =
            serde_json::json!({ "record": record, "live": live, "live_error": live_error });
        println!("{}", serde_json::to_string_pretty(&status)?);
        return Ok(Exit::Done);
    }
    match &live {
        Ok(split) => println!("live weights: {split}"),
        Err(error) => println!("live weights: unavailable ({error})"),
    }
    match record {
        Some(record) => print_record(&record, &plan, live.ok()),
        None => {
            println!(
                "no deployment recorded for `{}` (looked in {})",
                plan.name,
                store.location(&plan.name)
            );
            if let Ok(live) = live {
                println!("run would: {}", first_tick(&plan, live));
            }
        }
    }
    Ok(Exit::Done)
}

/// The live split of the playbook's route, or why it could not be read.
async fn live_weights(plan: &Plan, global: &Global) -> Result<Split, String> {
    let config = aws::load_config(&global.aws())
        .await
        .map_err(|e| e.to_string())?;
    let router = setup::router(&plan.route, &Clients::new(&config))
        .await
        .map_err(|e| e.to_string())?;
    router.read().await.map_err(|e| e.to_string())
}

/// What the first tick of `run` would do with the live split (see `core::start`).
fn first_tick(plan: &Plan, live: Split) -> String {
    let share = |index: usize| {
        plan.steps
            .get(index)
            .map_or(Share::CANARY_ONLY, |s| s.share)
    };
    match start(plan, live) {
        Start::EnterStep { index } => format!("start at step {} ({})", index + 1, share(index)),
        Start::Adopt { index } => format!(
            "adopt the live split as step {} ({}) without writing",
            index + 1,
            share(index)
        ),
        Start::Refuse { why } => format!("refuse to start: {why}"),
    }
}

fn print_record(record: &Record, plan: &Plan, live: Option<Split>) {
    println!("deployment `{}` (revision {})", plan.name, record.revision);
    if record.playbook.content_hash != plan.content_hash {
        println!("note: the playbook changed since this deployment started");
    }
    println!("{}", status_line(record, plan, SystemClock.now()));
    if let (Some(written), Some(live)) = (record.written, live) {
        if written != live {
            println!(
                "DRIFT: canary-deploy last wrote {written}; the weights were changed outside it"
            );
        }
    }
    match &record.phase {
        Phase::Paused { why, .. } | Phase::Failed { why } | Phase::RolledBack { why, .. } => {
            println!("why: {why}")
        }
        _ => {}
    }
    println!("recent events:");
    for event in record.history.iter().rev().take(10).rev() {
        println!("  {}  {}", clock_time(event.at), describe(&event.kind));
    }
}

//! `status`: what the deployment record says, with the live weights beside it so that a change
//! made outside canary-deploy shows at once. Given the playbook, it resolves the route and reads
//! the record from its store; given only `--target <ARN>`, the record in that resource's tags says
//! which route it is. Reading the live weights is one call, and `status` still shows the record
//! when they cannot be read.

use super::{Exit, Global, Which};
use crate::core::start::{start, Start};
use crate::core::{Phase, Plan, Record, Share, Split};
use crate::orchestrator::{Clock, SystemClock};
use crate::report::human::{describe, status_line};
use crate::session::Session;
use crate::store::AnyStore;
use crate::store::Store;
use crate::traffic::Router;

/// What `status` found: the record (or where it looked), and the live weights or why not.
struct Found {
    record: Option<Record>,
    looked_in: String,
    live: Result<Split, String>,
}

pub async fn execute(which: &Which, json: bool, global: &Global) -> anyhow::Result<Exit> {
    let plan = match &which.playbook {
        Some(path) => Some(super::load_playbook(path)?),
        None => None,
    };
    which.check_target()?;
    let session = global.session().await?;
    let found = match (&plan, &which.target) {
        (Some(plan), _) => with_playbook(plan, &session).await?,
        (None, Some(arn)) => with_target(arn, &session).await?,
        (None, None) => anyhow::bail!("give the playbook or --target <ARN>"),
    };
    if json {
        let (live, live_error) = match found.live {
            Ok(split) => (Some(split), None),
            Err(error) => (None, Some(error)),
        };
        let status =
            serde_json::json!({ "record": found.record, "live": live, "live_error": live_error });
        println!("{}", serde_json::to_string_pretty(&status)?);
        return Ok(Exit::Done);
    }
    match &found.live {
        Ok(split) => println!("live weights: {split}"),
        Err(error) => println!("live weights: unavailable ({error})"),
    }
    match (&found.record, &plan) {
        (Some(record), _) => print_record(record, plan.as_ref(), found.live.ok()),
        (None, Some(plan)) => {
            println!(
                "no deployment recorded for `{}` (looked in {})",
                plan.name, found.looked_in
            );
            if let Ok(live) = found.live {
                println!("run would: {}", first_tick(plan, live));
            }
        }
        (None, None) => println!("no deployment recorded in {}", found.looked_in),
    }
    Ok(Exit::Done)
}

/// The playbook's route resolved, its record from the chosen store, and its live weights.
async fn with_playbook(plan: &Plan, session: &Session) -> anyhow::Result<Found> {
    let (store, live) = match session.deployment(plan.clone()).await {
        Ok(deployment) => {
            let live = deployment.router.read().await.map_err(|e| e.to_string());
            (deployment.store, live)
        }
        // Files need no route: show the record, and why the live weights are unknown.
        Err(error) => match session.file_store() {
            Some(files) => (AnyStore::File(files), Err(error.to_string())),
            None => anyhow::bail!(
                "cannot find the route's resource, whose tags hold the record: {error}"
            ),
        },
    };
    Ok(Found {
        record: store.load(&plan.name).await?,
        looked_in: store.location(&plan.name),
        live,
    })
}

/// The record in the tags of `arn`, and the live weights of the route it names.
async fn with_target(arn: &str, session: &Session) -> anyhow::Result<Found> {
    let target = session.target(arn).await?;
    let live = match target.router(session) {
        Ok((_, router)) => router.read().await.map_err(|e| e.to_string()),
        Err(error) => Err(error.to_string()),
    };
    Ok(Found {
        record: target.record,
        looked_in: format!("the tags of {arn}"),
        live,
    })
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

/// The phase and the weights last written, without the playbook's steps (an ARN-only status).
fn phase_line(record: &Record) -> String {
    let weights = record
        .written
        .map_or("not written yet".to_string(), |split| split.to_string());
    match record.phase {
        Phase::Stepping { index, .. } => format!("step {} | {weights}", index + 1),
        ref phase => format!("{} | {weights}", phase.name()),
    }
}

fn print_record(record: &Record, plan: Option<&Plan>, live: Option<Split>) {
    println!(
        "deployment `{}` (revision {})",
        record.playbook.name, record.revision
    );
    match plan {
        Some(plan) => {
            if record.playbook.content_hash != plan.content_hash {
                println!("note: the playbook changed since this deployment started");
            }
            println!("{}", status_line(record, plan, SystemClock.now()));
        }
        None => println!("{}", phase_line(record)),
    }
    if let Some(lease) = &record.lease {
        println!(
            "lease: held by {} until {}",
            lease.owner,
            lease.until.clock()
        );
    }
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
        println!("  {}  {}", event.at.clock(), describe(&event.kind));
    }
}

//! `status`: what the deployment record says, with the live weights beside it so that a change
//! made outside canary-deploy shows at once. Given the playbook, it resolves the route and reads
//! the record from its store; given only `--target <ARN>`, the record in that resource's tags says
//! which route it is. Reading the live weights is one call, and `status` still shows the record
//! when they cannot be read. Everything shown of the record is text from outside (a reason, an
//! AWS message, a lease's owner): it is printed through [`super::print`], and JSON through
//! [`crate::text::json`].

use super::{print, Exit, Global, Output, Which};
use crate::core::next::would_do;
use crate::core::{EventKind, Phase, Plan, Record, Split};
use crate::orchestrator::{Clock, SystemClock};
use crate::report::human::{describe, status_line};
use crate::runner::schedule::{Held, TickSchedule};
use crate::session::Session;
use crate::store::AnyStore;
use crate::store::Store;
use crate::text::{self, line};
use crate::traffic::Router;
use std::time::Duration;

/// What `status` found: the record (or where it looked), the live weights or why not, and the
/// dead-man's switch (when the deployment has one: armed until when, or why unknown).
struct Found {
    record: Option<Record>,
    looked_in: String,
    live: Result<Split, String>,
    switch: Option<(String, Result<Option<String>, String>)>,
    /// The recurring tick schedule (`canary-deploy schedule`): its group/name and what AWS
    /// holds, or why that is unknown.
    ticks: (String, Result<Option<Held>, String>),
}

/// The tick schedule of deployment `name` in `group` (default `default`).
async fn tick_state(
    session: &Session,
    name: &str,
    group: Option<&str>,
) -> (String, Result<Option<Held>, String>) {
    let group = group.unwrap_or("default");
    let schedule = TickSchedule::new(session.clients().scheduler.clone(), name, group);
    let held = schedule.read().await.map_err(|e| e.to_string());
    (format!("{group}/{}", schedule.name), held)
}

/// The switch of deployment `name` in schedule `group`: its schedule and when it fires.
async fn switch_state(
    session: &Session,
    name: &str,
    group: Option<&str>,
) -> Option<(String, Result<Option<String>, String>)> {
    let group = group?;
    let scheduler = session.clients().scheduler.clone();
    let switch = crate::orchestrator::switch::Switch::for_target(scheduler, name, group);
    Some((format!("{group}/{}", switch.name), switch.fires_at().await))
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
    if json || global.output == Output::Json {
        let next = match (&plan, &found.live) {
            (Some(plan), Ok(live)) => Some(would_do(plan, found.record.as_ref(), *live)),
            _ => None,
        };
        let (live, live_error) = match found.live {
            Ok(split) => (Some(split), None),
            Err(error) => (None, Some(error)),
        };
        let switch = found.switch.as_ref().map(|(schedule, state)| match state {
            Ok(fires_at) => serde_json::json!({ "schedule": schedule, "fires_at": fires_at }),
            Err(error) => serde_json::json!({ "schedule": schedule, "error": error }),
        });
        let (ticks, held) = &found.ticks;
        let schedule = match held {
            Ok(Some(held)) => serde_json::json!({
                "schedule": ticks, "expression": held.expression, "enabled": held.enabled,
                "target": held.target_arn,
            }),
            Ok(None) => serde_json::Value::Null,
            Err(error) => serde_json::json!({ "schedule": ticks, "error": error }),
        };
        let mut status = crate::report::schema::versioned(serde_json::json!({
            "kind": "status",
            "live": live,
            "live_error": live_error,
            "next": next,
            "switch": switch,
            "schedule": schedule,
        }));
        // The record as stored (its own format: times in milliseconds, raw weights), so a
        // script can read it back as the tool does.
        status["record"] = serde_json::to_value(&found.record)?;
        println!("{}", text::json(&serde_json::to_string_pretty(&status)?));
        return Ok(Exit::Done);
    }
    // One block, a line each: the record's text (reasons, AWS messages) is replayed by every
    // status.
    let lines = shown(&found, plan.as_ref());
    crate::report::github::report_to_summary("status", &lines);
    print::out_lines(&lines);
    Ok(Exit::Done)
}

/// `status --watch`: the status again every `every`, printed when it changed (the clock line
/// aside), until the deployment ends; Ctrl-C exits 130.
pub async fn watch(which: &Which, every: Duration, global: &Global) -> anyhow::Result<Exit> {
    let plan = match &which.playbook {
        Some(path) => Some(super::load_playbook(path)?),
        None => None,
    };
    which.check_target()?;
    let session = global.session().await?;
    let every = every.max(Duration::from_secs(1));
    let mut last: Option<Vec<String>> = None;
    loop {
        let found = match (&plan, &which.target) {
            (Some(plan), _) => with_playbook(plan, &session).await?,
            (None, Some(arn)) => with_target(arn, &session).await?,
            (None, None) => anyhow::bail!("give the playbook or --target <ARN>"),
        };
        let lines = shown(&found, plan.as_ref());
        // The status line counts down every read; a change is anything else.
        let steady: Vec<String> = lines
            .iter()
            .filter(|l| !l.starts_with("step "))
            .cloned()
            .collect();
        if last.as_ref() != Some(&steady) {
            let mut out = vec![format!("── {} UTC", SystemClock.now().utc())];
            out.extend(lines);
            print::out_lines(&out);
            last = Some(steady);
        }
        if found.record.as_ref().is_some_and(|r| r.phase.is_terminal()) {
            return Ok(Exit::Done);
        }
        tokio::select! {
            _ = tokio::time::sleep(every) => {}
            _ = super::interrupt::interrupted() => return Ok(Exit::Interrupted),
        }
    }
}

/// The lines `status` shows of what it found.
fn shown(found: &Found, plan: Option<&Plan>) -> Vec<String> {
    let mut out = vec![match &found.live {
        Ok(split) => format!("live weights: {split}"),
        Err(error) => format!("live weights: unavailable ({error})"),
    }];
    match (&found.record, plan) {
        (Some(record), _) => {
            out.extend(record_lines(record, plan, found.live.clone().ok()));
            if let (Some(plan), Ok(live)) = (plan, &found.live) {
                out.push(format!(
                    "run or advance would: {}",
                    would_do(plan, Some(record), *live)
                ));
            }
        }
        (None, Some(plan)) => {
            out.push(format!(
                "no deployment recorded for `{}` (looked in {})",
                plan.name, found.looked_in
            ));
            if let Ok(live) = found.live {
                out.push(format!(
                    "run or advance would: {}",
                    would_do(plan, None, live)
                ));
            }
        }
        (None, None) => out.push(format!("no deployment recorded in {}", found.looked_in)),
    }
    out.extend(found.switch.as_ref().map(|(schedule, state)| match state {
        Ok(Some(at)) => format!(
            "dead-man's switch: armed, schedule {schedule} restores the stable split at {at}"
        ),
        Ok(None) => format!("dead-man's switch: not armed (no schedule {schedule})"),
        Err(error) => format!("dead-man's switch: unknown ({error})"),
    }));
    let (ticks, held) = &found.ticks;
    out.extend(match held {
        Ok(Some(held)) => Some(format!(
            "runner schedule: {ticks} {} invokes {} ({})",
            held.expression,
            held.target_arn,
            if held.enabled { "enabled" } else { "disabled" }
        )),
        // Most deployments have none: said only when there is one, or it cannot be read.
        Ok(None) => None,
        Err(error) => Some(format!("runner schedule: unknown ({error})")),
    });
    out
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
    let group = plan.switch.as_ref().map(|s| s.group.as_str());
    Ok(Found {
        record: store.load(&plan.name).await?,
        looked_in: store.location(&plan.name),
        live,
        switch: switch_state(session, &plan.name, group).await,
        ticks: tick_state(session, &plan.name, group).await,
    })
}

/// The record in the tags of `arn`, and the live weights of the route it names.
async fn with_target(arn: &str, session: &Session) -> anyhow::Result<Found> {
    let target = session.target(arn).await?;
    let live = match target.router(session) {
        Ok((_, router)) => router.read().await.map_err(|e| e.to_string()),
        Err(error) => Err(error.to_string()),
    };
    let (switch, ticks) = match &target.record {
        Some(record) => {
            let group = record.switch_group.as_deref();
            let name = &record.playbook.name;
            let ticks = tick_state(session, name, group).await;
            (switch_state(session, name, group).await, ticks)
        }
        None => (None, ("none".to_string(), Ok(None))),
    };
    Ok(Found {
        record: target.record,
        looked_in: format!("the tags of {arn}"),
        live,
        switch,
        ticks,
    })
}

/// Why the current step is holding, when its latest judgement held it: the newest `holding`
/// event since the step started, unless a later analysis passed.
fn holding(record: &Record) -> Option<String> {
    let mut why = None;
    for event in &record.history {
        match &event.kind {
            EventKind::StepStarted { .. } => why = None,
            EventKind::Holding { why: w } => why = Some((event.at, w.clone())),
            EventKind::GateHeld {
                index, gate, how, ..
            } => {
                why = Some((
                    event.at,
                    format!(
                        "step {}'s gate ({gate}); released by {how}; anyone the deployment's \
                         IAM policy (`canary-deploy iam-policy`) lets run `resume` may release it",
                        index + 1
                    ),
                ))
            }
            EventKind::GateReleased { .. } => why = None,
            EventKind::Analysed { verdict, .. } if verdict == "pass" => why = None,
            _ => {}
        }
    }
    why.map(|(at, why)| format!("holding since {} UTC: {}", at.clock(), line(&why)))
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

/// What the live split says about the record: canary-deploy's own unfinished write (never
/// someone else's change), drift, and a record that contradicts the resource.
fn live_notes(record: &Record, plan: Option<&Plan>, live: Option<Split>) -> Vec<String> {
    let mut notes = Vec::new();
    if let Some(in_flight) = record.in_flight {
        let outcome = match live {
            Some(live) if live == in_flight => "it landed; the next tick records it",
            _ => "it may not have landed; the next tick (or command) finishes it from the live weights",
        };
        notes.push(format!(
            "unfinished write (canary-deploy's own): {in_flight}; {outcome}"
        ));
    }
    let Some(live) = live else {
        return notes;
    };
    if let Some(written) = record.written {
        if written != live && record.in_flight != Some(live) {
            notes.push(format!(
                "DRIFT: canary-deploy last wrote {written}; the weights were changed outside it"
            ));
        }
    }
    if live.others > 0 {
        notes.push(format!(
            "DRIFT: target groups other than the stable and the canary carry weight {}",
            live.others
        ));
    }
    let agrees = match plan {
        Some(plan) => crate::core::agree::runner(record, plan, live),
        None => crate::core::agree::operator(record, live, crate::core::agree::Identity::Record),
    };
    if let Err(why) = agrees {
        notes.push(format!("CONTRADICTION: {why}"));
    }
    notes
}

fn record_lines(record: &Record, plan: Option<&Plan>, live: Option<Split>) -> Vec<String> {
    let mut out = vec![format!(
        "deployment `{}` (revision {})",
        record.playbook.name, record.revision
    )];
    match plan {
        Some(plan) => {
            if record.playbook.content_hash != plan.content_hash {
                out.push("note: the playbook changed since this deployment started".to_string());
            }
            out.push(status_line(record, plan, SystemClock.now()));
        }
        None => out.push(phase_line(record)),
    }
    if let Some(lease) = &record.lease {
        out.push(format!(
            "lease: held by {} until {}",
            lease.owner,
            lease.until.clock()
        ));
    }
    out.extend(record.lane.as_ref().map(crate::core::lane::Lane::describe));
    out.extend(live_notes(record, plan, live));
    match &record.phase {
        Phase::Paused { why, .. } | Phase::Failed { why } | Phase::RolledBack { why, .. } => {
            out.push(format!("why: {}", line(why)))
        }
        Phase::Stepping { .. } => out.extend(holding(record)),
        _ => {}
    }
    out.push("recent events:".to_string());
    for event in record.history.iter().rev().take(10).rev() {
        let text = line(&describe(&event.kind));
        out.push(format!("  {}  {text}", event.at.clock()));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::record::{Event, PlaybookId};
    use crate::core::{Share, Timestamp};

    fn record(kinds: Vec<EventKind>) -> Record {
        let id = PlaybookId {
            name: "p".into(),
            content_hash: "h".into(),
        };
        let mut record = Record::new(id, Timestamp::from_secs(0));
        record.history = kinds
            .into_iter()
            .enumerate()
            .map(|(i, kind)| Event {
                at: Timestamp::from_secs(60 * i as i64),
                kind,
            })
            .collect();
        record
    }

    fn step(index: usize) -> EventKind {
        EventKind::StepStarted {
            index,
            share: Share::from_permille(100).expect("a share"),
        }
    }

    #[test]
    fn a_holding_step_says_why_until_it_passes_or_moves_on() {
        let held = || EventKind::Holding {
            why: "insufficient evidence: about 1,450 more canary requests".into(),
        };
        let shown = holding(&record(vec![step(0), held()]));
        assert_eq!(
            shown.as_deref(),
            Some(
                "holding since 00:01:00 UTC: insufficient evidence: about 1,450 more canary \
                 requests"
            )
        );
        let passed = EventKind::Analysed {
            verdict: "pass".into(),
            details: Vec::new(),
            evidence: Vec::new(),
        };
        assert_eq!(holding(&record(vec![step(0), held(), passed])), None);
        assert_eq!(holding(&record(vec![step(0), held(), step(1)])), None);
    }
}

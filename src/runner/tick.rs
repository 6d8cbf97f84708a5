//! The runner's handler: one `advance` tick for the playbook in its event.
//!
//! The playbook is read (inline, or from S3 and checked against its pinned SHA-256), validated
//! and resolved exactly as `advance` does; the preflight gates the first step; the tick takes
//! and releases the lease. Its events go to standard output as JSON lines (CloudWatch Logs in
//! Lambda). When the deployment has ended (promoted, rolled back, failed) or its first step was
//! refused, the schedule that invoked the tick is deleted, so a finished deployment costs
//! nothing more. Errors (a playbook that no longer validates, AWS failing) are returned: the
//! invocation fails, which Lambda counts and logs, and the next tick tries again.

use super::event::{PlaybookSource, RunnerEvent};
use super::outcome::{Outcome, ScheduleFate};
use super::schedule::TickSchedule;
use super::warm::Warm;
use crate::aws::error::service::S3;
use crate::aws::AwsError;
use crate::cli::Exit;
use crate::orchestrator::lease::owner::{owner, settle};
use crate::orchestrator::setup;
use crate::orchestrator::{Clock, SystemClock};
use crate::report::EventSink;
use crate::session::Session;
use crate::traffic::Router;

/// One tick for `event`, its events to `sink`, with what this environment kept from earlier
/// ticks (`warm`); the outcome counts the tick's AWS calls.
pub async fn tick(
    event: &RunnerEvent,
    session: &Session,
    warm: &Warm,
    sink: &mut dyn EventSink,
) -> anyhow::Result<Outcome> {
    let calls = &session.clients().calls;
    calls.take();
    let mut outcome = tick_once(event, session, warm, sink).await?;
    for operation in calls.take() {
        *outcome.aws_calls.entry(operation).or_default() += 1;
    }
    tracing::info!("aws calls of this tick: {:?}", outcome.aws_calls);
    Ok(outcome)
}

async fn tick_once(
    event: &RunnerEvent,
    session: &Session,
    warm: &Warm,
    sink: &mut dyn EventSink,
) -> anyhow::Result<Outcome> {
    let text = playbook_text(event, session).await?;
    let validated = crate::playbook::parse(&text, &event.file())?;
    for warning in &validated.warnings {
        tracing::warn!("{warning}");
    }
    let plan = validated.plan;
    let name = plan.name.clone();
    let hash = plan.content_hash.clone();
    let router = match warm.route(&hash) {
        Some(router) => router,
        None => session.resolve(&plan).await?,
    };
    warm.keep_route(&hash, &router);
    let store = session.store_at(&router.route().record_tags());
    let deployment = setup::deployment(plan, router, session.clients(), store);
    let schedule = event
        .schedule
        .as_ref()
        .map(|by| TickSchedule::named(session.clients().scheduler.clone(), by));
    let gated = match warm.started(&hash) {
        true => Ok(()),
        false => session.gate(&deployment, &[]).await,
    };
    if let Err(refusal) = gated {
        // It would be refused on every tick until someone acts: stop ticking, and say so.
        let fate = end(schedule.as_ref()).await;
        return Ok(Outcome::idle(&name, "refused", refusal.to_string(), fate));
    }
    let now = SystemClock.now();
    let advanced = deployment
        .advance(now, &owner("lambda"), settle()?, sink)
        .await;
    let record = match advanced {
        Ok(record) => record,
        Err(error) if Exit::for_lease(&error).is_some() => {
            let fate = kept(schedule.as_ref());
            return Ok(Outcome::idle(&name, "busy", error.to_string(), fate));
        }
        Err(error) => return Err(error.into()),
    };
    sink.progress(&record, &deployment.plan, now);
    if record.phase != crate::core::Phase::Pending {
        warm.mark_started(&hash);
    }
    let fate = match record.phase.is_terminal() {
        true => end(schedule.as_ref()).await,
        false => kept(schedule.as_ref()),
    };
    Ok(Outcome::of(&record, fate))
}

fn kept(schedule: Option<&TickSchedule>) -> ScheduleFate {
    match schedule {
        Some(_) => ScheduleFate::Kept,
        None => ScheduleFate::None,
    }
}

/// The schedule deleted, as the deployment needs no more ticks.
async fn end(schedule: Option<&TickSchedule>) -> ScheduleFate {
    let Some(schedule) = schedule else {
        return ScheduleFate::None;
    };
    match schedule.delete().await {
        Ok(_) => ScheduleFate::Deleted,
        Err(error) => {
            tracing::warn!("the deployment has ended but its schedule remains: {error}");
            ScheduleFate::DeleteFailed(error.to_string())
        }
    }
}

/// The playbook's text: inline, or the S3 object whose bytes have the pinned SHA-256.
pub async fn playbook_text(event: &RunnerEvent, session: &Session) -> anyhow::Result<String> {
    let (bucket, key, sha256) = match event.source().map_err(anyhow::Error::msg)? {
        PlaybookSource::Inline(text) => return Ok(text),
        PlaybookSource::S3 {
            bucket,
            key,
            sha256,
        } => (bucket, key, sha256),
    };
    let resource = format!("s3://{bucket}/{key}");
    let object = session
        .clients()
        .s3
        .get_object()
        .bucket(&bucket)
        .key(&key)
        .send()
        .await
        .map_err(|e| AwsError::from_sdk(S3, "GetObject", resource.clone(), &e))?;
    let bytes = object
        .body
        .collect()
        .await
        .map_err(|e| AwsError::unusable(S3, "GetObject", resource.clone(), e.to_string()))?
        .into_bytes();
    let limit = crate::playbook::MAX_BYTES;
    if bytes.len() as u64 > limit {
        anyhow::bail!(
            "{resource} is {} bytes; a playbook is at most {limit} bytes",
            bytes.len()
        );
    }
    let found = crate::playbook::content_hash(&bytes);
    if found != sha256 {
        anyhow::bail!(
            "{resource} has changed since it was scheduled (SHA-256 {found}, scheduled \
             {sha256}): not deploying it; run `canary-deploy schedule` with the playbook to \
             deploy"
        );
    }
    String::from_utf8(bytes.to_vec())
        .map_err(|_| anyhow::anyhow!("{resource} is not UTF-8 text: a playbook is YAML"))
}

//! `schedule`: the deployment's recurring tick schedule on EventBridge Scheduler, so that the
//! runner function advances it with no runner of the user's own (see [`crate::runner`]).
//!
//! Everything that can be refused on its text is refused before any AWS call: the playbook,
//! the three ARNs (the runner function, the role Scheduler assumes, the dead-letter queue) and
//! the S3 URI. Then the route is resolved and the preflight run, as the first tick would, so a
//! deployment that would be refused is refused here, where someone reads it. A playbook kept in
//! S3 must be byte for byte the local file: its SHA-256 is pinned in the schedule, and the runner
//! refuses an object changed since.

use super::{print, Exit, Global, Output};
use crate::arn::Arn;
use crate::runner::event::{parse_s3_uri, RunnerEvent, EVENT_FORMAT};
use crate::runner::schedule::{rate, Put, TickSchedule, TickSpec, MAX_INPUT};
use std::path::{Path, PathBuf};

#[derive(Debug, clap::Args)]
pub struct ScheduleArgs {
    pub playbook: PathBuf,
    /// The runner function's ARN (the `RunnerFunctionArn` output of deploy/runner.yaml).
    #[arg(long, value_name = "ARN", env = "CANARY_DEPLOY_RUNNER_FUNCTION")]
    pub function: Option<String>,
    /// The role EventBridge Scheduler assumes to invoke the runner (the template's
    /// `SchedulerRoleArn` output).
    #[arg(long, value_name = "ARN", env = "CANARY_DEPLOY_SCHEDULER_ROLE")]
    pub role: Option<String>,
    /// The SQS queue for ticks Scheduler could not deliver (the template's
    /// `DeadLetterQueueArn` output).
    #[arg(long, value_name = "ARN", env = "CANARY_DEPLOY_DEAD_LETTER")]
    pub dead_letter: Option<String>,
    /// The schedule group (default: the playbook's `switch.group`, else `default`).
    #[arg(long)]
    pub group: Option<String>,
    /// Where the runner reads the playbook instead of from the schedule (needed for one above
    /// 256 KiB): an S3 object holding exactly this file.
    #[arg(long, value_name = "S3_URI")]
    pub playbook_uri: Option<String>,
    /// Delete the deployment's schedule instead (the deployment stays as it is).
    #[arg(long, conflicts_with_all = ["function", "role", "dead_letter", "playbook_uri"])]
    pub delete: bool,
}

pub async fn execute(args: &ScheduleArgs, global: &Global) -> anyhow::Result<Exit> {
    // Read once: what is validated is what the schedule carries.
    let text = crate::playbook::read_file(&args.playbook)?;
    let shown = args.playbook.display().to_string();
    let plan = super::warned(crate::playbook::parse(&text, &shown)?);
    let group = args
        .group
        .clone()
        .or_else(|| plan.switch.as_ref().map(|s| s.group.clone()))
        .unwrap_or_else(|| "default".to_string());
    if args.delete {
        let session = global.session().await?;
        let schedule = TickSchedule::new(session.clients().scheduler.clone(), &plan.name, &group);
        let deleted = schedule.delete().await?;
        let said = match deleted {
            true => format!("deleted schedule {group}/{}", schedule.name),
            false => format!("no schedule {group}/{} to delete", schedule.name),
        };
        report(
            global.output,
            &said,
            &schedule,
            deleted.then_some("deleted"),
        );
        return Ok(Exit::Done);
    }
    let function = required(
        &args.function,
        "--function",
        "CANARY_DEPLOY_RUNNER_FUNCTION",
    )?;
    let role = required(&args.role, "--role", "CANARY_DEPLOY_SCHEDULER_ROLE")?;
    let dead_letter = required(
        &args.dead_letter,
        "--dead-letter",
        "CANARY_DEPLOY_DEAD_LETTER",
    )?;
    check_arn("--function", function, "lambda", "function:")?;
    check_arn("--role", role, "iam", "role/")?;
    check_arn("--dead-letter", dead_letter, "sqs", "")?;
    if let Some(uri) = &args.playbook_uri {
        parse_s3_uri(uri).map_err(anyhow::Error::msg)?;
    }
    let session = global.session().await?;
    let deployment = session.deployment(plan.clone()).await?;
    session.gate(&deployment, &[]).await?;
    let schedule = TickSchedule::new(session.clients().scheduler.clone(), &plan.name, &group);
    let event = match &args.playbook_uri {
        None => inline_event(&args.playbook, text, &schedule)?,
        Some(uri) => s3_event(&args.playbook, uri, &text, &session, &schedule).await?,
    };
    let spec = TickSpec {
        function_arn: function.to_string(),
        role_arn: role.to_string(),
        dead_letter_arn: dead_letter.to_string(),
        every: plan.analysis.interval,
        event,
    };
    let put = schedule.put(&spec).await?;
    let verb = match put {
        Put::Created => "created",
        Put::Updated => "updated",
    };
    let mut said = format!(
        "{verb} schedule {group}/{}: {} invokes {function}, one tick each; `canary-deploy status \
         {}` shows it, `canary-deploy schedule {} --delete` removes it, and the runner deletes it \
         when the deployment ends",
        schedule.name,
        rate(spec.every),
        args.playbook.display(),
        args.playbook.display()
    );
    if spec.every.as_secs() < 60 || !spec.every.as_secs().is_multiple_of(60) {
        said.push_str(&format!(
            "\nnote: analysis.interval is {}; Scheduler ticks in whole minutes, so the runner \
             ticks {}",
            humantime::format_duration(spec.every),
            rate(spec.every)
        ));
    }
    report(global.output, &said, &schedule, Some(verb));
    Ok(Exit::Done)
}

fn report(output: Output, said: &str, schedule: &TickSchedule, done: Option<&str>) {
    match output {
        Output::Human => print::out(said),
        Output::Json => {
            let doc = crate::report::schema::versioned(serde_json::json!({
                "kind": "schedule",
                "schedule": schedule.name,
                "group": schedule.group,
                "done": done,
            }));
            println!("{}", crate::text::json(&doc.to_string()));
        }
    }
}

fn required<'a>(value: &'a Option<String>, flag: &str, var: &str) -> anyhow::Result<&'a str> {
    value.as_deref().map(str::trim).ok_or_else(|| {
        anyhow::anyhow!(
            "schedule needs {flag} <ARN> (or {var}): deploy/runner.yaml's outputs give the \
             runner function, the scheduler's role and the dead-letter queue"
        )
    })
}

/// Refuses `arn` unless it is an ARN of `service` whose resource starts with `resource`.
fn check_arn(flag: &str, arn: &str, service: &str, resource: &str) -> anyhow::Result<()> {
    let ok = Arn::parse(arn).is_some_and(|a| {
        a.service == service
            && a.resource.starts_with(resource)
            && a.resource.len() > resource.len()
    });
    let example = match service {
        "lambda" => "arn:aws:lambda:us-east-1:123456789012:function:canary-deploy-runner",
        "iam" => "arn:aws:iam::123456789012:role/canary-deploy-scheduler",
        _ => "arn:aws:sqs:us-east-1:123456789012:canary-deploy-dead-letter",
    };
    match ok {
        true => Ok(()),
        false => anyhow::bail!(
            "{flag} `{}` is not the ARN of {}: write e.g. {example}",
            crate::text::line(arn),
            match service {
                "lambda" => "a Lambda function",
                "iam" => "an IAM role",
                _ => "an SQS queue",
            }
        ),
    }
}

fn inline_event(path: &Path, text: String, schedule: &TickSchedule) -> anyhow::Result<RunnerEvent> {
    let event = RunnerEvent::inline(text, file_name(path), schedule.reference());
    let size = serde_json::to_string(&event)?.len();
    if size > MAX_INPUT {
        anyhow::bail!(
            "{} makes a schedule input of {size} bytes, above the {MAX_INPUT} this release puts \
             on a schedule: upload it to S3 and pass --playbook-uri s3://bucket/key",
            path.display()
        );
    }
    Ok(event)
}

/// The event naming the S3 object, once it is found to hold exactly the local file.
async fn s3_event(
    path: &Path,
    uri: &str,
    text: &str,
    session: &crate::session::Session,
    schedule: &TickSchedule,
) -> anyhow::Result<RunnerEvent> {
    let event = RunnerEvent {
        canary_deploy: EVENT_FORMAT,
        playbook: None,
        playbook_uri: Some(uri.to_string()),
        sha256: Some(crate::playbook::content_hash(text.as_bytes())),
        file: Some(file_name(path)),
        schedule: Some(schedule.reference()),
    };
    crate::runner::tick::playbook_text(&event, session)
        .await
        .map_err(|e| {
            anyhow::anyhow!(
                "{e:#}\nthe runner reads the playbook from {uri}: upload this file there first \
                 (`aws s3 cp {} {uri}`)",
                path.display()
            )
        })?;
    Ok(event)
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "playbook.yaml".to_string())
}

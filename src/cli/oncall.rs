//! The on-call commands: `rollback`, `promote`, `pause` and `resume`, with the playbook or with
//! only the routed resource's ARN (`--target`). They skip CloudWatch entirely: read, write, read
//! back, save. Each records who (the caller's identity from STS) and why (`--reason`), and takes
//! over any runner's lease: the on-call button never waits.

use super::{Exit, Global, Which, Why};
use crate::core::{OperatorAction, OperatorCommand, Phase};
use crate::orchestrator::operate::operate_on_record;
use crate::orchestrator::switch::Switch;
use crate::orchestrator::{Clock, OrchestratorError, SystemClock};
use crate::report::reporter;

pub async fn execute(
    action: OperatorAction,
    which: &Which,
    why: &Why,
    global: &Global,
) -> anyhow::Result<Exit> {
    // Validate the playbook before any call, so a typo never reaches AWS.
    let plan = match &which.playbook {
        Some(path) => Some(super::load_playbook(path)?),
        None => None,
    };
    which.check_target()?;
    let session = global.session().await?;
    let caller = session.clients().caller().await;
    let command = OperatorCommand::new(action, why.reason.clone(), caller);
    let mut sink = reporter(global.output);
    let now = SystemClock.now();
    let operated = match (plan, &which.target) {
        (Some(plan), _) => {
            let deployment = session.deployment(plan).await?;
            deployment.operate(now, command, sink.as_mut()).await
        }
        (None, Some(arn)) => {
            let target = session.target(arn).await?;
            let (name, router) = target.router(&session)?;
            let operated =
                operate_on_record(&router, &target.store, &name, command, now, sink.as_mut()).await;
            if let Ok(record) = &operated {
                if let Some(group) = &record.switch_group {
                    let scheduler = session.clients().scheduler.clone();
                    let switch = Switch::for_target(scheduler, &name, group);
                    switch.sync(&router, record, now, sink.as_mut()).await;
                    if record.lane.is_some() {
                        switch
                            .for_lane()
                            .sync(&router, record, now, sink.as_mut())
                            .await;
                    }
                }
            }
            operated
        }
        (None, None) => anyhow::bail!("give the playbook or --target <ARN>"),
    };
    let record = match operated {
        Ok(record) => record,
        // The rollback is written and verified; only its bookkeeping failed: a warning.
        Err(unsaved @ OrchestratorError::Unsaved { .. }) => {
            super::print::err(&format!("warning: {unsaved}"));
            let OrchestratorError::Unsaved { record, .. } = unsaved else {
                return Ok(Exit::Error);
            };
            *record
        }
        Err(error) => return Err(error.into()),
    };
    if global.output == super::Output::Human {
        let mut shown = vec![super::run::outcome(&record.phase)];
        if action == OperatorAction::Resume {
            shown.push(
                "next: a `run` waiting on this deployment goes on at its next interval; \
                 otherwise the next `canary-deploy run` or scheduled `advance` continues it"
                    .to_string(),
            );
        }
        super::print::out_lines(&shown);
    }
    let done = match action {
        OperatorAction::Rollback => matches!(record.phase, Phase::RolledBack { .. }),
        OperatorAction::Promote => matches!(record.phase, Phase::Promoted { .. }),
        OperatorAction::Pause => matches!(record.phase, Phase::Paused { .. }),
        OperatorAction::Resume => matches!(record.phase, Phase::Stepping { .. } | Phase::Pending),
    };
    Ok(if done { Exit::Done } else { Exit::Error })
}

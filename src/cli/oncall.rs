//! The on-call commands: `rollback`, `promote`, `pause` and `resume`, with the playbook or with
//! only the routed resource's ARN (`--target`). They skip CloudWatch entirely: read, write, read
//! back, save. Each records who (the caller's identity from STS) and why (`--reason`), and takes
//! over any runner's lease: the on-call button never waits.

use super::store::{for_target, AnyStore};
use super::{Exit, Global, Which, Why};
use crate::aws::{self, Clients};
use crate::core::{OperatorAction, OperatorCommand, Phase, Record};
use crate::orchestrator::operate::operate_on_record;
use crate::orchestrator::route_router::RouteRouter;
use crate::orchestrator::{setup, Clock, SystemClock};
use crate::traffic::Router;

pub async fn execute(
    action: OperatorAction,
    which: &Which,
    why: &Why,
    global: &Global,
) -> anyhow::Result<Exit> {
    let clients = Clients::new(&aws::load_config(&global.aws()).await?);
    // Validate the playbook before any call, so a typo never reaches AWS.
    let plan = match &which.playbook {
        Some(path) => Some(super::load_playbook(path)?),
        None => None,
    };
    let command = OperatorCommand::new(action, why.reason.clone(), clients.caller().await);
    let mut sink = super::run::reporter(global.output);
    let now = SystemClock.now();
    let record = match (plan, &which.target) {
        (Some(plan), _) => {
            let router = super::resolve::router(&plan, global, &clients).await?;
            let store = AnyStore::for_route(global, &router.identity(), &clients)?;
            let deployment = setup::deployment(plan, router, &clients, store);
            deployment.tick(now, Some(command), sink.as_mut()).await?
        }
        (None, Some(arn)) => {
            if global.state_dir.is_some() {
                anyhow::bail!(
                    "--target reads the deployment record from the resource's tags; with \
                     --state-dir, give the playbook instead"
                );
            }
            let store = for_target(arn, &clients)?;
            let (name, router) = from_tags(&store.load_any().await?, arn, &clients)?;
            operate_on_record(&router, &store, &name, command, now, sink.as_mut()).await?
        }
        (None, None) => anyhow::bail!("give the playbook or --target <ARN>"),
    };
    if global.output == super::Output::Human {
        println!("{}", super::run::outcome(&record.phase));
    }
    let done = match action {
        OperatorAction::Rollback => matches!(record.phase, Phase::RolledBack { .. }),
        OperatorAction::Promote => matches!(record.phase, Phase::Promoted { .. }),
        OperatorAction::Pause => matches!(record.phase, Phase::Paused { .. }),
        OperatorAction::Resume => matches!(record.phase, Phase::Stepping { .. } | Phase::Pending),
    };
    Ok(if done { Exit::Done } else { Exit::Error })
}

/// The deployment's name and router, from the record found in the tags of `arn`.
pub fn from_tags(
    record: &Option<Record>,
    arn: &str,
    clients: &Clients,
) -> anyhow::Result<(String, RouteRouter)> {
    let Some(record) = record else {
        anyhow::bail!(
            "no deployment record in the tags of {arn}: is this the rule, listener or Lambda \
             alias whose weights the deployment shifts? (records kept with --state-dir are not on \
             the resource: use the playbook and the same --state-dir)"
        );
    };
    let Some(route) = &record.route else {
        anyhow::bail!(
            "the deployment record on {arn} does not say which target group is stable (it was \
             written by an older canary-deploy); use the playbook instead"
        );
    };
    let router = RouteRouter::from_identity(route, clients)?;
    Ok((record.playbook.name.clone(), router))
}

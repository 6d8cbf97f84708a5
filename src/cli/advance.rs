//! `advance`: one tick of the deployment, then exit, for scheduled jobs (a GitHub Action every
//! few minutes) that keep no runner alive and no storage of their own: the record lives in the
//! routed resource's tags. It starts a deployment when none is active for this playbook revision,
//! otherwise judges, steps, promotes or rolls back as due. Exit codes as for `run`.

use super::store::AnyStore;
use super::{Exit, Global, StartFromArg};
use crate::aws::{self, Clients};
use crate::orchestrator::{setup, Clock, SystemClock};
use crate::traffic::Router;
use std::path::Path;

pub async fn execute(
    path: &Path,
    start_from: Option<StartFromArg>,
    global: &Global,
) -> anyhow::Result<Exit> {
    let mut plan = super::load_playbook(path)?;
    if let Some(start_from) = start_from {
        plan.start_from = Some(start_from.into());
    }
    let clients = Clients::new(&aws::load_config(&global.aws()).await?);
    let router = setup::router(&plan.route, &clients).await?;
    let store = AnyStore::for_route(global, &router.identity(), &clients);
    let deployment = setup::deployment(plan, router, &clients, store);
    let mut sink = super::run::reporter(global.output);
    let now = SystemClock.now();
    let record = deployment.tick(now, None, sink.as_mut()).await?;
    sink.progress(&record, &deployment.plan, now);
    if global.output == super::Output::Human {
        println!("{}", super::run::outcome(&record.phase));
    }
    Ok(Exit::for_phase(&record.phase))
}

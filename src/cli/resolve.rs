//! The playbook's route resolved for a command, with the record's help where a promoted
//! Lambda alias needs it ([`crate::orchestrator::recall`]), from the store the command uses.

use super::store::AnyStore;
use super::Global;
use crate::aws::Clients;
use crate::core::Plan;
use crate::orchestrator::recall;
use crate::orchestrator::route_router::RouteRouter;

pub async fn router(
    plan: &Plan,
    global: &Global,
    clients: &Clients,
) -> anyhow::Result<RouteRouter> {
    let store_of = |route: &_| AnyStore::for_route(global, route, clients).ok();
    Ok(recall::router(plan, clients, store_of).await?)
}

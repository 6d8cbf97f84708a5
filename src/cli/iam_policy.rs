//! `iam-policy`: prints the least-privilege IAM policy of a playbook (see [`crate::iam`]).
//! Without `--resolve` it makes no AWS call, and a resource the playbook names by name is an ARN
//! pattern, each one said on stderr; with `--resolve` the route is resolved (the same lookups
//! `run` makes) and every resource is an exact ARN.

use super::{Exit, Global};
use crate::aws::{self, Clients};
use crate::iam::{self, RecordStore};
use crate::orchestrator::setup;
use crate::traffic::Router;
use std::path::Path;

pub async fn execute(playbook: &Path, resolve: bool, global: &Global) -> anyhow::Result<Exit> {
    let plan = super::load_playbook(playbook)?;
    let identity = if resolve {
        let clients = Clients::new(&aws::load_config(&global.aws()).await?);
        Some(setup::router(&plan.route, &clients).await?.identity())
    } else {
        None
    };
    let store = match global.state_dir {
        Some(_) => RecordStore::Files,
        None => RecordStore::Tags,
    };
    let generated = iam::policy(&plan, identity.as_ref(), store)?;
    for pattern in &generated.patterns {
        eprintln!(
            "note: {pattern} is a pattern (the playbook names the resource by name); \
             --resolve prints the exact ARN"
        );
    }
    println!("{}", serde_json::to_string_pretty(&generated.policy)?);
    Ok(Exit::Done)
}

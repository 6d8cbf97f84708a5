//! `iam-policy`: prints the least-privilege IAM policy of a playbook (see [`crate::iam`]).
//! Without `--resolve` it makes no AWS call, and a resource the playbook alone does not name
//! exactly is an ARN pattern, each one said on stderr; with `--resolve` the route is resolved
//! (the same lookups `run` makes), the target groups' Lambda functions are read (as preflight
//! reads them), and every resource is an exact ARN.

use super::{Exit, Global};
use crate::aws::Clients;
use crate::iam::{self, RecordStore, Resolved, TargetFunction};
use crate::preflight::{self, Role};
use crate::traffic::Router;
use std::path::Path;

/// Whose policy to print.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Which {
    /// Whoever runs the deployment's commands (`run`, `advance`, the on-call commands).
    Deployment,
    /// The dead-man's switch's role (`--switch-role`).
    SwitchRole,
    /// The Lambda runner's role (`--runner`).
    Runner,
}

pub async fn execute(
    playbook: &Path,
    resolve: bool,
    which: Which,
    global: &Global,
) -> anyhow::Result<Exit> {
    let plan = super::load_playbook(playbook)?;
    let resolved = match resolve {
        true => {
            let session = global.session().await?;
            let clients = session.clients();
            let router = session.resolve(&plan).await?;
            Some(Resolved {
                route: router.route(),
                functions: target_functions(&router, clients).await?,
            })
        }
        false => None,
    };
    let store = match global.state_dir {
        Some(_) => RecordStore::Files,
        None => RecordStore::Tags,
    };
    let generated = iam::policy(&plan, resolved.as_ref(), store);
    let notes: Vec<String> = generated
        .patterns
        .iter()
        .map(|pattern| {
            format!(
                "note: {pattern} is a pattern (the playbook alone does not name that resource \
                 exactly); --resolve prints the exact ARNs"
            )
        })
        .collect();
    if !notes.is_empty() {
        super::print::err_lines(&notes);
    }
    let policy = match (which, generated.switch_role) {
        (Which::Deployment, _) => serde_json::to_string_pretty(&generated.policy)?,
        (Which::Runner, _) => {
            super::print::err_lines(&[
                "note: deploy/runner.yaml grants the function its own logs (and reading \
                 PlaybookBucket); create this policy (`aws iam create-policy --policy-document \
                 file://policy.json`) and list its ARN in the template's DeploymentPolicyArns"
                    .to_string(),
            ]);
            serde_json::to_string_pretty(&generated.runner)?
        }
        (Which::SwitchRole, Some(role)) => {
            let trust = serde_json::to_string(&iam::switch::trust_policy())?;
            super::print::err_lines(&[format!(
                "note: the role {} also needs this trust policy: {trust}",
                plan.switch.as_ref().map_or("", |s| s.role_arn.as_str())
            )]);
            serde_json::to_string_pretty(&role)?
        }
        (Which::SwitchRole, None) => anyhow::bail!(
            "{} has no `switch:`, so there is no switch role; add `switch: {{ role: <IAM role \
             ARN> }}` to arm a dead-man's switch",
            playbook.display()
        ),
    };
    println!("{}", crate::text::json(&policy));
    Ok(Exit::Done)
}

/// The function ARNs registered in the route's Lambda target groups. A target group whose
/// description or targets cannot be read is an error: the policy would silently miss them.
async fn target_functions(
    router: &crate::traffic::RouteRouter,
    clients: &Clients,
) -> anyhow::Result<Vec<TargetFunction>> {
    let Some(facts) = preflight::gather(router, clients).await else {
        return Ok(Vec::new());
    };
    let mut out = Vec::new();
    for group in &facts.groups {
        let info = group
            .info
            .as_ref()
            .map_err(|why| anyhow::anyhow!("cannot describe the {}: {why}", group.shown()))?;
        if !info.lambda {
            continue;
        }
        let targets = group.targets.as_ref().map_err(|why| {
            anyhow::anyhow!("cannot list the targets of the {}: {why}", group.shown())
        })?;
        out.extend(targets.iter().map(|t| TargetFunction {
            arn: t.id.clone(),
            canary: group.role == Role::Canary,
        }));
    }
    Ok(out)
}

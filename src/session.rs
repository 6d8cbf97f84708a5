//! [`Session`]: what every command sets up before it acts, in one place, so that `run`,
//! `advance`, `plan`, `status`, the on-call commands and the integration tests all go through
//! the same resolution, record recall, store choice and preflight gate.
//!
//! A session holds the AWS clients and where records are kept (`--state-dir` files, or by
//! default the tags of the routed resource). From there: [`Session::deployment`] resolves a
//! playbook's route (with the deployment record's help for a promoted Lambda alias, see
//! [`crate::orchestrator::recall`]) and builds the deployment on it; [`Session::gate`] is the
//! preflight before a deployment's first step; [`Session::target`] is the on-call path, which
//! has only a resource's ARN and rebuilds the router from the record found in its tags, with no
//! AWS call besides reading them.

use crate::arn::Arn;
use crate::aws::{self, AwsOptions, AwsSetupError, Clients};
use crate::core::plan::PreflightKind;
use crate::core::{Phase, Plan, Record};
use crate::orchestrator::setup::{self, RouteDeployment};
use crate::orchestrator::{recall, OrchestratorError};
use crate::preflight;
use crate::store::tags::{RecordTags, TagStore};
use crate::store::{AnyStore, FileStore, Store};
use crate::traffic::{RouteRouter, Router};
use std::path::PathBuf;

/// The AWS clients of one command, and where it keeps deployment records.
pub struct Session {
    clients: Clients,
    state_dir: Option<PathBuf>,
}

/// What the on-call path found on a resource given by ARN.
pub struct Target {
    /// The ARN the operator gave.
    pub arn: String,
    /// The tags of the resource, where its record is.
    pub store: TagStore,
    /// The record there, of whichever playbook.
    pub record: Option<Record>,
}

impl Session {
    /// Opens the clients `aws` names (region, profile, endpoint, the standard credential chain);
    /// records go to `state_dir` when given, else to the routed resource's tags.
    pub async fn open(
        aws: &AwsOptions,
        state_dir: Option<PathBuf>,
    ) -> Result<Session, AwsSetupError> {
        Ok(Session::new(
            Clients::new(&aws::load_config(aws).await?),
            state_dir,
        ))
    }

    /// A session on clients already built (tests build theirs for the local emulator).
    pub fn new(clients: Clients, state_dir: Option<PathBuf>) -> Session {
        Session { clients, state_dir }
    }

    pub fn clients(&self) -> &Clients {
        &self.clients
    }

    /// The `--state-dir` store, when the session keeps records in files.
    pub fn file_store(&self) -> Option<FileStore> {
        self.state_dir.as_ref().map(FileStore::new)
    }

    /// The store of a deployment whose record tags are `tags`: `--state-dir` files when the
    /// session keeps records there, else those tags.
    pub fn store_at(&self, tags: &RecordTags) -> AnyStore {
        match self.file_store() {
            Some(files) => AnyStore::File(files),
            None => AnyStore::Tags(tags.store(&self.clients)),
        }
    }

    /// The plan's route resolved (names to ARNs), with the stable version from the record for
    /// a promoted Lambda alias that does not pin it. Costs the calls of resolution.
    pub async fn resolve(&self, plan: &Plan) -> Result<RouteRouter, OrchestratorError> {
        for arn in plan.route.arns() {
            self.same_region(arn.parts(), "the playbook's route is")
                .map_err(OrchestratorError::Setup)?;
        }
        recall::router(plan, &self.clients, |tags| Some(self.store_at(tags))).await
    }

    /// A deployment of `plan`: its route resolved, its store chosen, watched through
    /// CloudWatch with the route's builtin dimensions.
    pub async fn deployment(
        &self,
        plan: Plan,
    ) -> Result<RouteDeployment<AnyStore>, OrchestratorError> {
        let router = self.resolve(&plan).await?;
        let store = self.store_at(&router.route().record_tags());
        Ok(setup::deployment(plan, router, &self.clients, store))
    }

    /// The preflight before a deployment's first step only (no record for this playbook
    /// revision yet, or one still pending): an error listing every failure and how to skip it
    /// when any fails, before anything is written or saved. `skip` names checks to skip
    /// besides the playbook's.
    pub async fn gate(
        &self,
        deployment: &RouteDeployment<AnyStore>,
        skip: &[PreflightKind],
    ) -> anyhow::Result<()> {
        let plan = &deployment.plan;
        let record = deployment.store.load(&plan.name).await?;
        if !starts_new(record.as_ref(), plan) {
            return Ok(());
        }
        let router = &deployment.router;
        let live = router.read().await.map_err(|e| e.to_string());
        let preflight = preflight::run(plan, router, live, &self.clients, skip).await;
        match preflight.passed() {
            true => Ok(()),
            false => Err(anyhow::anyhow!(preflight::refusal(&preflight))),
        }
    }

    /// The record in the tags of the resource `arn` (an ALB or VPC Lattice rule or listener, or
    /// a Lambda alias), for the on-call commands that have nothing else. Records kept with
    /// `--state-dir` are not on the resource: that is refused, naming the way that works.
    pub async fn target(&self, arn: &str) -> anyhow::Result<Target> {
        if self.state_dir.is_some() {
            anyhow::bail!(
                "--target reads the deployment record from the resource's tags; with \
                 --state-dir, give the playbook instead"
            );
        }
        if let Some(parts) = Arn::parse(arn) {
            let what = format!("--target {arn} is");
            self.same_region(parts, &what).map_err(anyhow::Error::msg)?;
        }
        let store = RecordTags::of_arn(arn)
            .map_err(anyhow::Error::msg)?
            .store(&self.clients);
        let record = store.load_any().await?;
        Ok(Target {
            arn: arn.to_string(),
            store,
            record,
        })
    }
}

impl Session {
    /// Refuses `arn` when it names another region than the clients': every call would go to
    /// the wrong region and find nothing. `what` begins the message ("the playbook's route is").
    fn same_region(&self, arn: Arn<'_>, what: &str) -> Result<(), String> {
        let in_use = self.clients.sts.config().region().map(|r| r.as_ref());
        let region = Some(arn.region).filter(|r| !r.is_empty());
        match (region, in_use) {
            (Some(region), Some(in_use)) if region != in_use => Err(format!(
                "{what} in {region} ({}{}), but the AWS region in use is {in_use}: pass \
                 --region {region}, or set AWS_REGION={region}",
                arn.prefix(),
                arn.resource
            )),
            _ => Ok(()),
        }
    }
}

impl Target {
    /// The deployment's name and the router of the route its record names (no AWS call).
    pub fn router(&self, session: &Session) -> anyhow::Result<(String, RouteRouter)> {
        let arn = &self.arn;
        let Some(record) = &self.record else {
            anyhow::bail!(
                "no deployment record in the tags of {arn}: is this the rule, listener or Lambda \
                 alias whose weights the deployment shifts? (records kept with --state-dir are \
                 not on the resource: use the playbook and the same --state-dir)"
            );
        };
        let Some(route) = &record.route else {
            anyhow::bail!(
                "the deployment record on {arn} does not say which target group is stable (it \
                 was written by an older canary-deploy); use the playbook instead"
            );
        };
        route.check_found_at(arn).map_err(anyhow::Error::msg)?;
        Ok((record.playbook.name.clone(), route.router(&session.clients)))
    }
}

/// Whether the next tick starts a deployment: no record, this revision's record still pending,
/// or an ended deployment of an earlier revision (a changed playbook starts a new one).
fn starts_new(record: Option<&Record>, plan: &Plan) -> bool {
    match record {
        None => true,
        Some(r) if r.playbook.content_hash == plan.content_hash => r.phase == Phase::Pending,
        Some(r) => r.phase.is_terminal(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::record::PlaybookId;
    use crate::core::step::test_support::PlanBuilder;
    use crate::core::Timestamp;

    #[test]
    fn only_a_deployment_about_to_start_is_preflighted() {
        let plan = PlanBuilder::standard().build();
        let id = |hash: &str| PlaybookId {
            name: plan.name.clone(),
            content_hash: hash.to_string(),
        };
        let at = Timestamp::from_secs(0);
        assert!(starts_new(None, &plan));
        let pending = Record::new(id(&plan.content_hash), at);
        assert!(starts_new(Some(&pending), &plan));
        let mut stepping = pending.clone();
        stepping.phase = Phase::Stepping {
            index: 0,
            since: at,
        };
        assert!(!starts_new(Some(&stepping), &plan));
        let mut ended = Record::new(id("older"), at);
        ended.phase = Phase::Promoted { at };
        assert!(starts_new(Some(&ended), &plan));
        let mut older_running = ended.clone();
        older_running.phase = Phase::Stepping {
            index: 1,
            since: at,
        };
        assert!(!starts_new(Some(&older_running), &plan));
    }
}

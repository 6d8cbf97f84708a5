//! A rollout scenario on simulated time: a fresh route of any backend in the emulator, a
//! deployment built exactly as the CLI builds it (real SDK clients, file store), and a stand-in
//! data plane that publishes one minute of the backend's metrics at a time at the live weights,
//! with timestamps on the scenario's own clock. A 10-minute rollout runs in seconds.
//! [`Scenario::advance`] drives it instead as scheduled `advance` calls would: a fresh deployment
//! per call, the record only in the route's tags.

use crate::emulator::sdk_config_as;
use crate::route_fixture::{Backend, RouteFixture};
use canary_deploy::aws::Clients;
use canary_deploy::core::{OperatorCommand, Phase, Record, Split, Timestamp};
use canary_deploy::orchestrator::setup::RouteDeployment;
use canary_deploy::orchestrator::OrchestratorError;
use canary_deploy::playbook;
use canary_deploy::report::Collect;
use canary_deploy::session::Session;
use canary_deploy::simulator::{publish_second, Failure, SimBackend, SimTarget, TargetProfile};
use canary_deploy::store::{AnyStore, TagStore};
use canary_deploy::traffic::{RouteRouter, Router};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// The lease protocol's settle time in scenarios: the emulator answers at once.
pub const ADVANCE_SETTLE: Duration = Duration::from_millis(100);

pub const HEALTHY: TargetProfile = TargetProfile {
    error_rate: 0.002,
    latency_ms: 120.0,
    p99_ms: 300.0,
    failure: Failure::Error,
};

pub struct Scenario {
    pub deployment: RouteDeployment<AnyStore>,
    pub clients: Clients,
    pub now: Timestamp,
    pub stable: TargetProfile,
    pub canary: TargetProfile,
    /// Requests per simulated minute, split by the live weights.
    pub requests_per_minute: u64,
    /// Requests per simulated minute carrying the header lane's header: they reach the canary
    /// while a lane rule is on the listener (and the stable otherwise, as the route's own).
    pub lane_requests_per_minute: u64,
    pub events: Collect,
    pub state_dir: tempfile::TempDir,
}

/// A playbook for the fixture's route with the given `analysis`/`checks`/`on_failure`
/// sections appended. Steps 10, 50, 100 with a two-minute bake; one-minute periods.
pub fn playbook(route: &dyn RouteFixture, name: &str, rest: &str) -> String {
    route.playbook(
        name,
        &format!("steps:\n  canary: [10, 50, 100]\n  bake: 2m\n{rest}"),
    )
}

/// The default analysis of scenarios: one-minute periods, judged as soon as one is complete.
/// The analysis of the traffic-safety scenarios: the threshold judge, whose one-window verdicts
/// they count on (the evidence judge's own scenarios are in `judge_evidence.rs`).
pub const ANALYSIS: &str = "analysis:\n  interval: 60s\n  period: 60s\n  lookback: 3m\n  settle: 0s\n  ingestion_delay: 0s\n  min_requests: 20\n  failure_threshold: 1\n  method: threshold\n";

impl Scenario {
    /// A new scenario on a fresh route of `backend` named `prefix` (unique per test) whose
    /// playbook is built by `yaml`.
    pub async fn new(
        backend: Backend,
        prefix: &str,
        yaml: impl Fn(&dyn RouteFixture) -> String,
    ) -> Scenario {
        Scenario::signed_as("testing", backend, prefix, yaml).await
    }

    /// [`Scenario::new`] with every call signed with the access key `key`.
    pub async fn signed_as(
        key: &str,
        backend: Backend,
        prefix: &str,
        yaml: impl Fn(&dyn RouteFixture) -> String,
    ) -> Scenario {
        let route = backend.fixture(prefix).await;
        let source = yaml(route.as_ref());
        let validated = playbook::parse(&source, "scenario.yaml")
            .unwrap_or_else(|e| panic!("scenario playbook is invalid:\n{e}\n{source}"));
        let clients = Clients::new(&sdk_config_as(key).await);
        let state_dir = tempfile::tempdir().expect("temporary state dir");
        let session = Session::new(clients.clone(), Some(state_dir.path().to_path_buf()));
        let deployment = session
            .deployment(validated.plan)
            .await
            .expect("the fixture's route resolves");
        // Three hours ago, on a minute boundary: far enough back that every simulated minute is
        // still in the past.
        let real_now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .expect("clock")
            .as_secs() as i64;
        let start = (real_now - 3 * 3600) / 60 * 60;
        Scenario {
            deployment,
            clients,
            now: Timestamp::from_secs(start),
            stable: HEALTHY,
            canary: HEALTHY,
            requests_per_minute: 600,
            lane_requests_per_minute: 0,
            events: Collect::default(),
            state_dir,
        }
    }

    pub async fn tick(&mut self) -> Record {
        self.deployment
            .tick(self.now, &mut self.events)
            .await
            .expect("tick succeeds")
    }

    pub async fn rollback(&mut self, reason: &str) -> Record {
        let command = OperatorCommand::rollback(reason.to_string());
        self.deployment
            .operate(self.now, command, &mut self.events)
            .await
            .expect("rollback tick succeeds")
    }

    /// A new process on the same deployment: the deployment built again on the same clients
    /// and state directory, nothing kept in memory.
    pub async fn restart(&mut self) {
        let session = Session::new(self.clients.clone(), Some(self.state_dir.path().into()));
        self.deployment = session
            .deployment(self.deployment.plan.clone())
            .await
            .expect("the fixture's route resolves");
    }

    /// The raw split the route's backend writes for `share` (ALB and Lattice clamp to 999).
    pub fn split_for(&self, share: canary_deploy::core::Share) -> Split {
        self.deployment.router.split_for(share)
    }

    pub async fn live(&self) -> Split {
        self.deployment
            .router
            .read()
            .await
            .expect("read live weights")
    }

    /// Publishes one minute of traffic at the live weights, moves the clock a minute on, ticks.
    pub async fn minute(&mut self) -> Record {
        self.publish_minute().await;
        self.tick().await
    }

    /// The store of the route's resource tags, where `advance` keeps the record by default.
    pub fn tag_store(&self, clients: &Clients) -> TagStore {
        self.deployment.router.route().record_tags().store(clients)
    }

    /// One scheduled `advance` at the scenario's clock, made as a separate process makes it:
    /// new clients, the route resolved again, no local state, the record only in the route's
    /// tags. `owner` names this call in the lease.
    pub async fn advance(&mut self, owner: &str) -> Result<Record, OrchestratorError> {
        // As the CLI does: records in the route's tags, and a promoted Lambda alias learns its
        // stable version from its record.
        // The same signing key and call log as the scenario's, so a test can count the calls.
        let session = Session::new(self.clients.clone(), None);
        let deployment = session
            .deployment(self.deployment.plan.clone())
            .await
            .expect("the fixture's route resolves");
        deployment
            .advance(self.now, owner, ADVANCE_SETTLE, &mut self.events)
            .await
    }

    /// Publishes one minute of traffic at the live weights and moves the clock a minute on.
    pub async fn publish_minute(&mut self) {
        let live = self.live().await;
        let (mut stable, mut canary) = canary_deploy::simulator::split_requests(
            self.requests_per_minute,
            live.stable,
            live.canary,
        );
        if self.lane_requests_per_minute > 0 {
            let router = &self.deployment.router;
            match crate::lane_fixture::lane_rules(&self.clients, router)
                .await
                .is_empty()
            {
                false => canary += self.lane_requests_per_minute,
                true => stable += self.lane_requests_per_minute,
            }
        }
        let (backend, stable_dimension, canary_dimension) = sim_route(&self.deployment.router);
        let targets = [
            (
                SimTarget {
                    target_group_dimension: stable_dimension,
                    profile: self.stable,
                },
                stable,
            ),
            (
                SimTarget {
                    target_group_dimension: canary_dimension,
                    profile: self.canary,
                },
                canary,
            ),
        ];
        if stable + canary > 0 {
            let at = UNIX_EPOCH + Duration::from_millis(self.now.as_millis() as u64 + 30_000);
            publish_second(&self.clients.cloudwatch, &backend, &targets, at)
                .await
                .expect("publish simulated traffic");
        }
        self.now = self.now.plus(Duration::from_secs(60));
    }

    /// Runs simulated minutes until the deployment settles (anything but stepping), at most
    /// `max_minutes`.
    pub async fn run(&mut self, max_minutes: u32) -> Record {
        let mut record = self.tick().await;
        for _ in 0..max_minutes {
            if !matches!(record.phase, Phase::Stepping { .. } | Phase::Pending) {
                return record;
            }
            record = self.minute().await;
        }
        record
    }
}

/// Where the simulated load balancer publishes for this route, and the CloudWatch dimension
/// values of its stable and canary target groups.
fn sim_route(router: &RouteRouter) -> (SimBackend, String, String) {
    match router {
        RouteRouter::Alb(router) => {
            let resolved = router.resolved();
            (
                SimBackend::Alb {
                    load_balancer_dimension: resolved.load_balancer_dimension(),
                },
                resolved.target_group_dimension(&resolved.stable_arn),
                resolved.target_group_dimension(&resolved.canary_arn),
            )
        }
        RouteRouter::Lattice(router) => {
            let resolved = router.resolved();
            (
                SimBackend::Lattice,
                resolved.stable.id.clone(),
                resolved.canary.id.clone(),
            )
        }
        RouteRouter::LambdaAlias(router) => {
            let resolved = router.resolved();
            (
                SimBackend::Lambda {
                    function_name: resolved.function_name.clone(),
                    alias: resolved.alias.clone(),
                },
                resolved.stable_version.clone(),
                resolved.canary_version.clone(),
            )
        }
    }
}

/// The indexes of the steps a deployment started, in order.
pub fn steps_started(record: &Record) -> Vec<usize> {
    record
        .history
        .iter()
        .filter_map(|e| match e.kind {
            canary_deploy::core::EventKind::StepStarted { index, .. } => Some(index),
            _ => None,
        })
        .collect()
}

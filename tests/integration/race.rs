//! A runner that loses a race with the on-call rollback: its write lands after the operator's,
//! and the rollback must still win. The race is forced with a router that lets the operator act
//! between the runner's conflict check and its write.

use crate::emulator::{demo_alb, sdk_config};
use canary_deploy::aws::Clients;
use canary_deploy::core::{OperatorCommand, Phase, Share, Split, Timestamp};
use canary_deploy::orchestrator::setup::RouteDeployment;
use canary_deploy::orchestrator::Deployment;
use canary_deploy::report::Discard;
use canary_deploy::session::Session;
use canary_deploy::store::AnyStore;
use canary_deploy::traffic::{ResolvedRoute, RouteRouter, Router, TrafficError};
use std::sync::atomic::{AtomicBool, Ordering};

/// Delegates to the ALB router, except that the first write beyond the first step lets the
/// operator roll back first, then writes without a conflict check, as a runner whose check
/// passed a moment before the operator's write would.
struct LosingRouter {
    inner: RouteRouter,
    operator: RouteDeployment<AnyStore>,
    raced: AtomicBool,
    now: Timestamp,
}

impl Router for LosingRouter {
    fn split_for(&self, share: Share) -> Split {
        self.inner.split_for(share)
    }

    async fn read(&self) -> Result<Split, TrafficError> {
        self.inner.read().await
    }

    async fn write(&self, expected: Option<Split>, target: Split) -> Result<Split, TrafficError> {
        if target.canary > 100 && !self.raced.swap(true, Ordering::SeqCst) {
            let command = OperatorCommand::rollback("pager: errors");
            let record = self
                .operator
                .operate(self.now, command, &mut Discard)
                .await
                .expect("operator rollback");
            assert!(matches!(record.phase, Phase::RolledBack { .. }));
            return self.inner.write(None, target).await;
        }
        self.inner.write(expected, target).await
    }

    fn describe(&self) -> String {
        self.inner.describe()
    }

    fn route(&self) -> ResolvedRoute {
        self.inner.route()
    }
}

#[tokio::test]
async fn a_rollback_wins_over_a_write_that_lands_after_it() {
    let alb = demo_alb("race").await;
    let yaml = alb.playbook("race", "steps:\n  canary: [10, 50, 100]\n  bake: 0s\n");
    let plan = canary_deploy::playbook::parse(&yaml, "race.yaml")
        .expect("valid")
        .plan;
    let clients = Clients::new(&sdk_config().await);
    let state = tempfile::tempdir().expect("temp dir");
    let session = Session::new(clients, Some(state.path().to_path_buf()));
    let runner = session.deployment(plan.clone()).await.expect("resolve");
    let operator = session.deployment(plan).await.expect("resolve");
    let now = Timestamp::from_secs(1_800_000_000);
    let runner = Deployment {
        router: LosingRouter {
            inner: runner.router,
            operator,
            raced: AtomicBool::new(false),
            now,
        },
        plan: runner.plan,
        metrics: runner.metrics,
        store: runner.store,
        switch: None,
        notifier: None,
        hooks: None,
    };

    let first = runner.tick(now, &mut Discard).await.expect("first step");
    assert_eq!(first.written, Some(Split::new(900, 100)));
    // The second tick moves to 50%; the operator rolls back meanwhile and the runner's write
    // lands after the rollback's.
    let record = runner
        .tick(now, &mut Discard)
        .await
        .expect("the runner yields");
    assert!(
        matches!(record.phase, Phase::RolledBack { ref why, .. } if why.contains("pager: errors"))
    );
    assert_eq!(
        runner.router.read().await.expect("read"),
        Split::new(999, 0)
    );
    assert_eq!(record.written, Some(Split::new(999, 0)));
}

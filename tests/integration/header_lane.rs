//! The header test lane (`steps.header_lane`) against the emulator, on an ALB rule, an ALB
//! listener's default action, a VPC Lattice rule and a Lattice listener: the rule created at
//! the free priority above the route's, with the route's conditions plus the header, all to the
//! canary and tagged; the lane's traffic judged by the canary's own metrics before any weight
//! moves; the rule removed at promotion and at rollback (by the runner, or by an on-call
//! command with only the ARN); someone else's rules never touched; no free priority refused
//! before anything is written or saved.

use crate::lane_fixture::{foreign_rule, lane_rules, rules};
use crate::route_fixture::{for_backends, Backend};
use crate::scenario::{Scenario, ANALYSIS, HEALTHY};
use canary_deploy::core::lane::{LaneState, LANE_TAG};
use canary_deploy::core::{EventKind, Phase, Record, Share};
use canary_deploy::orchestrator::OrchestratorError;
use canary_deploy::simulator::TargetProfile;

const CHECKS: &str = "checks:\n  - error_rate: { max_percent: 2 }\n";

/// A playbook with a two-minute lane on `header`, then 50 % and 100 % for a minute each.
fn lane_steps(header: &str) -> String {
    format!(
        "steps:\n  header_lane: {{ header: {header}, value: \"1\", bake: 2m }}\n  canary: [50, 100]\n  \
         bake: 1m\n{ANALYSIS}{CHECKS}"
    )
}

/// The header each backend's fixture does not match already (the Lattice rule matches
/// `x-canary: yes`).
fn header_for(backend: Backend) -> &'static str {
    match backend {
        Backend::LatticeRule => "x-lane",
        _ => "x-canary",
    }
}

async fn scenario(backend: Backend, name: &str) -> Scenario {
    let header = header_for(backend);
    let mut s = Scenario::new(backend, name, |route| {
        route.playbook(name, &lane_steps(header))
    })
    .await;
    s.lane_requests_per_minute = 60;
    s
}

fn lane_events(record: &Record) -> Vec<&EventKind> {
    record
        .history
        .iter()
        .map(|e| &e.kind)
        .filter(|k| {
            matches!(
                k,
                EventKind::LaneOpened { .. } | EventKind::LaneClosed { .. }
            )
        })
        .collect()
}

/// The verdicts of the analyses made while the deployment was in step `index`.
fn verdicts_in_step(record: &Record, index: usize) -> Vec<String> {
    let mut step = None;
    let mut out = Vec::new();
    for event in &record.history {
        match &event.kind {
            EventKind::StepStarted { index: i, .. } => step = Some(*i),
            EventKind::Analysed { verdict, .. } if step == Some(index) => out.push(verdict.clone()),
            _ => {}
        }
    }
    out
}

async fn promoted_through_the_lane(backend: Backend) {
    let name = format!("lane-ok-{}", backend_slug(backend));
    let mut s = scenario(backend, &name).await;
    let before = rules(&s.clients, &s.deployment.router).await;
    let first = s.tick().await;
    assert!(matches!(first.phase, Phase::Stepping { index: 0, .. }));
    assert_eq!(
        s.live().await.canary_share(),
        Share::STABLE_ONLY,
        "the lane moves no weight"
    );
    let lane = first.lane.clone().expect("the lane in the record");
    let LaneState::Open { rule, priority } = &lane.state else {
        panic!("open after the first tick: {lane:?}")
    };
    let live = lane_rules(&s.clients, &s.deployment.router).await;
    assert_eq!(live.len(), 1, "{live:?}");
    let made = &live[0];
    assert_eq!(&made.arn, rule);
    assert_eq!(made.priority, *priority);
    assert_eq!(made.tags.get(LANE_TAG), Some(&lane.token));
    let header = header_for(backend);
    assert!(
        made.matches.contains(header),
        "matches the header: {}",
        made.matches
    );
    let canary = canary_id(&s);
    assert!(
        made.forwards
            .iter()
            .all(|(tg, w)| tg.contains(&canary) && *w > 0),
        "all to the canary: {:?}",
        made.forwards
    );
    match backend {
        Backend::AlbRule => {
            assert_eq!(made.priority, 9, "just above the route's rule (10)");
            assert!(made.matches.contains("/api/*"), "{}", made.matches);
        }
        Backend::LatticeRule => {
            assert_eq!(made.priority, 9, "just above the route's rule (10)");
            assert!(
                made.matches.contains("/api") && made.matches.contains("x-canary"),
                "the route's path and header kept: {}",
                made.matches
            );
        }
        _ => {
            let last = before.iter().map(|r| r.priority).max().unwrap_or(0);
            assert_eq!(made.priority, last + 1, "after every rule");
        }
    }

    let record = s.run(20).await;
    assert!(
        matches!(record.phase, Phase::Promoted { .. }),
        "{:?}",
        record.phase
    );
    let in_lane = verdicts_in_step(&record, 0);
    assert!(
        in_lane.iter().any(|v| v == "pass"),
        "the lane's traffic was judged: {in_lane:?}"
    );
    assert!(lane_rules(&s.clients, &s.deployment.router)
        .await
        .is_empty());
    assert_eq!(
        others(&s, rules(&s.clients, &s.deployment.router).await),
        others(&s, before),
        "every other rule as it was (the route's own: its conditions)"
    );
    assert!(matches!(
        record.lane.as_ref().map(|l| &l.state),
        Some(LaneState::Closed { left: None, .. })
    ));
    assert_eq!(lane_events(&record).len(), 2, "opened, then closed");
}

async fn a_failing_canary_is_rolled_back_in_the_lane(backend: Backend) {
    let name = format!("lane-bad-{}", backend_slug(backend));
    let mut s = scenario(backend, &name).await;
    s.canary = TargetProfile {
        error_rate: 0.3,
        ..HEALTHY
    };
    let before = rules(&s.clients, &s.deployment.router).await;
    let record = s.run(10).await;
    let Phase::RolledBack { why, .. } = &record.phase else {
        panic!("rolled back: {:?}", record.phase)
    };
    assert!(why.contains("error"), "{why}");
    assert_eq!(
        crate::scenario::steps_started(&record),
        vec![0],
        "no weighted step"
    );
    assert_eq!(s.live().await.canary_share(), Share::STABLE_ONLY);
    assert!(lane_rules(&s.clients, &s.deployment.router)
        .await
        .is_empty());
    assert_eq!(
        others(&s, rules(&s.clients, &s.deployment.router).await),
        others(&s, before)
    );
}

for_backends!(alb_rule => AlbRule, alb => Alb, lattice_rule => LatticeRule, lattice => Lattice;
    [promoted_through_the_lane, a_failing_canary_is_rolled_back_in_the_lane]);

/// The rules as comparable across a deployment: the route's own rule by its conditions alone
/// (its weights and record tags are the deployment's to change).
fn others(s: &Scenario, rules: Vec<crate::lane_fixture::LiveRule>) -> Vec<(String, u32, String)> {
    let route = canary_deploy::traffic::Router::route(&s.deployment.router);
    rules
        .into_iter()
        .map(|r| match r.arn == route.resource_arn() {
            true => (r.arn, r.priority, r.matches),
            false => (
                r.arn,
                r.priority,
                format!("{} {:?} {:?}", r.matches, r.tags, r.forwards),
            ),
        })
        .collect()
}

fn backend_slug(backend: Backend) -> &'static str {
    match backend {
        Backend::Alb => "alb",
        Backend::AlbRule => "albr",
        Backend::AlbLambda => "albl",
        Backend::Lattice => "lat",
        Backend::LatticeRule => "latr",
        Backend::LambdaAlias => "lam",
    }
}

/// The canary target group as the rules name it (ARN on ALB, id on Lattice).
fn canary_id(s: &Scenario) -> String {
    match &s.deployment.router {
        canary_deploy::traffic::RouteRouter::Alb(r) => r.resolved().canary_arn.clone(),
        canary_deploy::traffic::RouteRouter::Lattice(r) => r.resolved().canary.id.clone(),
        canary_deploy::traffic::RouteRouter::LambdaAlias(_) => unreachable!("no lane"),
    }
}

/// Someone else's rule right above the route's: the lane would have to jump over it, so the
/// deployment refuses to start, and nothing is created, written or saved.
#[tokio::test]
async fn no_free_priority_above_the_route_is_refused_before_anything() {
    for backend in [Backend::AlbRule, Backend::LatticeRule] {
        let name = format!("lane-full-{}", backend_slug(backend));
        let s = scenario(backend, &name).await;
        foreign_rule(&s.clients, &s.deployment.router, 9, &[]).await;
        let before = rules(&s.clients, &s.deployment.router).await;
        let mut events = canary_deploy::report::Collect::default();
        let refused = s.deployment.tick(s.now, &mut events).await;
        let Err(OrchestratorError::LaneRefused(why)) = &refused else {
            panic!("refused: {refused:?}")
        };
        assert!(why.contains("priority 9 is another rule's"), "{why}");
        assert_eq!(rules(&s.clients, &s.deployment.router).await, before);
        assert_eq!(s.live().await.canary_share(), Share::STABLE_ONLY);
        let stored = canary_deploy::store::Store::load(&s.deployment.store, &name)
            .await
            .expect("load");
        assert_eq!(stored, None, "nothing saved");
    }
}

/// A rule retagged by someone else after the lane opened is theirs: the rollback that ends the
/// deployment leaves it, and says so. A forged lane tag on another rule is never mistaken for
/// the deployment's own.
#[tokio::test]
async fn a_lane_rule_retagged_by_someone_else_is_left_alone() {
    let name = "lane-retag";
    let mut s = scenario(Backend::Alb, name).await;
    let forged = foreign_rule(
        &s.clients,
        &s.deployment.router,
        40_000,
        &[(LANE_TAG, "lane-retag/0000000000000000")],
    )
    .await;
    let record = s.tick().await;
    let rule = record
        .lane
        .as_ref()
        .and_then(|l| l.rule())
        .expect("open")
        .to_string();
    s.clients
        .elbv2
        .add_tags()
        .resource_arns(&rule)
        .tags(
            aws_sdk_elasticloadbalancingv2::types::Tag::builder()
                .key(LANE_TAG)
                .value("someone-else/1")
                .build(),
        )
        .send()
        .await
        .expect("retag");
    let record = s.rollback("pager").await;
    assert!(matches!(record.phase, Phase::RolledBack { .. }));
    let left = rules(&s.clients, &s.deployment.router).await;
    assert!(left.iter().any(|r| r.arn == rule), "left in place");
    assert!(left.iter().any(|r| r.arn == forged), "never touched");
    let Some(LaneState::Closed {
        left: Some(why), ..
    }) = record.lane.as_ref().map(|l| &l.state)
    else {
        panic!("closed as left: {:?}", record.lane)
    };
    assert!(why.contains("someone-else/1"), "{why}");
    assert!(record
        .history
        .iter()
        .any(|e| matches!(&e.kind, EventKind::LaneLeft { rule: r, .. } if *r == rule)));
}

/// The on-call button with nothing but the ARN (another machine, no playbook): the record in
/// the resource's tags names the lane's rule and token, and the rollback removes it.
async fn the_on_call_rollback_with_only_the_arn_removes_the_lane(backend: Backend) {
    use crate::emulator::canary_deploy_in;
    let name = format!("lane-oncall-{}", backend_slug(backend));
    let route = backend.fixture(&name).await;
    let first = tempfile::tempdir().expect("temp dir");
    let yaml = route.playbook(&name, &lane_steps(header_for(backend)));
    let path = first.path().join("p.yaml");
    std::fs::write(&path, &yaml).expect("write the playbook");
    let ran = |cwd: &std::path::Path, args: &[&str]| {
        let out = canary_deploy_in(cwd, args);
        let text = String::from_utf8_lossy(&out.stdout).to_string();
        let err = String::from_utf8_lossy(&out.stderr).to_string();
        assert_eq!(out.status.code(), Some(0), "{args:?}\n{text}\n{err}");
        format!("{text}{err}")
    };
    let planned = ran(first.path(), &["plan", &path.to_string_lossy()]);
    let header = header_for(backend);
    assert!(
        planned.contains(&format!(
            "header lane `{header}: 1`: a rule of its own at priority"
        )),
        "plan says where the lane goes: {planned}"
    );
    let advanced = ran(first.path(), &["advance", &path.to_string_lossy()]);
    assert!(
        advanced.contains("header lane open"),
        "the lane is said: {advanced}"
    );

    let clients = canary_deploy::aws::Clients::new(&crate::emulator::sdk_config().await);
    let plan = canary_deploy::playbook::parse(&yaml, "p.yaml")
        .expect("valid")
        .plan;
    let deployment = canary_deploy::session::Session::new(clients.clone(), None)
        .deployment(plan)
        .await
        .expect("resolves");
    assert_eq!(lane_rules(&clients, &deployment.router).await.len(), 1);

    let second = tempfile::tempdir().expect("temp dir");
    let arn = route.resource_arn();
    let before = ran(second.path(), &["status", "--target", &arn]);
    assert!(
        before.contains(&format!("header lane `{header}: 1` → canary: rule arn:")),
        "status shows the lane: {before}"
    );
    let out = ran(
        second.path(),
        &["rollback", "--target", &arn, "--reason", "pager"],
    );
    assert!(out.contains("header lane removed"), "{out}");
    assert!(lane_rules(&clients, &deployment.router).await.is_empty());
    let status = ran(second.path(), &["status", "--target", &arn, "--json"]);
    let json: serde_json::Value = serde_json::from_str(&status).expect("status --json");
    assert_eq!(json["record"]["lane"]["lane_state"], "closed", "{json}");
}

for_backends!(oncall_alb => Alb, oncall_lattice_rule => LatticeRule;
    [the_on_call_rollback_with_only_the_arn_removes_the_lane]);

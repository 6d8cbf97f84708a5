//! `plan`: a dry run. Resolves the route (names to ARNs), reads the live weights, and shows the
//! step timeline on the clock, the CloudWatch query of every check and the preflight results,
//! without writing or saving anything. Exit 0 when every preflight check passes, 1 otherwise.
//!
//! Also the preflight gate `run` and `advance` pass before a deployment's first step
//! ([`gate`]), so both say the same thing about the same route.

use super::store::AnyStore;
use super::validate::{stages, timeline_at};
use super::{Exit, Global, Output};
use crate::aws::{self, Clients};
use crate::core::record::{RouteBackend, RouteIdentity};
use crate::core::start::{start, Start};
use crate::core::{Phase, Plan, Record, Split, Timestamp};
use crate::metrics::templates::{check_queries, CheckQueries};
use crate::orchestrator::route_router::RouteRouter;
use crate::orchestrator::{setup, Clock, SystemClock};
use crate::preflight::{self, Preflight};
use crate::store::{FileStore, Store};
use crate::traffic::Router;
use serde_json::json;
use std::path::Path;

pub async fn execute(path: &Path, skip: &[String], global: &Global) -> anyhow::Result<Exit> {
    let plan = super::load_playbook(path)?;
    let clients = Clients::new(&aws::load_config(&global.aws()).await?);
    let router = super::resolve::router(&plan, global, &clients).await?;
    let live = router.read().await.map_err(|e| e.to_string());
    let preflight = preflight::run(&plan, &router, live.clone(), &clients, skip).await;
    let now = SystemClock.now();
    let first = match &live {
        Ok(live) => match start(&plan, *live) {
            Start::EnterStep { index } | Start::Adopt { index } => index,
            Start::Refuse { .. } => 0,
        },
        Err(_) => 0,
    };
    let identity = router.identity();
    let queries = queries(&plan, router, &clients);
    match global.output {
        Output::Json => {
            let doc = as_json(&plan, &identity, &live, &queries, &preflight, first, now);
            println!("{}", serde_json::to_string(&doc)?);
        }
        Output::Human => {
            println!("plan for `{}` ({})", plan.name, path.display());
            println!("route ({}):", backend_name(identity.backend));
            for (what, arn) in arns(&identity) {
                println!("  {what}: {arn}");
            }
            match &live {
                Ok(split) => println!("live weights: {split}"),
                Err(why) => println!("live weights: unavailable ({why})"),
            }
            println!("timeline (UTC, from now):");
            for line in timeline_at(&plan, first, now) {
                println!("  {line}");
            }
            println!("checks:");
            for (name, lines) in &queries {
                println!("  {name}:");
                for line in lines {
                    println!("    {line}");
                }
            }
            println!("{}", preflight::render(&preflight));
        }
    }
    Ok(match preflight.passed() {
        true => Exit::Done,
        false => Exit::Error,
    })
}

/// How the route's backend is named to a reader.
fn backend_name(backend: RouteBackend) -> &'static str {
    match backend {
        RouteBackend::Alb => "Application Load Balancer",
        RouteBackend::Lattice => "VPC Lattice",
        RouteBackend::LambdaAlias => "Lambda alias",
    }
}

/// The resolved resources, by what they are on the route's backend.
fn arns(identity: &RouteIdentity) -> Vec<(&'static str, String)> {
    let [top, routed, stable, canary] = match identity.backend {
        RouteBackend::LambdaAlias => ["function", "alias", "stable version", "canary version"],
        RouteBackend::Alb | RouteBackend::Lattice => ["listener", "rule", "stable", "canary"],
    };
    let mut out = vec![(top, identity.listener_arn.clone())];
    if let Some(rule) = &identity.rule_arn {
        out.push((routed, rule.clone()));
    }
    out.push((stable, identity.stable_arn.clone()));
    out.push((canary, identity.canary_arn.clone()));
    out
}

/// Each check's name and the CloudWatch queries it makes (namespace, metric, statistic,
/// dimensions), or the alarms it reads.
fn queries(plan: &Plan, router: RouteRouter, clients: &Clients) -> Vec<(String, Vec<String>)> {
    // Only its metric source's dimensions are used: the store is never read or written.
    let deployment = setup::deployment(plan.clone(), router, clients, FileStore::new("."));
    let dims = deployment.metrics.dimensions();
    plan.checks
        .iter()
        .map(|check| {
            let lines = match check_queries(&check.kind, dims) {
                CheckQueries::Alarms { names } => {
                    vec![format!(
                        "CloudWatch alarms (DescribeAlarms): {}",
                        names.join(", ")
                    )]
                }
                CheckQueries::Unavailable { why } => vec![why],
                queries => queries
                    .metric_queries()
                    .iter()
                    .map(|q| q.to_string())
                    .collect(),
            };
            (check.name.clone(), lines)
        })
        .collect()
}

fn as_json(
    plan: &Plan,
    identity: &RouteIdentity,
    live: &Result<Split, String>,
    queries: &[(String, Vec<String>)],
    preflight: &Preflight,
    first: usize,
    now: Timestamp,
) -> serde_json::Value {
    let at = |t: Timestamp| {
        let secs = u64::try_from(t.as_secs()).unwrap_or_default();
        humantime::format_rfc3339_seconds(
            std::time::UNIX_EPOCH + std::time::Duration::from_secs(secs),
        )
        .to_string()
    };
    let (stages, total) = stages(plan, first);
    let steps: Vec<serde_json::Value> = stages
        .iter()
        .map(|s| {
            json!({ "step": s.index + 1, "percent": s.share.percent(),
                    "starts_at": at(now.plus(s.after)), "bake_seconds": s.bake.as_secs(),
                    "ends_at": at(now.plus(s.after + s.bake)) })
        })
        .collect();
    let checks: Vec<serde_json::Value> = queries
        .iter()
        .map(|(name, lines)| json!({ "name": name, "queries": lines }))
        .collect();
    json!({
        "playbook": plan.name,
        "route": identity,
        "live": live.as_ref().ok(),
        "live_error": live.as_ref().err(),
        "steps": steps,
        "expected_end": at(now.plus(total)),
        "checks": checks,
        "preflight": preflight,
        "preflight_passed": preflight.passed(),
    })
}

/// `run`'s and `advance`'s preflight, before a deployment's first step only (no record for
/// this playbook revision yet, or one still pending): an error listing every failure and how to
/// skip it when any fails, before anything is written or saved.
pub async fn gate(
    plan: &Plan,
    router: &RouteRouter,
    store: &AnyStore,
    clients: &Clients,
    skip: &[String],
) -> anyhow::Result<()> {
    let record = store.load(&plan.name).await?;
    if !starts_new(record.as_ref(), plan) {
        return Ok(());
    }
    let live = router.read().await.map_err(|e| e.to_string());
    let preflight = preflight::run(plan, router, live, clients, skip).await;
    match preflight.passed() {
        true => Ok(()),
        false => Err(anyhow::anyhow!(preflight::refusal(&preflight))),
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

//! `plan`: a dry run. Resolves the route (names to ARNs), reads the live weights, and shows the
//! step timeline on the clock, the CloudWatch query of every check and the preflight results,
//! without writing or saving anything. Exit 0 when every preflight check passes, 1 otherwise.
//!
//! The preflight it shows is the one `run` and `advance` pass before a deployment's first step
//! ([`crate::session::Session::gate`]), so all say the same thing about the same route.

use super::validate::{stages, timeline_at};
use super::{print, Exit, Global, Output};
use crate::core::plan::PreflightKind;
use crate::core::start::start;
use crate::core::{Plan, Split, Timestamp};
use crate::metrics::templates::{check_queries, CheckQueries};
use crate::orchestrator::{Clock, SystemClock};
use crate::preflight::{self, Preflight};
use crate::text;
use crate::traffic::{ResolvedRoute, Router};
use serde_json::json;
use std::path::Path;

pub async fn execute(path: &Path, skip: &[PreflightKind], global: &Global) -> anyhow::Result<Exit> {
    let plan = super::load_playbook(path)?;
    let session = global.session().await?;
    let router = session.resolve(&plan).await?;
    let live = router.read().await.map_err(|e| e.to_string());
    let preflight = preflight::run(&plan, &router, live.clone(), session.clients(), skip).await;
    let now = SystemClock.now();
    let first = match &live {
        Ok(live) => start(&plan, *live).index(),
        Err(_) => 0,
    };
    let route = router.route();
    let queries = queries(&plan, &route);
    match global.output {
        Output::Json => {
            let doc = as_json(&plan, &route, &live, &queries, &preflight, first, now);
            println!("{}", text::json(&serde_json::to_string(&doc)?));
        }
        Output::Human => {
            let mut out = vec![
                format!("plan for `{}` ({})", plan.name, path.display()),
                format!("route ({}):", route.backend_name()),
            ];
            for (what, arn) in route.resources() {
                out.push(format!("  {what}: {arn}"));
            }
            out.push(match &live {
                Ok(split) => format!("live weights: {split}"),
                Err(why) => format!("live weights: unavailable ({why})"),
            });
            out.push("timeline (UTC, from now):".to_string());
            for line in timeline_at(&plan, first, now) {
                out.push(format!("  {line}"));
            }
            out.push("checks:".to_string());
            for (name, lines) in &queries {
                out.push(format!("  {name}:"));
                for line in lines {
                    out.push(format!("    {line}"));
                }
            }
            // Several lines by design, each with its indentation.
            out.push(preflight::render(&preflight));
            print::out(&out.join("\n"));
        }
    }
    Ok(match preflight.passed() {
        true => Exit::Done,
        false => Exit::Error,
    })
}

/// Each check's name and the CloudWatch queries it makes (namespace, metric, statistic,
/// dimensions), or the alarms it reads.
fn queries(plan: &Plan, route: &ResolvedRoute) -> Vec<(String, Vec<String>)> {
    let dims = &route.dimensions();
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
    route: &ResolvedRoute,
    live: &Result<Split, String>,
    queries: &[(String, Vec<String>)],
    preflight: &Preflight,
    first: usize,
    now: Timestamp,
) -> serde_json::Value {
    let at = Timestamp::rfc3339;
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
        "route": route,
        "live": live.as_ref().ok(),
        "live_error": live.as_ref().err(),
        "steps": steps,
        "expected_end": at(now.plus(total)),
        "checks": checks,
        "preflight": preflight,
        "preflight_passed": preflight.passed(),
    })
}

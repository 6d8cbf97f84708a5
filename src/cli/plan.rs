//! `plan`: a dry run. Resolves the route (names to ARNs), reads the live weights and the last
//! hour of the route's traffic, and shows the forecast timeline on the clock (each step's
//! expected end and the smallest regression it can detect), the CloudWatch query of every check
//! and the preflight results, without writing or saving anything. Exit 0 when every preflight
//! check passes, 1 otherwise.
//!
//! The preflight it shows is the one `run` and `advance` pass before a deployment's first step
//! ([`crate::session::Session::gate`]), so all say the same thing about the same route.

use super::forecast_view;
use super::validate::{stages, timeline_at};
use super::{print, Exit, Global, Output, StartFromArg};
use crate::core::forecast::{forecast, Forecast, Recent};
use crate::core::next::would_do;
use crate::core::plan::PreflightKind;
use crate::core::start::start;
use crate::core::{Plan, Split, Timestamp};
use crate::metrics::cloudwatch::CloudWatchSource;
use crate::metrics::templates::{check_queries, CheckQueries};
use crate::orchestrator::recent::{recent_traffic, recent_window};
use crate::orchestrator::{Clock, SystemClock};
use crate::preflight::{self, Preflight};
use crate::store::Store;
use crate::text;
use crate::traffic::{ResolvedRoute, Router};
use serde_json::json;
use std::path::Path;

pub async fn execute(
    path: &Path,
    start_from: Option<StartFromArg>,
    skip: &[PreflightKind],
    global: &Global,
) -> anyhow::Result<Exit> {
    let plan = super::load_plan(path, start_from)?;
    let session = global.session().await?;
    let router = session.resolve(&plan).await?;
    let live = router.read().await.map_err(|e| e.to_string());
    let preflight = preflight::run(&plan, &router, live.clone(), session.clients(), skip).await;
    let now = SystemClock.now();
    let first = match &live {
        Ok(live) => start(&plan, *live).index(),
        Err(_) => 0,
    };
    // What the next run or advance would do, from the stored record (a read of the store).
    let store = session.store_at(&router.route().record_tags());
    let record = store.load(&plan.name).await?;
    let next = live
        .as_ref()
        .ok()
        .map(|live| would_do(&plan, record.as_ref(), *live));
    let lane = lane(&plan, &router).await;
    let route = router.route();
    let queries = queries(&plan, &route);
    let metrics = CloudWatchSource::new(
        session.clients().cloudwatch.clone(),
        route.dimensions(),
        plan.analysis.period,
    );
    let recent = match recent_window(&plan, now) {
        Some(window) => recent_traffic(&metrics, window)
            .await
            .map_err(|e| e.to_string()),
        None => Err("the analysis period is longer than an hour".to_string()),
    };
    let forecast = recent
        .as_ref()
        .ok()
        .map(|recent| (*recent, forecast(&plan, first, *recent, now)));
    match global.output {
        Output::Json => {
            let mut doc = as_json(&plan, &route, &live, &queries, &preflight, first, now);
            doc["next"] = json!(next);
            doc["lane"] = match &lane {
                Some(Ok(priority)) => json!({ "priority": priority }),
                Some(Err(why)) => json!({ "error": why }),
                None => serde_json::Value::Null,
            };
            doc["forecast"] = match (&forecast, &recent) {
                (Some((recent, f)), _) => forecast_view::as_json(&plan, f, recent, now),
                (None, Err(why)) => json!({ "error": why }),
                (None, Ok(_)) => serde_json::Value::Null,
            };
            let doc = crate::report::schema::versioned(doc);
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
            if let Some(next) = &next {
                out.push(format!("run or advance would: {next}"));
            }
            out.extend(timeline(&plan, first, now, &forecast, &recent));
            out.push("checks:".to_string());
            for (name, lines) in &queries {
                out.push(format!("  {name}:"));
                for line in lines {
                    out.push(format!("    {line}"));
                }
            }
            out.extend(hooks_and_notify(&plan));
            out.extend(lane.as_ref().map(|placed| lane_line(&plan, placed)));
            // Several lines by design, each with its indentation.
            out.push(preflight::render(&preflight));
            let text = out.join("\n");
            let lines: Vec<String> = text.lines().map(str::to_string).collect();
            crate::report::github::report_to_summary("plan", &lines);
            print::out(&text);
        }
    }
    let lane_refused = matches!(lane, Some(Err(_)));
    Ok(match preflight.passed() && !lane_refused {
        true => Exit::Done,
        false => Exit::Error,
    })
}

/// Where the header lane's rule would go (its priority), read from the live listener now, or
/// why the route has no room for it; `None` without a lane.
async fn lane(plan: &Plan, router: &crate::traffic::RouteRouter) -> Option<Result<u32, String>> {
    let lane = plan.lane.as_ref()?;
    let Some(lanes) = crate::traffic::Router::lane(router) else {
        return Some(Err("this route has no listener rules".to_string()));
    };
    Some(
        lanes
            .place(lane)
            .await
            .map(|placed| placed.priority())
            .map_err(|e| e.to_string()),
    )
}

fn lane_line(plan: &Plan, placed: &Result<u32, String>) -> String {
    let what = plan.lane.as_ref().map(|l| l.describe()).unwrap_or_default();
    match placed {
        Ok(priority) => format!(
            "header lane `{what}`: a rule of its own at priority {priority} (the route's \
             conditions plus the header, all to the canary), removed when the deployment ends"
        ),
        Err(why) => format!("header lane `{what}`: REFUSED: {why}"),
    }
}

/// The hooks each point calls and who is notified, a line each (none when there are none).
fn hooks_and_notify(plan: &Plan) -> Vec<String> {
    let mut out = Vec::new();
    for point in crate::core::plan::HookPoint::ALL {
        for hook in plan.hooks.at(point) {
            out.push(format!(
                "hook {}: {} (timeout {}, retries {})",
                point.as_str(),
                hook.shown(),
                humantime::format_duration(hook.timeout),
                hook.retries
            ));
        }
    }
    out.extend(
        plan.notify
            .iter()
            .map(|n| format!("notify: {}", n.channel.shown())),
    );
    out
}

/// The forecast timeline on the last hour's traffic, with its warnings; without that traffic,
/// the bakes alone, saying why.
fn timeline(
    plan: &Plan,
    first: usize,
    now: Timestamp,
    forecast: &Option<(Recent, Forecast)>,
    recent: &Result<Recent, String>,
) -> Vec<String> {
    let mut out = Vec::new();
    match (forecast, recent) {
        (Some((recent, f)), _) => {
            out.push(format!(
                "timeline (UTC, from now, forecast on the last hour's traffic: {}):",
                forecast_view::recent_text(recent)
            ));
            out.extend(
                forecast_view::lines(plan, f, now)
                    .into_iter()
                    .map(|l| format!("  {l}")),
            );
            let warnings = forecast_view::warnings(plan, f);
            if !warnings.is_empty() {
                out.push("warnings:".to_string());
                out.extend(warnings.into_iter().map(|w| format!("  {w}")));
            }
        }
        (None, recent) => {
            let why = recent.as_ref().err().cloned().unwrap_or_default();
            out.push(format!(
                "timeline (UTC, from now; the bakes alone, without a forecast: the route's recent \
                 traffic is unavailable: {why}):"
            ));
            out.extend(
                timeline_at(plan, first, now)
                    .into_iter()
                    .map(|l| format!("  {l}")),
            );
        }
    }
    out
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

//! `backtest`: the playbook as written, replayed over the route's own CloudWatch history with the
//! stable's traffic as both the stable and a "canary" (each request routed to it at the step's
//! weight), from a start every `--every` over `--since`. Every rollback is a false one; the
//! table says how often the playbook would have cried wolf on this route's real traffic, and
//! how the other judge would have done. Reads only: resolution and `GetMetricData`.

use super::{print, Exit, Global, Output};
use crate::core::forecast::{forecast, Outcome, Recent};
use crate::core::plan::{Method, Plan};
use crate::core::{Timestamp, Window};
use crate::metrics::cloudwatch::CloudWatchSource;
use crate::orchestrator::history::stable_history;
use crate::orchestrator::{Clock, SystemClock};
use crate::replay::backtest::{backtest, starts, Run};
use crate::replay::{Ending, Tally};
use crate::text;
use serde_json::json;
use std::path::Path;
use std::time::Duration;

/// What `backtest` was asked.
pub struct Options {
    pub since: Duration,
    pub every: Duration,
    pub seed: u64,
}

pub async fn execute(path: &Path, options: &Options, global: &Global) -> anyhow::Result<Exit> {
    let plan = super::load_playbook(path)?;
    check_retention(&plan, options.since)?;
    let session = global.session().await?;
    let router = session.resolve(&plan).await?;
    let route = crate::traffic::Router::route(&router);
    let source = CloudWatchSource::new(
        session.clients().cloudwatch.clone(),
        route.dimensions().stable_as_canary(),
        plan.analysis.period,
    );
    let now = SystemClock.now();
    let window = history_window(&plan, now, options.since)?;
    let (history, replayed) = stable_history(&source, &plan, window).await?;
    let seconds = window.duration().as_secs_f64();
    let (rps, rate) = history.average(seconds);
    let first = window.start.plus(plan.analysis.baseline);
    let room = room(
        &replayed.plan,
        Recent {
            requests_per_second: rps,
            error_rate: rate,
        },
    );
    let at = starts(first, window.end, options.every, room);
    let mut judges = Vec::new();
    for method in [plan.analysis.method, other(plan.analysis.method)] {
        let mut judged = replayed.plan.clone();
        judged.analysis.method = method;
        let runs = backtest(&judged, &history, &at, window.end, options.seed);
        judges.push((method, runs));
    }
    let report = Report {
        plan: &plan,
        window,
        periods: history.periods.len(),
        rps,
        rate,
        judges: &judges,
        notes: &replayed.notes,
    };
    match global.output {
        Output::Json => {
            let doc = crate::report::schema::versioned(report.json());
            println!("{}", text::json(&serde_json::to_string(&doc)?))
        }
        Output::Human => {
            let text = report.human();
            let lines: Vec<String> = text.lines().map(str::to_string).collect();
            crate::report::github::report_to_summary("backtest", &lines);
            print::out(&text)
        }
    }
    Ok(Exit::Done)
}

fn other(method: Method) -> Method {
    match method {
        Method::Evidence => Method::Threshold,
        Method::Threshold => Method::Evidence,
    }
}

/// How long a deployment needs on the history's average traffic (the forecast's end, or every
/// step's max_bake when the forecast does not promote), plus a quarter.
fn room(plan: &Plan, recent: Recent) -> Duration {
    let start = Timestamp(0);
    let expected = match forecast(plan, 0, recent, start).outcome {
        Outcome::Promoted { after } => after,
        _ => plan
            .steps
            .iter()
            .map(|s| plan.analysis.max_bake.for_bake(s.bake))
            .sum(),
    };
    expected + expected / 4 + plan.analysis.interval
}

/// The complete periods of `since` (plus the baseline before the first start) ending the
/// ingestion delay before now.
fn history_window(plan: &Plan, now: Timestamp, since: Duration) -> anyhow::Result<Window> {
    let mut analysis = plan.analysis.clone();
    analysis.baseline = since + plan.analysis.baseline;
    crate::core::window::before(&analysis, now.minus(analysis.ingestion_delay)).ok_or_else(|| {
        anyhow::anyhow!(
            "--since {} holds no complete period of {}",
            humantime::format_duration(since),
            humantime::format_duration(plan.analysis.period)
        )
    })
}

/// CloudWatch keeps data of a period for a limited time: 3 hours below 60 s, 15 days at 60 s,
/// 63 days at 300 s, 455 days at 3600 s.
fn check_retention(plan: &Plan, since: Duration) -> anyhow::Result<()> {
    let period = plan.analysis.period.as_secs();
    let kept = match period {
        0..=59 => Duration::from_secs(3 * 3600),
        60..=299 => Duration::from_secs(15 * 86_400),
        300..=3599 => Duration::from_secs(63 * 86_400),
        _ => Duration::from_secs(455 * 86_400),
    };
    let needed = since + plan.analysis.baseline;
    if needed > kept {
        anyhow::bail!(
            "--since {} plus the baseline {} reaches further back than CloudWatch keeps {}s \
             data ({}): use --since {} or less",
            humantime::format_duration(since),
            humantime::format_duration(plan.analysis.baseline),
            period,
            humantime::format_duration(kept),
            humantime::format_duration(kept.saturating_sub(plan.analysis.baseline))
        );
    }
    if since < Duration::from_secs(3600) {
        anyhow::bail!(
            "--since {} is too short to replay deployments: give at least 1h",
            humantime::format_duration(since)
        );
    }
    Ok(())
}

struct Report<'a> {
    plan: &'a Plan,
    window: Window,
    periods: usize,
    rps: f64,
    rate: Option<f64>,
    judges: &'a [(Method, Vec<Run>)],
    notes: &'a [String],
}

impl Report<'_> {
    fn tally(runs: &[Run]) -> Tally {
        let mut tally = Tally::default();
        for run in runs {
            tally.add(&run.replay);
        }
        tally
    }

    fn human(&self) -> String {
        let num = crate::core::judge::num;
        let mut out = vec![
            format!(
                "backtest of `{}` on the stable's own traffic, {} to {} UTC ({} periods with \
                 data; {} req/s on average, stable 5XX {})",
                self.plan.name,
                self.window.start.utc(),
                self.window.end.utc(),
                self.periods,
                num(self.rps),
                self.rate
                    .map_or("–".to_string(), |r| format!("{}%", num(r * 100.0)))
            ),
            "each deployment's canary is the stable's own traffic, split at the step's weight: \
             every rollback is a false one"
                .to_string(),
            String::new(),
            "| judge | deployments | promoted | rolled back (false) | paused | holding at the \
             end | unjudged step | median minutes to promote |"
                .to_string(),
            "|---|---|---|---|---|---|---|---|".to_string(),
        ];
        for (i, (method, runs)) in self.judges.iter().enumerate() {
            let t = Self::tally(runs);
            let name = if i == 0 {
                format!("{} (as written)", method.as_str())
            } else {
                method.as_str().to_string()
            };
            out.push(format!(
                "| {name} | {} | {} |",
                t.outcome_cells(),
                Tally::quantile(&t.promotion_minutes, 0.5)
            ));
        }
        if let Some((_, runs)) = self.judges.first() {
            let stopped: Vec<String> = runs.iter().filter_map(stop_line).take(10).collect();
            if !stopped.is_empty() {
                out.push(String::new());
                out.push("the playbook as written stopped these deployments:".to_string());
                out.extend(stopped.into_iter().map(|l| format!("  {l}")));
            }
        }
        if !self.notes.is_empty() {
            out.push(String::new());
            out.extend(self.notes.iter().map(|n| format!("note: {n}")));
        }
        out.join("\n") + "\n"
    }

    fn json(&self) -> serde_json::Value {
        let judges: Vec<serde_json::Value> = self
            .judges
            .iter()
            .enumerate()
            .map(|(i, (method, runs))| {
                let t = Self::tally(runs);
                let stopped: Vec<serde_json::Value> = runs
                    .iter()
                    .filter_map(|run| {
                        let (ending, at, why) = stopped(run)?;
                        Some(json!({
                            "start": run.start.rfc3339(),
                            "after_minutes": at.as_secs() / 60,
                            "ending": ending,
                            "why": why,
                        }))
                    })
                    .collect();
                json!({
                    "method": method.as_str(),
                    "as_written": i == 0,
                    "deployments": t.runs,
                    "promoted": t.promoted,
                    "rolled_back": t.rolled_back,
                    "paused": t.paused,
                    "holding_at_end": t.unfinished,
                    "unjudged_step": t.unjudged,
                    "stopped": stopped,
                })
            })
            .collect();
        json!({
            "playbook": self.plan.name,
            "history": {
                "start": self.window.start.rfc3339(),
                "end": self.window.end.rfc3339(),
                "periods": self.periods,
                "requests_per_second": self.rps,
                "stable_error_percent": self.rate.map(|r| r * 100.0),
            },
            "judges": judges,
            "notes": self.notes,
        })
    }
}

/// How a run was stopped, when it was: "rolled_back" or "paused", when, and why.
fn stopped(run: &Run) -> Option<(&'static str, Duration, &str)> {
    match &run.replay.ending {
        Ending::RolledBack { at, why } => Some(("rolled_back", *at, why)),
        Ending::Paused { at, why } => Some(("paused", *at, why)),
        _ => None,
    }
}

/// "started 2026-12-01 14:00:00: rolled back after 12 min: …"
fn stop_line(run: &Run) -> Option<String> {
    let (ending, at, why) = stopped(run)?;
    Some(format!(
        "started {}: {} after {} min: {why}",
        run.start.utc(),
        ending.replace('_', " "),
        at.as_secs() / 60
    ))
}

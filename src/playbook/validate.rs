//! The whole document → [`Plan`]: top-level fields and `analysis`, with the sections delegated
//! to `route`, `steps` and `checks`. Every problem is collected, not just the first.

use super::checks::checks;
use super::error::{Bad, Diag, Pos};
use super::judge_options;
use super::model::{AnalysisDoc, PlaybookDoc, Sp};
use super::route::route;
use super::schema::{NO_DATA, ON_FAILURE, START_FROM};
use super::steps::steps;
use super::values::{closest, show_duration, simple_name, whole_seconds};
use super::warnings::{self, Sites};
use crate::core::plan::{Analysis, NoDataPolicy, OnFailure, Plan, StartFrom};
use std::time::Duration;

/// Defaults of `analysis:` (documented in docs/playbook.md).
pub(crate) const DEFAULT_INTERVAL: Duration = Duration::from_secs(30);
pub(crate) const DEFAULT_PERIOD: Duration = Duration::from_secs(60);
pub(crate) const DEFAULT_LOOKBACK: Duration = Duration::from_secs(300);
pub(crate) const DEFAULT_SETTLE: Duration = Duration::from_secs(30);
/// ALB data for the newest minute is often incomplete when first readable (Netflix's Atlas
/// waits two minutes); one minute is the default lag.
pub(crate) const DEFAULT_INGESTION_DELAY: Duration = Duration::from_secs(60);
pub(crate) const DEFAULT_MIN_REQUESTS: u64 = 50;
pub(crate) const DEFAULT_FAILURE_THRESHOLD: u32 = 1;

pub(crate) fn plan(d: &mut Diag, doc: &Sp<PlaybookDoc>, content_hash: String) -> Option<Plan> {
    let root = Pos::from(doc);
    let p = &doc.value;
    if p.is_empty() {
        d.error(
            Pos::START,
            "the playbook is empty",
            "start with `name:`, `route:` and `steps:`; see docs/playbook.md for a full example",
        );
        return None;
    }
    if let Some(v) = &p.version {
        if v.value != 1 {
            d.error(
                v,
                format!("`version: {}` is not supported", v.value),
                "write `version: 1` (the only version this release reads), or leave it out",
            );
        }
    }
    let name = match &p.name {
        Some(n) => d.check(n, simple_name("name", n.value.trim(), "name")),
        None => {
            d.error(
                root,
                "the playbook needs `name:` (it names the deployment's state)",
                "add `name: checkout-canary` at the top (1–64 letters, digits, `-`, `_`)",
            );
            None
        }
    };
    let route = match &p.route {
        Some(r) => route(d, r),
        None => {
            d.error(root, "the playbook needs `route:` (where the traffic is shifted)", "add `route: { alb: { listener: <listener ARN>, stable: <target group>, canary: <target group> } }`, or `route: { lattice: { service: <name>, listener: <name>, stable: <target group>, canary: <target group> } }`");
            None
        }
    };
    let steps = match &p.steps {
        Some(s) => steps(d, s),
        None => {
            d.error(
                root,
                "the playbook needs `steps:` (how the canary's share grows)",
                "add `steps: { canary: [5, 25, 50, 100], bake: 2m }`",
            );
            None
        }
    };
    let analysis = analysis(d, p.analysis.as_ref());
    let max_gap = p.analysis.as_ref().and_then(|a| a.value.max_gap.as_ref());
    let interval = analysis.as_ref().map(|a| a.interval);
    let switch = super::switch::switch(d, p.switch.as_ref(), max_gap, interval, root);
    let checks = match &p.checks {
        Some(c) => checks(d, c, route.as_ref()),
        None => Some(Vec::new()),
    };
    let on_failure = match &p.on_failure {
        None => Some(OnFailure::Rollback),
        Some(o) => d.check(o, on_failure(o.value.trim())),
    };
    let start_from = match &p.start_from {
        None => Some(None),
        Some(s) => d.check(s, start_from(s.value.trim())).map(Some),
    };
    let notify = match &p.notify {
        None => Some(Vec::new()),
        Some(docs) => super::notify::notifications(d, docs),
    };
    let hooks = match &p.hooks {
        None => Some(Default::default()),
        Some(doc) => super::hooks::hooks(d, doc),
    };
    let preflight = match &p.preflight {
        None => Some(Default::default()),
        Some(doc) => super::preflight::policy(d, doc),
    };
    let lane = p
        .steps
        .as_ref()
        .and_then(|s| s.value.header_lane.as_ref())
        .map(|doc| {
            let default_bake = steps.as_ref().and_then(|s| s.first()).map(|s| s.bake);
            super::lane::header_lane(d, doc, route.as_ref(), default_bake)
        });
    let (lane, steps) = match (lane, steps) {
        (None, steps) => (None, steps),
        (Some(Some((lane, step))), Some(mut steps)) => {
            steps.insert(0, step);
            (Some(lane), Some(steps))
        }
        (Some(_), _) => (None, None),
    };
    let plan = Plan {
        name: name?,
        content_hash,
        route: route?,
        steps: steps?,
        analysis: analysis?,
        checks: checks?,
        on_failure: on_failure?,
        start_from: start_from?,
        preflight: preflight?,
        switch: switch?,
        notify: notify?,
        hooks: hooks?,
        lane,
    };
    let sites = Sites {
        analysis: p.analysis.as_ref().map_or(root, Pos::from),
        period: p
            .analysis
            .as_ref()
            .and_then(|a| a.value.period.as_ref())
            .map(Pos::from),
        lookback: p
            .analysis
            .as_ref()
            .and_then(|a| a.value.lookback.as_ref())
            .map(Pos::from),
        checks: p.checks.as_ref().map_or(root, Pos::from),
    };
    warnings::collect(d, &plan, &sites);
    Some(plan)
}

fn start_from(raw: &str) -> Result<StartFrom, Bad> {
    match raw {
        "live" => Ok(StartFrom::Live),
        // The command line spells it `first-step`; either spelling works in both places.
        "first_step" | "first-step" => Ok(StartFrom::FirstStep),
        _ => Err(Bad::new(
            format!(
                "`start_from: {raw}` is not a way to start{}",
                did_you_mean(raw, &START_FROM[..2])
            ),
            "write `start_from: live` (continue from the canary's live weight) or `start_from: first_step` (reset to the first step); leave it out to refuse when the canary already has traffic",
        )),
    }
}

fn on_failure(raw: &str) -> Result<OnFailure, Bad> {
    match raw {
        "rollback" => Ok(OnFailure::Rollback),
        "pause" => Ok(OnFailure::Pause),
        _ => Err(Bad::new(
            format!(
                "`on_failure: {raw}` is not a failure policy{}",
                did_you_mean(raw, &ON_FAILURE)
            ),
            "write `on_failure: rollback` or `on_failure: pause`",
        )),
    }
}

fn no_data(raw: &str) -> Result<NoDataPolicy, Bad> {
    match raw {
        "hold" => Ok(NoDataPolicy::Hold),
        "fail" => Ok(NoDataPolicy::Fail),
        "pass" => Ok(NoDataPolicy::Pass),
        _ => Err(Bad::new(
            format!(
                "`no_data: {raw}` is not a no-data policy{}",
                did_you_mean(raw, &NO_DATA)
            ),
            "write `no_data: hold`, `no_data: fail` or `no_data: pass`",
        )),
    }
}

pub(crate) fn did_you_mean(raw: &str, options: &[&str]) -> String {
    closest(&raw.to_ascii_lowercase(), options)
        .map_or(String::new(), |c| format!(" (did you mean `{c}`?)"))
}

/// CloudWatch accepts 1, 5, 10, 30 or a multiple of 60 seconds.
fn period(raw: &str) -> Result<Duration, Bad> {
    let d = whole_seconds("period", raw)?;
    let s = d.as_secs();
    if matches!(s, 1 | 5 | 10 | 30) || (s > 0 && s % 60 == 0) {
        return Ok(d);
    }
    let below =
        [30, 10, 5, 1]
            .into_iter()
            .find(|v| *v <= s)
            .map(|v| if s >= 60 { s / 60 * 60 } else { v });
    let above = if s < 30 {
        [1, 5, 10, 30].into_iter().find(|v| *v >= s).unwrap_or(60)
    } else {
        (s / 60 + 1) * 60
    };
    let options: Vec<String> = below
        .into_iter()
        .chain([above])
        .map(|v| format!("`period: {}`", show_duration(Duration::from_secs(v))))
        .collect();
    Err(Bad::new(
        format!(
            "`period: {}` is not a CloudWatch period (1, 5, 10, 30 or a multiple of 60 seconds)",
            raw.trim()
        ),
        format!("write {}", options.join(" or ")),
    ))
}

fn analysis(d: &mut Diag, doc: Option<&Sp<AnalysisDoc>>) -> Option<Analysis> {
    let errors_before = d.error_count();
    let Some(doc) = doc else {
        return Some(Analysis {
            interval: DEFAULT_INTERVAL,
            period: DEFAULT_PERIOD,
            lookback: DEFAULT_LOOKBACK,
            settle: DEFAULT_SETTLE,
            ingestion_delay: DEFAULT_INGESTION_DELAY,
            min_requests: DEFAULT_MIN_REQUESTS,
            no_data: NoDataPolicy::Hold,
            failure_threshold: DEFAULT_FAILURE_THRESHOLD,
            ..judge_options::defaults()
        });
    };
    let a = &doc.value;
    let seconds = |d: &mut Diag, field: &str, v: &Option<Sp<String>>, default: Duration| match v {
        Some(v) => d.check(v, whole_seconds(field, &v.value)),
        None => Some(default),
    };
    let interval = seconds(d, "interval", &a.interval, DEFAULT_INTERVAL);
    if let (Some(Duration::ZERO), Some(at)) = (interval, &a.interval) {
        d.error(
            at,
            "`interval` must be at least 1s",
            "write the time between two ticks, e.g. `interval: 30s`",
        );
    }
    let period = match &a.period {
        Some(p) => d.check(p, period(&p.value)),
        None => Some(DEFAULT_PERIOD),
    };
    let lookback = seconds(d, "lookback", &a.lookback, DEFAULT_LOOKBACK);
    if let (Some(period), Some(lookback)) = (period, lookback) {
        if lookback < period {
            let at = a
                .lookback
                .as_ref()
                .map(Pos::from)
                .or(a.period.as_ref().map(Pos::from))
                .unwrap_or(Pos::from(doc));
            let default_note = if a.lookback.is_none() {
                " (the default)"
            } else {
                ""
            };
            d.error(
                at,
                format!("`lookback` {}{default_note} is shorter than `period` {}: no complete datapoint fits in it", show_duration(lookback), show_duration(period)),
                format!("write `lookback: {}` or longer (at least the period; twice is better)", show_duration(period.saturating_mul(2))),
            );
        }
    }
    let settle = seconds(d, "settle", &a.settle, DEFAULT_SETTLE);
    let ingestion_delay = seconds(
        d,
        "ingestion_delay",
        &a.ingestion_delay,
        DEFAULT_INGESTION_DELAY,
    );
    let min_requests = match &a.min_requests {
        None => Some(DEFAULT_MIN_REQUESTS),
        Some(m) => d.check(
            m,
            u64::try_from(m.value).map_err(|_| {
                Bad::new(
                    format!("`min_requests: {}` is negative", m.value),
                    "write a count of requests, e.g. `min_requests: 50` (0 judges on any traffic)",
                )
            }),
        ),
    };
    let no_data = match &a.no_data {
        None => Some(NoDataPolicy::Hold),
        Some(n) => d.check(n, no_data(n.value.trim())),
    };
    let failure_threshold = match &a.failure_threshold {
        None => Some(DEFAULT_FAILURE_THRESHOLD),
        Some(f) => d.check(
            f,
            u32::try_from(f.value)
                .ok()
                .filter(|v| (1..=1000).contains(v))
                .ok_or_else(|| Bad::new(format!("`failure_threshold: {}` is outside 1–1000", f.value), "write how many analyses in a row must fail before `on_failure`, e.g. `failure_threshold: 2`")),
        ),
    };
    let judged = judge_options::judge_options(d, a);
    if d.error_count() > errors_before {
        return None;
    }
    let judged = judged?;
    Some(Analysis {
        interval: interval?,
        period: period?,
        lookback: lookback?,
        settle: settle?,
        ingestion_delay: ingestion_delay?,
        min_requests: min_requests?,
        no_data: no_data?,
        failure_threshold: failure_threshold?,
        ..judged
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periods_cloudwatch_accepts() {
        for ok in ["1s", "5s", "10s", "30s", "1m", "2m", "5m", "1h"] {
            assert!(period(ok).is_ok(), "{ok}");
        }
        let bad = period("45s").unwrap_err();
        assert!(
            bad.message
                .contains("`period: 45s` is not a CloudWatch period"),
            "{}",
            bad.message
        );
        assert_eq!(bad.hint, "write `period: 30s` or `period: 1m`");
        assert_eq!(
            period("90s").unwrap_err().hint,
            "write `period: 1m` or `period: 2m`"
        );
        assert_eq!(
            period("3s").unwrap_err().hint,
            "write `period: 1s` or `period: 5s`"
        );
        assert!(period("0s").is_err());
        assert!(period("1500ms").is_err());
    }

    #[test]
    fn enums_suggest_the_spelling() {
        let bad = on_failure("rolback").unwrap_err();
        assert!(
            bad.message.contains("(did you mean `rollback`?)"),
            "{}",
            bad.message
        );
        assert_eq!(
            bad.hint,
            "write `on_failure: rollback` or `on_failure: pause`"
        );
        assert_eq!(on_failure("pause").unwrap(), OnFailure::Pause);
        assert!(no_data("Hold")
            .unwrap_err()
            .message
            .contains("did you mean `hold`"));
        assert_eq!(no_data("pass").unwrap(), NoDataPolicy::Pass);
    }
}

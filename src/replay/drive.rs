//! One deployment replayed on a simulated clock: the runner's loop without AWS.
//!
//! Each tick is what `run` does, in pure form: the window [`crate::core::window::new_window`]
//! allows (the evidence judge's starting where judging ended), the periods in it summed from
//! the traffic source, the judge the plan names, and [`crate::core::step()`]. A period's traffic is
//! drawn once, with the canary share live at its start, and read as often as windows cover it,
//! exactly as CloudWatch would answer. Writes land at once and are read back as written.

use crate::core::evidence;
use crate::core::observe::{Observed, Traffic};
use crate::core::plan::{CheckKind, Method, Plan};
use crate::core::step::{current_share, step, Action, Inputs};
use crate::core::types::{Share, Split, Timestamp};
use crate::core::window::{self, Window};
use crate::core::{judge, Phase, Record};
use std::collections::HashMap;
use std::time::Duration;

/// Both targets' requests and errors in one period.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct PeriodTraffic {
    pub canary: Traffic,
    pub stable: Traffic,
}

/// Where a replay's periods come from: `period(start, share)` is the traffic of the period
/// starting at `start` while the canary has `share` (`None` for both sides: nothing published).
pub trait TrafficSource {
    fn period(&mut self, start: Timestamp, share: Share) -> PeriodTraffic;
}

/// How a replayed deployment ended.
#[derive(Clone, Debug, PartialEq)]
pub enum Ending {
    Promoted {
        at: Duration,
    },
    RolledBack {
        at: Duration,
        why: String,
    },
    Paused {
        at: Duration,
        why: String,
    },
    /// Still stepping (holding) when the replay's horizon came.
    Unfinished {
        step: usize,
    },
    /// Failed (a bug: a replay's writes cannot fail).
    Failed {
        why: String,
    },
}

/// The outcome of one replay: how it ended and whether any step moved on unjudged.
#[derive(Clone, Debug, PartialEq)]
pub struct Replay {
    pub ending: Ending,
    pub unjudged_steps: usize,
}

/// Replays `plan` from `start` until it ends or `horizon` has passed, ticking every
/// `analysis.interval`.
pub fn replay(
    plan: &Plan,
    source: &mut dyn TrafficSource,
    start: Timestamp,
    horizon: Duration,
) -> Replay {
    let mut periods = Periods::new(plan.analysis.period);
    let mut live = Split::new(1000, 0);
    let id = crate::core::record::PlaybookId {
        name: plan.name.clone(),
        content_hash: plan.content_hash.clone(),
    };
    let mut record = Record::new(id, start);
    let interval = plan.analysis.interval.max(Duration::from_secs(1));
    let mut now = start;
    let mut unjudged_steps = 0;
    while now.since(start) <= horizon {
        let judgement = analyse(plan, &mut record, &mut periods, source, live, now);
        let inputs = Inputs {
            live,
            judgement,
            operator: None,
        };
        let (next, actions) = step(record, &inputs, plan, now);
        record = next;
        for action in &actions {
            match action {
                Action::SetWeights { share, .. } => {
                    live = Split::new(
                        1000 - u32::from(share.permille()),
                        u32::from(share.permille()),
                    );
                    record.written = Some(live);
                    periods.share_from(now, *share);
                }
                Action::Emit(event) => {
                    if matches!(event.kind, crate::core::EventKind::Unjudged { .. }) {
                        unjudged_steps += 1;
                    }
                }
                Action::Save => {}
            }
        }
        let at = now.since(start);
        let ending = match &record.phase {
            Phase::Promoted { .. } => Some(Ending::Promoted { at }),
            Phase::RolledBack { why, .. } => Some(Ending::RolledBack {
                at,
                why: why.clone(),
            }),
            Phase::Paused { why, .. } => Some(Ending::Paused {
                at,
                why: why.clone(),
            }),
            Phase::Failed { why } => Some(Ending::Failed { why: why.clone() }),
            Phase::Pending | Phase::Stepping { .. } => None,
        };
        if let Some(ending) = ending {
            return Replay {
                ending,
                unjudged_steps,
            };
        }
        now = now.plus(interval);
    }
    let step = match record.phase {
        Phase::Stepping { index, .. } => index,
        _ => 0,
    };
    Replay {
        ending: Ending::Unfinished { step },
        unjudged_steps,
    }
}

/// The tick's judgement, as the orchestrator's `analyse` makes it.
fn analyse(
    plan: &Plan,
    record: &mut Record,
    periods: &mut Periods,
    source: &mut dyn TrafficSource,
    live: Split,
    now: Timestamp,
) -> Option<crate::core::Judgement> {
    let Phase::Stepping { index, since } = record.phase else {
        return None;
    };
    if plan.checks.is_empty() {
        return None;
    }
    let analysis = &plan.analysis;
    let mut window = window::new_window(analysis, since, record.judged_through, now)?;
    let share = current_share(record, plan).unwrap_or(live.canary_share());
    let checks = plan.checks_at(share);
    let judgement = if analysis.method == Method::Evidence {
        if let Some(judged) = record.judged_through {
            window.start = window.start.max(judged);
        }
        if !record.evidence.baseline_measured {
            let before = plan.checks_at(Share::STABLE_ONLY);
            let observed = match window::before(analysis, record.started_at) {
                Some(w) => observe(&before, periods.sum(source, w)),
                None => Vec::new(),
            };
            record.evidence.measure_baseline(&before, &observed);
        }
        let observed = observe(&checks, periods.sum(source, window));
        evidence::judge(&checks, &observed, analysis, &record.evidence, index, share)
    } else {
        judge(
            &checks,
            &observe(&checks, periods.sum(source, window)),
            analysis,
        )
    };
    record.judged_through = Some(window.end);
    Some(judgement)
}

/// The observation of each check from the window's summed traffic (error-rate checks only; a
/// replay has no latency, metric or alarm data, so those checks see none).
fn observe(checks: &[crate::core::plan::Check], traffic: PeriodTraffic) -> Vec<Observed> {
    checks
        .iter()
        .map(|check| match check.kind {
            CheckKind::ErrorRate { .. } | CheckKind::ErrorRateVsStable { .. } => {
                Observed::ErrorRate {
                    canary: traffic.canary,
                    stable: traffic.stable,
                }
            }
            _ => Observed::Unavailable {
                why: "a replay has only request and error counts".to_string(),
            },
        })
        .collect()
}

/// The periods drawn so far, and the share live from each moment on.
struct Periods {
    period: i64,
    drawn: HashMap<i64, PeriodTraffic>,
    shares: Vec<(Timestamp, Share)>,
}

impl Periods {
    fn new(period: Duration) -> Periods {
        Periods {
            period: i64::try_from(period.as_millis()).unwrap_or(60_000).max(1),
            drawn: HashMap::new(),
            shares: Vec::new(),
        }
    }

    fn share_from(&mut self, at: Timestamp, share: Share) {
        self.shares.push((at, share));
    }

    fn share_at(&self, at: Timestamp) -> Share {
        self.shares
            .iter()
            .rev()
            .find(|(from, _)| *from <= at)
            .map_or(Share::STABLE_ONLY, |(_, share)| *share)
    }

    /// The window's periods, summed as CloudWatch sums them (a side with no datapoint in any
    /// period has none).
    fn sum(&mut self, source: &mut dyn TrafficSource, window: Window) -> PeriodTraffic {
        let mut total = PeriodTraffic::default();
        let mut start = window.start.as_millis();
        while start < window.end.as_millis() {
            let at = Timestamp(start);
            let share = self.share_at(at);
            let traffic = *self
                .drawn
                .entry(start)
                .or_insert_with(|| source.period(at, share));
            total.canary = add(total.canary, traffic.canary);
            total.stable = add(total.stable, traffic.stable);
            start += self.period;
        }
        total
    }
}

fn add(a: Traffic, b: Traffic) -> Traffic {
    let plus = |x: Option<f64>, y: Option<f64>| match (x, y) {
        (None, None) => None,
        (x, y) => Some(x.unwrap_or(0.0) + y.unwrap_or(0.0)),
    };
    Traffic {
        requests: plus(a.requests, b.requests),
        errors: plus(a.errors, b.errors),
    }
}

//! One deployment replayed on a simulated clock: the runner's loop without AWS.
//!
//! Each tick is what `run` does, in pure form: the window [`crate::core::window::new_window`]
//! allows (the evidence judge's starting where judging ended), the periods in it summed from
//! the traffic source, the judge the plan names, and [`crate::core::step()`]. A period's traffic is
//! drawn once, with the canary share live at its start, and read as often as windows cover it,
//! exactly as CloudWatch would answer. Writes land at once and are read back as written.

use crate::core::evidence;
use crate::core::observe::{Observed, SlowCounts, Traffic};
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

/// Which target a latency question is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Side {
    Stable,
    Canary,
}

/// Where a replay's periods come from: `period(start, share)` is the traffic of the period
/// starting at `start` while the canary has `share` (`None` for both sides: nothing published).
/// The latency answers are about the same period's `requests` of one side: how many were slower
/// than `ms` (CloudWatch's `TC(X:)`), and the `percentile` of their latency (`pNN`); a source
/// without latency answers `None`.
pub trait TrafficSource {
    fn period(&mut self, start: Timestamp, share: Share) -> PeriodTraffic;

    fn slower_than(
        &mut self,
        _start: Timestamp,
        _side: Side,
        _requests: f64,
        _ms: f64,
    ) -> Option<f64> {
        None
    }

    fn percentile(
        &mut self,
        _start: Timestamp,
        _side: Side,
        _requests: f64,
        _p: f64,
    ) -> Option<f64> {
        None
    }
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
    /// When each weight was written, from the deployment's start.
    pub writes: Vec<(Share, Duration)>,
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
    let mut writes = Vec::new();
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
                    writes.push((*share, now.since(start)));
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
                writes,
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
        writes,
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
            let before = evidence::resolve(&plan.checks_at(Share::STABLE_ONLY), &record.evidence);
            let observed = match window::before(analysis, record.started_at) {
                Some(w) => observe(&before, periods, source, w),
                None => Vec::new(),
            };
            record.evidence.measure_baseline(&before, &observed);
        }
        let checks = evidence::resolve(&checks, &record.evidence);
        let observed = observe(&checks, periods, source, window);
        evidence::judge(&checks, &observed, analysis, &record.evidence, index, share)
    } else {
        let observed = observe(&checks, periods, source, window);
        judge(&checks, &observed, analysis)
    };
    record.judged_through = Some(window.end);
    Some(judgement)
}

/// The observation of each check over `window`, as CloudWatch would aggregate it: counts summed,
/// a latency percentile the worst period's (a replay has no custom metrics or alarms: those
/// checks see none).
fn observe(
    checks: &[crate::core::plan::Check],
    periods: &mut Periods,
    source: &mut dyn TrafficSource,
    window: Window,
) -> Vec<Observed> {
    let traffic = periods.sum(source, window);
    checks
        .iter()
        .map(|check| match check.kind {
            CheckKind::ErrorRate { .. } | CheckKind::ErrorRateVsStable { .. } => {
                Observed::ErrorRate {
                    canary: traffic.canary,
                    stable: traffic.stable,
                }
            }
            CheckKind::Latency { percentile, .. }
            | CheckKind::LatencyVsStable { percentile, .. } => {
                let vs_stable = matches!(check.kind, CheckKind::LatencyVsStable { .. });
                let mut ask = |side, what| periods.latency(source, window, side, what);
                let slow = check.slower_than_ms.map(|ms| SlowCounts {
                    canary: ask(Side::Canary, Ask::Slower(ms)),
                    stable: vs_stable.then(|| Traffic {
                        requests: traffic.stable.requests,
                        errors: ask(Side::Stable, Ask::Slower(ms)),
                    }),
                });
                let canary_ms = ask(Side::Canary, Ask::Percentile(percentile));
                let stable_ms = if vs_stable {
                    ask(Side::Stable, Ask::Percentile(percentile))
                } else {
                    None
                };
                Observed::Latency {
                    canary_requests: traffic.canary.requests,
                    canary_ms,
                    stable_ms,
                    slow,
                }
            }
            _ => Observed::Unavailable {
                why: "a replay has only request, error and latency data".to_string(),
            },
        })
        .collect()
}

/// A latency question about one period.
#[derive(Clone, Copy)]
enum Ask {
    Slower(f64),
    Percentile(f64),
}

/// The periods drawn so far (and each latency answer about them, so a period reads the same
/// every time), and the share live from each moment on.
struct Periods {
    period: i64,
    drawn: HashMap<i64, PeriodTraffic>,
    answers: HashMap<(i64, Side, bool, u64), Option<f64>>,
    shares: Vec<(Timestamp, Share)>,
}

impl Periods {
    fn new(period: Duration) -> Periods {
        Periods {
            period: i64::try_from(period.as_millis()).unwrap_or(60_000).max(1),
            drawn: HashMap::new(),
            answers: HashMap::new(),
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

    /// A latency answer over the window: slow requests summed, a percentile the worst period's.
    fn latency(
        &mut self,
        source: &mut dyn TrafficSource,
        window: Window,
        side: Side,
        ask: Ask,
    ) -> Option<f64> {
        let mut out: Option<f64> = None;
        let mut start = window.start.as_millis();
        while start < window.end.as_millis() {
            let traffic = self.drawn.get(&start).copied().unwrap_or_default();
            let requests = match side {
                Side::Canary => traffic.canary.requests,
                Side::Stable => traffic.stable.requests,
            };
            if let Some(n) = requests {
                let at = Timestamp(start);
                let (slower, value) = match ask {
                    Ask::Slower(ms) => (true, ms),
                    Ask::Percentile(p) => (false, p),
                };
                let answer = *self
                    .answers
                    .entry((start, side, slower, value.to_bits()))
                    .or_insert_with(|| match ask {
                        Ask::Slower(ms) => source.slower_than(at, side, n, ms),
                        Ask::Percentile(p) => source.percentile(at, side, n, p),
                    });
                out = match (out, answer, slower) {
                    (Some(a), Some(b), true) => Some(a + b),
                    (Some(a), Some(b), false) => Some(a.max(b)),
                    (a, b, _) => a.or(b),
                };
            }
            start += self.period;
        }
        out
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
